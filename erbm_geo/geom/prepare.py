"""Input preparation for the kernels: checks, CRS, geometry arrays (remembered per array)."""

from __future__ import annotations

from typing import TypeVar, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.errors import CRSError, DuplicateIndexError, InvalidGeometryError
from erbm_geo.geom.memo import GeometryMemo, memo_for
from erbm_geo.geom.validate import (
    check_geometries,
    check_not_empty,
    check_region,
    contradiction_error,
    crs_contradiction,
    to_working_crs,
    working_bounds,
)

__all__ = ["check_valid_subset", "left_out_noted", "prepare", "prepare_target"]


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
    check_region(gdf, name=name)  # the caller's layer: Web-Mercator metres declared as Lambert-93…
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
    reach: float | None = None,
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Return a target layer and its geometry array in EPSG:2154; it must share the features' CRS.

    The basic checks of :func:`prepare` apply (remembered per array). Validity is not checked
    here: the area kernels check only the targets that meet a feature (see :func:`overlay`), so a
    national layer passed for a few features is not validated whole on every call.

    A target may lie anywhere its CRS allows (the national QPV file, overseas included). With
    *reach*, targets whose envelope lies farther than *reach* metres from the features' envelope
    cannot meet them: they take no part in the result (the kernels' spatial index never reaches
    them, and they are not validated), and their number is in ``target.attrs["left_out"]`` of
    the returned layer. When the two layers lie far apart and one of them, read in another common
    CRS, would fall on the other, the declared CRS is contradicted: an error names the layer
    and the CRS it was probably written in (:func:`~erbm_geo.geom.validate.crs_contradiction`;
    ``layer.attrs["crs_confirmed"] = True`` says the layer really lies there).

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
    reach : float, optional
        Count the targets farther than this (m) from the features' envelope: for overlap (0) and
        within-radius (the radius) measures. None: every target may matter (nearest measures).

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
        If its coordinates do not fit its CRS, or the features' or the target's contradict
        their declared CRS (they would fall on the other layer in another CRS).
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
    fbox = _bounds(features)
    tbox = m.get("total_bounds", lambda: tuple(shapely.total_bounds(m.geoms)))
    _check_meet(features, fbox, target, name, tbox)
    if polygonal:
        dims = m.get("dimensions", lambda: shapely.get_dimensions(m.geoms))
        if not np.all(dims == 2):
            raise InvalidGeometryError(
                f"{name} must hold polygons only; it has {int((dims != 2).sum())} feature(s) of "
                f"type {', '.join(sorted(set(gpd.GeoSeries(m.geoms[dims != 2]).geom_type)))}: "
                f"keep its polygons, e.g. "
                f"{name}[{name}.geom_type.isin(['Polygon', 'MultiPolygon'])]"
            )
    if reach is not None:
        t, m = _within_reach(t, m, working_bounds(fbox, tcrs), reach)
    return t, m.geoms


def _bounds(gdf: gpd.GeoDataFrame) -> tuple[float, ...]:
    """Return the envelope of *gdf* in its own CRS, remembered per geometry array."""
    m = memo_for(np.asarray(gdf.geometry.values, dtype=object))
    return cast("tuple[float, ...]", m.get("total_bounds", lambda: tuple(shapely.total_bounds(m.geoms))))


def _check_meet(
    features: gpd.GeoDataFrame,
    fbox: tuple[float, ...],
    target: gpd.GeoDataFrame,
    name: str,
    tbox_working: tuple[float, ...],
) -> None:
    """Raise when the features or the target contradict their declared CRS against each other."""
    crs = target.crs
    fwork = working_bounds(fbox, crs)
    tbox = _bounds(target)
    for layer, what, box, other in (
        (features, "the features", fbox, tbox_working),
        (target, name, tbox, fwork),
    ):
        if layer.attrs.get("crs_confirmed"):
            continue
        found = crs_contradiction(box, crs, other)
        if found is not None:
            raise contradiction_error(what, crs, found, "the features" if layer is target else name)


def _within_reach(
    t: gpd.GeoDataFrame, m: GeometryMemo, fbox: tuple[float, ...], reach: float
) -> tuple[gpd.GeoDataFrame, GeometryMemo]:
    """Count the targets whose envelope lies farther than *reach* from *fbox*: they cannot meet.

    They stay in the layer (the kernels' spatial index never reaches them, so they take no part
    in any result, and the union of overlapping targets stays the same whatever the features —
    partition by partition too); their number goes to ``attrs["left_out"]`` of a shallow copy.
    """
    b = m.get("bounds", lambda: shapely.bounds(m.geoms))
    far = (
        (b[:, 0] > fbox[2] + reach)
        | (b[:, 2] < fbox[0] - reach)
        | (b[:, 1] > fbox[3] + reach)
        | (b[:, 3] < fbox[1] - reach)
    )
    if not far.any():
        return t, m
    out = t.copy(deep=False)
    out.attrs = {**t.attrs, "left_out": int(far.sum())}
    return out, m


R = TypeVar("R", pd.Series, pd.DataFrame)


def left_out_noted(result: R, targets: dict[str, gpd.GeoDataFrame]) -> R:
    """Record in ``result.attrs["targets_left_out"]`` how many targets could not meet the features.

    Parameters
    ----------
    result : pandas.Series or pandas.DataFrame
        An indicator's result.
    targets : dict of str to geopandas.GeoDataFrame
        The targets as :func:`prepare_target` returned them, by name.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        *result*, with ``attrs["targets_left_out"]`` (e.g. ``{"qpv": 222}``) when any was.

    Examples
    --------
    >>> import pandas as pd
    >>> t = gpd.GeoDataFrame(geometry=[], crs=2154)
    >>> t.attrs["left_out"] = 222
    >>> left_out_noted(pd.Series([0.5]), {"qpv": t}).attrs
    {'targets_left_out': {'qpv': 222}}
    """
    counts = {n: int(t.attrs["left_out"]) for n, t in targets.items() if t.attrs.get("left_out")}
    if counts:
        result.attrs["targets_left_out"] = counts
    return result
