"""Building scale, side by side: erbm_geo, plain geopandas and DuckDB spatial on the same footprints.

Run: ``python -m benchmarks.bench_building [N …]`` (default 1 000 000; writes docs/benchmarks.md).
Invented footprints over the basin (:func:`erbm_geo.synthetic.synthetic_buildings`), in memory,
2 threads everywhere. Each (step, tool) runs once in its own forked process, so no step profits
from another's indexes or checks, and its peak memory is its own (the process's high-water mark
above its size when the step began). Each step is what a competent user of each tool would
write, and the results are asserted equal:

* **commune of each feature** — the commune holding the largest part (ties: lowest code).
  geopandas: ``sjoin(predicate="intersects")``, the area of every pair's intersection (vectorised
  shapely), the largest kept. DuckDB: the same as SQL (``ST_Intersects`` join, ``ST_Area`` of
  ``ST_Intersection``, ``QUALIFY row_number()``).
* **QPV share** — the share of each footprint inside the union of the QPV (overlapping QPV
  counted once). geopandas: the QPV dissolved into parts, ``sjoin``, vectorised intersection
  areas summed per footprint. DuckDB: ``ST_Union_Agg`` dumped into parts, then the same join
  and sum. erbm_geo's ``qpv_overlap`` also returns the codes and count of QPV met.
* **distance to the nearest main centre** (the 8 main centres, from the footprint's edge; ties:
  the first centre). geopandas: ``sjoin_nearest`` (ties dropped to the first centre). DuckDB: no
  nearest-neighbour join; every footprint–centre pair, ``QUALIFY row_number()``.
* **station access** — distance to the nearest station of any mode and of each mode (train,
  tram, metro: 2 934 stations), stations within 800 m, share of the footprint within 800 m of a
  station (the union of the stations' 800 m buffers). geopandas: ``sjoin_nearest`` per mode,
  ``sjoin(predicate="dwithin")`` counted, the buffers' union cut into parts and intersected.
  DuckDB has no nearest-neighbour join and a pair per footprint and station would be 2.9
  billion distances: the nearest station of any mode and the nearest train station are searched
  within 20 km (``ST_DWithin`` join; the equality check proves that every footprint finds its
  nearest so), the nearest tram and metro stations (89 and 60, far from most footprints) over
  every pair; then the same count and share.

Times of the DuckDB steps are queries on tables already loaded (the load from WKB is reported
apart), as a user querying a database would see it.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from benchmarks._common import write_section

THREADS = 2
RADIUS = 800.0
MODES = ("metro", "train", "tram")
NEAREST_SEARCH_M = 20_000.0


# ---------------------------------------------------------------- DuckDB


def _duckdb() -> Any:
    import duckdb
    import duckdb_extension_spatial

    con = duckdb.connect()
    ext = next(Path(duckdb_extension_spatial.__file__).parent.rglob("spatial.duckdb_extension"))
    con.execute(f"LOAD '{ext}'")
    con.execute(f"SET threads = {THREADS}")
    return con


def _load(con: Any, name: str, ids: np.ndarray, geoms: np.ndarray, **cols: np.ndarray) -> None:
    df = pd.DataFrame({"id": ids, "pos": np.arange(len(ids)), **cols, "wkb": shapely.to_wkb(geoms)})
    con.register(f"{name}_df", df)
    extra = "".join(f", {c}" for c in cols)
    con.execute(f"CREATE TABLE {name} AS SELECT id, pos{extra}, ST_GeomFromWKB(wkb) AS geom FROM {name}_df")


SQL_COMMUNE = """
SELECT b.id, c.id AS code
FROM b JOIN c ON ST_Intersects(b.geom, c.geom)
QUALIFY row_number() OVER (PARTITION BY b.id ORDER BY ST_Area(ST_Intersection(b.geom, c.geom)) DESC, c.id) = 1
"""

SQL_QPV = """
CREATE TEMP TABLE qu AS SELECT unnest(ST_Dump(ST_Union_Agg(geom))).geom AS geom FROM q;
SELECT b.id, SUM(ST_Area(ST_Intersection(b.geom, qu.geom))) / ANY_VALUE(ST_Area(b.geom)) AS share
FROM b JOIN qu ON ST_Intersects(b.geom, qu.geom)
GROUP BY b.id
"""

SQL_CENTRE = """
SELECT b.id, c.id AS centre, ST_Distance(b.geom, c.geom) AS d
FROM b, c
QUALIFY row_number() OVER (PARTITION BY b.id ORDER BY d, c.pos) = 1
"""

SQL_NEAREST_STATION = """
SELECT b.id, MIN(ST_Distance(b.geom, s.geom)) AS d
FROM b JOIN s ON ST_DWithin(b.geom, s.geom, {radius}) {where}
GROUP BY b.id
"""

SQL_NEAREST_STATION_ALL_PAIRS = """
SELECT b.id, MIN(ST_Distance(b.geom, s.geom)) AS d FROM b, s WHERE s.mode = '{mode}' GROUP BY b.id
"""

SQL_STATIONS_WITHIN = f"""
SELECT b.id, COUNT(*) AS n FROM b JOIN s ON ST_DWithin(b.geom, s.geom, {RADIUS}) GROUP BY b.id
"""

SQL_WALK = f"""
CREATE TEMP TABLE walk AS
SELECT unnest(ST_Dump(ST_Union_Agg(ST_Buffer(geom, {RADIUS}, 16)))).geom AS geom FROM s;
SELECT b.id, SUM(ST_Area(ST_Intersection(b.geom, walk.geom))) / ANY_VALUE(ST_Area(b.geom)) AS share
FROM b JOIN walk ON ST_Intersects(b.geom, walk.geom)
GROUP BY b.id
"""


def _series(df: pd.DataFrame, col: str, index: pd.Index, fill: float | None = None) -> pd.Series:
    out = df.set_index("id")[col].reindex(index)
    return out.fillna(fill) if fill is not None else out


def duckdb_step(step: str, con: Any, b: gpd.GeoDataFrame) -> pd.DataFrame:
    """The step's figures from DuckDB (tables b, c, q, s loaded)."""
    ix = b.index
    if step == "commune":
        return pd.DataFrame({"code": _series(con.execute(SQL_COMMUNE).df(), "code", ix)})
    if step == "qpv":
        *setup, query = SQL_QPV.strip().split(";\n")
        for sql in setup:
            con.execute(sql)
        return pd.DataFrame({"share": _series(con.execute(query).df(), "share", ix, 0.0)})
    if step == "centre":
        r = con.execute(SQL_CENTRE).df().set_index("id").reindex(ix)
        return pd.DataFrame({"d": r["d"], "centre": r["centre"]})
    out = {}
    for mode in (None, *MODES):
        if mode in ("metro", "tram"):  # 60 and 89 stations, far from most footprints: every pair
            sql = SQL_NEAREST_STATION_ALL_PAIRS.format(mode=mode)
        else:
            where = "" if mode is None else f"AND s.mode = '{mode}'"
            sql = SQL_NEAREST_STATION.format(radius=NEAREST_SEARCH_M, where=where)
        out[mode or "any"] = _series(con.execute(sql).df(), "d", ix)
    out["n"] = _series(con.execute(SQL_STATIONS_WITHIN).df(), "n", ix, 0)
    *setup, query = SQL_WALK.strip().split(";\n")
    for sql in setup:
        con.execute(sql)
    out["share"] = _series(con.execute(query).df(), "share", ix, 0.0)
    return pd.DataFrame(out)


# ---------------------------------------------------------------- plain geopandas


def _pairs_area(b: gpd.GeoDataFrame, parts: gpd.GeoDataFrame) -> pd.Series:
    """Area of each footprint inside *parts* (non-overlapping polygons), by sjoin + intersection."""
    j = gpd.sjoin(b[["geometry"]], parts, predicate="intersects", how="inner")
    left = np.asarray(b.geometry.values)[b.index.get_indexer(j.index)]
    right = np.asarray(parts.geometry.values)[j["index_right"].to_numpy()]
    area = shapely.area(shapely.intersection(left, right))
    return pd.Series(area, index=j.index).groupby(level=0).sum().reindex(b.index, fill_value=0.0)


def _dissolved(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    parts = gdf[["geometry"]].dissolve().explode(index_parts=False).reset_index(drop=True)
    return parts


def _nearest_gpd(b: gpd.GeoDataFrame, t: gpd.GeoDataFrame) -> pd.DataFrame:
    t = t[["geometry"]].reset_index(drop=True)  # positions: ties go to the first target
    j = gpd.sjoin_nearest(b[["geometry"]], t, distance_col="d")
    j = j.sort_values("index_right", kind="stable")
    j = j[~j.index.duplicated(keep="first")].reindex(b.index)
    return j[["index_right", "d"]]


def geopandas_step(step: str, b: gpd.GeoDataFrame, t: dict[str, gpd.GeoDataFrame]) -> pd.DataFrame:
    """The step's figures computed with plain geopandas / shapely."""
    if step == "commune":
        c = t["communes"]
        j = gpd.sjoin(b[["geometry"]], c[["geometry"]].rename_axis(None), predicate="intersects", how="inner")
        left = np.asarray(b.geometry.values)[b.index.get_indexer(j.index)]
        right = np.asarray(c.geometry.values)[c.index.get_indexer(j["index_right"])]
        area = shapely.area(shapely.intersection(left, right))
        pairs = pd.DataFrame({"f": j.index.to_numpy(), "code": j["index_right"].to_numpy(), "a": area})
        pairs = pairs.sort_values(["f", "a", "code"], ascending=[True, False, True]).drop_duplicates("f")
        return pd.DataFrame({"code": pairs.set_index("f")["code"].reindex(b.index)})
    if step == "qpv":
        return pd.DataFrame({"share": _pairs_area(b, _dissolved(t["qpv"])) / b.area})
    if step == "centre":
        r = _nearest_gpd(b, t["centres"])
        return pd.DataFrame(
            {"d": r["d"], "centre": t["centres"].index.to_numpy()[r["index_right"].to_numpy()]}
        )
    s = t["stations"]
    out = {"any": _nearest_gpd(b, s)["d"]}
    for mode in MODES:
        out[mode] = _nearest_gpd(b, s[s["mode"] == mode])["d"]
    j = gpd.sjoin(b[["geometry"]], s[["geometry"]], predicate="dwithin", distance=RADIUS, how="inner")
    out["n"] = j.groupby(level=0).size().reindex(b.index, fill_value=0)
    walk = gpd.GeoDataFrame(geometry=s.buffer(RADIUS, quad_segs=16), crs=s.crs)
    out["share"] = _pairs_area(b, _dissolved(walk)) / b.area
    return pd.DataFrame(out)


# ---------------------------------------------------------------- erbm_geo


def erbm_step(step: str, b: gpd.GeoDataFrame, t: dict[str, gpd.GeoDataFrame]) -> pd.DataFrame:
    from erbm_geo.indicators import commune_of, distance_to_centres, qpv_overlap, station_access

    if step == "commune":
        return pd.DataFrame({"code": commune_of(b, t["communes"])})
    if step == "qpv":
        return pd.DataFrame({"share": qpv_overlap(b, t["qpv"])["qpv_share"]})
    if step == "centre":
        r = distance_to_centres(b, t["centres"])
        return pd.DataFrame({"d": r["distance_m"], "centre": r["centre_id"]})
    r = station_access(b, t["stations"], radius=RADIUS)
    cols = {"any": "station_distance_m", **{m: f"{m}_distance_m" for m in MODES}}
    return pd.DataFrame(
        {k: r[v] for k, v in cols.items()} | {"n": r["stations_within"], "share": r["share_within_walk"]}
    )


# ---------------------------------------------------------------- runs


def _rss(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _child(conn: Any, setup: Callable[[], Any], fn: Callable[[Any], pd.DataFrame]) -> None:
    ready = setup()  # untimed: DuckDB's connection and tables (its threads do not survive a fork)
    Path("/proc/self/clear_refs").write_text("5")  # the high-water mark starts again from here
    base = _rss("VmRSS")
    t = time.perf_counter()
    res = fn(ready)
    elapsed = time.perf_counter() - t
    conn.send((elapsed, _rss("VmHWM") - base, res))
    conn.close()


def _in_child(setup: Callable[[], Any], fn: Callable[[Any], pd.DataFrame]) -> tuple[float, int, pd.DataFrame]:
    ctx = mp.get_context("fork")
    here, there = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(there, setup, fn))
    p.start()
    out = here.recv()
    p.join()
    return out  # type: ignore[no-any-return]


def _equal(step: str, ours: pd.DataFrame, other: pd.DataFrame, tool: str) -> None:
    for col in ours.columns:
        a, b = ours[col], other[col]
        if a.dtype.kind in "fi" and b.dtype.kind in "fi":
            ok = np.allclose(a.to_numpy(float), b.to_numpy(float), rtol=1e-9, atol=1e-6, equal_nan=True)
        else:
            ok = bool((a.astype(str).to_numpy() == b.astype(str).to_numpy()).all())
        if not ok or len(a) != len(b):
            raise SystemExit(f"{step}: {tool} differs from erbm_geo in {col!r}")


STEPS = ("commune", "qpv", "centre", "stations")


def run(n: int) -> list[tuple[str, str, float, int]]:
    from erbm_geo import layers, settings
    from erbm_geo.indicators import builtin
    from erbm_geo.synthetic import synthetic_buildings

    settings.threads = THREADS
    t = {
        "communes": layers.communes(),
        "qpv": builtin.qpv(),
        "centres": builtin.centres("main"),
        "stations": builtin.stations(),
    }
    t = {k: v.to_crs(2154) for k, v in t.items()}
    b = synthetic_buildings(t["communes"], n, seed=2026)

    def database(step: str) -> Any:
        con = _duckdb()
        _load(con, "b", b.index.to_numpy(), np.asarray(b.geometry.values))
        c = t["centres"] if step == "centre" else t["communes"]
        _load(con, "c", c.index.to_numpy(), np.asarray(c.geometry.values))
        _load(con, "q", t["qpv"].index.to_numpy(), np.asarray(t["qpv"].geometry.values))
        s = t["stations"]
        _load(
            con, "s", s.index.astype(str).to_numpy(), np.asarray(s.geometry.values), mode=s["mode"].to_numpy()
        )
        return con

    def none() -> None:
        return None

    rows = []
    for step in STEPS:
        tools: dict[str, tuple[Callable[[], Any], Callable[[Any], pd.DataFrame]]] = {
            "erbm_geo": (none, (lambda st: lambda _: erbm_step(st, b, t))(step)),
            "geopandas": (none, (lambda st: lambda _: geopandas_step(st, b, t))(step)),
            "DuckDB spatial": (
                (lambda st: lambda: database(st))(step),
                (lambda st: lambda con: duckdb_step(st, con, b))(step),
            ),
        }
        ours = None
        for tool, (setup, fn) in tools.items():
            elapsed, peak, res = _in_child(setup, fn)
            if ours is None:
                ours = res
            else:
                _equal(step, ours, res, tool)
            rows.append((step, tool, elapsed, peak))
            print(step, tool, f"{elapsed:.2f} s", f"{peak / 2**20:.0f} MiB", flush=True)
    con = _duckdb()
    tl = time.perf_counter()
    _load(con, "b", b.index.to_numpy(), np.asarray(b.geometry.values))
    load = time.perf_counter() - tl
    rows.append(("(DuckDB: loading the footprints from WKB)", "DuckDB spatial", load, 0))
    return rows


LABELS = {
    "commune": "commune of each feature",
    "qpv": "QPV share",
    "centre": "distance to the nearest main centre",
    "stations": "station access",
}


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000_000]
    lines = [
        "## Building scale: erbm_geo, geopandas and DuckDB spatial",
        "",
        "Invented footprints over the basin, in memory, 2 threads; each step and tool run once in",
        "its own process (no index or check shared between steps); results asserted equal. Peak",
        "memory: the process's high-water mark above its size when the step began. Ratio: the",
        "tool's time over erbm_geo's. What each tool computes is written out in",
        "`benchmarks/bench_building.py`.",
        "",
        "| Footprints | Step | Tool | Time (s) | Footprints / s | Peak memory (MiB) | Ratio |",
        "|---:|---|---|---:|---:|---:|---:|",
    ]
    for n in sizes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows = run(n)
        ours = {step: t for step, tool, t, _ in rows if tool == "erbm_geo"}
        for step, tool, t, peak in rows:
            ratio = f"{t / ours[step]:.2f}" if step in ours else ""
            mem = f"{peak / 2**20:,.0f}" if peak else ""
            lines.append(
                f"| {n:,} | {LABELS.get(step, step)} | {tool} | {t:.2f} | {n / t:,.0f} | {mem} | {ratio} |"
            )
    write_section("building", "\n".join(lines))


if __name__ == "__main__":
    main()
