"""Robustness 3: coordinates that cannot be in their declared CRS are refused by every entry
point (indicators, maps, static maps, rasters, exports) with an OutOfAreaError that names the
layer and the likely cause — never turned into a silently wrong figure. Layers valid in their CRS
but elsewhere pass (tests/mirror/test_robust_round3.py, tests/unit/test_robust_round3.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from affine import Affine

import erbm_geo as eg
from erbm_geo.errors import OutOfAreaError
from tests.crs_cases import CASES

#: Entry points that need no built-in layer (those that do: tests/mirror/test_robust_area.py).
ENTRY_POINTS: dict[str, Callable[[gpd.GeoDataFrame, Path], Any]] = {
    "area_share": lambda g, _: eg.indicators.area_share(g, g, name="s"),
    "add_layer": lambda g, _: eg.maps.add_layer(eg.maps.new_map(basemap=None), g, name="x"),
    "static_map": lambda g, _: eg.maps.static_map(g),
    "export csv": lambda g, d: eg.export.write(g, d / "x.csv"),
    "export gpkg": lambda g, d: eg.export.write(g, d / "x.gpkg"),
    "export parquet": lambda g, d: eg.export.write(g, d / "x.parquet"),
    "zonal_stats": lambda g, _: eg.raster.zonal_stats(
        np.ones((10, 10)), eg.raster.Grid(Affine(100.0, 0, 680_000, 0, -100.0, 7_040_000), 10, 10), g
    ),
    "kernel_density": lambda g, _: eg.raster.kernel_density(
        g, grid=eg.raster.Grid(Affine(100.0, 0, 680_000, 0, -100.0, 7_040_000), 10, 10)
    ),
    "user_layer": lambda g, _: eg.layers.user_layer(g, near=None),
}


@pytest.mark.parametrize("case", CASES, ids=CASES.keys())
@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=ENTRY_POINTS.keys())
def test_out_of_area_is_refused(entry: str, case: str, tmp_path: Path) -> None:
    make, message = CASES[case]
    with pytest.raises(OutOfAreaError, match=message):
        ENTRY_POINTS[entry](make(), tmp_path)
    assert not list(tmp_path.iterdir())  # nothing written


def test_grid_out_of_area_is_refused() -> None:
    with pytest.raises(OutOfAreaError, match="grid bounds"):
        eg.raster.Grid(Affine(100.0, 0, 3.0, 0, -100.0, 50.0), 10, 10)
    with pytest.raises(eg.errors.UnknownOptionError, match="north-up"):
        eg.raster.Grid(Affine(100.0, 0, 680_000, 0, 100.0, 7_040_000), 10, 10)


def test_layers_in_and_near_france_pass() -> None:
    # a station in Belgium (Péruwelz) and one in Corsica are plausible: no error
    g = gpd.GeoDataFrame(geometry=[shapely.Point(3.59, 50.51), shapely.Point(9.45, 42.70)], crs="EPSG:4326")
    out = eg.geom.validate.to_working_crs(g, name="stations")
    assert out.crs.to_epsg() == 2154 and len(out) == 2
