"""Cloud-Optimised GeoTIFF output (rasterio), reading back, and a validity check."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
from rasterio.io import MemoryFile
from rasterio.shutil import copy as rio_copy

from erbm_geo._atomic import write_atomic
from erbm_geo.errors import DataFormatError, DataNotFoundError
from erbm_geo.raster.grid import Grid

__all__ = ["NODATA", "read_raster", "validate_cog", "write_cog"]

NODATA = -9999.0


def write_cog(array: np.ndarray, grid: Grid, path: str | Path, *, tags: dict[str, str] | None = None) -> Path:
    """Write *array* as a Cloud-Optimised GeoTIFF, atomically.

    EPSG:2154, float32, deflate, 512-px tiles, overviews, nodata −9999, with *tags* as metadata
    (title, unit, sources…).

    Parameters
    ----------
    array : numpy.ndarray of float
        The values, shape ``(grid.height, grid.width)``; NaN is nodata.
    grid : Grid
        Where they lie.
    path : str or pathlib.Path
        The file to write (whole or not at all).
    tags : dict of str to str, optional
        Metadata (title, unit, sources…).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    OSError
        If the file cannot be written (named in the message).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo.examples import example_centres, example_communes
    >>> from erbm_geo.raster import basin_grid, distance_surface
    >>> grid = basin_grid(resolution=10, area=example_communes().union_all())
    >>> d = distance_surface(example_centres(), grid=grid)
    >>> path = write_cog(d, grid, pathlib.Path(tempfile.mkdtemp()) / "distance.tif",
    ...                  tags={"title": "Distance à la mairie la plus proche", "unit": "m"})
    >>> path.name
    'distance.tif'
    """
    data = np.where(np.isnan(array), NODATA, array).astype("float32")
    profile = {
        "driver": "GTiff",
        "width": grid.width,
        "height": grid.height,
        "count": 1,
        "dtype": "float32",
        "crs": grid.crs,
        "transform": grid.transform,
        "nodata": NODATA,
    }

    def writer(tmp: Path) -> None:
        with MemoryFile() as mem:
            with mem.open(**profile) as ds:
                ds.write(data, 1)
                ds.update_tags(**(tags or {}))
            with mem.open() as src:
                rio_copy(
                    src,
                    tmp,
                    driver="COG",
                    COMPRESS="DEFLATE",
                    BLOCKSIZE=512,
                    OVERVIEWS="AUTO",
                    OVERVIEW_RESAMPLING="AVERAGE",
                    BIGTIFF="IF_SAFER",
                )

    return write_atomic(path, writer)


def read_raster(path: str | Path) -> tuple[np.ndarray, Grid, dict[str, str]]:
    """Read a single-band raster written by :func:`write_cog` (nodata → NaN).

    Parameters
    ----------
    path : str or pathlib.Path
        The GeoTIFF.

    Returns
    -------
    array : numpy.ndarray of float
        The band, NaN where nodata.
    grid : Grid
        Its grid (EPSG:2154).
    tags : dict of str to str
        Its metadata.

    Raises
    ------
    DataNotFoundError
        If *path* does not exist.
    DataFormatError
        If it cannot be read as a raster.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo.examples import example_centres, example_communes
    >>> from erbm_geo.raster import basin_grid, distance_surface
    >>> grid = basin_grid(resolution=10, area=example_communes().union_all())
    >>> d = distance_surface(example_centres(), grid=grid)
    >>> path = write_cog(d, grid, pathlib.Path(tempfile.mkdtemp()) / "distance.tif",
    ...                  tags={"title": "Distance à la mairie la plus proche", "unit": "m"})
    >>> array, g, tags = read_raster(path)
    >>> array.shape == d.shape, tags["unit"]
    (True, 'm')
    """
    p = Path(path)
    if not p.is_file():
        raise DataNotFoundError(f"raster not found: {p}")
    try:
        with rasterio.open(p) as src:
            arr = src.read(1).astype("float32")
            if src.nodata is not None:
                arr[arr == src.nodata] = np.nan
            grid = Grid(src.transform, src.width, src.height, str(src.crs))
            return arr, grid, src.tags()
    except rasterio.errors.RasterioIOError as exc:
        raise DataFormatError(f"cannot read {p} as a raster: {exc}") from exc


def validate_cog(path: str | Path) -> list[str]:
    """Return the problems that keep *path* from being a valid COG (empty list when valid).

    Checks: GeoTIFF, tiled, internal overviews, GDAL's COG layout marker, a CRS and nodata.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.

    Returns
    -------
    list of str
        One message per problem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo.examples import example_centres, example_communes
    >>> from erbm_geo.raster import basin_grid, distance_surface
    >>> grid = basin_grid(resolution=10, area=example_communes().union_all())
    >>> d = distance_surface(example_centres(), grid=grid)
    >>> path = write_cog(d, grid, pathlib.Path(tempfile.mkdtemp()) / "distance.tif",
    ...                  tags={"title": "Distance à la mairie la plus proche", "unit": "m"})
    >>> validate_cog(path)
    []
    """
    problems = []
    with rasterio.open(path) as src:
        if src.driver != "GTiff":
            problems.append(f"driver is {src.driver}, not GTiff")
        if not src.profile.get("tiled"):
            problems.append("not tiled")
        if not src.overviews(1):
            problems.append("no internal overviews")
        if src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") != "COG":
            problems.append("no COG layout marker (not written by the COG driver)")
        if src.crs is None:
            problems.append("no CRS")
        if src.nodata is None:
            problems.append("no nodata value")
    return problems
