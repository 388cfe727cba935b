"""Robustness 3: exports round-trip without loss; CSV keeps codes as text."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.export import read, write
from tests.checks import every


@pytest.fixture(scope="module")
def cites_table() -> gpd.GeoDataFrame:
    return eg.indicators.indicator_table(of="cites")


@pytest.mark.parametrize("ext", ["gpkg", "parquet"])
def test_roundtrip_identical(ext: str, tmp_path: Path, cites_table: gpd.GeoDataFrame) -> None:
    p = write(cites_table, tmp_path / f"t.{ext}", sources=eg.indicators.sources_table())
    back = read(p)
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns="geometry")), pd.DataFrame(cites_table.drop(columns="geometry"))
    )
    assert every(shapely.equals_exact(back.geometry.values, cites_table.geometry.values, 0))
    assert every(back.geom_type == cites_table.geom_type)


def test_csv_keeps_codes_as_text(tmp_path: Path) -> None:
    t = eg.layers.communes(territory="erbm")
    p = write(t, tmp_path / "c.csv")
    raw = p.read_text("utf-8")
    assert "\n59002," in raw  # leading digits kept as written
    back = read(p)
    assert every(back["code_insee"].str.len().eq(5)) and every(back["siren_epci"].str.len().eq(9))
    assert set(back["code_insee"]) == set(t.index)


@pytest.mark.parametrize("ext", ["csv", "fr.csv", "xlsx"])
def test_flat_formats_keep_columns_order_and_values(
    ext: str, tmp_path: Path, cites_table: gpd.GeoDataFrame
) -> None:
    """Column names, their order and every value come back (two swapped headers would fail)."""
    import numpy as np

    src = pd.DataFrame(cites_table.drop(columns="geometry")).reset_index()
    decimals = {c: 6 for c in src.columns if pd.api.types.is_float_dtype(src[c])}
    if ext == "fr.csv":
        p = write(cites_table, tmp_path / "t.csv", dialect="fr", decimals=decimals)
        back = pd.read_csv(p, sep=";", decimal=",", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    else:
        p = write(cites_table, tmp_path / f"t.{ext}", decimals=decimals if ext == "xlsx" else None)
        back = read(p)
    assert list(back.columns) == list(src.columns)
    for c in src.columns:
        a, b = src[c], back[c]
        if pd.api.types.is_bool_dtype(a):
            want = a.map({True: "oui", False: "non"}) if ext == "fr.csv" else a
            assert b.astype(str).tolist() == want.astype(str).tolist(), c
        elif pd.api.types.is_numeric_dtype(a):
            got = pd.to_numeric(
                b.str.replace(",", ".").replace("", np.nan)  # decimal comma
                if ext == "fr.csv"
                else b
            )
            assert np.allclose(got.astype(float), a.astype(float).round(6), equal_nan=True, atol=1e-6), c
        else:
            assert _text(b) == _text(a), c


def _text(s: pd.Series) -> list[str]:
    return s.fillna("").astype(str).replace({"<NA>": "", "nan": ""}).tolist()
