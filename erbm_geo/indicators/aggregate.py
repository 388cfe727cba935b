"""Summarise any indicator by commune, EPCI or département, with meaningful weights."""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.errors import DataFormatError, MissingColumnError, UnknownCodeError, UnknownOptionError
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

    Raises
    ------
    UnknownCodeError
        A feature has no known commune of the Nord or the Pas-de-Calais (codes listed): no
        feature is silently left out of the groups.
    DataFormatError
        A values column or the weights column is not numeric, or a weight is negative.
    MissingColumnError, UnknownOptionError

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
    text = [c for c in frame.columns
            if not (pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c]))]
    if text:
        raise DataFormatError(
            f"values column(s) {text} are not numeric ({[str(frame[c].dtype) for c in text]}); "
            "pass numeric indicators only, e.g. values[numeric_columns]")
    frame = frame.astype("float64")
    allc = _communes(perimeter="nord_pas_de_calais")
    codes = commune_of(gdf).to_numpy()  # every code checked: none is silently dropped
    key_col = {"commune": None, "epci": "siren_epci", "departement": "departement"}[by]
    keys = codes if key_col is None else allc[key_col].reindex(codes).to_numpy()
    if pd.isna(keys).any():
        raise UnknownCodeError(f"communes {sorted(set(codes[pd.isna(keys)]))[:10]} have no "
                               f"{key_col} in the COG 2025 table")
    if weights is None or how != "mean":
        w = np.ones(len(frame))
    elif weights == "area":
        w = shapely.area(np.asarray(gdf.to_crs(2154).geometry.values if gdf.crs is not None
                                    else gdf.geometry.values, dtype=object))
    elif weights in gdf.columns:
        if not pd.api.types.is_numeric_dtype(gdf[weights]) or pd.api.types.is_bool_dtype(gdf[weights]):
            raise DataFormatError(
                f"weights column {weights!r} is not numeric ({gdf[weights].dtype}); use 'area', "
                "None or a numeric column such as 'population' or 'logements'")
        w = gdf[weights].astype("float64").to_numpy()
        if (w < 0).any():
            raise DataFormatError(f"weights column {weights!r} has negative values (rows "
                                  f"{list(gdf.index[w < 0][:10])}); weights must be ≥ 0")
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
