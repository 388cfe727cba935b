"""What the maps and the atlas say to their readers, in French.

Indicators, sources, number formats, sorting.

The Python API and the CLI speak English; every word a reader of a static map or of the atlas
sees comes from this module (or from the data itself, escaped). Each indicator carries its name,
unit, number of decimals, definition, method, limits, vintage, how missing values arise, how it
is summarised for an EPCI and for the basin, and its palette.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from erbm_geo.data.catalogue import CATALOGUE
from erbm_geo.data.catalogue import get as get_dataset
from erbm_geo.errors import MissingColumnError, UnknownOptionError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CITE_CATEGORIES",
    "COLONNES",
    "DOCUMENTS",
    "INDICATEURS",
    "MOIS",
    "PALETTES",
    "PORTRAIT_INDICATEURS",
    "SOURCES_FR",
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

    def nombre(self, v: float) -> str:
        """Return *v* formatted without its unit (legends, chart axes)."""
        return nombre(v * self.echelle, self.decimales)


def nombre(x: float, decimales: int = 0) -> str:
    r"""Return a number the French way.

    Narrow no-break spaces between thousands, a decimal comma.

    Parameters
    ----------
    x : float
        The number.
    decimales : int, default 0
        Decimals shown.

    Returns
    -------
    str
        The number as French readers write it (no minus sign on a rounded zero).

    Examples
    --------
    >>> nombre(1234567.891, 1)
    '1\u202f234\u202f567,9'
    >>> nombre(-0.04, 1)
    '0,0'
    """
    if x is None or math.isnan(x):
        return "n.d."
    s = f"{x:,.{decimales}f}"
    if s.startswith("-") and float(s[1:].replace(",", "")) == 0:
        s = s[1:]
    return s.replace(",", "\u202f").replace(".", ",")


MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def date_fr(iso: str) -> str:
    """Write an ISO date the French way: ``"2025-06-30"`` → ``"30 juin 2025"`` (``1er`` the 1st).

    Parameters
    ----------
    iso : str
        A date as ``YYYY-MM-DD``.

    Returns
    -------
    str
        The date in French words.

    Examples
    --------
    >>> date_fr("2025-09-01"), date_fr("2022-12-31")
    ('1er septembre 2025', '31 décembre 2022')
    """
    y, m, d = (int(p) for p in iso[:10].split("-"))
    jour = "1er" if d == 1 else str(d)
    return f"{jour} {MOIS[m - 1]} {y}"


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
    return {
        "population": population_millesime(),
        "qpv": f"QPV {_an('qpv')}",
        "anct_qpv": f"ANCT (QPV {_an('qpv')})",
        "contours": f"Contours IGN {_an('communes_59')} simplifiés",
    }


_FILOSOFI = ("filosofi_communes",)
_IRIS = ("filosofi_iris", "iris")
_DIST = "Distance à vol d'oiseau, en kilomètres"

#: The indicators of the atlas, in the order of the portraits.
INDICATEURS: dict[str, Indicateur] = {
    i.col: i
    for i in (
        Indicateur(
            "qpv_share",
            "Part de la surface en quartier prioritaire (QPV)",
            "Surface en QPV",
            "%",
            1,
            "Part de la surface de la commune située dans un quartier prioritaire de la politique "
            f"de la ville (QPV {_an('qpv')}).",
            f"Intersection exacte des contours de la commune et des QPV {_an('qpv')}, en Lambert-93 ; "
            "les QPV qui se chevauchent sont d'abord fusionnés, pour ne compter une surface qu'une fois.",
            "Mesure une surface, pas une population : un QPV peu étendu mais dense pèse peu.",
            f"QPV {_an('qpv')} (décret n° 2023-1314) ; contours des communes IGN {_an('communes_59')} "
            "simplifiés",
            "Aucune valeur manquante.",
            "surface",
            "Purples",
            100.0,
            sources=("qpv",),
        ),
        Indicateur(
            "centre_distance_m",
            "Distance à la centralité principale",
            "Centralité principale",
            "km",
            1,
            "Distance entre la mairie de la commune et la plus proche des 8 centralités "
            "principales du Bassin minier.",
            f"{_DIST}, de la mairie (point de l'Annuaire de l'administration) à la mairie de la "
            "centralité ; 0 pour les centralités elles-mêmes.",
            "Ne tient compte ni du réseau routier ni des transports en commun.",
            f"Centralités : table du projet (documents du programme) ; mairies {_an('mairies')}",
            "Aucune valeur manquante.",
            "population",
            "YlGnBu",
            0.001,
            sources=("mairies",),
        ),
        Indicateur(
            "acv_pvd_distance_m",
            "Distance au pôle « Action cœur de ville » ou « Petites villes de demain » le plus proche",
            "Pôle ACV ou PVD",
            "km",
            1,
            "Distance entre la mairie de la commune et la plus proche des centralités principales, "
            "villes « Action cœur de ville » ou « Petites villes de demain ».",
            f"{_DIST}, de mairie à mairie ; 0 pour ces communes elles-mêmes.",
            "Ne tient compte ni du réseau routier ni des transports en commun.",
            f"Programmes ACV et PVD, listes {_an('acv_pvd_ort')}",
            "Aucune valeur manquante.",
            "population",
            "YlGnBu",
            0.001,
            sources=("acv_pvd_ort",),
        ),
        Indicateur(
            "station_distance_m",
            "Distance à la gare ou station la plus proche",
            "Gare ou station",
            "km",
            1,
            "Distance entre le territoire de la commune et la gare SNCF, la station de tramway ou de "
            "métro la plus proche, en France.",
            f"{_DIST}, du bord de la commune (0 si une station est sur son territoire). Les gares "
            "belges ne sont pas comptées.",
            "Ne dit rien de la fréquence des dessertes ; les arrêts de bus à haut niveau de service "
            "(BHNS) ne sont pas disponibles hors ligne.",
            f"Gares de voyageurs SNCF {_an('gares_voyageurs')} ; stations OpenStreetMap (extrait du "
            f"{_extrait('osm_stations')})",
            "Aucune valeur manquante.",
            "population",
            "YlGnBu",
            0.001,
            sources=("gares_voyageurs", "osm_stations"),
        ),
        Indicateur(
            "train_distance_m",
            "Distance à la gare SNCF la plus proche",
            "Gare SNCF",
            "km",
            1,
            "Distance entre le territoire de la commune et la gare de voyageurs la plus proche, en France.",
            f"{_DIST}, du bord de la commune (0 si une gare est sur son territoire).",
            "Ne dit rien de la fréquence des trains.",
            f"Gares de voyageurs SNCF {_an('gares_voyageurs')}",
            "Aucune valeur manquante.",
            "population",
            "YlGnBu",
            0.001,
            sources=("gares_voyageurs",),
        ),
        Indicateur(
            "share_within_walk",
            "Part de la surface à moins de 800 m d'une gare ou station",
            "À 800 m d'une station",
            "%",
            1,
            "Part de la surface de la commune située à moins de 800 m (environ 10 minutes à pied) "
            "d'une gare ou station de tramway ou de métro.",
            "Union des disques de 800 m autour des stations, intersectée avec la commune.",
            "Distance à vol d'oiseau : le trajet réel à pied est plus long.",
            f"Gares SNCF {_an('gares_voyageurs')} ; stations OpenStreetMap {_an('osm_stations')}",
            "Aucune valeur manquante.",
            "surface",
            "Greens",
            100.0,
            sources=("gares_voyageurs", "osm_stations"),
        ),
        Indicateur(
            "bien_inscrit_share",
            "Part de la surface dans le bien inscrit au patrimoine mondial",
            "Bien UNESCO",
            "%",
            1,
            "Part de la surface de la commune comprise dans l'un des 109 éléments du bien « Bassin "
            "minier du Nord-Pas de Calais », inscrit au patrimoine mondial de l'UNESCO en 2012.",
            "Intersection exacte avec les 109 éléments du bien.",
            "Les éléments ponctuels (chevalements, bâtiments) sont représentés par leur emprise.",
            f"Périmètres UNESCO de la Mission Bassin Minier ({_an('bien_inscrit')})",
            "Aucune valeur manquante.",
            "surface",
            "Oranges",
            100.0,
            sources=("bien_inscrit",),
        ),
        Indicateur(
            "zone_tampon_share",
            "Part de la surface dans la zone tampon UNESCO",
            "Zone tampon",
            "%",
            1,
            "Part de la surface de la commune comprise dans la zone tampon du bien inscrit.",
            "Intersection exacte avec les 15 polygones de la zone tampon (qui entoure le bien sans le "
            "recouvrir).",
            "—",
            f"Périmètres UNESCO de la Mission Bassin Minier ({_an('bien_inscrit')})",
            "Aucune valeur manquante.",
            "surface",
            "Oranges",
            100.0,
            sources=("zone_tampon",),
        ),
        Indicateur(
            "revenu_median_commune",
            "Revenu disponible médian par unité de consommation",
            "Revenu médian",
            "€",
            0,
            "Revenu disponible annuel médian par unité de consommation des habitants de la commune.",
            f"Valeur publiée par l'INSEE (Filosofi {_an('filosofi_communes')}) ; pour une intercommunalité "
            "et le bassin, médiane des valeurs des communes (et non revenu médian de leurs habitants).",
            f"Revenus de {_an('filosofi_communes')}.",
            f"INSEE, Filosofi {_an('filosofi_communes')}",
            "Non diffusé par l'INSEE (secret statistique).",
            "mediane",
            "RdYlBu",
            sources=_FILOSOFI,
        ),
        Indicateur(
            "part_minima_sociaux_pct",
            "Part des minima sociaux dans le revenu disponible",
            "Minima sociaux",
            "%",
            1,
            "Part des minima sociaux (RSA, allocation adulte handicapé, minimum vieillesse…) dans le "
            "revenu disponible des ménages de la commune.",
            f"Valeur publiée par l'INSEE (Filosofi {_an('filosofi_communes')}) ; pour une intercommunalité "
            "et le bassin, moyenne des communes pondérée par la population.",
            "L'INSEE ne diffuse pas cette valeur pour les petites communes (secret statistique).",
            f"INSEE, Filosofi {_an('filosofi_communes')}",
            "Non diffusé par l'INSEE pour les petites communes (secret statistique).",
            "population",
            "Reds",
            sources=_FILOSOFI,
        ),
        Indicateur(
            "taux_pauvrete_iris_pct",
            "Taux de pauvreté (IRIS de la commune)",
            "Taux de pauvreté",
            "%",
            1,
            "Part des habitants vivant sous le seuil de pauvreté (60 % du revenu médian), calculée "
            "sur les IRIS de la commune.",
            "Moyenne des taux des IRIS de la commune pondérée par leur surface ; pour une "
            "intercommunalité et le bassin, moyenne des communes pondérée par la population.",
            "L'INSEE ne publie les IRIS que pour les communes d'au moins 5 000 habitants : les autres "
            "n'ont pas de valeur (aucune valeur n'est empruntée à une commune voisine).",
            f"INSEE, Filosofi {_an('filosofi_iris')} par IRIS ; contours IRIS {_an('iris')}",
            "Commune de moins de 5 000 habitants : pas de donnée IRIS publiée par l'INSEE.",
            "population",
            "Reds",
            sources=_IRIS,
        ),
        Indicateur(
            "friches_per_km2",
            "Friches recensées par km²",
            "Friches par km²",
            "par km²",
            2,
            "Nombre de friches recensées dans la commune par Cartofriches, rapporté à sa superficie.",
            f"Agrégats communaux de Cartofriches (extrait du {_extrait('cartofriches_communes')}) ; pour "
            "une intercommunalité et le bassin, total des friches rapporté à la superficie totale.",
            "Recensement incomplet : une friche non signalée à Cartofriches n'est pas comptée.",
            f"Cerema, Cartofriches ({_extrait('cartofriches_communes')})",
            "Aucune valeur manquante.",
            "densite",
            "YlOrBr",
            compte="friches_n",
            sources=("cartofriches_communes",),
        ),
        Indicateur(
            "n_cites",
            "Cités minières",
            "Cités minières",
            "cités",
            0,
            "Nombre de cités minières dont la commune est la commune principale (cités inscrites, de "
            "la zone tampon et du programme ERBM).",
            "Cités de la Mission Bassin Minier, unifiées quand plusieurs couches décrivent la même "
            "cité ; une cité à cheval sur plusieurs communes compte pour celle qui en porte la plus "
            "grande part.",
            "—",
            f"Mission Bassin Minier ({_an('cites_minieres')}, {_an('cites_erbm')})",
            "Aucune valeur manquante.",
            "somme",
            "Reds",
            sources=("cites_minieres", "zt_cites_minieres", "cites_erbm"),
        ),
    )
}

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
SYNTHESES: dict[str, str] = {
    "surface": "moyenne des communes pondérée par leur surface",
    "population": "moyenne des communes pondérée par leur population",
    "mediane": "médiane des valeurs des communes",
    "somme": "total des communes",
    "densite": "total rapporté à la surface totale",
    "part_surface": "total rapporté à la surface totale",
}


def synthese(table: pd.DataFrame, ind: Indicateur) -> float:
    """Summarise *ind* over all the communes of *table*, by its summary rule.

    See :class:`Indicateur` and :data:`SYNTHESES`; NaN when no commune has a value.

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
        If *table* lacks the indicator or the weight the rule needs (``area_km2``,
        ``population`` or the indicator's count column).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"qpv_share": [0.5, 0.0], "area_km2": [1.0, 3.0]})
    >>> synthese(t, INDICATEURS["qpv_share"])
    0.125
    """
    need = {
        "surface": ["area_km2"],
        "population": ["population"],
        "densite": [ind.compte or "", "area_km2"],
        "part_surface": [ind.compte or "", "area_km2"],
    }
    missing = [c for c in [ind.col, *need.get(ind.synthese, [])] if c not in table.columns]
    if missing:
        raise MissingColumnError(f"summary of {ind.col} ({ind.synthese}) needs column(s) {missing}")
    v = table[ind.col].astype("float64")
    ok = v.notna()
    if not ok.any():
        return float("nan")
    if ind.synthese in ("surface", "population"):
        w = table["area_km2" if ind.synthese == "surface" else "population"].astype("float64")
        return float((v[ok] * w[ok]).sum() / w[ok].sum())
    if ind.synthese == "mediane":
        return float(v[ok].median())
    if ind.synthese == "somme":
        return float(v[ok].sum())
    if ind.synthese in ("densite", "part_surface"):
        return float(table[ind.compte].astype("float64").sum() / table["area_km2"].sum())
    raise UnknownOptionError(f"unknown summary {ind.synthese!r}")


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


_PART = "part de 0 à 1"

#: The other columns of the downloadable tables: French label, definition, unit of the value as
#: stored (raw: metres, shares from 0 to 1).
COLONNES: dict[str, tuple[str, str, str]] = {
    "cite_id": ("Identifiant de la cité", "Identifiant de la cité dans les tables d'erbm_geo", ""),
    "code_insee": (
        "Code INSEE",
        "Code officiel géographique de la commune (commune principale pour une cité)",
        "",
    ),
    "nom": ("Nom", "Nom de la commune ou de la cité", ""),
    "departement": ("Département", "Numéro du département", ""),
    "siren_epci": (
        "SIREN de l'intercommunalité",
        f"Identifiant de l'EPCI de la commune au {date_fr(str(get_dataset('cog_epci').in_force))}",
        "",
    ),
    "nom_epci": (
        "Intercommunalité",
        f"Nom de l'EPCI de la commune au {date_fr(str(get_dataset('cog_epci').in_force))}",
        "",
    ),
    "population": (
        "Population municipale",
        population_millesime().capitalize(),
        "habitants",
    ),
    "area_km2": (
        "Superficie",
        f"Superficie de la commune ({millesimes()['contours'].lower()})",
        "km²",
    ),
    "in_basin": (
        "Dans le Bassin minier",
        "La commune fait partie des 250 communes du Bassin minier",
        "oui/non",
    ),
    "in_erbm_epci": ("Intercommunalité de l'ERBM", "L'EPCI de la commune a signé l'ERBM", "oui/non"),
    "n_cites": ("Cités minières", "Cités dont la commune est la commune principale", "cités"),
    "n_cites_unesco": ("Cités inscrites", "dont cités inscrites au patrimoine mondial", "cités"),
    "n_cites_erbm": ("Cités du programme ERBM", "dont cités du programme de rénovation de l'ERBM", "cités"),
    "centre_nom": ("Centralité la plus proche", "Nom de la centralité principale la plus proche", ""),
    "qpv_area_m2": (
        "Surface en QPV",
        f"Surface située dans un quartier prioritaire ({millesimes()['qpv']})",
        "m²",
    ),
    "qpv_codes": ("QPV concernés", "Codes des QPV touchés sur au moins 1 m², séparés par « ; »", ""),
    "n_qpv": ("Nombre de QPV", "QPV touchés sur au moins 1 m²", "QPV"),
    "bien_inscrit_distance_m": (
        "Distance au bien UNESCO",
        "Distance au plus proche des 109 éléments du bien inscrit (0 s'il est touché)",
        "m",
    ),
    "tram_distance_m": (
        "Distance au tramway",
        "Distance à la station de tramway la plus proche, en France",
        "m",
    ),
    "stations_within": (
        "Stations à 800 m",
        "Gares et stations de tramway ou de métro à moins de 800 m",
        "stations",
    ),
    "rail_distance_m": (
        "Distance à la voie ferrée",
        "Distance à la voie ferrée exploitée la plus proche",
        "m",
    ),
    "eurovelo5_distance_m": ("Distance à l'EuroVelo 5", "Distance à la véloroute EuroVelo 5", "m"),
    "friches_n": ("Friches recensées", "Friches recensées par Cartofriches dans la commune", "friches"),
    "friches_surface_share": (
        "Part de la surface en friche",
        "Surface des friches rapportée à la "
        "superficie de la commune ; vide quand la surface de la source "
        "dépasse celle de la commune",
        _PART,
    ),
    "friches_surface_quality": (
        "Qualité de la surface de friches",
        "ok, ou "
        "surface_exceeds_commune : surface de la source plus grande que "
        "la commune (erreur de la source), non publiée",
        "",
    ),
    "revenu_median_iris": (
        "Revenu médian (IRIS)",
        "Revenu disponible médian par unité de "
        "consommation des IRIS de la commune, pondéré par leur surface ; vide "
        "sans IRIS publié",
        "€ par an",
    ),
    "puits_within": ("Puits à 1 km", "Anciens puits de mines à moins de 1 km", "puits"),
    "terrils_within": ("Terrils à 1 km", "Terrils à moins de 1 km", "terrils"),
    "type_cite": ("Type de cité", "Corons, cité pavillonnaire, cité-jardin ou cité moderne", ""),
    "interet": ("Intérêt patrimonial", "Témoin, remarquable ou exceptionnel", ""),
    "bailleur": ("Bailleur", "Bailleur social propriétaire", ""),
    "unesco_inscribed": ("Inscrite UNESCO", "La cité est inscrite au patrimoine mondial", "oui/non"),
    "in_buffer_zone": ("En zone tampon", "La cité est dans la zone tampon du bien inscrit", "oui/non"),
    "erbm_programme": (
        "Programme ERBM",
        "La cité fait partie du programme de rénovation de l'ERBM",
        "oui/non",
    ),
    "codes_insee": ("Communes", "Codes INSEE des communes touchées par la cité, séparés par « ; »", ""),
    "area_ha": ("Surface", "Surface de la cité", "ha"),
    "area_inscribed_ha": ("Surface inscrite", "Surface de la partie inscrite au patrimoine mondial", "ha"),
    "area_buffer_ha": (
        "Surface en zone tampon",
        "Surface de la partie en zone tampon, hors partie inscrite",
        "ha",
    ),
    "qpv_share_inscribed": (
        "Part en QPV de la partie inscrite",
        f"Part de la partie inscrite de la cité située dans un {millesimes()['qpv']} ; vide pour une cité "
        "non inscrite",
        _PART,
    ),
}


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
    for c in colonnes:
        if c in INDICATEURS:
            i = INDICATEURS[c]
            unite = _PART if i.echelle == 100 else ("m" if i.echelle == 0.001 else i.unite)
            rows.append(
                {
                    "colonne": c,
                    "libellé": i.nom,
                    "définition": i.definition,
                    "unité": unite,
                    "source": i.millesime,
                }
            )
            decimals[c] = 4 if unite == _PART else (0 if unite == "m" else max(i.decimales, 1))
        elif c in COLONNES:
            lab, definition, unite = COLONNES[c]
            rows.append(
                {"colonne": c, "libellé": lab, "définition": definition, "unité": unite, "source": ""}
            )
            decimals[c] = {"m": 0, "m²": 0, "km²": 2, "ha": 2, _PART: 4}.get(unite, 2)
        else:
            rows.append({"colonne": c, "libellé": c, "définition": "", "unité": "", "source": ""})
    return rows, decimals
