"""Shared fixtures: real layers from the mirror, loaded once per session."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pytest

import erbm_geo as eg
from erbm_geo import settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ATLAS_EPOCH = "1795996800"  # 2026-11-30: the fixed build date of the shared atlas


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The programme documents: ``$ERBM_GEO_SEEDS``, else ``seeds/`` beside the data mirror
    (``shared/seeds`` next to ``shared/erbm-data``) — found like the mirror, never by a path
    relative to the checkout."""
    env = os.environ.get("ERBM_GEO_SEEDS")
    path = Path(env) if env else (settings.data_dir.parent / "seeds" if settings.data_dir else None)
    if path is None or not path.is_dir():
        why = (
            f"the programme documents are not at {path} (set ERBM_GEO_SEEDS)"
            if path
            else "no data mirror, so no programme documents beside it (set ERBM_GEO_SEEDS)"
        )
        if os.environ.get("ERBM_GEO_REQUIRE_MIRROR") == "1":
            pytest.fail(why)
        pytest.skip(why)
    return path


@pytest.fixture(scope="session")
def basin_communes() -> gpd.GeoDataFrame:
    return eg.layers.communes()


@pytest.fixture(scope="session")
def erbm_communes() -> gpd.GeoDataFrame:
    return eg.layers.communes(territory="erbm")


@pytest.fixture(scope="session")
def all_communes() -> gpd.GeoDataFrame:
    return eg.layers.communes(territory="nord_pas_de_calais")


@pytest.fixture(scope="session")
def atlas_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The atlas, built once per run — by the command line, as the README builds it — and
    shared by every test that reads it."""
    from erbm_geo.cli import main

    out = tmp_path_factory.mktemp("atlas")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = ATLAS_EPOCH
    try:
        assert main(["-q", "atlas", "--out", str(out), "--basemap", "none"]) == 0
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return out
