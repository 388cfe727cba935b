"""Transport access.

Distance to stations (by mode), stations within a radius, share of the area within walking distance of a
station, distance to any line layer (railway, EuroVelo 5…).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.errors import InvalidOptionError
from erbm_geo.geom.kernels import (
    count_within,
    covered_area,
    dissolve_parts,
    nearest,
    share_of,
    source_geoms,
    take_labels,
)
from erbm_geo.geom.memo import memo_for
from erbm_geo.geom.partitioned import is_partitioned, map_features
from erbm_geo.geom.prepare import prepare, prepare_target
from erbm_geo.indicators.distance import MeasureFrom, check_measure, labels_of

__all__ = ["WALK_RADIUS_M", "check_radius", "distance_to_lines", "station_access"]

#: Default walking radius around a station (m): about ten minutes on foot.
WALK_RADIUS_M = 800.0


def check_radius(radius: float, *, name: str = "radius", allow_zero: bool = False) -> None:
    """Raise :class:`InvalidOptionError` unless *radius* is a number of metres (> 0, or ≥ 0).

    Parameters
    ----------
    radius : float
        The distance.
    name : str, default "radius"
        Its name in the message.
    allow_zero : bool, default False
        Accept 0.

    Raises
    ------
    InvalidOptionError
        If *radius* is not a finite number, is negative, or is 0 without *allow_zero*.

    Examples
    --------
    >>> check_radius(800)
    >>> check_radius(-5)
    Traceback (most recent call last):
    ...
    erbm_geo.errors.InvalidOptionError: radius must be a positive number of metres, got -5
    """
    if (
        isinstance(radius, bool)
        or not isinstance(radius, (int, float, np.number))
        or not np.isfinite(radius)
        or radius < 0
        or (radius == 0 and not allow_zero)
    ):
        raise InvalidOptionError(
            f"{name} must be a {'' if allow_zero else 'positive '}number of "
            f"metres{' ≥ 0' if allow_zero else ''}, got {radius!r}"
        )


def station_access(
    gdf: gpd.GeoDataFrame,
    stations: gpd.GeoDataFrame,
    *,
    radius: float = WALK_RADIUS_M,
    modes: tuple[str, ...] | None = None,
    measure_from: MeasureFrom = "edge",
) -> pd.DataFrame:
    """Access of each feature to passenger stations.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        The features, in any CRS (measured in EPSG:2154).
        A partitioned (dask-geopandas) layer gives a lazy result of the same shape.
    stations : geopandas.GeoDataFrame
        Station points in the CRS of *gdf*, with a ``mode`` column (else all are ``"train"``)
        and a ``nom`` column (else the index names them). Built in:
        :func:`erbm_geo.indicators.builtin.stations` — by default the stations known to be in
        France (no Belgian station; see its *scope*).
    radius : float, default 800
        Walking radius (m).
    modes : tuple of str, optional
        Modes reported separately (default: every mode of the ``mode`` column, sorted).
    measure_from : {"edge", "point"}, default "edge"
        From the feature's nearest edge (0 inside), or from a point inside it.

    Returns
    -------
    pandas.DataFrame
        ``station_distance_m`` and ``station_nom`` (nearest station of any mode),
        ``<mode>_distance_m`` per mode, ``stations_within`` (count within *radius*) and
        ``share_within_walk`` (share of the feature's area within *radius* of a station; for
        points and lines 1 or 0).

    Raises
    ------
    InvalidOptionError
        If *radius* is not a positive number of metres.
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
        If a geometry is missing, empty, non-finite or invalid.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point, box
    >>> f = gpd.GeoDataFrame(geometry=[box(700000, 7000000, 701000, 7001000)], crs=2154)
    >>> st = gpd.GeoDataFrame({"nom": ["Gare", "Arrêt"], "mode": ["train", "tram"]},
    ...                       geometry=[Point(701500, 7000500), Point(700500, 7000500)], crs=2154)
    >>> station_access(f, st, radius=800).T
                            0
    station_distance_m    0.0
    station_nom         Arrêt
    train_distance_m    500.0
    tram_distance_m       0.0
    stations_within         2
    share_within_walk     1.0
    """
    if is_partitioned(gdf):  # a dask-geopandas layer: the same function, partition by partition
        return map_features(
            station_access, gdf, stations, radius=radius, modes=modes, measure_from=measure_from
        )
    check_measure(measure_from)
    check_radius(radius)
    feats, geoms = prepare(gdf, validity=True)
    _, sg = prepare_target(stations, gdf, name="stations")
    mode_col = (
        stations["mode"].astype("string").fillna("").to_numpy(dtype=object)
        if "mode" in stations
        else np.full(len(stations), "train", dtype=object)
    )
    src = source_geoms(geoms, measure_from)
    wanted = modes or tuple(sorted(set(mode_col.tolist()) - {""}))
    idx, dist, by_mode = _nearest_by_mode(src, sg, mode_col, wanted)
    out = pd.DataFrame(
        {"station_distance_m": dist, "station_nom": take_labels(labels_of(stations), idx)}, index=feats.index
    )
    for m in wanted:
        out[f"{m}_distance_m"] = by_mode[m]
    out["stations_within"] = count_within(geoms, sg, radius)
    # walkable area: the union of every station's buffer, built once per station layer and
    # radius (3,000 stations of France: 0.07 s) — the same for any subset of features, so a
    # layer cut into partitions gets exactly the figures it gets whole
    walk = memo_for(sg).get(
        ("walk", float(radius)), lambda: dissolve_parts(shapely.buffer(sg, radius, quad_segs=16))
    )
    share = (out["stations_within"].to_numpy() > 0).astype(np.float64)  # points, lines: 1 or 0
    poly = shapely.get_dimensions(geoms) == 2
    share[poly] = share_of(covered_area(geoms, walk)[poly], shapely.area(geoms[poly]))
    out["share_within_walk"] = share
    return out


def _nearest_by_mode(
    src: np.ndarray, sg: np.ndarray, mode_col: np.ndarray, wanted: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Nearest station of any mode, and the distance to the nearest of each wanted mode.

    One search per group of stations — each wanted mode, and the stations of no wanted mode —
    and the nearest of any mode taken from the groups' (smallest distance, then lowest position
    among all the stations, as one search over them all would break the tie): no search over
    the whole layer besides the groups'.
    """
    n = len(src)
    best_i, best_d = np.full(n, -1, dtype=np.int64), np.full(n, np.inf)
    by_mode: dict[str, np.ndarray] = {}
    others = ~np.isin(mode_col, np.array(wanted, dtype=object))
    # the stations of no wanted mode first: a wanted mode "" (stations with no mode) overwrites them
    for m, sel in [("", others)] + [(m, mode_col == m) for m in wanted]:
        if not sel.any():
            by_mode[m] = np.full(n, np.nan)
            continue
        pos = np.flatnonzero(sel)
        i, d = nearest(src, sg[sel])
        by_mode[m] = d
        gi = np.where(i >= 0, pos[np.maximum(i, 0)], -1)
        better = (i >= 0) & ((d < best_d) | ((d == best_d) & (gi < best_i)))
        best_i, best_d = np.where(better, gi, best_i), np.where(better, d, best_d)
    return best_i, np.where(best_i >= 0, best_d, np.nan), by_mode


def distance_to_lines(
    gdf: gpd.GeoDataFrame,
    lines: gpd.GeoDataFrame,
    *,
    name: str = "lines",
    measure_from: MeasureFrom = "edge",
) -> pd.Series:
    """Distance (m) from each feature to the nearest line of a line layer.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        The features, in any CRS (measured in EPSG:2154).
        A partitioned (dask-geopandas) layer gives a lazy result of the same shape.
    lines : geopandas.GeoDataFrame
        Any layer in the CRS of *gdf* (distances go to the edges of lines and polygons, not to
        their vertices). Built in: :func:`erbm_geo.indicators.builtin.rail_lines` (railway lines
        in operation) and :func:`~erbm_geo.indicators.builtin.eurovelo5`; your own motorway or
        BHNS file with :func:`erbm_geo.layers.user_layer`.
    name : str, default "lines"
        Names the result only: ``"<name>_distance_m"``.
    measure_from : {"edge", "point"}, default "edge"
        From the feature's nearest edge (0 inside), or from a point inside it.

    Returns
    -------
    pandas.Series
        ``<name>_distance_m`` (float, metres), aligned on *gdf*'s index.

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
        If a geometry is missing, empty or non-finite.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import LineString, Point
    >>> f = gpd.GeoDataFrame(geometry=[Point(700000, 7000000)], crs=2154)
    >>> a21 = gpd.GeoDataFrame(geometry=[LineString([(699000, 7000300), (701000, 7000300)])],
    ...                        crs=2154)
    >>> distance_to_lines(f, a21, name="a21")
    0    300.0
    Name: a21_distance_m, dtype: float64
    """
    if is_partitioned(gdf):  # a dask-geopandas layer: the same function, partition by partition
        return map_features(distance_to_lines, gdf, lines, name=name, measure_from=measure_from)
    check_measure(measure_from)
    feats, geoms = prepare(gdf)
    _, lg = prepare_target(lines, gdf, name="lines")
    _, dist = nearest(source_geoms(geoms, measure_from), lg)
    return pd.Series(dist, index=feats.index, name=f"{name}_distance_m")
