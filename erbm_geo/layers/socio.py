"""Income context: INSEE Filosofi per commune and per IRIS (Licence Ouverte).

Per commune: median disposable income per consumption unit (``revenu_median_uc``, €/year) and the
share of minima sociaux in disposable income (``part_minima_sociaux_pct``). Per IRIS (communes of
≥ 5,000 inhabitants only; suppressed cells absent): median income, poverty rate at 60 %
(``taux_pauvrete_pct``) and Gini index. IRIS contours are IGN CONTOURS-IRIS decoded from
vector tiles (~12–20 m precision, small overlaps).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from erbm_geo._deprecation import renamed_kwarg
from erbm_geo.data import cached_layer
from erbm_geo.geom.spatial import repair_geometries
from erbm_geo.layers._io import read_geojson, read_json_mapping
from erbm_geo.layers.territory import Territory, TerritoryName, filter_to_territory
from erbm_geo.layers.territory import communes as _communes

__all__ = ["NATIONAL_MEDIAN_EUR", "income_communes", "income_iris", "iris"]

#: National median disposable income per consumption unit, Filosofi (as given by the file).
NATIONAL_MEDIAN_EUR = 22810


@renamed_kwarg("perimeter", "territory")
def income_communes(*, territory: TerritoryName = "bassin_minier") -> gpd.GeoDataFrame:
    """Return the communes with Filosofi median income and minima-sociaux share.

    Communes whose figures INSEE suppressed (statistical secrecy) have <NA>.

    Parameters
    ----------
    territory : {"bassin_minier", "erbm", "bassin_minier_erbm", "nord_pas_de_calais"}, default "bassin_minier"
        The communes returned.

    Returns
    -------
    geopandas.GeoDataFrame
        The communes (see :func:`erbm_geo.layers.communes`) with ``revenu_median_uc`` and
        ``part_minima_sociaux_pct``.

    Raises
    ------
    UnknownOptionError
        If *territory* is unknown.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> inc = income_communes()
    >>> int(inc.loc["62498", "revenu_median_uc"]) < NATIONAL_MEDIAN_EUR  # Lens
    True
    """

    def build() -> gpd.GeoDataFrame:
        c = _communes(territory="nord_pas_de_calais")
        rows = read_json_mapping("filosofi_communes", "communes")
        med = [rows.get(code, {}).get("median_eur") for code in c.index]
        mini = [rows.get(code, {}).get("minima_pct") for code in c.index]
        c["revenu_median_uc"] = pd.array(med, dtype="Int64")
        c["part_minima_sociaux_pct"] = pd.array(mini, dtype="Float64")
        c.attrs["sources"] = [*c.attrs.get("sources", []), "filosofi_communes"]
        return c

    allc = cached_layer(
        "income_communes_5962",
        ("filosofi_communes", "communes_59", "communes_62", "cog_communes", "cog_epci"),
        build,
    )
    keep = _communes(territory=territory).index
    return allc.loc[keep]


def _build_iris() -> gpd.GeoDataFrame:
    g = read_geojson("iris")
    g = g.rename(
        columns={
            "CODE_IRIS": "code_iris",
            "NOM_IRIS": "nom_iris",
            "INSEE_COM": "code_insee",
            "NOM_COM": "nom_commune",
            "TYP_IRIS": "type_iris",
        }
    )
    g = g[["code_iris", "nom_iris", "code_insee", "nom_commune", "type_iris", "geometry"]]
    invalid = ~g.is_valid.to_numpy()
    if invalid.any():
        g.loc[invalid, "geometry"] = repair_geometries(g.geometry.values[invalid])
    g = g.set_index("code_iris")
    g.attrs["repaired"] = int(invalid.sum())
    g.attrs["sources"] = ["iris"]
    return g


def iris(*, territory: Territory = "bassin_minier") -> gpd.GeoDataFrame:
    """Return the IRIS contours of the Nord and Pas-de-Calais lying in *territory*.

    Parameters
    ----------
    territory : str or geopandas.GeoDataFrame, default "bassin_minier"
        Keep the IRIS lying in it (``"france"``: all of the Nord and Pas-de-Calais).

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``code_iris``, with ``nom_iris``, ``code_insee``, ``nom_commune`` and
        ``type_iris``; EPSG:2154.

    Raises
    ------
    UnknownOptionError
        If *territory* is unknown.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> i = iris()
    >>> i.index.name, len(i)
    ('code_iris', 631)
    """
    g = cached_layer("iris_59_62", ("iris",), _build_iris)
    return g if territory == "nord_pas_de_calais" else filter_to_territory(g, territory)


def income_iris(*, territory: Territory = "bassin_minier") -> gpd.GeoDataFrame:
    """Return the IRIS contours with Filosofi median income, poverty rate and Gini.

    IRIS without figures (communes under 5,000 inhabitants, suppressed cells) have <NA>.

    Parameters
    ----------
    territory : str or geopandas.GeoDataFrame, default "bassin_minier"
        Keep the IRIS lying in it.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``code_iris``, with ``revenu_median_uc``, ``taux_pauvrete_pct`` and ``gini``.

    Raises
    ------
    UnknownOptionError
        If *territory* is unknown.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> ii = income_iris()
    >>> bool(ii["taux_pauvrete_pct"].notna().any())
    True
    """

    def build() -> gpd.GeoDataFrame:
        g = cached_layer("iris_59_62", ("iris",), _build_iris)
        rows = read_json_mapping("filosofi_iris", "iris")
        codes = g.index.to_numpy()
        g["revenu_median_uc"] = pd.array([rows.get(c, {}).get("median_eur") for c in codes], dtype="Int64")
        g["taux_pauvrete_pct"] = pd.array(
            [rows.get(c, {}).get("poverty_rate_pct") for c in codes], dtype="Float64"
        )
        g["gini"] = pd.array([rows.get(c, {}).get("gini") for c in codes], dtype="Float64")
        g.attrs["sources"] = ["iris", "filosofi_iris"]
        return g

    allg = cached_layer("income_iris_5962", ("iris", "filosofi_iris"), build)
    g = filter_to_territory(allg, territory) if territory != "nord_pas_de_calais" else allg
    g.attrs = {**allg.attrs, "with_income": int(np.sum(g["revenu_median_uc"].notna()))}
    return g
