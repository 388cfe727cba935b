"""What each export format can hold, checked before anything is written (a leaf module).

A partner's table may hold what a format cannot store: a column named ``Nom`` beside ``nom``
(a GeoPackage's columns are case-insensitive), control characters in a name, lists in a cell,
a text longer than an XLSX cell, a MultiIndex… Writing would then fail deep inside GDAL or
openpyxl with an error naming neither the column nor the fix — or, worse, succeed and lose data
(XLSX cuts text at 32,767 characters; GDAL drops a column whose name holds a NUL). Each problem
is refused here with :class:`~erbm_geo.errors.DataFormatError` naming the columns, the rows and
the fix. Where a format can store a value once it is spelled differently (a time zone in XLSX,
an integer beyond 2⁵³ in XLSX), the writers do so and :func:`erbm_geo.export.read` restores it.

Also here: the reading of CSV cells back into types (:func:`infer_csv_column`), so that
``"007"``, ``"NA"`` or ``"null"`` come back as the text they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from erbm_geo.errors import DataFormatError

__all__ = ["XLSX_MAX_TEXT", "check_exportable", "check_layer_name", "infer_csv_column"]

#: The longest text an XLSX cell holds (Excel's specification; longer text is cut silently).
XLSX_MAX_TEXT = 32_767

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RESERVED_TABLES = ("gpkg_", "rtree_", "sqlite_")


def _rows(df: pd.DataFrame, mask: np.ndarray) -> list[object]:
    return list(df.index[mask][:10])


def _text_columns(df: pd.DataFrame) -> Iterable[tuple[str, pd.Series]]:
    for c, col in df.items():
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            # as objects: mapping a nullable (arrow) string column with missing values fails
            yield str(c), col.astype(object)


def _check_shape(df: pd.DataFrame) -> None:
    for what, idx in (("index", df.index), ("columns", df.columns)):
        if isinstance(idx, pd.MultiIndex):
            fix = (
                "df = df.reset_index()"
                if what == "index"
                else "df.columns = ['_'.join(map(str, c)) for c in df.columns]"
            )
            raise DataFormatError(
                f"the table has a MultiIndex as its {what} ({idx.nlevels} levels), which a flat file "
                f"cannot hold; flatten it first, e.g. {fix}"
            )
    bad = [c for c in df.columns if not isinstance(c, str)]
    if bad:
        raise DataFormatError(
            f"column names must be text; {bad[:5]} are not. Fix: df.columns = df.columns.astype(str)"
        )
    ctrl = [c for c in df.columns if _CONTROL.search(c)]
    if ctrl:
        raise DataFormatError(
            f"column names {[c.encode('unicode_escape').decode() for c in ctrl[:5]]} hold control "
            "characters (a NUL, a line break…), which GDAL drops or spreadsheets refuse; rename them, "
            "e.g. df.columns = df.columns.str.replace(r'[\\x00-\\x1f\\x7f]', ' ', regex=True)"
        )


def _check_values(df: pd.DataFrame, fmt: str) -> None:
    for c, col in _text_columns(df):
        mask = np.fromiter(
            (isinstance(v, list | tuple | dict | set | np.ndarray) for v in col), bool, len(col)
        )
        if mask.any():
            raise DataFormatError(
                f"column {c!r} holds lists or dictionaries (rows {_rows(df, mask)}), which {fmt} "
                f"would write as their Python spelling; join them into text first, e.g. "
                f"df[{c!r}] = df[{c!r}].map('; '.join), or write .parquet, which keeps them"
            )
        if fmt == "XLSX":
            mask = np.fromiter((isinstance(v, str) and len(v) > XLSX_MAX_TEXT for v in col), bool, len(col))
            if mask.any():
                raise DataFormatError(
                    f"column {c!r} holds text longer than the {XLSX_MAX_TEXT:,} characters an XLSX "
                    f"cell keeps (rows {_rows(df, mask)}); Excel and LibreOffice would cut it. Write "
                    ".csv, .gpkg or .parquet, which keep it whole, or shorten it"
                )


def _check_gpkg_names(df: pd.DataFrame, geometry: str | None) -> None:
    folded: dict[str, list[str]] = {}
    for c in df.columns:
        if c != geometry:
            folded.setdefault(c.casefold(), []).append(c)
    clash = [names for names in folded.values() if len(names) > 1]
    if clash:
        raise DataFormatError(
            f"columns {clash[0]} differ only by case; a GeoPackage (SQLite) does not tell them "
            f"apart. Rename one, e.g. df = df.rename(columns={{{clash[0][1]!r}: "
            f"{clash[0][1] + '_2'!r}}})"
        )


def check_exportable(df: pd.DataFrame, fmt: str, *, geometry: str | None = None) -> None:
    """Raise :class:`DataFormatError` if *df* holds what format *fmt* cannot store.

    Parameters
    ----------
    df : pandas.DataFrame
        The table as it will be written (index already a column).
    fmt : {"csv", "xlsx", "gpkg", "parquet"}
        The format.
    geometry : str, optional
        The geometry column's name.

    Raises
    ------
    DataFormatError
        Naming the columns (and rows) and the fix: a MultiIndex, names that are not text or
        hold control characters, names equal but for case (GeoPackage), lists or dictionaries
        in cells (CSV, XLSX, GeoPackage), text longer than an XLSX cell.
    """
    if fmt == "parquet":  # Parquet keeps MultiIndexes, any names and nested values
        return
    _check_shape(df)
    label = {"csv": "CSV", "xlsx": "XLSX", "gpkg": "a GeoPackage"}[fmt]
    _check_values(df, label)
    if fmt == "gpkg":
        _check_gpkg_names(df, geometry)


def check_layer_name(layer: str) -> None:
    """Raise :class:`DataFormatError` unless *layer* can name a GeoPackage table.

    Raises
    ------
    DataFormatError
        If the name is empty, holds a path separator, a quote or a control character, or starts
        like the GeoPackage's own tables (``gpkg_``, ``rtree_``, ``sqlite_``).
    """
    if (
        not isinstance(layer, str)
        or not layer.strip()
        or _CONTROL.search(layer)
        or any(ch in layer for ch in "/\\\"'`")
        or layer.lower().startswith(_RESERVED_TABLES)
        or len(layer) > 255
    ):
        raise DataFormatError(
            f"{str(layer)[:80]!r} cannot name a GeoPackage layer: give a name of up to 255 "
            "characters without '/', '\\\\', quotes or control characters, not starting with gpkg_, "
            "rtree_ or sqlite_ (e.g. layer='cites_indicateurs')"
        )


_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")


def infer_csv_column(col: pd.Series) -> pd.Series:
    """Return a CSV column read as text with the type its cells were written from.

    A column becomes integers when every cell is an integer as Python writes one (``"007"`` or
    ``"1e5"`` stay text), floats when every cell reads back to the same spelling
    (``repr(float(x)) == x``), booleans when every cell is ``True`` or ``False``; otherwise it
    stays text. Empty cells are missing values (CSV cannot tell them from empty text); ``"NA"``,
    ``"null"`` and ``"nan"`` stay text.

    Parameters
    ----------
    col : pandas.Series
        Cells as text, missing where empty.

    Returns
    -------
    pandas.Series
        The typed column.
    """
    values = col.dropna()
    if len(values) == 0:
        return col
    text = values.astype(str)
    if text.map(lambda v: _INT.fullmatch(v) is not None).all():
        ints = pd.array([None if pd.isna(v) else int(v) for v in col], dtype="Int64")
        out = pd.Series(ints, index=col.index, name=col.name)
        return out.astype("int64") if not out.isna().any() else out
    if text.isin(["True", "False"]).all():
        b = col.map({"True": True, "False": False})
        return b.astype(bool) if not b.isna().any() else b.astype("boolean")
    try:
        floats = text.astype(float)
    except ValueError:
        return col
    if (floats.map(repr) == text).all() and not text.eq("nan").any():
        return pd.to_numeric(col, errors="coerce").astype("float64")
    return col
