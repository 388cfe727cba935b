"""Every code path of the indicators on hand-checkable synthetic layers (no mirror): the values
are worked out by hand in the comments, so a changed operator, branch or default is caught."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import LineString

from erbm_geo.errors import (
    CRSError,
    DataQualityWarning,
    EmptyInputError,
    InvalidGeometryError,
    InvalidOptionError,
    MissingColumnError,
    UnknownCodeError,
    UnknownOptionError,
)
from erbm_geo.indicators import (
    area_share,
    commune_of,
    count_within_radius,
    distance_to_centres,
    distance_to_lines,
    friches_context,
    income_context,
    qpv_overlap,
    station_access,
    unesco_overlap,
)
from erbm_geo.indicators.access import check_radius
from tests.checks import every
from tests.unit.layers import COMMUNES, IRIS, STATIONS, X0, Y0, at, sq

# --- commune_of ------------------------------------------------------------------------------


def test_commune_of_index_column_and_space() -> None:
    by_index = COMMUNES.iloc[[2, 0]]
    assert commune_of(by_index, COMMUNES).tolist() == ["62003", "62001"]
    col = gpd.GeoDataFrame({"code_insee": ["59002"]}, geometry=[at(5, 5)], crs=2154)
    assert commune_of(col, COMMUNES).tolist() == ["59002"]  # the column wins over space
    spatial = gpd.GeoDataFrame(geometry=[at(1500, 500), sq(900, 1100, 2900, 1200)], crs=2154)
    got = commune_of(spatial, COMMUNES)
    assert got.tolist() == ["62002", "59002"] and got.name == "code_insee"  # 59002 holds 1,000 m
    # communes in another CRS are reprojected; integer codes are read as text
    wgs = COMMUNES.to_crs(4326)
    assert commune_of(spatial, wgs).tolist() == ["62002", "59002"]
    assert commune_of(
        gpd.GeoDataFrame(geometry=[at(10, 10)], crs=2154),
        COMMUNES.set_axis(pd.Index([1, 2, 3, 4, 5, 6], name="code_insee")),
    ).tolist() == ["1"]


def test_commune_of_refuses_unknown_codes_and_bad_layers() -> None:
    with pytest.raises(UnknownCodeError, match="code_insee index"):
        commune_of(
            COMMUNES.set_axis(
                pd.Index(["62001", "99999", "62003", "59001", "59002", "59003"], name="code_insee")
            ),
            COMMUNES,
        )
    with pytest.raises(UnknownCodeError, match="code_insee column"):
        commune_of(gpd.GeoDataFrame({"code_insee": [None]}, geometry=[at(5, 5)], crs=2154), COMMUNES)
    far = gpd.GeoDataFrame(geometry=[at(50_000, 50_000)], crs=2154)
    with pytest.raises(UnknownCodeError, match="spatial assignment"):
        commune_of(far, COMMUNES)
    with pytest.raises(UnknownCodeError, match="duplicate"):
        commune_of(
            gpd.GeoDataFrame(geometry=[at(5, 5)], crs=2154),
            COMMUNES.set_axis(pd.Index(["1", "1", "2", "3", "4", "5"])),
        )
    with pytest.raises(TypeError, match="GeoDataFrame"):
        commune_of(COMMUNES, pd.DataFrame(COMMUNES))  # type: ignore[arg-type]


def test_commune_of_near_the_border_within_one_km() -> None:
    f = gpd.GeoDataFrame(geometry=[at(-900, 500), at(-1100, 500)], crs=2154)
    with pytest.raises(UnknownCodeError):
        commune_of(f, COMMUNES)
    assert commune_of(f.iloc[:1], COMMUNES).tolist() == ["62001"]


# --- income_context ----------------------------------------------------------------------------


def test_income_of_communes_as_features_uses_their_own_iris() -> None:
    got = income_context(COMMUNES.iloc[[0, 1, 3, 2]], COMMUNES, IRIS)
    assert list(got.index) == ["62001", "62002", "59001", "62003"]
    assert got["revenu_median_commune"].tolist() == [18000, 19000, 21000, 20000]
    assert got["part_minima_sociaux_pct"].tolist() == [10, 11, 13, 12]
    # 62001: two IRIS of 0.5 km² each -> (10,000 + 20,000) / 2; poverty (40 + 10) / 2
    assert got["revenu_median_iris"].tolist()[:2] == [15_000, 30_000]
    assert got["taux_pauvrete_iris_pct"].tolist()[:2] == [25, 5]
    # 59001's IRIS has no income figure: NaN (not its poverty rate alone); 62003 has no IRIS
    assert every(got[["revenu_median_iris", "taux_pauvrete_iris_pct"]].iloc[2:].isna())


def test_income_by_codes_columns_and_points() -> None:
    f = gpd.GeoDataFrame(
        {"code_insee": ["62001"], "codes_insee": ["62001;62002"]}, geometry=[sq(250, 0, 1250, 1000)], crs=2154
    )
    got = income_context(f, COMMUNES, IRIS).iloc[0]
    # 0.25 km² at 10,000, 0.5 at 20,000, 0.25 at 30,000 -> 20,000; poverty 10 + 5 + 1.25 = 16.25
    assert got["revenu_median_iris"] == pytest.approx(20_000)
    assert got["taux_pauvrete_iris_pct"] == pytest.approx(16.25)
    assert got["revenu_median_commune"] == 18000
    only_main = f.drop(columns="codes_insee")  # its IRIS in 62002 are not its own
    assert income_context(only_main, COMMUNES, IRIS).iloc[0]["revenu_median_iris"] == pytest.approx(
        (0.25 * 10_000 + 0.5 * 20_000) / 0.75
    )
    pts = gpd.GeoDataFrame(geometry=[at(100, 100), at(1500, 500), at(2500, 500)], crs=2154)
    got = income_context(pts, COMMUNES, IRIS)
    assert got["revenu_median_iris"].tolist()[:2] == [10_000, 30_000]
    assert np.isnan(got["revenu_median_iris"].iloc[2])
    assert got["revenu_median_commune"].tolist() == [18000, 19000, 20000]


def test_income_needs_its_columns() -> None:
    with pytest.raises(MissingColumnError, match="revenu_median_uc"):
        income_context(COMMUNES, COMMUNES.drop(columns="revenu_median_uc"), IRIS)
    with pytest.raises(MissingColumnError, match="iris"):
        income_context(COMMUNES, COMMUNES, IRIS.drop(columns="taux_pauvrete_pct"))
    with pytest.raises(EmptyInputError, match="iris"):
        income_context(COMMUNES, COMMUNES, IRIS.iloc[:0])
    no_figures = IRIS.assign(revenu_median_uc=np.nan)
    assert every(income_context(COMMUNES, COMMUNES, no_figures)["revenu_median_iris"].isna())


# --- friches_context ---------------------------------------------------------------------------


def test_friches_quality_from_upstream_and_share_above_one() -> None:
    c = COMMUNES.assign(friches_surface_quality=["ok", "surface_exceeds_commune", None, "ok", "ok", "ok"])
    f = COMMUNES.iloc[[0, 1, 5]]
    with pytest.warns(DataQualityWarning, match=r"2 commune\(s\).*C1 62002.*C5 59003"):
        got = friches_context(f, c)
    assert got["friches_surface_quality"].tolist() == ["ok", "surface_exceeds_commune", "share_above_one"]
    assert got["friches_surface_share"].tolist()[0] == 0.01
    assert every(got[["friches_surface_m2", "friches_surface_share"]].iloc[1:].isna())
    assert got["friches_n"].tolist() == [1, 0, 5]  # counts stay published
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ok = friches_context(COMMUNES.iloc[[0, 2]], COMMUNES.drop(columns="nom"))
    assert ok["friches_surface_quality"].tolist() == ["ok", "ok"]
    with pytest.warns(DataQualityWarning, match="59003 59003"):  # no names: the code twice
        friches_context(COMMUNES.iloc[[5]], COMMUNES.drop(columns="nom"))


# --- station_access, distance_to_lines, count_within_radius ---------------------------------------


def test_station_access_columns_modes_and_shares() -> None:
    f = gpd.GeoDataFrame(
        geometry=[sq(0, 0, 1000, 1000), at(1800, 500), LineString([(X0 + 2500, Y0), (X0 + 2500, Y0 + 1000)])],
        index=["poly", "pt", "line"],
        crs=2154,
    )
    got = station_access(f, STATIONS, radius=600)
    assert list(got.columns) == [
        "station_distance_m",
        "station_nom",
        "train_distance_m",
        "tram_distance_m",
        "stations_within",
        "share_within_walk",
    ]
    assert got.loc["poly", "station_distance_m"] == 500  # to S2 (500 m above the square)
    assert got.loc["poly", "station_nom"] == "Arrêt"
    assert got.loc["poly", "train_distance_m"] == 2000
    assert got.loc["pt", "train_distance_m"] == 1200 and got.loc["line", "train_distance_m"] == 500
    assert got["stations_within"].tolist() == [1, 0, 1]
    assert got.loc["pt", "share_within_walk"] == 0 and got.loc["line", "share_within_walk"] == 1
    # the square's part within 600 m of S2: a circular segment of height 100 m (the buffer is a
    # polygon of 64 sides: 0.75 % less than the true circle's segment)
    r, h = 600.0, 100.0
    segment = r * r * np.arccos((r - h) / r) - (r - h) * np.sqrt(2 * r * h - h * h)
    walk = shapely.buffer(at(500, 1500), 600, quad_segs=16).intersection(sq(0, 0, 1000, 1000))
    assert got.loc["poly", "share_within_walk"] == pytest.approx(walk.area / 1e6, rel=1e-12)
    assert walk.area == pytest.approx(segment, rel=1e-2)
    only = station_access(f, STATIONS, radius=600, modes=("tram", "metro"))
    assert list(only.columns[2:4]) == ["tram_distance_m", "metro_distance_m"]
    assert every(only["metro_distance_m"].isna())
    from_point = station_access(f, STATIONS, measure_from="point")
    assert from_point.loc["poly", "station_distance_m"] == pytest.approx(1000)


def test_station_access_without_mode_or_name_columns() -> None:
    bare = STATIONS[["geometry"]]
    got = station_access(gpd.GeoDataFrame(geometry=[at(2900, 500)], crs=2154), bare, radius=50)
    assert list(got.columns) == [
        "station_distance_m",
        "station_nom",
        "train_distance_m",
        "stations_within",
        "share_within_walk",
    ]
    assert got["station_nom"].tolist() == ["S1"] and got["train_distance_m"].tolist() == [100]


def test_radius_checks() -> None:
    check_radius(1)
    check_radius(0, allow_zero=True)
    check_radius(np.float32(2.5))
    for bad in (0, -1, float("nan"), float("inf"), True, "800", None):
        with pytest.raises(InvalidOptionError, match="radius"):
            check_radius(bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="walk"):
        check_radius(-1, name="walk", allow_zero=True)
    f = gpd.GeoDataFrame(geometry=[at(0, 0)], crs=2154)
    with pytest.raises(InvalidOptionError):
        station_access(f, STATIONS, radius=0)
    with pytest.raises(UnknownOptionError):
        station_access(f, STATIONS, measure_from="centre")  # type: ignore[arg-type]


def test_count_within_radius_zero_counts_touching() -> None:
    f = gpd.GeoDataFrame(geometry=[sq(0, 0, 500, 1500)], crs=2154)
    assert count_within_radius(f, STATIONS, radius=0).tolist() == [1]  # S2 on its edge
    assert count_within_radius(f, STATIONS, radius=2000, name="n").name == "n"
    assert count_within_radius(f, STATIONS, radius=2000).tolist() == [2]  # S1 is 2,500 m away
    assert count_within_radius(f, STATIONS.iloc[:0], radius=10).tolist() == [0]


def test_distance_to_lines_measure_from_point() -> None:
    lines = gpd.GeoDataFrame(geometry=[LineString([(X0 - 100, Y0 + 2000), (X0 + 5000, Y0 + 2000)])], crs=2154)
    f = gpd.GeoDataFrame(geometry=[sq(0, 0, 1000, 1000)], crs=2154)
    assert distance_to_lines(f, lines).tolist() == [1000]
    assert distance_to_lines(f, lines, measure_from="point").tolist() == [1500]


# --- overlaps ---------------------------------------------------------------------------------


def test_qpv_overlap_min_area_and_overlapping_targets() -> None:
    q = gpd.GeoDataFrame(
        geometry=[sq(0, 0, 100, 100), sq(50, 0, 150, 100), sq(999.5, 0, 1100, 1)],
        index=pd.Index(["QN2", "QN1", "QN3"], name="code_qpv"),
        crs=2154,
    )
    f = gpd.GeoDataFrame(geometry=[sq(0, 0, 1000, 1000)], crs=2154)
    got = qpv_overlap(f, q).iloc[0]
    # QN1 ∪ QN2 = 150 × 100 m, counted once; QN3 meets the square on 0.5 m²: in the area, not
    # among the codes
    assert got["qpv_area_m2"] == 15_000.5
    assert got["qpv_share"] == 0.0150005
    assert got["qpv_codes"] == "QN1;QN2" and got["n_qpv"] == 2
    none = qpv_overlap(f, q.iloc[:0]).iloc[0]
    assert none["qpv_share"] == 0 and none["n_qpv"] == 0 and none["qpv_codes"] == ""
    pts = qpv_overlap(gpd.GeoDataFrame(geometry=[at(10, 10)], crs=2154), q)
    assert np.isnan(pts["qpv_share"].iloc[0])


def test_unesco_overlap_paths() -> None:
    part = gpd.GeoDataFrame(
        geometry=[sq(0, 0, 100, 100), sq(2000, 0, 2100, 100)],
        index=pd.Index([7, 9], name="element"),
        crs=2154,
    )
    zone = gpd.GeoDataFrame(geometry=[sq(0, 0, 1000, 1000)], crs=2154)
    f = gpd.GeoDataFrame(geometry=[sq(0, 0, 200, 200), sq(1600, 0, 2000, 400)], crs=2154)
    got = unesco_overlap(f, part, zone)
    assert got["bien_inscrit_share"].tolist() == [0.25, 0]
    assert got["zone_tampon_share"].tolist() == [1, 0]
    assert got["bien_inscrit_distance_m"].tolist() == [0, 0]  # the second touches part 9
    assert got["bien_inscrit_element"].tolist() == [7, 9]
    pt = unesco_overlap(f, part, zone, measure_from="point")
    # from the square's centre (1800, 200) to part 9's corner (2000, 100)
    assert pt["bien_inscrit_distance_m"].iloc[1] == pytest.approx(np.hypot(200, 100))
    with pytest.raises(InvalidGeometryError, match="polygons only.*Point"):
        unesco_overlap(f, part, gpd.GeoDataFrame(geometry=[at(0, 0)], crs=2154))
    with pytest.raises(EmptyInputError):
        unesco_overlap(f, part.iloc[:0], zone)


def test_area_share_paths() -> None:
    t = gpd.GeoDataFrame(geometry=[sq(0, 0, 100, 100), sq(0, 0, 100, 100)], crs=2154)
    f = gpd.GeoDataFrame(geometry=[sq(0, 0, 200, 100), at(5, 5)], crs=2154)
    got = area_share(f, t)
    assert got.name == "share" and got.iloc[0] == 0.5 and np.isnan(got.iloc[1])
    assert area_share(f, t.iloc[:0]).iloc[0] == 0
    bowtie = shapely.Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10)])
    with pytest.raises(InvalidGeometryError):
        area_share(f, gpd.GeoDataFrame(geometry=[bowtie], crs=2154))
    far_bowtie = shapely.affinity.translate(bowtie, 50_000)
    assert area_share(f, gpd.GeoDataFrame(geometry=[far_bowtie], crs=2154)).iloc[0] == 0


def test_targets_must_share_the_features_crs() -> None:
    f = gpd.GeoDataFrame(geometry=[sq(0, 0, 10, 10)], crs=2154)
    with pytest.raises(CRSError, match="reproject"):
        qpv_overlap(f, COMMUNES.to_crs(4326))
    with pytest.raises(CRSError, match="no CRS"):
        distance_to_centres(f, gpd.GeoDataFrame(geometry=[at(0, 0)]))
    with pytest.raises(TypeError, match="GeoDataFrame"):
        distance_to_centres(f, pd.DataFrame({"x": [1]}))  # type: ignore[arg-type]
    # features in another CRS: targets in that CRS are accepted, results in metres
    f4326, c4326 = f.to_crs(4326), gpd.GeoDataFrame(geometry=[at(1000, 5)], crs=2154).to_crs(4326)
    assert distance_to_centres(f4326, c4326)["distance_m"].iloc[0] == pytest.approx(990, abs=0.01)
