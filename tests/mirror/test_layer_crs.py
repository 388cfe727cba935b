"""Every public layer, and every built-in target, is returned in the working CRS (EPSG:2154)."""

from __future__ import annotations

import warnings

import geopandas as gpd
import pytest

from erbm_geo import settings
from erbm_geo.indicators import builtin
from tests.public_layers import LAYER_FUNCTIONS

BUILTIN = [
    "communes",
    "qpv",
    "centres",
    "stations",
    "rail_lines",
    "eurovelo5",
    "unesco_property",
    "unesco_buffer_zone",
    "shafts",
    "terrils",
    "friches_communes",
    "income_communes",
    "income_iris",
]


def _check(g: gpd.GeoDataFrame) -> None:
    assert isinstance(g, gpd.GeoDataFrame)
    assert g.crs is not None and g.crs.to_epsg() == 2154 == int(settings.crs.split(":")[1])
    assert len(g) > 0


@pytest.mark.parametrize("name", sorted(LAYER_FUNCTIONS))
def test_public_layer_crs(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _check(LAYER_FUNCTIONS[name]())


@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_target_crs(name: str) -> None:
    _check(getattr(builtin, name)())
