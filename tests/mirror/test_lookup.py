"""lookup() on the mirror's layers: a point in Lens, and agreement with the indicator layers."""

from __future__ import annotations

import erbm_geo as eg
from erbm_geo.lookup import builtin_layers, lookup


def test_a_point_in_lens() -> None:
    got = lookup([(2.8319, 50.4322)], layers=builtin_layers()).iloc[0]
    assert got["code_insee"] == "62498" and got["commune"] == "Lens" and bool(got["in_basin"])
    assert got["siren_epci"] == "246200364" and got["unesco"] in ("zone tampon", "bien inscrit")
    assert got["qpv_distance_m"] == 0 and got["code_qpv"] in set(eg.indicators.builtin.qpv().index)
    assert got["station_distance_m"] < 1000 and got["friche_distance_m"] >= 0


def test_the_cites_own_points_are_found_in_them() -> None:
    lay = builtin_layers()
    cites = lay.cites.iloc[:60]
    pts = cites.geometry.representative_point()
    got = lookup(pts, layers=lay)
    assert got.index.equals(cites.index)
    assert (
        got["cite_id"].astype(object) == cites.index.to_numpy()
    ).mean() > 0.9  # overlapping cités: the first
