"""Robustness 4: hostile text from data stays text in published HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

import erbm_geo as eg

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>&\"'"


@pytest.mark.browser
def test_hostile_text_in_every_named_layer(tmp_path: Path) -> None:
    from tests import browser

    m = eg.maps.new_map(basemap=None)
    names = []
    for name in (
        "communes",
        "epci",
        "bien_inscrit",
        "cites",
        "qpv",
        "stations",
        "terrils",
        "rail_lines",
        "puits_de_mines",
    ):
        g = eg.layers.load(name).head(3).copy()
        col = "nom" if "nom" in g.columns else ("nom_epci" if "nom_epci" in g.columns else "nom_ligne")
        if col not in g.columns:
            g[col] = ""
        g[col] = HOSTILE
        g["categorie"] = HOSTILE
        eg.maps.add_layer(
            m,
            g,
            name=f"{name} {HOSTILE}",
            column="categorie",
            fields=eg.maps.Fields(tooltip=[col], popup=[col, "categorie"], search=name == "communes"),
        )
        names.append(f"{name} {HOSTILE}")
    out = tmp_path / "hostile.html"
    eg.maps.to_html(eg.maps.finalize(m), out)
    text = out.read_text("utf-8")
    assert "<script>alert" not in text and "<img src=x" not in text
    r = browser.inspect(out)
    assert r["errors"] == []
    assert sorted(r["layers"]) == sorted(names)
