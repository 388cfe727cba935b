"""Density rasters: kernel density of points, and commune counts spread over the commune."""

from __future__ import annotations

from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio.features import rasterize
from scipy.ndimage import gaussian_filter

from erbm_geo.errors import MissingColumnError, UnknownOptionError
from erbm_geo.geom.validate import check_not_empty, to_working_crs
from erbm_geo.raster.grid import Grid

__all__ = ["commune_density", "kernel_density"]


def kernel_density(features: gpd.GeoDataFrame, *, grid: Grid, bandwidth: float = 500.0) -> np.ndarray:
    """Return the Gaussian kernel density (features per km²) of points on *grid*.

    Polygon and line features are taken at their representative point. The integral of the
    surface over an unbounded grid equals the number of features; the Gaussian standard deviation
    is *bandwidth* metres.

    Parameters
    ----------
    features : geopandas.GeoDataFrame
        The features, in EPSG:2154.
    grid : Grid
        The grid.
    bandwidth : float, default 500.0
        The kernel's standard deviation (m).

    Returns
    -------
    numpy.ndarray of float
        Features per km², shape ``(grid.height, grid.width)``.

    Raises
    ------
    UnknownOptionError
        If *bandwidth* is not positive.

    Examples
    --------
    >>> from erbm_geo.examples import example_centres, example_communes
    >>> from erbm_geo.raster import basin_grid
    >>> g = basin_grid(resolution=200, area=example_communes().union_all())
    >>> d = kernel_density(example_centres(), grid=g, bandwidth=1000)
    >>> bool(np.nanmax(d) > 0)
    True
    """
    if bandwidth <= 0:
        raise UnknownOptionError("bandwidth must be positive (metres)")
    check_not_empty(features, name="features")
    f = to_working_crs(features, name="features")
    pts = shapely.point_on_surface(np.asarray(f.geometry.values, dtype=object))
    xy = shapely.get_coordinates(pts)
    cols = np.floor((xy[:, 0] - grid.transform.c) / grid.resolution).astype(int)
    rows = np.floor((grid.transform.f - xy[:, 1]) / grid.resolution).astype(int)
    ok = (cols >= 0) & (cols < grid.width) & (rows >= 0) & (rows < grid.height)
    counts = np.zeros((grid.height, grid.width), dtype="float64")
    np.add.at(counts, (rows[ok], cols[ok]), 1.0)
    cell_km2 = (grid.resolution / 1000.0) ** 2
    dens = gaussian_filter(counts, sigma=bandwidth / grid.resolution, mode="constant") / cell_km2
    if grid.mask is not None:
        dens = np.where(grid.mask, dens, np.nan)
    return cast("np.ndarray", dens.astype("float32"))


def commune_density(values: pd.Series, communes: gpd.GeoDataFrame, *, grid: Grid) -> np.ndarray:
    """Spread a per-commune count (e.g. Cartofriches sites) uniformly over each commune.

    The cell value is the commune's count per km² (a dasymetric-free choropleth raster).

    Parameters
    ----------
    values : pandas.Series
        Counts indexed like *communes* (e.g. ``friches_communes()["friches_n"]``).
    communes : geopandas.GeoDataFrame
        The communes, in EPSG:2154.
    grid : Grid
        The grid.

    Returns
    -------
    numpy.ndarray of float
        Count per km², shape ``(grid.height, grid.width)``; NaN outside every commune.

    Raises
    ------
    MissingColumnError
        If *values* is not indexed by the communes' index.

    Examples
    --------
    >>> import pandas as pd
    >>> from erbm_geo.examples import example_communes
    >>> from erbm_geo.raster import basin_grid
    >>> c = example_communes()  # 2 km × 2 km squares
    >>> grid = basin_grid(resolution=200, area=c.union_all())
    >>> float(np.nanmax(commune_density(pd.Series(4, index=c.index), c, grid=grid)))
    1.0
    """
    if not values.index.isin(communes.index).all():
        raise MissingColumnError("values must be indexed by the communes' index")
    c = to_working_crs(communes, name="communes")
    dens = (values.reindex(c.index).astype(float) / (c.area / 1e6)).to_numpy()
    shapes = ((g, float(v)) for g, v in zip(c.geometry.values, dens, strict=True) if np.isfinite(v))
    out = rasterize(
        shapes, out_shape=(grid.height, grid.width), transform=grid.transform, fill=np.nan, dtype="float32"
    )
    if grid.mask is not None:
        out = np.where(grid.mask, out, np.float32(np.nan))
    return cast("np.ndarray", out)
