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

__all__ = ["dataset_path", "read_csv", "read_geojson", "read_json"]


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
