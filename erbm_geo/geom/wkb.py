"""Bounds on WKB before it is parsed: a crafted geometry must not crash the process.

GEOS parses nested collections recursively: a ``GeometryCollection`` nested thousands deep (a few
kilobytes of WKB in a partner GeoParquet file) overflows the C stack and kills the Python process
(exit 139) inside ``shapely.from_wkb``, where no exception can be caught. :func:`check_wkb`
walks the WKB structure *iteratively* (no recursion, no parsing of coordinates) and refuses a
geometry nested deeper than :data:`MAX_DEPTH` or structurally broken, before GEOS sees it.

Only collections can nest, so the scan is vectorised on the top-level type: points, lines and
polygons (nearly every feature of a real layer) are never walked in Python.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

import numpy as np

from erbm_geo.errors import NestingError

__all__ = ["MAX_DEPTH", "check_wkb"]

#: Deepest nesting accepted: a multi-part geometry is depth 2, a collection of them 3. GDAL
#: refuses more than 32 levels when it reads WKB; real layers never come close.
MAX_DEPTH = 32

_COLLECTIONS = {4, 5, 6, 7}
_SIMPLE = {1, 2, 3}


def _kind(code: int) -> tuple[int, int, bool]:
    """Return (base type, coordinate dimensions, has SRID) of a WKB type code (ISO and EWKB)."""
    srid = bool(code & 0x20000000)
    z = bool(code & 0x80000000)
    m = bool(code & 0x40000000)
    code &= 0x0FFFFFFF
    base, iso = code % 1000, code // 1000
    z = z or iso in (1, 3)
    m = m or iso in (2, 3)
    return base, 2 + z + m, srid


class _Broken(Exception):
    pass


def _skip_simple(blob: bytes, pos: int, base: int, dims: int, order: str) -> int:
    """Return the position after the coordinates of a point, line or polygon starting at *pos*."""
    if base == 1:
        return pos + 8 * dims
    if base == 2:
        k: int = struct.unpack_from(order + "I", blob, pos)[0]
        return pos + 4 + 8 * dims * k
    (rings,) = struct.unpack_from(order + "I", blob, pos)
    pos += 4
    for _ in range(rings):
        (k,) = struct.unpack_from(order + "I", blob, pos)
        pos += 4 + 8 * dims * k
    return pos


def _header(blob: bytes, pos: int) -> tuple[str, int, int, int]:
    """Return (byte order, base type, dimensions, position after the header) at *pos*."""
    if pos + 5 > len(blob):
        raise _Broken("truncated header")
    order = "<" if blob[pos] == 1 else ">" if blob[pos] == 0 else ""
    if not order:
        raise _Broken(f"byte order {blob[pos]} at byte {pos}")
    base, dims, srid = _kind(struct.unpack_from(order + "I", blob, pos + 1)[0])
    return order, base, dims, pos + 5 + 4 * srid


def _walk(blob: bytes) -> int:
    """Return the nesting depth of one WKB geometry, walking it with an explicit stack."""
    pos, depth, n = 0, 0, len(blob)
    stack: list[tuple[int, int]] = []  # (children left, level) of the enclosing collections
    pending, level = 1, 1
    while True:
        while pending == 0:
            if not stack:
                if pos != n:
                    raise _Broken(f"{n - pos} bytes after the geometry")
                return depth
            pending, level = stack.pop()
        pending -= 1
        order, base, dims, pos = _header(blob, pos)
        depth = max(depth, level)
        if depth > MAX_DEPTH:
            return depth
        if base in _SIMPLE:
            pos = _skip_simple(blob, pos, base, dims, order)
        elif base in _COLLECTIONS:
            (k,) = struct.unpack_from(order + "I", blob, pos)
            pos += 4
            if k > n:  # each child needs at least one byte
                raise _Broken(f"{k} parts announced in {n} bytes")
            stack.append((pending, level))
            pending, level = k, level + 1
        else:
            raise _Broken(f"geometry type {base}")
        if pos > n:
            raise _Broken("truncated coordinates")


def _is_arrow_binary(blobs: object) -> bool:
    """Whether *blobs* is a pyarrow binary array (read as buffers, no Python object per blob)."""
    if not type(blobs).__module__.startswith("pyarrow"):
        return False
    import pyarrow as pa

    return isinstance(blobs, pa.Array) and (
        pa.types.is_binary(blobs.type) or pa.types.is_large_binary(blobs.type)
    )


def _heads(blobs: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """Return which rows hold a blob, and the first 5 bytes of each (zeros past a short blob's end)."""
    n = len(blobs)
    heads = np.zeros((n, 5), dtype=np.uint8)
    if _is_arrow_binary(blobs):  # offsets and data buffers: vectorised, whatever the layer's size
        import pyarrow as pa

        arr: Any = blobs
        validity, offsets, data = arr.buffers()
        wide = np.int64 if pa.types.is_large_binary(arr.type) else np.int32
        off = np.frombuffer(offsets, dtype=wide)[arr.offset : arr.offset + n + 1].astype(np.int64)
        raw = np.frombuffer(data, dtype=np.uint8)  # never None: pyarrow refuses such an array
        ok = ~arr.is_null().to_numpy(zero_copy_only=False) if validity is not None else np.ones(n, bool)
        at = off[:-1, None] + np.arange(5)  # the first 5 bytes' positions, kept where they exist
        has = ok[:, None] & (at < off[1:, None])
        heads[has] = raw[at[has]]
        return ok, heads
    arr = np.asarray(blobs, dtype=object)
    ok = np.fromiter((isinstance(b, bytes) for b in arr), dtype=bool, count=n)
    if ok.any():  # the first 5 bytes of each blob, in C (shorter blobs are padded with zeros)
        heads[ok] = np.asarray(arr[ok].astype("S5")).view(np.uint8).reshape(-1, 5)
    return ok, heads


def _blob(blobs: Sequence[object], i: int) -> bytes:
    """Return the blob of row *i* as bytes (a pyarrow array's scalar or a sequence's item)."""
    item: Any = blobs[i]
    return bytes(item.as_py()) if _is_arrow_binary(blobs) else bytes(item)


def _top_types(blobs: Sequence[object]) -> np.ndarray:
    """Return the base type of each WKB blob, vectorised: -1 where its first byte is no byte order.

    The type is the 4 bytes after the byte order (1: little-endian, 0: big-endian); EWKB's flags
    are its top 4 bits, ISO's dimensions its thousands. A missing blob's head is zeros: type 0.
    GEOS reads a blob whatever its first byte (2 is read as little-endian), so those are walked
    too — and refused.
    """
    _, heads = _heads(blobs)
    word = np.ascontiguousarray(heads[:, 1:])
    code = np.where(heads[:, 0] == 1, word.view("<u4")[:, 0], word.view(">u4")[:, 0]).astype(np.int64)
    return np.where(heads[:, 0] <= 1, (code & 0x0FFFFFFF) % 1000, -1)


def check_wkb(
    blobs: Sequence[object], *, name: str = "layer", labels: Sequence[object] | None = None
) -> None:
    """Raise :class:`NestingError` if a WKB geometry is nested too deep or broken, before parsing.

    Parameters
    ----------
    blobs : sequence of bytes or None, or pyarrow.BinaryArray
        WKB geometries (``None`` for a missing one); a pyarrow binary or large binary array (a
        GeoParquet column) is read from its buffers, without a Python object per geometry.
    name : str, default "layer"
        The layer's name in the message.
    labels : sequence, optional
        The rows' labels, for the message (default: positions).

    Raises
    ------
    NestingError
        If a geometry is nested deeper than :data:`MAX_DEPTH` levels or its structure is broken
        (the rows are named; GEOS would crash or misread them).

    Examples
    --------
    >>> import shapely
    >>> check_wkb([shapely.Point(1, 2).wkb, None])
    >>> deep = bytes([1]) + (7).to_bytes(4, "little") + (0).to_bytes(4, "little")
    >>> for _ in range(40):
    ...     deep = bytes([1]) + (7).to_bytes(4, "little") + (1).to_bytes(4, "little") + deep
    >>> check_wkb([deep], name="parcelles")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.NestingError: parcelles: 1 geometry(ies) are nested deeper than 32 levels ...
    """
    types = _top_types(blobs)
    deep: list[int] = []
    broken: list[tuple[int, str]] = []
    for i in np.flatnonzero(np.isin(types, [*_COLLECTIONS, -1])):  # no byte order: refused by the walk
        try:
            if _walk(_blob(blobs, int(i))) > MAX_DEPTH:
                deep.append(int(i))
        except _Broken as exc:
            broken.append((int(i), str(exc)))
        except struct.error:  # a count or a header read past the end
            broken.append((int(i), "truncated: a count runs past the end of the geometry"))
    label = (lambda i: labels[i]) if labels is not None else (lambda i: i)
    if deep:
        raise NestingError(
            f"{name}: {len(deep)} geometry(ies) are nested deeper than {MAX_DEPTH} levels (rows "
            f"{[label(i) for i in deep[:10]]}); no real layer does, and parsing them would crash the "
            "process. Fix: flatten them (e.g. with shapely.get_parts) in the tool that made the file"
        )
    if broken:
        raise NestingError(
            f"{name}: {len(broken)} geometry(ies) have a broken WKB structure (rows "
            f"{[label(i) for i, _ in broken[:10]]}: {broken[0][1]}). Fix: re-export the file"
        )
