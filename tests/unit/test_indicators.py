"""Every indicator with caller-supplied targets, on a synthetic territory (no mirror): values
against brute-force geopandas/shapely computations, invariants, and errors."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import example, given
from hypothesis import strategies as st

from erbm_geo.errors import (
    AlignmentError,
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
    aggregate,
    area_share,
    commune_of,
    count_within_radius,
    distance_to_centres,
    distance_to_lines,
    friches_context,
    heritage_within,
    income_context,
    qpv_overlap,
    station_access,
    unesco_overlap,
)
from tests.checks import every
from tests.unit.layers import COMMUNES, SETTINGS, X0, Y0, features, gdf, points

# ---------------------------------------------------------------- against brute force


@SETTINGS
@given(features(), features())
def test_qpv_overlap_is_the_union_intersection(f: gpd.GeoDataFrame, q: gpd.GeoDataFrame) -> None:
    q.index = pd.Index([f"QN{i:03d}" for i in range(len(q))], name="code_qpv")
    r = qpv_overlap(f, q)
    union = q.union_all()
    expect = f.geometry.intersection(union).area.to_numpy()
    np.testing.assert_allclose(r["qpv_area_m2"], expect, atol=1e-6)
    np.testing.assert_allclose(r["qpv_share"], np.clip(expect / f.area.to_numpy(), 0, 1), atol=1e-9)
    assert every(r["qpv_share"].between(0, 1))
    for k, row in r.iterrows():  # the codes listed are exactly the QPV overlapped by ≥ 1 m²
        got = set(filter(None, row["qpv_codes"].split(";")))
        want = {c for c, g in q.geometry.items() if g.intersection(f.geometry[k]).area >= 1.0}
        assert got == want and row["n_qpv"] == len(want)
    pd.testing.assert_frame_equal(qpv_overlap(f.iloc[::-1], q).loc[f.index], r)


@SETTINGS
@given(features(), points(), st.sampled_from(["edge", "point"]))
def test_distance_to_centres_brute_force(f: gpd.GeoDataFrame, c: gpd.GeoDataFrame, measure: str) -> None:
    d = distance_to_centres(f, c, measure_from=measure)  # type: ignore[arg-type]
    src = f.geometry if measure == "edge" else f.geometry.representative_point()
    all_d = np.array([[a.distance(b) for b in c.geometry] for a in src])
    np.testing.assert_allclose(d["distance_m"], all_d.min(axis=1))
    first = all_d.argmin(axis=1)  # ties: the centre that comes first
    assert d["centre_nom"].tolist() == c["nom"].to_numpy()[first].tolist()


@SETTINGS
@given(
    features(),
    points(min_size=2),
    st.sampled_from([300.0, 800.0]),
    st.lists(st.sampled_from(["train", "tram", "bus", ""]), min_size=1),
    st.sampled_from([None, ("train",), ("tram", "metro")]),
)
def test_station_access_brute_force(
    f: gpd.GeoDataFrame,
    s: gpd.GeoDataFrame,
    radius: float,
    kinds: list[str],
    modes: tuple[str, ...] | None,
) -> None:
    s["mode"] = [kinds[i % len(kinds)] for i in range(len(s))]
    s["nom"] = [f"Gare {i}" for i in range(len(s))]
    a = station_access(f, s, radius=radius, modes=modes)
    dist = np.array([[g.distance(p) for p in s.geometry] for g in f.geometry])
    np.testing.assert_allclose(a["station_distance_m"], dist.min(axis=1))
    # the nearest of any mode, ties to the first station, whichever modes are reported
    first = np.argmax(dist <= dist.min(axis=1)[:, None], axis=1)
    assert a["station_nom"].tolist() == s["nom"].to_numpy()[first].tolist()
    for m in modes or sorted(set(s["mode"]) - {""}):
        sel = (s["mode"] == m).to_numpy()
        want = dist[:, sel].min(axis=1) if sel.any() else np.full(len(f), np.nan)
        np.testing.assert_allclose(a[f"{m}_distance_m"], want)
    assert _counted_within(a["stations_within"].to_numpy(), dist, radius)
    walk = shapely.union_all(
        shapely.buffer(np.asarray(s.geometry.values, dtype=object), radius, quad_segs=16)
    )
    np.testing.assert_allclose(
        a["share_within_walk"], (f.intersection(walk).area / f.area).to_numpy(), atol=1e-6
    )


def test_station_access_modes_and_points() -> None:
    f = gdf([shapely.Point(X0, Y0)])
    s = gdf([shapely.Point(X0 + 300, Y0), shapely.Point(X0 + 2000, Y0)], mode=["bus", "train"])
    a = station_access(f, s, radius=500, modes=("train", "metro"))
    assert a.loc[0, "train_distance_m"] == 2000 and np.isnan(a.loc[0, "metro_distance_m"])
    assert a.loc[0, "share_within_walk"] == 1.0  # a point within the radius
    assert list(station_access(f, s).columns)[2:4] == ["bus_distance_m", "train_distance_m"]


def test_station_access_breaks_ties_between_modes_by_position() -> None:
    """Two stations of different modes at the same distance: the nearest of any mode is the one
    listed first in the station layer, whichever mode is searched first."""
    f = gdf([shapely.Point(X0, Y0)])
    for modes, first in ((["bus", "tram"], "Gare 0"), (["tram", "bus"], "Gare 0")):
        s = gdf(
            [shapely.Point(X0 + 300, Y0), shapely.Point(X0 - 300, Y0)], mode=modes, nom=["Gare 0", "Gare 1"]
        )
        a = station_access(f, s, radius=100)
        assert a.loc[0, "station_nom"] == first and a.loc[0, "station_distance_m"] == 300.0


def test_station_access_mode_of_stations_with_no_mode() -> None:
    """Stations with no mode can be asked for as the mode "": their own distance, not that of
    the stations of the other modes."""
    f = gdf([shapely.Point(X0, Y0)])
    s = gdf([shapely.Point(X0 + 300, Y0), shapely.Point(X0 + 2000, Y0)], mode=["bus", None])
    a = station_access(f, s, radius=100, modes=("",))
    assert a.loc[0, "_distance_m"] == 2000.0 and a.loc[0, "station_distance_m"] == 300.0


def test_distance_to_lines_measures_edges_and_names_only_the_output() -> None:
    f = gdf([shapely.Point(X0 + 500, Y0 + 100)])
    # the segment's vertices are 510 m away, its edge 100 m: edges count
    line = gdf([shapely.LineString([(X0, Y0), (X0 + 1000, Y0)])])
    d = distance_to_lines(f, line, name="a21")
    assert d.name == "a21_distance_m" and d.iloc[0] == pytest.approx(100.0)
    poly = gdf([shapely.box(X0 - 1000, Y0 - 1000, X0 + 1000, Y0)])
    assert distance_to_lines(f, poly, name="x").iloc[0] == pytest.approx(100.0)


def test_unesco_overlap_and_area_share() -> None:
    f = gdf([shapely.box(X0, Y0, X0 + 100, Y0 + 100), shapely.box(X0 + 1000, Y0, X0 + 1100, Y0 + 100)])
    prop = gpd.GeoDataFrame(
        geometry=[shapely.box(X0 + 50, Y0, X0 + 150, Y0 + 100)], index=pd.Index([7], name="element"), crs=2154
    )
    zone = gdf([shapely.box(X0 - 500, Y0 - 500, X0 + 500, Y0 + 500)])
    u = unesco_overlap(f, prop, zone)
    assert u["bien_inscrit_share"].tolist() == [0.5, 0.0]
    assert u["zone_tampon_share"].tolist() == [1.0, 0.0]
    assert u["bien_inscrit_distance_m"].tolist() == [0.0, 850.0]
    assert u["bien_inscrit_element"].tolist() == [7, 7]
    s = area_share(f, gdf([*prop.geometry, *prop.geometry]), name="s")  # duplicates count once
    assert s.tolist() == [0.5, 0.0] and s.name == "s"


@SETTINGS
@given(features(), points(), st.floats(0, 1500))
@example(  # found by hypothesis: GEOS's distance 1499.9999999999998, its within-distance test "no"
    gpd.GeoDataFrame(geometry=[shapely.box(X0 - 234, Y0, X0 + 91, Y0 + 10)], crs=2154, index=["f0"]),
    gpd.GeoDataFrame({"nom": ["p0"]}, geometry=[shapely.Point(X0 + 1, Y0 + 1510)], crs=2154),
    1499.9999999999998,
)
def test_counts_within_radius(f: gpd.GeoDataFrame, p: gpd.GeoDataFrame, r: float) -> None:
    c = count_within_radius(f, p, radius=r, name="n")
    d = np.array([[g.distance(q) for q in p.geometry] for g in f.geometry])
    assert len(c) == len(f) and _counted_within(c.to_numpy(), d, r), (c.tolist(), d.tolist(), r)
    h = heritage_within(f, p, p.iloc[:1], radius=max(r, 1.0))
    assert _counted_within(h["puits_within"].to_numpy(), d, max(r, 1.0))


def _counted_within(got: np.ndarray, d: np.ndarray, r: float) -> bool:
    """Whether *got* counts, per row of distances *d*, the targets within *r* (brute force).

    GEOS's within-distance test and its distance can round a distance equal to the radius to
    opposite sides (1500 m against 1499.9999999999998, found by hypothesis): a target within a
    micrometre of the radius may be counted or not.
    """
    return every(((d <= r - 1e-6).sum(axis=1) <= got) & (got <= (d <= r + 1e-6).sum(axis=1)))


# ---------------------------------------------------------------- context


def test_commune_of_codes_and_space() -> None:
    pts = gdf([shapely.Point(X0 + 500, Y0 + 500), shapely.Point(X0 + 2500, Y0 + 1500)])
    assert commune_of(pts, COMMUNES).tolist() == ["62001", "59003"]
    # straddling: the commune holding the larger part
    straddle = gdf([shapely.box(X0 + 800, Y0 + 100, X0 + 1500, Y0 + 200)])
    assert commune_of(straddle, COMMUNES).tolist() == ["62002"]
    coded = pts.assign(code_insee=["62002", "99999"])
    with pytest.raises(UnknownCodeError, match="99999"):
        commune_of(coded, COMMUNES)
    far = gdf([shapely.Point(X0 + 50_000, Y0)])
    with pytest.raises(UnknownCodeError, match="lie in no commune"):
        commune_of(far, COMMUNES)


def test_friches_context_never_publishes_a_share_above_one() -> None:
    pts = gdf([shapely.Point(X0 + 500, Y0 + 500), shapely.Point(X0 + 2500, Y0 + 1500)])
    with pytest.warns(DataQualityWarning, match="C5 59003 \\(share_above_one\\)"):
        fr = friches_context(pts, COMMUNES)
    assert fr.loc[0, "friches_n"] == 1 and fr.loc[0, "friches_surface_quality"] == "ok"
    assert np.isnan(fr.loc[1, "friches_surface_share"]) and np.isnan(fr.loc[1, "friches_surface_m2"])
    assert fr.loc[1, "friches_surface_quality"] == "share_above_one"
    flagged = COMMUNES.assign(friches_surface_quality=["surface_exceeds_commune"] + ["ok"] * 5)
    with pytest.warns(DataQualityWarning, match="surface_exceeds_commune"):
        assert np.isnan(friches_context(pts.iloc[:1], flagged).loc[0, "friches_surface_m2"])
    with pytest.raises(MissingColumnError, match="friches_communes"):
        friches_context(pts, COMMUNES[["nom", "geometry"]])


def test_income_context_own_commune_iris_only() -> None:
    iris = gpd.GeoDataFrame(
        {
            "code_insee": ["62001", "62002", "62002"],
            "revenu_median_uc": [15000, 20000, 30000],
            "taux_pauvrete_pct": [30.0, 20.0, 10.0],
        },
        # 62001's IRIS reaches 10 m into 62002 (contours of other vintages never match exactly)
        geometry=[
            shapely.box(X0, Y0, X0 + 1010, Y0 + 1000),
            shapely.box(X0 + 1000, Y0, X0 + 1500, Y0 + 1000),
            shapely.box(X0 + 1500, Y0, X0 + 2000, Y0 + 1000),
        ],
        crs=2154,
    )
    # a feature of 62002 (x 1000–1900) overlaps that sliver: 62001's IRIS is not counted
    f = gdf([shapely.box(X0 + 1000, Y0, X0 + 1900, Y0 + 100)])
    inc = income_context(f, COMMUNES, iris)
    assert inc.loc[0, "revenu_median_commune"] == 19000
    assert inc.loc[0, "revenu_median_iris"] == pytest.approx((500 * 20000 + 400 * 30000) / 900)
    # a feature straddling two communes takes the IRIS of both, by area
    two = gdf([shapely.box(X0 + 900, Y0, X0 + 1400, Y0 + 100)])
    assert income_context(two, COMMUNES, iris).loc[0, "revenu_median_iris"] == pytest.approx(
        (110 * 15000 + 400 * 20000) / 510
    )
    # a feature in a commune without IRIS figures gets NA, not a neighbour's value
    g = gdf([shapely.box(X0 + 2000, Y0, X0 + 2100, Y0 + 100)])
    assert np.isnan(income_context(g, COMMUNES, iris).loc[0, "revenu_median_iris"])


def test_aggregate_area_weights_are_square_metres_in_lambert_93() -> None:
    """Features in longitude/latitude are weighted by their area in Lambert-93 (m²), not in
    square degrees (whose ratio between two features is not the ratio on the ground)."""
    g = gpd.GeoDataFrame(
        geometry=[
            shapely.box(X0, Y0, X0 + 100, Y0 + 100),
            shapely.box(X0 + 1500, Y0 + 200, X0 + 1900, Y0 + 300),
        ],
        crs=2154,
    )
    v = pd.Series([0.0, 1.0], index=g.index, name="x")
    lonlat = g.to_crs(4326)
    got = aggregate(v, lonlat, COMMUNES, by="epci", weights="area").loc["200000001", "x"]
    assert got == pytest.approx(40_000 / 50_000, rel=1e-9)  # the areas measured in EPSG:2154
    degrees = shapely.area(np.asarray(lonlat.geometry.values, dtype=object))
    assert got != pytest.approx(degrees[1] / degrees.sum(), rel=1e-9)


def test_aggregate_with_caller_communes() -> None:
    v = pd.Series([0.2, 0.4, 0.6, 0.0, 1.0, 1.0], index=COMMUNES.index, name="x")
    e = aggregate(v, COMMUNES, COMMUNES, by="epci", weights="area")
    assert e.loc["200000001", "x"] == pytest.approx(0.4) and e.loc["200000002", "n"] == 3
    d = aggregate(v, COMMUNES, COMMUNES, by="departement", how="max")
    assert d.loc["59", "x"] == 1.0 and d.loc["59", "nom"] == "Nord"
    with pytest.raises(AlignmentError):
        aggregate(v.iloc[::-1], COMMUNES, COMMUNES)
    with pytest.raises(MissingColumnError, match="siren_epci"):
        aggregate(v, COMMUNES, COMMUNES[["geometry"]], by="epci")


# ---------------------------------------------------------------- errors


def test_errors() -> None:
    f = gdf([shapely.box(X0, Y0, X0 + 100, Y0 + 100)])
    c = gdf([shapely.Point(X0, Y0)])
    with pytest.raises(EmptyInputError):
        qpv_overlap(f.iloc[:0], c)
    with pytest.raises(CRSError, match="reproject"):
        distance_to_centres(f, c.to_crs(4326))
    with pytest.raises(InvalidGeometryError, match="polygons only"):
        qpv_overlap(f, c)
    bow = gdf([shapely.Polygon([(X0, Y0), (X0 + 9, Y0 + 9), (X0 + 9, Y0), (X0, Y0 + 9)])])
    with pytest.raises(InvalidGeometryError, match="invalid"):
        qpv_overlap(f, bow)  # an invalid QPV that the feature touches
    qpv_overlap(gdf([shapely.box(X0 + 500, Y0, X0 + 600, Y0 + 10)]), bow)  # one it does not: fine
    with pytest.raises(InvalidOptionError):
        station_access(f, c, radius=-5)
    with pytest.raises(InvalidOptionError):
        count_within_radius(f, c, radius=float("nan"))
    with pytest.raises(InvalidOptionError):
        distance_to_centres(f, c, max_distance=-1)
    with pytest.raises(UnknownOptionError):
        distance_to_centres(f, c, measure_from="centroid")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="GeoDataFrame"):
        distance_to_centres(f, pd.DataFrame({"x": [1]}))  # type: ignore[arg-type]


def test_caller_layers_behave_like_builtin_ones_without_any_mirror() -> None:
    """The whole flow runs on caller layers: no dataset is ever opened (the unit conftest
    points the data directory nowhere and refuses downloads)."""
    f = gdf([shapely.box(X0 + 100, Y0 + 100, X0 + 300, Y0 + 300)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = pd.concat(
            [
                distance_to_centres(f, gdf([shapely.Point(X0 + 1000, Y0 + 200)], nom=["Lens"])),
                qpv_overlap(f, gdf([shapely.box(X0, Y0, X0 + 200, Y0 + 1000)])),
                station_access(f, gdf([shapely.Point(X0 + 300, Y0 + 300)], mode=["train"])),
                income_context(
                    f, COMMUNES, COMMUNES.assign(code_insee=COMMUNES.index, taux_pauvrete_pct=1.0)
                ),
            ],
            axis=1,
        )
    assert out.loc[0, "distance_m"] == 700 and out.loc[0, "qpv_share"] == 0.5
    assert out.loc[0, "revenu_median_iris"] == 18000
