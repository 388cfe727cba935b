"""What spreadsheets must not do to the exports: evaluate a cell, cut or change text (a leaf)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from erbm_geo.export.metadata import _META_SCHEMA, _missing, build_date

__all__ = ["FORMULA_TRIGGERS", "neutralise_formulas"]

#: First characters that make a spreadsheet evaluate a cell (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: What spreadsheets skip before such a character: spaces (also no-break and zero-width ones),
#: a byte-order mark, line breaks, vertical tab and form feed.
_BLANKS = "\\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
_FORMULA = re.compile(rf"^'*[{_BLANKS}]*[=+\-@\t\r]")
_PREFIXED = re.compile(rf"^'+[{_BLANKS}]*[=+\-@\t\r]")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix with ``'`` every text cell and header a spreadsheet would read as a formula.

    Parameters
    ----------
    df : pandas.DataFrame
        The table about to be written for a spreadsheet.

    Returns
    -------
    pandas.DataFrame
        A copy; numbers are untouched.

    Examples
    --------
    >>> df = pd.DataFrame({"nom": ["=1+2", "Lens", "-1+1", "@SUM(A1)"], "n": [-1, 2, 3, 4]})
    >>> neutralise_formulas(df)["nom"].tolist()
    ["'=1+2", 'Lens', "'-1+1", "'@SUM(A1)"]
    >>> neutralise_formulas(df)["n"].tolist()
    [-1, 2, 3, 4]
    """
    out = df.copy()
    out.columns = [_neutral(c) if isinstance(c, str) else c for c in out.columns]
    for c in out.columns:
        col = out[c]
        if (
            col.dtype == object
            or pd.api.types.is_string_dtype(col)
            or isinstance(col.dtype, pd.CategoricalDtype)
        ):
            out[c] = col.map(_neutral, na_action="ignore")
    return out


def _neutral(v: object) -> object:
    return "'" + v if isinstance(v, str) and _FORMULA.match(v) else v


def _restore(v: object) -> object:
    return v[1:] if isinstance(v, str) and _PREFIXED.match(v) else v


#: Integers an XLSX number (a double) holds exactly.
_XLSX_EXACT_INT = 2**53


def _xlsx_storable(df: pd.DataFrame) -> pd.DataFrame:
    """Spell what an XLSX cell cannot hold as text: times with a zone (ISO), integers beyond 2⁵³."""
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if isinstance(col.dtype, pd.DatetimeTZDtype):
            out[c] = col.map(lambda v: v.isoformat(), na_action="ignore").astype(object)
        elif pd.api.types.is_integer_dtype(col) and col.abs().max() > _XLSX_EXACT_INT:
            out[c] = col.map(str, na_action="ignore").astype(object)
    return out


def _xlsx(
    path: Path, sheets: list[tuple[str, pd.DataFrame]], *, schema: dict[str, Any] | None = None
) -> None:
    """Write *sheets* to an XLSX workbook.

    Text stays text (never a formula), missing values are empty cells, and the file's dates are pinned
    (the same sheets give the same bytes).
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, df in sheets:
        ws = wb.create_sheet(name)
        ws.append([str(c) for c in df.columns])
        for cell in ws[1]:
            cell.data_type = "s"
        for row in df.itertuples(index=False, name=None):
            ws.append([None if _missing(v) else _cell(v) for v in row])
        for col in ws.iter_cols(min_row=1):
            for cell in col:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # "=1+2" is text here: never evaluated
        for i, c in enumerate(df.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, len(str(c)) + 2))
        ws.freeze_panes = "A2"
        _print_setup(ws)
    when = build_date().replace(tzinfo=None)
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = "erbm_geo"
    if schema is not None:  # the column types, for read(); invisible in the sheets
        from openpyxl.packaging.custom import StringProperty

        wb.custom_doc_props.append(StringProperty(name=_META_SCHEMA, value=json.dumps(schema)))
    buf = io.BytesIO()
    wb.save(buf)
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        for info in src.infolist():  # fixed entry dates: byte-identical files
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" when saving
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", body
                )
            dst.writestr(
                zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)),
                body,
                compress_type=zipfile.ZIP_DEFLATED,
            )


def _cell(v: object) -> object:
    """Return a value as a cell holds it: a yes/no as the words the dictionary promises."""
    if isinstance(v, bool | np.bool_):
        return "oui" if v else "non"  # a spreadsheet's own booleans print VRAI/FAUX in French
    return _xlsx_text(v.item() if hasattr(v, "item") else v)


def _print_setup(ws: Any) -> None:
    """Make a sheet print as a table: landscape, one page wide, the header on every page, filters."""
    if ws.max_row < 1 or ws.max_column < 1:
        return
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.auto_filter.ref = ws.dimensions


_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\r\x0e-\x1f]")


def _xlsx_text(v: object) -> object:
    """Return text as OOXML stores it whole.

    A carriage return (which XML would turn into a line feed) and control characters become ``_xHHHH_``, a
    literal ``_xHHHH_`` is escaped first; Excel, LibreOffice and openpyxl decode both.
    """
    if not isinstance(v, str):
        return v
    v = _OOXML_ESCAPE.sub(r"_x005F_\1", v)
    return _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", v)


def _xlsx_untext(v: object) -> object:
    """Return the inverse of :func:`_xlsx_text` (``_xHHHH_`` back to its character)."""
    if not isinstance(v, str) or "_x" not in v:
        return v
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), v)
