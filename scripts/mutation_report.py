"""Summarise a mutmut run (``bash scripts/dev.sh mutation``): score per module and survivors.

Reads the ``mutants/**/*.meta`` files mutmut 3 writes; prints the score (killed / tested) per
module and overall, and with ``--survivors`` each surviving mutant's changed lines, so they can
be examined and either killed by a test or listed as equivalent in docs/mutation.md.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
from collections import Counter
from pathlib import Path


def _functions(source: str) -> dict[str, str]:
    lines = source.splitlines()
    return {n.name: "\n".join(lines[n.lineno - 1:n.end_lineno]) for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.FunctionDef) and "__mutmut_" in n.name}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--survivors", action="store_true", help="print each survivor's diff")
    ap.add_argument("--root", default="mutants", help="mutmut's working folder")
    args = ap.parse_args()
    total: Counter[str] = Counter()
    killed: Counter[str] = Counter()
    untested: Counter[str] = Counter()
    survivors: list[tuple[str, list[str]]] = []
    # mutmut's exit codes: 0 survived, 33 no test reaches the mutant (counted as surviving),
    # anything else (1 a test failed, -24 timeout…) killed
    for meta in sorted(Path(args.root).rglob("*.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        module = str(meta.relative_to(args.root))[:-len(".py.meta")].replace("/", ".")
        funcs = _functions(meta.with_suffix("").read_text()) if args.survivors else {}
        for key, code in codes.items():
            if code is None:  # not run (yet)
                continue
            total[module] += 1
            if code == 33:  # no test reaches it: a survivor
                untested[module] += 1
            elif code != 0:
                killed[module] += 1
                continue
            if not args.survivors:
                continue
            name = key.split(".")[-1]
            base = name.split("__mutmut_")[0]
            orig = funcs.get(base + "__mutmut_orig", "").replace(base + "__mutmut_orig", "f")
            mut = funcs.get(name, "").replace(name, "f")
            diff = [ln for ln in difflib.unified_diff(orig.splitlines(), mut.splitlines(),
                                                      lineterm="", n=0)
                    if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
            survivors.append((f"{module}:{base.removeprefix('x_').removeprefix('x')}", diff))
    print(f"{'module':42s} {'mutants':>7s} {'killed':>7s} {'score':>6s} {'no test':>8s}")
    for m in sorted(total):
        print(f"{m:42s} {total[m]:7d} {killed[m]:7d} {killed[m] / total[m]:6.1%} "
              f"{untested[m]:8d}")
    t, k = sum(total.values()), sum(killed.values())
    print(f"{'all':42s} {t:7d} {k:7d} {k / max(t, 1):6.1%} {sum(untested.values()):8d}")
    for where, diff in survivors:
        print(f"\n## {where}")
        for line in diff:
            print("   ", line.strip()[:160])


if __name__ == "__main__":
    main()
