"""QGIS projects: relative GeoPackages, a theme and an A4 layout per style, inert text; real QGIS."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from erbm_geo import export
from erbm_geo.errors import DataNotFoundError, UnknownOptionError
from erbm_geo.export.qgis import ProjectLayer, default_styles, inert, layer_style, layout_text, qgis_project
from tests.qgis_tools import needs_qgis, probe

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
HOSTILE = "Cité « <b>L'Escaut</b> » & [% @project_path %] ]]> '; --"


def _layers(folder: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(3)
    n = 24
    communes = gpd.GeoDataFrame(
        {
            "nom": [f"Commune {i}" for i in range(n)],
            "qpv_share": np.r_[np.zeros(6), rng.uniform(0, 0.6, n - 6)],
            "centre_distance_m": rng.uniform(0, 20_000, n),
        },
        geometry=[
            shapely.box(
                700_000 + 1000 * (i % 6),
                7_000_000 + 1000 * (i // 6),
                700_900 + 1000 * (i % 6),
                7_000_900 + 1000 * (i // 6),
            )
            for i in range(n)
        ],
        crs=2154,
        index=pd.Index([f"{62000 + i}" for i in range(n)], name="code_insee"),
    )
    communes.attrs["title"] = HOSTILE
    points = gpd.GeoDataFrame(
        {"nature": [HOSTILE, "gare"] * 5},
        geometry=[shapely.Point(700_500 + 500 * i, 7_001_500) for i in range(10)],
        crs=2154,
    )
    folder.mkdir(parents=True, exist_ok=True)
    a = export.write(communes, folder / "communes.gpkg")
    b = export.write(points, folder / "points.gpkg", styles=layer_style(points, "nature", name="Nature"))
    return a, b


def _qgs(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as z:
        (name,) = z.namelist()
        return ET.fromstring(z.read(name).decode("utf-8").split("\n", 1)[1])


def test_layout_text_is_one_literal() -> None:
    for text in ("Simple", "L'Escaut", "a %] b", "[% 1+1 %]", "%]%]", "''", "]"):
        out = layout_text(text)
        assert out.startswith("[% ") and out.endswith(" %]")
        assert "%]" not in out[3:-3]  # QGIS ends an expression at the first %]
    assert layout_text("") == ""


def test_project_structure_relative_and_deterministic(tmp_path: Path) -> None:
    a, b = _layers(tmp_path / "p")
    out = qgis_project([ProjectLayer(b, name="Points"), a], tmp_path / "p" / "essai.qgz", title=HOSTILE)
    root = _qgs(out)
    assert root.findtext("title") == HOSTILE
    sources = [e.text for e in root.iter("datasource")]
    assert sources == ["./points.gpkg|layername=points", "./communes.gpkg|layername=communes"]
    styles = [s.name for s in default_styles(gpd.read_file(a, layer="communes"))]
    presets = [p.get("name") for p in root.iter("visibility-preset")]
    assert presets == styles  # a theme per style of the layer with several
    layouts = root.findall("./Layouts/Layout")
    assert [lo.get("name") for lo in layouts] == [f"Carte A4 — {s}" for s in styles]
    labels = [i.get("labelText") for i in root.iter("LayoutItem") if i.get("type") == "65641"]
    assert labels and all(t == "" or (t.startswith("[% '") and t.endswith("' %]")) for t in labels)
    again = qgis_project([ProjectLayer(b, name="Points"), a], tmp_path / "p" / "encore.qgz", title=HOSTILE)
    assert _qgs(again).findtext("title") == HOSTILE
    (tmp_path / "q").mkdir()
    third = qgis_project([ProjectLayer(b, name="Points"), a], tmp_path / "q" / "essai.qgz", title=HOSTILE)
    assert next(e.text for e in _qgs(third).iter("datasource")) == "../p/points.gpkg|layername=points"
    assert qgis_project([b, a], tmp_path / "x.qgz", title="x").read_bytes() == qgis_project(
        [b, a], tmp_path / "y.qgz", title="x"
    ).read_bytes().replace(b"y.qgs", b"x.qgs")


def test_project_refusals(tmp_path: Path) -> None:
    a, _ = _layers(tmp_path)
    with pytest.raises(UnknownOptionError, match="qgz or .qgs"):
        qgis_project([a], tmp_path / "p.xml", title="x")
    with pytest.raises(DataNotFoundError, match="no GeoPackage"):
        qgis_project([tmp_path / "absent.gpkg"], tmp_path / "p.qgz", title="x")
    with pytest.raises(DataNotFoundError, match="at least one"):
        qgis_project([], tmp_path / "p.qgz", title="x")
    with pytest.raises(UnknownOptionError, match="unknown source"):
        qgis_project([a], tmp_path / "p.qgz", title="x", sources=["pas_un_jeu"])


@needs_qgis
def test_qgis_opens_the_project_moved_and_prints_its_layouts(tmp_path: Path) -> None:
    """Real QGIS: the folder moved elsewhere still opens; themes, layouts, inert texts, PNGs."""
    a, b = _layers(tmp_path / "p")
    qgis_project(
        [ProjectLayer(b, name="Points"), a], tmp_path / "p" / "essai.qgz", title=HOSTILE, sources=["qpv"]
    )
    moved = shutil.move(str(tmp_path / "p"), str(tmp_path / "ailleurs"))
    out = tmp_path / "png"
    out.mkdir()
    seen = probe("project", Path(moved) / "essai.qgz", out)
    assert seen["read"] and seen["title"] == HOSTILE and seen["crs"] == "EPSG:2154"
    # the layers panel shows the name as a literal QGIS would otherwise evaluate in legends
    assert [(x["name"], x["valid"]) for x in seen["layers"]] == [("Points", True), (inert(HOSTILE), True)]
    assert {t: [s for _, s in v] for t, v in seen["themes"].items()} == {
        "Centralité principale": ["Centralité principale"],
        "Surface en QPV": ["Surface en QPV"],
    }
    assert [lo["export"] for lo in seen["layouts"]] == [0, 0]  # exported without error
    qpv = next(lo for lo in seen["layouts"] if lo["name"] == "Carte A4 — Surface en QPV")
    assert qpv["page_mm"] == [297.0, 210.0]
    assert sorted(qpv["items"]) == sorted(
        ["QgsLayoutItemLabel"] * 3
        + ["QgsLayoutItemLegend", "QgsLayoutItemMap", "QgsLayoutItemPicture", "QgsLayoutItemScaleBar"]
    )
    texts = qpv["texts"]
    assert "Part de la surface en quartier prioritaire (QPV)" in texts
    assert any(t.startswith("Sources : ANCT") and "Classes : seuils naturels (Jenks)" in t for t in texts)
    here = [Path(moved) / b.name, Path(moved) / a.name]
    plain = qgis_project(here, Path(moved) / "plain.qgz", title=HOSTILE, themes=False)
    (one,) = probe("project", plain, out)["layouts"]
    assert HOSTILE in one["texts"]  # QGIS evaluated the label: the text itself, nothing run
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(qpv["png"], ARTIFACTS / "qgis_project_layout.png")
    from PIL import Image

    img = Image.open(qpv["png"]).convert("RGB")
    colours = {c for _, c in img.getcolors(1 << 20) or []}
    style = layer_style(gpd.read_file(Path(moved) / "communes.gpkg", layer="communes"), "qpv_share")
    for r in style.rules:  # every class is drawn (map and legend) in its colour
        assert tuple(int(r.colour[i : i + 2], 16) for i in (1, 3, 5)) in colours, r
