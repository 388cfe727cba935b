"""lookup() on the mirror's layers: a point in Lens, the cités' own points, a point outside 59/62."""

from __future__ import annotations

import pandas as pd

import erbm_geo as eg
from erbm_geo.lookup import OUTSIDE, builtin_layers, describe, lookup
from tests.checks import every


def test_a_point_in_lens() -> None:
    got = lookup([(2.8319, 50.4322)], layers=builtin_layers()).iloc[0]
    assert got["code_insee"] == "62498" and got["nom_commune"] == "Lens" and bool(got["in_basin"])
    assert got["siren_epci"] == "246200364" and got["unesco_statut"] in ("zone tampon", "bien inscrit")
    assert str(got["code_iris"]).startswith("62498") and got["remarque"] == ""
    assert got["qpv_distance_m"] == 0 and got["qpv_code"] in set(eg.indicators.builtin.qpv().index)
    assert got["station_proche_distance_m"] < 1000 and got["friche_site_distance_m"] >= 0
    assert got["centre_proche"] == "Lens" and got["centre_proche_distance_m"] < 1500
    text = describe(got)
    assert (
        "Commune : Lens (62498), dans le Bassin minier" in text and "Gare ou station la plus proche" in text
    )


def test_the_cites_own_points_are_found_in_them() -> None:
    lay = builtin_layers()
    cites = lay.cites
    pts = cites.geometry.representative_point()
    got = lookup(pts, layers=lay)
    assert got.index.equals(cites.index)
    alone = got["cites_n"] == 1
    assert alone.sum() > 250 and every(got.loc[alone, "cite_id"] == cites.index[alone.to_numpy()])
    # where cités overlap, the lowest id holds the point (the documented rule)
    many = got[got["cites_n"] > 1]
    for label, row in many.iterrows():
        holders = cites.index[cites.intersects(pts[label])]
        assert row["cite_id"] == min(holders.astype(str)), label


def test_a_point_outside_the_two_departements_gets_a_clear_answer() -> None:
    got = lookup(pd.DataFrame({"lat": ["48,8566"], "lon": ["2,3522"]}), layers=builtin_layers())  # Paris
    row = got.iloc[0]
    assert row["remarque"] == OUTSIDE and not row["in_basin"] and pd.isna(row["code_insee"])
    assert row["unesco_statut"] == "aucun" and row["qpv_distance_m"] < 5000  # QPV cover France
    assert pd.isna(row["friche_site_distance_m"]) and got.attrs["outside"] == [0]
