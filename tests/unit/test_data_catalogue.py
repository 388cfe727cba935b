"""Catalogue, resolution, checksum and download (against a local HTTP server on 127.0.0.1)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from erbm_geo import settings
from erbm_geo.data import CATALOGUE, get, resolve
from erbm_geo.errors import DataNotFoundError, UnknownOptionError


def test_every_entry_is_documented() -> None:
    for d in CATALOGUE.values():
        assert d.licence and d.attribution and d.vintage and d.upstream.startswith("https://")
        assert len(d.sha256) == 64


def test_unknown_dataset() -> None:
    with pytest.raises(UnknownOptionError, match="unknown dataset 'nope'.*bassin_minier"):
        get("nope")


@pytest.fixture()
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No data dir, an empty cache, no mirror URL."""
    monkeypatch.setattr(settings, "data_dir", None)
    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")
    monkeypatch.setattr(settings, "mirror_url", None)
    return tmp_path


def test_missing_data_dir_names_paths_and_fix(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "data_dir", isolated / "nowhere")
    with pytest.raises(DataNotFoundError) as exc:
        resolve("bassin_minier", download=False)
    msg = str(exc.value)
    assert "bassin_minier" in msg and str(isolated / "nowhere") in msg and "ERBM_GEO_DATA" in msg


def test_conversion_without_url_says_only_mirror(isolated: Path) -> None:
    with pytest.raises(DataNotFoundError, match="only the mirror can provide it"):
        resolve("bien_inscrit")


class _Handler(http.server.SimpleHTTPRequestHandler):
    lie_length = False

    def log_message(self, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        super().end_headers()


@pytest.fixture()
def http_mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(_Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def test_download_404(isolated: Path, http_mirror: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = http_mirror
    monkeypatch.setattr(settings, "mirror_url", url)
    with pytest.raises(DataNotFoundError, match="404"):
        resolve("bassin_minier")
