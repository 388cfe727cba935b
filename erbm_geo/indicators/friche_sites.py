"""Friche sites around any features, by commune, and between vintages.

The sites are :func:`erbm_geo.layers.friches_sites` (or any points with ``site_statut`` and
``site_surface_m2``). Counts and surfaces within a radius come from one indexed query (an
STRtree ``dwithin`` search) and ``numpy.bincount``; the nearest site from the library's
nearest-neighbour kernel. The change between two vintages is keyed by the stable ``site_id``.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.errors import InvalidOptionError, MissingColumnError
from erbm_geo.geom.kernels import nearest, source_geoms, take_labels
from erbm_geo.geom.prepare import prepare, prepare_target
from erbm_geo.indicators.change import count_change

__all__ = [
    "STATUS_COLUMNS",
    "friche_sites_by_commune",
    "friche_sites_change",
    "friche_sites_within",
    "nearest_friche_site",
    "sites_context",
    "status_column",
]

#: The statuses counted in their own column, in Cartofriches' order.
_STATUSES = ("friche potentielle", "friche sans projet", "friche avec projet", "site avec projet", "inconnu")


def status_column(status: str) -> str:
    """Return the column counting the sites of *status* (``friche_sites_n_<status slug>``).

    Parameters
    ----------
    status : str
        A Cartofriches status.

    Returns
    -------
    str
        The column name.

    Examples
    --------
    >>> status_column("friche sans projet")
    'friche_sites_n_friche_sans_projet'
    """
    return "friche_sites_n_" + re.sub(r"[^a-z0-9]+", "_", status.lower()).strip("_")


#: The per-status count columns of :func:`friche_sites_within`.
STATUS_COLUMNS: tuple[str, ...] = tuple(status_column(s) for s in _STATUSES)


def _check_sites(sites: gpd.GeoDataFrame) -> None:
    missing = [c for c in ("site_statut", "site_surface_m2") if c not in sites.columns]
    if missing:
        raise MissingColumnError(
            f"sites lack {missing}: give erbm_geo.layers.friches_sites() or points with a "
            "site_statut and a site_surface_m2 column"
        )


def friche_sites_within(
    gdf: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, *, radius: float = 500.0
) -> pd.DataFrame:
    """Count the friche sites within *radius* of each feature, with their surface, by status.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Any layer with a CRS (cités, communes, buildings…).
    sites : geopandas.GeoDataFrame
        Friche sites (:func:`erbm_geo.layers.friches_sites`).
    radius : float, default 500.0
        Metres from the feature's edge (0: the sites inside it).

    Returns
    -------
    pandas.DataFrame
        Aligned on ``gdf.index``: ``friche_sites_n``, ``friche_sites_surface_m2`` (the sum of
        the sites' ``site_surface_m2``; a site without a surface counts for 0 and is said in
        ``attrs["without_surface"]``) and one count per status (:data:`STATUS_COLUMNS`). A site
        near two features counts for each.

    Raises
    ------
    InvalidOptionError
        If *radius* is negative or not finite.
    MissingColumnError
        If *sites* lack ``site_statut`` or ``site_surface_m2``.
    CRSError, EmptyInputError, InvalidGeometryError, OutOfAreaError
        As the other indicators, for bad layers.

    Examples
    --------
    >>> from shapely import Point, box
    >>> cite = gpd.GeoDataFrame(geometry=[box(700000, 7000000, 700100, 7000100)], crs=2154)
    >>> sites = gpd.GeoDataFrame(
    ...     {"site_statut": ["friche sans projet", "friche potentielle"], "site_surface_m2": [1e4, 2e4]},
    ...     geometry=[Point(700300, 7000050), Point(701000, 7000050)], crs=2154)
    >>> friche_sites_within(cite, sites)[["friche_sites_n", "friche_sites_surface_m2"]]
       friche_sites_n  friche_sites_surface_m2
    0               1                  10000.0
    """
    if not np.isfinite(radius) or radius < 0:
        raise InvalidOptionError(f"radius must be a distance in metres ≥ 0, got {radius!r}")
    _check_sites(sites)
    feats, geoms = prepare(gdf)
    _, sgeoms = prepare_target(sites, gdf, name="sites", reach=radius)
    tree = shapely.STRtree(sgeoms)
    f, s = tree.query(geoms, predicate="dwithin", distance=radius)
    n = len(feats)
    surface = sites["site_surface_m2"].to_numpy(dtype="float64")
    out = {
        "friche_sites_n": np.bincount(f, minlength=n).astype("int64"),
        "friche_sites_surface_m2": np.bincount(f, weights=np.nan_to_num(surface[s]), minlength=n),
    }
    statut = sites["site_statut"].astype(str).to_numpy()
    for status, col in zip(_STATUSES, STATUS_COLUMNS, strict=True):
        keep = statut[s] == status
        out[col] = np.bincount(f[keep], minlength=n).astype("int64")
    table = pd.DataFrame(out, index=feats.index)
    table.attrs["without_surface"] = [str(x) for x in sites.index[np.isnan(surface)]]
    return table


def nearest_friche_site(
    gdf: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, *, max_distance: float | None = None
) -> pd.DataFrame:
    """Return the nearest friche site of each feature: distance, name, status and surface.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Any layer with a CRS.
    sites : geopandas.GeoDataFrame
        Friche sites (:func:`erbm_geo.layers.friches_sites`).
    max_distance : float, optional
        Search radius (m); features farther from every site get NaN and <NA>.

    Returns
    -------
    pandas.DataFrame
        Aligned on ``gdf.index``: ``friche_site_distance_m`` (from the feature's edge, 0 for a
        site inside it), ``friche_site_id``, ``friche_site_nom``, ``friche_site_statut``,
        ``friche_site_surface_m2``. Ties go to the site that comes first in *sites*.

    Raises
    ------
    InvalidOptionError
        If *max_distance* is negative or not a number.
    MissingColumnError
        If *sites* lack ``site_statut`` or ``site_surface_m2``.
    CRSError, EmptyInputError, InvalidGeometryError, OutOfAreaError
        As the other indicators, for bad layers.

    Examples
    --------
    >>> from shapely import Point, box
    >>> cite = gpd.GeoDataFrame(geometry=[box(700000, 7000000, 700100, 7000100)], crs=2154)
    >>> sites = gpd.GeoDataFrame(
    ...     {"site_nom": ["Fosse 2"], "site_statut": ["friche sans projet"], "site_surface_m2": [1e4]},
    ...     geometry=[Point(700300, 7000050)], index=pd.Index(["S1"], name="site_id"), crs=2154)
    >>> nearest_friche_site(cite, sites)[["friche_site_distance_m", "friche_site_id"]]
       friche_site_distance_m friche_site_id
    0                   200.0             S1
    """
    _check_sites(sites)
    feats, geoms = prepare(gdf)
    _, sgeoms = prepare_target(sites, gdf, name="sites")
    idx, dist = nearest(source_geoms(geoms, "edge"), sgeoms, max_distance=max_distance)
    found = idx >= 0
    surface = np.full(len(idx), np.nan)
    surface[found] = sites["site_surface_m2"].to_numpy(dtype="float64")[idx[found]]
    names = sites["site_nom"] if "site_nom" in sites else pd.Series(sites.index, index=sites.index)
    return pd.DataFrame(
        {
            "friche_site_distance_m": dist,
            "friche_site_id": take_labels(sites.index.to_numpy(dtype=object), idx),
            "friche_site_nom": take_labels(names.to_numpy(dtype=object), idx),
            "friche_site_statut": take_labels(sites["site_statut"].astype(str).to_numpy(dtype=object), idx),
            "friche_site_surface_m2": surface,
        },
        index=feats.index,
    )


def friche_sites_by_commune(
    sites: gpd.GeoDataFrame, communes: pd.DataFrame, *, by: str | None = None
) -> pd.DataFrame:
    """Return the number and surface of sites in each commune, beside Cartofriches' aggregates.

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        Friche sites with ``code_insee`` (the commune of the point, as
        :func:`erbm_geo.layers.friches_sites` gives it).
    communes : pandas.DataFrame
        The communes, indexed by INSEE code; with ``friches_n`` and ``friches_surface_m2``
        (:func:`erbm_geo.layers.friches_communes`) the aggregates are set beside the sites.
    by : str, optional
        A column of *communes* to sum the communes by (``"siren_epci"``: one row per EPCI);
        the counts, surfaces and aggregates are summed, the flag of a surface larger than the
        area is computed on the summed areas.

    Returns
    -------
    pandas.DataFrame
        Aligned on ``communes.index``: ``friche_sites_n``, ``friche_sites_surface_m2`` and, when
        the aggregates are given, ``friches_n``, ``friches_n_difference`` (sites minus aggregate:
        the two come from different extracts of Cartofriches, so they differ by the sites added
        and removed between them) and ``friche_sites_surface_exceeds_commune`` (the sites' surface
        is larger than the commune's area, when ``area_km2`` is given).

    Raises
    ------
    MissingColumnError
        If *sites* lack ``code_insee`` or ``site_surface_m2``, or *communes* the column *by*.

    Examples
    --------
    >>> from shapely import Point
    >>> sites = gpd.GeoDataFrame({"code_insee": ["62001", "62001"], "site_surface_m2": [1e4, 3e4]},
    ...                          geometry=[Point(0, 0), Point(1, 1)], crs=2154)
    >>> c = pd.DataFrame({"friches_n": [1, 0], "area_km2": [1.0, 1.0]}, index=["62001", "62002"])
    >>> friche_sites_by_commune(sites, c)[["friche_sites_n", "friches_n_difference"]]
           friche_sites_n  friches_n_difference
    62001               2                     1
    62002               0                     0
    """
    missing = [c for c in ("code_insee", "site_surface_m2") if c not in sites.columns]
    if missing:
        raise MissingColumnError(f"sites lack {missing}: give erbm_geo.layers.friches_sites()")
    code = sites["code_insee"].astype("string")
    grouped = pd.DataFrame(
        {"friche_sites_n": 1, "friche_sites_surface_m2": sites["site_surface_m2"].fillna(0.0).to_numpy()},
        index=code.to_numpy(),
    ).groupby(level=0)
    out = pd.DataFrame(index=communes.index)
    out["friche_sites_n"] = grouped["friche_sites_n"].sum().reindex(out.index).fillna(0).astype("int64")
    out["friche_sites_surface_m2"] = grouped["friche_sites_surface_m2"].sum().reindex(out.index).fillna(0.0)
    if "friches_n" in communes:
        out["friches_n"] = communes["friches_n"].astype("int64")
        out["friches_n_difference"] = out["friche_sites_n"] - out["friches_n"]
    area = communes["area_km2"].astype("float64") if "area_km2" in communes else None
    if by is not None:
        if by not in communes:
            raise MissingColumnError(f"communes lack the column {by!r} to sum them by")
        out = out.groupby(communes[by].astype("string").to_numpy()).sum()
        out.index.name = by
        area = area.groupby(communes[by].astype("string").to_numpy()).sum() if area is not None else None
    if area is not None:
        out["friche_sites_surface_exceeds_commune"] = out["friche_sites_surface_m2"] > area.to_numpy() * 1e6
    return out


def friche_sites_change(
    old: gpd.GeoDataFrame, new: gpd.GeoDataFrame, *, groups: pd.Series | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare two vintages of friche sites by their stable ``site_id``.

    Parameters
    ----------
    old, new : geopandas.GeoDataFrame
        Two vintages of :func:`erbm_geo.layers.friches_sites`, older first (their
        ``attrs["vintage"]`` are the extract dates).
    groups : pandas.Series, optional
        The group of each commune (e.g. ``communes["siren_epci"]``): counts by group instead of
        by commune. Sites are placed by the commune of their point in each vintage.

    Returns
    -------
    sites : pandas.DataFrame
        One row per site of either vintage: ``change`` (``"ajouté"``, ``"retiré"``,
        ``"statut modifié"``, ``"inchangé"``), ``statut_avant``, ``statut_apres``,
        ``code_insee``.
    counts : pandas.DataFrame
        By commune (or group): ``friche_sites_added``, ``friche_sites_removed``,
        ``friche_sites_status_changed``, and the count change of
        :func:`~erbm_geo.indicators.change.count_change` (``friche_sites_start``,
        ``friche_sites_end``, ``friche_sites_change``, ``friche_sites_change_pct``; no annual
        rate: the extracts are months apart). A status that was « inconnu » before counts as changed
        only when the older vintage says something: the first extract has almost no statuses.

    Raises
    ------
    MissingColumnError
        If a vintage lacks ``site_statut`` or ``code_insee``.
    UnknownOptionError
        If the vintages' ``attrs["vintage"]`` are not two ISO dates, older first.

    Examples
    --------
    >>> from shapely import Point
    >>> def v(n, ids, st):  # vintage n, invented
    ...     g = gpd.GeoDataFrame({"site_statut": st, "code_insee": ["62001"] * len(ids)},
    ...                          geometry=[Point(0, 0)] * len(ids),
    ...                          index=pd.Index(ids, name="site_id"), crs=2154)
    ...     g.attrs["vintage"] = f"200{n}-06-01"
    ...     return g
    >>> sites, counts = friche_sites_change(v(1, ["a", "b"], ["friche sans projet", "inconnu"]),
    ...                                     v(2, ["b", "c"], ["friche avec projet", "friche sans projet"]))
    >>> sites["change"].to_dict()
    {'a': 'retiré', 'b': 'inchangé', 'c': 'ajouté'}
    >>> counts[["friche_sites_added", "friche_sites_removed"]].iloc[0].tolist()
    [1, 1]
    """
    for name, t in (("old", old), ("new", new)):
        missing = [c for c in ("site_statut", "code_insee") if c not in t.columns]
        if missing:
            raise MissingColumnError(f"{name} vintage lacks {missing}: give erbm_geo.layers.friches_sites()")
    ids = old.index.union(new.index)
    before = old["site_statut"].astype("string").reindex(ids)
    after = new["site_statut"].astype("string").reindex(ids)
    known = before.notna() & (before != "inconnu")
    in_old, in_new = ids.isin(old.index), ids.isin(new.index)  # presence, not a status, says it
    change = np.select(
        [~in_old, ~in_new, (known & (before != after)).fillna(False).to_numpy()],
        ["ajouté", "retiré", "statut modifié"],
        "inchangé",
    )
    code = (
        new["code_insee"]
        .astype("string")
        .reindex(ids)
        .fillna(old["code_insee"].astype("string").reindex(ids))
    )
    sites = pd.DataFrame(
        {"change": change, "statut_avant": before, "statut_apres": after, "code_insee": code}, index=ids
    )
    key = code if groups is None else code.map(groups.astype("string"))
    kinds = {
        "ajouté": "friche_sites_added",
        "retiré": "friche_sites_removed",
        "statut modifié": "friche_sites_status_changed",
    }
    counts = (
        pd.crosstab(key.to_numpy(), change).reindex(columns=list(kinds), fill_value=0).rename(columns=kinds)
    )
    a, b = str(old.attrs.get("vintage", "")), str(new.attrs.get("vintage", ""))
    n = pd.DataFrame(
        {
            a: (sites["change"] != "ajouté").groupby(key.to_numpy()).sum(),
            b: (sites["change"] != "retiré").groupby(key.to_numpy()).sum(),
        }
    ).astype("int64")
    change_n = count_change(n, start=a, end=b, prefix="friche_sites")
    # the extracts are months apart: no annual rate
    counts = counts.join(change_n.drop(columns="friche_sites_growth_rate_pct"))
    counts.index.name = "code_insee" if groups is None else (groups.name or "groupe")
    return sites, counts


def sites_context(
    sites: gpd.GeoDataFrame,
    *,
    bien: gpd.GeoDataFrame,
    zone_tampon: gpd.GeoDataFrame,
    qpv: gpd.GeoDataFrame,
    near: float = 300.0,
) -> pd.DataFrame:
    """Say of each friche site whether it lies in the UNESCO property, its buffer zone, a QPV.

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        Friche sites (:func:`erbm_geo.layers.friches_sites`), or any points.
    bien, zone_tampon : geopandas.GeoDataFrame
        The parts of the inscribed property and of its buffer zone
        (:func:`erbm_geo.layers.bien_inscrit`, :func:`erbm_geo.layers.zone_tampon`).
    qpv : geopandas.GeoDataFrame
        QPV polygons indexed by their code (:func:`erbm_geo.indicators.builtin.qpv`).
    near : float, default 300.0
        Metres: a site this close to a QPV is « near » it.

    Returns
    -------
    pandas.DataFrame
        Aligned on ``sites.index``: ``in_unesco_property``, ``in_unesco_buffer`` (booleans; a
        point on a boundary is inside), ``qpv_code`` (the QPV the site lies in, else <NA>),
        ``qpv_distance_m`` (to the nearest QPV, 0 inside) and ``near_qpv`` (within *near*).

    Raises
    ------
    InvalidOptionError
        If *near* is negative or not finite.
    CRSError, EmptyInputError, InvalidGeometryError, OutOfAreaError
        As the other indicators, for bad layers.

    Examples
    --------
    >>> from shapely import Point, box
    >>> sites = gpd.GeoDataFrame(geometry=[Point(700050, 7000050), Point(700500, 7000050)], crs=2154)
    >>> zone = gpd.GeoDataFrame(geometry=[box(700000, 7000000, 700100, 7000100)], crs=2154)
    >>> q = gpd.GeoDataFrame(geometry=[box(700000, 7000000, 700100, 7000100)],
    ...                      index=pd.Index(["QN06201M"], name="code_qpv"), crs=2154)
    >>> sites_context(sites, bien=zone.iloc[:0], zone_tampon=zone, qpv=q)[["in_unesco_buffer", "qpv_code"]]
       in_unesco_buffer  qpv_code
    0              True  QN06201M
    1             False      <NA>
    """
    if not np.isfinite(near) or near < 0:
        raise InvalidOptionError(f"near must be a distance in metres ≥ 0, got {near!r}")
    feats, geoms = prepare(sites)
    n = len(feats)
    out = pd.DataFrame(index=feats.index)
    for col, layer, name in (
        ("in_unesco_property", bien, "bien"),
        ("in_unesco_buffer", zone_tampon, "zone_tampon"),
    ):
        inside = np.zeros(n, dtype=bool)
        if len(layer):
            _, tg = prepare_target(layer, sites, name=name)
            f, _ = shapely.STRtree(tg).query(geoms, predicate="intersects")
            inside[f] = True
        out[col] = inside
    _, qg = prepare_target(qpv, sites, name="qpv")
    idx, dist = nearest(source_geoms(geoms, "edge"), qg)
    codes = pd.Series(take_labels(qpv.index.to_numpy(dtype=object), idx), dtype="string")
    out["qpv_code"] = codes.where(dist == 0).array  # by position, <NA> outside every QPV
    out["qpv_distance_m"] = dist
    out["near_qpv"] = dist <= near
    return out
