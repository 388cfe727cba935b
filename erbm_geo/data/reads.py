"""Which catalogued datasets a computation reads, so that a stored result's key can be checked.

A result stored on disk (see :meth:`erbm_geo.data.cache.Cache.table`) is keyed by the checksums
of the datasets it is declared to come from. :func:`recording` lists those it actually came
from: every dataset whose file is resolved and every prepared layer or derived object asked of
the cache (by the sources of its key, whether it is then found in memory, on disk or built). A
result that read a dataset its key does not name is not stored.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

__all__ = ["note", "recording"]

_SEEN: ContextVar[set[str] | None] = ContextVar("erbm_geo_reads", default=None)


def note(names: Iterable[str]) -> None:
    """Record that datasets *names* are read (nothing happens outside :func:`recording`).

    Parameters
    ----------
    names : iterable of str
        Catalogue keys.

    Examples
    --------
    >>> with recording() as seen:
    ...     note(["qpv"])
    >>> sorted(seen)
    ['qpv']
    """
    seen = _SEEN.get()
    if seen is not None:
        seen.update(names)


@contextlib.contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the datasets read inside the ``with`` block (nested blocks also tell the outer one).

    Yields
    ------
    set of str
        The catalogue keys read so far; complete when the block ends.

    Examples
    --------
    >>> with recording() as outer:
    ...     with recording() as inner:
    ...         note(["mairies"])
    ...     note(["qpv"])
    >>> sorted(inner), sorted(outer)
    (['mairies'], ['mairies', 'qpv'])
    """
    outer = _SEEN.get()
    seen: set[str] = set()
    token = _SEEN.set(seen)
    try:
        yield seen
    finally:
        _SEEN.reset(token)
        if outer is not None:
            outer.update(seen)
