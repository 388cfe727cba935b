"""The indicator vocabulary: one typed row per column, read from ``registry.toml``.

Every output reads its French labels, units, decimals, definitions, vintages and palettes
here: indicator tables (:data:`erbm_geo.indicators.INDICATOR_DOC`), the exports' dictionary
sheet, interactive and printed maps, the atlas, the command line. Vintages are not typed in the
file: ``{qpv}`` in a text is replaced by the catalogue's reference year of dataset ``qpv``
(``{qpv:extrait}``: its extract date, ``{qpv:vigueur}``: its in-force date, ``{qpv:cog}``: its
COG year), so a new vintage in the catalogue reaches every page.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from typing import Any, Literal

from erbm_geo.data.catalogue import get as get_dataset
from erbm_geo.errors import DataFormatError, UnknownOptionError
from erbm_geo.vocabulary.formats import date_fr, nombre

__all__ = ["SUMMARIES", "Column", "column", "columns", "libelle", "registry", "render"]

Summary = Literal["surface", "population", "mediane", "somme", "densite", "part_surface"]

#: How an indicator is summarised over several communes, as the reader is told.
SUMMARIES: dict[str, str] = {
    "surface": "moyenne des communes pondérée par leur surface",
    "population": "moyenne des communes pondérée par leur population",
    "mediane": "médiane des valeurs des communes",
    "somme": "total des communes",
    "densite": "total rapporté à la surface totale",
    "part_surface": "total rapporté à la surface totale",
}

_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)(?::(extrait|vigueur|cog))?\}")


def render(text: str) -> str:
    """Return *text* with its ``{dataset}`` placeholders replaced from the catalogue.

    Only the four forms of the module docstring are recognised; nothing else in the text is
    interpreted (it is not a template language).

    Parameters
    ----------
    text : str
        A text of the registry.

    Returns
    -------
    str
        The text with the vintages of the catalogue.

    Raises
    ------
    UnknownOptionError
        If a placeholder names a dataset that is not in the catalogue.
    DataFormatError
        If the dataset has no such date.

    Examples
    --------
    >>> render("QPV {qpv}") == f"QPV {get_dataset('qpv').reference_year}"
    True
    >>> osm = get_dataset("osm_stations")
    >>> render("extrait du {osm_stations:extrait}") == "extrait du " + date_fr(osm.extract)
    True
    """

    def one(m: re.Match[str]) -> str:
        d = get_dataset(m[1])
        value = {
            None: d.reference_year,
            "cog": d.cog,
            "extrait": date_fr(d.extract) if d.extract else None,
            "vigueur": date_fr(d.in_force) if d.in_force else None,
        }[m[2]]
        if value is None:
            raise DataFormatError(f"registry: dataset {m[1]!r} has no {m[2] or 'reference year'}")
        return str(value)

    return _PLACEHOLDER.sub(one, text)


@dataclass(frozen=True)
class Column:
    """One column of the vocabulary (a row of ``registry.toml``; see its header for the fields).

    Parameters
    ----------
    name : str
        The column.
    label : str
        Its French name.
    short : str
        A shorter French name (legends, tooltips, table headers); the label by default.
    unit : str
        The unit shown to readers, after *scale*.
    scale : float
        Multiplies the stored value before display.
    decimals : int or None
        Decimals shown (None: by the number's size).
    export_decimals : int or None
        Decimals kept in French CSV and XLSX exports.
    stored_unit : str
        The unit of the stored value, in French.
    definition, method, limits, missing, vintage : str
        French texts, vintages rendered from the catalogue.
    sources : tuple of str
        Catalogue names of its sources.
    summary : str or None
        Its summary rule over communes (:data:`SUMMARIES`).
    count : str or None
        The count column of the ``densite`` rule.
    palette : str or None
        Its ColorBrewer palette.
    diverging : bool
        A change that can be negative: maps draw classes symmetric about 0 in a diverging palette.
    atlas : bool
        One of the atlas's indicators.
    unit_en, definition_en : str
        The stored value's unit and definition for the API reference (English).
    code : bool
        A code (INSEE, SIREN, IRIS, QPV, identifiers): text, whose leading zeros a spreadsheet
        would drop if it read it as a number; the dictionary says to import it as text.

    Examples
    --------
    >>> c = column("qpv_share")
    >>> c.short, c.unit, c.valeur(0.1234)
    ('Surface en QPV', '%', '12,3\u202f%')
    """

    name: str
    label: str
    short: str = ""
    unit: str = ""
    scale: float = 1.0
    decimals: int | None = None
    export_decimals: int | None = None
    stored_unit: str = ""
    definition: str = ""
    method: str = ""
    limits: str = ""
    missing: str = ""
    vintage: str = ""
    sources: tuple[str, ...] = ()
    summary: Summary | None = None
    count: str | None = None
    palette: str | None = None
    diverging: bool = False
    atlas: bool = False
    unit_en: str = ""
    definition_en: str = ""
    code: bool = False

    def nombre(self, v: Any) -> str:
        """Return stored value *v* for a reader, without its unit (legends, chart axes)."""
        try:
            x = float(v) * self.scale
        except (TypeError, ValueError):
            return nombre(None)
        return nombre(x, self.decimals)

    def valeur(self, v: Any) -> str:
        """Return stored value *v* for a reader, with its unit (``n.d.`` when missing)."""
        text = self.nombre(v)
        return text if text == nombre(None) or not self.unit else f"{text}\u202f{self.unit}"

    @property
    def titled(self) -> str:
        """Return the short label with the unit, as legends and tooltips show it.

        The unit is not repeated when the label already says it ("Friches par km²").
        """
        return f"{self.short} ({self.unit})" if self.unit and self.unit not in self.short else self.short


_TEXT = ("label", "short", "definition", "method", "limits", "missing", "vintage", "definition_en")


def _row(raw: dict[str, Any]) -> Column:
    known = {f.name for f in fields(Column)}
    extra = sorted(set(raw) - known)
    if extra or "name" not in raw or "label" not in raw:
        raise DataFormatError(
            f"registry.toml: row {raw.get('name')!r} has unknown fields {extra} or no name/label"
        )
    values: dict[str, Any] = {k: (render(v) if k in _TEXT else v) for k, v in raw.items()}
    values["sources"] = tuple(values.get("sources", ()))
    values.setdefault("short", values["label"])
    if values.get("summary") is not None and values["summary"] not in SUMMARIES:
        raise DataFormatError(f"registry.toml: {raw['name']}: unknown summary {values['summary']!r}")
    return Column(**values)


@functools.cache
def registry() -> dict[str, Column]:
    """Return every column of the vocabulary, by name, in the file's order.

    Returns
    -------
    dict of str to Column
        The vocabulary (read once per process).

    Raises
    ------
    DataFormatError
        If the file has a row with unknown fields, a name twice, or an unknown summary rule.

    Examples
    --------
    >>> reg = registry()
    >>> reg["tram_distance_m"].label
    'Distance au tramway'
    """
    raw = tomllib.loads(resources.files("erbm_geo.vocabulary").joinpath("registry.toml").read_text("utf-8"))
    rows = [_row(r) for r in raw.get("column", [])]
    out = {c.name: c for c in rows}
    if len(out) != len(rows):
        raise DataFormatError("registry.toml: a column is described twice")
    return out


def columns(*, atlas: bool | None = None) -> list[Column]:
    """Return the columns of the vocabulary, in order (only the atlas's with ``atlas=True``).

    Parameters
    ----------
    atlas : bool, optional
        Keep only the atlas's indicators (True) or the others (False).

    Returns
    -------
    list of Column
        The columns.

    Raises
    ------
    DataFormatError
        If the vocabulary file is damaged (see :func:`registry`).

    Examples
    --------
    >>> [c.name for c in columns(atlas=True)][:2]
    ['qpv_share', 'centre_distance_m']
    """
    return [c for c in registry().values() if atlas is None or c.atlas == atlas]


def column(name: str) -> Column:
    """Return the vocabulary of column *name*.

    Parameters
    ----------
    name : str
        A column.

    Returns
    -------
    Column
        Its row.

    Raises
    ------
    UnknownOptionError
        If the column is not in the vocabulary.

    Examples
    --------
    >>> column("population").label
    'Population municipale'
    """
    try:
        return registry()[name]
    except KeyError:
        raise UnknownOptionError(
            f"column {name!r} is not in the vocabulary (erbm_geo/vocabulary/registry.toml); add a row for it"
        ) from None


def libelle(name: str) -> str:
    """Return the French label of column *name* with its unit, or the name itself if unknown.

    Parameters
    ----------
    name : str
        A column.

    Returns
    -------
    str
        E.g. ``"Surface en QPV (%)"``; for a column outside the vocabulary, the name with
        spaces for underscores.

    Raises
    ------
    DataFormatError
        If the vocabulary file is damaged (see :func:`registry`).

    Examples
    --------
    >>> libelle("qpv_share"), libelle("area_km2"), libelle("ma_colonne")
    ('Surface en QPV (%)', 'Superficie (km²)', 'ma colonne')
    """
    c = registry().get(name)
    return c.titled if c is not None else name.replace("_", " ")
