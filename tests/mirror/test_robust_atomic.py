"""Robustness 5: an interrupted atlas build keeps the previous pages (interrupted single writes:
test_robust_exports.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_interrupted_atlas_keeps_previous_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import erbm_geo.atlas.build as atlas

    (tmp_path / "index.html").write_text("old atlas", "utf-8")
    monkeypatch.setattr(atlas, "_home", lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        atlas.build_atlas(tmp_path, basemap=None)
    assert (tmp_path / "index.html").read_text("utf-8") == "old atlas"
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()]
