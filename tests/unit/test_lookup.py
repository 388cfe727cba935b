"""lookup() against brute force on invented layers: boundaries, holes, overlaps, bad rows, chunks."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from erbm_geo.errors import (
    CRSError,
    EmptyInputError,
    InvalidGeometryError,
    InvalidOptionError,
    MissingColumnError,
)
from erbm_geo.lookup import LOOKUP_COLUMNS, OUTSIDE, REASONS, LookupLayers, lookup, parse_point, to_points
from erbm_geo.vocabulary import registry
from tests.checks import every
from tests.unit.layers import COMMUNES, SETTINGS, STATIONS, X0, Y0, at


def _poly(
    index: list[str], geoms: list[shapely.Geometry], name: str, **cols: list[object]
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(cols, geometry=geoms, index=pd.Index(index, name=name), crs=2154)


def _box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def _layers() -> LookupLayers:
    c = COMMUNES.assign(in_basin=[True, True, True, False, False, False])
    ring = shapely.Polygon(
        _box(200, 200, 800, 800).exterior.coords, [_box(400, 400, 600, 600).exterior.coords]
    )
    qpv = _poly(["QN2", "QN1"], [ring, _box(1500, 1500, 1900, 1900)], "code_qpv", nom=["Q anneau", "Q carré"])
    bien = _poly(
        ["7", "3"], [_box(1200, 0, 1500, 300), _box(1400, 200, 1600, 400)], "no_element", nom=["B", "C"]
    )
    zone = gpd.GeoDataFrame(geometry=[_box(1000, 0, 2000, 1000)], crs=2154)
    # two cités overlapping; the one of the higher id first by position
    cites = _poly(
        ["L2", "L1", "L3"],
        [_box(100, 100, 300, 300), _box(200, 200, 400, 400), _box(2500, 1500, 2700, 1700)],
        "cite_id",
        nom=["Cité B", "Cité A", "Cité C"],
        type_cite=["corons", "cité-jardin", "cité moderne"],
        erbm_programme=[True, False, True],
    )
    iris = _poly(
        ["620010102", "620010101"],
        [_box(0, 0, 1000, 600), _box(0, 500, 1000, 1000)],
        "code_iris",
        nom_iris=["Sud", "Nord"],
    )
    centres = _poly(
        ["C1", "C2"], [at(1500, 500), at(2500, 1500)], "code_insee", nom=["Centre un", "Centre deux"]
    )
    sites = _poly(
        ["F1", "F2"],
        [at(900, 100), at(2900, 1900)],
        "site_id",
        site_nom=["Friche A", "Friche B"],
        site_statut=["friche sans projet", "friche potentielle"],
    )
    return LookupLayers(c, qpv, bien, zone, cites, STATIONS, centres, sites, iris)


def _brute_inside(pts: list[shapely.Point], layer: gpd.GeoDataFrame) -> list[object]:
    """The lowest code among the polygons that hold (or touch) each point, one point at a time."""
    out: list[object] = []
    for p in pts:
        codes = [str(code) for code, g in zip(layer.index, layer.geometry, strict=True) if g.intersects(p)]
        out.append(min(codes) if codes else None)
    return out


def _brute_nearest(pts: list[shapely.Point], layer: gpd.GeoDataFrame) -> list[float]:
    return [min(p.distance(g) for g in layer.geometry) for p in pts]


def _values(s: pd.Series) -> list[object]:
    return [None if pd.isna(v) else v for v in s]


# coordinates on the grid's edges and corners as often as elsewhere: the boundary rule is tested
_coord = st.one_of(st.integers(-500, 3500), st.sampled_from([0, 200, 400, 500, 1000, 1200, 2000, 3000]))


@SETTINGS
@given(st.lists(st.tuples(_coord, _coord), min_size=1, max_size=40))
def test_lookup_equals_brute_force_on_boundaries_holes_and_overlaps(xy: list[tuple[int, int]]) -> None:
    lay = _layers()
    pts = [at(x, y) for x, y in xy]
    got = lookup(gpd.GeoSeries(pts, crs=2154), layers=lay, chunk_size=7)
    assert got.columns.tolist() == list(LOOKUP_COLUMNS) and len(got) == len(pts)
    for col, layer in (
        ("code_insee", lay.communes),
        ("code_iris", lay.iris),
        ("qpv_code", lay.qpv),
        ("unesco_element", lay.bien),
        ("cite_id", lay.cites),
    ):
        assert _values(got[col]) == _brute_inside(pts, layer), col
    n = [sum(g.intersects(p) for g in lay.cites.geometry) for p in pts]
    assert got["cites_n"].tolist() == n
    np.testing.assert_allclose(got["station_proche_distance_m"], _brute_nearest(pts, lay.stations), atol=1e-6)
    np.testing.assert_allclose(got["centre_proche_distance_m"], _brute_nearest(pts, lay.centres), atol=1e-6)
    np.testing.assert_allclose(got["qpv_distance_m"], _brute_nearest(pts, lay.qpv), atol=1e-6)
    outside = [not lay.communes.geometry.intersects(p).any() for p in pts]
    friche = [np.nan if o else d for o, d in zip(outside, _brute_nearest(pts, lay.sites), strict=True)]
    np.testing.assert_allclose(got["friche_site_distance_m"], friche, atol=1e-6)
    in_bien = [bool(lay.bien.geometry.intersects(p).any()) for p in pts]
    in_zone = [bool(lay.zone_tampon.geometry.intersects(p).any()) for p in pts]
    expected = [
        "bien inscrit" if b else "zone tampon" if z else "aucun"
        for b, z in zip(in_bien, in_zone, strict=True)
    ]
    assert got["unesco_statut"].tolist() == expected
    assert got["remarque"].tolist() == [OUTSIDE if o else "" for o in outside]
    assert got["in_basin"].tolist() == [
        False if o else c in ("62001", "62002", "62003")
        for o, c in zip(outside, _values(got["code_insee"]), strict=True)
    ]


def test_the_rules_on_a_shared_edge_a_hole_and_two_cites() -> None:
    lay = _layers()
    got = lookup(
        gpd.GeoSeries([at(1000, 500), at(500, 500), at(250, 250), at(500, 300)], crs=2154), layers=lay
    )
    assert got["code_insee"].tolist()[0] == "62001"  # on the edge of 62001 and 62002: the lowest code
    assert pd.isna(got.at[1, "qpv_code"]) and got.at[1, "qpv_distance_m"] == pytest.approx(100)  # in the hole
    assert got.at[2, "cite_id"] == "L1" and got.at[2, "cite_nom"] == "Cité A" and got.at[2, "cites_n"] == 2
    assert got.at[2, "type_cite"] == "cité-jardin" and not got.at[2, "erbm_programme"]
    assert (
        got.at[3, "qpv_code"] == "QN2"
        and got.at[3, "qpv_nom"] == "Q anneau"
        and got.at[3, "qpv_distance_m"] == 0
    )


def test_every_lookup_column_is_a_registry_row() -> None:
    rows = registry()
    missing = [c for c in LOOKUP_COLUMNS if c not in rows]
    assert not missing, f"add registry rows for {missing}"
    assert all(rows[c].label for c in LOOKUP_COLUMNS)


def test_chunks_change_nothing_and_the_index_is_kept() -> None:
    lay = _layers()
    rng = np.random.default_rng(4)
    xy = rng.uniform(-500, 3500, size=(300, 2))
    pts = gpd.GeoSeries(
        [at(x, y) for x, y in xy], crs=2154, index=pd.Index([f"p{i}" for i in range(300)][::-1])
    )
    whole = lookup(pts, layers=lay)
    pd.testing.assert_frame_equal(whole, lookup(pts, layers=lay, chunk_size=13))
    assert whole.index.equals(pts.index)
    for bad in (0, -1, 2.5, True):
        with pytest.raises(InvalidOptionError, match="chunk_size"):
            lookup(pts, layers=lay, chunk_size=bad)  # type: ignore[arg-type]


def _degrees(x: float, y: float) -> tuple[float, float]:
    lon, lat = gpd.GeoSeries([at(x, y)], crs=2154).to_crs(4326).iloc[0].coords[0]
    return lon, lat


def test_a_french_file_with_one_row_in_ten_bad_keeps_every_row() -> None:
    lay = _layers()
    lon, lat = _degrees(500, 300)
    good = (f"{lat:.7f}".replace(".", ","), f"{lon:.7f}".replace(".", ","))  # decimal commas
    rows = [good] * 18 + [("", "2,8"), (f"{lon:.7f}", f"{lat:.7f}"), ("95", "2"), ("abc", "2,8")]
    df = pd.DataFrame(rows, columns=["latitude", "longitude"], index=range(10, 32))
    got = lookup(df, layers=lay, lon="longitude", lat="latitude")
    assert got.index.equals(df.index)
    assert got["qpv_code"].iloc[:18].tolist() == ["QN2"] * 18
    assert got.attrs["unusable"] == [28, 29, 30, 31]
    assert got["remarque"].iloc[18:].tolist() == [
        REASONS[r] for r in ("missing", "swapped", "range", "missing")
    ]
    assert every(got.iloc[18:, : LOOKUP_COLUMNS.index("remarque")].isna())


def test_points_of_any_kind() -> None:
    lay = _layers()
    lon, lat = _degrees(500, 300)
    assert lookup([(lon, lat)], layers=lay).at[0, "qpv_code"] == "QN2"  # pairs (lon, lat)
    in_4326 = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(lon, lat)], crs=4326, index=["x"])
    assert lookup(in_4326, layers=lay).at["x", "code_insee"] == "62001"
    paris = lookup([(2.35, 48.85)], layers=lay)  # in France, outside the communes' layer: an answer
    assert (
        paris.attrs["outside"] == [0] and paris.at[0, "remarque"] == OUTSIDE and not paris.at[0, "in_basin"]
    )
    empty = gpd.GeoSeries([shapely.Point(), None], crs=2154)
    assert lookup(empty, layers=lay).attrs["unusable"] == [0, 1]
    with pytest.raises(MissingColumnError, match="lon=…, lat=…"):
        lookup(pd.DataFrame({"x": [1.0]}), layers=lay)
    with pytest.raises(EmptyInputError):
        lookup([], layers=lay)
    with pytest.raises(CRSError):
        lookup(gpd.GeoSeries([at(0, 0)]), layers=lay)
    with pytest.raises(InvalidGeometryError, match="representative_point"):
        lookup(lay.communes, layers=lay)
    with pytest.raises(InvalidOptionError, match="pairs"):
        lookup([(1.0, 2.0, 3.0)], layers=lay)
    with pytest.raises(MissingColumnError, match="nom_iris"):
        lookup(
            [(lon, lat)],
            layers=LookupLayers(
                lay.communes, lay.qpv, lay.bien, lay.zone_tampon, lay.cites, iris=lay.communes
            ),
        )


def test_layers_left_out_leave_their_columns_out() -> None:
    lay = _layers()
    bare = LookupLayers(lay.communes, lay.qpv, lay.bien, lay.zone_tampon, lay.cites)
    got = lookup(gpd.GeoSeries([at(10, 10)], crs=2154), layers=bare)
    absent = {"code_iris", "station_proche", "centre_proche", "friche_site_id", "friche_site_distance_m"}
    assert not absent & set(got.columns) and "remarque" in got


@pytest.mark.parametrize(
    ("text", "lonlat", "expected"),
    [
        ("50.4322, 2.8319", False, (2.8319, 50.4322)),
        ("50.4322,2.8319", False, (2.8319, 50.4322)),
        (" 50,4322 ; 2,8319 ", False, (2.8319, 50.4322)),
        ("50,4322, 2,8319", False, (2.8319, 50.4322)),
        ("(50.4322 2.8319)", False, (2.8319, 50.4322)),
        ("2.8319 50.4322", True, (2.8319, 50.4322)),
        ("−0.5, 44.8", True, (-0.5, 44.8)),
    ],
)
def test_parse_point_reads_what_people_copy(text: str, lonlat: bool, expected: tuple[float, float]) -> None:
    assert parse_point(text, lonlat=lonlat) == expected


@pytest.mark.parametrize(
    ("text", "lonlat", "match"),
    [
        ("2.8319, 50.4322", False, "swapped; give it with --lonlat"),
        ("50.4322 2.8319", True, "swapped; give it without --lonlat"),
        ("50°25'56\"N 2°49'55\"E", False, "decimal degrees"),
        ("Lens", False, "not a pair"),
        ("50.4, 2.8, 3", False, "not a pair"),
        ("95, 2", False, "hors limites"),
        ("", False, "not a pair"),
    ],
)
def test_parse_point_refuses_with_the_fix(text: str, lonlat: bool, match: str) -> None:
    with pytest.raises(InvalidOptionError, match=match):
        parse_point(text, lonlat=lonlat)


def test_to_points_reasons() -> None:
    p = to_points(
        pd.DataFrame({"lon": [2.83, np.inf, 200.0, 50.43, None], "lat": [50.43, 50.0, 50.0, 2.83, 50.0]})
    )
    assert p.reason.tolist() == [None, "missing", "range", "swapped", "missing"]
    assert p.ok.tolist() == [True, False, False, False, False] and len(p) == 5
    assert every(shapely.is_empty(p.geometry[1:])) and len(p.geometry) == 5


def test_a_partitioned_layer_gives_the_same_answers_lazily() -> None:
    dask_geopandas = pytest.importorskip("dask_geopandas")
    lay = _layers()
    rng = np.random.default_rng(7)
    xy = rng.uniform(-500, 3500, size=(120, 2))
    pts = gpd.GeoDataFrame(geometry=[at(x, y) for x, y in xy], crs=2154)
    whole = lookup(pts, layers=lay)
    lazy = lookup(dask_geopandas.from_geopandas(pts, npartitions=4), layers=lay, chunk_size=11)
    assert lazy.npartitions == 4 and list(lazy.columns) == list(whole.columns)
    got = lazy.compute(scheduler="threads")
    whole.attrs = {}
    pd.testing.assert_frame_equal(got, whole, check_dtype=True)
    table = pd.DataFrame({"lon": [_degrees(500, 300)[0], None], "lat": [_degrees(500, 300)[1], 1.0]})
    dd = pytest.importorskip("dask.dataframe")
    got_table = lookup(dd.from_pandas(table, npartitions=2), layers=lay).compute()
    assert (
        got_table["qpv_code"].tolist()[0] == "QN2" and got_table["remarque"].tolist()[1] == REASONS["missing"]
    )


def test_partitions_look_up_in_their_threads_layers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each partition hands the kernels its thread's own copies of the layers (GEOS indexes built
    by two threads at once on the same geometries are corrupted), never the caller's objects."""
    dask_geopandas = pytest.importorskip("dask_geopandas")
    import erbm_geo.lookup.core as core

    lay = _layers()
    seen: list[set[int]] = []
    real = core.nearest

    def spy(src: np.ndarray, tgt: np.ndarray, **kw: object) -> tuple[np.ndarray, np.ndarray]:
        seen.append({id(g) for g in tgt})
        return real(src, tgt, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(core, "nearest", spy)
    xy = np.random.default_rng(8).uniform(-500, 3500, size=(60, 2))
    pts = gpd.GeoDataFrame(geometry=[at(x, y) for x, y in xy], crs=2154)
    lookup(dask_geopandas.from_geopandas(pts, npartitions=3), layers=lay).compute(scheduler="threads")
    caller = {
        id(g) for f in (lay.qpv, lay.stations, lay.centres, lay.sites) if f is not None for g in f.geometry
    }
    assert seen and not any(s & caller for s in seen)
