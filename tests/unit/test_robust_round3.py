"""Robustness, round 3 (issue #25): no data loss, no crash, no trusted swap — on invented data.

Each test reproduces a finding of the third attack round; each failed on the code before the fix.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import Point

from erbm_geo import export, settings
from erbm_geo.cli import main, printable
from erbm_geo.errors import (
    CRSError,
    DataFormatError,
    DataNotFoundError,
    DuplicateIndexError,
    EmptyInputError,
    InvalidGeometryError,
    InvalidOptionError,
    NestingError,
    OutOfAreaError,
    OutputPathError,
)
from erbm_geo.examples import example_centres, example_communes

LENS = (687_000.0, 7_037_000.0)  # Lambert-93


def _points(n: int = 3, **cols: object) -> gpd.GeoDataFrame:
    geoms = [Point(LENS[0] + 100 * i, LENS[1]) for i in range(n)]
    return gpd.GeoDataFrame(cols or None, geometry=geoms, crs=2154)


# ----------------------------------------------------------------- output folders (data loss)


@pytest.fixture()
def parts() -> gpd.GeoDataFrame:
    from erbm_geo.synthetic import synthetic_buildings

    return synthetic_buildings(example_communes(), 200, seed=5)


def test_partitioned_output_never_empties_a_users_folder(tmp_path: Path, parts: gpd.GeoDataFrame) -> None:
    docs = tmp_path / "mes-documents"
    docs.mkdir()
    (docs / "rapport.odt").write_bytes(b"precious")
    with pytest.raises(OutputPathError, match="not empty .* not written by erbm_geo"):
        export.write_partitioned(parts, docs, spatial_order=None, npartitions=2)
    assert (docs / "rapport.odt").read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mes-documents"]  # no temporary left


def test_partitioned_output_replaces_its_own_folder_only_whole(
    tmp_path: Path, parts: gpd.GeoDataFrame
) -> None:
    out = tmp_path / "sortie"
    export.write_partitioned(parts, out, spatial_order=None, npartitions=3)
    export.write_partitioned(parts.iloc[:20], out, spatial_order=None, npartitions=1)  # its own: replaced
    assert sorted(p.name for p in out.iterdir()) == ["_erbm_geo.json", "part.0.parquet"]
    (out / "notes.txt").write_text("mine")  # a file the user added since
    with pytest.raises(OutputPathError, match="also holds 1 entries it did not write"):
        export.write_partitioned(parts, out, spatial_order=None, npartitions=1)
    assert (out / "notes.txt").read_text() == "mine"
    target = tmp_path / "fichier.parquet"
    target.write_bytes(b"x")
    with pytest.raises(OutputPathError, match="not a folder"):
        export.write_partitioned(parts, target, spatial_order=None)
    link = tmp_path / "lien"
    link.symlink_to(out)
    with pytest.raises(OutputPathError, match="symbolic link"):
        export.write_partitioned(parts, link, spatial_order=None)


def test_partitioned_output_refuses_the_mirror_the_cache_and_its_input(
    tmp_path: Path, parts: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    from erbm_geo.layers.partitioned import read_partitioned

    mirror = tmp_path / "erbm-data"
    (mirror / "qpv").mkdir(parents=True)
    monkeypatch.setattr(settings, "data_dir", mirror)
    with pytest.raises(OutputPathError, match="is inside the data mirror"):
        export.write_partitioned(parts, mirror / "qpv", spatial_order=None)
    with pytest.raises(OutputPathError, match="contains the data mirror"):
        export.write_partitioned(parts, tmp_path, spatial_order=None)
    src = tmp_path / "batiments"
    export.write_partitioned(parts, src, spatial_order=None, npartitions=2)
    lazy = read_partitioned(src)
    with pytest.raises(OutputPathError, match="an input a lazy layer of this process reads"):
        export.write_partitioned(lazy, src, spatial_order=None)
    assert len(read_partitioned(src)) == len(parts)  # the input is intact
    del lazy


def test_partitioned_write_cleans_what_a_killed_writer_left(tmp_path: Path, parts: gpd.GeoDataFrame) -> None:
    from erbm_geo._atomic import _host

    out = tmp_path / "sortie"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / f".sortie.{_host()}-{int(dead.stdout)}.abc123"
    stale.mkdir()
    (stale / "part.0.parquet").write_bytes(b"half")
    live = tmp_path / f".sortie.{_host()}-{os.getpid()}.live"
    live.mkdir()
    legacy = tmp_path / f".sortie.tmp-{int(dead.stdout)}"  # named by erbm_geo 0.2
    legacy.mkdir()
    (legacy / "part.0.parquet").write_bytes(b"half")
    export.write_partitioned(parts, out, spatial_order=None)
    assert not stale.exists() and not legacy.exists()
    assert live.exists()  # a live writer's folder is never touched


def test_partitioned_reader_refuses_incomplete_or_mixed_folders(
    tmp_path: Path, parts: gpd.GeoDataFrame
) -> None:
    from erbm_geo.layers.partitioned import read_partitioned

    out = tmp_path / "b"
    export.write_partitioned(parts, out, spatial_order=None, npartitions=3)
    (out / "part.1.parquet").unlink()
    with pytest.raises(DataNotFoundError, match="part\\(s\\) .* are missing"):
        read_partitioned(out)
    gap = tmp_path / "gap"
    gap.mkdir()
    parts.iloc[:5].to_parquet(gap / "part.0.parquet")
    parts.iloc[5:10].to_parquet(gap / "part.2.parquet")
    with pytest.raises(DataNotFoundError, match="no part.1.parquet"):
        read_partitioned(gap)
    dup = tmp_path / "dup"
    dup.mkdir()
    parts.iloc[:5].to_parquet(dup / "part.0.parquet")
    parts.iloc[3:8].to_parquet(dup / "part.1.parquet")
    with pytest.raises(DuplicateIndexError, match="more than one part"):
        read_partitioned(dup)
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    parts.iloc[:5].to_parquet(mixed / "part.0.parquet")
    parts.iloc[5:10].to_crs(4326).to_parquet(mixed / "part.1.parquet")
    with pytest.raises(CRSError, match="different CRSs"):
        read_partitioned(mixed)


@pytest.mark.parametrize(
    "address", ["", "foo", "tcp://", "http://127.0.0.1:8786", "tcp://[::1", "tcp://h:99999"]
)
def test_odd_scheduler_addresses_are_clear_errors(address: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["indicators", "--of", "nowhere", "--engine", "dask", "--scheduler", address, "--out", "x"])
    assert code == 2
    assert "is not the address of a dask scheduler" in capsys.readouterr().err


# ----------------------------------------------------------------- the cache


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from erbm_geo.data import CACHE

    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")
    monkeypatch.setattr(settings, "use_cache", True)
    CACHE.clear()
    yield tmp_path / "cache" / "layers"
    CACHE.clear()


def _entry(name: str, build: object, params: dict[str, object]) -> gpd.GeoDataFrame:
    from erbm_geo.data import cached_layer

    return cached_layer(name, [], build, params)  # type: ignore[arg-type]


def test_a_cache_entry_copied_over_another_key_is_not_served(cache_dir: Path) -> None:
    from erbm_geo.data import CACHE
    from erbm_geo.errors import CacheWarning

    a = example_communes().iloc[:3]
    b = example_communes().iloc[3:9]
    _entry("zone", lambda: a, {"t": "a"})
    _entry("zone", lambda: b, {"t": "b"})
    files = sorted(cache_dir.glob("zone-*.arrow"))
    assert len(files) == 2
    ka = next(f for f in files if len(gpd.read_feather(f)) == 3)
    kb = next(f for f in files if f != ka)
    shutil.copy(ka, kb)  # the entry of key a, with its manifest, over key b
    shutil.copy(ka.with_suffix(".json"), kb.with_suffix(".json"))
    CACHE.clear()
    with pytest.warns(CacheWarning, match="another cache key"):
        got = _entry("zone", lambda: b, {"t": "b"})
    assert len(got) == 6  # rebuilt, not the swapped entry


@pytest.mark.parametrize("kind", ["fifo", "devzero", "huge"])
def test_a_cache_entry_that_is_not_a_regular_file_cannot_hang_or_exhaust(
    cache_dir: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from erbm_geo.data import CACHE
    from erbm_geo.data import cache as cache_mod
    from erbm_geo.errors import CacheWarning

    g = example_communes()
    _entry("piege", lambda: g, {})
    (arrow,) = cache_dir.glob("piege-*.arrow")
    arrow.unlink()
    if kind == "fifo":
        os.mkfifo(arrow)
    elif kind == "devzero":
        arrow.symlink_to("/dev/zero")
    else:
        arrow.write_bytes(b"\0" * 2048)
        monkeypatch.setattr(cache_mod, "MAX_ENTRY_BYTES", 1024)
    CACHE.clear()
    with pytest.warns(CacheWarning):
        got = _entry("piege", lambda: g, {})  # would block forever on the FIFO, fill memory on /dev/zero
    assert len(got) == len(g)


def test_clearing_the_cache_deletes_only_its_own_entries(cache_dir: Path, tmp_path: Path) -> None:
    from erbm_geo.data import CACHE

    _entry("propre", example_communes, {})
    mine = sorted(p.name for p in cache_dir.iterdir())
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.json").write_text("{}")
    (cache_dir / "notes.json").write_text("{}")  # not an entry name
    (cache_dir / "lien-0123456789abcdef.json").symlink_to(precious / "thesis.json")
    assert CACHE.clear(disk=True) == len(mine)
    assert sorted(p.name for p in cache_dir.iterdir()) == ["lien-0123456789abcdef.json", "notes.json"]
    assert (precious / "thesis.json").exists()
    # a layers folder that is a link to elsewhere is not walked
    shutil.rmtree(cache_dir)
    cache_dir.symlink_to(precious, target_is_directory=True)
    (precious / "zone-0123456789abcdef.arrow").write_bytes(b"not a cache entry")
    assert CACHE.clear(disk=True) == 0
    assert (precious / "zone-0123456789abcdef.arrow").exists()


# ----------------------------------------------------------------- crafted geometries, memos


def _alive_after(code: str) -> str:
    """Run *code* in a fresh Python; return what it printed, asserting the process exited normally."""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def _deep_parquet(
    path: Path, depth: int, *, crs: object = None, rows: int = 1, order: int = 1, **write: object
) -> None:
    """Write a GeoParquet file whose last row is a collection nested *depth* deep (the others 1),
    its first byte *order* (1: little-endian; GEOS reads 2 as well)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def nested(d: int) -> bytes:
        wkb = bytes([1]) + (7).to_bytes(4, "little") + (0).to_bytes(4, "little")
        for _ in range(d):
            wkb = bytes([1]) + (7).to_bytes(4, "little") + (1).to_bytes(4, "little") + wkb
        return wkb

    geo = {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": [], "crs": crs}},
    }
    blobs = [nested(1)] * (rows - 1) + [bytes([order]) + nested(depth)[1:]]
    table = pa.table({"id": list(range(rows)), "geometry": pa.array(blobs, pa.binary())})
    pq.write_table(table.replace_schema_metadata({b"geo": json.dumps(geo).encode()}), path, **write)


@pytest.mark.parametrize("order", [1, 2])
def test_a_geometry_nested_thousands_deep_is_refused_without_crashing(tmp_path: Path, order: int) -> None:
    """GEOS would overflow the C stack (exit 139): the file is refused before parsing — also when
    its first byte is no byte order (GEOS reads it anyway)."""
    path = tmp_path / "partenaire.parquet"
    _deep_parquet(path, 5000, order=order)
    code = (
        "import sys\n"
        "from erbm_geo.layers import user_layer\n"
        "from erbm_geo.export import read\n"
        "from erbm_geo.errors import NestingError\n"
        f"p = {str(path)!r}\n"
        "for f in (lambda: user_layer(p), lambda: read(p)):\n"
        "    try:\n"
        "        f()\n"
        "    except NestingError as e:\n"
        "        print('refused:', str(e)[:60])\n"
    )
    out = _alive_after(code)
    assert out.count("refused: partenaire.parquet") + out.count("refused: user layer") == 2


@pytest.mark.parametrize("threads", [1, 2])
def test_a_crafted_part_is_refused_by_the_task_that_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    """The folder opens lazily; computing it refuses the crafted part, named, before GEOS parses it."""
    import dask
    import pyproj

    from erbm_geo.layers.partitioned import read_partitioned

    folder = tmp_path / "batiments"
    folder.mkdir()
    for i, depth in enumerate([1, 1, 40, 1]):
        _deep_parquet(folder / f"part.{i}.parquet", depth, crs=pyproj.CRS(2154).to_json_dict(), rows=3)
    monkeypatch.setattr(settings, "threads", threads)
    lazy = read_partitioned(folder, name="bâtiments")
    assert lazy.npartitions == 4
    assert len(lazy.partitions[0].compute()) == 3  # the other parts read as they are
    bad = r"^bâtiments, part\.2\.parquet \(geometry\): 1 geometry.*\(rows \[2\]\)"
    with dask.config.set(scheduler="threads", num_workers=threads), pytest.raises(NestingError, match=bad):
        lazy.compute()


def test_a_crafted_row_is_named_by_its_position_in_the_file_when_row_groups_are_read(tmp_path: Path) -> None:
    """A task reading some row groups of a file names the row by its place in the file."""
    import fsspec
    import pyarrow.parquet as pq

    from erbm_geo.layers.partitioned import _check_read

    path = tmp_path / "part.0.parquet"
    _deep_parquet(path, 40, rows=5, row_group_size=2)  # row groups [0, 1], [2, 3], [4]
    fs = fsspec.filesystem("file")
    _check_read(pq.ParquetFile(path).read_row_groups([0, 1]), str(path), fs, [0, 1], "t")  # fine
    with pytest.raises(NestingError, match=r"^t, part\.0\.parquet \(geometry\): 1 geometry.*\(rows \[4\]\)"):
        _check_read(pq.ParquetFile(path).read_row_groups([2]), str(path), fs, [2], "t")
    with pytest.raises(NestingError, match=r"\(rows \[4\]\)"):
        _check_read(pq.ParquetFile(path).read_row_groups([0, 2]), str(path), fs, [0, 2], "t")
    filtered = pq.ParquetFile(path).read_row_groups([1, 2])  # as if a filter had kept rows 2, 3, 4
    through = r"^t, part\.0\.parquet, rows read through a filter .*\(rows \[2\]\)"
    with pytest.raises(NestingError, match=through):
        _check_read(filtered, str(path), fs, None, "t")


def test_a_geometry_nested_thousands_deep_in_a_partitioned_folder_is_refused_by_its_task(
    tmp_path: Path,
) -> None:
    """Nested 5,000 deep, GEOS would overflow the C stack (exit 139) in the worker thread."""
    import pyproj

    folder = tmp_path / "batiments"
    folder.mkdir()
    for i, depth in enumerate([1, 5000]):
        _deep_parquet(folder / f"part.{i}.parquet", depth, crs=pyproj.CRS(2154).to_json_dict())
    code = (
        "from erbm_geo.layers.partitioned import read_partitioned\n"
        "from erbm_geo.errors import NestingError\n"
        f"lazy = read_partitioned({str(folder)!r}, name='bâtiments')\n"
        "try:\n"
        "    lazy.compute(scheduler='threads')\n"
        "except NestingError as e:\n"
        "    print('refused:', str(e)[:40])\n"
    )
    out = _alive_after(code)
    assert out.startswith("refused: bâtiments, part.1.parquet (geometry)"), out


def test_wkb_walker_accepts_real_geometries_and_measures_depth() -> None:
    from erbm_geo.geom.wkb import _walk, check_wkb

    mp = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3).buffer(0.1)])
    gc = shapely.GeometryCollection([mp, Point(1, 2, 3), shapely.LineString([(0, 0), (1, 1)])])
    for g, depth in ((Point(1, 2), 1), (mp, 2), (gc, 3), (shapely.GeometryCollection(), 1)):
        for wkb in (shapely.to_wkb(g), shapely.to_wkb(g, byte_order=0), shapely.to_wkb(g, include_srid=True)):
            assert _walk(wkb) == depth
    check_wkb([*shapely.to_wkb(np.array([gc, mp, Point(0, 0)])), None])
    with pytest.raises(NestingError, match="broken WKB"):
        check_wkb([shapely.to_wkb(gc)[:-3]], name="t")


def test_a_geometry_replaced_in_place_cannot_reuse_a_remembered_check() -> None:
    from erbm_geo.geom.memo import memo_for

    geoms = np.array([Point(LENS), Point(LENS[0] + 1, LENS[1])], dtype=object)
    m = memo_for(geoms)
    m.basic_ok = True
    old = geoms[0]
    geoms[0] = Point(np.nan, np.nan)  # edited in place, as gdf.loc[i, "geometry"] = … does
    assert m.geoms[0] is old  # the memo holds its own copy: old stays alive, its address unused
    assert memo_for(geoms) is not m


def test_a_nan_point_edited_in_after_a_computation_is_refused() -> None:
    from erbm_geo.indicators import distance_to_centres

    g = _points(3)
    c = example_centres()
    distance_to_centres(g, c)
    arr = g.geometry.values._data
    arr[0] = None
    arr[0] = shapely.from_wkt("POINT (NaN NaN)")
    with pytest.raises(InvalidGeometryError, match="NaN"):
        distance_to_centres(g, c)


# ----------------------------------------------------------------- exports of partner tables


def test_xlsx_refuses_text_it_would_cut(tmp_path: Path) -> None:
    t = _points(2, note=["x" * 40_000, "court"])
    with pytest.raises(DataFormatError, match=r"'note' .* 32,767 .* \(rows \[0\]\)"):
        export.write(t, tmp_path / "t.xlsx")
    export.write(t, tmp_path / "t.csv")  # CSV keeps it whole
    assert export.read(tmp_path / "t.csv")["note"].str.len().tolist() == [40_000, 5]


@pytest.mark.parametrize(
    ("table", "fmt", "match"),
    [
        (lambda: _points(2, Nom=["a", "b"], nom=["c", "d"]), "gpkg", "differ only by case"),
        (lambda: _points(2, **{"a\x01b": [1, 2]}), "xlsx", "control characters"),
        (lambda: _points(2, **{"a\x00b": [1, 2]}), "gpkg", "control characters"),
        (lambda: _points(2, l=[[1, 2], [3]]), "csv", "lists or dictionaries"),
        (lambda: _points(2, l=[{"a": 1}, {}]), "gpkg", "lists or dictionaries"),
        (
            lambda: _points(2, a=[1, 2]).set_index([pd.Index(["i", "j"]), pd.Index([1, 2])]),
            "csv",
            "MultiIndex",
        ),
    ],
)
def test_partner_tables_a_format_cannot_hold_are_refused_clearly(
    tmp_path: Path, table: object, fmt: str, match: str
) -> None:
    with pytest.raises(DataFormatError, match=match):
        export.write(table(), tmp_path / f"t.{fmt}")  # type: ignore[operator]
    assert not list(tmp_path.iterdir())


def test_reserved_geopackage_names_and_zoned_times_round_trip(tmp_path: Path) -> None:
    zoned = pd.to_datetime(["2024-01-01T10:00+01:00", "2024-06-01T10:00+02:00"], utc=True).tz_convert(
        "Europe/Paris"
    )
    t = _points(2, fid=[5, 5], geom=["x", "y"], quand=zoned)
    for fmt in ("gpkg", "xlsx", "parquet"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # GDAL says nothing either
            back = export.read(export.write(t, tmp_path / f"t.{fmt}"))
        assert back["fid"].tolist() == [5, 5] and back["geom"].tolist() == ["x", "y"], fmt
        assert back["quand"].tolist() == t["quand"].tolist(), fmt


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "gpkg", "parquet"])
def test_read_gives_back_what_was_written(tmp_path: Path, fmt: str) -> None:
    t = _points(
        2,
        texte=["NA", "null"],
        zeros=["007", "010"],
        grand=[2**53 + 1, -(2**53) - 3],
        ooxml=["_x0041_", "a_x005F_b"],
        reel=[0.1, 1e-05],
        drapeau=[True, False],
    )
    back = export.read(export.write(t, tmp_path / f"t.{fmt}"))
    for c in ["texte", "zeros", "grand", "ooxml", "reel", "drapeau"]:
        assert back[c].tolist() == t[c].tolist(), (fmt, c, back[c].tolist())


def test_edited_or_foreign_geopackages_read_with_library_errors(tmp_path: Path) -> None:
    import sqlite3

    p = export.write(_points(2, k=[1, 2]), tmp_path / "t.gpkg")
    with pytest.raises(DataFormatError, match="has no layer 'autre'"):
        export.read(p, layer="autre")
    with sqlite3.connect(p) as db:  # edited in another tool: our metadata key renamed
        db.execute("UPDATE gpkg_metadata SET metadata = replace(metadata, 'ERBM_GEO_SCHEMA', 'X')")
    assert export.read(p)["k"].tolist() == [1, 2]  # read as it is
    q = tmp_path / "foreign.gpkg"
    _points(2, k=[1, 2]).to_file(q, layer="foreign", engine="pyogrio")
    assert export.read(q)["k"].tolist() == [1, 2]
    (tmp_path / "broken.gpkg").write_bytes(b"SQLite format 3\0garbage")
    with pytest.raises(DataFormatError, match="cannot read it as a GeoPackage"):
        export.read(tmp_path / "broken.gpkg")


def test_damaged_schema_metadata_gives_a_warning_not_a_crash(tmp_path: Path) -> None:
    import pyogrio

    from erbm_geo.errors import DataQualityWarning

    p = tmp_path / "t.gpkg"
    _points(2, k=[1, 2]).to_file(
        p, layer="t", engine="pyogrio", layer_metadata={"ERBM_GEO_SCHEMA": "{not json"}
    )
    assert pyogrio.read_info(p)["layer_metadata"]["ERBM_GEO_SCHEMA"] == "{not json"
    with pytest.warns(DataQualityWarning, match="damaged"):
        assert export.read(p)["k"].tolist() == [1, 2]


@pytest.mark.parametrize("layer", ["../x", "a/b", "  ", "gpkg_contents", "x\x00y", "it's"])
def test_geopackage_layer_names_are_checked(tmp_path: Path, layer: str) -> None:
    with pytest.raises(DataFormatError, match="cannot name a GeoPackage layer"):
        export.write(_points(1), tmp_path / "t.gpkg", layer=layer)


@pytest.mark.parametrize("lead", [" ", "\u00a0", "\u200b", "\ufeff", "\x0b", "\x0c", "\n", "  \u3000"])
def test_csv_formulas_behind_blanks_are_neutralised(tmp_path: Path, lead: str) -> None:
    t = _points(1, nom=[f'{lead}=HYPERLINK("http://x")'])
    p = export.write(t, tmp_path / "t.csv")
    raw = pd.read_csv(p, dtype=str, keep_default_na=False)
    assert raw["nom"][0].startswith("'")
    assert export.read(p)["nom"].tolist() == t["nom"].tolist()


# ----------------------------------------------------------------- CRS: impossible vs elsewhere


def test_degrees_and_web_mercator_declared_as_lambert93_are_refused_everywhere(tmp_path: Path) -> None:
    from erbm_geo.indicators import distance_to_centres
    from erbm_geo.maps import static_map

    lonlat = gpd.GeoDataFrame(geometry=[Point(2.83, 50.43)], crs=4326)
    degrees = lonlat.set_crs(2154, allow_override=True)
    mercator = lonlat.to_crs(3857).set_crs(2154, allow_override=True)
    for layer, cand in ((degrees, "EPSG:4326"), (mercator, "EPSG:3857")):
        for call in (
            lambda g: distance_to_centres(g, example_centres()),
            lambda g: export.write(g, tmp_path / "x.gpkg"),
            lambda g: static_map(g),
        ):
            with pytest.raises(OutOfAreaError, match=cand):
                call(layer)
    mercator.attrs["crs_confirmed"] = True  # the user says it really lies near La Rochelle
    export.write(mercator, tmp_path / "larochelle.gpkg")


def test_valid_layers_elsewhere_pass_and_no_message_suggests_set_crs(tmp_path: Path) -> None:
    from erbm_geo.indicators import area_share

    marseille = gpd.GeoDataFrame(geometry=[shapely.box(892_000, 6_246_000, 893_000, 6_247_000)], crs=2154)
    export.write(marseille, tmp_path / "m.gpkg")
    reunion = gpd.GeoDataFrame(
        geometry=[Point(55.45, -20.88).buffer(0.01)], crs=4326, index=pd.Index(["QN97406M"])
    ).to_crs(2154)
    targets = pd.concat([example_communes()[["geometry"]], reunion])
    share = area_share(example_communes(), targets, name="s")  # overseas targets: left out, counted
    assert share.attrs["targets_left_out"] == {"targets": 1}
    assert np.allclose(share, 1.0)


def test_a_local_engineering_crs_is_a_clear_error() -> None:
    from erbm_geo.geom.validate import to_working_crs

    wkt = (
        'ENGCRS["chantier",EDATUM["site"],CS[Cartesian,2],AXIS["x",east,ORDER[1],'
        'LENGTHUNIT["metre",1]],AXIS["y",north,ORDER[2],LENGTHUNIT["metre",1]]]'
    )
    with pytest.raises(CRSError, match="not tied to the Earth"):
        to_working_crs(gpd.GeoDataFrame(geometry=[Point(1e6, 2e6)], crs=wkt), name="plan")


# ----------------------------------------------------------------- smaller ones


def test_user_layer_of_a_table_without_geometry_is_a_clear_error() -> None:
    from erbm_geo.layers import user_layer

    with pytest.raises(DataFormatError, match="points_from_xy"):
        user_layer(pd.DataFrame({"lon": [2.8], "lat": [50.4]}))  # type: ignore[arg-type]


def test_svg_maps_are_byte_reproducible(tmp_path: Path) -> None:
    import matplotlib.pyplot as plt

    from erbm_geo.maps import save_figure, static_map

    outs = []
    for i in range(2):
        fig = static_map(example_communes(), column="qpv_share")
        outs.append(save_figure(fig, tmp_path / f"c{i}.svg").read_bytes())
        plt.close(fig)
    assert outs[0] == outs[1]


def test_a_map_book_needs_pages_and_makes_one_per_commune(tmp_path: Path) -> None:
    import subprocess as sp

    from erbm_geo.maps.printed.book import map_book

    g = example_communes()
    with pytest.raises(EmptyInputError, match="names no commune"):
        map_book(g, tmp_path / "b.pdf", column="qpv_share", pages=[])
    code = g.index[0]
    pdf = map_book(g, tmp_path / "b.pdf", column="qpv_share", pages=[code, code])
    info = sp.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+2$", info.stdout, re.M), info.stdout  # the overview and one page


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "12.5", "demain"])
def test_odd_source_date_epoch_is_a_clear_error(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(InvalidOptionError, match="SOURCE_DATE_EPOCH"):
        export.build_date()


def test_epoch_at_the_limit_is_a_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795996800")
    assert export.build_date().date() == datetime.date(2026, 11, 30)


def test_escape_sequences_are_printed_visibly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert printable("a\x1b]0;pwned\x07b\u202e") == "a\\x1b]0;pwned\\x07b\\u202e"
    bad = tmp_path / "\x1b[31mrouge"
    assert main(["map", "--layer", "communes", "--out", str(bad / "x.txt")]) == 2
    err = capsys.readouterr().err
    assert ("\x1b" not in err and "\\x1b[31mrouge" not in err) or "\x1b" not in err


def test_host_name_helper_is_stable() -> None:  # the stale-folder names depend on it
    from erbm_geo._atomic import _host

    assert _host() and socket.gethostname()


def test_the_cli_refuses_an_odd_epoch_before_any_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999999")
    assert main(["layers"]) == 2  # exit 1 ("internal error") after the work, before
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err
