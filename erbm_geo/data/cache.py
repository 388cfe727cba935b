"""Cache of prepared layers: GeoParquet files keyed by the checksums of their sources.

A prepared layer (e.g. the basin communes, dissolved and joined) is written once to
``settings.cache_dir/layers/<name>-<key>.parquet``. The key hashes the sha256 of every source
dataset, the library version and the call parameters, so a change of source vintage or of code
invalidates the entry. Within a process, layers are also memoised (a copy is returned each time).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd

from erbm_geo import _geomcache, settings
from erbm_geo._atomic import write_atomic, write_text_atomic
from erbm_geo.data.catalogue import get

__all__ = ["cached_layer", "clear_memory", "memo"]

_MEMORY: dict[str, gpd.GeoDataFrame] = {}
_CACHE_VERSION = "3"


def _key(name: str, sources: Iterable[str], params: dict[str, Any]) -> str:
    from erbm_geo import __version__

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


def clear_memory() -> None:
    """Forget the layers and objects memoised in this process (the on-disk cache is kept)."""
    _MEMORY.clear()
    _OBJECTS.clear()
    _geomcache.clear()


_OBJECTS: dict[str, Any] = {}


def memo(key: str, build: Callable[[], Any]) -> Any:
    """Memoise a derived object (a union of parts, a lookup table) for this process.

    Callers must treat the result as read-only.
    """
    if key not in _OBJECTS:
        _OBJECTS[key] = build()
    return _OBJECTS[key]


def cached_layer(
    name: str,
    sources: Iterable[str],
    build: Callable[[], gpd.GeoDataFrame],
    params: dict[str, Any] | None = None,
) -> gpd.GeoDataFrame:
    """Return the prepared layer *name*, building it with *build* on a cache miss.

    ``GeoDataFrame.attrs`` (e.g. repair reports) are kept in a JSON side file.
    """
    key = _key(name, sources, params or {})
    if key in _MEMORY:
        return _MEMORY[key].copy()
    path = Path(settings.cache_dir) / "layers" / f"{key}.parquet"
    gdf: gpd.GeoDataFrame | None = None
    if settings.use_cache and path.is_file():
        try:
            gdf = gpd.read_parquet(path)
            attrs_path = path.with_suffix(".attrs.json")
            if attrs_path.is_file():
                gdf.attrs.update(json.loads(attrs_path.read_text()))
        except Exception:  # a damaged cache entry is rebuilt, never trusted
            gdf = None
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
    _MEMORY[key] = gdf
    return gdf.copy()


def _write(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Store a prepared layer (and its attrs) atomically; an unwritable cache only costs speed."""
    with contextlib.suppress(OSError):
        if gdf.attrs:
            write_text_atomic(path.with_suffix(".attrs.json"), json.dumps(gdf.attrs, default=str))
        write_atomic(path, gdf.to_parquet)
