"""How values become colours on a printed map.

Classes of a numeric column (the atlas's classification and palettes for its indicators), categories of a text
column, or one colour.

:func:`symbology` is computed once per table, so that the pages of a map book share one legend.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np

from erbm_geo.errors import InvalidOptionError, UnknownOptionError
from erbm_geo.maps.style import fmt_number, label
from erbm_geo.maps.vocabulary import CARTOGRAPHIABLES, DIVERGENTE, PALETTES, Indicateur, cle_tri, couleurs

__all__ = ["MAX_CATEGORIES", "SCHEMES_FR", "Classes", "Symbology", "symbology"]

MAX_CATEGORIES = 12

#: Category colours: ColorBrewer Set2 then Set3 (colorbrewer2.org), without their greys, which
#: would read as "no data" beside the grey surroundings.
_CATEGORIES = (
    "#66c2a5",
    "#fc8d62",
    "#8da0cb",
    "#e78ac3",
    "#a6d854",
    "#ffd92f",
    "#e5c494",
    "#80b1d3",
    "#fb8072",
    "#bebada",
    "#fdb462",
    "#b3de69",
)
SCHEMES_FR = {"fisher_jenks": "seuils naturels (Jenks)", "quantiles": "quantiles"}


@dataclass(frozen=True)
class Classes:
    """How a numeric column becomes colours.

    Parameters
    ----------
    scheme : {"fisher_jenks", "quantiles"}
        Natural breaks or quantiles; a separate « 0 » class when at least 10 % of the values
        are 0 (see :func:`erbm_geo.maps.classify.breaks`).
    k : int
        Number of classes, 2 to 7 (fewer when the values allow fewer distinct classes).
    palette : str, optional
        A ColorBrewer sequential scheme (``"Purples"``, ``"YlGnBu"``…); by default the
        indicator's own palette, else ``"YlOrRd"``.
    legend_title : str, optional
        By default the indicator's short name and unit, else the column's French label.

    Examples
    --------
    >>> Classes(k=4, palette="Purples").scheme
    'fisher_jenks'
    >>> Classes(k=9)
    Traceback (most recent call last):
    ...
    erbm_geo.errors.InvalidOptionError: Classes(k=9): use 2 to 7 classes
    """

    scheme: Literal["fisher_jenks", "quantiles"] = "fisher_jenks"
    k: int = 5
    palette: str | None = None
    legend_title: str | None = None

    def __post_init__(self) -> None:
        """Check the scheme and the number of classes."""
        if self.scheme not in SCHEMES_FR:
            raise UnknownOptionError(f"unknown scheme {self.scheme!r}; use 'fisher_jenks' or 'quantiles'")
        if not 2 <= self.k <= 7:
            raise InvalidOptionError(f"Classes(k={self.k}): use 2 to 7 classes")


@dataclass
class Symbology:
    """Colour of every row (computed once, shared by the pages of a map book).

    Parameters
    ----------
    codes : numpy.ndarray of int
        The class or category of each row, -1 for a missing value.
    labels, colours : list of str
        The legend's labels and colours, one per class or category.
    title : str
        The legend's title.
    kind : {"classes", "categories", "single"}
        Classes of a numeric column, categories of a text or boolean one, or one colour.
    method : str, default ""
        How the classes were drawn, as the legend says it.
    missing_reason : str, default ""
        Why values are missing, as the legend says it.
    notes : list of str
        Further lines for the legend (e.g. « Autres » grouping rare categories).
    edges : tuple of float
        Classes only: the bounds between consecutive classes (one fewer than the classes), so
        that another program (a QGIS style) draws the same classes.
    closed : {"right", "left"}, default "right"
        Classes only: which end of a class its bound belongs to: ``"right"``, a class holds
        the values above the bound below it up to its own bound (natural breaks, quantiles);
        ``"left"``, from its lower bound (included) to its upper bound (excluded), as the
        classes symmetric about 0.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> sym = symbology(example_communes(), None, Classes(), "Communes")
    >>> sym.kind, sym.codes.tolist()[:3]
    ('single', [0, 0, 0])
    """

    codes: np.ndarray  # class or category per row, -1 = missing
    labels: list[str]
    colours: list[str]
    title: str
    kind: Literal["classes", "categories", "single"]
    method: str = ""
    missing_reason: str = ""
    notes: list[str] = field(default_factory=list)
    edges: tuple[float, ...] = ()
    closed: Literal["right", "left"] = "right"


def _sequential(name: str, k: int) -> list[str]:
    if name in PALETTES and k <= 5:
        return couleurs(name, k)
    from erbm_geo.maps.style import palette

    try:
        return palette(name, k)
    except KeyError:
        raise UnknownOptionError(
            f"unknown palette {name!r}; use one of {', '.join(PALETTES)} or a matplotlib colormap name"
        ) from None


def _centred(v: np.ndarray, ind: Indicateur, classes: Classes) -> Symbology:
    """Six classes symmetric about 0 in the diverging palette (a change that can be negative)."""
    from erbm_geo.maps.classify import centred_classes, centred_edges

    codes, labels, _ = centred_classes(v, ind.borne, scale=ind.echelle)
    return Symbology(
        codes,
        labels,
        list(DIVERGENTE),
        classes.legend_title or ind.titre,
        "classes",
        "Classes symétriques autour de 0 (pertes en rouge, gains en bleu)",
        ind.manquant,
        edges=tuple(float(e) for e in centred_edges(v, scale=ind.echelle)),
        closed="left",
    )


def symbology(g: gpd.GeoDataFrame, column: str | None, classes: Classes, title: str) -> Symbology:
    """Colour every row of *g* by *column*: classes, categories, or one colour without one.

    Parameters
    ----------
    g : geopandas.GeoDataFrame
        The rows.
    column : str or None
        The column to map (``None``: one colour).
    classes : Classes
        How a numeric column becomes classes.
    title : str
        The legend's title when *classes* gives none.

    Returns
    -------
    Symbology
        The colour of every row and the legend.

    Raises
    ------
    UnknownOptionError
        If the palette is unknown, or a text column has too many values to map.
    InvalidOptionError
        If *classes* asks for fewer than 2 or more than 7 classes.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> sym = symbology(example_communes(), "population", Classes(k=3), "Population")
    >>> sym.kind, sym.colours
    ('classes', ['#ffe998', '#fd7435', '#970026'])
    """
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    from erbm_geo.maps.classify import breaks, class_labels

    if column is None:
        return Symbology(np.zeros(len(g), dtype="int64"), [title], ["#6a8fc7"], "", "single")
    s = g[column]
    ind = CARTOGRAPHIABLES.get(column)
    if (
        is_numeric_dtype(s)
        and not is_bool_dtype(s)
        and ind is not None
        and ind.diverge
        and classes.palette is None
    ):
        return _centred(s.astype("float64").to_numpy(), ind, classes)
    if is_numeric_dtype(s) and not is_bool_dtype(s):
        fmt = ind.nombre if ind is not None else (lambda x: fmt_number(float(x)))
        v = s.astype("float64").to_numpy()
        bounds, codes, labels = class_labels(v, breaks(v, scheme=classes.scheme, k=classes.k), fmt)
        pal = classes.palette or (ind.palette if ind is not None else "YlOrRd")
        head = classes.legend_title or (ind.titre if ind is not None else label(column))
        method = f"Classes : {SCHEMES_FR[classes.scheme]}" + (
            ", classe « 0 » à part" if labels and labels[0] == "0" else ""
        )
        return Symbology(
            codes,
            labels,
            _sequential(pal, max(len(labels), 1)),
            head,
            "classes",
            method,
            ind.manquant if ind is not None else "",
            edges=tuple(float(b) for b in bounds[:-1]),
        )
    text = s.map({True: "oui", False: "non"}) if is_bool_dtype(s) else s.astype("string")
    present = text.dropna()
    counts = present.value_counts()
    keep = sorted(
        counts.index[: MAX_CATEGORIES - 1] if len(counts) > MAX_CATEGORIES else counts.index,
        key=lambda c: cle_tri(str(c)),
    )
    labels = [str(c) for c in keep]
    position = {c: i for i, c in enumerate(keep)}
    codes = text.astype(object).map(position).fillna(-1).to_numpy(dtype="int64")
    notes = []
    if len(counts) > MAX_CATEGORIES:
        rest = len(counts) - len(keep)
        codes = np.where((codes < 0) & text.notna().to_numpy(), len(keep), codes)
        labels.append(f"Autres ({rest} valeurs)")
        notes.append(f"Les {rest} valeurs les moins fréquentes sont regroupées sous « Autres ».")
    head = classes.legend_title or label(column)
    return Symbology(codes, labels, list(_CATEGORIES[: len(labels)]), head, "categories", notes=notes)
