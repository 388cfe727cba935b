"""`erbm-geo evolution` and `erbm-geo map --indicator <change>` on the mirror's vintages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import erbm_geo as eg
from erbm_geo.cli import main
from erbm_geo.layers.population import POPULATION_YEARS
from tests.checks import every

FIRST, LAST = POPULATION_YEARS[0], POPULATION_YEARS[-1]


def test_evolution_by_commune_epci_and_territory(tmp_path: Path) -> None:
    assert main(["-q", "evolution", "--out", str(tmp_path / "c.csv")]) == 0
    c = pd.read_csv(tmp_path / "c.csv", dtype={"code_insee": str, "siren_epci": str}).set_index("code_insee")
    h = eg.layers.population_history()
    assert len(c) == 250 and c[f"population_{FIRST}"].equals(h[FIRST].rename(f"population_{FIRST}"))
    assert every(c["population_change"] == c[f"population_{LAST}"] - c[f"population_{FIRST}"])
    second = str(POPULATION_YEARS[1])
    assert main(["-q", "evolution", "--by", "epci", "--from", second, "--out", str(tmp_path / "e.csv")]) == 0
    e = pd.read_csv(tmp_path / "e.csv", dtype={"siren_epci": str}).set_index("siren_epci")
    assert int(e[f"population_{LAST}"].sum()) == int(h[LAST].sum())  # the EPCI parts add up to the basin
    assert every(e["population_start"] == e[f"population_{second}"])
    assert main(["-q", "evolution", "--by", "territory", "--out", str(tmp_path / "t.xlsx")]) == 0
    t = pd.read_excel(tmp_path / "t.xlsx", sheet_name=None)
    assert int(t["donnees"]["population_change"].iloc[0]) == int(h[LAST].sum() - h[FIRST].sum())
    dico = t["dictionnaire"].set_index("colonne")
    assert dico.at[f"population_{FIRST}", "libellé"] == f"Population municipale {FIRST}"
    assert main(["-q", "evolution", "--long", "--out", str(tmp_path / "l.csv")]) == 0
    long = pd.read_csv(tmp_path / "l.csv", dtype={"code_insee": str})
    assert len(long) == 250 * len(POPULATION_YEARS) and set(long["annee"]) == set(POPULATION_YEARS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", str(FIRST + 1)], "available: " + ", ".join(map(str, POPULATION_YEARS))),
        (["--territory", "75056"], "Nord or the Pas-de-Calais"),
        (["--by", "epci", "--long"], "--long applies with --by commune only"),
        (["--from", str(LAST), "--to", str(FIRST)], "before"),
    ],
)
def test_evolution_refuses_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["-q", "evolution", *args, "--out", str(tmp_path / "x.csv")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_map_of_a_change_is_diverging_and_says_its_period(tmp_path: Path) -> None:
    out = tmp_path / "evolution.pdf"
    assert main(["-q", "map", "--indicator", "population_change_pct", "--out", str(out)]) == 0
    import subprocess

    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert f"de {FIRST} à {LAST}" in text and "symétriques autour de 0" in text
    assert "moins de" in text and "ou plus" in text and "populations municipales" in text


def test_indicators_for_a_population_vintage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "c.xlsx"
    assert main(["-q", "indicators", "--year", str(FIRST), "--out", str(out)]) == 0
    book = pd.read_excel(out, sheet_name=None, dtype={"code_insee": str})
    data = book["donnees"].set_index("code_insee")
    h = eg.layers.population_history()
    assert "population" not in data.columns
    assert (
        data[f"population_{FIRST}"]
        .astype("int64")
        .equals(h[FIRST].reindex(data.index).rename(f"population_{FIRST}"))
    )
    dico = book["dictionnaire"].set_index("colonne")
    assert dico.at[f"population_{FIRST}", "libellé"] == f"Population municipale {FIRST}"
    assert main(["-q", "indicators", "--year", str(FIRST + 1), "--out", str(tmp_path / "x.csv")]) == 2
    assert "available: " + ", ".join(map(str, POPULATION_YEARS)) in capsys.readouterr().err
