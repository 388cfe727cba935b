"""Write tables and layers to CSV, GeoPackage, GeoParquet and XLSX, and read them back."""

from __future__ import annotations

import contextlib
import json
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo._atomic import write_atomic
from erbm_geo._exportable import check_exportable, check_layer_name, infer_csv_column
from erbm_geo._warnings import warn
from erbm_geo.errors import DataFormatError, DataQualityWarning, UnknownOptionError
from erbm_geo.export.metadata import _META_BUILT, _META_SCHEMA, _META_SOURCES, build_date
from erbm_geo.export.qgis.gpkg import embed_metadata, embed_styles
from erbm_geo.export.qgis.style import LayerStyle, default_styles
from erbm_geo.export.spreadsheet import (
    _restore,
    _xlsx,
    _xlsx_storable,
    _xlsx_untext,
    neutralise_formulas,
)
from erbm_geo.geom.validate import check_geometries, check_region, check_unique_columns, to_working_crs

__all__ = ["FORMATS", "read", "read_parquet_sources", "read_sources", "write"]

FORMATS = ("csv", "gpkg", "parquet", "xlsx")


def _refuse_nul(df: pd.DataFrame, fmt: str) -> None:
    """Raise :class:`DataFormatError` if a text cell (or index label) holds a NUL character."""
    named = [(df.index.name or "index", pd.Series(df.index, index=df.index)), *df.items()]
    for c, col in named:
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            bad = np.fromiter(
                (isinstance(v, str) and "\x00" in v for v in col.astype(object)), bool, len(col)
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


def write(  # noqa: PLR0913 - one option per format concern, all keyword-only
    gdf: pd.DataFrame,
    path: str | Path,
    *,
    sources: pd.DataFrame | None = None,
    layer: str | None = None,
    geometry: Literal["drop", "wkt"] = "drop",
    dialect: Literal["standard", "fr"] = "standard",
    decimals: Mapping[str, int] | None = None,
    dictionary: pd.DataFrame | None = None,
    missing_geometry: Literal["refuse", "keep"] = "refuse",
    styles: LayerStyle | Sequence[LayerStyle] | None = None,
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
    missing_geometry : {"refuse", "keep"}, default "refuse"
        ``"keep"`` writes rows without geometry (null geometry in a GeoPackage or GeoParquet,
        an empty cell in CSV) instead of refusing them, e.g. the places of a file whose
        coordinates are unusable, kept beside the others; empty geometries are still refused.
    styles : LayerStyle or sequence of LayerStyle, optional
        GeoPackage only: the QGIS styles written into the file's ``layer_styles`` table, the
        first applied when QGIS opens the layer (:func:`erbm_geo.export.qgis.layer_style`). By
        default one per indicator the table holds, in the atlas's classes and colours
        (:func:`erbm_geo.export.qgis.default_styles`); ``()`` writes none (the file then holds
        only the layer, which ``geopandas.read_file`` opens without naming it).

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
    >>> gpd.read_file(out, layer="communes").shape[0]
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
    if missing_geometry not in ("refuse", "keep"):
        raise UnknownOptionError(f"missing_geometry must be 'refuse' or 'keep', got {missing_geometry!r}")
    # duplicate columns, no CRS or coordinates that do not fit it would give a file that looks
    # right and is not
    check_unique_columns(gdf, name="the table to export")
    if isinstance(gdf, gpd.GeoDataFrame):
        present = gdf[~gdf.geometry.isna()] if missing_geometry == "keep" else gdf
        check_geometries(
            to_working_crs(present, name="the layer to export"),
            name="the layer to export",
            allow_invalid=True,
        )
        check_region(present, name="the layer to export")
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
        _write_gpkg(frame, gdf, path, sources, layer=layer or path.stem, styles=styles)
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
    frame: pd.DataFrame,
    gdf: pd.DataFrame,
    path: Path,
    sources: pd.DataFrame | None,
    *,
    layer: str,
    styles: LayerStyle | Sequence[LayerStyle] | None,
) -> None:
    """Write a GeoPackage layer with its schema, sources and date in ``gpkg_metadata``, and its styles."""
    if not isinstance(frame, gpd.GeoDataFrame):
        raise UnknownOptionError("GeoPackage export needs a GeoDataFrame; use .csv for tables")
    if styles is None:
        styles = default_styles(frame)
    elif isinstance(styles, LayerStyle):
        styles = [styles]
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

    out: gpd.GeoDataFrame = frame.copy()
    geometry_type, singles = _gpkg_geometry(frame.geometry.to_numpy())
    if singles is not None:  # X and MultiX: one type, MultiX; read() gives the singles back
        meta[_META_SCHEMA] = meta[_META_SCHEMA][:-1] + f', "singles": {json.dumps(_ranges(singles))}}}'
        promoted = _promoted(frame.geometry.to_numpy(), singles)
        out[frame.geometry.name] = gpd.GeoSeries(promoted, index=frame.index, crs=frame.crs)
    for c in cols:  # the GeoPackage stores times in UTC (read() restores the zone from the schema)
        if isinstance(frame[c].dtype, pd.DatetimeTZDtype):
            out[c] = frame[c].dt.tz_convert("UTC")
    taken = {c.casefold() for c in cols}
    options = {  # a data column named fid or geom keeps its name: the file's own columns move
        "FID": next(n for n in ("fid", "ogc_fid", "erbm_fid") if n not in taken),
        "GEOMETRY_NAME": next(n for n in ("geom", "geometry", "erbm_geom") if n not in taken),
        # gpkg_contents: the title and description QGIS and ogrinfo show
        "IDENTIFIER": str(gdf.attrs.get("title") or layer),
        "DESCRIPTION": _description(gdf, sources),
    }

    def gpkg(p: Path) -> None:
        out.to_file(
            p,
            layer=layer,
            driver="GPKG",
            engine="pyogrio",
            promote_to_multi=False,
            geometry_type=geometry_type,
            layer_metadata=meta,
            layer_options=options,
            # GeoPackage 1.3: the GDAL of Debian stable (3.6) and QGIS read it without a warning
            dataset_options={"VERSION": "1.3"},
        )
        embed_metadata(p, layer, title=options["IDENTIFIER"], abstract=options["DESCRIPTION"])
        if styles:
            embed_styles(p, layer, styles, geometry_column=options["GEOMETRY_NAME"])

    with _pinned_gpkg_date():
        write_atomic(path, gpkg)


_TYPES = {0: "Point", 1: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString", 6: "MultiPolygon"}
_MAKERS = {0: (4, shapely.multipoints), 1: (5, shapely.multilinestrings), 3: (6, shapely.multipolygons)}


def _gpkg_geometry(geoms: np.ndarray) -> tuple[str, np.ndarray | None]:
    """Return the layer's one geometry type and, when X and MultiX mix, the rows of type X.

    A GeoPackage layer declares one type: QGIS and ogrinfo show "Unknown" for a mix. X and
    MultiX are written as MultiX (the single ones listed, so that :func:`read` gives them back);
    other mixes stay "Unknown".
    """
    ids = shapely.get_type_id(geoms)
    present = set(np.unique(ids[ids >= 0]).tolist())
    if len(present) == 1 and present <= set(_TYPES):
        return _TYPES[present.pop()], None
    for single, (multi, _) in _MAKERS.items():
        if present == {single, multi}:
            return _TYPES[multi], np.flatnonzero(ids == single)
    return "Unknown", None


def _promoted(geoms: np.ndarray, singles: np.ndarray) -> np.ndarray:
    """Return *geoms* with the single-part rows *singles* as one-part multi-geometries."""
    out = geoms.copy()
    kind = int(shapely.get_type_id(geoms[singles[0]]))
    out[singles] = _MAKERS[kind][1](geoms[singles], indices=np.arange(len(singles)))
    return out


def _ranges(rows: np.ndarray) -> list[list[int]]:
    """Return sorted positions as [start, stop) ranges: compact when they run on."""
    if not len(rows):
        return []
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    starts = np.r_[rows[0], rows[breaks]]
    stops = np.r_[rows[breaks - 1], rows[-1]] + 1
    return [[int(a), int(b)] for a, b in zip(starts, stops, strict=True)]


def _description(gdf: pd.DataFrame, sources: pd.DataFrame | None) -> str:
    """Return the layer's description for gpkg_contents: the caller's, or its sources."""
    if gdf.attrs.get("description"):
        return str(gdf.attrs["description"])
    if sources is None or not len(sources):
        return ""
    recs = sources.reset_index(drop=sources.index.name is None).to_dict(orient="records")
    parts = []
    for r in recs:
        what = r.get("description") or r.get("title") or r.get("jeu_de_donnees") or r.get("dataset") or ""
        who = r.get("producteur") or r.get("attribution") or ""
        lic = r.get("licence") or ""
        parts.append(" — ".join(str(x) for x in (what, who, lic) if x and not pd.isna(x)))
    return "Sources : " + " ; ".join(p for p in parts if p)


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
    if dtype in ("bool", "boolean"):  # XLSX holds yes/no as the words oui/non
        words = {"oui": True, "non": False, True: True, False: False}
        if col.dropna().isin(list(words)).all():
            col = col.map(words, na_action="ignore")
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
        written: dict[str, Any] = json.loads(meta[_META_SCHEMA])
        index, singles = written.get("index"), written.get("singles") or []
    except (ValueError, AttributeError):
        index, singles = None, []
    if singles and isinstance(gdf, gpd.GeoDataFrame):
        gdf = _demoted(gdf, singles, path)
    if isinstance(index, str) and index in gdf.columns:
        gdf = gdf.set_index(index)
    return cast("pd.DataFrame", gdf)


def _demoted(gdf: gpd.GeoDataFrame, singles: list[list[int]], path: Path) -> gpd.GeoDataFrame:
    """Give back the single-part geometries :func:`write` promoted to one-part multi-geometries."""
    try:
        rows = np.concatenate([np.arange(int(a), int(b)) for a, b in singles])
    except (TypeError, ValueError):
        rows = np.zeros(0, dtype=np.int64)
    geoms = gdf.geometry.to_numpy()
    if len(rows) and rows.max() < len(geoms) and (shapely.get_num_geometries(geoms[rows]) == 1).all():
        geoms = geoms.copy()
        geoms[rows] = shapely.get_geometry(geoms[rows], 0)
        gdf[gdf.geometry.name] = gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)
    elif len(rows):
        warn(
            f"{path.name}: the rows written as single parts no longer match (edited since?); kept as read",
            DataQualityWarning,
        )
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
