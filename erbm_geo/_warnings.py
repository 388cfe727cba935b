"""Warnings that point at the user's code, not at erbm_geo's internals."""

from __future__ import annotations

import inspect
import warnings
from pathlib import Path

_PACKAGE = str(Path(__file__).resolve().parent)


def user_stacklevel() -> int:
    """The ``stacklevel`` of the first frame outside the erbm_geo package (as pandas does).

    Decorators, helpers and the depth of the call then never make a warning point at an
    internal line such as the deprecation wrapper.
    """
    frame = inspect.currentframe()
    level = 0
    try:
        while frame is not None and (frame.f_code.co_filename.startswith(_PACKAGE)
                                     or level == 0):
            frame = frame.f_back
            level += 1
    finally:
        del frame
    return level


def warn(message: str, category: type[Warning]) -> None:
    """``warnings.warn`` at the user's line (see :func:`user_stacklevel`)."""
    warnings.warn(message, category, stacklevel=user_stacklevel())
