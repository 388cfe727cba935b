"""Input checks shared by the geometry core, loaders and outputs (depends only on errors and settings).

Every check raises a specific :mod:`erbm_geo.errors` exception that names the layer, the problem and
the fix; none silently drops a feature.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from pyproj import Transformer
from pyproj.exceptions import ProjError

from erbm_geo import settings
from erbm_geo.errors import (
    CRSError,
    DataFormatError,
    EmptyInputError,
    InvalidGeometryError,
    MissingColumnError,
    OutOfAreaError,
)
from erbm_geo.geom.memo import memo_for

__all__ = [
    "AREA_BOUNDS",
    "CANDIDATE_CRS",
    "LINEAR",
    "POLYGONAL",
    "PUNCTUAL",
    "REGION_BOUNDS",
    "check_area",
    "check_columns",
    "check_geometries",
    "check_layer",
    "check_not_empty",
    "check_region",
    "check_unique_columns",
    "contradiction_error",
    "crs_contradiction",
    "same_crs",
    "to_working_crs",
    "working_bounds",
]

POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
LINEAR = frozenset({"LineString", "MultiLineString"})
PUNCTUAL = frozenset({"Point", "MultiPoint"})


def check_not_empty(gdf: pd.DataFrame, *, name: str = "layer") -> None:
    """Raise :class:`EmptyInputError` when *gdf* has no rows.

    Parameters
    ----------
    gdf : pandas.DataFrame
        The table or layer.
    name : str, default "layer"
        Its name in the message.

    Raises
    ------
    EmptyInputError
        If *gdf* has no rows.

    Examples
    --------
    >>> check_not_empty(gpd.GeoDataFrame(geometry=[], crs=2154), name="cités")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.EmptyInputError: cités is empty (0 features); check the selection ...
    """
    if len(gdf) == 0:
        raise EmptyInputError(
            f"{name} is empty (0 features); check the selection or filter that produced it."
        )


def check_columns(df: pd.DataFrame, columns: Iterable[str], *, name: str = "layer") -> None:
    """Raise :class:`MissingColumnError` naming every missing column.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    columns : iterable of str
        The columns it needs.
    name : str, default "layer"
        The table's name in the message.

    Raises
    ------
    MissingColumnError
        If a column is missing, naming them all and the available ones.

    Examples
    --------
    >>> check_columns(pd.DataFrame({"nom": ["Lens"]}), ["nom", "population"], name="communes")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.MissingColumnError: communes lacks column(s) ['population']; available: ['nom']
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise MissingColumnError(f"{name} lacks column(s) {missing}; available: {list(df.columns)}")


#: Where features may lie, in EPSG:2154 (xmin, ymin, xmax, ymax): metropolitan France with a
#: margin of about 300 km (Belgium, Luxembourg, Switzerland, the Channel). Lambert-93 means
#: nothing farther away; a feature outside is almost always a CRS mistake.
AREA_BOUNDS = (-700_000.0, 5_700_000.0, 1_700_000.0, 7_500_000.0)


def _looks_like_degrees(b: np.ndarray) -> bool:
    return bool(np.all(np.abs(b[:, [0, 2]]) <= 180) and np.all(np.abs(b[:, [1, 3]]) <= 90))


def check_area(
    gdf: gpd.GeoDataFrame,
    *,
    name: str = "layer",
    declared: str | None = None,
    bounds: np.ndarray | None = None,
) -> None:
    """Raise :class:`OutOfAreaError` when a feature lies outside :data:`AREA_BOUNDS`.

    A strict check for callers who need metropolitan France (the library's own entry points
    refuse only coordinates impossible in their CRS, see :func:`to_working_crs`). *gdf* is in
    EPSG:2154; the error names the layer, the rows and the likely cause.

    Cheap: one vectorised bounds computation, no per-geometry work in Python. Features with
    non-finite coordinates are left to :func:`check_geometries`.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        In EPSG:2154.
    name : str, default "layer"
        The layer's name in the message.
    declared : str, optional
        The CRS the caller declared (before reprojection), quoted in the message.
    bounds : numpy.ndarray, optional
        ``shapely.bounds`` of the geometries, when the caller already has them.

    Raises
    ------
    OutOfAreaError
        If a feature lies outside :data:`AREA_BOUNDS`, naming the rows and the likely cause.

    Examples
    --------
    >>> import shapely
    >>> lonlat = gpd.GeoDataFrame(geometry=[shapely.Point(3.0, 50.4)], crs="EPSG:2154")
    >>> check_area(lonlat, name="cités")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.OutOfAreaError: cités: 1 of 1 feature(s) lie outside metropolitan France in EPSG:2154 ...
    """
    if len(gdf) == 0:
        return
    b = shapely.bounds(np.asarray(gdf.geometry.values, dtype=object)) if bounds is None else bounds
    finite = np.isfinite(b).all(axis=1)
    x0, y0, x1, y1 = AREA_BOUNDS
    out = finite & ((b[:, 0] < x0) | (b[:, 1] < y0) | (b[:, 2] > x1) | (b[:, 3] > y1))
    if not out.any():
        return
    bad = b[out]
    crs = declared or (gdf.crs.to_string() if gdf.crs is not None else "EPSG:2154")
    if _looks_like_degrees(bad):
        cause = (
            f"the coordinates look like degrees (longitude/latitude) but the CRS says {crs}: "
            "declare the right one, e.g. gdf.set_crs('EPSG:4326', allow_override=True)"
        )
    else:
        cause = (
            "this check asks for metropolitan France: a layer valid elsewhere (overseas, abroad) "
            f"fails it too; if they should lie there, they are in another CRS than the declared {crs} "
            "(erbm_geo.geom.validate.crs_contradiction tells which)"
        )
    labels = list(gdf.index[out][:10])
    raise OutOfAreaError(
        f"{name}: {int(out.sum())} of {len(gdf)} feature(s) lie outside metropolitan France in "
        f"EPSG:2154 (index {labels}; bounds {np.round(bad[0], 1).tolist()}, expected within "
        f"{list(AREA_BOUNDS)}); {cause}."
    )


_WORKING: dict[tuple[int, str], tuple[object, bool]] = {}


def _is_working_crs(crs: object) -> bool:
    """Return ``crs.equals(settings.crs)``, remembered per CRS object (pyproj comparisons are slow)."""
    key = (id(crs), str(settings.crs))
    held = _WORKING.get(key)
    if held is None or held[0] is not crs:
        if len(_WORKING) > 256:
            _WORKING.clear()
        held = (crs, bool(crs.equals(settings.crs)))  # type: ignore[attr-defined]
        _WORKING[key] = held
    return held[1]


def to_working_crs(gdf: gpd.GeoDataFrame, *, name: str = "layer") -> gpd.GeoDataFrame:
    """Return *gdf* in the working CRS (EPSG:2154), reprojecting when needed.

    The coordinates are checked against the declared CRS, for what they contradict by
    themselves: values beyond ±180/±90 declared as degrees, a whole layer within ±180/±90
    declared in a projected CRS (degrees declared as metres), coordinates outside the domain of
    the declared projection. A layer valid in its CRS but far from the Bassin minier (the
    overseas QPV of the national file) passes; whether a layer lies where it should is judged
    against the layer it is used with (:func:`crs_contradiction`).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, in its declared CRS.
    name : str, default "layer"
        Its name in messages.

    Returns
    -------
    geopandas.GeoDataFrame
        *gdf* in EPSG:2154 (the same object when it already was).

    Raises
    ------
    TypeError
        If *gdf* is not a GeoDataFrame.
    CRSError
        When *gdf* has no CRS (erbm_geo never guesses one), or a CRS not tied to the Earth
        (a local engineering system), or one that cannot be reprojected to Lambert-93.
    OutOfAreaError
        When the coordinates cannot be in the declared CRS (the message says which CRS they
        look like, with ``set_crs``).

    Examples
    --------
    >>> import shapely
    >>> g = gpd.GeoDataFrame(geometry=[shapely.Point(2.83, 50.43)], crs=4326)
    >>> to_working_crs(g, name="mairies").crs.to_epsg()
    2154
    >>> to_working_crs(g.set_crs(2154, allow_override=True), name="mairies")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.OutOfAreaError: mairies: 1 of 1 feature(s) (index [0]) have coordinates within ...
    """
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError(f"{name} must be a GeoDataFrame, got {type(gdf).__name__}")
    crs = gdf.crs
    if crs is None:
        raise CRSError(
            f"{name} has no CRS. Set the one its coordinates are in, e.g. "
            "gdf.set_crs('EPSG:4326') for longitude/latitude or gdf.set_crs('EPSG:2154') for "
            "Lambert-93, then pass it again."
        )
    if _is_working_crs(crs):
        # the same geometries in the working CRS were already checked: nothing to redo
        m = memo_for(np.asarray(gdf.geometry.values, dtype=object))
        if m.derived.get("crs_ok"):
            return gdf
        _check_fits_crs(gdf, name=name)
        m.derived["crs_ok"] = True
        return gdf
    declared = gdf.crs.to_string()
    if not (crs.is_geographic or crs.is_projected):  # engineering, vertical, local…
        raise CRSError(
            f"{name} is in {declared[:120]}, a CRS that is not tied to the Earth (a local or "
            "engineering system, e.g. a site plan): it cannot be placed on a map of France. "
            "Georeference it first (in QGIS: the Georeferencer), then declare its real CRS."
        )
    before = shapely.bounds(np.asarray(gdf.geometry.values, dtype=object))
    finite = np.isfinite(before).all(axis=1)
    if gdf.crs.is_geographic and finite.any() and not _looks_like_degrees(before[finite]):
        raise OutOfAreaError(
            f"{name}: coordinates up to {np.abs(before[finite]).max():,.0f} cannot be degrees, "
            f"but the CRS says {declared} (longitude/latitude). They look like projected "
            "metres, e.g. Lambert-93. A GeoJSON file without a 'crs' member is read as WGS84: "
            "declare the right CRS, e.g. gdf.set_crs('EPSG:2154', allow_override=True)."
        )
    _check_fits_crs(gdf, name=name, bounds=before)
    try:
        out = gdf.to_crs(settings.crs)
    except (ProjError, pyproj.exceptions.CRSError) as exc:
        raise CRSError(
            f"{name}: cannot reproject from {declared[:120]} to Lambert-93 ({exc}). Check the declared CRS."
        ) from exc
    after = shapely.bounds(np.asarray(out.geometry.values, dtype=object))
    lost = finite & ~np.isfinite(after).all(axis=1)
    if lost.any():
        raise OutOfAreaError(
            f"{name}: {int(lost.sum())} feature(s) (index {list(gdf.index[lost][:10])}) cannot "
            f"be expressed in Lambert-93 (EPSG:2154) from {declared}: their coordinates lie "
            "outside the domain of that projection. Check the declared CRS."
        )
    return out


#: No coordinate in metres is larger than this (the Earth's circumference is about 40,075 km).
_EARTH_M = 4.01e7


def _check_fits_crs(gdf: gpd.GeoDataFrame, *, name: str, bounds: np.ndarray | None = None) -> None:
    """Refuse coordinates that cannot be in the declared projected CRS; name the rows.

    Only what the coordinates themselves contradict is refused: features within ±180 / ±90 of a
    projected CRS's origin (degrees declared as metres: that origin lies at sea for every CRS of
    France), coordinates larger than the Earth, or coordinates no point on the Earth has in the
    projection (turned into longitude/latitude and back, they land elsewhere or nowhere: see
    :func:`_beyond_domain`). A layer valid in its CRS but far away (overseas QPV in Lambert-93)
    passes: whether it lies where it should is judged against the layer it is used with
    (:func:`crs_contradiction`).
    """
    crs = gdf.crs
    if crs is None or crs.is_geographic or len(gdf) == 0:
        return
    b = shapely.bounds(np.asarray(gdf.geometry.values, dtype=object)) if bounds is None else bounds
    finite = np.isfinite(b).all(axis=1)
    if not finite.any():
        return  # left to check_geometries
    declared = crs.to_string()
    degrees = finite & (np.abs(b[:, [0, 2]]) <= 180).all(axis=1) & (np.abs(b[:, [1, 3]]) <= 90).all(axis=1)
    huge = finite & (np.abs(b) > _EARTH_M).any(axis=1)
    for mask, cause in (
        (
            degrees,
            f"within ±180 / ±90, which in {declared} (metres) is a few hundred metres around the "
            "projection's origin, at sea: they look like degrees (longitude/latitude). Declare the "
            "right CRS, e.g. gdf.set_crs('EPSG:4326', allow_override=True)",
        ),
        (
            huge,
            f"larger than the Earth ({_EARTH_M / 1000:,.0f} km): no CRS places them; the file is damaged "
            "or its coordinates are not in metres",
        ),
    ):
        if mask.any():
            raise OutOfAreaError(
                f"{name}: {int(mask.sum())} of {len(gdf)} feature(s) (index {list(gdf.index[mask][:10])}) "
                f"have coordinates {cause}."
            )
    try:
        beyond = _beyond_domain(crs.to_wkt(), b, finite)
    except ProjError as exc:
        raise CRSError(f"{name}: cannot place {declared[:120]} on the Earth ({exc})") from exc
    if beyond.any():
        raise OutOfAreaError(
            f"{name}: {int(beyond.sum())} of {len(gdf)} feature(s) (index {list(gdf.index[beyond][:10])}) "
            f"have coordinates (first: {np.round(b[beyond][0], 1).tolist()}) that no point on the Earth "
            f"has in {declared}: turned into longitude/latitude and back they land elsewhere (beyond "
            "the projection's pole or edge), or nowhere. The CRS is not the one the coordinates were "
            "written in, or the file is damaged."
        )


#: How far (m) a corner may land from where it started after a round trip through
#: longitude/latitude: PROJ's projections of France bring points back within millimetres.
_ROUND_TRIP_M = 1.0


@functools.lru_cache(maxsize=64)
def _area_of_use(wkt: str) -> tuple[float, float, float, float] | None:
    """Return the bounds of *wkt*'s area of use in its own coordinates, or None when it has none."""
    crs = pyproj.CRS.from_wkt(wkt)
    area = crs.area_of_use
    if area is None:
        return None
    x0, y0, x1, y1 = _transformer("EPSG:4326", wkt).transform_bounds(
        *area.bounds, densify_pts=21, errcheck=False
    )
    return (x0, y0, x1, y1) if np.all(np.isfinite((x0, y0, x1, y1))) else None


def _beyond_domain(wkt: str, b: np.ndarray, finite: np.ndarray) -> np.ndarray:
    """Return the rows whose bounds' corners do not survive a round trip through longitude/latitude.

    Inside the CRS's area of use every point does (one comparison per row); only rows outside it
    (or every row, for a CRS without one) are sent through the projection and back: a Lambert-93
    y of 28,000 km lies beyond the pole and comes back 15,000 km away.
    """
    cand = finite.copy()
    near = _area_of_use(wkt)
    if near is not None:
        x0, y0, x1, y1 = near
        cand &= (b[:, 0] < x0) | (b[:, 1] < y0) | (b[:, 2] > x1) | (b[:, 3] > y1)
    if not cand.any():
        return cand
    c = b[cand]
    x = np.concatenate([c[:, 0], c[:, 2], c[:, 0], c[:, 2]])
    y = np.concatenate([c[:, 1], c[:, 3], c[:, 3], c[:, 1]])
    lon, lat = _transformer(wkt, "EPSG:4326").transform(x, y, errcheck=False)
    x2, y2 = _transformer("EPSG:4326", wkt).transform(lon, lat, errcheck=False)
    with np.errstate(invalid="ignore"):
        ok = np.hypot(np.asarray(x2) - x, np.asarray(y2) - y) <= _ROUND_TRIP_M
    out = np.zeros(len(b), dtype=bool)
    out[cand] = ~ok.reshape(4, -1).all(axis=0)
    return out


@functools.lru_cache(maxsize=64)
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


#: The Nord and the Pas-de-Calais in EPSG:2154 (xmin, ymin, xmax, ymax), rounded outward to the
#: kilometre: the bounds of their communes (re-derived from the mirror by a test). The region a
#: layer of this library is expected near, when nothing else says where it should be.
REGION_BOUNDS = (597_000.0, 6_986_000.0, 789_000.0, 7_111_000.0)

#: CRSs a layer is commonly written in by mistake for another (tried by :func:`crs_contradiction`).
CANDIDATE_CRS = ("EPSG:4326", "EPSG:3857", "EPSG:2154", "EPSG:27572", "EPSG:32631", "EPSG:3035")


def _box_distance(a: tuple[float, ...] | np.ndarray, b: tuple[float, ...] | np.ndarray) -> float:
    dx = max(0.0, b[0] - a[2], a[0] - b[2])
    dy = max(0.0, b[1] - a[3], a[1] - b[3])
    return float(np.hypot(dx, dy))


def check_region(gdf: gpd.GeoDataFrame, *, name: str = "layer") -> None:
    """Raise :class:`OutOfAreaError` when a layer's coordinates contradict its CRS near the region.

    The library's layers are about the Nord and the Pas-de-Calais. A layer that, read in its
    declared CRS, lies far from them, but read in another common CRS (:data:`CANDIDATE_CRS`)
    falls on them, was almost certainly declared wrong — Web-Mercator metres declared as
    Lambert-93 land near La Rochelle. A layer simply elsewhere (Marseille, the overseas QPV)
    passes. ``gdf.attrs["crs_confirmed"] = True`` says the layer really lies where its CRS says.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, in its declared CRS.
    name : str, default "layer"
        Its name in the message.

    Raises
    ------
    OutOfAreaError
        Naming the CRS the coordinates were probably written in, with ``set_crs``.

    Examples
    --------
    >>> import shapely
    >>> lens = gpd.GeoDataFrame(geometry=[shapely.Point(2.83, 50.43)], crs=4326)
    >>> check_region(lens.to_crs(3857).set_crs(2154, allow_override=True), name="logements")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.OutOfAreaError: logements: read in the declared EPSG:2154 they lie ... EPSG:3857 ...
    >>> check_region(lens.to_crs(2154), name="logements")
    """
    if gdf.crs is None or len(gdf) == 0 or gdf.attrs.get("crs_confirmed"):
        return
    m = memo_for(np.asarray(gdf.geometry.values, dtype=object))
    box = m.get("total_bounds", lambda: tuple(shapely.total_bounds(m.geoms)))
    found = m.get(("region", gdf.crs.to_wkt()), lambda: crs_contradiction(box, gdf.crs, REGION_BOUNDS))
    if found is not None:
        raise contradiction_error(name, gdf.crs, found, "the Nord and the Pas-de-Calais")


def contradiction_error(name: str, declared: object, found: tuple[str, float], where: str) -> OutOfAreaError:
    """Return the error saying that *name*'s coordinates contradict their declared CRS.

    Parameters
    ----------
    name : str
        The layer.
    declared : pyproj.CRS or str
        Its declared CRS.
    found : (str, float)
        What :func:`crs_contradiction` found.
    where : str
        What the layer should lie near.

    Returns
    -------
    OutOfAreaError
        The error, naming the CRS to declare and how to say the layer really lies there.

    Examples
    --------
    >>> str(contradiction_error("cités", "EPSG:2154", ("EPSG:3857", 420_000.0), "the QPV"))[:53]
    'cités: read in the declared EPSG:2154 they lie 420 km'
    """
    cand, far = found
    crs = declared.to_string() if hasattr(declared, "to_string") else str(declared)
    return OutOfAreaError(
        f"{name}: read in the declared {crs} they lie {far / 1000:,.0f} km from {where}, but read "
        f"in {cand} they fall on them: the coordinates were probably written in {cand}. Declare "
        f"it: layer = layer.set_crs('{cand}', allow_override=True). If the layer really lies "
        "there, say so: layer.attrs['crs_confirmed'] = True."
    )


def working_bounds(bounds: tuple[float, ...] | np.ndarray, crs: object) -> tuple[float, ...]:
    """Return *bounds* (in *crs*) as bounds in the working CRS (EPSG:2154), densified.

    Parameters
    ----------
    bounds : sequence of 4 floats
        ``(xmin, ymin, xmax, ymax)`` in *crs*.
    crs : pyproj.CRS or str
        Their CRS.

    Returns
    -------
    tuple of float
        The bounds in EPSG:2154 (infinite where the projection cannot express them).

    Examples
    --------
    >>> b = working_bounds((2.8, 50.4, 2.9, 50.5), "EPSG:4326")
    >>> [round(v / 1000) for v in b]
    [686, 7034, 693, 7045]
    """
    if (hasattr(crs, "equals") and _is_working_crs(crs)) or str(crs) == str(settings.crs):
        return tuple(float(v) for v in bounds)
    src = crs.to_wkt() if hasattr(crs, "to_wkt") else str(crs)
    dst = str(settings.crs)
    x0, y0, x1, y1 = (float(v) for v in bounds)
    out = _transformer(src, dst).transform_bounds(x0, y0, x1, y1, errcheck=False)
    return tuple(float(v) for v in out)


def crs_contradiction(
    bounds: tuple[float, ...] | np.ndarray,
    declared: object,
    reference: tuple[float, ...] | np.ndarray,
    *,
    gap: float = 50_000.0,
) -> tuple[str, float] | None:
    """Say whether coordinates contradict their declared CRS, judged against where they should lie.

    Read in *declared*, the box *bounds* lies more than *gap* metres from *reference* (bounds in
    EPSG:2154); read in one of :data:`CANDIDATE_CRS`, it falls within *gap* of it. That is the
    signature of a wrong declaration (Web-Mercator metres declared as Lambert-93, Lambert II as
    Lambert-93…). A layer that is simply elsewhere matches no candidate: no contradiction.

    Parameters
    ----------
    bounds : sequence of 4 floats
        The layer's bounds in its declared CRS.
    declared : pyproj.CRS or str
        The declared CRS.
    reference : sequence of 4 floats
        Where the layer should lie, in EPSG:2154 (the other layer, or :data:`REGION_BOUNDS`).
    gap : float, default 50000
        How far (m) from the reference still counts as near it.

    Returns
    -------
    (str, float) or None
        The CRS the coordinates were probably written in, and how far (m) they lie from the
        reference as declared; None when there is no contradiction.

    Examples
    --------
    >>> lens_web_mercator = (315_000.0, 6_518_000.0, 316_000.0, 6_519_000.0)
    >>> crs_contradiction(lens_web_mercator, "EPSG:2154", REGION_BOUNDS)[0]
    'EPSG:3857'
    >>> marseille = (892_000.0, 6_246_000.0, 894_000.0, 6_248_000.0)  # valid, elsewhere
    >>> crs_contradiction(marseille, "EPSG:2154", REGION_BOUNDS)
    """
    b = np.asarray(bounds, dtype=float)
    if not np.all(np.isfinite(b)):
        return None
    try:
        here = working_bounds(b, declared)
    except (ProjError, pyproj.exceptions.CRSError):
        return None  # to_working_crs says what is wrong with such a CRS
    far = _box_distance(here, reference) if np.all(np.isfinite(here)) else float("inf")
    if far <= gap:
        return None
    declared_s = declared.to_string() if hasattr(declared, "to_string") else str(declared)
    degrees = _looks_like_degrees(b[None, :])
    for cand in CANDIDATE_CRS:
        if cand == declared_s or degrees != (cand == "EPSG:4326"):
            continue
        try:
            there = working_bounds(b, cand)
        except Exception:
            continue
        span = max(there[2] - there[0], there[3] - there[1]) if np.all(np.isfinite(there)) else np.inf
        if np.isfinite(span) and span < 1_000_000 and _box_distance(there, reference) <= gap:
            return cand, far
    return None


def check_layer(
    gdf: gpd.GeoDataFrame,
    *,
    name: str = "layer",
    types: Iterable[str] | None = None,
    allow_invalid: bool = True,
) -> gpd.GeoDataFrame:
    """Validate a layer for any output (maps, exports) and return it in EPSG:2154.

    A GeoDataFrame with rows, unique column names, a CRS, coordinates that fit it (see
    :func:`to_working_crs`) and geometries that are present, non-empty, finite and of an allowed
    type (see :func:`check_geometries`). Nothing is dropped: the first problem raises.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, in any CRS.
    name : str, default "layer"
        The layer's name in messages.
    types : iterable of str, optional
        The geometry types allowed; any by default.
    allow_invalid : bool, default True
        Accept invalid geometries (outputs draw them as they are).

    Returns
    -------
    geopandas.GeoDataFrame
        *gdf* in EPSG:2154 (the same object when it already was).

    Raises
    ------
    TypeError
        If *gdf* is not a GeoDataFrame.
    EmptyInputError
        If it has no rows.
    DataFormatError
        If two columns share a name.
    CRSError
        If it has no CRS.
    OutOfAreaError
        If its coordinates do not fit its CRS or lie far from France.
    InvalidGeometryError
        If a geometry is missing, empty, non-finite or of a type not allowed.

    Examples
    --------
    >>> import shapely
    >>> g = gpd.GeoDataFrame({"nom": ["Lens"]}, geometry=[shapely.Point(2.83, 50.43)], crs=4326)
    >>> check_layer(g, name="mairies").crs.to_epsg()
    2154
    """
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError(f"{name} must be a GeoDataFrame, got {type(gdf).__name__}")
    check_not_empty(gdf, name=name)
    check_unique_columns(gdf, name=name)
    out = to_working_crs(gdf, name=name)
    check_region(gdf, name=name)
    check_geometries(out, name=name, types=types, allow_invalid=allow_invalid)
    return out


def check_unique_columns(df: pd.DataFrame, *, name: str = "layer") -> None:
    """Raise :class:`DataFormatError` when *df* has duplicate column names.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    name : str, default "layer"
        Its name in the message.

    Raises
    ------
    DataFormatError
        If a column name appears twice, with the fix.

    Examples
    --------
    >>> check_unique_columns(pd.DataFrame([[1, 2]], columns=["a", "a"]), name="t")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.DataFormatError: t has duplicate column names ['a']; rename them first, ...
    """
    cols = pd.Index(df.columns)
    if not cols.is_unique:
        dup = sorted({str(c) for c in cols[cols.duplicated()]})
        raise DataFormatError(
            f"{name} has duplicate column names {dup}; rename them first, e.g. "
            "df.columns = [...] or df.loc[:, ~df.columns.duplicated()]."
        )


def same_crs(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame, *, names: tuple[str, str]) -> None:
    """Raise :class:`CRSError` unless *a* and *b* have the same, defined CRS.

    Parameters
    ----------
    a, b : geopandas.GeoDataFrame
        The two layers.
    names : (str, str)
        Their names in the message.

    Raises
    ------
    CRSError
        If either has no CRS, or their CRS differ.

    Examples
    --------
    >>> import shapely
    >>> a = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)], crs=2154)
    >>> same_crs(a, a.to_crs(4326), names=("cités", "QPV"))
    Traceback (most recent call last):
    ...
    erbm_geo.errors.CRSError: cités is in EPSG:2154 but QPV is in EPSG:4326; reproject one of them, ...
    """
    for g, n in zip((a, b), names, strict=True):
        if g.crs is None:
            raise CRSError(f"{n} has no CRS; set it (e.g. gdf.set_crs('EPSG:2154')).")
    if not a.crs.equals(b.crs):
        raise CRSError(
            f"{names[0]} is in {a.crs.to_string()} but {names[1]} is in {b.crs.to_string()}; "
            f"reproject one of them, e.g. {names[1]}.to_crs({names[0]}.crs)."
        )


def check_geometries(
    gdf: gpd.GeoDataFrame,
    *,
    name: str = "layer",
    types: Iterable[str] | None = None,
    allow_invalid: bool = False,
) -> None:
    """Check that every geometry is present, non-empty, finite, of allowed type and valid.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer.
    name : str, default "layer"
        The layer's name in the message.
    types : iterable of str, optional
        The geometry types allowed (e.g. ``["Polygon", "MultiPolygon"]``); any by default.
    allow_invalid : bool, default False
        Accept invalid (self-intersecting) geometries.

    Raises
    ------
    InvalidGeometryError
        Naming the offending rows (first ten index labels) and the fix.

    Examples
    --------
    >>> check_geometries(gpd.GeoDataFrame(geometry=[None], crs=2154), name="cités")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.InvalidGeometryError: cités: 1 feature(s) have no geometry (index [0]); ...
    """
    arr = np.asarray(gdf.geometry.values, dtype=object)
    missing = shapely.is_missing(arr)
    if missing.any():
        raise _failure(gdf, name, missing, "have no geometry", "drop or fill them before passing the layer.")
    empty = shapely.is_empty(arr)
    if empty.any():
        raise _failure(gdf, name, empty, "have an empty geometry", "drop them before passing the layer.")
    coords, owner = shapely.get_coordinates(arr, return_index=True)
    nonfinite = np.zeros(len(arr), dtype=bool)
    nonfinite[owner[~np.isfinite(coords).all(axis=1)]] = True
    if nonfinite.any():
        raise _failure(gdf, name, nonfinite, "have NaN or infinite coordinates", "fix or drop them.")
    if types is not None:
        allowed = set(types)
        names_ = np.array(
            [
                "Point",
                "LineString",
                "LinearRing",
                "Polygon",
                "MultiPoint",
                "MultiLineString",
                "MultiPolygon",
                "GeometryCollection",
            ]
        )[shapely.get_type_id(arr)]
        wrong = ~np.isin(names_, list(allowed))
        if wrong.any():
            found = sorted({str(t) for t in names_[wrong]})
            raise _failure(
                gdf,
                name,
                wrong,
                f"are of type {found}, expected {sorted(allowed)}",
                "split them into simple parts, e.g. gdf.explode(index_parts=False)."
                if "GeometryCollection" in found
                else "pass a layer of the expected geometry type.",
            )
    if not allow_invalid:
        invalid = ~shapely.is_valid(arr)
        if invalid.any():
            raise _failure(
                gdf,
                name,
                invalid,
                "are invalid",
                "repair them, e.g. gdf.geometry = gdf.make_valid(), and pass the layer again.",
            )


def _failure(gdf: gpd.GeoDataFrame, name: str, mask: np.ndarray, what: str, fix: str) -> InvalidGeometryError:
    """Return the error naming the offending rows (first ten index labels), the problem and the fix."""
    return InvalidGeometryError(
        f"{name}: {int(mask.sum())} feature(s) {what} (index {list(gdf.index[mask][:10])}); {fix}"
    )
