"""Maps for people: two products and what they share (the atlas: :mod:`erbm_geo.atlas`).

* :mod:`erbm_geo.maps.interactive` — Folium maps, their web JSON and runtime assets;
* :mod:`erbm_geo.maps.printed` — A4/A3 pages and map books (matplotlib);
* shared beside them: :mod:`~erbm_geo.maps.style` (labels, formats, colours),
  :mod:`~erbm_geo.maps.classify` (classes), :mod:`~erbm_geo.maps.vocabulary` (the French words
  of the atlas and the pages, read from :mod:`erbm_geo.vocabulary`).

Names are loaded on first use, so that the atlas, which needs only
:mod:`~erbm_geo.maps.interactive.webjson` and :mod:`~erbm_geo.maps.classify`, imports neither
Folium nor matplotlib. Since 0.3 the modules live in the two subpackages (``erbm_geo.maps.sheet``
is ``erbm_geo.maps.printed.sheet``…); the names of this package are unchanged.
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
        "interactive.folium_map",
    ),
    **dict.fromkeys(("add_raster", "plot_raster"), "interactive.raster_overlay"),
    **dict.fromkeys(("save_figure", "static_map"), "printed.static_maps"),
    **dict.fromkeys(("Background", "background"), "printed.reference"),
    "Classes": "printed.symbology",
    "Page": "printed.page",
    "map_book": "printed.book",
}

if TYPE_CHECKING:  # pragma: no cover
    from erbm_geo.maps.interactive.folium_map import (
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
    from erbm_geo.maps.interactive.raster_overlay import add_raster, plot_raster
    from erbm_geo.maps.printed.book import map_book
    from erbm_geo.maps.printed.page import Page
    from erbm_geo.maps.printed.reference import Background, background
    from erbm_geo.maps.printed.static_maps import save_figure, static_map
    from erbm_geo.maps.printed.symbology import Classes


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
            "classify",
            "interactive",
            "printed",
            "style",
            "vocabulary",
        ]
    )
