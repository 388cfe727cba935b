"""The drawing of one printed map page.

Header, map, legend, inset, notes and footer, laid out by
:func:`erbm_geo.maps.printed.page.layout`. Used by
:func:`erbm_geo.maps.printed.static_maps.static_map` (one page) and
:func:`erbm_geo.maps.printed.book.map_book` (one page per EPCI or commune).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.data.catalogue import CATALOGUE
from erbm_geo.errors import UnknownOptionError
from erbm_geo.maps.printed.cartography import draw_geometries
from erbm_geo.maps.printed.page import Frame, Frames, Page, layout
from erbm_geo.maps.printed.reference import Background
from erbm_geo.maps.printed.symbology import Symbology
from erbm_geo.maps.style import fmt_number, label
from erbm_geo.maps.vocabulary import INDICATEURS, producteur

__all__ = ["Sheet", "check_sources", "draw_sheet", "footer_text", "sheet_texts", "summary_note"]

_GREY_FILL, _GREY_EDGE, _INK = "#efefef", "#cfcfcf", "#1a1a1a"
_NA_EDGE = "#8c8c8c"


def _kind(g: gpd.GeoDataFrame) -> str:
    t = set(g.geom_type.str.replace("Multi", ""))
    return "point" if t <= {"Point"} else "line" if t <= {"LineString", "LinearRing"} else "polygon"


def _inches(fig: Any) -> Any:
    """Transform inches from the sheet's bottom-left corner to display coordinates.

    Through the figure's own frame, so that a figure saved cropped (``bbox_inches="tight"``, as
    Jupyter shows figures) keeps every text and swatch in place.
    """
    from matplotlib.transforms import Affine2D

    w, h = fig.get_size_inches()
    return Affine2D().scale(1 / w, 1 / h) + fig.transFigure


def _dissolve(geoms: Any) -> Any:
    """Return the union of *geoms*.

    The fast coverage union for edge-matched polygons (communes), the general one when the polygons
    overlap or their edges do not match.
    """
    try:
        return shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:
        return shapely.union_all(geoms)


def _draw_data(ax: Any, g: gpd.GeoDataFrame, sym: Symbology, *, s: float, cut: Callable[[Any], Any]) -> None:
    """Fill *g* (cut to the view by *cut*) with the colours of *sym*; outline each category."""
    kind = _kind(g)
    edges: dict[str, dict[str, Any]] = {
        "polygon": {"edgecolor": "#5a5a5a", "linewidth": 0.25 * s},
        "line": {"linewidth": 1.4 * s},
        "point": {"markersize": 9 * s, "edgecolor": "#333333", "linewidth": 0.3},
    }
    edge = edges[kind]
    for i, colour in enumerate(sym.colours):
        part = g[sym.codes == i]
        if len(part):
            draw_geometries(ax, cut(part.geometry.values), color=colour, **edge)
    na = sym.codes < 0
    if na.any():
        draw_geometries(
            ax,
            cut(g.geometry.values[na]),
            facecolor="white",
            hatch="/////",
            **{**edge, "edgecolor": _NA_EDGE},
        )
    if sym.kind == "categories" and kind == "polygon":  # one outline around each category
        merged = g.geometry.groupby(sym.codes).agg(lambda x: _dissolve(x.values))
        draw_geometries(
            ax, cut(shapely.boundary(merged.to_numpy())), color="#333333", linewidth=0.9 * s, zorder=3
        )


def _pack(
    fig: Any, labels: list[str], width: float, avail: float, s: float
) -> tuple[float, float, list[str], list[float], list[list[int]]]:
    """Fit legend *labels* in *width* × *avail* inches.

    The fewest columns (up to 3), then a smaller type, in which the wrapped labels fit; returns
    the type size, the column width, the wrapped labels, their heights and the columns (row
    indices).
    """
    from erbm_geo.maps.printed.cartography import wrap_text

    sw, row, gap = 0.32 * s, 0.235 * s, 0.25 * s
    for size, ncol in [(f, c) for f in (8.5, 7.5, 6.5) for c in (1, 2, 3)]:
        colw = (width - (ncol - 1) * gap) / ncol
        texts = [wrap_text(fig, lab, width_in=colw - sw - 0.5 * s, fontsize=size * s) for lab in labels]
        heights = [row * size / 8.5 + t.count("\n") * 0.15 * s * size / 8.5 for t in texts]
        columns: list[list[int]] = [[]]
        used = 0.0
        for i, h in enumerate(heights):
            if columns[-1] and used + h > avail:
                columns.append([])
                used = 0.0
            columns[-1].append(i)
            used += h
        if len(columns) <= ncol:
            break
    return size, colw, texts, heights, columns


def _swatch(fig: Any, x: float, y: float, *, kind: str, colour: str, hatch: str | None, s: float) -> None:
    """Draw one legend key at (*x*, *y*) inches: a bar (lines), a dot (points) or a box."""
    from matplotlib.patches import Circle, Rectangle

    tr = _inches(fig)
    sw, sh = 0.32 * s, 0.17 * s
    if kind == "line":
        fig.add_artist(
            Rectangle((x, y - 0.55 * sh), sw, 0.1 * s, transform=tr, facecolor=colour, edgecolor="none")
        )
    elif kind == "point":
        fig.add_artist(
            Circle(
                (x + sw / 2, y - sh / 2),
                0.05 * s,
                transform=tr,
                facecolor=colour,
                hatch=hatch,
                edgecolor="#333333",
                linewidth=0.4,
            )
        )
    else:
        fig.add_artist(
            Rectangle(
                (x, y - sh),
                sw,
                sh,
                transform=tr,
                facecolor=colour,
                hatch=hatch,
                edgecolor=_NA_EDGE if hatch else "#5a5a5a",
                linewidth=0.4,
            )
        )


def _legend(
    fig: Any, box: Frame, sym: Symbology, counts: np.ndarray, n_na: int, *, kind: str, s: float
) -> float:
    """Draw the legend in *box* (inches) from its top; return the height used.

    In as many columns as its height needs; long labels wrap; nothing is drawn below *box*.
    """
    from erbm_geo.maps.printed.cartography import wrap_text

    tr = _inches(fig)
    top = box.y + box.h
    if sym.title:
        head = wrap_text(fig, sym.title, width_in=box.w, fontsize=9.5 * s, bold=True)
        fig.text(
            box.x,
            top,
            head,
            transform=tr,
            fontsize=9.5 * s,
            fontweight="bold",
            va="top",
            color=_INK,
            linespacing=1.15,
        )
        top -= (0.2 * head.count("\n") + 0.3) * s
    why = ""
    if n_na and sym.missing_reason and not sym.missing_reason.startswith("Aucune"):
        why = wrap_text(fig, "Non disponible : " + sym.missing_reason, width_in=box.w, fontsize=7 * s)
    why_h = (0.14 * (why.count("\n") + 1) + 0.08) * s if why else 0.0
    sw, sh = 0.32 * s, 0.17 * s
    rows: list[tuple[str, str, int, str | None]] = [
        (lab, col, int(n), None) for lab, col, n in zip(sym.labels, sym.colours, counts, strict=True)
    ]
    if n_na:
        rows.append(("Non disponible", "white", n_na, "/////"))
    size, colw, texts, heights, columns = _pack(
        fig, [r[0] for r in rows], box.w, top - box.y - why_h + 0.05 * s, s
    )
    y_end = top
    for c, members in enumerate(columns):
        x, y = box.x + c * (colw + 0.25 * s), top
        for i in members:
            _, col, n, hatch = rows[i]
            text, lines = texts[i], texts[i].count("\n") + 1
            _swatch(fig, x, y, kind=kind, colour=col, hatch=hatch, s=s)
            fig.text(
                x + sw + 0.1 * s,
                y if lines > 1 else y - sh / 2,
                text,
                transform=tr,
                fontsize=size * s,
                va="top" if lines > 1 else "center",
                color=_INK,
            )
            fig.text(
                x + colw,
                y - sh / 2,
                fmt_number(n, 0),
                transform=tr,
                fontsize=(size - 0.5) * s,
                va="center",
                ha="right",
                color="#555555",
            )
            y -= heights[i]
        y_end = min(y_end, y)
    if why:
        fig.text(
            box.x,
            y_end - 0.02 * s,
            why,
            transform=tr,
            fontsize=7 * s,
            va="top",
            color="#444444",
            style="italic",
        )
        y_end -= why_h
    return box.y + box.h - y_end


def _inset(
    fig: Any, box: Frame, view: tuple[float, float, float, float], bg: Background, *, s: float
) -> None:
    """Locator: the region, the study area and a red frame around the map's view."""
    from matplotlib.patches import Rectangle

    assert bg.region is not None
    ax = fig.add_axes(box.fraction(fig.get_size_inches()))
    ax.set_axis_off()
    rx0, ry0, rx1, ry1 = bg.region.total_bounds
    tol = max(rx1 - rx0, ry1 - ry0) / 400  # a locator needs no detail finer than a pixel
    draw_geometries(
        ax,
        shapely.simplify(bg.region.geometry.values, tol),
        facecolor="#e3e3e3",
        edgecolor="white",
        linewidth=0.8,
    )
    if bg.outline is not None:
        draw_geometries(
            ax, shapely.simplify(bg.outline.geometry.values, tol), facecolor="#b5b5b5", edgecolor="none"
        )
    if "nom" in bg.region.columns:
        for name, p in zip(bg.region["nom"], bg.region.geometry.representative_point(), strict=True):
            ax.text(
                p.x,
                p.y,
                str(name),
                fontsize=6.5 * s,
                ha="center",
                va="center",
                color="#555555",
                style="italic",
            )
    x0, y0, x1, y1 = view
    ax.add_patch(
        Rectangle(
            (x0, y0), x1 - x0, y1 - y0, facecolor="none", edgecolor="#d7301f", linewidth=1.3 * s, zorder=5
        )
    )
    rx0, ry0, rx1, ry1 = bg.region.total_bounds
    pad = 0.03 * max(rx1 - rx0, ry1 - ry0)
    ix0, iy0, ix1, iy1 = _fill(
        box.w / box.h, (min(rx0, x0) - pad, min(ry0, y0) - pad, max(rx1, x1) + pad, max(ry1, y1) + pad)
    )
    ax.set_xlim(ix0, ix1)
    ax.set_ylim(iy0, iy1)
    ax.set_aspect("equal", adjustable="box")
    fig.add_artist(
        Rectangle(
            (box.x, box.y),
            box.w,
            box.h,
            transform=_inches(fig),
            facecolor="none",
            edgecolor="#9e9e9e",
            linewidth=0.5,
        )
    )


def _fill(aspect: float, bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Return *bounds* widened (or heightened) about their centre to the width/height ratio *aspect*."""
    x0, y0, x1, y1 = bounds
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        x0, x1 = x0 - (h * aspect - w) / 2, x1 + (h * aspect - w) / 2
    else:
        y0, y1 = y0 - (w / aspect - h) / 2, y1 + (w / aspect - h) / 2
    return x0, y0, x1, y1


def check_sources(sources: Sequence[str]) -> None:
    """Raise :class:`UnknownOptionError` for a name that is not in the data catalogue.

    Parameters
    ----------
    sources : sequence of str
        Catalogue names.

    Raises
    ------
    UnknownOptionError
        If a name is not in :data:`erbm_geo.data.CATALOGUE`.

    Examples
    --------
    >>> check_sources(["qpv", "cog_communes"])
    >>> check_sources(["qvp"])
    Traceback (most recent call last):
    ...
    erbm_geo.errors.UnknownOptionError: ...
    """
    unknown = [x for x in sources if x not in CATALOGUE]
    if unknown:
        raise UnknownOptionError(
            f"unknown source(s) {unknown}; use catalogue names (`erbm-geo data where` lists them)"
        )


def footer_text(sources: Sequence[str], extra: Sequence[str] = ()) -> str:
    """Return a printed map's footer: its sources and licences, *extra* lines, the edition.

    Parameters
    ----------
    sources : sequence of str
        Catalogue names, credited with their producer and vintage.
    extra : sequence of str, default ()
        Lines between the sources and the edition.

    Returns
    -------
    str
        The lines, joined by newlines.

    Raises
    ------
    UnknownOptionError
        If a name is not in :data:`erbm_geo.data.CATALOGUE`.

    Examples
    --------
    >>> footer_text(["qpv"]).startswith("Sources : ANCT")
    True
    """
    from erbm_geo._version import __version__  # the leaf: the maps do not import the package root
    from erbm_geo.export import build_date
    from erbm_geo.maps.vocabulary import date_fr

    check_sources(sources)
    cat = [CATALOGUE[x] for x in dict.fromkeys(sources)]
    lines = []
    if cat:
        credits = dict.fromkeys(f"{producteur(c.attribution)}, {c.vintage}" for c in cat)
        licences = dict.fromkeys(c.licence for c in cat)
        lines.append("Sources : " + " ; ".join(credits) + ". Licences : " + " ; ".join(licences) + ".")
    lines.extend(extra)
    lines.append(
        f"Carte réalisée avec erbm_geo {__version__} le {date_fr(build_date().date().isoformat())}"
        " · Projection RGF93 / Lambert-93 (EPSG:2154)."
    )
    return "\n".join(lines)


@dataclass
class Sheet:
    """One page to draw: the data, which rows the page is about, its texts.

    Parameters
    ----------
    data : geopandas.GeoDataFrame
        The rows drawn, in EPSG:2154.
    sym : Symbology
        Their colours.
    focus : numpy.ndarray of bool
        The rows the page frames and counts in its legend.
    title, subtitle : str
        The page's texts.
    sources : sequence of str
        Catalogue names, cited in the footer.
    notes : sequence of str, default ()
        Lines printed under the legend (e.g. the summary of the whole table).
    names : {"", "focus", "all"}, default ""
        Print the names of no rows, of the focus rows, or of all rows.
    margin : float, default 0.04
        Room around the focus, as a share of its larger side.
    folio : str, default ""
        ``"3 / 10"`` on the pages of a book.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> from erbm_geo.maps.printed.symbology import Classes, symbology
    >>> g = example_communes()
    >>> sym = symbology(g, "population", Classes(k=3), "Population")
    >>> sheet = Sheet(g, sym, np.ones(len(g), dtype=bool), "Population", "Communes inventées",
    ...               ["cog_communes"])
    >>> sheet.names
    ''
    """

    data: gpd.GeoDataFrame
    sym: Symbology
    focus: np.ndarray  # bool per row: the rows the page frames (and counts in the legend)
    title: str
    subtitle: str
    sources: Sequence[str]
    notes: Sequence[str] = ()
    names: Literal["", "focus", "all"] = ""  # print the names of the focus rows, or of all rows
    margin: float = 0.04  # room around the focus, as a share of its larger side
    folio: str = ""  # "3 / 10" on the pages of a book


def _new_figure(page: Page) -> Any:
    """Make an empty figure of *page*'s size, outside pyplot's registry.

    Made by pyplot (so that Jupyter's inline backend is set up to show it), then taken out of
    pyplot's registry and given an Agg canvas: a loop of pages opens no window and holds no
    memory (no "more than 20 figures" warning).
    """
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plt.figure(figsize=page.size, dpi=100)
    plt.close(fig)
    FigureCanvasAgg(fig)
    return fig


def _draw_header(fig: Any, hd: Frame, title: str, subtitle: str, folio: str, s: float) -> None:
    """Draw the title, the folio and the subtitle in the header frame *hd*."""
    tr = _inches(fig)
    fig.text(
        hd.x,
        hd.y + hd.h,
        title,
        transform=tr,
        fontsize=16 * s,
        fontweight="bold",
        va="top",
        color=_INK,
        linespacing=1.1,
    )
    if folio:
        fig.text(
            hd.x + hd.w,
            hd.y + hd.h,
            folio,
            transform=tr,
            fontsize=9 * s,
            va="top",
            ha="right",
            color="#555555",
        )
    if subtitle:
        below = (0.42 + 0.27 * title.count("\n")) * s
        fig.text(
            hd.x,
            hd.y + hd.h - below,
            subtitle,
            transform=tr,
            fontsize=9.5 * s,
            va="top",
            color="#333333",
            linespacing=1.3,
        )


def _draw_map(
    fig: Any,
    box: Frame,
    sheet: Sheet,
    bg: Background | None,
    bounds: tuple[float, float, float, float],
    s: float,
) -> tuple[float, float, float, float]:
    """Draw the map of *sheet* in *box*; return its view (x0, y0, x1, y1) in metres."""
    from erbm_geo.maps.printed.cartography import north_arrow, scale_bar

    g, sym = sheet.data, sheet.sym
    ax = fig.add_axes(box.fraction(tuple(fig.get_size_inches())))
    ax.set_axis_off()
    vx0, vy0, vx1, vy1 = _fill(box.w / box.h, bounds)
    view = shapely.box(vx0, vy0, vx1, vy1)
    m = 0.01 * (vx1 - vx0)  # cut what lies outside the view (lighter files), edges out of sight
    dot = (vx1 - vx0) / (box.w * 300)  # one dot at 300 dpi, in metres: finer detail

    def cut(geoms: Any) -> Any:  # cannot be printed, so it is not written
        out = shapely.clip_by_rect(np.asarray(geoms), vx0 - m, vy0 - m, vx1 + m, vy1 + m)
        return shapely.simplify(out, dot)

    if bg is not None and bg.neighbours is not None:
        near = bg.neighbours[bg.neighbours.intersects(view)]
        if len(near):
            draw_geometries(
                ax, cut(near.geometry.values), facecolor=_GREY_FILL, edgecolor=_GREY_EDGE, linewidth=0.3 * s
            )
    shown = g.intersects(view).to_numpy()
    _draw_data(
        ax, g[shown], Symbology(sym.codes[shown], sym.labels, sym.colours, sym.title, sym.kind), s=s, cut=cut
    )
    if not sheet.focus.all():  # a veil over what the page is not about, and its outline
        area = _dissolve(g.geometry.values[sheet.focus])
        veil = shapely.difference(view, area)
        draw_geometries(ax, [veil], facecolor="white", alpha=0.55, edgecolor="none", zorder=4)
        draw_geometries(ax, cut(shapely.boundary([area])), color=_INK, linewidth=1.5 * s, zorder=5)
    if bg is not None and bg.outlines is not None:
        draw_geometries(
            ax,
            cut(shapely.boundary(bg.outlines.geometry.values)),
            color="#333333",
            linewidth=0.8 * s,
            zorder=5,
        )
    ax.set_xlim(vx0, vx1)
    ax.set_ylim(vy0, vy1)
    ax.set_aspect("equal", adjustable="box")
    furniture = [scale_bar(ax, fontsize=7.5 * s), north_arrow(ax, fontsize=9 * s)]
    _draw_names(ax, sheet, shown, bg, s, avoid=furniture)
    return vx0, vy0, vx1, vy1


def _draw_names(
    ax: Any, sheet: Sheet, shown: np.ndarray, bg: Background | None, s: float, *, avoid: list[Any]
) -> None:
    """Print the names of the rows the page asks for, then the towns not already named.

    No name covers another, the scale bar or the north arrow (*avoid*).
    """
    from erbm_geo.maps.printed.cartography import place_labels

    g = sheet.data
    named: set[str] = set()
    if sheet.names and "nom" in g.columns:
        rows = g[sheet.focus] if sheet.names == "focus" else g[shown]
        pts = gpd.GeoDataFrame(
            {
                "nom": rows["nom"].astype(str),
                "rang": np.where(sheet.focus[np.isin(g.index, rows.index)], 0, 1)
                if sheet.names == "all"
                else 1,
            },
            geometry=rows.geometry.representative_point(),
            crs=g.crs,
        )
        named = set(pts["nom"])
        avoid = [
            *avoid,
            *place_labels(ax, pts, fontsize=(7 if sheet.names == "all" else 6.3) * s, avoid=avoid),
        ]
    if bg is not None and bg.towns is not None:
        towns = bg.towns[~bg.towns["nom"].astype(str).isin(named)]
        if len(towns):
            place_labels(ax, towns, fontsize=7.5 * s, avoid=avoid)


def _draw_panel(
    fig: Any,
    frames: Frames,
    sheet: Sheet,
    bg: Background | None,
    view: tuple[float, float, float, float],
    s: float,
) -> None:
    """Draw the legend, the inset and the notes in the panel beside or below the map."""
    from erbm_geo.maps.printed.cartography import wrap_text

    sym, pn = sheet.sym, frames.panel
    has_inset = bg is not None and bg.region is not None
    if frames.side:
        inset_h = min(pn.w * 0.78, pn.h * 0.4) if has_inset else 0.0
        legend_box = Frame(pn.x, pn.y + inset_h + 0.2 * s, pn.w, pn.h - inset_h - 0.2 * s)
        inset_box: Frame | None = Frame(pn.x, pn.y, pn.w, inset_h) if has_inset else None
        notes_box = None
    else:
        third = (pn.w - 0.5 * s) / 3
        wide = not sheet.notes  # no notes: the legend takes their room too
        legend_box = Frame(pn.x, pn.y, pn.w - third - 0.3 * s if wide else third * 1.05, pn.h)
        notes_box = Frame(pn.x + third * 1.05 + 0.25 * s, pn.y, third * 0.95, pn.h)
        inset_box = Frame(pn.x + pn.w - third, pn.y, third, pn.h) if has_inset else None
    if sym.kind == "single":
        counts, n_na = np.array([int(sheet.focus.sum())]), 0
    else:
        counts = np.bincount(sym.codes[sheet.focus & (sym.codes >= 0)], minlength=len(sym.labels))
        n_na = int((sym.codes[sheet.focus] < 0).sum())
    used = _legend(fig, legend_box, sym, counts, n_na, kind=_kind(sheet.data), s=s)
    if inset_box is not None and bg is not None:
        _inset(fig, inset_box, view, bg, s=s)
    if sheet.notes:
        box = notes_box or Frame(legend_box.x, legend_box.y, legend_box.w, legend_box.h - used - 0.15 * s)
        text = wrap_text(fig, "\n".join(sheet.notes), width_in=box.w, fontsize=8 * s)
        fig.text(
            box.x,
            box.y + box.h,
            text,
            transform=_inches(fig),
            fontsize=8 * s,
            va="top",
            color=_INK,
            linespacing=1.35,
        )


def _draw_footer(fig: Any, ft: Frame, footer: str, s: float) -> None:
    """Draw a rule and the footer text (sources, licences, date, projection) in *ft*."""
    from matplotlib.lines import Line2D

    tr = _inches(fig)
    fig.add_artist(
        Line2D(
            [ft.x, ft.x + ft.w], [ft.y + ft.h + 0.06 * s] * 2, transform=tr, color="#9e9e9e", linewidth=0.5
        )
    )
    fig.text(
        ft.x, ft.y + ft.h, footer, transform=tr, fontsize=6.8 * s, va="top", color="#333333", linespacing=1.3
    )


def draw_sheet(sheet: Sheet, page: Page, bg: Background | None) -> Any:
    """Draw *sheet* on a new figure of *page*'s size and return the figure.

    Parameters
    ----------
    sheet : Sheet
        What to draw.
    page : Page
        The paper and orientation.
    bg : Background or None
        The reference layers under the data (``None``: none).

    Returns
    -------
    matplotlib.figure.Figure
        The page, outside pyplot's registry.

    Raises
    ------
    UnknownOptionError
        If a source is not a catalogue name, or the data have no extent.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> from erbm_geo.maps.printed.page import Page
    >>> from erbm_geo.maps.printed.symbology import Classes, symbology
    >>> g = example_communes()
    >>> sym = symbology(g, "population", Classes(k=3), "Population")
    >>> sheet = Sheet(g, sym, np.ones(len(g), dtype=bool), "Population", "Communes inventées",
    ...               ["cog_communes"])
    >>> draw_sheet(sheet, Page("A4", "landscape"), None).get_size_inches().round(2).tolist()
    [11.69, 8.27]
    """
    from erbm_geo.maps.printed.cartography import wrap_text

    s = page.scale
    sym = sheet.sym
    fig = _new_figure(page)
    width = page.size[0] - 0.8 * s
    subtitle = wrap_text(fig, sheet.subtitle, width_in=width, fontsize=9.5 * s) if sheet.subtitle else ""
    extra = [*([sym.method] if sym.method else []), *sym.notes]
    footer = wrap_text(
        fig,
        footer_text([*sheet.sources, *(bg.sources if bg else ())], [" · ".join(extra)] if extra else []),
        width_in=width,
        fontsize=6.8 * s,
    )
    title = wrap_text(fig, sheet.title, width_in=width - 0.9 * s, fontsize=16 * s, bold=True)
    x0, y0, x1, y1 = sheet.data.geometry.values[sheet.focus].total_bounds
    pad = sheet.margin * max(x1 - x0, y1 - y0, 500.0)
    bounds = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    frames = layout(
        page,
        (bounds[2] - bounds[0]) / (bounds[3] - bounds[1]),
        footer_lines=footer.count("\n") + 1,
        subtitle_lines=subtitle.count("\n") + 1 if subtitle else 0,
        legend_rows=len(sym.labels) + int((sym.codes < 0).any()),
        title_lines=title.count("\n") + 1,
    )
    _draw_header(fig, frames.header, title, subtitle, sheet.folio, s)
    view = _draw_map(fig, frames.map, sheet, bg, bounds, s)
    _draw_panel(fig, frames, sheet, bg, view, s)
    _draw_footer(fig, frames.footer, footer, s)
    return fig


def sheet_texts(column: str | None, title: str | None, subtitle: str | None) -> tuple[str, str]:
    """Give the title and subtitle of a page: those given, else the column's French ones.

    Parameters
    ----------
    column : str or None
        The column mapped.
    title, subtitle : str or None
        The texts given (``None``: the column's).

    Returns
    -------
    title : str
        The page's title.
    subtitle : str
        Its subtitle: for an indicator, its definition, unit and data.

    Raises
    ------
    DataFormatError
        If the vocabulary file shipped with the package is damaged.

    Examples
    --------
    >>> sheet_texts("qpv_share", None, None)[0]
    'Part de la surface en quartier prioritaire (QPV)'
    >>> sheet_texts("qpv_share", "Les QPV", "Mon sous-titre")
    ('Les QPV', 'Mon sous-titre')
    """
    from erbm_geo.maps.vocabulary import CARTOGRAPHIABLES, COLONNES

    ind = CARTOGRAPHIABLES.get(column) if column is not None else None
    known = COLONNES.get(column) if column is not None else None
    head = (
        title
        if title is not None
        else (
            ind.nom if ind is not None else known[0] if known else label(column) if column is not None else ""
        )
    )
    if subtitle is None:
        subtitle = (
            f"{ind.definition.rstrip('.')}."
            + (f" Unité : {ind.unite}." if ind.unite else "")
            + f" Données : {ind.millesime}."
            if ind is not None
            else f"{known[1].rstrip('.')}."
            if known
            else ""
        )
    return head, subtitle


def summary_note(table: pd.DataFrame, column: str | None, *, of: str) -> list[str]:
    r"""Give the notes that state an indicator's value over the whole *table*.

    ``["Ensemble des 250 communes : 4,3 %", "(moyenne … pondérée par leur surface)"]`` for an
    indicator whose summary *table* can compute, else ``[]``. When some rows have no value,
    the note says on how many the value stands ("… (84 avec une valeur) : 23,6 %").

    Parameters
    ----------
    table : pandas.DataFrame
        The whole table.
    column : str or None
        The column mapped.
    of : str
        What the table is, as the note names it (``"Ensemble des 250 communes"``).

    Returns
    -------
    list of str
        The note's lines, ``[]`` when the column has no summary rule.

    Examples
    --------
    >>> t = pd.DataFrame({"qpv_share": [0.5, 0.0], "area_km2": [1.0, 3.0]})
    >>> summary_note(t, "qpv_share", of="Ensemble des 2 communes")
    ['Ensemble des 2 communes : 12,5\u202f%', '(moyenne des communes pondérée par leur surface)']
    """
    from erbm_geo.errors import MissingColumnError as _Missing
    from erbm_geo.maps.vocabulary import SYNTHESES, synthese

    ind = INDICATEURS.get(column) if column is not None else None
    if ind is None:
        return []
    try:
        value = synthese(table, ind)
    except _Missing:
        return []
    n_ok = int(table[ind.col].notna().sum())
    if n_ok < len(table):
        of = f"{of} ({fmt_number(n_ok, 0)} avec une valeur)"
    return [f"{of} : {ind.valeur(value)}", f"({SYNTHESES[ind.synthese]})"]
