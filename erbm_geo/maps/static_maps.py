"""Static maps (matplotlib) for reports: PNG, SVG or PDF, A4, with legend, scale bar, north arrow,
title and sources."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from erbm_geo.data.catalogue import CATALOGUE
from erbm_geo.errors import MissingColumnError, UnknownOptionError
from erbm_geo.geom.validate import check_layer
from erbm_geo.maps.style import INERT_TEXT, fmt_number, label

__all__ = ["A4_LANDSCAPE", "A4_PORTRAIT", "save_figure", "static_map"]

A4_LANDSCAPE = (11.69, 8.27)
A4_PORTRAIT = (8.27, 11.69)


def _scale_bar(ax: Any) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    span = x1 - x0
    length = 10 ** np.floor(np.log10(span / 4))
    for mult in (5, 2, 1):
        if mult * length <= span / 4:
            length *= mult
            break
    x, y = x0 + 0.04 * span, y0 + 0.05 * (y1 - y0)
    h = 0.008 * (y1 - y0)
    ax.add_patch(__import__("matplotlib.patches", fromlist=["Rectangle"]).Rectangle(
        (x, y), length, h, facecolor="black", edgecolor="black", zorder=10))
    text = f"{fmt_number(length / 1000, 0)} km" if length >= 1000 else f"{int(length)} m"
    ax.text(x + length / 2, y + 2.2 * h, text, ha="center", va="bottom", fontsize=8, zorder=10)


def _north_arrow(ax: Any) -> None:
    ax.annotate("N", xy=(0.96, 0.95), xytext=(0.96, 0.85), xycoords="axes fraction",
                ha="center", va="center", fontsize=11, fontweight="bold",
                arrowprops={"facecolor": "black", "width": 3, "headwidth": 9})


def _choropleth(ax: Any, g: gpd.GeoDataFrame, column: str, *, k: int, cmap: str,
                scheme: str | None, title: str | None, style: dict[str, Any]) -> None:
    """Classes, palette and legend shared with the atlas for its indicators (French labels in the
    indicator's unit, zero class, classes merged as printed); missing values hatched and counted."""
    from matplotlib.patches import Patch

    from erbm_geo.maps.classify import classify
    from erbm_geo.maps.style import palette
    from erbm_geo.maps.vocabulary import INDICATEURS, couleurs

    ind = INDICATEURS.get(column)
    v = g[column].astype("float64").to_numpy()
    own = "quantiles" if scheme in ("Quantiles", "quantiles") and ind is None else "fisher_jenks"
    fmt = ind.nombre if ind is not None else (lambda x: fmt_number(float(x)))
    cls, labels = classify(v, fmt, scheme=own, k=k)  # type: ignore[arg-type]
    n = max(len(labels), 1)
    pal = couleurs(ind.palette, n) if ind is not None else palette(cmap, n)
    handles = []
    for i, (lab, col) in enumerate(zip(labels, pal, strict=False)):
        part = g[cls == i]
        if len(part):
            part.plot(ax=ax, color=col, **style)
        handles.append(Patch(facecolor=col, edgecolor="#555555", linewidth=0.3, label=lab))
    na = cls < 0
    if na.any():
        g[na].plot(ax=ax, facecolor="#ffffff", hatch="////", **{**style, "edgecolor": "#8c8c8c"})
        handles.append(Patch(facecolor="#ffffff", hatch="////", edgecolor="#8c8c8c",
                             label=f"Données manquantes ({int(na.sum())})"))
    head = title or (f"{ind.court} ({ind.unite})" if ind is not None else label(column))
    ax.legend(handles=handles, title=head, loc="lower right", fontsize=8, title_fontsize=9,
              frameon=True, framealpha=0.95)


def static_map(
    gdf: gpd.GeoDataFrame,
    *,
    column: str | None = None,
    scheme: str | None = "Quantiles",
    k: int = 5,
    cmap: str = "YlOrRd",
    title: str = "",
    sources: Sequence[str] = (),
    context: Sequence[tuple[gpd.GeoDataFrame, dict[str, Any]]] = (),
    legend_title: str | None = None,
    figsize: tuple[float, float] = A4_LANDSCAPE,
) -> Any:
    """Draw a layer (optionally coloured by *column*) on an A4 figure.

    Parameters
    ----------
    gdf : GeoDataFrame
        Any CRS; drawn in Lambert-93.
    column, scheme, k, cmap : numeric → classes (:mod:`erbm_geo.maps.classify`); an indicator of
        :data:`erbm_geo.maps.vocabulary.INDICATEURS` gets the atlas's classes, palette and French
        legend in its unit; text/bool → categories. Missing values hatched and counted.
    title : str
    sources : sequence of str
        Catalogue names printed in the caption with producer and licence.
    context : sequence of (GeoDataFrame, plot kwargs)
        Layers drawn underneath (e.g. EPCI outlines).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from erbm_geo.layers import epci
    >>> fig = static_map(epci(), column="population", title="Population des EPCI")
    >>> fig.get_size_inches().round(2).tolist()
    [11.69, 8.27]
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    g = check_layer(gdf, name="static_map layer")  # nothing is silently left undrawn
    if column is not None and column not in g.columns:
        raise MissingColumnError(f"static_map: no column {column!r}; available: {list(g.columns)}")
    # titles, labels and category names are drawn as given: never parsed as mathtext
    with plt.rc_context(INERT_TEXT):
        fig, ax = plt.subplots(figsize=figsize)
        for layer, kw in context:
            check_layer(layer, name="static_map context layer").plot(ax=ax, **kw)
        kwargs: dict[str, Any] = {"edgecolor": "#555555", "linewidth": 0.3}
        if column is None:
            g.plot(ax=ax, color="#3182bd", **kwargs)
        else:
            numeric = g[column].dtype.kind in "if" and g[column].dtype != bool
            legend_kwds: dict[str, Any] = {"title": legend_title or label(column), "loc": "lower right",
                                           "fontsize": 8, "title_fontsize": 9}
            if numeric:
                _choropleth(ax, g, column, k=k, cmap=cmap, scheme=scheme, title=legend_title,
                            style=kwargs)
            else:
                g.plot(ax=ax, column=g[column].astype(str), categorical=True, cmap="tab10",
                       legend=True, legend_kwds=legend_kwds, **kwargs)
        ax.set_axis_off()
        ax.set_aspect("equal")
        if title:
            ax.set_title(title, fontsize=14, loc="left")
        _scale_bar(ax)
        _north_arrow(ax)
        caption = " · ".join(dict.fromkeys(
            f"{CATALOGUE[s].attribution} ({CATALOGUE[s].licence}, {CATALOGUE[s].vintage})"
            for s in sources))
        fig.text(0.01, 0.01, ("Sources : " + caption) if caption else "Lambert-93 (EPSG:2154)",
                 fontsize=7, color="#333333", wrap=True)
        fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def save_figure(fig: Any, path: str | Path, *, dpi: int = 200) -> Path:
    """Save *fig* to PNG, SVG or PDF (by suffix), atomically and reproducibly."""
    from erbm_geo.export import write_atomic

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise UnknownOptionError(f"unsupported figure format {path.suffix!r}; use .png, .svg or .pdf")
    meta: dict[str, Any] = {"png": {"Software": None}, "svg": {"Date": None},
                            "pdf": {"CreationDate": None, "ModDate": None}}[fmt]
    write_atomic(path, lambda p: fig.savefig(p, format=fmt, dpi=dpi, metadata=meta))
    return path
