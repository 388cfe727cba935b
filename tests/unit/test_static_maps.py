"""Printed maps on a synthetic territory (invented square communes, no real data): sheet sizes,
layout, French legend in the unit, nothing over the data, categories, map books, no warning,
and a visual regression check against a committed reference page."""

from __future__ import annotations

import logging
import os
import re
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import erbm_geo._version
from erbm_geo.errors import (
    InvalidOptionError,
    MissingColumnError,
    UnknownCodeError,
    UnknownOptionError,
)
from erbm_geo.maps.classify import classify
from erbm_geo.maps.printed import book as book_mod
from erbm_geo.maps.printed.book import map_book
from erbm_geo.maps.printed.cartography import scale_length, wrap_text
from erbm_geo.maps.printed.page import Page, layout
from erbm_geo.maps.printed.reference import Background
from erbm_geo.maps.printed.static_maps import save_figure, static_map
from erbm_geo.maps.printed.symbology import MAX_CATEGORIES, Classes
from erbm_geo.maps.vocabulary import INDICATEURS, couleurs

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).with_name("reference") / "static_page.png"
ARTIFACTS = ROOT / "test-artifacts"
ISO_MM = {("A4", "portrait"): (210, 297), ("A3", "portrait"): (297, 420)}


def territory() -> gpd.GeoDataFrame:
    """24 invented square communes (2 km) in 3 invented EPCI, values with zeros and a gap."""
    xs, ys = np.meshgrid(np.arange(8), np.arange(3))
    x0, y0 = 700_000.0, 7_000_000.0
    cells = shapely.box(
        x0 + xs.ravel() * 2000,
        y0 + ys.ravel() * 2000,
        x0 + xs.ravel() * 2000 + 2000,
        y0 + ys.ravel() * 2000 + 2000,
    )
    n = len(cells)
    share = np.array(
        [
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.02,
            0.05,
            0.08,
            0.11,
            0.15,
            0.19,
            0.25,
            0.31,
            0.0,
            0.0,
            0.4,
            0.03,
            0.07,
            np.nan,
            0.12,
            0.0,
            0.22,
            0.0,
            0.0,
        ]
    )
    return gpd.GeoDataFrame(
        {
            "nom": [f"Commune {chr(65 + i // 3)}{i % 3 + 1}" for i in range(n)],
            "siren_epci": [f"00000000{1 + (i % 8) // 3}" for i in range(n)],
            "nom_epci": [f"Communauté {'ABC'[(i % 8) // 3]}" for i in range(n)],
            "area_km2": np.full(n, 4.0),
            "population": np.arange(n) * 100 + 500,
            "qpv_share": share,
            "pole": [["Ouest", "Centre", "Est"][(i % 8) * 3 // 8] for i in range(n)],
        },
        geometry=cells,
        crs=2154,
        index=[f"99{i:03d}" for i in range(n)],
    ).rename_axis("code_insee")


def backdrop() -> Background:
    region = gpd.GeoDataFrame(
        {"nom": ["Département A", "Département B"]},
        geometry=[
            shapely.box(680_000, 6_980_000, 712_000, 7_030_000),
            shapely.box(712_000, 6_980_000, 740_000, 7_030_000),
        ],
        crs=2154,
    )
    towns = gpd.GeoDataFrame(
        {"nom": ["Ville-Centre", "Bourg"], "rang": [0, 1]},
        geometry=[shapely.Point(707_000, 7_003_000), shapely.Point(713_000, 7_001_000)],
        crs=2154,
    )
    return Background(region=region, towns=towns, outline=region.iloc[[0]])


def texts(fig: Any) -> list[str]:
    return [t.get_text() for t in fig.texts]


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 1 January 2026
    monkeypatch.setattr(erbm_geo._version, "__version__", "0.0.0")


@pytest.mark.parametrize("paper", ["A4", "A3"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_sheets_are_iso_sizes_in_png_svg_pdf(paper: str, orientation: str, tmp_path: Path) -> None:
    w_mm, h_mm = ISO_MM[(paper, "portrait")]
    if orientation == "landscape":
        w_mm, h_mm = h_mm, w_mm
    fig = static_map(territory(), column="qpv_share", page=f"{paper}-{orientation}")
    pdf = save_figure(fig, tmp_path / "p.pdf").read_bytes()
    box = [float(v) for v in re.search(rb"/MediaBox \[ *([\d. ]+)\]", pdf).group(1).split()]
    assert abs(box[2] - w_mm / 25.4 * 72) < 1.5 and abs(box[3] - h_mm / 25.4 * 72) < 1.5
    svg = save_figure(fig, tmp_path / "p.svg").read_text("utf-8")
    width = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
    assert abs(width - w_mm / 25.4 * 72) < 1.5
    from matplotlib.image import imread

    png = imread(save_figure(fig, tmp_path / "p.png", dpi=40))
    assert abs(png.shape[1] - w_mm / 25.4 * 40) <= 1 and abs(png.shape[0] - h_mm / 25.4 * 40) <= 1


def test_page_options_are_checked() -> None:
    assert Page.parse("a3-portrait") == Page("A3", "portrait")
    with pytest.raises(UnknownOptionError, match="paper"):
        Page.parse("A5-portrait")
    with pytest.raises(UnknownOptionError, match="orientation"):
        Page("A4", "sideways")  # type: ignore[arg-type]
    with pytest.raises(UnknownOptionError, match="aspect"):
        layout(Page(), 0.0)
    with pytest.raises(InvalidOptionError, match="2 to 7"):
        Classes(k=9)


@given(
    st.floats(0.15, 8.0),
    st.sampled_from(["A4", "A3"]),
    st.sampled_from(["portrait", "landscape"]),
    st.integers(1, 6),
    st.integers(0, 4),
    st.integers(1, 2),
    st.integers(1, 14),
)
@settings(deadline=None)
def test_layout_frames_fit_the_sheet_and_never_overlap(
    aspect: float, paper: str, orientation: str, footer: int, subtitle: int, title: int, rows: int
) -> None:
    page = Page(paper, orientation)  # type: ignore[arg-type]
    f = layout(
        page, aspect, footer_lines=footer, subtitle_lines=subtitle, title_lines=title, legend_rows=rows
    )
    w, h = page.size
    frames = [f.header, f.map, f.panel, f.footer]
    for a in frames:
        assert a.w > 0 and a.h > 0 and a.x >= 0 and a.y >= 0
        assert a.x + a.w <= w + 1e-9 and a.y + a.h <= h + 1e-9
    boxes = [shapely.box(a.x, a.y, a.x + a.w, a.y + a.h) for a in frames]
    for i in range(4):
        for j in range(i + 1, 4):
            assert boxes[i].intersection(boxes[j]).area < 1e-9
    # the map keeps a third of the height and nearly half of the width, even under 2 title,
    # 4 subtitle and 6 footer lines and a legend of 14 rows
    assert f.map.h >= 0.3 * h and f.map.w >= 0.45 * w
    assert f.header.y >= f.map.y + f.map.h - 1e-9
    assert f.footer.y + f.footer.h <= min(f.map.y, f.panel.y) + 1e-9


def test_panel_goes_where_the_map_is_largest() -> None:
    assert not layout(Page("A4", "landscape"), 2.4).side  # the basin: legend below
    assert layout(Page("A4", "landscape"), 0.8).side  # a compact EPCI: legend beside
    assert not layout(Page("A4", "portrait"), 1.0).side


def test_scale_lengths_are_round() -> None:
    assert [scale_length(s) for s in (110_000, 23_000, 4_000, 900)] == [20000, 2000, 500, 100]


def test_wrap_text_keeps_words_and_width() -> None:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(4, 2))
    text = "Sources : ANCT, 2024 ; IGN ADMIN EXPRESS, 2018 ; INSEE COG 2025 ; Licence Ouverte"
    out = wrap_text(fig, text, width_in=1.5, fontsize=8)
    assert out.replace("\n", " ") == text and out.count("\n") >= 2
    renderer = fig.canvas.get_renderer()
    from matplotlib.font_manager import FontProperties

    for line in out.split("\n"):
        w = renderer.get_text_width_height_descent(line, FontProperties(size=8), ismath=False)[0]
        assert w <= 1.5 * fig.dpi * 1.02
    plt.close(fig)


def test_indicator_legend_is_french_in_its_unit_with_counts() -> None:
    t = territory()
    fig = static_map(t, column="qpv_share", background=backdrop())
    ind = INDICATEURS["qpv_share"]
    cls, labels = classify(t["qpv_share"].to_numpy(), ind.nombre, k=5)
    shown = texts(fig)
    assert shown[0] == ind.nom and ind.definition in shown[1].replace("\n", " ")
    assert "Surface en QPV (%)" in shown
    i = shown.index("Surface en QPV (%)")
    legend = shown[i + 1 : i + 1 + 3 * len(labels) : 2]
    assert legend[: len(labels)] == labels and labels[0] == "0" and " – " in labels[1]
    assert all("." not in lab for lab in labels)  # decimal commas
    counts = [int(c) for c in shown[i + 2 : i + 2 + 2 * len(labels) : 2]]
    assert counts == np.bincount(cls[cls >= 0], minlength=len(labels)).tolist()
    na = shown.index("Non disponible")
    assert shown[na + 1] == "1"
    assert not any("Aucune valeur manquante" in x for x in shown)  # no reason that contradicts
    swatches = [a for a in fig.artists if hasattr(a, "get_facecolor")]
    import matplotlib.colors as mc

    colours = [mc.to_hex(a.get_facecolor()) for a in swatches[: len(labels)]]
    assert colours == couleurs(ind.palette, len(labels))
    footer = shown[-1]
    assert "1er janvier 2026" in footer and "EPSG:2154" in footer and "seuils naturels" in footer
    assert any(x.startswith("Ensemble des 24 communes (23 avec une valeur) : ") for x in shown)


@pytest.mark.parametrize("page", ["A4-landscape", "A4-portrait", "A3-landscape"])
@pytest.mark.parametrize("column", ["pole", "many", "qpv_share"])
def test_nothing_but_furniture_is_drawn_over_the_map(page: str, column: str) -> None:
    """Legend, notes and texts stay in their frames: off the map and the inset, above the
    footer, inside the sheet — with 12 categories and long labels too."""
    t = territory()
    t["many"] = [f"Catégorie au nom assez long n° {i % 12:02d}" for i in range(len(t))]
    fig = static_map(
        t,
        column=column,
        page=page,
        background=backdrop(),
        title="Un titre assez long pour tenir sur deux lignes d'une page A4 en "
        "portrait, et même un peu plus que cela",
    )
    renderer = fig.canvas.get_renderer()
    boxes = [t_.get_window_extent(renderer) for t_ in fig.texts]
    for i, a in enumerate(boxes):  # no text over another (title, subtitle, legend, notes)
        for j in range(i + 1, len(boxes)):
            assert not a.overlaps(boxes[j]), (fig.texts[i].get_text(), fig.texts[j].get_text())
    map_box = fig.axes[0].get_window_extent(renderer)
    inset_box = fig.axes[1].get_window_extent(renderer)
    footer = fig.texts[-1].get_window_extent(renderer)
    for t_ in fig.texts:
        box = t_.get_window_extent(renderer)
        assert not box.overlaps(map_box), t_.get_text()
        assert not box.overlaps(inset_box), t_.get_text()
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width and box.y0 >= 0, t_.get_text()
        if t_ is not fig.texts[-1]:
            assert box.y0 > footer.y1, t_.get_text()
    for a in fig.artists:
        assert not a.get_window_extent(renderer).overlaps(map_box)
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_categories_sorted_outlined_and_grouped() -> None:
    t = territory()
    t.loc["99004", "pole"] = None
    fig = static_map(t, column="pole", background=backdrop())
    shown = texts(fig)
    i = shown.index("pole", 1)  # the legend title (the page title is the same label)
    assert shown[i + 1 : i + 7 : 2] == ["Centre", "Est", "Ouest"]
    assert "Non disponible" in shown
    t["many"] = [f"Valeur {i:02d}" for i in range(len(t))]
    fig = static_map(t, column="many")
    shown = texts(fig)
    assert f"Autres ({len(t) - (MAX_CATEGORIES - 1)} valeurs)" in shown
    assert any("regroupées sous « Autres »" in s for s in shown)
    t["flag"] = t["qpv_share"].fillna(0) > 0
    assert {"oui", "non"} <= set(texts(static_map(t, column="flag")))


def test_no_library_warning_or_log(caplog: pytest.LogCaptureFixture) -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()  # other tests may have left pyplot figures open
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING):
        warnings.simplefilter("error")
        for col in ("qpv_share", "pole", None):
            static_map(territory(), column=col, background=backdrop())
        t = territory()
        t["qpv_share"] = 0.0  # one class only
        static_map(t, column="qpv_share", page="A3-portrait")
        for _ in range(25):  # a loop of pages: no "more than 20 figures" warning
            static_map(t, column="pole")
    assert not caplog.records, [r.getMessage() for r in caplog.records]
    assert plt.get_fignums() == before  # pyplot holds none of the pages


def test_errors_name_the_fix() -> None:
    with pytest.raises(MissingColumnError, match="no column 'nope'"):
        static_map(territory(), column="nope")
    with pytest.raises(UnknownOptionError, match="unknown source"):
        static_map(territory(), sources=["nope"])
    with pytest.raises(UnknownOptionError, match="palette"):
        static_map(territory(), column="population", classes=Classes(palette="Nope"))
    with pytest.raises(MissingColumnError, match="'nom'"):
        Background(towns=backdrop().towns.drop(columns="nom"))


def test_map_book_pages_share_one_legend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[Any] = []
    real = book_mod.draw_sheet
    monkeypatch.setattr(book_mod, "draw_sheet", lambda sheet, *a: drawn.append(sheet) or real(sheet, *a))
    out = map_book(territory(), tmp_path / "b.pdf", column="qpv_share", background=backdrop())
    pdf = out.read_bytes()
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 4 == len(drawn)
    assert [s.title for s in drawn[1:]] == ["Communauté A", "Communauté B", "Communauté C"]
    assert all(s.sym is drawn[0].sym for s in drawn)  # one classification for every page
    assert sum(int(s.focus.sum()) for s in drawn[1:]) == len(territory())
    assert [s.folio for s in drawn] == ["1 / 4", "2 / 4", "3 / 4", "4 / 4"]
    assert any(
        n.startswith("Communauté A (8 avec une valeur) : ") and n.endswith("%") for n in drawn[1].notes
    )  # one of its 9 squares has no value
    assert any(n.startswith("Communauté B : ") for n in drawn[2].notes)
    again = map_book(territory(), tmp_path / "c.pdf", column="qpv_share", background=backdrop())
    assert again.read_bytes() == pdf  # reproducible


def test_map_book_commune_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[Any] = []
    real = book_mod.draw_sheet
    monkeypatch.setattr(book_mod, "draw_sheet", lambda sheet, *a: drawn.append(sheet) or real(sheet, *a))
    map_book(territory(), tmp_path / "c.pdf", column="qpv_share", pages=["99011", "99001"])
    assert [s.title for s in drawn[1:]] == ["Commune A2 (99001)", "Commune D3 (99011)"]
    d3 = drawn[2]
    assert "Commune D3 : 25,0\u202f%" in d3.notes and d3.notes[1].startswith("Rang : 3e sur 23")
    with pytest.raises(UnknownCodeError, match="99999"):
        map_book(territory(), tmp_path / "x.pdf", column="qpv_share", pages=["99999"])
    with pytest.raises(MissingColumnError, match="siren_epci"):
        map_book(territory().drop(columns="siren_epci"), tmp_path / "x.pdf", column="qpv_share")
    assert not (tmp_path / "x.pdf").exists()


#: The matplotlib release (major.minor) that drew tests/unit/reference/static_page.png.
REFERENCE_MATPLOTLIB = "3.11"


def test_reference_page_looks_the_same(tmp_path: Path) -> None:
    """Visual regression: a synthetic page against tests/unit/reference/static_page.png
    (regenerate with ERBM_UPDATE_REFERENCE=1 after an intended change, and look at it)."""
    import matplotlib
    from matplotlib.testing.compare import compare_images

    drawn_by = tuple(int(x) for x in REFERENCE_MATPLOTLIB.split("."))
    if tuple(int(x) for x in matplotlib.__version__.split(".")[:2]) < drawn_by:
        pytest.skip(
            f"the reference page was drawn by matplotlib {REFERENCE_MATPLOTLIB}; older releases place "
            "glyphs differently (the lowest-versions job still draws the page, in the other tests)"
        )
    fig = static_map(territory(), column="qpv_share", page="A4-landscape", background=backdrop())
    ARTIFACTS.mkdir(exist_ok=True)
    actual = save_figure(fig, ARTIFACTS / "static_reference_actual.png", dpi=50)
    if os.environ.get("ERBM_UPDATE_REFERENCE") == "1":
        REFERENCE.parent.mkdir(exist_ok=True)
        REFERENCE.write_bytes(actual.read_bytes())
    result = compare_images(str(REFERENCE), str(actual), tol=3.0)
    assert result is None, result


def test_pages_survive_a_tight_crop() -> None:
    """Jupyter shows figures saved with bbox_inches="tight": every text and swatch of the page
    is placed through the figure's frame, so the crop moves it with the rest (placed in plain
    inches, the title fell off and the legend slid over the scale bar)."""
    import io

    fig = static_map(territory(), column="qpv_share", background=backdrop())
    for artist in [*fig.texts, *fig.artists]:
        assert artist.get_transform().contains_branch(fig.transFigure), artist
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight", dpi=30)


def test_names_cover_neither_each_other_nor_the_scale_bar_nor_the_north_arrow() -> None:
    """Towns crowded into the corners where the scale bar and the north arrow stand, and over the
    commune names of a commune page: every name drawn stays clear of the others and of both."""
    from matplotlib.text import Annotation

    t = territory()
    x0, y0, x1, y1 = t.total_bounds
    corners = [
        (x1 - 300, y1 - 300),
        (x0 + 300, y0 + 300),
        (x0 + 1500, y0 + 200),
        (x1 - 900, y1 - 200),
        *[(700_000 + 2000 * i + 1000, 7_002_900) for i in range(8)],
    ]
    towns = gpd.GeoDataFrame(
        {"nom": [f"Ville {i}" for i in range(len(corners))], "rang": [0, 1] * (len(corners) // 2)},
        geometry=[shapely.Point(c) for c in corners],
        crs=2154,
    )
    bg = Background(region=backdrop().region, towns=towns)
    from erbm_geo.maps.printed.page import Page
    from erbm_geo.maps.printed.sheet import Sheet, draw_sheet
    from erbm_geo.maps.printed.symbology import symbology

    sym = symbology(t, "qpv_share", Classes(), "Part")
    sheet = Sheet(t, sym, (t.index == "99009"), "Commune D1", "", [], names="all", margin=0.6)
    fig = draw_sheet(sheet, Page("A4", "portrait"), bg)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [a for a in ax.texts if isinstance(a, Annotation) and a.get_text() != "N"]
    arrow = next(a for a in ax.texts if isinstance(a, Annotation) and a.get_text() == "N")
    bar = next(p for p in ax.patches if p.get_zorder() == 9)
    assert len(labels) >= 5
    keep_clear = [arrow.get_window_extent(renderer), bar.get_window_extent(renderer)]
    boxes = [a.get_window_extent(renderer) for a in labels]
    for i, b in enumerate(boxes):
        assert not any(b.overlaps(k) for k in keep_clear), labels[i].get_text()
        assert not any(b.overlaps(o) for o in boxes[i + 1 :]), labels[i].get_text()
