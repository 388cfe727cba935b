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
import re
from collections import Counter
from pathlib import Path

#: Survivors that cannot change a result, recognised from the mutated line, with the reason.
#: Everything else is a gap of the tests and is listed as such.
EQUIVALENT: list[tuple[str, str]] = [
    (
        r"\.get\((None|\"XX|\"[A-Z_]+\")|derived\[\"(XX|[A-Z])|derived\.get\((None|\"XX|\"[A-Z])"
        r"|key = \(\"(XX|[A-Z])",
        "key of a remembered structure: any key works as long as it is unique",
    ),
    (
        r"src_tree|tgt_tree|contains_properly\(None|shapely\.prepare\(None\)|redo = |rest = ~a_in_b"
        r"|rest \|= ~a_in_b|len\(tgt\) <=? len\(src\)|memo_for\(None\)\.get_tree\(\)",
        "performance path only: the same result by a slower route (an index or shortcut skipped)",
    ),
    (
        r"if \(dims (!= 0|== 1)\)\.all\(\)|lines = np\.where\((None|dims == 3)",
        "targets kept whole instead of cut into segments: the same distances, found more slowly",
    ),
    (
        r"3e5|300001|s_lo [-+] [12]\.0|s_hi [-+] [12]\.0|axis=None\)",
        "extent of the Voronoi diagram: any extent holding the sources gives the same cells",
    ),
    (r"strict=(None|False)|zip\(.*, \)", "zip(strict=…): the sequences have the same length by construction"),
    (
        r"if n == 0 and |if len\(\w+\) == 0 and len|if \(len\(si\)\) or True|\(sel\.any\(\)\) or True"
        r"|if \(len\(lists\)\) or True",
        "guard for empty inputs: the general code gives the same empty result",
    ),
    (
        r"name: str = \"(XX|[A-Z])"
        r"|(prepare|prepare_target|check_\w+|_check_\w+|to_working_crs|_checked_codes)\([^)]*(name=None|name=\"(XX|[A-Z])|builtin=)|(prepare|check_unique_columns|to_working_crs"
        r"|check_geometries|check_valid_subset|_check_communes)\(\w+, (\w+=\w+, )*\)"
        r"|\"XXthe |\"THE "
        r"|builtin=(None|\"XX|\"[A-Z])",
        "wording or name in a message only",
    ),
]


def _functions(source: str) -> dict[str, str]:
    lines = source.splitlines()
    return {
        n.name: "\n".join(lines[n.lineno - 1 : n.end_lineno])
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.FunctionDef) and "__mutmut_" in n.name
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--survivors", action="store_true", help="print each survivor's diff")
    ap.add_argument("--root", default="mutants", help="mutmut's working folder")
    ap.add_argument(
        "--markdown",
        action="store_true",
        help="the results section of docs/mutation.md (score, equivalents, gaps)",
    )
    args = ap.parse_args()
    total: Counter[str] = Counter()
    killed: Counter[str] = Counter()
    untested: Counter[str] = Counter()
    survivors: list[tuple[str, list[str]]] = []
    # mutmut's exit codes: 0 survived, 33 no test reaches the mutant (counted as surviving),
    # anything else (1 a test failed, -24 timeout…) killed
    for meta in sorted(Path(args.root).rglob("*.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        module = str(meta.relative_to(args.root))[: -len(".py.meta")].replace("/", ".")
        funcs = _functions(meta.with_suffix("").read_text()) if args.survivors or args.markdown else {}
        for key, code in codes.items():
            if code is None:  # not run (yet)
                continue
            total[module] += 1
            if code == 33:  # no test reaches it: a survivor
                untested[module] += 1
            elif code != 0:
                killed[module] += 1
                continue
            if not (args.survivors or args.markdown):
                continue
            name = key.split(".")[-1]
            base = name.split("__mutmut_")[0]
            orig = funcs.get(base + "__mutmut_orig", "").replace(base + "__mutmut_orig", "f")
            mut = funcs.get(name, "").replace(name, "f")
            diff = [
                ln
                for ln in difflib.unified_diff(orig.splitlines(), mut.splitlines(), lineterm="", n=0)
                if ln[:1] in "+-" and not ln.startswith(("+++", "---"))
            ]
            survivors.append((f"{module}:{base.removeprefix('x_').removeprefix('x')}", diff))
    if args.markdown:
        _markdown(total, killed, survivors)
        return
    print(f"{'module':42s} {'mutants':>7s} {'killed':>7s} {'score':>6s} {'no test':>8s}")
    for m in sorted(total):
        print(f"{m:42s} {total[m]:7d} {killed[m]:7d} {killed[m] / total[m]:6.1%} {untested[m]:8d}")
    t, k = sum(total.values()), sum(killed.values())
    print(f"{'all':42s} {t:7d} {k:7d} {k / max(t, 1):6.1%} {sum(untested.values()):8d}")
    for where, diff in survivors:
        print(f"\n## {where}")
        for line in diff:
            print("   ", line.strip()[:160])


def _reason(diff: list[str]) -> str | None:
    added = " ".join(ln for ln in diff if ln.startswith("+"))
    for pattern, reason in EQUIVALENT:
        if re.search(pattern, added):
            return reason
    return None


def _debug(survivors: list[tuple[str, list[str]]]) -> None:
    for where, diff in survivors:
        print(_reason(diff), "|", where, "|", " / ".join(ln for ln in diff if ln.startswith("+")))


def _markdown(total: Counter[str], killed: Counter[str], survivors: list[tuple[str, list[str]]]) -> None:
    reasons: Counter[str] = Counter()
    gaps: list[tuple[str, list[str]]] = []
    for where, diff in survivors:
        r = _reason(diff)
        if r is None:
            gaps.append((where, diff))
        else:
            reasons[r] += 1
    t, k, e = sum(total.values()), sum(killed.values()), sum(reasons.values())
    print(
        f"**{k} of {t} mutants killed ({k / t:.1%}); {e} of the {t - k} survivors are equivalent "
        f"(they cannot change a result), so the score over non-equivalent mutants is "
        f"{k / (t - e):.1%}.**\n"
    )
    print("| module | mutants | killed | score |\n|---|---|---|---|")
    for m in sorted(total):
        print(f"| `{m}` | {total[m]} | {killed[m]} | {killed[m] / total[m]:.1%} |")
    print("\n### Equivalent survivors\n\n| why they survive | mutants |\n|---|---|")
    for r, n in reasons.most_common():
        print(f"| {r} | {n} |")
    print(f"\n### Test gaps ({len(gaps)} survivors)\n")
    print(
        "Mutants no test kills, although they could change a result in some input; each is a test to write.\n"
    )
    for where, diff in gaps:
        change = " / ".join(ln[1:].strip() for ln in diff if ln.startswith("+"))[:150]
        print(f"- `{where}`: `{change}`")


if __name__ == "__main__":
    main()
