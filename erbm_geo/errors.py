"""Exceptions raised by erbm_geo.

Every error the library raises on bad input derives from :class:`ErbmGeoError`, so callers (and the
CLI, which maps them to exit code 2) can tell a user error from a bug. Each message names the problem
and how to fix it.
"""

from __future__ import annotations

__all__ = [
    "AlignmentError",
    "CRSError",
    "CacheWarning",
    "ChecksumError",
    "DataFormatError",
    "DataNotFoundError",
    "DataQualityWarning",
    "DownloadError",
    "DuplicateIndexError",
    "EmptyInputError",
    "ErbmGeoError",
    "ErbmGeoWarning",
    "GeocodingError",
    "InvalidGeometryError",
    "InvalidOptionError",
    "MissingColumnError",
    "MissingLayerWarning",
    "NestingError",
    "OptionError",
    "OutOfAreaError",
    "OutputPathError",
    "UnknownCodeError",
    "UnknownOptionError",
]


class ErbmGeoError(Exception):
    """Base class of every error raised by erbm_geo on bad input or missing data."""


class DataNotFoundError(ErbmGeoError, FileNotFoundError):
    """A dataset file could not be found locally and could not be downloaded."""


class ChecksumError(ErbmGeoError):
    """A dataset file does not have the expected sha256 (corrupt, truncated or another vintage)."""


class DownloadError(ErbmGeoError):
    """A dataset could not be downloaded (network error, HTTP error)."""


class GeocodingError(ErbmGeoError):
    """The address geocoding service could not be reached or gave an answer it does not document."""


class DataFormatError(ErbmGeoError, ValueError):
    """A file or table could not be parsed, or lacks the structure the loader expects."""


class CRSError(ErbmGeoError, ValueError):
    """A layer has no CRS, or a CRS that does not match what the operation needs."""


class InvalidGeometryError(ErbmGeoError, ValueError):
    """Geometries are invalid, empty, non-finite or of an unexpected type."""


class EmptyInputError(ErbmGeoError, ValueError):
    """An input layer or selection is empty."""


class UnknownCodeError(ErbmGeoError, KeyError):
    """An INSEE / SIREN code (or a cité identifier) is unknown or duplicated."""

    def __str__(self) -> str:
        """Give the message as written (KeyError would quote it)."""
        return str(self.args[0]) if self.args else ""


class OptionError(ErbmGeoError, ValueError):
    """An option (a keyword argument or a CLI option) has a value that cannot be used."""


class UnknownOptionError(OptionError):
    """An option names a choice that does not exist (a level, a mode, a format, a dataset…)."""


class InvalidOptionError(OptionError):
    """An option's value is of the right kind but out of its range (e.g. a negative radius)."""


class AlignmentError(ErbmGeoError, ValueError):
    """Values meant to describe a layer's features are not aligned on its index."""


class MissingColumnError(ErbmGeoError, KeyError):
    """A table lacks a column the operation needs."""

    def __str__(self) -> str:
        """Give the message as written (KeyError would quote it)."""
        return str(self.args[0]) if self.args else ""


class DuplicateIndexError(ErbmGeoError, ValueError):
    """A layer's index has duplicate labels, so results could not be aligned on it."""


class OutOfAreaError(ErbmGeoError, ValueError):
    """A layer lies nowhere near the territory (often coordinates in another CRS than declared)."""


class OutputPathError(ErbmGeoError, ValueError):
    """An output path could delete or overwrite what erbm_geo did not write (refused, nothing touched)."""


class NestingError(DataFormatError):
    """A geometry is nested deeper than any real layer (a crafted file); refused before parsing."""


class ErbmGeoWarning(UserWarning):
    """Base class of the warnings erbm_geo emits (filter them all with this class)."""


class CacheWarning(ErbmGeoWarning):
    """A cache entry failed verification (damaged, edited, foreign) and was rebuilt."""


class DataQualityWarning(ErbmGeoWarning):
    """A source dataset had a defect that the loader handled (and reported in ``gdf.attrs``).

    ``columns`` names the result columns the defect concerns (empty: the whole result), so that
    an output showing other columns need not repeat it (a map of QPV shares says nothing of
    friche surfaces).

    Parameters
    ----------
    message : str
        What was found, where, and the consequence.
    columns : tuple of str, default ()
        The result columns concerned.
    """

    def __init__(self, message: str = "", *, columns: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.columns = tuple(columns)


class MissingLayerWarning(ErbmGeoWarning):
    """A layer an operation would use is not available; the results that need it are left out."""
