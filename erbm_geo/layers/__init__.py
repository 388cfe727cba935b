"""The model: each function returns a clean GeoDataFrame in EPSG:2154 with a stable index."""

from erbm_geo.layers import heritage
from erbm_geo.layers.centres import as_centres, centres
from erbm_geo.layers.cites import cite_parts, cites, overview_by_epci, programme_cites, select_cites
from erbm_geo.layers.friche_sites import FRICHES_SITES_VINTAGES, SITE_STATUTS, friches_sites, site_url
from erbm_geo.layers.friches import cartofriches_sites, friches_communes, strategic_sites
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
from erbm_geo.layers.population import POPULATION_YEARS, population_history, population_table
from erbm_geo.layers.qpv import qpv
from erbm_geo.layers.registry import LAYERS, load
from erbm_geo.layers.socio import income_communes, income_iris, iris
from erbm_geo.layers.territory import (
    TERRITORIES,
    basin_outline,
    codes_from_names,
    communes,
    departements,
    epci,
    erbm_epci_sirens,
    filter_to_territory,
    select_communes,
    territory_communes,
)
from erbm_geo.layers.transport import (
    bhns_lines,
    eurovelo5,
    eveole_stops,
    mining_railways,
    rail_lines,
    stations,
)
from erbm_geo.layers.user import user_layer

__all__ = [
    "FRICHES_SITES_VINTAGES",
    "HERITAGE_LAYERS",
    "LAYERS",
    "POPULATION_YEARS",
    "SITE_STATUTS",
    "TERRITORIES",
    "as_centres",
    "basin_outline",
    "batis",
    "bhns_lines",
    "bien_inscrit",
    "cartofriches_sites",
    "cavaliers",
    "centres",
    "cite_parts",
    "cites",
    "codes_from_names",
    "communes",
    "departements",
    "epci",
    "equipements_collectifs",
    "equipements_extraction",
    "erbm_epci_sirens",
    "espaces_neonaturels",
    "eurovelo5",
    "eveole_stops",
    "filter_to_territory",
    "friches_communes",
    "friches_sites",
    "heritage",
    "income_communes",
    "income_iris",
    "iris",
    "load",
    "mining_railways",
    "overview_by_epci",
    "population_history",
    "population_table",
    "programme_cites",
    "puits_de_mines",
    "qpv",
    "rail_lines",
    "select_cites",
    "select_communes",
    "site_url",
    "stations",
    "strategic_sites",
    "terrils",
    "territory_communes",
    "user_layer",
    "zone_tampon",
    "zt_cavaliers",
    "zt_espaces_neonaturels",
    "zt_parvis_agricoles",
    "zt_terrils",
]
