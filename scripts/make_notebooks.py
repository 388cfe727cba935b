"""Write the notebooks of notebooks/ from the cells below, executed, with their outputs.

Usage: python scripts/make_notebooks.py            (needs the data mirror; about a minute)
       python scripts/make_notebooks.py --no-execute (cells only, for a quick look)

The notebooks are executed in notebooks/ with SOURCE_DATE_EPOCH set, so that dates in outputs
are stable; outputs keep no absolute path (temporary folders, the kernel's cell files and the
checkout are replaced by short names) and no timing metadata. tests/mirror/test_notebooks.py
checks that the committed notebooks hold exactly these cells, executed, and runs them again.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "notebooks"
#: What a committed notebook shows in place of an interactive map (see :func:`clean`).
MAP_NOT_STORED = "Interactive map: not stored in the repository (it would embed the layers' data); run the cell to draw it."
EPOCH = "1767225600"  # 1 January 2026: the date the executed outputs show

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "01_territory_tour.ipynb": [
        (
            "md",
            "# A tour of the territory\n\n"
            "The Bassin minier du Nord et du Pas-de-Calais is the former coal basin of northern "
            "France: 250 communes across two départements, 1.2 million people, renovated since "
            "2017 under the *Engagement pour le Renouveau du Bassin Minier* (ERBM) by the State, "
            "the Région, the Départements and 8 intercommunalités (EPCI). Every layer below is "
            "a GeoDataFrame in Lambert-93 (EPSG:2154), read from the data mirror.",
        ),
        (
            "code",
            "import erbm_geo as eg\n\n"
            "communes = eg.layers.communes()                  # the basin\n"
            "erbm = eg.layers.communes(territory='erbm')      # the communes of the 8 EPCI\n"
            "assert len(communes) == 250 and communes.crs.to_epsg() == 2154\n"
            "len(communes), len(erbm), f\"{int(communes['population'].sum()):,} inhabitants\"",
        ),
        (
            "md",
            "The 2016 report counted 251 communes: Enquin-les-Mines and Enguinegatte merged in "
            "2017 into Enquin-lez-Guinegatte (`62295`). Communes are indexed by their INSEE code "
            "(text, COG 2026).",
        ),
        ("code", "communes.loc[['62295', '62498', '59606'], ['nom', 'nom_epci', 'population', 'area_km2']]"),
        (
            "md",
            "The 8 EPCI of the ERBM, dissolved from their communes. Some reach beyond the basin, "
            "and 26 basin communes belong to other EPCI:",
        ),
        (
            "code",
            "epci = eg.layers.epci()\n"
            "assert len(epci) == 8\n"
            "epci[['nom_epci', 'population', 'n_communes', 'n_communes_bassin']]",
        ),
        (
            "code",
            "outside = communes.index.difference(erbm.index)\n"
            "assert len(outside) == 26\n"
            "communes.loc[outside, 'nom_epci'].value_counts()",
        ),
        (
            "md",
            "A printed map of the EPCI (titles and legends are French: the maps are handed to "
            "partners). `background()` adds the départements, the neighbouring communes, the "
            "town names and the inset:",
        ),
        (
            "code",
            "bg = eg.maps.background()\n"
            "fig = eg.maps.static_map(epci, column='population', title=\"Population des EPCI de l'ERBM\",\n"
            "                         sources=['cog_communes'], background=bg)\n"
            "fig",
        ),
        ("md", "Every built-in layer, by name (`eg.layers.load(name)`):"),
        ("code", "{name: info.title for name, info in eg.layers.LAYERS.items()}"),
    ],
    "02_a_cite_through_the_data.ipynb": [
        (
            "md",
            "# A cité through the data: the Cité des Alouettes\n\n"
            "289 cités minières are mapped by the Mission Bassin Minier in three layers "
            "(inscribed cités, buffer-zone cités, the ERBM renovation programme). "
            "`eg.layers.cites()` unifies them, one row per cité with three flags. We follow "
            "one of them, the Cité des Alouettes in Bully-les-Mines (Pas-de-Calais).",
        ),
        (
            "code",
            "import erbm_geo as eg\nfrom erbm_geo.indicators import builtin\n\n"
            "cites = eg.layers.cites()\n"
            "alouettes = cites[(cites['nom'] == 'Cité des Alouettes') & (cites['code_insee'] == '62186')]\n"
            "assert len(alouettes) == 1\n"
            "alouettes.iloc[0][['nom', 'type_cite', 'interet', 'compagnie', 'bailleur', 'unesco_inscribed',\n"
            "                   'in_buffer_zone', 'erbm_programme', 'codes_insee', 'area_ha', 'sources']]",
        ),
        (
            "md",
            "A cité-jardin of remarkable heritage interest, built by the Compagnie de Béthune "
            "and owned by Maisons et Cités. It is not inscribed on the World Heritage list but "
            "lies in the buffer zone around the inscribed property, and it is one of the 59 "
            "cités of the ERBM renovation programme; its 70 ha reach into a neighbouring "
            "commune (`codes_insee`). Three records of the Mission's layers describe it "
            "(`sources`).",
        ),
        (
            "code",
            "cite = alouettes.index[0]\n"
            "parts = alouettes[['area_inscribed_ha', 'area_buffer_ha']]\n"
            "assert not alouettes.at[cite, 'unesco_inscribed'] and alouettes.at[cite, 'in_buffer_zone']\n"
            "parts",
        ),
        (
            "md",
            "What the programme documents say about it: the fact table `programme_cites` "
            "cites each figure to its document.",
        ),
        (
            "code",
            "p = eg.layers.programme_cites()\n"
            "row = p[p['cite_id'] == cite]\n"
            "assert row['logements'].tolist() == [131]\n"
            "row[['nom', 'commune', 'logements', 'phase', 'source']].T",
        ),
        (
            "md",
            "Its place in the city: is it in a priority neighbourhood (QPV), how far is the "
            "nearest of the 8 main centralities, can one walk to a station?",
        ),
        (
            "code",
            "q = eg.indicators.qpv_overlap(alouettes, builtin.qpv())\n"
            "d = eg.indicators.distance_to_centres(alouettes, builtin.centres('main'))\n"
            "a = eg.indicators.station_access(alouettes, builtin.stations(), radius=800)\n"
            "story = q[['qpv_share']].join(d[['distance_m', 'centre_nom']]).join(\n"
            "    a[['station_nom', 'station_distance_m', 'share_within_walk']])\n"
            "assert story.at[cite, 'qpv_share'] == 0 and story.at[cite, 'centre_nom'] == 'Liévin'\n"
            "story.T",
        ),
        (
            "md",
            "No QPV touches it; Liévin is 3.6 km away as the crow flies; the Bully - Grenay "
            "station is under 300 m from its edge, and about half of the cité lies within "
            "800 m of it. The whole indicator table puts it in its social context, beside the "
            "median of the 289 cités: the poverty rate of its IRIS is about 3 points higher.",
        ),
        (
            "code",
            "t = eg.indicators.indicator_table(of='cites')\n"
            "cols = ['taux_pauvrete_iris_pct', 'revenu_median_iris', 'friches_n', 'puits_within', 'terrils_within']\n"
            "compare = t.loc[[cite], cols].T.assign(median_of_289_cites=t[cols].median())\n"
            "compare",
        ),
        (
            "md",
            "Its friches, site by site: the Cartofriches sites within 500 m of the cité (latest "
            "extract), the nearest one, and what changed between the last two extracts around it. "
            "The counts come from one indexed query and are checked against brute force in the tests.",
        ),
        (
            "code",
            "import warnings\n\n"
            "from erbm_geo.indicators.friche_sites import friche_sites_change, friche_sites_within, nearest_friche_site\n\n"
            "with warnings.catch_warnings():\n"
            "    warnings.simplefilter('ignore', eg.errors.DataQualityWarning)  # sites placed in another commune\n"
            "    sites = eg.layers.friches_sites()\n"
            "    before = eg.layers.friches_sites(vintage=eg.layers.FRICHES_SITES_VINTAGES[-2])\n"
            "near = friche_sites_within(alouettes, sites, radius=500)\n"
            "nearest = nearest_friche_site(alouettes, sites)\n"
            "around = sites[sites.distance(alouettes.union_all()) <= 500]\n"
            "assert len(around) == near.at[cite, 'friche_sites_n']\n"
            "per_site, _ = friche_sites_change(before, sites)\n"
            "print(sites.attrs['vintage'], near.T.to_dict()[cite], nearest.T.to_dict()[cite], sep='\\n')\n"
            "around[['site_nom', 'site_statut', 'site_surface_m2']].join(per_site['change'])",
        ),
        (
            "md",
            "The cité on an interactive map (offline: no background tiles needed), with the "
            "buffer zone it sits in:",
        ),
        (
            "code",
            "m = eg.maps.new_map(basemap=None)\n"
            "zone = eg.layers.zone_tampon()\n"
            "eg.maps.add_layer(m, zone[zone.intersects(alouettes.union_all().buffer(1500))],\n"
            "                  name='Zone tampon UNESCO', style=eg.maps.Style(color='#fdd49e'),\n"
            "                  fields=eg.maps.Fields(tooltip=['surface_ha']), sources=['zone_tampon'])\n"
            "eg.maps.add_layer(m, alouettes, name='Cité des Alouettes', style=eg.maps.Style(color='#542788'),\n"
            "                  fields=eg.maps.Fields(tooltip=['nom', 'type_cite', 'bailleur']), sources=['cites_erbm'])\n"
            "eg.maps.finalize(m)",
        ),
    ],
    "03_indicators.ipynb": [
        (
            "md",
            "# Indicators, by commune and by EPCI\n\n"
            "Each indicator is a plain function of your features and of its targets "
            "(`builtin` supplies the mirror's layers; your own go in the same place), and "
            "`indicator_table` computes all of them at once.",
        ),
        (
            "code",
            "import matplotlib.pyplot as plt\n\nimport erbm_geo as eg\nfrom erbm_geo.indicators import builtin\n"
            "from erbm_geo.maps.vocabulary import nombre  # French number formats for what readers see\n\n"
            "t = eg.indicators.indicator_table(of='communes')\n"
            "assert len(t) == 250 and t['qpv_share'].between(0, 1).all()\n"
            "t[['nom', 'nom_epci', 'qpv_share', 'centre_distance_m', 'station_distance_m', 'taux_pauvrete_iris_pct']].head()",
        ),
        (
            "md",
            "The urban isolation the ERBM addresses: how far the cités lie from one of the 8 "
            "main centralities named by the 2016 report.",
        ),
        (
            "code",
            "cites = eg.layers.cites()\n"
            "d = eg.indicators.distance_to_centres(cites, builtin.centres('main'))\n"
            "fig, ax = plt.subplots(figsize=(7, 3))\n"
            "ax.hist(d['distance_m'] / 1000, bins=30, color='#2c7fb8')\n"
            "ax.set_xlabel('Distance à la centralité principale la plus proche (km)')\n"
            "ax.set_ylabel('Cités minières')\n"
            "ax.set_title(f\"{len(d)} cités : médiane {nombre(d['distance_m'].median() / 1000, 1)} km\")\n"
            "ax.xaxis.set_major_formatter(lambda x, _: nombre(x, 1))  # 2,5 not 2.5\n"
            "plt.show()",
        ),
        (
            "md",
            "By EPCI: the share of the cités' area in a QPV and within 800 m of a station, "
            "weighted by cité area (`aggregate`).",
        ),
        (
            "code",
            "q = eg.indicators.qpv_overlap(cites, builtin.qpv())\n"
            "a = eg.indicators.station_access(cites, builtin.stations(), radius=800)\n"
            "by_epci = eg.indicators.aggregate(q[['qpv_share']].join(a[['share_within_walk']]), cites,\n"
            "                                  builtin.communes(), by='epci', weights='area')\n"
            "assert by_epci['qpv_share'].between(0, 1).all()\n"
            "by_epci",
        ),
        (
            "code",
            "names = eg.layers.epci()['nom_epci']\n"
            "shares = by_epci[['qpv_share', 'share_within_walk']].join(names).dropna(subset=['nom_epci'])\n"
            "ax = (shares.set_index('nom_epci') * 100).sort_values('qpv_share').plot.barh(figsize=(7, 4), color=['#756bb1', '#31a354'])\n"
            "ax.set_xlabel('Part de la surface des cités (%)')\n"
            "ax.set_ylabel('')\n"
            "ax.legend(['En QPV', 'À moins de 800 m d\\'une gare ou station'], loc='upper center',\n"
            "          bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)  # under the bars, not over them\n"
            "plt.show()",
        ),
        (
            "md",
            "The communes most covered by QPV, and the whole table exported for a French "
            "spreadsheet (semicolons, decimal commas, a dictionary and the sources):",
        ),
        ("code", "t.sort_values('qpv_share', ascending=False).head(10)[['nom', 'qpv_share', 'n_qpv']]"),
        (
            "code",
            "import pathlib\nimport tempfile\n\n"
            "from erbm_geo import export\nfrom erbm_geo.indicators import sources_table\n"
            "out = export.write(t, pathlib.Path(tempfile.mkdtemp()) / 'communes.csv', dialect='fr',\n"
            "                   sources=sources_table())\n"
            "out.read_text(encoding='utf-8-sig').splitlines()[0][:120]",
        ),
    ],
    "04_publishing_maps_and_the_atlas.ipynb": [
        (
            "md",
            "# Publishing: printed maps, map books and the atlas\n\n"
            "What partners receive is in French: A4/A3 pages (PDF, SVG, PNG), multi-page map "
            "books by EPCI or commune, and a static site, the atlas, that works offline.",
        ),
        (
            "code",
            "import pathlib\nimport re\nimport tempfile\n\nimport erbm_geo as eg\n\n"
            "out = pathlib.Path(tempfile.mkdtemp())\n"
            "t = eg.indicators.indicator_table(of='communes')\n"
            "bg = eg.maps.background()\n"
            "fig = eg.maps.static_map(t, column='qpv_share', page='A4-landscape', background=bg)\n"
            "eg.maps.save_figure(fig, out / 'qpv.pdf')\n"
            "fig",
        ),
        (
            "md",
            "The legend uses the atlas's classes (a « 0 » class of its own, then natural "
            "breaks) in the indicator's unit, with the number of communes in each. A map book "
            "repeats the same classes on one page per EPCI:",
        ),
        (
            "code",
            "book = eg.maps.map_book(t, out / 'qpv_epci.pdf', column='qpv_share', pages='epci', background=bg)\n"
            "pages = len(re.findall(rb'/Type /Page\\b', book.read_bytes()))\n"
            "assert pages == 1 + t['siren_epci'].nunique()\n"
            "book.name, pages",
        ),
        ("md", "A category map (the nearest main centrality) on an A4 portrait page:"),
        ("code", "eg.maps.static_map(t, column='centre_nom', page='A4-portrait', background=bg)"),
        (
            "md",
            "The atlas: a home page, 250 commune portraits, the EPCI and indicator pages, "
            "downloads (CSV, French CSV, XLSX, GeoPackage) and sources — `erbm-geo atlas "
            "--out build/atlas` from the shell.",
        ),
        (
            "code",
            "index = eg.atlas.build_atlas(out / 'atlas', basemap=None)\n"
            "pages = sorted(p.relative_to(out / 'atlas').as_posix() for p in (out / 'atlas').rglob('*.html'))\n"
            "assert len(pages) == 279\n"
            "len(pages), pages[:3], sorted(p.name for p in (out / 'atlas' / 'donnees').iterdir())[:6]",
        ),
    ],
    "05_bring_your_own_layer.ipynb": [
        (
            "md",
            "# Bringing your own layer\n\n"
            "Roads, the Tadao BHNS or the Valenciennes tram lines are not in the open data "
            "mirror. A partner's file, in its own CRS, goes through `user_layer` (checked, "
            "repaired or refused with the reason, reprojected to Lambert-93) and then into any "
            "indicator. Here the partner's file is simulated from the Évéole BHNS stop "
            "sequences of the mirror (schematic lines; licence unconfirmed, so used locally "
            "and not published), saved as a GeoPackage in the Nord's conic projection CC50 "
            "(EPSG:3950), as a local authority might send it.",
        ),
        (
            "code",
            "import pathlib\nimport tempfile\n\nimport erbm_geo as eg\n\n"
            "path = pathlib.Path(tempfile.mkdtemp()) / 'bhns_partenaire.gpkg'\n"
            "eg.layers.bhns_lines().to_crs(3950).to_file(path)\n"
            "bhns = eg.layers.user_layer(path, name='BHNS Évéole', kind='line')\n"
            "assert bhns.crs.to_epsg() == 2154\n"
            "bhns.crs.to_epsg(), len(bhns)",
        ),
        (
            "code",
            "cites = eg.layers.cites()\n"
            "d = eg.indicators.distance_to_lines(cites, bhns, name='bhns')\n"
            "d.describe()",
        ),
        ("md", "How many cités lie within 500 m of a BHNS line, by EPCI:"),
        (
            "code",
            "epci_of = eg.layers.communes(territory='nord_pas_de_calais')['nom_epci']\n"
            "near = cites.loc[d <= 500, 'code_insee'].map(epci_of)\n"
            "assert near.notna().all()\n"
            "near.value_counts()",
        ),
        ("md", "A file without CRS is refused, with the fix in the message:"),
        (
            "code",
            "from erbm_geo.errors import CRSError\n"
            "try:\n    eg.layers.user_layer(bhns.set_crs(None, allow_override=True), name='BHNS')\n"
            "except CRSError as e:\n    print(e)",
        ),
        (
            "md",
            "## A social landlord's file: « Qu'y a-t-il ici ? » for every dwelling\n\n"
            "A landlord holds thousands of dwellings with their coordinates, exported from a "
            "spreadsheet: semicolons, decimal commas, codes with leading zeros, a few rows "
            "without coordinates or with latitude and longitude swapped. The file here is "
            "**invented**: 3,000 points drawn in the communes of the CA de Lens - Liévin by "
            "`erbm_geo.synthetic` (weighted by population), written as such a spreadsheet would.",
        ),
        (
            "code",
            "import pandas as pd\n\nfrom erbm_geo.synthetic import synthetic_buildings\n\n"
            "communes = eg.layers.communes()\n"
            "lens_lievin = communes[communes['siren_epci'] == '246200364']\n"
            "pts = synthetic_buildings(lens_lievin, 3000, seed=7).geometry.centroid.to_crs(4326)\n"
            "logements = pd.DataFrame({\n"
            "    'reference': [f'{i:06d}' for i in range(len(pts))],\n"
            "    'latitude': [f'{y:.6f}'.replace('.', ',') for y in pts.y],\n"
            "    'longitude': [f'{x:.6f}'.replace('.', ',') for x in pts.x],\n"
            "})\n"
            "logements.loc[[5, 50, 500], ['latitude', 'longitude']] = ''  # no coordinates\n"
            "logements.loc[[7, 70], ['latitude', 'longitude']] = logements.loc[[7, 70], ['longitude', 'latitude']].to_numpy()  # swapped\n"
            "fichier = pathlib.Path(tempfile.mkdtemp()) / 'logements.csv'\n"
            "logements.to_csv(fichier, sep=';', index=False, encoding='utf-8-sig')\n"
            "print(fichier.read_text('utf-8-sig').splitlines()[:3])",
        ),
        (
            "md",
            "`read_places` reads it as the spreadsheet wrote it (separator, encoding, every field as "
            "text, indexed by line number) and `lookup` answers every row, keeping those it "
            "cannot answer with the reason:",
        ),
        (
            "code",
            "places = eg.lookup.files.read_places(fichier)\n"
            "reponses = eg.lookup.lookup(places, lat='latitude', lon='longitude')\n"
            "assert len(reponses) == len(places) == 3000\n"
            "print('lignes sans réponse :', reponses.attrs['unusable'])\n"
            "reponses.loc[reponses.attrs['unusable'], ['remarque']]",
        ),
        ("md", "What the landlord asks, dwelling by dwelling, summed:"),
        (
            "code",
            "usable = reponses[reponses['remarque'] == '']\n"
            "pd.Series({\n"
            "    'logements': len(usable),\n"
            "    'dans un QPV': int(usable['qpv_code'].notna().sum()),\n"
            "    'dans le bien inscrit UNESCO': int((usable['unesco_statut'] == 'bien inscrit').sum()),\n"
            "    'dans la zone tampon': int((usable['unesco_statut'] == 'zone tampon').sum()),\n"
            "    'dans une cité minière': int(usable['cite_id'].notna().sum()),\n"
            "    'dont cité du programme ERBM': int(usable['erbm_programme'].fillna(False).sum()),\n"
            "    'à moins de 800 m d\\'une gare ou station': int((usable['station_proche_distance_m'] < 800).sum()),\n"
            "})",
        ),
        ("md", "By commune, the share of the dwellings in a QPV:"),
        (
            "code",
            "in_qpv = usable['qpv_code'].notna().groupby(usable['nom_commune']).mean()\n"
            "in_qpv.sort_values(ascending=False).head(8).round(2)",
        ),
        (
            "md",
            "The same from the command line, keeping every column of the file in its order, "
            "the answers after them (`.xlsx` adds the French dictionary):\n\n"
            "```bash\nerbm-geo where --csv logements.csv --out logements_ici.xlsx\n```",
        ),
    ],
}


def formatted(source: str) -> str:
    """Return the code cell *source* as ``ruff format`` writes it (the tree's style)."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    out = subprocess.run(
        [ruff, "format", "--stdin-filename", "cell.py", "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return out.stdout.rstrip("\n")


def build(name: str) -> nbformat.NotebookNode:
    """The notebook *name*, without outputs."""
    nb = new_notebook(
        cells=[
            new_markdown_cell(src) if kind == "md" else new_code_cell(formatted(src))
            for kind, src in NOTEBOOKS[name]
        ]
    )
    for i, cell in enumerate(nb.cells):  # stable ids: a regenerated notebook diffs by content
        cell["id"] = f"{Path(name).stem[:2]}-{i:02d}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


_PATHS = [
    (re.compile(r"/tmp/ipykernel_\d+/\d+\.py:\d+"), "<cell>"),
    (re.compile(r"/tmp/tmp[\w-]+"), "<tmp>"),
    (re.compile(re.escape(str(ROOT))), "."),
]


def clean(nb: nbformat.NotebookNode) -> None:
    """Drop absolute paths and timing metadata from the outputs of *nb* (in place)."""

    def scrub(text: str) -> str:
        for pattern, repl in _PATHS:
            text = pattern.sub(repl, text)
        return text

    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html", "")
            if isinstance(html, str) and "ERBM.layer(" in html:
                # an interactive map embeds the layers' geometry (a copy of the mirror's data, which
                # the repository never holds): it is not stored; running the notebook draws it
                out["data"] = {"text/plain": MAP_NOT_STORED}
                out.get("metadata", {}).clear()
            if "text" in out:
                out["text"] = scrub(out["text"])
            for key, value in out.get("data", {}).items():
                if key.startswith("text/") and isinstance(value, str):
                    out["data"][key] = scrub(value)


def main(execute: bool = True) -> None:
    from nbclient import NotebookClient

    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.ipynb"):
        if old.name not in NOTEBOOKS:
            old.unlink()
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    # the committed figures at screen resolution (a kernel setting, not a cell: a reader who
    # runs the notebook gets matplotlib's own); printed pages then weigh far less
    ipython_dir = Path(tempfile.mkdtemp())
    (ipython_dir / "profile_default").mkdir()
    (ipython_dir / "profile_default" / "ipython_kernel_config.py").write_text(
        "c.InlineBackend.print_figure_kwargs = {'bbox_inches': 'tight', 'dpi': 60}\n"
    )
    os.environ["IPYTHONDIR"] = str(ipython_dir)
    for name in NOTEBOOKS:
        nb = build(name)
        if execute:
            NotebookClient(
                nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(OUT)}}
            ).execute()
            clean(nb)
        nbformat.write(nb, OUT / name)
        print("wrote", (OUT / name).relative_to(ROOT))


if __name__ == "__main__":
    main(execute="--no-execute" not in sys.argv[1:])
