"""Test-suite layout: ``tests/unit`` never needs the data mirror and is never skipped;
``tests/mirror`` (and the doctests of modules that load data) need it.

Without the mirror, mirror tests are skipped with the reason — unless ``ERBM_GEO_REQUIRE_MIRROR=1``
(set by CI through ``scripts/dev.sh test``), which turns its absence into an error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from erbm_geo import settings

ROOT = Path(__file__).resolve().parent

#: Run by Debian's python3 with QGIS's bindings (tests/qgis_tools.py), never imported by pytest.
collect_ignore = ["tests/qgis_probe.py"]

#: Modules whose doctests load layers from the mirror (all others are synthetic).
MIRROR_MODULES = (
    "erbm_geo/layers/",
    "erbm_geo/indicators/builtin.py",
    "erbm_geo/indicators/table.py",
    "erbm_geo/raster/grid.py",
    "erbm_geo/maps/printed/reference.py",
    "erbm_geo/data/resolve.py",
    "erbm_geo/cli.py",
)
#: Single doctests that draw the real basin (the rest of their modules is synthetic).
MIRROR_DOCTESTS = (
    "erbm_geo.maps.interactive.folium_map.basin_map",
    "erbm_geo.raster.surfaces.distance_to",
    "erbm_geo.atlas.qgis.write_reference_layers",
)


def mirror_present() -> bool:
    d = settings.data_dir
    return d is not None and (Path(d) / "MANIFEST.tsv").is_file()


def _needs_mirror(item: pytest.Item) -> bool:
    rel = Path(str(item.path)).resolve().relative_to(ROOT).as_posix()
    if rel.startswith("tests/mirror/"):
        return True
    return isinstance(item, pytest.DoctestItem) and (
        rel.startswith(MIRROR_MODULES) or item.name in MIRROR_DOCTESTS
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    required = os.environ.get("ERBM_GEO_REQUIRE_MIRROR", "") in ("1", "true", "yes")
    present = mirror_present()
    if required and not present:
        raise pytest.UsageError(
            "ERBM_GEO_REQUIRE_MIRROR is set but the erbm-data mirror was not found: set "
            "ERBM_GEO_DATA or place shared/erbm-data next to the checkout"
        )
    skip = pytest.mark.skip(
        reason="the erbm-data mirror is absent (set ERBM_GEO_DATA or place "
        "shared/erbm-data next to the checkout)"
    )
    for item in items:
        if _needs_mirror(item):
            item.add_marker(pytest.mark.mirror)
            if not present:
                item.add_marker(skip)


@pytest.fixture
def tmp_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private layer cache and cache key for one test (robustness tests of the cache)."""
    from erbm_geo.data import cache

    yield from _tmp_cache(tmp_path, monkeypatch, cache)


def _tmp_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: Any) -> Iterator[Path]:
    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")
    monkeypatch.setattr(settings, "use_cache", True)
    monkeypatch.setenv("ERBM_GEO_CACHE_SECRET", str(tmp_path / "secret" / "cache.key"))
    cache._secret.cache_clear()
    cache.clear_memory()
    yield tmp_path / "cache" / "layers"
    cache._secret.cache_clear()
    cache.clear_memory()
