"""Open files in LibreOffice Calc headless (Debian ``libreoffice-calc-nogui``), as partners open
them, and read back what Calc made of each cell (a helper module, not a test module).

The file is converted by ``soffice --headless --convert-to fods`` (flat OpenDocument: plain
XML) in a private profile; each cell's OpenDocument value type (``float``, ``string``,
``boolean``…), its value and whether it holds a formula are read from that XML, with the sheet's
print set-up.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

SOFFICE = shutil.which("soffice")
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}
#: Calc's CSV import as a French user gets it: ';', '"', UTF-8, from line 1, French locale.
CSV_FR = "CSV:59,34,76,1,,1036"


@dataclass
class Cell:
    kind: str  # OpenDocument value type: float, string, boolean, date… ("" for an empty cell)
    value: str  # the value (office:value for numbers), else the text shown
    formula: bool


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]
    header_rows_repeated: bool
    autofilter: bool
    landscape: bool
    fit_to_width: bool

    def column(self, name: str) -> list[Cell]:
        """The cells under the header *name* (row 1)."""
        i = [c.value for c in self.rows[0]].index(name)
        return [r[i] if i < len(r) else Cell("", "", False) for r in self.rows[1:]]


def _attr(el: ET.Element, ns: str, name: str) -> str | None:
    return el.get(f"{{{NS[ns]}}}{name}")


def _cells(row: ET.Element) -> list[Cell]:
    out: list[Cell] = []
    for c in row.findall("table:table-cell", NS):
        n = int(_attr(c, "table", "number-columns-repeated") or 1)
        kind = _attr(c, "office", "value-type") or ""
        text = "".join(p.text or "" for p in c.iter(f"{{{NS['text']}}}p"))
        value = _attr(c, "office", "value") if kind == "float" else text
        cell = Cell(kind, value or "", _attr(c, "table", "formula") is not None)
        out.extend([cell] * min(n, 64))  # trailing empty cells repeat to column XFD
    while out and not out[-1].kind and not out[-1].value:
        out.pop()
    return out


def open_in_calc(path: Path, *, infilter: str | None = None) -> list[Sheet]:
    """Return every sheet of *path* as LibreOffice Calc reads it."""
    assert SOFFICE, "Debian libreoffice-calc-nogui is required (apt-get install libreoffice-calc-nogui)"
    with tempfile.TemporaryDirectory() as tmp:
        args = [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile"]
        if infilter:
            args.append(f"--infilter={infilter}")
        subprocess.run(
            [*args, "--convert-to", "fods", "--outdir", tmp, str(path)],
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )
        root = ET.parse(Path(tmp) / (path.stem + ".fods")).getroot()
    layouts = {
        _attr(pl, "style", "name"): pl.find("style:page-layout-properties", NS)
        for pl in root.iter(f"{{{NS['style']}}}page-layout")
    }
    landscape = any(
        p is not None and _attr(p, "style", "print-orientation") == "landscape" for p in layouts.values()
    )
    fit = any(p is not None and _attr(p, "style", "scale-to-X") == "1" for p in layouts.values())
    ranges = root.findall(".//table:database-range", NS)
    sheets = []
    for t in root.iter(f"{{{NS['table']}}}table"):
        name = _attr(t, "table", "name") or ""
        rows = []
        for r in t.iter(f"{{{NS['table']}}}table-row"):
            cells = _cells(r)
            if cells:
                rows.extend([cells] * min(int(_attr(r, "table", "number-rows-repeated") or 1), 1))
        filt = any(
            (_attr(d, "table", "target-range-address") or "").split(".")[0].strip("'$") == name
            and _attr(d, "table", "display-filter-buttons") == "true"
            for d in ranges
        )
        sheets.append(
            Sheet(name, rows, t.find("table:table-header-rows", NS) is not None, filt, landscape, fit)
        )
    return sheets
