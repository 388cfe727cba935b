"""The erbm-geo command on real data: exit codes, outputs present and readable, error paths."""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import erbm_geo as eg
from erbm_geo.cli import main
from erbm_geo.export.qgis import read_styles
from tests.checks import every


@pytest.fixture(autouse=True)
def _restore_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI sets global settings (--data-dir, --quiet): restore them after each test."""
    from erbm_geo import settings

    monkeypatch.setattr(settings, "data_dir", settings.data_dir)
    monkeypatch.setattr(settings, "verbose", settings.verbose)


def run(*args: str) -> int:
    return main(list(args))


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
            df = gpd.read_file(out, layer="t")  # named: the file also holds QGIS's layer_styles
        assert read_styles(out)["default"].tolist()[0]  # styled for QGIS, the first style by default
    elif ext == "xlsx":
        book = pd.read_excel(out, sheet_name=None)
        assert list(book) == ["donnees", "dictionnaire", "sources"]
        df = book["donnees"]
        assert every(book["dictionnaire"]["définition"].notna())
    else:
        df = gpd.read_parquet(out)
    assert len(df) == 289 and "qpv_share" in df.columns


def test_map(tmp_path: Path) -> None:
    assert run("-q", "map", "--indicator", "qpv_share", "--out", str(tmp_path / "q.png")) == 0
    assert (tmp_path / "q.png").stat().st_size > 10_000
    assert run("-q", "map", "--layer", "epci", "--out", str(tmp_path / "e.html")) == 0
    assert "ERBM.layer" in (tmp_path / "e.html").read_text("utf-8")


def test_atlas_cli(atlas_dir: Path) -> None:
    """The shared atlas of the run is built by `erbm-geo atlas` (tests/mirror/conftest.py)."""
    assert (atlas_dir / "index.html").is_file()
    assert len(list((atlas_dir / "communes").glob("*.html"))) == 251  # 250 portraits + index


def test_data_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("data", "where") == 0
    assert run("data", "verify") == 0
    out = capsys.readouterr().out
    assert out.count("ok ") >= 30


def test_data_fetch(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("data", "fetch", "qpv", "bassin_minier") == 0
    out = capsys.readouterr().out
    assert "ok qpv" in out and "ok bassin_minier" in out
    assert run("data", "fetch", "nope") == 2


def test_map_refuses_a_text_indicator(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("-q", "map", "--indicator", "qpv_codes", "--out", str(tmp_path / "q.png")) == 2
    assert "holds text with 89 distinct values" in capsys.readouterr().err
    assert not (tmp_path / "q.png").exists()


def test_static_indicator_map_speaks_the_atlas_legend() -> None:
    """The same classes, palette and French labels (in the unit) as the atlas, on real data."""
    import warnings as _w

    import matplotlib.colors as mc

    from erbm_geo.indicators import indicator_table
    from erbm_geo.maps import static_map
    from erbm_geo.maps.classify import classify
    from erbm_geo.maps.vocabulary import INDICATEURS, couleurs

    t = indicator_table(of="communes")
    with _w.catch_warnings():
        _w.simplefilter("error")  # no mapclassify / matplotlib warning reaches the user
        fig = static_map(t, column="qpv_share")
    ind = INDICATEURS["qpv_share"]
    _, labels = classify(t["qpv_share"].to_numpy(), ind.nombre, k=5)
    shown = [x.get_text() for x in fig.texts]
    i = shown.index("Surface en QPV (%)")
    assert shown[0] == "Part de la surface en quartier prioritaire (QPV)"
    assert shown[i + 1 : i + 1 + 2 * len(labels) : 2] == labels and labels[0] == "0"
    assert sum(int(n) for n in shown[i + 2 : i + 2 + 2 * len(labels) : 2]) == 250
    swatches = [mc.to_hex(a.get_facecolor()) for a in fig.artists[: len(labels)]]
    assert swatches == couleurs(ind.palette, len(labels))


def _pdf(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


def test_map_book_by_epci_and_communes(tmp_path: Path, artifacts: Path) -> None:
    """`map --by-epci` and `--commune`: one PDF page per EPCI (after the overview) or per
    commune, ISO A4 portrait or A3, French text; pages kept as PNG in test-artifacts."""
    import re
    import shutil

    out = tmp_path / "qpv.pdf"
    assert run("-q", "map", "--indicator", "qpv_share", "--by-epci", "--out", str(out)) == 0
    n_epci = eg.indicators.indicator_table(of="communes")["siren_epci"].nunique()
    info = _pdf("pdfinfo", str(out))
    assert re.search(rf"^Pages:\s+{n_epci + 1}$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M)
    pages = _pdf("pdftotext", "-layout", str(out), "-").split("\f")
    assert "CA de Lens - Liévin" in "".join(pages)
    assert all("Surface en QPV (%)" in p and "Sources :" in p for p in pages[: n_epci + 1])
    assert "Ensemble des 250 communes : 3,0" in pages[0]
    for p in artifacts.glob("book_epci-*.png"):
        p.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "45", "-png", "-f", "1", "-l", "3", str(out), str(artifacts / "book_epci")],
        check=True,
    )
    assert len(list(artifacts.glob("book_epci-*.png"))) == 3
    one = tmp_path / "communes.pdf"
    assert (
        run(
            "-q",
            "map",
            "--indicator",
            "taux_pauvrete_iris_pct",
            "--commune",
            "Lens, 59178",
            "--page",
            "A3-landscape",
            "--out",
            str(one),
        )
        == 0
    )
    info = _pdf("pdfinfo", str(one))
    assert re.search(r"^Pages:\s+3$", info, re.M)
    assert re.search(r"^Page size:\s+1190\.\d+ x 841\.\d+ pts \(A3\)", info, re.M)
    text = _pdf("pdftotext", str(one), "-")
    assert "Douai (59178)" in text and "Lens (62498)" in text and "Rang : " in text
    shutil.copy(one, artifacts / "book_communes.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "2", "-l", "2", str(one), str(artifacts / "book_commune")],
        check=True,
    )


def test_map_refuses_book_options_that_do_not_fit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("-q", "map", "--indicator", "qpv_share", "--by-epci", "--out", str(tmp_path / "q.png")) == 2
    assert "use --out NAME.pdf" in capsys.readouterr().err
    assert (
        run(
            "-q",
            "map",
            "--indicator",
            "qpv_share",
            "--commune",
            "Nowhere-sur-Mer",
            "--out",
            str(tmp_path / "q.pdf"),
        )
        == 2
    )
    assert "Nowhere-sur-Mer" in capsys.readouterr().err
    assert not (tmp_path / "q.pdf").exists()
    assert run("-q", "map", "--indicator", "centre_nom", "--out", str(tmp_path / "c.svg")) == 0
