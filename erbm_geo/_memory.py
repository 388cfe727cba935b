"""The process memory: every object erbm_geo keeps between calls in a process, in one place.

It has two regions, both emptied by one :meth:`Memory.clear`:

* **objects**, keyed by content: prepared layers (keyed by the checksums of their sources, the
  code and the parameters), lookup tables and unions built from them;
* **geometry memos** (:mod:`erbm_geo.geom.memo`), keyed by the identity of the immutable shapely
  geometries an array holds: what is known about that array (checks, validity, spatial index,
  segments, Voronoi diagram, dissolved parts). At most :attr:`Memory.max_geometry_entries`
  arrays are remembered (least recently used first out).

This module is a leaf: the geometry core uses it without knowing about data files; the data cache
(:data:`erbm_geo.data.cache.CACHE`) owns it together with the on-disk layer cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar, cast

__all__ = ["MEMORY", "Memory"]

T = TypeVar("T")


class Memory:
    """Objects and geometry memos kept for the life of the process (see the module docstring)."""

    def __init__(self, *, max_geometry_entries: int = 64) -> None:
        self.max_geometry_entries = max_geometry_entries
        self._objects: dict[Hashable, Any] = {}
        self._geoms: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.RLock()  # threads of a dask scheduler share the process's memory

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """Return the object stored under *key*, built by *build* on the first call.

        *key* must identify the content (e.g. include the checksums of the sources it is built
        from). Callers must treat the result as read-only, or copy it.
        """
        try:
            return cast("T", self._objects[key])
        except KeyError:
            pass
        with self._lock:
            if key not in self._objects:
                self._objects[key] = build()
            return cast("T", self._objects[key])

    def __contains__(self, key: Hashable) -> bool:
        return key in self._objects

    def geometry(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return the geometry memo stored under *key* (made if needed), least recently used evicted."""
        with self._lock:
            m = self._geoms.get(key)
            if m is None:
                m = make()
                self._geoms[key] = m
                while len(self._geoms) > self.max_geometry_entries:
                    self._geoms.popitem(last=False)
            else:
                self._geoms.move_to_end(key)
            return m

    def geometry_keys(self) -> list[Hashable]:
        """Return the keys of the geometry memos held, least recently used first."""
        with self._lock:
            return list(self._geoms)

    def forget_geometries(self, keys: Iterable[Hashable], *, keep: Callable[[Any], bool]) -> int:
        """Forget the geometry memos under *keys* for which *keep* is false; return how many."""
        n = 0
        with self._lock:
            for k in keys:
                m = self._geoms.get(k)
                if m is not None and not keep(m):
                    del self._geoms[k]
                    n += 1
        return n

    def clear(self) -> None:
        """Forget every object and every geometry memo."""
        self._objects.clear()
        self._geoms.clear()

    def sizes(self) -> dict[str, int]:
        """Return how many objects and geometry memos are held (for tests and diagnostics)."""
        return {"objects": len(self._objects), "geometry_memos": len(self._geoms)}


#: The one process memory of erbm_geo.
MEMORY = Memory()
