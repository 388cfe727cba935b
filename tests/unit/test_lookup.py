"""lookup() against a plain geopandas chain (sjoin per layer, sjoin_nearest) on invented layers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from erbm_geo.errors import EmptyInputError, MissingColumnError
from erbm_geo.lookup import LookupLayers, lookup
from tests.unit.layers import COMMUNES, SETTINGS, STATIONS, X0, Y0


def _layers() -> LookupLayers:
    c = COMMUNES.assign(in_basin=[True, True, True, False, False, False])
    q = gpd.GeoDataFrame(
        {"nom": ["Q un"]},
        geometry=[shapely.box(X0 + 200, Y0 + 200, X0 + 700, Y0 + 700)],
        index=pd.Index(["QN1"], name="code_qpv"),
        crs=2154,
    )
    bien = gpd.GeoDataFrame(
        {"nom": ["B"]},
        geometry=[shapely.box(X0 + 1200, Y0, X0 + 1500, Y0 + 300)],
        index=pd.Index([7], name="no_element"),
        crs=2154,
    )
    zone = gpd.GeoDataFrame(geometry=[shapely.box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)], crs=2154)
    cites = gpd.GeoDataFrame(
        {"nom": ["Cité A"], "type_cite": ["corons"], "erbm_programme": [True]},
        geometry=[shapely.box(X0 + 100, Y0 + 100, X0 + 300, Y0 + 300)],
        index=pd.Index(["L1"], name="cite_id"),
        crs=2154,
    )
    return LookupLayers(c, q, bien, zone, cites, STATIONS, None, None)


@SETTINGS
@given(st.lists(st.tuples(st.floats(-500, 3500), st.floats(-500, 2500)), min_size=1, max_size=40))
def test_lookup_equals_the_geopandas_chain(xy: list[tuple[float, float]]) -> None:
    lay = _layers()
    pts = gpd.GeoDataFrame(geometry=[shapely.Point(X0 + x, Y0 + y) for x, y in xy], crs=2154)
    got = lookup(pts, layers=lay)
    assert got.index.equals(pts.index) and "centre_nom" not in got and "friche_nom" not in got
    for col, layer, _ in (
        ("code_insee", lay.communes, None),
        ("code_qpv", lay.qpv, None),
        ("cite_id", lay.cites, None),
    ):
        j = gpd.sjoin(pts, layer.reset_index(drop=True)[["geometry"]], predicate="intersects", how="left")
        first = j.groupby(level=0)["index_right"].min()  # the first polygon by position
        labels = layer.index.to_numpy(dtype=object)
        expected = [None if pd.isna(i) else labels[int(i)] for i in first]
        assert [None if pd.isna(v) else v for v in got[col]] == expected, col
    near = gpd.sjoin_nearest(pts, lay.stations[["geometry"]], distance_col="d").groupby(level=0)["d"].first()
    np.testing.assert_allclose(got["station_distance_m"], near, atol=1e-6)
    in_zone = pts.intersects(lay.zone_tampon.union_all())
    in_bien = pts.intersects(lay.bien.union_all())
    expected_u = np.where(in_bien, "bien inscrit", np.where(in_zone, "zone tampon", "aucun"))
    assert got["unesco"].tolist() == expected_u.tolist()


def test_lon_lat_tables_and_pairs_keep_every_row() -> None:
    lay = _layers()
    lon, lat = gpd.GeoSeries([shapely.Point(X0 + 500, Y0 + 500)], crs=2154).to_crs(4326).iloc[0].coords[0]
    df = pd.DataFrame({"lon": [lon, None, 500.0], "lat": [lat, 50.0, 50.0]}, index=["ok", "vide", "faux"])
    got = lookup(df, layers=lay)
    assert got.index.tolist() == ["ok", "vide", "faux"] and got.attrs["unusable"] == ["vide", "faux"]
    assert got.at["ok", "code_qpv"] == "QN1" and got.at["ok", "code_insee"] == "62001"
    assert pd.isna(got.at["vide", "code_insee"]) and pd.isna(got.at["faux", "unesco"])
    assert lookup([(lon, lat)], layers=lay).at[0, "code_qpv"] == "QN1"  # pairs (lon, lat)
    with pytest.raises(MissingColumnError, match="lon and lat"):
        lookup(pd.DataFrame({"x": [1.0]}), layers=lay)
    with pytest.raises(EmptyInputError):
        lookup([], layers=lay)
