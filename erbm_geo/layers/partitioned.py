"""Read a partitioned GeoParquet layer (a file or a folder of files) without loading it.

For layers larger than memory — the buildings of the Nord and the Pas-de-Calais, the dwellings of
a social landlord, land files — written by :func:`erbm_geo.export.write_partitioned` or by any
GeoParquet writer (GDAL, GeoPandas, dask-geopandas). The result is a
:class:`dask_geopandas.GeoDataFrame` the indicators accept as they accept a GeoDataFrame.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from erbm_geo._outdir import note_input, read_marker
from erbm_geo.errors import (
    CRSError,
    DataFormatError,
    DataNotFoundError,
    DuplicateIndexError,
    EmptyInputError,
)
from erbm_geo.geom.partitioned import require_dask
from erbm_geo.layers._io import check_geo_columns, wkb_columns

__all__ = ["read_partitioned"]


def read_partitioned(path: str | Path, *, name: str = "layer") -> Any:
    """Open a partitioned GeoParquet layer lazily (one partition per file or row group).

    Parameters
    ----------
    path : str or pathlib.Path
        A GeoParquet file, or a folder of GeoParquet files (``part.0.parquet``…).
    name : str, default "layer"
        The layer's name in messages.

    Returns
    -------
    dask_geopandas.GeoDataFrame
        Lazy; its CRS is the file's (the indicators reproject to EPSG:2154 partition by
        partition).

    Raises
    ------
    DataNotFoundError
        If *path* does not exist, or a part is missing: one the folder's erbm_geo marker lists,
        or a gap in the ``part.N.parquet`` numbering.
    DuplicateIndexError
        If an index label appears in two parts (results could not be aligned on it).
    NestingError
        When computed, not here: the task that reads a part refuses a geometry nested too deep
        to parse safely (a crafted file) before parsing it, naming the part and the rows.
    DataFormatError
        If it is not GeoParquet (no geometry column).
    CRSError
        If the layer has no CRS (never guessed), or its parts declare different CRSs.
    EmptyInputError
        If a folder holds no Parquet file.
    OptionError
        If dask is not installed (``pip install 'erbm_geo[dask]'``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo.examples import example_communes
    >>> from erbm_geo.export import write_partitioned
    >>> from erbm_geo.synthetic import synthetic_buildings_partitioned
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "batiments"
    >>> lazy = synthetic_buildings_partitioned(example_communes(), 2_000, partition_size=500)
    >>> _ = write_partitioned(lazy, folder, spatial_order=None)
    >>> b = read_partitioned(folder, name="bâtiments")
    >>> b.npartitions, b.crs.to_epsg(), len(b)
    (4, 2154, 2000)
    """
    require_dask()
    p = Path(path)
    if not p.exists():
        raise DataNotFoundError(f"{name}: {p} does not exist; give a GeoParquet file or a folder of them")
    if p.is_dir() and not any(p.glob("*.parquet")):
        raise EmptyInputError(f"{name}: the folder {p} holds no .parquet file")
    if p.is_dir():
        _check_parts(p, name)
    try:
        ddf = _read(p, name)
    except (ValueError, TypeError, OSError) as exc:
        raise DataFormatError(
            f"{name}: cannot read {p} as GeoParquet ({exc}); write it with "
            "erbm_geo.export.write_partitioned or geopandas' to_parquet"
        ) from exc
    if ddf.crs is None:
        raise CRSError(
            f"{name}: {p} declares no CRS; set it before writing (e.g. gdf.set_crs('EPSG:2154')), "
            "erbm_geo never guesses one"
        )
    note_input(p, ddf)  # while the lazy layer lives, no output may replace what it reads
    return ddf


_PART = re.compile(r"part\.(\d+)\.parquet")


def _read(path: Path, name: str) -> Any:
    """Open *path* lazily with dask-geopandas' Parquet engine, each part checked as it is read.

    What ``dask_geopandas.read_parquet`` does, with an engine whose tasks check the WKB of the
    rows they read (:func:`_checked_engine`) before turning them into geometries.
    """
    import dask.dataframe as dd

    raw = dd.read_parquet(str(path), engine=_checked_engine(name))
    spatial = raw._meta.attrs.get("spatial_partitions", None)  # the parts' extents, when written
    ddf = dd.from_graph(raw.dask, raw._meta, raw.divisions, raw.__dask_keys__(), "read_parquet")
    ddf.spatial_partitions = spatial
    return ddf


def _checked_engine(name: str) -> type:
    """Return dask-geopandas' GeoParquet engine, refusing a crafted geometry in the task that reads it.

    A geometry nested too deep would crash GEOS's WKB parser (the worker, and the process with
    a local scheduler): each part's WKB is checked from the Arrow buffers just read, before
    geopandas parses it — one decoding of the part, in the task that reads it, instead of a
    pass over the whole folder before dask starts. The message names the layer, the part and the
    rows (positions in the part's file).
    """
    from dask_geopandas.io.parquet import GeoArrowEngine

    class CheckedGeoArrowEngine(GeoArrowEngine):  # type: ignore[misc]  # untyped library
        layer = name

        @classmethod
        def _read_table(  # dask's signature
            cls,
            path_or_frag: Any,
            fs: Any,
            row_groups: Any,
            columns: Any,
            schema: Any,
            filters: Any,
            partitions: Any,
            partition_keys: Any,
            **kwargs: Any,
        ) -> Any:
            table = super()._read_table(
                path_or_frag, fs, row_groups, columns, schema, filters, partitions, partition_keys, **kwargs
            )
            _check_read(table, path_or_frag, fs, row_groups if not filters else None, cls.layer)
            return table

    return CheckedGeoArrowEngine


def _check_read(table: Any, path_or_frag: Any, fs: Any, row_groups: Any, name: str) -> None:
    """Check the WKB columns of *table*, the rows of *row_groups* of one file (all when ``[None]``).

    *row_groups* None: rows read through a filter (dask pushes a selection down to Parquet), named
    by their position among the rows read.
    """
    path = str(getattr(path_or_frag, "path", path_or_frag))
    where = f"{name}, {path.replace(chr(92), '/').rsplit('/', 1)[-1]}"
    if row_groups is None:
        where += ", rows read through a filter"
    try:
        columns = wkb_columns(table.schema.metadata)
    except ValueError as exc:
        raise DataFormatError(f"{where}: its GeoParquet metadata is not JSON ({exc})") from exc
    groups = [g for g in (row_groups or []) if g is not None]
    labels = None
    if groups and columns:  # rows of some row groups: named by their position in the file
        import numpy as np
        import pyarrow.parquet as pq

        with fs.open(path, "rb") as f:
            meta = pq.ParquetFile(f).metadata
        sizes = np.array([meta.row_group(i).num_rows for i in range(meta.num_row_groups)])
        starts = np.r_[0, np.cumsum(sizes)]
        labels = np.concatenate([np.arange(starts[g], starts[g + 1]) for g in groups]).tolist()
    check_geo_columns(table, columns, name=where, labels=labels)


def _check_parts(folder: Path, name: str) -> None:
    """Refuse a folder with a missing part, parts in different CRSs or an index label twice."""
    import pyarrow.parquet as pq

    files = sorted(folder.glob("*.parquet"))
    marker = read_marker(folder)
    listed = marker.get("parts") if marker else None
    if isinstance(listed, list):
        missing = sorted(str(n) for n in listed if not (folder / str(n)).is_file())
        if missing:
            raise DataNotFoundError(
                f"{name}: {len(missing)} part(s) of {folder} written by erbm_geo are missing: "
                f"{', '.join(missing[:5])}. The folder is incomplete; write it again"
            )
    numbers = sorted(int(m[1]) for f in files if (m := _PART.fullmatch(f.name)))
    gaps = sorted(set(range(numbers[-1] + 1)) - set(numbers)) if numbers else []
    if gaps:
        raise DataNotFoundError(
            f"{name}: {folder} has no part.{gaps[0]}.parquet between part.0 and part.{numbers[-1]} "
            f"({len(gaps)} missing): the folder is incomplete; copy it again or write it again"
        )
    crss: dict[str, str] = {}
    indexes: list[object] = []  # per part: the index column's name, or its RangeIndex
    for f in files:
        try:
            meta = pq.read_schema(f).metadata or {}
            geo = json.loads(meta.get(b"geo", b"{}"))
            pandas_meta = json.loads(meta.get(b"pandas", b"{}"))
        except (OSError, ValueError) as exc:
            raise DataFormatError(f"{name}: {f} is not a readable Parquet file ({exc})") from exc
        col = (geo.get("columns") or {}).get(geo.get("primary_column", ""), {})
        crss[f.name] = json.dumps(col.get("crs"), sort_keys=True)
        idx = pandas_meta.get("index_columns") or []
        if len(idx) == 1 and isinstance(idx[0], str):
            indexes.append(idx[0])
        elif len(idx) == 1 and isinstance(idx[0], dict) and idx[0].get("kind") == "range":
            r = idx[0]
            indexes.append(range(int(r["start"]), int(r["stop"]), int(r["step"])))
        else:
            indexes.append(None)
    if len(set(crss.values())) > 1:
        first = next(iter(crss))
        other = next(k for k, v in crss.items() if v != crss[first])
        raise CRSError(
            f"{name}: the parts of {folder} declare different CRSs ({first} and {other}); a layer "
            "has one CRS. Fix: reproject every part to the same CRS and write the folder again"
        )
    if len(files) > 1 and all(i is not None for i in indexes):
        _check_index_across(files, indexes, name)


def _check_index_across(files: list[Path], indexes: list[object], name: str) -> None:
    import pandas as pd
    import pyarrow.parquet as pq

    seen: list[pd.Index] = []
    for f, idx in zip(files, indexes, strict=True):
        if isinstance(idx, range):
            seen.append(pd.RangeIndex(idx.start, idx.stop, idx.step))
            continue
        try:
            seen.append(pd.Index(pq.read_table(f, columns=[str(idx)]).column(0).to_pandas()))
        except (OSError, KeyError, ValueError):
            return  # not the same index column in every part: left to the reader
    whole = seen[0].append(seen[1:])
    if not whole.is_unique:
        dup = whole[whole.duplicated()].unique()[:5].tolist()
        raise DuplicateIndexError(
            f"{name}: index labels appear in more than one part ({len(whole) - whole.nunique()} "
            f"repeats, e.g. {dup}); results could not be aligned on them. Fix: give each feature "
            "a unique identifier before writing the parts"
        )
