"""erbm-geo where: one point in French, a French landlord's file answered row by row, refusals."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

from erbm_geo.cli import main

# a file as a spreadsheet exports it: ';', decimal commas, a code with a leading zero, a quoted
# field, a row without coordinates, one swapped, one in Paris, one with a field too many,
# a column named like an answer (code_insee), Windows-1252 accents
FILE = (
    "id;Adresse;Latitude;Longitude;code_insee\r\n"
    "02691;Rue de la Fosse 9;50,4322;2,8319;62498\r\n"
    "0007;Sans coordonnées;;;\r\n"
    '0008;"Cité ""des"" Mines";2,8319;50,4322;62498\r\n'
    "0009;Paris;48,8566;2,3522;75056\r\n"
    "0010;Brebières;50,35;3,0;62173;en trop\r\n"
)


def _file(tmp_path: Path, encoding: str = "cp1252") -> Path:
    p = tmp_path / "logements.csv"
    p.write_bytes(FILE.encode(encoding))
    return p


def test_one_point_prints_a_french_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "where", "50.4322, 2.8319"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Point : latitude 50,43220, longitude 2,83190\n")
    assert "Commune : Lens (62498), dans le Bassin minier" in out and "Quartier prioritaire (QPV) : " in out
    assert main(["-q", "where", "--lonlat", "2.8319 50.4322"]) == 0
    assert "Commune : Lens (62498)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2.8319, 50.4322"], "looks swapped; give it with --lonlat"),
        (["95, 2"], "hors limites"),
        (["Lens"], "not a pair of coordinates"),
        ([], "give either a POINT"),
        (["50.4, 2.8", "--out", "x.csv"], "apply with --csv only"),
    ],
)
def test_bad_points_exit_2_with_the_fix(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-q", "where", *args]) == 2
    assert message in capsys.readouterr().err


def test_a_french_file_keeps_every_row_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _file(tmp_path)
    out = tmp_path / "reponses.csv"
    assert main(["-q", "where", "--csv", str(src), "--out", str(out), "--dialect", "fr"]) == 0
    err = capsys.readouterr().err
    assert "2 of 5 rows have no usable coordinates" in err and "lines 3, 4" in err
    assert "1 of 5 rows lie outside the Nord and the Pas-de-Calais" in err and "lines 5" in err
    assert "more fields than the header" in err and "'code_insee_ici'" in err
    got = pd.read_csv(out, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert got.columns[:6].tolist() == [
        "id",
        "Adresse",
        "Latitude",
        "Longitude",
        "code_insee",
        "champs_en_trop",
    ]
    assert got["id"].tolist() == ["02691", "0007", "0008", "0009", "0010"]  # order and leading zeros
    assert got["Adresse"].tolist()[2] == 'Cité "des" Mines' and got["Adresse"].tolist()[4] == "Brebières"
    assert got["code_insee_ici"].tolist() == ["62498", "", "", "", "62173"]
    assert got["in_basin"].tolist() == ["oui", "", "", "non", "oui"]
    assert got["remarque"].tolist()[1] == "coordonnées manquantes ou illisibles"
    assert got["remarque"].tolist()[2].startswith("latitude et longitude semblent inversées")
    assert got["remarque"].tolist()[3].startswith("hors du Nord et du Pas-de-Calais")
    assert got["champs_en_trop"].tolist()[4] == "en trop"


def test_xlsx_and_geopackage_outputs(tmp_path: Path) -> None:
    src = _file(tmp_path, "utf-8-sig")
    assert main(["-q", "where", "--csv", str(src), "--out", str(tmp_path / "r.xlsx")]) == 0
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["donnees", "dictionnaire", "sources"]
    cell = wb["donnees"]["A2"]
    assert cell.value == "02691" and cell.data_type == "s"
    labels = {r[0]: r[1] for r in wb["dictionnaire"].iter_rows(min_row=2, values_only=True)}
    assert labels["unesco_statut"] == "Patrimoine mondial UNESCO" and labels["code_insee_ici"] == "Code INSEE"
    assert main(["-q", "where", "--csv", str(src), "--out", str(tmp_path / "r.gpkg")]) == 0
    g = gpd.read_file(tmp_path / "r.gpkg", layer="r")
    assert len(g) == 5 and g.crs.to_epsg() == 2154
    assert g.geometry.isna().tolist() == [False, True, True, False, False]  # kept, without a point
    assert g["nom_commune"].tolist()[0] == "Lens"


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("", [], "is empty"),
        ("id;lat;lon\r\n", [], "no row under its header"),
        ("id,x,y\r\n1,50.4,2.8\r\n", [], "no latitude column found"),
        ("id;lat;lon\r\n1;50,4;2,8\r\n", ["--lat", "Y"], "no column 'Y'"),
        ("id;lat;lat\r\n1;50,4;2,8\r\n", [], "repeats"),
        ("id;lat,lon\r\n1;50.4,2.8\r\n", [], "separator"),
        ("id;lat;lon\r\n1;50,4;2,8\r\n", ["--out", "x.txt"], "unsupported format"),
        ("id;lat;lon\r\n1;50,4;2,8\r\n", ["--lonlat"], "--lonlat applies to a POINT"),
    ],
)
def test_bad_files_exit_2_naming_the_fix(
    tmp_path: Path, text: str, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "f.csv"
    src.write_text(text, encoding="utf-8")
    out = ["--out", str(tmp_path / "o.csv")] if "--out" not in args else []
    assert main(["-q", "where", "--csv", str(src), *out, *args]) == 2
    assert message in capsys.readouterr().err


def test_addresses_geocoded_through_a_local_stand_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from erbm_geo import settings
    from tests.geocoder import service

    src = tmp_path / "adresses.csv"
    src.write_text(
        "id;numero;voie;commune\r\n"
        "1;1;rue de l'Essai;62300 Lens\r\n"
        "2;;nulle part;\r\n"
        "3;;Rue incertaine;Lens\r\n"
        "4;;=cmd|' /C calc'!A0;\r\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.xlsx"
    with service() as (url, asked):
        monkeypatch.setattr(settings, "geocoder_url", url)
        args = ["-q", "where", "--csv", str(src), "--geocode", "numero", "--geocode", "voie"]
        assert main([*args, "--geocode", "commune", "--out", str(out)]) == 0
    assert asked["requests"] == ["/search/csv"]
    err = capsys.readouterr().err
    assert "1 of 4 rows have an address the geocoding service did not find" in err and "lines 3" in err
    assert "score under the threshold" in err and "lines 4" in err
    ws = openpyxl.load_workbook(out)["donnees"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["nom_commune"] == "Lens" and rows[0]["geocode_score"] == 0.93
    assert rows[1]["remarque"] == "adresse non trouvée" and rows[1]["nom_commune"] is None
    assert rows[2]["remarque"] == "adresse trouvée avec un score sous le seuil"
    assert rows[2]["geocode_label"] == "Rue Incertaine 62300 Lens"
    cell = ws.cell(row=5, column=head.index("geocode_label") + 1)  # text from the service stays text
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","clic")'  # a string, not a formula
    # offline: a clear error, exit 2, nothing written
    monkeypatch.setattr(settings, "geocoder_url", "http://127.0.0.1:9")
    assert main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    assert "cannot be reached" in capsys.readouterr().err and not (tmp_path / "x.csv").exists()
