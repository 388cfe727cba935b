"""Every GeoPackage the library publishes, read by Debian's ogrinfo as a GIS analyst's GDAL
reads it: no warning, one geometry type, a French title and the sources in gpkg_contents."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from erbm_geo.cli import main
from tests.checks import every

OGRINFO = shutil.which("ogrinfo")
pytestmark = pytest.mark.skipif(OGRINFO is None, reason="Debian gdal-bin is not installed")


def _ogrinfo(path: Path) -> str:
    run = subprocess.run([str(OGRINFO), "-al", "-so", str(path)], capture_output=True, text=True, check=True)
    return run.stdout + run.stderr


def _contents(path: Path) -> tuple[str, str, str]:
    with sqlite3.connect(path) as db:
        ident, desc = db.execute(
            "select identifier, description from gpkg_contents where data_type = 'features'"
        ).fetchone()
        (gtype,) = db.execute("select geometry_type_name from gpkg_geometry_columns").fetchone()
    return str(ident), str(desc), str(gtype)


def test_the_atlas_downloads(atlas_dir: Path) -> None:
    expected = {
        "communes.gpkg": ("Communes du Bassin minier : indicateurs", "POLYGON"),
        "cites.gpkg": ("Cités minières du Bassin minier : indicateurs", "MULTIPOLYGON"),
        "friches_sites.gpkg": ("Sites en friche du Bassin minier (Cartofriches, extrait du ", "POINT"),
        "qpv.gpkg": ("Quartiers prioritaires de la politique de la ville (QPV ", "MULTIPOLYGON"),
        "bien_inscrit.gpkg": ("Bassin minier Patrimoine mondial : éléments du bien inscrit", "POLYGON"),
        "zone_tampon.gpkg": ("Bassin minier Patrimoine mondial : zone tampon", "POLYGON"),
        "gares.gpkg": ("Gares et stations du Bassin minier", "POINT"),
    }
    found = sorted(p.name for p in (atlas_dir / "donnees").glob("*.gpkg"))
    assert found == sorted(expected)
    for name, (title, gtype) in expected.items():
        path = atlas_dir / "donnees" / name
        text = _ogrinfo(path)
        assert "Warning" not in text and "ERROR" not in text and "Geometry: Unknown" not in text, text[:300]
        ident, desc, declared = _contents(path)
        assert ident.startswith(title) and declared == gtype
        assert desc.startswith("Sources : ") and ("Licence Ouverte" in desc or "ODbL" in desc)


def test_the_command_line_s(tmp_path: Path, atlas_dir: Path) -> None:
    """The CLI's GeoPackage: the atlas's columns and French sources (it had English titles and
    no siren_epci)."""
    out = tmp_path / "cites.gpkg"
    assert main(["-q", "indicators", "--of", "cites", "--out", str(out)]) == 0
    text = _ogrinfo(out)
    assert "Warning" not in text and "Geometry: Multi Polygon" in text
    ident, desc, _ = _contents(out)
    assert ident.startswith("Indicateurs des cités minières (") and desc.startswith("Sources : ")
    assert desc == _contents(atlas_dir / "donnees" / "cites.gpkg")[1]  # the atlas's French sources
    import geopandas as gpd

    cli = gpd.read_file(out, layer="cites").columns.tolist()
    assert cli == gpd.read_file(atlas_dir / "donnees" / "cites.gpkg", layer="cites").columns.tolist()
    places = tmp_path / "lieux.csv"
    places.write_text("id;lat;lon\n1;50,4322;2,8319\n2;;\n", encoding="utf-8")
    assert main(["-q", "where", "--csv", str(places), "--out", str(tmp_path / "ici.gpkg")]) == 0
    text = _ogrinfo(tmp_path / "ici.gpkg")
    assert "Warning" not in text and "Geometry: Point" in text and "Feature Count: 2" in text


def test_every_download_names_its_sources(atlas_dir: Path) -> None:
    """The friche sites' and the populations' sources sheets were empty or held only the COG:
    their datasets were missing from the sheet they are cut from."""
    import openpyxl
    import pandas as pd

    from erbm_geo.atlas.friches import SOURCES as FRICHES
    from erbm_geo.layers.population import POPULATION_YEARS

    data = atlas_dir / "donnees"
    want = {
        "friches_sites": {FRICHES[-1]},
        "populations": {"cog_communes", *(f"populations_{y}" for y in POPULATION_YEARS)},
        "populations_long": {"cog_communes", *(f"populations_{y}" for y in POPULATION_YEARS)},
        "communes": {"communes_59", "qpv", "cartofriches_communes"},
        "cites": {"cites_minieres", "cites_erbm", "bien_inscrit"},
    }
    for name, datasets in want.items():
        for sheet in (f"{name}.sources.csv", f"{name}_tableur.sources.csv"):
            path = data / sheet
            table = pd.read_csv(path, sep=";" if "tableur" in sheet else ",", encoding="utf-8-sig", dtype=str)
            assert datasets <= set(table["jeu_de_donnees"]), (sheet, datasets - set(table["jeu_de_donnees"]))
            assert every(table["description"].notna()) and len(table) >= len(datasets)
        if (data / f"{name}.xlsx").exists():
            ws = openpyxl.load_workbook(data / f"{name}.xlsx", read_only=True)["sources"]
            listed = {r[0] for r in ws.iter_rows(min_row=2, values_only=True)}
            assert datasets <= listed, (name, datasets - listed)
