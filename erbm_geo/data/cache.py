"""The cache: one object, :data:`CACHE`, owns the process memory and the on-disk layer cache.

* On disk, prepared layers are GeoArrow IPC (Feather v2, uncompressed: the fastest to read back)
  files keyed by the checksums of their sources, verified on every read (below).
* In the process, :data:`erbm_geo._memory.MEMORY` holds the prepared layers (a copy is handed
  out each time), the objects derived from them (:meth:`Cache.memo`, keyed like the layers by
  source checksums, code, fact tables and parameters) and the geometry memos of the geometry core.
* :meth:`Cache.clear` forgets all of it (and, with ``disk=True``, deletes the files).

A prepared layer (e.g. the basin communes, dissolved and joined) is written once to
``settings.cache_dir/layers/<name>-<key>.arrow``. The key hashes the sha256 of every source
dataset, the fact tables, the package's code and the call parameters, so a change of source
vintage or of code invalidates the entry.

Entries are never trusted. Beside each ``.arrow`` file, a manifest ``<name>-<key>.json`` records
the expected schema (row count, columns, dtypes, index, CRS), the layer's ``attrs`` and a
keyed digest (HMAC-SHA256) of the file's bytes and of the manifest. The key is a secret of the
user, kept outside the cache directory (:func:`cache_secret_path`), so that an entry written by
someone else — in a shared or tampered cache directory — fails verification just as a damaged
one does. On any mismatch the entry is rebuilt from the (checksum-verified) sources, with one
:class:`~erbm_geo.errors.CacheWarning`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import io
import json
import os
import re
import secrets
import stat
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd

from erbm_geo import settings
from erbm_geo._atomic import write_atomic, write_text_atomic
from erbm_geo._memory import MEMORY, Memory
from erbm_geo._warnings import warn
from erbm_geo.data.catalogue import get
from erbm_geo.data.reads import note, recording
from erbm_geo.errors import CacheWarning, DataQualityWarning, ErbmGeoWarning

__all__ = ["CACHE", "Cache", "cache_secret_path", "cached_layer", "cached_table", "clear_memory", "memo"]

_CACHE_VERSION = "6"  # 6: the entry's key inside its digest (5: Arrow IPC; 4: keyed digests)
_SUFFIX = ".arrow"
#: The name of an entry this module writes: ``<layer name>-<16 hex digits>.<suffix>``.
_ENTRY = re.compile(r"[a-z0-9_]+-[0-9a-f]{16}\.(?:arrow|json|parquet)")
#: Largest manifest read (bytes): a manifest is a few kilobytes.
_MAX_MANIFEST = 1 << 20
#: Largest entry read (bytes): the prepared layers weigh a few megabytes; anything larger is not ours.
MAX_ENTRY_BYTES = 2 << 30


def _key(name: str, sources: Iterable[str], params: dict[str, Any]) -> str:
    from erbm_geo._version import __version__

    sources = tuple(sources)
    note(sources)
    payload = json.dumps(
        {
            "v": _CACHE_VERSION,
            "facts": _facts_fingerprint(),
            "code": _code_fingerprint(),
            "lib": __version__,
            "src": {s: get(s).sha256 for s in sorted(sources)},
            "params": params,
        },
        sort_keys=True,
        default=str,
    )
    return f"{name}-{hashlib.sha256(payload.encode()).hexdigest()[:16]}"


@functools.cache
def _code_fingerprint() -> str:
    """Hash of the package's source, so a code change never serves a stale prepared layer."""
    h = hashlib.sha256()
    for p in sorted(Path(__file__).resolve().parent.parent.rglob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()


@functools.cache
def _facts_fingerprint() -> str:
    """Hash of the project fact tables, so editing one invalidates the layers built on it."""
    from erbm_geo.data.facts import facts_dir

    h = hashlib.sha256()
    for p in sorted(facts_dir().rglob("*.csv")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


class Cache:
    """Every cache of erbm_geo: the process memory and the on-disk layer cache.

    Parameters
    ----------
    memory : Memory
        The process memory of memoised objects and geometry memos.

    Examples
    --------
    >>> from erbm_geo.data import CACHE
    >>> n = CACHE.memo("example_square", lambda: 7 * 7)
    >>> n, CACHE.memo("example_square", lambda: 0)  # built once per process
    (49, 49)
    >>> CACHE.clear()  # memory only; CACHE.clear(disk=True) also deletes the stored entries
    0
    >>> CACHE.memory.sizes()
    {'objects': 0, 'geometry_memos': 0}
    """

    def __init__(self, memory: Memory) -> None:
        self.memory = memory

    @property
    def directory(self) -> Path:
        """Return where prepared layers are stored: ``settings.cache_dir / "layers"``."""
        return Path(settings.cache_dir) / "layers"

    def clear(self, *, disk: bool = False) -> int:
        """Forget everything memoised in this process; with *disk*, delete the stored layers too.

        Only the entries this module writes are deleted: regular files named like an entry
        (``<name>-<16 hex digits>.arrow`` and its ``.json`` manifest) directly in
        :attr:`directory`. Symbolic links (even to entries), sub-folders and any other file are
        left alone, and a :attr:`directory` that is itself a symbolic link is not walked.

        Parameters
        ----------
        disk : bool, default False
            Also delete the entries stored on disk.

        Returns
        -------
        int
            The number of files deleted (0 without *disk*).
        """
        self.memory.clear()
        if not disk:
            return 0
        d = self.directory
        if d.is_symlink() or not d.is_dir():
            return 0
        n = 0
        with os.scandir(d) as it:
            for e in it:
                if _ENTRY.fullmatch(e.name) and e.is_file(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(e.path)
                        n += 1
        return n

    def memo(
        self,
        name: str,
        build: Callable[[], Any],
        *,
        sources: Iterable[str] = (),
        params: dict[str, Any] | None = None,
    ) -> Any:
        """Return an object derived from datasets (a union, a lookup table), built once per process.

        Keyed like the layers: by *name*, the checksums of *sources*, the code, the fact tables
        and *params*. Callers must treat the result as read-only.
        """
        return self.memory.get(("memo", _key(name, sources, params or {})), build)

    def layer(
        self,
        name: str,
        sources: Iterable[str],
        build: Callable[[], gpd.GeoDataFrame],
        params: dict[str, Any] | None = None,
    ) -> gpd.GeoDataFrame:
        """Return the prepared layer *name* (a copy), from memory, from a verified disk entry or built.

        An entry found on disk is used only if its manifest and keyed digest verify (see the
        module docstring); otherwise it is rebuilt, with a :class:`~erbm_geo.errors.CacheWarning`.
        ``GeoDataFrame.attrs`` (e.g. repair reports) are kept in the manifest.
        """
        sources = tuple(sources)
        key = _key(name, sources, params or {})
        held = self.memory.get(("layer", key), lambda: _load_or_build(name, key, sources, build))
        return held.copy()  # never the held object: a caller's edit cannot reach other callers

    def table(
        self,
        name: str,
        sources: Iterable[str],
        build: Callable[[], gpd.GeoDataFrame],
        params: dict[str, Any] | None = None,
    ) -> gpd.GeoDataFrame:
        """Return the computed table *name* (a copy), stored like a layer, its warnings said on every call.

        The warnings of erbm_geo that *build* emits (data-quality notes, missing layers) are
        recorded with the table — in its manifest, under the keyed digest — and emitted again,
        the same class, message and ``columns``, each time the table is returned, from memory or
        from disk, as a fresh computation would. :class:`~erbm_geo.errors.CacheWarning` (about
        an entry read while building) and other libraries' warnings pass through once, unrecorded.

        The table is stored on disk only if *build* read no dataset outside *sources* (see
        :mod:`erbm_geo.data.reads`): a key that did not name all of them could serve a stale
        table. Errors of *build* propagate unchanged.
        """
        sources = tuple(sources)
        key = _key(name, sources, params or {})
        held, said = self.memory.get(("table", key), lambda: _load_or_compute(key, sources, build))
        for w in said:
            warn(_warning(w))
        return held.copy()


#: The one cache of erbm_geo.
CACHE = Cache(MEMORY)


def clear_memory() -> None:
    """Forget everything memoised in this process (the on-disk cache is kept): ``CACHE.clear()``.

    Examples
    --------
    >>> _ = memo("exemple", lambda: 1)
    >>> clear_memory()
    >>> memo("exemple", lambda: 2)
    2
    >>> clear_memory()
    """
    CACHE.clear()


def memo(
    name: str, build: Callable[[], Any], *, sources: Iterable[str] = (), params: dict[str, Any] | None = None
) -> Any:
    """Return :meth:`Cache.memo` of :data:`CACHE`.

    Parameters
    ----------
    name : str
        The value's name.
    build : callable
        Builds it on a miss.
    sources : iterable of str, default ()
        The catalogue datasets it is built from.
    params : dict, optional
        Options that change it (part of the key).

    Returns
    -------
    object
        The value, built once per process.

    Examples
    --------
    >>> memo("exemple_carre", lambda: 7 * 7), memo("exemple_carre", lambda: 0)
    (49, 49)
    >>> clear_memory()
    """
    return CACHE.memo(name, build, sources=sources, params=params)


def cached_layer(
    name: str,
    sources: Iterable[str],
    build: Callable[[], gpd.GeoDataFrame],
    params: dict[str, Any] | None = None,
) -> gpd.GeoDataFrame:
    """Return :meth:`Cache.layer` of :data:`CACHE`: the prepared layer *name*, built on a cache miss.

    Parameters
    ----------
    name : str
        The layer's cache name.
    sources : iterable of str
        The catalogue datasets it is built from (their checksums key the entry).
    build : callable
        Builds the layer on a miss.
    params : dict, optional
        Options that change the layer (part of the key).

    Returns
    -------
    geopandas.GeoDataFrame
        The layer, from memory, from a verified disk entry, or built.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> a = cached_layer("exemple_communes", [], example_communes)
    >>> b = cached_layer("exemple_communes", [], lambda: 1 / 0)  # not built again
    >>> len(b)
    12
    >>> clear_memory()
    """
    return CACHE.layer(name, sources, build, params)


def cached_table(
    name: str,
    sources: Iterable[str],
    build: Callable[[], gpd.GeoDataFrame],
    params: dict[str, Any] | None = None,
) -> gpd.GeoDataFrame:
    """Return :meth:`Cache.table` of :data:`CACHE`: a computed table, stored, its warnings said again.

    Parameters
    ----------
    name : str
        The table's cache name.
    sources : iterable of str
        Every catalogue dataset it is computed from (their checksums key the entry; a table
        that reads another one is not stored).
    build : callable
        Computes the table on a miss.
    params : dict, optional
        Options that change the table (part of the key).

    Returns
    -------
    geopandas.GeoDataFrame
        The table, from memory, from a verified disk entry, or computed.

    Examples
    --------
    >>> import warnings
    >>> from erbm_geo.errors import DataQualityWarning
    >>> from erbm_geo.examples import example_communes
    >>> def compute():
    ...     warnings.warn(DataQualityWarning("2 communes sans mairie", columns=("centre_distance_m",)))
    ...     return example_communes()
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     a = cached_table("exemple_table", [], compute)
    ...     b = cached_table("exemple_table", [], lambda: 1 / 0)  # not computed again…
    >>> [(str(w.message), w.message.columns) for w in said]  # …but its warning said each time
    [('2 communes sans mairie', ('centre_distance_m',)), ('2 communes sans mairie', ('centre_distance_m',))]
    >>> len(b)
    12
    >>> clear_memory()
    """
    return CACHE.table(name, sources, build, params)


def _load_or_build(
    name: str, key: str, sources: tuple[str, ...], build: Callable[[], gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    path = CACHE.directory / f"{key}{_SUFFIX}"
    gdf: gpd.GeoDataFrame | None = None
    if settings.use_cache and (os.path.lexists(path) or os.path.lexists(path.with_suffix(".json"))):
        try:
            gdf = _read_verified(path, key)
        except _Untrusted as exc:
            warn(f"cache entry {path.name} not used ({exc}); rebuilt from the sources", CacheWarning)
    if gdf is None:
        try:
            gdf = build()
        except (KeyError, TypeError, IndexError, AttributeError, ValueError) as exc:
            from erbm_geo.errors import DataFormatError, ErbmGeoError

            if isinstance(exc, ErbmGeoError):
                raise
            raise DataFormatError(
                f"layer {name!r}: its source data ({', '.join(sorted(sources))}) do not have the "
                f"expected structure ({type(exc).__name__}: {exc}). The file may be damaged or of "
                "another format version: run `erbm-geo data verify`."
            ) from exc
        if settings.use_cache:
            _write(gdf, path)
    return gdf


def _load_or_compute(
    key: str, sources: tuple[str, ...], build: Callable[[], gpd.GeoDataFrame]
) -> tuple[gpd.GeoDataFrame, tuple[dict[str, Any], ...]]:
    """Return a computed table and the warnings its computation said (read back or computed)."""
    path = CACHE.directory / f"{key}{_SUFFIX}"
    if settings.use_cache and (os.path.lexists(path) or os.path.lexists(path.with_suffix(".json"))):
        try:
            gdf = _read_verified(path, key)
            said = gdf.attrs.pop(_SAID, None)
            if not isinstance(said, list):
                raise _Untrusted("it holds no list of the warnings of its computation")
            for w in said:
                _warning(w)  # each one must rebuild, or the entry is not used
            return gdf, tuple(said)
        except _Untrusted as exc:
            warn(f"cache entry {path.name} not used ({exc}); computed again", CacheWarning)
    with recording() as seen, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gdf = build()
    said_list: list[dict[str, Any]] = []
    for m in caught:
        if isinstance(m.message, ErbmGeoWarning) and not isinstance(m.message, CacheWarning):
            said_list.append(_said(m.message))
        else:  # not ours to replay: said once, now
            warnings.warn_explicit(m.message, m.category, m.filename, m.lineno, source=m.source)
    if settings.use_cache and seen <= set(sources) and _SAID not in gdf.attrs:
        stored = gdf.copy()
        stored.attrs[_SAID] = said_list
        _write(stored, path)
    return gdf, tuple(said_list)


#: The ``attrs`` key under which a stored table keeps its warnings (in its manifest, never handed out).
_SAID = "_erbm_geo_warnings"


def _said(w: ErbmGeoWarning) -> dict[str, Any]:
    """Return warning *w* as JSON: its class name, message and the columns it concerns."""
    return {
        "category": type(w).__name__,
        "message": str(w),
        "columns": [str(c) for c in getattr(w, "columns", ())],
    }


def _warning(d: Any) -> ErbmGeoWarning:
    """Return the warning recorded as *d* by :func:`_said`; raise :class:`_Untrusted` if it is not one."""
    from erbm_geo import errors

    try:
        cls = getattr(errors, d["category"])
        message, columns = d["message"], tuple(d["columns"])
    except (TypeError, KeyError, AttributeError):
        raise _Untrusted("a recorded warning is not one erbm_geo wrote") from None
    if not (isinstance(cls, type) and issubclass(cls, ErbmGeoWarning)) or not isinstance(message, str):
        raise _Untrusted("a recorded warning is not one erbm_geo wrote")
    if issubclass(cls, DataQualityWarning):
        return cls(message, columns=tuple(str(c) for c in columns))
    return cls(message)


class _Untrusted(Exception):
    """A cache entry failed verification (the message says how)."""


def cache_secret_path() -> Path:
    """Return where the user's cache key lives.

    ``ERBM_GEO_CACHE_SECRET`` (a file path), else ``$XDG_CONFIG_HOME/erbm_geo/cache.key``
    (``~/.config/erbm_geo/cache.key``).

    It is kept outside the cache directory on purpose: whoever can write into the cache but not
    read this file cannot make an entry that verifies. Users who share a cache directory share
    entries only if they share this file.

    Returns
    -------
    pathlib.Path
        The key file (created on first use, readable by its owner only).

    Examples
    --------
    >>> import os
    >>> os.environ["ERBM_GEO_CACHE_SECRET"] = "/tmp/ma-cle"
    >>> cache_secret_path()
    PosixPath('/tmp/ma-cle')
    >>> del os.environ["ERBM_GEO_CACHE_SECRET"]
    """
    env = os.environ.get("ERBM_GEO_CACHE_SECRET")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return (Path(xdg) if xdg else Path.home() / ".config") / "erbm_geo" / "cache.key"


@functools.cache
def _secret() -> bytes:
    """Return the user's cache key, created on first use (mode 0600).

    A key for this process only when the file cannot be read or created (the cache then only
    serves this process).
    """
    path = cache_secret_path()
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    key = secrets.token_hex(32).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
    except FileExistsError:  # created meanwhile by another process: use theirs
        with contextlib.suppress(OSError):
            data = path.read_bytes()
            if len(data) >= 32:
                return data
    except OSError:
        pass
    return key


def _schema(gdf: gpd.GeoDataFrame) -> dict[str, Any]:
    return {
        "rows": len(gdf),
        "columns": [str(c) for c in gdf.columns],
        "dtypes": [str(t) for t in gdf.dtypes],
        "index": [str(gdf.index.name), str(gdf.index.dtype)],
        "geometry": gdf.geometry.name,
        "crs": gdf.crs.to_string() if gdf.crs is not None else None,
    }


def _read_regular(path: Path, limit: int) -> bytes:
    """Read *path* if it is a regular file (not a link, a FIFO or a device) of at most *limit* bytes.

    Raises :class:`_Untrusted` otherwise: a FIFO would block the reader forever, a link to
    ``/dev/zero`` or a huge file would exhaust memory.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise _Untrusted(f"{path.name} is missing") from None
    except OSError as exc:  # ELOOP: a symbolic link
        raise _Untrusted(f"{path.name} cannot be opened as a regular file ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise _Untrusted(f"{path.name} is not a regular file")
        if st.st_size > limit:
            raise _Untrusted(f"{path.name} is larger ({st.st_size} bytes) than any entry erbm_geo writes")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise _Untrusted(f"{path.name} grew past {limit} bytes while read")
    return data


def _digest(data: bytes, manifest: dict[str, Any]) -> str:
    body = json.dumps(
        {k: v for k, v in manifest.items() if k != "digest"}, sort_keys=True, default=str
    ).encode()
    mac = hmac.new(_secret(), data, hashlib.sha256)
    mac.update(b"\0manifest\0" + body)
    return mac.hexdigest()


def _read_verified(path: Path, key: str) -> gpd.GeoDataFrame:
    """Read the entry at *path* (of cache key *key*) or raise :class:`_Untrusted` saying why not.

    The key is part of the digest: an entry copied, with its manifest, over another key's files
    (another territory, another vintage) does not verify.
    """
    mpath = path.with_suffix(".json")
    try:
        manifest = json.loads(_read_regular(mpath, _MAX_MANIFEST).decode("utf-8"))
        data = _read_regular(path, MAX_ENTRY_BYTES)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _Untrusted(f"unreadable: {exc}") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("digest"), str):
        raise _Untrusted("its manifest is not one erbm_geo wrote")
    if manifest.get("key") != key:
        raise _Untrusted("it was written for another cache key (copied from another entry)")
    if not hmac.compare_digest(manifest["digest"], _digest(data, manifest)):
        raise _Untrusted(
            "its content does not match the digest recorded when it was written: "
            "damaged, edited, or written by someone else"
        )
    try:
        gdf = gpd.read_feather(io.BytesIO(data))  # the very bytes that were verified
    except Exception as exc:
        raise _Untrusted(f"unreadable Arrow file: {type(exc).__name__}") from None
    got = _schema(gdf)
    if got != manifest.get("schema"):
        diff = sorted(k for k in got if got[k] != manifest.get("schema", {}).get(k))
        raise _Untrusted(f"its schema differs from the one recorded ({', '.join(diff)})")
    gdf.attrs.update(manifest.get("attrs") or {})
    return gdf


def _write(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Store a prepared layer and its manifest atomically; an unwritable cache only costs speed."""
    with contextlib.suppress(OSError):
        buf = io.BytesIO()
        gdf.to_feather(buf, compression="uncompressed")
        data = buf.getvalue()
        manifest: dict[str, Any] = {
            "format": _CACHE_VERSION,
            "key": path.stem,
            "schema": _schema(gdf),
            "attrs": json.loads(json.dumps(gdf.attrs, default=str)),
        }
        manifest["digest"] = _digest(data, manifest)
        write_atomic(path, lambda p: p.write_bytes(data))
        write_text_atomic(path.with_suffix(".json"), json.dumps(manifest, sort_keys=True))
