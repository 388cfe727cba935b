"""Robustness 6: exit codes and messages that are true and actionable — environment errors exit
2 with the path and the cause, checksum advice fits the dataset, the data directory in use is
said (and a missing one refused), warnings reach CLI users as one clean line."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from erbm_geo import settings
from erbm_geo.cli import main
from erbm_geo.data import cache


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


def test_data_dir_in_use_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "--layer", "epci", "--out", str(tmp_path / "e.html")]) == 0
    assert f"data: {settings.data_dir}; prepared layers cached in" in capsys.readouterr().err


def test_warnings_are_one_clean_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")
    monkeypatch.setenv("ERBM_GEO_CACHE_SECRET", str(tmp_path / "key"))
    cache._secret.cache_clear()
    cache.clear_memory()
    try:
        assert main(["-q", "map", "--layer", "epci", "--out", str(tmp_path / "a.html")]) == 0
        (entry,) = (tmp_path / "cache" / "layers").glob("epci_59_62-*.arrow")  # the layer mapped
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
