"""Run :mod:`tests.qgis_probe` in real QGIS: Debian's python3 with python3-qgis, offscreen."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

PYTHON = "/usr/bin/python3"
PROBE = Path(__file__).with_name("qgis_probe.py")


def _has_qgis() -> bool:
    if not Path(PYTHON).exists():
        return False
    r = subprocess.run([PYTHON, "-c", "import qgis.core"], capture_output=True, check=False)
    return r.returncode == 0


HAS_QGIS = _has_qgis()

#: Skip a test without QGIS (``bash scripts/dev.sh test`` installs it, so CI runs them all).
needs_qgis = pytest.mark.skipif(
    not HAS_QGIS, reason="Debian python3-qgis is not installed (bash scripts/dev.sh test installs it)"
)


def probe(*args: str | Path) -> dict[str, Any]:
    """Return what QGIS reports (see tests/qgis_probe.py), failing with QGIS's own messages."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": "", "PYTHONHOME": ""}
    env.pop("PYTHONHOME")
    r = subprocess.run(
        [PYTHON, str(PROBE), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
    assert r.returncode == 0 and lines, f"QGIS failed ({r.returncode}): {r.stderr[-2000:]}"
    return dict(json.loads(lines[-1]))
