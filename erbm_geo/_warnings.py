"""Warnings that point at the user's code, not at erbm_geo's internals."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

_PACKAGE = str(Path(__file__).resolve().parent)


def user_stacklevel() -> int:
    """Return the ``stacklevel`` of the first frame outside the erbm_geo package (as pandas does).

    Counted from the function calling this one (level 1). Decorators, helpers and the depth of
    the call then never make a warning point at an internal line such as the deprecation wrapper.
    """
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def warn(message: str | Warning, category: type[Warning] = UserWarning) -> None:
    """Call ``warnings.warn`` at the user's line (see :func:`user_stacklevel`).

    *message* may be a warning instance (its class is then the category).
    """
    warnings.warn(message, category, stacklevel=user_stacklevel())


def concerns(w: Warning, columns: set[str]) -> bool:
    """Say whether warning *w* concerns any of *columns* (a warning naming no column concerns all)."""
    named = getattr(w, "columns", ())
    return not named or bool(set(named) & columns)
