"""The atlas's maps as data: a shared offline context, and one JSON description per map.

Geometries are simplified and quantised once per layer (:func:`features`), then each page's
map takes the features it needs by position, so 250 portraits cost one simplification per
layer. A page holds its map as ``<script type="application/json">`` (inert data, parsed with
``JSON.parse``; ``<``, ``>``, ``&`` and braces are escaped); the shared runtime
(``assets/carte.js``) draws it with Leaflet. Every label travels as a JSON string and is
inserted with ``textContent``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from erbm_geo.maps.style import web_geometries
from erbm_geo.maps.webjson import js_json

__all__ = ["Features", "MapSpec", "contexte_js", "features"]


@dataclass(frozen=True)
class Features:
    """A layer's features as quantised GeoJSON geometry strings, aligned on its rows."""

    geometry: list[str]
    bounds: np.ndarray  # (n, 4) lon/lat bounds

    def collection(self, rows: Sequence[int] | np.ndarray, props: Sequence[dict[str, Any]]) -> str:
        """Return a FeatureCollection (JSON text) of the features at *rows* with their *props*."""
        feats = ",".join(
            f'{{"type":"Feature","geometry":{self.geometry[i]},"properties":{js_json(p)}}}'
            for i, p in zip(rows, props, strict=True)
        )
        return '{"type":"FeatureCollection","features":[' + feats + "]}"


def features(gdf: gpd.GeoDataFrame, *, tolerance: float, coverage: bool = False) -> Features:
    """Simplify (*tolerance* m), project to WGS84 and quantise every feature of *gdf* once."""
    from erbm_geo.maps.webjson import geometry_json

    web = web_geometries(gdf, tolerance=tolerance, coverage=coverage)
    return Features(geometry_json(web), shapely.bounds(web))


@dataclass
class MapSpec:
    """One map of a page: layers drawn in order, legend sections, view, attribution."""

    titre: str
    layers: list[str] = field(default_factory=list)  # JSON texts
    legendes: list[dict[str, Any]] = field(default_factory=list)
    bounds: list[list[float]] | None = None
    sources: list[str] = field(default_factory=list)
    base: str | None = None  # name of a shared layer drawn first (e.g. "communes")
    base_props: dict[str, Any] | None = None
    palette: list[str] | None = None  # colours of the classes ``c`` of the shared layer

    def layer(
        self,
        name: str,
        data: str,
        *,
        style: dict[str, Any],
        palette: Sequence[str] | None = None,
        tooltip: bool = True,
        liens: bool = False,
        show: bool = True,
        kind: str = "polygon",
    ) -> None:
        """Add a layer.

        *data* is a FeatureCollection whose properties may hold ``c`` (class in *palette*), ``t``
        (tooltip lines) and ``u`` (a relative link opened on click).
        """
        opts = {
            "name": name,
            "style": style,
            "palette": list(palette or []),
            "tooltip": tooltip,
            "liens": liens,
            "show": show,
            "kind": kind,
        }
        self.layers.append('{"opts":' + js_json(opts) + ',"data":' + data + "}")

    def legende(self, titre: str, items: Sequence[tuple[str, str, str]], *, note: str | None = None) -> None:
        """Return a legend section.

        Items are ``(label, colour, kind)`` with kind ``fill``, ``outline``, ``hatch``, ``line`` or
        ``dot``.
        """
        self.legendes.append({"titre": titre, "items": [list(i) for i in items], "note": note})

    def fit(self, bounds: np.ndarray, margin: float = 0.01) -> None:
        """View the lon/lat *bounds* ``(minx, miny, maxx, maxy)`` with a small margin."""
        b = [float(x) for x in bounds]
        self.bounds = [
            [round(b[1] - margin, 5), round(b[0] - margin, 5)],
            [round(b[3] + margin, 5), round(b[2] + margin, 5)],
        ]

    def to_json(self) -> str:
        """Return the map as JSON text, safe inside ``<script type="application/json">``."""
        head = js_json(
            {
                "titre": self.titre,
                "legendes": self.legendes,
                "bounds": self.bounds,
                "sources": self.sources,
                "base": self.base,
                "base_props": self.base_props,
                "palette": self.palette,
            }
        )
        return head[:-1] + ',"layers":[' + ",".join(self.layers) + "]}"


def contexte_js(
    *,
    communes: Features,
    communes_props: list[dict[str, Any]],
    epci: Features,
    departements: Features,
    outline: Features,
    rail: Features,
    villes: list[tuple[str, float, float, int]],
) -> str:
    """Return the shared context of every map (``assets/contexte.js``).

    The basin's communes (drawn by indicator maps and portraits from this one copy), EPCI and département
    boundaries, the basin outline, railway lines and the names of the main towns — so that a map opened
    offline, without tiles, is still readable.
    """
    n = len(communes.geometry)
    data = {
        "communes": json.loads(communes.collection(range(n), communes_props)),
        "epci": json.loads(epci.collection(range(len(epci.geometry)), [{}] * len(epci.geometry))),
        "departements": json.loads(
            departements.collection(range(len(departements.geometry)), [{}] * len(departements.geometry))
        ),
        "bassin": json.loads(outline.collection(range(len(outline.geometry)), [{}] * len(outline.geometry))),
        "rail": json.loads(rail.collection(range(len(rail.geometry)), [{}] * len(rail.geometry))),
        "villes": [[nom, round(lat, 5), round(lon, 5), rang] for nom, lat, lon, rang in villes],
    }
    return (
        "/* Contexte des cartes de l'atlas (données ouvertes, voir sources.html). */\n"
        "window.ERBM_CONTEXTE = " + js_json(data) + ";\n"
    )
