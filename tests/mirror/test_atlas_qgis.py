"""The atlas's downloads in real QGIS: each GeoPackage styled as the atlas draws it, the project
``bassin-minier.qgz`` with its themes and A4 layouts, printed like the library's own map."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image

from erbm_geo.atlas.qgis import PROJECT, STATIONS
from erbm_geo.export.qgis import default_styles, read_styles
from erbm_geo.maps.printed.symbology import Classes, symbology
from erbm_geo.maps.vocabulary import CITE_CATEGORIES, INDICATEURS
from tests.qgis_tools import needs_qgis, probe

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
pytestmark = needs_qgis


def _open(atlas_dir: Path, name: str, id_field: str | None) -> dict[str, object]:
    ARTIFACTS.mkdir(exist_ok=True)
    path = atlas_dir / "donnees" / f"{name}.gpkg"
    return probe("layer", path, name, ARTIFACTS / f"qgis_atlas_{name}.png", id_field or "")


def _want(g: gpd.GeoDataFrame, column: str, key: str) -> dict[str, list[str]]:
    sym = symbology(g, column, Classes(), "x")
    return {
        str(k): [sym.labels[c] if c >= 0 else "Données manquantes"]
        for k, c in zip(g[key], sym.codes, strict=True)
    }


def test_communes_open_in_the_atlas_classes(atlas_dir: Path) -> None:
    path = atlas_dir / "donnees" / "communes.gpkg"
    g = gpd.read_file(path, layer="communes")
    seen = _open(atlas_dir, "communes", "code_insee")
    assert seen["valid"] and seen["type"] == "Polygon" and seen["count"] == 250
    assert seen["title"] == "Communes du Bassin minier : indicateurs" and "Sources" in str(seen["abstract"])
    names = [s.name for s in default_styles(g)]
    assert read_styles(path)["name"].tolist() == names and sorted(seen["styles"]) == sorted(names)
    first = next(c for c in g.columns if c in INDICATEURS)  # the atlas's first indicator in the table
    assert seen["classes"] == _want(g, first, "code_insee")  # QGIS draws each commune in the atlas's class
    assert seen["aliases"]["qpv_share"] == "Surface en QPV (%)"


def test_cites_by_kind_and_sites_by_status(atlas_dir: Path) -> None:
    cites = gpd.read_file(atlas_dir / "donnees" / "cites.gpkg", layer="cites")
    seen = _open(atlas_dir, "cites", "cite_id")
    rules = [(r["label"], r["colour"]) for r in seen["rules"]]  # type: ignore[union-attr]
    assert rules == [CITE_CATEGORIES[k] for k in ("inscrite", "erbm", "tampon")]
    kind = np.where(
        cites["unesco_inscribed"], "inscrite", np.where(cites["erbm_programme"], "erbm", "tampon")
    )
    drawn = seen["classes"]
    assert drawn == {str(i): [CITE_CATEGORIES[k][0]] for i, k in zip(cites["cite_id"], kind, strict=True)}
    sites = gpd.read_file(atlas_dir / "donnees" / "friches_sites.gpkg", layer="friches_sites")
    seen = _open(atlas_dir, "friches_sites", "site_id")
    assert seen["type"] == "Point" and seen["styles"] == ["Statut du site"]
    assert seen["classes"] == _want(sites, "site_statut", "site_id")


def test_reference_layers(atlas_dir: Path) -> None:
    seen = _open(atlas_dir, "qpv", None)
    assert seen["valid"] and seen["type"] == "MultiPolygon" and seen["count"] > 50
    assert "b_diagonal" in read_styles(atlas_dir / "donnees" / "qpv.gpkg")["qml"].iloc[0]  # hatched
    for name in ("bien_inscrit", "zone_tampon"):
        seen = _open(atlas_dir, name, None)
        assert seen["valid"] and len(seen["rules"]) == 1  # type: ignore[arg-type]
    seen = _open(atlas_dir, "gares", None)
    labels = {r["label"]: r["colour"] for r in seen["rules"]}  # type: ignore[union-attr]
    assert labels.items() <= {lab: c for lab, c in STATIONS.values()}.items() and "Gare SNCF" in labels


def test_the_project_opens_and_prints_like_the_library(atlas_dir: Path, tmp_path: Path) -> None:
    """Every layer valid from the folder, a theme and an A4 layout per indicator; the QPV layout
    draws the classes of the library's printed map of the same indicator, in the same colours."""
    from erbm_geo.cli import main

    out = tmp_path / "png"
    out.mkdir()
    seen = probe("project", atlas_dir / "donnees" / PROJECT, out)
    assert seen["read"] and seen["crs"] == "EPSG:2154"
    layers = [(x["name"], x["valid"]) for x in seen["layers"]]
    assert layers == [
        (n, True)
        for n in (
            "Gares et stations",
            "Sites en friche",
            "Cités minières",
            "Quartiers prioritaires",
            "Bien inscrit UNESCO",
            "Zone tampon UNESCO",
            "Communes",
        )
    ]
    communes = gpd.read_file(atlas_dir / "donnees" / "communes.gpkg", layer="communes")
    styles = default_styles(communes)
    assert sorted(seen["themes"]) == sorted(s.name for s in styles)
    assert [lo["export"] for lo in seen["layouts"]] == [0] * len(styles)
    qpv = next(lo for lo in seen["layouts"] if lo["name"] == "Carte A4 — Surface en QPV")
    assert "Part de la surface en quartier prioritaire (QPV)" in qpv["texts"]
    assert qpv["legend"] == [
        [
            [
                "Surface en QPV (%)",
                [r.label for r in styles[[s.name for s in styles].index("Surface en QPV")].rules],
            ]
        ]
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(qpv["png"], ARTIFACTS / "qgis_atlas_layout_qpv.png")
    printed = tmp_path / "printed.png"
    assert main(["-q", "map", "--indicator", "qpv_share", "--out", str(printed)]) == 0
    shutil.copy(printed, ARTIFACTS / "qgis_atlas_printed_qpv.png")
    style = styles[[s.name for s in styles].index("Surface en QPV")]
    for png in (qpv["png"], printed):  # loosely alike: every class drawn, in the same colour
        colours = {c for _, c in Image.open(png).convert("RGB").getcolors(1 << 22) or []}
        for r in style.rules:
            assert tuple(int(r.colour[i : i + 2], 16) for i in (1, 3, 5)) in colours, (png, r.label)


@pytest.mark.parametrize("name", ["communes", "cites"])
def test_every_gpkg_style_is_a_registry_indicator(atlas_dir: Path, name: str) -> None:
    from erbm_geo.vocabulary import registry

    st = read_styles(atlas_dir / "donnees" / f"{name}.gpkg")
    shorts = {c.short for c in registry().values() if c.palette is not None}
    extra = {"Type de cité"} if name == "cites" else set()
    assert set(st["name"]) <= shorts | extra and st["default"].sum() == 1
