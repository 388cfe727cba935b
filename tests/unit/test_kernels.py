"""The geometry kernels against brute force (hypothesis), on synthetic geometries only.

Every path of ``nearest`` — sources touching a target, the segment tree for line and polygon
targets (distance to edges, not vertices), the Voronoi diagram for many sources and point
targets, its fallback when the diagram cannot be built, ``max_distance``, ties and duplicates —
and the radius counts and covered areas are compared with an all-pairs computation.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erbm_geo.geom import kernels
from erbm_geo.geom.kernels import count_within, covered_area, dissolve_parts, nearest, overlay
from tests.checks import every

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

coord = st.integers(0, 400).map(float)  # integer grid: exact ties happen
points = st.lists(st.tuples(coord, coord), min_size=1, max_size=90).map(
    lambda xy: shapely.points(np.array(xy))
)
far_points = st.lists(st.tuples(st.floats(-1e5, 1e5), st.floats(-1e5, 1e5)), min_size=1, max_size=70).map(
    lambda xy: shapely.points(np.array(xy))
)


@st.composite
def boxes(draw: st.DrawFn, max_size: int = 12, min_size: int = 1) -> np.ndarray:
    n = draw(st.integers(min_size, max_size))
    out = []
    for _ in range(n):
        x, y = draw(coord), draw(coord)
        w, h = draw(st.integers(1, 120)), draw(st.integers(1, 120))
        out.append(shapely.box(x, y, x + w, y + h))
    return np.array(out, dtype=object)


@st.composite
def lines(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(1, 10))
    out = []
    for _ in range(n):
        k = draw(st.integers(2, 5))
        out.append(shapely.linestrings(np.array([(draw(coord), draw(coord)) for _ in range(k)])))
    return np.array(out, dtype=object)


def _brute(src: np.ndarray, tgt: np.ndarray) -> np.ndarray:
    return shapely.distance(src[:, None], tgt[None, :])


def _check_nearest(
    src: np.ndarray, tgt: np.ndarray, *, exact_ties: bool, max_distance: float | None = None
) -> None:
    idx, dist = nearest(src, tgt, max_distance=max_distance)
    d = _brute(src, tgt)
    best = d.min(axis=1)
    within = np.ones(len(src), dtype=bool) if max_distance is None else best <= max_distance
    assert every(idx[~within] == -1, may_be_empty=True) and every(np.isnan(dist[~within]), may_be_empty=True)
    ok = within
    np.testing.assert_allclose(dist[ok], best[ok], rtol=1e-9, atol=1e-7)
    chosen = d[np.flatnonzero(ok), idx[ok]]
    np.testing.assert_allclose(chosen, best[ok], rtol=1e-9, atol=1e-7)
    if exact_ties:  # ties broken by the lowest target index
        lowest = np.argmax(d <= best[:, None], axis=1)
        assert every(idx[ok] == lowest[ok], may_be_empty=True)


@SETTINGS
@given(points, points)
def test_nearest_point_targets(src: np.ndarray, tgt: np.ndarray) -> None:
    _check_nearest(src, tgt, exact_ties=True)


@SETTINGS
@given(
    st.lists(st.tuples(coord, coord), min_size=60, max_size=120).map(lambda xy: shapely.points(np.array(xy))),
    points,
)
def test_nearest_many_sources_voronoi_path(src: np.ndarray, tgt: np.ndarray) -> None:
    # more than 50 sources away from the targets: the Voronoi diagram answers
    _check_nearest(src, tgt, exact_ties=True)


@SETTINGS
@given(boxes(max_size=80), points)
def test_nearest_polygon_sources_to_points(src: np.ndarray, tgt: np.ndarray) -> None:
    _check_nearest(src, tgt, exact_ties=False)


few_points = st.lists(st.tuples(coord, coord), min_size=1, max_size=16).map(
    lambda xy: shapely.points(np.array(xy))
)


@SETTINGS
@given(st.one_of(points, far_points, boxes(max_size=60)), few_points)
def test_nearest_few_point_targets_dense_path(src: np.ndarray, tgt: np.ndarray) -> None:
    """At most DENSE_TARGETS points: every source set against every point, exactly as brute force."""
    idx, dist = nearest(src, tgt)
    d = _brute(src, tgt)
    best = d.min(axis=1)
    assert dist.tolist() == best.tolist()  # the same GEOS distance, not an approximation
    assert idx.tolist() == np.argmax(d <= best[:, None], axis=1).tolist()  # ties: lowest index


@SETTINGS
@given(
    st.one_of(
        boxes(min_size=60, max_size=120),
        st.lists(st.tuples(st.floats(-1e5, 1e5), st.floats(-1e5, 1e5)), min_size=60, max_size=120).map(
            lambda xy: shapely.points(np.array(xy))
        ),
    ),
    st.one_of(points, few_points),
    st.integers(1, 40),
)
def test_nearest_in_blocks_of_sources_is_the_same(src: np.ndarray, tgt: np.ndarray, block: int) -> None:
    """The point searches handle their sources a block at a time (memory): any block size, same answer."""
    with mock.patch.object(kernels, "BLOCK_ROWS", block):
        _check_nearest(src, tgt, exact_ties=False)
        rows = np.flatnonzero(np.arange(len(src)) % 3 != 1)  # some of the sources, as `nearest` asks
        search = kernels._nearest_dense if len(tgt) <= kernels.DENSE_TARGETS else kernels._nearest_points
        found = search(src, rows, tgt)
    d = _brute(src[rows], tgt)
    if found is None:  # no diagram: all the targets coincide
        assert len(np.unique(shapely.get_coordinates(tgt), axis=0)) < 2
        return
    idx, dist = found
    np.testing.assert_allclose(dist, d.min(axis=1), rtol=1e-9, atol=1e-7)
    np.testing.assert_allclose(d[np.arange(len(rows)), idx], d.min(axis=1), rtol=1e-9, atol=1e-7)


def test_each_block_prunes_with_its_own_sources_bounds() -> None:
    """Sources at a target, then sources between two: a block must not prune with another's vertices."""
    at_a = [shapely.box(i / 100, 0, i / 100 + 0.5, 0.5) for i in range(60)]
    between = [shapely.box(45 + i / 100, -1, 46 + i / 100, 1) for i in range(60)]
    src = np.array(at_a + between, dtype=object)
    tgt = shapely.points(
        np.array([[0, 0], [100, 0]] + [[50, 1000 * k + 5000] for k in range(20)], dtype=float)
    )
    with mock.patch.object(kernels, "BLOCK_ROWS", 60):
        found = kernels._nearest_points(src, np.arange(120), tgt)
    assert found is not None  # answered by the diagram, not left to the fallback
    d = _brute(src, tgt)
    assert found[0].tolist() == d.argmin(axis=1).tolist()
    np.testing.assert_allclose(found[1], d.min(axis=1))


def test_nearest_multipoint_targets_are_not_taken_for_points() -> None:
    """A MultiPoint target holds several coordinates: the coordinate's position is not the target's."""
    tgt = np.array([shapely.MultiPoint([(0, 0), (500, 0)]), shapely.Point(100, 0)], dtype=object)
    src = shapely.points(np.column_stack([np.linspace(0, 600, 61), np.full(61, 10.0)]))
    idx, dist = nearest(src, tgt)
    d = _brute(src, tgt)
    np.testing.assert_allclose(dist, d.min(axis=1))
    assert idx.tolist() == np.argmin(d, axis=1).tolist()


@SETTINGS
@given(far_points, boxes())
def test_nearest_polygon_targets_measured_to_edges(src: np.ndarray, tgt: np.ndarray) -> None:
    _check_nearest(src, tgt, exact_ties=False)


@SETTINGS
@given(points, lines())
def test_nearest_line_targets(src: np.ndarray, tgt: np.ndarray) -> None:
    _check_nearest(src, tgt, exact_ties=False)


@SETTINGS
@given(points, points, st.floats(0, 300))
def test_nearest_max_distance(src: np.ndarray, tgt: np.ndarray, md: float) -> None:
    _check_nearest(src, tgt, exact_ties=True, max_distance=md)


def test_voronoi_fallback_when_all_targets_coincide() -> None:
    rng = np.random.default_rng(1)
    src = shapely.points(rng.uniform(0, 1000, (80, 2)))
    tgt = shapely.points(np.array([[500.0, 500.0]] * 3))  # one unique point: no diagram
    idx, dist = nearest(src, tgt)
    assert every(idx == 0, may_be_empty=True)
    np.testing.assert_allclose(dist, shapely.distance(src, tgt[0]))


def test_edge_not_vertex() -> None:
    """A point facing the middle of a long edge is 10 m away, not 500 m (the vertices)."""
    sq = np.array([shapely.box(0, 0, 1000, 1000)], dtype=object)
    src = np.array([shapely.Point(500, -10)] * 60 + [shapely.Point(500, 1010)], dtype=object)
    _, dist = nearest(src, sq)
    np.testing.assert_allclose(dist, 10.0)


@SETTINGS
@given(points, points, st.floats(0, 200))
def test_count_within(src: np.ndarray, pts: np.ndarray, radius: float) -> None:
    expected = (_brute(src, pts) <= radius).sum(axis=1)
    assert count_within(src, pts, radius).tolist() == expected.tolist()


@SETTINGS
@given(boxes(), boxes())
def test_covered_area_counts_overlaps_once(src: np.ndarray, cover: np.ndarray) -> None:
    union = shapely.union_all(cover)
    expected = shapely.area(shapely.intersection(src, union))
    np.testing.assert_allclose(covered_area(src, dissolve_parts(cover)), expected, atol=1e-6)


@SETTINGS
@given(boxes(), boxes())
def test_overlay_area_ids_and_counts(src: np.ndarray, tgt: np.ndarray) -> None:
    ids = np.array([f"T{i:02d}" for i in range(len(tgt))], dtype=object)
    area, codes, n = overlay(src, tgt, ids)
    expected = shapely.area(shapely.intersection(src, shapely.union_all(tgt)))
    pair = shapely.area(shapely.intersection(src[:, None], tgt[None, :]))
    hit = pair >= 1.0
    # the area: every piece, overlapping targets counted once; the ids: pairs of at least 1 m²
    np.testing.assert_allclose(area, expected, atol=1e-6)
    assert n.tolist() == hit.sum(axis=1).tolist()
    assert codes.tolist() == [";".join(ids[h]) for h in hit]


def test_empty_inputs() -> None:
    e = np.array([], dtype=object)
    p = shapely.points(np.array([[0.0, 0.0]]))
    assert nearest(e, p)[0].shape == (0,)
    idx, dist = nearest(p, e)
    assert idx.tolist() == [-1] and every(np.isnan(dist))
    assert count_within(p, e, 10.0).tolist() == [0]
    assert count_within(p, e, 10.0).dtype == np.int64  # counts, also when there is nothing to count
    assert covered_area(p, e).tolist() == [0.0]
    assert dissolve_parts(e).dtype == object  # geometries, also when there are none


@pytest.mark.parametrize("dup", [2, 5])
def test_duplicate_targets_lowest_index_wins(dup: int) -> None:
    src = shapely.points(np.column_stack([np.arange(70.0), np.full(70, 50.0)]))
    tgt = shapely.points(np.array([[10.0, 0.0]] * dup + [[60.0, 0.0]]))
    idx, _ = nearest(src, tgt)
    assert set(idx.tolist()) == {0, dup}


def test_voronoi_diagram_kept_per_target_layer_grows_for_far_sources() -> None:
    """The diagram is kept in the targets' memo; sources beyond its extent rebuild it larger
    (a clipped cell would otherwise miss their nearest point)."""
    rng = np.random.default_rng(1)
    tgt = shapely.points(rng.uniform(0, 1000, (40, 2)))
    near = shapely.points(rng.uniform(0, 1000, (80, 2)))
    far = shapely.points(rng.uniform(0, 1000, (80, 2)) + np.array([900_000, -700_000]))
    for src in (near, far, near):
        idx, dist = nearest(src, tgt)
        d = _brute(src, tgt)
        np.testing.assert_allclose(dist, d.min(axis=1))
        np.testing.assert_allclose(d[np.arange(len(src)), idx], d.min(axis=1))


def test_collinear_point_targets() -> None:
    """Collinear targets (a degenerate Voronoi input) still give the brute-force answer."""
    tgt = shapely.points(np.c_[np.arange(0, 1000, 100.0), np.zeros(10)])
    src = shapely.points(np.random.default_rng(2).uniform(-500, 1500, (120, 2)))
    _, dist = nearest(src, tgt)
    d = _brute(src, tgt)
    np.testing.assert_allclose(dist, d.min(axis=1))


def _count_calls(monkeypatch: pytest.MonkeyPatch, name: str) -> dict[str, int]:
    """Count the calls of ``erbm_geo.geom.kernels.<name>`` (in ``["n"]``)."""
    from erbm_geo.geom import kernels

    calls = {"n": 0}
    real = getattr(kernels, name)

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(kernels, name, counting)
    return calls


def _spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count diagram builds and forbid the segment-tree fallback."""
    from erbm_geo.geom import kernels

    def no_fallback(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the Voronoi path fell back to the segment tree")

    monkeypatch.setattr(kernels, "_segment_tree", no_fallback)
    return _count_calls(monkeypatch, "_voronoi")


@SETTINGS
@given(
    st.lists(st.tuples(coord, coord), min_size=60, max_size=120).map(lambda xy: shapely.points(np.array(xy))),
    st.lists(st.tuples(coord, coord), min_size=2, max_size=40, unique=True).map(
        lambda xy: shapely.points(np.array(xy))
    ),
    boxes(max_size=80),
)
def test_voronoi_path_answers_without_fallback(src: np.ndarray, tgt: np.ndarray, polys: np.ndarray) -> None:
    """With two or more distinct (non-collinear or collinear) targets, the diagram answers every
    source itself: its pruning never drops the true nearest point."""
    if (
        len(np.unique(shapely.get_coordinates(tgt)[:, 0])) < 2
        or len(np.unique(shapely.get_coordinates(tgt)[:, 1])) < 2
    ):
        return  # collinear on an axis: the diagram may legitimately be refused
    src = src[~shapely.intersects(src[:, None], tgt[None, :]).any(axis=1)]
    polys = polys[~shapely.intersects(polys[:, None], tgt[None, :]).any(axis=1)]
    with pytest.MonkeyPatch.context() as mp:
        _spy(mp)  # more than 50 sources touching no target: the diagram answers them all
        for s in (x for x in (src, polys) if len(x) > 50):
            idx, dist = nearest(s, tgt)
            d = _brute(s, tgt)
            best = d.min(axis=1)
            np.testing.assert_allclose(dist, best, rtol=1e-9, atol=1e-7)
            assert every(idx == np.argmax(d <= best[:, None], axis=1), may_be_empty=True)


def test_voronoi_built_once_per_layer_and_again_only_for_far_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _spy(monkeypatch)
    rng = np.random.default_rng(3)
    tgt = shapely.points(rng.uniform(0, 1000, (30, 2)))
    a = shapely.points(rng.uniform(0, 1000, (70, 2)))
    b = shapely.points(rng.uniform(-200_000, 200_000, (70, 2)))  # within 300 km of the targets
    for src in (a, b, a):
        nearest(src, tgt)
    assert calls["n"] == 1
    far_x = shapely.points(rng.uniform(0, 1000, (70, 2)) + np.array([400_000.0, 0]))
    far_y = shapely.points(rng.uniform(0, 1000, (70, 2)) - np.array([0, 400_000.0]))
    for src, expected in ((far_x, 2), (far_x, 2), (far_y, 3), (a, 3), (far_x, 3)):
        idx, dist = nearest(src, tgt)
        d = _brute(src, tgt)
        np.testing.assert_allclose(dist, d.min(axis=1))
        np.testing.assert_allclose(d[np.arange(len(src)), idx], d.min(axis=1))
        assert calls["n"] == expected


def test_few_sources_use_the_tree_not_the_diagram(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_calls(monkeypatch, "_nearest_points")
    tgt = shapely.points(np.random.default_rng(4).uniform(0, 1000, (30, 2)))
    nearest(shapely.points(np.random.default_rng(5).uniform(0, 1000, (50, 2))), tgt)
    assert calls["n"] == 0
    nearest(shapely.points(np.random.default_rng(5).uniform(0, 1000, (51, 2))), tgt)
    assert calls["n"] == 1


@SETTINGS
@given(
    st.integers(1, 60).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=80)
        )
    )
)
def test_connected_components_against_scipy(case: tuple[int, list[tuple[int, int]]]) -> None:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components as scipy_components

    from erbm_geo.geom.spatial import connected_components

    n, edges = case
    i = np.array([e[0] for e in edges], dtype=np.int64)
    j = np.array([e[1] for e in edges], dtype=np.int64)
    got = connected_components(n, i, j)
    _, ref = scipy_components(coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n)), directed=False)
    # same partition, each labelled by its smallest node
    smallest = {lab: int(np.flatnonzero(ref == lab).min()) for lab in np.unique(ref)}
    assert got.tolist() == [smallest[lab] for lab in ref]


def test_voronoi_only_for_as_many_sources_as_targets_or_once_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """Few sources against many point targets: a tree search (building the diagram would cost
    more); as many sources as targets, or a diagram already built: the diagram."""
    calls = _count_calls(monkeypatch, "_nearest_points")
    rng = np.random.default_rng(9)
    tgt = shapely.points(rng.uniform(0, 1000, (100, 2)))
    few = shapely.points(rng.uniform(0, 1000, (99, 2)))
    many = shapely.points(rng.uniform(0, 1000, (100, 2)))
    for src, expected in ((few, 0), (many, 1), (few, 2)):  # the diagram, once built, answers
        idx, dist = nearest(src, tgt)
        d = _brute(src, tgt)
        np.testing.assert_allclose(dist, d.min(axis=1))
        assert every(idx == np.argmin(d, axis=1), may_be_empty=True) and calls["n"] == expected
    lines = np.array([shapely.LineString([(0, 0), (1, 1)])] * 10, dtype=object)
    nearest(shapely.points(rng.uniform(0, 1000, (100, 2))), lines)
    assert calls["n"] == 2  # never for lines


label = st.one_of(st.text(max_size=6), st.integers(-5, 5), st.none(), st.just(float("nan")))


@SETTINGS
@given(st.lists(label, max_size=8), st.data())
def test_take_labels_is_each_label_taken_as_text(labels: list[object], data: st.DataObject) -> None:
    """Labels of any kind (text, numbers, missing) taken by position, -1 giving <NA>, as text."""
    arr = np.array([*labels, None], dtype=object)[:-1]  # an object array even of one kind
    idx = np.array(data.draw(st.lists(st.integers(-1, len(labels) - 1), max_size=20)), dtype=np.int64)
    got = kernels.take_labels(arr, idx)
    assert str(got.dtype) == "string" and len(got) == len(idx)
    for i, v in zip(idx, got, strict=True):
        missing = i < 0 or arr[i] is None or (isinstance(arr[i], float) and np.isnan(arr[i]))
        assert (v is pd.NA) if missing else (v == str(arr[i]))


def test_segments_are_each_targets_edges_two_points_at_a_time() -> None:
    """Lines and polygons (their boundaries, holes included) become 2-point segments that
    cover each target's edges exactly; points stay whole."""
    hole = shapely.Polygon(
        [(0, 0), (10, 0), (10, 10), (6, 10), (6, 3), (4, 3), (4, 10), (0, 10)],  # a U: not convex
        holes=[[(1, 1), (2, 1), (2, 2), (1, 2)]],
    )
    multi = shapely.MultiLineString([[(20, 0), (21, 1), (22, 0)], [(30, 0), (31, 0)]])
    for tgt in (
        np.array([hole, multi], dtype=object),
        np.array([multi, shapely.LineString([(0, 50), (5, 55)])], dtype=object),  # lines only
        np.array([shapely.Point(9, 9), hole], dtype=object),  # a point among polygons
    ):
        segs, owner = kernels._segments(tgt)
        lines = shapely.get_dimensions(segs) == 1
        assert every(shapely.get_num_coordinates(segs[lines]) == 2)
        for k, g in enumerate(tgt):
            mine = segs[owner == k]
            if shapely.get_dimensions(g) == 0:
                assert len(mine) == 1 and mine[0].equals(g)
                continue
            edges = shapely.boundary(g) if shapely.get_dimensions(g) == 2 else g
            assert shapely.union_all(mine).equals(edges), k
            assert len(mine) == len(shapely.get_coordinates(edges)) - len(shapely.get_parts(edges))
    pts = shapely.points(np.array([[0.0, 0.0], [1.0, 1.0]]))
    segs, owner = kernels._segments(pts)
    assert segs is pts and owner.tolist() == [0, 1]


def _sizes_passed_to(monkeypatch: pytest.MonkeyPatch, name: str, module: Any = shapely) -> list[int]:
    """Record the length of the geometries passed to each call of ``<module>.<name>``."""
    sizes: list[int] = []
    real = getattr(module, name)

    def spy(g: np.ndarray, *args: Any, **kwargs: Any) -> Any:
        sizes.append(len(g))
        return real(g, *args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return sizes


def test_first_vertices_a_block_at_a_time_kept_when_most_are_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each geometry's vertices are read once, a block at a time; the whole array's first
    vertices are kept when a quarter or more of it is asked for, not otherwise."""
    geoms = shapely.linestrings(np.arange(80.0).reshape(20, 2, 2))
    expect = np.arange(80.0).reshape(20, 2, 2)[:, 0]
    monkeypatch.setattr(kernels, "BLOCK_ROWS", 3)
    sizes = _sizes_passed_to(monkeypatch, "get_coordinates")
    few = np.array([2, 7, 19, 0])  # 4 of 20: computed for them alone, each time
    for _ in range(2):
        np.testing.assert_array_equal(kernels._first_vertex(geoms, few), expect[few])
        assert sizes == [3, 1]
        sizes.clear()
    most = np.array([5, 4, 3, 2, 1])  # 5 of 20: every geometry's, once, then kept
    np.testing.assert_array_equal(kernels._first_vertex(geoms, most), expect[most])
    assert sizes == [3] * 6 + [2]
    sizes.clear()
    np.testing.assert_array_equal(kernels._first_vertex(geoms, np.arange(19, 3, -1)), expect[19:3:-1])
    assert sizes == []  # kept
    np.testing.assert_array_equal(kernels._first_vertex(geoms, few), expect[few])
    assert sizes == [3, 1]  # a few rows: theirs alone (no memo is made or looked up for them)


L93 = np.array([700_000.0, 7_000_000.0])  # Lambert-93-like: x and y of different magnitude


def test_voronoi_diagram_reaches_300_km_beyond_the_points_or_the_sources() -> None:
    """The diagram's extent: the points' bounds 300 km wider, and 1 m beyond sources outside
    them; a search within the extent held (its edges included) keeps the diagram."""
    from erbm_geo.geom.memo import memo_for

    rng = np.random.default_rng(7)
    tgt = shapely.points(L93 + rng.uniform(0, 1000, (30, 2)))
    tb = shapely.total_bounds(tgt)
    src = shapely.points(L93 + rng.uniform(0, 1000, (40, 2)))

    def searched(s: np.ndarray) -> np.ndarray:
        found = kernels._nearest_points(s, np.arange(len(s)), tgt)
        assert found is not None  # the diagram answered
        idx, dist = found
        assert idx.dtype == np.int64
        d = _brute(s, tgt)
        np.testing.assert_allclose(dist, d.min(axis=1))
        np.testing.assert_allclose(d[np.arange(len(s)), idx], d.min(axis=1))
        return memo_for(tgt).derived["voronoi"]  # type: ignore[no-any-return]

    held = searched(src)
    np.testing.assert_array_equal(held[0], tb + np.array([-3e5, -3e5, 3e5, 3e5]))
    west = shapely.points(np.array([[tb[0] - 150_000, tb[1]]]))  # inside the extent, far from the points
    assert searched(np.concatenate([west, src])) is held
    edges = shapely.points(np.array([held[0][:2], held[0][2:]]))  # exactly on the extent's corners
    assert searched(np.concatenate([edges, src])) is held
    far = shapely.points(np.array([[tb[2] + 5e5, tb[1]], [tb[0], tb[1] - 4e5]]))
    grown = searched(np.concatenate([far, src]))  # the first sources lie beyond: a larger diagram
    np.testing.assert_array_equal(grown[0], [tb[0] - 3e5, tb[1] - 4e5 - 1, tb[2] + 5e5 + 1, tb[3] + 3e5])


def test_voronoi_of_two_points_and_of_one() -> None:
    two = shapely.points(np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 0.0]]))
    vor = kernels._voronoi(two, (-100.0, -100.0, 100.0, 100.0))
    assert vor is not None and len(vor[0]) == 2 and vor[1].tolist() == [0, 1]
    assert kernels._voronoi(two[[0, 2]], (-100.0, -100.0, 100.0, 100.0)) is None


def test_point_searches_read_each_source_once_a_block_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sources' bounds are read twice in all (their extent, then their candidates), a block
    of BLOCK_ROWS at a time."""
    rng = np.random.default_rng(8)
    tgt = shapely.points(rng.uniform(0, 1000, (25, 2)))
    src = shapely.points(rng.uniform(0, 1000, (40, 2)))
    rows = np.arange(3, 33)
    assert kernels._nearest_points(src, rows, tgt) is not None  # the diagram, built once
    monkeypatch.setattr(kernels, "BLOCK_ROWS", 7)
    sizes = _sizes_passed_to(monkeypatch, "bounds")
    found = kernels._nearest_points(src, rows, tgt)
    assert found is not None
    assert sizes == [7, 7, 7, 7, 2] * 2


def test_the_dense_search_reads_each_source_once_a_block_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Against a few points (the main centres), each source's bounds are read once, a block of
    BLOCK_ROWS at a time."""
    rng = np.random.default_rng(9)
    src = shapely.points(rng.uniform(0, 1000, (40, 2)))
    pts = shapely.points(rng.uniform(0, 1000, (5, 2)))
    rows = np.arange(3, 33)
    monkeypatch.setattr(kernels, "BLOCK_ROWS", 7)
    sizes = _sizes_passed_to(monkeypatch, "bounds")
    idx, dist = kernels._nearest_dense(src, rows, pts)
    assert sizes == [7, 7, 7, 7, 2]
    brute = shapely.distance(src[rows][:, None], pts[None, :])
    np.testing.assert_allclose(dist, brute.min(axis=1))
    assert idx.tolist() == brute.argmin(axis=1).tolist()


def test_pruning_keeps_exact_ties_and_drops_what_cannot_be_nearest() -> None:
    """A candidate at distance 0 is kept (no margin to spare there); one whose lower bound is
    1.5 times the source's best upper bound is dropped."""
    point = np.array([[0.0, 0.0, 0.0, 0.0]])  # a point source's bounds
    keep = kernels._pruned(point, np.array([[0.0, 0.0]]), np.array([0.0, 1.0]), np.zeros(2), np.zeros(2, int))
    assert keep.tolist() == [True, False]
    box = np.array([[0.0, 0.0, 2.0, 2.0]])  # vertex (0, 0): best upper bound 1, from (0, -1)
    px, py = np.array([0.0, 1.0]), np.array([-1.0, -1.5])
    keep = kernels._pruned(box, np.array([[0.0, 0.0]]), px, py, np.zeros(2, int))
    assert keep.tolist() == [True, False]


def test_nearest_gives_integer_positions_on_every_path() -> None:
    """Positions are int64 whether nothing is searched, sources touch targets or are searched."""
    p = shapely.points(np.array([[0.0, 0.0], [5.0, 5.0]]))
    e = np.array([], dtype=object)
    line = shapely.points(np.c_[np.arange(60.0), np.zeros(60)])
    for src, tgt in ((e, p), (p, e), (p, p), (p, p[[1]]), (line, p), (line, line[::7])):
        assert nearest(src, tgt)[0].dtype == np.int64


def test_best_pair_per_source_from_pairs_in_any_order() -> None:
    """Pairs not sorted by source (candidates of several blocks) give each source its closest
    target, ties to the lowest; a source with no pair gets -1 and NaN."""
    si = np.array([2, 0, 2, 0, 3, 2])
    d = np.array([5.0, 1.0, 4.0, 1.0, 7.0, 4.0])
    owner = np.array([10, 8, 12, 6, 9, 11])
    idx, dist = kernels._best(si, d, owner, 5)
    assert idx.tolist() == [6, -1, 11, 9, -1] and idx.dtype == np.int64
    np.testing.assert_array_equal(dist, [1.0, np.nan, 4.0, 7.0, np.nan])
    # source 2 in two runs, none before the first source: its better pair is in the first run
    si, d, owner = np.array([0, 2, 1, 2]), np.array([1.0, 1.0, 2.0, 3.0]), np.array([0, 5, 7, 4])
    idx, dist = kernels._best(si, d, owner, 3)
    assert idx.tolist() == [0, 7, 5] and dist.tolist() == [1.0, 2.0, 1.0]


@pytest.mark.parametrize("md", [1.0, 5.0])
def test_nearest_max_distance_includes_targets_at_exactly_that_distance(md: float) -> None:
    """Targets *farther* than max_distance are left out: one at exactly that distance is found."""
    tgt = shapely.points(np.array([[0.0, 0.0], [100.0, 0.0]]))
    src = shapely.points(np.array([[0.6 * md, 0.8 * md], [0.5 * md, 0.0], [30.0, 0.0]]))  # md, md/2, 30
    idx, dist = nearest(src, tgt, max_distance=md)
    assert idx.tolist() == [0, 0, -1]
    np.testing.assert_allclose(dist[:2], [md, md / 2])


def test_dense_path_for_up_to_16_point_targets(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_calls(monkeypatch, "_nearest_dense")
    rng = np.random.default_rng(9)
    src = shapely.points(rng.uniform(0, 1000, (70, 2)))
    for n, used in ((kernels.DENSE_TARGETS, 1), (kernels.DENSE_TARGETS + 1, 1)):
        tgt = shapely.points(rng.uniform(0, 1000, (n, 2)))
        _check_nearest(src, tgt, exact_ties=False)
        assert calls["n"] == used  # 16 points: every source against every point; 17: not


def test_dense_search_measures_only_the_points_that_may_be_nearest(monkeypatch: pytest.MonkeyPatch) -> None:
    """A source's box bounds its distance to each point: the farthest corner from the best point
    above, the box's nearest location below; exact distances only where the lower bound does not
    exceed the best upper bound (here one point of three)."""
    src = np.array([shapely.box(100, 100, 101, 101)], dtype=object)
    # A: upper bound sqrt(4.25); B: lower bound 2.5 (between 1x and 2x the best); C: far in x and y
    pts = shapely.points(np.array([[102.0, 100.5], [103.5, 100.5], [110.0, 200.0]]))
    measured: list[int] = []
    real = kernels._closest

    def spy(q: np.ndarray, si: np.ndarray, *args: Any) -> Any:
        measured.append(len(si))
        return real(q, si, *args)

    monkeypatch.setattr(kernels, "_closest", spy)
    idx, dist = kernels._nearest_dense(src, np.array([0]), pts)
    assert measured == [1] and idx.tolist() == [0]
    np.testing.assert_allclose(dist, [1.0])


def test_overlay_ids_are_one_kind_of_series_whatever_the_targets() -> None:
    """The ids come as an object Series of text with no target, with no hit and with hits
    (pandas 3 would otherwise infer its own string type for some of them)."""
    src = np.array([shapely.box(0, 0, 1, 1), shapely.box(5, 5, 6, 6)], dtype=object)
    for tgt, ids, expected in (
        (np.array([], dtype=object), np.array([], dtype=object), ["", ""]),
        (np.array([shapely.box(10, 10, 11, 11)]), np.array(["a"]), ["", ""]),
        (np.array([shapely.box(0, 0, 2, 2)]), np.array(["a"]), ["a", ""]),
    ):
        _, got, _ = overlay(src, tgt, ids)
        assert got.dtype == object and got.tolist() == expected


def test_overlay_measures_again_only_sources_sharing_area_with_overlapping_targets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Overlapping targets would count a surface twice: the sources sharing area with them, and
    only those, are measured again against the dissolved targets."""
    tgt = np.array([shapely.box(0, 0, 2, 2), shapely.box(1, 0, 3, 2), shapely.box(10, 0, 11, 1)])
    src = np.array(
        [
            shapely.box(0.5, 0.5, 1.5, 1.5),  # inside both overlapping targets
            shapely.box(10.2, 0.2, 10.8, 0.8),  # inside the target that overlaps nothing
            shapely.box(3, 0, 4, 1),  # touching an overlapping target along an edge: no area
        ]
    )
    measured = _sizes_passed_to(monkeypatch, "covered_area", kernels)
    area, ids, counts = overlay(src, tgt, np.array(["a", "b", "c"]), min_area=0.0)
    assert measured == [1]
    np.testing.assert_allclose(area, [1.0, 0.36, 0.0])
    assert ids.tolist() == ["a;b", "c", "b"] and counts.tolist() == [2, 1, 1]  # min_area=0: a touch counts


def test_segment_search_keeps_max_distance_and_the_lowest_of_tied_targets() -> None:
    """Line and polygon targets (the segment tree): a source beyond max_distance gets -1 and NaN;
    among targets at the same distance (copies of one line, in any order) the lowest wins."""
    line = shapely.LineString([(0, 10), (100, 10)])
    other = shapely.LineString([(0, 50), (100, 50)])
    src = shapely.points(np.array([[50.0, 0.0], [50.0, 25.0], [50.0, 200.0]]))
    for tgt, nearest_of_each in (
        (np.array([other, line, line, line], dtype=object), [1, 1, 0]),
        (np.array([line, line, other, line], dtype=object), [0, 0, 2]),
    ):
        idx, dist = nearest(src, tgt)
        assert idx.tolist() == nearest_of_each
        np.testing.assert_allclose(dist, [10.0, 15.0, 150.0])
        idx, dist = nearest(src, tgt, max_distance=25.0)
        assert idx.tolist() == [*nearest_of_each[:2], -1]
        np.testing.assert_allclose(dist, [10.0, 15.0, np.nan])


def test_segment_search_takes_the_lowest_of_many_tied_targets() -> None:
    """Copies of one line scattered among other lines: GEOS's tree meets them in its own order;
    the nearest is the lowest copy, as for every other path."""
    rng = np.random.default_rng(0)
    line = shapely.LineString([(0, 10), (100, 10)])
    others = [shapely.LineString([(x, y), (x + 5, y)]) for x, y in rng.uniform(200, 1000, (38, 2))]
    tgt = np.array([line] * 34 + others, dtype=object)[rng.permutation(72)]
    src = shapely.points(np.array([[50.0, 0.0], [20.0, 5.0]]))
    idx, dist = nearest(src, tgt)
    copies = np.flatnonzero(shapely.equals(tgt, line))
    assert idx.tolist() == [copies.min()] * 2
    np.testing.assert_allclose(dist, [10.0, 5.0])


def test_shares_never_exceed_one() -> None:
    """A part measured a hair larger than its whole (rounding) is a share of 1, not more."""
    got = kernels.share_of(np.array([2.0000001, 1.0, 0.0]), np.array([2.0, 4.0, 0.0]))
    np.testing.assert_array_equal(got, [1.0, 0.25, np.nan])


@pytest.mark.parametrize("shift", [(1e6, 0.0), (0.0, 1e6)])  # x larger than y, then y larger than x
def test_pair_areas_intersect_only_pairs_neither_of_which_holds_the_other(
    monkeypatch: pytest.MonkeyPatch, shift: tuple[float, float]
) -> None:
    """A feature wholly inside its target (or holding it) is measured, never intersected: only
    the pairs that cross, or whose boxes nest without their shapes nesting, are."""
    ell = shapely.Polygon([(0, 0), (10, 0), (10, 2), (2, 2), (2, 10), (0, 10)])  # an L
    pairs = [
        (shapely.box(0, 0, 10, 10), shapely.box(2, 2, 3, 3)),  # b inside a
        (shapely.box(2, 2, 3, 3), shapely.box(0, 0, 10, 10)),  # a inside b
        (shapely.box(0, 0, 4, 4), shapely.box(3, 3, 6, 6)),  # crossing
        (ell, shapely.box(5, 5, 6, 6)),  # b in a's box, outside the L
        (shapely.box(5, 5, 6, 6), ell),  # a in b's box, outside the L
    ]
    a = shapely.transform(np.array([p[0] for p in pairs], dtype=object), lambda xy: xy + shift)
    b = shapely.transform(np.array([p[1] for p in pairs], dtype=object), lambda xy: xy + shift)
    exact = _sizes_passed_to(monkeypatch, "_intersection_area", kernels)
    got = kernels.pair_areas(a, b)
    assert sum(exact) == 3  # the crossing pair and the two boxes that nest without their shapes
    np.testing.assert_allclose(got, [1.0, 1.0, 1.0, 0.0, 0.0], atol=1e-6)


def test_intersecting_pairs_of_nothing_are_two_empty_position_arrays() -> None:
    p = shapely.points(np.array([[0.0, 0.0], [1.0, 1.0]]))
    e = np.array([], dtype=object)
    for src, tgt in ((e, p), (p, e), (e, e)):
        si, ti = kernels.intersecting_pairs(src, tgt)
        assert si.shape == ti.shape == (0,) and si.dtype == ti.dtype == np.int64
