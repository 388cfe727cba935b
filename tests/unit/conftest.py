"""Unit tests run without the data mirror: any attempt to load a dataset fails loudly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from erbm_geo import settings
from erbm_geo.data import CACHE


@pytest.fixture(autouse=True)
def no_mirror(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
              ) -> Iterator[None]:
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
