"""Rasters (rasterio): distance surfaces, densities, zonal statistics, COG output, map overlays."""

from erbm_geo.raster.density import commune_density, kernel_density
from erbm_geo.raster.grid import Grid, basin_grid
from erbm_geo.raster.io import read_raster, validate_cog, write_cog
from erbm_geo.raster.surfaces import SURFACE_TARGETS, distance_surface, distance_to
from erbm_geo.raster.zonal import zonal_stats

__all__ = [
    "SURFACE_TARGETS",
    "Grid",
    "basin_grid",
    "commune_density",
    "distance_surface",
    "distance_to",
    "kernel_density",
    "read_raster",
    "validate_cog",
    "write_cog",
    "zonal_stats",
]
