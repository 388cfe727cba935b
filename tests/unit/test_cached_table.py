"""A computed table stored in the cache (``cached_table``): read back warm, its warnings said again.

Synthetic tables in a temporary cache (no mirror); the built-in indicator tables that use it are
checked in tests/mirror/test_table_cache.py.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from erbm_geo.data import cache
from erbm_geo.data.reads import note
from erbm_geo.errors import CacheWarning, DataQualityWarning, MissingLayerWarning

RUNS = {"n": 0}


def _table() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"nom": ["Lens", "Liévin"], "qpv_share": [0.25, float("nan")]},
        geometry=[shapely.Point(687_000, 7_037_000), shapely.Point(683_000, 7_034_000)],
        crs="EPSG:2154",
        index=pd.Index(["62498", "62510"], name="code_insee"),
    )


def _compute() -> gpd.GeoDataFrame:
    RUNS["n"] += 1
    warnings.warn(DataQualityWarning("1 commune sans QPV mesurable", columns=("qpv_share",)), stacklevel=1)
    warnings.warn(MissingLayerWarning("pas de gares"), stacklevel=1)
    return _table()


def _said(**kw: object) -> tuple[gpd.GeoDataFrame, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = cache.cached_table("synthetic_table", kw.pop("sources", ()), kw.pop("build", _compute))
    return t, caught


def _ours(caught: list[warnings.WarningMessage]) -> list[tuple[type[Warning], str, tuple[str, ...]]]:
    return [
        (w.category, str(w.message), getattr(w.message, "columns", ()))
        for w in caught
        if w.category is not CacheWarning
    ]


EXPECTED = [
    (DataQualityWarning, "1 commune sans QPV mesurable", ("qpv_share",)),
    (MissingLayerWarning, "pas de gares", ()),
]


def test_computed_once_and_its_warnings_said_on_every_call(tmp_cache: Path) -> None:
    n = RUNS["n"]
    first, said_first = _said()
    again, said_again = _said()  # from memory
    cache.clear_memory()
    stored, said_stored = _said()  # from disk
    assert RUNS["n"] == n + 1
    for t in (again, stored):
        pd.testing.assert_frame_equal(pd.DataFrame(t), pd.DataFrame(first), check_exact=True)
        assert t.attrs == {}  # the recorded warnings are not handed out
    assert _ours(said_first) == _ours(said_again) == _ours(said_stored) == EXPECTED
    # each one points at the caller's line, as a computed warning does
    assert {Path(w.filename).name for w in said_stored} == {Path(__file__).name}


def test_the_copy_handed_out_is_the_callers(tmp_cache: Path) -> None:
    t, _ = _said()
    t.loc["62498", "nom"] = "changé"
    assert _said()[0].loc["62498", "nom"] == "Lens"


def test_a_table_that_read_an_undeclared_dataset_is_not_stored(tmp_cache: Path) -> None:
    def reads_more() -> gpd.GeoDataFrame:
        note(["qpv", "mairies"])
        return _table()

    _said(sources=("qpv",), build=reads_more)
    assert not list(tmp_cache.glob("synthetic_table-*"))
    cache.clear_memory()
    _said(sources=("qpv", "mairies"), build=reads_more)
    assert len(list(tmp_cache.glob("synthetic_table-*"))) == 2  # table and manifest


def test_other_warnings_pass_once_unrecorded(tmp_cache: Path) -> None:
    def noisy() -> gpd.GeoDataFrame:
        warnings.warn("a library's own remark", FutureWarning, stacklevel=1)
        warnings.warn(CacheWarning("entry x not used; rebuilt"), stacklevel=1)
        return _table()

    _, first = _said(build=noisy)
    assert sorted(w.category.__name__ for w in first) == ["CacheWarning", "FutureWarning"]
    _, again = _said(build=noisy)
    assert again == []
    manifest = json.loads(next(tmp_cache.glob("synthetic_table-*.json")).read_text())
    assert manifest["attrs"]["_erbm_geo_warnings"] == []


def test_errors_propagate_unchanged_and_nothing_is_stored(tmp_cache: Path) -> None:
    def broken() -> gpd.GeoDataFrame:
        raise KeyError("colonne absente")

    with pytest.raises(KeyError, match="colonne absente"):
        _said(build=broken)
    assert not list(tmp_cache.glob("synthetic_table-*"))


@pytest.mark.parametrize(
    "forged",
    [
        [{"category": "ErbmGeoError", "message": "x", "columns": []}],  # not a warning class
        [{"category": "UserWarning", "message": "x", "columns": []}],  # not one of ours
        [{"category": "DataQualityWarning", "message": 3, "columns": []}],
        [{"category": "DataQualityWarning"}],
        "DataQualityWarning",
        None,  # no record at all: a layer's entry, say
    ],
)
def test_recorded_warnings_are_checked_like_the_rest_of_the_entry(tmp_cache: Path, forged: object) -> None:
    _said()
    (arrow,) = tmp_cache.glob("synthetic_table-*.arrow")
    mpath = arrow.with_suffix(".json")
    manifest = json.loads(mpath.read_text())
    if forged is None:
        del manifest["attrs"]["_erbm_geo_warnings"]
    else:
        manifest["attrs"]["_erbm_geo_warnings"] = forged
    manifest["digest"] = cache._digest(arrow.read_bytes(), manifest)  # even signed with the user's key
    mpath.write_text(json.dumps(manifest))
    cache.clear_memory()
    n = RUNS["n"]
    t, caught = _said()
    assert RUNS["n"] == n + 1  # computed again
    assert [w.category for w in caught].count(CacheWarning) == 1
    assert _ours(caught) == EXPECTED
    pd.testing.assert_frame_equal(pd.DataFrame(t), pd.DataFrame(_table()))


def test_an_edited_entry_is_computed_again(tmp_cache: Path) -> None:
    _said()
    (arrow,) = tmp_cache.glob("synthetic_table-*.arrow")
    mpath = arrow.with_suffix(".json")
    manifest = json.loads(mpath.read_text())
    manifest["attrs"]["_erbm_geo_warnings"] = []  # a warning removed, not re-signed
    mpath.write_text(json.dumps(manifest))
    cache.clear_memory()
    _, caught = _said()
    assert [w.category for w in caught].count(CacheWarning) == 1
    assert _ours(caught) == EXPECTED
