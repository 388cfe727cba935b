"""Layers whose coordinates cannot be in their declared CRS (invented, a helper module shared by
the unit and mirror robustness tests), each with the words its OutOfAreaError must say."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely


def lonlat_as_l93() -> gpd.GeoDataFrame:
    """Lens in longitude/latitude, wrongly declared as Lambert-93."""
    return gpd.GeoDataFrame(
        {"nom": ["Lens"], "v": [1.0]}, geometry=[shapely.Point(2.83, 50.43).buffer(0.001)], crs="EPSG:2154"
    )


def l93_as_lonlat() -> gpd.GeoDataFrame:
    """Lens in Lambert-93 metres, declared as WGS84 (a GeoJSON without a crs member)."""
    return gpd.GeoDataFrame(
        {"nom": ["Lens"], "v": [1.0]},
        geometry=[shapely.Point(687_000, 7_037_000).buffer(50)],
        crs="EPSG:4326",
    )


def huge() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"nom": ["x"], "v": [1.0]}, geometry=[shapely.Point(1e15, 1e15).buffer(1)], crs="EPSG:2154"
    )


def beyond_the_pole() -> gpd.GeoDataFrame:
    """A square at y = 28,194 km in Lambert-93: beyond the projection's pole, no point on the Earth."""
    return gpd.GeoDataFrame(
        {"nom": ["x"], "v": [1.0]},
        geometry=[shapely.box(700_000, 28_194_000, 700_001, 28_194_001)],
        crs="EPSG:2154",
    )


def one_bad_among_good() -> gpd.GeoDataFrame:
    g = [shapely.Point(687_000, 7_037_000).buffer(50), shapely.Point(2.83, 50.43).buffer(0.001)]
    return gpd.GeoDataFrame(
        {"nom": ["Lens", "oops"], "v": [1.0, 2.0]}, geometry=g, crs="EPSG:2154", index=pd.Index(["ok", "bad"])
    )


CASES = {
    "lonlat declared 2154": (lonlat_as_l93, "look like degrees"),
    "lambert declared 4326": (l93_as_lonlat, "cannot be degrees"),
    "1e15": (huge, "larger than the Earth"),
    "beyond the pole": (beyond_the_pole, "no point on the Earth has in EPSG:2154"),
    "one bad feature": (one_bad_among_good, r"1 of 2 feature\(s\).*index \['bad'\]"),
}
