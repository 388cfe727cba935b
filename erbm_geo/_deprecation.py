"""Renamed keyword arguments keep working for one release, with a DeprecationWarning."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from erbm_geo._warnings import warn

__all__ = ["renamed_kwarg"]

P = ParamSpec("P")
R = TypeVar("R")


def renamed_kwarg(old: str, new: str, *, since: str = "0.2") -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Accept the keyword *old* as a deprecated spelling of *new*.

    Examples
    --------
    >>> @renamed_kwarg("perimeter", "territory")
    ... def f(*, territory: str = "a") -> str:
    ...     return territory
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     f(perimeter="b"), str(w[0].message)
    ('b', 'f(perimeter=…) is deprecated since 0.2: use territory=…')
    """

    def wrap(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            if old in kwargs:
                if new in kwargs:
                    raise TypeError(f"{func.__name__}() got both {old}= and {new}=; use {new}=")
                warn(f"{func.__name__}({old}=…) is deprecated since {since}: use {new}=…", DeprecationWarning)
                value: Any = kwargs.pop(old)
                kwargs[new] = value
            return func(*args, **kwargs)

        return inner

    return wrap
