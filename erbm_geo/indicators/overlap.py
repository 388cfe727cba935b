"""Overlap indicators.

Share of each feature inside target polygons (QPV, the UNESCO property and its buffer zone, any polygon
layer).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.geom.kernels import (
    covered_area,
    dissolve_parts,
    intersecting_pairs,
    nearest,
    overlay,
    share_of,
    source_geoms,
)
from erbm_geo.geom.memo import memo_for, present
from erbm_geo.geom.partitioned import is_partitioned, map_features
from erbm_geo.geom.prepare import check_valid_subset, left_out_noted, prepare, prepare_target
from erbm_geo.indicators.distance import MeasureFrom, check_measure

__all__ = ["area_share", "qpv_overlap", "unesco_overlap"]


def _parts(tg: np.ndarray) -> np.ndarray:
    """Return the targets' union as non-overlapping parts (kept in the targets' memo)."""
    return memo_for(tg).get("dissolved", lambda: dissolve_parts(tg))


def _check_targets(targets: gpd.GeoDataFrame, rows: np.ndarray, name: str) -> None:
    """Only the targets that meet a feature need to be valid (checked once per target)."""
    check_valid_subset(targets, rows, name=name)


def area_share(gdf: gpd.GeoDataFrame, targets: gpd.GeoDataFrame, *, name: str = "share") -> pd.Series:
    """Return share (0–1) of each feature's area covered by the union of *targets*.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        Polygon features, any CRS.
        A partitioned (dask-geopandas) layer gives a lazy result of the same shape.
    targets : GeoDataFrame
        Polygons in the CRS of *gdf*. Overlapping targets are unioned first, so a surface is
        counted once.
    name : str
        Name of the result.

    Returns
    -------
    pandas.Series
        Aligned on ``gdf.index``; NaN for point and line features (no area).

    Raises
    ------
    EmptyInputError
        If *gdf* or a target has no rows.
    DuplicateIndexError
        If *gdf*'s index has duplicate labels.
    CRSError
        If a layer has no CRS, or a target's CRS is not the features'.
    OutOfAreaError
        If coordinates do not fit their CRS or lie far from France.
    InvalidGeometryError
        If a geometry is missing, empty, non-finite or invalid (a feature, or a target that
        meets one), or a target is not a polygon.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> sq = gpd.GeoDataFrame(geometry=[box(700000, 7000000, 700100, 7000100)], crs=2154)
    >>> half = gpd.GeoDataFrame(geometry=[box(700000, 7000000, 700050, 7000100)], crs=2154)
    >>> area_share(sq, half, name="share_half").tolist()
    [0.5]
    """
    if is_partitioned(gdf):  # a dask-geopandas layer: the same function, partition by partition
        return map_features(area_share, gdf, targets, name=name)
    feats, geoms = prepare(gdf, validity=True)
    t, tg = prepare_target(targets, gdf, name="targets", allow_empty=True, polygonal=True, reach=0.0)
    if len(tg):
        _check_targets(t, present(intersecting_pairs(geoms, tg)[1], len(tg)), "targets")
    cov = covered_area(geoms, _parts(tg))
    out = pd.Series(share_of(cov, shapely.area(geoms)), index=feats.index, name=name)
    return left_out_noted(out, {"targets": t})


def qpv_overlap(gdf: gpd.GeoDataFrame, qpv: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return share of each feature's area inside a QPV, the area, and the QPV touched.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        Polygon features (cités, communes, IRIS…), any CRS.
        A partitioned (dask-geopandas) layer gives a lazy result of the same shape.
    qpv : GeoDataFrame
        QPV polygons in the CRS of *gdf*, indexed by their code — the built-in QPV are
        :func:`erbm_geo.indicators.builtin.qpv`. Only the QPV that meet a feature are checked
        for validity.

    Returns
    -------
    pandas.DataFrame
        Aligned on ``gdf.index``: ``qpv_share`` (0–1; NaN for non-polygons), ``qpv_area_m2``,
        ``qpv_codes`` (``;``-separated codes of the QPV overlapped by ≥ 1 m²) and ``n_qpv``.
        Where QPV overlap one another, their union is measured, so a surface is counted once.
        Every piece counts in the share and the area, however small (a 27 m² footprint with
        0.9 m² in a QPV gets 3.3 %); a QPV met on less than 1 m² (a shared edge, a sliver) is
        left out of the codes and the count only.

    Raises
    ------
    InvalidGeometryError
        A feature is invalid (whether or not it touches a QPV), or a QPV it touches is.
    CRSError, OutOfAreaError, EmptyInputError, DuplicateIndexError

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> cites = gpd.GeoDataFrame(geometry=[box(700000, 7000000, 700100, 7000100)], crs=2154)
    >>> qpv = gpd.GeoDataFrame({"nom": ["Q"]}, geometry=[box(700075, 7000000, 700200, 7000100)],
    ...                        index=pd.Index(["QN05901M"], name="code_qpv"), crs=2154)
    >>> qpv_overlap(cites, qpv)
       qpv_share  qpv_area_m2 qpv_codes  n_qpv
    0       0.25       2500.0  QN05901M      1
    """
    if is_partitioned(gdf):  # a dask-geopandas layer: the same function, partition by partition
        return map_features(qpv_overlap, gdf, qpv)
    feats, geoms = prepare(gdf, validity=True)
    q, qg = prepare_target(qpv, gdf, name="qpv", polygonal=True, allow_empty=True, reach=0.0)
    qids = q.index.astype(str).to_numpy()
    cov, codes, n = overlay(geoms, qg, qids, validate_targets=lambda rows: _check_targets(q, rows, "qpv"))
    out = pd.DataFrame(
        {
            "qpv_share": share_of(cov, shapely.area(geoms)),
            "qpv_area_m2": cov,
            "qpv_codes": pd.array(codes.to_numpy(), dtype="string"),
            "n_qpv": n,
        },
        index=feats.index,
    )
    return left_out_noted(out, {"qpv": q})


def unesco_overlap(
    gdf: gpd.GeoDataFrame,
    property: gpd.GeoDataFrame,
    buffer_zone: gpd.GeoDataFrame,
    *,
    measure_from: MeasureFrom = "edge",
) -> pd.DataFrame:
    """Share of each feature inside a World Heritage property and its buffer zone.

    With the distance to the nearest component part.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        Any features, any CRS.
        A partitioned (dask-geopandas) layer gives a lazy result of the same shape.
    property, buffer_zone : GeoDataFrame
        Polygons in the CRS of *gdf*: the property's component parts (indexed by their number)
        and its buffer zone — built in: :func:`erbm_geo.indicators.builtin.unesco_property` and
        :func:`~erbm_geo.indicators.builtin.unesco_buffer_zone` (the Nord-Pas de Calais
        Mining Basin, 2012).
    measure_from : {"edge", "point"}

    Returns
    -------
    pandas.DataFrame
        ``bien_inscrit_share``, ``zone_tampon_share`` (0–1, NaN without area),
        ``bien_inscrit_distance_m`` (0 when the feature touches a component part) and
        ``bien_inscrit_element`` (the index label of the nearest part).

    Raises
    ------
    UnknownOptionError
        If *measure_from* is unknown.
    EmptyInputError
        If *gdf* or a target has no rows.
    DuplicateIndexError
        If *gdf*'s index has duplicate labels.
    CRSError
        If a layer has no CRS, or a target's CRS is not the features'.
    OutOfAreaError
        If coordinates do not fit their CRS or lie far from France.
    InvalidGeometryError
        If a geometry is missing, empty, non-finite or invalid (a feature, or a target that
        meets one), or a target is not a polygon.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> f = gpd.GeoDataFrame(geometry=[box(700000, 7000000, 700100, 7000100)], crs=2154)
    >>> part = gpd.GeoDataFrame(geometry=[box(700300, 7000000, 700400, 7000100)],
    ...                         index=pd.Index([12], name="element"), crs=2154)
    >>> zone = gpd.GeoDataFrame(geometry=[box(699950, 6999950, 700500, 7000200)], crs=2154)
    >>> unesco_overlap(f, part, zone).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'bien_inscrit_share': 0.0, 'zone_tampon_share': 1.0,
      'bien_inscrit_distance_m': 200.0, 'bien_inscrit_element': 12}]
    """
    if is_partitioned(gdf):  # a dask-geopandas layer: the same function, partition by partition
        return map_features(unesco_overlap, gdf, property, buffer_zone, measure_from=measure_from)
    check_measure(measure_from)
    feats, geoms = prepare(gdf, validity=True)
    p, pg = prepare_target(property, gdf, name="property", polygonal=True)
    b, bg = prepare_target(buffer_zone, gdf, name="buffer_zone", polygonal=True)
    area = shapely.area(geoms)
    for t, tg, label in ((p, pg, "property"), (b, bg, "buffer_zone")):
        _check_targets(t, present(intersecting_pairs(geoms, tg)[1], len(tg)), label)
    idx, dist = nearest(source_geoms(geoms, measure_from), pg)
    return pd.DataFrame(
        {
            "bien_inscrit_share": share_of(covered_area(geoms, _parts(pg)), area),
            "zone_tampon_share": share_of(covered_area(geoms, _parts(bg)), area),
            "bien_inscrit_distance_m": dist,
            "bien_inscrit_element": property.index.to_numpy()[idx],
        },
        index=feats.index,
    )
