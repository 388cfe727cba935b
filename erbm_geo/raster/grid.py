"""An explicit raster grid in Lambert-93: origin, resolution, shape, and the basin mask."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from affine import Affine

from erbm_geo import settings
from erbm_geo.errors import CRSError, OutOfAreaError, UnknownOptionError
from erbm_geo.geom.validate import AREA_BOUNDS

__all__ = ["Grid", "basin_grid"]


@dataclass(frozen=True)
class Grid:
    """A north-up grid: ``transform`` (rasterio Affine), ``width``, ``height``, CRS EPSG:2154.

    Parameters
    ----------
    transform : affine.Affine
        North-up, square cells, origin in metres (Lambert-93).
    width, height : int
        Columns and rows, positive.
    crs : str, default "EPSG:2154"
        Must be EPSG:2154.
    mask : numpy.ndarray of bool, optional
        True inside the area of interest: the cells that hold data; the others are nodata in every
        surface computed on the grid.

    Examples
    --------
    >>> from affine import Affine
    >>> g = Grid(Affine(100, 0, 690_000, 0, -100, 7_030_000), width=40, height=30)
    >>> g.resolution, g.bounds
    (100.0, (690000.0, 7027000.0, 694000.0, 7030000.0))
    """

    transform: Affine
    width: int
    height: int
    crs: str = settings.crs
    mask: np.ndarray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Check the size, the transform (north-up, square cells) and the CRS."""
        t = self.transform
        if not (
            isinstance(self.width, int | np.integer)
            and isinstance(self.height, int | np.integer)
            and self.width > 0
            and self.height > 0
        ):
            raise UnknownOptionError(
                f"a grid needs a positive width and height, got {self.width} x {self.height}"
            )
        if not (math.isfinite(t.a) and t.a > 0 and math.isclose(-t.e, t.a) and t.b == 0 == t.d):
            raise UnknownOptionError(f"a grid must be north-up with square cells: got transform {t}")
        if self.crs != settings.crs:
            raise CRSError(f"a grid must be in {settings.crs} (Lambert-93), got {self.crs}")
        x0, y0, x1, y1 = self.bounds
        ax0, ay0, ax1, ay1 = AREA_BOUNDS
        if not (ax0 <= x0 and ay0 <= y0 and x1 <= ax1 and y1 <= ay1):
            raise OutOfAreaError(
                f"grid bounds {[round(v, 1) for v in self.bounds]} lie outside metropolitan France "
                f"in EPSG:2154 (expected within {list(AREA_BOUNDS)}): check the transform's origin "
                "(in metres, Lambert-93) and the resolution."
            )
        if self.mask is not None and np.shape(self.mask) != (self.height, self.width):
            raise UnknownOptionError(
                f"grid mask has shape {np.shape(self.mask)}, expected {(self.height, self.width)}"
            )

    @property
    def resolution(self) -> float:
        """Cell size in metres."""
        return float(self.transform.a)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the grid."""
        x0, y1 = self.transform.c, self.transform.f
        return (x0, y1 - self.height * self.resolution, x0 + self.width * self.resolution, y1)

    def cell_centres(self) -> tuple[np.ndarray, np.ndarray]:
        """X and y of every cell centre, shape (height, width)."""
        cols = np.arange(self.width) + 0.5
        rows = np.arange(self.height) + 0.5
        x = self.transform.c + cols * self.resolution
        y = self.transform.f - rows * self.resolution
        return np.meshgrid(x, y)


def basin_grid(
    *,
    resolution: float = 50.0,
    align: float | None = None,
    area: shapely.Geometry | None = None,
    margin: float = 0.0,
) -> Grid:
    """Return a grid covering the basin outline (or *area*), with the outline as mask.

    Parameters
    ----------
    resolution : float, default 50
        Cell size (m).
    align : float, optional
        Snap the origin to multiples of this (default: the resolution), so grids of different
        runs and resolutions nest.
    area : shapely geometry, optional
        Area of interest in EPSG:2154 (default: the Mission Bassin Minier outline).
    margin : float
        Extra margin (m) around the area.

    Returns
    -------
    Grid
        Snapped to *align*, masked to the area.

    Raises
    ------
    UnknownOptionError
        If *resolution* is not positive.
    OutOfAreaError
        If *area* lies outside metropolitan France in EPSG:2154.
    DataNotFoundError
        If *area* is not given and the basin outline is neither in the mirror nor downloadable.

    Examples
    --------
    >>> g = basin_grid(resolution=100)
    >>> g.resolution, bool(g.mask.sum() * 0.01 > 1700)  # km² of the basin inside the mask
    (100.0, True)
    """
    if not resolution > 0:
        raise UnknownOptionError(f"resolution must be positive, got {resolution!r}")
    if area is None:
        from erbm_geo.layers.territory import basin_outline

        area = basin_outline().geometry.iloc[0]
    step = align or resolution
    xmin, ymin, xmax, ymax = shapely.bounds(area)
    xmin = math.floor((xmin - margin) / step) * step
    ymin = math.floor((ymin - margin) / step) * step
    xmax = math.ceil((xmax + margin) / step) * step
    ymax = math.ceil((ymax + margin) / step) * step
    width = round((xmax - xmin) / resolution)
    height = round((ymax - ymin) / resolution)
    transform = Affine(resolution, 0, xmin, 0, -resolution, ymax)
    from rasterio.features import geometry_mask

    mask = geometry_mask([area], out_shape=(height, width), transform=transform, invert=True)
    return Grid(transform, width, height, settings.crs, mask)
