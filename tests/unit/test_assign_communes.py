"""assign_communes's fast paths (contains first, no measure for points, codes joined by rank)
against a brute force over every commune."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
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
