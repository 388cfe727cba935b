"""Centres: one point per commune, with a three-level hierarchy.

Point
    The town hall (Annuaire de l'administration, ``admin/mairies-59-62.csv``); where a commune has
    none, ``shapely.point_on_surface`` of its polygon (a point guaranteed inside it, near its
    centre of mass). ``source_point`` says which.
Hierarchy (``niveau``)
    1. the main centralities named by the programme documents (fact table
       ``data/communes/main_centralities.csv``: Valenciennes, Douai, Béthune, Lens, Liévin,
       Hénin-Beaumont, Bruay-la-Buissière, Denain);
    2. the communes in Action Cœur de Ville or Petites Villes de Demain
       (``anct/programmes-acv-pvd-ort.json``);
    3. every other commune.

Users can pass their own centres to the indicators: :func:`as_centres` turns any point layer into
the same schema.
"""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo import settings
from erbm_geo._deprecation import renamed_kwarg
from erbm_geo.data import cached_layer
from erbm_geo.data.facts import read_fact_table
from erbm_geo.errors import UnknownOptionError
from erbm_geo.geom.validate import PUNCTUAL, check_columns, check_geometries, check_not_empty, to_working_crs
from erbm_geo.layers._io import read_csv, read_json
from erbm_geo.layers.territory import TerritoryName
from erbm_geo.layers.territory import communes as _communes

__all__ = ["LEVELS", "Level", "as_centres", "centres"]

Level = Literal["main", "acv_pvd", "all"]
LEVELS: dict[str, int] = {"main": 1, "acv_pvd": 2, "all": 3}


def _build() -> gpd.GeoDataFrame:
    allc = _communes(territory="nord_pas_de_calais")
    mairies = read_csv("mairies", dtype={"insee": str})
    check_columns(mairies, ["insee", "lon", "lat"], name="mairies-59-62.csv")
    mairies = mairies.drop_duplicates("insee").set_index("insee")
    pts = gpd.GeoSeries(
        gpd.points_from_xy(mairies["lon"], mairies["lat"]), index=mairies.index, crs="EPSG:4326"
    ).to_crs(settings.crs)
    pts = pts.reindex(allc.index)
    # a town-hall point outside its own commune (bad geocoding) is not trusted either
    inside = np.zeros(len(allc), dtype=bool)
    has = pts.notna().to_numpy()
    inside[has] = shapely.covers(allc.geometry.values[has], pts.values[has])
    fallback = shapely.point_on_surface(allc.geometry.values)
    geom = np.where(inside, pts.values, fallback)
    progs = read_json("acv_pvd_ort")["communes"]
    main = set(read_fact_table("main_centralities")["code_insee"])
    codes = allc.index.to_numpy()
    acv = np.array([bool(progs.get(c, {}).get("acv")) for c in codes])
    pvd = np.array([bool(progs.get(c, {}).get("pvd")) for c in codes])
    ort = np.array([bool(progs.get(c, {}).get("ort")) for c in codes])
    niveau = np.where(np.isin(codes, list(main)), 1, np.where(acv | pvd, 2, 3))
    out = gpd.GeoDataFrame(
        {
            "nom": allc["nom"].to_numpy(),
            "niveau": niveau.astype("int64"),
            "acv": acv,
            "pvd": pvd,
            "ort": ort,
            "source_point": np.where(inside, "mairie", "point_on_surface"),
            "in_basin": allc["in_basin"].to_numpy(),
            "in_erbm_epci": allc["in_erbm_epci"].to_numpy(),
        },
        geometry=geom,
        crs=settings.crs,
        index=allc.index,
    )
    out.attrs["sources"] = ["mairies", "acv_pvd_ort", "communes_59", "communes_62"]
    return out


@renamed_kwarg("perimeter", "territory")
def centres(*, level: Level = "all", territory: TerritoryName = "bassin_minier_erbm") -> gpd.GeoDataFrame:
    """Return commune centres of a hierarchy level within a territory.

    Parameters
    ----------
    level : {"main", "acv_pvd", "all"}
        ``"main"``: the 8 main centralities (niveau 1); ``"acv_pvd"``: niveau ≤ 2; ``"all"``:
        every commune.
    territory : str
        Communes considered (see :func:`erbm_geo.layers.communes`); default the basin and the
        ERBM EPCI, so that a cité near the basin edge can find a centre just outside it.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``code_insee``; ``nom``, ``niveau`` (1–3), ``acv``, ``pvd``, ``ort``,
        ``source_point`` (``"mairie"`` or ``"point_on_surface"``), ``in_basin``,
        ``in_erbm_epci``; point geometry.

    Raises
    ------
    UnknownOptionError
        If *level* or *territory* is unknown.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> main = centres(level="main")
    >>> sorted(main["nom"])[:3]
    ['Bruay-la-Buissière', 'Béthune', 'Denain']
    >>> len(main)
    8
    """
    if level not in LEVELS:
        raise UnknownOptionError(f"unknown centre level {level!r}; choose main, acv_pvd or all")
    allc = cached_layer(
        "centres", ("mairies", "acv_pvd_ort", "communes_59", "communes_62", "cog_communes"), _build
    )
    keep = _communes(territory=territory).index
    out = allc.loc[allc.index.isin(keep) & (allc["niveau"] <= LEVELS[level]).to_numpy()]
    out.attrs = {**allc.attrs, "level": level, "territory": territory}
    return out


def as_centres(points: gpd.GeoDataFrame, *, name_column: str = "nom") -> gpd.GeoDataFrame:
    """Turn a user point layer (any CRS) into a centres layer usable by the indicators.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Points, in any CRS.
    name_column : str, default "nom"
        The column naming each centre.

    Returns
    -------
    geopandas.GeoDataFrame
        The centres in EPSG:2154, with ``nom``.

    Raises
    ------
    CRSError, InvalidGeometryError, MissingColumnError, EmptyInputError
        On a layer without CRS, with non-point or invalid geometries, or without *name_column*.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> pts = gpd.GeoDataFrame({"nom": ["Gare de Lens"]},
    ...                        geometry=[shapely.Point(2.8252, 50.4263)], crs="EPSG:4326")
    >>> as_centres(pts).crs.to_epsg()
    2154
    """
    check_not_empty(points, name="centres")
    check_columns(points, [name_column], name="centres")
    pts = to_working_crs(points, name="centres")
    check_geometries(pts, name="centres", types=PUNCTUAL - {"MultiPoint"})
    out = gpd.GeoDataFrame(
        {
            "nom": pts[name_column].astype(str).to_numpy(),
            "niveau": np.full(len(pts), 0, dtype="int64"),
            "source_point": "user",
        },
        geometry=pts.geometry.values,
        crs=settings.crs,
        index=pts.index,
    )
    out.index = pd.Index(out.index.astype(str), name="centre_id")
    return out
