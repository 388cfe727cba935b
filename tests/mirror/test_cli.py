"""The erbm-geo command on real data: exit codes, outputs present and readable, error paths."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
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


def test_layers(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("-q", "layers") == 0
    out = capsys.readouterr().out
    assert "communes                    250" in out and "cites" in out


@pytest.mark.parametrize("ext", ["csv", "gpkg", "parquet", "xlsx", "fr.csv"])
def test_indicators(tmp_path: Path, ext: str) -> None:
    out = tmp_path / f"t.{ext}"
    args = ["--dialect", "fr"] if ext == "fr.csv" else []
    assert run("-q", "indicators", "--of", "cites", "--out", str(out), *args) == 0
    if ext == "csv":
        df = pd.read_csv(out, dtype={"code_insee": str})
        assert (tmp_path / "t.sources.csv").is_file()
    elif ext == "fr.csv":
        df = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig", dtype={"code_insee": str})
        assert set(df["unesco_inscribed"]) == {"oui", "non"}
    elif ext == "gpkg":
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            df = gpd.read_file(out)  # one layer: no "More than one layer found"
    elif ext == "xlsx":
        book = pd.read_excel(out, sheet_name=None)
        assert list(book) == ["donnees", "dictionnaire", "sources"]
        df = book["donnees"]
        assert book["dictionnaire"]["définition"].notna().all()
    else:
        df = gpd.read_parquet(out)
    assert len(df) == 289 and "qpv_share" in df.columns


def test_dialect_only_for_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("-q", "indicators", "--out", str(tmp_path / "t.gpkg"), "--dialect", "fr") == 2
    assert "--dialect applies to .csv files only" in capsys.readouterr().err


def test_map(tmp_path: Path) -> None:
    assert run("-q", "map", "--indicator", "qpv_share", "--out", str(tmp_path / "q.png")) == 0
    assert (tmp_path / "q.png").stat().st_size > 10_000
    assert run("-q", "map", "--layer", "epci", "--out", str(tmp_path / "e.html")) == 0
    assert "ERBM.layer" in (tmp_path / "e.html").read_text("utf-8")


def test_atlas_cli(tmp_path: Path) -> None:
    assert run("-q", "atlas", "--out", str(tmp_path / "a"), "--basemap", "none") == 0
    assert (tmp_path / "a" / "index.html").is_file()


def test_data_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("data", "where") == 0
    assert run("data", "verify") == 0
    out = capsys.readouterr().out
    assert out.count("ok ") >= 30


def test_user_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("map", "--layer", "nope", "--out", str(tmp_path / "x.html")) == 2
    assert "unknown layer 'nope'" in capsys.readouterr().err
    assert run("map", "--out", str(tmp_path / "x.html")) == 2
    assert run("indicators", "--out", str(tmp_path / "x.txt")) == 2
    assert run("indicators", "--perimeter", "paris", "--out", str(tmp_path / "x.csv")) == 2
    assert run("--data-dir", str(tmp_path / "empty"), "data", "verify") == 2
    assert run("nope") == 2


def test_missing_data_exit_2(tmp_path: Path) -> None:
    env = {"ERBM_GEO_DATA": str(tmp_path / "none"), "ERBM_GEO_CACHE": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-m", "erbm_geo.cli", "indicators", "--out",
                        str(tmp_path / "t.csv")], env=env, capture_output=True, text=True,
                       check=False)
    assert r.returncode == 2, r.stderr
    assert "not found" in r.stderr and "ERBM_GEO_DATA" in r.stderr


def test_data_fetch(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("data", "fetch", "qpv", "bassin_minier") == 0
    out = capsys.readouterr().out
    assert "ok qpv" in out and "ok bassin_minier" in out
    assert run("data", "fetch", "nope") == 2


def test_map_refuses_a_text_indicator(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("-q", "map", "--indicator", "qpv_codes", "--out", str(tmp_path / "q.png")) == 2
    assert "holds text, not numbers" in capsys.readouterr().err
    assert not (tmp_path / "q.png").exists()


def test_static_indicator_map_speaks_the_atlas_legend() -> None:
    """The same classes, palette and French labels (in the unit) as the atlas."""
    import warnings as _w

    from erbm_geo.indicators import indicator_table
    from erbm_geo.maps import static_map
    from erbm_geo.maps.classify import classify
    from erbm_geo.maps.vocabulary import INDICATEURS, couleurs

    t = indicator_table(of="communes")
    with _w.catch_warnings():
        _w.simplefilter("error")  # no mapclassify / matplotlib warning reaches the user
        fig = static_map(t, column="qpv_share", title="QPV")
    leg = fig.axes[0].get_legend()
    ind = INDICATEURS["qpv_share"]
    _, labels = classify(t["qpv_share"].to_numpy(), ind.nombre, k=5)
    assert leg.get_title().get_text() == "Surface en QPV (%)"
    assert [x.get_text() for x in leg.get_texts()] == labels and labels[0] == "0"
    colours = [h.get_facecolor() for h in leg.legend_handles]
    import matplotlib.colors as mc

    assert [mc.to_hex(c) for c in colours] == couleurs(ind.palette, len(labels))
