"""Data vintages live in the catalogue only: no module, template or docstring types one.

A vintage typed in a string drifts when the data is updated (the product printed "COG 2025" and
"population municipale 2022" for the COG 2026 with populations 2023). Every year, in-force date
or COG a reader sees must be read from :data:`erbm_geo.data.CATALOGUE`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from erbm_geo.data.catalogue import CATALOGUE, Dataset, get

ROOT = Path(__file__).resolve().parents[2] / "erbm_geo"

_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
#: A year next to a word naming a dataset or a vintage, a French date, an ISO date.
_VINTAGE = re.compile(
    r"(?i)\b(COG|QPV|Filosofi|IRIS|ADMIN[ -]EXPRESS|IGN|SNCF(?: Réseau)?|RFN|Cartofriches|"
    r"OpenStreetMap|OSM|mairies|populations?(?: municipales?)?|en vigueur(?: au)?|"
    r"extra(?:it|ct)(?: of| du)?|régime d'exploitation|listes?|GTFS(?: stops)?|contours|"
    r"decoupage-administratif)\W{0,3}(?:19|20)\d{2}\b"
    rf"|\b(?:1er|1ᵉʳ|\d{{1,2}})\s(?:{_MONTHS})\s(?:19|20)\d{{2}}\b"
    r"|\b20\d{2}-\d{2}-\d{2}\b"
)

#: Lines allowed to hold such text, each for a stated reason.
_ALLOWED = (
    "décret n° 2023-1314",  # a decree's number, not a vintage
    'date_fr("2025-09-01"), date_fr("2022-12-31")',  # the date formatter's own example
    "('1er septembre 2025', '31 décembre 2022')",
    '``"2025-06-30"`` → ``"30 juin 2025"``',
    'progression([("2019-01-01", 1000, ">"), ("2023-06-30", 12000, "~")], 23000, "2027-12-31")',  # a chart
    "'qpv-2024.json'",  # a file name of the mirror, in resolve's example
    "Dossier de presse de l'ERBM du 25 novembre 2019",  # a programme document's title
)


def _files() -> list[Path]:
    keep = {".py", ".html", ".js", ".css", ".toml", ".yaml", ".csv", ".json"}
    return sorted(
        p
        for p in ROOT.rglob("*")
        if p.is_file() and p.suffix in keep and p.relative_to(ROOT).as_posix() != "data/catalogue.py"
    )


def _hits(text: str) -> list[str]:
    return [
        f"{n}: {line.strip()}"
        for n, line in enumerate(text.splitlines(), 1)
        if _VINTAGE.search(line) and not any(a in line for a in _ALLOWED)
    ]


def test_no_module_or_template_types_a_data_vintage() -> None:
    found = {str(p.relative_to(ROOT)): h for p in _files() if (h := _hits(p.read_text("utf-8")))}
    assert not found, "vintages typed outside the catalogue:\n" + "\n".join(
        f"{f}:{h}" for f, hs in found.items() for h in hs
    )


@pytest.mark.parametrize(
    "line",
    [
        "(population municipale 2022, en vigueur au 1ᵉʳ janvier 2025)",
        "COG 2025",
        "names and EPCI: COG 2025",
        "Nom de l'EPCI au 1er janvier 2025",
        "Cartofriches (extrait du 15 avril 2026)",
        "Revenus Filosofi 2021 par commune",
        "QPV 2024",
        "extract of 2026-04-15",
    ],
)
def test_the_scan_catches_typed_vintages(line: str) -> None:
    assert _hits(line)


def test_catalogue_vintages_are_the_sources_own() -> None:
    """The mirror README: decoupage-administratif 6.0.0 is the COG 2026, populations 2023."""
    c = get("cog_communes")
    assert (c.cog, c.reference_year, c.in_force) == (2026, 2023, "2026-01-01")
    assert get("cog_epci").cog == 2026
    assert get("cartofriches_communes").extract == "2026-04-15"
    assert get("qpv").reference_year == 2024
    assert get("filosofi_communes").reference_year == 2021
    assert get("iris").reference_year == 2020
    p16 = get("populations_2016")
    assert (p16.reference_year, p16.cog, p16.in_force) == (2016, 2019, "2019-01-01")
    assert get("cartofriches_sites_2023_10_02").extract == "2023-10-02"


def test_every_entry_has_a_reference_year_and_a_consistent_vintage() -> None:
    for d in CATALOGUE.values():
        assert d.reference_year is not None, d.name
    with pytest.raises(ValueError, match=r"vintage 2025 but fields say \['2023', '2026'\]"):
        Dataset("x", "x", "0", "t", "u", "l", "a", "2025", reference_year=2023, cog=2026)


def test_readers_see_the_catalogue_vintages() -> None:
    from erbm_geo.maps.vocabulary import INDICATEURS, SOURCES_FR, millesimes

    assert millesimes()["population"] == "population municipale 2023, en vigueur au 1er janvier 2026"
    assert "Code officiel géographique 2026" in SOURCES_FR["cog_communes"]
    assert "15 avril 2026" in INDICATEURS["friches_per_km2"].millesime


def test_a_catalogue_title_cannot_print_a_year_its_fields_do_not_give() -> None:
    import pytest

    from erbm_geo.data.catalogue import Dataset

    ok = dict(
        path="x.json",
        sha256="0" * 64,
        upstream="u",
        licence="l",
        vintage="2026",
        cog=2026,
        reference_year=2023,
    )
    Dataset("x", title="Communes of the COG 2026, populations 2023", attribution="INSEE COG 2026", **ok)
    with pytest.raises(ValueError, match=r"prints \['2025'\]"):
        Dataset("x", title="Communes of the COG 2025", attribution="INSEE", **ok)
    with pytest.raises(ValueError, match=r"prints \['2021'\]"):
        Dataset("x", title="Communes", attribution="INSEE Filosofi 2021", **ok)


def test_every_dataset_has_a_french_description() -> None:
    """The sources page describes every dataset in French (it fell back to the catalogue's English
    titles for 13 of them, e.g. « Évéole BHNS lines A and B as stop sequences »)."""
    from erbm_geo.data.catalogue import CATALOGUE
    from erbm_geo.maps.vocabulary import SOURCES_FR

    missing = [n for n in CATALOGUE if n not in SOURCES_FR]
    assert not missing, f"add French descriptions to SOURCES_FR for {missing}"
