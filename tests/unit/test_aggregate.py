"""aggregate() against a brute-force pandas computation, for every grouping, weight and
statistic, on the synthetic 3 × 2 grid of communes (no mirror)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from erbm_geo.errors import (
    AlignmentError,
    DataFormatError,
    MissingColumnError,
    UnknownCodeError,
    UnknownOptionError,
)
from erbm_geo.indicators import aggregate
from tests.checks import every
from tests.unit.layers import COMMUNES, SETTINGS, X0, Y0, features

KEY = {"commune": "code_insee", "epci": "siren_epci", "departement": "departement"}


def brute(
    values: pd.DataFrame, gdf: gpd.GeoDataFrame, by: str, weights: str | None, how: str
) -> pd.DataFrame:
    """The expected table, one feature at a time: main commune = largest area share."""
    rows = []
    for i, g in enumerate(gdf.geometry):
        areas = [g.intersection(c).area for c in COMMUNES.geometry]
        code = min(c for c, a in zip(COMMUNES.index, areas, strict=True) if a == max(areas))
        w = (
            1.0
            if weights is None or how != "mean"
            else g.area
            if weights == "area"
            else float(gdf[weights].iloc[i])
        )
        key = code if by == "commune" else COMMUNES.loc[code, KEY[by]]
        rows.append({"k": key, "w": w, **values.iloc[i].to_dict()})
    df = pd.DataFrame(rows)
    out = {}
    for col in values.columns:
        d = df[df[col].notna()]
        if how == "mean":
            s = (d[col] * d["w"]).groupby(d["k"]).sum() / d["w"].groupby(d["k"]).sum()
        else:
            s = d.groupby("k")[col].agg(how)
        out[col] = s
    res = pd.DataFrame(out)
    res["n"] = df["k"].value_counts().reindex(res.index).astype("int64")
    return res.sort_index()


@SETTINGS
@given(
    f=features(),
    by=st.sampled_from(["commune", "epci", "departement"]),
    how=st.sampled_from(["mean", "sum", "min", "max"]),
    weights=st.sampled_from(["area", None, "logements"]),
    data=st.data(),
)
def test_aggregate_brute_force(
    f: gpd.GeoDataFrame, by: str, how: str, weights: str | None, data: st.DataObject
) -> None:
    n = len(f)
    f = f.assign(logements=data.draw(st.lists(st.integers(0, 50), min_size=n, max_size=n)))
    vals = pd.DataFrame(
        {
            "share": data.draw(st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=n, max_size=n)),
            "count": data.draw(st.lists(st.integers(0, 9), min_size=n, max_size=n)),
        },
        index=f.index,
    ).astype("float64")
    got = aggregate(vals, f, COMMUNES, by=by, weights=weights, how=how)
    exp = brute(vals, f, by, weights, how)
    assert got.index.name == KEY[by]
    assert list(got.columns[:3]) == ["share", "count", "n"]
    assert list(got.index) == list(exp.index)
    pd.testing.assert_series_equal(got["n"], exp["n"], check_names=False, check_index=False)
    for col in ("share", "count"):
        e = exp[col].reindex(got.index).to_numpy(dtype=float)
        np.testing.assert_allclose(got[col].to_numpy(dtype=float), e, rtol=1e-9, atol=1e-12)
    label = {"commune": "nom", "epci": "nom_epci", "departement": "nom"}[by]
    names = {
        "commune": COMMUNES["nom"],
        "epci": COMMUNES.set_index("siren_epci")["nom_epci"],
        "departement": COMMUNES.set_index("departement")["nom_departement"],
    }[by]
    names = names[~names.index.duplicated()]
    assert list(got[label]) == list(names.reindex(got.index))


def test_zero_weights_give_nan_not_an_error() -> None:
    f = COMMUNES.assign(logements=0)
    v = pd.Series(0.5, index=f.index, name="x")
    got = aggregate(v, f, COMMUNES, by="epci", weights="logements")
    assert every(got["x"].isna()) and list(got["n"]) == [3, 3]


def test_series_and_frame_inputs_are_not_modified() -> None:
    v = pd.Series([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], index=COMMUNES.index, name="x")
    before = v.copy()
    a = aggregate(v, COMMUNES, COMMUNES, by="departement", weights=None)
    pd.testing.assert_series_equal(v, before)
    assert a.loc["62", "x"] == pytest.approx(0.2) and a.loc["59", "x"] == pytest.approx(0.5)
    frame = v.to_frame()
    b = aggregate(frame, COMMUNES, COMMUNES, by="departement", weights=None)
    assert "x" in frame and list(frame.columns) == ["x"]
    pd.testing.assert_frame_equal(a, b)


def test_booleans_count_as_numbers() -> None:
    v = pd.Series([True, False, True, False, False, False], index=COMMUNES.index, name="in_qpv")
    got = aggregate(v, COMMUNES, COMMUNES, by="epci", how="sum")
    assert got.loc["200000001", "in_qpv"] == 2 and got.loc["200000002", "in_qpv"] == 0


def test_area_weights_in_lambert93_whatever_the_crs() -> None:
    v = pd.Series([0.0, 1.0], index=["a", "b"], name="x")
    f = gpd.GeoDataFrame(
        geometry=[
            shapely.box(X0 + 10, Y0 + 10, X0 + 110, Y0 + 110),
            shapely.box(X0 + 200, Y0 + 10, X0 + 500, Y0 + 110),
        ],
        index=v.index,
        crs=2154,
    )
    expected = aggregate(v, f, COMMUNES, by="commune")
    assert expected.loc["62001", "x"] == pytest.approx(0.75)
    got = aggregate(v, f.to_crs(4326), COMMUNES, by="commune")
    assert got.loc["62001", "x"] == pytest.approx(0.75, rel=1e-6)


def test_errors_name_the_problem() -> None:
    v = pd.Series(1.0, index=COMMUNES.index, name="x")
    with pytest.raises(UnknownOptionError, match="grouping"):
        aggregate(v, COMMUNES, COMMUNES, by="region")  # type: ignore[arg-type]
    with pytest.raises(UnknownOptionError, match="aggregation"):
        aggregate(v, COMMUNES, COMMUNES, how="median")  # type: ignore[arg-type]
    with pytest.raises(AlignmentError):
        aggregate(v.iloc[::-1], COMMUNES, COMMUNES)
    with pytest.raises(DataFormatError, match="not numeric"):
        aggregate(v.astype(str), COMMUNES, COMMUNES)
    for by, col in (("commune", "nom"), ("epci", "nom_epci"), ("departement", "nom_departement")):
        with pytest.raises(MissingColumnError, match=col):
            aggregate(v, COMMUNES, COMMUNES.drop(columns=col), by=by)  # type: ignore[arg-type]
        aggregate(
            v,
            COMMUNES,
            COMMUNES.drop(columns=[c for c in ("nom", "nom_epci", "nom_departement") if c != col]),
            by=by,
        )  # type: ignore[arg-type]
    no_epci = COMMUNES.assign(
        siren_epci=[None, "200000001", "200000001", "200000002", "200000002", "200000002"]
    )
    with pytest.raises(UnknownCodeError, match="62001"):
        aggregate(v, COMMUNES, no_epci, by="epci")
    with pytest.raises(DataFormatError, match="not numeric"):
        aggregate(v, COMMUNES.assign(w="a"), COMMUNES, weights="w")
    with pytest.raises(DataFormatError, match="not numeric"):
        aggregate(v, COMMUNES.assign(w=True), COMMUNES, weights="w")
    with pytest.raises(DataFormatError, match="negative"):
        aggregate(v, COMMUNES.assign(w=[1, 1, -1, 1, 1, 1]), COMMUNES, weights="w")
    with pytest.raises(MissingColumnError, match="population"):
        aggregate(v, COMMUNES, COMMUNES, weights="population")
    # weights are ignored for sum/min/max: no error for a missing column there
    assert aggregate(v, COMMUNES, COMMUNES, weights="population", how="sum")["x"].tolist() == [3, 3]
