"""Invented layers for examples and doctests: they run without the data mirror.

Nothing here comes from a dataset: a grid of square communes, two intercommunalités and a few
town halls, placed in Lambert-93 where the basin lies, with made-up names, codes (``99…``, a
prefix no French commune has) and values. Use them to try a function; use
:mod:`erbm_geo.layers` for the real territory.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["example_centres", "example_communes"]

_X0, _Y0, _SIDE = 690_000.0, 7_020_000.0, 2_000.0


def example_communes() -> gpd.GeoDataFrame:
    """Return 12 invented square communes (2 km, 4 × 3) in two invented EPCI.

    Columns: ``nom``, ``siren_epci``, ``nom_epci``, ``departement``, ``nom_departement``,
    ``population``, ``area_km2`` and an invented share ``qpv_share`` (0 for half of them);
    indexed by ``code_insee`` (``"99001"``…), EPSG:2154.

    Returns
    -------
    geopandas.GeoDataFrame
        12 invented communes (codes ``99001``–``99012``), in EPSG:2154.

    Examples
    --------
    >>> c = example_communes()
    >>> len(c), c.crs.to_epsg(), c.index[0], round(float(c["area_km2"].sum()), 1)
    (12, 2154, '99001', 48.0)
    """
    cols, rows = np.meshgrid(np.arange(4), np.arange(3))
    x, y = _X0 + cols.ravel() * _SIDE, _Y0 + rows.ravel() * _SIDE
    n = len(x)
    west = cols.ravel() < 2
    gdf = gpd.GeoDataFrame(
        {
            "nom": [f"Commune {chr(65 + i)}" for i in range(n)],
            "siren_epci": np.where(west, "000000001", "000000002"),
            "nom_epci": np.where(west, "Communauté de l'Ouest", "Communauté de l'Est"),
            "departement": "99",
            "nom_departement": "Département d'exemple",
            "population": (np.arange(n) * 700 + 1_200).astype("int64"),
            "qpv_share": [0.0, 0.12, 0.0, 0.31, 0.0, 0.05, 0.0, 0.22, 0.0, 0.4, 0.0, 0.08],
        },
        geometry=shapely.box(x, y, x + _SIDE, y + _SIDE),
        crs=2154,
        index=[f"99{i + 1:03d}" for i in range(n)],
    )
    gdf["area_km2"] = gdf.geometry.area / 1e6
    gdf.index.name = "code_insee"
    return gdf


def example_centres() -> gpd.GeoDataFrame:
    """Return 3 invented town halls (points) inside :func:`example_communes`.

    Returns
    -------
    GeoDataFrame
        ``nom`` and ``rang`` (0: the main town), EPSG:2154.

    Examples
    --------
    >>> example_centres()["nom"].tolist()
    ['Ville-Centre', 'Bourg-Nord', 'Bourg-Est']
    """
    pts = shapely.points([(_X0 + 2_500, _Y0 + 2_500), (_X0 + 1_000, _Y0 + 5_000), (_X0 + 7_000, _Y0 + 1_000)])
    return gpd.GeoDataFrame(
        {"nom": ["Ville-Centre", "Bourg-Nord", "Bourg-Est"], "rang": [0, 1, 1]}, geometry=pts, crs=2154
    )
