"""Robustness 1: bad inputs are rejected with specific library errors."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.errors import (
    CRSError,
    DuplicateIndexError,
    EmptyInputError,
    InvalidGeometryError,
    OutOfAreaError,
)

#: A self-intersecting polygon in the basin (Lambert-93).
BOWTIE = shapely.Polygon(
    [(680_000, 7_030_000), (680_100, 7_030_100), (680_100, 7_030_000), (680_000, 7_030_100)]
)


def _line(crs: object = "EPSG:4326") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"nom": ["l"]}, geometry=[shapely.LineString([(2.83, 50.43), (3.07, 50.37)])], crs=crs
    )


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: _line(None), CRSError),
        (lambda: _line("EPSG:2154"), OutOfAreaError),  # lon/lat declared as Lambert-93
        (lambda: _line().iloc[:0], EmptyInputError),
        (
            lambda: gpd.GeoDataFrame({"nom": ["p"]}, geometry=[shapely.Polygon()], crs=4326),
            InvalidGeometryError,
        ),
        (
            lambda: gpd.GeoDataFrame(
                {"nom": ["n"]}, geometry=[shapely.LineString([(np.nan, 50), (3, 50)])], crs=4326
            ),
            InvalidGeometryError,
        ),
        (
            lambda: gpd.GeoDataFrame(
                {"nom": ["a", "b"]},
                crs=4326,
                geometry=[shapely.LineString([(2.8, 50.4), (3, 50.4)]), shapely.Point(2.9, 50.4)],
            ),
            InvalidGeometryError,
        ),  # mixed types for a line layer
    ],
)
def test_user_layer_rejects(make: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        eg.layers.user_layer(make(), kind="line")  # type: ignore[operator]


def test_indicators_reject_bad_features() -> None:
    c = eg.layers.communes().iloc[:5]
    dup = pd.concat([c, c.iloc[:1]])
    with pytest.raises(DuplicateIndexError, match="reset_index"):
        eg.indicators.qpv_overlap(dup, eg.indicators.builtin.qpv())
    bowtie = c.copy()
    bowtie.loc[bowtie.index[0], "geometry"] = BOWTIE
    with pytest.raises(InvalidGeometryError):
        eg.indicators.area_share(bowtie, eg.layers.bien_inscrit())
    with pytest.raises(EmptyInputError):
        eg.indicators.distance_to_centres(c.iloc[:0], eg.indicators.builtin.centres("main"))


def test_remembered_checks_follow_in_place_edits() -> None:
    """Checks remembered for a geometry array never vouch for a geometry replaced in place."""
    c = eg.layers.communes().iloc[:5].copy()
    eg.indicators.area_share(c, eg.layers.bien_inscrit())  # checks now remembered
    c.loc[c.index[0], "geometry"] = BOWTIE
    with pytest.raises(InvalidGeometryError):
        eg.indicators.area_share(c, eg.layers.bien_inscrit())
    c.loc[c.index[1], "geometry"] = shapely.LineString([(np.nan, 7_030_000), (680_001, 7_030_001)])
    with pytest.raises(InvalidGeometryError, match="NaN"):
        eg.indicators.distance_to_centres(c, eg.indicators.builtin.centres("main"))
