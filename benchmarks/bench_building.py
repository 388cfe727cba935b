"""Building scale, side by side: erbm_geo, plain geopandas and DuckDB spatial on the same footprints.

Run: ``python -m benchmarks.bench_building [N …]`` (default 1 000 000; writes docs/benchmarks.md).
Invented footprints over the basin (:func:`erbm_geo.synthetic.synthetic_buildings`, one run, in
memory, 2 threads everywhere). Each step is what a competent user of each tool would write, and
the results are asserted equal:

* **commune of each feature** — the commune holding the largest part (ties: lowest code).
  geopandas: ``sjoin(predicate="intersects")``, the area of every pair's intersection (vectorised
  shapely), the largest kept. DuckDB: the same as SQL (``ST_Intersects`` join, ``ST_Area`` of
  ``ST_Intersection``, ``QUALIFY row_number()``).

The other steps (QPV share, distance to the nearest main centre, station access) are not yet set
beside their peers here: their rules (overlapping QPV counted once, slivers under 1 m² left out)
must first be written the same way in each tool.

DuckDB (PyPI ``duckdb`` + ``duckdb-extension-spatial``, loaded from the package's extension file)
is timed on tables already loaded (the load from WKB is reported apart), as a user querying a
database would see it.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from benchmarks._common import write_section

THREADS = 2


def _duckdb() -> object:
    import duckdb
    import duckdb_extension_spatial

    con = duckdb.connect()
    ext = next(Path(duckdb_extension_spatial.__file__).parent.rglob("spatial.duckdb_extension"))
    con.execute(f"LOAD '{ext}'")
    con.execute(f"SET threads = {THREADS}")
    return con


def _load(con: object, name: str, codes: np.ndarray, geoms: np.ndarray) -> float:
    t = time.perf_counter()
    df = pd.DataFrame({"id": codes, "wkb": shapely.to_wkb(geoms)})
    con.register(f"{name}_df", df)  # type: ignore[attr-defined]
    con.execute(f"CREATE TABLE {name} AS SELECT id, ST_GeomFromWKB(wkb) AS geom FROM {name}_df")  # type: ignore[attr-defined]
    return time.perf_counter() - t


# ---------------------------------------------------------------- commune of each feature

SQL_COMMUNE = """
SELECT b.id, c.id AS code
FROM b JOIN c ON ST_Intersects(b.geom, c.geom)
QUALIFY row_number() OVER (PARTITION BY b.id ORDER BY ST_Area(ST_Intersection(b.geom, c.geom)) DESC, c.id) = 1
"""


def commune_geopandas(b: gpd.GeoDataFrame, c: gpd.GeoDataFrame) -> pd.Series:
    j = gpd.sjoin(b[["geometry"]], c[["geometry"]].rename_axis(None), predicate="intersects", how="inner")
    left = b.geometry.values[b.index.get_indexer(j.index)]
    right = c.geometry.values[c.index.get_indexer(j["index_right"])]
    area = shapely.area(shapely.intersection(np.asarray(left), np.asarray(right)))
    pairs = pd.DataFrame({"f": j.index.to_numpy(), "code": j["index_right"].to_numpy(), "a": area})
    pairs = pairs.sort_values(["f", "a", "code"], ascending=[True, False, True]).drop_duplicates("f")
    return pairs.set_index("f")["code"].reindex(b.index)


def _timed(fn: object) -> tuple[float, object]:
    t = time.perf_counter()
    res = fn()  # type: ignore[operator]
    return time.perf_counter() - t, res


def run(n: int) -> list[tuple[str, str, float, float]]:
    from erbm_geo import layers, settings
    from erbm_geo.indicators import commune_of
    from erbm_geo.synthetic import synthetic_buildings

    settings.threads = THREADS
    communes = layers.communes()
    b = synthetic_buildings(communes, n, seed=2026)
    con = _duckdb()
    load = _load(con, "b", b.index.to_numpy(), np.asarray(b.geometry.values))
    load += _load(con, "c", communes.index.to_numpy(), np.asarray(communes.geometry.values))
    rows = []

    t_ours, ours = _timed(lambda: commune_of(b, communes))
    t_gpd, gp = _timed(lambda: commune_geopandas(b, communes))
    t_db, db = _timed(lambda: con.execute(SQL_COMMUNE).df().set_index("id")["code"].reindex(b.index))  # type: ignore[attr-defined]
    assert (ours.astype(str).to_numpy() == gp.astype(str).to_numpy()).all()
    assert (ours.astype(str).to_numpy() == db.astype(str).to_numpy()).all()
    rows += [("commune", "erbm_geo", t_ours, n / t_ours), ("commune", "geopandas", t_gpd, n / t_gpd)]
    rows += [("commune", "DuckDB spatial", t_db, n / t_db)]

    rows.append(("(DuckDB: loading both tables from WKB)", "DuckDB spatial", load, n / load))
    return rows


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000_000]
    lines = [
        "## Building scale: erbm_geo, geopandas and DuckDB spatial",
        "",
        "Invented footprints over the basin, in memory, 2 threads, one run per step; results asserted",
        "equal (codes exactly). Ratio: the tool's time over erbm_geo's.",
        "",
        "| Footprints | Step | Tool | Time (s) | Footprints / s | Ratio |",
        "|---:|---|---|---:|---:|---:|",
    ]
    for n in sizes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows = run(n)
        ours = {step: t for step, tool, t, _ in rows if tool == "erbm_geo"}
        for step, tool, t, rate in rows:
            ratio = f"{t / ours[step]:.2f}" if step in ours else ""
            lines.append(f"| {n:,} | {step} | {tool} | {t:.2f} | {rate:,.0f} | {ratio} |")
            print(lines[-1], flush=True)
    write_section("building", "\n".join(lines))


if __name__ == "__main__":
    main()
