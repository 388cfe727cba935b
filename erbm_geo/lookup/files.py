"""Read a file of places (CSV from a spreadsheet, French or not) for :func:`~erbm_geo.lookup.lookup`.

Every row is kept, as text (a code such as 02691 keeps its zero), indexed by its line number in
the file (the header is line 1) so that a row can be reported where the user will look for it.
The separator (``;``, ``,``, tab or ``|``) and the encoding (UTF-8, with or without BOM, or
Windows-1252 as older Excel writes) are detected; rows with too few fields are padded, and
fields beyond the header are kept in one column, never dropped.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from erbm_geo.errors import DataFormatError, EmptyInputError, MissingColumnError

__all__ = ["EXTRA", "guess_coordinates", "read_places"]

#: The column that holds the fields of a row beyond the header's, joined by its separator.
EXTRA = "champs_en_trop"

_SEPARATORS = ";,\t|"
_LAT = re.compile(r"^(lat|latitude|y_?wgs84|lat_?wgs84|coord_?y)$", re.IGNORECASE)
_LON = re.compile(r"^(lon|lng|long|longitude|x_?wgs84|lon_?wgs84|coord_?x)$", re.IGNORECASE)


def _text(path: Path) -> str:
    raw = path.read_bytes()
    if not raw.strip():
        raise EmptyInputError(f"{path} is empty: give a file with a header line and one place per line")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")  # pragma: no cover - cp1252 decodes nearly all bytes


def _separator(header: str) -> str:
    """Return the separator the header line holds most of (``;`` first on a tie)."""
    counts = {s: header.count(s) for s in _SEPARATORS}
    best = max(counts.values())
    return next(s for s in _SEPARATORS if counts[s] == best) if best else ";"


def read_places(path: str | Path, *, sep: str | None = None) -> pd.DataFrame:
    r"""Read a CSV file of places, every row kept as text and indexed by its line number.

    Parameters
    ----------
    path : str or pathlib.Path
        The file (UTF-8 with or without BOM, or Windows-1252).
    sep : str, optional
        The separator; by default the one the header line holds most of ``;``, ``,``, tab, ``|``.

    Returns
    -------
    pandas.DataFrame
        One column per header field, text (empty cells as empty strings), indexed by the line
        number where each row starts (``ligne``; the header is line 1). Rows with more fields
        than the header keep the others in :data:`EXTRA`; ``attrs["padded"]`` and
        ``attrs["extra"]`` list the lines that had too few or too many fields.

    Raises
    ------
    EmptyInputError
        If the file is empty or has a header and no row.
    DataFormatError
        If the header repeats a column name or has an empty one, or the file is not text.
    OSError
        If the file cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "logements.csv"
    >>> _ = p.write_text("id;lat;lon\n02691;50,43;2,83\n7;;\n", encoding="utf-8")
    >>> t = read_places(p)
    >>> t.index.tolist(), t.at[2, "id"], t.at[3, "lat"]
    ([2, 3], '02691', '')
    """
    path = Path(path)
    text = _text(path)
    if "\x00" in text:
        raise DataFormatError(f"{path} is not a text file (it holds NUL bytes): save it as CSV")
    sep = sep or _separator(text.lstrip().splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows, lines, padded, extra = [], [], [], []
    header: list[str] | None = None
    start = 1
    for row in reader:
        if header is None:
            header = [h.strip() for h in row]
            start = reader.line_num + 1
            continue
        if not any(f.strip() for f in row):  # a blank line is not a place
            start = reader.line_num + 1
            continue
        lines.append(start)
        n = len(header)
        if len(row) < n:
            padded.append(start)
            row = row + [""] * (n - len(row))
        rows.append([*row[:n], sep.join(row[n:])])
        if len(row) > n:
            extra.append(start)
        start = reader.line_num + 1
    if header is None or not rows:
        raise EmptyInputError(f"{path} has no row under its header: one place per line is expected")
    _check_header(header, path)
    frame = pd.DataFrame(rows, columns=[*header, EXTRA], index=pd.Index(lines, name="ligne"), dtype=object)
    if not extra:
        frame = frame.drop(columns=EXTRA)
    frame.attrs.update(padded=padded, extra=extra, separator=sep)
    return frame


def _check_header(header: list[str], path: Path) -> None:
    empty = [i + 1 for i, h in enumerate(header) if not h]
    if empty:
        raise DataFormatError(
            f"{path}: the header has an empty column name (field {empty[0]}): name every column"
        )
    seen = {h for h in header if header.count(h) > 1}
    if seen or EXTRA in header:
        raise DataFormatError(
            f"{path}: the header repeats or reserves {sorted(seen or {EXTRA})}: rename them"
        )


def guess_coordinates(
    frame: pd.DataFrame, *, lat: str | None = None, lon: str | None = None
) -> tuple[str, str]:
    """Return the latitude and longitude columns: those given, or the usual names found.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table of places.
    lat, lon : str, optional
        The columns, if the caller knows them.

    Returns
    -------
    tuple of str
        (latitude column, longitude column).

    Raises
    ------
    MissingColumnError
        If a column given is absent, or none or several of the usual names are found, naming
        the table's columns (and its separator, a frequent cause).

    Examples
    --------
    >>> guess_coordinates(pd.DataFrame(columns=["id", "Latitude", "Longitude"]))
    ('Latitude', 'Longitude')
    """
    cols = [str(c) for c in frame.columns]
    found = []
    for given, pattern, what in ((lat, _LAT, "latitude"), (lon, _LON, "longitude")):
        if given is not None:
            if given not in cols:
                raise MissingColumnError(_columns_message(frame, f"no column {given!r}"))
            found.append(given)
            continue
        hits = [c for c in cols if pattern.match(c.strip())]
        if len(hits) != 1:
            why = f"no {what} column found" if not hits else f"several {what} columns {hits}"
            raise MissingColumnError(_columns_message(frame, why))
        found.append(hits[0])
    return found[0], found[1]


def _columns_message(frame: pd.DataFrame, why: str) -> str:
    cols = [str(c) for c in frame.columns]
    sep = frame.attrs.get("separator")
    hint = (
        f"; the file was read with the separator {sep!r}: if that is wrong, give --sep"
        if sep is not None and len(cols) <= 2
        else ""
    )
    return f"{why} among the columns {cols[:20]}{hint}; name them with --lat and --lon"
