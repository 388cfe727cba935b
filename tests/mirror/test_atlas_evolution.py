"""The atlas shows time: the figures of the « Évolution » sections and of the basin's evolution
page, recomputed by hand from the INSEE records of the mirror (not through the library's
harmonisation), and the diverging map's classes."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import erbm_geo as eg
from erbm_geo.data import resolve
from erbm_geo.layers.population import POPULATION_YEARS
from erbm_geo.maps.vocabulary import nombre
from tests.pages import table_row

YEARS = list(POPULATION_YEARS)


@pytest.fixture(scope="module")
def by_hand() -> dict[int, dict[str, int]]:
    """Population of each of today's communes of the 59/62 per vintage, summed by hand from the
    records: a record counts for the commune of today that lists its code among its former codes."""
    today = {
        r["code"]: [r["code"], *(r.get("anciensCodes") or [])]
        for r in json.loads(resolve("cog_communes").read_text("utf-8"))
        if r["type"] == "commune-actuelle" and r.get("departement") in ("59", "62")
    }
    successor = {old: new for new, olds in today.items() for old in olds}
    out: dict[int, dict[str, int]] = {}
    for year in YEARS:
        records = json.loads(resolve(f"populations_{year}").read_text("utf-8"))
        pops: dict[str, int] = {}
        total = 0
        for r in records:
            if r["type"] != "commune-actuelle" or r.get("departement") not in ("59", "62"):
                continue
            total += r["population"]
            new = successor[r["code"]]  # every former commune has a successor today
            pops[new] = pops.get(new, 0) + r["population"]
        assert sum(pops.values()) == total  # nothing lost in the harmonisation by hand
        out[year] = pops
    return out


def _n(x: float) -> str:
    return nombre(x)


def test_basin_totals_per_year_on_the_page_equal_the_records(
    atlas_dir: Path, by_hand: dict[int, dict[str, int]]
) -> None:
    basin = eg.layers.communes().index
    page = atlas_dir / "evolution.html"
    first = sum(by_hand[YEARS[0]][c] for c in basin)
    for year in YEARS:
        total = sum(by_hand[year][c] for c in basin)
        assert table_row(page, str(year)) == [str(year), _n(total), nombre(100 * total / first, 1)]
    h = eg.layers.population_history(territory="nord_pas_de_calais")
    for year in YEARS:  # the library's harmonised total over the 59/62 equals the records'
        assert int(h[year].sum()) == sum(by_hand[year].values())


def test_epci_and_commune_sections_equal_the_records(
    atlas_dir: Path, by_hand: dict[int, dict[str, int]]
) -> None:
    members = eg.layers.communes(territory="erbm")
    siren = str(members["siren_epci"].iloc[0])
    codes = members.index[members["siren_epci"].astype(str) == siren]
    page = atlas_dir / "epci" / f"{siren}.html"
    first = sum(by_hand[YEARS[0]][c] for c in codes)
    for year in YEARS:
        total = sum(by_hand[year][c] for c in codes)
        cells = table_row(page, str(year))
        assert cells[1:3] == [_n(total), nombre(100 * total / first, 1)], (siren, year)
    lens = atlas_dir / "communes" / "62498.html"
    row = table_row(lens, str(YEARS[-1]))
    assert row[1:3] == [
        _n(by_hand[YEARS[-1]]["62498"]),
        nombre(100 * by_hand[YEARS[-1]]["62498"] / by_hand[YEARS[0]]["62498"], 1),
    ]


def test_evolution_page_map_classes_and_rankings(atlas_dir: Path, by_hand: dict[int, dict[str, int]]) -> None:
    src = html.unescape((atlas_dir / "evolution.html").read_text("utf-8"))
    basin = list(eg.layers.communes().index)
    start, end = by_hand[YEARS[0]], by_hand[YEARS[-1]]
    change = {c: end[c] - start[c] for c in basin}
    # the legend counts every commune once, in six classes symmetric about 0
    counts = [int(n) for n in re.findall(r"\((\d+) communes?\)</li>", src)]
    assert len(counts) == 6 and sum(counts) == 250
    losses = sum(1 for c in basin if change[c] < 0)
    assert sum(counts[:3]) == losses  # losses and gains never share a class
    # the first of the gains and the first of the losses, by hand
    top = max(basin, key=lambda c: change[c])
    bottom = min(basin, key=lambda c: change[c])
    gains = src.index("le plus gagné d'habitants, ")
    pertes = src.index("le plus perdu d'habitants, ")
    assert re.search(rf'href="communes/{top}\.html"', src[gains:pertes].split("</tr>")[1])
    assert re.search(rf'href="communes/{bottom}\.html"', src[pertes:].split("</tr>")[1])
    assert f"+{_n(change[top])}" in src[gains:pertes]
    # years and vintages come from the catalogue: the title says the first vintage
    assert f"<h1>Le Bassin minier depuis {YEARS[0]}</h1>" in src
