"""QGIS styles: the atlas's classes as rules, exact on every value; inert text; read by real QGIS."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from erbm_geo import export
from erbm_geo.export.qgis import (
    MISSING_COLOUR,
    Condition,
    LayerStyle,
    default_styles,
    expression,
    layer_style,
    read_styles,
    to_qml,
    to_sld,
)
from erbm_geo.maps.printed.symbology import Classes, symbology
from tests.checks import every
from tests.qgis_tools import needs_qgis, probe

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
HOSTILE = ["L'Escaut", 'Les "Près"', "<b>gras</b>", "]]> & <!--", "a' OR '1'='1", "=SOMME(A1)"]


def _holds(c: Condition, v: object) -> bool:
    """Evaluate one condition in Python, independently of QGIS (NULL compares false)."""
    if c.op == "is null":
        return v is None or (isinstance(v, float) and np.isnan(v))
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return False
    ops = {
        "<": v < c.value,  # type: ignore[operator]
        "<=": v <= c.value,  # type: ignore[operator]
        ">": v > c.value,  # type: ignore[operator]
        ">=": v >= c.value,  # type: ignore[operator]
        "=": v == c.value,
    }
    return bool(ops[c.op])


def _rule_of(style: LayerStyle, v: object) -> list[str]:
    plain = [r.label for r in style.rules if not r.otherwise and all(_holds(c, v) for c in r.conditions)]
    return plain or [r.label for r in style.rules if r.otherwise]


def _layer(values: dict[str, list[object]]) -> gpd.GeoDataFrame:
    n = len(next(iter(values.values())))
    return gpd.GeoDataFrame(
        values,
        geometry=[shapely.box(700_000 + 100 * i, 7_000_000, 700_090 + 100 * i, 7_000_090) for i in range(n)],
        crs=2154,
        index=pd.Index([f"c{i:03d}" for i in range(n)], name="code"),
    )


values = st.lists(
    st.one_of(st.just(0.0), st.just(float("nan")), st.floats(0, 1, allow_nan=False)), min_size=3, max_size=60
)


@settings(max_examples=60, deadline=None)
@given(values)
def test_every_value_gets_exactly_the_atlas_class(v: list[float]) -> None:
    """Natural breaks with a « 0 » class: each value meets one rule, the class symbology gives it."""
    g = _layer({"qpv_share": v})
    style = layer_style(g, "qpv_share")
    sym = symbology(g, "qpv_share", Classes(), "x")
    for x, code in zip(v, sym.codes, strict=True):
        want = [sym.labels[code]] if code >= 0 else ["Données manquantes"]
        assert _rule_of(style, x) == want, (x, style.rules)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.floats(-50, 50, allow_nan=False), st.sampled_from([0.0, -5.0, 5.0, 10.0])), min_size=3
    )
)
def test_a_change_gets_the_classes_symmetric_about_zero(v: list[float]) -> None:
    """Diverging classes hold their lower bound (0 opens the gains), as the atlas's change map."""
    g = _layer({"population_change_pct": v})
    style = layer_style(g, "population_change_pct")
    sym = symbology(g, "population_change_pct", Classes(), "x")
    assert sym.closed == "left" and len(style.rules) == 6
    for x, code in zip(v, sym.codes, strict=True):
        assert _rule_of(style, x) == [sym.labels[code]], (x, [expression(r.conditions) for r in style.rules])


def test_categories_keep_their_order_colours_and_rest() -> None:
    cats = [f"type {i:02d}" for i in range(15)]
    g = _layer({"categorie": [cats[i % 15] for i in range(40)] + [None, "type 00"]})
    style = layer_style(g, "categorie", colours={"type 00": "#123456"}, labels={"type 01": "Type un"})
    labels = [r.label for r in style.rules]
    assert labels[0] == "type 00" and labels[1] == "Type un" and style.rules[0].colour == "#123456"
    assert labels[-2].startswith("Autres (") and style.rules[-2].otherwise
    assert labels[-1] == "Données manquantes" and style.rules[-1].colour == MISSING_COLOUR
    assert _rule_of(style, "type 14") == [labels[-2]]  # grouped with the rare ones
    assert _rule_of(style, None) == ["Données manquantes"]


def test_hostile_text_stays_text_in_qml_sld_and_expressions() -> None:
    g = _layer({'nom "x"': HOSTILE * 2})
    style = layer_style(g, 'nom "x"', title="<script>alert(1)</script>")
    qml = ET.fromstring(to_qml(style).split("\n", 1)[1])
    rules = qml.findall("./renderer-v2/rules/rule")
    assert len(rules) == len(HOSTILE) and {r.get("label") for r in rules} == set(HOSTILE)
    for r in rules:  # the value is a quoted literal, the quote doubled: '"nom ""x""" = '…''
        value = r.get("label", "").replace("'", "''")
        assert r.get("filter") == f'"nom ""x""" = \'{value}\''
    sld = ET.fromstring(to_sld(style, "<couche>").split("\n", 1)[1])
    literals = {e.text for e in sld.iter("{http://www.opengis.net/ogc}Literal")}
    assert literals == set(HOSTILE)
    assert not list(qml.iter("script")) and not list(sld.iter("script"))


def test_default_styles_one_per_indicator_and_geopackage_table(tmp_path: Path) -> None:
    g = _layer({"nom": ["a", "b", "c", "d"], "qpv_share": [0, 0.2, np.nan, 0.5], "population": [1, 2, 3, 4]})
    g["centre_distance_m"] = [100.0, 2000.0, 300.0, 50.0]
    names = [s.name for s in default_styles(g)]
    assert names == [layer_style(g, c).name for c in ("qpv_share", "centre_distance_m")]
    p = export.write(g, tmp_path / "x.gpkg")
    st_ = read_styles(p)
    assert st_["name"].tolist() == names and st_["default"].tolist() == [True, False]
    assert every(st_["layer"] == "x") and every(st_["sld"].str.contains("StyledLayerDescriptor"))
    with sqlite3.connect(p) as con:
        kinds = dict(con.execute("select table_name, data_type from gpkg_contents").fetchall())
    assert kinds == {"x": "features", "layer_styles": "attributes"}
    none = export.write(g, tmp_path / "none.gpkg", styles=())
    assert read_styles(none).empty
    one = export.write(g, tmp_path / "one.gpkg", styles=layer_style(g, "nom"))
    assert read_styles(one)["name"].tolist() == ["Nom"]


def test_same_table_same_bytes(tmp_path: Path) -> None:
    g = _layer({"qpv_share": [0, 0.2, 0.3, 0.5]})
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = export.write(g, tmp_path / "a" / "t.gpkg")
    b = export.write(g, tmp_path / "b" / "t.gpkg")
    assert a.read_bytes() == b.read_bytes()


def test_a_second_layer_styles_table_is_refused(tmp_path: Path) -> None:
    from erbm_geo.errors import DataFormatError
    from erbm_geo.export.qgis import embed_styles

    g = _layer({"qpv_share": [0, 0.2, 0.3]})
    p = export.write(g, tmp_path / "t.gpkg")
    with pytest.raises(DataFormatError, match="already has a layer_styles table"):
        embed_styles(p, "t", default_styles(g), geometry_column="geom")
    with pytest.raises(DataFormatError, match="share a name"):
        embed_styles(p, "t", [*default_styles(g)] * 2, geometry_column="geom")


@needs_qgis
def test_qgis_opens_the_layer_styled_with_the_atlas_classes(tmp_path: Path) -> None:
    """Real QGIS: valid, typed, titled; every feature drawn in the library's class; PNG to look at."""
    rng = np.random.default_rng(7)
    share = np.r_[np.zeros(8), rng.uniform(0, 1, 30), [np.nan, np.nan]]
    g = _layer({"qpv_share": share, "population_change_pct": rng.normal(0, 8, len(share))})
    g["nature"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(g))]
    g.attrs["title"] = "Couche d'essai <i>inventée</i>"
    styles = [layer_style(g, c) for c in ("qpv_share", "population_change_pct", "nature")]
    ARTIFACTS.mkdir(exist_ok=True)
    for i, style in enumerate(styles):  # each style the default of one file, as QGIS opens it
        p = export.write(g, tmp_path / f"essai{i}.gpkg", styles=[style, *styles[:i], *styles[i + 1 :]])
        seen = probe("layer", p, f"essai{i}", ARTIFACTS / f"qgis_layer_essai{i}.png", "code")
        assert seen["valid"] and seen["type"] == "Polygon" and seen["count"] == len(g)
        assert seen["title"] == "Couche d'essai <i>inventée</i>" and seen["crs"] == "EPSG:2154"
        assert seen["styles"][0] == style.name and sorted(seen["styles"]) == sorted(s.name for s in styles)
        assert seen["aliases"]["qpv_share"] == "Surface en QPV (%)"
        assert [r["label"] for r in seen["rules"]] == [r.label for r in style.rules]
        assert [r["colour"] for r in seen["rules"]] == [r.colour for r in style.rules]
        column = str(style.rules[0].conditions[0].column)
        sym = symbology(g, column, Classes(), "x")
        want = {
            c: [sym.labels[k] if k >= 0 else "Données manquantes"]
            for c, k in zip(g.index, sym.codes, strict=True)
        }
        assert seen["classes"] == want, column


def test_a_styled_geopackage_reads_back_as_a_user_layer_without_warning(tmp_path: Path) -> None:
    """A partner's file written by the library (layer + layer_styles) is read without a warning."""
    import warnings

    from erbm_geo.layers import user_layer

    g = _layer({"qpv_share": [0, 0.2, 0.3, 0.5]})
    p = export.write(g, tmp_path / "renvoi.gpkg")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = user_layer(p, name="renvoi", near=None)
    assert len(back) == len(g) and "qpv_share" in back.columns
