"""Every column a table computes has a row in the one vocabulary; every indicator row is computed."""

from __future__ import annotations

import warnings

import erbm_geo as eg
from erbm_geo.indicators import builtin
from erbm_geo.lookup import lookup
from erbm_geo.synthetic import synthetic_buildings
from erbm_geo.vocabulary import registry


def test_every_table_column_has_a_row_and_every_indicator_row_a_function() -> None:
    buildings = synthetic_buildings(builtin.communes().query("in_basin"), 50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", eg.errors.DataQualityWarning)
        tables = {
            "communes": eg.indicators.indicator_table(of="communes"),
            "cites": eg.indicators.indicator_table(of="cites"),
            "features": eg.indicators.indicator_table(buildings),
            # the context function also gives the surface, which the tables leave out
            "friches": eg.indicators.friches_context(buildings, builtin.friches_communes()),
            "lookup": lookup(buildings.geometry.centroid),
        }
    computed: set[str] = set()
    for name, t in tables.items():
        own = set(buildings.reset_index().columns) if name in ("features", "friches", "lookup") else set()
        geometry = t.geometry.name if hasattr(t, "geometry") else None
        cols = [c for c in t.reset_index().columns if c != geometry and c not in own and c != "index"]
        missing = [c for c in cols if c not in registry()]
        assert not missing, f"{name}: columns without a vocabulary row: {missing}"
        computed |= set(cols)
    indicators = {c.name for c in registry().values() if c.definition_en or c.atlas}
    assert indicators <= computed, f"vocabulary rows no table computes: {sorted(indicators - computed)}"
