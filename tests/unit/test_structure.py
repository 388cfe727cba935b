"""The package stays in rooms a newcomer can find: short functions, imports that run downward."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "erbm_geo"
MAX_LINES = 80

#: What each part of the package may import (data flows one way; see docs/architecture.md).
LAYERS = [
    ("errors", "settings", "_"),  # leaves: errors, settings and the private helpers
    ("geom",),
    ("data",),
    ("vocabulary",),
    ("layers",),
    ("indicators", "lookup"),
    ("maps", "raster", "export", "examples", "synthetic"),
    ("atlas",),
    ("cli", "cli_lookup"),
]


def _body_lines(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    first = fn.body[0]
    is_doc = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    start = first.end_lineno + 1 if is_doc and len(fn.body) > 1 else fn.lineno
    return int(fn.end_lineno or fn.lineno) - int(start or fn.lineno) + 1


def test_no_function_is_longer_than_80_lines() -> None:
    long = []
    for p in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _body_lines(node) > MAX_LINES:
                long.append(f"{p.relative_to(ROOT)}:{node.lineno} {node.name} ({_body_lines(node)} lines)")
    assert not long, "functions over 80 lines (docstring aside): " + "; ".join(long)


def _level(module: str) -> int:
    part = module.split(".")[1] if module.count(".") else ""
    for i, names in enumerate(LAYERS):
        if part in names or (part.startswith("_") and "_" in names) or part in ("", "_version"):
            return i if part else 0
    raise AssertionError(f"{module} is in no layer of the test's map: add it")


def test_imports_run_downward() -> None:
    upward = []
    for p in sorted(ROOT.rglob("*.py")):
        rel = p.relative_to(ROOT.parent).with_suffix("")
        me = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        if me == "erbm_geo":
            continue
        for node in ast.walk(ast.parse(p.read_text("utf-8"))):
            is_ours = isinstance(node, ast.ImportFrom) and (node.module or "").startswith("erbm_geo.")
            if is_ours and _level(str(node.module)) > _level(me):  # type: ignore[union-attr]
                upward.append(f"{me} imports {node.module} (line {node.lineno})")  # type: ignore[union-attr]
    assert not upward, "imports that run upward: " + "; ".join(upward)


def _bare_all(tree: ast.AST) -> list[int]:
    """Lines of assertions on ``x.all()``: true for an empty selection, so they can pass vacuously."""
    return [
        n.lineno
        for a in ast.walk(tree)
        if isinstance(a, ast.Assert)
        for n in ast.walk(a.test)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "all"
        and not n.args
    ]


def test_no_test_asserts_a_bare_all() -> None:
    """Every ``assert x.all()`` goes through ``tests.checks.every``, which fails on nothing."""
    tests = ROOT.parent / "tests"
    found = [
        f"{f.relative_to(tests)}:{line}"
        for f in sorted(tests.rglob("*.py"))
        for line in _bare_all(ast.parse(f.read_text()))
    ]
    assert not found, f"use tests.checks.every(…) instead of .all() in: {found}"
    assert _bare_all(ast.parse("assert (x > 0).all()")) == [1]  # the walk finds the pattern


_BUILTIN_CALLABLES = {"len", "str", "sum", "max", "min", "list", "tuple", "set", "sorted", "any", "all"}


def _python_per_row(call: ast.Call) -> bool:
    """A pandas ``.apply``, or an ``.agg``/``.aggregate``/``.transform``/``.map`` given a Python
    callable (a lambda, a builtin, a string method such as ``";".join``): Python run per row or
    per group."""
    if not isinstance(call.func, ast.Attribute):
        return False
    if call.func.attr == "apply":
        return True
    if call.func.attr not in ("agg", "aggregate", "transform", "map") or not call.args:
        return False
    arg = call.args[0]
    return (
        isinstance(arg, ast.Lambda)
        or (isinstance(arg, ast.Name) and arg.id in _BUILTIN_CALLABLES)
        or (isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Constant))
    )


def test_no_python_callable_over_features_in_the_core_and_indicators() -> None:
    """#31: the geometry core and the indicators never run Python per feature through pandas
    (``.apply``, ``.agg(";".join)``…): a million features would spend most of their time there."""
    found = []
    for part in ("geom", "indicators"):
        for p in sorted((ROOT / part).rglob("*.py")):
            for node in ast.walk(ast.parse(p.read_text("utf-8"))):
                if isinstance(node, ast.Call) and _python_per_row(node):
                    found.append(f"{p.relative_to(ROOT)}:{node.lineno}")
    assert not found, "Python callables over features: " + "; ".join(found)
