"""Distance surfaces: Euclidean distance from every cell to the nearest target.

Targets (points, lines or polygons) are burnt into the grid with ``rasterio.features.rasterize``
(``all_touched=True``: every cell a target touches is a target cell), then
``scipy.ndimage.distance_transform_edt`` gives, for each cell centre, the distance to the nearest
target cell centre, in metres. The error against the exact vector distance is at most half a cell
diagonal (35 m at 50 m resolution). Cells outside the grid's mask are nodata (NaN).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import geopandas as gpd
import numpy as np
from affine import Affine
from rasterio.features import rasterize
from scipy.ndimage import distance_transform_edt

from erbm_geo.errors import EmptyInputError, UnknownOptionError
from erbm_geo.geom.validate import check_not_empty, to_working_crs
from erbm_geo.raster.grid import Grid, basin_grid

__all__ = ["SURFACE_TARGETS", "distance_surface", "distance_to"]


def distance_surface(targets: gpd.GeoDataFrame, *, grid: Grid) -> np.ndarray:
    """Return the distance (m, float32) from each cell of *grid* to the nearest of *targets*.

    Targets outside the grid still count: the grid is padded so that the nearest target may lie
    beyond it (up to 20 km).

    Parameters
    ----------
    targets : geopandas.GeoDataFrame
        Points, lines or polygons, in EPSG:2154.
    grid : Grid
        The grid.

    Returns
    -------
    numpy.ndarray of float32
        Shape ``(grid.height, grid.width)``, NaN outside the grid's mask.

    Raises
    ------
    EmptyInputError
        If no target lies within 20 km of the grid.

    Examples
    --------
    >>> from erbm_geo.examples import example_centres, example_communes
    >>> g = basin_grid(resolution=200, area=example_communes().union_all())
    >>> d = distance_surface(example_centres(), grid=g)
    >>> d.shape == (g.height, g.width), bool(np.nanmin(d) == 0)
    (True, True)
    """
    check_not_empty(targets, name="targets")
    t = to_working_crs(targets, name="targets")
    pad = int(np.ceil(20_000 / grid.resolution))
    big = grid.transform @ Affine.translation(-pad, -pad)
    shape = (grid.height + 2 * pad, grid.width + 2 * pad)
    burnt = rasterize(
        ((g, 1) for g in t.geometry.values if g is not None and not g.is_empty),
        out_shape=shape,
        transform=big,
        fill=0,
        all_touched=True,
        dtype="uint8",
    )
    if not burnt.any():
        raise EmptyInputError("no target lies within 20 km of the grid")
    dist = distance_transform_edt(burnt == 0, sampling=grid.resolution).astype("float32")
    out = dist[pad : pad + grid.height, pad : pad + grid.width]
    if grid.mask is not None:
        out = np.where(grid.mask, out, np.float32(np.nan))
    return cast("np.ndarray", out)


def _targets() -> dict[str, tuple[str, Callable[[], gpd.GeoDataFrame], tuple[str, ...]]]:
    from erbm_geo.indicators import builtin

    return {
        "centres_main": (
            "Distance à la centralité principale (m)",
            lambda: builtin.centres("main"),
            ("mairies",),
        ),
        "centres_acv_pvd": (
            "Distance au pôle ACV/PVD (m)",
            lambda: builtin.centres("acv_pvd"),
            ("mairies", "acv_pvd_ort"),
        ),
        "centres_all": (
            "Distance au centre communal le plus proche (m)",
            lambda: builtin.centres("all"),
            ("mairies",),
        ),
        "stations": (
            "Distance à la gare ou station (m)",
            builtin.stations,
            ("gares_voyageurs", "osm_stations"),
        ),
        "rail": ("Distance à la voie ferrée (m)", builtin.rail_lines, ("rfn_lignes",)),
        "qpv": ("Distance au QPV (m)", builtin.qpv, ("qpv",)),
        "unesco": ("Distance au bien UNESCO (m)", builtin.unesco_property, ("bien_inscrit",)),
    }


#: Built-in targets of :func:`distance_to`: name -> French title.
SURFACE_TARGETS = ("centres_main", "centres_acv_pvd", "centres_all", "stations", "rail", "qpv", "unesco")


def distance_to(
    target: str, *, resolution: float = 50.0, grid: Grid | None = None
) -> tuple[np.ndarray, Grid, dict[str, str]]:
    """Return the distance surface to a built-in target over the basin.

    Parameters
    ----------
    target : str
        One of :data:`SURFACE_TARGETS`.
    resolution : float, default 50.0
        Cell size (m) when *grid* is not given.
    grid : Grid, optional
        The grid (default: :func:`basin_grid` at *resolution*).

    Returns
    -------
    array : numpy.ndarray of float32
        The distances (m).
    grid : Grid
        Their grid.
    tags : dict of str to str
        The surface's name, unit and source datasets (for the COG metadata).

    Raises
    ------
    UnknownOptionError
        If *target* is not one of :data:`SURFACE_TARGETS`.
    DataNotFoundError
        If the target's layer is neither in the mirror nor downloadable.

    Examples
    --------
    >>> array, grid, tags = distance_to("centres_main", resolution=500)
    >>> array.shape == (grid.height, grid.width), tags["unit"]
    (True, 'm')
    """
    table = _targets()
    if target not in table:
        raise UnknownOptionError(f"unknown surface {target!r}; choose one of {', '.join(table)}")
    title, loader, sources = table[target]
    g = grid or basin_grid(resolution=resolution)
    arr = distance_surface(loader(), grid=g)
    tags = {
        "title": title,
        "unit": "m",
        "sources": ",".join(sources),
        "method": "rasterize(all_touched) + distance_transform_edt",
        "resolution_m": str(g.resolution),
    }
    return arr, g, tags
