"""The erbm-geo command without data: help on every command, options refused before any work,
user errors and a missing mirror exit 2 with the fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from erbm_geo.cli import main


@pytest.fixture(autouse=True)
def _restore_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI sets global settings (--data-dir, --quiet): restore them after each test."""
    from erbm_geo import settings

    monkeypatch.setattr(settings, "data_dir", settings.data_dir)
    monkeypatch.setattr(settings, "verbose", settings.verbose)


def run(*args: str) -> int:
    return main(list(args))


def test_help_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    for cmd in ([], ["atlas"], ["layers"], ["indicators"], ["map"], ["data"], ["data", "verify"]):
        assert run(*cmd, "--help") == 0
    assert "atlas" in capsys.readouterr().out


def test_dialect_only_for_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("-q", "indicators", "--out", str(tmp_path / "t.gpkg"), "--dialect", "fr") == 2
    assert "--dialect applies to .csv files only" in capsys.readouterr().err


def test_user_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("map", "--layer", "nope", "--out", str(tmp_path / "x.html")) == 2
    assert "unknown layer 'nope'" in capsys.readouterr().err
    assert run("map", "--out", str(tmp_path / "x.html")) == 2
    assert run("indicators", "--out", str(tmp_path / "x.txt")) == 2
    assert run("indicators", "--perimeter", "paris", "--out", str(tmp_path / "x.csv")) == 2
    assert run("--data-dir", str(tmp_path / "empty"), "data", "verify") == 2
    assert run("nope") == 2


def test_missing_data_exit_2(tmp_path: Path) -> None:
    env = {
        "ERBM_GEO_DATA": str(tmp_path / "none"),
        "ERBM_GEO_CACHE": str(tmp_path / "cache"),
        "PATH": "/usr/bin:/bin",
    }
    r = subprocess.run(
        [sys.executable, "-m", "erbm_geo.cli", "indicators", "--out", str(tmp_path / "t.csv")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 2, r.stderr
    assert "not found" in r.stderr and "ERBM_GEO_DATA" in r.stderr
