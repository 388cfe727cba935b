"""Cité names normalised for matching, and the programme milestones' fact table in date order."""

from __future__ import annotations

import geopandas as gpd
import pytest

import erbm_geo as eg
from erbm_geo.data.facts import read_fact_table
from erbm_geo.layers.cites import normalise_name


@pytest.fixture(scope="module")
def cites() -> gpd.GeoDataFrame:
    return eg.layers.cites()


def test_normalise_name() -> None:
    assert normalise_name("Cité du Moulin (partie en zone-tampon)") == "moulin"
    assert normalise_name("Rés. de la Motte") == "motte"
    assert normalise_name(None) == ""


def test_milestones_monotonic() -> None:
    m = read_fact_table("programme_milestones")
    done = m[m["indicator"] == "logements_rehabilites"].sort_values("date")
    assert done["value"].is_monotonic_increasing
    assert done["value"].tolist() == [3300, 8000, 15500]
    target = m.loc[m["indicator"] == "objectif_logements_rehabilites", "value"].item()
    assert target == 23000 and done["value"].max() < target
    prio = m[m["indicator"] == "logements_cites_prioritaires"]["value"]
    assert set(prio) == {7200, 7300}
    inv = read_fact_table("inventory_figures").set_index("indicator")["value"]
    assert inv["cites_minieres_recensees"] == 543 and inv["cites_inscrites_unesco"] == 124
    assert inv["logements_cites_minieres"] == 70000
    assert inv["logements_cites_inscrites_unesco"] == 27000
