"""Low-level readers shared by the layer modules (GeoJSON, JSON, CSV) with clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import pandas as pd

from erbm_geo import settings
from erbm_geo.data import resolve
from erbm_geo.errors import DataFormatError

__all__ = [
    "check_geo_columns",
    "check_geoparquet",
    "dataset_path",
    "read_csv",
    "read_geojson",
    "read_json",
    "wkb_columns",
]


def dataset_path(name: str) -> Path:
    """Resolve catalogued dataset *name* to a verified local path."""
    return resolve(name)


def read_geojson(name: str, *, to_working: bool = True) -> gpd.GeoDataFrame:
    """Read catalogued GeoJSON dataset *name* (EPSG:4326 as stored) and reproject to EPSG:2154."""
    path = dataset_path(name)
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several exception types on bad input
        raise DataFormatError(f"dataset {name!r}: cannot read {path} as GeoJSON: {exc}") from exc
    if gdf.empty:  # every catalogued layer has features: an empty one is a damaged file
        raise DataFormatError(
            f"dataset {name!r}: no feature in {path}; the file is damaged or "
            "truncated: `erbm-geo data verify` checks it against its sha256"
        )
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    return gdf.to_crs(settings.crs) if to_working else gdf


def read_json(name: str) -> Any:
    """Read catalogued JSON dataset *name*."""
    path = dataset_path(name)
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"dataset {name!r}: {path} is not valid JSON: {exc}") from exc


def read_json_mapping(name: str, key: str) -> dict[str, Any]:
    """Return the mapping stored under *key* of catalogued JSON dataset *name* (e.g. per-commune rows)."""
    data = read_json(name)
    rows = data.get(key) if isinstance(data, dict) else None
    if not isinstance(rows, dict):
        raise DataFormatError(f"dataset {name!r}: no {key!r} mapping at the top of the file")
    return rows


def read_csv(name: str, **kwargs: Any) -> pd.DataFrame:
    """Read catalogued CSV dataset *name*."""
    path = dataset_path(name)
    try:
        return cast("pd.DataFrame", pd.read_csv(path, **kwargs))
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DataFormatError(f"dataset {name!r}: cannot parse {path} as CSV: {exc}") from exc


def wkb_columns(metadata: dict[bytes, bytes] | None) -> list[str]:
    """Return the WKB-encoded geometry columns that a GeoParquet ``geo`` metadata entry declares.

    Parameters
    ----------
    metadata : dict of bytes to bytes or None
        An Arrow schema's metadata.

    Returns
    -------
    list of str
        The columns, in the metadata's order (none when there is no ``geo`` entry).

    Raises
    ------
    ValueError
        If the ``geo`` entry is not JSON.
    """
    geo = json.loads((metadata or {}).get(b"geo", b"{}"))
    return [
        c
        for c, meta in (geo.get("columns") or {}).items()
        if isinstance(meta, dict) and meta.get("encoding", "WKB").upper() == "WKB"
    ]


def check_geo_columns(table: Any, columns: list[str], *, name: str, labels: Any = None) -> None:
    """Check the WKB geometry *columns* of a pyarrow table or record batch (see ``check_wkb``).

    Parameters
    ----------
    table : pyarrow.Table or pyarrow.RecordBatch
        Rows just read from Parquet.
    columns : list of str
        Its WKB geometry columns (:func:`wkb_columns`); those absent from *table* are skipped.
    name : str
        The layer (and part) in the message; the column is added.
    labels : sequence, optional
        The rows' labels in the message (default: positions in *table*).

    Raises
    ------
    NestingError
        If a geometry is nested too deep or broken.
    """
    import pyarrow as pa

    from erbm_geo.geom.wkb import check_wkb

    for c in columns:
        if c not in table.column_names:
            continue
        col = table.column(c)
        chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
        start = 0
        for chunk in chunks:
            if pa.types.is_binary(chunk.type) or pa.types.is_large_binary(chunk.type):
                end = start + len(chunk)
                rows = range(start, end) if labels is None else labels[start:end]
                check_wkb(chunk, name=f"{name} ({c})", labels=rows)
            start += len(chunk)


def check_geoparquet(path: Path, *, name: str = "layer") -> None:
    """Refuse a (Geo)Parquet file whose geometries would crash the WKB parser, before it runs.

    Reads only the geometry columns named by the file's ``geo`` metadata, batch by batch
    (bounded memory), and checks them with :func:`erbm_geo.geom.wkb.check_wkb`.

    Raises
    ------
    NestingError
        If a geometry is nested too deep or broken.
    DataFormatError
        If the file is not readable Parquet.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        f = pq.ParquetFile(path)
        columns = [c for c in wkb_columns(f.schema_arrow.metadata) if c in f.schema_arrow.names]
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise DataFormatError(f"{name}: cannot read {path} as Parquet ({exc})") from exc
    if not columns:
        return
    start = 0
    try:
        for batch in f.iter_batches(batch_size=262_144, columns=columns):
            check_geo_columns(batch, columns, name=name, labels=range(start, start + batch.num_rows))
            start += batch.num_rows
    except (OSError, pa.ArrowException) as exc:
        raise DataFormatError(f"{name}: cannot read {path} as Parquet ({exc})") from exc
