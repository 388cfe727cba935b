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

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``no_element`` (1–109, integer); columns ``nom``, ``no_section``, ``section`` (the
        mining company or theme of the section), ``surface_ha`` (as published), ``code_insee``,
        ``codes_insee``; EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

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

    Returns
    -------
    geopandas.GeoDataFrame
        15 polygons drawn around (not over) the component parts, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

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
    """Return the inscribed buildings (159): company buildings, headframes, health and social facilities.

    Returns
    -------
    geopandas.GeoDataFrame
        One polygon per building, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> len(batis())
    159
    """
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
    """Return the inscribed collective facilities (134): schools, churches, dispensaries, offices….

    The source lists 135; one has no geometry and is dropped with a
    :class:`~erbm_geo.errors.DataQualityWarning`
    (counted in ``attrs["dropped_no_geometry"]``).

    Returns
    -------
    geopandas.GeoDataFrame
        One polygon per facility, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> len(equipements_collectifs())
    134
    """
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
    """Return the inscribed extraction facilities (25): headframes, pit heads, machine houses.

    Returns
    -------
    geopandas.GeoDataFrame
        One polygon per facility, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> len(equipements_extraction())
    25
    """
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
    """Return the inscribed cavaliers (14 polygons): embankments of the former mining railways.

    Returns
    -------
    geopandas.GeoDataFrame
        The cavaliers' polygons, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> len(cavaliers())
    14
    """
    return _prepare("cavaliers", {**_MBM_UNESCO, "longueur_m": "longueur_m"}, None, _unesco_id)


def zt_cavaliers() -> gpd.GeoDataFrame:
    """Return the cavaliers of the buffer zone (1,316 line sections of historic mining railways).

    The source lists 1,317; one has no geometry and is dropped with a
    :class:`~erbm_geo.errors.DataQualityWarning`
    (counted in ``attrs["dropped_no_geometry"]``).

    Returns
    -------
    geopandas.GeoDataFrame
        The line sections, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> len(zt_cavaliers())
    1316
    """
    return _prepare("zt_cavaliers", {"id_troncon": "id_troncon", "nom": "nom"}, None)


def terrils() -> gpd.GeoDataFrame:
    """Return the inscribed terrils (51 polygons).

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``no_terril`` (e.g. ``"T115"``), in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> len(terrils())
    51
    """
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
    """Return the terrils of the buffer zone (111 polygons).

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``no_terril``, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> len(zt_terrils())
    111
    """
    return _prepare(
        "zt_terrils",
        {"id": "no_terril", "nom": "nom", "nom_usuel": "nom_usuel", "forme": "forme"},
        "no_terril",
    )


def espaces_neonaturels() -> gpd.GeoDataFrame:
    """Return the inscribed espaces néo-naturels (5): subsidence ponds and their woods.

    Returns
    -------
    geopandas.GeoDataFrame
        Their polygons, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> len(espaces_neonaturels())
    5
    """
    return _prepare("espace_neonaturel", {"nom": "nom", **_MBM_UNESCO}, None, _unesco_id)


def zt_espaces_neonaturels() -> gpd.GeoDataFrame:
    """Return the espaces néo-naturels of the buffer zone (7).

    Returns
    -------
    geopandas.GeoDataFrame
        Their polygons, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> len(zt_espaces_neonaturels())
    7
    """
    return _prepare("zt_espaces_neonaturels", {"id": "id", "nom": "nom"}, "id")


def zt_parvis_agricoles() -> gpd.GeoDataFrame:
    """Return the protected agricultural views of the buffer zone (138).

    Returns
    -------
    geopandas.GeoDataFrame
        Their polygons, with the terrils they look at, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> len(zt_parvis_agricoles())
    138
    """
    return _prepare(
        "zt_parvis_agricoles", {"id": "id", "qualite_vue": "qualite_vue", "vue_sur": "vue_sur"}, "id"
    )


def puits_de_mines() -> gpd.GeoDataFrame:
    """Return the 636 former mine shafts (points) with company, concession, depth, dates and BRGM link.

    Returns
    -------
    geopandas.GeoDataFrame
        One point per shaft, with ``fosse``, ``puits``, ``compagnie``, ``concession``,
        ``profondeur_m``, ``creusement``, ``fermeture`` and ``url_brgm``; EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

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
