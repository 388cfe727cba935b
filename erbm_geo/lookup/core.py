"""« Qu'y a-t-il ici ? »: what lies at any point or list of points, in one indexed pass per layer.

:func:`lookup` answers for each point: its commune, EPCI and IRIS, whether it is in the basin,
the QPV it lies in (and the distance to the nearest), its UNESCO status (element of the
property, buffer zone or none), the cité minière it lies in, the nearest station, main centre
and friche site. Each layer is one bulk query over a chunk of points (a prepared STRtree
point-in-polygon or nearest search), never a loop over points; the points go through in chunks,
so a million of them take bounded memory.

Rules
-----
- A point on a boundary lies in the polygons it touches (closed polygons); when it lies in
  several polygons of one layer (a shared commune edge, IRIS or cités that overlap), the answer
  is the polygon whose code sorts first (the lowest INSEE code, IRIS code, QPV code, cité id,
  element number), and ``cites_n`` counts the cités at the point.
- A point in a hole is not in the polygon.
- A usable point outside the communes' layer (the Nord and the Pas-de-Calais) gets no commune,
  ``in_basin`` false, no nearest friche site (the sites cover those two départements only) and
  the ``remarque`` « hors du Nord et du Pas-de-Calais »; QPV, UNESCO, station and centre answers
  stay (the QPV and stations cover France).
- A row without usable coordinates keeps its place with empty answers and its reason in
  ``remarque`` (:data:`~erbm_geo.lookup.points.REASONS`); ``attrs["unusable"]`` lists its label.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, fields, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pandas.api.extensions import ExtensionArray

from erbm_geo.errors import EmptyInputError, InvalidOptionError, MissingColumnError
from erbm_geo.geom.kernels import nearest
from erbm_geo.geom.partitioned import is_partitioned, own_copy, require_dask
from erbm_geo.lookup.points import REASONS, Points, to_points

__all__ = ["LOOKUP_COLUMNS", "OUTSIDE", "LookupLayers", "builtin_layers", "lookup"]

#: The remark of a usable point outside the communes' layer.
OUTSIDE = "hors du Nord et du Pas-de-Calais : commune, IRIS et friche non renseignés"

#: Every column :func:`lookup` may return, in order (each one a row of the vocabulary registry).
LOOKUP_COLUMNS = (
    "code_insee",
    "nom_commune",
    "siren_epci",
    "nom_epci",
    "in_basin",
    "code_iris",
    "nom_iris",
    "qpv_code",
    "qpv_nom",
    "qpv_distance_m",
    "unesco_statut",
    "unesco_element",
    "cite_id",
    "cite_nom",
    "type_cite",
    "erbm_programme",
    "cites_n",
    "station_proche",
    "station_proche_distance_m",
    "centre_proche",
    "centre_proche_distance_m",
    "friche_site_id",
    "friche_site_nom",
    "friche_site_statut",
    "friche_site_distance_m",
    "remarque",
)


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
        Points with ``nom`` (stations, centres) or ``site_nom`` and ``site_statut`` (friche
        sites); None leaves their columns out (never faked).
    iris : geopandas.GeoDataFrame or None
        Indexed by ``code_iris``, with ``nom_iris``; None leaves the IRIS columns out.

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
    iris: gpd.GeoDataFrame | None = None


def builtin_layers() -> LookupLayers:
    """Return the mirror's layers for :func:`lookup`.

    Returns
    -------
    LookupLayers
        The communes and IRIS of the Nord and the Pas-de-Calais, the QPV and stations of
        France, the UNESCO property and buffer zone, the cités, the 8 main centres and the
        latest Cartofriches sites of the two départements.

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
        layers.iris(territory="france"),
    )


class _Polygons:
    """A polygon layer ready for bulk point-in-polygon: its tree and each polygon's rank by code."""

    def __init__(self, layer: gpd.GeoDataFrame) -> None:
        self.n = len(layer)
        # own geometry objects, prepared: preparing the layer's own would share GEOS indexes
        # between threads that look up at once (dask partitions), which corrupts them
        self.geoms = shapely.from_wkb(shapely.to_wkb(layer.geometry.to_numpy()))
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)
        # rank of each polygon by its code: among polygons holding a point, the lowest code wins
        self.rank = np.empty(self.n, dtype=np.int64)
        self.rank[np.argsort(layer.index.astype(str).to_numpy(), kind="stable")] = np.arange(self.n)

    def find(self, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Position of the polygon holding each point (-1 if none), and how many hold it."""
        out = np.full(len(pts), -1, dtype=np.int64)
        count = np.zeros(len(pts), dtype=np.int64)
        if not self.n or not len(pts):
            return out, count
        # candidates by bounding box, then the exact test against prepared polygons (a point
        # in a prepared polygon is an indexed search, not a walk along every edge)
        p, g = self.tree.query(pts)
        hit = shapely.intersects(self.geoms[g], pts[p])
        p, g = p[hit], g[hit]
        if not len(p):
            return out, count
        order = np.lexsort((self.rank[g], p))
        p, g = p[order], g[order]
        first = np.r_[True, p[1:] != p[:-1]]
        out[p[first]] = g[first]
        count += np.bincount(p, minlength=len(pts))
        return out, count


def _take(values: pd.Series | pd.Index, idx: np.ndarray, dtype: str = "string") -> ExtensionArray:
    """Return ``values[idx]`` by position, <NA> where idx is -1."""
    arr = np.asarray(values, dtype=object)
    if dtype == "string":  # the layer's labels as text once, not each point's
        arr = np.array([None if pd.isna(v) else str(v) for v in arr], dtype=object)
    out = np.full(len(idx), None, dtype=object)
    found = idx >= 0
    out[found] = arr[idx[found]]
    result: ExtensionArray = pd.Series(out, dtype=dtype).array
    return result


def _check(lay: LookupLayers) -> None:
    need = {
        "communes": (lay.communes, ("nom", "siren_epci", "nom_epci", "in_basin")),
        "qpv": (lay.qpv, ("nom",)),
        "cites": (lay.cites, ("nom", "type_cite", "erbm_programme")),
        "iris": (lay.iris, ("nom_iris",)),
        "stations": (lay.stations, ("nom",)),
        "centres": (lay.centres, ("nom",)),
        "sites": (lay.sites, ("site_nom", "site_statut")),
    }
    for name, (layer, cols) in need.items():
        if layer is None:
            continue
        missing = [c for c in cols if c not in layer.columns]
        if missing:
            raise MissingColumnError(
                f"lookup: the {name} layer lacks {missing}; give a layer with {list(cols)}"
            )
        if not layer.index.is_unique:
            raise InvalidOptionError(f"lookup: the {name} layer's index is not unique: index it by its code")


def lookup(
    points: Any,
    *,
    layers: LookupLayers | None = None,
    lon: str = "lon",
    lat: str = "lat",
    chunk_size: int = 200_000,
) -> pd.DataFrame:
    """Say what lies at each point: commune, EPCI, IRIS, QPV, UNESCO status, cité, nearest places.

    Parameters
    ----------
    points : GeoDataFrame, GeoSeries, DataFrame, sequence of (lon, lat), Points, or dask
        Points in any CRS (a layer with its CRS), a table with longitude and latitude columns in
        degrees (WGS84; numbers or text with a decimal point or comma), (lon, lat) pairs, the
        result of :func:`~erbm_geo.lookup.to_points`, or a dask-geopandas GeoDataFrame or dask
        DataFrame of any of those (the answer is then lazy, partition by partition).
    layers : LookupLayers, optional
        The layers to read; by default :func:`builtin_layers` (the mirror's).
    lon, lat : str, default "lon" and "lat"
        The coordinate columns of a table.
    chunk_size : int, default 200_000
        Points queried at once: memory grows with it, not with the number of points.

    Returns
    -------
    pandas.DataFrame
        Aligned on the input's index (a RangeIndex for pairs), the columns of
        :data:`LOOKUP_COLUMNS` (those of a layer given as None left out): ``code_insee``,
        ``nom_commune``, ``siren_epci``, ``nom_epci``, ``in_basin``; ``code_iris``,
        ``nom_iris``; ``qpv_code``, ``qpv_nom`` (NA outside a QPV) and ``qpv_distance_m`` (0
        inside); ``unesco_statut`` (« bien inscrit », « zone tampon » or « aucun ») and
        ``unesco_element``; ``cite_id``, ``cite_nom``, ``type_cite``, ``erbm_programme``,
        ``cites_n``; the nearest station, main centre and friche site with their distances in
        metres; ``remarque`` (empty, or why a row has no or partial answers). The module's
        rules say which polygon a point on a boundary gets. ``attrs["unusable"]`` lists the
        labels of rows without usable coordinates, ``attrs["outside"]`` those outside the
        communes' layer (in memory only). For a dask input, a lazy dask DataFrame with the
        same columns.

    Raises
    ------
    EmptyInputError
        If there is no point.
    MissingColumnError
        If a table lacks its coordinate columns, or a layer a column listed above.
    CRSError
        If a layer of points has no CRS.
    InvalidGeometryError
        If a layer of points holds other geometries.
    InvalidOptionError
        If *chunk_size* is not a positive integer, or a layer's index is not unique.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> c = example_communes().assign(in_basin=True)
    >>> none = c.iloc[:0]
    >>> cites = none.assign(type_cite=[], erbm_programme=[])
    >>> lay = LookupLayers(c, none, none, none, cites)
    >>> pt = c.geometry.iloc[0].representative_point()
    >>> got = lookup(gpd.GeoSeries([pt], crs=c.crs), layers=lay)
    >>> got.at[0, "code_insee"] == c.index[0], got.at[0, "unesco_statut"]
    (True, 'aucun')
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int | np.integer) or chunk_size < 1:
        raise InvalidOptionError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    lay = layers or builtin_layers()
    _check(lay)
    if is_partitioned(points):
        return _lookup_partitioned(points, lay, int(chunk_size), lon, lat)
    pts = points if isinstance(points, Points) else to_points(points, lon=lon, lat=lat)
    if not len(pts):
        raise EmptyInputError("lookup: no point given")
    return _lookup(pts, lay, int(chunk_size))


def _lookup(pts: Points, lay: LookupLayers, chunk_size: int) -> pd.DataFrame:
    """Answer every point, *chunk_size* at a time, one bulk query per layer and chunk."""
    poly = {
        name: _Polygons(layer)
        for name, layer in (
            ("communes", lay.communes),
            ("qpv", lay.qpv),
            ("bien", lay.bien),
            ("zone_tampon", lay.zone_tampon),
            ("cites", lay.cites),
            ("iris", lay.iris),
        )
        if layer is not None
    }
    near = {
        k: v
        for k, v in (
            ("qpv_near", lay.qpv),
            ("station", lay.stations),
            ("centre", lay.centres),
            ("friche", lay.sites),
        )
        if v is not None
    }
    found = {k: np.full(len(pts), -1, dtype=np.int64) for k in [*poly, *near]}
    dist = {k: np.full(len(pts), np.nan) for k in near}
    n_cites = np.zeros(len(pts), dtype=np.int64)
    ok = pts.ok
    for start in range(0, len(pts), chunk_size):
        sl = slice(start, start + chunk_size)
        chunk = pts.geometry[sl]
        for name, p in poly.items():
            found[name][sl], count = p.find(chunk)
            if name == "cites":
                n_cites[sl] = count
        good = np.flatnonzero(ok[sl]) + start
        for name, layer in near.items():
            todo = good[found["qpv"][good] < 0] if name == "qpv_near" else good  # in a QPV: 0
            if len(todo) and len(layer):
                i, d = nearest(pts.geometry[todo], layer.geometry.to_numpy())
                found[name][todo], dist[name][todo] = i, d
    return _table(lay, pts, found, dist, n_cites)


def _lookup_partitioned(points: Any, lay: LookupLayers, chunk_size: int, lon: str, lat: str) -> pd.DataFrame:
    """Answer a dask (Geo)DataFrame lazily, partition by partition (each one in bounded memory)."""
    require_dask()
    empty = Points(np.empty(0, dtype=object), points._meta.index[:0], np.empty(0, dtype=object))
    meta = _lookup(empty, lay, chunk_size)
    lazy: pd.DataFrame = points.map_partitions(_partition, lay, chunk_size, lon, lat, meta=meta)
    return lazy  # a dask DataFrame, typed as what it computes to (dask follows the pandas API)


def _partition(part: pd.DataFrame, lay: LookupLayers, chunk_size: int, lon: str, lat: str) -> pd.DataFrame:
    # this thread's copies of the layers: the kernels prepare and index the targets they are
    # given, and GEOS indexes shared by threads that look up at once are corrupted
    mine = replace(
        lay, **{f.name: own_copy(v) for f in fields(lay) if (v := getattr(lay, f.name)) is not None}
    )
    return _lookup(to_points(part, lon=lon, lat=lat), mine, chunk_size)


def _table(
    lay: LookupLayers,
    pts: Points,
    found: dict[str, np.ndarray],
    dist: dict[str, np.ndarray],
    n_cites: np.ndarray,
) -> pd.DataFrame:
    """Assemble the answers of :func:`lookup` from the positions found in each layer."""
    ok = pts.ok
    c = found["communes"]
    outside = ok & (c < 0)
    out: dict[str, Any] = {
        "code_insee": _take(lay.communes.index, c),
        "nom_commune": _take(lay.communes["nom"], c),
        "siren_epci": _take(lay.communes["siren_epci"], c),
        "nom_epci": _take(lay.communes["nom_epci"], c),
    }
    basin = _take(lay.communes["in_basin"], c, "boolean")
    basin[outside] = False
    out["in_basin"] = basin
    if lay.iris is not None:
        out["code_iris"] = _take(lay.iris.index, found["iris"])
        out["nom_iris"] = _take(lay.iris["nom_iris"], found["iris"])
    out["qpv_code"] = _take(lay.qpv.index, found["qpv"])
    out["qpv_nom"] = _take(lay.qpv["nom"], found["qpv"])
    out["qpv_distance_m"] = np.where(found["qpv"] >= 0, 0.0, dist["qpv_near"])
    b, z = found["bien"], found["zone_tampon"]
    statut = np.where(b >= 0, "bien inscrit", np.where(z >= 0, "zone tampon", "aucun")).astype(object)
    statut[~ok] = None
    out["unesco_statut"] = pd.array(statut, dtype="string")
    out["unesco_element"] = _take(lay.bien.index, b)
    ct = found["cites"]
    out["cite_id"] = _take(lay.cites.index, ct)
    out["cite_nom"] = _take(lay.cites["nom"], ct)
    out["type_cite"] = _take(lay.cites["type_cite"], ct)
    out["erbm_programme"] = _take(lay.cites["erbm_programme"], ct, "boolean")
    out["cites_n"] = pd.array(np.where(ok, n_cites, 0), dtype="Int64")
    out["cites_n"][~ok] = pd.NA
    for name, col, layer, label in (
        ("station", "station_proche", lay.stations, "nom"),
        ("centre", "centre_proche", lay.centres, "nom"),
    ):
        if layer is not None:
            out[col] = _take(layer[label], found[name])
            out[f"{col}_distance_m"] = dist[name]
    if lay.sites is not None:
        f = np.where(outside, -1, found["friche"])
        out["friche_site_id"] = _take(lay.sites.index, f)
        out["friche_site_nom"] = _take(lay.sites["site_nom"], f)
        out["friche_site_statut"] = _take(lay.sites["site_statut"].astype(str), f)
        out["friche_site_distance_m"] = np.where(outside, np.nan, dist["friche"])
    remarque = np.array([REASONS.get(str(r), "") if r is not None else "" for r in pts.reason], dtype=object)
    remarque[outside] = OUTSIDE
    out["remarque"] = pd.array(remarque, dtype="string")
    table = pd.DataFrame(out, index=pts.index)
    table.attrs["unusable"] = pts.index[~ok].tolist()
    table.attrs["outside"] = pts.index[outside].tolist()
    return table
