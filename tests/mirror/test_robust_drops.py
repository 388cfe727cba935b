"""Robustness 5: nothing is dropped silently and nothing crashes obscurely — every bad input to
aggregation, commune assignment, area indicators, interactive and static maps gets a named
erbm_geo error."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.errors import (
    DataFormatError,
    InvalidGeometryError,
    UnknownCodeError,
)

X0, Y0 = 687_000, 7_037_000  # Lens, Lambert-93
BOWTIE = shapely.Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])


def _feats(codes: list[Any] | None = None) -> gpd.GeoDataFrame:
    n = 3 if codes is None else len(codes)
    g = gpd.GeoDataFrame(
        {"nom": [f"f{i}" for i in range(n)], "v": np.arange(n, dtype=float), "logements": [10, 20, 30][:n]},
        geometry=[shapely.box(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 100) for i in range(n)],
        crs="EPSG:2154",
    )
    if codes is not None:
        g["code_insee"] = codes
    return g


def test_aggregate_refuses_text_weights_and_values() -> None:
    g = _feats(["62498", "62498", "62510"])
    with pytest.raises(DataFormatError, match="weights column 'nom' is not numeric"):
        eg.indicators.aggregate(g["v"], g, eg.indicators.builtin.communes(), by="epci", weights="nom")
    with pytest.raises(DataFormatError, match=r"values column\(s\) \['nom'\] are not numeric"):
        eg.indicators.aggregate(g[["v", "nom"]], g, eg.indicators.builtin.communes(), by="epci")
    g["logements"] = [-1, 2, 3]
    with pytest.raises(DataFormatError, match="negative"):
        eg.indicators.aggregate(g["v"], g, eg.indicators.builtin.communes(), by="epci", weights="logements")


def test_aggregate_weights_a_numeric_column() -> None:
    g = _feats(["62498", "62498", "62510"])
    r = eg.indicators.aggregate(
        g["v"], g, eg.indicators.builtin.communes(), by="commune", weights="logements"
    )
    assert r.loc["62498", "v"] == pytest.approx((0 * 10 + 1 * 20) / 30)
    assert r.loc["62510", "v"] == 2.0 and r["n"].sum() == 3


@pytest.mark.parametrize("bad", [None, "99999", "62", 62498.0, "Lens"])
def test_aggregate_and_commune_of_refuse_unknown_codes(bad: Any) -> None:
    g = _feats(["62498", bad, "62510"])
    with pytest.raises(UnknownCodeError, match=r"1 feature\(s\) have no known commune.*rows \[1\]"):
        eg.indicators.commune_of(g, eg.indicators.builtin.communes())
    with pytest.raises(UnknownCodeError, match="no known commune"):
        eg.indicators.aggregate(g["v"], g, eg.indicators.builtin.communes(), by="epci")


def test_commune_of_index_codes_checked() -> None:
    g = _feats().set_index(pd.Index(["62498", "99999", "62510"], name="code_insee"))
    with pytest.raises(UnknownCodeError, match="99999"):
        eg.indicators.commune_of(g, eg.indicators.builtin.communes())


def test_commune_of_spatial_bowtie_and_outside() -> None:
    g = _feats()
    g.loc[0, "geometry"] = BOWTIE
    with pytest.raises(InvalidGeometryError, match="invalid"):
        eg.indicators.commune_of(g, eg.indicators.builtin.communes())
    far = _feats()
    far["geometry"] = far.translate(-400_000, 0)  # in the Atlantic off Brittany: no commune of 59/62
    with pytest.raises(UnknownCodeError, match="lie in no commune of the communes layer"):
        eg.indicators.commune_of(far, eg.indicators.builtin.communes())


def test_qpv_overlap_bowtie_touching_no_qpv() -> None:
    g = _feats()
    g.loc[0, "geometry"] = BOWTIE
    q = gpd.GeoDataFrame(
        {"code": ["Q"]}, geometry=[shapely.box(X0 + 5000, Y0, X0 + 5100, Y0 + 100)], crs="EPSG:2154"
    ).set_index("code")
    with pytest.raises(InvalidGeometryError, match=r"invalid \(index \[0\]\)"):
        eg.indicators.qpv_overlap(g, q)
    with pytest.raises(InvalidGeometryError, match="invalid"):
        eg.indicators.qpv_overlap(g, eg.indicators.builtin.qpv())
