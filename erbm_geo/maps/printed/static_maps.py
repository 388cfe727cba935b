"""Print-grade static maps (matplotlib): A4 or A3, PNG, SVG or PDF.

A page has a title and a subtitle (for an indicator: its French name, definition and unit), the
map at the largest scale the sheet allows, a panel beside or below it (legend in the indicator's
unit with the number of features per class, missing values explained, an inset locating the area
in the Nord and Pas-de-Calais, notes) and a footer with sources, licences, vintages, the build
date and the projection. Nothing is drawn over the data but the scale bar, the north arrow and
the place names.

An indicator of :data:`erbm_geo.maps.vocabulary.INDICATEURS` is drawn with the atlas's classes,
palette and French labels; any other numeric column gets the same classification; text and
boolean columns are drawn as categories.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from erbm_geo.errors import MissingColumnError, UnknownOptionError
from erbm_geo.geom.validate import check_layer
from erbm_geo.maps.printed.page import Page
from erbm_geo.maps.printed.reference import Background
from erbm_geo.maps.printed.sheet import Sheet, check_sources, draw_sheet, sheet_texts, summary_note
from erbm_geo.maps.printed.symbology import Classes, symbology
from erbm_geo.maps.style import INERT_TEXT, fmt_number
from erbm_geo.maps.vocabulary import INDICATEURS

__all__ = ["A4_LANDSCAPE", "A4_PORTRAIT", "save_figure", "static_map"]

A4_LANDSCAPE = Page("A4", "landscape").size
A4_PORTRAIT = Page("A4", "portrait").size


def static_map(
    gdf: gpd.GeoDataFrame,
    *,
    column: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    sources: Sequence[str] = (),
    page: Page | str = "A4-landscape",
    background: Background | None = None,
    classes: Classes | None = None,
) -> Any:
    """Draw a layer, optionally coloured by *column*, as a printable page.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons, lines or points, in any CRS (drawn in Lambert-93).
    column : str, optional
        Numeric → classes (see :class:`Classes`); text or boolean → one colour per category
        (at most :data:`MAX_CATEGORIES`, the rarest grouped as « Autres »), each category
        outlined. Missing values are hatched, counted and, for an indicator, explained.
    title, subtitle : str, optional
        Default for an indicator: its French name; its definition, unit and data vintage.
    sources : sequence of str, default ()
        Catalogue names credited in the footer (an indicator's own sources are added).
    page : Page or str, default "A4-landscape"
        ``Page("A3", "portrait")`` or ``"A4-landscape"``….
    background : Background, optional
        Surroundings, EPCI outlines, town names and the inset (see
        :func:`erbm_geo.maps.printed.reference.background`); without it, the page has no inset.
    classes : Classes, optional
        Classification, palette and legend title of a numeric column.

    Returns
    -------
    matplotlib.figure.Figure
        The page, at its ISO size, outside pyplot's registry (save it with :func:`save_figure`).

    Raises
    ------
    MissingColumnError
        If *column* is not a column of *gdf*.
    UnknownOptionError
        For an unknown page, palette or source name.

    Examples
    --------
    On the basin: ``static_map(indicator_table(of="communes"), column="qpv_share",
    background=background())``. Here on invented communes, without the mirror:

    >>> from erbm_geo.examples import example_centres, example_communes
    >>> c = example_communes()
    >>> bg = Background(towns=example_centres())
    >>> fig = static_map(c, column="qpv_share", page="A4-portrait", background=bg)
    >>> fig.get_size_inches().round(2).tolist()
    [8.27, 11.69]
    >>> [t.get_text() for t in fig.texts][:1]
    ['Part de la surface en quartier prioritaire (QPV)']
    """
    import matplotlib
    import matplotlib.pyplot  # in Jupyter, sets up the inline display of the returned figure

    g = check_layer(gdf, name="static_map layer")  # nothing is silently left undrawn
    if column is not None and column not in g.columns:
        raise MissingColumnError(f"static_map: no column {column!r}; available: {list(g.columns)}")
    pg = Page.parse(page) if isinstance(page, str) else page
    check_sources([*sources, *(background.sources if background is not None else ())])
    head, sub = sheet_texts(column, title, subtitle)
    ind = INDICATEURS.get(column) if column is not None else None
    with matplotlib.rc_context(INERT_TEXT):
        sym = symbology(g, column, classes or Classes(), head or "Entités")
        n = len(g)
        of = f"Ensemble des {fmt_number(n, 0)} " + (
            "communes" if "code_insee" in g.columns or g.index.name == "code_insee" else "entités"
        )
        sheet = Sheet(
            g,
            sym,
            np.ones(n, dtype=bool),
            head,
            sub,
            [*sources, *(ind.sources if ind is not None else ())],
            notes=summary_note(g, column, of=of),
        )
        return draw_sheet(sheet, pg, background)


def save_figure(fig: Any, path: str | Path, *, dpi: int = 200) -> Path:
    """Save *fig* to PNG, SVG or PDF (by suffix), atomically and reproducibly.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A page from :func:`static_map` (or any figure).
    path : str or pathlib.Path
        A .png, .svg or .pdf file (written atomically; PDF and SVG reproducible).
    dpi : int, default 200
        Resolution of a PNG.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    UnknownOptionError
        If the suffix is not .png, .svg or .pdf.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo.examples import example_communes
    >>> fig = static_map(example_communes(), column="population", title="Population")
    >>> save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "population.pdf").suffix
    '.pdf'
    """
    from erbm_geo.export import write_atomic

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise UnknownOptionError(f"unsupported figure format {path.suffix!r}; use .png, .svg or .pdf")
    meta: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
    }[fmt]

    def save(p: Path) -> None:
        import matplotlib

        # a fixed salt: the SVG's clip-path and glyph ids no longer come from a random number
        with matplotlib.rc_context({"svg.hashsalt": "erbm_geo"}):
            fig.savefig(p, format=fmt, dpi=dpi, metadata=meta)

    write_atomic(path, save)
    return path
