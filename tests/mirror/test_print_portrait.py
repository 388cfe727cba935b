"""A commune's portrait printed by Chromium (--print-to-pdf) as an official prints it: the map with
its scale bar and sources, page numbers and the edition's date on every page, no interactive
help text; the pages kept as PNG (pdftoppm) in test-artifacts to be looked at."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import browser

pytestmark = pytest.mark.skipif(
    browser.CHROMIUM is None or shutil.which("pdftotext") is None, reason="chromium and poppler-utils needed"
)


def test_the_printed_portrait_of_lens(atlas_dir: Path, artifacts: Path) -> None:
    pdf = artifacts / "atlas_portrait_62498.pdf"
    browser._run(
        [
            "--virtual-time-budget=8000",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            (atlas_dir / "communes" / "62498.html").as_uri(),
        ],
        timeout=120,
    )
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 3 <= pages <= 10
    for page in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert f"Page {page} sur {pages}" in text, page
        assert re.search(r"Atlas du Bassin minier, édition du \d{1,2}(er)? \w+ \d{4}", text), page
        assert "Cliquer sur la carte" not in text and "Rechercher une commune" not in text
        if page == 1:
            assert re.search(r"^\s*\d+ (k?m)\s*$", text, re.M), "the scale bar"
            assert "Plan IGN" in text or "Contours IGN" in text, "the map's sources"
            assert "Lens" in text
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf), str(artifacts / "atlas_portrait_62498")], check=True
    )
