"""Change between two vintages of a count: absolute, in percent, and as a mean annual rate.

Counts are summed first — over the communes of an EPCI, of the basin, of any group — and the
rates computed from the sums: a rate is never averaged (the mean of the communes' rates would
weigh a village like a city). The same functions serve every counted layer with vintages:
populations (:func:`erbm_geo.layers.population_history`), and friche sites to come.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from erbm_geo.errors import AlignmentError, MissingColumnError, UnknownOptionError

__all__ = ["count_change", "population_change"]


def _grouped(table: pd.DataFrame, groups: pd.Series | str | None) -> pd.DataFrame:
    if groups is None:
        return table
    if isinstance(groups, str):
        if groups != "all":
            raise UnknownOptionError(f"groups={groups!r}: give a Series of group labels or 'all'")
        return table.sum().to_frame("ensemble").T
    if not groups.index.equals(table.index):
        missing = table.index.difference(groups.index)
        if len(missing):
            raise AlignmentError(
                f"groups has no label for {len(missing)} row(s) of the table (e.g. {list(missing[:5])}); "
                "give one per row, e.g. communes['siren_epci']"
            )
        groups = groups.reindex(table.index)
    if groups.isna().any():
        raise AlignmentError(
            f"groups is missing for rows {list(table.index[groups.isna().to_numpy()][:5])}: every row "
            "must belong to a group"
        )
    out = table.groupby(groups.to_numpy()).sum()
    out.index.name = groups.name
    return out


def _years_between(start: int | str, end: int | str) -> float:
    """Return the years from vintage *start* to *end* (years, or ISO dates), refusing end ≤ start."""
    import datetime as dt

    try:
        if isinstance(start, str) or isinstance(end, str):
            span = (dt.date.fromisoformat(str(end)) - dt.date.fromisoformat(str(start))).days / 365.25
        else:
            span = float(end - start)
    except ValueError:
        raise UnknownOptionError(
            f"vintages {start!r} and {end!r}: name them both by a year or both by an ISO date"
        ) from None
    if not span > 0:
        raise UnknownOptionError(f"start ({start}) must be before end ({end})")
    return span


def count_change(
    table: pd.DataFrame,
    *,
    start: int | str,
    end: int | str,
    groups: pd.Series | str | None = None,
    prefix: str = "count",
) -> pd.DataFrame:
    """Return the change of a count between vintages *start* and *end*, by row or by group.

    Parameters
    ----------
    table : pandas.DataFrame
        One numeric column per vintage, one row per unit (e.g. a commune). A vintage is named
        by its year (populations) or by its ISO date (``"YYYY-MM-DD"``, the extracts of the
        friche sites): the mean annual rate counts the years between them (days / 365.25 for
        dates).
    start, end : int or str
        The vintages compared (columns of *table*), *start* before *end*.
    groups : pandas.Series or "all", optional
        A group label per row (e.g. ``communes["siren_epci"]``): counts are summed per group
        before the rates are computed; ``"all"`` sums every row. Default: row by row.
    prefix : str, default "count"
        The columns' prefix (``population`` gives ``population_change``…).

    Returns
    -------
    pandas.DataFrame
        ``<prefix>_start``, ``<prefix>_end``, ``<prefix>_change`` (end − start),
        ``<prefix>_change_pct`` (100 × change / start) and ``<prefix>_growth_rate_pct`` (mean
        annual rate, 100 × ((end / start) ^ (1 / years) − 1)); the rates are NaN where the
        start count is 0. ``attrs["years"]`` holds ``(start, end)``.

    Raises
    ------
    MissingColumnError
        If *start* or *end* is not a column of *table*.
    UnknownOptionError
        If *start* is not before *end*, or *groups* is neither a Series nor ``"all"``.
    AlignmentError
        If a row has no group.

    Examples
    --------
    >>> t = pd.DataFrame({2016: [100, 1000], 2023: [120, 900]}, index=["a", "b"])
    >>> count_change(t, start=2016, end=2023, groups="all")["count_change_pct"].round(2).tolist()
    [-7.27]
    """
    missing = [y for y in (start, end) if y not in table.columns]
    if missing:
        raise MissingColumnError(f"no vintage {missing} in the table; its vintages: {list(table.columns)}")
    years = _years_between(start, end)
    t = _grouped(table[[start, end]].astype("float64"), groups)
    a, b = t[start].to_numpy(), t[end].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(a > 0, 100.0 * (b - a) / a, np.nan)
        rate = np.where(a > 0, 100.0 * (np.power(b / a, 1.0 / years) - 1.0), np.nan)
    out = pd.DataFrame(
        {
            f"{prefix}_start": a,
            f"{prefix}_end": b,
            f"{prefix}_change": b - a,
            f"{prefix}_change_pct": pct,
            f"{prefix}_growth_rate_pct": rate,
        },
        index=t.index,
    )
    if (table[[start, end]].dtypes.map(pd.api.types.is_integer_dtype)).all():
        for c in (f"{prefix}_start", f"{prefix}_end", f"{prefix}_change"):
            out[c] = out[c].round().astype("int64")
    out.attrs["years"] = (start, end)
    return out


def population_change(
    history: pd.DataFrame,
    *,
    start: int | None = None,
    end: int | None = None,
    groups: pd.Series | str | None = None,
) -> pd.DataFrame:
    """Return the change of the population between two vintages, by commune or by group.

    Parameters
    ----------
    history : pandas.DataFrame
        :func:`erbm_geo.layers.population_history` (or any table of populations by year).
    start, end : int, optional
        The vintages compared; by default the first and the last of *history*.
    groups : pandas.Series or "all", optional
        E.g. ``communes["siren_epci"]`` for the EPCI, ``"all"`` for the whole territory.

    Returns
    -------
    pandas.DataFrame
        ``population_start``, ``population_end``, ``population_change``,
        ``population_change_pct``, ``population_growth_rate_pct`` (see :func:`count_change`).

    Raises
    ------
    MissingColumnError
        If a vintage asked for is not in *history*.
    UnknownOptionError
        If *start* is not before *end*, or *groups* is unknown.
    AlignmentError
        If a commune has no group.

    Examples
    --------
    >>> h = pd.DataFrame({2016: [1000, 500], 2023: [1100, 450]}, index=["62001", "62002"])
    >>> population_change(h)["population_change"].tolist()
    [100, -50]
    >>> round(float(population_change(h, groups="all")["population_growth_rate_pct"].iloc[0]), 3)
    0.47
    """
    years = [int(y) for y in history.columns]
    return count_change(
        history,
        start=years[0] if start is None else start,
        end=years[-1] if end is None else end,
        groups=groups,
        prefix="population",
    )
