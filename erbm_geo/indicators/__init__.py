"""Indicators (momepy style).

A GeoDataFrame and its target layers in, a named Series or DataFrame aligned on its index out.

Every indicator takes its targets as arguments — the built-in ones come from
:mod:`erbm_geo.indicators.builtin` — accepts any CRS (inputs are reprojected to EPSG:2154; a
target layer must share the features' CRS), rejects empty input and invalid geometries, and runs
as bulk shapely 2 operations (:mod:`erbm_geo.geom`). Names are imported on first use (SPEC 1
lazy loading), so ``import erbm_geo.indicators`` costs nothing until an indicator is called; the
indicator table and the built-in targets, which load the data layers, come only with them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from erbm_geo.indicators import builtin
    from erbm_geo.indicators.access import WALK_RADIUS_M, distance_to_lines, station_access
    from erbm_geo.indicators.aggregation import aggregate
    from erbm_geo.indicators.builtin import Targets
    from erbm_geo.indicators.change import count_change, population_change
    from erbm_geo.indicators.context import (
        commune_of,
        count_within_radius,
        friches_context,
        heritage_within,
        income_context,
    )
    from erbm_geo.indicators.distance import distance_to_centres
    from erbm_geo.indicators.overlap import area_share, qpv_overlap, unesco_overlap
    from erbm_geo.indicators.summary import summarise
    from erbm_geo.indicators.table import (
        INDICATOR_DOC,
        TABLE_SOURCES,
        indicator_table,
        sources_table,
    )

__all__ = [
    "INDICATOR_DOC",
    "TABLE_SOURCES",
    "WALK_RADIUS_M",
    "Targets",
    "aggregate",
    "area_share",
    "builtin",
    "commune_of",
    "count_change",
    "count_within_radius",
    "distance_to_centres",
    "distance_to_lines",
    "friches_context",
    "heritage_within",
    "income_context",
    "indicator_table",
    "population_change",
    "qpv_overlap",
    "sources_table",
    "station_access",
    "summarise",
    "unesco_overlap",
]

_LAZY = {
    "INDICATOR_DOC": "table",
    "TABLE_SOURCES": "table",
    "indicator_table": "table",
    "sources_table": "table",
    "Targets": "builtin",
    "WALK_RADIUS_M": "access",
    "distance_to_lines": "access",
    "station_access": "access",
    "aggregate": "aggregation",
    "commune_of": "context",
    "count_within_radius": "context",
    "friches_context": "context",
    "heritage_within": "context",
    "income_context": "context",
    "distance_to_centres": "distance",
    "area_share": "overlap",
    "qpv_overlap": "overlap",
    "unesco_overlap": "overlap",
    "count_change": "change",
    "population_change": "change",
    "summarise": "summary",
}


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def __getattr__(name: str) -> Any:
    if name == "builtin":
        return importlib.import_module("erbm_geo.indicators.builtin")
    if name in _LAZY:
        return getattr(importlib.import_module(f"erbm_geo.indicators.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'erbm_geo.indicators' has no attribute {name!r}")
