"""Partitioned inputs: run an in-memory function partition by partition with dask-geopandas.

A feature layer too large for one process (every building of the Nord and the Pas-de-Calais, of
France…) is a :class:`dask_geopandas.GeoDataFrame`: a sequence of GeoDataFrame partitions. The
indicators accept one and hand it to :func:`map_features`, which applies **the same in-memory
function** to each partition; nothing here computes geometry. The target layers (QPV, centres,
stations, communes) are small: they are reprojected once, put in the task graph once as their own
key, and every partition task refers to that key — a scheduler sends them to each worker once.
There each thread works on its own copy of the target geometries (GEOS prepared geometries are
not safe to share between threads), whose memos (trees, prepared geometries, dissolved parts)
are built once and reused by every partition the thread runs; what the metadata run already
learnt about a target (checks, masks, bounds, dissolved parts) is taken by each copy, not
computed again (:meth:`~erbm_geo.geom.memo.GeometryMemo.learn_from`).

dask is an optional dependency (``pip install erbm_geo[dask]``): this module imports it only when
a partitioned input is met, so the in-memory path never pays for it. Nothing is computed when a
partitioned input is given: the result is lazy (``.compute()``, ``.to_parquet()``…), indexed like
the features.
"""

from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo import settings
from erbm_geo._memory import MEMORY
from erbm_geo.errors import CRSError, OptionError
from erbm_geo.geom.memo import memo_for
from erbm_geo.geom.validate import REGION_BOUNDS, check_not_empty, to_working_crs

__all__ = ["is_partitioned", "map_features", "own_copy", "partition_scope", "require_dask"]

R = TypeVar("R")

#: Modules whose collections are partitioned (dask and dask-geopandas, legacy or expression based).
_PARTITIONED_MODULES = ("dask_geopandas", "dask.dataframe", "dask_expr")


def is_partitioned(obj: object) -> bool:
    """Return whether *obj* is a dask (or dask-geopandas) collection, without importing dask.

    Parameters
    ----------
    obj : object
        Anything passed as features or values.

    Returns
    -------
    bool
        True for a dask DataFrame, Series or GeoDataFrame.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> is_partitioned(example_communes())
    False
    """
    module = type(obj).__module__
    return any(module == m or module.startswith(m + ".") for m in _PARTITIONED_MODULES)


def require_dask() -> Any:
    """Import and return ``dask``, or say how to install the optional extra.

    Returns
    -------
    module
        The ``dask`` module.

    Raises
    ------
    OptionError
        If dask or dask-geopandas is not installed.

    Examples
    --------
    >>> require_dask().__name__
    'dask'
    """
    try:
        import dask
        import dask_geopandas  # noqa: F401
    except ImportError as exc:
        raise OptionError(
            f"partitioned layers need dask and dask-geopandas ({exc.name} is missing): "
            "pip install 'erbm_geo[dask]'"
        ) from exc
    # dask's Parquet engine (2026.8) still passes pandas' deprecated inplace keywords: not the
    # user's concern, and nothing they could change
    warnings.filterwarnings("ignore", message="The inplace keyword", module="dask")
    return dask


def _sample(targets: list[gpd.GeoDataFrame], index: pd.Index) -> gpd.GeoDataFrame:
    """Return one 1 m² square feature lying on the first target: the input of the metadata run.

    With no target (a function of the features alone), at the centre of the Nord and the
    Pas-de-Calais (:data:`~erbm_geo.geom.validate.REGION_BOUNDS`), which every check accepts.
    """
    if targets:
        at = shapely.point_on_surface(targets[0].geometry.values[:1])
    else:
        x0, y0, x1, y1 = REGION_BOUNDS
        at = shapely.points(np.array([[(x0 + x1) / 2, (y0 + y1) / 2]]))
    g = shapely.buffer(at, 0.5, cap_style="square")
    return gpd.GeoDataFrame(geometry=g, crs=settings.crs, index=index[:1])


_local = threading.local()
#: Targets whose copy a thread keeps (the most recently used): those of a few computations.
_COPIES_PER_THREAD = 16


def own_copy(target: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return this thread's copy of *target*, with geometry objects of its own (made once).

    GEOS prepared geometries build their indexes lazily, on first use: two threads testing the
    same prepared geometry at once corrupt it (a segmentation fault). So each thread of a worker
    (the threaded scheduler, or a distributed worker with several threads) gets its own geometry
    objects for a target — prepared and indexed once per thread, then reused by every partition
    that thread runs. Every function run on partitions that hands a target to the kernels must
    hand this copy (:func:`map_features` does; so does the partitioned ``aggregate``).

    Parameters
    ----------
    target : geopandas.GeoDataFrame
        A target layer (communes, QPV, stations…) shared by the partitions.

    Returns
    -------
    geopandas.GeoDataFrame
        The same rows and values, with geometry objects of this thread's own.

    Examples
    --------
    >>> import shapely
    >>> t = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)], crs=2154)
    >>> mine = own_copy(t)
    >>> mine.geometry.iloc[0] is t.geometry.iloc[0], mine.geometry.iloc[0].equals(t.geometry.iloc[0])
    (False, True)
    >>> own_copy(t) is mine  # made once per thread
    True
    """
    copies: OrderedDict[int, tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]] = _local.__dict__.setdefault(
        "copies", OrderedDict()
    )
    held = copies.get(id(target))
    if held is None or held[0] is not target:
        own = target.copy()
        geoms = shapely.from_wkb(shapely.to_wkb(target.geometry.values))
        own[own.geometry.name] = gpd.GeoSeries(geoms, index=target.index, crs=target.crs)
        # what the metadata run learnt about the target (checks, masks, dissolved parts) serves the
        # copy: each thread builds again only what holds prepared geometries (trees, diagrams)
        memo_for(geoms).learn_from(memo_for(np.asarray(target.geometry.values, dtype=object)))
        held = copies[id(target)] = (target, own)  # the target is held: its id is not reused
        while len(copies) > _COPIES_PER_THREAD:  # the targets of earlier computations go
            copies.popitem(last=False)
    copies.move_to_end(id(target))
    return held[1]


@contextmanager
def partition_scope(keep_up_to: int) -> Iterator[None]:
    """Forget, on leaving, what was learnt about one partition's geometries.

    Trees, validity and other memos of a partition's arrays serve no other partition; kept, they
    would hold every partition a process ran (the memos keep their arrays). Memos of arrays of at
    most *keep_up_to* geometries — the targets' — are kept for the next partitions.

    Parameters
    ----------
    keep_up_to : int
        The length of the largest target.

    Yields
    ------
    None
        Run one partition's work inside.

    Examples
    --------
    >>> import numpy as np, shapely
    >>> from erbm_geo.geom.memo import memo_for
    >>> big = shapely.points(np.arange(100.0), np.zeros(100))
    >>> with partition_scope(10):
    ...     _ = memo_for(big).get_tree()
    >>> any(len(MEMORY.geometry(k, lambda: None).geoms) == 100 for k in MEMORY.geometry_keys())
    False
    """
    before = set(MEMORY.geometry_keys())
    try:
        yield
    finally:
        added = [k for k in MEMORY.geometry_keys() if k not in before]
        MEMORY.forget_geometries(added, keep=lambda m: len(m.geoms) <= keep_up_to)


def _apply(
    part: gpd.GeoDataFrame,
    *targets: gpd.GeoDataFrame,
    indicator: Callable[..., Any],
    empty: Any,
    options: dict[str, Any],
) -> Any:
    """Run *indicator* on one partition; an empty partition gives the empty result (no error)."""
    if len(part) == 0:
        return empty.reindex(part.index)
    with partition_scope(max((len(t) for t in targets), default=0)):
        return indicator(part, *(own_copy(t) for t in targets), **options)


def map_features(func: Callable[..., R], features: Any, *targets: gpd.GeoDataFrame, **options: Any) -> R:
    """Apply the in-memory indicator *func* to every partition of *features*, lazily.

    Parameters
    ----------
    func : callable
        An indicator taking ``(gdf, *targets, **options)`` and returning a Series or DataFrame
        aligned on ``gdf.index`` (e.g. :func:`erbm_geo.indicators.qpv_overlap`).
    features : dask_geopandas.GeoDataFrame
        The features, in any CRS (reprojected to EPSG:2154 partition by partition).
    *targets : geopandas.GeoDataFrame
        In-memory target layers, in the features' CRS or any other (reprojected once); none for
        a function of the features alone.
    **options
        Keyword options of *func*.

    Returns
    -------
    dask.dataframe.DataFrame or dask.dataframe.Series
        Lazy; the same columns, dtypes and index as *func* gives on the whole layer in memory.
        Typed as *func*'s result: dask collections follow the pandas API.

    Raises
    ------
    OptionError
        If dask is not installed, or a target is itself partitioned (compute it first: targets
        are broadcast whole).
    CRSError
        If the features or a target have no CRS.
    EmptyInputError
        If a target has no rows.

    Examples
    --------
    >>> import dask_geopandas
    >>> from erbm_geo.examples import example_centres, example_communes
    >>> from erbm_geo.indicators import distance_to_centres
    >>> parts = dask_geopandas.from_geopandas(example_communes(), npartitions=3)
    >>> lazy = map_features(distance_to_centres, parts, example_centres())
    >>> lazy.npartitions, list(lazy.columns)
    (3, ['distance_m', 'centre_nom', 'centre_id'])
    >>> got, ref = lazy.compute(), distance_to_centres(example_communes(), example_centres())
    >>> list(got.index) == list(ref.index) and got["distance_m"].tolist() == ref["distance_m"].tolist()
    True
    """
    dask = require_dask()
    for i, t in enumerate(targets):
        if is_partitioned(t):
            raise OptionError(
                f"target {i + 1} of {func.__name__} is a dask collection; targets are broadcast whole "
                "to every partition: pass an in-memory GeoDataFrame (e.g. target.compute())"
            )
    meta_in = features._meta
    if meta_in.crs is None:
        raise CRSError(
            f"{func.__name__}: the partitioned features have no CRS; set it, e.g. "
            "ddf = ddf.set_crs('EPSG:2154')"
        )
    if not meta_in.crs.equals(settings.crs):
        features = features.to_crs(settings.crs)
    ready = []
    for i, t in enumerate(targets):
        check_not_empty(t, name=f"target {i + 1} of {func.__name__}")
        ready.append(to_working_crs(t, name=f"target {i + 1} of {func.__name__}"))
    # the metadata: the real function on one tiny feature (columns and dtypes cannot drift)
    sample: Any = func(_sample(ready, features._meta_nonempty.index), *ready, **options)
    empty = sample.iloc[:0]
    keyed = [dask.delayed(t, pure=True) for t in ready]  # one key each: sent to a worker once
    lazy: R = features.map_partitions(
        _apply,
        *keyed,
        indicator=func,
        empty=empty,
        options=options,
        meta=empty,
        align_dataframes=False,
    )
    return lazy
