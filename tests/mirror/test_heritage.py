"""Heritage layers on the real mirror: counts, official areas, spatial commune codes."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.layers import heritage
from tests.checks import every

EXPECTED = {
    "bien_inscrit": 109,
    "zone_tampon": 15,
    "batis": 159,
    "equipements_collectifs": 134,  # 135 in the source, one without geometry (reported)
    "equipements_extraction": 25,
    "cavaliers": 14,
    "zt_cavaliers": 1316,  # 1,317 in the source, one without geometry (reported)
    "terrils": 51,
    "zt_terrils": 111,
    "espaces_neonaturels": 5,
    "zt_espaces_neonaturels": 7,
    "zt_parvis_agricoles": 138,
    "puits_de_mines": 636,
}


@pytest.mark.parametrize(("name", "count"), sorted(EXPECTED.items()))
def test_layer_counts_and_invariants(name: str, count: int, all_communes: gpd.GeoDataFrame) -> None:
    g = heritage.HERITAGE_LAYERS[name]()
    assert len(g) == count
    # nothing lost silently: the source's features are the rows kept plus those reported
    import pyogrio

    from erbm_geo.data.resolve import resolve
    from erbm_geo.layers.registry import LAYERS

    raw = pyogrio.read_info(resolve(LAYERS[name].sources[0]))["features"]
    assert raw == len(g) + len(g.attrs["dropped_no_geometry"])
    assert g.crs.to_epsg() == 2154
    assert g.index.is_unique
    assert every(g.is_valid) and not g.is_empty.any()
    assert every(g["code_insee"].notna())
    assert every(g["code_insee"].isin(all_communes.index))
    # the main commune is listed first in codes_insee
    assert every(g["codes_insee"].str.split(";").str[0] == g["code_insee"])
    assert list(g.columns) == [c.lower() for c in g.columns]


def test_dropped_features_are_reported() -> None:
    assert heritage.equipements_collectifs().attrs["dropped_no_geometry"] == [134]
    assert heritage.zt_cavaliers().attrs["dropped_no_geometry"] == [1316]


def test_property_and_buffer_areas_match_unesco() -> None:
    prop = heritage.bien_inscrit()
    buf = heritage.zone_tampon()
    prop_ha = prop.area.sum() / 1e4
    assert prop_ha == pytest.approx(heritage.PROPERTY_AREA_HA, rel=0.01)
    total_ha = shapely.union_all([prop.union_all(), buf.union_all()]).area / 1e4
    assert total_ha == pytest.approx(heritage.PROPERTY_AND_BUFFER_AREA_HA, rel=0.01)
    # the buffer is drawn around, not over, the property
    assert prop.union_all().intersection(buf.union_all()).area / 1e4 < 10
    assert sorted(prop.index) == list(range(1, 110))
    assert prop["no_section"].nunique() == 13


def test_spatial_commune_codes_on_named_features() -> None:
    ext = heritage.equipements_extraction()
    sabatier = ext[ext["nom"] == "Chevalement Sabatier"]
    assert sabatier["code_insee"].tolist() == ["59491"]  # Raismes


def test_shafts_all_in_59_62(all_communes: gpd.GeoDataFrame) -> None:
    p = eg.layers.puits_de_mines()
    assert every(p.geom_type.eq("Point"))
    assert every(p["code_insee"].str[:2].isin(["59", "62"]))


def _fold(s: str) -> str:
    import unicodedata

    s = str(s).replace("Œ", "OE").replace("œ", "oe")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().upper()
    return s.replace("-", " ").replace("'", " ").replace("SAINT", "ST")


@pytest.mark.parametrize("dataset", ["batis", "terrils", "zt_terrils", "cites_erbm"])
def test_spatial_codes_agree_with_source_commune_names(dataset: str, all_communes: gpd.GeoDataFrame) -> None:
    """The computed main commune is one of the communes named in the source, for ≥ 95 %."""
    from erbm_geo.geom.spatial import assign_communes
    from erbm_geo.layers._io import read_geojson

    raw = read_geojson(dataset)
    raw = raw[raw.geometry.notna()]
    codes = assign_communes(raw, all_communes)
    names = all_communes["nom"].reindex(codes["code_insee"].to_numpy()).map(_fold).to_numpy()
    cols = [c for c in raw.columns if c.startswith("commune_")]
    named = raw[cols].fillna("").map(_fold).to_numpy()
    agree = [
        any(x and (x.startswith(n) or n.startswith(x)) for x in row)
        for n, row in zip(names, named, strict=True)
    ]
    assert sum(agree) / len(agree) >= 0.95
