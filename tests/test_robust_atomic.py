"""Robustness 5: interrupted writes never leave a half-written file."""

from __future__ import annotations

from pathlib import Path

import pytest

from erbm_geo.export import write_atomic


def test_interrupted_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("previous complete version", "utf-8")

    def crash(p: Path) -> None:
        p.write_text("half a fi", "utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, crash)
    assert target.read_text("utf-8") == "previous complete version"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_interrupted_atlas_keeps_previous_pages(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import erbm_geo.maps.atlas as atlas

    (tmp_path / "index.html").write_text("old atlas", "utf-8")
    monkeypatch.setattr(atlas, "basin_map", lambda **_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        atlas.build_atlas(tmp_path, basemap=None)
    assert (tmp_path / "index.html").read_text("utf-8") == "old atlas"
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()]
