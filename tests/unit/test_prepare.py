"""prepare / prepare_target, the geometry memo and the spatial helpers (no mirror)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import LineString, Point, box

from erbm_geo.errors import (
    CRSError,
    DuplicateIndexError,
    EmptyInputError,
    InvalidGeometryError,
    OutOfAreaError,
)
from erbm_geo.geom.memo import memo_for
from erbm_geo.geom.prepare import check_valid_subset, prepare, prepare_target
from erbm_geo.geom.spatial import assign_communes, measure, overlapping_mask, repair_geometries
from tests.checks import every

X0, Y0 = 700_000, 7_000_000
BOWTIE = shapely.Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10)])


def layer(geoms: list[object], crs: object = 2154, index: list[object] | None = None) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=geoms, crs=crs, index=index)


def test_prepare_checks_and_returns_working_arrays() -> None:
    g = layer([Point(X0, Y0), box(X0, Y0, X0 + 5, Y0 + 5)]).to_crs(4326)
    out, geoms = prepare(g)
    assert out.crs.to_epsg() == 2154 and len(geoms) == 2 and geoms.dtype == object
    assert shapely.distance(geoms[0], Point(X0, Y0)) < 1e-6
    with pytest.raises(TypeError, match="features must be a GeoDataFrame"):
        prepare(pd.DataFrame({"a": [1]}))  # type: ignore[arg-type]
    with pytest.raises(EmptyInputError, match="cités"):
        prepare(layer([]), name="cités")
    with pytest.raises(DuplicateIndexError, match=r"\['a'\]"):
        prepare(layer([Point(X0, Y0)] * 3, index=["a", "a", "b"]))
    with pytest.raises(InvalidGeometryError, match="no geometry"):
        prepare(layer([Point(X0, Y0), None]))
    with pytest.raises(OutOfAreaError):
        prepare(layer([Point(3, 50)]))
    prepare(layer([BOWTIE]))  # validity only when asked
    with pytest.raises(InvalidGeometryError, match=r"^features: 1 feature\(s\) are invalid.*make_valid"):
        prepare(layer([BOWTIE]), validity=True)
    with pytest.raises(InvalidGeometryError, match=r"^parcelles: 1 feature\(s\) are invalid"):
        prepare(layer([BOWTIE]), validity=True, name="parcelles")


def test_basic_checks_remembered_but_never_skipped_for_new_geometries() -> None:
    g = layer([Point(X0, Y0)])
    _, geoms = prepare(g)
    assert memo_for(geoms).basic_ok
    bad = layer([Point(X0, Y0), Point(X0, np.nan)])
    for _ in range(2):
        with pytest.raises(InvalidGeometryError, match="NaN"):
            prepare(bad)
    assert not memo_for(np.asarray(bad.geometry.values, dtype=object)).basic_ok


def test_check_valid_subset_and_memo() -> None:
    g = layer([box(X0, Y0, X0 + 1, Y0 + 1), BOWTIE, box(X0, Y0, X0 + 2, Y0 + 2)])
    check_valid_subset(g, np.array([0, 2]))
    check_valid_subset(g, np.array([], dtype=np.int64))
    with pytest.raises(InvalidGeometryError, match=r"^features: 1 feature\(s\) are invalid"):
        check_valid_subset(g, np.array([1]))  # named "features" by default
    with pytest.raises(InvalidGeometryError, match=r"q: 1 feature\(s\) are invalid \(index \[1\]\)"):
        check_valid_subset(g, np.array([2, 1, 1]), name="q")
    m = memo_for(np.asarray(g.geometry.values, dtype=object))
    assert m.valid.tolist() == [1, 0, 1]
    assert m.invalid_rows(np.array([1, 1, 0])).tolist() == [1]
    assert m.invalid_rows(np.array([0, 2])).tolist() == []


def test_prepare_target() -> None:
    f = layer([Point(X0, Y0)])
    t = layer([box(X0, Y0, X0 + 5, Y0 + 5)])
    out, tg = prepare_target(t, f, name="qpv", polygonal=True)
    assert out is t and len(tg) == 1
    with pytest.raises(TypeError, match="qpv must be a GeoDataFrame"):
        prepare_target(pd.DataFrame({"a": [1]}), f, name="qpv")  # type: ignore[arg-type]
    with pytest.raises(CRSError, match="qpv has no CRS"):
        prepare_target(layer([Point(X0, Y0)], crs=None), f, name="qpv")
    with pytest.raises(CRSError, match="qpv is in EPSG:4326 but the features are in EPSG:2154"):
        prepare_target(t.to_crs(4326), f, name="qpv")
    with pytest.raises(EmptyInputError, match="qpv"):
        prepare_target(t.iloc[:0], f, name="qpv")
    e, eg = prepare_target(t.iloc[:0], f, name="qpv", allow_empty=True)
    assert len(e) == 0 and eg.shape == (0,) and eg.dtype == object
    with pytest.raises(InvalidGeometryError, match="polygons only.*2 feature.*LineString, Point"):
        prepare_target(
            layer([box(X0, Y0, X0 + 1, Y0 + 1), Point(X0, Y0), LineString([(X0, Y0), (X0 + 1, Y0)])]),
            f,
            name="qpv",
            polygonal=True,
        )
    prepare_target(layer([Point(X0, Y0)]), f, name="stations")  # any type when not polygonal
    with pytest.raises(InvalidGeometryError, match="no geometry"):
        prepare_target(layer([None]), f, name="stations")
    # features without CRS are refused by prepare, not here: the target's own CRS is used
    g4326 = t.to_crs(4326)
    out, tg = prepare_target(g4326, f.to_crs(4326), name="qpv")
    assert out.crs.to_epsg() == 2154 and shapely.area(tg[0]) == pytest.approx(25, rel=1e-6)
    prepare_target(BOWTIE_LAYER, f, name="qpv", polygonal=True)  # validity: checked per use


BOWTIE_LAYER = layer([BOWTIE])


def test_memo_identity_get_and_tree() -> None:
    a = np.array([Point(0, 0), Point(1, 1)], dtype=object)
    m = memo_for(a)
    assert memo_for(list(a)) is m
    built = []
    assert m.get("k", lambda: built.append(1) or 5) == 5
    assert m.get("k", lambda: built.append(1) or 6) == 5 and built == [1]
    t = m.get_tree()
    assert m.get_tree() is t and len(t) == 2
    assert m.valid.tolist() == [-1, -1] and not m.basic_ok


def test_measure_and_overlapping_mask() -> None:
    g = np.array([box(0, 0, 2, 3), LineString([(0, 0), (3, 4)]), Point(1, 1)], dtype=object)
    assert measure(g).tolist() == [6.0, 5.0, 1.0]
    polys = np.array(
        [box(0, 0, 2, 2), box(2, 0, 4, 2), box(1, 1, 1.5, 1.5), box(10, 10, 11, 11), box(3, 0, 5, 2)],
        dtype=object,
    )
    # 0 holds 2; 1 overlaps 4; 0 and 1 only touch; 3 is alone
    assert overlapping_mask(polys).tolist() == [True, True, True, False, True]
    assert overlapping_mask(polys[:1]).tolist() == [False]
    same = np.array([box(0, 0, 1, 1), box(0, 0, 1, 1)], dtype=object)
    assert overlapping_mask(same).tolist() == [True, True]


def test_repair_keeps_the_original_dimension() -> None:
    bowtie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    line = LineString([(0, 0), (1, 1)])
    spike = shapely.Polygon([(0, 0), (2, 0), (2, 2), (0, 2), (0, 0), (-1, -1), (0, 0)])
    out = repair_geometries(np.array([bowtie, line, spike, box(0, 0, 1, 1)], dtype=object))
    assert out[0].geom_type == "MultiPolygon" and out[0].area == pytest.approx(2.0)
    assert out[1].equals(line) and out[1].geom_type == "LineString"
    assert out[2].geom_type == "Polygon" and out[2].area == pytest.approx(4.0)  # the spike dropped
    assert out[3].equals(box(0, 0, 1, 1)) and out[3].geom_type == "Polygon"
    assert every(shapely.is_valid(out))
    pts = repair_geometries(np.array([shapely.MultiPoint([(0, 0), (1, 1)])], dtype=object))
    assert pts[0].geom_type == "MultiPoint"


def test_assign_communes_lines_points_and_border() -> None:
    c = gpd.GeoDataFrame(
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)],
        index=pd.Index(["A", "B"], name="code_insee"),
        crs=2154,
    )
    f = gpd.GeoDataFrame(
        geometry=[
            LineString([(5, 5), (18, 5)]),
            Point(10, 5),
            Point(25, 5),
            Point(2000, 5),
            box(8, 0, 10, 10),
        ],
        index=["line", "edge", "near", "far", "touch"],
        crs=2154,
    )
    a = assign_communes(f, c, max_distance=100)
    assert a.loc["line", "code_insee"] == "B" and a.loc["line", "codes_insee"] == "B;A"
    assert a.loc["edge", "code_insee"] == "A" and a.loc["edge", "codes_insee"] == "A;B"
    assert a.loc["near", "code_insee"] == "B" and a.loc["near", "codes_insee"] == "B"
    assert pd.isna(a.loc["far", "code_insee"]) and pd.isna(a.loc["far", "codes_insee"])
    assert a.loc["touch", "codes_insee"] == "A"  # touching B along an edge is not lying in it
    assert every(assign_communes(f.iloc[[2]], c, max_distance=1)["code_insee"].isna())


def test_assign_communes_edge_cases() -> None:
    l_shape = shapely.Polygon([(0, 0), (100, 0), (100, 10), (10, 10), (10, 100), (0, 100)])
    c = gpd.GeoDataFrame(
        geometry=[l_shape, box(200, 0, 300, 100), box(0, 200, 100, 300)],
        index=pd.Index(["L", "R", "T"], name="code_insee"),
        crs=2154,
    )
    f = gpd.GeoDataFrame(
        geometry=[
            Point(50, 50),  # in L's bounding box, in no commune
            LineString([(150, 5), (200.5, 5)]),  # 0.5 m of line inside R
            Point(150, 150),  # equidistant from R and T (~70.7 m)
            Point(300 + 1000.5, 50),  # just beyond 1 km of R
            Point(300 + 999.5, 50),  # just within
        ],
        index=["bbox", "short", "tie", "far", "near"],
        crs=2154,
    )
    a = assign_communes(f, c)
    assert a.loc["bbox", "code_insee"] == "L"  # nearest (40 m), not "lying in" its bbox
    assert a.loc["bbox", "codes_insee"] == "L"
    assert a.loc["short", "code_insee"] == "R" and a.loc["short", "codes_insee"] == "R"
    assert a.loc["tie", "code_insee"] == "R" and a.loc["tie", "codes_insee"] == "R"  # one, lowest
    assert pd.isna(a.loc["far", "code_insee"]) and a.loc["near", "code_insee"] == "R"
    pts_in = gpd.GeoDataFrame(geometry=[Point(5, 50)], crs=2154)
    assert assign_communes(pts_in, c)["codes_insee"].tolist() == ["L"]


def test_nearest_to_mixed_targets() -> None:
    from erbm_geo.geom.kernels import nearest

    tgt = np.array(
        [Point(0, 100), LineString([(50, -50), (50, 50)]), box(-80, -10, -60, 10), Point(-10, -100)],
        dtype=object,
    )
    rng = np.random.default_rng(11)
    src = shapely.points(rng.uniform(-150, 150, (40, 2)))
    idx, dist = nearest(src, tgt)
    d = shapely.distance(src[:, None], tgt[None, :])
    np.testing.assert_allclose(dist, d.min(axis=1))
    assert every(idx == np.argmin(d, axis=1))


def test_repair_keeps_a_place_for_geometries_that_vanish_and_takes_lists() -> None:
    """A polygon collapsing to a line has no polygon left: None in its place, even last; a plain
    list (even empty) is accepted."""
    from erbm_geo.geom.spatial import repair_geometries

    square = shapely.box(0, 0, 1, 1)
    flat = shapely.Polygon([(0, 0), (1, 1), (2, 2), (0, 0)])
    got = repair_geometries([square, flat])
    assert len(got) == 2 and got[0].equals(square) and got[1] is None
    got = repair_geometries([flat, square, flat])
    assert got[0] is None and got[1].equals(square) and got[2] is None
    assert len(repair_geometries([])) == 0


def test_targets_beyond_reach_are_counted_side_by_side_limits_included() -> None:
    """A target whose envelope lies farther than *reach* from the features' box, on any side,
    is counted as left out; one exactly at reach is not. The layer itself is not cut."""
    from erbm_geo.geom.prepare import _within_reach

    fbox = (0.0, 0.0, 10.0, 30.0)  # wider than high: each side's own bound matters
    reach = 5.0
    at_reach = [box(15, 1, 16, 2), box(-6, 1, -5, 2), box(1, 35, 2, 36), box(1, -6, 2, -5)]
    beyond = [box(15.5, 1, 16, 2), box(-6, 1, -5.5, 2), box(1, 35.5, 2, 36), box(1, -6, 2, -5.5)]
    for sides in range(16):  # every combination of the sides beyond
        chosen = [beyond[k] if sides >> k & 1 else at_reach[k] for k in range(4)]
        t = gpd.GeoDataFrame(geometry=chosen, crs=2154)
        out, _ = _within_reach(t, memo_for(t.geometry.values._data), fbox, reach)
        assert out.attrs.get("left_out", 0) == bin(sides).count("1"), sides
        assert len(out) == 4 and "left_out" not in t.attrs


def test_an_invalid_commune_met_by_a_feature_is_named_as_a_commune() -> None:
    from erbm_geo.examples import example_communes

    c = example_communes().copy()
    x0, y0, x1, y1 = c.geometry.iloc[0].bounds
    c.loc[c.index[0], "geometry"] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])  # a bow-tie
    f = gpd.GeoDataFrame(geometry=[Point(x0 + 10, (y0 + y1) / 2)], crs=c.crs)  # in its left triangle
    with pytest.raises(InvalidGeometryError, match=r"^communes: 1 feature\(s\) are invalid"):
        assign_communes(f, c)


def test_a_feature_across_a_border_keeps_both_communes_however_small() -> None:
    """Parts of less than 1 m² (or 1 m) still count: a 50 cm square across the border of A and B
    lies in both."""
    communes = gpd.GeoDataFrame(
        {"code_insee": ["A", "B"]}, geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)], crs=2154
    ).set_index("code_insee")
    f = gpd.GeoDataFrame(
        geometry=[box(99.8, 10, 100.3, 10.5), LineString([(99.6, 50), (100.2, 50)])], crs=2154
    )
    got = assign_communes(f, communes)
    assert got["code_insee"].tolist() == ["B", "A"]  # the largest part first
    assert got["codes_insee"].tolist() == ["B;A", "A;B"]


def test_prepare_names_a_layer_whose_crs_its_coordinates_contradict() -> None:
    lens = gpd.GeoDataFrame(geometry=[Point(2.83, 50.43)], crs=4326).to_crs(3857)
    with pytest.raises(OutOfAreaError, match="^logements: read in the declared EPSG:2154"):
        prepare(lens.set_crs(2154, allow_override=True), name="logements")


def test_features_and_target_contradicting_their_crs_against_each_other_are_named() -> None:
    """Read in the declared CRS, one layer lies far from the other but falls on it in another
    common CRS: the layer at fault is named (the features or the target), unless its CRS was
    confirmed (``attrs["crs_confirmed"]``), which exempts that layer only."""
    lens = gpd.GeoDataFrame(geometry=[Point(2.83, 50.43), Point(2.85, 50.45)], crs=4326)
    good = lens.to_crs(2154)
    bad = lens.to_crs(3857).set_crs(2154, allow_override=True)  # Web-Mercator metres declared as L93
    good_poly = gpd.GeoDataFrame(geometry=good.buffer(500), crs=2154)
    bad_poly = gpd.GeoDataFrame(geometry=bad.buffer(500), crs=2154)
    with pytest.raises(
        OutOfAreaError, match="^qpv: read in the declared EPSG:2154 they lie .* from the features"
    ):
        prepare_target(bad_poly, good, name="qpv")
    with pytest.raises(
        OutOfAreaError, match="^the features: read in the declared EPSG:2154 they lie .* from qpv"
    ):
        prepare_target(good_poly, bad, name="qpv")
    confirmed_features = good.copy()
    confirmed_features.attrs["crs_confirmed"] = (
        True  # the features' CRS confirmed: the target is still checked
    )
    with pytest.raises(OutOfAreaError, match="^qpv: "):
        prepare_target(bad_poly, confirmed_features, name="qpv")
    bad_poly.attrs["crs_confirmed"] = True
    prepare_target(bad_poly, good, name="qpv")  # the target really lies there: no error


def test_prepare_names_the_layer_and_ten_duplicate_labels() -> None:
    """Refusals name the layer as the caller named it — the CRS checks too — and list the
    first ten duplicate labels."""
    from erbm_geo.errors import CRSError, DuplicateIndexError, OutOfAreaError

    sq = [shapely.box(700_000 + i, 7_000_000, 700_001 + i, 7_000_001) for i in range(24)]
    dup = gpd.GeoDataFrame(geometry=sq, index=list(range(12)) * 2, crs=2154)
    with pytest.raises(
        DuplicateIndexError,
        match=r"^mairies: the index has duplicate labels \[0, 1, 2, 3, 4, 5, 6, 7, 8, 9\], so",
    ):
        prepare(dup, name="mairies")
    with pytest.raises(CRSError, match="^mairies has no CRS"):
        prepare(gpd.GeoDataFrame(geometry=sq[:1]), name="mairies")
    with pytest.raises(OutOfAreaError, match="^mairies: 1 of 1 feature"):
        prepare(gpd.GeoDataFrame(geometry=[shapely.Point(2.8, 50.4)], crs=2154), name="mairies")
