"""Input checks shared by the geometry core, loaders and outputs (depends only on errors and settings).

Every check raises a specific :mod:`erbm_geo.errors` exception that names the layer, the problem and
the fix; none silently drops a feature.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

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
    "LINEAR",
    "POLYGONAL",
    "PUNCTUAL",
    "check_area",
    "check_columns",
    "check_geometries",
    "check_layer",
    "check_not_empty",
    "check_unique_columns",
    "same_crs",
    "to_working_crs",
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

    *gdf* is in EPSG:2154; the error names the layer, the rows and the likely cause.

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
            f"the coordinates are probably in another CRS than the declared {crs}: declare "
            "the right one with gdf.set_crs(…, allow_override=True)"
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

    The coordinates are checked against the declared CRS (degrees within ±180/±90, every
    feature within metropolitan France once in Lambert-93, see :func:`check_area`).

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
        When *gdf* has no CRS: erbm_geo never guesses one.
    OutOfAreaError
        When coordinates do not fit the declared CRS or lie far from France.

    Examples
    --------
    >>> import shapely
    >>> g = gpd.GeoDataFrame(geometry=[shapely.Point(2.83, 50.43)], crs=4326)
    >>> to_working_crs(g, name="mairies").crs.to_epsg()
    2154
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
    after: np.ndarray | None = None
    if _is_working_crs(crs):
        # the same geometries in the working CRS were already checked: nothing to redo
        m = memo_for(np.asarray(gdf.geometry.values, dtype=object))
        if m.derived.get("area_ok"):
            return gdf
        check_area(gdf, name=name)
        m.derived["area_ok"] = True
        return gdf
    declared = gdf.crs.to_string()
    before = shapely.bounds(np.asarray(gdf.geometry.values, dtype=object))
    finite = np.isfinite(before).all(axis=1)
    if gdf.crs.is_geographic and finite.any() and not _looks_like_degrees(before[finite]):
        raise OutOfAreaError(
            f"{name}: coordinates up to {np.abs(before[finite]).max():,.0f} cannot be degrees, "
            f"but the CRS says {declared} (longitude/latitude). They look like projected "
            "metres, e.g. Lambert-93. A GeoJSON file without a 'crs' member is read as WGS84: "
            "declare the right CRS, e.g. gdf.set_crs('EPSG:2154', allow_override=True)."
        )
    out = gdf.to_crs(settings.crs)
    after = shapely.bounds(np.asarray(out.geometry.values, dtype=object))
    lost = finite & ~np.isfinite(after).all(axis=1)
    if lost.any():
        raise OutOfAreaError(
            f"{name}: {int(lost.sum())} feature(s) (index {list(gdf.index[lost][:10])}) cannot "
            f"be expressed in Lambert-93 (EPSG:2154) from {declared}: their coordinates lie "
            "outside the domain of that projection. Check the declared CRS."
        )
    check_area(out, name=name, declared=declared, bounds=after)
    return out


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
