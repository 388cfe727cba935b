"""The built-in indicator tables are stored once computed: keyed by every dataset they read.

A stored table is only as right as its key: :data:`TABLE_SOURCES` must name every dataset the
tables read (it also credits them on the sources sheet of every download), and a table read
back must be the one a computation gives, with the same warnings.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import erbm_geo as eg
from erbm_geo.data import clear_memory
from erbm_geo.data.reads import recording
from erbm_geo.indicators import builtin
from erbm_geo.indicators.table import TABLE_SOURCES


def _said(call: object) -> tuple[pd.DataFrame, list[tuple[str, str, tuple[str, ...]]]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = call()  # type: ignore[operator]
    return t, [(w.category.__name__, str(w.message), getattr(w.message, "columns", ())) for w in caught]


@pytest.mark.parametrize("of", ["communes", "cites"])
def test_table_sources_are_exactly_what_the_table_reads(tmp_cache: Path, of: str) -> None:
    clear_memory()
    with recording() as read:  # an empty cache: every dataset is resolved and prepared
        eg.indicators.indicator_table(of=of)  # type: ignore[arg-type]
    assert read == set(TABLE_SOURCES)
    assert len(list(tmp_cache.glob(f"indicator_table_{of}-*.arrow"))) == 1  # hence stored


@pytest.mark.parametrize(
    ("of", "territory"), [("communes", "bassin_minier_erbm"), ("cites", "bassin_minier")]
)
def test_a_stored_table_is_the_computed_one_with_the_same_warnings(
    tmp_cache: Path, of: str, territory: str
) -> None:
    clear_memory()
    targets = builtin.targets(qpv_territory="nord_pas_de_calais")
    computed, said = _said(lambda: eg.indicators.indicator_table(territory=territory, of=of, targets=targets))
    first, said_first = _said(lambda: eg.indicators.indicator_table(territory=territory, of=of))
    clear_memory()
    stored, said_stored = _said(lambda: eg.indicators.indicator_table(territory=territory, of=of))
    for t in (first, stored):
        pd.testing.assert_frame_equal(pd.DataFrame(t), pd.DataFrame(computed), check_exact=True)
        assert t.geometry.to_wkb().tolist() == computed.geometry.to_wkb().tolist()
    assert said_first == said_stored
    assert set(said) <= set(said_stored)  # plus those of loading the layers, said by the first call only
    assert any(cat == "DataQualityWarning" and cols for cat, _, cols in said_stored)  # friche surfaces
