"""Shared fixtures: real layers from the mirror, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

import erbm_geo as eg

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def basin_communes() -> gpd.GeoDataFrame:
    return eg.layers.communes()


@pytest.fixture(scope="session")
def erbm_communes() -> gpd.GeoDataFrame:
    return eg.layers.communes(territory="erbm")


@pytest.fixture(scope="session")
def all_communes() -> gpd.GeoDataFrame:
    return eg.layers.communes(territory="nord_pas_de_calais")
