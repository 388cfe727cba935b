"""Zonal statistics, exact on partial cells (area-weighted).

Each cell contributes with the fraction of its area inside the polygon: 1 for cells whose box
lies inside, the exact ``area(cell ∩ polygon) / area(cell)`` for cells crossed by the boundary,
0 elsewhere. Nodata (NaN) cells are left out. ``mean`` is the weighted mean; ``min``/``max`` are
over cells with a positive weight; percentiles are weighted (inverted weighted CDF).

Implementation: one window per polygon (its bounding box on the grid); inside it, interior cells
come from a vectorised point-in-polygon test of cell centres and boundary cells from rasterising
the boundary (``all_touched``), whose exact fractions are computed with one vectorised shapely
intersection of their boxes.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine
from rasterio.features import rasterize
from rasterio.windows import Window

from erbm_geo.errors import UnknownOptionError
from erbm_geo.geom.validate import POLYGONAL, check_geometries, check_not_empty, to_working_crs
from erbm_geo.raster.grid import Grid

__all__ = ["cell_weights", "zonal_stats"]

_STATS = {"mean", "min", "max", "sum", "count", "area_m2"}


def cell_weights(geom: shapely.Geometry, grid: Grid) -> tuple[Window, np.ndarray]:
    """Return the window of *grid* covering *geom* and the fraction of each of its cells inside *geom*.

    Parameters
    ----------
    geom : shapely.Geometry
        A polygon, in EPSG:2154.
    grid : Grid
        The grid.

    Returns
    -------
    window : rasterio.windows.Window
        The cells around *geom*.
    weights : numpy.ndarray of float
        Per cell of the window, the share of its area inside *geom* (exact on partial cells).

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> from erbm_geo.raster import basin_grid
    >>> c = example_communes()
    >>> grid = basin_grid(resolution=200, area=c.union_all())
    >>> window, w = cell_weights(c.geometry.iloc[0], grid)  # a 2 km square
    >>> w.shape, float(w.sum()) * 200 * 200 / 1e6
    ((10, 10), 4.0)
    """
    xmin, ymin, xmax, ymax = shapely.bounds(geom)
    res, ox, oy = grid.resolution, grid.transform.c, grid.transform.f
    c0 = max(int(np.floor((xmin - ox) / res)), 0)
    c1 = min(int(np.ceil((xmax - ox) / res)), grid.width)
    r0 = max(int(np.floor((oy - ymax) / res)), 0)
    r1 = min(int(np.ceil((oy - ymin) / res)), grid.height)
    w = Window(c0, r0, max(c1 - c0, 0), max(r1 - r0, 0))
    h, wd = int(w.height), int(w.width)
    if h == 0 or wd == 0:
        return w, np.zeros((h, wd))
    x0 = grid.transform.c + c0 * res
    y0 = grid.transform.f - r0 * res
    xs = x0 + (np.arange(wd) + 0.5) * res
    ys = y0 - (np.arange(h) + 0.5) * res
    xx, yy = np.meshgrid(xs, ys)
    shapely.prepare(geom)
    weights = shapely.contains_xy(geom, xx, yy).astype("float64")
    wt = grid.transform @ Affine.translation(c0, r0)
    edge = rasterize(
        [(shapely.boundary(geom), 1)],
        out_shape=(h, wd),
        transform=wt,
        fill=0,
        all_touched=True,
        dtype="uint8",
    ).astype(bool)
    if edge.any():
        er, ec = np.nonzero(edge)
        boxes = shapely.box(x0 + ec * res, y0 - (er + 1) * res, x0 + (ec + 1) * res, y0 - er * res)
        weights[er, ec] = shapely.area(shapely.intersection(boxes, geom)) / (res * res)
    return w, weights


def _weighted_percentile(v: np.ndarray, w: np.ndarray, q: float) -> float:
    order = np.argsort(v)
    v, w = v[order], w[order]
    cw = np.cumsum(w)
    return float(np.interp(q / 100 * cw[-1], cw - w / 2, v))


def zonal_stats(
    array: np.ndarray,
    grid: Grid,
    polygons: gpd.GeoDataFrame,
    *,
    stats: Sequence[str] = ("mean", "min", "max"),
    percentiles: Sequence[float] = (),
) -> pd.DataFrame:
    """Return statistics of *array* (on *grid*) over each polygon, exact on partial cells.

    Parameters
    ----------
    array : numpy.ndarray of float, shape (height, width)
        Raster values; NaN is nodata.
    grid : Grid
        The array's grid.
    polygons : geopandas.GeoDataFrame
        Any CRS (reprojected to EPSG:2154).
    stats : sequence of {"mean", "min", "max", "sum", "count", "area_m2"}, default ("mean", "min", "max")
        ``sum`` is Σ value × weight; ``count`` the number of cells with a positive weight;
        ``area_m2`` the polygon area with data.
    percentiles : sequence of float, default ()
        Weighted percentiles, columns ``p<q>`` (e.g. ``p50``).

    Returns
    -------
    pandas.DataFrame
        Aligned on ``polygons.index``; NaN where a polygon holds no data.

    Raises
    ------
    UnknownOptionError
        If a statistic is unknown, or *array*'s shape is not the grid's.
    EmptyInputError
        If *polygons* has no rows.
    CRSError
        If *polygons* has no CRS.
    InvalidGeometryError
        If a geometry is missing, empty, non-finite or not a polygon.

    Examples
    --------
    >>> from erbm_geo.examples import example_centres, example_communes
    >>> from erbm_geo.raster import basin_grid, distance_surface
    >>> c = example_communes()
    >>> g = basin_grid(resolution=200, area=c.union_all())
    >>> arr = distance_surface(example_centres(), grid=g)
    >>> z = zonal_stats(arr, g, c.loc[["99006"]])
    >>> float(z.loc["99006", "min"])  # Commune F holds Ville-Centre
    0.0
    """
    bad = set(stats) - _STATS
    if bad:
        raise UnknownOptionError(f"unknown statistics {sorted(bad)}; choose among {sorted(_STATS)}")
    if array.shape != (grid.height, grid.width):
        raise UnknownOptionError(
            f"array shape {array.shape} does not match the grid ({grid.height}, {grid.width})"
        )
    check_not_empty(polygons, name="polygons")
    p = to_working_crs(polygons, name="polygons")
    check_geometries(p, name="polygons", types=POLYGONAL)
    cols = list(stats) + [f"p{q:g}" for q in percentiles]
    out = np.full((len(p), len(cols)), np.nan)
    cell_area = grid.resolution**2
    for i, geom in enumerate(p.geometry.values):  # one window per polygon, vectorised inside
        win, w = cell_weights(geom, grid)
        if w.size == 0:
            continue
        r0, c0 = int(win.row_off), int(win.col_off)
        v = array[r0 : r0 + w.shape[0], c0 : c0 + w.shape[1]]
        ok = (w > 0) & ~np.isnan(v)
        if not ok.any():
            continue
        vv, ww = v[ok].astype("float64"), w[ok]
        values = {
            "mean": float(np.sum(vv * ww) / np.sum(ww)),
            "min": float(vv.min()),
            "max": float(vv.max()),
            "sum": float(np.sum(vv * ww)),
            "count": float(ok.sum()),
            "area_m2": float(np.sum(ww) * cell_area),
        }
        row = [values[s] for s in stats] + [_weighted_percentile(vv, ww, q) for q in percentiles]
        out[i] = row
    return pd.DataFrame(out, index=polygons.index, columns=cols)
