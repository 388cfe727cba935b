"""Overlap indicators: share of each feature inside QPV, the UNESCO property and its buffer zone."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.data import memo
from erbm_geo.indicators._inputs import check_valid_subset, prepare, prepare_target
from erbm_geo.indicators._kernels import (
    covered_area,
    dissolve_parts,
    nearest,
    overlay,
)
from erbm_geo.layers.heritage import bien_inscrit, zone_tampon
from erbm_geo.layers.qpv import qpv as _qpv

__all__ = ["area_share", "qpv_overlap", "unesco_overlap"]


def _areas(geoms: np.ndarray) -> np.ndarray:
    return shapely.area(geoms)


def area_share(gdf: gpd.GeoDataFrame, targets: gpd.GeoDataFrame, *, name: str = "share"
               ) -> pd.Series:
    """Share (0–1) of each feature's area covered by the union of *targets* (same CRS).

    Overlapping targets are unioned first, so a surface is counted once. Point and line
    features have no area: their share is NaN.

    Examples
    --------
    >>> from erbm_geo.layers import communes, bien_inscrit
    >>> s = area_share(communes(), bien_inscrit(), name="share_bien")
    >>> bool(s.between(0, 1).all()), s.name
    (True, 'share_bien')
    """
    feats, geoms = prepare(gdf, name="features", validity=True)
    tg = prepare_target(targets, gdf, name="targets", allow_empty=True, polygonal=True)
    area = _areas(geoms)
    cov = covered_area(geoms, dissolve_parts(tg))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(area > 0, np.clip(cov / area, 0.0, 1.0), np.nan)
    return pd.Series(share, index=feats.index, name=name)


def qpv_overlap(gdf: gpd.GeoDataFrame, qpv: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Share of each feature's area inside a QPV, the area, and the QPV touched.

    Parameters
    ----------
    gdf : GeoDataFrame
        Polygon features (cités, communes, IRIS…), any CRS.
    qpv : GeoDataFrame, optional
        QPV polygons (same CRS as *gdf*); default the national QPV 2024 layer (repaired).

    Returns
    -------
    pandas.DataFrame
        Aligned on ``gdf.index``: ``qpv_share`` (0–1; NaN for non-polygons), ``qpv_area_m2``,
        ``qpv_codes`` (``;``-separated QPV codes overlapped by ≥ 1 m²) and ``n_qpv``.
        QPV polygons are unioned before measuring, so where they touch or overlap a surface is
        counted once.

    Raises
    ------
    InvalidGeometryError
        A feature is invalid (e.g. a self-intersecting polygon), whether or not it touches a QPV.
    CRSError, OutOfAreaError, EmptyInputError, DuplicateIndexError

    Examples
    --------
    >>> from erbm_geo.layers import communes
    >>> q = qpv_overlap(communes())
    >>> int(q.loc["62498", "n_qpv"]) > 0, bool(q["qpv_share"].between(0, 1).all())
    (True, True)
    """
    # every feature must be valid: an invalid polygon has a wrong area even where it touches no QPV
    feats, geoms = prepare(gdf, name="features", validity=True)
    if qpv is None:
        q = _qpv(territory="france")
        qg = np.asarray(q.geometry.values, dtype=object)
        # only QPV near the features matter: cut the national layer to their extent first
        tree = shapely.STRtree(qg)
        near = np.unique(tree.query(geoms, predicate="intersects")[1])
        qg, qids = qg[near], q.index.to_numpy()[near]
    else:
        qg = prepare_target(qpv, gdf, name="qpv", polygonal=True, allow_empty=True)
        qids = qpv.index.astype(str).to_numpy()
    area = _areas(geoms)
    cov, codes, n = overlay(geoms, qg, qids,
                            validate=lambda rows: check_valid_subset(feats, rows),
                            overlapping=q["overlaps_other"].to_numpy()[near]
                            if qpv is None else None)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(area > 0, np.clip(cov / area, 0.0, 1.0), np.nan)
    return pd.DataFrame(
        {"qpv_share": share, "qpv_area_m2": cov,
         "qpv_codes": pd.array(codes.to_numpy(), dtype="string"), "n_qpv": n},
        index=feats.index,
    )


def unesco_overlap(gdf: gpd.GeoDataFrame, *, measure_from: str = "edge") -> pd.DataFrame:
    """Share of each feature inside the UNESCO property and its buffer zone; distance to the
    nearest component part.

    Returns
    -------
    pandas.DataFrame
        ``bien_inscrit_share``, ``zone_tampon_share`` (0–1), ``bien_inscrit_distance_m`` (0 when
        the feature touches a component part) and ``bien_inscrit_element`` (its number, 1–109).

    Examples
    --------
    >>> from erbm_geo.layers import cites
    >>> u = unesco_overlap(cites())
    >>> float(u["bien_inscrit_distance_m"].min())
    0.0
    """
    from erbm_geo.indicators._kernels import source_geoms

    feats, geoms = prepare(gdf, name="features", validity=True)
    prop = bien_inscrit()
    pg = np.asarray(prop.geometry.values, dtype=object)
    pparts = memo("bien_inscrit_parts", lambda: dissolve_parts(pg))
    bparts = memo("zone_tampon_parts",
                  lambda: dissolve_parts(np.asarray(zone_tampon().geometry.values, dtype=object)))
    area = _areas(geoms)
    with np.errstate(invalid="ignore", divide="ignore"):
        sp = np.where(area > 0, np.clip(covered_area(geoms, pparts) / area, 0, 1), np.nan)
        sb = np.where(area > 0, np.clip(covered_area(geoms, bparts) / area, 0, 1), np.nan)
    idx, dist = nearest(source_geoms(geoms, measure_from), pg,  # type: ignore[arg-type]
                        cache_key="bien_inscrit")
    return pd.DataFrame(
        {"bien_inscrit_share": sp, "zone_tampon_share": sb, "bien_inscrit_distance_m": dist,
         "bien_inscrit_element": prop.index.to_numpy()[idx]},
        index=feats.index,
    )
