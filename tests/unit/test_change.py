"""Change between vintages and the harmonisation of populations to today's communes (synthetic)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from erbm_geo.errors import (
    AlignmentError,
    DataFormatError,
    MissingColumnError,
    UnknownCodeError,
    UnknownOptionError,
)
from erbm_geo.indicators.change import count_change, population_change
from erbm_geo.layers.population import harmonise_populations
from tests.checks import every


def test_a_merged_commune_is_the_sum_of_its_former_communes() -> None:
    got = harmonise_populations({"62001": 100, "62002": 50, "62003": 7}, {"62001": ["62002"], "62003": []})
    assert got.to_dict() == {"62001": 150, "62003": 7}
    assert str(got.dtype) == "Int64" and got.index.name == "code_insee"


def test_a_commune_of_today_absent_from_an_old_vintage_is_missing_not_zero() -> None:
    got = harmonise_populations({"62001": 100}, {"62001": [], "62004": []})
    assert got.isna().tolist() == [False, True]


def test_codes_without_successor_or_with_two_are_errors_naming_them() -> None:
    with pytest.raises(UnknownCodeError, match=r"\['62009'\]"):
        harmonise_populations({"62009": 5, "62001": 1}, {"62001": []}, year=2016)
    with pytest.raises(UnknownCodeError, match=r"\['62002'\].*split"):
        harmonise_populations({"62002": 5}, {"62001": ["62002"], "62003": ["62002"]}, year=2016)


def test_rates_come_from_summed_counts_never_from_averaged_rates() -> None:
    t = pd.DataFrame({2016: [100, 10_000], 2023: [200, 9_000]}, index=["village", "ville"])
    whole = count_change(t, start=2016, end=2023, groups="all").iloc[0]
    assert whole["count_change"] == -900
    assert whole["count_change_pct"] == pytest.approx(100 * -900 / 10_100)  # not (100 − 10) / 2 = +45
    rows = count_change(t, start=2016, end=2023)
    assert rows["count_change_pct"].tolist() == [100.0, -10.0]
    assert rows["count_growth_rate_pct"].iloc[0] == pytest.approx(100 * (2 ** (1 / 7) - 1))
    assert str(rows["count_change"].dtype) == "int64"


def test_groups_sum_then_rate() -> None:
    t = pd.DataFrame({2019: [10, 20, 30], 2023: [20, 20, 60]}, index=["a", "b", "c"])
    g = pd.Series(["x", "x", "y"], index=t.index, name="siren_epci")
    got = count_change(t, start=2019, end=2023, groups=g)
    assert got.index.name == "siren_epci" and got.index.tolist() == ["x", "y"]
    assert got["count_change"].tolist() == [10, 30] and got["count_change_pct"].tolist() == [
        pytest.approx(100 / 3),
        100.0,
    ]


def test_a_zero_start_gives_no_rate() -> None:
    got = count_change(pd.DataFrame({2016: [0], 2023: [5]}), start=2016, end=2023)
    assert got["count_change"].tolist() == [5] and every(np.isnan(got["count_change_pct"])) and len(got) == 1


def test_errors_name_the_fix() -> None:
    t = pd.DataFrame({2016: [1], 2023: [2]}, index=["a"])
    with pytest.raises(MissingColumnError, match="2020"):
        count_change(t, start=2016, end=2020)
    with pytest.raises(UnknownOptionError, match="before"):
        count_change(t, start=2023, end=2016)
    with pytest.raises(UnknownOptionError, match="'all'"):
        count_change(t, start=2016, end=2023, groups="epci")
    with pytest.raises(AlignmentError, match="no label"):
        count_change(t, start=2016, end=2023, groups=pd.Series(["x"], index=["b"]))


@given(
    st.lists(st.tuples(st.integers(1, 100_000), st.integers(0, 100_000)), min_size=1, max_size=30),
    st.integers(1, 10),
)
def test_the_mean_annual_rate_compounds_back_to_the_end(pairs: list[tuple[int, int]], years: int) -> None:
    t = pd.DataFrame({2000: [a for a, _ in pairs], 2000 + years: [b for _, b in pairs]})
    got = count_change(t, start=2000, end=2000 + years, groups="all").iloc[0]
    start, end = sum(a for a, _ in pairs), sum(b for _, b in pairs)
    assert got["count_change"] == end - start
    assert start * (1 + got["count_growth_rate_pct"] / 100) ** years == pytest.approx(end, rel=1e-9, abs=1e-6)


def test_population_change_defaults_to_the_first_and_last_vintages() -> None:
    h = pd.DataFrame({2016: [1000, 500], 2019: [1, 1], 2023: [1100, 450]}, index=["62001", "62002"])
    got = population_change(h)
    assert got.attrs["years"] == (2016, 2023) and got["population_change"].tolist() == [100, -50]


def test_a_harmonised_total_that_does_not_add_up_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import erbm_geo.layers.population as pop

    real = pd.Series.groupby

    def lossy(self: pd.Series, *args: object, **kwargs: object) -> object:  # a harmonisation that drops
        return real(self.iloc[:-1], *args, **kwargs)

    monkeypatch.setattr(pd.Series, "groupby", lossy)
    with pytest.raises(DataFormatError, match="differs"):
        pop.harmonise_populations({"62001": 100, "62002": 50}, {"62001": [], "62002": []})
