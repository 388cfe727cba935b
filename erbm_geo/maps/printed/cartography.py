"""The furniture of a printed map.

Scale bar, north arrow, place names that do not overlap, locator inset, and text wrapped to a frame.

Every function draws on a matplotlib axes or figure that the caller made; text is drawn as given
(the caller sets :data:`erbm_geo.maps.style.INERT_TEXT`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np

from erbm_geo.maps.vocabulary import nombre

__all__ = ["draw_geometries", "north_arrow", "place_labels", "scale_bar", "scale_length", "wrap_text"]

_HALO = "white"


def _halo(width: float = 2.2) -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground=_HALO)]


def draw_geometries(ax: Any, geoms: Any, **style: Any) -> None:
    """Draw polygons, lines or points of the array *geoms* on *ax* as one artist each kind.

    Polygons become a single compound path (exteriors and holes oriented so that holes stay
    empty), lines one collection, points one scatter: a page of thousands of features costs a few
    artists, not one per feature.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The map.
    geoms : numpy.ndarray of shapely.Geometry
        The geometries, in the map's CRS.
    **style
        Matplotlib keywords (``facecolor``, ``edgecolor``, ``linewidth``, ``hatch``, ``alpha``,
        ``color``, ``markersize``, ``zorder``).

    Examples
    --------
    >>> import matplotlib.figure, shapely
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> fig = matplotlib.figure.Figure(figsize=(6, 4))
    >>> canvas = FigureCanvasAgg(fig)
    >>> ax = fig.add_subplot()
    >>> ax.set_xlim(0, 20_000), ax.set_ylim(0, 15_000)
    ((0.0, 20000.0), (0.0, 15000.0))
    >>> squares = np.array([shapely.box(0, 0, 1000, 1000), shapely.box(5000, 0, 6000, 1000)])
    >>> draw_geometries(ax, squares, facecolor="#cccccc")
    >>> len(ax.patches)  # one path for both squares
    1
    """
    import shapely
    from matplotlib.collections import LineCollection
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    parts = parts[~shapely.is_empty(parts)]
    if not len(parts):
        return
    kind = shapely.get_type_id(parts)
    polys = parts[kind == 3]
    if len(polys):
        rings = shapely.get_rings(shapely.orient_polygons(polys))
        xy, ring = shapely.get_coordinates(rings, return_index=True)
        codes = np.full(len(xy), Path.LINETO, dtype=np.uint8)
        first = np.r_[True, ring[1:] != ring[:-1]]
        codes[first] = Path.MOVETO
        codes[np.r_[first[1:], True]] = Path.CLOSEPOLY
        kw = {k: v for k, v in style.items() if k not in ("color", "markersize")}
        if "color" in style:
            kw.setdefault("facecolor", style["color"])
        # add_artist, not add_patch: the caller sets the view, and add_patch would walk every
        # vertex to update the data limits (seconds on a page of communes)
        ax.add_artist(PathPatch(Path(xy, codes), **kw))
    lines = parts[(kind == 1) | (kind == 2)]
    if len(lines):
        xy, line = shapely.get_coordinates(lines, return_index=True)
        cuts = np.flatnonzero(np.diff(line)) + 1
        colour = style.get("color", style.get("edgecolor", "#333333"))
        ax.add_collection(
            LineCollection(
                np.split(xy, cuts),
                colors=colour,
                linewidths=style.get("linewidth", 1.0),
                zorder=style.get("zorder", 2),
                alpha=style.get("alpha"),
            )
        )
    points = parts[kind == 0]
    if len(points):
        xy = shapely.get_coordinates(points)
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=style.get("markersize", 9),
            c=style.get("color", style.get("facecolor", "#333333")),
            edgecolors=style.get("edgecolor", "none"),
            linewidths=style.get("linewidth", 0.3),
            zorder=style.get("zorder", 3),
        )


def scale_length(span_m: float) -> float:
    """Return a round length (1, 2 or 5 × 10ⁿ metres) close to a fifth of *span_m*.

    Parameters
    ----------
    span_m : float
        The width of the map, in metres.

    Returns
    -------
    float
        The bar's length, in metres.

    Examples
    --------
    >>> scale_length(110_000), scale_length(23_000), scale_length(4_000)
    (20000.0, 2000.0, 500.0)
    """
    target = span_m / 5
    base = 10 ** math.floor(math.log10(target))
    return float(max(m * base for m in (1, 2, 5) if m * base <= target))


def scale_bar(ax: Any, *, fontsize: float = 7.5) -> Any:
    """Draw a scale bar in km (two black and white halves), bottom left of the map *ax*.

    Returns its white backing, which covers the bar and its figures (for labels to avoid).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The map (in metres).
    fontsize : float, default 7.5
        Size of the figures.

    Returns
    -------
    matplotlib.patches.Rectangle
        Its white backing, which covers the bar and its figures (for labels to avoid).

    Examples
    --------
    >>> import matplotlib.figure, shapely
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> fig = matplotlib.figure.Figure(figsize=(6, 4))
    >>> canvas = FigureCanvasAgg(fig)
    >>> ax = fig.add_subplot()
    >>> ax.set_xlim(0, 20_000), ax.set_ylim(0, 15_000)
    ((0.0, 20000.0), (0.0, 15000.0))
    >>> type(scale_bar(ax)).__name__
    'Rectangle'
    """
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = scale_length(x1 - x0)
    h = 0.012 * (y1 - y0)
    x, y = x0 + 0.025 * (x1 - x0), y0 + 0.035 * (y1 - y0)
    backing = Rectangle(
        (x - 0.01 * (x1 - x0), y - 0.6 * h),
        length + 0.03 * (x1 - x0),
        4.2 * h,
        facecolor="white",
        edgecolor="none",
        alpha=0.8,
        zorder=9,
    )
    ax.add_patch(backing)
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (x + i * length / 4, y),
                length / 4,
                h,
                zorder=10,
                linewidth=0.6,
                facecolor="#222222" if i % 2 == 0 else "white",
                edgecolor="#222222",
            )
        )
    unit, div = ("km", 1000.0) if length >= 1000 else ("m", 1.0)
    for f in (0.0, 0.5, 1.0):
        value = f * length / div
        text = nombre(value, 0 if value == int(value) else 1)
        ax.text(
            x + f * length,
            y + 1.6 * h,
            text + (f"\u202f{unit}" if f == 1.0 else ""),
            ha="center",
            va="bottom",
            fontsize=fontsize,
            color="#222222",
            zorder=10,
        )
    return backing


def north_arrow(ax: Any, *, fontsize: float = 9) -> Any:
    """Draw a north arrow, top right of the map *ax*; return it (for labels to avoid).

    Lambert-93: grid north, within 1° of true north in the Nord and Pas-de-Calais.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The map (Lambert-93).
    fontsize : float, default 9
        Size of the « N ».

    Returns
    -------
    matplotlib.text.Annotation
        The arrow and its letter.

    Examples
    --------
    >>> import matplotlib.figure, shapely
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> fig = matplotlib.figure.Figure(figsize=(6, 4))
    >>> canvas = FigureCanvasAgg(fig)
    >>> ax = fig.add_subplot()
    >>> ax.set_xlim(0, 20_000), ax.set_ylim(0, 15_000)
    ((0.0, 20000.0), (0.0, 15000.0))
    >>> north_arrow(ax).get_text()
    'N'
    """
    return ax.annotate(
        "N",
        xy=(0.975, 0.965),
        xytext=(0.975, 0.88),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="top",
        fontsize=fontsize,
        fontweight="bold",
        color="#222222",
        zorder=11,
        path_effects=_halo(),
        arrowprops={
            "facecolor": "#222222",
            "edgecolor": "white",
            "linewidth": 0.5,
            "width": 2.5,
            "headwidth": 8,
            "headlength": 8,
        },
    )


def place_labels(
    ax: Any,
    points: gpd.GeoDataFrame,
    *,
    name: str = "nom",
    rank: str | None = "rang",
    fontsize: float = 7.5,
    avoid: Sequence[Any] = (),
) -> list[Any]:
    """Label *points* (one dot and one name each) inside *ax*'s view; return the names drawn.

    Most important first (*rank* 0 before 1…, then west to east), skipping a name that would
    overlap one already drawn or any artist of *avoid*.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The map.
    points : geopandas.GeoDataFrame
        The places, as points in the map's CRS.
    name : str, default "nom"
        The column of names.
    rank : str or None, default "rang"
        The column of importance (0 first); ``None``: all alike.
    fontsize : float, default 7.5
        Size of the names (the first rank in bold).
    avoid : sequence of matplotlib artists, default ()
        Artists no name may cover (the scale bar, the north arrow…).

    Returns
    -------
    list of matplotlib.text.Text
        The names drawn.

    Examples
    --------
    >>> import matplotlib.figure, shapely
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> fig = matplotlib.figure.Figure(figsize=(6, 4))
    >>> canvas = FigureCanvasAgg(fig)
    >>> ax = fig.add_subplot()
    >>> ax.set_xlim(0, 20_000), ax.set_ylim(0, 15_000)
    ((0.0, 20000.0), (0.0, 15000.0))
    >>> import geopandas as gpd
    >>> towns = gpd.GeoDataFrame({"nom": ["Lens"], "rang": [0]},
    ...                          geometry=[shapely.Point(5000, 5000)], crs=2154)
    >>> [t.get_text() for t in place_labels(ax, towns)]
    ['Lens']
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    xy = points.geometry.get_coordinates().to_numpy()
    inside = (xy[:, 0] > x0) & (xy[:, 0] < x1) & (xy[:, 1] > y0) & (xy[:, 1] < y1)
    ranks = (
        points[rank].to_numpy(dtype="int64")
        if rank is not None and rank in points.columns
        else np.zeros(len(points), dtype="int64")
    )
    order = np.lexsort((xy[:, 0], ranks))
    taken = [a.get_window_extent(renderer) for a in avoid]
    frame = ax.get_window_extent(renderer)
    drawn: list[Any] = []
    for i in order[inside[order]]:
        main = ranks[i] == 0
        size = fontsize * (1.12 if main else 0.92)
        for dy, va in ((1, "bottom"), (-1, "top")):
            t = ax.annotate(
                str(points[name].iloc[i]),
                xy=(xy[i, 0], xy[i, 1]),
                xytext=(0, dy * 3),
                textcoords="offset points",
                ha="center",
                va=va,
                fontsize=size,
                fontweight="bold" if main else "normal",
                color="#1a1a1a",
                zorder=12,
                path_effects=_halo(),
            )
            box = t.get_window_extent(renderer).expanded(1.04, 1.1)
            fits = box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0 and box.y1 <= frame.y1
            if fits and not any(box.overlaps(b) for b in taken):
                taken.append(box)
                ax.plot(
                    [xy[i, 0]],
                    [xy[i, 1]],
                    "o",
                    markersize=2.6 if main else 2.0,
                    color="#1a1a1a",
                    markeredgecolor="white",
                    markeredgewidth=0.5,
                    zorder=12,
                )
                drawn.append(t)
                break
            t.remove()
    return drawn


def wrap_text(fig: Any, text: str, *, width_in: float, fontsize: float, bold: bool = False) -> str:
    """Break *text* into lines no wider than *width_in* inches at *fontsize*.

    Measured with the figure's renderer; words are kept whole.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure with a canvas (its renderer measures the text).
    text : str
        The text.
    width_in : float
        The width available, in inches.
    fontsize : float
        The text's size.
    bold : bool, default False
        Measure in bold.

    Returns
    -------
    str
        The text with line breaks.

    Examples
    --------
    >>> import matplotlib.figure, shapely
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> fig = matplotlib.figure.Figure(figsize=(6, 4))
    >>> canvas = FigureCanvasAgg(fig)
    >>> ax = fig.add_subplot()
    >>> ax.set_xlim(0, 20_000), ax.set_ylim(0, 15_000)
    ((0.0, 20000.0), (0.0, 15000.0))
    >>> print(wrap_text(fig, "Part de la surface des communes en quartier prioritaire",
    ...                 width_in=2, fontsize=10))
    Part de la surface des
    communes en quartier
    prioritaire
    """
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    prop = FontProperties(size=fontsize, weight="bold" if bold else "normal")
    limit = width_in * fig.dpi
    widths: dict[str, float] = {}

    def width(word: str) -> float:
        if word not in widths:
            widths[word] = renderer.get_text_width_height_descent(word, prop, ismath=False)[0]
        return widths[word]

    space = width("a a") - 2 * width("a")
    out: list[str] = []
    for para in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in para.split(" "):
            w = width(word)
            if line and used + space + w > limit:
                out.append(" ".join(line))
                line, used = [word], w
            else:
                used += (space if line else 0.0) + w
                line.append(word)
        out.append(" ".join(line))
    return "\n".join(out)
