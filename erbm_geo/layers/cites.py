"""Cités minières: one unified layer from the three Mission Bassin Minier sources.

Sources
-------
``cites_minieres`` (159 polygons)
    The 124 cités inscribed on the World Heritage List (``id_unesco``) and 35 cités copied from
    the ERBM layer (5 of them duplicate an inscribed cité). Five of these 35 — Champ du Manœuvre,
    n°10 de Lens, Piérard, Cuvinot Nouvelle, Cernay — are absent from the current 59-polygon
    ``cites_erbm`` layer and are therefore not flagged ``erbm_programme`` (their ``sources``
    column still shows where they come from).
``zt_cites_minieres`` (162 polygons)
    Cités of the UNESCO buffer zone.
``cites_erbm`` (59 polygons)
    Cités of the ERBM renovation programme.

Matching rule
-------------
Two source polygons describe the same cité when any of these holds:

1. they carry the same Mission identifier ``id_lsm``;
2. their intersection covers at least half of the smaller of the two (``MATCH_OVERLAP``): the
   same cité digitised in two layers overlaps at > 98 % on the mirror, distinct neighbouring
   cités at < 10 %;
3. one is named « X (partie en zone-tampon) », the other « X », and they intersect or touch: the
   buffer-zone part of an inscribed cité.

Records are grouped by the connected components of this relation; each component is one row.
Attributes come from the inscribed record first, then the ERBM record, then the buffer-zone
record; the geometry is the union of the component's polygons. Flags: ``unesco_inscribed`` (a
record has ``id_unesco``), ``in_buffer_zone`` (a record comes from the buffer-zone layer),
``erbm_programme`` (a record comes from the ERBM layer).

Inscribed and buffer-zone parts
-------------------------------
Rule 3 merges the 8 « (partie en zone-tampon) » records into their inscribed cité, so the row of
an inscribed cité can be mostly buffer zone (Cité n°12 bis de Lens: 2.47 ha inscribed, 40.01 ha
in the buffer zone). The row is kept, and its parts are carried separately: ``area_inscribed_ha``
(union of the inscribed records) and ``area_buffer_ha`` (union of the buffer-zone records, less
the inscribed part). :func:`cite_parts` gives the part polygons: every statistic about
*inscribed cités* (a share of their area in QPV, a density…) is computed on
``cite_parts("inscribed")``, not on the whole rows.

Identifier ``cite_id``: ``"U<id_unesco>"`` for inscribed cités (e.g. ``"U92"``), else
``"L<id_lsm>"`` (e.g. ``"L853"``) — stable across releases of the sources.
"""

from __future__ import annotations

import re
from typing import Literal, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo import settings
from erbm_geo._deprecation import renamed_kwarg
from erbm_geo._text import fold
from erbm_geo.data import cached_layer, memo
from erbm_geo.data.facts import read_fact_table
from erbm_geo.errors import EmptyInputError, UnknownCodeError, UnknownOptionError
from erbm_geo.geom.spatial import assign_communes, connected_components, repair_geometries
from erbm_geo.layers._io import read_geojson
from erbm_geo.layers.territory import codes_from_names
from erbm_geo.layers.territory import communes as _communes

__all__ = [
    "MATCH_OVERLAP",
    "cite_parts",
    "cites",
    "normalise_name",
    "overview_by_epci",
    "programme_cites",
    "select_cites",
]

MATCH_OVERLAP = 0.5
_PART_SUFFIX = re.compile(r"\s*\(partie en zone[- ]tampon\)\s*$", re.IGNORECASE)
_TYPES = {
    "corons": "corons",
    "cite pavillonnaire": "cité pavillonnaire",
    "cite jardin": "cité-jardin",
    "cite-jardin": "cité-jardin",
    "cite moderne": "cité moderne",
}
_INTERET = {
    "exceptionnelle": "exceptionnel",
    "exceptionnel": "exceptionnel",
    "remarquable": "remarquable",
    "temoin": "témoin",
}
_SOURCES = ("cites_minieres", "zt_cites_minieres", "cites_erbm")


def normalise_name(name: object) -> str:
    """Normalise a cité name for matching.

    Lowercase ASCII, no « cité/résidence », no articles.

    Parameters
    ----------
    name : object
        A cité name (missing values give ``""``).

    Returns
    -------
    str
        The key names are matched by.

    Examples
    --------
    >>> normalise_name("Cité des Alouettes")
    'alouettes'
    >>> normalise_name("Cité St-Albert (n°16)")
    'saint albert 16'
    """
    if not isinstance(name, str) or not name:
        return ""
    s = fold(re.sub(r"\bn°\s*", " ", _PART_SUFFIX.sub("", str(name))))
    s = re.sub(r"\bst\b", "saint", s)
    s = re.sub(r"\bres\b\.?", "residence", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    words = [
        w
        for w in s.split()
        if w not in {"cite", "cites", "residence", "de", "la", "le", "les", "des", "du", "d", "l", "n", "no"}
    ]
    return " ".join(words)


def _clean_vocab(series: pd.Series, mapping: dict[str, str]) -> pd.Series:
    def f(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return pd.NA
        return mapping.get(fold(str(v)).strip(), str(v))

    return series.map(f).astype("string")


def _read_sources() -> gpd.GeoDataFrame:
    frames = []
    for src in _SOURCES:
        g = read_geojson(src)
        g["source"] = src
        frames.append(g)
    recs = pd.concat(frames, ignore_index=True)
    recs = gpd.GeoDataFrame(recs, geometry="geometry", crs=settings.crs)
    missing = recs.geometry.isna().to_numpy() | recs.geometry.is_empty.to_numpy()
    if missing.any():
        raise EmptyInputError(f"cité records without geometry: {recs.loc[missing, 'nom'].tolist()}")
    invalid = ~recs.is_valid.to_numpy()
    if invalid.any():
        recs.loc[invalid, "geometry"] = repair_geometries(recs.geometry.values[invalid])
    recs.attrs["repaired"] = int(invalid.sum())
    for col in ("id_unesco", "id_lsm", "nom_2", "proprietaire", "type", "compagnie", "interet"):
        if col not in recs:
            recs[col] = pd.NA
    recs["id_lsm"] = pd.to_numeric(recs["id_lsm"], errors="coerce").astype("Int64")
    return recs


def _components(recs: gpd.GeoDataFrame) -> np.ndarray:
    g = recs.geometry.values
    tree = shapely.STRtree(g)
    i, j = tree.query(g, predicate="intersects")
    k = i < j
    i, j = i[k], j[k]
    inter = shapely.area(shapely.intersection(g[i], g[j]))
    smaller = np.minimum(shapely.area(g[i]), shapely.area(g[j]))
    rule2 = inter >= MATCH_OVERLAP * smaller
    names = recs["nom"].fillna("").astype(str).to_numpy()
    is_part = np.array([bool(_PART_SUFFIX.search(n)) for n in names])
    base = np.array([normalise_name(n) for n in names])
    rule3 = (is_part[i] ^ is_part[j]) & (base[i] == base[j]) & (base[i] != "")
    ei = [i[rule2 | rule3]]
    ej = [j[rule2 | rule3]]
    lsm = recs["id_lsm"]
    grouped = lsm[lsm.notna()].groupby(lsm[lsm.notna()]).groups
    for idx in grouped.values():
        idx = np.asarray(idx)
        ei.append(np.repeat(idx[0], len(idx) - 1))
        ej.append(idx[1:])
    a, b = np.concatenate(ei), np.concatenate(ej)
    return connected_components(len(recs), a, b)


_LAYER_SOURCES = (*_SOURCES, "communes_59", "communes_62", "cog_communes")


def _unified_once() -> tuple[gpd.GeoDataFrame, dict[str, gpd.GeoDataFrame]]:
    """Return :func:`_unified`, computed once per process (the layer and its parts share it)."""
    unified = memo("cites_unified", _unified, sources=_LAYER_SOURCES)
    return cast("tuple[gpd.GeoDataFrame, dict[str, gpd.GeoDataFrame]]", unified)


def _build() -> gpd.GeoDataFrame:
    return _unified_once()[0]


def _unified() -> tuple[gpd.GeoDataFrame, dict[str, gpd.GeoDataFrame]]:
    """Return the unified layer and its inscribed / buffer-zone part polygons (indexed by cite_id)."""
    recs = _read_sources()
    recs["comp"] = _components(recs)
    prio = {"cites_minieres": 0, "cites_erbm": 1, "zt_cites_minieres": 2}
    recs["prio"] = recs["source"].map(prio) + np.where(recs["id_unesco"].notna(), -10, 0)
    recs = recs.sort_values(["comp", "prio"], kind="stable")
    first = recs.groupby("comp").first()  # first non-null value per column, by priority
    flags = recs.groupby("comp").agg(
        unesco_inscribed=("id_unesco", lambda s: s.notna().any()),
        in_buffer_zone=("source", lambda s: (s == "zt_cites_minieres").any()),
        erbm_programme=("source", lambda s: (s == "cites_erbm").any()),
        n_records=("source", "size"),
        sources=("source", lambda s: ";".join(sorted(set(s)))),
    )
    geom = recs.dissolve(by="comp").geometry
    out = gpd.GeoDataFrame(
        {
            "nom": first["nom"].map(lambda n: _PART_SUFFIX.sub("", str(n))).astype("string"),
            "nom_2": first["nom_2"].astype("string"),
            "type_cite": _clean_vocab(first["type"], _TYPES),
            "compagnie": first["compagnie"].astype("string"),
            "interet": _clean_vocab(first["interet"], _INTERET),
            "bailleur": first["proprietaire"].astype("string"),
            "id_unesco": first["id_unesco"].astype("string"),
            "id_lsm": first["id_lsm"].astype("Int64"),
            **{c: flags[c] for c in flags.columns},
        },
        geometry=geom.reindex(first.index).values,
        crs=settings.crs,
    )
    out["cite_id"] = np.where(
        out["id_unesco"].notna(),
        "U" + out["id_unesco"].fillna(""),
        "L" + out["id_lsm"].astype("string").fillna(""),
    )
    if out["cite_id"].duplicated().any():
        dups = out.loc[out["cite_id"].duplicated(keep=False), "cite_id"].tolist()
        raise UnknownCodeError(f"duplicate cité identifiers after matching: {dups}")
    recs["cite_id"] = recs["comp"].map(pd.Series(out["cite_id"].to_numpy(), index=first.index))
    out = out.set_index("cite_id").sort_index()
    codes = assign_communes(out, _communes(territory="nord_pas_de_calais"))
    out["code_insee"] = codes["code_insee"]
    out["codes_insee"] = codes["codes_insee"]
    out["area_ha"] = out.geometry.area / 1e4
    parts = _parts(recs, out)
    out["area_inscribed_ha"] = parts["inscribed"]["area_ha"].reindex(out.index).fillna(0.0).to_numpy()
    out["area_buffer_ha"] = parts["buffer"]["area_ha"].reindex(out.index).fillna(0.0).to_numpy()
    out.attrs["sources"] = list(_SOURCES)
    out.attrs["repaired"] = recs.attrs.get("repaired", 0)
    cols = [
        "nom",
        "nom_2",
        "type_cite",
        "compagnie",
        "interet",
        "bailleur",
        "unesco_inscribed",
        "in_buffer_zone",
        "erbm_programme",
        "id_unesco",
        "id_lsm",
        "code_insee",
        "codes_insee",
        "area_ha",
        "area_inscribed_ha",
        "area_buffer_ha",
        "n_records",
        "sources",
        "geometry",
    ]
    return out[cols], parts


def _parts(recs: gpd.GeoDataFrame, out: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """Inscribed part and buffer-zone part of every cité that has one.

    The inscribed part is the union of the records with ``id_unesco``, the buffer-zone part the
    union of the buffer-zone records less the inscribed part.
    """
    ids = recs.groupby("comp")["cite_id"].first()  # one cite_id per component
    insc = recs[recs["id_unesco"].notna().to_numpy()].dissolve(by="comp").geometry
    buf = recs[(recs["source"] == "zt_cites_minieres").to_numpy()].dissolve(by="comp").geometry
    ins_for_buf = insc.reindex(buf.index)
    has = ins_for_buf.notna().to_numpy()
    bgeoms = np.asarray(buf.values, dtype=object)
    bgeoms[has] = shapely.difference(bgeoms[has], np.asarray(ins_for_buf.values, dtype=object)[has])
    result = {}
    for part, geoms, comps in (
        ("inscribed", np.asarray(insc.values, dtype=object), insc.index),
        ("buffer", bgeoms, buf.index),
    ):
        keep = shapely.area(geoms) > 0
        idx = pd.Index(ids.reindex(comps).to_numpy()[keep], name="cite_id")
        g = gpd.GeoDataFrame(
            {"nom": out["nom"].reindex(idx).to_numpy(), "area_ha": shapely.area(geoms[keep]) / 1e4},
            geometry=geoms[keep],
            crs=settings.crs,
            index=idx,
        )
        result[part] = g.sort_index()
    return result


def cites() -> gpd.GeoDataFrame:
    """Return the unified layer of cités minières (see the module docstring for the matching).

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``cite_id``; columns ``nom``, ``nom_2``, ``type_cite`` (corons, cité pavillonnaire,
        cité-jardin, cité moderne), ``compagnie``, ``interet`` (exceptionnel, remarquable,
        témoin), ``bailleur``, the flags ``unesco_inscribed``, ``in_buffer_zone``,
        ``erbm_programme``, ``id_unesco``, ``id_lsm``, ``code_insee`` (main commune),
        ``codes_insee``, ``area_ha`` (whole row), ``area_inscribed_ha`` and ``area_buffer_ha``
        (its inscribed and buffer-zone parts, see :func:`cite_parts`), ``n_records`` and
        ``sources`` (the source layers merged).

    Examples
    --------
    >>> c = cites()
    >>> int(c["unesco_inscribed"].sum()), int(c["erbm_programme"].sum())
    (124, 59)
    >>> c.loc["L853", ["nom", "code_insee"]].tolist()  # Cité Heurteau, Hornaing
    ['Cité Heurteau', '59314']
    """
    return cached_layer("cites", (*_SOURCES, "communes_59", "communes_62", "cog_communes"), _build)


def cite_parts(part: Literal["inscribed", "buffer"] = "inscribed") -> gpd.GeoDataFrame:
    """Return the inscribed (or buffer-zone) part of every cité that has one.

    A row of :func:`cites` can join an inscribed cité and its « partie en zone-tampon »; use the
    inscribed parts for any statistic about inscribed cités.

    Parameters
    ----------
    part : {"inscribed", "buffer"}
        ``"inscribed"``: union of the inscribed records (124 cités); ``"buffer"``: union of the
        buffer-zone records, less the inscribed part.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``cite_id`` (as in :func:`cites`); ``nom``, ``area_ha``; polygons in EPSG:2154.

    Raises
    ------
    UnknownOptionError
        If *part* is unknown.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> p = cite_parts("inscribed")
    >>> len(p), round(float(p.loc["U63U", "area_ha"]), 2)  # Cité n°12 bis de Lens
    (124, 2.47)
    """
    if part not in ("inscribed", "buffer"):
        raise UnknownOptionError(f"unknown part {part!r}; choose 'inscribed' or 'buffer'")
    return cached_layer(f"cite_parts_{part}", _LAYER_SOURCES, lambda: _unified_once()[1][part])


def select_cites(
    gdf: gpd.GeoDataFrame | None = None,
    *,
    commune: str | list[str] | None = None,
    epci: str | list[str] | None = None,
    flag: Literal["unesco_inscribed", "in_buffer_zone", "erbm_programme"] | None = None,
) -> gpd.GeoDataFrame:
    """Select cités by commune (INSEE code), EPCI (SIREN) and/or programme flag.

    A cité spanning several communes is selected when any of them matches.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame, optional
        The cités to select from (default: :func:`cites`).
    commune : str or list of str, optional
        INSEE codes.
    epci : str or list of str, optional
        SIREN codes.
    flag : {"unesco_inscribed", "in_buffer_zone", "erbm_programme"}, optional
        Keep the cités with this flag.

    Returns
    -------
    geopandas.GeoDataFrame
        The cités selected, in their order.

    Raises
    ------
    UnknownCodeError
        For an INSEE or SIREN code that is not a commune / EPCI of the Nord or Pas-de-Calais.
    UnknownOptionError
        For an unknown flag.
    EmptyInputError
        When the selection is empty.

    Examples
    --------
    >>> len(select_cites(commune="62498", flag="unesco_inscribed")) > 0  # Lens
    True
    """
    c = cites() if gdf is None else gdf
    allc = _communes(territory="nord_pas_de_calais")
    mask = np.ones(len(c), dtype=bool)
    wanted: set[str] = set()
    if commune is not None:
        codes = [commune] if isinstance(commune, str) else list(commune)
        unknown = [x for x in codes if x not in allc.index]
        if unknown:
            raise UnknownCodeError(f"unknown INSEE code(s): {unknown}")
        wanted |= set(codes)
    if epci is not None:
        sirens = [epci] if isinstance(epci, str) else list(epci)
        known = set(allc["siren_epci"].dropna())
        unknown = [x for x in sirens if x not in known]
        if unknown:
            raise UnknownCodeError(f"unknown EPCI SIREN(s): {unknown}; e.g. '246200364' (Lens-Liévin)")
        wanted |= set(allc.index[allc["siren_epci"].isin(sirens).to_numpy()])
    if commune is not None or epci is not None:
        mask &= (
            c["codes_insee"]
            .fillna("")
            .str.split(";")
            .map(lambda xs: bool(wanted & set(xs)))
            .to_numpy(dtype=bool)
        )
    if flag is not None:
        if flag not in ("unesco_inscribed", "in_buffer_zone", "erbm_programme"):
            raise UnknownOptionError(
                f"unknown flag {flag!r}; choose unesco_inscribed, in_buffer_zone or erbm_programme"
            )
        mask &= c[flag].to_numpy(dtype=bool)
    out = c[mask]
    if out.empty:
        raise EmptyInputError(f"no cité matches commune={commune!r}, epci={epci!r}, flag={flag!r}")
    return out


def programme_cites() -> pd.DataFrame:
    """Return the cités the programme documents name, with logements and phase, joined to the layer.

    Each row of the fact table ``data/cites/programme_cites.csv`` (with its ``source`` document)
    is matched to a cité of :func:`cites` lying in the same commune whose normalised name
    (:func:`normalise_name`) equals, or contains, the normalised name of the fact row. Rows that
    match no polygon keep ``cite_id`` = <NA>: they are listed by ``programme_cites()
    .query("cite_id.isna()")`` and in the docs.

    Returns
    -------
    pandas.DataFrame
        One row per fact: ``nom``, ``commune``, ``logements``, ``phase``, ``note``, ``source``,
        ``section``, ``code_insee`` and ``cite_id`` (<NA> where no polygon matches).

    Raises
    ------
    DataFormatError
        If the fact table is damaged.
    UnknownCodeError
        If a commune of the fact table matches no commune.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> p = programme_cites()
    >>> p.loc[p["nom"] == "Cité Heurteau", ["logements", "cite_id"]].values.tolist()
    [[153, 'L853']]
    """
    facts = read_fact_table("programme_cites")
    facts["code_insee"] = codes_from_names(facts["commune"])
    c = cites()
    cn = c["nom"].map(normalise_name)
    cn2 = c["nom_2"].map(normalise_name)
    ids: list[object] = []
    for name, code in zip(facts["nom"], facts["code_insee"], strict=True):
        key = normalise_name(name)
        in_commune = c["codes_insee"].fillna("").str.split(";").map(lambda xs, k=code: k in xs)
        exact = in_commune & ((cn == key) | (cn2 == key))
        loose = in_commune & (cn.map(lambda v, k=key: bool(v) and (k in v or v in k)))
        hit = c.index[exact.to_numpy()] if exact.any() else c.index[loose.to_numpy()]
        ids.append(hit[0] if len(hit) == 1 else pd.NA)
    facts["cite_id"] = pd.Series(ids, index=facts.index, dtype="string")
    return facts


@renamed_kwarg("perimeter", "territory")
def overview_by_epci(*, territory: Literal["erbm", "bassin_minier_erbm"] = "erbm") -> pd.DataFrame:
    """Overview per EPCI.

    Cités by flag, inscribed property and buffer-zone areas.

    A cité counts for the EPCI of its main commune (``code_insee``). Areas are the exact
    intersections of the property / buffer zone with the EPCI polygon, in hectares.

    Parameters
    ----------
    territory : {"erbm", "bassin_minier_erbm"}, default "erbm"
        The 8 EPCI of the ERBM, or also the 5 other EPCI holding basin communes.

    Returns
    -------
    pandas.DataFrame
        Index ``siren_epci``; columns ``nom_epci``, ``n_cites``, ``n_unesco_inscribed``,
        ``n_in_buffer_zone``, ``n_erbm_programme``, ``bien_inscrit_ha``, ``zone_tampon_ha``.

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
    >>> o = overview_by_epci()
    >>> len(o), int(o["n_erbm_programme"].sum())
    (8, 59)
    """
    from erbm_geo.layers.heritage import bien_inscrit, zone_tampon
    from erbm_geo.layers.territory import epci as _epci

    e = _epci(territory=territory)
    allc = _communes(territory="nord_pas_de_calais")
    c = cites()
    c["siren_epci"] = allc["siren_epci"].reindex(c["code_insee"].to_numpy()).to_numpy()
    counts = c.groupby("siren_epci").agg(
        n_cites=("nom", "size"),
        n_unesco_inscribed=("unesco_inscribed", "sum"),
        n_in_buffer_zone=("in_buffer_zone", "sum"),
        n_erbm_programme=("erbm_programme", "sum"),
    )
    out = pd.DataFrame({"nom_epci": e["nom_epci"]}).join(counts).fillna(0)
    for col in counts.columns:
        out[col] = out[col].astype("int64")
    eg = e.geometry.values
    for name, layer in (("bien_inscrit_ha", bien_inscrit()), ("zone_tampon_ha", zone_tampon())):
        u = layer.union_all()
        out[name] = shapely.area(shapely.intersection(eg, u)) / 1e4
    return out
