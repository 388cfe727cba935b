"""The model: each function returns a clean GeoDataFrame in EPSG:2154 with a stable index."""

from erbm_geo.layers.territory import (
    PERIMETERS,
    basin_outline,
    communes,
    departements,
    epci,
    erbm_epci_sirens,
    select_communes,
)

__all__ = [
    "PERIMETERS",
    "basin_outline",
    "communes",
    "departements",
    "epci",
    "erbm_epci_sirens",
    "select_communes",
]
