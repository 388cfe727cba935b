"""Read a partitioned GeoParquet layer (a file or a folder of files) without loading it.

For layers larger than memory — the buildings of the Nord and the Pas-de-Calais, the dwellings of
a social landlord, land files — written by :func:`erbm_geo.export.write_partitioned` or by any
GeoParquet writer (GDAL, GeoPandas, dask-geopandas). The result is a
:class:`dask_geopandas.GeoDataFrame` the indicators accept as they accept a GeoDataFrame.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from erbm_geo.errors import CRSError, DataFormatError, DataNotFoundError, EmptyInputError
from erbm_geo.geom.partitioned import require_dask

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
        If *path* does not exist.
    DataFormatError
        If it is not GeoParquet (no geometry column).
    CRSError
        If the layer has no CRS (never guessed).
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
    import dask_geopandas

    p = Path(path)
    if not p.exists():
        raise DataNotFoundError(f"{name}: {p} does not exist; give a GeoParquet file or a folder of them")
    if p.is_dir() and not any(p.glob("*.parquet")):
        raise EmptyInputError(f"{name}: the folder {p} holds no .parquet file")
    try:
        ddf = dask_geopandas.read_parquet(str(p))
    except (ValueError, TypeError, OSError) as exc:
        raise DataFormatError(
            f"{name}: cannot read {p} as GeoParquet ({exc}); write it with "
            "erbm_geo.export.write_partitioned or geopandas' to_parquet"
        ) from exc
    if ddf._meta.crs is None:
        raise CRSError(
            f"{name}: {p} declares no CRS; set it before writing (e.g. gdf.set_crs('EPSG:2154')), "
            "erbm_geo never guesses one"
        )
    return ddf
