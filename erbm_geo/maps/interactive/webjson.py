"""JSON for web maps: quantised geometries and text that stays inert in a page.

Shared by the Folium maps (:mod:`erbm_geo.maps.interactive`) and the atlas; imports no Folium.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely

from erbm_geo.errors import UnknownOptionError

__all__ = ["geometry_json", "js_json"]


def _quantise(g: dict[str, Any]) -> dict[str, Any]:
    """GeoJSON geometry -> {"type", "q"}.

    Coordinates in 1e-5 degree integers, delta-encoded per ring or line (decoded by the map runtime).
    About 60 % lighter than decimal text.
    """

    def ring(coords: Any) -> list[int]:
        q = np.round(np.asarray(coords, dtype=float).reshape(-1, 2) * 1e5).astype(np.int64)
        q[1:] -= q[:-1].copy()
        return q.ravel().tolist()

    t = g["type"]
    c = g["coordinates"]
    if t == "Point":
        return {"type": t, "q": ring([c])}
    if t in ("LineString", "MultiPoint"):
        return {"type": t, "q": ring(c)}
    if t in ("Polygon", "MultiLineString"):
        return {"type": t, "q": [ring(r) for r in c]}
    if t == "MultiPolygon":
        return {"type": t, "q": [[ring(r) for r in p] for p in c]}
    raise UnknownOptionError(f"geometry type {t} is not supported on web maps")


def geometry_json(geoms: np.ndarray) -> list[str]:
    """Return each geometry as compact quantised GeoJSON text (decoded by the map runtime).

    Coordinates are integers of 1e-5 degree, delta-encoded along each ring or line.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        Geometries in EPSG:4326.

    Returns
    -------
    list of str
        One JSON text per geometry.

    Raises
    ------
    UnknownOptionError
        If a geometry is a GeometryCollection (not drawn on web maps).

    Examples
    --------
    >>> import shapely
    >>> for text in geometry_json(np.array([shapely.Point(2.83, 50.43),
    ...                                     shapely.box(2.8, 50.4, 2.81, 50.41)])):
    ...     print(text)
    {"type":"Point","q":[283000,5043000]}
    {"type":"Polygon","q":[[281000,5040000,0,1000,-1000,0,0,-1000,1000,0]]}
    """
    return [_js_json(_quantise(json.loads(g))) for g in shapely.to_geojson(geoms)]


def js_json(obj: Any) -> str:
    r"""Return JSON safe to embed in a ``<script>`` and inert as template text.

    ``<``, ``>``, ``&`` and the braces are written as ``\u`` escapes: no text can close the script
    or open a Jinja/branca block.

    Parameters
    ----------
    obj : object
        Any JSON-serialisable value.

    Returns
    -------
    str
        The JSON text.

    Examples
    --------
    >>> print(js_json({"nom": "</script>{{x}}"}))
    {"nom":"\u003c/script\u003e\u007b\u007bx\u007d\u007d"}
    """
    return _js_json(obj)


def _feature_collection(geoms: np.ndarray, props: Sequence[dict[str, Any]] | None = None) -> str:
    gj = shapely.to_geojson(geoms)
    props = props if props is not None else [{}] * len(geoms)
    feats = ",".join(
        f'{{"type":"Feature","geometry":{_js_json(_quantise(json.loads(g)))},"properties":{_js_json(p)}}}'
        for g, p in zip(gj, props, strict=True)
    )
    return '{"type":"FeatureCollection","features":[' + feats + "]}"


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _no_braces(m: re.Match[str]) -> str:
    return m.group(0).replace("{", "\\u007b").replace("}", "\\u007d")


def _js_json(obj: Any) -> str:
    r"""JSON safe to embed in a <script> and inert as template text.

    No way to close the tag or open a comment (``< > &`` escaped), no line terminator JavaScript
    would choke on, and no brace inside a string, so that no ``{{ }}``, ``{% %}`` or ``{# #}``
    can reach a template engine. Structural braces of the JSON never form those pairs.

    Examples
    --------
    >>> _js_json({"nom": "{{7*7}}</script>"})
    '{"nom":"\\u007b\\u007b7*7\\u007d\\u007d\\u003c/script\\u003e"}'
    """
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    s = (
        s.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return _JSON_STRING.sub(_no_braces, s)
