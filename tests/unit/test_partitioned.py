"""Partitioned (dask-geopandas) layers, on invented data: every indicator gives, once computed,
exactly what it gives in memory; nothing is computed before asked; a target is one task of the
graph, not a copy per partition; partitioned GeoParquet round-trips; the synthetic buildings are
deterministic and plausible."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dask
import dask.dataframe as dd
import dask_geopandas
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from erbm_geo import indicators as ind
from erbm_geo.errors import AlignmentError, CRSError, DataNotFoundError, EmptyInputError, OptionError
from erbm_geo.examples import example_centres, example_communes
from erbm_geo.export import write_partitioned
from erbm_geo.geom.partitioned import is_partitioned, map_features
from erbm_geo.layers.partitioned import read_partitioned
from erbm_geo.synthetic import synthetic_buildings, synthetic_buildings_partitioned
from tests.checks import every
from tests.unit import layers as GRID

N, SIZE = 3_000, 700  # 5 partitions, the last one short


@pytest.fixture(scope="module")
def communes() -> gpd.GeoDataFrame:
    return example_communes()


@pytest.fixture(scope="module")
def qpv(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    q = communes.iloc[[1, 3, 9]].copy()
    q.index = pd.Index(["QN1", "QN2", "QN3"], name="code_qpv")
    q["nom"] = ["Quartier 1", "Quartier 2", "Quartier 3"]
    q.geometry = q.geometry.buffer(-500)
    return q[["nom", "geometry"]]


@pytest.fixture(scope="module")
def stations() -> gpd.GeoDataFrame:
    return example_centres().assign(mode=["train", "tram", "train"])


@pytest.fixture(scope="module")
def buildings(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return synthetic_buildings(communes, N, seed=7, partition_size=SIZE)


@pytest.fixture(scope="module")
def parts(communes: gpd.GeoDataFrame) -> Any:
    """The same buildings, partitioned, with an empty partition in the middle."""
    lazy = synthetic_buildings_partitioned(communes, N, seed=7, partition_size=SIZE)
    empty = dask_geopandas.from_geopandas(lazy.partitions[0].compute().iloc[:0], npartitions=1)
    return dd.concat([lazy.partitions[:2], empty, lazy.partitions[2:]])


@pytest.fixture(autouse=True)
def synchronous() -> Any:
    with dask.config.set(scheduler="synchronous"):
        yield


CASES: dict[str, Callable[..., Any]] = {
    "qpv_overlap": lambda f, t: ind.qpv_overlap(f, t["qpv"]),
    "area_share": lambda f, t: ind.area_share(f, t["qpv"], name="part_qpv"),
    "unesco_overlap": lambda f, t: ind.unesco_overlap(f, t["qpv"], t["buffer"]),
    "distance_to_centres": lambda f, t: ind.distance_to_centres(f, t["centres"], measure_from="point"),
    "distance_to_centres_max": lambda f, t: ind.distance_to_centres(f, t["centres"], max_distance=1500),
    "station_access": lambda f, t: ind.station_access(f, t["stations"], radius=600),
    # many stations whose walking areas overlap: each partition meets only some of them
    "station_access_many": lambda f, t: ind.station_access(f, t["many_stations"], radius=800),
    "distance_to_lines": lambda f, t: ind.distance_to_lines(f, t["lines"], name="rail"),
    # options other than the defaults reach every partition
    "station_access_options": lambda f, t: ind.station_access(
        f, t["stations"], radius=600, modes=("tram",), measure_from="point"
    ),
    "distance_to_lines_point": lambda f, t: ind.distance_to_lines(f, t["lines"], measure_from="point"),
    "commune_of": lambda f, t: ind.commune_of(f, t["communes"]),
    "count_within_radius": lambda f, t: ind.count_within_radius(f, t["centres"], radius=2000),
    "heritage_within": lambda f, t: ind.heritage_within(f, t["centres"], t["qpv"]),
}


@pytest.fixture(scope="module")
def targets(communes: gpd.GeoDataFrame, qpv: gpd.GeoDataFrame, stations: gpd.GeoDataFrame) -> dict[str, Any]:
    lines = gpd.GeoDataFrame(
        geometry=[shapely.LineString([(690_000, 7_021_000), (698_000, 7_025_000)])], crs=2154
    )
    buffer = gpd.GeoDataFrame(geometry=[communes.geometry.iloc[5].buffer(-300)], crs=2154)
    rng = np.random.default_rng(42)
    many = gpd.GeoDataFrame(
        {"nom": [f"Gare {i}" for i in range(40)], "mode": "train"},
        geometry=gpd.points_from_xy(rng.uniform(690_000, 698_000, 40), rng.uniform(7_020_000, 7_026_000, 40)),
        crs=2154,
    )
    return {
        "many_stations": many,
        "qpv": qpv,
        "buffer": buffer,
        "centres": example_centres(),
        "stations": stations,
        "lines": lines,
        "communes": communes,
    }


@pytest.mark.parametrize("case", sorted(CASES))
def test_partitioned_equals_in_memory(
    case: str, buildings: gpd.GeoDataFrame, parts: Any, targets: dict[str, Any]
) -> None:
    expected = CASES[case](buildings, targets)
    lazy = CASES[case](parts, targets)
    assert is_partitioned(lazy) and lazy.npartitions == parts.npartitions
    got = lazy.compute()
    assert type(got) is type(expected)
    if isinstance(expected, pd.Series):
        pd.testing.assert_series_equal(got, expected, check_exact=True)
    else:
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert len(got) == N and got.index.is_unique


def test_partitioned_in_another_crs(buildings: gpd.GeoDataFrame, parts: Any, qpv: gpd.GeoDataFrame) -> None:
    # features in EPSG:4326, targets in EPSG:2154: reprojected partition by partition, same figures
    got = ind.qpv_overlap(parts.to_crs(4326), qpv).compute()
    expected = ind.qpv_overlap(buildings.to_crs(4326), qpv.to_crs(4326))
    pd.testing.assert_series_equal(got["n_qpv"], expected["n_qpv"])
    np.testing.assert_allclose(got["qpv_share"], expected["qpv_share"], atol=1e-6)


@pytest.mark.parametrize("by", ["commune", "epci", "departement"])
@pytest.mark.parametrize("how", ["mean", "sum", "min", "max"])
def test_aggregate_partitioned(
    by: str,
    how: str,
    buildings: gpd.GeoDataFrame,
    parts: Any,
    qpv: gpd.GeoDataFrame,
    communes: gpd.GeoDataFrame,
) -> None:
    values = ind.qpv_overlap(buildings, qpv)[["qpv_share", "n_qpv"]]
    expected = ind.aggregate(values, buildings, communes, by=by, how=how)  # type: ignore[arg-type]
    lazy = ind.aggregate(ind.qpv_overlap(parts, qpv)[["qpv_share", "n_qpv"]], parts, communes, by=by, how=how)  # type: ignore[arg-type]
    assert is_partitioned(lazy)
    pd.testing.assert_frame_equal(lazy.compute(), expected, check_exact=False, rtol=1e-12)
    assert int(expected["n"].sum()) == N


def test_aggregate_partitions_use_their_threads_communes(
    buildings: gpd.GeoDataFrame,
    parts: Any,
    qpv: gpd.GeoDataFrame,
    communes: gpd.GeoDataFrame,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The partitions of a lazy aggregate hand the kernels their thread's own communes.

    Two threads preparing and testing the same GEOS geometries at once crash the process (the
    partitioned benchmark did, at 1 M footprints): no partition may see the caller's objects.
    """
    import erbm_geo.indicators.context as context

    seen: list[set[int]] = []
    real = context.assign_communes

    def spy(feats: gpd.GeoDataFrame, cs: gpd.GeoDataFrame, **kw: Any) -> pd.DataFrame:
        seen.append({id(g) for g in cs.geometry.values})
        return real(feats, cs, **kw)

    monkeypatch.setattr(context, "assign_communes", spy)
    values = ind.qpv_overlap(parts, qpv)["qpv_share"]
    with dask.config.set(scheduler="threads", num_workers=2):
        ind.aggregate(values, parts, communes, by="epci").compute()
    caller = {id(g) for g in communes.geometry.values}
    assert seen and not any(s & caller for s in seen)


def test_aggregate_aligns_or_refuses(
    buildings: gpd.GeoDataFrame, parts: Any, qpv: gpd.GeoDataFrame, communes: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    expected = ind.aggregate(ind.qpv_overlap(buildings, qpv)["qpv_share"], buildings, communes)
    # values partitioned otherwise, or read from their own files: aligned on the index
    lazy = synthetic_buildings_partitioned(communes, N, seed=7, partition_size=SIZE)
    values = ind.qpv_overlap(lazy, qpv)["qpv_share"]
    got = ind.aggregate(values.repartition(npartitions=2), lazy, communes).compute()
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
    write_partitioned(lazy, tmp_path / "b", spatial_order=None)
    write_partitioned(values.to_frame(), tmp_path / "v", spatial_order=None)
    got = ind.aggregate(
        dd.read_parquet(tmp_path / "v")["qpv_share"], read_partitioned(tmp_path / "b"), communes
    ).compute()
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
    with pytest.raises(AlignmentError, match="partitioned the same way"):
        ind.aggregate(values.compute(), lazy, communes)  # in memory against partitioned


@pytest.mark.filterwarnings("ignore::erbm_geo.errors.MissingLayerWarning")
def test_indicator_table_partitioned(
    buildings: gpd.GeoDataFrame, parts: Any, targets: dict[str, Any]
) -> None:
    t = ind.Targets(centres_main=targets["centres"], qpv=targets["qpv"], stations=targets["stations"])
    lazy = ind.indicator_table(parts, targets=t)
    got = lazy.compute()
    expected = ind.indicator_table(buildings, targets=t)
    assert isinstance(got, gpd.GeoDataFrame) and got.crs == expected.crs
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(expected), check_exact=True)


def test_nothing_is_computed_before_asked(communes: gpd.GeoDataFrame, qpv: gpd.GeoDataFrame) -> None:
    calls: list[int] = []

    def part(k: int) -> gpd.GeoDataFrame:
        calls.append(k)
        return synthetic_buildings(communes, 100, seed=k)

    meta = synthetic_buildings(communes, 1).iloc[:0]
    lazy_input = dd.from_map(part, [1, 2, 3], meta=meta, enforce_metadata=False)
    result = ind.qpv_overlap(lazy_input, qpv)
    assert calls == []  # building the result read no partition
    result.compute()
    assert sorted(calls) == [1, 2, 3]


def test_a_target_is_one_task_not_a_copy_per_partition(communes: gpd.GeoDataFrame) -> None:
    """Each partition task refers to the target by key: serialising the tasks one by one (as a
    distributed scheduler sends them) carries the target's bytes once, whatever the partitions."""
    rng = np.random.default_rng(0)
    big = gpd.GeoDataFrame(  # a target of ~1.6 MB
        {"nom": [f"Centre {i}" for i in range(20_000)]},
        geometry=gpd.points_from_xy(
            rng.uniform(690_000, 698_000, 20_000), rng.uniform(7_020_000, 7_026_000, 20_000)
        ),
        crs=2154,
    )
    size = len(pickle.dumps(big))
    for n in (4, 16):
        lazy_input = synthetic_buildings_partitioned(communes, 16 * 50, partition_size=50 * 16 // n)
        result = ind.distance_to_centres(lazy_input, big)
        graph = dict(result.__dask_graph__())
        holding = [k for k, task in graph.items() if len(pickle.dumps(task)) > size / 2]
        assert len(holding) == 1, (n, holding)
        total = sum(len(pickle.dumps(task)) for task in graph.values())
        assert total < 1.5 * size, (n, total, size)


def test_targets_must_be_in_memory(parts: Any, qpv: gpd.GeoDataFrame) -> None:
    with pytest.raises(OptionError, match="broadcast whole"):
        ind.qpv_overlap(parts, dask_geopandas.from_geopandas(qpv, npartitions=1))


def test_errors_are_raised_before_any_work(parts: Any, qpv: gpd.GeoDataFrame) -> None:
    with pytest.raises(EmptyInputError):
        ind.qpv_overlap(parts, qpv.iloc[:0])
    with pytest.raises(CRSError, match="no CRS"):
        ind.qpv_overlap(parts.set_crs(None, allow_override=True), qpv)
    with pytest.raises(OptionError, match="radius"):
        ind.station_access(parts, example_centres(), radius=-1)


def test_map_features_names_the_result_like_the_function(parts: Any, qpv: gpd.GeoDataFrame) -> None:
    lazy = map_features(ind.area_share, parts, qpv, name="part")
    assert lazy.name == "part" and str(lazy.dtype) == "float64"


@pytest.mark.parametrize("order", [None, "hilbert"])
def test_geoparquet_round_trip(
    order: str | None, tmp_path: Path, buildings: gpd.GeoDataFrame, parts: Any
) -> None:
    out = write_partitioned(parts, tmp_path / "batiments", spatial_order=order)  # type: ignore[arg-type]
    back = read_partitioned(out)
    assert back.crs.to_epsg() == 2154
    got = back.compute().sort_index()
    assert got.index.name == "building_id" and got.index.equals(buildings.index)
    assert every(got.geometry.geom_equals_exact(buildings.geometry, tolerance=0))
    if order == "hilbert":  # spatially ordered: partitions overlap little
        bounds = back.spatial_partitions
        assert bounds is not None and len(bounds) == back.npartitions


def test_write_partitioned_replaces_a_folder_whole(tmp_path: Path, buildings: gpd.GeoDataFrame) -> None:
    folder = tmp_path / "b"
    write_partitioned(buildings, folder, spatial_order=None, npartitions=4)
    write_partitioned(buildings.iloc[:10], folder, spatial_order=None, npartitions=2)
    assert sorted(p.name for p in folder.iterdir()) == ["_erbm_geo.json", "part.0.parquet", "part.1.parquet"]
    assert len(read_partitioned(folder)) == 10
    assert [p.name for p in tmp_path.iterdir()] == ["b"]  # no temporary left behind


def test_read_partitioned_errors(tmp_path: Path, buildings: gpd.GeoDataFrame) -> None:
    with pytest.raises(DataNotFoundError):
        read_partitioned(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(EmptyInputError):
        read_partitioned(tmp_path / "empty")
    buildings.iloc[:5].set_crs(None, allow_override=True).to_parquet(tmp_path / "nocrs.parquet")
    with pytest.raises(CRSError, match="no CRS"):
        read_partitioned(tmp_path / "nocrs.parquet")


def test_synthetic_buildings_are_deterministic_and_plausible(communes: gpd.GeoDataFrame) -> None:
    a = synthetic_buildings(communes, 2_000, seed=3)
    b = synthetic_buildings(communes, 2_000, seed=3)
    c = synthetic_buildings(communes, 2_000, seed=4)
    assert every(a.geom_equals_exact(b, tolerance=0)) and not every(a.geom_equals_exact(c, tolerance=0))
    assert every(a.is_valid) and every(a.geom_type == "Polygon")
    area = a.area
    assert 60 < area.median() < 110 and area.min() > 1  # m²: houses and small buildings
    centres = a.geometry.centroid
    owner = ind.commune_of(gpd.GeoDataFrame(geometry=centres, crs=2154), communes)
    counts = owner.value_counts().reindex(communes.index).fillna(0)
    expected = 2_000 * communes["population"] / communes["population"].sum()
    assert (counts - expected).abs().max() <= 1  # buildings follow population, rounded once


def test_synthetic_buildings_refuse_bad_sizes(communes: gpd.GeoDataFrame) -> None:
    from erbm_geo.errors import InvalidOptionError

    for bad in (0, -5, 2.5, True):
        with pytest.raises(InvalidOptionError):
            synthetic_buildings(communes, bad)  # type: ignore[arg-type]


def test_on_a_local_cluster(
    buildings: gpd.GeoDataFrame, parts: Any, qpv: gpd.GeoDataFrame, communes: gpd.GeoDataFrame
) -> None:
    """Two worker processes, as on a multi-node cluster: the same figures."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
        dask.config.set(scheduler=client.get),
    ):
        lazy = ind.qpv_overlap(parts, qpv)
        got = client.compute(lazy).result()
        total = client.compute(ind.aggregate(lazy["qpv_share"], parts, communes, by="epci")).result()
    pd.testing.assert_frame_equal(got, ind.qpv_overlap(buildings, qpv), check_exact=True)
    expected = ind.aggregate(ind.qpv_overlap(buildings, qpv)["qpv_share"], buildings, communes, by="epci")
    pd.testing.assert_frame_equal(total, expected, check_exact=False, rtol=1e-12)


def test_threads_share_targets_safely(communes: gpd.GeoDataFrame) -> None:
    """On the threaded scheduler, partitions meet the same target geometries at once. GEOS
    prepared geometries index themselves lazily, so two threads testing one crash the process
    (it did, within two rounds, before each thread got its own copy of the targets)."""
    many = synthetic_buildings(communes, 40_000, seed=1)
    lazy_input = dask_geopandas.from_geopandas(many, npartitions=8)  # partitions larger than the target
    rng = np.random.default_rng(0)
    for _ in range(3):
        points = shapely.points(
            rng.uniform(690_000, 698_000, 3_000), rng.uniform(7_020_000, 7_026_000, 3_000)
        )
        fresh = gpd.GeoDataFrame(geometry=shapely.buffer(points, 60), crs=2154)  # nothing prepared yet
        with dask.config.set(scheduler="threads", num_workers=8):
            got = ind.area_share(lazy_input, fresh).compute()
        pd.testing.assert_series_equal(got, ind.area_share(many, fresh), check_exact=True)


def test_a_threads_copy_of_a_target_learns_what_was_learnt_without_sharing_a_geometry(
    communes: gpd.GeoDataFrame,
) -> None:
    """The metadata run learns about the targets on the calling thread; each thread's copy takes
    the plain data (masks, bounds, validity) read-only and the dissolved parts as new objects, and
    builds again what holds prepared geometries (trees)."""
    import threading

    from erbm_geo.geom.memo import memo_for
    from erbm_geo.geom.partitioned import own_copy

    c = communes.geometry.centroid
    pts = shapely.points(np.c_[c.x.to_numpy()[:6], c.y.to_numpy()[:6]])
    target = gpd.GeoDataFrame(geometry=shapely.buffer(np.r_[pts, pts], 900), crs=2154)  # overlapping
    feats = gpd.GeoDataFrame(geometry=shapely.buffer(pts, 1_200), crs=2154)
    expected = ind.qpv_overlap(feats, target)  # learns: checks, validity, overlaps, dissolved parts
    original = memo_for(np.asarray(target.geometry.values, dtype=object))
    assert {"overlapping", "dissolved", "tree"} <= set(original.derived)
    seen: dict[str, Any] = {}

    def on_a_thread() -> None:
        mine = own_copy(target)
        m = memo_for(np.asarray(mine.geometry.values, dtype=object))
        seen.update(keys=set(m.derived), memo=m, got=ind.qpv_overlap(feats, mine))

    worker = threading.Thread(target=on_a_thread)
    worker.start()
    worker.join()
    m = seen["memo"]
    assert {"overlapping", "dissolved"} <= seen["keys"] and "tree" not in seen["keys"]
    assert m.basic_ok and (m.valid >= 0).any()
    np.testing.assert_array_equal(m.valid, original.valid)
    assert not m.derived["overlapping"].flags.writeable
    np.testing.assert_array_equal(m.derived["overlapping"], original.derived["overlapping"])
    mine, theirs = m.derived["dissolved"], original.derived["dissolved"]
    assert len(mine) == len(theirs) and every(shapely.equals_exact(mine, theirs, 0))
    assert not any(a is b for a, b in zip(mine, theirs, strict=True))
    pd.testing.assert_frame_equal(seen["got"], expected, check_exact=True)


def test_partitions_are_not_remembered(parts: Any, qpv: gpd.GeoDataFrame, stations: gpd.GeoDataFrame) -> None:
    """The process keeps what it learnt about the targets, not about every partition it ran:
    its memory does not grow with the number of partitions."""
    from erbm_geo._memory import MEMORY

    MEMORY.clear()
    ind.qpv_overlap(parts, qpv).compute()
    ind.station_access(parts, stations).compute()
    ind.aggregate(ind.qpv_overlap(parts, qpv)["qpv_share"], parts, example_communes()).compute()
    sizes = [len(m.geoms) for m in (MEMORY.geometry(k, lambda: None) for k in MEMORY.geometry_keys())]
    assert sizes and max(sizes) <= max(len(qpv), len(stations), 12), sizes  # 12 communes; partitions ~600


def test_a_process_forked_after_a_threaded_computation_computes(parts: Any, qpv: gpd.GeoDataFrame) -> None:
    """mutmut forks each mutant's process from one that has computed (tests/unit/conftest.py):
    dask's thread pools (the default one, and one per ``num_workers``), inherited without their
    threads, must not hang the child."""
    import os
    import signal

    ways: list[dict[str, Any]] = [{}, {"num_workers": 2}]
    expected = [ind.qpv_overlap(parts, qpv).compute(scheduler="threads", **way) for way in ways]
    pid = os.fork()
    if pid == 0:  # the child: exit 0 only if it computes the same figures within 20 s
        signal.alarm(20)
        got = [ind.qpv_overlap(parts, qpv).compute(scheduler="threads", **way) for way in ways]
        os._exit(0 if all(g.equals(e) for g, e in zip(got, expected, strict=True)) else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status


def test_map_features_with_no_target_layer(parts: Any, buildings: gpd.GeoDataFrame) -> None:
    """A caller's function of the features alone runs partition by partition too (an empty
    partition included), with the same figures as in memory."""

    from erbm_geo.geom.prepare import prepare

    def area_m2(gdf: gpd.GeoDataFrame) -> pd.Series:
        feats, geoms = prepare(gdf)  # checked as any indicator checks its features (in France…)
        return pd.Series(shapely.area(geoms), index=feats.index, name="area_m2")

    got = map_features(area_m2, parts).compute().sort_index()
    pd.testing.assert_series_equal(got, area_m2(buildings.to_crs(2154)).sort_index())


def test_the_metadata_sample_is_one_square_metre_where_the_docstring_says() -> None:
    """The input of map_features' metadata run: one 1 m² square with the features' first index
    label, in the working CRS — at the centre of REGION_BOUNDS with no target, on the first
    target's first feature otherwise (never on a later one)."""
    from erbm_geo.geom.partitioned import _sample
    from erbm_geo.geom.validate import REGION_BOUNDS

    x0, y0, x1, y1 = REGION_BOUNDS
    s = _sample([], pd.Index([7, 8]))
    assert list(s.index) == [7] and s.crs.to_epsg() == 2154
    g = s.geometry.iloc[0]
    assert g.area == pytest.approx(1.0) and g.equals(shapely.box(*g.bounds))
    assert (g.centroid.x, g.centroid.y) == pytest.approx(((x0 + x1) / 2, (y0 + y1) / 2))
    first = gpd.GeoDataFrame(
        geometry=[shapely.box(650_000, 7_000_000, 650_010, 7_000_010), shapely.box(0, 0, 1, 1)], crs=2154
    )
    later = gpd.GeoDataFrame(geometry=[shapely.box(700_000, 7_050_000, 700_010, 7_050_010)], crs=2154)
    on_first = _sample([first, later], pd.Index(["a"]))
    assert len(on_first) == 1
    on = on_first.geometry.iloc[0]
    assert on.area == pytest.approx(1.0) and first.geometry.iloc[0].contains(on.centroid)


def test_own_copy_is_made_once_per_target_and_keeps_the_last_16(monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread copies a target once (same geometries, objects and CRS of its own) and keeps the
    copies of the 16 targets it used last."""
    import threading

    from erbm_geo.geom import partitioned

    monkeypatch.setattr(partitioned, "_local", threading.local())  # this test's thread starts afresh
    targets = [gpd.GeoDataFrame(geometry=[shapely.box(k, 0, k + 1, 1)], crs=2154) for k in range(17)]
    first = [partitioned.own_copy(t) for t in targets[:16]]
    for t, mine in zip(targets[:16], first, strict=True):
        assert partitioned.own_copy(t) is mine and mine.crs == t.crs
        assert mine.geometry.iloc[0] is not t.geometry.iloc[0] and mine.geometry.iloc[0].equals(
            t.geometry.iloc[0]
        )
    partitioned.own_copy(targets[0])  # used again: now the most recent
    partitioned.own_copy(targets[16])  # a 17th: the least recently used (the second) goes
    assert partitioned.own_copy(targets[0]) is first[0]
    assert partitioned.own_copy(targets[1]) is not first[1]


def test_map_features_names_the_target_at_fault(
    parts: Any, qpv: gpd.GeoDataFrame, communes: gpd.GeoDataFrame
) -> None:
    with pytest.raises(EmptyInputError, match=r"^target 1 of qpv_overlap is empty"):
        ind.qpv_overlap(parts, qpv.iloc[:0])
    with pytest.raises(CRSError, match=r"^target 2 of income_context has no CRS"):
        map_features(ind.income_context, parts, communes, communes.set_crs(None, allow_override=True))


def test_only_dasks_own_inplace_warning_is_silenced() -> None:
    """dask's Parquet engine passes pandas' deprecated inplace keywords: that warning, raised in
    dask, is not the user's; the same words from the user's code, or another dask warning, are."""
    import warnings

    from erbm_geo.geom.partitioned import require_dask

    with warnings.catch_warnings(record=True) as seen:
        warnings.resetwarnings()
        warnings.simplefilter("always")
        require_dask()  # puts its filter in front
        for text, module in (
            ("The inplace keyword is deprecated", "dask.dataframe.io.parquet"),
            ("The inplace keyword is deprecated", "mine"),
            ("Something else", "dask.dataframe.io.parquet"),
        ):
            warnings.warn_explicit(text, FutureWarning, f"{module}.py", 1, module=module, registry={})
    assert [(str(w.message), w.filename) for w in seen] == [
        ("The inplace keyword is deprecated", "mine.py"),
        ("Something else", "dask.dataframe.io.parquet.py"),
    ]


#: Every indicator on the 3 × 2 grid of tests.unit.layers, with options other than the defaults:
#: whatever a caller passes reaches every partition.
GRID_CASES: dict[str, Callable[[Any], Any]] = {
    "friches_context": lambda f: ind.friches_context(f, GRID.COMMUNES),
    "income_context": lambda f: ind.income_context(f, GRID.COMMUNES, GRID.IRIS),
    "count_within_radius": lambda f: ind.count_within_radius(f, GRID.STATIONS, radius=700, name="gares"),
    "heritage_within": lambda f: ind.heritage_within(f, GRID.STATIONS, GRID.IRIS, radius=300),
    "unesco_overlap": lambda f: ind.unesco_overlap(f, GRID.IRIS, GRID.COMMUNES, measure_from="point"),
    "area_share": lambda f: ind.area_share(f, GRID.IRIS, name="iris"),
    "aggregate_area_mean": lambda f: ind.aggregate(
        ind.area_share(f, GRID.IRIS, name="iris"), f, GRID.COMMUNES, by="epci", how="mean", weights="area"
    ),
}


@pytest.mark.filterwarnings("ignore:friches. 1 commune:erbm_geo.errors.DataQualityWarning")
@pytest.mark.parametrize("case", sorted(GRID_CASES))
def test_every_indicator_passes_its_options_to_the_partitions(case: str) -> None:
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 2900, 40), rng.uniform(0, 1900, 40)
    feats = gpd.GeoDataFrame(
        geometry=[
            shapely.box(GRID.X0 + a, GRID.Y0 + b, GRID.X0 + a + 80, GRID.Y0 + b + 60)
            for a, b in zip(x, y, strict=True)
        ],
        index=pd.RangeIndex(100, 140),
        crs=2154,
    )
    expected = GRID_CASES[case](feats)
    got = GRID_CASES[case](dask_geopandas.from_geopandas(feats, npartitions=3)).compute()
    if isinstance(expected, pd.Series):
        pd.testing.assert_series_equal(got, expected, check_exact=True)
    else:
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_a_partition_handed_over_as_a_plain_frame_keeps_its_geometry_column_and_crs() -> None:
    """An alignment of differently partitioned inputs may hand a partition to the aggregate as a
    plain DataFrame: its features are rebuilt with the layer's geometry column (whatever its
    name) and CRS, and give the figures of the layer in memory."""
    from erbm_geo.indicators.aggregation import _commune_table, _partial_of_partition, _Rule

    feats = GRID.COMMUNES[["geometry"]].rename_geometry("footprint").to_crs(4326)
    values = pd.Series(np.arange(6.0), index=feats.index, name="x")
    part = pd.DataFrame(feats.assign(__erbm_value_0=values))
    rule = _Rule("epci", "area", "mean")
    got = _partial_of_partition(
        part, ["x"], feats.iloc[:0], GRID.COMMUNES, _commune_table(GRID.COMMUNES, "epci"), rule
    )
    assert list(got.index) == ["200000001", "200000002"] and list(got["n"]) == [3.0, 3.0]
    np.testing.assert_allclose(got["x|vw"] / got["x|w"], [1.0, 4.0], rtol=1e-9)


def test_the_partitioned_aggregate_computes_nothing_until_asked(
    monkeypatch: pytest.MonkeyPatch, parts: Any, qpv: gpd.GeoDataFrame, communes: gpd.GeoDataFrame
) -> None:
    """The partitioned aggregate is lazy: building it runs no partition (its metadata is known
    without computing), and a mismatch of partitions says how to fix it."""
    from erbm_geo.indicators import aggregation

    calls: list[int] = []
    real = aggregation._partial_of_partition
    monkeypatch.setattr(
        aggregation, "_partial_of_partition", lambda part, *a: calls.append(1) or real(part, *a)
    )
    lazy = ind.aggregate(ind.qpv_overlap(parts, qpv)["qpv_share"], parts, communes, by="epci")
    assert calls == [] and list(lazy.columns) == ["qpv_share", "n", "nom_epci"]
    assert len(lazy.compute()) > 0 and len(calls) == parts.npartitions
    with pytest.raises(
        AlignmentError,
        match=r"^values and gdf must be partitioned the same way: compute values from gdf, e\.g\. "
        r"values = qpv_overlap\(gdf, qpv\)\['qpv_share'\]$",
    ):
        ind.aggregate(pd.Series(0.0, index=range(3)), parts, communes)
    in_memory = parts.compute()  # partitioned values against features in memory: refused too
    with pytest.raises(AlignmentError, match="^values and gdf must be partitioned the same way"):
        ind.aggregate(ind.qpv_overlap(parts, qpv)["qpv_share"], in_memory, communes)
