"""Indicators on real data (hand-checked values), invariants (hypothesis) and errors."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import erbm_geo as eg
from erbm_geo.errors import (
    CRSError,
    EmptyInputError,
    InvalidGeometryError,
    InvalidOptionError,
    UnknownOptionError,
)
from erbm_geo.indicators import (
    aggregate,
    area_share,
    builtin,
    distance_to_centres,
    distance_to_lines,
    heritage_within,
    income_context,
    qpv_overlap,
    station_access,
    unesco_overlap,
)
from tests.checks import every

X0, Y0 = 680_000, 7_030_000  # the basin, Lambert-93

# ---------------------------------------------------------------- hand-checked values


def test_centre_distance_zero_at_itself(basin_communes: gpd.GeoDataFrame) -> None:
    d = distance_to_centres(basin_communes, builtin.centres("main"))
    for code, name in [("62498", "Lens"), ("59606", "Valenciennes"), ("62119", "Béthune")]:
        assert d.loc[code, "distance_m"] == 0.0 and d.loc[code, "centre_nom"] == name
    # Liévin's centre is its own, not Lens'
    assert d.loc["62510", "centre_id"] == "62510"
    # from a representative point, Lens is still closest to Lens, at less than 3 km
    p = distance_to_centres(basin_communes.loc[["62498"]], builtin.centres("main"), measure_from="point")
    assert p.loc["62498", "centre_nom"] == "Lens" and p.loc["62498", "distance_m"] < 3000


def test_centre_distance_matches_geopandas(basin_communes: gpd.GeoDataFrame) -> None:
    main = eg.layers.centres(level="main")
    ours = distance_to_centres(basin_communes, builtin.centres("main"))["distance_m"]
    ref = basin_communes.geometry.apply(lambda g: main.distance(g).min())
    np.testing.assert_allclose(ours.to_numpy(), ref.to_numpy(), atol=1e-6)


def test_qpv_overlap_known_cite() -> None:
    cites = eg.layers.cites()
    q = qpv_overlap(cites, builtin.qpv())
    inside = q[q["qpv_share"] > 0.99]
    assert len(inside) > 10  # many cités are QPV
    # the QPV codes of a cité fully inside a QPV list at least one QPV of its commune
    qpv = eg.layers.qpv(territory="france")
    one = inside.index[0]
    code = inside.loc[one, "qpv_codes"].split(";")[0]
    assert cites.loc[one, "code_insee"] in qpv.loc[code, "codes_insee"].split(";")
    assert every(q["n_qpv"] == q["qpv_codes"].str.split(";").map(lambda x: len([c for c in x if c])))


def test_qpv_overlap_matches_overlay(basin_communes: gpd.GeoDataFrame) -> None:
    qpv = eg.layers.qpv()
    ours = qpv_overlap(basin_communes, qpv)
    # reference: overlay against the dissolved QPV (two repaired QPV overlap by ~170 m² in one
    # commune; a plain overlay would count that twice)
    dissolved = gpd.GeoDataFrame(geometry=[qpv.union_all()], crs=qpv.crs)
    ov = gpd.overlay(basin_communes.reset_index()[["code_insee", "geometry"]], dissolved, how="intersection")
    ref = ov.assign(a=ov.area).groupby("code_insee")["a"].sum().reindex(basin_communes.index, fill_value=0)
    np.testing.assert_allclose(ours["qpv_area_m2"].to_numpy(), ref.to_numpy(), rtol=1e-6, atol=1.0)


def test_unesco_overlap_on_property_itself() -> None:
    prop = eg.layers.bien_inscrit()
    u = unesco_overlap(prop, builtin.unesco_property(), builtin.unesco_buffer_zone())
    assert np.allclose(u["bien_inscrit_share"], 1.0)
    assert every(u["bien_inscrit_distance_m"] == 0)
    assert u["zone_tampon_share"].median() < 0.01  # the buffer is drawn around the parts


def test_station_access(basin_communes: gpd.GeoDataFrame) -> None:
    a = station_access(basin_communes, builtin.stations())
    assert a.loc["62498", "station_distance_m"] == 0.0  # Lens station lies in Lens
    assert a.loc["59606", "tram_distance_m"] == 0.0  # Valenciennes tram
    assert every(a["share_within_walk"].between(0, 1))
    assert every(a["stations_within"] >= 0)
    pts = eg.layers.stations(territory="bassin_minier")
    at = station_access(pts, builtin.stations())
    assert len(at) == len(pts) > 50  # not a vacuous .all() below
    assert every(at["station_distance_m"] == 0) and every(at["share_within_walk"] == 1)


def test_user_line_layer_flows_into_indicators(basin_communes: gpd.GeoDataFrame) -> None:
    road = eg.layers.user_layer(
        gpd.GeoDataFrame(
            {"nom": ["segment"]},
            crs="EPSG:4326",
            geometry=[shapely.LineString([(2.83, 50.43), (3.07, 50.37)])],
        ),
        kind="line",
    )
    d = distance_to_lines(basin_communes, road, name="route")
    assert d.name == "route_distance_m" and every(d >= 0) and (d == 0).sum() > 3


def test_iris_income_only_from_own_communes(basin_communes: gpd.GeoDataFrame) -> None:
    """Issue 13, figure 1: no IRIS value borrowed from a neighbour's boundary sliver."""
    inc = income_context(basin_communes, builtin.income_communes(), builtin.income_iris())
    ii = eg.layers.income_iris(territory="nord_pas_de_calais")
    with_figures = set(ii.loc[ii["revenu_median_uc"].notna(), "code_insee"])
    has = inc["revenu_median_iris"].notna()
    # exactly the communes with IRIS figures of their own (84 of the 197 that had a value)
    assert set(inc.index[has]) == with_figures & set(basin_communes.index) and has.sum() == 84
    assert pd.isna(inc.loc["62508", "revenu_median_iris"])  # Lières: was 23,600 € from 0.05 ha
    assert pd.isna(inc.loc["62508", "taux_pauvrete_iris_pct"])
    # a commune and its cités agree: Hornaing has no IRIS figures, nor has its Cité Heurteau
    cites = eg.layers.cites()
    hornaing = cites[cites["code_insee"] == "59314"]
    assert pd.isna(inc.loc["59314", "revenu_median_iris"])
    assert every(
        income_context(hornaing, builtin.income_communes(), builtin.income_iris())[
            "revenu_median_iris"
        ].isna()
    )
    # cités straddling communes: the IRIS of all their communes, weighted by area (brute force)
    two = cites[cites["codes_insee"].str.contains(";")]
    got = income_context(two, builtin.income_communes(), builtin.income_iris())["revenu_median_iris"]
    fig = ii[ii["revenu_median_uc"].notna()]
    for cid, cite in two.iterrows():
        own = fig[fig["code_insee"].isin(cite["codes_insee"].split(";"))]
        w = own.geometry.intersection(cite.geometry).area.to_numpy()
        v = own["revenu_median_uc"].astype(float).to_numpy()
        expected = (w * v).sum() / w.sum() if w.sum() > 0 else np.nan
        assert got[cid] == pytest.approx(expected, rel=1e-6, nan_ok=True), cid
    assert got.notna().sum() > 10


def test_stations_across_the_border_do_not_count_by_default() -> None:
    """Issue 13, figure 3: Cité de l'Ermitage, 3,660 m from Péruwelz (Belgium)."""
    cites = eg.layers.cites()
    ermitage = cites[cites["nom"].str.contains("Ermitage")]
    assert len(ermitage) == 1
    fr = station_access(ermitage, builtin.stations())
    assert fr["train_distance_m"].iloc[0] == pytest.approx(11_146, abs=1)
    all_scopes = station_access(ermitage, builtin.stations("all"))
    assert all_scopes["train_distance_m"].iloc[0] == pytest.approx(3_660, abs=1)
    st_all = eg.layers.stations(territory="france", scope="all")
    st_fr = eg.layers.stations(territory="france")
    assert "Péruwelz" in set(st_all["nom"]) and "Péruwelz" not in set(st_fr["nom"])
    assert every(st_fr["in_france"]) and not every(st_all["in_france"])
    # the stations layer and the indicator agree: nearest French train station is in stations()
    assert fr["station_nom"].iloc[0] in set(st_fr["nom"])
    with pytest.raises(UnknownOptionError, match="scope"):
        station_access(ermitage, builtin.stations("europe"))
    with pytest.raises(UnknownOptionError, match="scope"):
        eg.layers.stations(scope="belgique")


def test_context(basin_communes: gpd.GeoDataFrame) -> None:
    inc = income_context(basin_communes, builtin.income_communes(), builtin.income_iris())
    assert inc.loc["62498", "revenu_median_commune"] == 17250
    # Lens's IRIS are poorer than 0 and richer than nothing: weighted mean within their range
    ii = eg.layers.income_iris()
    lens = ii[ii["code_insee"] == "62498"]["revenu_median_uc"].astype(float)
    assert lens.min() <= inc.loc["62498", "revenu_median_iris"] <= lens.max()
    h = heritage_within(basin_communes, builtin.shafts(), builtin.terrils(), radius=0.0)
    shafts = eg.layers.puits_de_mines()
    ref = gpd.sjoin(shafts, basin_communes[["geometry"]], predicate="intersects")
    assert int(h["puits_within"].sum()) == len(ref)


def test_aggregate_by_epci(erbm_communes: gpd.GeoDataFrame) -> None:
    q = qpv_overlap(erbm_communes, builtin.qpv())
    by = aggregate(q[["qpv_share"]], erbm_communes, builtin.communes(), by="epci", weights="area")
    assert len(by) == 8 and by["n"].sum() == 336
    # area-weighted share of QPV = total QPV area / total area, per EPCI
    ll = erbm_communes["siren_epci"] == "246200364"
    expect = q.loc[ll, "qpv_area_m2"].sum() / erbm_communes[ll].area.sum()
    assert by.loc["246200364", "qpv_share"] == pytest.approx(expect, rel=1e-9)
    pop = aggregate(
        q[["qpv_share"]], erbm_communes, builtin.communes(), by="departement", weights="population"
    )
    assert set(pop.index) == {"59", "62"}
    with pytest.raises(UnknownOptionError):
        aggregate(q, erbm_communes, builtin.communes(), by="region")  # type: ignore[arg-type]


def test_indicator_tables() -> None:
    t = eg.indicators.indicator_table(of="communes")
    assert len(t) == 250 and t.index.name == "code_insee"
    assert t["n_cites"].sum() == 289
    c = eg.indicators.indicator_table(of="cites")
    assert len(c) == 289
    for col in ("qpv_share", "bien_inscrit_share", "zone_tampon_share", "share_within_walk"):
        assert every(c[col].between(0, 1)), col
    for col in [k for k in c.columns if k.endswith("_distance_m")]:
        assert every(c[col].dropna() >= 0), col
    assert set(eg.indicators.INDICATOR_DOC) >= {k for k in t.columns if k.endswith("_distance_m")}
    s = eg.indicators.sources_table()
    assert every(s["licence"].notna()) and len(s) == len(eg.indicators.TABLE_SOURCES)


# ---------------------------------------------------------------- errors


def test_errors(basin_communes: gpd.GeoDataFrame) -> None:
    with pytest.raises(EmptyInputError):
        qpv_overlap(basin_communes.iloc[:0], builtin.qpv())
    nocrs = basin_communes.iloc[:3].set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="no CRS"):
        distance_to_centres(nocrs, builtin.centres("main"))
    pts = eg.layers.centres(level="main").to_crs(4326)
    with pytest.raises(CRSError, match="reproject"):
        distance_to_centres(basin_communes, pts)
    bad = basin_communes.iloc[:2].copy()
    bad.loc[bad.index[0], "geometry"] = shapely.Polygon(
        [(X0, Y0), (X0 + 9, Y0 + 9), (X0 + 9, Y0), (X0, Y0 + 9)]
    )
    with pytest.raises(InvalidGeometryError, match="invalid"):
        station_access(bad, builtin.stations())
    with pytest.raises(UnknownOptionError):
        distance_to_centres(basin_communes, builtin.centres("capital"))  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError):
        station_access(basin_communes, builtin.stations(), radius=-5)
    with pytest.raises(UnknownOptionError):
        distance_to_centres(basin_communes, builtin.centres("main"), measure_from="centroid")  # type: ignore[arg-type]


# ---------------------------------------------------------------- invariants


@st.composite
def polygons(draw: st.DrawFn) -> gpd.GeoDataFrame:
    n = draw(st.integers(1, 12))
    xs = draw(st.lists(st.floats(0, 60_000), min_size=n, max_size=n))
    ys = draw(st.lists(st.floats(0, 40_000), min_size=n, max_size=n))
    rs = draw(st.lists(st.floats(5, 3_000), min_size=n, max_size=n))
    geoms = [shapely.Point(X0 + x, Y0 + y).buffer(r, quad_segs=4) for x, y, r in zip(xs, ys, rs, strict=True)]
    return gpd.GeoDataFrame(
        {"k": range(n)}, geometry=geoms, crs=2154, index=pd.Index([f"f{i}" for i in range(n)])
    )


_settings = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_settings
@given(polygons(), st.randoms(use_true_random=False))
def test_invariants(gdf: gpd.GeoDataFrame, rnd: object) -> None:
    q = qpv_overlap(gdf, builtin.qpv())
    assert every(q["qpv_share"].between(0, 1))
    d = distance_to_centres(gdf, builtin.centres("acv_pvd"))
    assert every(d["distance_m"] >= 0)
    a = station_access(gdf, builtin.stations())
    assert every(a["share_within_walk"].between(0, 1))
    u = unesco_overlap(gdf, builtin.unesco_property(), builtin.unesco_buffer_zone())
    assert every(u["bien_inscrit_share"].between(0, 1)) and every(u["bien_inscrit_distance_m"] >= 0)
    # reordering rows changes nothing but the order
    perm = list(gdf.index)
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    q2 = qpv_overlap(gdf.loc[perm], builtin.qpv())
    pd.testing.assert_frame_equal(q2.loc[gdf.index], q)
    d2 = distance_to_centres(gdf.loc[perm], builtin.centres("acv_pvd"))
    pd.testing.assert_frame_equal(d2.loc[gdf.index], d)
    # reprojecting the input changes results by far less than a metre
    g4326 = gdf.to_crs(4326)
    d3 = distance_to_centres(g4326, builtin.centres("acv_pvd").to_crs(4326))
    np.testing.assert_allclose(d3["distance_m"], d["distance_m"], atol=2.0)
    assert (d3["centre_id"] == d["centre_id"]).mean() >= 0.9


@_settings
@given(polygons())
def test_area_share_additive(gdf: gpd.GeoDataFrame) -> None:
    """Share inside the property + share outside it = 1, for any polygons."""
    prop = eg.layers.bien_inscrit()
    s = area_share(gdf, prop)
    inside = gdf.geometry.intersection(prop.union_all()).area / gdf.area
    np.testing.assert_allclose(s.to_numpy(), inside.to_numpy(), atol=1e-6)


def test_indicator_table_for_any_territory_of_nord_pas_de_calais() -> None:
    """Issue 13, 'any territory': an EPCI outside the ERBM, plus a commune, by their codes."""
    mel = eg.layers.territory_communes(["200093201"])
    assert len(mel) == 95 and set(mel["nom_epci"]) == {"Métropole Européenne de Lille"}
    indicator_table = eg.indicators.indicator_table
    t = indicator_table(territory=["200093201", "62498"])
    assert list(t.index) == sorted([*mel.index, "62498"])
    assert t.loc["62498", "centre_distance_m"] == 0.0 and every(t["qpv_share"].between(0, 1))
    basin = indicator_table()
    # the same commune gets the same figures whatever the territory it is computed in
    cols = ["qpv_share", "station_distance_m", "revenu_median_commune", "n_cites"]
    pd.testing.assert_series_equal(t.loc["62498", cols], basin.loc["62498", cols])
    # the MEL holds no cité minière: its cités table is refused with a clear message
    assert int(t.loc[mel.index, "n_cites"].sum()) == 0
    with pytest.raises(eg.errors.EmptyInputError, match="no cité minière lies in the territory"):
        indicator_table(territory="200093201", of="cites")
    with pytest.raises(eg.errors.UnknownCodeError, match=r"\['99999', 'Lille'\]"):
        eg.layers.territory_communes("99999, Lille")
    with pytest.warns(DeprecationWarning, match="territory"):
        old = indicator_table(perimeter="erbm")  # type: ignore[call-arg]
    assert len(old) == 336


@pytest.mark.parametrize("level", ["main", "acv_pvd", "all"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_centre_level_against_brute_force(level: str, data: st.DataObject) -> None:
    """Random points and squares over the basin (and beyond it): nearest centre and distance of
    every built-in level equal an exhaustive search (ties: the first centre in index order)."""
    from erbm_geo.indicators import builtin

    cen = builtin.centres(level)
    xs = data.draw(st.lists(st.floats(620_000, 760_000), min_size=1, max_size=60))
    ys = data.draw(st.lists(st.floats(6_990_000, 7_080_000), min_size=len(xs), max_size=len(xs)))
    sizes = data.draw(st.lists(st.sampled_from([0.0, 50.0, 3_000.0]), min_size=len(xs), max_size=len(xs)))
    geoms = [
        shapely.Point(x, y) if s == 0 else shapely.box(x, y, x + s, y + s)
        for x, y, s in zip(xs, ys, sizes, strict=True)
    ]
    feats = gpd.GeoDataFrame(geometry=geoms, crs=2154)
    got = eg.indicators.distance_to_centres(feats, cen)
    d = shapely.distance(np.asarray(geoms)[:, None], np.asarray(cen.geometry.values)[None, :])
    best = d.min(axis=1)
    np.testing.assert_allclose(got["distance_m"].to_numpy(), best, rtol=0, atol=1e-6)
    first = np.argmax(d <= best[:, None] + 1e-9, axis=1)
    assert list(got["centre_id"]) == list(cen.index[first])


@pytest.mark.parametrize("of", ["communes", "cites"])
def test_regional_qpv_give_the_tables_of_all_metropolitan_qpv(of: str) -> None:
    """The tables load only the QPV of the Nord and the Pas-de-Calais (fewer repairs): for their
    own features, every QPV figure equals the one computed against all 1,362 metropolitan QPV."""
    from erbm_geo.indicators import builtin

    regional = eg.indicators.indicator_table(of=of)
    everywhere = eg.indicators.indicator_table(of=of, targets=builtin.targets())
    cols = [c for c in regional.columns if c.startswith(("qpv", "n_qpv"))]
    assert len(cols) >= 3
    pd.testing.assert_frame_equal(pd.DataFrame(regional[cols]), pd.DataFrame(everywhere[cols]))
    assert regional["n_qpv"].sum() > 0


def test_territory_qpv_equal_the_national_rows() -> None:
    """qpv(territory=…) repairs only the QPV near the territory, yet returns exactly the rows,
    geometries and flags of the repaired national layer filtered to it."""
    nat = eg.layers.qpv(territory="france")
    for territory in ("bassin_minier", "nord_pas_de_calais"):
        sub = eg.layers.qpv(territory=territory)
        ref = eg.layers.filter_to_territory(nat, territory)
        assert list(sub.index) == list(ref.index)
        pd.testing.assert_frame_equal(
            pd.DataFrame(sub.drop(columns="geometry")), pd.DataFrame(ref.drop(columns="geometry"))
        )
        assert every(sub.geometry.geom_equals_exact(ref.geometry, 0))
        assert sub.attrs["repaired"] == int(ref["repaired"].sum())
