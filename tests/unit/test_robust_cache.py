"""Robustness 2: layer-cache entries are verified on every read, never trusted.

A damaged, edited, replaced or forged entry is rebuilt from the sources with one CacheWarning;
it never crashes and never changes a result. Synthetic layers in a temporary cache (no mirror);
the repro of the issue on a real layer is tests/mirror/test_robust_cache_real.py.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from erbm_geo.data import cache
from erbm_geo.errors import CacheWarning

BUILDS = {"n": 0}


def _build() -> gpd.GeoDataFrame:
    BUILDS["n"] += 1
    g = gpd.GeoDataFrame(
        {"nom": ["Lens", "Liévin"], "in_basin": [True, True]},
        geometry=[shapely.Point(687_000, 7_037_000), shapely.Point(683_000, 7_034_000)],
        crs="EPSG:2154",
        index=pd.Index(["62498", "62510"], name="code_insee"),
    )
    g.attrs["repaired"] = 1
    return g


def _load() -> gpd.GeoDataFrame:
    cache.clear_memory()
    return cache.cached_layer("synthetic", (), _build)


def _entry(layers: Path) -> tuple[Path, Path]:
    (pq,) = layers.glob("synthetic-*.arrow")
    return pq, pq.with_suffix(".json")


def _rebuilt_once(layers: Path, match: str) -> gpd.GeoDataFrame:
    before = BUILDS["n"]
    with pytest.warns(CacheWarning, match=match):
        g = _load()
    assert BUILDS["n"] == before + 1
    pd.testing.assert_frame_equal(pd.DataFrame(g), pd.DataFrame(_build()))
    assert g.attrs == {"repaired": 1}
    # the rebuilt entry is trusted again: no warning, no build
    n = BUILDS["n"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        _load()
    assert BUILDS["n"] == n
    return g


def test_verified_entry_is_used(tmp_cache: Path) -> None:
    _load()
    n = BUILDS["n"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        g = _load()
    assert BUILDS["n"] == n and g.attrs == {"repaired": 1} and g.crs.to_epsg() == 2154


def test_replaced_by_another_valid_file(tmp_cache: Path) -> None:
    _load()
    pq, _ = _entry(tmp_cache)
    gpd.GeoDataFrame({"autre": [1]}, geometry=[shapely.Point(0, 0)], crs=2154).to_feather(pq)
    _rebuilt_once(tmp_cache, "does not match the digest")


def test_edited_values(tmp_cache: Path) -> None:
    g = _load()
    pq, _ = _entry(tmp_cache)
    g.loc["62498", "nom"] = "{{7*191}}"
    g.to_feather(pq)
    assert _rebuilt_once(tmp_cache, "does not match").loc["62498", "nom"] == "Lens"


def test_fake_attrs_in_manifest(tmp_cache: Path) -> None:
    _load()
    _, man = _entry(tmp_cache)
    m = json.loads(man.read_text())
    m["attrs"] = {"injected": "{{7*7}}"}
    man.write_text(json.dumps(m))
    _rebuilt_once(tmp_cache, "does not match")


def test_forged_with_a_plain_checksum(tmp_cache: Path) -> None:
    """Someone who can write the cache but not read the user's key cannot forge an entry."""
    _load()
    pq, man = _entry(tmp_cache)
    g = _build()
    g["nom"] = "forged"
    g.to_feather(pq)
    m = json.loads(man.read_text())
    m["digest"] = hashlib.sha256(pq.read_bytes()).hexdigest()
    man.write_text(json.dumps(m))
    _rebuilt_once(tmp_cache, "does not match")


@pytest.mark.parametrize(
    "damage", ["truncate", "garbage-manifest", "no-manifest", "no-data-file", "legacy-attrs-json"]
)
def test_damaged_entry(tmp_cache: Path, damage: str) -> None:
    _load()
    pq, man = _entry(tmp_cache)
    if damage == "truncate":
        pq.write_bytes(pq.read_bytes()[:100])
        match = "does not match"
    elif damage == "garbage-manifest":
        man.write_text("{not json")
        match = "unreadable"
    elif damage == "no-manifest":
        man.unlink()
        match = "is missing"
    elif damage == "no-data-file":
        pq.unlink()
        match = "is missing"
    else:  # an old-style side file is never merged into attrs
        pq.with_suffix(".attrs.json").write_text(json.dumps({"injected": 1}))
        g = _load()
        assert "injected" not in g.attrs
        return
    _rebuilt_once(tmp_cache, match)


def test_schema_mismatch_is_refused(tmp_cache: Path) -> None:
    """Even a correctly signed entry is refused when its content is not what the manifest says."""
    _load()
    pq, man = _entry(tmp_cache)
    m = json.loads(man.read_text())
    m["schema"]["rows"] = 3
    m["digest"] = cache._digest(pq.read_bytes(), m)
    man.write_text(json.dumps(m))
    _rebuilt_once(tmp_cache, r"schema differs .*rows")


def test_memory_copy_is_not_shared(tmp_cache: Path) -> None:
    a = cache.cached_layer("synthetic", (), _build)
    a.loc["62498", "nom"] = "changed"
    assert cache.cached_layer("synthetic", (), _build).loc["62498", "nom"] == "Lens"
