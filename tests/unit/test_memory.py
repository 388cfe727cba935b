"""The one cache: process memory, geometry memos, layer cache — keys, copies, clear()."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from erbm_geo import settings
from erbm_geo._memory import MEMORY
from erbm_geo.data import CACHE
from erbm_geo.data import cache as cache_mod
from erbm_geo.geom.memo import memo_for


def _layer() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"nom": ["Lens"]},
        geometry=[shapely.Point(687000, 7037000)],
        index=pd.Index(["62498"], name="code_insee"),
        crs=2154,
    )


def test_layer_is_never_handed_out_shared() -> None:
    calls = []

    def build() -> gpd.GeoDataFrame:
        calls.append(1)
        return _layer()

    a = CACHE.layer("unit_layer", (), build)
    a.loc["62498", "nom"] = "changed"
    b = CACHE.layer("unit_layer", (), build)
    assert b.loc["62498", "nom"] == "Lens" and a is not b and len(calls) == 1


def test_clear_forgets_objects_layers_and_geometry_memos() -> None:
    CACHE.layer("unit_layer", (), _layer)
    CACHE.memo("unit_obj", lambda: 1)
    memo_for(np.array([shapely.Point(0, 0)], dtype=object)).get_tree()
    assert all(v > 0 for v in MEMORY.sizes().values())
    CACHE.clear()
    assert MEMORY.sizes() == {"objects": 0, "geometry_memos": 0}


def test_disk_entry_keyed_by_sources_and_params(monkeypatch: pytest.MonkeyPatch) -> None:
    built = []

    def build() -> gpd.GeoDataFrame:
        built.append(1)
        return _layer()

    CACHE.layer("unit_keyed", (), build, {"v": 1})
    CACHE.clear()  # memory gone: the verified disk entry serves
    CACHE.layer("unit_keyed", (), build, {"v": 1})
    assert len(built) == 1
    CACHE.layer("unit_keyed", (), build, {"v": 2})  # other parameters: another entry
    assert len(built) == 2
    monkeypatch.setattr(cache_mod, "_code_fingerprint", lambda: "other code")
    CACHE.clear()
    CACHE.layer("unit_keyed", (), build, {"v": 1})  # a code change invalidates
    assert len(built) == 3
    CACHE.clear(disk=True)
    assert not list(CACHE.directory.glob("*.arrow"))


def test_use_cache_false_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "use_cache", False)
    CACHE.layer("unit_nocache", (), _layer)
    assert not CACHE.directory.exists() or not list(CACHE.directory.glob("unit_nocache*"))


def test_memo_keyed_by_content_key() -> None:
    assert CACHE.memo("unit_memo", lambda: [1]) is CACHE.memo("unit_memo", lambda: [2])
    assert CACHE.memo("unit_memo", lambda: [3], params={"k": 1}) == [3]


def test_geometry_memo_follows_identity_not_position() -> None:
    a = np.array([shapely.Point(0, 0), shapely.Point(1, 1)], dtype=object)
    m = memo_for(a)
    assert memo_for(a.copy()) is m  # same geometries: same memo
    b = a.copy()
    b[0] = shapely.Point(0, 0)  # an equal but new geometry: a new key, re-checked
    assert memo_for(b) is not m


def test_geometry_memos_bounded() -> None:
    for i in range(MEMORY.max_geometry_entries + 5):
        memo_for(np.array([shapely.Point(i, i)], dtype=object))
    assert MEMORY.sizes()["geometry_memos"] == MEMORY.max_geometry_entries


def test_fact_table_edit_invalidates(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real fingerprint of the fact tables: editing one rebuilds the layers built on it."""
    from erbm_geo.data import facts

    (tmp_path / "communes").mkdir()
    table = tmp_path / "communes" / "centres.csv"
    table.write_text("code_insee,source\n62498,doc\n", encoding="utf-8")
    monkeypatch.setattr(facts, "facts_dir", lambda: tmp_path)
    cache_mod._facts_fingerprint.cache_clear()
    built = []

    def build() -> gpd.GeoDataFrame:
        built.append(1)
        return _layer()

    try:
        CACHE.layer("unit_facts", (), build)
        CACHE.clear()
        CACHE.layer("unit_facts", (), build)  # unchanged tables: the disk entry serves
        assert len(built) == 1
        table.write_text("code_insee,source\n62510,doc\n", encoding="utf-8")
        cache_mod._facts_fingerprint.cache_clear()
        CACHE.clear()
        CACHE.layer("unit_facts", (), build)
        assert len(built) == 2
    finally:
        cache_mod._facts_fingerprint.cache_clear()


def test_source_checksum_change_invalidates(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dataset whose checksum changes (a new upstream version) rebuilds what was built on it."""
    from types import SimpleNamespace

    sha = {"v": "a" * 64}
    monkeypatch.setattr(cache_mod, "get", lambda name: SimpleNamespace(sha256=sha["v"]))
    built = []

    def build() -> gpd.GeoDataFrame:
        built.append(1)
        return _layer()

    CACHE.layer("unit_source", ("some_dataset",), build)
    CACHE.clear()
    CACHE.layer("unit_source", ("some_dataset",), build)
    assert len(built) == 1
    sha["v"] = "b" * 64
    CACHE.clear()
    CACHE.layer("unit_source", ("some_dataset",), build)
    assert len(built) == 2
    # memos are keyed the same way
    assert CACHE.memo("unit_src_memo", lambda: 1, sources=("some_dataset",)) == 1
    sha["v"] = "c" * 64
    assert CACHE.memo("unit_src_memo", lambda: 2, sources=("some_dataset",)) == 2


def test_warnings_point_at_the_callers_line() -> None:
    """Through the deprecation wrapper and internal helpers, a warning names the user's file."""
    from erbm_geo._deprecation import renamed_kwarg
    from erbm_geo._warnings import warn

    @renamed_kwarg("perimeter", "territory")
    def layer(*, territory: str = "x") -> str:
        warn("data quality", UserWarning)
        return territory

    with pytest.warns((DeprecationWarning, UserWarning)) as record:
        assert layer(perimeter="y") == "y"
    assert sorted(type(w.message).__name__ for w in record) == ["DeprecationWarning", "UserWarning"]
    assert [w.filename for w in record] == [__file__, __file__]
