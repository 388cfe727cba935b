"""Shared fixtures: real layers from the mirror, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

import erbm_geo as eg
from erbm_geo import settings

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_configure(config: pytest.Config) -> None:
    if settings.data_dir is None:
        raise pytest.UsageError(
            "the erbm-data mirror was not found: set ERBM_GEO_DATA or place shared/erbm-data "
            "next to the checkout"
        )


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def basin_communes() -> gpd.GeoDataFrame:
    return eg.layers.communes()


@pytest.fixture(scope="session")
def erbm_communes() -> gpd.GeoDataFrame:
    return eg.layers.communes(perimeter="erbm")


@pytest.fixture(scope="session")
def all_communes() -> gpd.GeoDataFrame:
    return eg.layers.communes(perimeter="nord_pas_de_calais")
