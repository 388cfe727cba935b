"""Robustness 7: the search box of the maps takes whatever a reader types (object-prototype
names included) and centres on a point result on a map without tiles (no maxZoom)."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

import erbm_geo as eg


@pytest.mark.browser
def test_search_prototype_names_and_points_without_basemap(tmp_path: Path) -> None:
    from tests import browser

    names = ["Gare de Lens", "toString", "constructor", "__proto__", "hasOwnProperty"]
    pts = gpd.GeoDataFrame(
        {"nom": names},
        crs="EPSG:4326",
        geometry=[shapely.Point(2.83 + i / 100, 50.43) for i in range(len(names))],
    )
    m = eg.maps.new_map(basemap=None)
    eg.maps.add_layer(m, pts, name="Gares", fields=eg.maps.Fields(tooltip=["nom"], search=True))
    page = eg.maps.to_html(eg.maps.finalize(m), tmp_path / "search.html")
    assert page
    r = browser.inspect(tmp_path / "search.html")
    assert r["errors"] == []
    assert sorted(r["texts"]["search"]) == sorted(names)
    # after picking the last entry (a point) the view is a real place at a finite zoom
    ((lat, lng, zoom),) = r["views"]
    assert abs(lat - 50.43) < 0.01 and abs(lng - 2.87) < 0.01 and math.isfinite(zoom) and zoom >= 14
