"""What the atlas and the command line show of time, on invented figures: classes symmetric about
0, the indexed chart, the published population tables and their dictionary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from erbm_geo.atlas.charts import evolution
from erbm_geo.atlas.evolution import signe, variations
from erbm_geo.errors import MissingColumnError, UnknownOptionError
from erbm_geo.layers.population import population_table
from erbm_geo.maps.classify import centred_classes
from erbm_geo.maps.printed.symbology import Classes, symbology
from erbm_geo.maps.vocabulary import CARTOGRAPHIABLES, DIVERGENTE, dictionnaire
from tests.checks import every

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@given(st.lists(st.one_of(finite, st.just(float("nan"))), min_size=1, max_size=60))
def test_centred_classes_never_mix_losses_and_gains(values: list[float]) -> None:
    v = np.array(values)
    cls, labels, counts = centred_classes(v, lambda x: f"{x:g}")
    ok = ~np.isnan(v)
    assert len(labels) == 6 and len(counts) == 6 and int(counts.sum()) == int(ok.sum())
    assert every(cls[~ok] == -1, may_be_empty=True)
    assert every((cls[ok] < 3) == (v[ok] < 0), may_be_empty=True)  # 0 opens the gains
    assert every(np.diff(cls[ok][np.argsort(v[ok], kind="stable")]) >= 0, may_be_empty=True)  # ordered


def test_centred_bounds_are_round_and_symmetric() -> None:
    v = np.array([-12.0, -6, -1, 0, 0.5, 3, 6, 15])
    _, labels, _ = centred_classes(v, lambda x: f"{x:g}")
    assert labels == ["moins de -10", "de -10 à -5", "de -5 à 0", "de 0 à 5", "de 5 à 10", "10 ou plus"]
    share = np.array([-0.031, -0.012, 0.004, 0.02, 0.05])  # stored as shares, shown in %
    _, labels, _ = centred_classes(share, lambda x: f"{100 * x:g}", scale=100)
    assert labels[1] == "de -4 à -2"  # round in the shown unit (2 %), not in the stored one


def test_printed_symbology_of_a_change_is_diverging() -> None:
    import geopandas as gpd
    import shapely

    g = gpd.GeoDataFrame(
        {"population_change_pct": [-8.0, -1.0, 0.0, 2.0, 12.0]},
        geometry=[shapely.box(i, 0, i + 1, 1) for i in range(5)],
        crs=2154,
    )
    sym = symbology(g, "population_change_pct", Classes(), "x")
    assert sym.colours == list(DIVERGENTE) and sym.kind == "classes"
    assert sym.codes.tolist() == [1, 2, 3, 3, 5] and "symétriques autour de 0" in sym.method
    ind = CARTOGRAPHIABLES["population_change_pct"]
    assert ind.diverge and ind.borne(-5.0) == "-5" and ind.borne(2.5) == "2,5"
    # asking for a palette keeps the usual classes (the caller's choice)
    assert symbology(g, "population_change_pct", Classes(palette="Reds"), "x").colours != list(DIVERGENTE)


def test_indexed_chart_escapes_names_and_says_every_index() -> None:
    svg = str(
        evolution([2016, 2023], [("<b>A&B</b>", [200, 210]), ("Bassin", [1000, 990])], ident="e", titre="T")
    )
    assert "<b>A&B</b>" not in svg and "&lt;b&gt;A&amp;B&lt;/b&gt;" in svg
    assert "indice 105,0 en 2023" in svg and "indice 99,0 en 2023" in svg and "Indice 100 en 2016" in svg


def test_signs_and_change_lines_come_from_the_summed_counts() -> None:
    assert signe(0.04, 1) == "0,0" and signe(-0.04, 1) == "0,0" and signe(12.5, 1) == "+12,5"
    v = variations(pd.Series({2016: 1000, 2023: 1100}))
    assert (v["debut"], v["fin"], v["ecart"], v["pct"]) == (
        "1\u202f000",
        "1\u202f100",
        "+100",
        "+10,0\u202f%",
    )
    assert v["tri"] == {"start": "1000", "end": "1100", "change": "100"}


def _history() -> pd.DataFrame:
    h = pd.DataFrame(
        {2016: [100, 50], 2019: [110, 40]}, index=pd.Index(["62001", "59001"], name="code_insee")
    )
    h.attrs["vintages"] = {y: {"cog": y + 3, "in_force": f"{y + 3}-01-01"} for y in (2016, 2019)}
    return h


def test_population_tables_wide_and_long_hold_the_same_figures() -> None:
    h = _history()
    wide = population_table(h)
    assert list(wide.columns) == ["population_2016", "population_2019"] and wide.index.equals(h.index)
    long = population_table(h, form="long")
    assert len(long) == 4 and list(long["code_insee"]) == ["59001", "59001", "62001", "62001"]
    back = long.pivot(index="code_insee", columns="annee", values="population_vintage")
    assert back.loc[h.index].to_numpy().tolist() == h.to_numpy().tolist()
    assert list(long["cog"]) == [2019, 2022, 2019, 2022]
    with pytest.raises(UnknownOptionError, match="'wide' or 'long'"):
        population_table(h, form="tall")  # type: ignore[arg-type]
    bare = pd.DataFrame({2016: [1]})
    with pytest.raises(MissingColumnError, match="population_history"):
        population_table(bare)


def test_the_dictionary_says_each_vintage_from_the_catalogue() -> None:
    from erbm_geo.data.catalogue import CATALOGUE

    name = next(n for n in CATALOGUE if n.startswith("populations_"))
    year = CATALOGUE[name].reference_year
    rows, decimals = dictionnaire([f"population_{year}", "population_1789", "population_vintage", "annee"])
    first = rows[0]
    assert first["libellé"] == f"Population municipale {year}" and first["unité"] == "habitants"
    assert f"Code officiel géographique {CATALOGUE[name].cog}" in first["définition"]
    assert rows[1]["définition"] == ""  # no such vintage in the catalogue: not invented
    assert rows[2]["unité"] == "habitants" and decimals[f"population_{year}"] == 0
