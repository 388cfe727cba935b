"""Robustness: bad inputs, fuzzed source files, export round-trips, atomic writes, hostile HTML."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import erbm_geo as eg
from erbm_geo import settings
from erbm_geo.data import clear_memory
from erbm_geo.errors import (
    CRSError,
    DuplicateIndexError,
    EmptyInputError,
    ErbmGeoError,
    InvalidGeometryError,
    OutOfAreaError,
)
from erbm_geo.export import read, write, write_atomic

# ---------------------------------------------------------------- 1. bad inputs


def _line(crs: object = "EPSG:4326") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"nom": ["l"]}, geometry=[shapely.LineString([(2.83, 50.43),
                                                                        (3.07, 50.37)])], crs=crs)


@pytest.mark.parametrize(("make", "error"), [
    (lambda: _line(None), CRSError),
    (lambda: _line("EPSG:2154"), OutOfAreaError),  # lon/lat declared as Lambert-93
    (lambda: _line().iloc[:0], EmptyInputError),
    (lambda: gpd.GeoDataFrame({"nom": ["p"]}, geometry=[shapely.Polygon()], crs=4326),
     InvalidGeometryError),
    (lambda: gpd.GeoDataFrame({"nom": ["n"]}, geometry=[shapely.LineString([(np.nan, 50), (3, 50)])],
                              crs=4326), InvalidGeometryError),
    (lambda: gpd.GeoDataFrame({"nom": ["a", "b"]}, crs=4326, geometry=[
        shapely.LineString([(2.8, 50.4), (3, 50.4)]), shapely.Point(2.9, 50.4)]),
     InvalidGeometryError),  # mixed types for a line layer
])
def test_user_layer_rejects(make: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        eg.layers.user_layer(make(), kind="line")  # type: ignore[operator]


def test_indicators_reject_bad_features() -> None:
    c = eg.layers.communes().iloc[:5]
    dup = pd.concat([c, c.iloc[:1]])
    with pytest.raises(DuplicateIndexError, match="reset_index"):
        eg.indicators.qpv_overlap(dup)
    bowtie = c.copy()
    bowtie.loc[bowtie.index[0], "geometry"] = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    with pytest.raises(InvalidGeometryError):
        eg.indicators.area_share(bowtie, eg.layers.bien_inscrit())
    with pytest.raises(EmptyInputError):
        eg.indicators.distance_to_centres(c.iloc[:0])


# ---------------------------------------------------------------- 2. fuzzed sources

LOADERS = {
    "communes_59": lambda: eg.layers.communes(),
    "cog_communes": lambda: eg.layers.communes(),
    "cog_epci": lambda: eg.layers.communes(),
    "bien_inscrit": lambda: eg.layers.bien_inscrit(),
    "cites_erbm": lambda: eg.layers.cites(),
    "qpv": lambda: eg.layers.qpv(),
    "mairies": lambda: eg.layers.centres(),
    "acv_pvd_ort": lambda: eg.layers.centres(),
    "cartofriches_communes": lambda: eg.layers.friches_communes(),
    "filosofi_communes": lambda: eg.layers.income_communes(),
    "filosofi_iris": lambda: eg.layers.income_iris(),
    "gares_voyageurs": lambda: eg.layers.stations(),
    "osm_stations": lambda: eg.layers.stations(),
    "rfn_lignes": lambda: eg.layers.rail_lines(),
    "puits_de_mines": lambda: eg.layers.puits_de_mines(),
}


def _mutations(data: bytes, rnd: random.Random) -> list[bytes]:
    n = len(data)
    out = [data[: rnd.randrange(1, n)] for _ in range(2)]  # truncations
    flipped = bytearray(data)
    for _ in range(20):
        flipped[rnd.randrange(n)] = rnd.randrange(256)
    out.append(bytes(flipped))
    out += [b"", b"{}", b"[]", b"null", b'{"type":"FeatureCollection","features":[{}]}',
            b'{"communes": [1, 2]}', b'{"qpvs": [{"code": 1}]}', b"insee;x\n1;2\n",
            b"\xff\xfe\x00garbage"]
    return out


@pytest.mark.parametrize("dataset", sorted(LOADERS))
def test_fuzzed_sources_raise_only_library_errors(dataset: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Each loader fed malformed versions of its file (the checksum check bypassed, as if a
    damaged file had the right sum) fails only with the library's documented exceptions."""
    import erbm_geo.layers._io as io_mod

    src = settings.data_dir / eg.data.get(dataset).path  # type: ignore[operator]
    rnd = random.Random(dataset)
    monkeypatch.setattr(settings, "use_cache", False)
    for k, blob in enumerate(_mutations(src.read_bytes(), rnd)):
        bad = tmp_path / f"{k}{src.suffix}"
        bad.write_bytes(blob)
        real = io_mod.dataset_path
        monkeypatch.setattr(io_mod, "dataset_path",
                            lambda name, bad=bad, real=real: bad if name == dataset else real(name))
        clear_memory()
        with contextlib.suppress(ErbmGeoError):  # anything else fails the test
            LOADERS[dataset]()
    clear_memory()


def test_checksum_guards_every_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the bypass, a damaged source never reaches a parser: ChecksumError."""
    from erbm_geo.errors import ChecksumError

    data = tmp_path / "data"
    (data / "qpv").mkdir(parents=True)
    src = settings.data_dir / "qpv/qpv-2024.json"  # type: ignore[operator]
    (data / "qpv/qpv-2024.json").write_bytes(src.read_bytes()[:1000])
    monkeypatch.setattr(settings, "data_dir", data)
    monkeypatch.setattr(settings, "use_cache", False)
    clear_memory()
    with pytest.raises(ChecksumError):
        eg.layers.qpv()
    clear_memory()


# ---------------------------------------------------------------- 3. round trips


@pytest.fixture(scope="module")
def cites_table() -> gpd.GeoDataFrame:
    return eg.indicators.indicator_table(of="cites")


@pytest.mark.parametrize("ext", ["gpkg", "parquet"])
def test_roundtrip_identical(ext: str, tmp_path: Path, cites_table: gpd.GeoDataFrame) -> None:
    p = write(cites_table, tmp_path / f"t.{ext}", sources=eg.indicators.sources_table())
    back = read(p)
    pd.testing.assert_frame_equal(pd.DataFrame(back.drop(columns="geometry")),
                                  pd.DataFrame(cites_table.drop(columns="geometry")))
    assert shapely.equals_exact(back.geometry.values, cites_table.geometry.values, 0).all()
    assert (back.geom_type == cites_table.geom_type).all()


def test_csv_keeps_codes_as_text(tmp_path: Path) -> None:
    t = eg.layers.communes(perimeter="erbm")
    p = write(t, tmp_path / "c.csv")
    raw = p.read_text("utf-8")
    assert "\n59002," in raw  # leading digits kept as written
    back = read(p)
    assert back["code_insee"].str.len().eq(5).all() and back["siren_epci"].str.len().eq(9).all()
    assert set(back["code_insee"]) == set(t.index)


# ---------------------------------------------------------------- 5. atomic writes


def test_interrupted_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("previous complete version", "utf-8")

    def crash(p: Path) -> None:
        p.write_text("half a fi", "utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, crash)
    assert target.read_text("utf-8") == "previous complete version"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_interrupted_atlas_keeps_previous_pages(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import erbm_geo.maps.atlas as atlas

    (tmp_path / "index.html").write_text("old atlas", "utf-8")
    monkeypatch.setattr(atlas, "basin_map", lambda **_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        atlas.build_atlas(tmp_path, basemap=None)
    assert (tmp_path / "index.html").read_text("utf-8") == "old atlas"
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()]


# ---------------------------------------------------------------- 4. hostile names everywhere

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>&\"'"


@pytest.mark.browser
def test_hostile_text_in_every_named_layer(tmp_path: Path) -> None:
    from . import browser

    m = eg.maps.new_map(basemap=None)
    names = []
    for name in ("communes", "epci", "bien_inscrit", "cites", "qpv", "stations", "terrils",
                 "rail_lines", "puits_de_mines"):
        g = eg.layers.load(name).head(3).copy()
        col = "nom" if "nom" in g.columns else ("nom_epci" if "nom_epci" in g.columns else "nom_ligne")
        if col not in g.columns:
            g[col] = ""
        g[col] = HOSTILE
        g["categorie"] = HOSTILE
        eg.maps.add_layer(m, g, name=f"{name} {HOSTILE}", column="categorie", tooltip=[col],
                          popup=[col, "categorie"], search=name == "communes")
        names.append(f"{name} {HOSTILE}")
    out = tmp_path / "hostile.html"
    eg.maps.to_html(eg.maps.finalize(m), out)
    text = out.read_text("utf-8")
    assert "<script>alert" not in text and "<img src=x" not in text
    r = browser.inspect(out)
    assert r["errors"] == []
    assert sorted(r["layers"]) == sorted(names)
