"""Invented layers shared by the unit tests (a helper module, not a test module).

A 3 × 2 grid of 1 km communes in two EPCI near (700 km, 7,000 km) in Lambert-93, IRIS and
stations on it, and hypothesis strategies for random features and points over it. Nothing here
comes from a real dataset.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from shapely import Point, box

X0, Y0 = 700_000, 7_000_000
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def gdf(
    geoms: list[shapely.Geometry], index: list[str] | None = None, **cols: list[object]
) -> gpd.GeoDataFrame:
    idx = pd.Index(index, name="code_insee") if index is not None else None
    return gpd.GeoDataFrame(cols, geometry=geoms, index=idx, crs=2154)


# a 3 × 2 grid of 1 km communes, two EPCI
CODES = ["62001", "62002", "62003", "59001", "59002", "59003"]
COMMUNES = gdf(
    [
        shapely.box(
            X0 + 1000 * (i % 3), Y0 + 1000 * (i // 3), X0 + 1000 * (i % 3 + 1), Y0 + 1000 * (i // 3 + 1)
        )
        for i in range(6)
    ],
    CODES,
    nom=[f"C{i}" for i in range(6)],
    siren_epci=["200000001"] * 3 + ["200000002"] * 3,
    nom_epci=["CA Un"] * 3 + ["CA Deux"] * 3,
    departement=["62"] * 3 + ["59"] * 3,
    nom_departement=["Pas-de-Calais"] * 3 + ["Nord"] * 3,
    friches_n=[1, 0, 2, 0, 0, 5],
    friches_surface_m2=[1e4, 0, 2e4, 0, 0, 3e6],
    friches_per_km2=[1.0, 0, 2, 0, 0, 5],
    friches_surface_share=[0.01, 0, 0.02, 0, 0, 3.0],
    revenu_median_uc=[18000, 19000, 20000, 21000, 22000, None],
    part_minima_sociaux_pct=[10.0, 11, 12, 13, 14, 15],
)


@st.composite
def features(draw: st.DrawFn) -> gpd.GeoDataFrame:
    n = draw(st.integers(1, 10))
    geoms = []
    for _ in range(n):
        x, y = draw(st.integers(0, 2800)), draw(st.integers(0, 1800))
        w, h = draw(st.integers(10, 600)), draw(st.integers(10, 600))
        geoms.append(shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h))
    return gpd.GeoDataFrame(geometry=geoms, crs=2154, index=pd.Index([f"f{i}" for i in range(n)]))


@st.composite
def points(draw: st.DrawFn, min_size: int = 1) -> gpd.GeoDataFrame:
    xy = draw(
        st.lists(st.tuples(st.integers(-500, 3500), st.integers(-500, 2500)), min_size=min_size, max_size=60)
    )
    return gpd.GeoDataFrame(
        {"nom": [f"p{i}" for i in range(len(xy))]},
        geometry=[shapely.Point(X0 + x, Y0 + y) for x, y in xy],
        crs=2154,
    )


def at(x: float, y: float) -> Point:
    return Point(X0 + x, Y0 + y)


def sq(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


IRIS = gpd.GeoDataFrame(
    {
        "code_insee": ["62001", "62001", "62002", "59001"],
        "revenu_median_uc": [10_000.0, 20_000.0, 30_000.0, np.nan],
        "taux_pauvrete_pct": [40.0, 10.0, 5.0, 50.0],
    },
    geometry=[sq(0, 0, 500, 1000), sq(500, 0, 1000, 1000), sq(1000, 0, 2000, 1000), sq(0, 1000, 1000, 2000)],
    crs=2154,
)


STATIONS = gpd.GeoDataFrame(
    {"nom": ["Gare", "Arrêt", ""], "mode": ["train", "tram", None]},
    geometry=[at(3000, 500), at(500, 1500), at(0, -2000)],
    index=pd.Index(["S1", "S2", "S3"], name="station_id"),
    crs=2154,
)
