"""Map books.

One multi-page PDF with an overview page, then one page per EPCI or per commune, all from the layout and the
classes of :func:`erbm_geo.maps.printed.static_maps.static_map`.

The classes are computed once on the whole table, so a colour means the same value on every
page; each page frames its EPCI or commune, veils the rest, counts its own features in the legend
and prints its value beside the EPCI's and the whole table's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from erbm_geo.errors import EmptyInputError, InvalidOptionError, MissingColumnError, UnknownCodeError
from erbm_geo.geom.validate import check_layer
from erbm_geo.maps.printed.page import Page
from erbm_geo.maps.printed.reference import Background
from erbm_geo.maps.printed.sheet import Sheet, check_sources, draw_sheet, sheet_texts, summary_note
from erbm_geo.maps.printed.symbology import Classes, Symbology, symbology
from erbm_geo.maps.style import INERT_TEXT, fmt_number
from erbm_geo.maps.vocabulary import INDICATEURS, cle_tri

__all__ = ["map_book"]


def _rank_note(table: pd.DataFrame, column: str, code: Any) -> list[str]:
    v = table[column]
    if v.dtype.kind not in "if" or pd.isna(v.loc[code]):
        return []
    ranks = v.astype("float64").rank(ascending=False, method="min")
    r = int(ranks.loc[code])
    return [
        f"Rang : {r}{'er' if r == 1 else 'e'} sur {fmt_number(int(v.notna().sum()), 0)} "
        "(1 = valeur la plus élevée)"
    ]


def _value_note(table: pd.DataFrame, column: str, mask: np.ndarray, name: str) -> list[str]:
    ind = INDICATEURS.get(column)
    if ind is None:
        return []
    return summary_note(table[mask], column, of=name)[:1]


def _pages(
    g: gpd.GeoDataFrame,
    column: str,
    pages: str | Sequence[str],
    head: str,
    sub: str,
    sym: Symbology,
    sources: list[str],
) -> list[Sheet]:
    n = len(g)
    # the whole table's value, computed once for every page that quotes it
    whole = summary_note(g, column, of=f"Ensemble des {fmt_number(n, 0)} communes")
    overview = Sheet(g, sym, np.ones(n, dtype=bool), head, sub, sources, notes=whole)
    out = [overview]
    if isinstance(pages, str) and pages == "epci":
        for c in ("siren_epci", "nom_epci"):
            if c not in g.columns:
                raise MissingColumnError(
                    f"map_book(pages='epci') needs a {c!r} column (as in indicator_table's output)"
                )
        groups = g.groupby("siren_epci", sort=False)["nom_epci"].first()
        for siren, nom in sorted(groups.items(), key=lambda kv: cle_tri(str(kv[1]))):
            mask = (g["siren_epci"] == siren).fillna(False).to_numpy(dtype=bool)
            k = int(mask.sum())
            notes = [
                *_value_note(g, column, mask, str(nom)),
                *whole[:1],
                f"{fmt_number(k, 0)} commune{'s' if k > 1 else ''} sur cette page",
            ]
            out.append(Sheet(g, sym, mask, str(nom), f"{head}. {sub}", sources, notes=notes, names="focus"))
        return out
    codes = (
        list(g.index)
        if isinstance(pages, str) and pages == "communes"
        else ([pages] if isinstance(pages, str) else list(pages))
    )
    codes = list(dict.fromkeys(codes))  # a code given twice makes one page
    if not codes:
        raise EmptyInputError(
            "map_book: pages names no commune, so the book would hold the overview only; give "
            "INSEE codes, 'communes' or 'epci'"
        )
    if not isinstance(pages, str) or pages == "communes":
        unknown = [c for c in codes if c not in g.index]
        if unknown:
            raise UnknownCodeError(
                f"map_book: {unknown[:5]} not in the table's index (INSEE codes "
                f"such as {list(g.index[:3])}); names can be turned into codes "
                "with erbm_geo.layers.codes_from_names"
            )
        for code in sorted(
            codes, key=lambda c: cle_tri(str(g.at[c, "nom"])) if "nom" in g.columns else (str(c), str(c))
        ):
            mask = g.index == code
            name = str(g.at[code, "nom"]) if "nom" in g.columns else str(code)
            notes = [*_value_note(g, column, mask, name), *_rank_note(g, column, code)]
            if "siren_epci" in g.columns and pd.notna(g.at[code, "siren_epci"]):
                epci = (g["siren_epci"] == g.at[code, "siren_epci"]).fillna(False).to_numpy(bool)
                notes += _value_note(g, column, epci, str(g.at[code, "nom_epci"]))
            notes += whole[:1]
            out.append(
                Sheet(
                    g,
                    sym,
                    mask,
                    f"{name} ({code})",
                    f"{head}. {sub}",
                    sources,
                    notes=notes,
                    names="all",
                    margin=0.45,
                )
            )
        return out
    raise InvalidOptionError(f"map_book: pages={pages!r}; use 'epci', 'communes' or a list of INSEE codes")


def map_book(
    gdf: gpd.GeoDataFrame,
    path: str | Path,
    *,
    column: str,
    pages: str | Sequence[str] = "epci",
    page: Page | str = "A4-portrait",
    background: Background | None = None,
    sources: Sequence[str] = (),
    classes: Classes | None = None,
) -> Path:
    """Write a multi-page PDF map of *column*.

    An overview, then one page per EPCI or commune.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        One row per commune, indexed by INSEE code, as :func:`erbm_geo.indicators.indicator_table`
        returns it (``nom``; ``siren_epci`` and ``nom_epci`` for EPCI pages).
    path : str or pathlib.Path
        The PDF to write (written atomically; byte-identical for the same inputs and
        ``SOURCE_DATE_EPOCH``).
    column : str
        The column mapped (numeric: classes; text: categories).
    pages : "epci", "communes" or sequence of str, default "epci"
        One page per EPCI, per commune, or per listed INSEE code, after the overview.
    page : Page or str, default "A4-portrait"
        The sheet of every page.
    background : Background, optional
        Surroundings, outlines, town names and the inset (see
        :func:`erbm_geo.maps.printed.reference.background`).
    sources : sequence of str, default ()
        Catalogue names credited on every page (an indicator's own sources are added).
    classes : Classes, optional
        Classification and palette, shared by every page.

    Returns
    -------
    pathlib.Path
        The PDF written.

    Raises
    ------
    MissingColumnError
        If *column* (or, for EPCI pages, ``siren_epci``/``nom_epci``) is missing.
    UnknownCodeError
        If a listed code is not in the index.
    EmptyInputError
        If *pages* lists no code (a book of the overview alone).
    InvalidOptionError
        If *pages* is neither ``"epci"``, ``"communes"`` nor a list of codes.
    UnknownOptionError
        For an unknown page, palette or source name.

    Examples
    --------
    On the basin: ``map_book(indicator_table(of="communes"), "qpv.pdf", column="qpv_share",
    pages=["62498", "59178"], background=background())``. Here on invented communes:

    >>> import tempfile, pathlib
    >>> from erbm_geo.examples import example_communes
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "qpv.pdf"
    >>> pdf = map_book(example_communes(), out, column="qpv_share", pages="epci")
    >>> pdf.name, pdf.read_bytes()[:5]
    ('qpv.pdf', b'%PDF-')
    """
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    from erbm_geo.export import write_atomic

    g = check_layer(gdf, name="map_book layer")
    if column not in g.columns:
        raise MissingColumnError(f"map_book: no column {column!r}; available: {list(g.columns)}")
    pg = Page.parse(page) if isinstance(page, str) else page
    check_sources([*sources, *(background.sources if background is not None else ())])
    head, sub = sheet_texts(column, None, None)
    ind = INDICATEURS.get(column)
    srcs = [*sources, *(ind.sources if ind is not None else ())]

    def write(tmp: Path) -> None:
        with matplotlib.rc_context(INERT_TEXT):
            sym = symbology(g, column, classes or Classes(), head)
            sheets = _pages(g, column, pages, head, sub, sym, srcs)
            meta = {"Title": head, "Creator": "erbm_geo", "CreationDate": None, "ModDate": None}
            with PdfPages(tmp, metadata=meta) as pdf:
                for i, sheet in enumerate(sheets, 1):
                    sheet.folio = f"{i} / {len(sheets)}"
                    fig = draw_sheet(sheet, pg, background)
                    pdf.savefig(fig)

    return write_atomic(Path(path), write)
