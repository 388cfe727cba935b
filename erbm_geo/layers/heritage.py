"""The UNESCO World Heritage property 1360, its buffer zone and the heritage elements.

« Bassin minier du Nord-Pas de Calais », as published by the Mission Bassin Minier (Licence
Ouverte).

Every function returns a GeoDataFrame in EPSG:2154 with clean lowercase columns, a stable index and
the INSEE code(s) of the commune(s) holding each feature, computed spatially
(:func:`erbm_geo.geom.spatial.assign_communes`): ``code_insee`` (main commune) and ``codes_insee``
(all, ``;``-separated). Invalid source polygons are repaired with ``make_valid`` and counted in
``gdf.attrs["repaired"]``.

Official areas (UNESCO, decision 36 COM 8B.22, 2012): property 3,943 ha, buffer zone 18,804 ha.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd

from erbm_geo import settings
from erbm_geo._warnings import warn
from erbm_geo.data import cached_layer
from erbm_geo.errors import DataQualityWarning
from erbm_geo.geom.spatial import assign_communes, repair_geometries
from erbm_geo.layers._io import read_geojson
from erbm_geo.layers.territory import communes as _communes

__all__ = [
    "HERITAGE_LAYERS",
    "PROPERTY_AND_BUFFER_AREA_HA",
    "PROPERTY_AREA_HA",
    "batis",
    "bien_inscrit",
    "cavaliers",
    "equipements_collectifs",
    "equipements_extraction",
    "espaces_neonaturels",
    "puits_de_mines",
    "terrils",
    "zone_tampon",
    "zt_cavaliers",
    "zt_espaces_neonaturels",
    "zt_parvis_agricoles",
    "zt_terrils",
]

#: Official area of the inscribed property (ha), UNESCO.
PROPERTY_AREA_HA = 3943.0
#: Official area of the property and its buffer zone (ha), UNESCO.
PROPERTY_AND_BUFFER_AREA_HA = 18804.0


def _repair(gdf: gpd.GeoDataFrame, dataset: str) -> gpd.GeoDataFrame:
    """Drop features without geometry (reported) and repair invalid ones (counted)."""
    missing = gdf.geometry.isna().to_numpy() | gdf.geometry.is_empty.to_numpy()
    dropped = [int(i) for i in np.flatnonzero(missing)]
    if dropped:
        warn(
            f"{dataset}: {len(dropped)} source feature(s) have no geometry and were left out "
            f"(source row numbers {dropped}); see gdf.attrs['dropped_no_geometry']",
            DataQualityWarning,
        )
        gdf = gdf[~missing].copy()
    invalid = ~gdf.is_valid.to_numpy()
    if invalid.any():
        gdf.loc[invalid, "geometry"] = repair_geometries(gdf.geometry.values[invalid])
    gdf.attrs["repaired"] = int(invalid.sum())
    gdf.attrs["dropped_no_geometry"] = dropped
    return gdf


def _prepare(
    dataset: str,
    columns: dict[str, str],
    index: str | None,
    post: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] | None = None,
) -> gpd.GeoDataFrame:
    def build() -> gpd.GeoDataFrame:
        raw = read_geojson(dataset)
        gdf = raw[[*columns, "geometry"]].rename(columns=columns)
        gdf = _repair(gpd.GeoDataFrame(gdf, geometry="geometry", crs=settings.crs), dataset)
        if post is not None:
            gdf = post(gdf)
        codes = assign_communes(gdf, _communes(territory="nord_pas_de_calais"))
        gdf["code_insee"] = codes["code_insee"]
        gdf["codes_insee"] = codes["codes_insee"]
        if index is not None:
            gdf = gdf.set_index(index, drop=True)
        else:
            gdf.index = pd.RangeIndex(len(gdf), name="fid")
        gdf.attrs["sources"] = [dataset]
        cols = [c for c in gdf.columns if c != "geometry"] + ["geometry"]
        return gdf[cols]

    return cached_layer(f"heritage_{dataset}", (dataset, "communes_59", "communes_62", "cog_communes"), build)


def _unesco_id(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    gdf["id_unesco"] = gdf["id_unesco"].astype("string")
    return gdf


def bien_inscrit() -> gpd.GeoDataFrame:
    """Return the 109 component parts of World Heritage property 1360.

    Index ``no_element`` (1–109, integer); columns ``nom``, ``no_section``, ``section`` (the
    mining company or theme of the section), ``surface_ha`` (as published), ``code_insee``,
    ``codes_insee``.

    Examples
    --------
    >>> b = bien_inscrit()
    >>> len(b), b.index.min(), b.index.max()
    (109, 1, 109)
    >>> round(float(b.area.sum()) / 1e4 / PROPERTY_AREA_HA, 3)  # within 1 % of the official area
    1.007
    """

    def post(g: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        g["no_element"] = g["no_element"].astype(int)
        g["no_section"] = g["no_section"].astype(int)
        return g.sort_values("no_element")

    return _prepare(
        "bien_inscrit",
        {
            "no_element": "no_element",
            "nom": "nom",
            "no_section": "no_section",
            "section": "section",
            "surface_ha": "surface_ha",
        },
        "no_element",
        post,
    )


def zone_tampon() -> gpd.GeoDataFrame:
    """Return the buffer zone of the property.

    15 polygons drawn around (not over) the component parts.

    Examples
    --------
    >>> len(zone_tampon())
    15
    """

    def post(g: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        g["id"] = g["id"].astype(int)
        return g

    return _prepare("zone_tampon", {"id": "id", "surface_ha": "surface_ha"}, "id", post)


_MBM_UNESCO = {"id_unesco": "id_unesco", "element": "element", "objet": "objet"}


def batis() -> gpd.GeoDataFrame:
    """Inscribed buildings (159): company buildings, headframes, health and social facilities."""
    return _prepare(
        "batis",
        {
            **_MBM_UNESCO,
            "nom": "nom",
            "denomination": "denomination",
            "typologie": "typologie",
            "compagnie": "compagnie",
            "periode": "periode",
            "proprietaire": "proprietaire",
            "protection": "protection",
        },
        None,
        _unesco_id,
    )


def equipements_collectifs() -> gpd.GeoDataFrame:
    """Inscribed collective facilities (135): schools, churches, dispensaries, offices…."""
    return _prepare(
        "equipements_collectifs",
        {
            **_MBM_UNESCO,
            "nom": "nom",
            "typologie": "typologie",
            "compagnie": "compagnie",
            "periode": "periode",
            "proprietaire": "proprietaire",
            "protection": "protection",
        },
        None,
        _unesco_id,
    )


def equipements_extraction() -> gpd.GeoDataFrame:
    """Inscribed extraction facilities (25): headframes, pit heads, machine houses."""
    return _prepare(
        "equipements_extraction",
        {
            **_MBM_UNESCO,
            "nom": "nom",
            "typologie": "typologie",
            "compagnie": "compagnie",
            "periode": "periode",
            "proprietaire": "proprietaire",
            "protection": "protection",
        },
        None,
        _unesco_id,
    )


def cavaliers() -> gpd.GeoDataFrame:
    """Inscribed cavaliers (14 polygons): embankments of the former mining railways."""
    return _prepare("cavaliers", {**_MBM_UNESCO, "longueur_m": "longueur_m"}, None, _unesco_id)


def zt_cavaliers() -> gpd.GeoDataFrame:
    """Cavaliers of the buffer zone (1,317 line sections of historic mining railways)."""
    return _prepare("zt_cavaliers", {"id_troncon": "id_troncon", "nom": "nom"}, None)


def terrils() -> gpd.GeoDataFrame:
    """Inscribed terrils (51 polygons; index ``no_terril``, e.g. ``"T115"``)."""
    return _prepare(
        "terrils",
        {
            "no_terril": "no_terril",
            "nom": "nom",
            "compagnie": "compagnie",
            "groupe": "groupe",
            "forme": "forme",
            **_MBM_UNESCO,
        },
        "no_terril",
        _unesco_id,
    )


def zt_terrils() -> gpd.GeoDataFrame:
    """Terrils of the buffer zone (111 polygons; index ``no_terril``)."""
    return _prepare(
        "zt_terrils",
        {"id": "no_terril", "nom": "nom", "nom_usuel": "nom_usuel", "forme": "forme"},
        "no_terril",
    )


def espaces_neonaturels() -> gpd.GeoDataFrame:
    """Inscribed espaces néo-naturels (5): subsidence ponds and their woods."""
    return _prepare("espace_neonaturel", {"nom": "nom", **_MBM_UNESCO}, None, _unesco_id)


def zt_espaces_neonaturels() -> gpd.GeoDataFrame:
    """Espaces néo-naturels of the buffer zone (7)."""
    return _prepare("zt_espaces_neonaturels", {"id": "id", "nom": "nom"}, "id")


def zt_parvis_agricoles() -> gpd.GeoDataFrame:
    """Protected agricultural views of the buffer zone (138), with the terrils they look at."""
    return _prepare(
        "zt_parvis_agricoles", {"id": "id", "qualite_vue": "qualite_vue", "vue_sur": "vue_sur"}, "id"
    )


def puits_de_mines() -> gpd.GeoDataFrame:
    """Return the 636 former mine shafts (points) with company, concession, depth, dates and BRGM link.

    Examples
    --------
    >>> p = puits_de_mines()
    >>> len(p), p.geom_type.unique().tolist()
    (636, ['Point'])
    """
    return _prepare(
        "puits_de_mines",
        {
            "fosse": "fosse",
            "fosse_alias": "fosse_alias",
            "puits": "puits",
            "compagnie": "compagnie",
            "concession": "concession",
            "cote": "cote_m",
            "creusement": "creusement",
            "fermeture": "fermeture",
            "profondeur": "profondeur_m",
            "brgm": "url_brgm",
        },
        None,
    )


#: name -> loader, for the CLI, maps and the atlas.
HERITAGE_LAYERS: dict[str, Callable[[], gpd.GeoDataFrame]] = {
    "bien_inscrit": bien_inscrit,
    "zone_tampon": zone_tampon,
    "batis": batis,
    "equipements_collectifs": equipements_collectifs,
    "equipements_extraction": equipements_extraction,
    "cavaliers": cavaliers,
    "zt_cavaliers": zt_cavaliers,
    "terrils": terrils,
    "zt_terrils": zt_terrils,
    "espaces_neonaturels": espaces_neonaturels,
    "zt_espaces_neonaturels": zt_espaces_neonaturels,
    "zt_parvis_agricoles": zt_parvis_agricoles,
    "puits_de_mines": puits_de_mines,
}
