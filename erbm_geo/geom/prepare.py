"""Input preparation for the kernels: checks, CRS, geometry arrays (remembered per array)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from erbm_geo.errors import CRSError, DuplicateIndexError, InvalidGeometryError
from erbm_geo.geom.memo import GeometryMemo, memo_for
from erbm_geo.geom.validate import check_geometries, check_not_empty, to_working_crs

__all__ = ["check_valid_subset", "prepare", "prepare_target"]


def prepare(
    gdf: gpd.GeoDataFrame, *, name: str = "features", validity: bool = False
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Check *gdf* and return it in EPSG:2154 with its geometry array.

    Always checked: a GeoDataFrame, not empty, a unique index, CRS set and fitting the
    coordinates, no missing, empty or non-finite geometry. Validity (OGC) is checked only when
    *validity* is True: distances are well defined on invalid polygons, so distance indicators
    skip that costly test; area indicators check every feature (an invalid polygon has a wrong
    area even where it touches no target). Checks are remembered per geometry array.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The features, in any CRS.
    name : str, default "features"
        Their name in messages.
    validity : bool, default False
        Also check that every geometry is valid (OGC).

    Returns
    -------
    gdf : geopandas.GeoDataFrame
        The features in EPSG:2154.
    geoms : numpy.ndarray of shapely.Geometry
        Their geometries.

    Raises
    ------
    TypeError
        If *gdf* is not a GeoDataFrame.
    EmptyInputError
        If it has no rows.
    CRSError
        If it has no CRS.
    OutOfAreaError
        If its coordinates do not fit its CRS or lie far from France.
    InvalidGeometryError
        If a geometry is missing, empty or non-finite, or (with *validity*) invalid.
    DuplicateIndexError
        If the index has duplicate labels.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> g, geoms = prepare(example_communes().to_crs(4326), name="communes")
    >>> g.crs.to_epsg(), len(geoms)
    (2154, 12)
    """
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError(f"{name} must be a GeoDataFrame, got {type(gdf).__name__}")
    check_not_empty(gdf, name=name)
    if not gdf.index.is_unique:
        dup = list(gdf.index[gdf.index.duplicated()][:10])
        raise DuplicateIndexError(
            f"{name}: the index has duplicate labels {dup}, so results could not be aligned on "
            "it; make it unique first, e.g. gdf = gdf.reset_index(drop=True)."
        )
    out, m = _checked(gdf, name)
    if validity:
        check_valid_subset(out, np.arange(len(out)), name=name)
    return out, m.geoms


def _checked(gdf: gpd.GeoDataFrame, name: str) -> tuple[gpd.GeoDataFrame, GeometryMemo]:
    """Return *gdf* in EPSG:2154 and its memo, after the basic geometry checks (done once per array)."""
    out = to_working_crs(gdf, name=name)
    m = memo_for(np.asarray(out.geometry.values, dtype=object))
    if not m.basic_ok:
        check_geometries(out, name=name, allow_invalid=True)
        m.basic_ok = True
    return out, m


def check_valid_subset(gdf: gpd.GeoDataFrame, rows: np.ndarray, *, name: str = "features") -> None:
    """Raise :class:`InvalidGeometryError` if any geometry at positions *rows* is invalid.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer.
    rows : numpy.ndarray of int
        Positions of the geometries to check.
    name : str, default "features"
        The layer's name in the message.

    Raises
    ------
    InvalidGeometryError
        If one of them is invalid (OGC), naming the rows and the fix.

    Examples
    --------
    >>> import shapely
    >>> bow = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    >>> g = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1), bow], crs=2154)
    >>> check_valid_subset(g, np.array([0]))
    >>> check_valid_subset(g, np.array([0, 1]), name="cites")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.InvalidGeometryError: cites: 1 feature(s) are invalid (index [1]); ...
    """
    if len(rows) == 0:
        return
    bad = memo_for(np.asarray(gdf.geometry.values, dtype=object)).invalid_rows(rows)
    if len(bad):
        raise InvalidGeometryError(
            f"{name}: {len(bad)} feature(s) are invalid (index {list(gdf.index[bad][:10])}); "
            f"repair them, e.g. {name} = {name}.assign(geometry={name}.make_valid()), and pass "
            "the layer again."
        )


def prepare_target(
    target: gpd.GeoDataFrame,
    features: gpd.GeoDataFrame,
    *,
    name: str,
    polygonal: bool = False,
    allow_empty: bool = False,
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Return a target layer and its geometry array in EPSG:2154; it must share the features' CRS.

    The basic checks of :func:`prepare` apply (remembered per array). Validity is not checked
    here: the area kernels check only the targets that meet a feature (see :func:`overlay`), so a
    national layer passed for a few features is not validated whole on every call.

    Parameters
    ----------
    target : geopandas.GeoDataFrame
        The target layer.
    features : geopandas.GeoDataFrame
        The features it is measured against (their CRS must be the target's).
    name : str
        The target's name in messages.
    polygonal : bool, default False
        Require polygons.
    allow_empty : bool, default False
        Accept a target without rows.

    Returns
    -------
    target : geopandas.GeoDataFrame
        The target in EPSG:2154.
    geoms : numpy.ndarray of shapely.Geometry
        Its geometries.

    Raises
    ------
    TypeError
        If *target* is not a GeoDataFrame.
    EmptyInputError
        If it has no rows.
    CRSError
        If it has no CRS.
    OutOfAreaError
        If its coordinates do not fit its CRS or lie far from France.
    InvalidGeometryError
        If a geometry is missing, empty or non-finite, or (with *polygonal*) not a polygon.
    CRSError
        Also if the target and the features have different CRS.

    Examples
    --------
    >>> from erbm_geo.examples import example_centres, example_communes
    >>> t, geoms = prepare_target(example_centres(), example_communes(), name="centres")
    >>> len(geoms)
    3
    """
    if not isinstance(target, gpd.GeoDataFrame):
        raise TypeError(f"{name} must be a GeoDataFrame, got {type(target).__name__}")
    tcrs, fcrs = target.crs, features.crs
    if tcrs is None:
        raise CRSError(f"{name} has no CRS; set it, e.g. {name}.set_crs('EPSG:2154').")
    if fcrs is not None and tcrs is not fcrs and not tcrs.equals(fcrs):
        raise CRSError(
            f"{name} is in {tcrs.to_string()} but the features are in "
            f"{fcrs.to_string()}; reproject it first, e.g. {name}.to_crs(features.crs)."
        )
    if not allow_empty:
        check_not_empty(target, name=name)
    if len(target) == 0:
        return target, np.zeros(0, dtype=object)
    t, m = _checked(target, name)
    if polygonal:
        dims = m.get("dimensions", lambda: shapely.get_dimensions(m.geoms))
        if not np.all(dims == 2):
            raise InvalidGeometryError(
                f"{name} must hold polygons only; it has {int((dims != 2).sum())} feature(s) of "
                f"type {', '.join(sorted(set(gpd.GeoSeries(m.geoms[dims != 2]).geom_type)))}: "
                f"keep its polygons, e.g. "
                f"{name}[{name}.geom_type.isin(['Polygon', 'MultiPolygon'])]"
            )
    return t, m.geoms
