"""The friche sites in the atlas: the basin's page against the layer, the portraits' tables and
maps, links only to http(s) pages, the downloads."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import erbm_geo as eg
from erbm_geo.layers import site_url


def test_friches_page_lists_every_site_of_the_basin(atlas_dir: Path) -> None:
    sites = eg.layers.friches_sites()
    src = (atlas_dir / "friches.html").read_text("utf-8")
    body = src[src.index('id="tableau-friches"') :]
    assert body.count('<tr><th scope="row">') == len(sites)
    for status, n in sites["site_statut"].astype(str).value_counts().items():
        if n:
            assert f"<li><b>{n}</b> {status}</li>" in src
    # every external link is an http(s) URL of the data, nothing else becomes a link
    links = [html.unescape(h) for h in re.findall(r'href="(https?:[^"]*)"', body)]
    urls = {site_url(u) for u in sites["site_url"]} - {None}
    assert links and set(links) <= urls
    assert "javascript:" not in src.lower()


def test_portrait_lists_the_sites_of_the_commune_and_draws_them(atlas_dir: Path) -> None:
    sites = eg.layers.friches_sites()
    lens = sites[sites["code_insee"] == "62498"]
    src = (atlas_dir / "communes" / "62498.html").read_text("utf-8")
    section = src[src.index('id="h-friches"') : src.index('id="h-qpv"')]
    assert section.count('<tr><th scope="row">') == len(lens) > 0
    assert 'data-scripts="../assets/cartes/communes-62498.js ' in src  # the map's data, loaded last
    script = (atlas_dir / "assets" / "cartes" / "communes-62498.js").read_text("utf-8")
    data = json.loads(re.search(r"^window\.ERBM_CARTE = (.*);$", script, re.M).group(1))
    layer = next(c for c in data["layers"] if c["opts"]["name"] == "Sites en friche")
    assert layer["opts"]["kind"] == "point"


def test_sites_download_holds_every_site_with_its_dictionary(atlas_dir: Path) -> None:
    sites = eg.layers.friches_sites()
    book = pd.read_excel(atlas_dir / "donnees" / "friches_sites.xlsx", sheet_name=None)
    assert len(book["donnees"]) == len(sites)
    dico = book["dictionnaire"].set_index("colonne")
    assert dico.at["site_statut", "libellé"] == "Statut du site"
    assert "source_producteur" not in book["donnees"].columns


def test_epci_pages_list_the_sites_of_their_basin_communes(atlas_dir: Path) -> None:
    sites = eg.layers.friches_sites()
    members = eg.layers.communes(territory="erbm")
    for siren in sorted(set(members["siren_epci"].astype(str)))[:3]:
        codes = set(members.index[members["siren_epci"].astype(str) == siren])
        src = (atlas_dir / "epci" / f"{siren}.html").read_text("utf-8")
        section = src[src.index('id="h-friches"') : src.index('id="h-cites"')]
        assert section.count('<tr><th scope="row">') == int(sites["code_insee"].isin(codes).sum()), siren


@pytest.mark.browser
def test_the_filters_keep_the_rows_of_a_status_and_a_commune(atlas_dir: Path) -> None:
    from tests import browser

    sites = eg.layers.friches_sites()
    status = "friche avec projet"
    commune_code = sites.loc[sites["site_statut"] == status, "code_insee"].iloc[0]
    commune = eg.layers.communes().at[commune_code, "nom"]
    both = int(((sites["site_statut"] == status) & (sites["code_insee"] == commune_code)).sum())
    script = (
        '<script>window.addEventListener("load", function () { setTimeout(function () {'
        ' var f = document.querySelector("form.filtres"), s = document.getElementById("filtre-statut");'
        f" s.value = {json.dumps(status)}; f.dispatchEvent(new Event('change'));"
        ' var shown1 = Array.prototype.filter.call(document.querySelectorAll("#tableau-friches tbody tr"),'
        " function (r) { return !r.hidden; }).length;"
        f' var c = document.getElementById("filtre-commune"); c.value = {json.dumps(commune)};'
        " f.dispatchEvent(new Event('change'));"
        ' var shown2 = Array.prototype.filter.call(document.querySelectorAll("#tableau-friches tbody tr"),'
        " function (r) { return !r.hidden; }).length;"
        ' var p = document.createElement("pre"); p.id = "__f";'
        ' p.textContent = JSON.stringify([shown1, shown2, f.querySelector("output").textContent]);'
        " document.body.appendChild(p); }, 500); });</script>"
    )
    shown1, shown2, said = browser._probe(
        atlas_dir / "friches.html", script, ["--virtual-time-budget=5000"], "__f"
    )
    assert shown1 == int((sites["site_statut"] == status).sum()) and shown2 == both
    assert said.startswith(f"{both} site")
