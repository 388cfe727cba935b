"""« Qu'y a-t-il ici ? » for many points: erbm_geo.lookup beside the plain geopandas chain.

Run: ``python -m benchmarks.bench_lookup`` (writes docs/benchmarks.md). The points are the
centroids of invented building footprints over the basin (:func:`erbm_geo.synthetic.synthetic_buildings`,
weighted by population), looked up against the mirror's layers (communes and IRIS of the Nord and
Pas-de-Calais, QPV and stations of France, UNESCO property and buffer zone, cités, main centres,
friche sites), warm.

The geopandas chain is what a user would write: one ``sjoin(predicate="intersects")`` per
polygon layer (keeping, as lookup does, the lowest code where a point lies in several polygons)
and one ``sjoin_nearest`` per layer of places. Results are asserted equal (codes exactly,
distances to 1e-6 m). At a million points, lookup runs in chunks of 200,000: the peak memory of
one process is measured against a single chunk of a million (each in a fresh process).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

from benchmarks._common import best_of, machine, write_section
from erbm_geo.lookup import LookupLayers, builtin_layers, lookup
from erbm_geo.synthetic import synthetic_buildings


def points(n: int) -> gpd.GeoSeries:
    from erbm_geo import layers

    communes = layers.communes()
    return synthetic_buildings(communes, n, seed=2026).geometry.centroid


def _first_code(pts: gpd.GeoSeries, layer: gpd.GeoDataFrame) -> pd.Series:
    right = gpd.GeoDataFrame(
        {"code": layer.index.astype(str)}, geometry=layer.geometry.to_numpy(), crs=layer.crs
    )
    j = gpd.sjoin(gpd.GeoDataFrame(geometry=pts), right, predicate="intersects", how="left")
    return j.groupby(level=0)["code"].min().reindex(pts.index)


def _nearest(pts: gpd.GeoSeries, layer: gpd.GeoDataFrame) -> pd.Series:
    j = gpd.sjoin_nearest(gpd.GeoDataFrame(geometry=pts), layer[["geometry"]], distance_col="d")
    return j.groupby(level=0)["d"].first().reindex(pts.index)


def geopandas_chain(pts: gpd.GeoSeries, lay: LookupLayers) -> pd.DataFrame:
    """The same answers with plain geopandas: codes by sjoin, distances by sjoin_nearest."""
    out = pd.DataFrame(index=pts.index)
    for col, layer in (
        ("code_insee", lay.communes),
        ("code_iris", lay.iris),
        ("qpv_code", lay.qpv),
        ("unesco_element", lay.bien),
        ("cite_id", lay.cites),
    ):
        out[col] = _first_code(pts, layer)
    out["in_zone"] = _first_code(pts, lay.zone_tampon).notna()
    for col, layer in (
        ("qpv_distance_m", lay.qpv),
        ("station_proche_distance_m", lay.stations),
        ("centre_proche_distance_m", lay.centres),
        ("friche_site_distance_m", lay.sites),
    ):
        out[col] = _nearest(pts, layer)
    return out


def check_equal(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    for col in ("code_insee", "code_iris", "qpv_code", "unesco_element", "cite_id"):
        a = ours[col].astype(object).where(ours[col].notna(), None).tolist()
        b = theirs[col].astype(object).where(theirs[col].notna(), None).tolist()
        assert a == b, col
    zone = (ours["unesco_statut"] != "aucun").to_numpy(dtype=bool)
    assert np.array_equal(zone, (theirs["in_zone"] | ours["unesco_element"].notna()).to_numpy(dtype=bool))
    inside = ours["code_insee"].notna().to_numpy()
    for col in ("qpv_distance_m", "station_proche_distance_m", "centre_proche_distance_m"):
        np.testing.assert_allclose(ours[col], theirs[col], atol=1e-6, err_msg=col)
    np.testing.assert_allclose(
        ours["friche_site_distance_m"][inside], theirs["friche_site_distance_m"][inside], atol=1e-6
    )


def one_million(chunk_size: int) -> None:
    """Child process: look up a million points in chunks of *chunk_size*; print time and peak."""
    warnings.simplefilter("ignore")
    lay = builtin_layers()
    pts = points(1_000_000)
    lookup(pts.iloc[:1000], layers=lay)  # warm: trees and diagrams of the layers
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    got = lookup(pts, layers=lay, chunk_size=chunk_size)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"s": seconds, "before_mb": before, "peak_mb": peak, "rows": len(got)}))


def _child(chunk_size: int) -> dict[str, float]:
    code = f"from benchmarks.bench_lookup import one_million; one_million({chunk_size})"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _n(x: float) -> str:
    """A whole number with thin spaces between thousands."""
    return f"{x:,.0f}".replace(",", "\u202f")


def _row(label: str, r: dict[str, float]) -> str:
    used = r["peak_mb"] - r["before_mb"]
    return (
        f"| {label} | {r['s']:.1f} s | {_n(1e6 / r['s'])} points/s | {_n(r['peak_mb'])} MB | {_n(used)} MB |"
    )


def main() -> None:
    warnings.simplefilter("ignore")
    lay = builtin_layers()
    pts = points(100_000)
    lookup(pts.iloc[:1000], layers=lay)
    t_ours, ours = best_of(lambda: lookup(pts, layers=lay), repeat=3)
    t_gpd, theirs = best_of(lambda: geopandas_chain(pts, lay), repeat=3)
    check_equal(ours, theirs)
    chunked, whole = _child(200_000), _child(1_000_000)
    print(t_ours, t_gpd, chunked, whole)
    n_out = int(ours["code_insee"].isna().sum())
    route = '6 `sjoin(predicate="intersects")` + 4 `sjoin_nearest`'
    write_section(
        "lookup",
        f"""## « Qu'y a-t-il ici ? » for many points ({machine()})

100 000 points (centroids of invented footprints over the basin, {n_out} outside the Nord and the
Pas-de-Calais) looked up against the mirror's layers, warm, best of 3; answers asserted equal
(codes exactly, distances to 1e-6 m): commune, IRIS, QPV, UNESCO element and buffer zone, cité
(the lowest code where polygons overlap), and the distance to the nearest QPV, station, main
centre and friche site.

| step | erbm_geo `lookup` | plain geopandas | ratio | geopandas route |
|---|---|---|---|---|
| 100 000 points, every answer | {t_ours:.2f} s | {t_gpd:.2f} s | {t_gpd / t_ours:.1f}× | {route} |

A million points, each run in a fresh process (layers loaded and warm before the clock starts):

| chunks | time | throughput | peak memory of the process | of which the lookup |
|---|---|---|---|---|
{_row("200 000 points (default)", chunked)}
{_row("one chunk of 1 000 000", whole)}""",
    )


if __name__ == "__main__":
    main()
