"""Robustness 5: nothing is dropped silently and nothing crashes obscurely — every bad input to
aggregation, commune assignment, area indicators, interactive and static maps gets a named
erbm_geo error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.errors import (
    CRSError,
    DataFormatError,
    InvalidGeometryError,
)

X0, Y0 = 687_000, 7_037_000  # Lens, Lambert-93


def _feats(codes: list[Any] | None = None) -> gpd.GeoDataFrame:
    n = 3 if codes is None else len(codes)
    g = gpd.GeoDataFrame(
        {"nom": [f"f{i}" for i in range(n)], "v": np.arange(n, dtype=float), "logements": [10, 20, 30][:n]},
        geometry=[shapely.box(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 100) for i in range(n)],
        crs="EPSG:2154",
    )
    if codes is not None:
        g["code_insee"] = codes
    return g


def _bad_layers() -> dict[str, tuple[Callable[[], gpd.GeoDataFrame], type[Exception], str]]:
    def with_geom(geom: Any) -> Callable[[], gpd.GeoDataFrame]:
        def make() -> gpd.GeoDataFrame:
            g = _feats()
            g.loc[1, "geometry"] = geom
            return g

        return make

    def dup_columns() -> gpd.GeoDataFrame:
        g = _feats()
        return g.set_axis(["nom", "nom", "logements", "geometry"], axis=1)

    return {
        "no CRS": (lambda: _feats().set_crs(None, allow_override=True), CRSError, "no CRS"),
        "None geometry": (with_geom(None), InvalidGeometryError, "have no geometry"),
        "empty geometry": (with_geom(shapely.Polygon()), InvalidGeometryError, "empty geometry"),
        "GeometryCollection": (
            with_geom(shapely.GeometryCollection([shapely.Point(X0, Y0)])),
            InvalidGeometryError,
            "explode",
        ),
        "NaN coordinates": (with_geom(shapely.Point(np.nan, Y0)), InvalidGeometryError, "NaN"),
        "infinite coordinates": (with_geom(shapely.Point(np.inf, Y0)), InvalidGeometryError, "infinite"),
        "duplicate columns": (dup_columns, DataFormatError, r"duplicate column names \['nom'\]"),
    }


BAD = _bad_layers()


@pytest.mark.parametrize("case", BAD, ids=BAD.keys())
@pytest.mark.parametrize("output", ["add_layer", "static_map"])
def test_maps_validate_like_indicators(output: str, case: str) -> None:
    make, error, match = BAD[case]
    if output == "static_map" and case == "GeometryCollection":
        fig = eg.maps.static_map(make())  # matplotlib draws collections: nothing to refuse
        assert len(fig.axes[0].collections) >= 1
        return
    with pytest.raises(error, match=match):
        if output == "add_layer":
            eg.maps.add_layer(
                eg.maps.new_map(basemap=None), make(), name="x", fields=eg.maps.Fields(tooltip=["nom"])
            )
        else:
            eg.maps.static_map(make())


def test_every_feature_is_drawn(tmp_path: Any) -> None:
    from erbm_geo.maps.interactive.folium_map import map_state

    m = eg.maps.new_map(basemap=None)
    eg.maps.add_layer(m, _feats(), name="x", fields=eg.maps.Fields(tooltip=["nom"]))
    html = eg.maps.to_html(m)
    assert html.count('"type":"Feature"') == 3 and map_state(m).layers == 1
