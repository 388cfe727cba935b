"""The model: each function returns a clean GeoDataFrame in EPSG:2154 with a stable index."""

from erbm_geo.layers import heritage
from erbm_geo.layers.cites import cites, overview_by_epci, programme_cites, select_cites
from erbm_geo.layers.heritage import (
    HERITAGE_LAYERS,
    batis,
    bien_inscrit,
    cavaliers,
    equipements_collectifs,
    equipements_extraction,
    espaces_neonaturels,
    puits_de_mines,
    terrils,
    zone_tampon,
    zt_cavaliers,
    zt_espaces_neonaturels,
    zt_parvis_agricoles,
    zt_terrils,
)
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
    "HERITAGE_LAYERS",
    "PERIMETERS",
    "basin_outline",
    "batis",
    "bien_inscrit",
    "cavaliers",
    "cites",
    "communes",
    "departements",
    "epci",
    "equipements_collectifs",
    "equipements_extraction",
    "erbm_epci_sirens",
    "espaces_neonaturels",
    "heritage",
    "overview_by_epci",
    "programme_cites",
    "puits_de_mines",
    "select_cites",
    "select_communes",
    "terrils",
    "zone_tampon",
    "zt_cavaliers",
    "zt_espaces_neonaturels",
    "zt_parvis_agricoles",
    "zt_terrils",
]
