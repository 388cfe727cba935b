"""Robustness 4 and 7: exports a spreadsheet cannot turn into formulas, that keep text whole,
that are byte-identical between runs, and whose interrupted writes leave nothing behind for long.
Synthetic tables (no mirror)."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from erbm_geo import export
from erbm_geo._atomic import clean_stale, write_atomic
from erbm_geo.errors import DataFormatError, InvalidGeometryError, UnknownOptionError

FORMULAS = [
    '=HYPERLINK("http://x","clic")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-1+1",
    "\tTAB",
    "\rCR",
    "'=already quoted",
    "''-twice",
]
SAFE = ["Lens", "L'Ermitage", "'apostrophe", "", "Cité n°12-bis", "1-2"]


def _table() -> gpd.GeoDataFrame:
    texts = FORMULAS + SAFE
    n = len(texts)
    return gpd.GeoDataFrame(
        {
            "nom": texts,
            "=cmd": ["x"] * n,
            "valeur": [-1.5 + i for i in range(n)],
            "entier": pd.array(range(-3, n - 3), dtype="Int64"),
        },
        geometry=[shapely.Point(687_000 + i, 7_037_000) for i in range(n)],
        crs="EPSG:2154",
        index=pd.Index([f"-{i}" if i % 2 else f"c{i}" for i in range(n)], name="code"),
    )


def test_csv_cells_and_headers_cannot_be_formulas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: the build date
    src = pd.DataFrame({"dataset": ["=evil"], "licence": ["Licence Ouverte"]}).set_index("dataset")
    p = export.write(_table(), tmp_path / "t.csv", sources=src)
    with open(p.with_suffix(".sources.csv"), encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh)) == [
            ["dataset", "licence", "built"],
            ["'=evil", "Licence Ouverte", "2026-01-01"],
        ]
    with open(p, encoding="utf-8", newline="") as fh:
        header, *body = list(csv.reader(fh))
    assert header == ["code", "nom", "'=cmd", "valeur", "entier"]
    assert len(body) == len(FORMULAS) + len(SAFE)  # a carriage return did not split a row
    for row in body:  # text columns: code, nom, =cmd
        for cell in (row[0], row[1], row[2]):
            assert not cell.startswith(export.FORMULA_TRIGGERS), cell
    assert [r[1] for r in body][: len(FORMULAS)] == ["'" + f for f in FORMULAS]
    assert [r[1] for r in body][len(FORMULAS) :] == SAFE  # safe text untouched
    assert [float(r[3]) for r in body][:2] == [-1.5, -0.5]  # numbers stay numbers
    assert [r[4] for r in body][:2] == ["-3", "-2"]


def test_every_sources_sheet_says_when_it_was_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CSV (both dialects) and XLSX: the sources sheet carries the build date, like the
    GeoPackage and GeoParquet metadata."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    src = pd.DataFrame({"dataset": ["qpv"], "licence": ["Licence Ouverte"]}).set_index("dataset")
    t = _table()
    fr = export.write(t, tmp_path / "f.csv", sources=src, dialect="fr")
    side = pd.read_csv(fr.with_suffix(".sources.csv"), sep=";", encoding="utf-8-sig", dtype=str)
    assert side.columns.tolist() == ["dataset", "licence", "construit_le"]
    assert side["construit_le"].tolist() == ["2026-01-01"]
    x = export.write(t, tmp_path / "t.xlsx", sources=src)
    sheet = pd.read_excel(x, sheet_name="sources", dtype=str)
    assert sheet.columns.tolist() == ["dataset", "licence", "construit_le"]
    assert sheet["construit_le"].tolist() == ["2026-01-01"]
    assert not export.read_sources(tmp_path / "f.csv").empty


def test_csv_round_trip_restores_the_text(tmp_path: Path) -> None:
    t = _table()
    back = export.read(export.write(t, tmp_path / "t.csv"))
    assert list(back.columns) == ["code", "nom", "=cmd", "valeur", "entier"]
    assert back["nom"].fillna("").tolist() == t["nom"].tolist()
    assert back["code"].tolist() == t.index.tolist()
    assert back["valeur"].tolist() == t["valeur"].tolist()


@pytest.mark.parametrize("suffix", [".csv", ".gpkg"])
def test_nul_text_is_refused(tmp_path: Path, suffix: str) -> None:
    t = _table()
    t.loc["c0", "nom"] = "Lens\x00cut here"
    with pytest.raises(DataFormatError, match=r"'nom' holds text with a NUL.*\['c0'\]"):
        export.write(t, tmp_path / f"t{suffix}")
    assert not list(tmp_path.iterdir())


def test_parquet_keeps_nul_text(tmp_path: Path) -> None:
    t = _table()
    t.loc["c0", "nom"] = "Lens\x00kept"
    assert export.read(export.write(t, tmp_path / "t.parquet")).loc["c0", "nom"] == "Lens\x00kept"


def test_duplicate_columns_are_refused(tmp_path: Path) -> None:
    t = _table()
    t.columns = ["nom", "nom", "valeur", "entier", "geometry"]
    with pytest.raises(DataFormatError, match=r"duplicate column names \['nom'\]"):
        export.write(t, tmp_path / "t.gpkg")


def test_geopackage_is_byte_deterministic_and_env_restored(tmp_path: Path) -> None:
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    a = export.write(_table(), tmp_path / "a" / "t.gpkg")
    time.sleep(1.1)
    b = export.write(_table(), tmp_path / "b" / "t.gpkg")
    assert a.read_bytes() == b.read_bytes()
    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "1999-09-09T00:00:00.000Z"})
    try:
        export.write(_table(), tmp_path / "c" / "t.gpkg")
        assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") == "1999-09-09T00:00:00.000Z"
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


KILLED_WRITER = """
import sys, time
from pathlib import Path
from erbm_geo._atomic import write_atomic

def slow(p: Path) -> None:
    p.write_text("half")
    (p.parent / (p.name + "-journal")).write_text("journal")
    print("writing", flush=True)
    time.sleep(60)

write_atomic(Path(sys.argv[1]), slow)
"""


def test_kill_9_leftovers_are_cleaned_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "x.gpkg"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".x.gpkg.") and not target.exists()
    # a live writer's folder is never touched
    live = tmp_path / f".x.gpkg.{left[0].split('.')[3].rsplit('-', 1)[0]}-{os.getpid()}.abc"
    live.mkdir()
    # 0.1 leftovers: removed once old, kept while they may still be written
    old = [tmp_path / ".x.gpkg.k2j3h4.gpkg", tmp_path / ".x.gpkg.k2j3h4.gpkg-journal"]
    for p in old:
        p.write_text("old")
        os.utime(p, (time.time() - 7200, time.time() - 7200))
    young = tmp_path / ".x.gpkg.zz9.gpkg"
    young.write_text("young")
    export.write(_table(), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["x.gpkg", live.name, young.name])
    assert clean_stale(target) == []


def test_interrupted_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("previous complete version", "utf-8")

    def crash(p: Path) -> None:
        p.write_text("half a fi", "utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, crash)
    assert target.read_text("utf-8") == "previous complete version"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_geopackage_has_one_layer_and_its_metadata(tmp_path: Path) -> None:
    """One layer, then QGIS's layer_styles table; the dtypes, the index and the sources travel
    in the GeoPackage metadata extension (gpkg_metadata), with the layer's QGIS metadata."""
    import sqlite3
    import warnings

    t = _table()
    src = pd.DataFrame({"dataset": ["qpv", "cog"], "licence": ["Licence Ouverte", "=danger"]})
    p = export.write(t, tmp_path / "t.gpkg", sources=src)
    assert [(str(n), g) for n, g in pyogrio.list_layers(p)] == [("t", "Point"), ("layer_styles", None)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "More than one layer found" and the like fail here
        plain = gpd.read_file(p, layer="t")
        bare = gpd.read_file(export.write(t, tmp_path / "bare.gpkg", styles=()))  # no styles: one table
    assert len(plain) == len(t) == len(bare)
    back = export.read(p)
    assert back.index.name == "code" and back.index.tolist() == t.index.tolist()
    assert str(back["entier"].dtype) == "Int64" and back["nom"].tolist() == t["nom"].tolist()
    assert export.read_sources(p).to_dict("list") == src.to_dict("list")
    with sqlite3.connect(p) as con:
        (n,) = con.execute("select count(*) from gpkg_metadata").fetchone()
        refs = con.execute("select reference_scope, table_name from gpkg_metadata_reference").fetchall()
    assert n == 2 and refs == [("table", "t"), ("table", "t")]  # ours, and QGIS's title and abstract
    assert export.read_sources(export.write(t, tmp_path / "u.gpkg")).empty  # none given


def test_french_csv_for_spreadsheets(tmp_path: Path) -> None:
    t = _table()
    t["flag"] = [i % 2 == 0 for i in range(len(t))]
    t["part"] = [0.123456 * i for i in range(len(t))]
    p = export.write(
        t, tmp_path / "t.csv", dialect="fr", decimals={"part": 3}, sources=pd.DataFrame({"dataset": ["qpv"]})
    )
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("code;nom;'=cmd;valeur;entier;flag;part")
    back = pd.read_csv(
        p,
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"code": str},
        keep_default_na=False,
        na_values=[""],
    )
    assert back["valeur"].tolist() == t["valeur"].tolist()  # the decimal comma parses back
    assert back["part"].tolist() == [round(0.123456 * i, 3) for i in range(len(t))]
    assert back["flag"].tolist() == ["oui" if i % 2 == 0 else "non" for i in range(len(t))]
    assert ";-1,5;" in text  # decimal comma
    assert all(not str(v).startswith(("=", "+", "@")) for v in back["nom"])  # never a formula
    assert p.with_suffix(".sources.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnknownOptionError, match="unknown CSV dialect"):
        export.write(t, tmp_path / "u.csv", dialect="excel")  # type: ignore[arg-type]


def test_xlsx_sheets_text_never_formula_and_deterministic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795996800")
    t = _table()
    t.loc["c1" if "c1" in t.index else t.index[1], "nom"] = "literal _x000D_ stays"
    dico = pd.DataFrame({"colonne": ["nom"], "libellé": ["Nom"], "définition": ["=2+2"]})
    src = pd.DataFrame({"dataset": ["qpv"], "licence": ["Licence Ouverte"]})
    a = export.write(t, tmp_path / "a.xlsx", sources=src, dictionary=dico, decimals={"valeur": 0})
    time.sleep(1.1)
    b = export.write(t, tmp_path / "b.xlsx", sources=src, dictionary=dico, decimals={"valeur": 0})
    assert a.read_bytes() == b.read_bytes()
    wb = load_workbook(a)
    assert wb.sheetnames == ["donnees", "dictionnaire", "sources"]
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    back = export.read(a)
    assert back["nom"].fillna("").tolist() == t["nom"].tolist()  # text kept whole
    assert back["valeur"].tolist() == t["valeur"].round(0).tolist()
    assert list(back.columns) == ["code", "nom", "=cmd", "valeur", "entier"]
    assert pd.read_excel(a, sheet_name="dictionnaire")["définition"].tolist() == ["=2+2"]
    default = export.write(t, tmp_path / "c.xlsx")  # no dictionary given: columns and types
    assert pd.read_excel(default, sheet_name="dictionnaire")["colonne"].tolist() == [
        "code",
        "nom",
        "=cmd",
        "valeur",
        "entier",
    ]


def test_every_file_says_when_it_was_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json as _json
    import zipfile

    import pyarrow.parquet as pq

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795996800")  # 2026-11-30
    t = _table()
    pqt = export.write(t, tmp_path / "t.parquet", sources=pd.DataFrame({"dataset": ["qpv"]}))
    meta = pq.read_schema(pqt).metadata
    assert _json.loads(meta[b"geo"])["version"] == "1.1.0"  # GeoParquet 1.1
    assert meta[b"erbm_geo:built"] == b"2026-11-30"
    assert export.read_sources(pqt).to_dict("list") == {"dataset": ["qpv"]}
    gpkg = export.write(t, tmp_path / "t.gpkg")
    assert pyogrio.read_info(gpkg, layer="t")["layer_metadata"]["ERBM_GEO_BUILT"] == "2026-11-30"
    xlsx = export.write(t, tmp_path / "t.xlsx")
    assert b"2026-11-30T00:00:00Z" in zipfile.ZipFile(xlsx).read("docProps/core.xml")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert (
        export.build_date().hour == 0
        and export.build_date().date()
        == __import__("datetime").datetime.now(__import__("datetime").UTC).date()
    )


@pytest.mark.filterwarnings("error::FutureWarning")  # a NaN filled with False warned
@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".gpkg", ".parquet"])
def test_text_columns_with_no_value_and_rows_without_geometry(tmp_path: Path, suffix: str) -> None:
    """An all-missing nullable text column is written (it once failed the NUL check), and rows
    without geometry are kept with missing_geometry="keep", refused otherwise."""
    gdf = gpd.GeoDataFrame(
        {
            "code": pd.array(["02691", None, "7"], dtype="string"),
            "vide": pd.array([None] * 3, dtype="string"),
        },
        geometry=[shapely.Point(700_000, 7_050_000), None, shapely.Point(701_000, 7_050_000)],
        crs=2154,
    )
    with pytest.raises(InvalidGeometryError, match="have no geometry"):
        export.write(gdf, tmp_path / f"a{suffix}")
    out = export.write(gdf, tmp_path / f"b{suffix}", missing_geometry="keep")
    back = export.read(out)
    assert len(back) == 3 and back["code"].tolist()[0] == "02691" and back["vide"].isna().sum() == 3
    if suffix in (".gpkg", ".parquet"):
        assert back.geometry.isna().tolist() == [False, True, False]
    with pytest.raises(UnknownOptionError, match="missing_geometry"):
        export.write(gdf, tmp_path / f"c{suffix}", missing_geometry="drop")  # type: ignore[arg-type]


def test_bytes_written_atomically_like_a_plain_write(tmp_path: Path) -> None:
    from erbm_geo._atomic import write_bytes_atomic

    plain = tmp_path / "plain.js"
    plain.write_bytes(b"x")
    out = write_bytes_atomic(tmp_path / "carte.js", b"var a = 1;")
    assert out.read_bytes() == b"var a = 1;"
    assert out.stat().st_mode == plain.stat().st_mode  # the umask applies, not a private 0600
    write_bytes_atomic(out, b"var a = 2;")  # replaced whole
    assert out.read_bytes() == b"var a = 2;"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["carte.js", "plain.js"]


def test_bytes_write_removes_a_dead_writers_temporary_file_and_keeps_a_live_ones(tmp_path: Path) -> None:
    import subprocess
    import sys

    from erbm_geo._atomic import _host, write_bytes_atomic

    dead = int(
        subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
        ).stdout
    )
    stale = tmp_path / f".carte.js.{_host()}-{dead}.0a1b2c3d4e5f"
    stale.write_bytes(b"var a = ")  # a write killed half-way
    live = tmp_path / f".carte.js.{_host()}-{os.getpid()}.live"
    live.write_bytes(b"")
    other = tmp_path / f".carte.jsx.{_host()}-{dead}.0a1b2c3d4e5f"  # another file's: not this write's
    other.write_bytes(b"")
    write_bytes_atomic(tmp_path / "carte.js", b"var a = 1;")
    assert not stale.exists() and live.exists() and other.exists()


def test_a_failed_bytes_write_names_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    from erbm_geo._atomic import write_bytes_atomic

    target = tmp_path / "page.html"
    target.mkdir()  # a folder where the file should go: the rename fails
    (target / "dedans.txt").write_text("à garder")
    with pytest.raises(OSError) as info:
        write_bytes_atomic(target, b"<p>Lens</p>")
    assert info.value.filename == str(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]
    assert (target / "dedans.txt").read_text() == "à garder"
