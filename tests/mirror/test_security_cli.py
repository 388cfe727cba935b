"""The CLI's map title is inert text on the real basin.

The synthetic sinks are in tests/unit/test_security_templates.py.
"""

from __future__ import annotations

from pathlib import Path

from tests.payloads import PAYLOADS


def test_cli_title_is_inert(tmp_path: Path) -> None:
    from erbm_geo.cli import main

    title = PAYLOADS["rce"] + " " + PAYLOADS["mathtext"]
    assert main(["-q", "map", "--layer", "epci", "--title", title, "--out", str(tmp_path / "e.png")]) == 0
    assert main(["-q", "map", "--layer", "epci", "--title", title, "--out", str(tmp_path / "e.html")]) == 0
    assert (tmp_path / "e.png").stat().st_size > 10_000
