"""What every export records about itself: its build date and the keys of its metadata."""

from __future__ import annotations

import datetime

import pandas as pd

from erbm_geo._epoch import build_datetime

__all__ = ["build_date"]

_META_SCHEMA = "ERBM_GEO_SCHEMA"  # GDAL metadata keys: no colon
_META_SOURCES = "ERBM_GEO_SOURCES"
_META_BUILT = "ERBM_GEO_BUILT"


def build_date() -> datetime.datetime:
    """When an export is built, as its files record it.

    ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else today at 00:00 UTC — so the same table
    written twice the same day gives the same bytes.

    Returns
    -------
    datetime.datetime
        Timezone-aware (UTC).

    Raises
    ------
    InvalidOptionError
        If ``SOURCE_DATE_EPOCH`` is not a whole number of seconds up to year 9999.

    Examples
    --------
    >>> build_date().tzinfo is not None
    True
    """
    return build_datetime()


def _missing(v: object) -> bool:
    try:
        return bool(pd.isna(v))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False
