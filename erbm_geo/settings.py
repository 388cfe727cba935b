"""Global settings of erbm_geo (osmnx style: typed module globals).

Change them by assignment, e.g. ``erbm_geo.settings.verbose = False``. Every assignment is
checked (geopandas' ``_config`` is the model): an unknown name (``settings.thread = 2``) or a
value of the wrong kind raises :class:`~erbm_geo.errors.InvalidOptionError` at once, naming the
setting and what it takes, instead of being silently ignored.

Attributes
----------
data_dir : pathlib.Path or None
    Folder holding the third-party datasets in the layout of the team mirror
    (``mbm/``, ``admin/``, ``qpv/``…). Default: the ``ERBM_GEO_DATA`` environment variable, else the
    mirror ``../shared/erbm-data`` next to the checkout (or next to the current directory) when it
    exists, else ``None`` (datasets are then downloaded into :data:`cache_dir`).
cache_dir : pathlib.Path
    Where downloaded datasets and prepared layers (GeoParquet) are cached. Default: the
    ``ERBM_GEO_CACHE`` environment variable, else ``$XDG_CACHE_HOME/erbm_geo`` (``~/.cache/erbm_geo``).
mirror_url : str or None
    Base URL of an HTTP copy of the mirror tree (``ERBM_GEO_MIRROR_URL``), tried before each
    dataset's own download URL.
geocoder_url : str
    Base URL of the address geocoding service :func:`erbm_geo.lookup.geocode` calls (its
    ``/search`` and ``/search/csv`` endpoints): the Géoplateforme's,
    ``https://data.geopf.fr/geocodage``, unless ``ERBM_GEO_GEOCODER_URL`` names another (a
    local copy of the service, say). Nothing is sent unless geocoding is asked for.
use_cache : bool
    Cache prepared layers (Arrow IPC files) keyed by the source checksums (default True;
    ``ERBM_GEO_NO_CACHE=1`` turns it off).
crs : str
    Working CRS of every layer and indicator: Lambert-93, ``"EPSG:2154"``.
web_crs : str
    CRS of web maps: ``"EPSG:4326"``.
verbose : bool
    Show progress bars and informational messages (``ERBM_GEO_VERBOSE=0`` turns them off).
download_timeout : float
    Seconds before a download attempt is abandoned.
threads : int
    Threads the geometry kernels may use for their heaviest vectorised steps (exact
    intersections, nearest-edge searches, validity checks; shapely releases the GIL there). Results
    do not depend on it. Default: the
    ``ERBM_GEO_THREADS`` environment variable, else the CPUs this process may run on. ``1`` keeps
    every computation on the calling thread (e.g. inside dask workers that already use every core).
"""

from __future__ import annotations

import difflib
import os
import sys
import types
from pathlib import Path

__all__ = [
    "cache_dir",
    "crs",
    "data_dir",
    "default_cache_dir",
    "default_data_dir",
    "default_threads",
    "download_timeout",
    "geocoder_url",
    "mirror_url",
    "threads",
    "use_cache",
    "verbose",
    "web_crs",
]

_PACKAGE_ROOT = Path(__file__).resolve().parent


def default_data_dir() -> Path | None:
    """Return the data directory chosen when none is set explicitly.

    Returns
    -------
    pathlib.Path or None
        ``$ERBM_GEO_DATA`` if set, else the first existing ``shared/erbm-data`` beside the
        checkout holding this package or beside the current directory, else ``None``.

    Examples
    --------
    >>> import os
    >>> os.environ["ERBM_GEO_DATA"] = "/srv/erbm-data"
    >>> default_data_dir()
    PosixPath('/srv/erbm-data')
    >>> del os.environ["ERBM_GEO_DATA"]
    """
    env = os.environ.get("ERBM_GEO_DATA")
    if env:
        return Path(env).expanduser()
    for base in (_PACKAGE_ROOT.parent, Path.cwd()):
        for candidate in (base.parent / "shared" / "erbm-data", base / "shared" / "erbm-data"):
            if (candidate / "MANIFEST.tsv").is_file():
                return candidate
    return None


def default_threads() -> int:
    """Return the number of kernel threads chosen when none is set explicitly.

    Returns
    -------
    int
        ``$ERBM_GEO_THREADS`` if set (0 when it is not an integer, which the kernels refuse with
        an error naming the variable), else the CPUs this process may run on.

    Examples
    --------
    >>> import os
    >>> os.environ["ERBM_GEO_THREADS"] = "2"
    >>> default_threads()
    2
    >>> del os.environ["ERBM_GEO_THREADS"]
    """
    env = os.environ.get("ERBM_GEO_THREADS", "").strip()
    if env:
        return int(env) if env.lstrip("-").isdigit() else 0
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_cache_dir() -> Path:
    """Return the cache directory chosen when none is set explicitly.

    Returns
    -------
    pathlib.Path
        ``$ERBM_GEO_CACHE`` if set, else ``$XDG_CACHE_HOME/erbm_geo``, else ``~/.cache/erbm_geo``.

    Examples
    --------
    >>> import os
    >>> os.environ["ERBM_GEO_CACHE"] = "/tmp/mon-cache"
    >>> default_cache_dir()
    PosixPath('/tmp/mon-cache')
    >>> del os.environ["ERBM_GEO_CACHE"]
    """
    env = os.environ.get("ERBM_GEO_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "erbm_geo"


data_dir: Path | None = default_data_dir()
cache_dir: Path = default_cache_dir()
mirror_url: str | None = os.environ.get("ERBM_GEO_MIRROR_URL") or None
geocoder_url: str = os.environ.get("ERBM_GEO_GEOCODER_URL") or "https://data.geopf.fr/geocodage"
use_cache: bool = os.environ.get("ERBM_GEO_NO_CACHE", "") not in ("1", "true", "yes")
crs: str = "EPSG:2154"
web_crs: str = "EPSG:4326"
verbose: bool = os.environ.get("ERBM_GEO_VERBOSE", "1") not in ("0", "false", "no")
download_timeout: float = 60.0
threads: int = default_threads()


def _path(v: object) -> Path:
    if isinstance(v, str | os.PathLike) and str(v):
        return Path(v).expanduser()
    raise TypeError("a folder path")


def _optional_path(v: object) -> Path | None:
    return None if v is None else _path(v)


def _flag(v: object) -> bool:
    if isinstance(v, bool):
        return v
    raise TypeError("True or False")


def _crs(v: object) -> str:
    if isinstance(v, str) and v.strip():
        return v
    raise TypeError("a CRS as text, e.g. 'EPSG:2154'")


def _url(v: object) -> str | None:
    if v is None or (isinstance(v, str) and v.startswith(("http://", "https://", "file://"))):
        return v
    raise TypeError("None or an http(s):// URL")


def _http_url(v: object) -> str:
    if isinstance(v, str) and v.startswith(("http://", "https://")) and len(v) > len("https://"):
        return v.rstrip("/")
    raise TypeError("an http(s):// URL")


def _seconds(v: object) -> float:
    if isinstance(v, int | float) and not isinstance(v, bool) and 0 < float(v) < float("inf"):
        return float(v)
    raise TypeError("a positive number of seconds")


def _threads(v: object) -> int:
    if isinstance(v, int) and not isinstance(v, bool) and v >= 1:
        return v
    raise TypeError("a positive integer (1 keeps every computation on the calling thread)")


_CHECKS = {
    "data_dir": _optional_path,
    "cache_dir": _path,
    "mirror_url": _url,
    "geocoder_url": _http_url,
    "use_cache": _flag,
    "crs": _crs,
    "web_crs": _crs,
    "verbose": _flag,
    "download_timeout": _seconds,
    "threads": _threads,
}


class _Settings(types.ModuleType):
    """The settings module, whose attributes are checked when they are assigned."""

    def __setattr__(self, name: str, value: object) -> None:
        from erbm_geo.errors import InvalidOptionError

        if name.startswith("_") or callable(getattr(self, name, None)):
            super().__setattr__(name, value)
            return
        check = _CHECKS.get(name)
        if check is None:
            close = difflib.get_close_matches(name, list(_CHECKS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InvalidOptionError(
                f"erbm_geo.settings has no setting {name!r}{hint}; the settings are "
                f"{', '.join(sorted(_CHECKS))}"
            )
        try:
            value = check(value)
        except TypeError as exc:
            raise InvalidOptionError(
                f"erbm_geo.settings.{name} must be {exc}, got {value!r}"
                + (" (or set ERBM_GEO_THREADS)" if name == "threads" else "")
            ) from None
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Settings
