"""The thread chunking of the geometry kernels: same results as one call, balanced chunks, the
setting checked, a pool per process; and the garbage-collector pause of the indicator table."""

from __future__ import annotations

import gc
import os

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from erbm_geo import settings
from erbm_geo._gc import gc_paused
from erbm_geo.errors import InvalidOptionError
from erbm_geo.geom import threads
from erbm_geo.geom.kernels import nearest, pair_areas
from erbm_geo.geom.threads import chunk_edges, chunked, n_threads, run_chunks
from tests.checks import every


@pytest.fixture
def two_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "threads", 2)


def _ring(cx: float, cy: float, r: float, n: int) -> shapely.Polygon:
    a = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return shapely.Polygon(np.c_[cx + r * np.cos(a), cy + r * np.sin(a)])


@given(cost=st.lists(st.integers(0, 1_000), min_size=0, max_size=40), size=st.integers(1, 5))
@hsettings(deadline=None)
def test_chunk_edges_cover_everything_in_order(cost: list[int], size: int) -> None:
    settings.threads, saved = size, settings.threads
    try:
        e = chunk_edges(np.array(cost, dtype=np.int64), min_cost=0)
    finally:
        settings.threads = saved
    n = len(cost)
    assert e[0] == 0 and e[-1] == n
    assert n == 0 or every(np.diff(e) > 0)
    assert len(e) - 1 <= max(1, min(size, n))
    if size == 1 or n < 2:
        assert e.tolist() == [0, n]


def test_chunk_edges_balance_the_cost(two_threads: None) -> None:
    # one heavy element then light ones: the heavy one alone in the first chunk
    assert chunk_edges(np.array([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), min_cost=0).tolist() == [0, 1, 11]
    assert chunk_edges(np.ones(10), min_cost=0).tolist() == [0, 5, 10]
    assert chunk_edges(np.array([], dtype=np.int64), min_cost=0).tolist() == [
        0,
        0,
    ]  # nothing: one empty chunk
    settings.threads = 3
    assert chunk_edges(np.ones(9), min_cost=0).tolist() == [0, 3, 6, 9]


def test_chunk_edges_threshold(two_threads: None) -> None:
    assert chunk_edges(np.full(10, 100), min_cost=1_000).tolist() == [0, 5, 10]  # total = min
    assert chunk_edges(np.full(10, 100), min_cost=1_001).tolist() == [0, 10]
    assert chunk_edges(np.full(10, 2_000)).tolist() == [0, 5, 10]  # default MIN_COST
    assert chunk_edges(np.full(10, 1_999)).tolist() == [0, 10]


@pytest.mark.parametrize("bad", [0, -2, True, 1.5, "2", None])
def test_threads_setting_checked(bad: object) -> None:
    saved = settings.threads
    with pytest.raises(InvalidOptionError, match="ERBM_GEO_THREADS"):
        settings.threads = bad  # refused on assignment
    assert settings.threads == saved
    assert n_threads() == saved


def test_threads_default_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERBM_GEO_THREADS", "3")
    assert settings.default_threads() == 3
    monkeypatch.setenv("ERBM_GEO_THREADS", "many")
    assert settings.default_threads() == 0  # refused with an error when used
    monkeypatch.delenv("ERBM_GEO_THREADS")
    assert settings.default_threads() == len(os.sched_getaffinity(0))


def test_run_chunks_in_order_on_pool_threads(two_threads: None) -> None:
    import threading

    names = run_chunks(lambda lo, hi: (lo, hi, threading.current_thread().name), np.array([0, 3, 7]))
    assert [(lo, hi) for lo, hi, _ in names] == [(0, 3), (3, 7)]
    assert all(n.startswith("erbm_geo") for _, _, n in names)
    (one,) = run_chunks(lambda lo, hi: (lo, hi, threading.current_thread().name), np.array([0, 7]))
    assert one == (0, 7, threading.current_thread().name)  # one chunk: the calling thread


def test_pool_rebuilt_in_a_forked_child_and_for_another_size(
    two_threads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(threads, "_pool", None)  # the process's first pool
    pool = threads._executor(2)
    assert threads._executor(2) is pool and pool._max_workers == 2
    threads._pool = (-1, 2, pool)  # as seen from a forked child: another pid
    child = threads._executor(2)
    assert child is not pool and child._max_workers == 2
    assert not pool._shutdown  # the parent's pool is not the child's to shut down
    settings.threads = 3
    assert run_chunks(lambda lo, hi: hi - lo, np.array([0, 1, 2, 3])) == [1, 1, 1]
    assert threads._pool is not None
    bigger = threads._pool[2]
    assert bigger is not child and bigger._max_workers == 3  # the size set
    assert child._shutdown  # this process's pool of the old size is shut down
    pool.shutdown()
    bigger.shutdown()


def test_chunked_equals_one_call(two_threads: None) -> None:
    rng = np.random.default_rng(0)
    a = np.array([_ring(x, y, r, 60) for x, y, r in rng.uniform(0, 100, (300, 3))])
    b = np.array([_ring(x, y, r, 60) for x, y, r in rng.uniform(0, 100, (300, 3))])

    def area(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return shapely.area(shapely.intersection(x, y))

    got = chunked(area, a, b, cost=np.full(300, 100), min_cost=0)
    np.testing.assert_array_equal(got, area(a, b))


def test_pair_areas_threaded_equals_single(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    a = np.array([_ring(x, y, r, 80) for x, y, r in rng.uniform(0, 100, (200, 3))])
    b = np.array([_ring(x, y, r, 80) for x, y, r in rng.uniform(0, 100, (200, 3))])
    calls: list[int] = []
    real = threads.run_chunks

    def spy(func, edges):
        calls.append(len(edges) - 1)
        return real(func, edges)

    monkeypatch.setattr(threads, "run_chunks", spy)
    monkeypatch.setattr(settings, "threads", 1)
    one = pair_areas(a, b)
    monkeypatch.setattr(settings, "threads", 2)
    two = pair_areas(a, b)
    np.testing.assert_array_equal(one, two)
    assert calls == [2]  # 32,000 coordinates: shared between two threads
    np.testing.assert_allclose(two, shapely.area(shapely.intersection(a, b)), rtol=1e-12)


@given(seed=st.integers(0, 2**32 - 1))
@hsettings(deadline=None, max_examples=10, suppress_health_check=[HealthCheck.too_slow])
def test_nearest_threaded_equals_single(seed: int) -> None:
    from erbm_geo.geom import kernels
    from erbm_geo.geom.memo import memo_for

    rng = np.random.default_rng(seed)
    src = np.array([_ring(x, y, 3, 40) for x, y in rng.uniform(0, 1_000, (150, 2))])
    tgt = shapely.linestrings(rng.uniform(0, 1_000, (30, 4, 2)))
    chunks: list[int] = []
    real = kernels.run_chunks

    def spy(func, edges):
        chunks.append(len(edges) - 1)
        return real(func, edges)

    saved = settings.threads
    kernels.run_chunks = spy
    try:
        settings.threads = 1
        one = nearest(src, tgt)
        settings.threads = 2
        memo_for(tgt).derived.clear()
        two = nearest(src, tgt)
    finally:
        settings.threads = saved
        kernels.run_chunks = real
    assert chunks[0] == 1 and chunks[-1] == 2  # many sources not touching a line: two chunks
    np.testing.assert_array_equal(one[0], two[0])
    np.testing.assert_array_equal(one[1], two[1])


def test_gc_paused_restores_the_state() -> None:
    @gc_paused
    def inside() -> bool:
        return gc.isenabled()

    @gc_paused
    def fails() -> None:
        raise KeyError("x")

    assert gc.isenabled()
    assert inside() is False and gc.isenabled()
    with pytest.raises(KeyError):
        fails()
    assert gc.isenabled()
    gc.disable()
    try:
        assert inside() is False
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


@pytest.mark.parametrize("bad", [0, -1, True, "2", 1.5])
def test_the_kernels_refuse_a_thread_count_that_is_no_positive_integer(bad: object) -> None:
    """Assignments are checked by the settings; a value that got past them (0 from a malformed
    ERBM_GEO_THREADS at import) is refused by the kernels themselves."""
    import types

    saved = settings.threads
    types.ModuleType.__setattr__(settings, "threads", bad)  # past the settings' own check
    try:
        with pytest.raises(InvalidOptionError, match="must be a positive integer"):
            n_threads()
    finally:
        settings.threads = saved


def test_two_costly_elements_are_cut_in_two_and_min_cost_is_the_callers(two_threads: None) -> None:
    import threading

    assert chunk_edges(np.array([5e4, 5e4])).tolist() == [0, 1, 2]
    names: list[str] = []

    def where(x: np.ndarray) -> np.ndarray:
        names.append(threading.current_thread().name)
        return x * 2

    got = chunked(where, np.arange(4.0), cost=np.ones(4), min_cost=0)  # tiny, but asked to share
    assert got.tolist() == [0.0, 2.0, 4.0, 6.0] and len(names) == 2
