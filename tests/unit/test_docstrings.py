"""The public API's docstrings pass numpydoc validation (scripts/check_docstrings.py), and the
checker itself notices a missing section and a function that can raise without saying so."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_docstrings", ROOT / "scripts" / "check_docstrings.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_docstrings"] = module
    spec.loader.exec_module(module)
    return module


def test_the_public_api_is_documented(checker: ModuleType) -> None:
    assert len(checker.public_objects()) > 200
    assert checker.findings() == []


def test_raising_functions_are_found_through_calls(checker: ModuleType) -> None:
    raising = checker.raising_functions()
    assert "erbm_geo.geom.threads.n_threads" in raising  # its own raise
    assert "erbm_geo.geom.kernels.pair_areas" in raising  # through chunked → n_threads
    assert "erbm_geo.maps.style.fmt_number" not in raising
    assert "erbm_geo.data.resolve.verify" not in raising  # calls resolve inside try/except


def _undocumented(x: int) -> int:
    """Return x."""
    if x < 0:
        raise ValueError("negative")
    return x


def test_a_bare_docstring_is_reported(checker: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"{__name__}._undocumented"
    monkeypatch.setattr(checker, "public_objects", lambda: {name: _undocumented})
    monkeypatch.setattr(checker, "raising_functions", lambda: {name})
    codes = {line.split(": ")[1].split()[0] for line in checker.findings()}
    assert {"PR01", "RT01", "EX01", "RA01"} <= codes
