"""Pausing Python's cyclic garbage collector during a large computation.

An indicator table allocates hundreds of thousands of short-lived pandas and shapely objects and
creates almost no reference cycles: CPython's collector, triggered by the allocation count, runs
about 250 times and walks every live object twice (full collections), some 70 ms of a one-second
run, to free a few hundred objects. Reference counting frees everything else as before; the
collector is switched back on (if it was on) when the computation ends, and catches up then.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["gc_paused"]

P = ParamSpec("P")
R = TypeVar("R")


def gc_paused(func: Callable[P, R]) -> Callable[P, R]:
    """Run *func* with the cyclic garbage collector paused (state restored on exit).

    Examples
    --------
    >>> @gc_paused
    ... def f() -> bool:
    ...     return gc.isenabled()
    >>> f(), gc.isenabled()
    (False, True)
    """

    @functools.wraps(func)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        was = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if was:
                gc.enable()

    return inner
