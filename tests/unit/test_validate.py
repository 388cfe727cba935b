"""Input checks of the geometry core on synthetic layers (no mirror)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from shapely import Point, box

from erbm_geo.errors import (
    CRSError,
    DataFormatError,
    EmptyInputError,
    ErbmGeoError,
    InvalidGeometryError,
    MissingColumnError,
    OutOfAreaError,
)
from erbm_geo.geom.memo import memo_for
from erbm_geo.geom.validate import (
    AREA_BOUNDS,
    LINEAR,
    POLYGONAL,
    PUNCTUAL,
    check_area,
    check_columns,
    check_geometries,
    check_layer,
    check_not_empty,
    check_unique_columns,
    same_crs,
    to_working_crs,
)

LENS = Point(687_000, 7_037_000)


def layer(geoms: list[object], crs: object = 2154, **cols: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        cols, geometry=geoms, crs=crs, index=pd.Index([f"r{i}" for i in range(len(geoms))])
    )


def test_not_empty_and_columns() -> None:
    check_not_empty(layer([LENS]))
    with pytest.raises(EmptyInputError, match="cités is empty"):
        check_not_empty(layer([]), name="cités")
    check_columns(layer([LENS], nom=["a"]), ["nom"])
    with pytest.raises(MissingColumnError, match=r"\['mode', 'x'\].*available: \['nom', 'geometry'\]"):
        check_columns(layer([LENS], nom=["a"]), ["nom", "mode", "x"])
    check_unique_columns(pd.DataFrame([[1, 2]], columns=["a", "b"]))
    with pytest.raises(DataFormatError, match=r"duplicate column names \['a'\]"):
        check_unique_columns(pd.DataFrame([[1, 2, 3]], columns=["a", "a", "b"]))


@pytest.mark.parametrize("corner", range(4))
def test_area_bounds_each_side(corner: int) -> None:
    x0, y0, x1, y1 = AREA_BOUNDS
    inside = [Point(x0, y0), Point(x1, y1)]
    check_area(layer(inside))  # the bounds themselves are inside
    eps = 1.0
    out = [
        Point(x0 - eps, y0 + 10),
        Point(x0 + 10, y0 - eps),
        Point(x1 + eps, y1 - 10),
        Point(x1 - 10, y1 + eps),
    ][corner]
    with pytest.raises(OutOfAreaError, match=r"1 of 2 feature\(s\).*index \['r1'\]"):
        check_area(layer([LENS, out]))


def test_area_causes() -> None:
    with pytest.raises(OutOfAreaError, match="look like degrees.*EPSG:2154"):
        check_area(layer([Point(3.0, 50.4)]))
    with pytest.raises(OutOfAreaError, match="look like degrees"):
        check_area(layer([Point(-179.0, -89.0)]))
    with pytest.raises(OutOfAreaError, match="another CRS than the declared EPSG:3857"):
        check_area(layer([Point(300_000, 6_500_000 + 3e6)]), declared="EPSG:3857")
    with pytest.raises(OutOfAreaError, match="another CRS"):
        check_area(layer([Point(181.0, 50.0)]))  # beyond ±180: not degrees
    with pytest.raises(OutOfAreaError, match="another CRS"):
        check_area(layer([Point(3.0, 91.0)]))  # beyond ±90: not degrees
    check_area(layer([]))
    check_area(layer([Point(np.nan, np.nan), LENS]))  # non-finite: left to check_geometries
    b = shapely.bounds(np.array([Point(0, 0)], dtype=object))
    with pytest.raises(OutOfAreaError):
        check_area(layer([LENS]), bounds=b)  # the bounds given are the ones checked


def test_to_working_crs() -> None:
    g = layer([LENS])
    assert to_working_crs(g) is g  # already Lambert-93: returned as is
    wgs = g.to_crs(4326)
    back = to_working_crs(wgs)
    assert back.crs.to_epsg() == 2154
    assert back.geometry.iloc[0].distance(LENS) < 1e-6
    with pytest.raises(CRSError, match="has no CRS"):
        to_working_crs(layer([LENS], crs=None))
    with pytest.raises(TypeError, match="GeoDataFrame"):
        to_working_crs(pd.DataFrame({"a": [1]}))  # type: ignore[arg-type]
    with pytest.raises(OutOfAreaError, match="cannot be degrees"):
        to_working_crs(layer([LENS], crs=4326))
    # New York in degrees is valid, just elsewhere: not a CRS mistake (issue #25)
    assert to_working_crs(layer([Point(-75.0, 40.0)], crs=4326)).crs.to_epsg() == 2154
    with pytest.raises(OutOfAreaError, match="look like degrees"):
        to_working_crs(layer([Point(0, 0)], crs=3857))
    with pytest.raises(OutOfAreaError, match="larger than the Earth"):
        to_working_crs(layer([LENS, Point(1e15, 1e15)]))


def test_to_working_crs_remembers_only_a_passed_check() -> None:
    bad = layer([Point(3.0, 50.4)])
    for _ in range(2):  # a failed check is not remembered as passed
        with pytest.raises(OutOfAreaError):
            to_working_crs(bad)
    good = layer([LENS])
    to_working_crs(good)
    assert memo_for(np.asarray(good.geometry.values, dtype=object)).derived.get("crs_ok") is True


def test_check_layer() -> None:
    g = check_layer(layer([Point(2.83, 50.43)], crs=4326, nom=["Lens"]), name="mairies")
    assert g.crs.to_epsg() == 2154 and list(g.columns) == ["nom", "geometry"]
    with pytest.raises(TypeError):
        check_layer(pd.DataFrame({"a": [1]}))  # type: ignore[arg-type]
    with pytest.raises(EmptyInputError, match="mairies"):
        check_layer(layer([]), name="mairies")
    dup = layer([LENS], a=[1])
    dup.insert(0, "b", [2], allow_duplicates=True)
    dup.columns = ["a", "a", "geometry"]
    with pytest.raises(DataFormatError):
        check_layer(dup)
    with pytest.raises(InvalidGeometryError, match="type"):
        check_layer(layer([LENS]), types=POLYGONAL)
    bowtie = shapely.Polygon(
        [(687_000, 7_037_000), (687_010, 7_037_010), (687_010, 7_037_000), (687_000, 7_037_010)]
    )
    check_layer(layer([bowtie]))  # invalid polygons allowed by default (outputs repair or draw)
    with pytest.raises(InvalidGeometryError, match="invalid"):
        check_layer(layer([bowtie]), allow_invalid=False)


def test_same_crs() -> None:
    a, b = layer([LENS]), layer([LENS]).to_crs(4326)
    same_crs(a, layer([LENS]), names=("a", "b"))
    with pytest.raises(CRSError, match=r"a is in EPSG:2154 but b is in EPSG:4326.*b.to_crs\(a.crs\)"):
        same_crs(a, b, names=("a", "b"))
    with pytest.raises(CRSError, match="b has no CRS"):
        same_crs(a, layer([LENS], crs=None), names=("a", "b"))
    with pytest.raises(CRSError, match="a has no CRS"):
        same_crs(layer([LENS], crs=None), a, names=("a", "b"))


def test_check_geometries_each_problem() -> None:
    ok = [LENS, box(687_000, 7_037_000, 687_100, 7_037_100)]
    check_geometries(layer(ok))
    with pytest.raises(InvalidGeometryError, match=r"q: 1 feature\(s\) have no geometry \(index \['r1'\]\)"):
        check_geometries(layer([LENS, None]), name="q")
    with pytest.raises(InvalidGeometryError, match="have an empty geometry"):
        check_geometries(layer([LENS, shapely.Polygon()]))
    with pytest.raises(InvalidGeometryError, match=r"NaN or infinite.*\['r2'\]"):
        check_geometries(layer([LENS, LENS, shapely.LineString([(0, 0), (np.inf, 1)])]))
    check_geometries(layer(ok), types=POLYGONAL | PUNCTUAL)
    with pytest.raises(
        InvalidGeometryError,
        match=r"of type \['Point'\], expected \['LineString', "
        r"'MultiLineString'\].*expected geometry type",
    ):
        check_geometries(layer([LENS, shapely.LineString([(0, 0), (1, 1)])]), types=LINEAR)
    gc = shapely.GeometryCollection([LENS])
    with pytest.raises(InvalidGeometryError, match="explode"):
        check_geometries(layer([gc]), types=PUNCTUAL)
    every = [
        LENS,
        shapely.LineString([(0, 0), (1, 1)]),
        shapely.LinearRing([(0, 0), (1, 0), (1, 1)]),
        box(0, 0, 1, 1),
        shapely.MultiPoint([(0, 0)]),
        shapely.MultiLineString([[(0, 0), (1, 1)]]),
        shapely.MultiPolygon([box(0, 0, 1, 1)]),
        gc,
    ]
    names = [
        "Point",
        "LineString",
        "LinearRing",
        "Polygon",
        "MultiPoint",
        "MultiLineString",
        "MultiPolygon",
        "GeometryCollection",
    ]
    for g, n in zip(every, names, strict=True):
        check_geometries(layer([g]), types={n})
        with pytest.raises(InvalidGeometryError, match=n):
            check_geometries(layer([g]), types=set(names) - {n})
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    with pytest.raises(InvalidGeometryError, match="are invalid.*make_valid"):
        check_geometries(layer([bowtie]))
    check_geometries(layer([bowtie]), allow_invalid=True)


def test_degrees_are_within_180_and_90_limits_included() -> None:
    """Bounds (xmin, ymin, xmax, ymax) look like degrees when every x is within ±180 and every y
    within ±90, the limits included; one coordinate beyond, on any side, and they do not."""
    from erbm_geo.geom.validate import _looks_like_degrees

    assert _looks_like_degrees(np.array([[-180.0, -90.0, 180.0, 90.0]]))
    for side in range(4):
        b = np.array([[-180.0, -90.0, 180.0, 90.0]])
        b[0, side] *= 1.001
        assert not _looks_like_degrees(b), side


@pytest.mark.parametrize(
    "problem", ["empty", "duplicate columns", "no CRS", "CRS contradicted", "empty geometry"]
)
@pytest.mark.parametrize("name", ["mairies", None])
def test_check_layer_names_the_layer_in_every_refusal(problem: str, name: str | None) -> None:
    """Whatever the first problem, the message starts with the layer's name ("layer" by default)."""
    ok = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(700_000, 7_000_000)], crs=2154)
    lens = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(2.83, 50.43)], crs=4326)
    bad = {
        "empty": ok.iloc[:0],
        "duplicate columns": gpd.GeoDataFrame(
            pd.concat([ok[["a"]], ok[["a"]]], axis=1), geometry=ok.geometry, crs=2154
        ),
        "no CRS": ok.set_crs(None, allow_override=True),
        "CRS contradicted": lens.to_crs(3857).set_crs(2154, allow_override=True),  # Web Mercator as L93
        "empty geometry": gpd.GeoDataFrame({"a": [1]}, geometry=[Point()], crs=2154),
    }[problem]
    with pytest.raises(ErbmGeoError) as err:
        check_layer(bad) if name is None else check_layer(bad, name=name)
    assert str(err.value).startswith(name or "layer"), str(err.value)


def test_each_check_names_the_layer_layer_by_default() -> None:
    from erbm_geo.geom.validate import check_region

    ok = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(700_000, 7_000_000)], crs=2154)
    lens = gpd.GeoDataFrame(geometry=[Point(2.83, 50.43)], crs=4326)
    with pytest.raises(EmptyInputError, match="^layer is empty"):
        check_not_empty(ok.iloc[:0])
    with pytest.raises(DataFormatError, match="^layer has duplicate column names"):
        check_unique_columns(
            gpd.GeoDataFrame(pd.concat([ok[["a"]], ok[["a"]]], axis=1), geometry=ok.geometry)
        )
    with pytest.raises(OutOfAreaError, match="^layer: read in the declared EPSG:2154"):
        check_region(lens.to_crs(3857).set_crs(2154, allow_override=True))


def test_coordinates_no_point_on_the_earth_has_are_refused() -> None:
    """A Lambert-93 y of 28,194 km lies beyond the projection's pole: turned into longitude/latitude
    and back it lands 15,000 km away. Such rows are refused and named, on any corner of their box;
    points beyond the pole that are the image of a real place (84° N, 109° W), overseas places
    (La Réunion) and Lens pass."""
    with pytest.raises(
        OutOfAreaError, match=r"1 of 3 feature\(s\) \(index \['r1'\]\).*no point on the Earth"
    ):
        to_working_crs(layer([LENS, Point(700_000, 28_194_000), Point(10_216_072, 516_875)]))
    # only the box's upper corner is beyond the pole
    with pytest.raises(OutOfAreaError, match="no point on the Earth has in EPSG:2154"):
        to_working_crs(layer([box(700_000, 7_000_000, 700_010, 28_194_000)]))
    # only its upper left corner, or none of its corners, beyond the pole: each corner is itself
    with pytest.raises(OutOfAreaError, match="no point on the Earth has in EPSG:2154"):
        to_working_crs(layer([box(700_000, 7_000_000, 20_700_000, 14_000_000)]))
    assert len(to_working_crs(layer([box(700_000, 7_000_000, 13_000_000, 7_000_100)]))) == 1
    # only its upper right corner (x on the pole's meridian): the other three are real places
    with pytest.raises(OutOfAreaError, match="no point on the Earth has in EPSG:2154"):
        to_working_crs(layer([box(-19_300_000, 7_000_000, 700_000, 28_000_000)]))
    for far in (Point(-628_630, 12_450_375), Point(10_216_072, 516_875), Point(700_000, 12_000_000)):
        assert to_working_crs(layer([far, LENS])).crs.to_epsg() == 2154
    # projected CRSs other than Lambert-93: UTM 31N at (20,000 km, 20,000 km) is nowhere
    with pytest.raises(OutOfAreaError, match="EPSG:32631"):
        to_working_crs(layer([Point(2e7, 2e7)], crs=32631))
    # beyond the area of use on one side only (east, west, south): each row is sent through
    for far in (Point(2e7, 5e6), Point(-2e7, 5e6), Point(5e5, -2e7)):
        with pytest.raises(OutOfAreaError, match=r"index \['r1'\].*no point on the Earth has in EPSG:32631"):
            to_working_crs(layer([Point(500_000, 5_600_000), far], crs=32631))
    assert len(to_working_crs(layer([Point(500_000, 5_600_000)], crs=32631))) == 1


def test_only_rows_outside_the_area_of_use_make_the_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside the CRS's area of use (metropolitan France for Lambert-93) no point is projected:
    a building-scale layer costs one comparison per row. A CRS without an area of use (a PROJ
    string) sends every row's four corners."""
    from erbm_geo.geom import validate

    sizes: list[int] = []
    real = validate._transformer

    class Spy:
        def __init__(self, t: object) -> None:
            self.t = t

        def transform(self, x: np.ndarray, y: np.ndarray, **kw: object) -> object:
            sizes.append(len(x))
            return self.t.transform(x, y, **kw)  # type: ignore[attr-defined]

        def transform_bounds(self, *a: object, **kw: object) -> object:
            return self.t.transform_bounds(*a, **kw)  # type: ignore[attr-defined]

    monkeypatch.setattr(validate, "_transformer", lambda s, d: Spy(real(s, d)))
    inside = [Point(600_000 + i, 7_000_000) for i in range(5)]
    to_working_crs(layer(inside))
    assert sizes == []
    to_working_crs(layer([*inside, Point(10_216_072, 516_875)]))  # La Réunion: one row, 4 corners
    assert sizes == [4, 4]
    sizes.clear()
    lcc = "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +units=m"
    assert pyproj.CRS(lcc).area_of_use is None
    with pytest.raises(OutOfAreaError, match=r"index \['r5'\]"):
        to_working_crs(layer([*inside, Point(700_000, 28_194_000)], crs=lcc))
    assert sizes[:2] == [24, 24]


def test_box_distance_on_every_side() -> None:
    """The gap between two boxes, on each side and diagonally; 0 when they touch or overlap."""
    from erbm_geo.geom.validate import _box_distance

    a = (0.0, 0.0, 10.0, 20.0)
    assert _box_distance(a, (13.0, 5.0, 14.0, 6.0)) == 3.0  # right
    assert _box_distance(a, (-9.0, 5.0, -4.0, 6.0)) == 4.0  # left
    assert _box_distance(a, (2.0, 25.0, 3.0, 30.0)) == 5.0  # above
    assert _box_distance(a, (2.0, -30.0, 3.0, -6.0)) == 6.0  # below
    assert _box_distance(a, (13.0, 24.0, 15.0, 30.0)) == 5.0  # diagonal: 3, 4, 5
    assert _box_distance(a, (-30.0, -40.0, -3.0, -4.0)) == 5.0
    assert _box_distance(a, (10.0, 20.0, 11.0, 21.0)) == 0.0  # touching corners
    assert _box_distance(a, (5.0, 5.0, 30.0, 6.0)) == 0.0  # overlapping
    # a tall box beside a wide one: each axis reads its own coordinates
    assert _box_distance((0.0, 0.0, 1.0, 100.0), (3.0, 0.0, 4.0, 1.0)) == 2.0
    assert _box_distance((0.0, 0.0, 100.0, 1.0), (0.0, 4.0, 1.0, 5.0)) == 3.0


def test_check_region_needs_a_crs_and_remembers_per_crs() -> None:
    """A layer without CRS is left to the CRS checks; the verdict is remembered per geometry
    array *and* CRS: the same geometries declared in another CRS are judged again."""
    from erbm_geo.geom.validate import check_region

    g = layer([LENS])
    check_region(g.set_crs(None, allow_override=True))
    check_region(g)  # Lens in Lambert-93: fine, and remembered
    with pytest.raises(OutOfAreaError, match="probably written in EPSG:2154"):
        check_region(g.set_crs(3857, allow_override=True))


def test_crs_contradiction_limits_candidates_and_spans() -> None:
    """The 50 km gap is inclusive; a declared CRS given as text works; degrees are tried as
    WGS84; a candidate reading wider than 1,000 km is no match."""
    from erbm_geo.geom.validate import REGION_BOUNDS, crs_contradiction

    web = (315_000.0, 6_518_000.0, 316_000.0, 6_519_000.0)  # Lens in Web-Mercator metres
    ref = (web[2] + 50_000.0, 6_500_000.0, 800_000.0, 7_100_000.0)  # 50 km east of it as L93
    assert crs_contradiction(web, pyproj.CRS(2154), ref) is None  # at the gap: near enough
    ref_beyond = (web[2] + 50_000.5, *ref[1:])
    assert crs_contradiction(web, pyproj.CRS(2154), ref_beyond) == ("EPSG:3857", 50_000.5)
    assert crs_contradiction(web, "EPSG:2154", REGION_BOUNDS)[0] == "EPSG:3857"  # type: ignore[index]
    assert crs_contradiction((2.8, 50.4, 2.9, 50.5), "EPSG:2154", REGION_BOUNDS)[0] == "EPSG:4326"  # type: ignore[index]
    # metres declared as degrees cannot even be placed: infinitely far, but Lambert-93 puts them there
    lens = (687_000.0, 7_037_000.0, 688_000.0, 7_038_000.0)
    assert crs_contradiction(lens, "EPSG:4326", REGION_BOUNDS) == ("EPSG:2154", float("inf"))
    wide = (315_000.0 - 1_000_000.0, 6_518_000.0, 315_000.0 + 1_000_000.0, 6_519_000.0)  # 1,290 km wide
    assert crs_contradiction(wide, "EPSG:2154", REGION_BOUNDS) is None


def test_check_geometries_names_the_layer_layer_by_default() -> None:
    with pytest.raises(InvalidGeometryError, match="^layer: 1 feature"):
        check_geometries(layer([Point()]))


def test_working_crs_comparison_is_remembered_per_object_and_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyproj's comparison runs once per CRS object and working CRS; an entry left by another
    object that had the same id is not trusted."""
    import types

    from erbm_geo import settings
    from erbm_geo.geom import validate

    monkeypatch.setattr(validate, "_WORKING", {})
    calls: list[int] = []
    real = pyproj.CRS.equals
    monkeypatch.setattr(pyproj.CRS, "equals", lambda s, o, *a, **k: calls.append(1) or real(s, o, *a, **k))
    l93, wgs = pyproj.CRS(2154), pyproj.CRS(4326)
    assert [validate._is_working_crs(c) for c in (l93, wgs, l93, wgs)] == [True, False, True, False]
    assert len(calls) == 2
    validate._WORKING[(id(wgs), str(settings.crs))] = (object(), True)  # another object, same id
    assert validate._is_working_crs(wgs) is False
    saved = settings.crs
    try:
        types.ModuleType.__setattr__(settings, "crs", "EPSG:3857")
        assert validate._is_working_crs(l93) is False
    finally:
        types.ModuleType.__setattr__(settings, "crs", saved)


def test_crs_checks_run_once_per_geometry_array_and_name_the_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    from erbm_geo.geom import validate

    calls: list[str] = []
    real = validate._check_fits_crs
    monkeypatch.setattr(validate, "_check_fits_crs", lambda g, **k: calls.append(k["name"]) or real(g, **k))
    g = layer([LENS, Point(LENS.x + 10, LENS.y)])
    to_working_crs(g, name="mairies")
    to_working_crs(g, name="mairies")  # the same geometries, already checked
    assert calls == ["mairies"]
    with pytest.raises(CRSError, match="^layer has no CRS"):
        to_working_crs(layer([LENS], crs=None))
    degrees = layer([Point(2.83, 50.43)])
    with pytest.raises(
        OutOfAreaError,
        match=r"^mairies: 1 of 1 feature\(s\) \(index \['r0'\]\) have coordinates within ±180 / ±90, "
        r"which in EPSG:2154 \(metres\) is a few hundred metres around the projection's origin, at sea: "
        r"they look like degrees \(longitude/latitude\)\. Declare the right CRS, e\.g\. "
        r"gdf\.set_crs\('EPSG:4326', allow_override=True\)\.$",
    ):
        to_working_crs(degrees, name="mairies")
    with pytest.raises(OutOfAreaError, match="^mairies: 1 of 1 feature.*EPSG:3857"):
        to_working_crs(degrees.set_crs(3857, allow_override=True), name="mairies")
    with pytest.raises(
        OutOfAreaError,
        match=r"have coordinates larger than the Earth \(40,100 km\): no CRS places them; the file is "
        r"damaged or its coordinates are not in metres\.$",
    ):
        to_working_crs(layer([Point(4.02e7, 0)]))
    assert len(to_working_crs(layer([Point(4.01e7, 0)]))) == 1  # at the limit: the image of a real place


def test_degrees_as_metres_are_told_by_each_bound() -> None:
    """A projected layer « looks like degrees » when every x bound is within ±180 and every y bound
    within ±90, limits included — each of the four bounds counts."""
    for b in [(-180, -90, 180, 90), (180, 0, 180, 0), (0, 90, 0, 90), (0, -90, 0, -90)]:
        with pytest.raises(OutOfAreaError, match="look like degrees"):
            to_working_crs(layer([box(*b)]))
    for b in [
        (-500, 0, 100, 50),
        (100, 0, 500, 50),
        (0, -100, 10, 10),
        (0, 0, 10, 100),
        (180.5, 0, 180.5, 0),
        (0, 90.5, 0, 90.5),
    ]:
        assert len(to_working_crs(layer([box(*b)]))) == 1, b
    # near the equator on UTM 31N's central meridian: y is small but x is not
    assert len(to_working_crs(layer([Point(500_000, 50)], crs=32631))) == 1


def test_only_the_features_lambert_93_cannot_express_are_named() -> None:
    """The South Pole is a real place in longitude/latitude, but Lambert-93 puts it at infinity:
    that feature alone is refused, by its label."""
    with pytest.raises(
        OutOfAreaError, match=r"^layer: 1 feature\(s\) \(index \['r1'\]\) cannot be expressed in Lambert-93"
    ):
        to_working_crs(layer([Point(2.83, 50.43), Point(0.0, -90.0)], crs=4326))
