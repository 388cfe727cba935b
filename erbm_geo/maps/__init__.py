"""Outputs for people: interactive Folium maps and static maps (the atlas: :mod:`erbm_geo.atlas`).

Names are loaded on first use, so that the atlas, which needs only :mod:`~erbm_geo.maps.webjson`
and :mod:`~erbm_geo.maps.classify`, imports neither Folium nor matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "BASEMAPS",
    "Background",
    "Classes",
    "Fields",
    "Page",
    "Style",
    "add_attribution",
    "add_layer",
    "add_legend",
    "add_raster",
    "background",
    "basin_map",
    "finalize",
    "map_book",
    "new_map",
    "plot_raster",
    "save_figure",
    "static_map",
    "to_html",
]

_WHERE = {
    **dict.fromkeys(
        (
            "BASEMAPS",
            "Fields",
            "Style",
            "add_attribution",
            "add_layer",
            "add_legend",
            "basin_map",
            "finalize",
            "new_map",
            "to_html",
        ),
        "interactive",
    ),
    **dict.fromkeys(("add_raster", "plot_raster"), "raster_overlay"),
    **dict.fromkeys(("save_figure", "static_map"), "static_maps"),
    **dict.fromkeys(("Background", "background"), "reference"),
    "Classes": "symbology",
    "Page": "page",
    "map_book": "book",
}

if TYPE_CHECKING:  # pragma: no cover
    from erbm_geo.maps.book import map_book
    from erbm_geo.maps.interactive import (
        BASEMAPS,
        Fields,
        Style,
        add_attribution,
        add_layer,
        add_legend,
        basin_map,
        finalize,
        new_map,
        to_html,
    )
    from erbm_geo.maps.page import Page
    from erbm_geo.maps.raster_overlay import add_raster, plot_raster
    from erbm_geo.maps.reference import Background, background
    from erbm_geo.maps.static_maps import save_figure, static_map
    from erbm_geo.maps.symbology import Classes


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"erbm_geo.maps.{_WHERE[name]}"), name)
    if name in ("build_atlas", "ATLAS_INDICATORS"):  # moved up a layer: say where, import nothing
        raise AttributeError(
            f"erbm_geo.maps.{name} moved to erbm_geo.atlas.{name} (0.2): use erbm_geo.atlas.{name}"
        )
    raise AttributeError(f"module 'erbm_geo.maps' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(
        [
            *__all__,
            "book",
            "cartography",
            "classify",
            "interactive",
            "page",
            "reference",
            "sheet",
            "static_maps",
            "style",
            "symbology",
            "vocabulary",
            "webjson",
        ]
    )
