"""Output folders the library may replace (a leaf module): only those it wrote itself.

A folder of partitioned files is replaced whole when it is written again. Before anything is
moved or deleted, :func:`claim_folder` checks that the target is safe to replace:

* it does not exist, or is an empty folder, or is a folder that erbm_geo wrote before for the
  same kind of output (it holds the marker file :data:`MARKER` naming that kind) and holds
  nothing but what erbm_geo writes there;
* it is not a symbolic link, and it is neither inside, equal to nor around a protected path
  (the data mirror, the cache, the input being read).

Anything else is refused with :class:`~erbm_geo.errors.OutputPathError` naming the problem and
the fix: the library never deletes what it did not write.
"""

from __future__ import annotations

import json
import os
import re
import weakref
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from erbm_geo.errors import OutputPathError

__all__ = ["MARKER", "claim_folder", "inputs_read", "mark_folder", "note_input", "read_marker"]

#: The file erbm_geo writes inside every output folder it may replace later.
MARKER = "_erbm_geo.json"

_INPUTS: Counter[Path] = Counter()


def _forget(path: Path) -> None:
    _INPUTS[path] -= 1
    if _INPUTS[path] <= 0:
        del _INPUTS[path]


def note_input(path: Path, reader: object) -> None:
    """Remember that *reader* (a lazy layer) reads from *path*: while it lives, no output may replace it."""
    p = _resolved(path)
    _INPUTS[p] += 1
    weakref.finalize(reader, _forget, p)


def inputs_read() -> list[tuple[str, Path | None]]:
    """Return the inputs lazy layers of this process read, as ``protect`` entries of :func:`claim_folder`."""
    return [("an input a lazy layer of this process reads", p) for p in sorted(_INPUTS)]


def _resolved(p: Path) -> Path:
    try:
        return p.expanduser().resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare the absolute spelling
        return Path(os.path.abspath(p.expanduser()))


def _related(a: Path, b: Path) -> str | None:
    """Say how *a* relates to *b* (equal, inside, contains), or None."""
    if a == b:
        return "is"
    if b in a.parents:
        return "is inside"
    if a in b.parents:
        return "contains"
    return None


def read_marker(folder: Path) -> dict[str, object] | None:
    """Return the marker erbm_geo wrote in *folder*, or None (absent, foreign or unreadable)."""
    m = folder / MARKER
    try:
        if m.is_symlink() or not m.is_file() or m.stat().st_size > 1 << 20:
            return None
        data = json.loads(m.read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("writer") == "erbm_geo" else None


def claim_folder(
    target: Path,
    *,
    kind: str,
    allowed: re.Pattern[str],
    protect: Iterable[tuple[str, Path | None]] = (),
) -> None:
    """Check that the folder *target* may be (re)written by erbm_geo; raise otherwise.

    Parameters
    ----------
    target : pathlib.Path
        The output folder.
    kind : str
        The kind of output (recorded in the marker): a folder of another kind is refused.
    allowed : re.Pattern
        Names of the entries erbm_geo writes in such a folder (besides :data:`MARKER`).
    protect : iterable of (str, pathlib.Path or None)
        Paths the output must not be, be inside of, nor contain, with their description.

    Raises
    ------
    OutputPathError
        If writing there could delete or overwrite what erbm_geo did not write.
    """
    t = _resolved(target)
    for what, path in protect:
        if path is None:
            continue
        how = _related(t, _resolved(path))
        if how is not None:
            raise OutputPathError(
                f"the output folder {target} {how} {what} ({path}); writing there would replace "
                "it. Fix: choose an output folder elsewhere"
            )
    if target.is_symlink():
        raise OutputPathError(
            f"the output folder {target} is a symbolic link; erbm_geo replaces output folders "
            "whole and does not follow links. Fix: give the real folder, or a new one"
        )
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputPathError(
            f"the output {target} exists and is not a folder; it is left as it is. Fix: choose a "
            "new folder name"
        )
    entries = sorted(p.name for p in target.iterdir())
    if not entries:
        return
    marker = read_marker(target)
    if marker is None:
        raise OutputPathError(
            f"the output folder {target} is not empty ({len(entries)} entries, e.g. "
            f"{entries[0]!r}) and was not written by erbm_geo (no {MARKER}); it would be "
            "replaced whole. Fix: choose a new or empty folder"
        )
    if marker.get("kind") != kind:
        raise OutputPathError(
            f"the output folder {target} holds another kind of erbm_geo output "
            f"({marker.get('kind')!r}, not {kind!r}). Fix: choose a new or empty folder"
        )
    foreign = [e for e in entries if e != MARKER and not allowed.fullmatch(e)]
    if foreign:
        raise OutputPathError(
            f"the output folder {target} was written by erbm_geo but now also holds "
            f"{len(foreign)} entries it did not write (e.g. {foreign[0]!r}); they would be "
            "deleted. Fix: move them out, or choose a new folder"
        )


def mark_folder(folder: Path, *, kind: str, extra: dict[str, object] | None = None) -> None:
    """Write the marker that lets erbm_geo replace *folder* later."""
    from erbm_geo._version import __version__

    body = {"writer": "erbm_geo", "kind": kind, "version": __version__, **(extra or {})}
    (folder / MARKER).write_text(json.dumps(body, sort_keys=True), encoding="utf-8")
