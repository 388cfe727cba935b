"""The public layers of erbm_geo by name (a helper module): the mirror test checks each one's
CRS, the unit test that the list is complete."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd

from erbm_geo import layers

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
    "friches_sites": layers.friches_sites,
    "strategic_sites": layers.strategic_sites,
    "stations": layers.stations,
    "rail_lines": layers.rail_lines,
    "mining_railways": layers.mining_railways,
    "bhns_lines": layers.bhns_lines,
    "eveole_stops": layers.eveole_stops,
    "eurovelo5": layers.eurovelo5,
    **layers.HERITAGE_LAYERS,
}
