"""Robustness 6: exit codes and messages that are true and actionable — environment errors exit
2 with the path and the cause, checksum advice fits the dataset, the data directory in use is
said (and a missing one refused), warnings reach CLI users as one clean line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely

import erbm_geo as eg
from erbm_geo import settings
from erbm_geo.cli import _one_line, main
from erbm_geo.data import CATALOGUE, resolve
from erbm_geo.errors import ChecksumError, OutOfAreaError


@pytest.fixture(autouse=True)
def _restore_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "data_dir", settings.data_dir)
    monkeypatch.setattr(settings, "verbose", settings.verbose)
    monkeypatch.setattr(settings, "cache_dir", settings.cache_dir)


def test_missing_data_dir_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", "/nonexistent/erbm-data", "layers"]) == 2
    assert "'/nonexistent/erbm-data' does not exist" in capsys.readouterr().err


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")
    monkeypatch.setattr(settings, "mirror_url", None)
    yield tmp_path


def test_checksum_advice_for_a_mirror_only_dataset(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ds = CATALOGUE["bien_inscrit"]
    assert not ds.url
    data = isolated / "data"
    (data / ds.path).parent.mkdir(parents=True)
    (data / ds.path).write_bytes(b"{}")
    monkeypatch.setattr(settings, "data_dir", data)
    with pytest.raises(ChecksumError) as e:
        resolve("bien_inscrit")
    msg = str(e.value)
    assert "has no upstream download URL, so it cannot be downloaded again" in msg
    assert "so that it is downloaded again" not in msg


def test_corrupt_cached_download_is_reported_as_such(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ds = CATALOGUE["bien_inscrit"]
    monkeypatch.setattr(settings, "data_dir", None)
    cached = settings.cache_dir / "downloads" / ds.path
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"damaged")
    with pytest.raises(ChecksumError, match="was corrupt and has been removed") as e:
        resolve("bien_inscrit")
    assert "not found" not in str(e.value) and not cached.exists()
    with pytest.raises(ChecksumError, match="delete it, or run `erbm-geo data fetch"):
        cached.write_bytes(b"damaged")
        resolve("bien_inscrit", download=False)


def test_lambert_geojson_without_crs_member(tmp_path: Path) -> None:
    f = tmp_path / "partenaire.geojson"
    f.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"nom": "A21"},
                        "geometry": json.loads(
                            shapely.to_geojson(
                                shapely.LineString([(687_000, 7_037_000), (700_000, 7_030_000)])
                            )
                        ),
                    }
                ],
            }
        )
    )
    with pytest.raises(OutOfAreaError, match="without a 'crs' member is read as WGS84"):
        eg.layers.user_layer(f)


def test_third_party_warning_line() -> None:
    line = _one_line(
        UserWarning("Not enough unique\n values"), UserWarning, "/x/site-packages/mapclassify/classifiers.py"
    )
    assert line == "warning (mapclassify): Not enough unique values"


def test_options_of_one_run_do_not_outlive_it(tmp_path: Path) -> None:
    before = (settings.verbose, settings.data_dir)
    assert main(["-q", "--data-dir", str(tmp_path), "data", "where"]) == 0
    assert (settings.verbose, settings.data_dir) == before
