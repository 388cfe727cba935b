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
import pandas as pd
import pytest
import shapely
from affine import Affine

import erbm_geo as eg
from erbm_geo.errors import OutOfAreaError


def _lonlat_as_l93() -> gpd.GeoDataFrame:
    """Lens in longitude/latitude, wrongly declared as Lambert-93."""
    return gpd.GeoDataFrame(
        {"nom": ["Lens"], "v": [1.0]}, geometry=[shapely.Point(2.83, 50.43).buffer(0.001)], crs="EPSG:2154"
    )


def _l93_as_lonlat() -> gpd.GeoDataFrame:
    """Lens in Lambert-93 metres, declared as WGS84 (a GeoJSON without a crs member)."""
    return gpd.GeoDataFrame(
        {"nom": ["Lens"], "v": [1.0]},
        geometry=[shapely.Point(687_000, 7_037_000).buffer(50)],
        crs="EPSG:4326",
    )


def _huge() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"nom": ["x"], "v": [1.0]}, geometry=[shapely.Point(1e15, 1e15).buffer(1)], crs="EPSG:2154"
    )


def _one_bad_among_good() -> gpd.GeoDataFrame:
    g = [shapely.Point(687_000, 7_037_000).buffer(50), shapely.Point(2.83, 50.43).buffer(0.001)]
    return gpd.GeoDataFrame(
        {"nom": ["Lens", "oops"], "v": [1.0, 2.0]}, geometry=g, crs="EPSG:2154", index=pd.Index(["ok", "bad"])
    )


ENTRY_POINTS: dict[str, Callable[[gpd.GeoDataFrame, Path], Any]] = {
    "distance_to_centres": lambda g, _: eg.indicators.distance_to_centres(
        g, eg.indicators.builtin.centres("main")
    ),
    "qpv_overlap": lambda g, _: eg.indicators.qpv_overlap(g, eg.indicators.builtin.qpv()),
    "station_access": lambda g, _: eg.indicators.station_access(g, eg.indicators.builtin.stations()),
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

CASES = {
    "lonlat declared 2154": (_lonlat_as_l93, "look like degrees"),
    "lambert declared 4326": (_l93_as_lonlat, "cannot be degrees"),
    "1e15": (_huge, "larger than the Earth"),
    "one bad feature": (_one_bad_among_good, r"1 of 2 feature\(s\).*index \['bad'\]"),
}


@pytest.mark.parametrize("case", CASES, ids=CASES.keys())
@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=ENTRY_POINTS.keys())
def test_out_of_area_is_refused(entry: str, case: str, tmp_path: Path) -> None:
    make, message = CASES[case]
    with pytest.raises(OutOfAreaError, match=message):
        ENTRY_POINTS[entry](make(), tmp_path)
    assert not list(tmp_path.iterdir())  # nothing written


def test_message_names_the_layer_and_the_fix() -> None:
    with pytest.raises(OutOfAreaError) as e:
        eg.indicators.qpv_overlap(_lonlat_as_l93(), eg.indicators.builtin.qpv())
    msg = str(e.value)
    assert msg.startswith("features:") and "EPSG:2154" in msg and "set_crs('EPSG:4326'" in msg


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
