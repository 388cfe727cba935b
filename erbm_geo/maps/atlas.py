"""The publishable HTML atlas of the basin (first version: territory overview page)."""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path

from erbm_geo import layers

__all__ = ["build_atlas"]


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def build_atlas(out: str | Path) -> Path:
    """Write the atlas into folder *out* and return the path of its index page."""
    out = Path(out)
    epci = layers.epci()
    rows = "\n".join(
        f"<tr><td>{html.escape(str(r.nom_epci))}</td><td>{r.n_communes}</td>"
        f"<td>{r.n_communes_bassin}</td><td>{r.population:,}</td></tr>".replace(",", "\u202f")
        for r in epci.itertuples()
    )
    page = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Atlas du Bassin minier</title></head><body>
<h1>Atlas du Bassin minier du Nord et du Pas-de-Calais</h1>
<p>{len(layers.communes())} communes du Bassin minier ; 8 EPCI de l'ERBM.</p>
<table><thead><tr><th>EPCI</th><th>Communes</th><th>dont Bassin minier</th>
<th>Population municipale 2025</th></tr></thead><tbody>
{rows}
</tbody></table></body></html>
"""
    index = out / "index.html"
    _write_atomic(index, page)
    return index
