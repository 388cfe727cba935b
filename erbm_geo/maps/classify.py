"""Class breaks for choropleth maps: Fisher-Jenks natural breaks and quantiles, in numpy.

Both schemes return the upper bound of each class. :func:`class_labels` turns breaks into the
legend's labels at the precision they are shown with, merging classes whose shown bounds would
coincide, so a legend never lists an empty class or two identical ones ("0,0 % – 0,0 %").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, cast

import numpy as np

from erbm_geo.errors import InvalidOptionError, UnknownOptionError

__all__ = [
    "ZERO_CLASS_SHARE",
    "Scheme",
    "breaks",
    "centred_classes",
    "centred_edges",
    "class_labels",
    "classify",
    "fisher_jenks",
    "quantiles",
]

Scheme = Literal["fisher_jenks", "quantiles"]


def fisher_jenks(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the *k* classes minimising the within-class sum of squared deviations.

    Fisher's exact optimisation (the "natural breaks" of Jenks), by dynamic programming.

    O(k·n²) in vectorised numpy on the distinct sorted values; 250 communes take about 2 ms.

    Parameters
    ----------
    values : numpy.ndarray of float
        The values, without NaN.
    k : int
        The number of classes.

    Returns
    -------
    numpy.ndarray of float
        The classes' upper bounds (the distinct values when there are no more than *k*).

    Raises
    ------
    InvalidOptionError
        If *k* is less than 1.

    Examples
    --------
    >>> fisher_jenks(np.array([1.0, 2, 3, 10, 11, 12, 50]), 3).tolist()
    [3.0, 12.0, 50.0]
    """
    x = np.unique(np.asarray(values, dtype=float)[~np.isnan(values)])
    n = len(x)
    if k < 1:
        raise InvalidOptionError(f"k must be ≥ 1, got {k}")
    if n <= k:
        return x
    s1 = np.r_[0.0, np.cumsum(x)]
    s2 = np.r_[0.0, np.cumsum(x * x)]
    i = np.arange(n)[:, None]  # first index of the last class
    j = np.arange(n)[None, :]  # last index of the last class
    cnt = (j - i + 1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ssd = (s2[j + 1] - s2[i]) - (s1[j + 1] - s1[i]) ** 2 / cnt  # cost of class x[i..j]
    ssd = np.where(j >= i, ssd, np.inf)
    cost = ssd[0].copy()  # one class covering x[0..j]
    back = np.zeros((k, n), dtype=np.int64)
    for c in range(1, k):
        # last class x[i..j] after c classes covering x[0..i-1]
        total = np.full((n, n), np.inf)
        total[1:, :] = cost[:-1, None] + ssd[1:, :]
        best = np.argmin(total, axis=0)
        cost = total[best, np.arange(n)]
        back[c] = best
    ends = [n - 1]
    j_end = n - 1
    for c in range(k - 1, 0, -1):
        i_start = back[c, j_end]
        ends.append(i_start - 1)
        j_end = i_start - 1
    return cast("np.ndarray", x[np.array(ends[::-1])])


def quantiles(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of *k* classes holding about as many values each (duplicates merged).

    Parameters
    ----------
    values : numpy.ndarray of float
        The values, without NaN.
    k : int
        The number of classes.

    Returns
    -------
    numpy.ndarray of float
        The classes' upper bounds.

    Raises
    ------
    InvalidOptionError
        If *k* is less than 1.

    Examples
    --------
    >>> quantiles(np.array([1.0, 2, 3, 4, 5, 6]), 3).tolist()
    [2.0, 4.0, 6.0]
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if k < 1:
        raise InvalidOptionError(f"k must be ≥ 1, got {k}")
    q = np.quantile(v, np.arange(1, k + 1) / k, method="inverted_cdf")
    return np.unique(q)


#: Share of exact zeros from which zero gets a class of its own.
ZERO_CLASS_SHARE = 0.1


def breaks(values: np.ndarray, *, scheme: Scheme = "fisher_jenks", k: int = 5) -> np.ndarray:
    """Upper bounds of the classes of *values* (NaN ignored) for *scheme*.

    When at least :data:`ZERO_CLASS_SHARE` of the values are exactly 0 (communes without any QPV,
    without a UNESCO part…), 0 is a class of its own and the *k* - 1 others split the rest: the
    communes with 0.4 % in a QPV are not mixed with those with none.

    Parameters
    ----------
    values : numpy.ndarray of float
        The values (NaN ignored).
    scheme : {"fisher_jenks", "quantiles"}, default "fisher_jenks"
        How classes are drawn.
    k : int, default 5
        The number of classes (fewer when the values have fewer distinct ones).

    Returns
    -------
    numpy.ndarray of float
        The classes' upper bounds, increasing.

    Raises
    ------
    UnknownOptionError
        If *scheme* is unknown.
    InvalidOptionError
        If *k* is less than 1.

    Examples
    --------
    >>> breaks(np.array([0.0, 0, 0, 0.1, 0.2, 0.5, 0.9]), k=3).tolist()
    [0.0, 0.2, 0.9]
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return np.zeros(0)
    if len(np.unique(v)) <= k:
        return np.unique(v)
    zeros = v == 0
    if k > 2 and zeros.mean() >= ZERO_CLASS_SHARE and v.min() == 0:
        return cast("np.ndarray", np.r_[0.0, breaks(v[~zeros], scheme=scheme, k=k - 1)])
    if scheme == "fisher_jenks":
        return fisher_jenks(v, k)
    if scheme == "quantiles":
        return quantiles(v, k)
    raise UnknownOptionError(f"unknown scheme {scheme!r}; choose 'fisher_jenks' or 'quantiles'")


def class_labels(
    values: np.ndarray, bounds: np.ndarray, fmt: Callable[[float], str]
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Return classes as shown.

    Merge those whose upper bounds print alike, then label each class with the smallest and largest
    value it holds. Labels are ``"a – b"``, or ``"a"`` when the class's values all print alike;
    ``"0"`` for a class of exact zeros and ``"> 0 – b"`` for a class whose smallest value is
    positive but prints as zero. No class is empty.

    Parameters
    ----------
    values : numpy.ndarray of float
        The values.
    bounds : numpy.ndarray of float
        The classes' upper bounds (from :func:`breaks`).
    fmt : callable
        Formats a value as the legend shows it.

    Returns
    -------
    bounds : numpy.ndarray of float
        The upper bounds kept.
    classes : numpy.ndarray of int
        The class of each value, -1 for NaN.
    labels : list of str
        One label per class.

    Examples
    --------
    >>> v = np.array([0.0, 0.0001, 0.0002, 0.5, 1.0])
    >>> b, cls, lab = class_labels(v, np.array([0.0001, 0.0002, 0.5, 1.0]),
    ...                            lambda x: f"{100 * x:.1f} %")
    >>> lab, cls.tolist()
    (['0.0 %', '50.0 %', '100.0 %'], [0, 0, 0, 1, 2])
    """
    v = np.asarray(values, dtype=float)
    ok = ~np.isnan(v)
    cls = np.full(len(v), -1)
    if not ok.any() or len(bounds) == 0:
        return np.zeros(0), cls, []
    kept: list[float] = []
    for b in np.unique(np.asarray(bounds, dtype=float)):
        if kept and fmt(float(b)) == fmt(kept[-1]):
            kept[-1] = float(b)  # the same shown bound: one class
        else:
            kept.append(float(b))
    kb = np.array(kept)
    c = np.searchsorted(kb, v[ok], side="left").clip(0, len(kb) - 1)
    used = np.unique(c)  # classes that hold values (renumbered: none is empty)
    c = np.searchsorted(used, c)
    cls[ok] = c
    lo = np.full(len(used), np.inf)
    hi = np.full(len(used), -np.inf)
    np.minimum.at(lo, c, v[ok])
    np.maximum.at(hi, c, v[ok])
    labels = []
    zero = fmt(0.0)
    for a, b in zip(lo, hi, strict=True):
        fa, fb = fmt(float(a)), fmt(float(b))
        if a == 0 and b == 0:
            labels.append("0")  # exactly zero: its own class
        elif fa == zero and a > 0:
            labels.append(f"> 0 – {fb}")  # small but not zero: never shown as 0
        else:
            labels.append(fb if fa == fb else f"{fa} – {fb}")
    return kb[used], cls, labels


def classify(
    values: np.ndarray, fmt: Callable[[float], str], *, scheme: Scheme = "fisher_jenks", k: int = 5
) -> tuple[np.ndarray, list[str]]:
    """Return class of each value (-1 for NaN) and the legend labels, classes merged as shown.

    Parameters
    ----------
    values : numpy.ndarray of float
        The values.
    fmt : callable
        Formats a value as the legend shows it.
    scheme : {"fisher_jenks", "quantiles"}, default "fisher_jenks"
        How classes are drawn.
    k : int, default 5
        The number of classes at most.

    Returns
    -------
    classes : numpy.ndarray of int
        The class of each value, -1 for NaN.
    labels : list of str
        The legend label of each class.

    Raises
    ------
    UnknownOptionError
        If *scheme* is unknown.
    InvalidOptionError
        If *k* is less than 1.

    Examples
    --------
    >>> v = np.array([0.0, 0, 0, 0.1, 0.2, 0.5, 0.9, np.nan])
    >>> classes, labels = classify(v, lambda x: f"{100 * x:.0f} %", k=3)
    >>> classes.tolist(), labels
    ([0, 0, 0, 1, 1, 2, 2, -1], ['0', '10 % – 20 %', '50 % – 90 %'])
    """
    _, cls, labels = class_labels(values, breaks(values, scheme=scheme, k=k), fmt)
    return cls, labels


def _nice_step(x: float) -> float:
    """Return the largest of 1, 2, 2.5 and 5 × 10^n not above *x* (a readable class width)."""
    if not np.isfinite(x) or x <= 0:
        return 1.0
    p = 10.0 ** np.floor(np.log10(x))
    return float(max(m * p for m in (1.0, 2.0, 2.5, 5.0) if m * p <= x * (1 + 1e-9)))


def centred_edges(values: np.ndarray, *, scale: float = 1.0) -> np.ndarray:
    """Return the five bounds of :func:`centred_classes`: -2s, -s, 0, s and 2s.

    A class holds the values from its lower bound (included) to its upper bound (excluded).

    Parameters
    ----------
    values : numpy.ndarray of float
        The values (NaN ignored).
    scale : float, default 1.0
        Multiplies stored values for display: *s* is round in the displayed unit.

    Returns
    -------
    numpy.ndarray of float
        The bounds, increasing.

    Examples
    --------
    >>> centred_edges(np.array([-12.0, -6, -1, 0, 0.5, 3, 6, 15, np.nan])).tolist()
    [-10.0, -5.0, 0.0, 5.0, 10.0]
    """
    v = np.asarray(values, dtype=float)
    shown = np.abs(v[~np.isnan(v)]) * abs(scale)
    s = _nice_step(float(np.quantile(shown, 0.9)) / 2 if len(shown) else 1.0) / abs(scale)
    return np.array([-2 * s, -s, 0.0, s, 2 * s])


def centred_classes(
    values: np.ndarray, fmt: Callable[[float], str], *, scale: float = 1.0
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Return six classes symmetric about 0, with round bounds, for a change that may be negative.

    The class width *s* is a round number (1, 2, 2.5 or 5 × 10^n, in the displayed unit) such
    that about one value in ten lies beyond ± 2 *s*: the classes are « moins de −2s », « −2s à
    −s », « −s à 0 », « 0 à s », « s à 2s », « 2s ou plus ». Losses and gains never share a
    class (0 opens the gains: « 0 à s » holds 0 and the small gains). Unlike natural breaks, every
    class is kept, even empty, so that a diverging legend reads the same on both sides of 0.

    Parameters
    ----------
    values : numpy.ndarray of float
        The values (NaN: no class).
    fmt : callable
        Formats a stored value as the legend shows it.
    scale : float, default 1.0
        Multiplies stored values for display (100 for a share shown in %): the round bounds are
        round in the displayed unit.

    Returns
    -------
    classes : numpy.ndarray of int
        The class of each value, 0 to 5 (0 the largest losses), -1 for NaN.
    labels : list of str
        The six labels.
    counts : numpy.ndarray of int
        Values per class.

    Examples
    --------
    >>> v = np.array([-12.0, -6, -1, 0, 0.5, 3, 6, 15, np.nan])
    >>> cls, labels, n = centred_classes(v, lambda x: f"{x:g} %")
    >>> cls.tolist(), n.tolist()
    ([0, 1, 2, 3, 3, 3, 4, 5, -1], [1, 1, 1, 3, 1, 1])
    >>> labels
    ['moins de -10 %', 'de -10 % à -5 %', 'de -5 % à 0 %', 'de 0 % à 5 %', 'de 5 % à 10 %', '10 % ou plus']
    """
    v = np.asarray(values, dtype=float)
    ok = ~np.isnan(v)
    edges = centred_edges(v, scale=scale)
    cls = np.full(len(v), -1)
    cls[ok] = np.searchsorted(edges, v[ok], side="right")
    f = [fmt(float(e)) for e in edges]
    labels = [
        f"moins de {f[0]}",
        f"de {f[0]} à {f[1]}",
        f"de {f[1]} à {f[2]}",
        f"de {f[2]} à {f[3]}",
        f"de {f[3]} à {f[4]}",
        f"{f[4]} ou plus",
    ]
    return cls, labels, np.bincount(cls[ok], minlength=6)
