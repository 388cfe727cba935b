"""The notebooks are committed executed, hold exactly the generator's cells, show no absolute
path, and run again top to bottom on the mirror (their own assertions included)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "scripts" / "make_notebooks.py")
assert _spec is not None and _spec.loader is not None
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)

ABSOLUTE = re.compile(r"(/tmp/|/home/|/root/|/work/|/Users/|[A-Z]:\\\\|site-packages)")


def test_the_notebooks_are_the_generators() -> None:
    assert [p.name for p in NOTEBOOKS] == sorted(make.NOTEBOOKS)
    for path in NOTEBOOKS:
        committed = nbformat.read(path, as_version=4)
        expected = make.build(path.name)
        assert [(c.cell_type, c.source) for c in committed.cells] == [
            (c.cell_type, c.source) for c in expected.cells
        ], f"{path.name}: regenerate with python scripts/make_notebooks.py"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_with_outputs_and_no_absolute_path(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "commit the notebook executed"
    assert sum(bool(c.outputs) for c in code) >= len(code) - 1  # tables, plots, maps
    for c in code:
        for out in c.outputs:
            assert out.output_type != "error", out
            texts = [out.get("text", "")] + [
                v for k, v in out.get("data", {}).items() if k.startswith("text/") and isinstance(v, str)
            ]
            for text in texts:
                assert not ABSOLUTE.search(text), (path.name, ABSOLUTE.search(text))


def test_a_story_per_notebook() -> None:
    """Each notebook shows what a reader expects: a printed map, a chart, an interactive map."""
    shown = {
        p.name: [
            k
            for c in nbformat.read(p, as_version=4).cells
            if c.cell_type == "code"
            for o in c.outputs
            for k in o.get("data", {})
        ]
        for p in NOTEBOOKS
    }
    assert "image/png" in shown["01_territory_tour.ipynb"]
    # the folium map is drawn when the notebook runs (test_notebook_runs); the committed notebook
    # holds a note instead of its embedded data
    assert any(
        make.MAP_NOT_STORED in "".join(o.get("data", {}).get("text/plain", ""))
        for c in nbformat.read(NOTEBOOKS[1], as_version=4).cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert shown["03_indicators.ipynb"].count("image/png") >= 2  # histogram and EPCI chart
    assert shown["04_publishing_maps_and_the_atlas.ipynb"].count("image/png") >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path: Path) -> None:
    nb = make.build(path.name)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
