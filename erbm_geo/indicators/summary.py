"""Summaries of a commune indicator over several communes (an EPCI, the basin), by its rule.

The rule of each indicator is in the one vocabulary (``summary`` in
``erbm_geo/vocabulary/registry.toml``): an area- or population-weighted mean, the median of
the communes, a total, or a density (a count over the summed area).
"""

from __future__ import annotations

import pandas as pd

from erbm_geo.errors import MissingColumnError, UnknownOptionError
from erbm_geo.vocabulary import column

__all__ = ["summarise"]


def summarise(table: pd.DataFrame, name: str) -> float:
    """Summarise indicator *name* over all the communes of *table*, by its summary rule.

    Parameters
    ----------
    table : pandas.DataFrame
        Communes, with the indicator's column and the weights its rule needs (``area_km2``,
        ``population``, or its count column).
    name : str
        An indicator of the vocabulary with a summary rule.

    Returns
    -------
    float
        The summary in the stored unit, NaN when no commune has a value.

    Raises
    ------
    UnknownOptionError
        If the indicator is not in the vocabulary or has no summary rule.
    MissingColumnError
        If *table* lacks the indicator or the weight its rule needs.

    Examples
    --------
    >>> t = pd.DataFrame({"qpv_share": [0.5, 0.0], "area_km2": [1.0, 3.0]})
    >>> summarise(t, "qpv_share")
    0.125
    """
    c = column(name)
    rule = c.summary
    if rule is None:
        raise UnknownOptionError(f"{name} has no summary rule in the vocabulary")
    need = {
        "surface": ["area_km2"],
        "population": ["population"],
        "densite": [c.count or "", "area_km2"],
        "part_surface": [c.count or "", "area_km2"],
    }
    missing = [k for k in [name, *need.get(rule, [])] if k not in table.columns]
    if missing:
        raise MissingColumnError(f"summary of {name} ({rule}) needs column(s) {missing}")
    v = table[name].astype("float64")
    ok = v.notna()
    if not ok.any():
        return float("nan")
    if rule in ("surface", "population"):
        w = table["area_km2" if rule == "surface" else "population"].astype("float64")
        return float((v[ok] * w[ok]).sum() / w[ok].sum())
    if rule == "mediane":
        return float(v[ok].median())
    if rule == "somme":
        return float(v[ok].sum())
    return float(table[str(c.count)].astype("float64").sum() / table["area_km2"].sum())
