"""The unified cités layer and the programme fact tables."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import erbm_geo as eg
from erbm_geo.data.facts import read_fact_table
from erbm_geo.errors import EmptyInputError, UnknownCodeError, UnknownOptionError
from tests.checks import every


@pytest.fixture(scope="module")
def cites() -> gpd.GeoDataFrame:
    return eg.layers.cites()


def test_counts_and_flags(cites: gpd.GeoDataFrame) -> None:
    assert int(cites["unesco_inscribed"].sum()) == 124
    assert int(cites["erbm_programme"].sum()) == 59
    assert int(cites["in_buffer_zone"].sum()) == 162
    assert len(cites) == 289
    assert cites.index.is_unique
    assert cites["id_unesco"].dropna().is_unique
    assert cites["id_lsm"].dropna().is_unique
    # the 35 non-inscribed records of cites-minieres all belong to ERBM cités: 30 rows of their
    # own, 5 merged (same id_lsm) into the inscribed cité they duplicate
    from_cm = cites["sources"].str.split(";").map(lambda s: "cites_minieres" in s).astype(bool)
    cm_only = cites[from_cm & ~cites["unesco_inscribed"]]
    assert len(cm_only) == 30
    # … 25 of them are in the current 59-polygon ERBM layer; 5 came from an earlier vintage of it
    assert sorted(cm_only.index[~cm_only["erbm_programme"]]) == ["L100044", "L227", "L348", "L671", "L682"]
    merged = cites.loc[["U16A", "U96A", "U63AB", "U48F", "U48M"]]
    assert every(merged["erbm_programme"]) and every(merged["unesco_inscribed"])
    assert every(merged["n_records"] >= 3)


def test_every_cite_in_a_basin_commune(cites: gpd.GeoDataFrame, basin_communes: gpd.GeoDataFrame) -> None:
    assert every(cites["code_insee"].isin(basin_communes.index))
    assert every(cites.is_valid) and (cites.crs.to_epsg() == 2154)


def test_no_duplicate_cite_rows(cites: gpd.GeoDataFrame) -> None:
    import shapely

    g = cites.geometry.values
    tree = shapely.STRtree(g)
    i, j = tree.query(g, predicate="intersects")
    k = i < j
    inter = shapely.area(shapely.intersection(g[i[k]], g[j[k]]))
    smaller = shapely.area(g[i[k]]).clip(max=shapely.area(g[j[k]]))
    assert every(inter < 0.5 * smaller)


def test_matching_rule_on_named_examples(cites: gpd.GeoDataFrame) -> None:
    # inscribed cité also in the ERBM programme and partly in the buffer zone: one row
    af = cites[cites["nom"].str.startswith("Cité Anatole France")]
    assert len(af) == 1
    row = af.iloc[0]
    assert row["unesco_inscribed"] and row["erbm_programme"] and row["in_buffer_zone"]
    assert row["n_records"] == 4  # 2 records in cites-minieres, 1 ERBM, 1 buffer-zone part
    # rule 3: « Cité du Moulin (partie en zone-tampon) » joins the inscribed Cité du Moulin
    moulin = cites[(cites["nom"] == "Cité du Moulin") & cites["unesco_inscribed"]]
    assert moulin["in_buffer_zone"].sum() >= 1
    per_commune = cites[cites["nom"] == "Cité du Moulin"].groupby("code_insee").size()
    assert every(per_commune == 1)
    # ERBM cité not inscribed, not in the buffer zone: Cité Heurteau at Hornaing
    h = cites.loc["L853"]
    assert (h["nom"], h["code_insee"]) == ("Cité Heurteau", "59314")
    assert h["erbm_programme"] and not h["unesco_inscribed"]
    assert h["type_cite"] == "cité-jardin" and h["interet"] == "remarquable"


def test_vocabularies(cites: gpd.GeoDataFrame) -> None:
    assert set(cites["type_cite"].dropna()) == {"corons", "cité pavillonnaire", "cité-jardin", "cité moderne"}
    assert set(cites["interet"].dropna()) == {"exceptionnel", "remarquable", "témoin"}


def test_select() -> None:
    lens = eg.layers.select_cites(commune="62498")
    assert every(lens["codes_insee"].str.contains("62498"))
    ll = eg.layers.select_cites(epci="246200364", flag="erbm_programme")
    assert every(ll["erbm_programme"]) and len(ll) > 0
    with pytest.raises(UnknownCodeError):
        eg.layers.select_cites(commune="00000")
    with pytest.raises(UnknownCodeError, match="SIREN"):
        eg.layers.select_cites(epci="123")
    with pytest.raises(UnknownOptionError):
        eg.layers.select_cites(flag="bogus")  # type: ignore[arg-type]
    with pytest.raises(EmptyInputError):
        eg.layers.select_cites(commune="62295", flag="unesco_inscribed")  # Enquin: none


def test_overview_by_epci(cites: gpd.GeoDataFrame) -> None:
    o = eg.layers.overview_by_epci()
    assert len(o) == 8
    assert o["n_erbm_programme"].sum() == 59
    assert o.loc["200044048", "n_cites"] == 0  # Osartis-Marquion has no cité minière
    total = eg.layers.overview_by_epci(territory="bassin_minier_erbm")
    assert total["n_cites"].sum() == len(cites)
    assert total["bien_inscrit_ha"].sum() == pytest.approx(
        eg.layers.bien_inscrit().area.sum() / 1e4, rel=1e-3
    )


def test_programme_cites_joined() -> None:
    p = eg.layers.programme_cites()
    got = dict(zip(p["nom"], p["cite_id"], strict=True))
    assert got["Cité Heurteau"] == "L853"
    assert got["Cité des Genettes"] == "L262"
    assert got["Cité Sabatier"] == "U8X"
    assert pd.isna(got["Cité des Arts"])  # Lens eco-district (ex-Îlot Parmentier): no polygon
    assert p.loc[p["nom"] == "Cité des Genettes", "logements"].item() == 162


@pytest.mark.parametrize("table", ["programme_cites", "programme_milestones", "inventory_figures"])
def test_fact_rows_cite_a_seed_document(table: str, seeds: Path) -> None:
    t = read_fact_table(table)
    assert len(t) and every(t["source"].notna())
    for src in t["source"]:
        fname = src.split(" ")[0]
        assert (seeds / fname).is_file(), fname


def test_figures_are_in_the_documents(seeds: Path) -> None:
    """Every number of the fact tables appears in the document it cites (French formatting)."""
    for table, col in (
        ("programme_cites", "logements"),
        ("programme_milestones", "value"),
        ("inventory_figures", "value"),
    ):
        t = read_fact_table(table)
        for value, src in zip(t[col], t["source"], strict=True):
            doc = next(seeds.glob(src.split("_")[0] + "*.txt")).read_text("utf-8")
            text = doc.replace("\u202f", " ").replace("\xa0", " ")
            v = int(value)
            forms = {str(v), f"{v:,}".replace(",", " "), f"{v:,}".replace(",", ".")}
            assert any(f in text for f in forms), (table, v, src)


def test_inscribed_and_buffer_parts_carried_separately() -> None:
    """Issue 13, figure 2: a row of an inscribed cité can be mostly buffer zone."""
    c = eg.layers.cites()
    assert c.loc["U63U", "nom"] == "Cité n°12 bis de Lens"
    assert c.loc["U63U", "area_inscribed_ha"] == pytest.approx(2.47, abs=0.005)
    assert c.loc["U63U", "area_buffer_ha"] == pytest.approx(40.01, abs=0.005)
    ins, buf = eg.layers.cite_parts("inscribed"), eg.layers.cite_parts("buffer")
    assert set(ins.index) == set(c.index[c["unesco_inscribed"]]) and len(ins) == 124
    assert set(buf.index) == set(c.index[c["in_buffer_zone"]]) and len(buf) == 162
    # parts lie in their row and do not overlap each other
    both = ins.index.intersection(buf.index)
    assert len(both) == 13
    assert every(ins.geometry.intersection(buf.geometry.reindex(ins.index)).area.fillna(0) < 1)
    assert every(c.geometry.reindex(ins.index).buffer(0.01).covers(ins.geometry))
    assert every(c["area_inscribed_ha"] + c["area_buffer_ha"] <= c["area_ha"] + 1e-6)
    # statistics about inscribed cités on their inscribed parts: 0.580, not 0.559 on whole rows
    q_rows = eg.indicators.qpv_overlap(c[c["unesco_inscribed"]], eg.indicators.builtin.qpv())
    q_parts = eg.indicators.qpv_overlap(ins, eg.indicators.builtin.qpv())
    rows_share = q_rows["qpv_area_m2"].sum() / (c.loc[c["unesco_inscribed"], "area_ha"].sum() * 1e4)
    parts_share = q_parts["qpv_area_m2"].sum() / (ins["area_ha"].sum() * 1e4)
    assert rows_share == pytest.approx(0.559, abs=5e-4)
    assert parts_share == pytest.approx(0.580, abs=5e-4)
    t = eg.indicators.indicator_table(of="cites")
    assert t.loc["U63U", "qpv_share_inscribed"] == pytest.approx(q_parts.loc["U63U", "qpv_share"])
    assert t["qpv_share_inscribed"].notna().sum() == 124
    with pytest.raises(eg.errors.UnknownOptionError, match="part"):
        eg.layers.cite_parts("erbm")  # type: ignore[arg-type]


def test_readme_counts_of_cites_add_up() -> None:
    """The README's paragraph on the cité counts says what the layer holds, overlaps included."""
    c = eg.layers.cites()
    u, b, e = c["unesco_inscribed"], c["in_buffer_zone"], c["erbm_programme"]

    def n(mask: pd.Series) -> int:
        return int(mask.sum())

    assert len(c) == n(u | b) + n(~u & ~b) and n(~u & ~b) == n(e & ~u & ~b) + n(~e & ~u & ~b)
    expected = (
        f"The {len(c)} cités carry three flags that overlap: {n(u)} are inscribed on the World "
        f"Heritage list and {n(b)} lie in the buffer zone — {n(u & b)} cités are both (an "
        "inscribed cité and its buffer-zone part are one row), so "
        f"{n(u | b)} are one or the other; the other {n(~u & ~b)} are {n(e & ~u & ~b)} cités of "
        "the ERBM renovation programme and "
        f"{n(~e & ~u & ~b)} from the Mission Bassin Minier's cité layer. {n(e)} cités are in the "
        f"ERBM programme in all ({n(e & u)} of them inscribed, {n(e & b)} in the buffer zone, "
        f"{n(e & u & b)} both)."
    )
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8").split())
    assert expected in readme
