"""Numpydoc validation of erbm_geo's public API (a pre-commit hook, run in CI and by the tests).

The public API is what the API reference documents: the ``__all__`` of every module named by a
``::: module`` line in ``docs/reference/*.md``, plus the ``__all__`` of the subpackages. Each of
those objects is validated with ``numpydoc.validate`` against the checks listed under
``[tool.numpydoc_validation]`` in ``pyproject.toml``, and two rules numpydoc does not check:

* a function that can raise (its body, or a function of erbm_geo it calls outside a ``try``
  that catches library errors, has a ``raise``; found by reading the package's syntax trees)
  documents a ``Raises`` section;
* exception classes need no Examples section (they are raised, not called).

Usage: ``python scripts/check_docstrings.py`` — prints one line per finding, exits 1 if any.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

from numpydoc.docscrape import FunctionDoc
from numpydoc.validate import validate

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "erbm_geo"
SUBPACKAGES = ("geom", "data", "layers", "indicators", "maps", "atlas", "raster")


def public_modules() -> list[str]:
    """Return the modules the API reference documents, then the subpackages."""
    mods: list[str] = []
    for md in sorted((ROOT / "docs" / "reference").glob("*.md")):
        mods += re.findall(r"^::: ([\w.]+)", md.read_text(encoding="utf-8"), re.M)
    return mods + [f"erbm_geo.{p}" for p in SUBPACKAGES]


def public_objects() -> dict[str, object]:
    """Return every public function and class, by the dotted name of its definition."""
    found: dict[str, object] = {}
    for name in public_modules():
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found.setdefault(f"{obj.__module__}.{obj.__qualname__}", obj)
    return found


# --- which functions can raise (read from the syntax trees, followed through imports) -------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class _Module:
    def __init__(self, name: str, tree: ast.Module) -> None:
        self.name = name
        self.defs: dict[str, ast.FunctionDef] = {}
        self.imported: dict[str, tuple[str, str]] = {}  # local name -> (module, name)
        self.modules: dict[str, str] = {}  # local alias -> module
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                self.defs[node.name] = node
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("erbm_geo"):
                for a in node.names:
                    self.imported[a.asname or a.name] = (node.module, a.name)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("erbm_geo"):
                        self.modules[a.asname or a.name] = a.name


def _modules() -> dict[str, _Module]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        out[name] = _Module(name, ast.parse(path.read_text(encoding="utf-8")))
    return out


def _resolve(mods: dict[str, _Module], module: str, name: str, depth: int = 0) -> str | None:
    """Return ``module.name`` where the function *name* seen in *module* is defined."""
    m = mods.get(module)
    if m is None or depth > 5:
        return None
    if name in m.defs:
        return f"{module}.{name}"
    if name in m.imported:
        src, orig = m.imported[name]
        if f"{src}.{orig}" in mods:  # a submodule, not a function
            return None
        return _resolve(mods, src, orig, depth + 1)
    return None


#: Exception names whose ``except`` handler is taken to catch what a call raises.
_CATCHING = {"Exception"} | {
    n for n in dir(importlib.import_module("erbm_geo.errors")) if n.endswith("Error")
}


def _handled(fn: ast.FunctionDef) -> set[int]:
    """Return the ids of the calls made inside a ``try`` that catches a library error."""
    out: set[int] = set()
    for node in ast.walk(fn):
        if not isinstance(node, ast.Try):
            continue
        caught = {
            n.id if isinstance(n, ast.Name) else getattr(n, "attr", "")
            for h in node.handlers
            if h.type is not None
            for n in ast.walk(h.type)
        }
        if caught & _CATCHING:
            out |= {id(c) for stmt in node.body for c in ast.walk(stmt) if isinstance(c, ast.Call)}
    return out


def _calls(mods: dict[str, _Module], m: _Module, fn: ast.FunctionDef) -> Iterator[str]:
    handled = _handled(fn)
    for node in (n for stmt in fn.body for n in ast.walk(stmt)):  # not the decorators
        if not isinstance(node, ast.Call) or id(node) in handled:
            continue
        f = node.func
        target = None
        if isinstance(f, ast.Name):
            target = _resolve(mods, m.name, f.id)
        elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            alias = f.value.id
            module = m.modules.get(alias)
            if module is None and alias in m.imported:
                src, orig = m.imported[alias]
                module = f"{src}.{orig}" if f"{src}.{orig}" in mods else None
            if module is not None:
                target = _resolve(mods, module, f.attr)
        if target is not None:
            yield target


def raising_functions() -> set[str]:
    """Return the module-level functions of erbm_geo that can raise, directly or through a call."""
    mods = _modules()
    direct: set[str] = set()
    graph: dict[str, set[str]] = {}
    for m in mods.values():
        for name, fn in m.defs.items():
            key = f"{m.name}.{name}"
            if any(isinstance(n, ast.Raise) for n in ast.walk(fn)):
                direct.add(key)
            graph[key] = set(_calls(mods, m, fn))
    raising = set(direct)
    changed = True
    while changed:
        changed = False
        for key, callees in graph.items():
            if key not in raising and callees & raising:
                raising.add(key)
                changed = True
    return raising


# --- the validation -----------------------------------------------------------------------


def checks() -> set[str]:
    """Return the numpydoc checks enabled in pyproject.toml (``all`` minus the listed ones)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["numpydoc_validation"]["checks"])
    if "all" not in listed:
        return listed
    from numpydoc.validate import ERROR_MSGS

    return set(ERROR_MSGS) - (listed - {"all"})


def findings() -> list[str]:
    """Return one line per docstring problem of the public API."""
    enabled = checks()
    raising = raising_functions()
    out = []
    for full, obj in sorted(public_objects().items()):
        is_exception = inspect.isclass(obj) and issubclass(obj, BaseException)
        report = validate(full)
        for code, message in report["errors"]:
            if code in enabled and not (is_exception and code == "EX01"):
                out.append(f"{full}: {code} {message}")
        if inspect.isfunction(obj) and full in raising and not FunctionDoc(obj)["Raises"]:
            out.append(
                f"{full}: RA01 can raise (it or a function it calls has a raise) but has no Raises section"
            )
    return out


def main() -> int:
    """Print the findings; return the exit status."""
    problems = findings()
    for line in problems:
        print(line)
    n = len(public_objects())
    print(f"{n} public objects, {len(problems)} docstring problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
