"""Friche sites around features, by commune and between vintages, checked against brute force on
invented sites (hypothesis); the URL filter of the popups."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from erbm_geo.errors import InvalidOptionError, MissingColumnError, UnknownOptionError
from erbm_geo.indicators.friche_sites import (
    STATUS_COLUMNS,
    friche_sites_by_commune,
    friche_sites_change,
    friche_sites_within,
    nearest_friche_site,
)
from erbm_geo.layers.friche_sites import site_url
from tests.unit.layers import SETTINGS, X0, Y0

STATUTS = ["friche potentielle", "friche sans projet", "friche avec projet", "site avec projet", "inconnu"]


@st.composite
def layers(draw: st.DrawFn) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    n = draw(st.integers(1, 8))
    m = draw(st.integers(1, 25))
    xy = st.tuples(st.floats(0, 3000), st.floats(0, 3000))
    boxes = [
        shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + w)
        for (x, y), w in zip(
            draw(st.lists(xy, min_size=n, max_size=n)),
            draw(st.lists(st.floats(1, 400), min_size=n, max_size=n)),
            strict=True,
        )
    ]
    pts = [shapely.Point(X0 + x, Y0 + y) for x, y in draw(st.lists(xy, min_size=m, max_size=m))]
    sites = gpd.GeoDataFrame(
        {
            "site_nom": [f"S{i}" for i in range(m)],
            "site_statut": draw(st.lists(st.sampled_from(STATUTS), min_size=m, max_size=m)),
            "site_surface_m2": draw(st.lists(st.floats(0, 1e6), min_size=m, max_size=m)),
        },
        geometry=pts,
        index=pd.Index([f"s{i}" for i in range(m)], name="site_id"),
        crs=2154,
    )
    return gpd.GeoDataFrame(geometry=boxes, crs=2154), sites


@SETTINGS
@given(layers(), st.sampled_from([0.0, 150.0, 500.0]))
def test_counts_within_a_radius_equal_brute_force(
    data: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame], radius: float
) -> None:
    feats, sites = data
    got = friche_sites_within(feats, sites, radius=radius)
    d = np.array([[f.distance(s) for s in sites.geometry] for f in feats.geometry])
    near = d <= radius
    assert got["friche_sites_n"].tolist() == near.sum(axis=1).tolist()
    np.testing.assert_allclose(
        got["friche_sites_surface_m2"], near @ sites["site_surface_m2"].to_numpy(), rtol=1e-12
    )
    for status, col in zip(STATUTS, STATUS_COLUMNS, strict=True):
        assert got[col].tolist() == (near & (sites["site_statut"].to_numpy() == status)).sum(axis=1).tolist()


@SETTINGS
@given(layers())
def test_nearest_site_equals_brute_force(data: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    feats, sites = data
    got = nearest_friche_site(feats, sites)
    d = np.array([[f.distance(s) for s in sites.geometry] for f in feats.geometry])
    np.testing.assert_allclose(got["friche_site_distance_m"], d.min(axis=1), atol=1e-6)
    best = d.min(axis=1)
    for i, sid in enumerate(got["friche_site_id"]):  # ties: any site at the least distance
        assert d[i, sites.index.get_loc(sid)] == pytest.approx(best[i], abs=1e-6)
        assert got["friche_site_nom"].iloc[i] == sites.at[sid, "site_nom"]


def test_bad_options_and_layers_are_refused() -> None:
    feats = gpd.GeoDataFrame(geometry=[shapely.box(X0, Y0, X0 + 10, Y0 + 10)], crs=2154)
    sites = gpd.GeoDataFrame({"site_statut": ["inconnu"]}, geometry=[shapely.Point(X0, Y0)], crs=2154)
    with pytest.raises(MissingColumnError, match="site_surface_m2"):
        friche_sites_within(feats, sites)
    sites["site_surface_m2"] = 1.0
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(InvalidOptionError, match="radius"):
            friche_sites_within(feats, sites, radius=bad)


def _vintage(day: str, ids: list[str], statuts: list[str], codes: list[str]) -> gpd.GeoDataFrame:
    g = gpd.GeoDataFrame(
        {"site_statut": statuts, "code_insee": codes},
        geometry=[shapely.Point(X0, Y0)] * len(ids),
        index=pd.Index(ids, name="site_id"),
        crs=2154,
    )
    g.attrs["vintage"] = day
    return g


def test_change_between_vintages_by_site_commune_and_group() -> None:
    old = _vintage(
        "2001-06-01",
        ["a", "b", "c", "d"],
        ["friche sans projet", "inconnu", "friche sans projet", "friche avec projet"],
        ["62001", "62001", "62002", "62002"],
    )
    new = _vintage(
        "2002-06-01",
        ["b", "c", "d", "e"],
        ["friche avec projet", "friche avec projet", "friche avec projet", "friche sans projet"],
        ["62001", "62002", "62002", "62002"],
    )
    sites, counts = friche_sites_change(old, new)
    assert sites["change"].to_dict() == {
        "a": "retiré",
        "b": "inchangé",
        "c": "statut modifié",
        "d": "inchangé",
        "e": "ajouté",
    }
    # « inconnu » before is not a change of status (the first extract has almost none)
    assert counts.loc[
        "62001", ["friche_sites_added", "friche_sites_removed", "friche_sites_status_changed"]
    ].tolist() == [0, 1, 0]
    assert counts.loc[
        "62002", ["friche_sites_start", "friche_sites_end", "friche_sites_change"]
    ].tolist() == [2, 3, 1]
    _, by_epci = friche_sites_change(
        old, new, groups=pd.Series({"62001": "E1", "62002": "E1"}, name="siren_epci")
    )
    assert by_epci.index.name == "siren_epci" and by_epci.loc["E1", "friche_sites_change"] == 0
    new.attrs["vintage"] = "2000-01-01"
    with pytest.raises(UnknownOptionError, match="before"):
        friche_sites_change(old, new)


def test_by_commune_sets_the_sites_beside_the_aggregates() -> None:
    sites = gpd.GeoDataFrame(
        {"code_insee": ["62001", "62001", "62003"], "site_surface_m2": [2e6, np.nan, 1.0]},
        geometry=[shapely.Point(X0, Y0)] * 3,
        crs=2154,
    )
    c = pd.DataFrame({"friches_n": [1, 0, 1], "area_km2": [1.0, 1.0, 1.0]}, index=["62001", "62002", "62003"])
    got = friche_sites_by_commune(sites, c)
    assert got["friche_sites_n"].tolist() == [2, 0, 1] and got["friches_n_difference"].tolist() == [1, 0, 0]
    assert got["friche_sites_surface_exceeds_commune"].tolist() == [True, False, False]


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("https://fiches-risques.brgm.fr/georisques/x", True),
        ("http://basol.developpement-durable.gouv.fr/fiche.php?x=1", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ('https://x.fr/"><script>', False),
        (" ftp://x.fr ", False),
        (None, False),
        (12, False),
    ],
)
def test_only_http_urls_become_links(value: object, kept: bool) -> None:
    assert (site_url(value) is not None) is kept


@SETTINGS
@given(layers())
def test_sites_context_equals_brute_force(data: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]) -> None:
    from erbm_geo.indicators.friche_sites import sites_context

    polys, sites = data
    q = polys.set_axis(pd.Index([f"Q{i}" for i in range(len(polys))], name="code_qpv"))
    got = sites_context(sites, bien=polys.iloc[:1], zone_tampon=polys, qpv=q, near=100)
    for sid, pt in zip(sites.index, sites.geometry, strict=True):
        d = [pt.distance(g) for g in polys.geometry]
        assert got.at[sid, "in_unesco_buffer"] == (min(d) == 0)
        assert got.at[sid, "in_unesco_property"] == (d[0] == 0)
        assert got.at[sid, "qpv_distance_m"] == pytest.approx(min(d), abs=1e-6)
        assert got.at[sid, "near_qpv"] == (min(d) <= 100)
        if min(d) == 0:
            assert got.at[sid, "qpv_code"] in {f"Q{i}" for i, x in enumerate(d) if x == 0}
        else:
            assert pd.isna(got.at[sid, "qpv_code"])


def test_by_commune_sums_by_epci_on_request() -> None:
    sites = gpd.GeoDataFrame(
        {"code_insee": ["62001", "62002", "62003"], "site_surface_m2": [1e6, 1.5e6, 1.0]},
        geometry=[shapely.Point(X0, Y0)] * 3,
        crs=2154,
    )
    c = pd.DataFrame(
        {"friches_n": [1, 0, 4], "area_km2": [1.0, 1.0, 5.0], "siren_epci": ["E1", "E1", "E2"]},
        index=["62001", "62002", "62003"],
    )
    got = friche_sites_by_commune(sites, c, by="siren_epci")
    assert got.index.tolist() == ["E1", "E2"] and got.index.name == "siren_epci"
    assert got["friche_sites_n"].tolist() == [2, 1] and got["friches_n_difference"].tolist() == [1, -3]
    assert got["friche_sites_surface_exceeds_commune"].tolist() == [True, False]  # 2.5 km² in 2 km²
    with pytest.raises(MissingColumnError, match="nom_epci"):
        friche_sites_by_commune(sites, c, by="nom_epci")
    # without the communes' areas, nothing to compare the surfaces with: no such column
    for by in (None, "siren_epci"):
        bare = friche_sites_by_commune(sites, c.drop(columns=["area_km2"]), by=by)
        assert "friche_sites_surface_exceeds_commune" not in bare and bare["friche_sites_n"].sum() == 3


def test_sites_context_shapes_limits_and_names() -> None:
    """In and near an L-shaped QPV: a site in the empty corner of its bounding box is outside it;
    distances go from a site's nearest edge (polygons too); ``near`` (300 m by default) includes
    its limit; flags are booleans and codes text; each refusal names the layer at fault."""
    from erbm_geo.errors import CRSError
    from erbm_geo.indicators.friche_sites import sites_context

    ell = shapely.union(shapely.box(X0, Y0, X0 + 1000, Y0 + 200), shapely.box(X0, Y0, X0 + 200, Y0 + 1000))
    zone = gpd.GeoDataFrame(geometry=[ell], crs=2154)
    qpv = gpd.GeoDataFrame(geometry=[ell], index=pd.Index(["QN1"], name="code_qpv"), crs=2154)
    sites = gpd.GeoDataFrame(
        geometry=[
            shapely.Point(X0 + 600, Y0 + 600),  # in the corner of the bounding box, 400 m away
            shapely.Point(X0 + 1300, Y0 + 100),  # 300 m from the edge: near
            shapely.Point(X0 + 1300.5, Y0 + 100),  # 300.5 m: not near by default
            shapely.box(X0 + 1050, Y0, X0 + 1250, Y0 + 100),  # its edge 50 m away, its middle 150 m
            shapely.Point(X0 + 100, Y0 + 100),  # inside
        ],
        index=pd.Index(list("abcde"), name="site_id"),
        crs=2154,
    )
    got = sites_context(sites, bien=zone, zone_tampon=zone, qpv=qpv)
    assert got["in_unesco_property"].tolist() == [False, False, False, False, True]
    assert got["in_unesco_buffer"].dtype == bool and got["near_qpv"].dtype == bool
    assert got["qpv_distance_m"].tolist() == pytest.approx([400.0, 300.0, 300.5, 50.0, 0.0])
    assert got["near_qpv"].tolist() == [False, True, False, True, True]
    assert got["qpv_code"].dtype == "string" and got["qpv_code"].isna().tolist() == [True] * 4 + [False]
    assert sites_context(sites, bien=zone, zone_tampon=zone, qpv=qpv, near=0)["near_qpv"].sum() == 1
    for bad in (-1.0, float("inf"), float("nan")):
        with pytest.raises(InvalidOptionError, match="near must be a distance"):
            sites_context(sites, bien=zone, zone_tampon=zone, qpv=qpv, near=bad)
    nocrs = zone.set_crs(None, allow_override=True)
    for kw, name in (
        ({"bien": nocrs, "zone_tampon": zone, "qpv": qpv}, "bien"),
        ({"bien": zone, "zone_tampon": nocrs, "qpv": qpv}, "zone_tampon"),
        ({"bien": zone, "zone_tampon": zone, "qpv": qpv.set_crs(None, allow_override=True)}, "qpv"),
    ):
        with pytest.raises(CRSError, match=f"^{name} "):
            sites_context(sites, **kw)  # type: ignore[arg-type]
