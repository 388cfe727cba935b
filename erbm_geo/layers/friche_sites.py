"""Every Cartofriches site of the Nord and the Pas-de-Calais as a point, in each vintage.

The mirror holds three extracts of the national site table (``friches/cartofriches-sites-59-62-
DATE.geojson``; the catalogue's ``cartofriches_sites_*`` entries give each one's extract date).
:func:`friches_sites` types them (surfaces as floats in m², dates as dates, statuses, types and
soil pollution as categoricals in Cartofriches' vocabulary), finds the commune each point lies in
and checks it against the site's declared ``comm_insee``. Known flaws, said where they matter:
in the first extract almost every status is « inconnu » (the field was filled later); the site
surface is most often the whole *unité foncière*.

The producer contact columns (``source_producteur``, ``source_contact``) are not kept: they can
hold a person's name and no output needs them.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo._warnings import warn
from erbm_geo.data import cached_layer
from erbm_geo.data.catalogue import CATALOGUE
from erbm_geo.errors import DataFormatError, DataQualityWarning, UnknownOptionError
from erbm_geo.layers._io import read_geojson
from erbm_geo.layers.territory import TerritoryName
from erbm_geo.layers.territory import communes as _communes

__all__ = ["FRICHES_SITES_VINTAGES", "SITE_STATUTS", "friches_sites", "site_url"]

#: The extract dates of the site vintages, oldest first (from the catalogue).
FRICHES_SITES_VINTAGES: tuple[str, ...] = tuple(
    sorted(str(d.extract) for n, d in CATALOGUE.items() if n.startswith("cartofriches_sites_"))
)

#: Cartofriches' site statuses, from the least to the most advanced (the categories' order).
SITE_STATUTS: tuple[str, ...] = (
    "friche potentielle",
    "friche sans projet",
    "friche avec projet",
    "site avec projet",
    "friche reconvertie",
    "inconnu",
)
_TYPES = (
    "friche industrielle",
    "friche commerciale",
    "friche d'habitat",
    "friche d'équipement public",
    "friche hospitalière",
    "friche ferroviaire",
    "friche portuaire",
    "friche agro-industrielle",
    "friche militaire",
    "friche touristique",
    "friche enseignement",
    "mixte",
    "autre",
    "inconnu",
)
_POLLUTION = (
    "pollution avérée",
    "pollution supposée",
    "pollution peu probable",
    "pollution inexistante",
    "inconnu",
)
#: Columns kept from the national table, with their new names where renamed.
_TEXT = {
    "site_nom": "site_nom",
    "site_adresse": "site_adresse",
    "comm_insee": "comm_insee",
    "comm_nom": "comm_nom",
    "activite_libelle": "activite_libelle",
    "site_url": "site_url",
    "source_nom": "source_nom",
    "urba_doc_type": "urba_doc_type",
}
_FLOATS = {
    "site_surface": "site_surface_m2",
    "unite_fonciere_surface": "unite_fonciere_surface_m2",
    "bati_surface": "bati_surface_m2",
    "desserte_distance_ferroviaire": "desserte_distance_ferroviaire_m",
}
_DATES = ("site_identif_date", "site_actu_date")
_CATEGORIES = {"site_statut": SITE_STATUTS, "site_type": _TYPES, "sol_pollution_existe": _POLLUTION}
_HTTP = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)


def site_url(value: object) -> str | None:
    """Return *value* when it is a plain http(s) URL, else None (never a link to follow).

    Parameters
    ----------
    value : object
        A ``site_url`` from the data.

    Returns
    -------
    str or None
        The URL, or None for anything else (``javascript:``, ``data:``, text, missing).

    Examples
    --------
    >>> site_url("https://fiches-risques.brgm.fr/x"), site_url("javascript:alert(1)"), site_url(None)
    ('https://fiches-risques.brgm.fr/x', None, None)
    """
    if not isinstance(value, str):
        return None
    v = value.strip()
    return v if _HTTP.fullmatch(v) else None


def _dataset(vintage: str | None) -> str:
    if vintage is None:
        vintage = FRICHES_SITES_VINTAGES[-1]
    if vintage not in FRICHES_SITES_VINTAGES:
        raise UnknownOptionError(
            f"no Cartofriches site vintage {vintage!r}; available: {', '.join(FRICHES_SITES_VINTAGES)}"
        )
    return f"cartofriches_sites_{vintage.replace('-', '_')}"


def _typed(raw: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    """Type the columns kept; unknown category values are counted and kept as such."""
    missing = sorted({"site_id", *_TEXT, *_FLOATS, *_DATES, *_CATEGORIES} - set(raw.columns))
    if missing:
        raise DataFormatError(f"{name}: columns {missing} are missing from the Cartofriches sites file")
    out = pd.DataFrame(index=pd.Index(raw["site_id"].astype(str), name="site_id"))
    for src, dst in _TEXT.items():
        out[dst] = raw[src].astype("string").to_numpy()
    for src, dst in _FLOATS.items():
        out[dst] = pd.to_numeric(raw[src], errors="coerce").astype("float64").to_numpy()
    for col in _DATES:
        out[col] = pd.to_datetime(raw[col], errors="coerce", format="%Y-%m-%d").dt.normalize().to_numpy()
    for col, cats in _CATEGORIES.items():
        values = raw[col].fillna("inconnu").astype(str).str.strip()
        extra = sorted(set(values) - set(cats))
        out[col] = pd.Categorical(values.to_numpy(), categories=[*cats, *extra])
        out.attrs.setdefault("vocabulary_extra", {})[col] = extra
    out["proprio_type"] = raw["proprio_type"].astype("string").str.strip("{}").to_numpy()
    if out.index.duplicated().any():
        raise DataFormatError(f"{name}: site_id values are not unique ({int(out.index.duplicated().sum())})")
    return gpd.GeoDataFrame(out, geometry=raw.geometry.to_numpy(), crs=raw.crs)


def _build(dataset: str) -> gpd.GeoDataFrame:
    raw = read_geojson(dataset)  # EPSG:4326 → the working CRS
    sites = _typed(raw, dataset)
    communes = _communes(territory="nord_pas_de_calais")
    tree = shapely.STRtree(communes.geometry.to_numpy())
    pts, polys = tree.query(sites.geometry.to_numpy(), predicate="within")
    code = np.full(len(sites), None, dtype=object)
    code[pts] = communes.index.to_numpy()[polys]  # communes tile: one commune per point
    sites["code_insee"] = pd.array(code, dtype="string")
    sites["siren_epci"] = pd.array(
        communes["siren_epci"].reindex(sites["code_insee"].fillna("")).to_numpy(), dtype="string"
    )
    return sites


def friches_sites(
    *, territory: TerritoryName = "bassin_minier", vintage: str | None = None
) -> gpd.GeoDataFrame:
    """Return the Cartofriches sites lying in *territory*, in one vintage.

    Parameters
    ----------
    territory : str, default "bassin_minier"
        ``"bassin_minier"``, ``"erbm"``, ``"bassin_minier_erbm"`` or ``"nord_pas_de_calais"``:
        the sites whose point lies in one of its communes.
    vintage : str, optional
        The extract date (:data:`FRICHES_SITES_VINTAGES`); the latest by default.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:2154 points indexed by ``site_id`` (stable across vintages): ``site_nom``,
        ``site_statut``, ``site_type`` and ``sol_pollution_existe`` (categoricals in
        Cartofriches' vocabulary), ``site_surface_m2``, ``unite_fonciere_surface_m2``,
        ``bati_surface_m2``, ``desserte_distance_ferroviaire_m`` (floats), ``site_identif_date``
        and ``site_actu_date`` (dates), ``site_adresse``, ``comm_insee`` and ``comm_nom`` (as
        declared by Cartofriches), ``activite_libelle``, ``site_url``, ``source_nom``,
        ``urba_doc_type``, ``proprio_type`` (the land-register owner code, braces removed),
        ``code_insee`` and ``siren_epci`` (the commune of the COG the point lies in, and its
        EPCI). ``attrs["vintage"]`` is the extract date; ``attrs["commune_mismatch"]`` lists
        the sites whose point lies in another commune than their ``comm_insee`` (a
        :class:`~erbm_geo.errors.DataQualityWarning` counts them).

    Raises
    ------
    UnknownOptionError
        If *territory* or *vintage* is unknown (the message lists the vintages).
    DataNotFoundError
        If the vintage's file is neither in the mirror nor downloadable.
    ChecksumError
        If the file does not have its catalogued sha256.
    DataFormatError
        If the file lacks a column of the national table or repeats a ``site_id``.

    Examples
    --------
    >>> s = friches_sites()
    >>> s.crs.to_epsg(), s.index.name, str(s["site_statut"].dtype)
    (2154, 'site_id', 'category')
    >>> friches_sites(vintage="1999-01-01")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.UnknownOptionError: no Cartofriches site vintage '1999-01-01'; available: ...
    """
    dataset = _dataset(vintage)
    codes = _communes(territory=territory).index  # refuses an unknown territory
    everything = cached_layer(
        f"friches_sites_{dataset}",
        (dataset, "communes_59", "communes_62", "cog_communes", "cog_epci"),
        lambda: _build(dataset),
    )
    outside = everything.index[everything["code_insee"].isna().to_numpy()]
    if len(outside) and territory == "nord_pas_de_calais":
        warn(
            DataQualityWarning(
                f"friches_sites: {len(outside)} site(s) lie outside every commune of the Nord and "
                f"the Pas-de-Calais (e.g. {list(outside[:3])}) and are left out (attrs['outside'])",
                columns=("code_insee",),
            )
        )
    out = everything[everything["code_insee"].isin(codes).to_numpy()].copy()
    for col, cats in _CATEGORIES.items():  # the vocabulary's order, whatever the cache kept
        present = [c for c in out[col].astype(str).unique() if c not in cats]
        out[col] = pd.Categorical(out[col].astype(str), categories=[*cats, *sorted(present)])
    declared = out["comm_insee"].fillna("")
    other = out.index[(declared != out["code_insee"]).to_numpy()]
    out.attrs = {
        "vintage": CATALOGUE[dataset].extract,
        "sources": [dataset],
        "commune_mismatch": [str(s) for s in other],
        "outside": [str(s) for s in outside],
    }
    if len(other):
        warn(
            DataQualityWarning(
                f"friches_sites: {len(other)} of {len(out)} site(s) lie in another commune than "
                f"their comm_insee (e.g. {list(other[:3])}); code_insee is the commune of the "
                "point (attrs['commune_mismatch'])",
                columns=("code_insee", "comm_insee"),
            )
        )
    return out
