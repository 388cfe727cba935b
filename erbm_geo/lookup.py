"""« Qu'y a-t-il ici ? »: what lies at any point or list of points, in one indexed pass per layer.

:func:`lookup` answers for each point: its commune and EPCI, whether it is in the basin, the QPV
it lies in (or the distance to the nearest), its UNESCO status (element of the property, buffer
zone or none), the cité minière it lies in, the nearest station, main centre and friche site.
Each layer is one bulk query (an STRtree point-in-polygon or nearest search over all the points),
never a loop over points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo import settings
from erbm_geo.errors import EmptyInputError, MissingColumnError
from erbm_geo.geom.kernels import nearest

__all__ = ["LookupLayers", "builtin_layers", "lookup"]


@dataclass(frozen=True)
class LookupLayers:
    """The layers :func:`lookup` reads, in EPSG:2154 (built in: :func:`builtin_layers`).

    Parameters
    ----------
    communes : geopandas.GeoDataFrame
        Indexed by INSEE code, with ``nom``, ``siren_epci``, ``nom_epci``, ``in_basin``.
    qpv : geopandas.GeoDataFrame
        Indexed by QPV code, with ``nom``.
    bien, zone_tampon : geopandas.GeoDataFrame
        The elements of the UNESCO property (indexed by element number) and its buffer zone.
    cites : geopandas.GeoDataFrame
        Indexed by ``cite_id``, with ``nom``, ``type_cite``, ``erbm_programme``.
    stations, centres, sites : geopandas.GeoDataFrame or None
        Points with ``nom`` (stations, centres) or ``site_nom`` (friche sites); None leaves the
        columns out (never faked).

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> c = example_communes().assign(in_basin=True)
    >>> lay = LookupLayers(c, c.iloc[:0], c.iloc[:0], c.iloc[:0], c.iloc[:0])
    >>> lay.stations is None
    True
    """

    communes: gpd.GeoDataFrame
    qpv: gpd.GeoDataFrame
    bien: gpd.GeoDataFrame
    zone_tampon: gpd.GeoDataFrame
    cites: gpd.GeoDataFrame
    stations: gpd.GeoDataFrame | None = None
    centres: gpd.GeoDataFrame | None = None
    sites: gpd.GeoDataFrame | None = None


def builtin_layers() -> LookupLayers:
    """Return the mirror's layers for :func:`lookup` (the Nord and the Pas-de-Calais).

    Returns
    -------
    LookupLayers
        Communes, QPV, UNESCO property and buffer zone, cités, stations, main centres and the
        latest friche sites.

    Raises
    ------
    DataNotFoundError
        If a layer is neither in the mirror nor downloadable.

    Examples
    --------
    >>> layers = builtin_layers()  # doctest: +SKIP
    >>> len(layers.communes) > 1000  # doctest: +SKIP
    True
    """
    import warnings

    from erbm_geo import layers
    from erbm_geo.errors import DataQualityWarning
    from erbm_geo.indicators import builtin

    with warnings.catch_warnings():  # the sites' commune mismatches concern their code_insee only
        warnings.simplefilter("ignore", DataQualityWarning)
        sites = layers.friches_sites(territory="nord_pas_de_calais")
    return LookupLayers(
        layers.communes(territory="nord_pas_de_calais"),
        builtin.qpv(),
        layers.bien_inscrit(),
        layers.zone_tampon(),
        layers.cites(),
        builtin.stations(),
        builtin.centres("main"),
        sites,
    )


def _points(points: Any) -> gpd.GeoSeries:
    """Return the points as a GeoSeries in the working CRS, aligned on the input's index."""
    if isinstance(points, gpd.GeoDataFrame | gpd.GeoSeries):
        if points.crs is None:
            from erbm_geo.errors import CRSError

            raise CRSError("points have no CRS: set it (e.g. points.set_crs('EPSG:4326'))")
        geo = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
        return geo.to_crs(settings.crs)
    if isinstance(points, pd.DataFrame):
        missing = [c for c in ("lon", "lat") if c not in points.columns]
        if missing:
            raise MissingColumnError(f"points lack {missing}: give lon and lat columns in degrees (WGS84)")
        lon = pd.to_numeric(points["lon"], errors="coerce").to_numpy(dtype="float64")
        lat = pd.to_numeric(points["lat"], errors="coerce").to_numpy(dtype="float64")
        index = points.index
    else:
        pairs = np.asarray(list(points), dtype="float64").reshape(-1, 2)
        lon, lat, index = pairs[:, 0], pairs[:, 1], pd.RangeIndex(len(pairs))
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    geoms = np.full(len(lon), None, dtype=object)
    geoms[ok] = shapely.points(lon[ok], lat[ok])
    return gpd.GeoSeries(geoms, index=index, crs="EPSG:4326").to_crs(settings.crs)


def _inside(pts: np.ndarray, polys: gpd.GeoDataFrame) -> np.ndarray:
    """Position in *polys* of the polygon each point lies in (first by position), -1 outside."""
    out = np.full(len(pts), -1, dtype="int64")
    if not len(polys) or not len(pts):
        return out
    p, g = shapely.STRtree(polys.geometry.to_numpy()).query(pts, predicate="intersects")
    order = np.lexsort((g, p))  # the first polygon by position for each point
    p, g = p[order], g[order]
    first = np.r_[True, p[1:] != p[:-1]] if len(p) else np.zeros(0, dtype=bool)
    out[p[first]] = g[first]
    return out


def _take(values: pd.Series | pd.Index, idx: np.ndarray, dtype: str = "string") -> pd.Series:
    """Return ``values[idx]`` by position, <NA> where idx is -1."""
    arr = np.asarray(values, dtype=object)
    out = np.full(len(idx), None, dtype=object)
    found = idx >= 0
    out[found] = arr[idx[found]]
    return pd.Series(out, dtype=dtype)


def _nearest_cols(
    pts: np.ndarray, ok: np.ndarray, layer: gpd.GeoDataFrame, name: str, label: str
) -> dict[str, Any]:
    idx = np.full(len(pts), -1, dtype="int64")
    dist = np.full(len(pts), np.nan)
    if ok.any() and len(layer):
        i, d = nearest(pts[ok], layer.geometry.to_numpy())
        idx[ok], dist[ok] = i, d
    return {f"{name}_nom": _take(layer[label], idx), f"{name}_distance_m": dist}


def lookup(points: Any, *, layers: LookupLayers | None = None) -> pd.DataFrame:
    """Say what lies at each point: commune, EPCI, QPV, UNESCO status, cité, nearest places.

    Parameters
    ----------
    points : GeoDataFrame, GeoSeries, DataFrame or sequence of (lon, lat)
        Points in any CRS (a GeoDataFrame or GeoSeries with its CRS), or a DataFrame with
        ``lon`` and ``lat`` columns in degrees, or pairs (lon, lat).
    layers : LookupLayers, optional
        The layers to read; by default :func:`builtin_layers` (the mirror's).

    Returns
    -------
    pandas.DataFrame
        Aligned on the input's index (a RangeIndex for pairs): ``code_insee``, ``commune``,
        ``siren_epci``, ``epci``, ``in_basin``; ``code_qpv``, ``qpv`` (NA outside) and
        ``qpv_distance_m``; ``unesco`` (« bien inscrit », « zone tampon » or « aucun ») and
        ``unesco_element``; ``cite_id``, ``cite``, ``type_cite``, ``erbm``; ``station_nom``,
        ``station_distance_m``, ``centre_nom``, ``centre_distance_m``, ``friche_nom``,
        ``friche_distance_m`` when those layers are given. A point without usable
        coordinates (missing, not finite, out of range) gets empty answers and is counted in
        ``attrs["unusable"]`` (its labels), never dropped.

    Raises
    ------
    EmptyInputError
        If there is no point.
    MissingColumnError
        If a DataFrame has no ``lon``/``lat`` columns.
    CRSError
        If a GeoDataFrame has no CRS.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> c = example_communes().assign(in_basin=True)
    >>> none = c.iloc[:0]
    >>> cites = none.assign(type_cite=[], erbm_programme=[])
    >>> lay = LookupLayers(c, none, none, none, cites)
    >>> pt = c.geometry.iloc[0].representative_point()
    >>> got = lookup(gpd.GeoSeries([pt], crs=c.crs), layers=lay)
    >>> got.at[0, "code_insee"] == c.index[0], got.at[0, "unesco"]
    (True, 'aucun')
    """
    lay = layers or builtin_layers()
    geo = _points(points)
    if not len(geo):
        raise EmptyInputError("lookup: no point given")
    pts = geo.to_numpy()
    ok = ~pd.isna(pts)
    pts = pts.copy()
    pts[~ok] = shapely.Point()  # empty points match nothing
    c = _inside(pts, lay.communes)
    q = _inside(pts, lay.qpv)
    b = _inside(pts, lay.bien)
    z = _inside(pts, lay.zone_tampon)
    ct = _inside(pts, lay.cites)
    out: dict[str, Any] = {
        "code_insee": _take(lay.communes.index, c),
        "commune": _take(lay.communes["nom"], c),
        "siren_epci": _take(lay.communes["siren_epci"], c),
        "epci": _take(lay.communes["nom_epci"], c),
        "in_basin": _take(lay.communes["in_basin"], c, "boolean"),
        "code_qpv": _take(lay.qpv.index, q),
        "qpv": _take(lay.qpv["nom"], q),
    }
    qd = _nearest_cols(pts, ok, lay.qpv, "qpv", "nom")
    out["qpv_distance_m"] = qd["qpv_distance_m"]
    unesco = np.where(b >= 0, "bien inscrit", np.where(z >= 0, "zone tampon", "aucun"))
    out["unesco"] = pd.array(unesco.astype(object), dtype="string")
    out["unesco"][~ok] = pd.NA
    out["unesco_element"] = _take(lay.bien.index, b)
    out.update(
        {
            "cite_id": _take(lay.cites.index, ct),
            "cite": _take(lay.cites["nom"], ct),
            "type_cite": _take(lay.cites["type_cite"], ct),
            "erbm": _take(lay.cites["erbm_programme"], ct, "boolean"),
        }
    )
    for name, layer, label in (
        ("station", lay.stations, "nom"),
        ("centre", lay.centres, "nom"),
        ("friche", lay.sites, "site_nom"),
    ):
        if layer is not None:
            out.update(_nearest_cols(pts, ok, layer, name, label))
    # by position: the Series of _take are on a RangeIndex, the answer on the points' index
    table = pd.DataFrame(
        {k: v.array if isinstance(v, pd.Series) else v for k, v in out.items()}, index=geo.index
    )
    table.attrs["unusable"] = [x for x, good in zip(geo.index, ok, strict=True) if not good]
    return table
