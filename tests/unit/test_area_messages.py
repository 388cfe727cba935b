"""What check_area, contradiction_error and same_crs say: the whole message, since a user acts on it
(the CRS to declare, the rows, the distance) — tested word for word."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from erbm_geo.errors import CRSError, OutOfAreaError
from erbm_geo.geom.validate import AREA_BOUNDS, check_area, contradiction_error, same_crs

X0, Y0 = 700_000.0, 7_000_000.0  # Lambert-93, in the Nord


def test_degrees_declared_as_metres() -> None:
    g = gpd.GeoDataFrame(geometry=[shapely.Point(3.0, 50.4), shapely.Point(X0, Y0)], crs=None)
    with pytest.raises(OutOfAreaError) as err:
        check_area(g, name="cités")
    assert str(err.value) == (
        f"cités: 1 of 2 feature(s) lie outside metropolitan France in EPSG:2154 (index [0]; bounds "
        f"[3.0, 50.4, 3.0, 50.4], expected within {list(AREA_BOUNDS)}); the coordinates look like "
        "degrees (longitude/latitude) but the CRS says EPSG:2154: declare the right one, e.g. "
        "gdf.set_crs('EPSG:4326', allow_override=True)."
    )
    with pytest.raises(OutOfAreaError, match="but the CRS says EPSG:27572: declare"):
        check_area(g, name="cités", declared="EPSG:27572")
    with pytest.raises(OutOfAreaError, match="but the CRS says EPSG:3950: declare"):
        check_area(g.set_crs(3950), name="cités")


def test_elsewhere_names_ten_rows_and_the_other_cause() -> None:
    far = [shapely.Point(X0 + 5e6 + i, Y0) for i in range(12)]
    g = gpd.GeoDataFrame(geometry=[*far, shapely.Point(np.nan, np.nan)], crs=2154)
    with pytest.raises(OutOfAreaError) as err:
        check_area(g)  # a non-finite row does not hide the others
    text = str(err.value)
    assert text.startswith("layer: 12 of 13 feature(s) lie outside metropolitan France in EPSG:2154 (index ")
    assert f"(index {list(range(10))};" in text
    assert text.endswith(
        "this check asks for metropolitan France: a layer valid elsewhere (overseas, abroad) fails it "
        "too; if they should lie there, they are in another CRS than the declared EPSG:2154 "
        "(erbm_geo.geom.validate.crs_contradiction tells which)."
    )
    check_area(g.iloc[:0])
    check_area(gpd.GeoDataFrame(geometry=[shapely.Point(X0, Y0)], crs=2154))


def test_contradiction_names_the_crs_the_distance_and_the_way_out() -> None:
    from_wkt = pyproj.CRS.from_wkt(pyproj.CRS.from_epsg(2154).to_wkt())  # str() of it is the WKT
    for declared in ("EPSG:2154", pyproj.CRS.from_epsg(2154), from_wkt):
        assert str(contradiction_error("cités", declared, ("EPSG:3857", 1_234_567.0), "the QPV")) == (
            "cités: read in the declared EPSG:2154 they lie 1,235 km from the QPV, but read in "
            "EPSG:3857 they fall on them: the coordinates were probably written in EPSG:3857. Declare "
            "it: layer = layer.set_crs('EPSG:3857', allow_override=True). If the layer really lies "
            "there, say so: layer.attrs['crs_confirmed'] = True."
        )


def test_same_crs_checks_both_layers() -> None:
    a = gpd.GeoDataFrame(geometry=[shapely.Point(X0, Y0)], crs=2154)
    for left, right in ((a, a.set_crs(None, allow_override=True)), (a.set_crs(None, allow_override=True), a)):
        with pytest.raises(CRSError):
            same_crs(left, right, names=("cités", "QPV"))
    with pytest.raises(CRSError, match=r"cités is in EPSG:2154 but QPV is in EPSG:4326"):
        same_crs(a, a.to_crs(4326), names=("cités", "QPV"))
    same_crs(a, a, names=("cités", "QPV"))
