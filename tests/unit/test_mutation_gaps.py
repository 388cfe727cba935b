"""Tests written for the mutants the mutation run found alive in the change, summary and friche
sites modules (docs/mutation.md): exact column names and dtypes, boundaries, defaults, messages."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from erbm_geo.errors import AlignmentError, CRSError, MissingColumnError, UnknownOptionError
from erbm_geo.indicators.change import count_change, population_change
from erbm_geo.indicators.friche_sites import (
    STATUS_COLUMNS,
    friche_sites_by_commune,
    friche_sites_change,
    friche_sites_within,
    nearest_friche_site,
    status_column,
)
from erbm_geo.indicators.summary import summarise
from tests.unit.layers import X0, Y0

# ---------------------------------------------------------------- change


def test_groups_all_is_one_row_named_ensemble() -> None:
    t = pd.DataFrame({2016: [10, 30], 2023: [20, 30]}, index=["a", "b"])
    got = count_change(t, start=2016, end=2023, groups="all")
    assert got.index.tolist() == ["ensemble"] and got["count_change"].tolist() == [10]


def test_groups_are_aligned_by_label_not_position() -> None:
    t = pd.DataFrame({2016: [10, 30], 2023: [20, 30]}, index=["a", "b"])
    groups = pd.Series({"b": "G2", "a": "G1"})  # another order than the table
    got = count_change(t, start=2016, end=2023, groups=groups)
    assert got.loc["G1", "count_change"] == 10 and got.loc["G2", "count_change"] == 0
    with pytest.raises(AlignmentError):
        count_change(t, start=2016, end=2023, groups=pd.Series({"a": "G1"}))


def test_dated_vintages_count_days_over_365_25() -> None:
    t = pd.DataFrame({"2001-01-01": [100], "2003-01-01": [121]})
    got = count_change(t, start="2001-01-01", end="2003-01-01")
    years = 730 / 365.25
    assert got["count_growth_rate_pct"].iloc[0] == pytest.approx(100 * (1.21 ** (1 / years) - 1), rel=1e-12)
    with pytest.raises(UnknownOptionError, match="both by a year or both by an ISO date"):
        count_change(pd.DataFrame({2001: [1], "2003-01-01": [2]}), start=2001, end="2003-01-01")


def test_equal_dates_are_refused() -> None:
    t = pd.DataFrame([[1, 2]], columns=pd.Index(["2001-01-01", "2001-01-01"]))
    with pytest.raises(UnknownOptionError, match="before"):
        count_change(
            t.iloc[:, [0]].assign(b=2).set_axis(["2001-01-01", "2001-01-02"], axis=1),
            start="2001-01-02",
            end="2001-01-01",
        )


def test_a_start_of_one_has_rates_and_of_zero_has_none() -> None:
    t = pd.DataFrame({2016: [1, 0], 2023: [2, 5]})
    got = count_change(t, start=2016, end=2023)
    assert got["count_change_pct"].iloc[0] == 100.0
    assert np.isnan(got["count_change_pct"].iloc[1]) and np.isnan(got["count_growth_rate_pct"].iloc[1])
    assert got["count_growth_rate_pct"].dtype == "float64"


def test_population_change_takes_the_vintages_asked_for() -> None:
    h = pd.DataFrame({2016: [100], 2019: [150], 2023: [110]}, index=["62001"])
    assert population_change(h, start=2019)["population_start"].iloc[0] == 150
    assert population_change(h, end=2019)["population_end"].iloc[0] == 150
    g = population_change(h, groups="all")
    assert g.index.tolist() == ["ensemble"]


# ---------------------------------------------------------------- summary


@pytest.mark.parametrize(
    ("name", "table", "expected"),
    [
        ("qpv_share", {"qpv_share": [0.5, 0.0], "area_km2": [1.0, 3.0]}, 0.125),
        ("centre_distance_m", {"centre_distance_m": [100.0, 400.0], "population": [3.0, 1.0]}, 175.0),
        ("revenu_median_commune", {"revenu_median_commune": [1.0, 5.0, 9.0, np.nan]}, 5.0),
        ("n_cites", {"n_cites": [1.0, 2.0, np.nan]}, 3.0),
        (
            "friches_per_km2",
            {"friches_per_km2": [9.0, 9.0], "friches_n": [3, 1], "area_km2": [1.0, 3.0]},
            1.0,
        ),
    ],
)
def test_each_summary_rule(name: str, table: dict[str, list[float]], expected: float) -> None:
    assert summarise(pd.DataFrame(table), name) == pytest.approx(expected)


def test_summary_needs_its_weights_and_says_so() -> None:
    with pytest.raises(MissingColumnError, match=r"qpv_share \(surface\) needs column\(s\) \['area_km2'\]"):
        summarise(pd.DataFrame({"qpv_share": [0.1]}), "qpv_share")
    with pytest.raises(MissingColumnError, match=r"\['population'\]"):
        summarise(pd.DataFrame({"centre_distance_m": [1.0]}), "centre_distance_m")
    with pytest.raises(MissingColumnError, match=r"\['friches_n', 'area_km2'\]"):
        summarise(pd.DataFrame({"friches_per_km2": [1.0]}), "friches_per_km2")
    with pytest.raises(UnknownOptionError, match="no summary rule"):
        summarise(pd.DataFrame({"nom": ["x"]}), "nom")
    got = summarise(pd.DataFrame({"qpv_share": [np.nan], "area_km2": [1.0]}), "qpv_share")
    assert np.isnan(got)


# ---------------------------------------------------------------- friche sites


def _sites(**cols: list[object]) -> gpd.GeoDataFrame:
    n = len(next(iter(cols.values())))
    return gpd.GeoDataFrame(
        cols,
        geometry=[shapely.Point(X0 + 100 * i, Y0) for i in range(n)],
        index=pd.Index([f"s{i}" for i in range(n)], name="site_id"),
        crs=2154,
    )


def test_status_columns_are_named_by_their_status() -> None:
    assert status_column("Friche sans projet") == "friche_sites_n_friche_sans_projet"
    assert STATUS_COLUMNS == (
        "friche_sites_n_friche_potentielle",
        "friche_sites_n_friche_sans_projet",
        "friche_sites_n_friche_avec_projet",
        "friche_sites_n_site_avec_projet",
        "friche_sites_n_inconnu",
    )


def test_within_default_radius_is_500_m_and_columns_are_typed() -> None:
    feat = gpd.GeoDataFrame(geometry=[shapely.Point(X0 - 500.5, Y0)], crs=2154, index=["f"])
    sites = _sites(site_statut=["inconnu"], site_surface_m2=[np.nan])
    got = friche_sites_within(feat, sites)
    assert got.index.tolist() == ["f"] and got["friche_sites_n"].tolist() == [0]
    assert friche_sites_within(feat, sites, radius=501)["friche_sites_n"].tolist() == [1]
    got = friche_sites_within(feat, sites, radius=501)
    assert got.attrs["without_surface"] == ["s0"] and got["friche_sites_surface_m2"].tolist() == [0.0]
    assert got["friche_sites_n"].dtype == "int64" and all(got[c].dtype == "int64" for c in STATUS_COLUMNS)
    bad = sites.set_crs(4326, allow_override=True)
    with pytest.raises(CRSError, match="sites"):
        friche_sites_within(feat, bad)


def test_nearest_reports_the_first_site_and_its_surface() -> None:
    feat = gpd.GeoDataFrame(geometry=[shapely.Point(X0, Y0 + 10), shapely.Point(X0 + 5000, Y0)], crs=2154)
    sites = _sites(site_statut=["friche sans projet", "inconnu"], site_surface_m2=[7.0, 9.0])
    got = nearest_friche_site(feat, sites, max_distance=1000)
    assert list(got.columns) == [
        "friche_site_distance_m",
        "friche_site_id",
        "friche_site_nom",
        "friche_site_statut",
        "friche_site_surface_m2",
    ]
    assert got["friche_site_id"].iloc[0] == "s0" and got["friche_site_surface_m2"].iloc[0] == 7.0
    assert got["friche_site_nom"].iloc[0] == "s0"  # no site_nom: the site_id names it
    assert got["friche_site_statut"].iloc[0] == "friche sans projet"
    assert pd.isna(got["friche_site_id"].iloc[1]) and np.isnan(got["friche_site_surface_m2"].iloc[1])


def test_by_commune_surfaces_and_the_exceeds_boundary() -> None:
    sites = gpd.GeoDataFrame(
        {"code_insee": ["62001", "62001", "62002"], "site_surface_m2": [1e6, np.nan, 2.5e6]},
        geometry=[shapely.Point(X0, Y0)] * 3,
        crs=2154,
    )
    c = pd.DataFrame({"friches_n": [5, 1], "area_km2": [1.0, 2.5]}, index=["62001", "62002"])
    got = friche_sites_by_commune(sites, c)
    assert got["friche_sites_surface_m2"].tolist() == [1e6, 2.5e6]  # a missing surface adds 0
    assert got["friche_sites_surface_exceeds_commune"].tolist() == [False, False]  # equal is not larger
    assert got["friche_sites_n"].dtype == "int64" and got["friches_n"].dtype == "int64"
    c2 = c.assign(area_km2=[0.999999, 2.5])
    assert friche_sites_by_commune(sites, c2)["friche_sites_surface_exceeds_commune"].tolist() == [
        True,
        False,
    ]
    with pytest.raises(MissingColumnError, match="code_insee"):
        friche_sites_by_commune(sites.drop(columns="code_insee"), c)


def _vintage(day: str, ids: list[str], statuts: list[object]) -> gpd.GeoDataFrame:
    g = gpd.GeoDataFrame(
        {"site_statut": statuts, "code_insee": ["62001"] * len(ids)},
        geometry=[shapely.Point(X0, Y0)] * len(ids),
        index=pd.Index(ids, name="site_id"),
        crs=2154,
    )
    g.attrs["vintage"] = day
    return g


def test_change_table_names_types_and_messages() -> None:
    old = _vintage("2001-06-01", ["a", "b"], ["friche sans projet", None])
    new = _vintage("2002-06-01", ["a", "b", "c"], ["friche sans projet", "friche avec projet", "inconnu"])
    sites, counts = friche_sites_change(old, new)
    assert list(sites.columns) == ["change", "statut_avant", "statut_apres", "code_insee"]
    assert (
        sites.index.tolist() == ["a", "b", "c"] and sites.at["b", "change"] == "inchangé"
    )  # no status before
    assert list(counts.columns)[:3] == [
        "friche_sites_added",
        "friche_sites_removed",
        "friche_sites_status_changed",
    ]
    assert counts.loc["62001"].tolist()[:3] == [1, 0, 0] and counts.index.name == "code_insee"
    assert counts["friche_sites_start"].dtype == "int64"
    _, by = friche_sites_change(old, new, groups=pd.Series({"62001": "E"}))
    assert by.index.name == "groupe"
    with pytest.raises(MissingColumnError, match="old vintage"):
        friche_sites_change(old.drop(columns="code_insee"), new)
    with pytest.raises(MissingColumnError, match="new vintage"):
        friche_sites_change(old, new.drop(columns="site_statut"))
    bare = new.copy()
    bare.attrs = {}
    with pytest.raises(UnknownOptionError):
        friche_sites_change(old, bare)


def test_gaps_of_the_second_run() -> None:
    """Survivors of the second run that could change a result (docs/mutation.md)."""
    with pytest.raises(UnknownOptionError, match="before"):  # equal dates: no span
        count_change(
            pd.DataFrame({"2001-01-01": [1]}).assign(b=[2]).set_axis(["2001-01-01", "2001-01-01 "], axis=1),
            start="2001-01-01",
            end="2001-01-01",
        )
    assert status_column(" friche ") == "friche_sites_n_friche"  # separators at the ends removed
    sites = gpd.GeoDataFrame(
        {"code_insee": ["62001"], "site_surface_m2": [5.0]}, geometry=[shapely.Point(X0, Y0)], crs=2154
    )
    c = pd.DataFrame({"friches_n": [1, 0], "area_km2": [1.0, 1.0]}, index=["62001", "62002"])
    assert friche_sites_by_commune(sites, c)["friche_sites_surface_m2"].tolist() == [5.0, 0.0]
    old = _vintage("2001-06-01", ["a", "b"], ["friche sans projet", "friche sans projet"])
    new = _vintage("2002-06-01", ["b"], ["friche avec projet"])
    new["code_insee"] = ["62002"]
    sites_, counts = friche_sites_change(old, new)
    assert sites_.at["a", "code_insee"] == "62001"  # a removed site keeps the commune it had
    assert counts.loc["62002", "friche_sites_status_changed"] == 1
    assert counts.loc["62001", "friche_sites_removed"] == 1


def test_nearest_is_aligned_on_the_features_index() -> None:
    feat = gpd.GeoDataFrame(
        geometry=[shapely.Point(X0, Y0 + 10)], crs=2154, index=pd.Index(["L1"], name="cite_id")
    )
    sites = _sites(site_statut=["inconnu"], site_surface_m2=[1.0])
    got = nearest_friche_site(feat, sites)
    assert got.index.equals(feat.index)


def test_exceeds_means_larger_than_the_area_in_square_metres() -> None:
    sites = gpd.GeoDataFrame(
        {"code_insee": ["62001"], "site_surface_m2": [1_000_000.5]},
        geometry=[shapely.Point(X0, Y0)],
        crs=2154,
    )
    c = pd.DataFrame({"area_km2": [1.0]}, index=["62001"])  # 1 km² = 1,000,000 m² exactly
    assert friche_sites_by_commune(sites, c)["friche_sites_surface_exceeds_commune"].tolist() == [True]
