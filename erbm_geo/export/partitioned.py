"""Partitioned (Geo)Parquet folders, written partition by partition and replaced only if ours."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import pandas as pd

from erbm_geo._atomic import _alive, _temporary_prefix, clean_stale, glob_escape
from erbm_geo._outdir import claim_folder, inputs_read, mark_folder
from erbm_geo.errors import CRSError, UnknownOptionError
from erbm_geo.geom.partitioned import is_partitioned, require_dask

__all__ = ["PARTITIONED_ENTRIES", "write_partitioned"]

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
    geo = isinstance(layer, dask_geopandas.GeoDataFrame)
    if geo and layer.crs is None:
        raise CRSError("the layer to write has no CRS; set it, e.g. layer = layer.set_crs('EPSG:2154')")
    if spatial_order == "hilbert" and not geo:
        raise UnknownOptionError(
            "spatial_order='hilbert' needs geometries; use None for a table without them"
        )
    if spatial_order == "hilbert":  # the rows' own index is kept (the shuffle indexes by distance)
        index_name = layer.index.name
        name = index_name or "index"
        flat = (
            layer.reset_index().rename(columns={"index": name}) if index_name is None else layer.reset_index()
        )
        shuffled = flat.spatial_shuffle(by="hilbert", npartitions=npartitions or layer.npartitions)
        # the empty frame that describes the result: dask's documented "meta" of the collection
        layer = shuffled.map_partitions(_index_back, name, index_name, meta=layer._meta)
    elif npartitions is not None and npartitions != layer.npartitions:
        layer = layer.repartition(npartitions=npartitions)
    target = Path(path)
    _claim_partitioned(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(target)  # folders left by a writer killed mid-way (kill -9), never a live one's
    _clean_legacy(target)
    stem = _temporary_prefix(target)
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
