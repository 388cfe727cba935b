"""Robustness 1: bad inputs are rejected with specific library errors."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.errors import (
    CRSError,
    EmptyInputError,
    InvalidGeometryError,
    OutOfAreaError,
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
