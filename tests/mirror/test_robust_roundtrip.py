"""Robustness 3: exports round-trip without loss; CSV keeps codes as text."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.export import read, write


@pytest.fixture(scope="module")
def cites_table() -> gpd.GeoDataFrame:
    return eg.indicators.indicator_table(of="cites")


@pytest.mark.parametrize("ext", ["gpkg", "parquet"])
def test_roundtrip_identical(ext: str, tmp_path: Path, cites_table: gpd.GeoDataFrame) -> None:
    p = write(cites_table, tmp_path / f"t.{ext}", sources=eg.indicators.sources_table())
    back = read(p)
    pd.testing.assert_frame_equal(pd.DataFrame(back.drop(columns="geometry")),
                                  pd.DataFrame(cites_table.drop(columns="geometry")))
    assert shapely.equals_exact(back.geometry.values, cites_table.geometry.values, 0).all()
    assert (back.geom_type == cites_table.geom_type).all()


def test_csv_keeps_codes_as_text(tmp_path: Path) -> None:
    t = eg.layers.communes(territory="erbm")
    p = write(t, tmp_path / "c.csv")
    raw = p.read_text("utf-8")
    assert "\n59002," in raw  # leading digits kept as written
    back = read(p)
    assert back["code_insee"].str.len().eq(5).all() and back["siren_epci"].str.len().eq(9).all()
    assert set(back["code_insee"]) == set(t.index)
