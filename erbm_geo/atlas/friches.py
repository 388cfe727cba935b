"""The atlas's view of the friche sites: portraits' maps and tables, the « Friches » page.

The sites are :func:`erbm_geo.layers.friches_sites` (the latest extract) compared with the
previous extract by :func:`erbm_geo.indicators.friche_sites.friche_sites_change`. Their colours
by status are those of the printed maps (one :func:`~erbm_geo.maps.printed.symbology.symbology`
for both); a link to a site's page is offered only for an http(s) URL (:func:`site_url`). Every
date shown is an extract date from the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.atlas.mapdata import Features, MapSpec, features
from erbm_geo.indicators.friche_sites import friche_sites_change
from erbm_geo.layers.friche_sites import FRICHES_SITES_VINTAGES, friches_sites, site_url
from erbm_geo.maps.printed.symbology import Classes, symbology
from erbm_geo.maps.vocabulary import cle_tri, nombre
from erbm_geo.vocabulary import date_fr

__all__ = ["SOURCES", "Friches", "couche", "friches", "lignes", "resume_changement"]

#: The catalogue names of the two extracts compared (previous, latest).
SOURCES: tuple[str, str] = tuple(  # type: ignore[assignment]
    f"cartofriches_sites_{d.replace('-', '_')}" for d in FRICHES_SITES_VINTAGES[-2:]
)

#: Cités within this distance of a site are listed beside it (metres).
PROCHE_M = 500.0


@dataclass(frozen=True)
class Friches:
    """The sites of the atlas, their symbols and their change since the previous extract.

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        The basin's sites (latest extract).
    geo : Features
        Their points for the web maps.
    codes : numpy.ndarray
        Status class of each site (index into *couleurs*).
    statuts, couleurs : list of str
        The statuses present and their colours (those of the printed maps).
    rayons : numpy.ndarray
        Point radius of each site in pixels (grows with the square root of the surface).
    changement : pandas.DataFrame
        Per site of either extract: ``change``, ``statut_avant``, ``statut_apres``, ``code_insee``.
    cites : dict of str to list of str
        Names of the cités within :data:`PROCHE_M` of each site.
    extraits : tuple of str
        The previous and the latest extract dates compared.
    fiches : list of dict
        The table row of each site, in the order of *sites* (computed once; see :func:`lignes`).
    par_commune : dict of str to dict
        By commune: the number of sites of each kind of change (computed once).

    Examples
    --------
    >>> from erbm_geo import layers
    >>> f = friches(layers.cites())  # doctest: +SKIP
    >>> f.statuts == sorted(f.statuts, key=cle_tri)  # doctest: +SKIP
    True
    """

    sites: gpd.GeoDataFrame
    geo: Features
    codes: np.ndarray
    statuts: list[str]
    couleurs: list[str]
    rayons: np.ndarray
    changement: pd.DataFrame
    cites: dict[str, list[str]]
    extraits: tuple[str, str]
    fiches: list[dict[str, Any]] = field(default_factory=list)
    par_commune: dict[str, dict[str, int]] = field(default_factory=dict)


def friches(cites: gpd.GeoDataFrame) -> Friches:
    """Return the basin's sites for the atlas, with the cités near each one.

    Parameters
    ----------
    cites : geopandas.GeoDataFrame
        The cités of the atlas (with ``nom``).

    Returns
    -------
    Friches
        The sites and what the pages show of them.

    Raises
    ------
    DataNotFoundError
        If an extract is neither in the mirror nor downloadable.
    DataFormatError
        If an extract lacks a column of the national table.

    Examples
    --------
    >>> from erbm_geo import layers
    >>> f = friches(layers.cites())  # doctest: +SKIP
    >>> len(f.sites) == len(layers.friches_sites()), f.extraits[0] < f.extraits[1]  # doctest: +SKIP
    (True, True)
    """
    sites = friches_sites()
    old = friches_sites(vintage=FRICHES_SITES_VINTAGES[-2])
    changement, _ = friche_sites_change(old, sites)
    sym = symbology(sites, "site_statut", Classes(), "Statut du site")
    surface = sites["site_surface_m2"].fillna(0.0).to_numpy(dtype="float64")
    top = float(np.nanmax(surface)) if len(surface) and np.nanmax(surface) > 0 else 1.0
    rayons = np.round(3.0 + 7.0 * np.sqrt(np.clip(surface, 0, None) / top), 1)
    tree = shapely.STRtree(cites.geometry.to_numpy())
    s_i, c_i = tree.query(sites.geometry.to_numpy(), predicate="dwithin", distance=PROCHE_M)
    noms = cites["nom"].astype(str).to_numpy()
    proches: dict[str, list[str]] = {}
    for s, c in zip(s_i, c_i, strict=True):
        proches.setdefault(str(sites.index[s]), []).append(str(noms[c]))
    proches = {k: sorted(set(v), key=cle_tri) for k, v in proches.items()}
    return Friches(
        sites,
        features(sites, tolerance=0.0),
        sym.codes,
        list(sym.labels),
        list(sym.colours),
        rayons,
        changement,
        proches,
        (FRICHES_SITES_VINTAGES[-2], FRICHES_SITES_VINTAGES[-1]),
        _fiches(sites, proches),
        {
            str(code): {str(k): int(v) for k, v in row.items() if v}
            for code, row in pd.crosstab(changement["code_insee"], changement["change"]).iterrows()
        },
    )


def _fiches(sites: gpd.GeoDataFrame, proches: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Return the table row of every site (plain values, formatted once)."""
    out = []
    for sid, r in zip(sites.index, sites.drop(columns=sites.geometry.name).to_dict("records"), strict=True):
        surface = float(r["site_surface_m2"]) if pd.notna(r["site_surface_m2"]) else float("nan")
        activite = r["activite_libelle"]
        out.append(
            {
                "id": str(sid),
                "nom": str(r["site_nom"]) if pd.notna(r["site_nom"]) else "Site sans nom",
                "statut": str(r["site_statut"]),
                "type": str(r["site_type"]),
                "surface": _hectares(surface),
                "surface_tri": "" if np.isnan(surface) else f"{surface:.0f}",
                "pollution": str(r["sol_pollution_existe"]),
                "code_insee": str(r["code_insee"]),
                "cites": proches.get(str(sid), []),
                "url": site_url(r["site_url"]),
                "activite": str(activite) if pd.notna(activite) else None,
            }
        )
    return out


def _hectares(m2: float) -> str:
    """Return a surface in hectares, or in m² under one hectare (never « 0,0 ha »)."""
    if not np.isfinite(m2):
        return "n.d."
    if m2 < 1e4:
        return f"{nombre(m2)}\u202fm²"
    return f"{nombre(m2 / 1e4, 1 if m2 < 1e6 else 0)}\u202fha"


def couche(spec: MapSpec, f: Friches, rows: np.ndarray) -> None:
    """Add the sites at *rows* to a map: points sized by surface, coloured by status, a legend.

    Parameters
    ----------
    spec : MapSpec
        The map.
    f : Friches
        The sites.
    rows : numpy.ndarray
        Positions of the sites to draw.

    Examples
    --------
    >>> spec = MapSpec("Carte", base="communes", base_props={})
    >>> couche(spec, f, np.arange(3))  # doctest: +SKIP
    >>> spec.legendes[-1]["titre"].startswith("Sites en friche")  # doctest: +SKIP
    True
    """
    if not len(rows):
        return
    props = []
    for k in rows:
        r = f.fiches[k]
        t = [r["nom"], f"Statut : {r['statut']}", f"Type : {r['type']}", f"Surface : {r['surface']}"]
        if r["activite"] is not None:
            t.append(f"Activité passée : {r['activite']}")
        p: dict[str, Any] = {"c": int(f.codes[k]), "t": t, "r": float(f.rayons[k])}
        if r["url"] is not None:
            p["h"] = r["url"]
        props.append(p)
    spec.layer(
        "Sites en friche",
        f.geo.collection(rows, props),
        style={"color": "#333333", "weight": 1, "fillOpacity": 0.85},
        palette=f.couleurs,
        kind="point",
    )
    present = sorted({int(f.codes[k]) for k in rows})
    spec.legende(
        f"Sites en friche (Cartofriches, {date_fr(f.extraits[1])})",
        [(f.statuts[c], f.couleurs[c], "dot") for c in present],
        note=None,
    )


def lignes(f: Friches, positions: np.ndarray) -> list[dict[str, Any]]:
    """Return the table rows of the sites at *positions*, sorted by name.

    Parameters
    ----------
    f : Friches
        The sites.
    positions : numpy.ndarray
        Positions of the sites.

    Returns
    -------
    list of dict
        ``id``, ``nom``, ``statut``, ``type``, ``surface`` (text), ``surface_tri`` (m²),
        ``pollution``, ``code_insee``, ``cites`` (names within 500 m), ``url`` (or None).

    Examples
    --------
    >>> rows = lignes(f, np.arange(len(f.sites)))  # doctest: +SKIP
    >>> all(r["url"] is None or r["url"].startswith("http") for r in rows)  # doctest: +SKIP
    True
    """
    out = [dict(f.fiches[k]) for k in positions]
    out.sort(key=lambda x: cle_tri(str(x["nom"])))
    return out


def resume_changement(f: Friches, codes: list[str] | None = None) -> dict[str, Any]:
    """Return the sites added, removed and whose status changed between the two extracts.

    Parameters
    ----------
    f : Friches
        The sites.
    codes : list of str, optional
        Only the sites of these communes (by the commune of their point); all by default.

    Returns
    -------
    dict
        ``ajoutes``, ``retires``, ``modifies`` (counts), ``avant`` and ``apres`` (the extract
        dates in French).

    Examples
    --------
    >>> r = resume_changement(f, ["62498"])  # doctest: +SKIP
    >>> r["ajoutes"] >= 0 and r["retires"] >= 0  # doctest: +SKIP
    True
    """
    if codes is None:
        n = f.changement["change"].value_counts().to_dict()
    else:
        n = {}
        for c in codes:
            for kind, count in f.par_commune.get(c, {}).items():
                n[kind] = n.get(kind, 0) + count
    return {
        "ajoutes": int(n.get("ajouté", 0)),
        "retires": int(n.get("retiré", 0)),
        "modifies": int(n.get("statut modifié", 0)),
        "avant": date_fr(f.extraits[0]),
        "apres": date_fr(f.extraits[1]),
    }
