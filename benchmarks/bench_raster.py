"""Raster surfaces at 100 m, 50 m and 25 m: time and peak memory (writes docs/benchmarks.md).

Run: ``python -m benchmarks.bench_raster``. Each resolution runs in a fresh process so that peak
memory (ru_maxrss) is that resolution's.
"""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks._common import machine, write_section

CODE = """
import json, resource, time, tempfile, pathlib
import erbm_geo as eg
from erbm_geo.raster import basin_grid, distance_to, write_cog, zonal_stats
res = {res}
eg.layers.centres(level="main"); eg.layers.stations(territory="nord_pas_de_calais"); eg.layers.cites()
t = time.perf_counter(); g = basin_grid(resolution=res); t_grid = time.perf_counter() - t
t = time.perf_counter(); arr, g, tags = distance_to("stations", grid=g); t_surf = time.perf_counter() - t
with tempfile.TemporaryDirectory() as d:
    t = time.perf_counter(); write_cog(arr, g, pathlib.Path(d) / "s.tif", tags=tags)
    t_cog = time.perf_counter() - t
t = time.perf_counter(); zonal_stats(arr, g, eg.layers.cites()); t_zonal = time.perf_counter() - t
print(json.dumps(dict(res=res, cells=g.width * g.height, grid=t_grid, surface=t_surf, cog=t_cog,
                      zonal=t_zonal, rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""


def main() -> None:
    rows = []
    for res in (100, 50, 25):
        out = (
            subprocess.run(
                [sys.executable, "-c", CODE.format(res=res)], capture_output=True, text=True, check=True
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        r = json.loads(out)
        print(r)
        rows.append(r)
    lines = "\n".join(
        f"| {r['res']} m | {r['cells']:,} | {r['grid']:.2f} s | {r['surface']:.2f} s | {r['cog']:.2f} s "
        f"| {r['zonal']:.2f} s | {r['rss_mb']:,.0f} MB |".replace(",", "\u202f")
        for r in rows
    )
    write_section(
        "raster",
        f"""## Raster surfaces ({machine()})

Distance to the nearest station over the basin (grid + basin mask, rasterise + Euclidean distance
transform, COG with overviews), then zonal statistics over the 289 cités (exact partial cells).
Peak memory of the whole process (includes the loaded layers).

| resolution | cells | grid + mask | surface | COG | zonal (289 cités) | peak memory |
|---|---|---|---|---|---|---|
{lines}""",
    )


if __name__ == "__main__":
    main()
