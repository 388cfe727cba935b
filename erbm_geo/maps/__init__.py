"""Outputs for people: interactive Folium maps, static maps and the publishable HTML atlas."""

from erbm_geo.maps.atlas import ATLAS_INDICATORS, build_atlas
from erbm_geo.maps.interactive import (
    BASEMAPS,
    add_attribution,
    add_layer,
    add_legend,
    basin_map,
    finalize,
    new_map,
    to_html,
)
from erbm_geo.maps.raster_overlay import add_raster, plot_raster
from erbm_geo.maps.static_maps import save_figure, static_map

__all__ = [
    "ATLAS_INDICATORS",
    "BASEMAPS",
    "add_attribution",
    "add_layer",
    "add_legend",
    "add_raster",
    "basin_map",
    "build_atlas",
    "finalize",
    "new_map",
    "plot_raster",
    "save_figure",
    "static_map",
    "to_html",
]
