"""Synthetic building footprints, authored here, for tests and benchmarks at building scale.

No building of any dataset is used: footprints are invented over the communes you pass (the
invented ones of :mod:`erbm_geo.examples`, or the real commune polygons of the basin as a frame).
Each commune receives a number of buildings proportional to its population (its area when it has
none); each building is a rotated rectangle whose centre lies uniformly inside the commune, with a
log-normal size: a median of about 85 m², half of the footprints between 50 and 150 m² and
one in ten above 225 m² — the houses of a cité minière, terraces, small collective buildings
and a tail of larger sheds. The same ``n`` and ``seed`` give the same
footprints, in memory or partition by partition.

Partitions follow the communes along a Hilbert curve, so each partition covers a compact area —
the spatial locality a partitioned GeoParquet file of real buildings has once spatially sorted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.errors import InvalidOptionError
from erbm_geo.geom.partitioned import require_dask
from erbm_geo.geom.validate import check_layer

__all__ = ["synthetic_buildings", "synthetic_buildings_partitioned"]

#: Median footprint side (m) and the spread of its logarithm; elongation of the rectangle.
_SIDE_M, _SIDE_SIGMA, _ELONGATION = 9.0, 0.35, (0.6, 1.6)
#: Default number of buildings per partition.
PARTITION_SIZE = 250_000


@dataclass(frozen=True)
class _Part:
    """What one partition generates: its communes (polygons) and how many buildings in each."""

    polygons: np.ndarray
    counts: np.ndarray
    start: int  # its first building id
    k: int  # its number (part of the random seed)


def _check(n: int, seed: int, partition_size: int) -> None:
    for name, value, low in (("n", n, 1), ("partition_size", partition_size, 1), ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
            raise InvalidOptionError(f"{name} must be an integer ≥ {low}, got {value!r}")


def _plan(communes: gpd.GeoDataFrame, n: int, partition_size: int) -> list[_Part]:
    """Share *n* buildings among the communes, then cut them into partitions in Hilbert order."""
    c = check_layer(communes, name="communes", types=("Polygon", "MultiPolygon"), allow_invalid=False)
    geoms = np.asarray(c.geometry.values, dtype=object)
    weight = (
        pd.to_numeric(c["population"], errors="coerce").fillna(0).to_numpy(dtype=float)
        if "population" in c
        else shapely.area(geoms)
    )
    if weight.sum() <= 0:
        weight = shapely.area(geoms)
    order = np.argsort(gpd.GeoSeries(geoms).hilbert_distance().to_numpy(), kind="stable")
    geoms, weight = geoms[order], weight[order]
    share = n * weight / weight.sum()
    counts = np.floor(share).astype(np.int64)  # largest remainders get the last buildings
    counts[np.argsort(-(share - counts), kind="stable")[: n - counts.sum()]] += 1
    ends = np.cumsum(counts)
    begins = ends - counts
    parts = []
    for k, lo in enumerate(range(0, n, partition_size)):  # one entry per partition, not per building
        hi = min(lo + partition_size, n)
        mine = (begins < hi) & (ends > lo)
        local = np.minimum(ends[mine], hi) - np.maximum(begins[mine], lo)
        parts.append(_Part(geoms[mine], local, lo, k))
    return parts


def _points_in(polys: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return one uniform random point inside each polygon (vectorised rejection sampling)."""
    out = np.empty((len(polys), 2))
    todo = np.arange(len(polys))
    b = shapely.bounds(polys)
    while len(todo):
        x = rng.uniform(b[todo, 0], b[todo, 2])
        y = rng.uniform(b[todo, 1], b[todo, 3])
        inside = shapely.contains_xy(polys[todo], x, y)
        out[todo[inside]] = np.column_stack([x[inside], y[inside]])
        todo = todo[~inside]
    return out


def _partition(part: _Part, seed: int) -> gpd.GeoDataFrame:
    """Return the buildings of one partition."""
    rng = np.random.default_rng([seed, part.k])
    # communes at a partition's edge belong to two partitions: each prepares its own copy (GEOS
    # prepared geometries are not safe to share between threads)
    polygons = shapely.from_wkb(shapely.to_wkb(part.polygons))
    shapely.prepare(polygons)
    centre = _points_in(np.repeat(polygons, part.counts), rng)
    m = int(part.counts.sum())
    width = _SIDE_M * np.exp(rng.normal(0.0, _SIDE_SIGMA, m))
    depth = width * rng.uniform(*_ELONGATION, m)
    angle = rng.uniform(0.0, np.pi, m)
    corners = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5]])
    dx = corners[None, :, 0] * width[:, None]
    dy = corners[None, :, 1] * depth[:, None]
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    coords = np.stack(
        [centre[:, :1] + dx * cos - dy * sin, centre[:, 1:] + dx * sin + dy * cos], axis=-1
    ).round(2)
    index = pd.RangeIndex(part.start, part.start + m, name="building_id")
    return gpd.GeoDataFrame(geometry=shapely.polygons(coords), crs=2154, index=index)


def synthetic_buildings(
    communes: gpd.GeoDataFrame, n: int, *, seed: int = 0, partition_size: int = PARTITION_SIZE
) -> gpd.GeoDataFrame:
    """Return *n* invented building footprints over *communes*, in memory.

    Parameters
    ----------
    communes : geopandas.GeoDataFrame
        Valid commune polygons, in any CRS; a ``population`` column weights them (else their
        area).
    n : int
        The number of buildings.
    seed : int, default 0
        The random seed: the same *n*, *seed* and *partition_size* give the same footprints.
    partition_size : int, default 250000
        Buildings per partition of :func:`synthetic_buildings_partitioned` (the in-memory layer
        is their concatenation, so both give the same buildings).

    Returns
    -------
    geopandas.GeoDataFrame
        Polygons in EPSG:2154, indexed by ``building_id`` (0 to *n* - 1).

    Raises
    ------
    InvalidOptionError
        If *n*, *seed* or *partition_size* is not a valid integer.
    EmptyInputError
        If *communes* has no rows.
    CRSError, InvalidGeometryError
        If *communes* has no CRS, or a geometry that is not a valid polygon.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> b = synthetic_buildings(example_communes(), 1_000, seed=1)
    >>> len(b), b.index.name, bool(b.is_valid.all())
    (1000, 'building_id', True)
    >>> 50 < float(b.area.median()) < 130  # m²
    True
    """
    _check(n, seed, partition_size)
    parts = [_partition(p, seed) for p in _plan(communes, n, partition_size)]
    return gpd.GeoDataFrame(pd.concat(parts), crs=2154)


def synthetic_buildings_partitioned(
    communes: gpd.GeoDataFrame, n: int, *, seed: int = 0, partition_size: int = PARTITION_SIZE
) -> Any:
    """Return *n* invented building footprints over *communes*, generated partition by partition.

    Nothing is generated until the result is computed or written: each partition is made by its
    own task, so 16 million footprints stream to disk without ever being held together.

    Parameters
    ----------
    communes : geopandas.GeoDataFrame
        Valid commune polygons, in any CRS; a ``population`` column weights them (else their
        area).
    n : int
        The number of buildings.
    seed : int, default 0
        The random seed.
    partition_size : int, default 250000
        Buildings per partition.

    Returns
    -------
    dask_geopandas.GeoDataFrame
        Lazy, with known divisions (``building_id`` ranges); its partitions are those of
        :func:`synthetic_buildings` with the same arguments.

    Raises
    ------
    InvalidOptionError
        If *n*, *seed* or *partition_size* is not a valid integer.
    OptionError
        If dask is not installed (``pip install 'erbm_geo[dask]'``).

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> lazy = synthetic_buildings_partitioned(example_communes(), 1_000, seed=1, partition_size=300)
    >>> lazy.npartitions
    4
    >>> same = lazy.compute().geom_equals(synthetic_buildings(example_communes(), 1_000, seed=1,
    ...                                                       partition_size=300))
    >>> bool(same.all())
    True
    """
    _check(n, seed, partition_size)
    require_dask()
    import dask.dataframe as dd

    plan = _plan(communes, n, partition_size)
    meta = gpd.GeoDataFrame(
        geometry=gpd.GeoSeries([], crs=2154), index=pd.RangeIndex(0, 0, name="building_id")
    )
    divisions = (*(p.start for p in plan), n - 1)
    return dd.from_map(
        _partition,
        plan,
        [seed] * len(plan),
        meta=meta,
        divisions=divisions,
        label="synthetic-buildings",
        enforce_metadata=False,
    )
