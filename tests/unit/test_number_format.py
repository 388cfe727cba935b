"""The French number formatter of the maps (no « -0,0 », missing values as « n.d. »)."""

from __future__ import annotations

from erbm_geo.maps.style import fmt_number


def test_fmt_number() -> None:
    assert fmt_number(1234.5, 1) == "1\u202f234,5"
    assert fmt_number(float("nan")) == "n.d."  # the one formatter: "–" before 0.3
