"""Re-derive data/communes/bassin_minier_communes.csv from the mirror.

Usage: python scripts/derive_basin_communes.py [--check]

With --check, exit 1 when the committed table differs from the derivation (tests do the same).
"""

from __future__ import annotations

import sys
from pathlib import Path

from erbm_geo.data import clear_memory
from erbm_geo.data.facts import facts_dir
from erbm_geo.layers.territory import derive_basin_communes

TARGET = Path(__file__).resolve().parent.parent / "data" / "communes" / "bassin_minier_communes.csv"


def main() -> int:
    clear_memory()
    table = derive_basin_communes()
    text = table.to_csv(index=False, lineterminator="\n")
    if "--check" in sys.argv:
        current = (facts_dir() / "communes" / "bassin_minier_communes.csv").read_text("utf-8")
        if current != text:
            print("bassin_minier_communes.csv differs from the derivation", file=sys.stderr)
            return 1
        print(f"ok: {len(table)} communes")
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET} ({len(table)} communes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
