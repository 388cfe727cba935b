"""Robustness 3: coordinates that cannot be in their declared CRS are refused by every entry
point (indicators, maps, static maps, rasters, exports) with an OutOfAreaError that names the
layer and the likely cause — never turned into a silently wrong figure. Layers valid in their CRS
but elsewhere pass (tests/mirror/test_robust_round3.py, tests/unit/test_robust_round3.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest

import erbm_geo as eg
from erbm_geo.errors import OutOfAreaError
from tests.crs_cases import CASES, lonlat_as_l93

#: Entry points that load a built-in target from the mirror (the others: tests/unit/test_robust_area.py).
ENTRY_POINTS: dict[str, Callable[[gpd.GeoDataFrame, Path], Any]] = {
    "distance_to_centres": lambda g, _: eg.indicators.distance_to_centres(
        g, eg.indicators.builtin.centres("main")
    ),
    "qpv_overlap": lambda g, _: eg.indicators.qpv_overlap(g, eg.indicators.builtin.qpv()),
    "station_access": lambda g, _: eg.indicators.station_access(g, eg.indicators.builtin.stations()),
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
        eg.indicators.qpv_overlap(lonlat_as_l93(), eg.indicators.builtin.qpv())
    msg = str(e.value)
    assert msg.startswith("features:") and "EPSG:2154" in msg and "set_crs('EPSG:4326'" in msg
