"""Unit tests run without the data mirror: any attempt to load a dataset fails loudly."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from erbm_geo import settings
from erbm_geo.data import CACHE

# examples per property test: 50 in the suite; 12 per mutant in the mutation run
# (`bash scripts/dev.sh mutation` sets HYPOTHESIS_PROFILE=mutation), where each of thousands
# of mutants reruns the tests that reach it
hypothesis_settings.register_profile("default", max_examples=50)
hypothesis_settings.register_profile("mutation", max_examples=12)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _fresh_dask_pool() -> None:
    """Forget dask's thread pools in a forked child: their threads stayed in the parent.

    mutmut runs each mutant in a process forked from one that may have computed with dask's
    threaded scheduler; the child would hand its tasks to a pool without threads and hang —
    the default pool, or the one kept per ``num_workers``.
    """
    threaded = sys.modules.get("dask.threaded")
    if threaded is not None:
        threaded.default_pool = None
        threaded.pools.clear()


os.register_at_fork(after_in_child=_fresh_dask_pool)


@pytest.fixture(autouse=True)
def no_mirror(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No data directory, no download, an empty cache: a unit test cannot reach real data."""
    monkeypatch.setattr(settings, "data_dir", Path("/nonexistent/erbm-data"))
    monkeypatch.setattr(settings, "mirror_url", None)
    monkeypatch.setattr(settings, "cache_dir", tmp_path_factory.mktemp("cache"))
    CACHE.clear()
    yield
    CACHE.clear()


@pytest.fixture(autouse=True)
def no_download(monkeypatch: pytest.MonkeyPatch) -> None:
    """Downloading is refused too (the upstream URLs would otherwise be tried)."""
    import importlib

    from erbm_geo.errors import DownloadError

    resolve = importlib.import_module("erbm_geo.data.resolve")

    def refuse(*args: object, **kwargs: object) -> None:
        raise DownloadError("unit tests never download data")

    monkeypatch.setattr(resolve, "_download", refuse)
