"""Indicators (momepy style): a GeoDataFrame in, a named Series or DataFrame aligned on its index out.

Every indicator accepts any CRS (inputs are reprojected to EPSG:2154; a user-supplied target layer
must share the features' CRS), rejects empty input and invalid geometries, and runs as bulk
shapely 2 operations (STRtree queries, ``query_nearest``, vectorised intersection areas).
"""

from erbm_geo.indicators.access import WALK_RADIUS_M, distance_to_lines, station_access
from erbm_geo.indicators.aggregate import aggregate
from erbm_geo.indicators.context import commune_of, friches_context, heritage_within, income_context
from erbm_geo.indicators.distance import distance_to_centres
from erbm_geo.indicators.overlap import area_share, qpv_overlap, unesco_overlap
from erbm_geo.indicators.table import INDICATOR_DOC, TABLE_SOURCES, indicator_table, sources_table

__all__ = [
    "INDICATOR_DOC",
    "TABLE_SOURCES",
    "WALK_RADIUS_M",
    "aggregate",
    "area_share",
    "commune_of",
    "distance_to_centres",
    "distance_to_lines",
    "friches_context",
    "heritage_within",
    "income_context",
    "indicator_table",
    "qpv_overlap",
    "sources_table",
    "station_access",
    "unesco_overlap",
]
