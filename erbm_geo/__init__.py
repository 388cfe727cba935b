"""erbm_geo — the Bassin minier du Nord et du Pas-de-Calais as geometries, indicators and maps.

Subpackages are imported lazily so that ``import erbm_geo`` stays light::

    import erbm_geo as eg
    communes = eg.layers.communes(territory="bassin_minier")

Layers (data flows one way; nothing imports upward):

``erbm_geo.geom``        the geometry core: kernels, input checks, validity memo (no data files)
``erbm_geo.data``        catalogue of third-party datasets, resolution/download, the cache
``erbm_geo.layers``      the model: territory, heritage, cités, QPV, centres, friches, socio, transport
``erbm_geo.indicators``  distance, overlap, access, context, aggregation; ``builtin`` targets;
                        the indicator table
``erbm_geo.lookup``      « Qu'y a-t-il ici ? »: what lies at any point or file of places
``erbm_geo.maps``        Folium maps, static maps, class breaks
``erbm_geo.atlas``       the publishable French atlas (templates, charts, map data)
``erbm_geo.raster``      distance surfaces, densities, zonal statistics
``erbm_geo.export``      GeoPackage / GeoParquet / CSV writers
``erbm_geo.cli``         the ``erbm-geo`` command
``erbm_geo.settings`` and ``erbm_geo.errors`` are leaves every layer may import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from erbm_geo import errors, settings
from erbm_geo._version import __version__

__all__ = ["__version__", "errors", "settings"]

_LAZY = {"geom", "data", "layers", "indicators", "lookup", "maps", "atlas", "raster", "export", "cli"}

if TYPE_CHECKING:  # pragma: no cover
    from erbm_geo import atlas, data, export, geom, indicators, layers, lookup, maps, raster  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f"erbm_geo.{name}")
    raise AttributeError(f"module 'erbm_geo' has no attribute {name!r}")
