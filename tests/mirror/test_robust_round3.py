"""Robustness, round 3 (issue #25) on the real data: vintages, national files, data loss."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.cli import main
from erbm_geo.data import get
from erbm_geo.export import write_partitioned
from erbm_geo.indicators import builtin
from erbm_geo.synthetic import synthetic_buildings
from tests import browser
from tests.checks import every


@pytest.fixture(scope="module")
def national_qpv() -> gpd.GeoDataFrame:
    """The national QPV 2024 file (1,584 QPV, 222 overseas) as a user reads and reprojects it."""
    from erbm_geo.geom.spatial import repair_geometries
    from erbm_geo.layers.qpv import _parsed

    raw = _parsed().to_crs(4326)  # the file as published: longitude/latitude
    q = raw.to_crs(2154)  # what a user does first
    bad = ~shapely.is_valid(q.geometry.values)
    q.loc[bad, "geometry"] = repair_geometries(q.geometry.values[bad])
    return q


def test_the_national_qpv_file_works_as_a_target(national_qpv: gpd.GeoDataFrame) -> None:
    assert len(national_qpv) == 1584
    cites = eg.layers.cites()
    got = eg.indicators.qpv_overlap(cites, national_qpv)
    ref = eg.indicators.qpv_overlap(cites, builtin.qpv())
    assert got.attrs["targets_left_out"]["qpv"] >= 222  # the overseas ones at least
    assert np.allclose(got["qpv_share"], ref["qpv_share"], rtol=0, atol=1e-9)
    assert every(got["qpv_codes"].fillna("") == ref["qpv_codes"].fillna(""))
    assert every(got["n_qpv"] == ref["n_qpv"]) and int(got["n_qpv"].sum()) > 0


@pytest.mark.parametrize("epsg", [4326, 3857, 32631])
def test_indicator_table_reprojects_the_callers_layer(epsg: int) -> None:
    basin = builtin.communes().query("in_basin")
    b = synthetic_buildings(basin, 200, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", eg.errors.DataQualityWarning)
        ref = eg.indicators.indicator_table(b)
        got = eg.indicators.indicator_table(b.to_crs(epsg))  # said "centres is in EPSG:2154…"
    num = [c for c in ref.columns if c != "geometry" and pd.api.types.is_float_dtype(ref[c])]
    assert got.crs.to_epsg() == 2154
    assert np.allclose(got[num], ref[num], rtol=0, atol=1e-6, equal_nan=True)


def test_overseas_qpv_areas_are_true() -> None:
    q = eg.layers.qpv(territory="france")
    # QN97406M (La Réunion): 230.8 ha in Lambert-93, 64.5 ha on the ground (UTM 40S: 64.53)
    assert q.loc["QN97406M", "area_ha"] == pytest.approx(64.5, abs=0.1)
    local = q.loc[["QN97406M"]].to_crs(2975).area.iloc[0] / 1e4
    assert q.loc["QN97406M", "area_ha"] == pytest.approx(local, rel=1e-3)
    metro = q.loc["QN05901M" if "QN05901M" in q.index else q.index[0]]
    assert metro["area_ha"] == pytest.approx(metro.geometry.area / 1e4)


def test_no_output_folder_can_delete_a_users_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    basin = builtin.communes().query("in_basin")
    src = write_partitioned(synthetic_buildings(basin, 300, seed=2), tmp_path / "batiments", npartitions=2)
    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "budget.ods").write_bytes(b"precious")
    for out in (docs, src, tmp_path):
        code = main(["indicators", "--of", str(src), "--engine", "dask", "--out", str(out)])
        assert code == 2, out
        assert "error:" in capsys.readouterr().err
    assert (docs / "budget.ods").read_bytes() == b"precious"
    assert len(eg.layers.partitioned.read_partitioned(src)) == 300
    mirror = eg.settings.data_dir
    assert mirror is not None
    code = main(["indicators", "--of", str(src), "--engine", "dask", "--out", str(mirror / "qpv")])
    assert code == 2 and "data mirror" in capsys.readouterr().err
    assert (mirror / get("qpv").path).is_file()


def test_repeated_territories_and_blank_communes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    t = eg.layers.territory_communes("bassin_minier,bassin_minier")
    assert len(t) == 250
    assert len(eg.layers.territory_communes(["62498", "62498", "erbm"])) == 336
    code = main(["map", "--indicator", "qpv_share", "--commune", " ", "--out", str(tmp_path / "b.pdf")])
    assert code == 2 and "names no commune" in capsys.readouterr().err
    assert not (tmp_path / "b.pdf").exists()


def test_the_friches_warning_only_where_friches_are_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["map", "--indicator", "qpv_share", "--out", str(tmp_path / "q.png")]) == 0
    assert "friche" not in capsys.readouterr().err
    assert main(["map", "--indicator", "friches_surface_share", "--out", str(tmp_path / "f.png")]) == 0
    assert capsys.readouterr().err.count("friches:") == 1


def test_pages_print_the_catalogue_vintages(atlas_dir: Path) -> None:
    c = get("cog_communes")
    want = f"population municipale {c.reference_year}, en vigueur au 1er janvier {c.cog}"
    lens = (atlas_dir / "communes" / "62498.html").read_text("utf-8")
    assert want in lens and "2022, en vigueur" not in lens
    epci = next((atlas_dir / "epci").glob("*.html")).read_text("utf-8")
    assert want in epci
    home = (atlas_dir / "index.html").read_text("utf-8")
    assert want in home
    assert not re.search(r"COG 2025|population municipale 2022", home + lens + epci)


def test_the_home_search_ignores_object_keys(atlas_dir: Path) -> None:
    seen = browser.home_search(atlas_dir / "index.html", ["constructor", "__proto__", "toString", "Lens"])
    assert seen[:3] == ["index.html?0", "index.html?1", "index.html?2"], seen  # led nowhere
    assert seen[3] == "62498.html"  # a real name still leads to its portrait
