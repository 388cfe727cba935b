"""The atlas's view of time: populations of every INSEE vintage on today's communes.

Computes what the portraits' and EPCI pages' « Évolution » sections and the basin's evolution
page show — the indexed line chart and its table, the changes by commune, EPCI and basin, the
diverging map — from :func:`erbm_geo.layers.population_history` and
:func:`erbm_geo.indicators.change.population_change`. Nothing here renders a page; every
year shown comes from the history's vintages (the catalogue), never from a literal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from erbm_geo.atlas import charts
from erbm_geo.atlas.mapdata import MapSpec
from erbm_geo.indicators.change import population_change
from erbm_geo.layers.population import population_history
from erbm_geo.maps.classify import centred_classes
from erbm_geo.maps.vocabulary import CARTOGRAPHIABLES, DIVERGENTE, Indicateur, cle_tri, millesimes, nombre
from erbm_geo.vocabulary import column

__all__ = ["Temps", "carte_variation", "classement", "serie", "signe", "temps", "variations"]

#: The change shown on maps and in tables: percent between the first and the last vintage.
VARIATION: Indicateur = CARTOGRAPHIABLES["population_change_pct"]


@dataclass(frozen=True)
class Temps:
    """Populations by vintage: every commune of the atlas, each ERBM EPCI, the basin.

    Parameters
    ----------
    annees : list of int
        The vintages, increasing.
    communes : pandas.DataFrame
        Code INSEE × vintage (the basin's communes and those of the 8 EPCI).
    epci : pandas.DataFrame
        SIREN × vintage: sums of the EPCI's member communes.
    bassin : pandas.Series
        By vintage: the sum of the basin's communes.
    variation : pandas.DataFrame
        :func:`~erbm_geo.indicators.change.population_change` of the basin's communes, first
        to last vintage.
    resumes : dict of str to dict
        :func:`variations` of every commune (by INSEE code), EPCI (by SIREN) and of the basin
        (``"bassin"``), computed at once from three tables of change.

    Examples
    --------
    >>> h = pd.DataFrame({2016: [100, 50], 2023: [110, 40]}, index=["62001", "62002"])
    >>> t = Temps([2016, 2023], h, h.iloc[:0], h.sum(), population_change(h))
    >>> t.periode, int(t.bassin[2023])
    ('de 2016 à 2023', 150)
    """

    annees: list[int]
    communes: pd.DataFrame
    epci: pd.DataFrame
    bassin: pd.Series
    variation: pd.DataFrame
    resumes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def periode(self) -> str:
        """Return « de 2016 à 2023 » for the history's first and last vintages."""
        return f"de {self.annees[0]} à {self.annees[-1]}"


def temps(bassin: pd.Index, membres: pd.DataFrame) -> Temps:
    """Return the populations of every vintage for the atlas.

    Parameters
    ----------
    bassin : pandas.Index
        INSEE codes of the basin's communes.
    membres : pandas.DataFrame
        The communes of the 8 ERBM EPCI, indexed by INSEE code, with ``siren_epci``.

    Returns
    -------
    Temps
        The histories and the communes' changes.

    Raises
    ------
    DataNotFoundError
        If a vintage is neither in the mirror nor downloadable.
    UnknownCodeError
        If a former commune has no successor today (see
        :func:`~erbm_geo.layers.population_history`).
    DataFormatError
        If a vintage does not add up.

    Examples
    --------
    >>> from erbm_geo import layers
    >>> c = layers.communes(territory="bassin_minier_erbm")  # doctest: +SKIP
    >>> t = temps(c.index[c["in_basin"]], c[c["in_erbm_epci"]])  # doctest: +SKIP
    >>> t.annees[0], len(t.epci)  # doctest: +SKIP
    (2016, 8)
    """
    union = population_history(territory="bassin_minier_erbm")
    annees = [int(y) for y in union.columns]
    epci = union.loc[membres.index].groupby(membres["siren_epci"].astype(str).to_numpy()).sum()
    total = union.loc[bassin].sum()
    resumes: dict[str, dict[str, Any]] = {}
    for table in (union, epci, total.to_frame("bassin").T):  # three vectorised changes
        change = population_change(table)
        for key, row in zip(change.index, change.to_dict("records"), strict=True):
            resumes[str(key)] = _formate(row)
    return Temps(annees, union, epci, total, population_change(union.loc[bassin]), resumes)


def signe(x: float, decimales: int) -> str:
    """Return *x* the French way with its sign (« +1,2 », « -0,4 », « 0 »).

    Parameters
    ----------
    x : float
        The number.
    decimales : int
        Decimals shown.

    Returns
    -------
    str
        ``+`` before a positive number that does not print as zero.

    Examples
    --------
    >>> signe(1.25, 1), signe(-3, 0), signe(0.0, 1)
    ('+1,2', '-3', '0,0')
    """
    text = nombre(x, decimales)
    return f"+{text}" if x > 0 and text.strip("0,") else text


def variations(s: pd.Series) -> dict[str, Any]:
    """Return the change of one history between its first and last vintage, formatted.

    Parameters
    ----------
    s : pandas.Series
        Populations by vintage.

    Returns
    -------
    dict
        ``debut``, ``fin`` (habitants), ``ecart`` (habitants, signed), ``pct`` (%, signed),
        ``taux`` (% per year, signed; ``taux_court`` without « par an »), and for sorting
        tables ``valeur`` (the percent, a float) and ``tri`` (start, end and change as plain
        numbers).

    Raises
    ------
    MissingColumnError
        If *s* has fewer than two vintages.

    Examples
    --------
    >>> v = variations(pd.Series({2016: 1000, 2023: 950}))
    >>> v["ecart"], v["pct"]
    ('-50', '-5,0\u202f%')
    """
    return _formate(population_change(s.to_frame().T, groups="all").iloc[0].to_dict())


def _formate(row: Mapping[Any, Any]) -> dict[str, Any]:
    """Format one row of :func:`~erbm_geo.indicators.change.population_change` for the pages."""
    return {
        "debut": nombre(float(row["population_start"])),
        "fin": nombre(float(row["population_end"])),
        "ecart": signe(float(row["population_change"]), 0),
        "pct": f"{signe(float(row['population_change_pct']), 1)}\u202f%",
        "taux": f"{signe(float(row['population_growth_rate_pct']), 2)}\u202f% par an",
        "taux_court": f"{signe(float(row['population_growth_rate_pct']), 2)}\u202f%",
        "valeur": float(row["population_change_pct"]),
        "tri": {k: str(int(row[f"population_{k}"])) for k in ("start", "end", "change")},
    }


def serie(
    t: Temps,
    series: Sequence[tuple[str, pd.Series]],
    *,
    ident: str,
    titre: str,
    cles: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Return an « Évolution » section: the indexed chart, its table and one line per series.

    Parameters
    ----------
    t : Temps
        The histories.
    series : sequence of (str, pandas.Series)
        Each series' name and populations by vintage (the territory first).
    ident : str
        The chart's id prefix in the page.
    titre : str
        The chart's title.
    cles : sequence of str, optional
        The keys of the series in ``t.resumes`` (their changes computed at once); otherwise
        each change is computed here.

    Returns
    -------
    dict
        ``graphique`` (SVG), ``noms``, ``lignes`` (one per vintage: year, then population and
        index of each series), ``resumes`` (name and :func:`variations` per series),
        ``periode``, ``base`` (the first vintage) and ``source``.

    Raises
    ------
    MissingColumnError
        If the histories have fewer than two vintages.

    Examples
    --------
    >>> h = pd.DataFrame({2016: [100, 50], 2023: [110, 40]}, index=["62001", "62002"])
    >>> t = Temps([2016, 2023], h, h.iloc[:0], h.sum(), population_change(h))
    >>> e = serie(t, [("A", h.loc["62001"]), ("Tout", t.bassin)], ident="e", titre="T")
    >>> e["noms"], e["lignes"][1]["valeurs"][0]["indice"]
    (['A', 'Tout'], '110,0')
    """
    years = t.annees
    keys = list(cles) if cles is not None else [None] * len(series)
    kept = [
        (n, s if list(s.index) == years else s.reindex(years), k)  # already in vintage order
        for (n, s), k in zip(series, keys, strict=True)
        if float(s.iloc[0]) > 0
    ]
    valeurs = [s.to_numpy(dtype="float64").tolist() for _, s, _ in kept]
    return {
        "graphique": charts.evolution(
            years, [(n, v) for (n, _, _), v in zip(kept, valeurs, strict=True)], ident=ident, titre=titre
        ),
        "noms": [n for n, _, _ in kept],
        "lignes": [
            {
                "annee": y,
                "valeurs": [
                    {"habitants": nombre(v[i]), "indice": nombre(100 * v[i] / v[0], 1)} for v in valeurs
                ],
            }
            for i, y in enumerate(years)
        ],
        "resumes": [{"nom": n, **(t.resumes[k] if k is not None else variations(s))} for n, s, k in kept],
        "periode": t.periode,
        "base": years[0],
        "source": column("population_change").vintage,
    }


def classement(t: Temps, noms: pd.Series, epci: pd.Series, n: int = 10) -> dict[str, list[dict[str, Any]]]:
    """Return the *n* communes that gained and that lost the most inhabitants.

    Parameters
    ----------
    t : Temps
        The histories.
    noms, epci : pandas.Series
        Names and EPCI names of the communes, by INSEE code.
    n : int, default 10
        Communes in each list.

    Returns
    -------
    dict
        ``gains`` and ``pertes``: rows with code, name, EPCI, start, end, change and percent;
        ties broken by name.

    Examples
    --------
    >>> h = pd.DataFrame({2016: [100, 50], 2023: [110, 40]}, index=["62001", "62002"])
    >>> t = Temps([2016, 2023], h, h.iloc[:0], h.sum(), population_change(h))
    >>> names = pd.Series({"62001": "A", "62002": "B"})
    >>> r = classement(t, names, names)
    >>> r["gains"][0]["nom"], r["pertes"][0]["ecart"]
    ('A', '-10')
    """
    v = t.variation
    cols = ("population_start", "population_end", "population_change", "population_change_pct")
    fig = {
        str(c): tuple(float(x) for x in vals)
        for c, *vals in zip(v.index, *(v[k].to_numpy(dtype="float64") for k in cols), strict=True)
    }

    def rows(codes: list[str]) -> list[dict[str, Any]]:
        return [
            {
                "code": c,
                "nom": str(noms[c]),
                "epci": str(epci[c]),
                "debut": nombre(fig[c][0]),
                "fin": nombre(fig[c][1]),
                "ecart": signe(fig[c][2], 0),
                "pct": f"{signe(fig[c][3], 1)}\u202f%",
            }
            for c in codes
        ]

    order = sorted(fig, key=lambda c: (-fig[c][2], cle_tri(str(noms[c]))))
    gains = [c for c in order if fig[c][2] > 0][:n]
    pertes = [c for c in reversed(order) if fig[c][2] < 0][:n]
    return {"gains": rows(gains), "pertes": rows(pertes)}


def carte_variation(t: Temps, codes: np.ndarray, noms: pd.Series, bounds: np.ndarray) -> MapSpec:
    """Return the map of the change in percent by commune: classes symmetric about 0.

    Parameters
    ----------
    t : Temps
        The histories.
    codes : numpy.ndarray
        INSEE codes of the basin's communes, in the order of the atlas's commune geometries.
    noms : pandas.Series
        Their names, by code.
    bounds : numpy.ndarray
        The extent to show (xmin, ymin, xmax, ymax in degrees).

    Returns
    -------
    MapSpec
        The map, its legend (with the number of communes in each class) and its sources.

    Raises
    ------
    DataFormatError
        If the vocabulary file shipped with the package is damaged.

    Examples
    --------
    >>> h = pd.DataFrame({2016: [100, 50], 2023: [110, 40]}, index=["62001", "62002"])
    >>> t = Temps([2016, 2023], h, h.iloc[:0], h.sum(), population_change(h))
    >>> names = pd.Series({"62001": "A", "62002": "B"})
    >>> spec = carte_variation(t, h.index.to_numpy(), names, np.array([2.8, 50.3, 3.0, 50.5]))
    >>> len(spec.legendes[0]["items"])
    6
    """
    v = t.variation["population_change_pct"].reindex(codes).astype("float64").to_numpy()

    cls, labels, counts = centred_classes(v, VARIATION.borne, scale=VARIATION.echelle)
    spec = MapSpec(
        f"Carte : évolution de la population {t.periode}",
        base="communes",
        base_props={
            c: {"c": int(k), "t": [str(noms[c]), f"{VARIATION.court} : {VARIATION.valeur(x)}"]}
            for c, k, x in zip(codes, cls, v, strict=True)
        },
    )
    spec.sources = [millesimes()["contours"], "INSEE"]
    spec.palette = list(DIVERGENTE)
    spec.legende(
        f"Évolution de la population {t.periode} (%)",
        [
            (f"{lab} ({nombre(int(k))} commune{'s' if k > 1 else ''})", col, "fill")
            for lab, col, k in zip(labels, DIVERGENTE, counts, strict=True)
        ],
    )
    spec.fit(bounds, 0.01)
    return spec
