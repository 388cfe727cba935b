"""HTML weight of the default basin map against geopandas ``explore()`` of the same layers.

Run: ``python -m benchmarks.bench_maps`` (writes the ``maps`` section of docs/benchmarks.md).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import erbm_geo as eg
from benchmarks._common import machine, write_section


def explore_size() -> tuple[int, int]:
    """geopandas explore() of communes, QPV, cités, UNESCO property and buffer, rail lines."""
    layers = [
        eg.layers.communes(),
        eg.layers.qpv(),
        eg.layers.cites(),
        eg.layers.bien_inscrit(),
        eg.layers.zone_tampon(),
        eg.layers.rail_lines(territory="bassin_minier"),
    ]
    m = None
    for g in layers:
        m = g.explore(m=m)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "explore.html"
        m.save(p)
        return p.stat().st_size, len(layers)


def main() -> None:
    size_explore, n = explore_size()
    t = time.perf_counter()
    m = eg.maps.basin_map()
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "basin.html"
        eg.maps.to_html(m, p)
        ours = p.stat().st_size
    t_build = time.perf_counter() - t
    assets = len(eg.maps.interactive._assets().encode())
    print(f"explore {size_explore / 1e6:.2f} MB, erbm_geo {ours / 1e6:.2f} MB")
    explore_row = (
        f"| geopandas `explore()` of communes, QPV, cités, UNESCO property and buffer, "
        f"rail lines | {n} | {size_explore / 1e6:.2f} MB | no (Leaflet and plugins "
        "from CDNs) |"
    )
    ours_row = (
        f"| `erbm_geo.maps.basin_map()` — the same plus EPCI and stations, popups, legends, "
        f"search | 8 | **{ours / 1e6:.2f} MB** (of which {assets / 1e3:.0f} KB of "
        "inlined Leaflet + runtime) | yes |"
    )
    write_section(
        "maps",
        f"""## Map weight ({machine()})

| map | layers | HTML size | works offline |
|---|---|---|---|
{explore_row}
{ours_row}

Built in {t_build:.1f} s (layers cached). Simplification is coverage-preserving for communes and
EPCI (25 m), coordinates are quantised to 1e-5° and delta-encoded.""",
    )


if __name__ == "__main__":
    main()
