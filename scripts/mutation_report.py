"""Summarise a mutmut run (``bash scripts/dev.sh mutation``): score per module and survivors.

Reads the ``mutants/**/*.meta`` files mutmut 3 writes and the hand-reviewed list of equivalent
mutants in docs/mutation.md (between ``<!-- mutation:equivalents -->`` markers: one table row per
mutant, its mutmut id, the change it makes and why it cannot change a result). A survivor is
equivalent only when its id is in that list *and* its change is the recorded one: when the code
moves and mutmut numbers its mutants differently, the record goes stale and the survivor is
reported as a gap until it is reviewed again. Nothing is excused by a pattern.

``--survivors`` prints each survivor not recorded as equivalent; ``--markdown`` the results
section of docs/mutation.md; ``--stale`` the records that no longer match a survivor.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "mutation.md"
_ROW = re.compile(r"^\| `(?P<id>[\w.]+)` \| `(?P<change>.*)` \| (?P<why>.+?) \|\s*$")


@dataclass(frozen=True)
class Survivor:
    """One surviving mutant: its mutmut id, module, function and the lines it changes."""

    id: str
    module: str
    function: str
    diff: tuple[str, ...]

    @property
    def change(self) -> str:
        """The added lines, on one line (the form recorded in docs/mutation.md)."""
        return " / ".join(ln[1:].strip() for ln in self.diff if ln.startswith("+"))[:150] or "(line removed)"


def equivalents(doc: Path = DOC) -> dict[str, tuple[str, str]]:
    """Return the reviewed equivalent mutants: id -> (recorded change, reason)."""
    text = doc.read_text(encoding="utf-8")
    m = re.search(r"<!-- mutation:equivalents -->(.*?)<!-- /mutation:equivalents -->", text, re.S)
    rows: dict[str, tuple[str, str]] = {}
    for line in (m.group(1) if m else "").splitlines():
        r = _ROW.match(line)
        if r:
            rows[r["id"]] = (r["change"].replace("\\|", "|"), r["why"].strip())
    return rows


def _functions(source: str) -> dict[str, str]:
    lines = source.splitlines()
    return {
        n.name: "\n".join(lines[n.lineno - 1 : n.end_lineno])
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.FunctionDef) and "__mutmut_" in n.name
    }


def _survivor(key: str, module: str, funcs: dict[str, str]) -> Survivor:
    name = key.split(".")[-1]
    base = name.split("__mutmut_")[0]
    orig = funcs.get(base + "__mutmut_orig", "").replace(base + "__mutmut_orig", "f")
    mut = funcs.get(name, "").replace(name, "f")
    diff = tuple(
        ln
        for ln in difflib.unified_diff(orig.splitlines(), mut.splitlines(), lineterm="", n=0)
        if ln[:1] in "+-" and not ln.startswith(("+++", "---"))
    )
    return Survivor(key, module, base.removeprefix("x_").removeprefix("x"), diff)


def collect(root: Path) -> tuple[Counter[str], Counter[str], list[Survivor], Counter[str]]:
    """Return mutants, killed mutants, the survivors and the stopped (timed out) mutants per module.

    A mutant stopped by mutmut's timeout is not counted as killed: on this project a stop is
    not evidence that a test caught the mutant (mutmut's limit is in wall-clock time, and
    mutants whose tests run the dask scheduler can hang in mutmut's forked workers although
    their tests pass; see docs/mutation.md). They are counted apart, neither killed nor survived.
    """
    total: Counter[str] = Counter()
    killed: Counter[str] = Counter()
    stopped: Counter[str] = Counter()
    survivors: list[Survivor] = []
    # mutmut's exit codes: 0 survived, 33 no test reaches the mutant (a survivor too), -24
    # stopped by the timeout (apart), anything else (1 a test failed…) killed
    for meta in sorted(root.rglob("*.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        module = str(meta.relative_to(root))[: -len(".py.meta")].replace("/", ".")
        funcs = _functions(meta.with_suffix("").read_text())
        for key, code in codes.items():
            if code is None:  # not run (yet)
                continue
            if code in (-24, 24):
                stopped[module] += 1
                continue
            total[module] += 1  # the mutants decided: killed or survived
            if code not in (0, 33):
                killed[module] += 1
            else:
                survivors.append(_survivor(key, module, funcs))
    return total, killed, survivors, stopped


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")


def _markdown(
    total: Counter[str],
    killed: Counter[str],
    gaps: list[Survivor],
    equiv: list[tuple[Survivor, str]],
    stopped: Counter[str],
) -> None:
    t, k, e = sum(total.values()), sum(killed.values()), len(equiv)
    print(
        f"**{k} of {t} mutants killed ({k / t:.1%}); {e} of the {t - k} survivors are equivalent "
        f"(reviewed one by one, listed above), so the score over non-equivalent mutants is "
        f"{k / max(t - e, 1):.1%}.**\n"
    )
    head = ["module", "mutants decided", "killed", "stopped (not counted)", "equivalent", "score"]
    print("| " + " | ".join([*head, "score without equivalents"]) + " |")
    print("|---|---|---|---|---|---|---|")
    eq_by = Counter(s.module for s, _ in equiv)
    for m in sorted(total):
        rest = total[m] - eq_by[m]
        print(
            f"| `{m}` | {total[m]} | {killed[m]} | {stopped[m]} | {eq_by[m]} | {killed[m] / total[m]:.1%} "
            f"| {killed[m] / max(rest, 1):.1%} |"
        )
    print(f"\n### Test gaps ({len(gaps)} survivors)\n")
    print("Mutants no test kills and that could change a result in some input: each is a test to write.\n")
    for s in gaps:
        print(f"- `{s.id}`: `{_cell(s.change)}`")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--root", default="mutants", help="mutmut's working folder")
    ap.add_argument("--survivors", action="store_true", help="print each survivor not recorded as equivalent")
    ap.add_argument("--markdown", action="store_true", help="the results section of docs/mutation.md")
    ap.add_argument("--stale", action="store_true", help="records of equivalents that match no survivor")
    ap.add_argument("--rows", action="store_true", help="gaps as rows to review for the list")
    args = ap.parse_args()
    total, killed, survivors, stopped = collect(Path(args.root))
    record = equivalents()
    equiv = [(s, record[s.id][1]) for s in survivors if s.id in record and record[s.id][0] == s.change]
    seen = {s.id for s, _ in equiv}
    gaps = [s for s in survivors if s.id not in seen]
    if args.markdown:
        _markdown(total, killed, gaps, equiv, stopped)
        return
    if args.stale:
        current = {s.id: s.change for s in survivors}
        for i, (change, _) in record.items():
            if current.get(i) != change:
                print(f"{i}: recorded `{change}`, now {'`' + current[i] + '`' if i in current else 'killed'}")
        return
    if args.rows:
        for s in gaps:
            print(f"| `{s.id}` | `{_cell(s.change)}` | |")
        return
    print(f"{'module':42s} {'mutants':>7s} {'killed':>7s} {'stopped':>7s} {'equiv.':>7s} {'score':>6s}")
    for m in sorted(total):
        eq = sum(1 for s, _ in equiv if s.module == m)
        print(f"{m:42s} {total[m]:7d} {killed[m]:7d} {stopped[m]:7d} {eq:7d} {killed[m] / total[m]:6.1%}")
    t, k, st = sum(total.values()), sum(killed.values()), sum(stopped.values())
    print(f"{'all':42s} {t:7d} {k:7d} {st:7d} {len(equiv):7d} {k / max(t, 1):6.1%}  gaps: {len(gaps)}")
    if args.survivors:
        for s in gaps:
            print(f"\n## {s.id}")
            for line in s.diff:
                print("   ", line.strip()[:160])


if __name__ == "__main__":
    main()
