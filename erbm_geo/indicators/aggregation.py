"""Summarise any indicator by commune, EPCI or département, with meaningful weights."""

from __future__ import annotations

from typing import Any, Literal, NamedTuple, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo import settings
from erbm_geo.errors import (
    AlignmentError,
    DataFormatError,
    MissingColumnError,
    UnknownCodeError,
    UnknownOptionError,
)
from erbm_geo.geom.partitioned import is_partitioned, own_copy, partition_scope, require_dask
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
    if weights == "area":  # measured in the working CRS (reprojected only if in another one)
        other = gdf.crs is not None and not gdf.crs.equals(settings.crs)
        geoms = gdf.to_crs(settings.crs).geometry.values if other else gdf.geometry.values
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
        Numeric indicator(s) aligned on ``gdf.index`` (as returned by the indicators). With a
        partitioned *gdf*, the lazy result of an indicator on it (same partitions): the result
        is then lazy too (one small partition), and equal once computed.
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
        Indexed by ``code_insee``, ``siren_epci`` or ``departement`` (strings); one column per
        indicator plus ``n`` (features counted) and the group's name.

    Raises
    ------
    AlignmentError
        *values* are not aligned on ``gdf.index`` (or, partitioned, not partitioned like *gdf*).
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
    allc = _commune_table(communes, by)
    if is_partitioned(gdf) or is_partitioned(values):
        lazy: pd.DataFrame = _aggregate_partitioned(values, gdf, communes, allc, _Rule(by, weights, how))
        return lazy
    rule = _Rule(by, weights, how)
    return _finish([_partial(values, gdf, communes, allc, rule)], allc, rule, _columns(values))


class _Rule(NamedTuple):
    by: By
    weights: str | None
    how: str


_KEY = {"commune": None, "epci": "siren_epci", "departement": "departement"}


def _columns(values: Any) -> list[str]:
    return [values.name] if values.ndim == 1 else list(values.columns)


def _commune_table(communes: gpd.GeoDataFrame, by: By) -> pd.DataFrame:
    """Return the communes' attributes (no geometry), checking those *by* needs."""
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
    return allc


def _partial(
    values: pd.Series | pd.DataFrame,
    gdf: gpd.GeoDataFrame,
    communes: gpd.GeoDataFrame,
    allc: pd.DataFrame,
    rule: _Rule,
) -> pd.DataFrame:
    """Return the group sums (or minima, maxima) of *values* over *gdf*: one row per group met.

    Columns ``<col>|vw`` and ``<col>|w`` (weighted sums, for means) or ``<col>|<how>``, NaN
    where a group has no value of that column; ``n`` counts every feature of the group.
    """
    frame = values.to_frame() if isinstance(values, pd.Series) else values.copy()
    if not frame.index.equals(gdf.index):
        raise AlignmentError(
            "values must be aligned on gdf.index (same labels, same order); "
            "e.g. values = values.reindex(gdf.index)"
        )
    _check_numeric(frame)
    frame = frame.astype("float64")
    codes = commune_of(gdf, communes)  # every code checked: none is silently dropped
    inv, uniq = pd.factorize(codes)  # a few hundred distinct communes: looked up once each
    key_col = _KEY[rule.by]
    ukeys = np.asarray(uniq, dtype=object) if key_col is None else allc[key_col].reindex(uniq).to_numpy()
    if pd.isna(ukeys).any():
        raise UnknownCodeError(
            f"communes {sorted(map(str, np.asarray(uniq)[pd.isna(ukeys)]))[:10]} have no {key_col} "
            "in the communes layer"
        )
    gk, names = pd.factorize(ukeys.astype(str))
    group = gk[inv]  # each feature's group, as an integer: sums by counting, not by hashing text
    ng = len(names)
    w = np.ones(len(frame)) if rule.weights is None or rule.how != "mean" else _weights(gdf, rule.weights)
    out = {"n": np.bincount(group, minlength=ng).astype("float64")}
    for col in frame.columns:
        v = frame[col].to_numpy()
        ok = ~np.isnan(v) & ~np.isnan(w)
        g, vo, wo = group[ok], v[ok], w[ok]
        has = np.bincount(g, minlength=ng) > 0  # groups with a value of this column: else NaN
        if rule.how == "mean":
            vw, ws = np.bincount(g, vo * wo, minlength=ng), np.bincount(g, wo, minlength=ng)
            out[f"{col}|vw"], out[f"{col}|w"] = np.where(has, vw, np.nan), np.where(has, ws, np.nan)
        elif rule.how == "sum":
            out[f"{col}|sum"] = np.where(has, np.bincount(g, vo, minlength=ng), np.nan)
        else:
            fill = np.inf if rule.how == "min" else -np.inf
            best = np.full(ng, fill)
            (np.minimum if rule.how == "min" else np.maximum).at(best, g, vo)
            out[f"{col}|{rule.how}"] = np.where(has, best, np.nan)
    return pd.DataFrame(out, index=pd.Index(np.asarray(names, dtype=object)))


def _finish(
    partials: list[pd.DataFrame], allc: pd.DataFrame, rule: _Rule, columns: list[str]
) -> pd.DataFrame:
    """Combine group partials (of one or many partitions) into the table :func:`aggregate` returns."""
    keep = [p for p in partials if len(p)]
    both = pd.concat(keep) if keep else pd.DataFrame(columns=["n"], dtype="float64")
    combine = {c: ("sum" if c == "n" or rule.how in ("mean", "sum") else rule.how) for c in both.columns}
    g = both.groupby(level=0)
    merged = pd.DataFrame(
        {c: g[c].sum(min_count=1) if f == "sum" else g[c].agg(f) for c, f in combine.items()}
    )
    res = pd.DataFrame(index=merged.index)
    for col in columns:
        if rule.how == "mean":
            w = merged.get(f"{col}|w", pd.Series(np.nan, index=merged.index))
            vw = merged.get(f"{col}|vw", pd.Series(np.nan, index=merged.index))
            res[col] = vw / w.where(w > 0)
            present = w.notna()
        else:
            res[col] = merged.get(f"{col}|{rule.how}", pd.Series(np.nan, index=merged.index))
            present = res[col].notna()
        res[f"{col}|present"] = present
    flags = [f"{c}|present" for c in columns]
    res = res[res[flags].any(axis=1)].drop(columns=flags).astype("float64")
    res["n"] = merged.loc[res.index, "n"].astype("int64")  # res keeps some of merged's rows
    if rule.by == "commune":
        res["nom"] = allc["nom"].reindex(res.index).to_numpy()
    else:
        name_col = "nom_epci" if rule.by == "epci" else "nom_departement"
        names = allc.drop_duplicates(_KEY[rule.by]).set_index(_KEY[rule.by])[name_col]
        res["nom_epci" if rule.by == "epci" else "nom"] = names.reindex(res.index).to_numpy()
    res.index = res.index.astype("string")  # codes and names as pandas strings, in memory or not
    res.index.name = {"commune": "code_insee", "epci": "siren_epci", "departement": "departement"}[rule.by]
    name = res.columns[-1]
    res[name] = res[name].astype("string")
    return res.sort_index()


_VALUE = "__erbm_value_{}"  # where a values column travels beside the features


def _partial_of_partition(
    part: pd.DataFrame,
    columns: list[str],
    geo: gpd.GeoDataFrame,
    communes: gpd.GeoDataFrame,
    allc: pd.DataFrame,
    rule: _Rule,
) -> pd.DataFrame:
    """Return :func:`_partial` of one partition of the features with their values beside them.

    *geo* is the features' empty frame: their geometry column and CRS (an alignment of
    differently partitioned inputs may hand the partition over as a plain DataFrame).
    """
    if len(part) == 0:
        return pd.DataFrame({"n": pd.Series(dtype="float64")})
    carried = [_VALUE.format(i) for i in range(len(columns))]
    values = part[carried].set_axis(columns, axis=1)
    features = gpd.GeoDataFrame(part.drop(columns=carried), geometry=geo.geometry.name, crs=geo.crs)
    with partition_scope(len(communes)):  # this thread's communes: prepared geometries are not shared
        return _partial(values, features, own_copy(communes), allc, rule)


def _aggregate_partitioned(
    values: Any, gdf: Any, communes: gpd.GeoDataFrame, allc: pd.DataFrame, rule: _Rule
) -> Any:
    """Return :func:`aggregate` of partitioned *values* and *gdf*, lazily.

    The values travel as columns of the features (one collection: each partition is read once
    and let go), group partials are computed partition by partition, then combined by one
    final task (the groups are few).
    """
    dask = require_dask()
    import dask.dataframe as dd

    fix = (
        "values and gdf must be partitioned the same way: compute values from gdf, e.g. "
        "values = qpv_overlap(gdf, qpv)['qpv_share']"
    )
    if not (is_partitioned(values) and is_partitioned(gdf)):
        raise AlignmentError(fix)
    columns = _columns(values._meta)
    frame = values.to_frame() if values.ndim == 1 else values
    try:
        both = gdf.assign(**{_VALUE.format(i): frame[c] for i, c in enumerate(columns)})
    except (ValueError, NotImplementedError, TypeError) as exc:  # not co-partitioned
        raise AlignmentError(f"{fix} ({exc})") from exc
    partials = both.map_partitions(
        _partial_of_partition,
        columns,
        gdf._meta,
        dask.delayed(communes, pure=True),
        dask.delayed(allc, pure=True),
        rule,
        meta=pd.DataFrame({"n": pd.Series(dtype="float64")}),
        enforce_metadata=False,
    )
    done = dask.delayed(_finish, pure=True)(partials.to_delayed(), allc, rule, columns)
    return dd.from_delayed([done], meta=_finish([], allc, rule, columns), verify_meta=False)
