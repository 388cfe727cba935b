"""The doctests run without the data mirror: every example of a function over GeoDataFrames
uses the invented layers of erbm_geo.examples; only the loaders of the real territory (and the
few examples that draw it) wait for the mirror, and are skipped, not failed, without it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_doctests_pass_with_no_mirror_and_no_network(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ERBM_GEO_DATA": str(tmp_path / "no-mirror"),
        "ERBM_GEO_MIRROR_URL": "",
        "ERBM_GEO_CACHE": str(tmp_path / "cache"),
        "ERBM_GEO_REQUIRE_MIRROR": "",
    }
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "erbm_geo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = r.stdout.strip().splitlines()[-1]
    assert r.returncode == 0, r.stdout[-3000:]
    passed = int(re.search(r"(\d+) passed", summary).group(1))  # type: ignore[union-attr]
    assert "failed" not in summary and passed >= 140, summary
