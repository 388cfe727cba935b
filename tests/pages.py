"""Reading the atlas's pages in tests (a helper module, not a test module)."""

from __future__ import annotations

import html
import re
from pathlib import Path


def table_row(page: Path, label: str) -> list[str]:
    """Return the cells of the table row whose header cell is *label* (text, tags removed)."""
    src = page.read_text("utf-8")
    for tr in re.findall(r"<tr>(.*?)</tr>", src, re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        ]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row {label!r} in {page.name}")
