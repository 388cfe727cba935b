"""Build time and weight of the atlas (250 portraits included), cold and warm, fresh processes.

Run: ``python -m benchmarks.bench_atlas`` (writes the ``atlas`` section of docs/benchmarks.md).
Cold: empty layer cache (sources read, repaired, every table computed). Warm: the layer cache
filled by a previous build. Each build runs in a new Python process, imports included.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import checkout, machine, write_section
from erbm_geo import settings

CODE = "import erbm_geo.atlas as a, sys; a.build_atlas(sys.argv[1])"

#: The last commit before this round's new pages (population over time, friche sites: cfb9ef0):
#: its warm build is the baseline the round's growth is measured against, in the same run.
BASELINE = "8031279"


def _build(out: Path, cache: str, code: Path | None = None) -> float:
    """Build the atlas into *out* in a fresh process; *code*: another checkout of erbm_geo to run."""
    env = {**os.environ, "ERBM_GEO_CACHE": cache, "SOURCE_DATE_EPOCH": "1795996800"}
    if code is not None:  # its package first on the path, the same data and interpreter
        env["PYTHONPATH"] = str(code)
        env["ERBM_GEO_DATA"] = str(settings.data_dir)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-W", "ignore", "-c", CODE, str(out)],
        env=env,
        check=True,
        capture_output=True,
        cwd=code,
    )
    return time.perf_counter() - t


def _baseline(root: Path) -> tuple[float, int]:
    """Return the warm build time (best of 3) and page count of the :data:`BASELINE` commit."""
    code = checkout(BASELINE, root / "baseline")
    cache = str(root / "cache-baseline")
    _build(root / "b0", cache, code)
    warm = min(_build(root / f"b{i}", cache, code) for i in range(1, 4))
    return warm, len(list((root / "b1").rglob("*.html")))


def _kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB".replace(",", "\u202f")


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        cache = str(root / "cache")
        cold = _build(root / "a0", cache)
        warm = min(_build(root / f"a{i}", cache) for i in range(1, 4))
        base, base_pages = _baseline(root)
        out = root / "a1"
        files = [p for p in out.rglob("*") if p.is_file()]
        sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in files}
    pages = {k: v for k, v in sizes.items() if k.endswith(".html")}
    portraits = [
        v
        for k, v in pages.items()
        if k.startswith("communes/") and k[9:14].isalnum() and k != "communes/index.html"
    ]
    shared = [k for k in sizes if k.startswith("assets/") and not k.startswith("assets/cartes/")]
    assets = sum(sizes[k] for k in shared)
    maps = {k: v for k, v in sizes.items() if k.startswith("assets/cartes/")}  # one per page with a map
    biggest_map = max(maps, key=maps.__getitem__)
    data = sum(v for k, v in sizes.items() if k.startswith("donnees/"))
    biggest = max(pages, key=pages.__getitem__)
    total = sum(sizes.values())
    growth = warm / base - 1
    print(
        f"atlas: cold {cold:.1f} s, warm {warm:.1f} s ({growth:+.0%} on {BASELINE}: {base:.1f} s), "
        f"{len(pages)} pages, {total / 1e6:.1f} MB"
    )
    n_ind = len([k for k in pages if k.startswith("indicateurs/")]) - 1  # less the index
    write_section(
        "atlas",
        f"""## Atlas ({machine()})

The full atlas — home, 250 commune portraits, 8 EPCI pages, {n_ind}
indicator pages, downloads and sources; {len(pages)} pages — built by `erbm_geo.atlas.build_atlas`
in a fresh process (imports included):

| build | time |
|---|---|
| cold (empty layer cache) | **{cold:.1f} s** |
| warm (layer cache filled), best of 3 | **{warm:.1f} s** |
| warm, before this round's new pages ({BASELINE}, {base_pages} pages), best of 3 | {base:.1f} s |
| growth of the warm build with this round's pages | **{growth:+.0%}** |

| weight | |
|---|---|
| whole atlas (downloads included) | {total / 1e6:.1f} MB |
| shared assets (`assets/`: stylesheet, Leaflet + map runtime, offline context, search) | {_kb(assets)} |
| downloads (`donnees/`) | {_kb(data)} |
| largest page (`{biggest}`) | {_kb(pages[biggest])} |
| portraits: largest / mean | {_kb(max(portraits))} / {_kb(sum(portraits) / len(portraits))} |
| maps' data (`assets/cartes/`, {len(maps)} scripts): all / largest (`{biggest_map}`) \
| {_kb(sum(maps.values()))} / {_kb(maps[biggest_map])} |

Leaflet and the map runtime are one shared file; each page's map data is a script of its own,
loaded after the page's text is shown (the page weights above leave it out). The
indicator table is computed once for the basin and the ERBM communes together, the EPCI are
dissolved once, geometries are simplified once per layer and each portrait takes its features by
position; class breaks are a numpy Fisher-Jenks (no mapclassify, no matplotlib).""",
    )


if __name__ == "__main__":
    main()
