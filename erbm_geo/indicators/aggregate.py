"""Summarise any indicator by commune, EPCI or département, with meaningful weights."""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.errors import MissingColumnError, UnknownOptionError
from erbm_geo.indicators.context import commune_of
from erbm_geo.layers.territory import communes as _communes

__all__ = ["aggregate"]

By = Literal["commune", "epci", "departement"]


def aggregate(
    values: pd.Series | pd.DataFrame,
    gdf: gpd.GeoDataFrame,
    *,
    by: By = "epci",
    weights: str | None = "area",
    how: Literal["mean", "sum", "min", "max"] = "mean",
) -> pd.DataFrame:
    """Summarise indicator *values* (aligned on *gdf*) by commune, EPCI or département.

    Parameters
    ----------
    values : Series or DataFrame
        Numeric indicator(s) aligned on ``gdf.index`` (as returned by the indicators).
    gdf : GeoDataFrame
        The features the values describe (cités, communes, QPV…). Each feature belongs to its
        main commune (``code_insee``, spatial when absent), hence to its EPCI and département.
    by : {"commune", "epci", "departement"}
    weights : str or None
        For ``how="mean"``: ``"area"`` (feature area), ``"population"`` or any numeric column of
        *gdf* (e.g. ``"logements"``), or ``None`` (plain mean). NaN values are left out of both
        numerator and denominator.
    how : {"mean", "sum", "min", "max"}

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code_insee``, ``siren_epci`` or ``departement``; one column per indicator
        plus ``n`` (features counted) and the group's name.

    Examples
    --------
    >>> from erbm_geo.layers import communes
    >>> from erbm_geo.indicators import qpv_overlap
    >>> c = communes(perimeter="erbm")
    >>> by_epci = aggregate(qpv_overlap(c)["qpv_share"], c, by="epci", weights="area")
    >>> len(by_epci)
    8
    """
    if by not in ("commune", "epci", "departement"):
        raise UnknownOptionError(f"unknown grouping {by!r}; choose commune, epci or departement")
    if how not in ("mean", "sum", "min", "max"):
        raise UnknownOptionError(f"unknown aggregation {how!r}; choose mean, sum, min or max")
    frame = values.to_frame() if isinstance(values, pd.Series) else values.copy()
    if not frame.index.equals(gdf.index):
        raise UnknownOptionError("values must be aligned on gdf.index (same labels, same order)")
    frame = frame.select_dtypes(include="number").astype("float64")
    allc = _communes(perimeter="nord_pas_de_calais")
    codes = commune_of(gdf).to_numpy()
    key_col = {"commune": None, "epci": "siren_epci", "departement": "departement"}[by]
    keys = codes if key_col is None else allc[key_col].reindex(codes).to_numpy()
    if weights is None or how != "mean":
        w = np.ones(len(frame))
    elif weights == "area":
        w = shapely.area(np.asarray(gdf.to_crs(2154).geometry.values if gdf.crs is not None
                                    else gdf.geometry.values, dtype=object))
    elif weights in gdf.columns:
        w = pd.to_numeric(gdf[weights], errors="coerce").to_numpy(dtype=float)
    else:
        raise MissingColumnError(f"weights column {weights!r} not in the layer; use 'area', None "
                                 f"or one of {list(gdf.columns)}")
    grp = pd.Series(keys, index=frame.index)
    out = {}
    for col in frame.columns:
        v = frame[col].to_numpy()
        ok = ~np.isnan(v) & ~np.isnan(w)
        df = pd.DataFrame({"k": grp.to_numpy()[ok], "v": v[ok], "w": w[ok]})
        if how == "mean":
            df["vw"] = df["v"] * df["w"]
            s = df.groupby("k")[["vw", "w"]].sum()
            out[col] = s["vw"] / s["w"].where(s["w"] > 0)
        else:
            out[col] = df.groupby("k")["v"].agg(how)
    res = pd.DataFrame(out)
    res["n"] = grp.value_counts().reindex(res.index).fillna(0).astype("int64")
    if by == "commune":
        res["nom"] = allc["nom"].reindex(res.index).to_numpy()
    elif by == "epci":
        res["nom_epci"] = allc.drop_duplicates("siren_epci").set_index("siren_epci")["nom_epci"] \
            .reindex(res.index).to_numpy()
    else:
        res["nom"] = allc.drop_duplicates("departement").set_index("departement")[
            "nom_departement"].reindex(res.index).to_numpy()
    res.index.name = {"commune": "code_insee", "epci": "siren_epci", "departement": "departement"}[by]
    return res.sort_index()
