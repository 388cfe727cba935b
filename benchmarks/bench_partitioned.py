"""Building-scale indicators on partitioned layers (dask-geopandas), 1 M to 16 M footprints.

For each size, in a fresh process (so that its peak memory is its own):

1. invented footprints over the basin's 250 communes (:mod:`erbm_geo.synthetic`) are generated
   partition by partition and written as partitioned GeoParquet;
2. the core indicators — the commune (``commune_of``), QPV overlap, distance to the 8 main
   centralities and station access — are computed from that folder partition by partition and
   written as partitioned GeoParquet (the dask path: read → compute → write, nothing gathered);
   then the share of built area in QPV is computed again and aggregated by EPCI (lazy
   ``aggregate``);
3. on the sizes that fit, the same indicators in memory (the whole layer read, then each
   function once), and plain geopandas for the distance to centres (``sjoin_nearest``); results
   are asserted equal; then the EPCI aggregate of the table just computed (its ``code_insee``
   known), against the indicators' time. Beyond, the footprints and the table the partitioned
   path wrote are read whole, and their EPCI aggregate is set against the partitioned time.

4. on the sizes that fit in memory, this script's two paths (no aggregate, no geopandas) on the
   package of :data:`BASELINE` (the code before the work on building scale, extracted with
   ``git archive``), in the same run: how much faster each path got, in wall time and in CPU
   time (every thread's), measured side by side.

Run: ``python -m benchmarks.bench_partitioned`` (sizes 1, 4 and 16 million; ``--sizes 1,4`` for
fewer; ``--baseline none`` to skip step 4) — writes the ``partitioned`` section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import dask
import geopandas as gpd
import numpy as np
import pandas as pd

from benchmarks._common import ROOT, checkout, machine, write_section
from erbm_geo import indicators as ind
from erbm_geo import settings
from erbm_geo.export import write_partitioned
from erbm_geo.geom.partitioned import map_features
from erbm_geo.indicators import builtin
from erbm_geo.layers.partitioned import read_partitioned
from erbm_geo.synthetic import synthetic_buildings_partitioned

IN_MEMORY_UP_TO = 4_000_000  # the in-memory comparison runs up to this size
GEOPANDAS_UP_TO = 1_000_000
#: The last commit before the work on building scale (issue 31: "faster than today"): its own
#: benchmark script is run on the same sizes, in the same run, as the baseline of both paths.
BASELINE = "f17fc91"


def core(
    part: gpd.GeoDataFrame,
    communes: gpd.GeoDataFrame,
    centres: gpd.GeoDataFrame,
    qpv: gpd.GeoDataFrame,
    stations: gpd.GeoDataFrame,
) -> pd.DataFrame:
    """The core indicators of one layer (a partition, or the whole layer in memory)."""
    return pd.concat(
        [
            ind.commune_of(part, communes),
            ind.qpv_overlap(part, qpv)[["qpv_share", "n_qpv"]],
            ind.distance_to_centres(part, centres)[["distance_m", "centre_nom"]],
            ind.station_access(part, stations, modes=("train", "tram"))[
                ["station_distance_m", "stations_within", "share_within_walk"]
            ],
        ],
        axis=1,
    )


def targets() -> dict[str, gpd.GeoDataFrame]:
    return {
        "communes": builtin.communes(),
        "centres": builtin.centres("main"),
        "qpv": builtin.qpv("nord_pas_de_calais"),
        "stations": builtin.stations(),
    }


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU time of this process so far, every thread's (user + system), in seconds."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def one(n: int, work: Path, *, paths_only: bool = False) -> dict[str, Any]:
    """Run one size (in its own process) and return its figures.

    *paths_only*: the two paths alone (partitioned, then in memory, asserted equal), no
    aggregate and no geopandas — what the run of the baseline commit measures.
    """
    warnings.simplefilter("ignore")
    t = targets()
    basin = t["communes"][t["communes"]["in_basin"]]
    out: dict[str, Any] = {"n": n}

    t0 = time.perf_counter()
    lazy = synthetic_buildings_partitioned(basin, n, seed=2026)
    folder = write_partitioned(lazy, work / "batiments", spatial_order=None)
    out["generate_s"] = time.perf_counter() - t0
    out["partitions"] = lazy.npartitions
    out["input_mb"] = sum(p.stat().st_size for p in folder.iterdir()) / 1e6

    t0, c0 = time.perf_counter(), cpu_s()
    layer = read_partitioned(folder)
    table = map_features(core, layer, t["communes"], t["centres"], t["qpv"], t["stations"])
    write_partitioned(table, work / "indicateurs", spatial_order=None)
    out["dask_s"], out["dask_cpu_s"] = time.perf_counter() - t0, cpu_s() - c0
    out["peak_dask_mb"] = peak_mb()

    if not paths_only:
        t0 = time.perf_counter()
        buildings = read_partitioned(folder)  # the QPV overlap again, aggregated as it is computed
        share = ind.qpv_overlap(buildings, t["qpv"])["qpv_share"]
        by_epci = ind.aggregate(share, buildings, t["communes"], by="epci").compute()
        out["aggregate_s"] = time.perf_counter() - t0
        out["epci"] = len(by_epci)

    if n <= IN_MEMORY_UP_TO:
        t0, c0 = time.perf_counter(), cpu_s()
        whole = gpd.read_parquet(folder)
        mem = core(whole, t["communes"], t["centres"], t["qpv"], t["stations"])
        out["memory_s"], out["memory_cpu_s"] = time.perf_counter() - t0, cpu_s() - c0
        out["peak_total_mb"] = peak_mb()
        got = pd.read_parquet(work / "indicateurs").sort_index()
        pd.testing.assert_frame_equal(got, mem.sort_index(), check_exact=True)
        out["equal"] = True
        if not paths_only:
            out.update(_beside(n, whole, mem, t))
    elif not paths_only:
        # too many to compute in memory here, but the footprints and the table the partitioned
        # path wrote fit: the EPCI aggregate of that table, against the partitioned indicators
        whole = gpd.read_parquet(folder)
        got = pd.read_parquet(work / "indicateurs").reindex(whole.index)
        out["aggregate_memory_s"] = _epci_aggregate_s(whole, got, t["communes"])
        out["peak_total_mb"] = peak_mb()
    return out


def _epci_aggregate_s(whole: gpd.GeoDataFrame, table: pd.DataFrame, communes: gpd.GeoDataFrame) -> float:
    """Seconds to aggregate *table*'s QPV share by EPCI, each footprint's commune known (``code_insee``)."""
    t0 = time.perf_counter()
    located = whole.assign(code_insee=table["code_insee"].to_numpy())
    ind.aggregate(table["qpv_share"], located, communes, by="epci")
    return time.perf_counter() - t0


def _beside(
    n: int, whole: gpd.GeoDataFrame, mem: pd.DataFrame, t: dict[str, gpd.GeoDataFrame]
) -> dict[str, Any]:
    """The EPCI aggregate of the in-memory table, and plain geopandas' nearest centre (1 M)."""
    out: dict[str, Any] = {}
    # the EPCI aggregate of the table just computed (its communes known: code_insee)
    out["aggregate_memory_s"] = _epci_aggregate_s(whole, mem, t["communes"])
    if n <= GEOPANDAS_UP_TO:
        t0 = time.perf_counter()
        ours = ind.distance_to_centres(whole, t["centres"])["distance_m"]
        out["ours_distance_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        joined = gpd.sjoin_nearest(whole, t["centres"][["geometry"]], distance_col="d")
        plain = joined.groupby(level=0)["d"].min()
        out["geopandas_distance_s"] = time.perf_counter() - t0
        np.testing.assert_allclose(plain.reindex(ours.index).to_numpy(), ours.to_numpy(), atol=1e-6)
    return out


HEADER = (
    "| footprints | partitions | input | generate + write | indicators, read → write | throughput "
    "| peak memory | QPV share again + EPCI aggregate | in memory | in memory / partitioned "
    "| peak, in memory too | EPCI aggregate of the table, in memory | aggregate / indicators |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def row(r: dict[str, Any]) -> str:
    n = r["n"]
    mem = f"{r['memory_s']:.0f} s" if "memory_s" in r else "—"
    ratio = f"×{r['memory_s'] / r['dask_s']:.2f}" if "memory_s" in r else "—"
    total = f"{r['peak_total_mb'] / 1024:.1f} GB" if "peak_total_mb" in r else "—"
    agg = f"{r['aggregate_memory_s']:.2f} s" if "aggregate_memory_s" in r else "—"
    # against the in-memory indicators where they ran, else against the partitioned ones (*)
    against = r["memory_s"] if "memory_s" in r else r["dask_s"]
    star = "" if "memory_s" in r else " (*)"
    share = f"{r['aggregate_memory_s'] / against:.1%}{star}" if "aggregate_memory_s" in r else "—"
    return (
        f"| {n / 1e6:.0f} M | {r['partitions']} | {r['input_mb']:.0f} MB | {r['generate_s']:.0f} s "
        f"| {r['dask_s']:.0f} s | {n / r['dask_s'] / 1e3:.0f} k/s | {r['peak_dask_mb'] / 1024:.2f} GB "
        f"| {r['aggregate_s']:.0f} s | {mem} | {ratio} | {total} | {agg} | {share} |"
    )


def _child(n: int, code: Path | None = None, cache: Path | None = None) -> dict[str, Any]:
    """Run one size in a fresh process: this code, or the package of the checkout *code* (where
    :func:`main` copied this script: the same measures; its own cache, the same data and
    interpreter)."""
    env, extra = dict(os.environ), []
    if code is not None:
        env.update(PYTHONPATH=str(code), ERBM_GEO_CACHE=str(cache), ERBM_GEO_DATA=str(settings.data_dir))
        extra = ["--paths-only"]
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_partitioned", "--one", str(n), *extra],
        cwd=code or ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(run.stdout.strip().splitlines()[-1]))


GAIN_HEADER = (
    "| footprints | path | time, baseline → now | faster by | faster by, each run | CPU time, baseline → now "
    "| less CPU by | cores busy, baseline → now |\n"
    "|---|---|---|---|---|---|---|---|"
)


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over *runs* (the same size and code, run in turn); the runs
    themselves under ``"runs"``."""
    out: dict[str, Any] = {}
    for key, first in runs[0].items():
        numeric = isinstance(first, int | float) and not isinstance(first, bool)
        out[key] = statistics.median(r[key] for r in runs) if numeric else first
    out["runs"] = runs
    return out


def gain_row(now: dict[str, Any], base: dict[str, Any]) -> str:
    """How much faster each path got since the baseline, in the same run (two rows): medians,
    then the gain of each repetition (this code's run i against the baseline's run i)."""
    rows = []
    for path, key in (("partitioned", "dask"), ("in memory", "memory")):
        w0, w1, c0, c1 = base[f"{key}_s"], now[f"{key}_s"], base[f"{key}_cpu_s"], now[f"{key}_cpu_s"]
        each = " · ".join(
            f"×{b[f'{key}_s'] / r[f'{key}_s']:.2f}" for r, b in zip(now["runs"], base["runs"], strict=True)
        )
        rows.append(
            f"| {now['n'] / 1e6:.0f} M | {path} | {w0:.1f} s → {w1:.1f} s | ×{w0 / w1:.2f} | {each} "
            f"| {c0:.1f} s → {c1:.1f} s | ×{c0 / c1:.2f} | {c0 / w0:.2f} → {c1 / w1:.2f} |"
        )
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,4,16", help="millions of footprints, comma-separated")
    ap.add_argument("--baseline", default=BASELINE, help="commit measured beside this code ('none': skip)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each size and commit (medians kept)")
    ap.add_argument("--paths-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:  # the child: one size, figures as JSON on the last line
        with tempfile.TemporaryDirectory() as d, dask.config.set(scheduler="threads"):
            print(json.dumps(one(args.one, Path(d), paths_only=args.paths_only)))
        return
    results, baselines = [], []
    with tempfile.TemporaryDirectory() as d:
        code = checkout(args.baseline, Path(d) / "code") if args.baseline != "none" else None
        if code is not None:  # the baseline's package measured by this script, copied in once
            shutil.copytree(ROOT / "benchmarks", code / "benchmarks", dirs_exist_ok=True)
        for n in (int(s) * 1_000_000 for s in args.sizes.split(",")):
            runs, bases = [], []
            for _ in range(args.repeat):  # this code then the baseline, in turn: drifts hit both
                runs.append(_child(n))
                if code is not None and n <= IN_MEMORY_UP_TO:
                    bases.append(_child(n, code, Path(d) / "cache"))
            results.append(median_of(runs))
            print(row(results[-1]), flush=True)
            if bases:
                baselines.append(median_of(bases))
                print(gain_row(results[-1], baselines[-1]), flush=True)
    first = results[0]
    gpd_line = (
        f"Plain geopandas for the distance to the nearest centre (`sjoin_nearest`) on "
        f"{first['n'] / 1e6:.0f} M footprints: {first['geopandas_distance_s']:.1f} s against "
        f"{first['ours_distance_s']:.1f} s for `distance_to_centres` "
        f"(×{first['geopandas_distance_s'] / first['ours_distance_s']:.1f}), distances asserted equal."
        if "geopandas_distance_s" in first
        else ""
    )
    gains = (
        f"""
How much faster each path got since {args.baseline} (the last commit before the work on building
scale): its package, run in this run by this script on the same invented footprints, each size
{args.repeat} times in turn with this code (each run in a fresh process); medians, and the gain of
each repetition. CPU time is every thread's; « cores busy » is CPU time over wall time, out of
{os.cpu_count()}.

{GAIN_HEADER}
{chr(10).join(gain_row(r, b) for r, b in zip(results, baselines, strict=False))}"""
        if baselines
        else ""
    )
    write_section(
        "partitioned",
        f"""## Building scale, partitioned (dask-geopandas; {machine()})

Invented footprints over the basin's 250 communes (`erbm_geo.synthetic`, partitions of 250,000),
read from partitioned GeoParquet, the core indicators computed partition by partition (commune,
QPV overlap, distance to the 8 main centralities, station access) and written back as
partitioned GeoParquet; then the share in QPV computed again and aggregated by EPCI, partition
by partition. In memory: the same indicators on the whole layer, then the EPCI aggregate of that
table (each footprint's commune known), whose time the last column sets against the
indicators'. Threaded scheduler on the machine's cores; each size in its own process (peak memory
is that process's), {args.repeat} times: the medians.

{HEADER}
{chr(10).join(row(r) for r in results)}
{gains}

The partitioned tables are asserted equal, value for value, to the in-memory ones on every size
where those run (up to {IN_MEMORY_UP_TO / 1e6:.0f} M). (*) Beyond, the indicators are not computed
in memory; the footprints and the table the partitioned path wrote are read whole, and their EPCI
aggregate is set against the partitioned indicators' time. {gpd_line}""",
    )


if __name__ == "__main__":
    main()
