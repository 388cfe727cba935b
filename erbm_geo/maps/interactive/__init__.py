"""Interactive maps: Folium maps that work offline, their web JSON and their runtime assets.

* :mod:`~erbm_geo.maps.interactive.folium_map` — ``new_map``, ``add_layer``, ``add_legend``,
  ``basin_map``, ``to_html``… (also reachable here, and as ``erbm_geo.maps.add_layer``…);
* :mod:`~erbm_geo.maps.interactive.webjson` — light quantised GeoJSON, inert JSON for pages
  (shared with the atlas; imports no Folium);
* :mod:`~erbm_geo.maps.interactive.raster_overlay` — rasters on a map;
* ``static/`` — the runtime script and stylesheet inlined in every page.

Names are loaded on first use: importing :mod:`~erbm_geo.maps.interactive.webjson` (the atlas
does) imports no Folium.
"""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    module = importlib.import_module("erbm_geo.maps.interactive.folium_map")
    try:
        return getattr(module, name)
    except AttributeError:
        raise AttributeError(f"module 'erbm_geo.maps.interactive' has no attribute {name!r}") from None
