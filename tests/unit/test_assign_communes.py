"""assign_communes's fast paths (contains first, no measure for points, codes joined by rank)
against a brute force over every commune."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from erbm_geo.geom.spatial import assign_communes, measure

X0, Y0, SIDE = 700_000.0, 7_000_000.0, 1000.0


def _communes() -> gpd.GeoDataFrame:
    """A 3 × 3 grid of 1 km communes, the middle one with a hole (an enclave, in none)."""
    polys = []
    for j in range(3):
        for i in range(3):
            b = shapely.box(X0 + i * SIDE, Y0 + j * SIDE, X0 + (i + 1) * SIDE, Y0 + (j + 1) * SIDE)
            if (i, j) == (1, 1):
                b = b.difference(shapely.box(X0 + 1400, Y0 + 1400, X0 + 1600, Y0 + 1600))
            polys.append(b)
    codes = [f"{59000 + 9 - k}" for k in range(9)]  # codes not in grid order
    return gpd.GeoDataFrame(geometry=polys, crs=2154, index=pd.Index(codes, name="code_insee"))


def _brute(geom: shapely.Geometry, communes: gpd.GeoDataFrame, max_distance: float) -> tuple[object, object]:
    dim = shapely.get_dimensions(geom)
    parts = []
    for code, c in zip(communes.index, communes.geometry, strict=True):
        if not shapely.intersects(geom, c):
            continue
        inter = shapely.intersection(geom, c)
        m = float(measure(np.array([inter]))[0]) if shapely.get_dimensions(inter) == dim else 0.0
        if m > 0 or dim == 0:
            parts.append((code, m))
    if not parts:
        d = [
            (shapely.distance(geom, c), code)
            for code, c in zip(communes.index, communes.geometry, strict=True)
        ]
        best = min(d)
        return (best[1], best[1]) if best[0] <= max_distance else (None, None)
    parts.sort(key=lambda p: (-p[1], p[0]))
    return parts[0][0], ";".join(p[0] for p in parts)


coord = st.floats(X0 - 300, X0 + 3300, allow_nan=False)
size = st.floats(1, 1500, allow_nan=False)
feature = st.one_of(
    st.builds(lambda x, y, w, h: shapely.box(x, y, x + w, y + h), coord, coord, size, size),
    st.builds(lambda x, y, w, h: shapely.LineString([(x, y), (x + w, y + h)]), coord, coord, size, size),
    st.builds(shapely.Point, coord, coord),
    st.builds(lambda x, y: shapely.Point(X0 + 1000 * round((x - X0) / 1000), y), coord, coord),  # on an edge
)


@settings(max_examples=150, deadline=None)
@given(st.lists(feature, min_size=1, max_size=25))
def test_assign_communes_matches_brute_force(feats: list[shapely.Geometry]) -> None:
    communes = _communes()
    gdf = gpd.GeoDataFrame(geometry=feats, crs=2154, index=pd.RangeIndex(len(feats)) + 10)
    got = assign_communes(gdf, communes, max_distance=200.0)
    want = [_brute(g, communes, 200.0) for g in feats]
    assert got["code_insee"].tolist() == [w[0] if w[0] is not None else pd.NA for w in want]
    assert got["codes_insee"].tolist() == [w[1] if w[1] is not None else pd.NA for w in want]
    main_only = assign_communes(gdf, communes, max_distance=200.0, codes=False)
    assert main_only.columns.tolist() == ["code_insee"]
    assert main_only["code_insee"].equals(got["code_insee"])


def _squares() -> gpd.GeoDataFrame:
    """Three 100 m communes side by side (A, B, C); B and C overlap by 10 m."""
    return gpd.GeoDataFrame(
        {"code_insee": ["A", "B", "C"]},
        geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100), shapely.box(190, 0, 290, 100)],
        crs=2154,
    ).set_index("code_insee")


def test_features_wholly_inside_a_commune_are_never_intersected(monkeypatch: pytest.MonkeyPatch) -> None:
    """A polygon or line properly inside a commune that overlaps no other is measured whole and
    tested against no other commune; points are never intersected."""
    import erbm_geo.geom.spatial as spatial

    cut: list[int] = []
    tested: list[int] = []
    real_cut, real_test = shapely.intersection, shapely.intersects

    def spy_cut(x: Any, y: Any, *args: Any, **kwargs: Any) -> Any:
        cut.append(len(x))
        return real_cut(x, y, *args, **kwargs)

    def spy_test(x: Any, y: Any, *args: Any, **kwargs: Any) -> Any:
        tested.append(len(np.atleast_1d(x)))
        return real_test(x, y, *args, **kwargs)

    monkeypatch.setattr(spatial.shapely, "intersection", spy_cut)
    monkeypatch.setattr(spatial.shapely, "intersects", spy_test)
    f = gpd.GeoDataFrame(
        geometry=[
            shapely.box(10, 10, 98, 20),  # inside A
            shapely.LineString([(60, 50), (99, 50)]),  # a line inside A
            shapely.Point(50, 50),  # a point inside A
            shapely.box(90, 40, 110, 60),  # across A and B: intersected with both
        ],
        crs=2154,
    )
    got = assign_communes(f, _squares())
    assert got["code_insee"].tolist() == ["A", "A", "A", "A"]
    assert got["codes_insee"].tolist() == ["A", "A", "A", "A;B"]
    assert sum(cut) == 2  # the feature across A and B, once per commune
    assert sum(tested) == 3  # the point (in A), the feature across (A and B): the pairs left open


def test_a_feature_inside_a_commune_that_overlaps_another_meets_both() -> None:
    """B and C overlap: a feature properly inside C may lie in B too (its other candidates are
    kept); its main commune is the one holding its largest part."""
    f = gpd.GeoDataFrame(geometry=[shapely.box(192, 10, 260, 20), shapely.box(150, 10, 195, 20)], crs=2154)
    got = assign_communes(f, _squares())
    assert got["code_insee"].tolist() == ["C", "B"]
    assert got["codes_insee"].tolist() == ["C;B", "B;C"]  # the largest part first


def test_a_feature_near_a_commune_but_outside_it_takes_the_nearest_within_reach() -> None:
    """A feature whose box meets one commune's box only, without touching the commune, is not
    taken for lying in it: the nearest commune within max_distance is its commune."""
    tri = gpd.GeoDataFrame(
        {"code_insee": ["T"]}, geometry=[shapely.Polygon([(0, 0), (100, 0), (0, 100)])], crs=2154
    ).set_index("code_insee")
    f = gpd.GeoDataFrame(geometry=[shapely.box(80, 80, 90, 90)], crs=2154)  # in T's box, not in T
    assert assign_communes(f, tri, max_distance=1.0)["code_insee"].isna().tolist() == [True]
    assert assign_communes(f, tri, max_distance=100.0)["code_insee"].tolist() == ["T"]


def test_overlapping_mask_counts_shared_area_not_a_shared_edge() -> None:
    from erbm_geo.geom.spatial import overlapping_mask

    geoms = np.array([shapely.box(0, 0, 2, 2), shapely.box(1, 1, 3, 3), shapely.box(2, 0, 3, 1)])
    assert overlapping_mask(geoms).tolist() == [True, True, False]  # the third only touches


def test_a_feature_inside_a_commune_is_tested_against_no_other(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two triangles halving a square: a feature properly inside one has both in its box's
    reach, yet the other is dropped untested (the first overlaps no commune)."""
    import erbm_geo.geom.spatial as spatial

    tested: list[int] = []
    real = shapely.intersects

    def spy(x: Any, y: Any, *args: Any, **kwargs: Any) -> Any:
        tested.append(len(np.atleast_1d(x)))
        return real(x, y, *args, **kwargs)

    monkeypatch.setattr(spatial.shapely, "intersects", spy)
    halves = gpd.GeoDataFrame(
        {"code_insee": ["A", "B"]},
        geometry=[
            shapely.Polygon([(0, 0), (100, 0), (0, 100)]),
            shapely.Polygon([(100, 0), (100, 100), (0, 100)]),
        ],
        crs=2154,
    ).set_index("code_insee")
    f = gpd.GeoDataFrame(geometry=[shapely.box(10, 10, 40, 40), shapely.box(70, 70, 90, 90)], crs=2154)
    got = assign_communes(f, halves)
    assert got["codes_insee"].tolist() == ["A", "B"]
    assert sum(tested) == 0
