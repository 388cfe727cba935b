"""The atlas's tables opened in LibreOffice Calc (headless, French CSV import) as officials open
them: numbers as numbers, codes and words as text, yes/no as « oui »/« non », no formula, and the
workbooks' print set-up (landscape, one page wide, header repeated, filters)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.libreoffice import CSV_FR, SOFFICE, open_in_calc

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="Debian libreoffice-calc-nogui is not installed")


def test_workbooks(atlas_dir: Path) -> None:
    for name in ("communes", "cites", "friches_sites", "populations"):
        sheets = {s.name: s for s in open_in_calc(atlas_dir / "donnees" / f"{name}.xlsx")}
        assert list(sheets) == ["donnees", "dictionnaire", "sources"], name
        data = sheets["donnees"]
        assert data.header_rows_repeated and data.autofilter and data.landscape and data.fit_to_width, name
        assert not any(c.formula for r in data.rows for c in r), name
        assert all(c.kind == "string" for c in data.rows[0]), name
        key = {
            "communes": "code_insee",
            "cites": "cite_id",
            "friches_sites": "site_id",
            "populations": "code_insee",
        }
        assert {c.kind for c in data.column(key[name])} == {"string"}, name
    communes = {s.name: s for s in open_in_calc(atlas_dir / "donnees" / "communes.xlsx")}["donnees"]
    assert {c.kind for c in communes.column("population")} == {"float"}
    assert {c.kind for c in communes.column("qpv_share")} <= {"float", ""}
    assert {c.value for c in communes.column("in_basin")} == {"oui"}  # never VRAI/FAUX
    assert {c.value for c in communes.column("in_erbm_epci")} <= {"oui", "non"}
    cites = {s.name: s for s in open_in_calc(atlas_dir / "donnees" / "cites.xlsx")}["donnees"]
    assert {c.value for c in cites.column("unesco_inscribed")} == {"oui", "non"}


def test_the_french_csv_parses_with_the_decimal_comma(atlas_dir: Path) -> None:
    (sheet,) = open_in_calc(atlas_dir / "donnees" / "communes_tableur.csv", infilter=CSV_FR)
    assert {c.kind for c in sheet.column("population")} == {"float"}
    shares = [c for c in sheet.column("qpv_share") if c.kind]
    assert shares and {c.kind for c in shares} == {"float"}  # « 0,1234 » read as a number
    assert any(float(c.value) != round(float(c.value)) for c in shares)  # decimals kept, not dropped
    assert {c.value for c in sheet.column("in_basin")} == {"oui"}
    dico = {s.name: s for s in open_in_calc(atlas_dir / "donnees" / "communes.xlsx")}["dictionnaire"]
    rows = {r[0].value: r[2].value for r in dico.rows[1:]}
    assert "à importer comme texte" in rows["code_insee"] and "02691 devient 2691" in rows["code_insee"]
