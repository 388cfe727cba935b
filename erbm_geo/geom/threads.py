"""Running one vectorised shapely step on several cores.

Shapely 2 releases the GIL inside its vectorised functions, so an array of independent pairs cut
into a few chunks of equal cost and handed to threads takes about ``1 / threads`` of the time,
with results identical to a single call. The heaviest steps use it: the exact intersections in
:func:`~erbm_geo.geom.kernels.pair_areas`, the nearest-edge tree search in
:func:`~erbm_geo.geom.kernels.nearest` and the validity checks of
:meth:`~erbm_geo.geom.memo.GeometryMemo.invalid_rows`. :data:`erbm_geo.settings.threads` sets the number
of threads (1 keeps everything on the calling thread).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

from erbm_geo import settings
from erbm_geo.errors import InvalidOptionError

__all__ = ["MIN_COST", "chunk_edges", "chunked", "n_threads", "run_chunks"]

T = TypeVar("T")

MIN_COST = 20_000
"""Total cost (coordinates) below which the work stays on the calling thread: handing chunks to
threads costs about 0.1 ms, what 20,000 coordinates of intersections take on one core."""

_pool: tuple[int, int, ThreadPoolExecutor] | None = None  # (pid, size, executor)


def n_threads() -> int:
    """Return the number of threads set in :data:`erbm_geo.settings.threads`, checked.

    Raises
    ------
    InvalidOptionError
        If the setting (or ``ERBM_GEO_THREADS``) is not a positive integer.
    """
    n = settings.threads
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise InvalidOptionError(
            f"erbm_geo.settings.threads must be a positive integer, got {n!r}; set it (or the "
            "ERBM_GEO_THREADS environment variable) to the number of threads the geometry "
            "kernels may use, 1 for none"
        )
    return int(n)


def _executor(size: int) -> ThreadPoolExecutor:
    """Return the process's thread pool of *size* workers (a forked child builds its own)."""
    global _pool
    if _pool is None or _pool[0] != os.getpid() or _pool[1] != size:
        if _pool is not None and _pool[0] == os.getpid():
            _pool[2].shutdown(wait=False)
        _pool = (os.getpid(), size, ThreadPoolExecutor(size, thread_name_prefix="erbm_geo"))
    return _pool[2]


def chunk_edges(cost: np.ndarray, *, min_cost: int = MIN_COST) -> np.ndarray:
    """Return where to cut work of the given per-element *cost* into chunks of equal cost, one per thread.

    Returns
    -------
    numpy.ndarray
        Increasing positions from 0 to ``len(cost)``: ``[0, n]`` (one chunk) when
        :data:`erbm_geo.settings.threads` is 1, when there is one element or when the total cost
        is below *min_cost*.

    Examples
    --------
    >>> from erbm_geo import settings
    >>> settings.threads, saved = 2, settings.threads
    >>> chunk_edges(np.array([5, 1, 1, 1, 1, 1]), min_cost=0).tolist()
    [0, 1, 6]
    >>> chunk_edges(np.array([5, 1, 1, 1, 1, 1])).tolist()  # too little work to share
    [0, 6]
    >>> settings.threads = saved
    """
    size = n_threads()
    n = len(cost)
    total = float(np.sum(cost))
    if size == 1 or n < 2 or total < min_cost:
        return np.array([0, n])
    k = min(size, n)
    cuts = np.searchsorted(np.cumsum(cost), total * np.arange(1, k) / k, side="left") + 1
    return np.unique(np.r_[0, np.minimum(cuts, n), n])


def run_chunks(func: Callable[[int, int], T], edges: np.ndarray) -> list[T]:
    """Return ``[func(lo, hi) for each chunk]``, run in the process's thread pool.

    The calling thread alone runs a single chunk.
    """
    if len(edges) <= 2:
        return [func(int(edges[0]), int(edges[-1]))]
    pool = _executor(n_threads())
    futures = [pool.submit(func, int(lo), int(hi)) for lo, hi in itertools.pairwise(edges)]
    return [f.result() for f in futures]


def chunked(
    func: Callable[..., np.ndarray], *arrays: np.ndarray, cost: np.ndarray, min_cost: int = MIN_COST
) -> np.ndarray:
    """Return ``func(*arrays)``, computed on chunks of equal *cost* in parallel threads.

    Parameters
    ----------
    func : callable
        An element-wise vectorised function returning one value per element (e.g. the area of
        each pair's intersection); it must release the GIL to gain anything.
    *arrays : numpy.ndarray
        Arrays of the same length, cut at the same places.
    cost : numpy.ndarray
        The cost of each element (e.g. its coordinates), used to cut chunks of equal work.
    min_cost : int, default :data:`MIN_COST`
        Below this total cost, one call on the calling thread.

    Returns
    -------
    numpy.ndarray
        The same values as ``func(*arrays)``, in the same order.

    Examples
    --------
    >>> import shapely
    >>> a = shapely.box(np.arange(4.0), 0, np.arange(4.0) + 2, 1)
    >>> b = shapely.box(np.arange(4.0) + 1, 0, np.arange(4.0) + 3, 1)
    >>> area = lambda x, y: shapely.area(shapely.intersection(x, y))
    >>> chunked(area, a, b, cost=np.ones(4), min_cost=0).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    edges = chunk_edges(cost, min_cost=min_cost)
    if len(edges) <= 2:
        return func(*arrays)
    return np.concatenate(run_chunks(lambda lo, hi: func(*(x[lo:hi] for x in arrays)), edges))
