"""Maps: interactive (checked in headless Chromium, no network), static, and the atlas."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.errors import EmptyInputError, MissingColumnError, UnknownOptionError
from erbm_geo.maps import (
    Fields,
    add_layer,
    basin_map,
    finalize,
    new_map,
    save_figure,
    static_map,
    to_html,
)
from erbm_geo.maps.style import web_geometries
from tests import browser

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script>\"'&<img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def basin_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("maps") / "basin.html"
    to_html(basin_map(), out)
    return out


def test_basin_map_renders_offline(basin_html: Path, artifacts: Path) -> None:
    r = browser.inspect(basin_html)
    assert r["errors"] == []
    expected = {
        "Communes du Bassin minier": 250,
        "Intercommunalités (EPCI) de l'ERBM": 8,
        "Zone tampon UNESCO": 15,
        "Bien inscrit UNESCO (109 éléments)": 109,
        "Quartiers prioritaires (QPV 2024)": 88,
        "Cités minières": 289,
        "Voies ferrées exploitées": 31,
        "Gares et stations": 99,
    }
    assert {k: v["drawn"] for k, v in r["layers"].items()} == expected
    assert r["legends"] == 1 and r["layer_control"]
    for word in ("Cités minières", "Gares et stations", "Licence Ouverte", "ODbL"):
        assert word in r["text"]
    browser.screenshot(basin_html, artifacts / "basin_map.png")


def test_basin_map_is_light_and_deterministic(basin_html: Path) -> None:
    size = basin_html.stat().st_size
    assert size < 1_000_000, size
    assert to_html(basin_map()) == basin_html.read_text("utf-8")
    import re

    text = basin_html.read_text("utf-8")
    assert not re.search(r"<script[^>]+src=", text)  # every script is inline: works offline
    assert not re.search(r"<link[^>]+stylesheet", text)


def test_coverage_simplification_keeps_shared_edges() -> None:
    c = eg.layers.communes()
    g = web_geometries(c, tolerance=25)
    web = gpd.GeoSeries(g, crs=4326).to_crs(2154)
    # no gaps or overlaps created: total area within 0.5 %, pairwise overlaps tiny
    assert web.area.sum() == pytest.approx(c.area.sum(), rel=0.005)
    tree = shapely.STRtree(web.values)
    i, j = tree.query(web.values, predicate="overlaps")
    inter = shapely.area(shapely.intersection(web.values[i], web.values[j])).sum() / 2
    assert inter < 0.001 * c.area.sum()


def test_hostile_names_are_text(tmp_path: Path) -> None:
    cites = eg.layers.cites().head(5).copy()
    cites["nom"] = HOSTILE
    cites["bailleur"] = HOSTILE
    m = new_map(basemap=None)
    add_layer(
        m,
        cites,
        name=HOSTILE,
        column="bailleur",
        fields=Fields(tooltip=["nom"], popup=["nom", "bailleur"], search=True),
    )
    out = tmp_path / "hostile.html"
    to_html(finalize(m), out)
    html_ = out.read_text("utf-8")
    assert "<script>alert(1)</script>" not in html_
    assert "<img src=x" not in html_
    r = browser.inspect(out)
    assert r["errors"] == []
    assert r["layers"][HOSTILE]["drawn"] == 5
    assert "<script>alert(1)</script>" in r["text"]  # shown as text in the legend/control


def test_add_layer_errors() -> None:
    m = new_map(basemap=None)
    with pytest.raises(EmptyInputError):
        add_layer(m, eg.layers.epci().iloc[:0], name="x")
    with pytest.raises(MissingColumnError):
        add_layer(m, eg.layers.epci(), name="x", column="nope")
    with pytest.raises(UnknownOptionError):
        new_map(basemap="google")


def test_static_map_formats(tmp_path: Path, artifacts: Path) -> None:
    t = eg.indicators.indicator_table(of="communes")
    fig = static_map(t, column="qpv_share", sources=["communes_59"], background=eg.maps.background())
    for ext in ("png", "svg", "pdf"):
        p = save_figure(fig, tmp_path / f"qpv.{ext}", dpi=60)
        assert p.stat().st_size > 1000
    save_figure(fig, artifacts / "static_qpv.png", dpi=80)
    a = tmp_path / "a.png"
    b = tmp_path / "b.png"
    save_figure(fig, a, dpi=60)
    save_figure(fig, b, dpi=60)
    assert a.read_bytes() == b.read_bytes()
    assert "Licence Ouverte" in (tmp_path / "qpv.svg").read_text("utf-8")
