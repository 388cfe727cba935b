"""« Qu'y a-t-il ici ? » in the atlas: a click answered in the page agrees with erbm_geo.lookup."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from erbm_geo.lookup import builtin_layers, lookup
from tests import browser

pytestmark = pytest.mark.skipif(browser.CHROMIUM is None, reason="Debian chromium is not installed")


def _field(answer: str, label: str) -> str:
    lines = answer.splitlines()
    return lines[lines.index(label) + 1].strip() if label in lines else ""


def _inner_points(layer: gpd.GeoDataFrame, n: int, seed: int) -> list[shapely.Point]:
    """Points well inside features (50 m from any edge): simplified outlines cannot move them out."""
    rng = np.random.default_rng(seed)
    inner = layer.geometry.buffer(-50)
    inner = inner[~inner.is_empty]
    picks = rng.choice(len(inner), size=min(n, len(inner)), replace=False)
    return [inner.iloc[int(i)].representative_point() for i in sorted(picks)]


def test_answers_agree_with_lookup(atlas_dir: Path, artifacts: Path) -> None:
    lay = builtin_layers()
    basin = lay.communes[lay.communes["in_basin"].to_numpy(dtype=bool)]
    pts = [
        *_inner_points(lay.cites, 12, 1),
        *_inner_points(lay.qpv[lay.qpv.intersects(basin.union_all())], 6, 2),
        *_inner_points(lay.bien, 6, 3),
        *_inner_points(basin, 12, 4),
    ]
    wgs = gpd.GeoSeries(pts, crs=2154).to_crs(4326)
    latlon = [(round(p.y, 6), round(p.x, 6)) for p in wgs]
    expected = lookup([(lon, lat) for lat, lon in latlon], layers=lay)
    answers = browser.ici(atlas_dir / "index.html", latlon)
    assert len(answers) == len(latlon) and all(answers), "every point opens an answer"
    wrong = []
    for (lat, lon), text, (_, row) in zip(latlon, answers, expected.iterrows(), strict=True):
        commune = str(row["nom_commune"]) if row["in_basin"] else "hors des communes du Bassin minier"
        qpv = str(row["qpv_nom"]) if not _na(row["qpv_nom"]) else "aucun"
        cite = _field(text, "Cité minière")
        unesco = {"bien inscrit": "élément du bien inscrit", "zone tampon": "zone tampon du bien inscrit"}
        got = {
            "commune": _field(text, "Commune"),
            "qpv": _field(text, "Quartier prioritaire") if row["in_basin"] else qpv,
            # « nom (type)[, programme ERBM] » — a name may hold brackets itself
            "cite": (cite if cite == "aucune" else cite.rsplit(f" ({row['type_cite']})", 1)[0])
            if row["in_basin"]
            else "",
            "unesco": _field(text, "Patrimoine mondial").split(" (")[0] if row["in_basin"] else "",
        }
        want = {
            "commune": commune,
            "qpv": qpv,
            "cite": (str(row["cite_nom"]) if not _na(row["cite_nom"]) else "aucune")
            if row["in_basin"]
            else "",
            "unesco": unesco.get(str(row["unesco_statut"]), "ni bien inscrit ni zone tampon")
            if row["in_basin"]
            else "",
        }
        if got != want:
            wrong.append(((lat, lon), got, want))
    assert not wrong, "\n".join(map(str, wrong))
    # the nearest station: the same name and distance (to 0.1 km) wherever it is within reach
    text = answers[-1]
    row = expected.iloc[-1]
    if row["station_proche_distance_m"] <= 1500:
        assert str(row["station_proche"]) in _field(text, "Gare ou station la plus proche")
    shutil.copy(atlas_dir / "assets" / "ici.js", artifacts / "atlas_ici.js")


def _na(v: object) -> bool:
    try:
        return bool(v is None or v != v)  # NaN or <NA>
    except TypeError:
        return True


def test_a_point_typed_in_the_search_box(atlas_dir: Path) -> None:
    on_map = browser.search_from(atlas_dir / "index.html", "50,4322 ; 2,8319")
    assert on_map["href"].endswith("index.html") and "Lens" in on_map["ici"]
    swapped = browser.search_from(atlas_dir / "index.html", "2.8319, 50.4322")
    assert "lues dans l'ordre longitude, latitude" in swapped["ici"] and "Lens" in swapped["ici"]
    elsewhere = browser.search_from(atlas_dir / "sources.html", "50.4322, 2.8319")  # no map there
    assert elsewhere["href"].endswith("index.html#ici=50.4322,2.8319") and "Lens" in elsewhere["ici"]


def test_every_page_has_a_description_and_no_request_for_a_source_map(atlas_dir: Path) -> None:
    """Lighthouse's SEO and best-practice findings: a meta description, a favicon without a
    request, no comment asking for leaflet.js.map (the atlas does not ship it)."""
    import re

    pages = sorted(atlas_dir.rglob("*.html"))
    assert len(pages) > 250
    for page in pages:
        text = page.read_text("utf-8")
        m = re.search(r'<meta name="description" content="([^"]{40,})">', text)
        assert m and "Atlas du Bassin minier" in m.group(1), page.name
        assert '<link rel="icon" href="data:image/svg+xml,' in text, page.name
    for asset in (atlas_dir / "assets").glob("*.js"):
        assert "sourceMappingURL" not in asset.read_text("utf-8"), asset.name
