"""Write the notebooks of notebooks/ (no outputs). Run after editing the cells below.

Usage: python scripts/make_notebooks.py
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parent.parent / "notebooks"

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "01_territory_tour.ipynb": [
        ("md", "# A tour of the territory\n\nThe Bassin minier du Nord et du Pas-de-Calais: 250 "
               "communes, the 8 intercommunalités of the ERBM, the two départements. Every layer "
               "is a GeoDataFrame in Lambert-93 (EPSG:2154) read from the data mirror."),
        ("code", "import erbm_geo as eg\n\ncommunes = eg.layers.communes()\nerbm = eg.layers.communes(territory=\"erbm\")\n"
                 "len(communes), len(erbm), int(communes['population'].sum())"),
        ("md", "The 251 communes of the 2016 report became 250 when Enquin-les-Mines and "
               "Enguinegatte merged (2017): `62295` is Enquin-lez-Guinegatte."),
        ("code", "communes.loc[['62295', '62498', '59606'], ['nom', 'nom_epci', 'population', 'area_km2']]"),
        ("code", "epci = eg.layers.epci()\nepci[['nom_epci', 'population', 'n_communes', 'n_communes_bassin']]"),
        ("md", "26 basin communes lie outside the 8 EPCI of the ERBM:"),
        ("code", "outside = communes.index.difference(erbm.index)\ncommunes.loc[outside, 'nom_epci'].value_counts()"),
        ("code", "fig = eg.maps.static_map(epci, column='population', title='Population des EPCI de l\\'ERBM',\n"
                 "                         sources=['communes_59', 'communes_62', 'cog_epci'])"),
        ("code", "eg.layers.LAYERS.keys()"),
    ],
    "02_cites_and_programme.ipynb": [
        ("md", "# Cités minières and the ERBM programme\n\nOne layer of 289 cités from three "
               "Mission Bassin Minier sources, with flags, and the programme figures of the "
               "documents as fact tables (each row cites its document)."),
        ("code", "import erbm_geo as eg\n\ncites = eg.layers.cites()\n"
                 "cites[['unesco_inscribed', 'in_buffer_zone', 'erbm_programme']].sum()"),
        ("code", "cites.loc['L853', ['nom', 'type_cite', 'interet', 'bailleur', 'code_insee']]"),
        ("code", "eg.layers.programme_cites()[['nom', 'commune', 'logements', 'phase', 'cite_id', 'source']]"),
        ("md", "The Cité des Arts (Lens eco-district) has no polygon in the open layers: it stays "
               "unmatched rather than being guessed."),
        ("code", "from erbm_geo.data.facts import read_fact_table\n"
                 "m = read_fact_table('programme_milestones')\nm[m['indicator'].str.startswith('logements')]"),
        ("code", "eg.layers.overview_by_epci()"),
    ],
    "03_indicators.ipynb": [
        ("md", "# Indicators\n\nDistance to centres, QPV overlap and transport access of the "
               "cités, then aggregated by EPCI."),
        ("code", "import erbm_geo as eg\nfrom erbm_geo.indicators import builtin\n\n"
                 "cites = eg.layers.cites()\n"
                 "d = eg.indicators.distance_to_centres(cites, builtin.centres('main'))\n"
                 "d.describe()"),
        ("md", "Every indicator takes its targets as arguments; `builtin` supplies the layers of "
               "the data mirror (here the 8 main centralities), and your own layers go in the "
               "same place."),
        ("md", "The median below is how far the typical cité lies from one of the 8 main "
               "centralities named by the 2016 report — the urban isolation the ERBM addresses."),
        ("code", "d['distance_m'].median()"),
        ("code", "q = eg.indicators.qpv_overlap(cites, builtin.qpv())\n(q['qpv_share'] > 0.5).mean()"),
        ("code", "a = eg.indicators.station_access(cites, builtin.stations(), radius=800)\na[['station_distance_m', 'share_within_walk']].describe()"),
        ("md", "By EPCI, weighted by cité area:"),
        ("code", "eg.indicators.aggregate(q[['qpv_share']].join(a[['share_within_walk']]), cites, builtin.communes(), by='epci', weights='area')"),
        ("code", "table = eg.indicators.indicator_table(of='communes')\ntable.sort_values('qpv_share', ascending=False).head(10)[['nom', 'qpv_share', 'n_qpv']]"),
    ],
    "04_maps_and_atlas.ipynb": [
        ("md", "# Maps and the atlas\n\nInteractive (Folium, offline-safe), static (A4) and the "
               "partner site."),
        ("code", "import tempfile, pathlib\nimport erbm_geo as eg\n\n"
                 "t = eg.indicators.indicator_table(of='communes')\nm = eg.maps.new_map()\n"
                 "eg.maps.add_layer(m, t, name='Part en QPV', column='qpv_share', scheme='FisherJenks', k=5,\n"
                 "                  cmap='Purples', tooltip=['nom', 'qpv_share'], coverage=True, search=True,\n"
                 "                  sources=['qpv', 'communes_59', 'communes_62'])\neg.maps.finalize(m)"),
        ("code", "bg = eg.maps.background()  # départements, communes, EPCI outlines, town names\n"
                 "fig = eg.maps.static_map(t, column='centre_distance_m', page='A4-landscape', background=bg)\n"
                 "eg.maps.save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / 'centres.pdf')\nfig"),
        ("code", "book = eg.maps.map_book(t, pathlib.Path(tempfile.mkdtemp()) / 'qpv_epci.pdf',\n"
                 "                         column='qpv_share', pages='epci', background=bg)\n"
                 "book.stat().st_size > 0"),
        ("code", "out = pathlib.Path(tempfile.mkdtemp()) / 'atlas'\nindex = eg.atlas.build_atlas(out, basemap=None)\n"
                 "sorted(p.name for p in out.iterdir())"),
    ],
    "05_bring_your_own_layer.ipynb": [
        ("md", "# Bringing your own layer\n\nRoads, the Tadao BHNS or the Valenciennes tram lines "
               "are not in the open data mirror. Any line file can be brought in with "
               "`user_layer` and used by the indicators. Here the file is the Évéole BHNS A/B "
               "stop sequences of the mirror (schematic lines; licence unconfirmed, so used locally "
               "and not published), saved as a GeoPackage in EPSG:4326 as a user would have it."),
        ("code", "import tempfile, pathlib\nimport erbm_geo as eg\n\n"
                 "path = pathlib.Path(tempfile.mkdtemp()) / 'bhns.gpkg'\n"
                 "eg.layers.bhns_lines().to_crs(4326).to_file(path)\n"
                 "bhns = eg.layers.user_layer(path, name='BHNS Évéole', kind='line')\nbhns.crs.to_epsg(), len(bhns)"),
        ("code", "cites = eg.layers.cites()\n"
                 "d = eg.indicators.distance_to_lines(cites, bhns.to_crs(cites.crs), name='bhns')\n"
                 "d.describe()"),
        ("md", "A layer without CRS is refused with a message saying how to fix it:"),
        ("code", "from erbm_geo.errors import CRSError\ntry:\n    eg.layers.user_layer(bhns.set_crs(None, allow_override=True), name='BHNS')\n"
                 "except CRSError as e:\n    print(e)"),
    ],
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src)
                                 for kind, src in cells])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, OUT / name)
        print("wrote", OUT / name)


if __name__ == "__main__":
    main()
