"""Context indicators: brownfields and income of the commune (and of the overlapping IRIS), and
heritage elements (shafts, terrils) within a radius."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.data import memo
from erbm_geo.errors import UnknownCodeError
from erbm_geo.indicators._inputs import prepare
from erbm_geo.indicators._kernels import count_within, pair_areas
from erbm_geo.layers._spatial import assign_communes
from erbm_geo.layers.friches import friches_communes, warn_quality
from erbm_geo.layers.heritage import puits_de_mines, terrils, zt_terrils
from erbm_geo.layers.socio import income_communes, income_iris
from erbm_geo.layers.territory import communes as _communes

__all__ = ["commune_of", "friches_context", "heritage_within", "income_context"]


def commune_of(gdf: gpd.GeoDataFrame) -> pd.Series:
    """INSEE code of each feature's main commune (Nord and Pas-de-Calais, COG 2025).

    Taken from the ``code_insee`` index or column when the layer has one (every code is then
    checked), else computed spatially (the commune holding the largest part of the feature).

    Raises
    ------
    UnknownCodeError
        A code is missing or not a commune of the Nord or the Pas-de-Calais (codes and rows
        listed), or a feature lies in no commune of the two départements.
    InvalidGeometryError
        A geometry is invalid (e.g. a self-intersecting polygon), for the spatial assignment.
    """
    if gdf.index.name == "code_insee":
        codes = pd.Series(gdf.index.astype("string"), index=gdf.index, name="code_insee")
        return _checked_codes(codes, "the code_insee index")
    if "code_insee" in gdf.columns:
        codes = gdf["code_insee"].astype("string").rename("code_insee")
        return _checked_codes(codes, "the code_insee column")
    feats, _ = prepare(gdf, name="features", validity=True)
    codes = assign_communes(feats, _communes(perimeter="nord_pas_de_calais"))["code_insee"]
    return _checked_codes(codes.rename("code_insee"), "the spatial assignment")


def _checked_codes(codes: pd.Series, where: str) -> pd.Series:
    known = memo("codes_insee_5962", lambda: _communes(perimeter="nord_pas_de_calais").index)
    bad = codes.isna().to_numpy() | ~codes.isin(known).to_numpy()
    if bad.any():
        shown = sorted({str(c) for c in codes[bad].fillna("<NA>")})[:10]
        rows = list(codes.index[bad][:10])
        hint = ("those features lie in no commune of the Nord or the Pas-de-Calais"
                if where == "the spatial assignment" else
                "codes are 5-character INSEE codes (COG 2025) of the Nord (59…) or the "
                "Pas-de-Calais (62…), as text; codes of communes merged since have to be "
                "replaced by the new commune's; find codes with erbm_geo.layers.codes_from_names")
        raise UnknownCodeError(
            f"{int(bad.sum())} feature(s) have no known commune in {where}: {shown} "
            f"(rows {rows}); {hint}."
        )
    return codes


def friches_context(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Brownfields of each feature's commune (Cartofriches): count, surface, per km².

    Returns ``friches_n``, ``friches_surface_m2``, ``friches_per_km2`` and
    ``friches_surface_share`` of the main commune, and ``friches_surface_quality``
    (``"ok"``, or ``"surface_exceeds_commune"`` where the source surface is larger than the
    commune: surface and share are then NA, never a share above 1).

    Examples
    --------
    >>> from erbm_geo.layers import communes
    >>> f = friches_context(communes())
    >>> list(f.columns)
    ['friches_n', 'friches_surface_m2', 'friches_per_km2', 'friches_surface_share', 'friches_surface_quality']
    """
    codes = commune_of(gdf)
    f = friches_communes(perimeter="nord_pas_de_calais", warn=False)
    warn_quality(f, codes.to_numpy())  # only for the communes of these features
    cols = ["friches_n", "friches_surface_m2", "friches_per_km2", "friches_surface_share"]
    out = f[cols].reindex(codes.to_numpy()).astype("float64")
    out["friches_surface_quality"] = f["friches_surface_quality"].reindex(codes.to_numpy()).to_numpy()
    out.index = gdf.index
    return out


def income_context(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Income of each feature's commune and of the IRIS it overlaps (area-weighted).

    Returns
    -------
    pandas.DataFrame
        ``revenu_median_commune`` and ``part_minima_sociaux_pct`` (Filosofi 2021, main commune);
        ``revenu_median_iris`` and ``taux_pauvrete_iris_pct``: means of the overlapping IRIS
        weighted by overlap area, over the IRIS **of the feature's own commune(s)** that have
        figures. Filosofi publishes IRIS figures only for communes of 5,000 inhabitants or more,
        so a feature lying in smaller communes gets NaN — never a value borrowed from a
        neighbouring commune's IRIS through a boundary sliver. A feature's communes are its
        ``code_insee`` index, else its ``codes_insee`` column (every commune holding a part),
        else its ``code_insee`` column, else the communes it overlaps. For point features, the
        IRIS containing the point.

    Examples
    --------
    >>> from erbm_geo.layers import cites
    >>> inc = income_context(cites())
    >>> bool((inc["revenu_median_iris"].dropna() > 0).all())
    True
    """
    feats, geoms = prepare(gdf, name="features", validity=True)
    codes, fpos, fcode = _feature_communes(feats)
    inc = income_communes(perimeter="nord_pas_de_calais")
    out = pd.DataFrame(index=feats.index)
    out["revenu_median_commune"] = inc["revenu_median_uc"].reindex(codes.to_numpy()).astype(
        "float64").to_numpy()
    out["part_minima_sociaux_pct"] = inc["part_minima_sociaux_pct"].reindex(
        codes.to_numpy()).astype("float64").to_numpy()
    ii = income_iris(territory="nord_pas_de_calais")
    ii = ii[ii["revenu_median_uc"].notna().to_numpy()]
    ig = np.asarray(ii.geometry.values, dtype=object)
    tree = shapely.STRtree(ig)
    si, ti = tree.query(geoms, predicate="intersects")
    # only IRIS of the feature's own commune(s): no value from a neighbour's boundary sliver
    own = pd.MultiIndex.from_arrays([si, ii["code_insee"].astype(str).to_numpy()[ti]]).isin(
        pd.MultiIndex.from_arrays([fpos, fcode]))
    si, ti = si[own], ti[own]
    dims = shapely.get_dimensions(geoms[si])
    w = np.ones(len(si))
    poly = dims == 2
    w[poly] = pair_areas(geoms[si][poly], ig[ti][poly])
    n = len(geoms)
    for col, name in (("revenu_median_uc", "revenu_median_iris"),
                      ("taux_pauvrete_pct", "taux_pauvrete_iris_pct")):
        v = ii[col].astype("float64").to_numpy()[ti]
        ok = ~np.isnan(v) & (w > 0)
        num = np.bincount(si[ok], weights=w[ok] * v[ok], minlength=n)
        den = np.bincount(si[ok], weights=w[ok], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[name] = np.where(den > 0, num / den, np.nan)
    return out


def _feature_communes(feats: gpd.GeoDataFrame) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Main commune of each feature (as :func:`commune_of`) and every (feature position, INSEE
    code) pair of the communes it belongs to — with one spatial assignment at most."""
    if feats.index.name == "code_insee" or "code_insee" in feats.columns:
        main = commune_of(feats)
        lists = (feats["codes_insee"].astype("string").fillna("") if feats.index.name != "code_insee"
                 and "codes_insee" in feats.columns else main.astype("string")).str.split(";")
    else:
        a = assign_communes(feats, _communes(perimeter="nord_pas_de_calais"))
        main = _checked_codes(a["code_insee"].rename("code_insee"), "the spatial assignment")
        lists = a["codes_insee"].astype("string").fillna("").str.split(";")
    pos = np.repeat(np.arange(len(feats)), lists.map(len).to_numpy(dtype=np.int64))
    codes = np.concatenate([np.asarray(x, dtype=object) for x in lists]) if len(lists) else \
        np.array([], dtype=object)
    return main, pos, codes.astype(str)


def heritage_within(gdf: gpd.GeoDataFrame, *, radius: float = 1000.0) -> pd.DataFrame:
    """Former shafts and terrils (property and buffer zone) within *radius* metres of each feature.

    Examples
    --------
    >>> from erbm_geo.layers import cites
    >>> h = heritage_within(cites(), radius=1000)
    >>> list(h.columns)
    ['puits_within', 'terrils_within']
    """
    feats, geoms = prepare(gdf, name="features")
    shafts = np.asarray(puits_de_mines().geometry.values, dtype=object)
    ter = np.concatenate([np.asarray(terrils().geometry.values, dtype=object),
                          np.asarray(zt_terrils().geometry.values, dtype=object)])
    return pd.DataFrame({"puits_within": count_within(geoms, shafts, radius),
                         "terrils_within": count_within(geoms, ter, radius)}, index=feats.index)
