"""The atlas as a reader receives it: its content against the indicator tables, French text and
number formats, links, weight, determinism, and every page type in headless Chromium (no
JavaScript error, maps drawn, no horizontal overflow on a phone, zero serious or critical axe-core
violation). Screenshots (desktop and 400 px) go to test-artifacts/."""

from __future__ import annotations

import hashlib
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import erbm_geo as eg
from erbm_geo.atlas import ATLAS_INDICATORS
from erbm_geo.maps.vocabulary import INDICATEURS, cle_tri, nombre
from tests import browser
from tests.checks import every
from tests.mirror.conftest import ATLAS_EPOCH as EPOCH  # the fixed build date of atlas_dir
from tests.pages import table_row as _row


@pytest.fixture(scope="module")
def tables() -> dict[str, object]:
    t = eg.indicators.builtin.targets(qpv_territory="nord_pas_de_calais")
    return {
        "communes": eg.indicators.indicator_table(of="communes", targets=t),
        "erbm": eg.indicators.indicator_table(territory="erbm", of="communes", targets=t),
        "cites": eg.indicators.indicator_table(of="cites", targets=t),
    }


class _Page(HTMLParser):
    """Visible text, links and tables of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.styles: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "style", "title"):
            self._skip += 1
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if tag == "link" and a.get("rel") == "stylesheet":
            self.styles.append(str(a["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text("utf-8"))
    return p


def _text(path: Path) -> str:
    return re.sub(r"[ \t\r\n]+", " ", " ".join(_parse(path).text))  # thin spaces kept


def _pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.html") if not p.name.startswith("."))


def test_structure_weight_and_one_stylesheet(atlas_dir: Path) -> None:
    files = {p.relative_to(atlas_dir).as_posix() for p in atlas_dir.rglob("*") if p.is_file()}
    assert {
        "index.html",
        "sources.html",
        "evolution.html",
        "friches.html",
        "telechargements.html",
        "communes/index.html",
        "epci/index.html",
        "indicateurs/index.html",
        "assets/atlas.css",
        "assets/carte.js",
        "assets/contexte.js",
        "assets/site.js",
        "donnees/communes.csv",
        "donnees/communes.gpkg",
        "donnees/cites.csv",
        "donnees/cites.gpkg",
    } <= files
    assert len([f for f in files if re.fullmatch(r"communes/\d[\dAB]\d{3}\.html", f)]) == 250
    assert len([f for f in files if re.fullmatch(r"epci/\d{9}\.html", f)]) == 8
    assert len([f for f in files if f.startswith("indicateurs/")]) == len(ATLAS_INDICATORS) + 1
    assert not [f for f in files if "/." in f or f.startswith(".")]  # no temporary leftovers
    sizes = {f: (atlas_dir / f).stat().st_size for f in files}
    assert max(s for f, s in sizes.items() if f.endswith(".html")) < 1_000_000
    assert max(s for f, s in sizes.items() if f.startswith("communes/")) < 300_000
    assert sum(sizes.values()) < 15_000_000
    for page in _pages(atlas_dir):
        p = _parse(page)
        depth = len(page.relative_to(atlas_dir).parts) - 1
        assert p.styles == ["../" * depth + "assets/atlas.css"], page  # one stylesheet
        assert "L.Map" not in page.read_text("utf-8")  # Leaflet is the shared asset, not inlined


def test_links_resolve(atlas_dir: Path) -> None:
    broken = []
    for page in _pages(atlas_dir):
        for href in _parse(page).links:
            if href.startswith(("http://", "https://", "#", "mailto:")):
                continue
            target = (page.parent / href.split("#")[0]).resolve()
            if not target.exists():
                broken.append((page.relative_to(atlas_dir).as_posix(), href))
    assert broken == []
    # portraits are reachable from the communes index, EPCI pages and indicator pages
    linked = set()
    for page in [
        atlas_dir / "communes" / "index.html",
        *(atlas_dir / "epci").glob("2*.html"),
        atlas_dir / "indicateurs" / "qpv_share.html",
    ]:
        linked |= {h.split("/")[-1] for h in _parse(page).links if re.search(r"(^|/)\d[\dAB]\d{3}\.html$", h)}
    assert len(linked) == 250


def test_key_figures_match_the_tables(atlas_dir: Path, tables: dict[str, object]) -> None:
    c, ct = tables["communes"], tables["cites"]
    text = _text(atlas_dir / "index.html")
    assert "250 communes dans le Bassin minier" in text
    assert f"{nombre(float(c['population'].sum()))} habitants" in text  # type: ignore[index]
    assert f"{nombre(len(ct))} cités minières cartographiées" in text  # type: ignore[arg-type]
    n_ins = int(ct["unesco_inscribed"].sum())  # type: ignore[index]
    n_buf = int(ct["in_buffer_zone"].sum())  # type: ignore[index]
    assert n_ins != n_buf
    assert f"{n_ins} cités inscrites au patrimoine mondial" in text  # not the buffer-zone count
    assert f"{int(ct['erbm_programme'].sum())} cités du programme ERBM" in text  # type: ignore[index]
    # the programme figures, each with its document
    assert "plus de 15\u202f500 logements réhabilités au 30 juin 2025" in text
    assert "Convention de mise en œuvre de l'ERBM 2025–2027" in text
    assert "23\u202f000" in text


def test_portrait_values_epci_basin_and_rank(atlas_dir: Path, tables: dict[str, object]) -> None:
    c, erbm = tables["communes"], tables["erbm"]
    page = atlas_dir / "communes" / "62498.html"  # Lens
    lens = c.loc["62498"]  # type: ignore[attr-defined]
    members = erbm[erbm["siren_epci"] == "246200364"]  # type: ignore[index]
    share = (members["qpv_share"] * members["area_km2"]).sum() / members["area_km2"].sum()
    basin = (c["qpv_share"] * c["area_km2"]).sum() / c["area_km2"].sum()  # type: ignore[index]
    rank = int((c["qpv_share"] > lens["qpv_share"]).sum()) + 1  # type: ignore[index]
    row = _row(page, INDICATEURS["qpv_share"].nom)
    assert row[1:4] == [
        f"{nombre(100 * lens['qpv_share'], 1)}\u202f%",
        f"{nombre(100 * share, 1)}\u202f%",
        f"{nombre(100 * basin, 1)}\u202f%",
    ]
    assert row[4].startswith(f"{rank}") and row[4].endswith("sur 250")
    income = _row(page, INDICATEURS["revenu_median_commune"].nom)
    assert income[1] == f"{nombre(lens['revenu_median_commune'])}\u202f€"
    assert income[3] == f"{nombre(c['revenu_median_commune'].median())}\u202f€"  # type: ignore[index]
    # a commune without IRIS figures: n.d. with the reason, never a neighbour's value
    small = c[c["taux_pauvrete_iris_pct"].isna()].index[0]  # type: ignore[index]
    text = _text(atlas_dir / "communes" / f"{small}.html")
    assert "n.d." in text and "pas de donnée IRIS publiée par l'INSEE" in text
    # the cités of Lens are listed (the portrait table) with their status
    cites = tables["cites"]
    own = cites[cites["codes_insee"].fillna("").str.split(";").map(lambda xs: "62498" in xs)]  # type: ignore[index]
    text = _text(page)
    for nom in own["nom"]:
        assert nom in text


def test_french_text_and_formats(atlas_dir: Path) -> None:
    english = re.compile(
        r"\b(the|share of|nearest|within|inside|commune polygons|buffer zone|"
        r"missing|contributors|true|false|none|nan)\b",
        re.I,
    )
    for page in _pages(atlas_dir):
        text = _text(page)
        bad = english.findall(text)
        assert not bad, (page.relative_to(atlas_dir).as_posix(), sorted(set(bad)))
        assert "0–1" not in text and not re.search(r"\d mi\b", text)
        bare = re.sub(r"(Etalab|ODbL) \d\.\d|section « [^»]*»", "", text)  # versions, headings
        assert not re.search(r"\d\.\d", bare), page  # decimal comma, never a point
    text = _text(atlas_dir / "indicateurs" / "centre_distance_m.html")
    assert re.search(r"\d+,\d\u202fkm", text)  # kilometres with one decimal
    assert re.search(r"\d\u202f\d{3}", _text(atlas_dir / "index.html"))  # thin-space thousands


def test_french_collation(atlas_dir: Path, tables: dict[str, object]) -> None:
    src = (atlas_dir / "communes" / "index.html").read_text("utf-8")
    names = [html.unescape(n) for n in re.findall(r'<li><a href="\d[\dAB]\d{3}\.html">([^<]+)</a>', src)]
    c = tables["communes"]
    assert sorted(names) == sorted(c["nom"].astype(str))  # type: ignore[index]
    groups = re.split(r"<h2 ", src)[1:]
    for g in groups:
        gnames = [html.unescape(n) for n in re.findall(r'href="\d[\dAB]\d{3}\.html">([^<]+)<', g)]
        assert gnames == sorted(gnames, key=cle_tri)
    assert cle_tri("Évin-Malmaison") < cle_tri("Fouquières-lès-Lens")
    assert cle_tri("Évin-Malmaison") > cle_tri("Estevelles")


def test_indicator_page(atlas_dir: Path, tables: dict[str, object]) -> None:
    c = tables["communes"]
    page = atlas_dir / "indicateurs" / "taux_pauvrete_iris_pct.html"
    text = _text(page)
    ind = INDICATEURS["taux_pauvrete_iris_pct"]
    v = c["taux_pauvrete_iris_pct"]  # type: ignore[index]
    w = c["population"]  # type: ignore[index]
    ok = v.notna()
    basin = float((v[ok] * w[ok]).sum() / w[ok].sum())
    assert f"{ind.valeur(basin)} pour le Bassin minier" in text
    assert f"{int((~ok).sum())} des 250 communes n'ont pas de valeur" in text
    for part in (
        "Définition",
        "Unité",
        "Millésime",
        "Méthode",
        "Limites",
        "Valeurs manquantes",
        "Répartition des communes",
        "Les 10 valeurs les plus fortes",
    ):
        assert part in text
    top = c.sort_values("taux_pauvrete_iris_pct", ascending=False).iloc[0]  # type: ignore[attr-defined]
    first = re.search(r"<ol><li><a [^>]+>([^<]+)</a> : ([^<]+)</li>", page.read_text("utf-8"))
    assert first and html.unescape(first.group(1)) == top["nom"]
    assert html.unescape(first.group(2)) == ind.valeur(top["taux_pauvrete_iris_pct"])
    # legend classes: no duplicate, no empty label
    src = page.read_text("utf-8")
    legend = re.findall(r'aria-hidden="true"></span>([^<]+)</li>', src)
    assert len(legend) == len(set(legend)) and all(s.strip() for s in legend)
    assert any("Données manquantes" in s for s in legend)


def test_downloads_and_sources_pages(atlas_dir: Path, tables: dict[str, object]) -> None:
    import pandas as pd

    dl = _text(atlas_dir / "telechargements.html")
    for f in (
        "communes.csv",
        "communes.gpkg",
        "communes_tableur.csv",
        "communes.xlsx",
        "cites.csv",
        "cites.gpkg",
        "cites_tableur.csv",
        "cites.xlsx",
    ):
        assert f in dl and (atlas_dir / "donnees" / f).is_file()
    c = tables["communes"]
    fr = pd.read_csv(
        atlas_dir / "donnees" / "communes_tableur.csv",
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"code_insee": str},
    ).set_index("code_insee")
    assert list(fr.index) == list(c.index)  # type: ignore[attr-defined]
    assert np.allclose(fr["qpv_share"], c["qpv_share"].round(4))  # type: ignore[index]
    assert set(fr["in_basin"]) == {"oui"}
    book = pd.read_excel(atlas_dir / "donnees" / "communes.xlsx", sheet_name=None)
    assert list(book) == ["donnees", "dictionnaire", "sources"]
    dico = book["dictionnaire"].set_index("colonne")
    assert list(dico.index) == list(book["donnees"].columns)
    assert every(dico["définition"].notna())  # every column explained, in French
    assert dico.loc["qpv_share", "unité"] == "part de 0 à 1"
    assert (
        "Quartiers prioritaires de la politique de la ville 2024 (1 584 QPV en France)"
        in book["sources"]["description"].tolist()
    )
    assert "GeoPackage (Lambert-93)" in dl
    src = _text(atlas_dir / "sources.html")
    assert "Contours des communes du Nord, IGN ADMIN EXPRESS 2018 simplifiés" in src
    assert "Bruay-sur-l'Escaut" in src  # the friche surface larger than the commune


def test_atlas_is_deterministic(atlas_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    eg.atlas.build_atlas(tmp_path, basemap=None)

    def digest(folder: Path) -> dict[str, str]:
        return {
            p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    assert digest(tmp_path) == digest(atlas_dir)


SAMPLE = [
    "index.html",
    "communes/index.html",
    "communes/62498.html",
    "communes/59314.html",
    "communes/62508.html",
    "epci/index.html",
    "epci/246200364.html",
    "indicateurs/index.html",
    "indicateurs/qpv_share.html",
    "evolution.html",
    "friches.html",
    "telechargements.html",
    "sources.html",
]


@pytest.mark.parametrize("page", SAMPLE)
def test_pages_in_the_browser(atlas_dir: Path, artifacts: Path, page: str, tables: dict[str, object]) -> None:
    path = atlas_dir / page
    r = browser.inspect(path)
    assert r["errors"] == []
    # a page's map is drawn when the page counts as loaded (what printing waits for), every time,
    # and its scripts are asked for only once the page's text is painted (#31)
    has_map = "data-scripts=" in path.read_text("utf-8")
    assert r["map_at_load"] == has_map
    assert r["map_after_paint"] is (True if has_map else None)
    phone = browser.phone(path, width=400)
    assert phone["width"] == 400 and phone["errors"] == []
    assert phone["overflow"] <= 0, phone["overflow"]  # no horizontal scrolling on a phone
    assert not any(phone["legend_open"])  # legends start folded on a phone
    name = page.replace("/", "_").replace(".html", "")
    browser.screenshot(path, artifacts / f"atlas_{name}.png", size="1400,900")
    browser.screenshot(path, artifacts / f"atlas_{name}_400.png", size="400,900")
    if r["layers"]:
        src = path.read_text("utf-8")
        assert "Zoom avant" not in src  # set by the runtime, checked in the browser below
        titles = browser._probe(
            path,
            '<script>window.addEventListener("load", function () {'
            " setTimeout(function () { var t = []; document.querySelectorAll("
            '"[title], [aria-label]").forEach(function (e) { t.push('
            'e.getAttribute("title") || e.getAttribute("aria-label")); });'
            ' var p = document.createElement("pre"); p.id = "__t";'
            " p.textContent = JSON.stringify(t); document.body.appendChild(p);"
            " }, 800); });</script>",
            ["--virtual-time-budget=8000"],
            "__t",
        )
        assert "Zoom avant" in titles and "Fond de carte et couches" in titles
        assert not [t for t in titles if t in ("Zoom in", "Zoom out", "Layers")]
        assert r["layers"]["Communes"]["drawn"] == 250
        assert all(v["drawn"] == v["features"] for v in r["layers"].values()), r["layers"]
    if page == "communes/62498.html":
        cites = tables["cites"]
        n = int(
            cites["codes_insee"]
            .fillna("")
            .str.split(";")
            .map(  # type: ignore[index]
                lambda xs: "62498" in xs
            )
            .sum()
        )
        assert r["layers"]["Cités minières"]["drawn"] >= n - 1 and n > 0
        assert "Quartiers prioritaires (QPV 2024)" in r["layers"]


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "epci/246200364.html",
        "indicateurs/taux_pauvrete_iris_pct.html",
        "communes/62498.html",
        "evolution.html",
        "friches.html",
        "sources.html",
    ],
)
def test_accessibility_axe(atlas_dir: Path, artifacts: Path, page: str) -> None:
    violations = browser.axe(atlas_dir / page)
    (artifacts / f"axe_{page.replace('/', '_')}.txt").write_text(repr(violations), "utf-8")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    assert np.all([v["impact"] != "critical" for v in violations])
