"""Every built-in layer by name, for the CLI, the maps and the docs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd

import erbm_geo.layers.heritage as heritage
import erbm_geo.layers.territory as territory
import erbm_geo.layers.transport as transport
from erbm_geo.data.catalogue import get
from erbm_geo.layers.centres import centres as _centres
from erbm_geo.layers.cites import cites as _cites
from erbm_geo.layers.friche_sites import FRICHES_SITES_VINTAGES, friches_sites
from erbm_geo.layers.friches import friches_communes, strategic_sites
from erbm_geo.layers.qpv import qpv as _qpv
from erbm_geo.layers.socio import income_communes, income_iris
from erbm_geo.vocabulary import date_fr

__all__ = ["LAYERS", "LayerInfo", "load"]

_LATEST_SITES = f"cartofriches_sites_{FRICHES_SITES_VINTAGES[-1].replace('-', '_')}"


@dataclass(frozen=True)
class LayerInfo:
    """A named layer: its loader, a French title, its datasets and the column its maps show.

    ``column`` is the column printed maps colour the layer by (None: one colour).
    """

    name: str
    title: str
    loader: Callable[[], gpd.GeoDataFrame]
    sources: tuple[str, ...]
    column: str | None = None


_H = heritage
LAYERS: dict[str, LayerInfo] = {
    i.name: i
    for i in [
        LayerInfo(
            "communes",
            "Communes du Bassin minier",
            territory.communes,
            ("communes_59", "communes_62", "cog_communes", "cog_epci"),
        ),
        LayerInfo(
            "communes_erbm",
            "Communes des 8 EPCI de l'ERBM",
            lambda: territory.communes(territory="erbm"),
            ("communes_59", "communes_62", "cog_communes", "cog_epci"),
        ),
        LayerInfo("epci", "EPCI de l'ERBM", territory.epci, ("communes_59", "communes_62", "cog_epci")),
        LayerInfo(
            "departements",
            "Départements",
            territory.departements,
            ("communes_59", "communes_62", "cog_departements"),
        ),
        LayerInfo("bassin_minier", "Périmètre du Bassin minier", territory.basin_outline, ("bassin_minier",)),
        LayerInfo("bien_inscrit", "Bien inscrit UNESCO", _H.bien_inscrit, ("bien_inscrit",)),
        LayerInfo("zone_tampon", "Zone tampon UNESCO", _H.zone_tampon, ("zone_tampon",)),
        LayerInfo("batis", "Bâtis inscrits", _H.batis, ("batis",)),
        LayerInfo(
            "equipements_collectifs",
            "Équipements collectifs inscrits",
            _H.equipements_collectifs,
            ("equipements_collectifs",),
        ),
        LayerInfo(
            "equipements_extraction",
            "Équipements d'extraction inscrits",
            _H.equipements_extraction,
            ("equipements_extraction",),
        ),
        LayerInfo("cavaliers", "Cavaliers inscrits", _H.cavaliers, ("cavaliers",)),
        LayerInfo("zt_cavaliers", "Cavaliers de la zone tampon", _H.zt_cavaliers, ("zt_cavaliers",)),
        LayerInfo("terrils", "Terrils inscrits", _H.terrils, ("terrils",)),
        LayerInfo("zt_terrils", "Terrils de la zone tampon", _H.zt_terrils, ("zt_terrils",)),
        LayerInfo(
            "espaces_neonaturels",
            "Espaces néo-naturels inscrits",
            _H.espaces_neonaturels,
            ("espace_neonaturel",),
        ),
        LayerInfo(
            "zt_espaces_neonaturels",
            "Espaces néo-naturels de la zone tampon",
            _H.zt_espaces_neonaturels,
            ("zt_espaces_neonaturels",),
        ),
        LayerInfo(
            "zt_parvis_agricoles", "Parvis agricoles", _H.zt_parvis_agricoles, ("zt_parvis_agricoles",)
        ),
        LayerInfo("puits_de_mines", "Anciens puits de mine", _H.puits_de_mines, ("puits_de_mines",)),
        LayerInfo("cites", "Cités minières", _cites, ("cites_minieres", "zt_cites_minieres", "cites_erbm")),
        LayerInfo("qpv", "Quartiers prioritaires 2024", _qpv, ("qpv",)),
        LayerInfo("centres", "Centres (mairies) et hiérarchie", _centres, ("mairies", "acv_pvd_ort")),
        LayerInfo(
            "friches_communes",
            "Friches (Cartofriches) par commune",
            friches_communes,
            ("cartofriches_communes",),
        ),
        LayerInfo(
            "friches_sites",
            f"Sites en friche (Cartofriches, extrait du {date_fr(str(get(_LATEST_SITES).extract))})",
            friches_sites,
            (_LATEST_SITES,),
            "site_statut",
        ),
        LayerInfo(
            "strategic_sites",
            "Sites stratégiques (documents du programme)",
            strategic_sites,
            ("equipements_extraction",),
        ),
        LayerInfo(
            "income_communes",
            f"Revenus Filosofi {get('filosofi_communes').reference_year} par commune",
            income_communes,
            ("filosofi_communes",),
        ),
        LayerInfo(
            "income_iris",
            f"Revenus Filosofi {get('filosofi_iris').reference_year} par IRIS",
            income_iris,
            ("iris", "filosofi_iris"),
        ),
        LayerInfo("rail_lines", "Voies ferrées exploitées", transport.rail_lines, ("rfn_lignes",)),
        LayerInfo("stations", "Gares et stations", transport.stations, ("gares_voyageurs", "osm_stations")),
        LayerInfo("eurovelo5", "EuroVelo 5", transport.eurovelo5, ("eurovelo5",)),
    ]
}


def load(name: str) -> gpd.GeoDataFrame:
    """Load the built-in layer *name* (see :data:`LAYERS`).

    Parameters
    ----------
    name : str
        A layer name (see :data:`LAYERS`).

    Returns
    -------
    geopandas.GeoDataFrame
        The layer, in EPSG:2154.

    Raises
    ------
    UnknownOptionError
        If *name* is not a built-in layer.
    DataNotFoundError
        If its source is neither in the mirror nor downloadable.
    ChecksumError
        If its source does not have its catalogued sha256.

    Examples
    --------
    >>> len(load("bien_inscrit"))
    109
    """
    from erbm_geo.errors import UnknownOptionError

    if name not in LAYERS:
        raise UnknownOptionError(f"unknown layer {name!r}; known layers: {', '.join(LAYERS)}")
    return LAYERS[name].loader()
