"""The publishable HTML atlas of the basin: a static site for partners.

Layout of the output folder::

    index.html                 the basin: key figures, EPCI table, default map
    epci/<siren>.html          one page per ERBM EPCI: map, communes and cités tables
    indicateurs/<name>.html    one page per indicator: definition, map of the communes, table
    telechargements.html       CSV / GeoPackage of the indicator tables, with their sources
    sources.html               datasets, producers, licences, vintages; project fact tables
    cartes/*.html              the interactive maps (offline-safe), embedded by the pages
    donnees/*                  downloadable files
    style.css

Every text taken from data is HTML-escaped. The output is deterministic: the same inputs give
the same bytes (maps have sequential ids, files are written atomically, GeoPackage timestamps
are pinned).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from erbm_geo import layers
from erbm_geo.data.catalogue import CATALOGUE
from erbm_geo.data.facts import FACT_TABLES, read_fact_table
from erbm_geo.export import write, write_text_atomic
from erbm_geo.indicators import builtin
from erbm_geo.indicators.table import INDICATOR_DOC, indicator_table, sources_table
from erbm_geo.maps.interactive import add_layer, basin_map, finalize, new_map, to_html
from erbm_geo.maps.style import escape, fmt_number, fmt_value, label

__all__ = ["ATLAS_INDICATORS", "build_atlas"]

#: Indicators with a page of their own (commune level), with the colour map used.
ATLAS_INDICATORS: dict[str, str] = {
    "qpv_share": "Purples",
    "centre_distance_m": "YlGnBu",
    "acv_pvd_distance_m": "YlGnBu",
    "station_distance_m": "YlGnBu",
    "share_within_walk": "Greens",
    "bien_inscrit_share": "Oranges",
    "zone_tampon_share": "Oranges",
    "revenu_median_commune": "RdYlBu",
    "taux_pauvrete_iris_pct": "Reds",
    "friches_per_km2": "YlOrBr",
    "n_cites": "Reds",
}

_COMMUNE_COLS = ["nom", "population", "n_cites", "qpv_share", "centre_distance_m",
                 "station_distance_m", "share_within_walk", "revenu_median_commune"]
_CITE_COLS = ["nom", "code_insee", "type_cite", "unesco_inscribed", "erbm_programme", "qpv_share",
              "centre_distance_m", "station_distance_m", "bien_inscrit_share"]

_CSS = """body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222}
header{background:#2b2b2b;color:#fff;padding:10px 24px}header a{color:#fff;margin-right:16px}
main{max-width:1100px;margin:0 auto;padding:12px 24px}h1{font-size:26px}h2{font-size:20px}
iframe{width:100%;height:560px;border:1px solid #ccc}table{border-collapse:collapse;width:100%;
font-size:13px}th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}.figs{display:flex;gap:18px;flex-wrap:wrap}
.fig{background:#f3f3f3;padding:8px 14px;border-radius:6px}.fig b{display:block;font-size:22px}
footer{font-size:12px;color:#555;padding:16px 24px;border-top:1px solid #ddd;margin-top:24px}
"""


def _page(title: str, body: str, depth: int) -> str:
    up = "../" * depth
    nav = (f'<a href="{up}index.html">Bassin minier</a><a href="{up}indicateurs/index.html">'
           f'Indicateurs</a><a href="{up}telechargements.html">Téléchargements</a>'
           f'<a href="{up}sources.html">Sources et licences</a>')
    return (f'<!doctype html>\n<html lang="fr"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{escape(title)} — Atlas du Bassin minier</title>"
            f'<link rel="stylesheet" href="{up}style.css"></head><body>'
            f"<header>{nav}</header><main><h1>{escape(title)}</h1>\n{body}\n</main>"
            f"<footer>Atlas produit avec erbm_geo à partir de données ouvertes "
            f'(voir <a href="{up}sources.html">sources et licences</a>). '
            f"Lambert-93 pour les calculs, WGS84 pour les cartes.</footer></body></html>\n")


def _table(df: pd.DataFrame, cols: Sequence[str], *, link: dict[str, str] | None = None) -> str:
    head = "".join(f"<th>{escape(label(c))}</th>" for c in cols)
    rows = []
    for idx, r in df.iterrows():
        cells = []
        for c in cols:
            v = r[c]
            text = escape(fmt_value(c, v))
            if link and c == "nom" and str(idx) in link:
                text = f'<a href="{escape(link[str(idx)])}">{text}</a>'
            num = isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
            cells.append(f'<td class="n">{text}</td>' if num else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _iframe(src: str, title: str) -> str:
    return f'<iframe src="{escape(src)}" title="{escape(title)}" loading="lazy"></iframe>'


def _epci_map(siren: str, communes: gpd.GeoDataFrame, cites: gpd.GeoDataFrame,
              qpv: gpd.GeoDataFrame, basemap: str | None) -> Any:
    m = new_map(basemap=basemap)
    add_layer(m, communes, name="Communes", column="qpv_share", cmap="Purples", k=5,
              tooltip=["nom", "qpv_share"], popup=["population", *_COMMUNE_COLS[2:]],
              coverage=True, search=True, legend_caption="Part de la surface en QPV",
              sources=["communes_59", "communes_62", "cog_communes", "qpv"])
    if len(qpv):
        add_layer(m, qpv, name="QPV 2024", tooltip=["nom"], color="#6a51a3", fill_opacity=0.2,
                  tolerance=15.0, legend=True)
    if len(cites):
        c = cites.copy()
        c["categorie"] = np.where(c["unesco_inscribed"], "Cité inscrite UNESCO",
                                  np.where(c["erbm_programme"], "Cité du programme ERBM",
                                           "Cité de la zone tampon"))
        add_layer(m, c, name="Cités minières", column="categorie", tooltip=["nom", "categorie"],
                  popup=_CITE_COLS[2:], tolerance=8.0, fill_opacity=0.8,
                  legend_caption="Cités minières",
                  sources=["cites_minieres", "zt_cites_minieres", "cites_erbm"])
    b = communes.to_crs(4326).total_bounds
    m.fit_bounds([[b[1], b[0]], [b[3], b[2]]])
    return finalize(m, collapsed=True)


def _indicator_map(col: str, communes: gpd.GeoDataFrame, cmap: str, basemap: str | None) -> Any:
    m = new_map(basemap=basemap)
    scheme = "FisherJenks" if communes[col].nunique() > 6 else None
    add_layer(m, communes, name=label(col), column=col, scheme=scheme, k=5, cmap=cmap,
              tooltip=["nom", col], popup=["nom_epci", "population", col], coverage=True,
              search=True, fill_opacity=0.75,
              sources=["communes_59", "communes_62", "cog_communes"])
    add_layer(m, layers.epci(), name="EPCI de l'ERBM", tooltip=["nom_epci"], color="#000000",
              fill_opacity=0.0, weight=2.0, coverage=True, legend=False)
    return finalize(m, minimap_layer=layers.basin_outline(), collapsed=True)


def build_atlas(out: str | Path, *, basemap: str | None = "positron",
                progress: Callable[[str], None] | None = None) -> Path:
    """Write the atlas into folder *out* and return the path of its index page.

    Parameters
    ----------
    out : path
        Output folder (created). Existing files of the atlas are replaced atomically.
    basemap : {"positron", "osm"} or None
        Tiles under the vector layers when the reader is online.
    progress : callable, optional
        Called with a short message at each step (the CLI prints them).
    """
    step = progress or (lambda _msg: None)
    out = Path(out)
    step("indicators of the communes and the cités")
    targets = builtin.targets(qpv_territory="nord_pas_de_calais")  # features of the basin
    communes = indicator_table(of="communes", targets=targets)
    communes_erbm = indicator_table(territory="erbm", of="communes", targets=targets)
    cites = indicator_table(of="cites", targets=targets)
    e = layers.epci()
    qpv = layers.qpv()
    allc = layers.communes(territory="nord_pas_de_calais")
    cites["siren_epci"] = allc["siren_epci"].reindex(cites["code_insee"].to_numpy()).to_numpy()
    srcs = sources_table()

    write_text_atomic(out / "style.css", _CSS)
    # downloads
    data = out / "donnees"
    for name, table in (("communes", communes), ("cites", cites)):
        write(table, data / f"{name}.csv", sources=srcs)
        write(table, data / f"{name}.gpkg", sources=srcs, layer=name)
    step("basin map")
    to_html(basin_map(basemap=basemap, collapsed=True), out / "cartes" / "bassin.html")
    overview = layers.overview_by_epci()
    epci_rows = e.join(overview.drop(columns="nom_epci"))
    for siren in e.index:
        step(f"EPCI page {e.loc[siren, 'nom_epci']}")
        cm = communes_erbm[communes_erbm["siren_epci"] == siren]
        ct = cites[cites["siren_epci"] == siren]
        qp = qpv[qpv["codes_insee"].str.split(";").map(lambda xs, s=set(cm.index): bool(s & set(xs)))
                 .to_numpy(dtype=bool)]
        to_html(_epci_map(siren, cm, ct, qp, basemap), out / "cartes" / f"epci-{siren}.html")
        nom = str(e.loc[siren, "nom_epci"])
        body = (f"<p>{len(cm)} communes, dont {int(cm['in_basin'].sum())} dans le Bassin minier ; "
                f"{len(ct)} cités minières ; {len(qp)} quartiers prioritaires.</p>"
                + _iframe(f"../cartes/epci-{siren}.html", f"Carte — {nom}")
                + "<h2>Communes</h2>" + _table(cm.sort_values("nom"), _COMMUNE_COLS)
                + "<h2>Cités minières</h2>"
                + (_table(ct.sort_values("nom"), _CITE_COLS) if len(ct) else
                   "<p>Aucune cité minière recensée.</p>"))
        write_text_atomic(out / "epci" / f"{siren}.html", _page(nom, body, 1))
    # indicators
    items = []
    for col, cmap in ATLAS_INDICATORS.items():
        name, unit, definition = INDICATOR_DOC[col]
        step(f"indicator page {col}")
        to_html(_indicator_map(col, communes, cmap, basemap), out / "cartes" / f"ind-{col}.html")
        ranked = communes.sort_values(col, ascending=False)
        body = (f"<p><b>Définition</b> : {escape(definition)}. <b>Unité</b> : "
                f"{escape(unit or '—')}.</p>"
                + _iframe(f"../cartes/ind-{col}.html", name)
                + "<h2>Communes</h2>" + _table(ranked, ["nom", "nom_epci", col]))
        write_text_atomic(out / "indicateurs" / f"{col}.html", _page(name, body, 1))
        items.append(f'<li><a href="{escape(col)}.html">{escape(name)}</a> — {escape(definition)}</li>')
    write_text_atomic(out / "indicateurs" / "index.html",
                      _page("Indicateurs", "<ul>" + "".join(items) + "</ul>", 1))
    # downloads and sources
    files = sorted(p.relative_to(out).as_posix() for p in data.iterdir() if not p.name.startswith("."))
    dl = "".join(f'<li><a href="{escape(f)}">{escape(f)}</a></li>' for f in files)
    write_text_atomic(out / "telechargements.html", _page("Téléchargements", (
        "<p>Tables des indicateurs par commune et par cité (CSV UTF-8 : codes INSEE en texte ; "
        "GeoPackage : couche + table <code>sources</code>).</p><ul>" + dl + "</ul>"), 0))
    src_rows = srcs.reset_index()
    src_html = _table(src_rows.set_index("dataset"), ["title", "attribution", "licence", "vintage"])
    facts = "".join(
        f"<li><code>data/{escape(rel)}</code> — {len(read_fact_table(name))} lignes, chacune avec sa "
        "source</li>" for name, (rel, _) in sorted(FACT_TABLES.items()))
    quality = "".join(
        f"<li>{escape(q['nom'])} ({escape(q['code_insee'])}) : Cartofriches indique "
        f"{escape(fmt_number(q['value'] / 1e6, 2))} km² de friches pour une commune de "
        f"{escape(fmt_number(q['commune_area_m2'] / 1e6, 2))} km² — erreur de surface de la "
        "source ; surface et part de friches non publiées (valeur manquante).</li>"
        for q in layers.friches_communes(territory="nord_pas_de_calais").attrs.get("quality", [])
        if q["code_insee"] in communes.index or q["code_insee"] in communes_erbm.index)
    unpublished = [d for d in CATALOGUE.values() if not d.publishable]
    note = "".join(f"<li>{escape(d.title)} — licence non confirmée, non publié ici</li>"
                   for d in unpublished)
    write_text_atomic(out / "sources.html", _page("Sources et licences", (
        "<h2>Jeux de données</h2>" + src_html + "<h2>Tables de faits du projet</h2><ul>" + facts
        + "</ul><h2>Qualité des données</h2><p>Valeurs des sources jugées impossibles, signalées "
        "et non publiées :</p><ul>" + (quality or "<li>aucune</li>")
        + "</ul><h2>Non publiés</h2><ul>" + note + "</ul>"), 0))
    # index
    rows = epci_rows.copy()
    rows["nom"] = rows["nom_epci"]
    links = {s: f"epci/{s}.html" for s in rows.index}
    pop = int(communes["population"].sum())
    figs = (f'<div class="figs"><div class="fig"><b>{len(communes)}</b>communes</div>'
            f'<div class="fig"><b>{escape(fmt_value("population", pop))}</b>habitants (2025)</div>'
            f'<div class="fig"><b>{len(cites)}</b>cités minières</div>'
            f'<div class="fig"><b>{int(cites["unesco_inscribed"].sum())}</b>cités inscrites UNESCO</div>'
            f'<div class="fig"><b>{int(cites["erbm_programme"].sum())}</b>cités du programme ERBM</div>'
            f'<div class="fig"><b>{len(qpv)}</b>QPV</div></div>')
    body = (figs + _iframe("cartes/bassin.html", "Carte du Bassin minier")
            + "<h2>Les 8 intercommunalités de l'ERBM</h2>"
            + _table(rows, ["nom", "population", "n_communes", "n_communes_bassin", "n_cites",
                            "n_unesco_inscribed", "n_erbm_programme"], link=links))
    index = out / "index.html"
    write_text_atomic(index, _page("Atlas du Bassin minier du Nord et du Pas-de-Calais", body, 0))
    return index
