"""The atlas's QGIS downloads: the reference layers, their styles and ``bassin-minier.qgz``.

The GeoPackages of the downloads carry the atlas's own symbology (:mod:`erbm_geo.export.qgis`):
the communes a style per indicator (the atlas's classes), the cités by kind, the friche sites by
status, the QPV hatched, the UNESCO property and its buffer zone, the stations by mode. The
project opens them from the same folder, in the order the atlas's maps draw them, with a map theme
and an A4 print layout per indicator.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from erbm_geo import layers
from erbm_geo.export import write
from erbm_geo.export.qgis import Condition, LayerStyle, ProjectLayer, StyleRule, layer_style, qgis_project
from erbm_geo.maps.vocabulary import CITE_CATEGORIES, STATION_MODES, millesimes
from erbm_geo.vocabulary import columns

__all__ = ["PROJECT", "STATIONS", "cites_style", "write_project", "write_reference_layers"]

#: The project's file name in the downloads.
PROJECT = "bassin-minier.qgz"

#: The stations' modes as the atlas's maps show them: label and colour.
STATIONS = STATION_MODES


def cites_style(cites: gpd.GeoDataFrame) -> LayerStyle:
    """Return the cités' style by kind (inscribed, ERBM programme, buffer zone), the atlas's colours.

    Parameters
    ----------
    cites : geopandas.GeoDataFrame
        The cités with ``unesco_inscribed`` and ``erbm_programme``.

    Returns
    -------
    LayerStyle
        Three rules, in the atlas's legend order.

    Raises
    ------
    DataFormatError
        If the vocabulary file shipped with the package is damaged.

    Examples
    --------
    >>> import shapely
    >>> g = gpd.GeoDataFrame({"unesco_inscribed": [True], "erbm_programme": [False]},
    ...                      geometry=[shapely.box(0, 0, 1, 1)], crs=2154)
    >>> [r.label for r in cites_style(g).rules][0]
    'Cité inscrite au patrimoine mondial'
    """
    inscrite = Condition("unesco_inscribed", "=", True)
    pas_inscrite = Condition("unesco_inscribed", "=", False)
    rules = (
        StyleRule(CITE_CATEGORIES["inscrite"][0], CITE_CATEGORIES["inscrite"][1], (inscrite,)),
        StyleRule(
            CITE_CATEGORIES["erbm"][0],
            CITE_CATEGORIES["erbm"][1],
            (pas_inscrite, Condition("erbm_programme", "=", True)),
        ),
        StyleRule(
            CITE_CATEGORIES["tampon"][0],
            CITE_CATEGORIES["tampon"][1],
            (pas_inscrite, Condition("erbm_programme", "=", False)),
        ),
    )
    base = layer_style(cites, None)
    return LayerStyle(
        "Type de cité",
        "Cités minières",
        "polygon",
        rules,
        outline="#1f1f1f",
        outline_width=0.15,
        opacity=0.85,
        aliases=base.aliases,
    )


def _one(g: gpd.GeoDataFrame, name: str, label: str, colour: str, **drawing: object) -> LayerStyle:
    base = layer_style(g, None)
    return LayerStyle(name, name, base.geometry, (StyleRule(label, colour),), aliases=base.aliases, **drawing)  # type: ignore[arg-type]


def write_reference_layers(data: Path, qpv: gpd.GeoDataFrame, sources_fr: pd.DataFrame) -> list[str]:
    """Write the QPV, the UNESCO property and buffer zone and the stations as styled GeoPackages.

    Parameters
    ----------
    data : pathlib.Path
        The downloads folder.
    qpv : geopandas.GeoDataFrame
        The atlas's QPV.
    sources_fr : pandas.DataFrame
        The French sources sheet of every dataset (indexed by catalogue name).

    Returns
    -------
    list of str
        The files written.

    Raises
    ------
    DataNotFoundError
        If a layer is neither in the mirror nor downloadable.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo.indicators import sources_table
    >>> src = sources_table(("qpv", "bien_inscrit", "zone_tampon", "gares_voyageurs", "osm_stations"))
    >>> write_reference_layers(pathlib.Path(tempfile.mkdtemp()), layers.qpv(), src)
    ['qpv.gpkg', 'bien_inscrit.gpkg', 'zone_tampon.gpkg', 'gares.gpkg']
    """
    q = millesimes()["qpv"]
    bien = layers.bien_inscrit()
    tampon = layers.zone_tampon()
    gares = layers.stations(territory="bassin_minier")[
        ["nom", "mode", "lignes", "code_uic", "code_insee", "geometry"]
    ]
    todo = [
        (
            "qpv",
            qpv,
            f"Quartiers prioritaires de la politique de la ville ({q})",
            ("qpv",),
            _one(
                qpv,
                "Quartiers prioritaires",
                f"Quartier prioritaire ({q})",
                "#3f007d",
                hatched=True,
                dashed=True,
                outline_width=0.5,
            ),
        ),
        (
            "bien_inscrit",
            bien,
            "Bassin minier Patrimoine mondial : éléments du bien inscrit",
            ("bien_inscrit",),
            _one(bien, "Bien inscrit", "Élément du bien inscrit", "#fdae6b", outline="#a63603"),
        ),
        (
            "zone_tampon",
            tampon,
            "Bassin minier Patrimoine mondial : zone tampon",
            ("zone_tampon",),
            _one(
                tampon,
                "Zone tampon",
                "Zone tampon du bien inscrit",
                "#fee6ce",
                outline="#e6550d",
                opacity=0.5,
            ),
        ),
        (
            "gares",
            gares,
            "Gares et stations du Bassin minier",
            ("gares_voyageurs", "osm_stations"),
            layer_style(
                gares,
                "mode",
                name="Mode",
                title="Transports",
                colours={m: c for m, (_, c) in STATIONS.items()},
                labels={m: lab for m, (lab, _) in STATIONS.items()},
                outline="#ffffff",
                size=2.4,
            ),
        ),
    ]
    written = []
    for name, g, title, srcs, style in todo:
        g = g.copy()
        g.attrs["title"] = title
        write(g, data / f"{name}.gpkg", sources=sources_fr[sources_fr.index.isin(srcs)], styles=[style])
        written.append(f"{name}.gpkg")
    return written


def write_project(data: Path, *, title: str, sources: Sequence[str]) -> Path:
    """Write ``bassin-minier.qgz`` over the downloads' GeoPackages, in the atlas's drawing order.

    Parameters
    ----------
    data : pathlib.Path
        The downloads folder, holding the GeoPackages.
    title : str
        The project's title.
    sources : sequence of str
        Catalogue names credited in the project's description; each indicator's layout credits
        the communes' contours and the indicator's own sources, as its printed map.

    Returns
    -------
    pathlib.Path
        The project.

    Raises
    ------
    DataNotFoundError
        If a GeoPackage is missing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> write_project(pathlib.Path(tempfile.mkdtemp()), title="Essai", sources=[])
    Traceback (most recent call last):
    ...
    erbm_geo.errors.DataNotFoundError: no GeoPackage at ...
    """
    order = [
        ProjectLayer(data / "gares.gpkg", name="Gares et stations"),
        ProjectLayer(data / "friches_sites.gpkg", name="Sites en friche"),
        ProjectLayer(data / "cites.gpkg", name="Cités minières", themes=False),
        ProjectLayer(data / "qpv.gpkg", name="Quartiers prioritaires"),
        ProjectLayer(data / "bien_inscrit.gpkg", name="Bien inscrit UNESCO"),
        ProjectLayer(data / "zone_tampon.gpkg", name="Zone tampon UNESCO"),
        ProjectLayer(data / "communes.gpkg", name="Communes"),
    ]
    contours = ("communes_59", "communes_62", "cog_communes")
    credits: dict[str, Sequence[str]] = {"": tuple(sources)}
    for c in columns(atlas=True):
        credits[c.short] = (*contours, *c.sources)
    return qgis_project(order, data / PROJECT, title=title, sources=credits)
