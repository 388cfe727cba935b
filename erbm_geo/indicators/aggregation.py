"""Summarise any indicator by commune, EPCI or département, with meaningful weights."""

from __future__ import annotations

from typing import Literal, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.errors import (
    AlignmentError,
    DataFormatError,
    MissingColumnError,
    UnknownCodeError,
    UnknownOptionError,
)
from erbm_geo.indicators.context import commune_of

__all__ = ["aggregate"]

By = Literal["commune", "epci", "departement"]


def _check_numeric(frame: pd.DataFrame) -> None:
    """Raise :class:`DataFormatError` naming the columns of *frame* that hold no numbers."""
    text = [
        c
        for c in frame.columns
        if not (pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c]))
    ]
    if text:
        raise DataFormatError(
            f"values column(s) {text} are not numeric ({[str(frame[c].dtype) for c in text]}); "
            "pass numeric indicators only, e.g. values[numeric_columns]"
        )


def _weights(gdf: gpd.GeoDataFrame, weights: str) -> np.ndarray:
    """Return the weight of each feature: its area (``"area"``, m²) or a numeric column ≥ 0."""
    if weights == "area":
        geoms = gdf.to_crs(2154).geometry.values if gdf.crs is not None else gdf.geometry.values
        return cast("np.ndarray", shapely.area(np.asarray(geoms, dtype=object)))
    if weights not in gdf.columns:
        raise MissingColumnError(
            f"weights column {weights!r} not in the layer; use 'area', None or one of {list(gdf.columns)}"
        )
    if not pd.api.types.is_numeric_dtype(gdf[weights]) or pd.api.types.is_bool_dtype(gdf[weights]):
        raise DataFormatError(
            f"weights column {weights!r} is not numeric ({gdf[weights].dtype}); use 'area', "
            "None or a numeric column such as 'population' or 'logements'"
        )
    w = cast("np.ndarray", gdf[weights].astype("float64").to_numpy())
    if (w < 0).any():
        raise DataFormatError(
            f"weights column {weights!r} has negative values (rows "
            f"{list(gdf.index[w < 0][:10])}); weights must be ≥ 0"
        )
    return w


def aggregate(
    values: pd.Series | pd.DataFrame,
    gdf: gpd.GeoDataFrame,
    communes: gpd.GeoDataFrame,
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
    communes : GeoDataFrame
        Commune polygons indexed by INSEE code with ``nom``, ``siren_epci``, ``nom_epci``,
        ``departement`` and ``nom_departement`` (as needed by *by*) — built in:
        :func:`erbm_geo.indicators.builtin.communes`.
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
    AlignmentError
        *values* are not aligned on ``gdf.index``.
    UnknownCodeError
        A feature has no known commune of the Nord or the Pas-de-Calais (codes listed): no
        feature is silently left out of the groups.
    DataFormatError
        A values column or the weights column is not numeric, or a weight is negative.
    MissingColumnError, UnknownOptionError

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> communes = gpd.GeoDataFrame(
    ...     {"nom": ["A", "B"], "siren_epci": ["200000001", "200000001"], "nom_epci": ["CA X"] * 2,
    ...      "departement": ["62", "62"], "nom_departement": ["Pas-de-Calais"] * 2},
    ...     geometry=[box(700000, 7000000, 701000, 7001000), box(701000, 7000000, 703000, 7001000)],
    ...     index=pd.Index(["62001", "62002"], name="code_insee"), crs=2154)
    >>> share = pd.Series([0.1, 0.4], index=communes.index, name="qpv_share")
    >>> aggregate(share, communes, communes, by="epci", weights="area")  # (0.1 + 2 × 0.4) / 3
                qpv_share  n nom_epci
    siren_epci
    200000001         0.3  2     CA X
    """
    if by not in ("commune", "epci", "departement"):
        raise UnknownOptionError(f"unknown grouping {by!r}; choose commune, epci or departement")
    if how not in ("mean", "sum", "min", "max"):
        raise UnknownOptionError(f"unknown aggregation {how!r}; choose mean, sum, min or max")
    frame = values.to_frame() if isinstance(values, pd.Series) else values.copy()
    if not frame.index.equals(gdf.index):
        raise AlignmentError(
            "values must be aligned on gdf.index (same labels, same order); "
            "e.g. values = values.reindex(gdf.index)"
        )
    _check_numeric(frame)
    frame = frame.astype("float64")
    need = {
        "commune": ["nom"],
        "epci": ["siren_epci", "nom_epci"],
        "departement": ["departement", "nom_departement"],
    }[by]
    missing = [c for c in need if c not in communes.columns]
    if missing:
        raise MissingColumnError(
            f"communes lacks column(s) {missing} needed for by={by!r}; pass "
            "erbm_geo.indicators.builtin.communes() or a layer with them"
        )
    allc = pd.DataFrame(communes.drop(columns=communes.geometry.name))
    allc.index = allc.index.astype(str)
    codes = commune_of(gdf, communes).to_numpy()  # every code checked: none is silently dropped
    key_col = {"commune": None, "epci": "siren_epci", "departement": "departement"}[by]
    keys = codes if key_col is None else allc[key_col].reindex(codes).to_numpy()
    if pd.isna(keys).any():
        raise UnknownCodeError(
            f"communes {sorted(set(codes[pd.isna(keys)]))[:10]} have no {key_col} in the communes layer"
        )
    w = np.ones(len(frame)) if weights is None or how != "mean" else _weights(gdf, weights)
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
        res["nom_epci"] = (
            allc.drop_duplicates("siren_epci")
            .set_index("siren_epci")["nom_epci"]
            .reindex(res.index)
            .to_numpy()
        )
    else:
        res["nom"] = (
            allc.drop_duplicates("departement")
            .set_index("departement")["nom_departement"]
            .reindex(res.index)
            .to_numpy()
        )
    res.index.name = {"commune": "code_insee", "epci": "siren_epci", "departement": "departement"}[by]
    return res.sort_index()
