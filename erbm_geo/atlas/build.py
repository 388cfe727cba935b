"""Build the atlas: compute once, then render every page from templates.

Layout of the output folder::

    index.html                    the basin: introduction, progress, key figures, map, EPCI
    communes/index.html           the 250 communes, by intercommunalité
    communes/<code INSEE>.html    one portrait per commune (stable URLs)
    epci/index.html               the 8 intercommunalités of the ERBM
    epci/<SIREN>.html             one page per intercommunalité
    indicateurs/index.html        the indicators
    indicateurs/<colonne>.html    one page per indicator
    telechargements.html          the files, described
    sources.html                  sources, method, data quality, programme documents
    assets/atlas.css              the only stylesheet (Leaflet's rules included)
    assets/site.js                search box and sortable tables
    assets/carte.js, contexte.js  Leaflet, the map runtime and the offline context (shared)
    assets/ici.js                 the layers « Ici » answers a click from (loaded on demand)
    donnees/*                     downloadable tables

Pages are rendered by Jinja2 with autoescaping; data reaches the templates as values only.
The build is deterministic: the same inputs (and ``SOURCE_DATE_EPOCH``) give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import jinja2
import numpy as np
import pandas as pd
import shapely

from erbm_geo import layers
from erbm_geo._epoch import build_datetime
from erbm_geo._gc import gc_paused
from erbm_geo.atlas import charts
from erbm_geo.atlas.evolution import Temps, carte_variation, classement, serie, temps
from erbm_geo.atlas.friches import SOURCES as FRICHES_SOURCES
from erbm_geo.atlas.friches import Friches, couche, friches, lignes, resume_changement
from erbm_geo.atlas.ici import ici_js
from erbm_geo.atlas.mapdata import Features, MapSpec, carte_js, contexte_js, features
from erbm_geo.atlas.qgis import PROJECT, cites_style, write_project, write_reference_layers
from erbm_geo.data.catalogue import CATALOGUE
from erbm_geo.data.facts import FACT_TABLES, read_fact_table
from erbm_geo.errors import UnknownOptionError
from erbm_geo.export import write, write_text_atomic
from erbm_geo.export.qgis import default_styles, layer_style
from erbm_geo.indicators import builtin
from erbm_geo.indicators.table import TABLE_SOURCES, indicator_table, sources_table
from erbm_geo.layers.population import population_table
from erbm_geo.maps.classify import classify
from erbm_geo.maps.interactive.webjson import js_json
from erbm_geo.maps.vocabulary import (
    CITE_CATEGORIES,
    DOCUMENTS,
    INDICATEURS,
    SOURCES_FR,
    STATION_MODES,
    SYNTHESES,
    Indicateur,
    cle_tri,
    couleurs,
    date_fr,
    dictionnaire,
    millesimes,
    nombre,
    producteur,
    synthese,
)
from erbm_geo.maps.vocabulary import sources_fr as french_sources
from erbm_geo.vocabulary import column

__all__ = ["BASEMAPS", "build_atlas"]

#: Default background of the atlas maps when the reader is online (each map offers all).
BASEMAPS = ("ign", "carto")

_HERE = Path(__file__).resolve().parent
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(_HERE / "templates"),
    autoescape=True,  # every value is HTML-escaped; templates never receive data as template text
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _num(x: Any) -> float:
    """Return *x* as a float, NaN when missing (pandas scalars of any kind)."""
    return float("nan") if x is None or pd.isna(x) else float(x)


def _facts(name: str) -> list[dict[str, str]]:
    """Return the rows of fact table *name* as text."""
    return [{str(k): str(v) for k, v in r.items()} for r in read_fact_table(name).to_dict("records")]


def _cite(source: str) -> str:
    """Give the French title of a cited document, e.g. ``"004_….txt (Dossier de presse…)"``."""
    m = re.match(r"\s*(\d{3}_[0-9a-f]+\.txt)", str(source))
    return DOCUMENTS.get(m.group(1), str(source)) if m else str(source)


@dataclass
class _Context:
    """Everything computed once for the whole build."""

    communes: gpd.GeoDataFrame  # the 250 basin communes, with every indicator
    membres: gpd.GeoDataFrame  # the communes of the 8 ERBM EPCI, with every indicator
    cites: gpd.GeoDataFrame
    epci: gpd.GeoDataFrame
    synthese: pd.DataFrame  # rows: SIREN of the 8 EPCI and "bassin"; columns: indicators
    rangs: pd.DataFrame  # rank (1 = highest) of each basin commune per indicator
    ranges: dict[str, int]  # communes ranked (with a value) per indicator
    qpv: gpd.GeoDataFrame
    geo_communes: Features
    date: date
    temps: Temps  # populations of every vintage (communes, EPCI, basin)
    friches: Friches  # the friche sites and their change since the previous extract


def _prepare(step: Callable[[str], None]) -> _Context:
    step("indicators of the communes and the cités")
    union = indicator_table(territory="bassin_minier_erbm", of="communes")  # stored once computed
    communes = union[union["in_basin"].to_numpy(dtype=bool)].copy()
    membres = union[union["in_erbm_epci"].to_numpy(dtype=bool)].copy()
    cites = indicator_table(of="cites")
    cites["categorie"] = np.where(
        cites["unesco_inscribed"], "inscrite", np.where(cites["erbm_programme"], "erbm", "tampon")
    )
    e = layers.epci()
    rows = {
        s: {c: synthese(membres[membres["siren_epci"] == s], i) for c, i in INDICATEURS.items()}
        for s in e.index
    }
    rows["bassin"] = {c: synthese(communes, i) for c, i in INDICATEURS.items()}
    resumes = pd.DataFrame.from_dict(rows, orient="index")
    rangs = (
        communes[list(INDICATEURS)].astype("float64").rank(ascending=False, method="min", na_option="keep")
    )
    step("map geometries")
    geo = features(communes, tolerance=25.0, coverage=True)
    day = build_datetime().date()
    ranges = {c: int(communes[c].notna().sum()) for c in INDICATEURS}
    step("populations since the first vintage")
    tp = temps(communes.index, membres)
    step("friche sites")
    fr = friches(cites)
    return _Context(communes, membres, cites, e, resumes, rangs, ranges, layers.qpv(), geo, day, tp, fr)


# ---------------------------------------------------------------- shared assets


def _assets(ctx: _Context, out: Path) -> None:
    import js_lib_leaflet

    root = Path(js_lib_leaflet.__file__).resolve().parent / "static" / "js_lib_leaflet"
    maps_static = _HERE.parent / "maps" / "interactive" / "static"
    css = (root / "leaflet.css").read_text("utf-8")
    css = re.sub(r"url\(images/", "url(images/", css)
    write_text_atomic(
        out / "assets" / "atlas.css",
        "/* Leaflet 1.9.4 (BSD-2-Clause) */\n"
        + css
        + "\n"
        + (maps_static / "erbm.css").read_text("utf-8")
        + "\n"
        + (_HERE / "static" / "atlas.css").read_text("utf-8"),
    )
    for img in sorted((root / "images").iterdir()):
        dest = out / "assets" / "images" / img.name
        data = img.read_bytes()
        if not dest.exists() or dest.read_bytes() != data:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    write_text_atomic(
        out / "assets" / "carte.js",
        "/* Leaflet 1.9.4 (BSD-2-Clause), https://leafletjs.com */\n"
        # without its source-map comment: the atlas ships no leaflet.js.map, a browser's
        # developer tools would ask for it (a 404)
        + re.sub(r"^//# sourceMappingURL=.*$", "", (root / "leaflet.js").read_text("utf-8"), flags=re.M)
        + "\n"
        + (maps_static / "erbm.js").read_text("utf-8")
        + "\n"
        + (_HERE / "static" / "carte.js").read_text("utf-8"),
    )
    noms = sorted(((str(n), str(c)) for c, n in ctx.communes["nom"].items()), key=lambda x: cle_tri(x[0]))
    write_text_atomic(
        out / "assets" / "site.js",
        "window.ERBM_COMMUNES = "
        + js_json([[n, c] for n, c in noms])
        + ";\n"
        + (_HERE / "static" / "site.js").read_text("utf-8"),
    )
    centres = layers.centres(level="acv_pvd")
    main = set(layers.centres(level="main").index)
    pts = centres.to_crs(4326)
    villes = sorted(
        (
            (str(n), float(g.y), float(g.x), 0 if c in main else 1)
            for c, n, g in zip(pts.index, pts["nom"], pts.geometry, strict=True)
        ),
        key=lambda v: (v[3], cle_tri(v[0])),
    )
    props = [{"code": str(c), "nom": str(n)} for c, n in ctx.communes["nom"].items()]
    write_text_atomic(
        out / "assets" / "contexte.js",
        contexte_js(
            communes=ctx.geo_communes,
            communes_props=props,
            epci=features(ctx.epci, tolerance=40.0, coverage=True),
            departements=features(layers.departements(), tolerance=80.0, coverage=True),
            outline=features(layers.basin_outline(), tolerance=40.0),
            rail=features(layers.rail_lines(territory="bassin_minier"), tolerance=30.0),
            villes=villes,
        ),
    )
    write_text_atomic(
        out / "assets" / "ici.js",
        ici_js(
            bien=layers.bien_inscrit(),
            zone_tampon=layers.zone_tampon(),
            cites=ctx.cites,
            qpv=ctx.qpv,
            stations=builtin.stations(),
            basin=ctx.communes,
        ),
    )


# ---------------------------------------------------------------- page helpers


def _render(out: Path, rel: str, template: str, **values: Any) -> None:
    depth = rel.count("/")
    spec = values.pop("carte", None)
    if isinstance(spec, MapSpec):  # the page's map in a script of its own, loaded last
        values["carte_js"] = f"assets/cartes/{rel.removesuffix('.html').replace('/', '-')}.js"
        write_text_atomic(out / values["carte_js"], carte_js(spec))
    html_ = _ENV.get_template(template).render(r="../" * depth, millesime=millesimes(), **values)
    write_text_atomic(out / rel, html_)


def _cell(ind: Indicateur, v: Any) -> dict[str, Any]:
    x = float(v) if v is not None and not pd.isna(v) else float("nan")
    return {"texte": ind.valeur(x), "tri": "" if np.isnan(x) else repr(round(x, 9)), "nd": bool(np.isnan(x))}


def _pop(v: Any) -> str:
    return nombre(float(v), 0) if not pd.isna(v) else "n.d."


def _cite_rows(
    ct: pd.DataFrame, logements: dict[str, tuple[int, str]], noms: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    rows = []
    for cid, r in sorted(ct.iterrows(), key=lambda x: cle_tri(str(x[1]["nom"]))):
        lg = logements.get(str(cid))
        rows.append(
            {
                "nom": str(r["nom"]),
                "type": str(r["type_cite"]) if pd.notna(r["type_cite"]) else "—",
                "interet": str(r["interet"]) if pd.notna(r["interet"]) else "—",
                "bailleur": str(r["bailleur"]) if pd.notna(r["bailleur"]) else "—",
                "statut": CITE_CATEGORIES[str(r["categorie"])][0],
                "logements": nombre(lg[0]) if lg else "—",
                "logements_source": lg[1] if lg else "",
                "surface": nombre(float(r["area_ha"]), 1) + "\u202fha",
                "surface_tri": repr(round(float(r["area_ha"]), 4)),
                "commune": str(r["code_insee"]),
                "commune_nom": (noms or {}).get(str(r["code_insee"]), ""),
            }
        )
    return rows


def _ind_rows(ctx: _Context, values: pd.Series, siren: str | None, code: str | None) -> list[dict[str, Any]]:
    rows = []
    for col, ind in INDICATEURS.items():
        rang = _num(ctx.rangs.at[code, col]) if code is not None else float("nan")
        n_ok = ctx.ranges[col]
        rows.append(
            {
                "col": col,
                "nom": ind.nom,
                "court": ind.court,
                "valeur": _cell(ind, values.get(col)),
                "epci": _cell(ind, ctx.synthese.at[siren, col])
                if siren in ctx.synthese.index
                else {"texte": "—", "tri": "", "nd": False},
                "bassin": _cell(ind, ctx.synthese.at["bassin", col]),
                "rang": (f"{int(rang)}\u1d49 sur {n_ok}" if int(rang) > 1 else f"1\u02b3\u1d49 sur {n_ok}")
                if not np.isnan(rang)
                else "—",
                "manquant": ind.manquant,
            }
        )
    return rows


# ---------------------------------------------------------------- maps

_COMMUNE_STYLE = {"color": "#4d4d4d", "weight": 0.6, "fillColor": "#ffffff", "fillOpacity": 0.0}


def _cites_layer(spec: MapSpec, ct: gpd.GeoDataFrame, geo: Features, rows: np.ndarray) -> None:
    order = list(CITE_CATEGORIES)
    props = [
        {"c": order.index(str(cat)), "t": [str(nom), CITE_CATEGORIES[str(cat)][0]]}
        for nom, cat in zip(ct["nom"], ct["categorie"], strict=True)
    ]
    spec.layer(
        "Cités minières",
        geo.collection(rows, props),
        style={"color": "#1f1f1f", "weight": 0.6, "fillOpacity": 0.85},
        palette=[CITE_CATEGORIES[k][1] for k in order],
    )
    present = [k for k in order if (ct["categorie"] == k).any()]
    if present:
        spec.legende(
            "Cités minières", [(CITE_CATEGORIES[k][0], CITE_CATEGORIES[k][1], "fill") for k in present]
        )


def _qpv_layer(spec: MapSpec, q: gpd.GeoDataFrame, geo: Features, rows: np.ndarray) -> None:
    if len(rows) == 0:
        return
    props = [{"t": [f"QPV {n}"]} for n in q["nom"].iloc[rows]]
    spec.layer(
        f"Quartiers prioritaires ({millesimes()['qpv']})",
        geo.collection(rows, props),
        style={
            "color": "#3f007d",
            "weight": 2.0,
            "dashArray": "5 3",
            "fillOpacity": 0.9,
            "fillColor": "#3f007d",
            "hachures": True,
        },
    )
    spec.legende(
        "Politique de la ville",
        [(f"Quartier prioritaire ({millesimes()['qpv']}), hachuré", "#3f007d", "hatch")],
    )


@dataclass
class _Geo:
    """The simplified layers of the portraits and EPCI maps, computed once."""

    cites: Features
    qpv: Features
    bien: Features
    bien_gdf: gpd.GeoDataFrame
    stations: Features
    stations_gdf: gpd.GeoDataFrame


def _geo(ctx: _Context) -> _Geo:
    bien = layers.bien_inscrit()
    st = layers.stations(territory="bassin_minier")
    return _Geo(
        features(ctx.cites, tolerance=5.0),
        features(ctx.qpv, tolerance=8.0),
        features(bien, tolerance=5.0),
        bien,
        features(st, tolerance=0.0),
        st,
    )


def _near(a: np.ndarray, b: np.ndarray, distance: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i in a, j in b) of geometries within *distance* m (EPSG:2154)."""
    tree = shapely.STRtree(b)
    if distance > 0:
        return cast("tuple[np.ndarray, np.ndarray]", tree.query(a, predicate="dwithin", distance=distance))
    return cast("tuple[np.ndarray, np.ndarray]", tree.query(a, predicate="intersects"))


# ---------------------------------------------------------------- the build


#: The titles of the downloadable GeoPackages' layers (gpkg_contents, shown by QGIS).
_GPKG_TITRES = {
    "communes": "Communes du Bassin minier : indicateurs",
    "cites": "Cités minières du Bassin minier : indicateurs",
}


@gc_paused
def _write_downloads(ctx: _Context, data: Path) -> None:
    """Write the downloads: CSV, French CSV, XLSX and GeoPackage of the communes and cités."""
    # every dataset a download comes from: the indicators', the friche sites' and the
    # population vintages' (each download then keeps its own)
    sources_fr = french_sources(
        (*TABLE_SOURCES, *FRICHES_SOURCES, *(f"populations_{y}" for y in ctx.temps.annees), *_QGIS_SOURCES)
    )
    indicateurs = sources_fr.loc[list(TABLE_SOURCES)]
    for name, table in (("communes", ctx.communes), ("cites", ctx.cites.drop(columns="categorie"))):
        write(table, data / f"{name}.csv", sources=indicateurs)
        table.attrs["title"] = _GPKG_TITRES[name]
        styles = [cites_style(table), *default_styles(table)] if name == "cites" else None
        write(table, data / f"{name}.gpkg", sources=indicateurs, layer=name, styles=styles)
        dico, decimals = dictionnaire([c for c in table.reset_index().columns if c != table.geometry.name])
        write(table, data / f"{name}_tableur.csv", sources=indicateurs, dialect="fr", decimals=decimals)
        write(
            table,
            data / f"{name}.xlsx",
            sources=indicateurs,
            decimals=decimals,
            dictionary=pd.DataFrame(dico),
        )
    _write_populations(ctx, data, sources_fr)
    _write_friches(ctx, data, sources_fr)
    # QGIS: the reference layers beside the indicators, and a project opening them all
    write_reference_layers(data, ctx.qpv, sources_fr)
    write_project(data, title="Bassin minier du Nord et du Pas-de-Calais", sources=TABLE_SOURCES)


def _write_friches(ctx: _Context, data: Path, sources_fr: pd.DataFrame) -> None:
    """Write the basin's friche sites (latest extract) with their dictionary and sources."""
    sites = ctx.friches.sites.copy()
    for col in ("site_statut", "site_type", "sol_pollution_existe"):
        sites[col] = sites[col].astype(str)
    for col in ("site_identif_date", "site_actu_date"):
        sites[col] = sites[col].dt.strftime("%Y-%m-%d")
    srcs = sources_fr[sources_fr.index.isin(FRICHES_SOURCES[1:])]
    dico, decimals = dictionnaire([c for c in sites.reset_index().columns if c != sites.geometry.name])
    write(sites, data / "friches_sites.csv", sources=srcs)
    write(sites, data / "friches_sites_tableur.csv", sources=srcs, dialect="fr", decimals=decimals)
    write(sites, data / "friches_sites.xlsx", sources=srcs, decimals=decimals, dictionary=pd.DataFrame(dico))
    sites.attrs["title"] = (
        f"Sites en friche du Bassin minier (Cartofriches, extrait du {date_fr(ctx.friches.extraits[1])})"
    )
    statut = layer_style(
        sites, "site_statut", name="Statut du site", title=sites.attrs["title"], outline="#333333"
    )
    write(sites, data / "friches_sites.gpkg", sources=srcs, layer="friches_sites", styles=statut)


def _write_populations(ctx: _Context, data: Path, sources_fr: pd.DataFrame) -> None:
    """Write the population history of the basin's communes, wide (with the change) and long."""
    t = ctx.temps
    hist = t.communes.loc[ctx.communes.index]
    hist.attrs = dict(t.communes.attrs)
    who = ctx.communes[["nom", "siren_epci", "nom_epci"]]
    wide = who.join(population_table(hist)).join(t.variation)
    long = population_table(hist, form="long")
    long.insert(1, "nom", who["nom"].reindex(long["code_insee"]).to_numpy())
    long = long.set_index("code_insee")
    srcs = sources_fr[sources_fr.index.isin(["cog_communes", *(f"populations_{y}" for y in t.annees)])]
    for name, table in (("populations", wide), ("populations_long", long)):
        dico, decimals = dictionnaire(list(table.reset_index().columns))
        write(table, data / f"{name}.csv", sources=srcs)
        write(table, data / f"{name}_tableur.csv", sources=srcs, dialect="fr", decimals=decimals)
        if name == "populations":  # the long form is for tools; its workbook would repeat the wide one
            book = pd.DataFrame(dico)
            write(table, data / f"{name}.xlsx", sources=srcs, decimals=decimals, dictionary=book)


def _bien_layer(spec: MapSpec, g: Any, rows: np.ndarray) -> None:
    """Add the parts of the UNESCO property at *rows* to a portrait's map."""
    if not len(rows):
        return
    spec.layer(
        "Bien inscrit UNESCO",
        g.bien.collection(
            rows,
            [{"t": ["Élément du bien inscrit UNESCO", str(s)]} for s in g.bien_gdf["section"].iloc[rows]],
        ),
        style={"color": "#7f2704", "weight": 0.8, "fillColor": "#fdae6b", "fillOpacity": 0.6},
    )
    spec.legende("Patrimoine mondial", [("Élément du bien inscrit", "#fdae6b", "fill")])


def _stations_layer(spec: MapSpec, g: Any, rows: np.ndarray) -> None:
    """Add the stations at *rows* (train, tram, metro) to a portrait's map."""
    if not len(rows):
        return
    st = g.stations_gdf.iloc[rows]
    modes = STATION_MODES
    mk = [m for m in modes if (st["mode"] == m).any()]
    props = [
        {"c": mk.index(m) if m in mk else 0, "t": [str(n), modes.get(m, ("", ""))[0]]}
        for n, m in zip(st["nom"], st["mode"], strict=True)
    ]
    spec.layer(
        "Gares et stations",
        g.stations.collection(rows, props),
        style={"radius": 6, "color": "#ffffff", "weight": 1.5, "fillOpacity": 1},
        palette=[modes[m][1] for m in mk],
        kind="point",
    )
    spec.legende("Transports", [(modes[m][0], modes[m][1], "dot") for m in mk])


def build_atlas(
    out: str | Path, *, basemap: str | None = "ign", progress: Callable[[str], None] | None = None
) -> Path:
    """Write the atlas into folder *out* and return the path of its home page.

    Parameters
    ----------
    out : path
        Output folder (created). Files of the atlas are replaced atomically.
    basemap : {"ign", "carto"} or None
        The background shown first when the reader is online (IGN Plan from the Géoplateforme,
        or CARTO's light map); every map also offers the others and "no background". ``None``
        opens the maps without tiles (offline reading: the context drawn from the data alone).
    progress : callable, optional
        Called with a short message at each step (the CLI prints them).

    Returns
    -------
    pathlib.Path
        ``out / "index.html"``.

    Raises
    ------
    UnknownOptionError
        If *basemap* is unknown.
    DataNotFoundError
        If a layer is neither in the mirror nor downloadable.
    ChecksumError
        If a source file does not have its catalogued sha256.

    Examples
    --------
    Build it (about a minute; ``erbm-geo atlas --out DIR`` does the same):

    >>> import tempfile
    >>> index = build_atlas(tempfile.mkdtemp(), basemap=None)  # doctest: +SKIP

    An unknown background is refused before any work:

    >>> build_atlas(tempfile.mkdtemp(), basemap="google")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.UnknownOptionError: unknown basemap 'google'; choose ['ign', 'carto'] or None
    """
    if basemap is not None and basemap not in BASEMAPS:
        raise UnknownOptionError(f"unknown basemap {basemap!r}; choose {list(BASEMAPS)} or None")
    step = progress or (lambda _msg: None)
    out = Path(out)
    ctx = _prepare(step)
    fond = basemap or "aucun"
    step("shared assets")
    _assets(ctx, out)
    _write_downloads(ctx, out / "donnees")
    commun = {"date": date_fr(ctx.date.isoformat()), "annee": ctx.date.year, "fond": fond}
    pages = _pages(ctx, out, commun)
    step("commune portraits")
    for pos in range(len(pages.codes)):
        _portrait(pages, pos)
    _communes_index(pages)
    step("EPCI pages")
    epci_rows = [_epci_page(pages, str(siren)) for siren in ctx.epci.index]
    epci_rows.sort(key=lambda x: cle_tri(x["nom"]))
    _render(
        out,
        "epci/index.html",
        "epcis.html",
        **commun,
        titre="Les 8 intercommunalités",
        rubrique="epci",
        epcis=epci_rows,
    )
    step("indicator pages")
    items = [_indicator_page(pages, col, ind) for col, ind in INDICATEURS.items()]
    _render(
        out,
        "indicateurs/index.html",
        "indicateurs.html",
        **commun,
        titre="Indicateurs",
        rubrique="indicateurs",
        items=items,
    )
    step("evolution since the first vintage")
    _evolution_page(pages)
    _friches_page(pages)
    step("home, downloads and sources")
    _home(out, ctx, pages.g, commun, epci_rows)
    _telechargements(out, commun, out / "donnees")
    _sources(out, ctx, commun, sources_table())
    return out / "index.html"


# ---------------------------------------------------------------- pages: shared context


@dataclass
class _Pages:
    """What every page builder reads: the build context, the map layers, the lookups."""

    ctx: _Context
    out: Path
    commun: dict[str, Any]  # the values of every page (date, year, background)
    g: _Geo
    logements: dict[str, tuple[int, str]]  # cite_id -> (homes renovated, document cited)
    qpv_noms: dict[str, str]
    ep_noms: dict[str, str]
    courts: pd.Series  # short names of the 8 EPCI, by SIREN
    codes: np.ndarray  # INSEE codes of the basin communes, in the table's order
    ordre: list[int]  # positions of the communes in French alphabetical order
    near: dict[str, tuple[np.ndarray, np.ndarray]]  # commune position -> cités, QPV, bien, stations


def _pages(ctx: _Context, out: Path, commun: dict[str, Any]) -> _Pages:
    g = _geo(ctx)
    logements = {
        str(r["cite_id"]): (int(_num(r["logements"])), _cite(str(r["source"])))
        for r in layers.programme_cites().to_dict("records")
        if pd.notna(r["cite_id"])
    }
    courts = read_fact_table("erbm_epci").set_index("siren_epci")["nom_court"].astype(str)
    courts.index = courts.index.astype(str)
    cg = np.asarray(ctx.communes.geometry.values, dtype=object)
    near = {
        "cites": _near(cg, np.asarray(ctx.cites.geometry.values, dtype=object)),
        "qpv": _near(cg, np.asarray(ctx.qpv.geometry.values, dtype=object)),
        "bien": _near(cg, np.asarray(g.bien_gdf.geometry.values, dtype=object)),
        "stations": _near(cg, np.asarray(g.stations_gdf.geometry.values, dtype=object), 1500.0),
        "friches": _near(cg, np.asarray(ctx.friches.sites.geometry.values, dtype=object)),
    }
    codes = ctx.communes.index.astype(str).to_numpy()
    return _Pages(
        ctx,
        out,
        commun,
        g,
        logements,
        ctx.qpv["nom"].astype(str).to_dict(),
        ctx.epci["nom_epci"].astype(str).to_dict(),
        courts,
        codes,
        sorted(range(len(codes)), key=lambda k: cle_tri(str(ctx.communes["nom"].iloc[k]))),
        near,
    )


def _of(p: _Pages, what: str, pos: int) -> np.ndarray:
    """Return the rows of layer *what* near the commune at position *pos*."""
    i, j = p.near[what]
    return cast("np.ndarray", j[i == pos])


# ---------------------------------------------------------------- pages: commune portraits

_PORTRAIT_SOURCES = (
    "communes_59",
    "populations_2016",
    "populations_2023",
    "communes_62",
    "cog_communes",
    "qpv",
    "cites_minieres",
    "zt_cites_minieres",
    "cites_erbm",
    "bien_inscrit",
    "gares_voyageurs",
    "osm_stations",
    "filosofi_communes",
    "filosofi_iris",
    "cartofriches_communes",
)


def _portrait_map(p: _Pages, pos: int) -> MapSpec:
    ctx, g = p.ctx, p.g
    r = ctx.communes.iloc[pos]
    spec = MapSpec(f"Carte de {r['nom']}", base="communes", base_props={p.codes[pos]: {"surligne": True}})
    spec.sources = [
        millesimes()["contours"],
        "Mission Bassin Minier",
        millesimes()["anct_qpv"],
        "SNCF, © les contributeurs d'OpenStreetMap",
    ]
    own = _of(p, "cites", pos)
    _bien_layer(spec, g, _of(p, "bien", pos))
    _qpv_layer(spec, ctx.qpv, g.qpv, _of(p, "qpv", pos))
    if len(own):
        _cites_layer(spec, ctx.cites.iloc[own], g.cites, own)
    _stations_layer(spec, g, _of(p, "stations", pos))
    couche(spec, ctx.friches, _of(p, "friches", pos))
    spec.legende(
        "Repères",
        [(str(r["nom"]), "#d7301f", "outline"), ("Autres communes du Bassin minier", "#4d4d4d", "outline")],
    )
    spec.fit(ctx.geo_communes.bounds[pos], 0.004)
    return spec


def _portrait(p: _Pages, pos: int) -> None:
    """Write the portrait of the commune at position *pos* (``communes/<code>.html``)."""
    ctx, code = p.ctx, p.codes[pos]
    r = ctx.communes.iloc[pos]
    siren = str(r["siren_epci"])
    spec = _portrait_map(p, pos)
    k = p.ordre.index(pos)
    noms = ctx.communes["nom"]
    voisins = [
        (p.codes[p.ordre[k - 1]], str(noms.iloc[p.ordre[k - 1]])) if k else None,
        (p.codes[p.ordre[k + 1]], str(noms.iloc[p.ordre[k + 1]])) if k + 1 < len(p.ordre) else None,
    ]
    qpv_list = sorted(
        {p.qpv_noms[c] for c in str(r["qpv_codes"] or "").split(";") if c in p.qpv_noms}, key=cle_tri
    )
    _render(
        p.out,
        f"communes/{code}.html",
        "commune.html",
        **p.commun,
        titre=str(r["nom"]),
        rubrique="communes",
        c=r,
        code=code,
        dep={"59": "du Nord", "62": "du Pas-de-Calais"}.get(str(r["departement"]), ""),
        epci=p.ep_noms.get(siren),
        siren=siren,
        epci_nom=str(r["nom_epci"]),
        epci_court=p.courts.get(siren, str(r["nom_epci"])),
        population=_pop(r["population"]),
        surface=nombre(float(r["area_km2"]), 1),
        indicateurs=_ind_rows(ctx, r, siren, code),
        cites=_cite_rows(ctx.cites.iloc[_of(p, "cites", pos)], p.logements),
        qpv=qpv_list,
        carte=spec,
        legendes=spec.legendes,
        voisins=voisins,
        evolution=_portrait_evolution(p, code, str(r["nom"]), siren),
        friches=lignes(ctx.friches, _of(p, "friches", pos)),
        friches_changement=resume_changement(ctx.friches, [code]),
        sources=_sources_for((*_PORTRAIT_SOURCES, FRICHES_SOURCES[1])),
    )


def _portrait_evolution(p: _Pages, code: str, nom: str, siren: str) -> dict[str, Any]:
    """Return the « Évolution » section of a portrait: the commune, its EPCI (ERBM only), the basin."""
    t = p.ctx.temps
    series: list[tuple[str, pd.Series]] = [(nom, cast("pd.Series", t.communes.loc[code]))]
    cles = [code]
    if siren in t.epci.index:
        series.append((str(p.courts.get(siren, siren)), cast("pd.Series", t.epci.loc[siren])))
        cles.append(siren)
    series.append(("Bassin minier", t.bassin))
    cles.append("bassin")
    titre = f"Population de {nom}, indice 100 en {t.annees[0]}"
    return serie(t, series, ident="evolution", titre=titre, cles=cles)


def _communes_index(p: _Pages) -> None:
    """Write the list of the communes by EPCI (``communes/index.html``)."""
    ctx = p.ctx
    by_epci: dict[str, list[tuple[str, str]]] = {}
    for code, nom, siren in zip(p.codes, ctx.communes["nom"], ctx.communes["siren_epci"], strict=True):
        by_epci.setdefault(str(siren), []).append((str(code), str(nom)))
    groupes = sorted(
        (
            {
                "siren": s,
                "nom": str(ctx.communes.loc[ctx.communes["siren_epci"] == s, "nom_epci"].iloc[0]),
                "erbm": s in p.ep_noms,
                "communes": sorted(v, key=lambda x: cle_tri(x[1])),
            }
            for s, v in by_epci.items()
        ),
        key=lambda x: cle_tri(str(x["nom"])),
    )
    _render(
        p.out,
        "communes/index.html",
        "communes.html",
        **p.commun,
        titre="Les 250 communes",
        rubrique="communes",
        groupes=groupes,
        n=len(p.codes),
    )


# ---------------------------------------------------------------- pages: EPCI


def _epci_map(p: _Pages, s: str, mem: gpd.GeoDataFrame) -> tuple[MapSpec, np.ndarray]:
    ctx = p.ctx
    spec = MapSpec(
        f"Carte de {p.ep_noms[s]}",
        base="communes",
        base_props={c: {"dans": True} for c in mem.index.astype(str)},
    )
    spec.sources = [millesimes()["contours"], "Mission Bassin Minier", millesimes()["anct_qpv"]]
    qi, qj = p.near["qpv"]
    qrows = np.unique(qj[np.isin(qi, np.flatnonzero(ctx.communes["siren_epci"].to_numpy() == s))])
    _qpv_layer(spec, ctx.qpv, p.g.qpv, qrows)
    cpos = np.flatnonzero(ctx.cites["siren_epci"].to_numpy() == s)
    if len(cpos):
        _cites_layer(spec, ctx.cites[ctx.cites["siren_epci"] == s], p.g.cites, cpos)
    spec.legende("Repères", [("Communes de l'intercommunalité dans le bassin", "#d7301f", "outline")])
    eb = shapely.bounds(
        shapely.union_all(gpd.GeoSeries(mem.geometry.values, crs=mem.crs).to_crs(4326).values)
    )
    spec.fit(eb, 0.01)
    return spec, qrows


def _epci_comparison(p: _Pages, s: str) -> list[dict[str, Any]]:
    out = []
    for col, ind in INDICATEURS.items():
        v, b = _num(p.ctx.synthese.at[s, col]), _num(p.ctx.synthese.at["bassin", col])
        out.append(
            {
                "col": col,
                "nom": ind.nom,
                "court": ind.court,
                "valeur": _cell(ind, v),
                "bassin": _cell(ind, b),
                "graphique": charts.comparaison(v, b, ind, nom=p.courts.get(s, s), ident=f"cmp-{col}"),
            }
        )
    return out


def _epci_members(mem: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    return [
        {
            "code": str(c),
            "nom": str(r["nom"]),
            "bassin": bool(r["in_basin"]),
            "population": _pop(r["population"]),
            "population_tri": str(int(r["population"])) if pd.notna(r["population"]) else "",
            "cites": int(r["n_cites"]),
            "valeurs": [_cell(INDICATEURS[k], r[k]) for k in _EPCI_COLS],
        }
        for c, r in sorted(mem.iterrows(), key=lambda x: cle_tri(str(x[1]["nom"])))
    ]


def _epci_page(p: _Pages, s: str) -> dict[str, Any]:
    """Write the page of EPCI *s* (``epci/<siren>.html``) and return its row of the EPCI list."""
    ctx = p.ctx
    mem = ctx.membres[ctx.membres["siren_epci"] == s]
    ct = ctx.cites[ctx.cites["siren_epci"] == s]
    spec, qrows = _epci_map(p, s, mem)
    noms_communes = {str(c): str(n) for c, n in ctx.communes["nom"].items()}
    _render(
        p.out,
        f"epci/{s}.html",
        "epci.html",
        **p.commun,
        titre=p.ep_noms[s],
        rubrique="epci",
        siren=s,
        court=p.courts.get(s, s),
        n_communes=len(mem),
        n_bassin=int(mem["in_basin"].sum()),
        population=_pop(mem["population"].sum()),
        n_cites=len(ct),
        n_qpv=len(qrows),
        comparaison=_epci_comparison(p, s),
        membres=_epci_members(mem),
        colonnes=[INDICATEURS[k] for k in _EPCI_COLS],
        cites=_cite_rows(ct, p.logements, noms_communes),
        carte=spec,
        legendes=spec.legendes,
        **_epci_evolution(p, s, mem),
        **_epci_friches(p, mem),
    )
    return {
        "siren": s,
        "nom": p.ep_noms[s],
        "court": p.courts.get(s, s),
        "communes": len(mem),
        "bassin": int(mem["in_basin"].sum()),
        "population": _pop(mem["population"].sum()),
        "population_tri": str(int(mem["population"].sum())),
        "cites": len(ct),
        "inscrites": int(ct["unesco_inscribed"].sum()),
        "erbm": int(ct["erbm_programme"].sum()),
    }


def _epci_friches(p: _Pages, mem: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return the EPCI's friche sites (in its communes of the basin) and their change."""
    fr = p.ctx.friches
    codes = [str(c) for c in mem.index]
    rows = lignes(fr, np.flatnonzero(fr.sites["code_insee"].isin(codes).to_numpy()))
    noms = {str(c): str(n) for c, n in zip(mem.index, mem["nom"], strict=True)}
    for r in rows:
        r["commune"] = noms.get(r["code_insee"], r["code_insee"])
    return {"friches": rows, "friches_changement": resume_changement(fr, codes)}


def _epci_evolution(p: _Pages, s: str, mem: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return the EPCI's « Évolution »: the EPCI against the basin, and each member's change."""
    t = p.ctx.temps
    court = str(p.courts.get(s, s))
    rows = [
        {
            "code": str(c),
            "nom": str(n),
            "bassin": bool(b),
            **t.resumes[str(c)],
        }
        for c, n, b in zip(mem.index, mem["nom"], mem["in_basin"], strict=True)
    ]
    rows.sort(key=lambda x: cle_tri(x["nom"]))
    return {
        "evolution": serie(
            t,
            [(court, cast("pd.Series", t.epci.loc[s])), ("Bassin minier", t.bassin)],
            cles=[s, "bassin"],
            ident="evolution",
            titre=f"Population de {court}, indice 100 en {t.annees[0]}",
        ),
        "evolution_communes": rows,
    }


# ---------------------------------------------------------------- pages: the basin over time


def _evolution_page(p: _Pages) -> None:
    """Write the basin's evolution page (``evolution.html``): map, EPCI, communes, milestones."""
    ctx, t = p.ctx, p.ctx.temps
    noms = pd.Series(ctx.communes["nom"].astype(str).to_numpy(), index=p.codes)
    epcis = pd.Series(ctx.communes["nom_epci"].astype(str).to_numpy(), index=p.codes)
    bounds = np.r_[ctx.geo_communes.bounds[:, :2].min(axis=0), ctx.geo_communes.bounds[:, 2:].max(axis=0)]
    spec = carte_variation(t, p.codes, noms, bounds)
    epci_rows = sorted(
        ({"siren": str(s), "nom": p.ep_noms[str(s)], **t.resumes[str(s)]} for s in ctx.epci.index),
        key=lambda x: cle_tri(x["nom"]),
    )
    faits = _home_facts()
    ind = column("population_change_pct")
    _render(
        p.out,
        "evolution.html",
        "evolution.html",
        **p.commun,
        titre=f"Le Bassin minier depuis {t.annees[0]}",
        rubrique="evolution",
        periode=t.periode,
        annees=t.annees,
        bassin=serie(
            t,
            [("Bassin minier", t.bassin)],
            cles=["bassin"],
            ident="evolution-bassin",
            titre=f"Population du Bassin minier, indice 100 en {t.annees[0]}",
        ),
        carte=spec,
        legendes=spec.legendes,
        epcis=epci_rows,
        **classement(t, noms, epcis),
        progression=faits["graphique"],
        jalons=faits["jalons"],
        objectif=faits["objectif"],
        definition=ind.definition,
        methode=ind.method,
        limites=ind.limits,
        sources=_sources_for(("cog_communes", *(f"populations_{y}" for y in t.annees))),
    )


# ---------------------------------------------------------------- pages: the friche sites


def _friches_page(p: _Pages) -> None:
    """Write the basin's friche sites page (``friches.html``): a table to sort and filter."""
    ctx, fr = p.ctx, p.ctx.friches
    noms = dict(zip(p.codes, ctx.communes["nom"].astype(str), strict=True))
    epcis = dict(zip(p.codes, ctx.communes["nom_epci"].astype(str), strict=True))
    rows = lignes(fr, np.arange(len(fr.sites)))
    for r in rows:
        r["commune"] = noms.get(r["code_insee"], r["code_insee"])
        r["epci"] = epcis.get(r["code_insee"], "")
        r["dans_bassin"] = r["code_insee"] in noms
    par_statut = pd.Series([r["statut"] for r in rows]).value_counts()
    _render(
        p.out,
        "friches.html",
        "friches.html",
        **p.commun,
        titre="Les sites en friche du Bassin minier",
        rubrique="friches",
        sites=rows,
        statuts=[(s, int(par_statut.get(s, 0))) for s in fr.statuts],
        communes=sorted({r["commune"] for r in rows}, key=cle_tri),
        changement=resume_changement(fr),
        extrait=date_fr(fr.extraits[1]),
        n_cites=sum(1 for r in rows if r["cites"]),
        sources=_sources_for(FRICHES_SOURCES),
        limites=column("friche_sites_status_changed").limits,
    )


# ---------------------------------------------------------------- pages: indicators


def _indicator_map(p: _Pages, ind: Indicateur, v: np.ndarray) -> MapSpec:
    ctx = p.ctx
    cls, labels = classify(v, ind.nombre, scheme="fisher_jenks", k=5)
    pal = couleurs(ind.palette, max(len(labels), 1))
    spec = MapSpec(
        f"Carte : {ind.court}",
        base="communes",
        base_props={
            c: {"c": int(k), "t": [f"{ind.court} : {ind.valeur(x)}"]}
            for c, k, x in zip(p.codes, cls, v, strict=True)
        },
    )
    spec.sources = [
        millesimes()["contours"],
        *sorted({producteur(CATALOGUE[s].attribution) for s in ind.sources}),
    ]
    items_l = [(lab, col_, "fill") for lab, col_ in zip(labels, pal, strict=True)]
    n_na = int(np.isnan(v).sum())
    if n_na:
        items_l.append((f"Données manquantes ({n_na} communes)", "#9e9e9e", "nd"))
    spec.palette = pal
    spec.legende(ind.titre, items_l, note=ind.manquant if n_na else None)
    spec.fit(
        np.r_[ctx.geo_communes.bounds[:, :2].min(axis=0), ctx.geo_communes.bounds[:, 2:].max(axis=0)],
        0.01,
    )
    return spec


def _indicator_rows(p: _Pages, ind: Indicateur, v: np.ndarray) -> dict[str, Any]:
    """Return the table of every commune, the ten highest and lowest, and what is missing."""
    ctx, codes = p.ctx, p.codes
    noms = ctx.communes["nom"].astype(str)
    order = np.argsort(-np.nan_to_num(v, nan=-np.inf), kind="stable")
    ok = order[~np.isnan(v[order])]
    n_na = int(np.isnan(v).sum())
    manque = None
    if n_na:
        pop_na = ctx.communes.loc[np.isnan(v), "population"].max()
        manque = (
            f"{n_na} des {len(v)} communes n'ont pas de valeur ; la plus peuplée d'entre "
            f"elles compte {_pop(pop_na)} habitants."
        )
    return {
        "lignes": [
            {
                "code": codes[k],
                "nom": noms.iloc[k],
                "epci": str(ctx.communes["nom_epci"].iloc[k]),
                "valeur": _cell(ind, v[k]),
            }
            for k in sorted(range(len(codes)), key=lambda k: cle_tri(noms.iloc[k]))
        ],
        "haut": [{"code": codes[k], "nom": noms.iloc[k], "valeur": ind.valeur(v[k])} for k in ok[:10]],
        "bas": [{"code": codes[k], "nom": noms.iloc[k], "valeur": ind.valeur(v[k])} for k in ok[::-1][:10]],
        "manque": manque,
    }


def _indicator_page(p: _Pages, col: str, ind: Indicateur) -> dict[str, Any]:
    """Write the page of indicator *col* (``indicateurs/<col>.html``) and return its list row."""
    v = p.ctx.communes[col].astype("float64").to_numpy()
    spec = _indicator_map(p, ind, v)
    bassin = _num(p.ctx.synthese.at["bassin", col])
    _render(
        p.out,
        f"indicateurs/{col}.html",
        "indicateur.html",
        **p.commun,
        titre=ind.nom,
        rubrique="indicateurs",
        ind=ind,
        bassin=ind.valeur(bassin),
        synthese=SYNTHESES[ind.synthese],
        minimum=ind.valeur(np.nanmin(v)),
        maximum=ind.valeur(np.nanmax(v)),
        histogramme=charts.histogramme(
            v, ind, repere=bassin, repere_label=f"Bassin : {ind.valeur(bassin)}", ident=f"hist-{col}"
        ),
        carte=spec,
        legendes=spec.legendes,
        sources=_sources_for(ind.sources),
        **_indicator_rows(p, ind, v),
    )
    return {
        "col": col,
        "nom": ind.nom,
        "definition": ind.definition,
        "bassin": ind.valeur(bassin),
        "synthese": SYNTHESES[ind.synthese],
    }


_EPCI_COLS = ("qpv_share", "centre_distance_m", "station_distance_m", "revenu_median_commune")


def _sources_for(names: tuple[str, ...]) -> list[dict[str, str]]:
    return [
        {
            "nom": SOURCES_FR.get(n, CATALOGUE[n].title),
            "producteur": producteur(CATALOGUE[n].attribution),
            "licence": CATALOGUE[n].licence,
            "millesime": CATALOGUE[n].vintage,
        }
        for n in dict.fromkeys(names)
        if n in CATALOGUE
    ]


def _home_facts() -> dict[str, Any]:
    """Return the programme's figures of the home page, each with its document (fact tables)."""
    jalons = _facts("programme_milestones")
    inv = {r["indicator"]: r for r in _facts("inventory_figures")}
    faits: list[dict[str, str]] = []

    def fait(texte: str, r: dict[str, str]) -> int:
        faits.append({"texte": texte, "source": _cite(r["source"]), "section": r["section"]})
        return len(faits)

    def un(indicator: str) -> dict[str, str]:
        return next(r for r in jalons if r["indicator"] == indicator)

    def n(r: dict[str, str]) -> str:
        return nombre(float(r["value"]))

    obj, prio, sig = (
        un("objectif_logements_rehabilites"),
        un("cites_prioritaires"),
        un("partenaires_signataires"),
    )
    prog = sorted((r for r in jalons if r["indicator"] == "logements_rehabilites"), key=lambda r: r["date"])
    last = prog[-1]
    n_inv, n_lg, n_ins = (
        inv["cites_minieres_recensees"],
        inv["logements_cites_minieres"],
        inv["cites_inscrites_unesco"],
    )
    intro = {
        "inventaire": fait(f"{n(n_inv)} cités minières recensées, {n(n_lg)} logements", n_inv),
        "inscrites": fait(f"{n(n_ins)} cités inscrites au patrimoine mondial en juin 2012", n_ins),
        "signature": fait(
            f"le {date_fr(sig['date'])}, {n(sig)} partenaires — l'État, la Région "
            "Hauts-de-France, les Départements du Nord et du Pas-de-Calais et les 8 "
            "intercommunalités du Bassin minier — se sont engagés pour dix ans",
            sig,
        ),
        "objectif": fait(f"objectif de {n(obj)} logements miniers réhabilités en dix ans", obj),
        "prioritaires": fait(
            f"{n(prio)} cités prioritaires retenues au comité de pilotage du {date_fr(prio['date'])}", prio
        ),
        "avancement": fait(f"plus de {n(last)} logements réhabilités au {date_fr(last['date'])}", last),
    }
    for r in prog:
        fait(
            f"{'plus de ' if r['comparator'] == '>' else 'environ '}{n(r)} logements "
            f"réhabilités au {date_fr(r['date'])}",
            r,
        )
    points = [(r["date"], float(r["value"]), r["comparator"]) for r in prog]
    return {
        "intro": intro,
        "faits": faits,
        "graphique": charts.progression(points, float(obj["value"]), obj["date"]),
        "jalons": [
            {
                "date": date_fr(p[0]),
                "valeur": ("plus de " if p[2] == ">" else "environ ") + nombre(p[1]),
                "source": _cite(r["source"]),
            }
            for p, r in zip(points, prog, strict=True)
        ],
        "objectif": nombre(float(obj["value"])),
    }


def _home_map(ctx: _Context, g: _Geo) -> MapSpec:
    spec = MapSpec("Carte du Bassin minier", base="communes", base_props={})
    spec.sources = [millesimes()["contours"], "Mission Bassin Minier", millesimes()["anct_qpv"]]
    spec.layer(
        "Bien inscrit UNESCO",
        g.bien.collection(
            range(len(g.bien_gdf)),
            [{"t": ["Élément du bien inscrit UNESCO", str(s)]} for s in g.bien_gdf["section"]],
        ),
        style={"color": "#7f2704", "weight": 0.6, "fillColor": "#fdae6b", "fillOpacity": 0.7},
    )
    spec.legende("Patrimoine mondial", [("Élément du bien inscrit", "#fdae6b", "fill")])
    _cites_layer(spec, ctx.cites, g.cites, np.arange(len(ctx.cites)))
    spec.legende(
        "Repères",
        [("Intercommunalité de l'ERBM", "#1f1f1f", "line"), ("Limite du Bassin minier", "#000000", "thick")],
    )
    spec.fit(
        np.r_[ctx.geo_communes.bounds[:, :2].min(axis=0), ctx.geo_communes.bounds[:, 2:].max(axis=0)], 0.01
    )
    return spec


_HOME_VINTAGES = (
    "cog_communes",
    "qpv",
    "cites_minieres",
    "cites_erbm",
    "filosofi_communes",
    "cartofriches_communes",
    "osm_stations",
)


def _home(out: Path, ctx: _Context, g: _Geo, commun: dict[str, Any], epci_rows: list[dict[str, Any]]) -> None:
    """Write the home page: the programme's figures, the basin map, key figures, the EPCI, vintages."""
    c = ctx.communes
    chiffres = [
        (nombre(len(c)), "communes dans le Bassin minier"),
        (nombre(float(c["population"].sum())), f"habitants ({millesimes()['population']})"),
        (nombre(len(ctx.cites)), "cités minières cartographiées"),
        (
            nombre(int(ctx.cites["unesco_inscribed"].sum())),
            "cités inscrites au patrimoine mondial (cartographiées)",
        ),
        (nombre(int(ctx.cites["erbm_programme"].sum())), "cités du programme ERBM"),
        (nombre(int((ctx.communes["n_qpv"] > 0).sum())), "communes touchées par un QPV"),
    ]
    spec = _home_map(ctx, g)
    _render(
        out,
        "index.html",
        "index.html",
        **commun,
        titre="Atlas du Bassin minier du Nord et du Pas-de-Calais",
        rubrique="accueil",
        **_home_facts(),
        chiffres=chiffres,
        epcis=epci_rows,
        carte=spec,
        legendes=spec.legendes,
        millesimes=[(SOURCES_FR.get(n, CATALOGUE[n].title), CATALOGUE[n].vintage) for n in _HOME_VINTAGES],
    )


_GPKG = "GeoPackage (Lambert-93) : une couche et ses styles QGIS ; sources dans les métadonnées du fichier"

#: Datasets of the reference layers published for QGIS (QPV, UNESCO property and buffer zone, stations).
_QGIS_SOURCES = ("qpv", "bien_inscrit", "zone_tampon", "gares_voyageurs", "osm_stations")


#: The downloads listed on the downloads page: file -> (title, format), in this order.
_FICHIERS: dict[str, tuple[str, str]] = {
    "communes.csv": (
        "Indicateurs des 250 communes du Bassin minier",
        "CSV standard (UTF-8, "
        "séparateur virgule, point décimal, codes INSEE en texte) ; sources dans "
        "communes.sources.csv",
    ),
    "communes_tableur.csv": (
        "Les mêmes, pour un tableur en français",
        "CSV pour LibreOffice "
        "Calc ou Excel en français (UTF-8 avec BOM, point-virgule, "
        "virgule décimale, oui/non, valeurs arrondies)",
    ),
    "communes.xlsx": (
        "Les mêmes, avec le dictionnaire des colonnes",
        "Classeur Excel : feuilles « donnees », « dictionnaire » et « sources »",
    ),
    "communes.gpkg": ("Les mêmes, avec les contours des communes", _GPKG),
    "cites.csv": (
        "Indicateurs des cités minières",
        "CSV standard (UTF-8) ; sources dans cites.sources.csv",
    ),
    "cites_tableur.csv": (
        "Les mêmes, pour un tableur en français",
        "CSV pour tableur en français (UTF-8 avec BOM, point-virgule, virgule décimale)",
    ),
    "cites.xlsx": (
        "Les mêmes, avec le dictionnaire des colonnes",
        "Classeur Excel : feuilles « donnees », « dictionnaire » et « sources »",
    ),
    "cites.gpkg": ("Les mêmes, avec les contours des cités", _GPKG),
    "populations.csv": (
        "Populations de chaque millésime des 250 communes et leur évolution",
        "CSV standard (UTF-8) : une ligne par commune, une colonne par millésime ; sources "
        "dans populations.sources.csv",
    ),
    "populations_tableur.csv": (
        "Les mêmes, pour un tableur en français",
        "CSV pour tableur en français (UTF-8 avec BOM, point-virgule, virgule décimale)",
    ),
    "populations.xlsx": (
        "Les mêmes, avec le dictionnaire des colonnes (le millésime de chacune)",
        "Classeur Excel : feuilles « donnees », « dictionnaire » et « sources »",
    ),
    "populations_long.csv": (
        "Populations de chaque millésime, une ligne par commune et par millésime",
        "CSV standard (UTF-8) : colonnes annee, population_vintage, cog, en_vigueur",
    ),
    "populations_long_tableur.csv": (
        "Les mêmes, pour un tableur en français",
        "CSV pour tableur en français (UTF-8 avec BOM, point-virgule)",
    ),
    "friches_sites.csv": (
        "Les sites en friche du Bassin minier (Cartofriches, dernier extrait)",
        "CSV standard (UTF-8) ; sources dans friches_sites.sources.csv",
    ),
    "friches_sites_tableur.csv": (
        "Les mêmes, pour un tableur en français",
        "CSV pour tableur en français (UTF-8 avec BOM, point-virgule, virgule décimale)",
    ),
    "friches_sites.xlsx": (
        "Les mêmes, avec le dictionnaire des colonnes",
        "Classeur Excel : feuilles « donnees », « dictionnaire » et « sources »",
    ),
    "friches_sites.gpkg": ("Les mêmes, points des sites", _GPKG),
    "qpv.gpkg": ("Quartiers prioritaires de la politique de la ville (contours)", _GPKG),
    "bien_inscrit.gpkg": ("Éléments du bien inscrit au patrimoine mondial (contours)", _GPKG),
    "zone_tampon.gpkg": ("Zone tampon du bien inscrit (contours)", _GPKG),
    "gares.gpkg": ("Gares et stations du Bassin minier (points)", _GPKG),
    PROJECT: (
        "Projet QGIS : les GeoPackages ci-dessus avec les styles de l'atlas, un thème et une mise en "
        "page A4 par indicateur",
        "Projet QGIS 3 ; à enregistrer dans le même dossier que les GeoPackages",
    ),
}


def _telechargements(out: Path, commun: dict[str, Any], data: Path) -> None:
    desc = _FICHIERS
    files = []
    for name in desc:
        p = data / name
        titre, fmt = desc[p.name]
        files.append(
            {
                "nom": p.name,
                "titre": titre,
                "format": fmt,
                "taille": nombre(p.stat().st_size / 1024, 0) + "\u202fko",
            }
        )
    _render(
        out,
        "telechargements.html",
        "telechargements.html",
        **commun,
        titre="Téléchargements",
        rubrique="telechargements",
        fichiers=files,
        indicateurs=list(INDICATEURS.values()),
    )


def _sources(out: Path, ctx: _Context, commun: dict[str, Any], srcs: pd.DataFrame) -> None:
    jeux = [
        {
            "nom": SOURCES_FR.get(str(n), str(r["title"])),
            "producteur": producteur(str(r["attribution"])),
            "licence": str(r["licence"]),
            "millesime": str(r["vintage"]),
            "lien": str(r["upstream"]),
        }
        for n, r in srcs.iterrows()
    ]
    facts = [
        {"fichier": f"data/{rel}", "lignes": len(read_fact_table(name))}
        for name, (rel, _) in sorted(FACT_TABLES.items())
    ]
    quality = [
        {
            "nom": str(q["nom"]),
            "code": str(q["code_insee"]),
            "friches": nombre(q["value"] / 1e6, 2),
            "commune": nombre(q["commune_area_m2"] / 1e6, 2),
        }
        for q in layers.friches_communes(territory="nord_pas_de_calais", warn=False).attrs.get("quality", [])
        if q["code_insee"] in ctx.communes.index
    ]
    unpublished = [SOURCES_FR.get(d.name, d.title) for d in CATALOGUE.values() if not d.publishable]
    _render(
        out,
        "sources.html",
        "sources.html",
        **commun,
        titre="Sources et méthode",
        rubrique="sources",
        jeux=jeux,
        facts=facts,
        qualite=quality,
        non_publies=unpublished,
        documents=sorted(DOCUMENTS.values()),
    )
