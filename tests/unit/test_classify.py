"""Class breaks: Fisher-Jenks against brute force, labels never empty nor repeated, zero class."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from erbm_geo.maps.classify import breaks, class_labels, classify, fisher_jenks, quantiles
from tests.checks import every


def _ssd(x: np.ndarray, ends: list[int]) -> float:
    out, start = 0.0, 0
    for e in ends:
        part = x[start : e + 1]
        out += float(((part - part.mean()) ** 2).sum())
        start = e + 1
    return out


@given(st.lists(st.integers(0, 60), min_size=4, max_size=11), st.integers(2, 4))
@settings(deadline=None)
def test_fisher_jenks_is_optimal(values: list[int], k: int) -> None:
    x = np.unique(np.array(values, dtype=float))
    if len(x) <= k:
        assert fisher_jenks(x, k).tolist() == x.tolist()
        return
    best = min(_ssd(x, [*cuts, len(x) - 1]) for cuts in itertools.combinations(range(len(x) - 1), k - 1))
    got = fisher_jenks(x, k)
    ends = [int(np.searchsorted(x, b)) for b in got]
    assert len(got) == k and got[-1] == x.max()
    assert abs(_ssd(x, ends) - best) < 1e-9


@given(
    st.lists(st.one_of(st.floats(0, 1), st.just(0.0), st.just(float("nan"))), min_size=1, max_size=60),
    st.integers(1, 6),
    st.sampled_from(["fisher_jenks", "quantiles"]),
)
@settings(deadline=None)
def test_labels_are_distinct_and_classes_full(values: list[float], k: int, scheme: str) -> None:
    v = np.array(values)

    def fmt(x: float) -> str:
        return f"{100 * x:.1f}".replace(".", ",")

    cls, labels = classify(v, fmt, scheme=scheme, k=k)  # type: ignore[arg-type]
    ok = ~np.isnan(v)
    assert every(cls[~ok] == -1, may_be_empty=True) and every(cls[ok] >= 0, may_be_empty=True)
    assert len(labels) == len(set(labels))  # never the same label twice
    assert sorted(set(cls[ok].tolist())) == list(range(len(labels)))  # no empty class
    # classes are ordered: every value of a class is ≤ every value of the next
    for c in range(len(labels) - 1):
        assert v[ok][cls[ok] == c].max() <= v[ok][cls[ok] == c + 1].min()


def test_zero_gets_its_own_class() -> None:
    v = np.r_[np.zeros(40), np.linspace(0.0004, 0.4, 60)]
    b = breaks(v, k=5)
    assert b[0] == 0 and len(b) == 5
    _, cls, labels = class_labels(v, b, lambda x: f"{100 * x:.1f}")
    assert labels[0] == "0" and labels[1].startswith("> 0 – ")
    assert every(cls[:40] == 0) and every(cls[40:] > 0)
    assert breaks(np.r_[0.0, np.linspace(0.01, 2, 30)], k=5)[0] > 0  # one zero: no class of its own


def test_quantiles_merge_duplicates() -> None:
    assert quantiles(np.array([1.0, 1, 1, 1, 2]), 4).tolist() == [1.0, 2.0]
