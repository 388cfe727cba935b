"""Populations since 2016 on today's communes, from the six INSEE vintages of the mirror."""

from __future__ import annotations

import json

import pandas as pd

import erbm_geo as eg
from erbm_geo.data import get, resolve
from tests.checks import every


def test_history_of_the_basin_on_todays_communes() -> None:
    h = eg.layers.population_history()
    assert h.shape == (250, 6) and list(h.columns) == [2016, 2019, 2020, 2021, 2022, 2023]
    assert every(h.dtypes == "int64") and every(h > 0)
    communes = eg.layers.communes()
    assert h[2023].equals(communes["population"].reindex(h.index).astype("int64"))  # the same release
    assert h.attrs["vintages"][2016] == {"cog": get("populations_2016").cog, "in_force": "2019-01-01"}


def test_communes_merged_since_are_the_sum_of_their_former_communes() -> None:
    old = {
        r["code"]: r["population"]
        for r in json.loads(resolve("populations_2022").read_text("utf-8"))
        if r["type"] == "commune-actuelle"
    }
    today = {
        r["code"]: r.get("anciensCodes") or []
        for r in json.loads(resolve("cog_communes").read_text("utf-8"))
        if r["type"] == "commune-actuelle" and r.get("departement") in ("59", "62")
    }
    # communes of today whose former communes were still separate in the 2022 vintage
    merged = {c: [o for o in former if o in old and o != c] for c, former in today.items()}
    merged = {c: f for c, f in merged.items() if f}
    # the 4 communes of the Nord and the Pas-de-Calais merged on 1 January 2025 (mirror README)
    assert sum(len(f) for f in merged.values()) == 4
    h = eg.layers.population_history(territory="nord_pas_de_calais")
    for code, former in merged.items():
        assert h.at[code, 2022] == old.get(code, 0) + sum(old[o] for o in former), code
    # nothing lost: every vintage's total is the file's
    assert int(h[2022].sum()) == sum(p for c, p in old.items() if c[:2] in ("59", "62"))


def test_change_by_epci_and_basin_from_summed_counts() -> None:
    h = eg.layers.population_history()
    communes = eg.layers.communes()
    basin = eg.indicators.population_change(h, groups="all").iloc[0]
    assert basin["population_start"] == int(h[2016].sum()) and basin["population_end"] == int(h[2023].sum())
    epci = eg.indicators.population_change(h, groups=communes["siren_epci"].reindex(h.index))
    assert int(epci["population_change"].sum()) == int(basin["population_change"])
    by_commune = eg.indicators.population_change(h)
    assert len(by_commune) == 250 and by_commune.index.equals(h.index)
    assert pd.api.types.is_float_dtype(by_commune["population_growth_rate_pct"])
