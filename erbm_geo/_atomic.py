"""Atomic file writes (a leaf module): write to a temporary file beside the target, then rename.

An interrupted write never leaves a half-written file that looks complete, and the previous
version of the target stays intact until the new one is whole.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["write_atomic", "write_text_atomic"]


def write_atomic(path: str | Path, writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp)`` on a temporary path next to *path*, then rename it to *path*."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # some drivers refuse to overwrite an existing file
    try:
        writer(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 *text* to *path* atomically."""
    return write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))
