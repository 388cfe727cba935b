"""Security 1: text from data is never executed — not as a Jinja/branca template, not as HTML or
JavaScript, not as matplotlib mathtext — in any sink of any output.

Every sink (feature names, tooltip and popup values, categories, layer names, legend captions,
``add_legend``, the search index, raster names, static-map titles and labels, atlas pages) gets
every payload. In Python: rendering succeeds, nothing runs, nothing is evaluated. In headless
Chromium (one page per payload holding every sink): each sink shows the payload literally.
Synthetic layers only: no mirror needed.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from affine import Affine

import erbm_geo as eg
from tests.payloads import MARKER, PAYLOADS


def _layers(text: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Two polygons and two points near Lens, every text column holding *text*."""
    polys = [shapely.box(2.80, 50.41, 2.82, 50.43), shapely.box(2.83, 50.41, 2.85, 50.43)]
    a = gpd.GeoDataFrame(
        {"nom": [text, "Liévin"], "autre": [text, text], "cat": [text, "b"], "valeur": [1.5, 2.5]},
        geometry=polys,
        crs="EPSG:4326",
    )
    b = gpd.GeoDataFrame(
        {"nom": [text, "Gare"], "cat": [text, "train"]},
        geometry=[shapely.Point(2.81, 50.42), shapely.Point(2.84, 50.42)],
        crs="EPSG:4326",
    )
    return a, b


def _every_sink(text: str) -> object:
    """One map where every sink carries *text*."""
    a, b = _layers(text)
    m = eg.maps.new_map(basemap=None)
    eg.maps.add_layer(
        m,
        a,
        name=text,
        column="cat",
        fields=eg.maps.Fields(
            tooltip=["nom", "autre"], popup=["nom", "autre", "cat"], legend_caption=text, search=True
        ),
    )
    eg.maps.add_layer(
        m, b, name=f"points {text}", column="cat", fields=eg.maps.Fields(tooltip=["nom"], search=True)
    )
    eg.maps.add_legend(m, text, [(text, "#ff0000")])
    grid = eg.raster.Grid(transform=Affine(100.0, 0, 680_000, 0, -100.0, 7_040_000), width=20, height=20)
    eg.maps.add_raster(
        m, np.arange(400, dtype=float).reshape(20, 20), grid, name=f"surface {text}", unit=text
    )
    return eg.maps.finalize(m)


SINKS = [
    "feature name",
    "tooltip value",
    "popup value",
    "category",
    "layer name",
    "legend caption",
    "add_legend",
    "search index",
    "raster name",
]


def _one_sink(sink: str, text: str) -> object:
    a, _ = _layers("Lens")
    m = eg.maps.new_map(basemap=None)
    col = {
        "feature name": "nom",
        "tooltip value": "autre",
        "popup value": "autre",
        "category": "cat",
        "search index": "nom",
    }.get(sink)
    if col:
        a[col] = text
    eg.maps.add_layer(
        m,
        a,
        name=text if sink == "layer name" else "Communes",
        column="cat" if sink == "category" else None,
        fields=eg.maps.Fields(
            tooltip=["nom", "autre"],
            popup=["autre"] if sink == "popup value" else None,
            legend_caption=text if sink == "legend caption" else None,
            search=sink == "search index",
        ),
    )
    if sink == "add_legend":
        eg.maps.add_legend(m, text, [(text, "red")])
    if sink == "raster name":
        grid = eg.raster.Grid(transform=Affine(100.0, 0, 680_000, 0, -100.0, 7_040_000), width=4, height=4)
        eg.maps.add_raster(m, np.arange(16, dtype=float).reshape(4, 4), grid, name=text, unit=text)
    return eg.maps.finalize(m)


@pytest.fixture(autouse=True)
def _no_marker() -> None:
    MARKER.unlink(missing_ok=True)
    yield
    assert not MARKER.exists(), "a shell command from data text ran"


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("sink", SINKS)
def test_sink_renders_payload_inert(sink: str, payload: str, tmp_path: Path) -> None:
    from erbm_geo.maps.interactive.webjson import _js_json
    from erbm_geo.maps.style import escape

    out = eg.maps.to_html(_one_sink(sink, payload), tmp_path / "m.html")  # no crash, nothing ran
    # the text is in the page in its encoded, inert form (JSON string, or escaped HTML in JSON)…
    forms = (_js_json(payload)[1:-1], _js_json(escape(payload))[1:-1])
    assert any(f in out for f in forms), sink
    # …and never raw: no template delimiter, tag or script end taken from data
    if re.search(r"[{}<>]", payload):
        assert payload not in out


@pytest.mark.browser
@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_every_sink_shows_payload_literally(payload: str, tmp_path: Path) -> None:
    from tests import browser

    page = tmp_path / "sinks.html"
    eg.maps.to_html(_every_sink(payload), page)
    r = browser.inspect(page)
    assert r["errors"] == [], r["errors"]
    t = r["texts"]
    assert payload in t["tooltips"], t["tooltips"]  # feature name
    assert any(f"\u00a0: {payload}" in x for x in t["tooltips"])  # tooltip value
    assert any(x.count(payload) >= 3 for x in t["popups"]), t["popups"]  # popup values
    assert t["legend"].count(payload) >= 4, t["legend"]  # categories, caption, add_legend
    assert t["control"].count(payload) >= 3, t["control"]  # layer names, raster name
    assert payload in t["search"], t["search"]  # search index
    assert sorted(r["layers"]) == sorted([payload, f"points {payload}"])


def test_two_layers_with_one_name_are_refused() -> None:
    a, _ = _layers("Lens")
    m = eg.maps.new_map(basemap=None)
    eg.maps.add_layer(m, a, name="Communes")
    with pytest.raises(eg.errors.UnknownOptionError, match="already has a layer named"):
        eg.maps.add_layer(m, a, name="Communes")


def test_static_map_text_is_inert(tmp_path: Path) -> None:
    import matplotlib.pyplot as plt

    text = PAYLOADS["mathtext"] + " " + PAYLOADS["expression"]
    a, _ = _layers(text)
    with plt.rc_context({"svg.fonttype": "none"}):  # keep text as text in the SVG
        fig = eg.maps.static_map(a, column="cat", title=text, classes=eg.maps.Classes(legend_title=text))
        out = eg.maps.save_figure(fig, tmp_path / "m.svg")
    svg = html.unescape(out.read_text("utf-8"))
    # title, legend title, category label (wrapped to their frames: one SVG text per line)
    drawn = [t.get_text() for t in fig.texts if t.get_text().replace("\n", " ") == text]
    assert len(drawn) >= 3
    for line in (x for d in drawn for x in d.split("\n")):
        assert f">{line}<" in svg  # each line drawn as given, never parsed as mathtext


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_atlas_page_text_is_inert(payload: str) -> None:
    """Data text reaches the atlas templates as values: escaped, never evaluated."""
    from erbm_geo.atlas.build import _ENV

    row = {
        "siren": "246200364",
        "nom": payload,
        "court": payload,
        "communes": 1,
        "bassin": 1,
        "population": "1\u202f234",
        "population_tri": "1234",
        "cites": 0,
        "inscrites": 0,
        "erbm": 0,
    }
    page = _ENV.get_template("epcis.html").render(
        r="../",
        titre=payload,
        rubrique="epci",
        date="1er janvier 2026",
        annee=2026,
        fond="aucun",
        epcis=[row],
    )

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.tags: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    p = Text()
    p.feed(page)
    assert "".join(p.parts).count(payload) >= 3  # <title>, <h1>, table cell
    assert p.tags.count("script") == 1  # the site's own script, nothing from data
    assert "img" not in p.tags and "svg" not in p.tags


def test_plain_folium_map_gets_the_runtime(tmp_path: Path) -> None:
    import folium

    a, _ = _layers("Lens")
    m = folium.Map(tiles=None)
    eg.maps.add_layer(m, a, name="Communes", fields=eg.maps.Fields(tooltip=["nom"]))
    out = eg.maps.to_html(eg.maps.finalize(m), tmp_path / "plain.html")
    assert "ERBM.layer(" in out and "window.ERBM = ERBM" in out


def test_only_catalogue_sources_and_real_colours() -> None:
    a, _ = _layers("Lens")
    m = eg.maps.new_map(basemap=None)
    with pytest.raises(eg.errors.UnknownOptionError, match="unknown dataset"):
        eg.maps.add_layer(m, a, name="x", sources=["{{7*7}}"])
    with pytest.raises(eg.errors.UnknownOptionError, match="not a colour"):
        eg.maps.add_layer(
            m, a, name="x", style=eg.maps.Style(color="red;background:url(javascript:alert(1))")
        )
    with pytest.raises(eg.errors.UnknownOptionError, match="not a colour"):
        eg.maps.add_legend(m, "t", [("a", "</style><script>")])
