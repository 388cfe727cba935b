"""Assertion helpers shared by the unit and mirror tests (a helper module, not a test module)."""

from __future__ import annotations

from typing import Any

import numpy as np


def every(values: Any, *, may_be_empty: bool = False) -> bool:
    """Return whether every value is true, failing on an empty selection.

    ``x.all()`` is true for nothing at all, so an assertion on an empty selection (a filter that
    matched no row, an empty result) would pass whatever the code does; ``every`` refuses it.
    ``tests/unit/test_structure.py`` checks that no test asserts a bare ``.all()``.
    ``may_be_empty=True`` is for property tests where some generated inputs legitimately select
    nothing (the other examples exercise the assertion).
    """
    arr = np.asarray(values)
    assert may_be_empty or arr.size > 0, (
        "empty selection: asserting that all of nothing is true proves nothing"
    )
    return bool(arr.all())
