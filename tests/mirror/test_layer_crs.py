"""Every public layer, and every built-in target, is returned in the working CRS (EPSG:2154)."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import geopandas as gpd
import pytest

from erbm_geo import layers, settings
from erbm_geo.indicators import builtin

LAYER_FUNCTIONS: dict[str, Callable[[], gpd.GeoDataFrame]] = {
    "communes": layers.communes,
    "epci": layers.epci,
    "departements": layers.departements,
    "basin_outline": layers.basin_outline,
    "cites": layers.cites,
    "cite_parts": layers.cite_parts,
    "centres": layers.centres,
    "qpv": layers.qpv,
    "iris": layers.iris,
    "income_communes": layers.income_communes,
    "income_iris": layers.income_iris,
    "friches_communes": layers.friches_communes,
    "strategic_sites": layers.strategic_sites,
    "stations": layers.stations,
    "rail_lines": layers.rail_lines,
    "mining_railways": layers.mining_railways,
    "bhns_lines": layers.bhns_lines,
    "eveole_stops": layers.eveole_stops,
    "eurovelo5": layers.eurovelo5,
    **layers.HERITAGE_LAYERS,
}
BUILTIN = [
    "communes",
    "qpv",
    "centres",
    "stations",
    "rail_lines",
    "eurovelo5",
    "unesco_property",
    "unesco_buffer_zone",
    "shafts",
    "terrils",
    "friches_communes",
    "income_communes",
    "income_iris",
]


def _check(g: gpd.GeoDataFrame) -> None:
    assert isinstance(g, gpd.GeoDataFrame)
    assert g.crs is not None and g.crs.to_epsg() == 2154 == int(settings.crs.split(":")[1])
    assert len(g) > 0


@pytest.mark.parametrize("name", sorted(LAYER_FUNCTIONS))
def test_public_layer_crs(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _check(LAYER_FUNCTIONS[name]())


@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_target_crs(name: str) -> None:
    _check(getattr(builtin, name)())


def test_every_layer_is_listed() -> None:
    """A new public layer must be added above (so its CRS is checked). Left out: functions that
    are not layers, ``programme_cites`` (a table without geometry) and ``cartofriches_sites``
    (reads the user's own export: not in the mirror)."""
    public = {
        n
        for n in layers.__all__
        if callable(getattr(layers, n))
        and n
        not in {
            "programme_cites",
            "population_history",  # a table of populations by year, not a layer
            "cartofriches_sites",
            "as_centres",
            "codes_from_names",
            "erbm_epci_sirens",
            "filter_to_territory",
            "load",
            "overview_by_epci",
            "select_cites",
            "select_communes",
            "territory_communes",
            "user_layer",
            "heritage",
        }
    }
    assert public <= set(LAYER_FUNCTIONS), sorted(public - set(LAYER_FUNCTIONS))
