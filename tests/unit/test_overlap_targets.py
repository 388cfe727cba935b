"""Overlapping targets (two QPV over the same ground) are counted once in a share."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from erbm_geo.indicators import (
    qpv_overlap,
)

X0, Y0 = 680_000, 7_030_000  # the basin, Lambert-93

# ---------------------------------------------------------------- hand-checked values


def test_overlapping_targets_counted_once() -> None:
    sq = shapely.box(X0, Y0, X0 + 100, Y0 + 100)
    feats = gpd.GeoDataFrame({"n": [1]}, geometry=[sq], crs=2154)
    q = gpd.GeoDataFrame(
        {"code": ["A", "B"]},
        geometry=[shapely.box(X0, Y0, X0 + 60, Y0 + 100), shapely.box(X0 + 40, Y0, X0 + 100, Y0 + 100)],
        crs=2154,
    ).set_index("code")
    r = qpv_overlap(feats, q)
    assert r["qpv_share"].iloc[0] == pytest.approx(1.0)
    assert r["qpv_area_m2"].iloc[0] == pytest.approx(10_000)
    assert r["qpv_codes"].iloc[0] == "A;B" and r["n_qpv"].iloc[0] == 2
    touching = gpd.GeoDataFrame(
        {"code": ["A", "B"]},
        geometry=[shapely.box(X0, Y0, X0 + 50, Y0 + 100), shapely.box(X0 + 50, Y0, X0 + 100, Y0 + 100)],
        crs=2154,
    ).set_index("code")
    assert qpv_overlap(feats, touching)["qpv_share"].iloc[0] == pytest.approx(1.0)


# ---------------------------------------------------------------- errors


# ---------------------------------------------------------------- invariants
