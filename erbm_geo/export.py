"""Write tables and layers to CSV, GeoPackage and GeoParquet — atomically, with their sources.

Every writer writes to a temporary file in the target folder, then renames it: an interrupted
export never leaves a half-written file that looks complete. INSEE codes and other identifiers
stay text (leading zeros kept).

* CSV: geometry dropped (or as WKT with ``geometry="wkt"``); the data-sources sheet is written
  next to it as ``<name>.sources.csv``, with the build date in a last column (``built``;
  ``construit_le`` for ``dialect="fr"``). Text cells (and headers) that a spreadsheet would take
  for a formula — starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — are
  prefixed with ``'`` (OWASP's CSV-injection guidance), also when blanks come first (spaces,
  no-break or zero-width spaces, a byte-order mark, a line feed, a vertical tab, a form feed);
  numbers stay numbers. :func:`read`
  removes the prefix again (the rule is reversible: text already starting with quotes before
  such a character gets one more).
* GeoPackage: one layer, so that QGIS and ``geopandas.read_file`` open it without asking which;
  its pandas dtypes, index, sources sheet and build date travel in the GeoPackage metadata
  extension (``gpkg_metadata``, read back by :func:`read` and :func:`read_sources`). The file's
  timestamps are the build date (:func:`build_date`), so that the same table gives the same
  bytes.
* GeoParquet (1.1 metadata): the sources as JSON and the build date in the file's key-value
  metadata (``erbm_geo:sources``, ``erbm_geo:built``).
* CSV for French spreadsheets (``dialect="fr"``): UTF-8 with a byte-order mark, ``;`` between
  fields, a decimal comma, ``oui``/``non`` for booleans, numbers rounded per column
  (*decimals*) — what LibreOffice Calc and Excel in French open without an import dialog.
* XLSX: a ``donnees`` sheet (text cells are stored as text, never as formulas), a
  ``dictionnaire`` sheet (column, label, definition, unit, source: *dictionary*) and a
  ``sources`` sheet ending with a ``construit_le`` column; the file's dates are pinned to the
  build date, so the same table gives the same bytes.

Text holding a NUL character is refused for CSV and GeoPackage, which would cut it.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, cast

import geopandas as gpd
import pandas as pd

from erbm_geo._atomic import _alive, _host, clean_stale, glob_escape, write_atomic, write_text_atomic
from erbm_geo._epoch import build_datetime
from erbm_geo._exportable import check_exportable, check_layer_name, infer_csv_column
from erbm_geo._outdir import claim_folder, inputs_read, mark_folder
from erbm_geo._warnings import warn
from erbm_geo.errors import CRSError, DataFormatError, DataQualityWarning, UnknownOptionError
from erbm_geo.geom.partitioned import is_partitioned, require_dask
from erbm_geo.geom.validate import check_geometries, check_region, check_unique_columns, to_working_crs

__all__ = [
    "FORMATS",
    "FORMULA_TRIGGERS",
    "build_date",
    "neutralise_formulas",
    "read",
    "read_parquet_sources",
    "read_sources",
    "write",
    "write_atomic",
    "write_partitioned",
    "write_text_atomic",
]

FORMATS = ("csv", "gpkg", "parquet", "xlsx")

_META_SCHEMA = "ERBM_GEO_SCHEMA"  # GDAL metadata keys: no colon
_META_SOURCES = "ERBM_GEO_SOURCES"
_META_BUILT = "ERBM_GEO_BUILT"

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


def _refuse_nul(df: pd.DataFrame, fmt: str) -> None:
    """Raise :class:`DataFormatError` if a text cell (or index label) holds a NUL character."""
    named = [(df.index.name or "index", pd.Series(df.index, index=df.index)), *df.items()]
    for c, col in named:
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            bad = (
                col.map(lambda v: isinstance(v, str) and "\x00" in v, na_action="ignore")
                .fillna(False)
                .astype(bool)
                .to_numpy()
            )
            if bad.any():
                raise DataFormatError(
                    f"column {c!r} holds text with a NUL character (rows {list(df.index[bad][:10])}); "
                    f"{fmt} would cut it there. Remove it first, e.g. "
                    f"df[{c!r}] = df[{c!r}].str.replace('\\x00', '')."
                )


@contextlib.contextmanager
def _pinned_gpkg_date() -> Iterator[None]:
    """Pin GDAL's GeoPackage timestamps for one write, then restore the previous setting."""
    import pyogrio

    when = build_date()
    before = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": when.strftime("%Y-%m-%dT%H:%M:%S.000Z")})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": before})


def _dated(sources: pd.DataFrame, column: str) -> pd.DataFrame:
    """Return the sources sheet with the build date (ISO) in a last *column*.

    A CSV or a spreadsheet says when it was built as well as where its data came from.
    """
    return sources.assign(**{column: build_date().date().isoformat()})


def _rounded(df: pd.DataFrame, decimals: Mapping[str, int]) -> pd.DataFrame:
    out = df.copy()
    for c, d in decimals.items():
        if c in out.columns and pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].round(d)
    return out


def _french(df: pd.DataFrame, decimals: Mapping[str, int]) -> pd.DataFrame:
    """Booleans as oui/non, numbers rounded per column (the decimal comma is to_csv's)."""
    out = _rounded(df, decimals)
    for c in out.columns:
        col = out[c]
        if pd.api.types.is_bool_dtype(col):
            out[c] = col.map({True: "oui", False: "non"}).astype(object)
    return out


def build_date() -> datetime.datetime:
    """When an export is built, as its files record it.

    ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else today at 00:00 UTC — so the same table
    written twice the same day gives the same bytes.

    Returns
    -------
    datetime.datetime
        Timezone-aware (UTC).

    Raises
    ------
    InvalidOptionError
        If ``SOURCE_DATE_EPOCH`` is not a whole number of seconds up to year 9999.

    Examples
    --------
    >>> build_date().tzinfo is not None
    True
    """
    return build_datetime()


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
    import io
    import zipfile

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
            ws.append(
                [None if _missing(v) else _xlsx_text(v.item() if hasattr(v, "item") else v) for v in row]
            )
        for col in ws.iter_cols(min_row=1):
            for cell in col:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # "=1+2" is text here: never evaluated
        for i, c in enumerate(df.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, len(str(c)) + 2))
        ws.freeze_panes = "A2"
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


def _missing(v: object) -> bool:
    try:
        return bool(pd.isna(v))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _sources_records(sources: pd.DataFrame) -> list[dict[str, object]]:
    """Return the sources sheet as records; a named index (``dataset``) becomes a column."""
    return sources.reset_index(drop=sources.index.name is None).to_dict(orient="records")  # type: ignore[return-value]


def _csv_frame(gdf: pd.DataFrame, geometry: Literal["drop", "wkt"]) -> pd.DataFrame:
    df = pd.DataFrame(gdf).copy()
    if isinstance(gdf, gpd.GeoDataFrame):
        name = gdf.geometry.name
        if geometry == "wkt":
            df[name] = gdf.geometry.to_wkt()
        else:
            df = df.drop(columns=[name])
    return df


def write(
    gdf: pd.DataFrame,
    path: str | Path,
    *,
    sources: pd.DataFrame | None = None,
    layer: str | None = None,
    geometry: Literal["drop", "wkt"] = "drop",
    dialect: Literal["standard", "fr"] = "standard",
    decimals: Mapping[str, int] | None = None,
    dictionary: pd.DataFrame | None = None,
) -> Path:
    """Write *gdf* to *path*; the format comes from the suffix (.csv, .gpkg, .parquet, .xlsx).

    Parameters
    ----------
    gdf : pandas.DataFrame or geopandas.GeoDataFrame
        The table; a GeoDataFrame for .gpkg and .parquet.
    path : str or pathlib.Path
        Where to write; the file is written whole or not at all.
    sources : pandas.DataFrame, optional
        The data-sources sheet (e.g. :func:`erbm_geo.indicators.sources_table`).
    layer : str, optional
        GeoPackage layer name (default: the file stem).
    geometry : {"drop", "wkt"}, default "drop"
        CSV only: drop the geometry or write it as WKT.
    dialect : {"standard", "fr"}, default "standard"
        CSV only: ``"fr"`` for French spreadsheets (BOM, ``;``, decimal comma, oui/non).
    decimals : mapping, optional
        French CSV and XLSX: decimals kept per column (others keep full precision).
    dictionary : pandas.DataFrame, optional
        XLSX: the ``dictionnaire`` sheet (one row per column: colonne, libellé, définition,
        unité, source). Without it, the sheet lists the columns and their types.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    UnknownOptionError
        If the suffix or the dialect is unknown, or a table without geometry goes to .gpkg or
        .parquet.
    DataFormatError
        If the table holds what the format cannot store (see below), or the GeoPackage layer
        name is not a valid one.
    CRSError
        If a GeoDataFrame has no CRS.
    OutOfAreaError
        If its coordinates cannot be in its CRS, or contradict it (they would fall on the Nord
        and the Pas-de-Calais in another common CRS: :func:`~erbm_geo.geom.validate.check_region`).
    InvalidGeometryError
        If a geometry is missing, empty or non-finite.

    Notes
    -----
    Refused with :class:`~erbm_geo.errors.DataFormatError` naming the columns, rows and fix,
    rather than written wrong: two columns of the same name, or (GeoPackage) names that differ
    only by case; column names that are not text or hold control characters; a MultiIndex
    (except .parquet); lists or dictionaries in cells (except .parquet); text holding a NUL
    (CSV, GeoPackage); text longer than 32,767 characters (XLSX). Stored so that :func:`read`
    restores them: a column named ``fid`` or ``geom`` in a GeoPackage (the file's own id and
    geometry columns then take other names); dates with a time zone and integers beyond 2⁵³
    in XLSX (as ISO text and as text, with the column types in the workbook's properties).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo.examples import example_communes  # invented: runs without the mirror
    >>> out = write(example_communes(), pathlib.Path(tempfile.mkdtemp()) / "communes.gpkg")
    >>> gpd.read_file(out).shape[0]
    12
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UnknownOptionError(
            f"unsupported export format {path.suffix!r}; use .csv, .gpkg, .parquet or .xlsx"
        )
    if dialect not in ("standard", "fr"):
        raise UnknownOptionError(f"unknown CSV dialect {dialect!r}; choose 'standard' or 'fr'")
    # duplicate columns, no CRS or coordinates that do not fit it would give a file that looks
    # right and is not
    check_unique_columns(gdf, name="the table to export")
    if isinstance(gdf, gpd.GeoDataFrame):
        check_geometries(
            to_working_crs(gdf, name="the layer to export"), name="the layer to export", allow_invalid=True
        )
        check_region(gdf, name="the layer to export")
    if isinstance(gdf.index, pd.MultiIndex) and fmt != "parquet":
        check_exportable(gdf, fmt)  # refuses the MultiIndex by name
    frame = gdf.reset_index() if gdf.index.name is not None else gdf
    check_exportable(
        frame, fmt, geometry=frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    )
    if fmt == "gpkg":
        check_layer_name(layer or path.stem)
    if fmt == "csv":
        _write_csv(frame, gdf, path, sources, geometry=geometry, dialect=dialect, decimals=decimals or {})
    elif fmt == "xlsx":
        _write_xlsx(frame, gdf, path, sources, decimals=decimals or {}, dictionary=dictionary)
    elif fmt == "gpkg":
        _write_gpkg(frame, gdf, path, sources, layer=layer or path.stem)
    else:
        _write_parquet(gdf, path, sources)
    return path


def _write_csv(
    frame: pd.DataFrame,
    gdf: pd.DataFrame,
    path: Path,
    sources: pd.DataFrame | None,
    *,
    geometry: Literal["drop", "wkt"],
    dialect: Literal["standard", "fr"],
    decimals: Mapping[str, int],
) -> None:
    """Write a CSV (standard or French) and its ``.sources.csv``, dated."""
    _refuse_nul(gdf, "CSV")
    if dialect == "fr":
        df = neutralise_formulas(_french(_csv_frame(frame, geometry), decimals))
        write_atomic(
            path,
            lambda p: df.to_csv(
                p, index=False, sep=";", decimal=",", encoding="utf-8-sig", lineterminator="\r\n"
            ),
        )
        if sources is not None:
            src = neutralise_formulas(_dated(sources.reset_index(), "construit_le"))
            write_atomic(
                path.with_suffix(".sources.csv"),
                lambda p: src.to_csv(p, index=False, sep=";", encoding="utf-8-sig", lineterminator="\r\n"),
            )
        return
    df = neutralise_formulas(_csv_frame(frame, geometry))
    # CRLF (RFC 4180): a field holding a carriage return is then quoted, not split
    write_atomic(path, lambda p: df.to_csv(p, index=False, encoding="utf-8", lineterminator="\r\n"))
    if sources is not None:
        src = neutralise_formulas(_dated(sources.reset_index(), "built"))
        write_atomic(
            path.with_suffix(".sources.csv"),
            lambda p: src.to_csv(p, index=False, encoding="utf-8", lineterminator="\r\n"),
        )


def _write_xlsx(
    frame: pd.DataFrame,
    gdf: pd.DataFrame,
    path: Path,
    sources: pd.DataFrame | None,
    *,
    decimals: Mapping[str, int],
    dictionary: pd.DataFrame | None,
) -> None:
    """Write a workbook with the ``donnees``, ``dictionnaire`` and ``sources`` sheets."""
    _refuse_nul(gdf, "XLSX")
    data = _rounded(_csv_frame(frame, "drop"), decimals)
    schema = {"columns": [str(c) for c in data.columns], "dtypes": [str(t) for t in data.dtypes]}
    data = _xlsx_storable(data)
    if dictionary is None:
        dictionary = pd.DataFrame({"colonne": list(data.columns), "type": [str(t) for t in data.dtypes]})
    sheets = [("donnees", data), ("dictionnaire", dictionary)]
    if sources is not None:
        sheets.append(
            ("sources", _dated(sources.reset_index(drop=sources.index.name is None), "construit_le"))
        )
    write_atomic(path, lambda p: _xlsx(p, sheets, schema=schema))


def _write_gpkg(
    frame: pd.DataFrame, gdf: pd.DataFrame, path: Path, sources: pd.DataFrame | None, *, layer: str
) -> None:
    """Write a one-layer GeoPackage with its schema, sources and date in ``gpkg_metadata``."""
    if not isinstance(frame, gpd.GeoDataFrame):
        raise UnknownOptionError("GeoPackage export needs a GeoDataFrame; use .csv for tables")
    _refuse_nul(gdf, "a GeoPackage")
    if sources is not None:
        _refuse_nul(sources.reset_index(), "a GeoPackage")
    cols = [c for c in frame.columns if c != frame.geometry.name]
    meta = {
        # the pandas dtypes (nullable strings and integers…) and the index, so that read()
        # restores them; the sources sheet — in the GeoPackage metadata extension
        # (gpkg_metadata), not as extra tables: the file holds one layer, which QGIS and
        # geopandas.read_file open without asking which one
        _META_SCHEMA: json.dumps(
            {"columns": cols, "dtypes": [str(frame[c].dtype) for c in cols], "index": gdf.index.name},
            ensure_ascii=False,
        ),
    }
    meta[_META_BUILT] = build_date().date().isoformat()
    if sources is not None:
        meta[_META_SOURCES] = json.dumps(_sources_records(sources), ensure_ascii=False, default=str)

    out: gpd.GeoDataFrame = frame
    zoned = [c for c in cols if isinstance(frame[c].dtype, pd.DatetimeTZDtype)]
    if zoned:  # the GeoPackage stores times in UTC (read() restores the zone from the schema)
        out = cast("gpd.GeoDataFrame", frame.assign(**{c: frame[c].dt.tz_convert("UTC") for c in zoned}))
    taken = {c.casefold() for c in cols}
    options = {  # a data column named fid or geom keeps its name: the file's own columns move
        "FID": next(n for n in ("fid", "ogc_fid", "erbm_fid") if n not in taken),
        "GEOMETRY_NAME": next(n for n in ("geom", "geometry", "erbm_geom") if n not in taken),
    }

    def gpkg(p: Path) -> None:
        # mixed Polygon/MultiPolygon are kept as they are (no promotion to multi)
        out.to_file(
            p,
            layer=layer,
            driver="GPKG",
            engine="pyogrio",
            promote_to_multi=False,
            geometry_type="Unknown",
            layer_metadata=meta,
            layer_options=options,
        )

    with _pinned_gpkg_date():
        write_atomic(path, gpkg)


def _write_parquet(gdf: pd.DataFrame, path: Path, sources: pd.DataFrame | None) -> None:
    """Write GeoParquet 1.1 with the sources and the build date in its key-value metadata."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise UnknownOptionError("GeoParquet export needs a GeoDataFrame; use .csv for tables")

    def parquet(p: Path) -> None:
        import pyarrow.parquet as pq

        # GeoParquet 1.1 metadata; the index and the pandas dtypes are kept in the file
        gdf.to_parquet(p, schema_version="1.1.0")
        table = pq.read_table(p)
        meta = dict(table.schema.metadata or {})
        meta[b"erbm_geo:built"] = build_date().date().isoformat().encode()
        if sources is not None:
            meta[b"erbm_geo:sources"] = json.dumps(
                _sources_records(sources), ensure_ascii=False, default=str
            ).encode()
        pq.write_table(table.replace_schema_metadata(meta), p)

    write_atomic(path, parquet)


def read_parquet_sources(path: str | Path) -> pd.DataFrame:
    """Read back the sources sheet stored in a GeoParquet file written by :func:`write`.

    Parameters
    ----------
    path : str or pathlib.Path
        A GeoParquet file.

    Returns
    -------
    pandas.DataFrame
        The sources sheet (empty when none was written).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo.examples import example_communes
    >>> src = pd.DataFrame({"source": ["exemple"], "producteur": ["erbm_geo"]})
    >>> p = write(example_communes(), pathlib.Path(tempfile.mkdtemp()) / "c.parquet", sources=src)
    >>> read_parquet_sources(p)["source"].tolist()
    ['exemple']
    """
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    raw = meta.get(b"erbm_geo:sources")
    return pd.DataFrame(json.loads(raw)) if raw else pd.DataFrame()


def read(path: str | Path, *, layer: str | None = None) -> pd.DataFrame:
    """Read a file written by :func:`write` back with its dtypes and index.

    GeoParquet keeps the pandas dtypes itself; for GeoPackage the schema kept in the file's
    metadata restores nullable strings / integers and the index; CSV keeps INSEE and SIREN codes
    (and every ``code*`` / ``siren*`` column) as text.

    Parameters
    ----------
    path : str or pathlib.Path
        A .csv, .gpkg or .parquet file.
    layer : str, optional
        GeoPackage layer name (default: the file stem).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        The table, with its index and dtypes (a GeoDataFrame when it has geometries).

    Raises
    ------
    UnknownOptionError
        If the suffix is not .csv, .gpkg or .parquet.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo.examples import example_communes
    >>> p = write(example_communes(), pathlib.Path(tempfile.mkdtemp()) / "c.gpkg")
    >>> read(p).index.name
    'code_insee'
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "parquet":
        from erbm_geo.layers._io import check_geoparquet

        check_geoparquet(path, name=path.name)  # a crafted geometry must not crash the process
        df: pd.DataFrame = gpd.read_parquet(path)
        return df
    if fmt == "csv":
        return _read_csv(path)
    if fmt == "xlsx":
        return _read_xlsx(path, layer or "donnees")
    if fmt != "gpkg":
        raise UnknownOptionError(f"unsupported format {path.suffix!r}; use .csv, .gpkg, .parquet or .xlsx")
    return _read_gpkg(path, layer or path.stem)


def _read_csv(path: Path) -> pd.DataFrame:
    """Read a standard CSV of :func:`write`: codes as text, formula prefixes removed.

    Every cell is read as text, then each column gets the type its cells were written from
    (:func:`erbm_geo._exportable.infer_csv_column`): ``"007"``, ``"NA"`` or ``"null"`` stay
    text, integers stay exact. Empty cells are missing values.
    """
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    df.columns = [_restore(c) for c in df.columns]
    for c in df.columns:
        df[c] = df[c].map(_restore, na_action="ignore")
        if not (str(c).startswith(("code", "siren")) or c == "departement"):
            df[c] = infer_csv_column(df[c])
    return df


def _read_xlsx(path: Path, sheet: str) -> pd.DataFrame:
    """Read a sheet of a workbook of :func:`write`, ``_xHHHH_`` escapes decoded."""
    from openpyxl import load_workbook

    try:
        df = pd.read_excel(
            path,
            sheet_name=sheet,
            engine="openpyxl",
            dtype=object,
            keep_default_na=False,
            na_values=[""],
        )
        props = load_workbook(path, read_only=True).custom_doc_props
        raw = props[_META_SCHEMA].value if _META_SCHEMA in props.names else None
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
        raise DataFormatError(f"{path.name}: cannot read sheet {sheet!r} as XLSX ({exc})") from exc
    df.columns = [_xlsx_untext(str(c)) for c in df.columns]
    for c in df.columns:
        df[c] = df[c].map(_xlsx_untext, na_action="ignore")
    schema = _schema_of(raw, path)
    if schema is None or sheet != "donnees":
        return df.infer_objects()
    return _typed(df, schema, path)


def _schema_of(raw: object, path: Path) -> dict[str, list[str]] | None:
    """Return the column types recorded by :func:`write`, or None when absent or damaged."""
    if raw is None:
        return None
    try:
        schema = json.loads(str(raw))
        cols, dtypes = schema["columns"], schema["dtypes"]
        if not (isinstance(cols, list) and isinstance(dtypes, list) and len(cols) == len(dtypes)):
            raise TypeError("columns and dtypes differ in length")
    except (ValueError, KeyError, TypeError) as exc:
        warn(
            f"{path.name}: its erbm_geo column types are damaged ({exc}); types inferred", DataQualityWarning
        )
        return None
    return {"columns": [str(c) for c in cols], "dtypes": [str(d) for d in dtypes]}


def _typed(df: pd.DataFrame, schema: dict[str, list[str]], path: Path) -> pd.DataFrame:
    """Give each column the dtype recorded at writing; a column edited since keeps its own."""
    failed = []
    for col, dtype in zip(schema["columns"], schema["dtypes"], strict=True):
        if col not in df.columns or str(df[col].dtype) == dtype:
            continue
        try:
            df[col] = _as_dtype(df[col], dtype)
        except (ValueError, TypeError, OverflowError):
            failed.append(col)
            df[col] = df[col].infer_objects()
    rest = [c for c in df.columns if c not in schema["columns"]]
    for c in rest:
        df[c] = df[c].infer_objects()
    if failed:
        warn(
            f"{path.name}: {len(failed)} column(s) no longer hold their written type "
            f"({failed[:5]}: edited since?); kept as read",
            DataQualityWarning,
        )
    return df


def _as_dtype(col: pd.Series, dtype: str) -> pd.Series:
    target = pd.api.types.pandas_dtype(dtype)
    if isinstance(target, pd.DatetimeTZDtype):  # with a time zone: stored as ISO text
        stamps = pd.to_datetime(col, utc=True, format="ISO8601").dt.tz_convert(target.tz)
        return stamps.astype(target)
    if dtype in ("int64", "Int64", "int32", "Int32"):  # from numbers, or from text beyond 2**53
        ints = pd.array([None if pd.isna(v) else int(v) for v in col], dtype="Int64")
        return pd.Series(ints, index=col.index, name=col.name).astype(target)
    return col.astype(target)


def _read_gpkg(path: Path, layer: str) -> pd.DataFrame:
    """Read a GeoPackage layer of :func:`write`, its dtypes and index restored from its metadata.

    A GeoPackage edited since (in QGIS…) or written by another tool is read as it is: damaged
    metadata or a column whose type changed gives a :class:`DataQualityWarning`, not a crash.
    """
    import pyogrio
    import pyogrio.errors

    try:
        layers = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
        if layer not in layers:
            raise DataFormatError(
                f"{path.name} has no layer {layer!r}; its layers: {layers[:10]}. Fix: read(path, layer=…)"
            )
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
        meta = pyogrio.read_info(path, layer=layer).get("layer_metadata") or {}
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataFormatError(f"{path.name}: cannot read it as a GeoPackage ({exc})") from exc
    schema = _schema_of(meta.get(_META_SCHEMA), path)
    if schema is None:
        return cast("pd.DataFrame", gdf)
    gdf = _typed(gdf, schema, path)
    try:
        index = json.loads(meta[_META_SCHEMA]).get("index")
    except (ValueError, AttributeError):
        index = None
    if isinstance(index, str) and index in gdf.columns:
        gdf = gdf.set_index(index)
    return gdf


def read_sources(path: str | Path, *, layer: str | None = None) -> pd.DataFrame:
    """Return the sources sheet of a file written by :func:`write` (empty when none was given).

    GeoPackage: from its metadata (``gpkg_metadata``); GeoParquet: from the file's key-value
    metadata; CSV: from the ``<name>.sources.csv`` written beside it.

    Parameters
    ----------
    path : str or pathlib.Path
        A .csv, .gpkg or .parquet file.
    layer : str, optional
        GeoPackage layer name (default: the file stem).

    Returns
    -------
    pandas.DataFrame
        The sources sheet (empty when none was written).

    Raises
    ------
    UnknownOptionError
        If the suffix is not .csv, .gpkg or .parquet.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo.examples import example_communes
    >>> src = pd.DataFrame({"source": ["exemple"], "producteur": ["erbm_geo"]})
    >>> p = write(example_communes(), pathlib.Path(tempfile.mkdtemp()) / "c.gpkg", sources=src)
    >>> read_sources(p)["producteur"].tolist()
    ['erbm_geo']
    """
    import pyogrio

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "parquet":
        return read_parquet_sources(path)
    if fmt == "csv":
        side = path.with_suffix(".sources.csv")
        return read(side) if side.exists() else pd.DataFrame()
    if fmt != "gpkg":
        raise UnknownOptionError(f"unsupported format {path.suffix!r}; use .csv, .gpkg or .parquet")
    meta = pyogrio.read_info(path, layer=layer or path.stem).get("layer_metadata") or {}
    raw = meta.get(_META_SOURCES)
    return pd.DataFrame(json.loads(raw)) if raw else pd.DataFrame()


_PARTITIONED = "partitioned-parquet"
#: What erbm_geo writes in a partitioned folder (besides the marker): parts, dask's metadata,
#: the sources sheet the CLI adds.
PARTITIONED_ENTRIES = re.compile(r"part\.\d+\.parquet|_metadata|_common_metadata|_sources\.csv")


def _claim_partitioned(target: Path) -> None:
    """Refuse a target folder whose replacement would delete what erbm_geo did not write."""
    from erbm_geo import settings

    claim_folder(
        target,
        kind=_PARTITIONED,
        allowed=PARTITIONED_ENTRIES,
        protect=[
            ("the data mirror", settings.data_dir),
            ("the cache", Path(settings.cache_dir)),
            *inputs_read(),
        ],
    )


def _clean_legacy(target: Path) -> None:
    """Remove ``.<name>.tmp-<pid>`` / ``.<name>.old-<pid>`` folders of erbm_geo 0.2 whose writer is dead."""
    for p in target.parent.glob(f".{glob_escape(target.name)}.*-*"):
        m = re.fullmatch(re.escape(f".{target.name}.") + r"(?:tmp|old)-(\d+)", p.name)
        if m and p.is_dir() and not p.is_symlink() and not _alive(int(m[1])):
            shutil.rmtree(p, ignore_errors=True)


def _index_back(part: gpd.GeoDataFrame, column: str, name: str | None) -> gpd.GeoDataFrame:
    """Return a shuffled partition indexed again by its rows' own index (column *column*)."""
    out = part.set_index(column)
    out.index.name = name
    return out


def write_partitioned(
    layer: Any,
    path: str | Path,
    *,
    spatial_order: Literal["hilbert"] | None = "hilbert",
    npartitions: int | None = None,
    run: Callable[[Any], object] | None = None,
) -> Path:
    """Write a (partitioned) layer or table as a folder of (Geo)Parquet files, partition by partition.

    Each partition is written by its own task, so a layer larger than memory streams from its
    source to disk without being gathered. With ``spatial_order="hilbert"`` the rows are first
    shuffled along a Hilbert curve of their bounding boxes' centres, so each file covers a compact
    area (the layout spatial queries and later partition-by-partition work want); the shuffle
    moves every row once, in memory with the local schedulers: use ``None`` for a layer already
    spatially ordered (like :func:`erbm_geo.synthetic.synthetic_buildings_partitioned`). The
    folder is replaced whole or not at all, and only if erbm_geo wrote it: a marker file
    ``_erbm_geo.json`` (listing the parts) is written in it, and a non-empty folder without it
    is refused, never emptied.

    Parameters
    ----------
    layer : dask_geopandas.GeoDataFrame, geopandas.GeoDataFrame or a (dask) DataFrame
        The layer, or a table without geometry (plain Parquet); an in-memory one is cut into
        *npartitions* first.
    path : str or pathlib.Path
        The folder to write (``part.0.parquet``, ``part.1.parquet``…).
    spatial_order : {"hilbert"} or None, default "hilbert"
        Shuffle the rows along a Hilbert curve first, or keep the partitions as they are.
    npartitions : int, optional
        The number of files (default: the layer's partitions; 1 for an in-memory layer).
    run : callable, optional
        Runs the lazy write (a dask collection) to completion: e.g. with a progress bar, or on a
        ``distributed`` client. Default: ``.compute()`` on the current scheduler.

    Returns
    -------
    pathlib.Path
        The folder written.

    Raises
    ------
    UnknownOptionError
        If *spatial_order* is unknown (or ``"hilbert"`` for a table without geometry), or *layer*
        is not a DataFrame.
    CRSError
        If a layer with geometries has no CRS.
    OutputPathError
        If *path* is a symbolic link, a file, a non-empty folder erbm_geo did not write (or that
        now holds files it did not write), or lies in, equals or contains the data mirror, the
        cache or a layer this process reads: nothing is deleted.
    OptionError
        If dask is not installed (``pip install 'erbm_geo[dask]'``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo.examples import example_communes
    >>> from erbm_geo.synthetic import synthetic_buildings
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "batiments"
    >>> out = write_partitioned(synthetic_buildings(example_communes(), 1_000), folder, npartitions=4)
    >>> sorted(p.name for p in out.iterdir())
    ['_erbm_geo.json', 'part.0.parquet', 'part.1.parquet', 'part.2.parquet', 'part.3.parquet']
    >>> write_partitioned(example_communes(), folder.parent)  # a folder erbm_geo did not write
    Traceback (most recent call last):
    ...
    erbm_geo.errors.OutputPathError: the output folder ... is not empty ...
    """
    require_dask()
    import dask_geopandas

    if spatial_order not in ("hilbert", None):
        raise UnknownOptionError(f"unknown spatial_order {spatial_order!r}; choose 'hilbert' or None")
    if isinstance(layer, pd.DataFrame):
        import dask.dataframe as dd

        layer = (
            dask_geopandas.from_geopandas(layer, npartitions=npartitions or 1)
            if isinstance(layer, gpd.GeoDataFrame)
            else dd.from_pandas(layer, npartitions=npartitions or 1)
        )
    elif not is_partitioned(layer) or layer.ndim != 2:
        raise UnknownOptionError(
            f"write_partitioned needs a (Geo)DataFrame or a dask (Geo)DataFrame, got {type(layer).__name__}"
        )
    geo = isinstance(layer._meta, gpd.GeoDataFrame)
    if geo and layer._meta.crs is None:
        raise CRSError("the layer to write has no CRS; set it, e.g. layer = layer.set_crs('EPSG:2154')")
    if spatial_order == "hilbert" and not geo:
        raise UnknownOptionError(
            "spatial_order='hilbert' needs geometries; use None for a table without them"
        )
    if spatial_order == "hilbert":  # the rows' own index is kept (the shuffle indexes by distance)
        meta = layer._meta
        name = meta.index.name or "index"
        flat = (
            layer.reset_index().rename(columns={"index": name})
            if meta.index.name is None
            else layer.reset_index()
        )
        shuffled = flat.spatial_shuffle(by="hilbert", npartitions=npartitions or layer.npartitions)
        layer = shuffled.map_partitions(_index_back, name, meta.index.name, meta=meta)
    elif npartitions is not None and npartitions != layer.npartitions:
        layer = layer.repartition(npartitions=npartitions)
    target = Path(path)
    _claim_partitioned(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(target)  # folders left by a writer killed mid-way (kill -9), never a live one's
    _clean_legacy(target)
    stem = f".{target.name}.{_host()}-{os.getpid()}."
    tmp = Path(tempfile.mkdtemp(prefix=stem, dir=target.parent))
    old = target.with_name(f"{stem}old")
    try:
        work = layer.to_parquet(str(tmp), write_index=True, compute=False)
        if run is None:
            work.compute()
        else:
            run(work)
        parts = sorted(p.name for p in tmp.glob("part.*.parquet"))
        mark_folder(tmp, kind=_PARTITIONED, extra={"parts": parts})
        _claim_partitioned(target)  # again: the folder may have changed while the work ran
        if target.exists():
            target.rename(old)
        tmp.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return target
