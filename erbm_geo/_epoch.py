"""The build date of reproducible outputs (a leaf module): ``SOURCE_DATE_EPOCH`` or today."""

from __future__ import annotations

import datetime
import os

from erbm_geo.errors import InvalidOptionError

__all__ = ["build_datetime"]

#: The last instant a build may claim (year 9999): a larger epoch is a mistake, not a date.
_MAX_EPOCH = 253_402_300_799


def build_datetime() -> datetime.datetime:
    """Return ``SOURCE_DATE_EPOCH`` as an aware UTC datetime, else today at 00:00 UTC.

    Raises
    ------
    InvalidOptionError
        If ``SOURCE_DATE_EPOCH`` is set but is not a whole number of seconds between 0 and the
        end of year 9999 (reproducible-builds.org specification).
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is not None and raw.strip():
        text = raw.strip()
        if not (text.isascii() and text.isdigit()) or int(text) > _MAX_EPOCH:
            raise InvalidOptionError(
                f"SOURCE_DATE_EPOCH={raw[:40]!r} is not a date: it must be a whole number of seconds "
                f"since 1970-01-01 UTC, at most {_MAX_EPOCH} (year 9999). Fix: set it to e.g. the "
                "last commit's date (git log -1 --format=%ct), or unset it"
            )
        return datetime.datetime.fromtimestamp(int(text), datetime.UTC)
    today = datetime.datetime.now(datetime.UTC).date()
    return datetime.datetime(today.year, today.month, today.day, tzinfo=datetime.UTC)
