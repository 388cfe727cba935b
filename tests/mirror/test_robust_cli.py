"""Robustness 6: exit codes and messages that are true and actionable — environment errors exit
2 with the path and the cause, checksum advice fits the dataset, the data directory in use is
said (and a missing one refused), warnings reach CLI users as one clean line."""

from __future__ import annotations

import errno
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import shapely

import erbm_geo as eg
from erbm_geo import settings
from erbm_geo.cli import _one_line, main
from erbm_geo.data import CATALOGUE, cache, resolve
from erbm_geo.errors import ChecksumError, OutOfAreaError


@pytest.fixture(autouse=True)
def _restore_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "data_dir", settings.data_dir)
    monkeypatch.setattr(settings, "verbose", settings.verbose)
    monkeypatch.setattr(settings, "cache_dir", settings.cache_dir)


@pytest.mark.parametrize("where", ["under a file", "in /proc", "disk full"])
def test_environment_errors_exit_2_with_path_and_cause(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afile").write_text("x")
    out = {
        "under a file": tmp_path / "afile" / "t.csv",
        "in /proc": Path("/proc/erbm.csv"),
        "disk full": tmp_path / "t.csv",
    }[where]
    if where == "disk full":

        def full(p: Path) -> None:
            raise OSError(errno.ENOSPC, "No space left on device", str(p))

        monkeypatch.setattr("pandas.DataFrame.to_csv", lambda self, p, **k: full(p))
    assert main(["-q", "indicators", "--of", "cites", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"cannot read or write {out}:" in err and "internal error" not in err
    cause = {"under a file": "Not a directory", "in /proc": "No such file", "disk full": "No space left"}[
        where
    ]
    assert cause in err or (where == "under a file" and "File exists" in err)


def test_missing_data_dir_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", "/nonexistent/erbm-data", "layers"]) == 2
    assert "'/nonexistent/erbm-data' does not exist" in capsys.readouterr().err


def test_data_dir_in_use_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "--layer", "epci", "--out", str(tmp_path / "e.html")]) == 0
    assert f"data: {settings.data_dir}; prepared layers cached in" in capsys.readouterr().err


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


def test_warnings_are_one_clean_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")
    monkeypatch.setenv("ERBM_GEO_CACHE_SECRET", str(tmp_path / "key"))
    cache._secret.cache_clear()
    cache.clear_memory()
    try:
        assert main(["-q", "map", "--layer", "epci", "--out", str(tmp_path / "a.html")]) == 0
        (entry,) = (tmp_path / "cache" / "layers").glob("communes_59_62-*.arrow")
        entry.write_bytes(entry.read_bytes()[:-10])
        cache.clear_memory()
        assert main(["-q", "map", "--layer", "epci", "--out", str(tmp_path / "b.html")]) == 0
    finally:
        cache._secret.cache_clear()
        cache.clear_memory()
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("warning")]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"warning: cache entry {entry.name} not used (")
    assert lines[0].endswith("rebuilt from the sources") and ".py" not in lines[0]


def test_third_party_warning_line() -> None:
    line = _one_line(
        UserWarning("Not enough unique\n values"), UserWarning, "/x/site-packages/mapclassify/classifiers.py"
    )
    assert line == "warning (mapclassify): Not enough unique values"


def test_options_of_one_run_do_not_outlive_it(tmp_path: Path) -> None:
    before = (settings.verbose, settings.data_dir)
    assert main(["-q", "--data-dir", str(tmp_path), "data", "where"]) == 0
    assert (settings.verbose, settings.data_dir) == before
