"""Errors name the layer at fault; remembered structures are keyed by everything they depend
on; the paths that only some inputs take (ties, max_distance on many sources, tiny polygons)."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import LineString, Point, box

from erbm_geo.errors import DataQualityWarning, InvalidGeometryError, UnknownCodeError
from erbm_geo.geom.kernels import nearest
from erbm_geo.indicators import (
    aggregate,
    area_share,
    commune_of,
    count_within_radius,
    distance_to_centres,
    distance_to_lines,
    friches_context,
    heritage_within,
    income_context,
    qpv_overlap,
    station_access,
    unesco_overlap,
)
from tests.checks import every
from tests.unit.layers import COMMUNES, IRIS, STATIONS, X0, Y0


def sq(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def bowtie(dx: float = 0, dy: float = 0) -> shapely.Polygon:
    return shapely.Polygon(
        [(X0 + dx, Y0 + dy), (X0 + dx + 10, Y0 + dy + 10), (X0 + dx + 10, Y0 + dy), (X0 + dx, Y0 + dy + 10)]
    )


def layer(geoms: list[object], **cols: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(cols, geometry=geoms, crs=2154)


GOOD = layer([sq(100, 100, 200, 200)])
BAD = layer([bowtie(100, 100)])
POLY_T = layer([sq(0, 0, 300, 300)])

# every indicator that checks its features' validity, called on invalid features
AREA_INDICATORS: dict[str, Callable[[gpd.GeoDataFrame], object]] = {
    "qpv_overlap": lambda f: qpv_overlap(f, POLY_T),
    "unesco_overlap": lambda f: unesco_overlap(f, POLY_T, POLY_T),
    "area_share": lambda f: area_share(f, POLY_T),
    "station_access": lambda f: station_access(f, STATIONS),
    "income_context": lambda f: income_context(f, COMMUNES, IRIS),
    "commune_of": lambda f: commune_of(f, COMMUNES),
    "friches_context": lambda f: friches_context(f, COMMUNES),
}


@pytest.mark.parametrize("name", sorted(AREA_INDICATORS))
def test_invalid_features_are_refused_by_name(name: str) -> None:
    AREA_INDICATORS[name](GOOD)
    with pytest.raises(InvalidGeometryError, match=r"^features: 1 feature\(s\) are invalid"):
        AREA_INDICATORS[name](BAD)


def test_aggregate_refuses_invalid_features() -> None:
    with pytest.raises(InvalidGeometryError, match=r"^features: "):
        aggregate(pd.Series([1.0], index=BAD.index), BAD, COMMUNES)


# (call with the target, the target's name in messages, a valid target)
TARGETS: dict[str, tuple[Callable[[gpd.GeoDataFrame], object], gpd.GeoDataFrame]] = {
    "qpv": (lambda t: qpv_overlap(GOOD, t), POLY_T),
    "property": (lambda t: unesco_overlap(GOOD, t, POLY_T), POLY_T),
    "buffer_zone": (lambda t: unesco_overlap(GOOD, POLY_T, t), POLY_T),
    "targets": (lambda t: area_share(GOOD, t), POLY_T),
    "iris": (
        lambda t: income_context(
            GOOD, COMMUNES, t.assign(code_insee="62001", revenu_median_uc=1.0, taux_pauvrete_pct=1.0)
        ),
        POLY_T,
    ),
    "communes": (lambda t: commune_of(GOOD, t), COMMUNES),
}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_targets_named_in_their_errors(name: str) -> None:
    call, ok = TARGETS[name]
    call(ok)
    bad = layer([bowtie(150, 150)])  # meets the feature
    if name == "communes":
        bad = bad.set_axis(pd.Index(["62001"], name="code_insee"))
        with pytest.raises(InvalidGeometryError, match=r"^features: |^communes: "):
            call(bad)
        return
    with pytest.raises(InvalidGeometryError, match=rf"^{name}: 1 feature\(s\) are invalid"):
        call(bad)
    # an invalid target whose bounding box meets the feature but which does not touch it is
    # not checked (only targets that meet a feature need to be valid)
    apart = layer(
        [
            shapely.Polygon(
                [(X0 + 250, Y0 + 50), (X0 + 260, Y0 + 60), (X0 + 260, Y0 + 50), (X0 + 250, Y0 + 60)]
            ),
            sq(0, 0, 50, 50),
        ]
    )
    assert not shapely.is_valid(apart.geometry.iloc[0])
    call(apart)
    with pytest.raises(InvalidGeometryError, match=rf"^{name} must hold polygons only"):
        call(layer([Point(X0, Y0)]))


@pytest.mark.parametrize(
    "name,call",
    [
        ("stations", lambda t: station_access(GOOD, t)),
        ("centres", lambda t: distance_to_centres(GOOD, t)),
        ("lines", lambda t: distance_to_lines(GOOD, t)),
        ("targets", lambda t: count_within_radius(GOOD, t, radius=10)),
        ("shafts", lambda t: heritage_within(GOOD, t, layer([Point(X0, Y0)]))),
        ("terrils", lambda t: heritage_within(GOOD, layer([Point(X0, Y0)]), t)),
    ],
)
def test_point_and_line_targets_named_in_their_errors(name: str, call: Callable) -> None:
    with pytest.raises(InvalidGeometryError, match=rf"^{name}: 1 feature\(s\) have no geometry"):
        call(layer([Point(X0, Y0), None]))


def test_unknown_codes_messages() -> None:
    with pytest.raises(
        UnknownCodeError,
        match=r"^1 feature\(s\) have no known commune in the "
        r"code_insee column: \['<NA>'\] \(rows \[0\]\); codes are 5-character",
    ):
        commune_of(layer([Point(X0, Y0)], code_insee=[None]), COMMUNES)
    with pytest.raises(
        UnknownCodeError,
        match=r"in the code_insee index: \['99999'\].*"
        r"codes_from_names\.$",
    ):
        commune_of(COMMUNES.iloc[:1].set_axis(pd.Index(["99999"], name="code_insee")), COMMUNES)
    with pytest.raises(
        UnknownCodeError,
        match=r"in the spatial assignment: \['<NA>'\].*lie in "
        r"no commune of the communes layer .*Pas-de-Calais\)\.$",
    ):
        commune_of(layer([Point(X0 + 9000, Y0)]), COMMUNES)
    many = layer([Point(X0, Y0)] * 12, code_insee=[f"9{i:04d}" for i in range(12)])
    with pytest.raises(
        UnknownCodeError,
        match=r"^12 feature.*'90009'\] \(rows \[0, 1, 2, 3, 4, 5, "
        r"6, 7, 8, 9\]\)",
    ):
        commune_of(many, COMMUNES)


def test_commune_of_returns_named_aligned_series() -> None:
    by_index = commune_of(COMMUNES.iloc[[1]], COMMUNES)
    by_col = commune_of(layer([Point(X0, Y0)], code_insee=["62001"]).set_axis(["k"]), COMMUNES)
    by_space = commune_of(layer([Point(X0 + 5, Y0 + 5)]).set_axis(["s"]), COMMUNES)
    for s, idx in ((by_index, ["62002"]), (by_col, ["k"]), (by_space, ["s"])):
        assert s.name == "code_insee" and list(s.index) == idx


def test_walk_area_memo_depends_on_the_stations_near_the_features() -> None:
    """The same stations layer, two feature sets near different stations: each share is its
    own (the walkable area is remembered per radius and per subset of stations)."""
    st = layer([Point(X0, Y0), Point(X0 + 5000, Y0)], nom=["a", "b"])
    near_a = layer([sq(-100, -100, 100, 100)])
    near_b = layer([sq(4900, -100, 5100, 300)])
    assert station_access(near_a, st, radius=200)["share_within_walk"].iloc[0] == 1
    got = station_access(near_b, st, radius=200)["share_within_walk"].iloc[0]
    walk = shapely.buffer(Point(X0 + 5000, Y0), 200, quad_segs=16).intersection(sq(4900, -100, 5100, 300))
    assert got == pytest.approx(walk.area / (200 * 400))
    assert station_access(near_b, st, radius=300)["share_within_walk"].iloc[0] > got


def test_tiny_polygons_keep_their_shares() -> None:
    tiny = layer([sq(0, 0, 0.5, 0.5), sq(10, 0, 10.5, 0.5)])
    got = station_access(tiny, layer([Point(X0, Y0)]), radius=0.5)["share_within_walk"]
    quarter = shapely.buffer(Point(X0, Y0), 0.5, quad_segs=16).intersection(sq(0, 0, 0.5, 0.5))
    assert got.iloc[0] == pytest.approx(quarter.area / 0.25) and got.iloc[1] == 0
    half = layer([sq(0, 0, 0.25, 0.5)])
    assert area_share(tiny, half).tolist() == [0.5, 0.0]


def test_nearest_max_distance_on_the_voronoi_path() -> None:
    rng = np.random.default_rng(7)
    src = shapely.points(rng.uniform(0, 1000, (120, 2)))
    tgt = shapely.points(rng.uniform(0, 1000, (15, 2)))
    d = shapely.distance(src[:, None], tgt[None, :])
    best = d.min(axis=1)
    for md in (0.0, 20.0, 60.0, np.median(best), 5000.0):
        idx, dist = nearest(src, tgt, max_distance=md)
        far = best > md
        assert every(idx[far] == -1, may_be_empty=True) and every(np.isnan(dist[far]), may_be_empty=True)
        np.testing.assert_allclose(dist[~far], best[~far])
        assert every(idx[~far] == np.argmin(d, axis=1)[~far], may_be_empty=True)
    assert far.sum() == 0 and (~(best > 20.0)).sum() > 0


def test_nearest_ties_among_touching_targets_lowest_index() -> None:
    pts = shapely.points(np.array([[5.0, 5.0], [1.0, 1.0], [50.0, 50.0], [2.0, 8.0]]))
    src = np.array([box(0, 0, 10, 10)] * 3 + [box(40, 40, 60, 60)] * 60, dtype=object)
    idx, dist = nearest(src, pts)
    assert idx[:3].tolist() == [0, 0, 0] and every(idx[3:] == 2) and every(dist == 0)
    reordered = pts[[2, 3, 1, 0]]
    idx, _ = nearest(src, reordered)
    assert idx[0] == 1 and every(idx[3:] == 0)


def test_nearest_ties_on_the_segment_path_lowest_index() -> None:
    """A point equidistant from several lines or polygons gets the lowest index, whatever the
    tree's order."""
    lines = np.array(
        [
            LineString([(-5, 10), (5, 10)]),
            LineString([(-5, -10), (5, -10)]),
            LineString([(10, -5), (10, 5)]),
            LineString([(-10, -5), (-10, 5)]),
        ],
        dtype=object,
    )
    for perm in ([0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]):
        idx, dist = nearest(shapely.points(np.array([[0.0, 0.0]])), lines[perm])
        assert idx.tolist() == [0] and dist.tolist() == [10.0]
    polys = np.array([box(3, -1, 4, 1), box(-4, -1, -3, 1), box(-1, 3, 1, 4)], dtype=object)
    for perm in ([2, 1, 0], [1, 2, 0], [0, 2, 1]):
        idx, _ = nearest(shapely.points(np.array([[0.0, 0.0]] * 3)), polys[perm])
        assert idx.tolist() == [0, 0, 0]


def _dtypes(df: pd.DataFrame | pd.Series) -> dict[str, str]:
    frame = df.to_frame() if isinstance(df, pd.Series) else df
    return {c: str(t) for c, t in frame.dtypes.items()}


def test_output_dtypes_are_the_documented_ones() -> None:
    """Distances and shares float64, counts int64, names and codes pandas strings — also when
    nothing is found (no target near, no label)."""
    f = gpd.GeoDataFrame(
        geometry=[sq(0, 0, 100, 100), Point(X0 + 50, Y0 + 5000)],
        index=pd.Index(["a", "b"], name="id"),
        crs=2154,
    )
    q = qpv_overlap(f, POLY_T)
    assert _dtypes(q) == {
        "qpv_share": "float64",
        "qpv_area_m2": "float64",
        "qpv_codes": "string",
        "n_qpv": "int64",
    }
    assert list(q.index) == ["a", "b"] and q.index.name == "id"
    assert _dtypes(qpv_overlap(f, POLY_T.iloc[:0])) == _dtypes(q)
    u = unesco_overlap(f, POLY_T, POLY_T)
    assert _dtypes(u)["bien_inscrit_share"] == "float64"
    assert _dtypes(u)["bien_inscrit_distance_m"] == "float64"
    s = station_access(f, STATIONS)
    assert _dtypes(s) == {
        "station_distance_m": "float64",
        "station_nom": "string",
        "train_distance_m": "float64",
        "tram_distance_m": "float64",
        "stations_within": "int64",
        "share_within_walk": "float64",
    }
    d = distance_to_centres(f, STATIONS, max_distance=10)
    assert _dtypes(d) == {"distance_m": "float64", "centre_nom": "string", "centre_id": "string"}
    assert every(d["centre_nom"].isna()) and every(d["centre_id"].isna())  # nothing within 10 m
    assert _dtypes(distance_to_lines(f, POLY_T)) == {"lines_distance_m": "float64"}
    assert _dtypes(count_within_radius(f, STATIONS, radius=10)) == {"within": "int64"}
    assert _dtypes(heritage_within(f, STATIONS, STATIONS)) == {
        "puits_within": "int64",
        "terrils_within": "int64",
    }
    inside = f.iloc[:1]
    fr = friches_context(inside, COMMUNES)
    assert _dtypes(fr)["friches_n"] == "float64" and _dtypes(fr)["friches_surface_quality"] == "string"
    inc = income_context(inside, COMMUNES, IRIS)
    assert set(_dtypes(inc).values()) == {"float64"}
    c = commune_of(inside, COMMUNES.set_axis(COMMUNES.index.astype(object)))
    assert c.dtype == "string" and c.name == "code_insee"


def test_labels_of_targets_without_names() -> None:
    """Centres without a name column are named by their index; an empty layer labels nothing."""
    cen = gpd.GeoDataFrame(geometry=[Point(X0, Y0)], index=pd.Index([7], name="k"), crs=2154)
    d = distance_to_centres(GOOD, cen)
    assert d["centre_nom"].tolist() == ["7"] and d["centre_id"].tolist() == ["7"]


def test_friches_thresholds() -> None:
    c = COMMUNES.assign(
        friches_surface_share=[1.0, 1.5, 0.2, 0, 0, 0],
        friches_surface_quality=["ok", "ok", None, "ok", "ok", "ok"],
    )
    with pytest.warns(DataQualityWarning, match=r"1 commune\(s\)"):
        got = friches_context(COMMUNES.iloc[[0, 1, 2]], c)
    # exactly 1 is possible (a commune covered by friches); above 1 is not; NA quality means ok
    assert got["friches_surface_quality"].tolist() == ["ok", "share_above_one", "ok"]
    assert got["friches_surface_share"].tolist()[0] == 1.0 and np.isnan(got["friches_surface_m2"].iloc[1])
    assert got["friches_surface_share"].iloc[2] == pytest.approx(0.2)


EVERY_INDICATOR: dict[str, Callable[[gpd.GeoDataFrame], pd.DataFrame | pd.Series]] = {
    **AREA_INDICATORS,
    "distance_to_centres": lambda f: distance_to_centres(f, STATIONS),
    "distance_to_lines": lambda f: distance_to_lines(f, POLY_T),
    "count_within_radius": lambda f: count_within_radius(f, STATIONS, radius=10),
    "heritage_within": lambda f: heritage_within(f, STATIONS, STATIONS),
}


@pytest.mark.parametrize("name", sorted(EVERY_INDICATOR))
def test_results_aligned_on_the_features_index_and_missing_geometry_named(name: str) -> None:
    f = gpd.GeoDataFrame(
        geometry=[sq(10, 10, 60, 60), sq(300, 300, 400, 400)], index=pd.Index(["x", "y"], name="id"), crs=2154
    )
    got = EVERY_INDICATOR[name](f)
    assert list(got.index) == ["x", "y"]
    with pytest.raises(InvalidGeometryError, match=r"^features: 1 feature\(s\) have no geometry"):
        EVERY_INDICATOR[name](gpd.GeoDataFrame(geometry=[sq(10, 10, 60, 60), None], crs=2154))


def test_default_radii_and_names() -> None:
    from erbm_geo.errors import InvalidOptionError, MissingColumnError
    from erbm_geo.geom.validate import check_columns
    from erbm_geo.indicators.access import check_radius

    f = layer([Point(X0, Y0)])
    pts = layer([Point(X0 + 999, Y0), Point(X0 + 1001, Y0)])
    assert heritage_within(f, pts, pts).iloc[0].tolist() == [1, 1]  # 1,000 m by default
    assert count_within_radius(f, pts, radius=1001).name == "within"
    assert distance_to_lines(f, POLY_T).name == "lines_distance_m"
    with pytest.raises(InvalidOptionError, match="^radius must"):
        check_radius(-1)
    with pytest.raises(MissingColumnError, match="^layer lacks"):
        check_columns(f, ["nom"])


def test_errors_list_at_most_ten_rows() -> None:
    from erbm_geo.geom.validate import check_geometries

    g = gpd.GeoDataFrame(geometry=[None] * 12, index=pd.Index(range(12)), crs=2154)
    with pytest.raises(
        InvalidGeometryError,
        match=r"12 feature\(s\) have no geometry \(index "
        r"\[0, 1, 2, 3, 4, 5, 6, 7, 8, 9\]\)",
    ):
        check_geometries(g)


def test_code_insee_index_wins_over_space_and_na_lists() -> None:
    """A feature indexed by INSEE code belongs to that commune even where it lies elsewhere;
    an NA ``codes_insee`` falls back to the main code."""
    elsewhere = gpd.GeoDataFrame(
        geometry=[sq(100, 100, 200, 200)], index=pd.Index(["62002"], name="code_insee"), crs=2154
    )
    assert commune_of(elsewhere, COMMUNES).tolist() == ["62002"]
    got = income_context(elsewhere, COMMUNES, IRIS).iloc[0]
    assert got["revenu_median_commune"] == 19000
    assert np.isnan(got["revenu_median_iris"])  # it overlaps only IRIS of 62001, not its own
    f = gpd.GeoDataFrame(
        {"code_insee": ["62001", "62001"], "codes_insee": ["62001;62002", None]},
        geometry=[sq(900, 0, 1100, 1000), sq(900, 0, 1100, 1000)],
        crs=2154,
    )
    got = income_context(f, COMMUNES, IRIS)
    assert got["revenu_median_iris"].iloc[0] == pytest.approx(25_000)  # half at 20,000, half 30,000
    # a missing list means the main commune only: its IRIS at 20,000 (0.1 km² of it)
    assert got["revenu_median_iris"].iloc[1] == pytest.approx(20_000)


def test_an_insee_index_ignores_a_codes_insee_column() -> None:
    """Indexed by INSEE code, a feature belongs to that commune only: a ``codes_insee`` column
    beside the index lists nothing more (it counts where the code is a column)."""
    f = gpd.GeoDataFrame(
        {"codes_insee": ["62001;62002"]},
        geometry=[sq(900, 0, 1100, 1000)],
        index=pd.Index(["62001"], name="code_insee"),
        crs=2154,
    )
    assert income_context(f, COMMUNES, IRIS)["revenu_median_iris"].iloc[0] == pytest.approx(20_000)


def test_context_refusals_name_the_layer_and_the_builtin_to_pass() -> None:
    from erbm_geo.errors import MissingColumnError

    f = gpd.GeoDataFrame(geometry=[sq(100, 100, 200, 200)], crs=2154)
    with pytest.raises(
        MissingColumnError,
        match=r"^communes lacks column\(s\) \['friches_n'.*, e\.g\. "
        r"erbm_geo\.indicators\.builtin\.friches_communes\(\)$",
    ):
        friches_context(f, COMMUNES.drop(columns=["friches_n"]))
    with pytest.raises(
        MissingColumnError,
        match=r"^communes lacks column\(s\) \['revenu_median_uc'\].*builtin\.income_communes\(\)$",
    ):
        income_context(f, COMMUNES.drop(columns=["revenu_median_uc"]), IRIS)
    with pytest.raises(
        MissingColumnError,
        match=r"^iris lacks column\(s\) \['taux_pauvrete_pct'\].*builtin\.income_iris\(\)$",
    ):
        income_context(f, COMMUNES, IRIS.drop(columns=["taux_pauvrete_pct"]))
    far = gpd.GeoDataFrame(geometry=[sq(5000, 5000, 5100, 5100)], crs=2154)
    with pytest.raises(UnknownCodeError, match="lie in no commune of the communes layer"):
        income_context(far, COMMUNES, IRIS)


def test_targets_beyond_the_radius_are_counted_as_left_out() -> None:
    """count_within_radius notes the targets that lie beyond the radius of every feature."""
    t = gpd.GeoDataFrame(
        geometry=[sq(0, 0, 1, 1), sq(5000, 0, 5001, 1), sq(400_000, 0, 400_001, 1)], crs=2154
    )
    got = count_within_radius(layer([sq(0, 0, 10, 10)]), t, radius=1000)
    assert got.tolist() == [1] and got.attrs["targets_left_out"] == {"targets": 2}


def test_area_share_leaves_out_a_target_half_a_metre_away() -> None:
    """Shares need an overlap: a target whose envelope lies half a metre beyond the features' is
    left out (and counted), one touching them is kept."""
    f = layer([sq(0, 0, 10, 10)])
    t = layer([sq(10.5, 0, 20, 10), sq(10, 0, 20, 10)])
    got = area_share(f, t.iloc[[0]])
    assert got.tolist() == [0.0] and got.attrs["targets_left_out"] == {"targets": 1}
    assert "targets_left_out" not in area_share(f, t.iloc[[1]]).attrs


def test_income_points_only_in_the_iris_holding_them_and_nan_rates() -> None:
    l_shape = shapely.Polygon(
        [
            (X0, Y0),
            (X0 + 1000, Y0),
            (X0 + 1000, Y0 + 100),
            (X0 + 100, Y0 + 100),
            (X0 + 100, Y0 + 1000),
            (X0, Y0 + 1000),
        ]
    )
    iris = gpd.GeoDataFrame(
        {
            "code_insee": ["62001", "62001"],
            "revenu_median_uc": [10_000.0, 30_000.0],
            "taux_pauvrete_pct": [np.nan, 20.0],
        },
        geometry=[l_shape, sq(100, 100, 1000, 1000)],
        crs=2154,
    )
    pt = layer([Point(X0 + 500, Y0 + 500)])  # inside the L's bounding box, not inside the L
    got = income_context(pt, COMMUNES, iris).iloc[0]
    assert got["revenu_median_iris"] == 30_000 and got["taux_pauvrete_iris_pct"] == 20
    whole = income_context(COMMUNES.iloc[[0]], COMMUNES, iris).iloc[0]
    # areas 0.19 and 0.81 km²: income weighted by both, poverty only where it is known
    assert whole["revenu_median_iris"] == pytest.approx(0.19 * 10_000 + 0.81 * 30_000)
    assert whole["taux_pauvrete_iris_pct"] == pytest.approx(20)


def test_aggregate_weights_summing_to_one_or_less() -> None:
    v = pd.Series([0.2, 0.6, 0.0, 0.0, 0.0, 0.0], index=COMMUNES.index, name="x")
    got = aggregate(v, COMMUNES.assign(w=[0.25, 0.75, 0, 0, 0, 0]), COMMUNES, weights="w")
    assert got.loc["200000001", "x"] == pytest.approx(0.5)
    assert np.isnan(got.loc["200000002", "x"]) and got["n"].tolist() == [3, 3]


def test_a_memo_learns_plain_data_and_new_geometries_and_keeps_what_it_knew() -> None:
    """``learn_from`` (a thread's copy of a target, from the metadata run's memo): checks,
    validity, plain values read-only and geometry arrays as new objects; not trees, not values
    holding anything else; nothing the copy knew is forgotten or replaced."""
    from erbm_geo.geom.memo import GeometryMemo

    bow = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    geoms = np.array([box(0, 0, 1, 1), bow, box(2, 0, 3, 1)])
    other = GeometryMemo(geoms)
    other.basic_ok = True
    other.valid[:] = [1, 0, -1]
    other.get_tree()
    parts = np.array([box(0, 0, 3, 1)])
    other.derived.update(
        mask=np.array([True, False, True]),
        parts=parts,
        bounds=(0.0, 0.0, 3.0, 2.0),
        ok=True,
        crs="EPSG:2154",
        pair=(np.array([1.0]), "x"),  # holds an array: not taken
        empty=np.array([], dtype=object),  # no geometry to give: not taken
    )
    mine = GeometryMemo(shapely.from_wkb(shapely.to_wkb(geoms)))
    mine.valid[2] = 1  # learnt by the copy itself
    assert mine.learn_from(other) == 5
    assert set(mine.derived) == {"mask", "parts", "bounds", "ok", "crs"}
    assert mine.basic_ok is True
    assert mine.valid.tolist() == [1, 0, 1]
    assert mine.derived["bounds"] == (0.0, 0.0, 3.0, 2.0) and mine.derived["crs"] == "EPSG:2154"
    with pytest.raises(ValueError, match="read-only"):
        mine.derived["mask"][0] = False
    assert other.derived["mask"].flags.writeable  # the original's own array is untouched
    assert mine.derived["parts"][0] is not parts[0] and mine.derived["parts"][0].equals(parts[0])

    knew = GeometryMemo(mine.geoms)
    knew.derived["mask"] = np.array([False, False, False])
    knew.learn_from(other)
    assert knew.derived["mask"].tolist() == [False, False, False]  # its own, kept

    short = GeometryMemo(geoms[:2])  # other geometries: nothing taken
    assert short.learn_from(other) == 0 and not short.derived and not short.basic_ok
    assert short.valid.tolist() == [-1, -1]

    class Changing(dict[str, object]):
        def items(self) -> object:  # another thread adding to the original's memo meanwhile
            raise RuntimeError("dictionary changed size during iteration")

    busy = GeometryMemo(geoms)
    busy.basic_ok = True
    busy.derived = Changing(ok=True)
    late = GeometryMemo(mine.geoms)
    assert late.learn_from(busy) == 0 and not late.derived and not late.basic_ok


def test_validity_is_computed_once_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """invalid_rows finds the invalid rows asked for, and tests each row's validity once: rows
    already known (valid or not) are not tested again."""
    from erbm_geo.geom.memo import GeometryMemo

    memo = GeometryMemo(np.array([sq(0, 0, 1, 1), bowtie(), sq(2, 2, 3, 3)], dtype=object))
    tested: list[int] = []
    real = shapely.is_valid

    def spy(g: np.ndarray, *args: object, **kwargs: object) -> np.ndarray:
        tested.append(len(g))
        return real(g)

    monkeypatch.setattr(shapely, "is_valid", spy)
    assert memo.invalid_rows(np.array([0, 1])).tolist() == [1]
    assert memo.invalid_rows(np.array([1, 0, 2])).tolist() == [1]
    assert tested == [2, 1]  # rows 0 and 1, then row 2 alone


def test_commune_of_builds_no_lists_checks_the_communes_and_names_its_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """commune_of needs the main code only: the joined lists of codes are not built (#31). The
    communes are checked as a polygon layer with a CRS, named in refusals; the result is named
    code_insee on every path."""
    from erbm_geo.errors import CRSError
    from erbm_geo.indicators import context

    seen: list[object] = []
    real = context.assign_communes
    monkeypatch.setattr(
        context, "assign_communes", lambda *a, **k: seen.append(k.get("codes")) or real(*a, **k)
    )
    f = layer([sq(100, 100, 200, 200)])
    assert commune_of(f, COMMUNES).tolist() == ["62001"] and seen == [False]
    indexed = gpd.GeoDataFrame(
        geometry=[sq(100, 100, 200, 200)], index=pd.Index(["62001"], name="code_insee"), crs=2154
    )
    assert commune_of(indexed, COMMUNES).name == "code_insee"
    with pytest.raises(CRSError, match="^communes"):
        commune_of(f, COMMUNES.set_crs(None, allow_override=True))
    points = COMMUNES.assign(geometry=COMMUNES.geometry.centroid)
    with pytest.raises(InvalidGeometryError, match="^communes"):
        commune_of(f, points)
    lonlat = COMMUNES.to_crs(4326)  # communes in another CRS than the features: reprojected
    assert commune_of(f, lonlat).tolist() == ["62001"]


def test_qpv_overlap_leaves_out_a_qpv_half_a_metre_away() -> None:
    f = layer([sq(0, 0, 10, 10)])
    q = gpd.GeoDataFrame(geometry=[sq(10.5, 0, 20, 10)], index=pd.Index(["QN1"], name="code_qpv"), crs=2154)
    got = qpv_overlap(f, q)
    assert got["qpv_share"].tolist() == [0.0] and got.attrs["targets_left_out"] == {"qpv": 1}


def test_aggregate_sum_where_the_last_group_has_no_value() -> None:
    """A group whose features all lack a value has no sum (the row is left out), also when it is
    the last group met."""
    f = gpd.GeoDataFrame(
        geometry=[sq(100, 100, 200, 200), sq(1100, 100, 1200, 200), sq(2100, 100, 2200, 200)], crs=2154
    )
    v = pd.Series([2.0, 3.0, np.nan], index=f.index, name="x")
    got = aggregate(v, f, COMMUNES, by="commune", how="sum")
    assert got.index.tolist() == ["62001", "62002"] and got["x"].tolist() == [2.0, 3.0]
