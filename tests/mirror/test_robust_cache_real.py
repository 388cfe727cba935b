"""The cache-swap issue's repro on a real layer (the synthetic cases: tests/unit/test_robust_cache.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import erbm_geo as eg
from erbm_geo.data import cache
from erbm_geo.errors import CacheWarning


def test_issue_repro_on_a_real_layer(tmp_cache: Path) -> None:
    """A cached communes entry replaced by another layer's valid file: rebuilt, not KeyError."""
    expected = eg.layers.epci()
    (communes,) = tmp_cache.glob("communes_59_62-*.arrow")
    eg.layers.basin_outline()
    (other,) = tmp_cache.glob("basin_outline-*.arrow")
    communes.write_bytes(other.read_bytes())
    for stored in tmp_cache.glob("epci_59_62-*"):  # the EPCI, stored too, are built again from the communes
        stored.unlink()
    cache.clear_memory()
    with pytest.warns(CacheWarning, match="communes_59_62"):
        got = eg.layers.epci()
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(expected))
