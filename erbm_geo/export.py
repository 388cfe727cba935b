"""Write tables and layers to CSV, GeoPackage and GeoParquet — atomically, with their sources.

Every writer writes to a temporary file in the target folder, then renames it: an interrupted
export never leaves a half-written file that looks complete. INSEE codes and other identifiers
stay text (leading zeros kept).

* CSV: geometry dropped (or as WKT with ``geometry="wkt"``); the data-sources sheet is written
  next to it as ``<name>.sources.csv``.
* GeoPackage: the layer, plus a non-spatial ``sources`` table in the same file.
* GeoParquet: the sources as JSON in the file's key-value metadata (``erbm_geo:sources``).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd

from erbm_geo.errors import UnknownOptionError

__all__ = ["FORMATS", "read_parquet_sources", "write", "write_atomic", "write_text_atomic"]

FORMATS = ("csv", "gpkg", "parquet")


def write_atomic(path: str | Path, writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp)`` on a temporary path next to *path*, then rename it to *path*."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # some drivers refuse to overwrite an existing file
    try:
        writer(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 *text* to *path* atomically."""
    return write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))


def _csv_frame(gdf: pd.DataFrame, geometry: Literal["drop", "wkt"]) -> pd.DataFrame:
    df = pd.DataFrame(gdf).copy()
    if isinstance(gdf, gpd.GeoDataFrame):
        name = gdf.geometry.name
        if geometry == "wkt":
            df[name] = gdf.geometry.to_wkt()
        else:
            df = df.drop(columns=[name])
    return df


def write(gdf: pd.DataFrame, path: str | Path, *, sources: pd.DataFrame | None = None,
          layer: str | None = None, geometry: Literal["drop", "wkt"] = "drop") -> Path:
    """Write *gdf* to *path*; the format comes from the suffix (.csv, .gpkg, .parquet).

    Parameters
    ----------
    gdf : DataFrame or GeoDataFrame
    path : path
    sources : DataFrame, optional
        The data-sources sheet (e.g. :func:`erbm_geo.indicators.sources_table`).
    layer : str, optional
        GeoPackage layer name (default: the file stem).
    geometry : {"drop", "wkt"}
        CSV only: drop the geometry or write it as WKT.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo.layers import epci
    >>> out = write(epci(), pathlib.Path(tempfile.mkdtemp()) / "epci.gpkg")
    >>> gpd.read_file(out).shape[0]
    8
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UnknownOptionError(f"unsupported export format {path.suffix!r}; use .csv, .gpkg or .parquet")
    index_name = gdf.index.name
    frame = gdf.reset_index() if index_name is not None else gdf
    if fmt == "csv":
        df = _csv_frame(frame, geometry)
        write_atomic(path, lambda p: df.to_csv(p, index=False, encoding="utf-8"))
        if sources is not None:
            write_atomic(path.with_suffix(".sources.csv"),
                         lambda p: sources.reset_index().to_csv(p, index=False, encoding="utf-8"))
    elif fmt == "gpkg":
        if not isinstance(frame, gpd.GeoDataFrame):
            raise UnknownOptionError("GeoPackage export needs a GeoDataFrame; use .csv for tables")
        lname = layer or path.stem

        def gpkg(p: Path) -> None:
            frame.to_file(p, layer=lname, driver="GPKG", engine="pyogrio")
            if sources is not None:
                import pyogrio

                pyogrio.write_dataframe(sources.reset_index(), p, layer="sources", driver="GPKG",
                                        append=False)

        write_atomic(path, gpkg)
    else:
        if not isinstance(frame, gpd.GeoDataFrame):
            raise UnknownOptionError("GeoParquet export needs a GeoDataFrame; use .csv for tables")

        def parquet(p: Path) -> None:
            import pyarrow.parquet as pq

            frame.to_parquet(p)
            if sources is not None:
                table = pq.read_table(p)
                meta = dict(table.schema.metadata or {})
                meta[b"erbm_geo:sources"] = json.dumps(
                    sources.reset_index().to_dict(orient="records"), ensure_ascii=False).encode()
                pq.write_table(table.replace_schema_metadata(meta), p)

        write_atomic(path, parquet)
    return path


def read_parquet_sources(path: str | Path) -> pd.DataFrame:
    """Read back the sources sheet stored in a GeoParquet file written by :func:`write`."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    raw = meta.get(b"erbm_geo:sources")
    return pd.DataFrame(json.loads(raw)) if raw else pd.DataFrame()
