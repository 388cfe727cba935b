"""Context indicators.

What the feature's commune carries (brownfields, income), the income of the IRIS it overlaps, and features
(shafts, terrils…) within a radius.

The commune layers these indicators take are polygons indexed by INSEE code (``code_insee``)
that carry the attributes: built in, :func:`erbm_geo.indicators.builtin.communes` (reference),
:func:`~erbm_geo.indicators.builtin.friches_communes` and
:func:`~erbm_geo.indicators.builtin.income_communes` — every commune of the Nord and the
Pas-de-Calais.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo._warnings import warn
from erbm_geo.data.catalogue import get as get_dataset
from erbm_geo.errors import DataQualityWarning, MissingColumnError, UnknownCodeError
from erbm_geo.geom.kernels import count_within, intersecting_pairs, pair_areas
from erbm_geo.geom.partitioned import is_partitioned, map_features
from erbm_geo.geom.prepare import check_valid_subset, left_out_noted, prepare, prepare_target
from erbm_geo.geom.spatial import assign_communes
from erbm_geo.indicators.access import check_radius

__all__ = ["commune_of", "count_within_radius", "friches_context", "heritage_within", "income_context"]


def _check_communes(
    communes: gpd.GeoDataFrame,
    columns: tuple[str, ...] = (),
    *,
    name: str = "communes",
    builtin: str = "communes",
) -> None:
    if not isinstance(communes, gpd.GeoDataFrame):
        raise TypeError(f"{name} must be a GeoDataFrame indexed by INSEE code, got {type(communes).__name__}")
    missing = [c for c in columns if c not in communes.columns]
    if missing:
        raise MissingColumnError(
            f"{name} lacks column(s) {missing}; pass a layer that carries them, e.g. "
            f"erbm_geo.indicators.builtin.{builtin}()"
        )


def commune_of(gdf: gpd.GeoDataFrame, communes: gpd.GeoDataFrame) -> pd.Series:
    """Code of each feature's main commune among *communes*.

    Taken from the ``code_insee`` index or column when the layer has one (every code is then
    checked against ``communes.index``), else computed spatially: the commune holding the
    largest part of the feature (a feature just beyond the commune polygons — e.g. a point a few
    metres past a simplified border — gets the nearest commune within 1 km).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        The features, in any CRS (measured in EPSG:2154).
        A partitioned (dask-geopandas) layer gives a lazy result of the same shape.
    communes : geopandas.GeoDataFrame
        Commune polygons indexed by code, in any CRS — built in:
        :func:`erbm_geo.indicators.builtin.communes` (Nord and Pas-de-Calais, in the catalogue's COG).

    Returns
    -------
    pandas.Series
        ``code_insee`` (string), aligned on *gdf*'s index.

    Raises
    ------
    UnknownCodeError
        A code is missing or not in ``communes.index`` (codes and rows listed), or a feature
        lies in no commune.
    InvalidGeometryError
        A geometry is invalid (e.g. a self-intersecting polygon), for the spatial assignment.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point, box
    >>> communes = gpd.GeoDataFrame(geometry=[box(700000, 7000000, 701000, 7001000),
    ...                                       box(701000, 7000000, 702000, 7001000)],
    ...                             index=pd.Index(["62498", "62510"], name="code_insee"), crs=2154)
    >>> pts = gpd.GeoDataFrame(geometry=[Point(700500, 7000500), Point(701500, 7000500)], crs=2154)
    >>> commune_of(pts, communes).tolist()
    ['62498', '62510']
    """
    if is_partitioned(gdf):  # a dask-geopandas layer: the same function, partition by partition
        return map_features(commune_of, gdf, communes)
    _check_communes(communes)
    known = communes.index.astype(str)
    if gdf.index.name == "code_insee":
        codes = pd.Series(gdf.index.astype("string"), index=gdf.index, name="code_insee")
        return _checked_codes(codes, known, "the code_insee index")
    if "code_insee" in gdf.columns:
        codes = gdf["code_insee"].astype("string").rename("code_insee")
        return _checked_codes(codes, known, "the code_insee column")
    feats, _ = prepare(gdf, validity=True)
    codes = assign_communes(feats, _working(communes, gdf), codes=False)["code_insee"]
    return _checked_codes(codes.rename("code_insee"), known, "the spatial assignment")


def _working(communes: gpd.GeoDataFrame, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the commune polygons in EPSG:2154, checked, indexed by their codes as text."""
    c, _ = prepare_target(
        communes.to_crs(gdf.crs)
        if gdf.crs is not None and communes.crs is not None and not communes.crs.equals(gdf.crs)
        else communes,
        gdf,
        name="communes",
        polygonal=True,
    )
    if not c.index.is_unique:
        raise UnknownCodeError(f"communes: duplicate codes {list(c.index[c.index.duplicated()][:10])}")
    c = c.copy()
    c.index = c.index.astype(str)
    return c


def _checked_codes(codes: pd.Series, known: pd.Index, where: str) -> pd.Series:
    # each distinct code checked once (a million buildings hold a few hundred codes)
    inv, uniq = pd.factorize(codes, use_na_sentinel=True)
    uniq_ok = pd.Index(known.to_numpy(dtype=object)).get_indexer(np.asarray(uniq, dtype=object)) >= 0
    bad = (inv < 0) | ~np.r_[uniq_ok, False][inv]  # -1 (a missing code) takes the last: False
    if bad.any():
        raise UnknownCodeError(
            f"{int(bad.sum())} feature(s) have no known commune in {where}: "
            f"{sorted({str(c) for c in codes[bad].fillna('<NA>')})[:10]} "
            f"(rows {list(codes.index[bad][:10])}); "
            + (
                "those features lie in no commune of the communes layer (the built-in one covers "
                "the Nord and the Pas-de-Calais)."
                if where == "the spatial assignment"
                else f"codes are 5-character INSEE codes (COG {get_dataset('cog_communes').cog}) as "
                "text, e.g. '62498'; codes of "
                "communes merged since have to be replaced by the new commune's; find codes with "
                "erbm_geo.layers.codes_from_names."
            )
        )
    return codes


_FRICHES_COLUMNS = ("friches_n", "friches_surface_m2", "friches_per_km2", "friches_surface_share")


def friches_context(gdf: gpd.GeoDataFrame, communes: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the brownfields of each feature's main commune: count, surface, per km², share.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        The features, in any CRS (measured in EPSG:2154).
        A partitioned (dask-geopandas) layer gives a lazy result of the same shape.
    communes : geopandas.GeoDataFrame
        Commune polygons indexed by INSEE code with the columns ``friches_n``,
        ``friches_surface_m2``, ``friches_per_km2``, ``friches_surface_share`` and optionally
        ``friches_surface_quality`` — built in: :func:`erbm_geo.indicators.builtin.friches_communes`
        (Cartofriches).

    Returns
    -------
    pandas.DataFrame
        Those columns for the main commune of each feature (:func:`commune_of`), and
        ``friches_surface_quality``: ``"ok"``, or the reason the surface is not published (e.g.
        ``"surface_exceeds_commune"``: the source surface is larger than the commune; surface
        and share are then NA, never a share above 1). One :class:`DataQualityWarning` names
        the flagged communes met.

    Raises
    ------
    MissingColumnError
        If *communes* lacks a friches column.
    UnknownCodeError
        If a feature's commune is not in *communes* (see :func:`commune_of`).
    EmptyInputError
        If *gdf* or a target has no rows.
    DuplicateIndexError
        If *gdf*'s index has duplicate labels.
    CRSError
        If a layer has no CRS, or a target's CRS is not the features'.
    OutOfAreaError
        If coordinates do not fit their CRS or lie far from France.
    InvalidGeometryError
        If a geometry is missing, empty or non-finite.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point, box
    >>> c = gpd.GeoDataFrame({"friches_n": [3], "friches_surface_m2": [50_000.0],
    ...                       "friches_per_km2": [3.0], "friches_surface_share": [0.05]},
    ...                      geometry=[box(700000, 7000000, 701000, 7001000)],
    ...                      index=pd.Index(["62498"], name="code_insee"), crs=2154)
    >>> pts = gpd.GeoDataFrame(geometry=[Point(700500, 7000500)], crs=2154)
    >>> friches_context(pts, c).T
                                   0
    friches_n                    3.0
    friches_surface_m2       50000.0
    friches_per_km2              3.0
    friches_surface_share       0.05
    friches_surface_quality       ok
    """
    if is_partitioned(gdf):  # a dask-geopandas layer: the same function, partition by partition
        return map_features(friches_context, gdf, communes)
    _check_communes(communes, _FRICHES_COLUMNS, builtin="friches_communes")
    codes = commune_of(gdf, communes).to_numpy()
    table = pd.DataFrame(communes.drop(columns=communes.geometry.name))
    table.index = table.index.astype(str)
    out = table[list(_FRICHES_COLUMNS)].reindex(codes).astype("float64")
    quality = (
        table["friches_surface_quality"].astype("string").fillna("ok")
        if "friches_surface_quality" in table
        else pd.Series("ok", index=table.index, dtype="string")
    )
    q = quality.reindex(codes).to_numpy(dtype=object)
    # a share above 1 is never published, flagged upstream or not
    q[(q == "ok") & (out["friches_surface_share"].to_numpy() > 1)] = "share_above_one"
    flagged = q != "ok"
    if flagged.any():
        out.loc[flagged, ["friches_surface_m2", "friches_surface_share"]] = np.nan
        names = table["nom"].reindex(codes) if "nom" in table else pd.Series(codes, index=codes)
        met = sorted(
            {f"{n} {c} ({r})" for n, c, r in zip(names[flagged], codes[flagged], q[flagged], strict=True)}
        )
        warn(
            DataQualityWarning(
                f"friches: {len(met)} commune(s) have a surface that is not published "
                f"({', '.join(met)}); their surface and share are NA (friches_surface_quality)",
                columns=("friches_surface_m2", "friches_surface_share", "friches_surface_quality"),
            )
        )
    out["friches_surface_quality"] = pd.array(q, dtype="string")
    out.index = gdf.index
    return out


def income_context(gdf: gpd.GeoDataFrame, communes: gpd.GeoDataFrame, iris: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the income of each feature's commune and of the IRIS it overlaps (area-weighted).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        The features, in any CRS (measured in EPSG:2154).
        A partitioned (dask-geopandas) layer gives a lazy result of the same shape.
    communes : geopandas.GeoDataFrame
        Commune polygons indexed by INSEE code with ``revenu_median_uc`` and
        ``part_minima_sociaux_pct`` — built in: :func:`erbm_geo.indicators.builtin.income_communes`
        (Filosofi, vintage in the catalogue).
    iris : geopandas.GeoDataFrame
        IRIS polygons (CRS of *gdf*) with ``code_insee`` (their commune), ``revenu_median_uc``
        and ``taux_pauvrete_pct`` — built in: :func:`erbm_geo.indicators.builtin.income_iris`.

    Returns
    -------
    pandas.DataFrame
        ``revenu_median_commune`` and ``part_minima_sociaux_pct`` of the main commune;
        ``revenu_median_iris`` and ``taux_pauvrete_iris_pct``: means of the overlapping IRIS
        weighted by overlap area, over the IRIS **of the feature's own commune(s)** that have
        figures. Filosofi publishes IRIS figures only for communes of 5,000 inhabitants or more,
        so a feature lying in smaller communes gets NaN — never a value borrowed from a
        neighbouring commune's IRIS through a boundary sliver. A feature's communes are its
        ``code_insee`` index, else its ``codes_insee`` column (every commune holding a part),
        else its ``code_insee`` column, else the communes it overlaps. For point features, the
        IRIS containing the point.

    Raises
    ------
    MissingColumnError
        If *communes* or *iris* lacks an income column.
    UnknownCodeError
        If a feature's commune is not in *communes* (see :func:`commune_of`).
    EmptyInputError
        If *gdf* or a target has no rows.
    DuplicateIndexError
        If *gdf*'s index has duplicate labels.
    CRSError
        If a layer has no CRS, or a target's CRS is not the features'.
    OutOfAreaError
        If coordinates do not fit their CRS or lie far from France.
    InvalidGeometryError
        If a geometry is missing, empty or non-finite.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> c = gpd.GeoDataFrame({"revenu_median_uc": [18000], "part_minima_sociaux_pct": [12.5]},
    ...                      geometry=[box(700000, 7000000, 702000, 7001000)],
    ...                      index=pd.Index(["62498"], name="code_insee"), crs=2154)
    >>> iris = gpd.GeoDataFrame({"code_insee": ["62498", "62498"],
    ...                          "revenu_median_uc": [16000, 22000],
    ...                          "taux_pauvrete_pct": [30.0, 10.0]},
    ...                         geometry=[box(700000, 7000000, 701000, 7001000),
    ...                                   box(701000, 7000000, 702000, 7001000)], crs=2154)
    >>> f = gpd.GeoDataFrame(geometry=[box(700500, 7000000, 701000 + 500 * 2, 7001000)],
    ...                      crs=2154)  # 500 m in the first IRIS, 1,000 m in the second
    >>> income_context(f, c, iris).iloc[0].round(1).tolist()
    [18000.0, 12.5, 20000.0, 16.7]
    """
    if is_partitioned(gdf):  # a dask-geopandas layer: the same function, partition by partition
        return map_features(income_context, gdf, communes, iris)
    _check_communes(communes, ("revenu_median_uc", "part_minima_sociaux_pct"), builtin="income_communes")
    _check_communes(
        iris, ("code_insee", "revenu_median_uc", "taux_pauvrete_pct"), name="iris", builtin="income_iris"
    )
    feats, geoms = prepare(gdf, validity=True)
    codes, fpos, fcode = _feature_communes(feats, communes)
    table = pd.DataFrame(communes.drop(columns=communes.geometry.name))
    table.index = table.index.astype(str)
    out = pd.DataFrame(index=feats.index)
    out["revenu_median_commune"] = (
        table["revenu_median_uc"].reindex(codes.to_numpy()).astype("float64").to_numpy()
    )
    out["part_minima_sociaux_pct"] = (
        table["part_minima_sociaux_pct"].reindex(codes.to_numpy()).astype("float64").to_numpy()
    )
    it, ig = prepare_target(iris, gdf, name="iris", polygonal=True)
    has = it["revenu_median_uc"].notna().to_numpy()
    ig, ii = ig[has], it[has]
    if len(ig):  # (feature, IRIS) pairs; only the IRIS that meet a feature need to be valid
        si, ti = intersecting_pairs(geoms, ig)
        check_valid_subset(ii, np.unique(ti), name="iris")
    else:
        si = ti = np.zeros(0, dtype=np.int64)
    # only IRIS of the feature's own commune(s): no value from a neighbour's boundary sliver
    own = pd.MultiIndex.from_arrays([si, ii["code_insee"].astype(str).to_numpy()[ti]]).isin(
        pd.MultiIndex.from_arrays([fpos, fcode])
    )
    si, ti = si[own], ti[own]
    dims = shapely.get_dimensions(geoms[si])
    w = np.ones(len(si))
    poly = dims == 2
    w[poly] = pair_areas(geoms[si][poly], ig[ti][poly])
    n = len(geoms)
    for col, name in (
        ("revenu_median_uc", "revenu_median_iris"),
        ("taux_pauvrete_pct", "taux_pauvrete_iris_pct"),
    ):
        v = ii[col].astype("float64").to_numpy()[ti]
        ok = ~np.isnan(v) & (w > 0)
        num = np.bincount(si[ok], weights=w[ok] * v[ok], minlength=n)
        den = np.bincount(si[ok], weights=w[ok], minlength=n)
        mean = np.full(n, np.nan)
        has = den > 0
        mean[has] = num[has] / den[has]
        out[name] = mean
    return out


def _feature_communes(
    feats: gpd.GeoDataFrame, communes: gpd.GeoDataFrame
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Return the main commune of each feature and its (feature position, INSEE code) pairs.

    The main commune as :func:`commune_of` gives it, and every commune the feature belongs to —
    with one spatial assignment at most.
    """
    if feats.index.name == "code_insee" or "code_insee" in feats.columns:
        main = commune_of(feats, communes)
        # every commune holding a part; where that list is missing, the main commune
        text = (
            feats["codes_insee"].astype("string").fillna(main.astype("string"))
            if feats.index.name != "code_insee" and "codes_insee" in feats.columns
            else main.astype("string")
        )
    else:
        a = assign_communes(feats, _working(communes, feats))
        main = _checked_codes(
            a["code_insee"].rename("code_insee"), communes.index.astype(str), "the spatial assignment"
        )
        text = a["codes_insee"].astype("string")
    # one (feature position, code) pair per commune listed: split and explode, not a loop per feature
    listed = pd.Series(text.fillna("").to_numpy(dtype=object), index=pd.RangeIndex(len(feats)))
    pairs = listed.str.split(";").explode()
    return main, pairs.index.to_numpy(dtype=np.int64), pairs.to_numpy(dtype=object).astype(str)


def count_within_radius(
    gdf: gpd.GeoDataFrame, targets: gpd.GeoDataFrame, *, radius: float, name: str = "within"
) -> pd.Series:
    """Count the *targets* within *radius* metres of each feature.

    *radius* ≥ 0; 0 counts those touching; any geometry types.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        The features, in any CRS (measured in EPSG:2154).
        A partitioned (dask-geopandas) layer gives a lazy result of the same shape.
    targets : geopandas.GeoDataFrame
        Any geometry types, in the CRS of *gdf*.
    radius : float
        The distance (m), ≥ 0; 0 counts the targets touching the feature.
    name : str, default "within"
        The name of the returned Series.

    Returns
    -------
    pandas.Series
        Counts (int), aligned on *gdf*'s index.

    Raises
    ------
    InvalidOptionError
        If *radius* is negative or not a number.
    EmptyInputError
        If *gdf* or a target has no rows.
    DuplicateIndexError
        If *gdf*'s index has duplicate labels.
    CRSError
        If a layer has no CRS, or a target's CRS is not the features'.
    OutOfAreaError
        If coordinates do not fit their CRS or lie far from France.
    InvalidGeometryError
        If a geometry is missing, empty or non-finite.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> f = gpd.GeoDataFrame(geometry=[Point(700000, 7000000)], crs=2154)
    >>> t = gpd.GeoDataFrame(geometry=[Point(700300, 7000000), Point(701200, 7000000)], crs=2154)
    >>> count_within_radius(f, t, radius=1000, name="puits_within").tolist()
    [1]
    """
    if is_partitioned(gdf):  # a dask-geopandas layer: the same function, partition by partition
        return map_features(count_within_radius, gdf, targets, radius=radius, name=name)
    return _count(gdf, targets, radius, name, "targets")


def _count(
    gdf: gpd.GeoDataFrame, targets: gpd.GeoDataFrame, radius: float, name: str, target_name: str
) -> pd.Series:
    check_radius(radius, allow_zero=True)
    feats, geoms = prepare(gdf)
    t, tg = prepare_target(targets, gdf, name=target_name, allow_empty=True, reach=radius)
    out = pd.Series(count_within(geoms, tg, radius), index=feats.index, name=name)
    return left_out_noted(out, {target_name: t})


def heritage_within(
    gdf: gpd.GeoDataFrame, shafts: gpd.GeoDataFrame, terrils: gpd.GeoDataFrame, *, radius: float = 1000.0
) -> pd.DataFrame:
    """Return the former shafts and terrils within *radius* metres of each feature.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        The features, in any CRS (measured in EPSG:2154).
        A partitioned (dask-geopandas) layer gives a lazy result of the same shape.
    shafts, terrils : geopandas.GeoDataFrame
        In the CRS of *gdf* — built in: :func:`erbm_geo.indicators.builtin.shafts` and
        :func:`~erbm_geo.indicators.builtin.terrils` (those of the property and of the buffer
        zone).
    radius : float, default 1000.0
        The distance (m).

    Returns
    -------
    pandas.DataFrame
        ``puits_within`` and ``terrils_within`` (counts).

    Raises
    ------
    InvalidOptionError
        If *radius* is negative or not a number.
    EmptyInputError
        If *gdf* or a target has no rows.
    DuplicateIndexError
        If *gdf*'s index has duplicate labels.
    CRSError
        If a layer has no CRS, or a target's CRS is not the features'.
    OutOfAreaError
        If coordinates do not fit their CRS or lie far from France.
    InvalidGeometryError
        If a geometry is missing, empty or non-finite.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point, box
    >>> f = gpd.GeoDataFrame(geometry=[box(700000, 7000000, 700100, 7000100)], crs=2154)
    >>> shafts = gpd.GeoDataFrame(geometry=[Point(700600, 7000050)], crs=2154)
    >>> terrils = gpd.GeoDataFrame(geometry=[box(702000, 7000000, 702500, 7000500)], crs=2154)
    >>> heritage_within(f, shafts, terrils).iloc[0].tolist()
    [1, 0]
    """
    if is_partitioned(gdf):  # a dask-geopandas layer: the same function, partition by partition
        return map_features(heritage_within, gdf, shafts, terrils, radius=radius)
    return pd.concat(
        [
            _count(gdf, shafts, radius, "puits_within", "shafts"),
            _count(gdf, terrils, radius, "terrils_within", "terrils"),
        ],
        axis=1,
    )
