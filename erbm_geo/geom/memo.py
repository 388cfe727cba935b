"""What is known about a geometry array, remembered for the process.

Checks, validity, spatial index, vertices and derived structures (segments, Voronoi diagram, dissolved
parts…).

Indicators called one after another on the same layer (distance to centres, to stations, QPV
overlap…) would otherwise re-check and re-index the same geometries each time; a caller's own
target layer passed to several calls is indexed once. An array is recognised by the identity of
the geometry objects it holds (the pointer bytes of the object array, hashed). Identity alone
would not be safe: a geometry replaced in place (``gdf.loc[i, "geometry"] = …``) is freed, and a
new geometry may be allocated at its address, giving the same pointers for other content. So
each memo holds its *own copy* of the array: the geometries it describes stay alive as long as
the memo does, their addresses cannot be reused, and the same pointers do mean the same
(immutable) geometries. Replacing a geometry changes a pointer, hence the key. The memos live in
:data:`erbm_geo._memory.MEMORY`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import numpy as np
import shapely

from erbm_geo._memory import MEMORY
from erbm_geo.geom.threads import chunked

__all__ = ["GeometryMemo", "memo_for", "present"]

T = TypeVar("T")


@dataclass
class GeometryMemo:
    """What is known about one geometry array.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        The array this memo belongs to.
    basic_ok : bool, default False
        The basic checks passed (present, non-empty, finite).
    valid : numpy.ndarray
        Per geometry: validity, once tested (-1 untested, 0 invalid, 1 valid).
    derived : dict
        Values derived from the array (trees, masks, unions), by key.

    Examples
    --------
    >>> import shapely
    >>> geoms = np.array([shapely.box(0, 0, 1, 1)])
    >>> m = memo_for(geoms)
    >>> m.get("area", lambda: float(shapely.area(geoms).sum())), m.get("area", lambda: 0.0)
    (1.0, 1.0)
    """

    geoms: np.ndarray
    basic_ok: bool = False  # not missing, not empty, finite coordinates
    valid: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    derived: dict[Hashable, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Start with every validity unknown."""
        self.valid = np.full(len(self.geoms), -1, dtype=np.int8)  # -1 unknown, 0 no, 1 yes

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """Return a structure derived from these geometries (built once per array)."""
        if key not in self.derived:  # a memo is one thread's (partitions copy their targets)
            self.derived[key] = build()
        return cast("T", self.derived[key])

    def get_tree(self) -> shapely.STRtree:
        """Return the STRtree of the array."""
        return self.get("tree", lambda: shapely.STRtree(self.geoms))

    def learn_from(self, other: GeometryMemo) -> int:
        """Take what *other* knows that this memo's thread may use: *other* describes equal geometries.

        A partition's thread works on its own copy of each target
        (:func:`~erbm_geo.geom.partitioned.own_copy`: GEOS prepares geometries in place, so
        threads cannot share them); what was learnt about the
        original — by the metadata run, before the threads start — need not be learnt again by each
        copy. Taken: the basic checks, the validity known, and derived values that are plain data
        (numbers, masks, bounds, read-only here) or geometry arrays (given as new objects, so that
        no geometry is shared). Left to be built again: anything holding geometries otherwise (trees,
        Voronoi diagrams, segment trees).

        Parameters
        ----------
        other : GeometryMemo
            The memo of an array of the same geometries, in the same order (other objects).

        Returns
        -------
        int
            How many derived values were taken.

        Examples
        --------
        >>> import shapely
        >>> a = np.array([shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)])
        >>> first = GeometryMemo(a)
        >>> _ = first.get("area", lambda: shapely.area(a)), first.get_tree()
        >>> copy = GeometryMemo(shapely.from_wkb(shapely.to_wkb(a)))
        >>> copy.learn_from(first), sorted(copy.derived)
        (1, ['area'])
        """
        if len(other.geoms) != len(self.geoms):
            return 0
        try:  # another thread could add to the original's memo meanwhile: then nothing is taken
            items = list(other.derived.items())
        except RuntimeError:
            return 0
        self.basic_ok = self.basic_ok or other.basic_ok
        known = other.valid >= 0
        self.valid[known] = other.valid[known]
        taken = 0
        for key, value in items:
            mine = _for_another_thread(value)
            if mine is not None and key not in self.derived:
                self.derived[key] = mine
                taken += 1
        return taken

    def invalid_rows(self, rows: np.ndarray) -> np.ndarray:
        """Positions among *rows* whose geometry is invalid (validity computed once per row)."""
        rows = present(rows, len(self.geoms))
        unknown = rows[self.valid[rows] < 0]
        if len(unknown):
            g = self.geoms[unknown]  # on several threads when they are many (GEOS releases the GIL)
            self.valid[unknown] = chunked(shapely.is_valid, g, cost=shapely.get_num_coordinates(g)).astype(
                np.int8
            )
        return cast("np.ndarray", rows[self.valid[rows] == 0])


_PLAIN = (bool, int, float, str, bytes, np.generic, type(None))


def _for_another_thread(value: Any) -> Any:
    """Return *value* as another thread may hold it (read-only data, new geometries), or None."""
    if isinstance(value, np.ndarray) and value.dtype != object:
        shared = value.view()
        shared.flags.writeable = False  # an in-place change would reach the other threads: refused
        return shared
    if isinstance(value, np.ndarray) and len(value) and shapely.is_geometry(value).all():
        return shapely.from_wkb(shapely.to_wkb(value))  # the same geometries, objects of its own
    if isinstance(value, _PLAIN) or (isinstance(value, tuple) and all(isinstance(v, _PLAIN) for v in value)):
        return value
    return None


def present(positions: np.ndarray, n: int) -> np.ndarray:
    """Return the distinct values of *positions* (integers in ``0…n-1``), sorted.

    What ``np.unique`` gives, by counting instead of hashing or sorting: a million pair
    positions take 5 ms instead of 0.25 s.

    Parameters
    ----------
    positions : numpy.ndarray of int
        Positions in an array of *n* elements (pairs' sources or targets).
    n : int
        The array's length.

    Returns
    -------
    numpy.ndarray of int
        The positions present, sorted.

    Examples
    --------
    >>> present(np.array([3, 1, 3, 0]), 5).tolist()
    [0, 1, 3]
    """
    return np.flatnonzero(np.bincount(np.asarray(positions, dtype=np.int64), minlength=n))


def memo_for(geoms: np.ndarray) -> GeometryMemo:
    """Return the memo of *geoms* (an object array of shapely geometries), created if needed.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        A geometry array.

    Returns
    -------
    GeometryMemo
        The same memo for as long as the array lives.

    Examples
    --------
    >>> import shapely
    >>> geoms = np.array([shapely.Point(0, 0)])
    >>> memo_for(geoms) is memo_for(geoms)
    True
    """
    arr = np.ascontiguousarray(np.asarray(geoms, dtype=object))
    key = ("geoms", len(arr), hashlib.blake2b(arr.tobytes(), digest_size=16).digest())
    # the memo's own copy keeps these very objects alive: their addresses cannot be reused
    return MEMORY.geometry(key, lambda: GeometryMemo(arr.copy()))
