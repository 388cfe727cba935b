"""« Ici » in the atlas: the layers a click on any map is answered from, in the page, offline.

``assets/ici.js`` holds, simplified, what :func:`erbm_geo.lookup.lookup` reads for a point of the
basin: the UNESCO property's elements and its buffer zone, the cités minières, the QPV and the
stations within reach of the basin. The map runtime (``carte.js``) loads it on the first click
and answers there: commune (from the shared context), QPV, UNESCO status, cité, nearest station.
Polygons are sorted by code, so a point in two of them gets the lowest code, as in
:func:`~erbm_geo.lookup.lookup`. Every text is JSON-escaped (inert in HTML and in templates).
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd

from erbm_geo.atlas.mapdata import features
from erbm_geo.maps.interactive.webjson import js_json

__all__ = ["RAYON_STATIONS", "ici_js"]

#: Stations farther than this (m) from every point of the basin are not carried: the nearest
#: station is said only when it is closer than this, else « aucune à moins de … ».
RAYON_STATIONS = 1500.0

_MODES = {"train": "gare SNCF", "tram": "station de tramway", "metro": "station de métro"}


def _sorted(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.iloc[gdf.index.astype(str).argsort(kind="stable")]


def _collection(gdf: gpd.GeoDataFrame, props: list[dict[str, Any]], tolerance: float) -> Any:
    f = features(gdf, tolerance=tolerance)
    return json.loads(f.collection(range(len(gdf)), props))


def ici_js(
    *,
    bien: gpd.GeoDataFrame,
    zone_tampon: gpd.GeoDataFrame,
    cites: gpd.GeoDataFrame,
    qpv: gpd.GeoDataFrame,
    stations: gpd.GeoDataFrame,
    basin: gpd.GeoDataFrame,
) -> str:
    """Return the script ``assets/ici.js``: the layers « Ici » answers from.

    Parameters
    ----------
    bien : geopandas.GeoDataFrame
        The UNESCO property's elements, indexed by element number, with ``section``.
    zone_tampon : geopandas.GeoDataFrame
        Its buffer zone.
    cites : geopandas.GeoDataFrame
        Indexed by ``cite_id``, with ``nom``, ``type_cite`` and ``erbm_programme``.
    qpv : geopandas.GeoDataFrame
        Indexed by QPV code, with ``nom``.
    stations : geopandas.GeoDataFrame
        Points with ``nom`` and ``mode`` (train, tram, metro).
    basin : geopandas.GeoDataFrame
        The basin's communes: only features within reach of them are kept (the stations
        within :data:`RAYON_STATIONS`).

    Returns
    -------
    str
        ``window.ERBM_ICI = {...};`` with one FeatureCollection per layer (quantised,
        simplified geometry) and the stations' radius.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> c = example_communes()
    >>> none = c.iloc[:0]
    >>> js = ici_js(bien=none.assign(section=[]), zone_tampon=none, cites=none.assign(
    ...     type_cite=[], erbm_programme=[]), qpv=none, stations=none.assign(mode=[]), basin=c)
    >>> js.startswith("/* ") and "window.ERBM_ICI = " in js
    True
    """
    area = basin.union_all()
    reach = area.buffer(RAYON_STATIONS)
    b = _sorted(bien[bien.intersects(area)])
    z = zone_tampon[zone_tampon.intersects(area)]
    ct = _sorted(cites[cites.intersects(area)])
    q = _sorted(qpv[qpv.intersects(area)])
    st = _sorted(stations[stations.intersects(reach)])
    data = {
        "bien": _collection(
            b, [{"k": str(k), "n": str(s)} for k, s in zip(b.index, b["section"], strict=True)], 5.0
        ),
        "zone": _collection(z, [{} for _ in range(len(z))], 20.0),
        "cites": _collection(
            ct,
            [
                {"k": str(k), "n": str(n), "t": str(t), "e": bool(e)}
                for k, n, t, e in zip(ct.index, ct["nom"], ct["type_cite"], ct["erbm_programme"], strict=True)
            ],
            5.0,
        ),
        "qpv": _collection(
            q, [{"k": str(k), "n": str(n)} for k, n in zip(q.index, q["nom"], strict=True)], 8.0
        ),
        "stations": _collection(
            st,
            [{"n": str(n), "m": _MODES.get(str(m), "")} for n, m in zip(st["nom"], st["mode"], strict=True)],
            0.0,
        ),
        "rayon": RAYON_STATIONS,
    }
    return (
        "/* Données de « Ici » : ce qu'il y a à un endroit du Bassin minier (voir sources.html). */\n"
        "window.ERBM_ICI = " + js_json(data) + ";\n"
    )
