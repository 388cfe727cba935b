"""Transport.

Railway lines in operation, passenger stations, EuroVelo 5, historic mining railways, Évéole (Douai) stops and
BHNS lines.

Not available offline (see the mirror's known gaps): motorways and national roads (A1, A2, A21,
A26, RN17…), the Tadao « Bulles » BHNS and the Valenciennes tram line shapes. Bring them with
:func:`erbm_geo.layers.user_layer` (a file path or a GeoDataFrame, any CRS): they then flow into
the indicators like the built-in layers.
"""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo import settings
from erbm_geo.data import cached_layer
from erbm_geo.errors import DataFormatError, UnknownOptionError
from erbm_geo.geom.kernels import join_ids
from erbm_geo.geom.spatial import assign_communes, connected_components
from erbm_geo.layers._io import dataset_path, read_csv, read_geojson, read_json
from erbm_geo.layers.territory import Territory, filter_to_territory
from erbm_geo.layers.territory import communes as _communes

__all__ = [
    "DEDUP_DISTANCE_M",
    "STATION_MODES",
    "STATION_SCOPES",
    "bhns_lines",
    "eurovelo5",
    "eveole_stops",
    "mining_railways",
    "rail_lines",
    "stations",
]

STATION_MODES = ("train", "tram", "metro")
#: An OSM train station this close to an SNCF passenger station is the same station.
DEDUP_DISTANCE_M = 300.0
#: OSM stops of one mode with the same name this close are one stop (platform pairs).
PLATFORM_MERGE_M = 150.0


def rail_lines(
    *,
    territory: Territory = "bassin_minier_erbm",
    source: Literal["nord_pas_de_calais", "national"] = "nord_pas_de_calais",
) -> gpd.GeoDataFrame:
    """Railway lines in operation (SNCF Réseau, régime d'exploitation, ODbL).

    Parameters
    ----------
    territory : str or GeoDataFrame
        Keep the line sections intersecting it (``"france"`` keeps all).
    source : {"nord_pas_de_calais", "national"}
        The 93 sections of the 59/62 extract, or the national shapefile (zip).

    Returns
    -------
    geopandas.GeoDataFrame
        ``code_ligne``, ``nom_ligne``, ``voie`` (« Double voie », « Voie unique »…),
        ``pk_debut``, ``pk_fin``; line geometry.

    Raises
    ------
    UnknownOptionError
        If *territory* or *source* is unknown.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> r = rail_lines()
    >>> "Ligne de Douai à Blanc-Misseron" in set(r["nom_ligne"])
    True
    """
    if source == "nord_pas_de_calais":

        def build() -> gpd.GeoDataFrame:
            g = read_geojson("rfn_lignes")
            return _rail_schema(g)

        lines = cached_layer("rail_lines_5962", ("rfn_lignes",), build)
    elif source == "national":

        def build_nat() -> gpd.GeoDataFrame:
            path = dataset_path("rfn_regime")
            try:
                g = gpd.read_file(f"zip://{path}", engine="pyogrio")
            except Exception as exc:
                raise DataFormatError(f"cannot read the national RFN shapefile {path}: {exc}") from exc
            return _rail_schema(g.to_crs(settings.crs))

        lines = cached_layer("rail_lines_france", ("rfn_regime",), build_nat)
    else:
        raise UnknownOptionError(f"unknown rail source {source!r}; choose nord_pas_de_calais or national")
    return filter_to_territory(lines, territory)


def _rail_schema(g: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    cols = {
        "code_ligne": "code_ligne",
        "lib_ligne": "nom_ligne",
        "exploitati": "voie",
        "pkd": "pk_debut",
        "pkf": "pk_fin",
    }
    missing = [c for c in cols if c not in g.columns]
    if missing:
        raise DataFormatError(f"railway lines lack columns {missing}")
    out = g[[*cols, "geometry"]].rename(columns=cols)
    out = out[out.geometry.notna() & ~out.geometry.is_empty]
    out.index = pd.RangeIndex(len(out), name="fid")
    out.attrs["sources"] = ["rfn_lignes"]
    return out


def _build_stations() -> gpd.GeoDataFrame:
    sncf = read_csv("gares_voyageurs", sep=";", dtype=str, encoding="utf-8-sig")
    need = ["Nom", "Position géographique", "Code commune", "Code(s) UIC"]
    missing = [c for c in need if c not in sncf.columns]
    if missing:
        raise DataFormatError(f"gares-de-voyageurs.csv lacks columns {missing}")
    latlon = sncf["Position géographique"].str.split(",", expand=True)
    lat = pd.to_numeric(latlon[0], errors="coerce")
    lon = pd.to_numeric(latlon[1], errors="coerce")
    ok = lat.notna() & lon.notna()
    s = gpd.GeoDataFrame(
        {
            "nom": sncf.loc[ok, "Nom"].to_numpy(),
            "mode": "train",
            "source": "sncf",
            "lignes": pd.array([pd.NA] * int(ok.sum()), dtype="string"),
            "code_uic": sncf.loc[ok, "Code(s) UIC"].to_numpy(),
        },
        geometry=gpd.points_from_xy(lon[ok], lat[ok]),
        crs="EPSG:4326",
        index=pd.Index(
            "SNCF:" + sncf.loc[ok, "Code(s) UIC"].str.split(",").str[0].str.strip(), name="station_id"
        ),
    ).to_crs(settings.crs)
    s = s[~s.index.duplicated()]
    osm_raw = read_json("osm_stations").get("stations", [])
    osm = pd.DataFrame(osm_raw)
    osm = osm[osm["type"].isin(STATION_MODES)].copy()
    osm["lines"] = osm.get("lines", pd.Series([None] * len(osm), index=osm.index))
    o = gpd.GeoDataFrame(
        {
            "nom": osm["name"].fillna("").to_numpy(),
            "mode": osm["type"].to_numpy(),
            "source": "osm",
            "lignes": pd.array(
                [";".join(x) if isinstance(x, list) else pd.NA for x in osm["lines"]], dtype="string"
            ),
            "code_uic": pd.array([pd.NA] * len(osm), dtype="string"),
        },
        geometry=gpd.points_from_xy(osm["lon"], osm["lat"]),
        crs="EPSG:4326",
        index=pd.Index(
            "OSM:" + osm["osm_type"].astype(str) + "/" + osm["osm_id"].astype(str), name="station_id"
        ),
    ).to_crs(settings.crs)
    # 1. OSM train stations near an SNCF station are that station (keep SNCF, add OSM lines)
    trains = o[o["mode"] == "train"]
    tree = shapely.STRtree(s.geometry.values)
    oi, si = tree.query_nearest(trains.geometry.values, max_distance=DEDUP_DISTANCE_M)
    dup_ids = trains.index[oi]
    s_lines = _joined_lines(si, trains["lignes"].to_numpy()[oi], len(s))
    has = s_lines != ""
    s.loc[s.index[has], "lignes"] = s_lines[has]
    s.loc[np.unique(s.index[si]), "source"] = "sncf+osm"
    o = o.drop(index=dup_ids)
    # 2. OSM platform pairs: same mode and name within PLATFORM_MERGE_M -> one stop
    o = _merge_platforms(o)
    out = gpd.GeoDataFrame(pd.concat([s, o]), geometry="geometry", crs=settings.crs)
    # commune of stations in the Nord / Pas-de-Calais (NA elsewhere)
    out["code_insee"] = assign_communes(out, _communes(territory="nord_pas_de_calais"), max_distance=200.0)[
        "code_insee"
    ]
    # known to be in France: on the SNCF list of French passenger stations, or lying in a commune
    # of the Nord or the Pas-de-Calais (OSM's extract is a bounding box that reaches Belgium)
    out["in_france"] = (
        out["source"].isin(["sncf", "sncf+osm"]).to_numpy() | out["code_insee"].notna().to_numpy()
    )
    out.attrs["sources"] = ["gares_voyageurs", "osm_stations"]
    out.attrs["osm_merged_into_sncf"] = len(dup_ids)
    return out


def _merge_platforms(o: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    g = o.geometry.values
    tree = shapely.STRtree(g)
    i, j = tree.query(g, predicate="dwithin", distance=PLATFORM_MERGE_M)
    same = (
        (i < j)
        & (o["mode"].to_numpy()[i] == o["mode"].to_numpy()[j])
        & (o["nom"].to_numpy()[i] == o["nom"].to_numpy()[j])
        & (o["nom"].to_numpy()[i] != "")
    )
    lab = connected_components(len(o), i[same], j[same])
    # one stop per group: the first row's attributes, at the centroid of the group's distinct
    # positions (the centroid of their union), with the union of the group's lines
    n = len(o)
    _, head = np.unique(lab, return_index=True)
    first = np.zeros(n, dtype=bool)
    first[head] = True
    xy = shapely.get_coordinates(o.geometry.values)
    uniq = np.unique(np.column_stack([lab, xy]), axis=0)  # distinct (group, x, y)
    k = np.bincount(uniq[:, 0].astype(np.int64), minlength=n)
    cx = np.bincount(uniq[:, 0].astype(np.int64), weights=uniq[:, 1], minlength=n)
    cy = np.bincount(uniq[:, 0].astype(np.int64), weights=uniq[:, 2], minlength=n)
    lines = _joined_lines(lab, o["lignes"].to_numpy(), n)
    grp = lab[first]
    out = gpd.GeoDataFrame(
        o[first].drop(columns="geometry"),
        geometry=shapely.points(cx[grp] / k[grp], cy[grp] / k[grp]),
        crs=o.crs,
    )
    out["lignes"] = pd.Series(lines[grp], index=out.index, dtype="string").replace("", pd.NA)
    return out


def _joined_lines(groups: np.ndarray, lines: np.ndarray, n: int) -> np.ndarray:
    """For each group 0…n-1, the distinct lines of its ``;``-separated *lines*.

    NA skipped, sorted and joined with ``;`` ("" when it has none).
    """
    pairs = (
        pd.DataFrame({"g": groups, "l": pd.Series(lines, dtype="string").str.split(";").to_numpy()})
        .explode("l")
        .dropna()
        .query("l != ''")
        .drop_duplicates()
    )
    return join_ids(pairs["g"].to_numpy(dtype=np.int64), pairs["l"].to_numpy(dtype=str), n)


#: Which stations count (``stations(scope=…)``, ``indicators.builtin.stations(scope=…)``).
STATION_SCOPES = ("france", "all")


def stations(
    *, territory: Territory = "bassin_minier_erbm", mode: str | list[str] | None = None, scope: str = "france"
) -> gpd.GeoDataFrame:
    """Passenger stations.

    SNCF stations and OSM train, tram and métro stops, de-duplicated.

    Which stations count (*scope*): by default ``"france"``, the stations known to be in France —
    every SNCF passenger station, and the OpenStreetMap stops (tram, métro, train stops missing
    from the SNCF list) that lie in a commune of the Nord or the Pas-de-Calais. The OSM extract
    covers a bounding box that reaches into Belgium (Péruwelz, Quiévrain…): those stations are
    left out, so that the distance from a cité of the border to "the nearest station" is to a
    station a French traveller's ticket reaches. ``"all"`` keeps every station, Belgian ones
    included (and OSM-only stops elsewhere in France, which the mirror cannot place in a
    country). Column ``in_france`` says which stations are known to be in France.

    De-duplication: an OSM train station within ``DEDUP_DISTANCE_M`` (300 m) of an SNCF station is
    the same station (the SNCF row is kept, ``source = "sncf+osm"``, OSM line tags added); OSM
    stops of one mode with the same name within 150 m (e.g. the two platforms of a Valenciennes
    tram stop) are merged into one at their centroid.

    Parameters
    ----------
    territory : str or geopandas.GeoDataFrame, default "bassin_minier_erbm"
        Keep the stations in it (``"france"`` keeps all).
    mode : {"train", "tram", "metro"} or list, optional
        Keep these modes only.
    scope : {"france", "all"}, default "france"
        Stations known to be in France or every station of the mirror.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``station_id`` (``"SNCF:<UIC>"`` or ``"OSM:<type>/<id>"``); ``nom``, ``mode``,
        ``source``, ``lignes``, ``code_uic``, ``code_insee`` (spatial), ``in_france``; points.

    Raises
    ------
    UnknownOptionError
        If *territory*, *scope* or a mode is unknown.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> st = stations(territory="bassin_minier")
    >>> sorted(st["mode"].unique())
    ['train', 'tram']
    """
    allst = cached_layer(
        "stations_france",
        ("gares_voyageurs", "osm_stations", "communes_59", "communes_62", "cog_communes"),
        _build_stations,
    )
    if scope not in STATION_SCOPES:
        raise UnknownOptionError(f"unknown station scope {scope!r}; choose among {STATION_SCOPES}")
    out = filter_to_territory(allst, territory)
    if scope == "france":
        out = out[out["in_france"].to_numpy(dtype=bool)]
    if mode is not None:
        modes = [mode] if isinstance(mode, str) else list(mode)
        bad = [m for m in modes if m not in STATION_MODES]
        if bad:
            raise UnknownOptionError(f"unknown station mode(s) {bad}; choose among {STATION_MODES}")
        out = out[out["mode"].isin(modes).to_numpy()]
    return out


def eurovelo5(*, territory: Territory = "bassin_minier_erbm") -> gpd.GeoDataFrame:
    """Return the EuroVelo 5 (Via Romea Francigena) from OSM relation 5245117, 2022 (ODbL).

    Parameters
    ----------
    territory : str or geopandas.GeoDataFrame, default "bassin_minier_erbm"
        Keep the sections intersecting it (``"france"`` keeps all).

    Returns
    -------
    geopandas.GeoDataFrame
        Its sections, with ``nom`` and ``segment``; EPSG:2154.

    Raises
    ------
    UnknownOptionError
        If *territory* is not a territory name.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> len(eurovelo5(territory="france")) >= len(eurovelo5())
    True
    """

    def build() -> gpd.GeoDataFrame:
        g = read_geojson("eurovelo5")
        g = g[["name", "segment", "geometry"]].rename(columns={"name": "nom"})
        g.index = pd.RangeIndex(len(g), name="fid")
        g.attrs["sources"] = ["eurovelo5"]
        return g

    return filter_to_territory(cached_layer("eurovelo5", ("eurovelo5",), build), territory)


def mining_railways() -> gpd.GeoDataFrame:
    """Return the historic mining railways (cavaliers of the UNESCO buffer zone, 1,316 line sections).

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
    >>> len(mining_railways())
    1316
    """
    from erbm_geo.layers.heritage import zt_cavaliers

    return zt_cavaliers()


def eveole_stops() -> gpd.GeoDataFrame:
    """Return the Évéole (Douai) GTFS stops.

    **Licence unconfirmed: not for publication.**

    Returns
    -------
    geopandas.GeoDataFrame
        One point per stop, with ``stop_code``, ``stop_name``, ``location_type``,
        ``parent_station`` and ``lines``; EPSG:2154.

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
    >>> s = eveole_stops()
    >>> bool(s.geometry.geom_type.eq("Point").all())
    True
    """
    g = read_geojson("eveole_stops")
    g = g.set_index("stop_id")
    g.attrs["publishable"] = False
    return g


def bhns_lines() -> gpd.GeoDataFrame:
    """Return the Évéole BHNS lines A and B as stop sequences.

    **Schematic**: straight segments between consecutive stops (the feed has no shapes), so
    lengths and buffers are approximate; ``schematic`` is True on every row. Licence
    unconfirmed: not for publication.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per line and direction pattern, with ``ligne``, ``nom``, ``headsign``,
        ``n_stops`` and ``schematic``; EPSG:2154.

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
    >>> b = bhns_lines()
    >>> sorted(b["ligne"].unique()), bool(b["schematic"].all())
    (['A', 'B'], True)
    """
    g = read_geojson("eveole_bhns")
    g = g.rename(columns={"route_short_name": "ligne", "route_long_name": "nom"})
    g["schematic"] = True
    g = g[["ligne", "nom", "headsign", "n_stops", "schematic", "geometry"]]
    g.attrs["publishable"] = False
    g.attrs["schematic"] = True
    return g
