"""The atlas's maps as data: a shared offline context, and one JSON description per map.

Geometries are simplified and quantised once per layer (:func:`features`), then each page's
map takes the features it needs by position, so 250 portraits cost one simplification per
layer. A page's map travels in a script of its own (``assets/cartes/<page>.js``, a JSON literal
assigned to ``window.ERBM_CARTE``, like the shared context; ``<``, ``>``, ``&`` and braces are
escaped), loaded at the end of the page: the page's text is not held back by its map's data
(the home page's map alone weighs 142 KB). The shared runtime (``assets/carte.js``) draws it
with Leaflet. Every label travels as a JSON string and is inserted with ``textContent``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from erbm_geo.maps.interactive.webjson import js_json
from erbm_geo.maps.style import web_geometries

__all__ = ["Features", "MapSpec", "carte_js", "contexte_js", "features"]


@dataclass(frozen=True)
class Features:
    """A layer's features as quantised GeoJSON geometry strings, aligned on its rows.

    Parameters
    ----------
    geometry : list of str
        One quantised GeoJSON geometry per row (see :func:`erbm_geo.maps.interactive.webjson.geometry_json`).
    bounds : numpy.ndarray of float, shape (n, 4)
        Each row's longitude/latitude bounds.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> f = features(example_communes(), tolerance=0)
    >>> len(f.geometry), f.bounds.shape
    (12, (12, 4))
    >>> import json
    >>> json.loads(f.collection([0], [{"nom": "Commune A"}]))["features"][0]["properties"]
    {'nom': 'Commune A'}
    """

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
    """Simplify (*tolerance* m), project to WGS84 and quantise every feature of *gdf* once.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, in EPSG:2154.
    tolerance : float
        Simplification in metres.
    coverage : bool, default False
        The layer tiles space: coverage-preserving simplification.

    Returns
    -------
    Features
        The geometries as text, and their bounds.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> features(example_communes(), tolerance=0).geometry[0]
    '{"type":"Polygon","q":[[288791,5027785,-4,1796,-2803,-3,5,-1796,2802,3]]}'
    """
    from erbm_geo.maps.interactive.webjson import geometry_json

    web = web_geometries(gdf, tolerance=tolerance, coverage=coverage)
    return Features(geometry_json(web), shapely.bounds(web))


@dataclass
class MapSpec:
    """One map of a page: layers drawn in order, legend sections, view, attribution.

    Parameters
    ----------
    titre : str
        The map's title (French).
    layers : list of str
        The layers' scripts, drawn in order.
    legendes : list of dict
        The legend's sections.
    bounds : list of list of float, optional
        The initial view, ``[[south, west], [north, east]]``.
    sources : list of str
        Catalogue names, for the attribution.
    base : str, optional
        The shared base layer drawn under the others (e.g. the communes of the context).
    base_props : dict, optional
        Per-feature properties of the base layer.
    palette : list of str, optional
        The colours of the base layer's classes.

    Examples
    --------
    >>> MapSpec("Surface en QPV", sources=["qpv"]).layers
    []
    """

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
        (tooltip lines), ``u`` (a relative link opened on click), ``r`` (a point's radius in
        pixels) and ``h`` (an external http(s) page, offered as a link in a popup).
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
        """Return the map as JSON text, safe inside a script (see :func:`carte_js`)."""
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

    Parameters
    ----------
    communes : Features
        The basin's communes.
    communes_props : list of dict
        One properties object per commune (name, code, indicator values).
    epci, departements, outline, rail : Features
        The EPCI and département boundaries, the basin outline and the railway lines.
    villes : list of (str, float, float, int)
        The main towns: name, latitude, longitude and rank.

    Returns
    -------
    str
        The script, with every text JSON-escaped (inert in HTML and in templates).

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> c = features(example_communes(), tolerance=0)
    >>> js = contexte_js(communes=c, communes_props=[{}] * 12, epci=c, departements=c, outline=c,
    ...                  rail=c, villes=[("<Ville>", 50.4, 2.8, 0)])
    >>> js.splitlines()[1][:24], "<Ville>" in js
    ('window.ERBM_CONTEXTE = {', False)
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


def carte_js(spec: MapSpec) -> str:
    r"""Return the script holding one page's map: its JSON (:meth:`MapSpec.to_json`) as ``window.ERBM_CARTE``.

    Parameters
    ----------
    spec : MapSpec
        The page's map.

    Returns
    -------
    str
        JavaScript: one assignment of a JSON literal (escaped as :meth:`MapSpec.to_json` does).

    Examples
    --------
    >>> js = carte_js(MapSpec(titre="</script><b>Carte</b>"))
    >>> js.splitlines()[1][:32], "</script>" in js
    ('window.ERBM_CARTE = {"titre":"\\u', False)
    """
    return (
        "/* Carte de la page (données ouvertes, voir sources.html). */\n"
        "window.ERBM_CARTE = " + spec.to_json() + ";\n"
    )
