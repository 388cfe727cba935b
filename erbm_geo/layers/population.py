"""Populations over time: INSEE's populations municipales of every vintage, on today's communes.

The catalogue holds one entry per INSEE vintage of the mirror (``populations_<year>``,
:data:`POPULATION_YEARS`), each in the Code officiel géographique of its release: communes
merged later appear there under their former codes. :func:`population_history` brings every
vintage to the communes of the catalogue's current COG (``cog_communes``), with one rule:
**a commune merged since is the sum of its former communes** (their codes are in the
``anciensCodes`` of today's commune). A former code with no successor today (a commune split,
or an unknown code), or a vintage whose total changes in the harmonisation, is an error naming
the codes — never a silent drop. The years and in-force dates come from the catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, cast

import pandas as pd

from erbm_geo.data import memo
from erbm_geo.data.catalogue import CATALOGUE
from erbm_geo.errors import DataFormatError, MissingColumnError, UnknownCodeError, UnknownOptionError
from erbm_geo.layers._io import read_json
from erbm_geo.layers.territory import territory_communes

__all__ = ["POPULATION_YEARS", "harmonise_populations", "population_history", "population_table"]

_DEPARTEMENTS = ("59", "62")

#: The population vintages the catalogue holds, oldest first.
POPULATION_YEARS: tuple[int, ...] = tuple(
    sorted(int(str(d.reference_year)) for d in CATALOGUE.values() if d.name.startswith("populations_"))
)


def _communes_of(records: Any, dataset: str) -> dict[str, tuple[int, list[str]]]:
    """Return code -> (population, former codes) of the current communes of 59/62 in a COG file."""
    try:
        return {
            str(r["code"]): (int(r["population"]), [str(c) for c in r.get("anciensCodes") or []])
            for r in records
            if r.get("type") == "commune-actuelle" and r.get("departement") in _DEPARTEMENTS
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFormatError(
            f"dataset {dataset!r}: a commune without a code or a population ({exc!r}); "
            "`erbm-geo data verify` checks the file"
        ) from exc


def harmonise_populations(
    vintage: dict[str, int], current: dict[str, list[str]], *, year: int | str = "?"
) -> pd.Series:
    """Return the populations of *vintage* summed onto the communes of *current*.

    Parameters
    ----------
    vintage : dict of str to int
        Population by commune code, in the COG of the vintage's release.
    current : dict of str to list of str
        Today's communes: code -> former codes (``anciensCodes``).
    year : int or str, optional
        The vintage, for messages.

    Returns
    -------
    pandas.Series
        ``Int64`` populations indexed by today's codes (``code_insee``); a commune whose code and
        former codes are all absent from the vintage is ``<NA>``.

    Raises
    ------
    UnknownCodeError
        If a code of the vintage is neither a commune of today nor a former code of one (a
        commune split since, or a code of another territory), or is the former code of two.
    DataFormatError
        If the harmonised total differs from the vintage's total.

    Examples
    --------
    >>> harmonise_populations({"62001": 100, "62002": 50, "62003": 7},
    ...                       {"62001": ["62002"], "62003": []}, year=2016).tolist()
    [150, 7]
    >>> harmonise_populations({"62009": 5}, {"62001": []}, year="X")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.UnknownCodeError: populations X: code(s) ['62009'] are neither communes ...
    """
    successor: dict[str, str] = {}
    twice = []
    for code, former in current.items():
        for old in former:
            if old in successor and successor[old] != code:
                twice.append(old)
            successor[old] = code
    if twice:
        raise UnknownCodeError(
            f"populations {year}: former code(s) {sorted(set(twice))[:10]} lead to two communes of "
            "today (a commune split): its population cannot be shared out without a rule"
        )
    target = {c: (c if c in current else successor.get(c)) for c in vintage}
    lost = sorted(c for c, t in target.items() if t is None)
    if lost:
        raise UnknownCodeError(
            f"populations {year}: code(s) {lost[:10]} are neither communes of the current COG nor "
            "former codes of one; the vintage and the COG disagree (a commune split, or another "
            "territory): nothing is dropped"
        )
    summed = pd.Series(vintage, dtype="int64").groupby(pd.Series(target)).sum()
    out = summed.reindex(list(current)).astype("Int64")
    out.index.name = "code_insee"
    if int(out.sum()) != int(sum(vintage.values())):
        raise DataFormatError(
            f"populations {year}: the harmonised total {int(out.sum())} differs from the vintage's "
            f"{int(sum(vintage.values()))}"
        )
    return out


def _history_all() -> pd.DataFrame:
    cog = _communes_of(read_json("cog_communes"), "cog_communes")
    current = {code: former for code, (_, former) in cog.items()}
    cols = {}
    for year in POPULATION_YEARS:
        name = f"populations_{year}"
        vintage = {c: p for c, (p, _) in _communes_of(read_json(name), name).items()}
        cols[year] = harmonise_populations(vintage, current, year=year)
    out = pd.DataFrame(cols)
    out.index.name = "code_insee"
    missing = out.isna().any(axis=1)
    if missing.any():
        raise DataFormatError(
            f"populations: {int(missing.sum())} commune(s) of today have no population in some "
            f"vintage ({list(out.index[missing][:10])}) — neither their code nor a former one is "
            "in it"
        )
    return out.astype("int64")


def population_history(*, territory: str | Sequence[str] = "bassin_minier") -> pd.DataFrame:
    """Return INSEE's populations municipales of every vintage, on today's communes.

    Parameters
    ----------
    territory : str or sequence of str, default "bassin_minier"
        Any territory the library accepts (a name, INSEE codes, SIREN codes of EPCI).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code_insee`` of the current COG (the catalogue's ``cog_communes``), one
        integer column per population year (:data:`POPULATION_YEARS`: 2016, 2019…2023), each
        harmonised to today's communes (a commune merged since is the sum of its former
        communes). ``attrs["vintages"]`` gives, per year, the COG of the release and the date
        the figures came into force (from the catalogue).

    Raises
    ------
    UnknownCodeError
        If a former code has no successor today, or a territory code is unknown.
    DataFormatError
        If a vintage does not add up, or a commune of today is missing from a vintage.
    UnknownOptionError
        If *territory* is an unknown name.

    Examples
    --------
    >>> h = population_history()
    >>> h.shape[0], list(h.columns) == list(POPULATION_YEARS)
    (250, True)
    """
    if isinstance(territory, str) and not territory.strip():
        raise UnknownOptionError("population_history: territory is empty")
    table: pd.DataFrame = memo(
        "population_history",
        _history_all,
        sources=("cog_communes", *(f"populations_{y}" for y in POPULATION_YEARS)),
    )
    codes = territory_communes(territory).index
    out = table.reindex(codes).copy()
    out.attrs = {
        "sources": ["cog_communes", *(f"populations_{y}" for y in POPULATION_YEARS)],
        "vintages": {
            y: {"cog": CATALOGUE[f"populations_{y}"].cog, "in_force": CATALOGUE[f"populations_{y}"].in_force}
            for y in POPULATION_YEARS
        },
    }
    return out


def population_table(history: pd.DataFrame, *, form: Literal["wide", "long"] = "wide") -> pd.DataFrame:
    """Return a population history as a table to publish: wide or long, each vintage said.

    Parameters
    ----------
    history : pandas.DataFrame
        :func:`population_history` (its ``attrs["vintages"]`` give each vintage's COG and date).
    form : {"wide", "long"}, default "wide"
        ``"wide"``: one row per commune, one column ``population_<year>`` per vintage.
        ``"long"``: one row per commune and vintage, with ``code_insee``, ``annee``,
        ``population_vintage``, ``cog`` (the COG of the release) and ``en_vigueur`` (the date the
        figures came into force), sorted by commune then year.

    Returns
    -------
    pandas.DataFrame
        The table (integers as ``int64``).

    Raises
    ------
    UnknownOptionError
        If *form* is unknown.
    MissingColumnError
        If *history* has no ``attrs["vintages"]`` entry for one of its years.

    Examples
    --------
    >>> h = pd.DataFrame({2016: [1000], 2023: [1100]}, index=pd.Index(["62001"], name="code_insee"))
    >>> h.attrs["vintages"] = {y: {"cog": y + 3, "in_force": f"{y + 3}-01-01"} for y in (2016, 2023)}
    >>> list(population_table(h).columns)
    ['population_2016', 'population_2023']
    >>> row = population_table(h, form="long").iloc[1]
    >>> int(row["annee"]), int(row["population_vintage"]), int(row["cog"] - row["annee"])
    (2023, 1100, 3)
    """
    if form not in ("wide", "long"):
        raise UnknownOptionError(f"form={form!r}: choose 'wide' or 'long'")
    vintages = history.attrs.get("vintages", {})
    unknown = [y for y in history.columns if y not in vintages]
    if unknown:
        raise MissingColumnError(
            f"population_table: no vintage metadata for {unknown}; pass population_history()'s "
            "table (its attrs['vintages'] say each vintage's COG and date)"
        )
    if form == "wide":
        wide = history.astype("int64").rename(columns=lambda y: f"population_{y}")
        wide.attrs = dict(history.attrs)
        return wide
    stacked = cast("pd.Series", history.astype("int64").rename_axis(columns="annee").stack())
    long = stacked.rename("population_vintage").reset_index()
    long = long.rename(columns={long.columns[0]: "code_insee"})
    long["annee"] = long["annee"].astype("int64")
    long["cog"] = long["annee"].map({int(y): int(v["cog"]) for y, v in vintages.items()}).astype("int64")
    long["en_vigueur"] = long["annee"].map({int(y): str(v["in_force"]) for y, v in vintages.items()})
    long = long.sort_values(["code_insee", "annee"], kind="stable").reset_index(drop=True)
    long.attrs = dict(history.attrs)
    return long
