"""What the maps and the atlas say to their readers, in French.

Indicators, sources, number formats, sorting.

The Python API and the CLI speak English; every word a reader of a static map or of the atlas
sees comes from this module (or from the data itself, escaped). Each indicator carries its name,
unit, number of decimals, definition, method, limits, vintage, how missing values arise, how it
is summarised for an EPCI and for the basin, and its palette.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

from erbm_geo.data.catalogue import CATALOGUE
from erbm_geo.data.catalogue import get as get_dataset
from erbm_geo.vocabulary import MOIS, SUMMARIES, Column, columns, date_fr, registry
from erbm_geo.vocabulary import nombre as _nombre

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

__all__ = [
    "CARTOGRAPHIABLES",
    "CITE_CATEGORIES",
    "COLONNES",
    "DIVERGENTE",
    "DOCUMENTS",
    "INDICATEURS",
    "MOIS",
    "PALETTES",
    "PORTRAIT_INDICATEURS",
    "SOURCES_FR",
    "STATION_MODES",
    "SYNTHESES",
    "Indicateur",
    "cle_tri",
    "couleurs",
    "date_fr",
    "dictionnaire",
    "millesimes",
    "nombre",
    "population_millesime",
    "producteur",
    "sources_fr",
    "synthese",
]

Synthese = Literal["surface", "population", "mediane", "somme", "densite", "part_surface"]


@dataclass(frozen=True)
class Indicateur:
    """An indicator as the atlas presents it.

    ``echelle`` multiplies the stored value before display (100 for shares shown in %, 0.001
    for metres shown in km). ``synthese`` says how communes are summarised for an EPCI or the
    basin: ``surface`` (mean weighted by area), ``population`` (mean weighted by population),
    ``mediane`` (median of the communes), ``somme``, ``densite`` (sum of ``compte`` over the
    summed area), ``part_surface`` (sum of ``compte`` over the summed area, as a share).

    Parameters
    ----------
    col : str
        The table column.
    nom, court : str
        Its French name, and a short one for narrow places.
    unite : str
        The unit as displayed (``"%"``, ``"km"``…).
    decimales : int
        Decimals displayed.
    definition, methode, limites : str
        What it measures, how, and what it does not say (in French).
    millesime : str
        The data vintage.
    manquant : str
        Why a value may be missing.
    synthese : str
        How communes are summarised for an EPCI or the basin (see :data:`SYNTHESES`).
    palette : str
        The ColorBrewer palette of its maps.
    echelle : float, default 1.0
        Multiplies the stored value before display.
    compte : str, optional
        The count column of the ``densite`` and ``part_surface`` rules.
    sources : tuple of str, default ()
        Catalogue names of its sources.
    diverge : bool, default False
        A change that can be negative: classes symmetric about 0, a diverging palette.

    Examples
    --------
    >>> ind = INDICATEURS["qpv_share"]
    >>> ind.nom, ind.unite, ind.echelle
    ('Part de la surface en quartier prioritaire (QPV)', '%', 100.0)
    """

    col: str
    nom: str
    court: str
    unite: str
    decimales: int
    definition: str
    methode: str
    limites: str
    millesime: str
    manquant: str
    synthese: Synthese
    palette: str
    echelle: float = 1.0
    compte: str | None = None
    sources: tuple[str, ...] = ()
    diverge: bool = False

    def valeur(self, v: object) -> str:
        """Return *v* formatted for a reader: French digits, the indicator's decimals and unit."""
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "n.d."
        try:
            x = float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return "n.d."
        if math.isnan(x):
            return "n.d."
        return f"{nombre(x * self.echelle, self.decimales)}\u202f{self.unite}".rstrip()

    @property
    def titre(self) -> str:
        """Return the short name with the unit, as legends show it (the unit not repeated)."""
        return f"{self.court} ({self.unite})" if self.unite and self.unite not in self.court else self.court

    def nombre(self, v: float) -> str:
        """Return *v* formatted without its unit (legends, chart axes)."""
        return nombre(v * self.echelle, self.decimales)

    def borne(self, v: float) -> str:
        """Return a round class bound without useless decimals (« -5 », « 2,5 »).

        The bounds of classes symmetric about 0 are round numbers; the atlas and the printed
        maps write them alike.
        """
        shown = v * self.echelle
        return nombre(shown, 0 if float(shown).is_integer() else max(self.decimales, 1))


def nombre(x: float, decimales: int = 0) -> str:
    r"""Return a number the French way: :func:`erbm_geo.vocabulary.nombre` with 0 decimals by default.

    Parameters
    ----------
    x : float
        The number.
    decimales : int, default 0
        Decimals shown.

    Returns
    -------
    str
        The number as French readers write it (no minus sign on a rounded zero, ``n.d.`` when
        missing).

    Examples
    --------
    >>> nombre(1234567.891, 1)
    '1\u202f234\u202f567,9'
    >>> nombre(-0.04, 1)
    '0,0'
    """
    return _nombre(x, decimales)


def cle_tri(texte: str) -> tuple[str, str]:
    """Sort key for French names.

    Accents and case ignored first (Évin-Malmaison with the E), then the exact text to keep the order
    stable.

    Parameters
    ----------
    texte : str
        A name.

    Returns
    -------
    tuple of str
        The key: the text without accents in lower case, then the text.

    Examples
    --------
    >>> sorted(["Évin-Malmaison", "Estevelles", "Douai", "Écourt-Saint-Quentin"], key=cle_tri)
    ['Douai', 'Écourt-Saint-Quentin', 'Estevelles', 'Évin-Malmaison']
    """
    base = unicodedata.normalize("NFKD", texte)
    base = "".join(ch for ch in base if not unicodedata.combining(ch)).casefold()
    base = base.replace("œ", "oe").replace("æ", "ae").replace("'", " ").replace("-", " ")
    return base, texte


def _an(dataset: str) -> str:
    """Return the reference year of a catalogued dataset (its vintage lives in the catalogue only)."""
    return str(get_dataset(dataset).reference_year)


def _extrait(dataset: str) -> str:
    """Return the extract date of a catalogued dataset, in French words."""
    return date_fr(str(get_dataset(dataset).extract))


def population_millesime() -> str:
    """Return what the populations shown are: INSEE's year and the date they are in force.

    Returns
    -------
    str
        E.g. ``"population municipale AAAA, en vigueur au 1er janvier AAAA"`` — read from the
        catalogue entry of the COG communes.

    Raises
    ------
    UnknownOptionError
        If the catalogue has no ``cog_communes`` entry.

    Examples
    --------
    >>> population_millesime().startswith("population municipale ")
    True
    """
    d = get_dataset("cog_communes")
    return f"population municipale {d.reference_year}, en vigueur au {date_fr(str(d.in_force))}"


@functools.cache
def _millesimes() -> tuple[tuple[str, str], ...]:
    return (
        ("population", population_millesime()),
        ("qpv", f"QPV {_an('qpv')}"),
        ("anct_qpv", f"ANCT (QPV {_an('qpv')})"),
        ("contours", f"Contours IGN {_an('communes_59')} simplifiés"),
    )


def millesimes() -> dict[str, str]:
    """Return the vintages readers see, worded in French, all read from the catalogue.

    Returns
    -------
    dict of str to str
        ``population`` (INSEE year and in-force date), ``qpv`` (``"QPV <year>"``), ``anct_qpv``
        (credit line), ``contours`` (the commune contours' edition).

    Raises
    ------
    UnknownOptionError
        If an entry these are read from is missing from the catalogue.

    Examples
    --------
    >>> m = millesimes()
    >>> m["qpv"] == f"QPV {get_dataset('qpv').reference_year}"
    True
    """
    return dict(_millesimes())  # read from the catalogue once per process; a copy each call


def _indicateur(c: Column) -> Indicateur:
    return Indicateur(
        c.name,
        c.label,
        c.short,
        c.unit,
        c.decimals or 0,
        c.definition,
        c.method,
        c.limits,
        c.vintage,
        c.missing,
        cast("Synthese", c.summary),
        str(c.palette),
        c.scale,
        c.count,
        c.sources,
        c.diverging,
    )


#: The indicators of the atlas, in the order of the portraits (from the one vocabulary,
#: ``erbm_geo/vocabulary/registry.toml``, rows with ``atlas = true``).
INDICATEURS: dict[str, Indicateur] = {c.name: _indicateur(c) for c in columns(atlas=True)}

#: Every column of the vocabulary that maps draw in classes (it has a palette): the atlas's
#: indicators and the others (the changes over time…), by name.
CARTOGRAPHIABLES: dict[str, Indicateur] = {c.name: _indicateur(c) for c in columns() if c.palette is not None}

#: ColorBrewer's 6-class RdBu (colour-blind safe): losses in red, gains in blue, the two classes
#: nearest 0 the lightest.
DIVERGENTE: tuple[str, ...] = ("#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac")

#: ColorBrewer 5-class schemes (Cynthia Brewer, colorbrewer2.org; colour-blind safe), light to
#: dark; fewer classes take evenly spaced colours of the five.
PALETTES: dict[str, tuple[str, ...]] = {
    "Purples": ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),
    "YlGnBu": ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    "Greens": ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"),
    "Oranges": ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"),
    "RdYlBu": ("#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"),
    "Reds": ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),
    "YlOrBr": ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404"),
}


def couleurs(palette: str, k: int) -> list[str]:
    """Return *k* colours (1–5) of ColorBrewer scheme *palette*, evenly spaced.

    Parameters
    ----------
    palette : str
        A ColorBrewer sequential scheme name (e.g. ``"Reds"``).
    k : int
        How many colours, 1 to 5.

    Returns
    -------
    list of str
        Hex colours, light to dark.

    Examples
    --------
    >>> couleurs("Reds", 3)
    ['#fee5d9', '#fb6a4a', '#a50f15']
    """
    five = PALETTES[palette]
    if k <= 1:
        return [five[3]]
    return [five[round(i * 4 / (k - 1))] for i in range(k)]


#: Indicators of a commune portrait (all of them, in this order).
PORTRAIT_INDICATEURS: tuple[str, ...] = tuple(INDICATEURS)

#: The three kinds of cités, in legend order, with their colours (colour-blind safe).
CITE_CATEGORIES: dict[str, tuple[str, str]] = {
    "inscrite": ("Cité inscrite au patrimoine mondial", "#b35806"),
    "erbm": ("Cité du programme ERBM (non inscrite)", "#542788"),
    "tampon": ("Cité de la zone tampon", "#2c7fb8"),
}

#: The stations' modes in legend order, with their French label and colour (atlas maps, QGIS).
STATION_MODES: dict[str, tuple[str, str]] = {
    "train": ("Gare SNCF", "#000000"),
    "tram": ("Station de tramway", "#c51b7d"),
    "metro": ("Station de métro", "#2166ac"),
}

#: French description of every dataset the atlas shows (sources page, attributions).
SOURCES_FR: dict[str, str] = {
    "bassin_minier": "Contour du Bassin minier (union de ses communes), Mission Bassin Minier",
    "communes_59": f"Contours des communes du Nord, IGN ADMIN EXPRESS {_an('communes_59')} simplifiés",
    "communes_62": f"Contours des communes du Pas-de-Calais, IGN ADMIN EXPRESS {_an('communes_62')} "
    "simplifiés",
    "cog_communes": f"Communes du Code officiel géographique {get_dataset('cog_communes').cog} et "
    f"{population_millesime()}",
    "cog_epci": "Intercommunalités (EPCI) et leurs communes membres au "
    f"{date_fr(str(get_dataset('cog_epci').in_force))}",
    "cites_minieres": "Cités minières : les 124 cités inscrites et 35 cités de la couche ERBM",
    "zt_cites_minieres": "Les 162 cités minières de la zone tampon UNESCO",
    "cites_erbm": "Les 59 cités du programme de rénovation de l'ERBM",
    "bien_inscrit": "Les 109 éléments du bien « Bassin minier du Nord-Pas de Calais » inscrit "
    "au patrimoine mondial (n° 1360)",
    "zone_tampon": "Zone tampon du bien inscrit (15 polygones)",
    "qpv": f"Quartiers prioritaires de la politique de la ville {_an('qpv')} (1 584 QPV en France)",
    "mairies": "Emplacement des mairies des communes du Nord et du Pas-de-Calais",
    "acv_pvd_ort": "Communes des programmes Action cœur de ville, Petites villes de demain et ORT",
    "gares_voyageurs": "Gares de voyageurs SNCF",
    "osm_stations": "Gares et stations de train, métro et tramway d'OpenStreetMap (France "
    f"métropolitaine, extrait du {_extrait('osm_stations')})",
    "rfn_regime": f"Lignes ferroviaires exploitées, régime d'exploitation {_an('rfn_regime')} (SNCF Réseau)",
    "eurovelo5": "Véloroute EuroVelo 5 (relation OpenStreetMap 5245117)",
    "batis": "Bâtis inscrits au patrimoine mondial (chevalements, bâtiments des compagnies…)",
    "equipements_collectifs": "Équipements collectifs inscrits (écoles, églises, dispensaires…)",
    "equipements_extraction": "Équipements d'extraction inscrits (chevalements, puits)",
    "cavaliers": "Cavaliers inscrits (remblais des anciens chemins de fer miniers)",
    "zt_cavaliers": "Cavaliers de la zone tampon (anciennes voies ferrées minières, par tronçon)",
    "espace_neonaturel": "Espaces néo-naturels inscrits (étangs d'affaissement)",
    "zt_espaces_neonaturels": "Espaces néo-naturels de la zone tampon",
    "zt_parvis_agricoles": "Parvis agricoles protégés de la zone tampon",
    "communes_mbm": "Périmètre de travail de la Mission Bassin Minier (plus large que les communes du "
    "Bassin minier)",
    "cog_departements": f"Départements du Code officiel géographique {get_dataset('cog_departements').cog}",
    "liste_gares": "Points du réseau ferré SNCF (code de ligne et point kilométrique)",
    "eveole_stops": "Arrêts du réseau de bus Évéole (Douai), données GTFS",
    "eveole_bhns": "Lignes A et B du BHNS Évéole, d'arrêt en arrêt (tracé schématique en lignes droites)",
    "cartofriches_communes": "Cartofriches : agrégats par commune (extrait du "
    f"{_extrait('cartofriches_communes')})",
    "filosofi_communes": f"Filosofi {_an('filosofi_communes')} par commune : revenu médian, minima sociaux",
    "filosofi_iris": f"Filosofi {_an('filosofi_iris')} par IRIS : revenu médian, taux de pauvreté",
    "iris": f"Contours IRIS {_an('iris')} du Nord et du Pas-de-Calais (précision de 12 à 20 m)",
    "puits_de_mines": "Les 636 anciens puits de mines (liens BRGM)",
    "terrils": "Terrils inscrits au patrimoine mondial",
    "zt_terrils": "Terrils de la zone tampon",
    "rfn_lignes": "Lignes ferroviaires exploitées du Nord et du Pas-de-Calais (SNCF Réseau, "
    f"{_an('rfn_lignes')})",
    "departements": "Contours des départements",
    **{
        d.name: f"Populations municipales {d.reference_year} des communes du Nord et du Pas-de-Calais "
        f"(INSEE, en vigueur au {date_fr(str(d.in_force))}, Code officiel géographique {d.cog})"
        for d in CATALOGUE.values()
        if d.name.startswith("populations_")
    },
    **{
        d.name: "Cartofriches : toutes les friches du Nord et du Pas-de-Calais (extrait du "
        f"{date_fr(str(d.extract))})"
        for d in CATALOGUE.values()
        if d.name.startswith("cartofriches_sites_")
    },
}

#: The programme documents (``../shared/seeds``) that the project's fact tables cite, by file.
DOCUMENTS: dict[str, str] = {
    "000_c589fc3f9f0aae09.txt": "Rapport des services de l'État sur l'Engagement pour le "
    "renouveau du Bassin minier (2019)",
    "001_dd4f51fa1c0f02a8.txt": "Bilan partenarial à mi-parcours de l'ERBM, 2017–2022",
    "002_bf15847f5d488499.txt": "Convention de mise en œuvre de l'ERBM 2025–2027",
    "003_efb7b499221d2e29.txt": "Rapport de préfiguration d'un contrat partenarial d'intérêt "
    "national pour le Bassin minier (2016)",
    "004_59e0ee93726cd7d0.txt": "Dossier de presse de l'ERBM du 25 novembre 2019",
}


#: How an indicator is summarised over several communes, as the reader is told.
SYNTHESES: dict[str, str] = SUMMARIES


def synthese(table: pd.DataFrame, ind: Indicateur) -> float:
    """Summarise *ind* over all the communes of *table*: :func:`erbm_geo.indicators.summary.summarise`.

    Parameters
    ----------
    table : pandas.DataFrame
        Communes, with the indicator's column and the rule's weights.
    ind : Indicateur
        The indicator.

    Returns
    -------
    float
        The summary in the stored unit, NaN when no commune has a value.

    Raises
    ------
    MissingColumnError
        If *table* lacks the indicator or the weight the rule needs.
    UnknownOptionError
        If the indicator has no summary rule.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"qpv_share": [0.5, 0.0], "area_km2": [1.0, 3.0]})
    >>> synthese(t, INDICATEURS["qpv_share"])
    0.125
    """
    from erbm_geo.indicators.summary import summarise

    return summarise(table, ind.col)


def producteur(attribution: str) -> str:
    """Return a dataset's attribution as French readers see it (OpenStreetMap's credit in French).

    Parameters
    ----------
    attribution : str
        The catalogue's attribution text.

    Returns
    -------
    str
        The same text, OpenStreetMap's credit in French.

    Examples
    --------
    >>> producteur("© OpenStreetMap contributors, Waymarked Trails")
    "© les contributeurs d'OpenStreetMap, Waymarked Trails"
    """
    return attribution.replace("© OpenStreetMap contributors", "© les contributeurs d'OpenStreetMap")


def sources_fr(names: Sequence[str] | None = None) -> pd.DataFrame:
    """Return the sources sheet of a download in French: one row per dataset of the catalogue.

    Parameters
    ----------
    names : sequence of str, optional
        Catalogue names (by default the indicator tables' datasets), each listed once.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``jeu_de_donnees``: ``description`` (in French), ``producteur``, ``licence``,
        ``millesime``, ``origine``, ``sha256``.

    Raises
    ------
    UnknownOptionError
        If a name is not in the catalogue.

    Examples
    --------
    >>> sources_fr(["qpv"]).loc["qpv", "producteur"]
    'ANCT'
    """
    import pandas as pd

    from erbm_geo.indicators.table import TABLE_SOURCES, sources_table

    srcs = sources_table(tuple(dict.fromkeys(TABLE_SOURCES if names is None else names)))
    return pd.DataFrame(
        {
            "description": [SOURCES_FR.get(str(n), str(r["title"])) for n, r in srcs.iterrows()],
            "producteur": [producteur(str(a)) for a in srcs["attribution"]],
            "licence": srcs["licence"].astype(str).to_numpy(),
            "millesime": srcs["vintage"].astype(str).to_numpy(),
            "origine": srcs["upstream"].astype(str).to_numpy(),
            "sha256": srcs["sha256"].astype(str).to_numpy(),
        },
        index=pd.Index(srcs.index.astype(str), name="jeu_de_donnees"),
    )


#: Every other column of the downloads: label, definition, unit of the stored value (from the one
#: vocabulary).
COLONNES: dict[str, tuple[str, str, str]] = {
    c.name: (c.label, c.definition, c.stored_unit) for c in columns(atlas=False) if c.definition
}


def _colonne_millesime(col: str) -> Column | None:
    """Return the vocabulary of a ``population_<year>`` column, None for another unknown one.

    A wide population history has one column per vintage: each is said from the catalogue's
    entry of that vintage.
    """
    m = re.fullmatch(r"population_(\d{4})", col)
    name = f"populations_{m.group(1)}" if m else ""
    if name not in CATALOGUE:
        return None
    d = CATALOGUE[name]
    return Column(
        col,
        f"Population municipale {d.reference_year}",
        definition=(
            f"Population municipale de l'INSEE, millésime {d.reference_year} (publiée dans le Code "
            f"officiel géographique {d.cog}, en vigueur au {date_fr(str(d.in_force))}), sur les "
            "communes d'aujourd'hui (une commune fusionnée depuis est la somme de ses anciennes communes)."
        ),
        stored_unit="habitants",
        vintage=f"INSEE, populations municipales {d.reference_year}",
        export_decimals=0,
    )


#: Said of every code column in the dictionary: a spreadsheet reads 02691 as the number 2691.
_TEXTE = (
    " Code à importer comme texte dans un tableur (colonne de type « Texte » à l'ouverture du CSV) :"
    " sinon 02691 devient 2691."
)


def _definition(c: Column) -> str:
    d = c.definition.rstrip()
    if not c.code:
        return d
    return (d + ("" if not d or d.endswith(".") else ".") + _TEXTE).strip()


def dictionnaire(colonnes: list[str]) -> tuple[list[dict[str, str]], dict[str, int]]:
    """Return the data dictionary of a downloadable table and the decimals per column.

    One row per column: colonne, libellé, définition, unité of the stored value, source; the
    decimals are kept per numeric column.

    Parameters
    ----------
    colonnes : list of str
        The table's columns.

    Returns
    -------
    rows : list of dict
        One row per column, with ``colonne``, ``libellé``, ``définition``, ``unité`` (of the
        stored value) and ``source``.
    decimals : dict of str to int
        Decimals kept per numeric column.

    Examples
    --------
    >>> rows, decimals = dictionnaire(["qpv_share"])
    >>> rows[0]["unité"], decimals["qpv_share"]
    ('part de 0 à 1', 4)
    """
    rows, decimals = [], {}
    reg = registry()
    for c in colonnes:
        known = reg.get(c) or _colonne_millesime(c)
        rows.append(
            {
                "colonne": c,
                "libellé": known.label if known else c,
                "définition": _definition(known) if known else "",
                "unité": known.stored_unit if known else "",
                "source": known.vintage if known else "",
            }
        )
        if known is not None and known.export_decimals is not None:
            decimals[c] = known.export_decimals
    return rows, decimals
