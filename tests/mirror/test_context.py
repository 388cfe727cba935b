"""Context layers on the real mirror: QPV, centres, friches, income, transport, user layers."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.data.facts import read_fact_table
from erbm_geo.errors import CRSError, DataNotFoundError, InvalidGeometryError, UnknownOptionError
from tests.checks import every


def test_qpv_national_repaired_none_lost() -> None:
    q = eg.layers.qpv(territory="france")
    assert len(q) == 1584 and q.index.is_unique
    assert every(q.is_valid)
    assert every(q.geom_type.isin(["Polygon", "MultiPolygon"]))
    assert q.attrs["repaired"] == int(q["repaired"].sum()) == 559  # 35 % of the stored polygons
    assert every(q.area > 0)


def test_qpv_basin() -> None:
    q = eg.layers.qpv()
    assert len(q) == 88
    assert q.crs.to_epsg() == 2154
    assert every(q["codes_insee"].str.len().gt(0))
    assert len(eg.layers.qpv(territory="erbm")) == 88
    # a user polygon works as a territory: the commune of Lens
    lens = eg.layers.select_communes("62498")
    assert 0 < len(eg.layers.qpv(territory=lens)) < 88


def test_centres_hierarchy() -> None:
    c = eg.layers.centres()
    assert len(c) == 362
    main = c[c["niveau"] == 1]
    assert set(main.index) == set(read_fact_table("main_centralities")["code_insee"])
    assert set(main["nom"]) == set(read_fact_table("main_centralities")["nom"])
    # ACV / PVD named by the mid-term review are level ≤ 2
    for name in [
        "Lillers",
        "Auchel",
        "Carvin",
        "Libercourt",
        "Aniche",
        "Somain",
        "Condé-sur-l'Escaut",
        "Bully-les-Mines",
    ]:
        assert c.loc[c["nom"] == name, "niveau"].item() == 2, name
    # every centre lies inside its commune
    communes = eg.layers.communes(territory="bassin_minier_erbm")
    assert every(shapely.covers(communes.geometry.reindex(c.index).values, c.geometry.values))
    assert (c["source_point"] == "mairie").sum() == 346


def test_friches() -> None:
    f = eg.layers.friches_communes()
    assert len(f) == 250
    assert int(f["friches_n"].sum()) == 669
    type_cols = [c for c in f.columns if c.startswith("friches_type_")]
    assert every(f[type_cols].sum(axis=1) == f["friches_n"])
    s = eg.layers.strategic_sites()
    assert len(s) == 9
    located = s[~s.geometry.is_empty]
    assert set(located.index) == {"Base 11/19", "9/9bis", "Wallers-Arenberg"}
    c = eg.layers.communes(territory="nord_pas_de_calais")
    assert every(shapely.covers(c.geometry.reindex(located["code_insee"]).values, located.geometry.values))
    assert s.loc["Friche des Pierres Blanches", "area_ha"] == pytest.approx(81.8)


def test_friche_surfaces_larger_than_the_commune_are_flagged_not_published() -> None:
    """Issue 13, figure 4: Cartofriches gives Bruay-sur-l'Escaut 74 km² of friches in 6.7 km²."""
    with pytest.warns(eg.errors.DataQualityWarning, match=r"3 commune\(s\) have a friche surface"):
        f = eg.layers.friches_communes(territory="nord_pas_de_calais")
    bad = f[f["friches_surface_quality"] == "surface_exceeds_commune"]
    assert sorted(bad.index) == ["59008", "59112", "62351"]
    assert every(bad["friches_surface_share"].isna()) and every(bad["friches_surface_m2"].isna())
    assert bad.loc["59112", "friches_surface_m2_source"] / 1e6 == pytest.approx(74.04, abs=0.01)
    ok = f.drop(bad.index)
    assert every(ok["friches_surface_quality"] == "ok")
    assert every(ok["friches_surface_share"].notna()) and ok["friches_surface_share"].max() <= 1
    assert [q["code_insee"] for q in f.attrs["quality"]] == ["59008", "59112", "62351"]
    t = eg.indicators.indicator_table(of="communes")
    assert t["friches_surface_share"].max() <= 1 and pd.isna(t.loc["59112", "friches_surface_share"])
    assert t.loc["59112", "friches_surface_quality"] == "surface_exceeds_commune"


def test_income() -> None:
    inc = eg.layers.income_communes()
    assert every(inc["revenu_median_uc"].notna())
    # the basin is poorer than France: two thirds of its communes under the national median
    assert int((inc["revenu_median_uc"] < 22810).sum()) == 168
    ii = eg.layers.income_iris()
    assert len(ii) == 631 and ii.attrs["with_income"] == 354
    assert every(ii["taux_pauvrete_pct"].dropna().between(0, 100))


def test_transport() -> None:
    r = eg.layers.rail_lines(territory="bassin_minier")
    assert len(r) == 31 and r.crs.to_epsg() == 2154
    assert every(r["voie"].notna()) and "Double voie" in set(r["voie"])
    assert every(r["code_ligne"].str.fullmatch(r"\d{6}"))
    st = eg.layers.stations(territory="bassin_minier")
    assert len(st) == 99
    assert (st["mode"] == "train").sum() == 51 and (st["mode"] == "tram").sum() == 48
    assert st.index.is_unique
    # no two stops of the same mode within 150 m with the same name
    g = st.geometry.values
    i, j = shapely.STRtree(g).query(g, predicate="dwithin", distance=150)
    k = i < j
    same = (st["nom"].to_numpy()[i[k]] == st["nom"].to_numpy()[j[k]]) & (
        st["mode"].to_numpy()[i[k]] == st["mode"].to_numpy()[j[k]]
    )
    assert not same.any()
    tram = eg.layers.stations(territory="bassin_minier", mode="tram")
    assert tram["lignes"].str.contains("T1").any()
    with pytest.raises(UnknownOptionError):
        eg.layers.stations(mode="bus")
    b = eg.layers.bhns_lines()
    assert every(b["schematic"]) and b.attrs["publishable"] is False
    assert len(eg.layers.eurovelo5()) > 0


def test_user_layer_reprojects_and_rejects_missing_crs(tmp_path: Path) -> None:
    line = gpd.GeoDataFrame(
        {"nom": ["A21"]}, crs="EPSG:4326", geometry=[shapely.LineString([(2.83, 50.43), (3.07, 50.37)])]
    )
    out = eg.layers.user_layer(line, kind="line")
    assert out.crs.to_epsg() == 2154
    x, _ = out.geometry.iloc[0].coords[0]
    assert 600_000 < x < 800_000
    path = tmp_path / "road.gpkg"
    line.to_file(path)
    assert eg.layers.user_layer(path, kind="line").crs.to_epsg() == 2154
    nocrs = gpd.GeoDataFrame({"nom": ["A21"]}, geometry=[shapely.LineString([(2.83, 50.43), (3.07, 50.37)])])
    with pytest.raises(CRSError, match="no CRS"):
        eg.layers.user_layer(nocrs, name="A21")
    with pytest.raises(InvalidGeometryError, match="expected"):
        eg.layers.user_layer(line, kind="point")
    with pytest.raises(DataNotFoundError):
        eg.layers.user_layer(tmp_path / "missing.gpkg")


@pytest.mark.parametrize(
    "loader",
    [
        lambda: eg.layers.qpv(),
        lambda: eg.layers.centres(),
        lambda: eg.layers.stations(),
        lambda: eg.layers.rail_lines(),
        lambda: eg.layers.iris(),
        lambda: eg.layers.eurovelo5(),
    ],
)
def test_context_invariants(loader: object) -> None:
    g = loader()  # type: ignore[operator]
    assert g.crs.to_epsg() == 2154
    assert every(g.is_valid) and not g.is_empty.any()
    assert every(np.isfinite(shapely.get_coordinates(g.geometry.values)))
