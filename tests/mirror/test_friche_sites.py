"""The Cartofriches sites of the mirror: the layer against the raw files, the three vintages, the
indicators on the real cités and communes."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

import erbm_geo as eg
from erbm_geo.data import resolve
from erbm_geo.errors import DataQualityWarning, UnknownOptionError
from erbm_geo.indicators.friche_sites import friche_sites_by_commune, friche_sites_change, friche_sites_within
from erbm_geo.layers import FRICHES_SITES_VINTAGES
from tests.checks import every


def _raw(vintage: str) -> list[dict[str, object]]:
    name = f"cartofriches_sites_{vintage.replace('-', '_')}"
    return [f["properties"] for f in json.loads(resolve(name).read_text("utf-8"))["features"]]


@pytest.mark.parametrize("vintage", FRICHES_SITES_VINTAGES)
def test_every_site_of_the_raw_file_is_in_the_layer_typed(vintage: str) -> None:
    raw = _raw(vintage)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = eg.layers.friches_sites(territory="nord_pas_de_calais", vintage=vintage)
    assert len(s) + len(s.attrs["outside"]) == len(raw)  # nothing dropped without a count
    assert set(s.index) == {str(r["site_id"]) for r in raw} - set(s.attrs["outside"])
    assert s.crs.to_epsg() == 2154 and s.attrs["vintage"] == vintage
    assert str(s["site_statut"].dtype) == "category" and s["site_surface_m2"].dtype == "float64"
    assert str(s["site_identif_date"].dtype).startswith("datetime64")
    assert "source_producteur" not in s.columns and "source_contact" not in s.columns  # personal data
    by_id = {str(r["site_id"]): r for r in raw}
    for sid in s.index[:50]:
        assert s.at[sid, "site_surface_m2"] == pytest.approx(float(by_id[sid]["site_surface"]))
        assert str(s.at[sid, "site_statut"]) == by_id[sid]["site_statut"]
    mismatch = [
        w
        for w in caught
        if issubclass(w.category, DataQualityWarning) and "another commune" in str(w.message)
    ]
    assert len(mismatch) == 1 and str(len(s.attrs["commune_mismatch"])) in str(mismatch[0].message)


def test_first_vintage_has_almost_no_status_and_unknown_vintage_lists_them() -> None:
    first = eg.layers.friches_sites(territory="nord_pas_de_calais", vintage=FRICHES_SITES_VINTAGES[0])
    assert (first["site_statut"] == "inconnu").mean() > 0.95  # the mirror README's known flaw
    with pytest.raises(UnknownOptionError, match=", ".join(FRICHES_SITES_VINTAGES)):
        eg.layers.friches_sites(vintage="2020-01-01")


def test_indicators_on_the_cites_and_the_communes() -> None:
    sites = eg.layers.friches_sites(territory="nord_pas_de_calais")
    cites = eg.layers.cites()
    near = friche_sites_within(cites, sites)
    assert near.index.equals(cites.index) and int(near["friche_sites_n"].sum()) > 0
    brute = [int((sites.distance(g) <= 500).sum()) for g in cites.geometry[:40]]
    assert near["friche_sites_n"].iloc[:40].tolist() == brute
    basin = eg.layers.friches_sites()
    by = friche_sites_by_commune(basin, eg.layers.friches_communes(warn=False))
    assert int(by["friche_sites_n"].sum()) == len(basin)
    assert "friches_n_difference" in by  # the 2026 aggregate beside the sites, not hidden


def test_change_between_the_last_two_vintages() -> None:
    old = eg.layers.friches_sites(vintage=FRICHES_SITES_VINTAGES[-2])
    new = eg.layers.friches_sites(vintage=FRICHES_SITES_VINTAGES[-1])
    sites, counts = friche_sites_change(old, new)
    added = set(new.index) - set(old.index)
    removed = set(old.index) - set(new.index)
    assert set(sites.index[sites["change"] == "ajouté"]) == added
    assert set(sites.index[sites["change"] == "retiré"]) == removed
    assert int(counts["friche_sites_added"].sum()) == len(added)
    assert every(counts["friche_sites_end"] - counts["friche_sites_start"] == counts["friche_sites_change"])
    assert isinstance(counts, pd.DataFrame)


def test_sites_in_the_buffer_zone_and_near_a_qpv() -> None:
    from erbm_geo.indicators import builtin
    from erbm_geo.indicators.friche_sites import sites_context

    sites = eg.layers.friches_sites()
    ctx = sites_context(
        sites, bien=eg.layers.bien_inscrit(), zone_tampon=eg.layers.zone_tampon(), qpv=builtin.qpv()
    )
    assert ctx.index.equals(sites.index)
    buffer = eg.layers.zone_tampon().union_all()
    assert int(ctx["in_unesco_buffer"].sum()) == int(sites.intersects(buffer).sum()) > 0
    assert every(ctx.loc[ctx["qpv_code"].notna(), "qpv_distance_m"] == 0)
