"""The one French number and date formatter of erbm_geo (a leaf: imports nothing of the package).

Every number a reader sees — atlas, printed maps, interactive maps, exports' notes, the CLI —
is written by :func:`nombre`: narrow no-break spaces (U+202F) between thousands, a decimal
comma, no minus sign on a value that rounds to zero, ``n.d.`` (non disponible) for a missing
value. Dates are written by :func:`date_fr`.
"""

from __future__ import annotations

import math
import operator
from typing import Any

__all__ = ["MANQUANT", "MOIS", "date_fr", "decimales_auto", "nombre"]

#: What a reader sees for a missing value.
MANQUANT = "n.d."

MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def decimales_auto(x: float) -> int:
    """Return the decimals a number is shown with when none are given.

    0 from 100 up and for whole numbers, 1 from 10, else 2.

    Parameters
    ----------
    x : float
        The number.

    Returns
    -------
    int
        The decimals.

    Examples
    --------
    >>> decimales_auto(1234.5), decimales_auto(12.34), decimales_auto(0.25), decimales_auto(3.0)
    (0, 1, 2, 0)
    """
    ax = abs(x)
    return 0 if ax >= 100 or float(x).is_integer() else (1 if ax >= 10 else 2)


def nombre(x: Any, decimales: int | None = None) -> str:
    r"""Return a number the French way.

    Narrow no-break spaces between thousands, a decimal comma, no minus sign on a value that
    rounds to zero, ``n.d.`` for a missing value (None, NaN, ``pd.NA``).

    Parameters
    ----------
    x : float
        The number.
    decimales : int, optional
        Decimals shown; by default :func:`decimales_auto`.

    Returns
    -------
    str
        The number as French readers write it.

    Examples
    --------
    >>> nombre(1234567.891, 1)
    '1\u202f234\u202f567,9'
    >>> nombre(-0.04, 1), nombre(0.25), nombre(float("nan"))
    ('0,0', '0,25', 'n.d.')
    """
    if x is None:
        return MANQUANT
    if hasattr(x, "__index__") and not isinstance(x, bool) and decimales in (None, 0):
        return f"{operator.index(x):,d}".replace(",", "\u202f")  # integers exactly, even beyond 2**53
    try:
        v = float(x)
    except (TypeError, ValueError):
        return MANQUANT
    if math.isnan(v):
        return MANQUANT
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    d = decimales_auto(v) if decimales is None else decimales
    s = f"{v:,.{d}f}"
    if s.startswith("-") and float(s[1:].replace(",", "")) == 0:
        s = s[1:]
    return s.replace(",", "\u202f").replace(".", ",")


def date_fr(iso: str) -> str:
    """Write an ISO date the French way: ``"2025-06-30"`` → ``"30 juin 2025"`` (``1er`` the 1st).

    Parameters
    ----------
    iso : str
        A date as ``YYYY-MM-DD``.

    Returns
    -------
    str
        The date in French words.

    Examples
    --------
    >>> date_fr("2025-09-01"), date_fr("2022-12-31")
    ('1er septembre 2025', '31 décembre 2022')
    """
    y, m, d = (int(p) for p in iso[:10].split("-"))
    jour = "1er" if d == 1 else str(d)
    return f"{jour} {MOIS[m - 1]} {y}"
