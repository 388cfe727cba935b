"""Catalogue, resolution, checksum and download (against a local HTTP server on 127.0.0.1)."""

from __future__ import annotations

import csv
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from erbm_geo import settings
from erbm_geo.data import CATALOGUE, names, resolve, verify
from erbm_geo.errors import ChecksumError

MIRROR = settings.data_dir


def test_catalogue_matches_mirror_manifest() -> None:
    assert MIRROR is not None
    with open(MIRROR / "MANIFEST.tsv", encoding="utf-8") as f:
        manifest = {r["path"]: r["sha256"] for r in csv.DictReader(f, delimiter="\t")}
    catalogued = {d.path: d.sha256 for d in CATALOGUE.values()}
    assert catalogued.items() <= manifest.items()
    assert set(manifest) == set(catalogued)


def test_resolve_from_mirror_and_verify_all() -> None:
    assert resolve("qpv") == MIRROR / "qpv/qpv-2024.json"
    statuses = verify()
    assert len(statuses) == len(names())
    assert {s.status for s in statuses} == {"ok"}


@pytest.fixture()
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No data dir, an empty cache, no mirror URL."""
    monkeypatch.setattr(settings, "data_dir", None)
    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")
    monkeypatch.setattr(settings, "mirror_url", None)
    return tmp_path


def test_local_checksum_mismatch(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = isolated / "data"
    (data / "mbm").mkdir(parents=True)
    src = MIRROR / "mbm/bassin-minier.geojson"
    (data / "mbm/bassin-minier.geojson").write_bytes(src.read_bytes()[:-100])  # truncated
    monkeypatch.setattr(settings, "data_dir", data)
    with pytest.raises(ChecksumError, match="bassin_minier.*truncated.*MANIFEST"):
        resolve("bassin_minier")


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


def test_download_verified_and_cached(
    isolated: Path, http_mirror: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, root = http_mirror
    (root / "mbm").mkdir()
    shutil.copy(MIRROR / "mbm/bassin-minier.geojson", root / "mbm/bassin-minier.geojson")
    monkeypatch.setattr(settings, "mirror_url", url)
    path = resolve("bassin_minier")
    assert path == settings.cache_dir / "downloads/mbm/bassin-minier.geojson"
    assert path.read_bytes() == (MIRROR / "mbm/bassin-minier.geojson").read_bytes()
    # served file gone: the verified cache answers
    (root / "mbm/bassin-minier.geojson").unlink()
    assert resolve("bassin_minier") == path
    assert not list(path.parent.glob("*.part"))


def test_download_truncated_is_rejected_and_not_kept(
    isolated: Path, http_mirror: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, root = http_mirror
    (root / "mbm").mkdir()
    data = (MIRROR / "mbm/bassin-minier.geojson").read_bytes()
    (root / "mbm/bassin-minier.geojson").write_bytes(data[: len(data) // 2])
    monkeypatch.setattr(settings, "mirror_url", url)
    with pytest.raises(ChecksumError, match="sha256"):
        resolve("bassin_minier")
    cached = settings.cache_dir / "downloads/mbm"
    assert not cached.exists() or not any(cached.iterdir())


def test_corrupt_cached_download_is_replaced(
    isolated: Path, http_mirror: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, root = http_mirror
    (root / "mbm").mkdir()
    shutil.copy(MIRROR / "mbm/bassin-minier.geojson", root / "mbm/bassin-minier.geojson")
    cached = settings.cache_dir / "downloads/mbm/bassin-minier.geojson"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"{}")
    monkeypatch.setattr(settings, "mirror_url", url)
    assert resolve("bassin_minier").read_bytes() == (root / "mbm/bassin-minier.geojson").read_bytes()
