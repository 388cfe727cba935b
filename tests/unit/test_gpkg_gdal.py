"""GeoPackages as GDAL and QGIS read them: one geometry type, a title and a description in
gpkg_contents, no warning from Debian's ogrinfo — and what was written read back as it was."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from erbm_geo import export

X0, Y0 = 700_000.0, 7_000_000.0
OGRINFO = shutil.which("ogrinfo")


def _mixed(kind: str) -> gpd.GeoDataFrame:
    if kind == "polygon":
        single = [shapely.box(X0 + i * 10, Y0, X0 + i * 10 + 5, Y0 + 5) for i in range(5)]
        multi = shapely.MultiPolygon(
            [shapely.box(X0, Y0 + 50, X0 + 5, Y0 + 55), shapely.box(X0 + 9, Y0 + 50, X0 + 12, Y0 + 55)]
        )
    elif kind == "line":
        single = [shapely.LineString([(X0 + i, Y0), (X0 + i + 3, Y0 + 4)]) for i in range(5)]
        multi = shapely.MultiLineString([[(X0, Y0), (X0 + 1, Y0 + 1)], [(X0 + 5, Y0), (X0 + 6, Y0 + 1)]])
    else:
        single = [shapely.Point(X0 + i, Y0) for i in range(5)]
        multi = shapely.MultiPoint([(X0, Y0 + 3), (X0 + 4, Y0 + 3)])
    geoms = [single[0], multi, *single[1:3], multi, *single[3:]]
    return gpd.GeoDataFrame(
        {"n": np.arange(len(geoms))},
        geometry=geoms,
        crs=2154,
        index=pd.Index([f"c{i}" for i in range(len(geoms))], name="code"),
    )


@pytest.mark.parametrize(
    ("kind", "declared"), [("polygon", "MULTIPOLYGON"), ("line", "MULTILINESTRING"), ("point", "MULTIPOINT")]
)
def test_single_and_multi_parts_make_one_multi_type_and_come_back(
    tmp_path: Path, kind: str, declared: str
) -> None:
    gdf = _mixed(kind)
    gdf.attrs["title"] = "Cités <test> & « titre »"
    out = export.write(gdf, tmp_path / "x.gpkg")
    with sqlite3.connect(out) as db:
        (gtype,) = db.execute("select geometry_type_name from gpkg_geometry_columns").fetchone()
        ident, desc = db.execute("select identifier, description from gpkg_contents").fetchone()
        (version,) = db.execute("pragma user_version").fetchone()
    assert gtype == declared and ident == "Cités <test> & « titre »" and version == 10300
    assert desc == ""  # no sources given: nothing to say
    back = export.read(out)
    assert back.geometry.geom_type.tolist() == gdf.geometry.geom_type.tolist()
    assert all(a.equals(b) for a, b in zip(back.geometry, gdf.geometry, strict=True))
    assert back.index.equals(gdf.index)


def test_one_type_stays_as_it_is_and_sources_describe_the_layer(tmp_path: Path) -> None:
    gdf = _mixed("polygon").iloc[[0, 2, 3]]
    sources = pd.DataFrame(
        {"description": ["Contours des communes"], "producteur": ["IGN"], "licence": ["Licence Ouverte"]},
        index=pd.Index(["communes_59"], name="jeu_de_donnees"),
    )
    out = export.write(gdf, tmp_path / "one.gpkg", sources=sources)
    with sqlite3.connect(out) as db:
        (gtype,) = db.execute("select geometry_type_name from gpkg_geometry_columns").fetchone()
        ident, desc = db.execute("select identifier, description from gpkg_contents").fetchone()
    assert gtype == "POLYGON" and ident == "one"
    assert desc == "Sources : Contours des communes — IGN — Licence Ouverte"
    mixed = gpd.GeoDataFrame(geometry=[shapely.Point(X0, Y0), shapely.box(X0, Y0, X0 + 1, Y0 + 1)], crs=2154)
    out = export.write(mixed, tmp_path / "mixed.gpkg")
    with sqlite3.connect(out) as db:
        (gtype,) = db.execute("select geometry_type_name from gpkg_geometry_columns").fetchone()
    assert gtype == "GEOMETRY"  # a real mix says so
    assert export.read(out).geometry.geom_type.tolist() == ["Point", "Polygon"]


@pytest.mark.skipif(
    OGRINFO is None, reason="Debian gdal-bin is not installed (bash scripts/dev.sh test installs it)"
)
def test_ogrinfo_reads_them_without_a_warning(tmp_path: Path) -> None:
    for kind in ("polygon", "line", "point"):
        out = export.write(_mixed(kind), tmp_path / f"{kind}.gpkg")
        run = subprocess.run(
            [str(OGRINFO), "-al", "-so", str(out)], capture_output=True, text=True, check=True
        )
        text = run.stdout + run.stderr
        assert "Warning" not in text and "ERROR" not in text, text[:500]
        assert f"Geometry: Multi {kind.title().replace('Line', 'Line String')}" in text, text[:800]
