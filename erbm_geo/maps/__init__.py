"""Outputs for people: interactive Folium maps, static maps and the publishable HTML atlas."""

from erbm_geo.maps.atlas import build_atlas

__all__ = ["build_atlas"]
