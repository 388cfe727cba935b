"""Atomic file writes (a leaf module): write in a private folder beside the target, then rename.

An interrupted write never leaves a half-written file that looks complete, and the previous
version of the target stays intact until the new one is whole.

The writer works in a private temporary folder ``.<name>.<host>-<pid>.<random>`` next to the
target, so that whatever a library creates beside the file it writes (GDAL's ``-journal`` and
``.tmp_rtree_*.db`` for a GeoPackage) stays inside it and goes with it. Bytes and text known in
advance go through a temporary file of that name instead (:func:`write_bytes_atomic`). A
process killed mid-write (``kill -9``) leaves that folder (or file) behind; the next write to the
same place removes the temporaries of processes of this host that no longer run (never those
of a live writer).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["clean_stale", "write_atomic", "write_bytes_atomic", "write_text_atomic"]

#: Temporaries of erbm_geo 0.1 (``.<name>.<random><suffix>`` files, GDAL's side files next to
#: them) carry no owner: they are removed once older than this (seconds).
LEGACY_STALE_AFTER = 3600.0


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname())[:40] or "host"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _remove(p: Path) -> None:
    with contextlib.suppress(OSError):
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        else:
            p.unlink()


def clean_stale(path: str | Path) -> list[Path]:
    """Remove the temporaries that interrupted writes of *path* left behind; return them.

    Only temporaries of dead processes of this host, and ownerless ones of erbm_geo 0.1 older
    than :data:`LEGACY_STALE_AFTER`, are removed.
    """
    path = Path(path)
    removed = []
    prefix = f".{path.name}."
    own = re.compile(re.escape(prefix) + r"(?P<host>[A-Za-z0-9_]+)-(?P<pid>\d+)\.")
    host, now = _host(), time.time()
    with contextlib.suppress(OSError):
        with os.scandir(path.parent) as it:  # one listing, compared as text (a glob per write cost more)
            found = [path.parent / e.name for e in it if e.name.startswith(prefix)]
        for p in found:
            m = own.match(p.name)
            if m:
                stale = m["host"] == host and not _alive(int(m["pid"]))
            else:
                with contextlib.suppress(OSError):
                    stale = now - p.lstat().st_mtime > LEGACY_STALE_AFTER
            if stale:
                _remove(p)
                removed.append(p)
    return removed


def _temporary_prefix(path: Path) -> str:
    """Return how this process's temporaries for *path* begin: ``.<name>.<host>-<pid>.``.

    :func:`clean_stale` reads the host and pid back to tell a dead writer's from a live one's.
    """
    return f".{path.name}.{_host()}-{os.getpid()}."


def glob_escape(name: str) -> str:
    """*name* with glob's special characters escaped."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def write_atomic(path: str | Path, writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp)`` on a path in a private folder next to *path*, then rename it to *path*.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to write.
    writer : callable
        Writes a file at the path it is given.

    Returns
    -------
    pathlib.Path
        *path*.

    Raises
    ------
    OSError
        If the file cannot be written or renamed (the message names *path*, not the temporary).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_atomic(out, lambda p: p.write_text("bonjour")).read_text()
    'bonjour'
    >>> sorted(q.name for q in out.parent.iterdir())
    ['a.txt']
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(path)
        work = Path(tempfile.mkdtemp(prefix=_temporary_prefix(path), dir=path.parent))
    except OSError as exc:  # name the file the caller asked for, not a temporary
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    try:
        tmp = work / path.name
        writer(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 *text* to *path* atomically.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to write.
    text : str
        Its content.

    Returns
    -------
    pathlib.Path
        *path*.

    Raises
    ------
    OSError
        If the file cannot be written or renamed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "page.html"
    >>> write_text_atomic(out, "<p>Lens</p>").read_text(encoding="utf-8")
    '<p>Lens</p>'
    """
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write *data* to *path* atomically, through a temporary file beside it (no folder).

    The temporary is named like the folders of :func:`write_atomic`
    (``.<name>.<host>-<pid>.<random>``, so :func:`clean_stale` knows whose it is) and created
    with the permissions a plain write gives (the umask applies). Cheaper than
    :func:`write_atomic` when nothing else is written beside the file: the atlas writes some 550
    pages and scripts.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to write.
    data : bytes
        Its content.

    Returns
    -------
    pathlib.Path
        *path*.

    Raises
    ------
    OSError
        If the file cannot be written or renamed (the message names *path*, not the temporary).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "carte.js"
    >>> write_bytes_atomic(out, b"var a = 1;").read_bytes()
    b'var a = 1;'
    >>> sorted(q.name for q in out.parent.iterdir())
    ['carte.js']
    """
    path = Path(path)
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(path)
        for _ in range(100):
            tmp = path.parent / f"{_temporary_prefix(path)}{secrets.token_hex(6)}"
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # never an existing path
                break
            except FileExistsError:
                continue
        else:
            raise FileExistsError(17, "no free temporary name", str(path))
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:  # name the file the caller asked for, not a temporary
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return path
