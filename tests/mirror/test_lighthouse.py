"""Lighthouse on the atlas as a partner's browser loads it: accessibility and best practices 100,
SEO at least 95, on the home page, a portrait, an EPCI page, an indicator page and the sources;
performance at least 90 on the first four (#31: each page's map and its half-megabyte of scripts
are asked for once the page's text is painted, and the map is drawn in short steps). Performance
is a simulation from one observed load: a page under 90 is audited again, up to twice, and its
best run counts (the machine running the suite may be busy).

The atlas is served on 127.0.0.1 (Lighthouse audits pages over HTTP), every other host refused;
the scores of every category, performance included, are written to
``test-artifacts/lighthouse.json``.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "build" / "node" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = shutil.which("chromium")
PAGES = (
    "index.html",
    "communes/62498.html",
    "epci/200042190.html",
    "indicateurs/qpv_share.html",
    "sources.html",
)
FAST = PAGES[:4]  # the home page, a portrait, an EPCI page and an indicator page
PERFORMANCE = 0.9

pytestmark = pytest.mark.skipif(
    not LIGHTHOUSE.exists() or CHROMIUM is None,
    reason="Lighthouse (npm) or Chromium is missing (bash scripts/dev.sh test installs both)",
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Say nothing: the test reads Lighthouse's report, not the server's log."""


@pytest.fixture(scope="module")
def served(atlas_dir: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(atlas_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def _lighthouse(url: str, out: Path) -> dict[str, object]:
    flags = "--headless --no-sandbox --disable-gpu --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'"
    run = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            f"--chrome-flags={flags}",
            "--output=json",
            f"--output-path={out}",
            "--only-categories=accessibility,best-practices,seo,performance",
        ],
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0 and out.is_file(), run.stderr[-2000:]
    return dict(json.loads(out.read_text("utf-8")))


def test_lighthouse_scores(served: str, tmp_path: Path) -> None:
    scores: dict[str, dict[str, float]] = {}
    problems: dict[str, list[str]] = {}
    for page in PAGES:
        for _ in range(3):  # performance is simulated from one load: a busy machine skews it
            report = _lighthouse(f"{served}/{page}", tmp_path / "report.json")
            cats = report["categories"]
            run = {k: float(v["score"]) for k, v in cats.items()}  # type: ignore[union-attr]
            if page not in scores or run["performance"] > scores[page]["performance"]:
                scores[page] = run
            if scores[page]["performance"] >= PERFORMANCE or page not in FAST:
                break
        refs = [r["id"] for k in ("accessibility", "best-practices", "seo") for r in cats[k]["auditRefs"]]  # type: ignore[index]
        audits = report["audits"]
        problems[page] = sorted(
            i
            for i in refs
            if audits[i].get("score") is not None and audits[i]["score"] < 1  # type: ignore[index]
        )
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "lighthouse.json").write_text(
        json.dumps({"scores": scores, "below_1": problems}, indent=1, ensure_ascii=False), "utf-8"
    )
    for page, s in scores.items():
        assert s["accessibility"] == 1 and s["best-practices"] == 1, (page, s, problems[page])
        assert s["seo"] >= 0.95, (page, s, problems[page])
        assert page not in FAST or s["performance"] >= PERFORMANCE, (page, s)
