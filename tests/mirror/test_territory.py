"""The territory on the real mirror: exact counts, populations, tiling, validity."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.data import clear_memory, resolve
from erbm_geo.data.facts import read_fact_table
from erbm_geo.errors import EmptyInputError, UnknownCodeError, UnknownOptionError
from erbm_geo.layers import territory
from tests.checks import every

ROOT = Path(__file__).resolve().parents[2]


def test_basin_has_250_communes(basin_communes: gpd.GeoDataFrame) -> None:
    assert len(basin_communes) == 250
    assert basin_communes.index.is_unique
    assert basin_communes.crs.to_epsg() == 2154
    assert every(basin_communes["in_basin"])
    # the 2017 merger: Enquin-lez-Guinegatte (62295) replaces two communes, one of them 62294
    assert basin_communes.loc["62295", "nom"] == "Enquin-lez-Guinegatte"
    assert "62294" not in basin_communes.index


def test_erbm_has_336_communes_and_26_basin_communes_outside(
    basin_communes: gpd.GeoDataFrame, erbm_communes: gpd.GeoDataFrame
) -> None:
    assert len(erbm_communes) == 336
    assert erbm_communes["siren_epci"].nunique() == 8
    outside = basin_communes.index.difference(erbm_communes.index)
    assert len(outside) == 26
    assert int(erbm_communes["in_basin"].sum()) == 224
    assert len(eg.layers.communes(territory="bassin_minier_erbm")) == 362
    assert len(eg.layers.communes(territory="nord_pas_de_calais")) == 1534


def test_populations_match_sources(erbm_communes: gpd.GeoDataFrame) -> None:
    import json

    epcis = json.loads(resolve("cog_epci").read_text("utf-8"))
    official = {e["code"]: e["populationMunicipale"] for e in epcis}
    e = eg.layers.epci()
    for siren, pop in e["population"].items():
        assert pop == pytest.approx(official[siren], rel=0.01)
    assert int(e["population"].sum()) == int(erbm_communes["population"].sum())
    # The basin's municipal population (population 2023, COG 2026) within 1.5 % of the MBM outline's 1,201,615
    # (an older census); the ERBM speaks of 1.2 million people.
    basin_pop = int(eg.layers.communes()["population"].sum())
    assert basin_pop == 1_184_821
    assert basin_pop == pytest.approx(1_201_615, rel=0.015)


def test_union_equals_outline(basin_communes: gpd.GeoDataFrame) -> None:
    outline = eg.layers.basin_outline().geometry.iloc[0]
    union = basin_communes.union_all()
    assert union.area == pytest.approx(outline.area, rel=0.005)
    assert union.symmetric_difference(outline).area / outline.area < 0.005
    assert outline.area / 1e6 == pytest.approx(1795, rel=0.005)


@pytest.mark.parametrize("name", territory.TERRITORIES)
def test_no_overlaps_and_valid(name: str) -> None:
    c = eg.layers.communes(territory=name)  # type: ignore[arg-type]
    assert every(c.is_valid) and not c.is_empty.any()
    tree = shapely.STRtree(c.geometry.values)
    left, right = tree.query(c.geometry.values, predicate="intersects")
    keep = left < right
    inter = shapely.intersection(c.geometry.values[left[keep]], c.geometry.values[right[keep]])
    assert shapely.area(inter).sum() < 1.0  # m²: shared edges only


def test_epci_and_departements_tile(erbm_communes: gpd.GeoDataFrame) -> None:
    e = eg.layers.epci()
    assert len(e) == 8 and every(e.is_valid)
    assert e["n_communes"].sum() == 336 and e["n_communes_bassin"].sum() == 224
    assert e.loc["246200364", "n_communes"] == 36  # CA de Lens-Liévin
    assert e.area.sum() == pytest.approx(erbm_communes.area.sum(), rel=1e-6)
    d = eg.layers.departements()
    assert d["n_communes"].tolist() == [647, 887]  # COG 2026
    assert d["n_communes_bassin"].sum() == 250
    assert d.loc["59", "population"] == pytest.approx(2_600_000, rel=0.02)
    wider = eg.layers.epci(territory="bassin_minier_erbm")
    assert len(wider) == 13 and wider["n_communes_bassin"].sum() == 250


def test_fact_table_rederived() -> None:
    committed = read_fact_table("bassin_minier_communes")
    clear_memory()
    derived = territory.derive_basin_communes()
    pd.testing.assert_frame_equal(committed, derived, check_dtype=False)
    assert every(committed["source"].notna())


def test_derivation_script_check() -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts/derive_basin_communes.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert "ok: 250 communes" in r.stdout


def test_errors() -> None:
    with pytest.raises(UnknownOptionError, match="unknown territory 'basin'.*bassin_minier"):
        eg.layers.communes(territory="basin")  # type: ignore[arg-type]
    with pytest.raises(UnknownCodeError, match=r"'nord_pas_de_calais': '99999'\. Codes"):
        eg.layers.select_communes(["62498", "99999"])
    with pytest.raises(UnknownCodeError, match="more than once"):
        eg.layers.select_communes(["62498", "62498"])
    with pytest.raises(EmptyInputError):
        eg.layers.select_communes([])
    with pytest.raises(UnknownOptionError):
        eg.layers.epci(territory="france")  # type: ignore[arg-type]


def test_names_are_matched_loosely_and_mistakes_get_a_suggestion() -> None:
    """Accents, case, hyphens, apostrophes and « St » do not matter; an unknown name gets the
    closest ones, an ambiguous one its codes, a name or a number given as a code the fix."""
    assert eg.layers.codes_from_names(
        ["hénin beaumont", "St-Amand-les-Eaux", "BULLY LES MINES", "conde sur l escaut"]
    ) == ["62427", "59526", "62186", "59153"]
    with pytest.raises(
        eg.errors.UnknownCodeError,
        match=r"'Henin Beumont' is unknown \(did you mean Hénin-Beaumont \(62427\)",
    ):
        eg.layers.codes_from_names(["Henin Beumont"])
    with pytest.raises(
        eg.errors.UnknownCodeError, match=r"ambiguous: Saint-Aubin \(59529\), Saint-Aubin \(62742\)"
    ):
        eg.layers.codes_from_names(["Saint Aubin"])
    with pytest.raises(
        eg.errors.UnknownCodeError,
        match=r"'Lens' looks like a commune name: use codes_from_names\(\['Lens'\]\) "
        r"→ \['62498'\]",
    ):
        eg.layers.select_communes(["Lens"])
    with pytest.raises(eg.errors.UnknownCodeError, match=r"a number: give it as text, '62498'"):
        eg.layers.select_communes([62498])  # type: ignore[list-item]
    with pytest.raises(eg.errors.UnknownCodeError, match=r"'62999' \(did you mean 62909 Ytres"):
        eg.layers.select_communes(["62999"])
