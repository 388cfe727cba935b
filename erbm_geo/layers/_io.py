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

__all__ = ["check_geoparquet", "dataset_path", "read_csv", "read_geojson", "read_json"]


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

    from erbm_geo.geom.wkb import check_wkb

    try:
        f = pq.ParquetFile(path)
        geo = json.loads((f.schema_arrow.metadata or {}).get(b"geo", b"{}"))
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise DataFormatError(f"{name}: cannot read {path} as Parquet ({exc})") from exc
    columns = [
        c
        for c, meta in (geo.get("columns") or {}).items()
        if isinstance(meta, dict) and meta.get("encoding", "WKB").upper() == "WKB"
    ]
    columns = [c for c in columns if c in f.schema_arrow.names]
    if not columns:
        return
    start = 0
    try:
        for batch in f.iter_batches(batch_size=262_144, columns=columns):
            for c in columns:
                col = batch.column(c)
                if pa.types.is_binary(col.type) or pa.types.is_large_binary(col.type):
                    check_wkb(col, name=f"{name} ({c})", labels=range(start, start + len(col)))
            start += batch.num_rows
    except (OSError, pa.ArrowException) as exc:
        raise DataFormatError(f"{name}: cannot read {path} as Parquet ({exc})") from exc
