"""Per-process memory of work done on a geometry array: checks, validity, tree, vertices.

Indicators called one after another on the same layer (distance to centres, to stations, QPV
overlap…) would otherwise re-check and re-index the same geometries each time. An array is
recognised by the identity of the geometry objects it holds (the pointer bytes of the object
array, hashed): shapely geometries are immutable, and the memory keeps a reference to the array,
so the same pointers always mean the same geometries. Replacing a geometry in a GeoDataFrame
changes a pointer, hence the key. At most :data:`MAX_ENTRIES` arrays are remembered.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import shapely

__all__ = ["MAX_ENTRIES", "GeometryMemo", "clear", "memo_for"]

MAX_ENTRIES = 8


@dataclass
class GeometryMemo:
    """What is known about one geometry array."""

    geoms: np.ndarray
    basic_ok: bool = False  # not missing, not empty, finite coordinates
    valid: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    tree: shapely.STRtree | None = None
    first_vertex: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.valid = np.full(len(self.geoms), -1, dtype=np.int8)  # -1 unknown, 0 no, 1 yes

    def get_tree(self) -> shapely.STRtree:
        if self.tree is None:
            self.tree = shapely.STRtree(self.geoms)
        return self.tree

    def invalid_rows(self, rows: np.ndarray) -> np.ndarray:
        """Positions among *rows* whose geometry is invalid (validity computed once per row)."""
        rows = np.unique(rows)
        unknown = rows[self.valid[rows] < 0]
        if len(unknown):
            self.valid[unknown] = shapely.is_valid(self.geoms[unknown]).astype(np.int8)
        return rows[self.valid[rows] == 0]


_MEMOS: OrderedDict[tuple[int, bytes], GeometryMemo] = OrderedDict()


def memo_for(geoms: np.ndarray) -> GeometryMemo:
    """The memo of *geoms* (an object array of shapely geometries), created if needed."""
    arr = np.ascontiguousarray(np.asarray(geoms, dtype=object))
    key = (len(arr), hashlib.blake2b(arr.tobytes(), digest_size=16).digest())  # pointer bytes
    m = _MEMOS.get(key)
    if m is None:
        m = GeometryMemo(arr)
        _MEMOS[key] = m
        while len(_MEMOS) > MAX_ENTRIES:
            _MEMOS.popitem(last=False)
    else:
        _MEMOS.move_to_end(key)
    return m


def clear() -> None:
    """Forget every remembered array."""
    _MEMOS.clear()
