"""The territory: communes, EPCI, départements and the outline of the Bassin minier.

Geometry comes from IGN ADMIN EXPRESS (simplified); codes, names, EPCI membership and
municipal populations from the COG (Etalab ``decoupage-administratif`` 6.0.0). Communes merged
since 2018 are dissolved into their 2025 commune through the COG's ``anciensCodes``.

Named territories
-----------------
``"bassin_minier"``
    The 250 communes of the Bassin minier (251 until Enquin-les-Mines and Enguinegatte merged into
    Enquin-lez-Guinegatte, 62295, on 1 January 2017). Their union is the Mission Bassin Minier
    outline. The list is the project fact table ``data/communes/bassin_minier_communes.csv``,
    derived by :func:`derive_basin_communes` (``scripts/derive_basin_communes.py``).
``"erbm"``
    The 336 communes of the 8 intercommunalités that signed the ERBM (224 of them in the basin).
``"bassin_minier_erbm"``
    The union of both (362 communes): the 26 basin communes outside the 8 EPCI belong to CC
    Pévèle-Carembault, CC du Ternois, the Métropole Européenne de Lille, the CU d'Arras and the CA
    du Pays de Saint-Omer.
``"nord_pas_de_calais"``
    Every commune of the Nord (59) and the Pas-de-Calais (62): 1,534 in 2025.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo import settings
from erbm_geo._deprecation import renamed_kwarg
from erbm_geo._text import fold
from erbm_geo.data import cached_layer, memo
from erbm_geo.data.catalogue import get
from erbm_geo.data.facts import read_fact_table
from erbm_geo.errors import DataFormatError, EmptyInputError, UnknownCodeError, UnknownOptionError
from erbm_geo.geom.kernels import covered_area, intersecting_pairs
from erbm_geo.layers._io import read_geojson, read_json

__all__ = [
    "TERRITORIES",
    "TerritoryName",
    "basin_outline",
    "codes_from_names",
    "communes",
    "departements",
    "derive_basin_communes",
    "epci",
    "erbm_epci_sirens",
    "filter_to_territory",
    "name_key",
    "select_communes",
    "territory_communes",
    "territory_geometry",
]

TerritoryName = Literal["bassin_minier", "erbm", "bassin_minier_erbm", "nord_pas_de_calais"]
TERRITORIES: tuple[str, ...] = ("bassin_minier", "erbm", "bassin_minier_erbm", "nord_pas_de_calais")
_DEPARTEMENTS = ("59", "62")
_COMMUNE_SOURCES = ("communes_59", "communes_62", "cog_communes", "cog_epci", "cog_departements")
#: Share of a commune's area inside the MBM outline above which it is a basin commune.
BASIN_SHARE_THRESHOLD = 0.5


def erbm_epci_sirens() -> list[str]:
    """Return the SIREN codes of the 8 EPCI signatories of the ERBM (fact table ``erbm_epci``).

    Returns
    -------
    list of str
        Eight SIREN codes, sorted.

    Raises
    ------
    DataFormatError
        If the committed fact table ``erbm_epci`` is damaged.

    Examples
    --------
    >>> len(erbm_epci_sirens())
    8
    """
    return read_fact_table("erbm_epci")["siren_epci"].tolist()


def _check_territory(territory: str) -> None:
    if territory not in TERRITORIES:
        raise UnknownOptionError(f"unknown territory {territory!r}; choose one of {', '.join(TERRITORIES)}")


def _build_all_communes() -> gpd.GeoDataFrame:
    raw = pd.concat([read_geojson("communes_59"), read_geojson("communes_62")], ignore_index=True)
    cog = read_json("cog_communes")
    current = {
        c["code"]: c for c in cog if c["type"] == "commune-actuelle" and c.get("departement") in _DEPARTEMENTS
    }
    successor = {old: c["code"] for c in current.values() for old in c.get("anciensCodes", [])}
    raw["code_insee"] = raw["code"].map(lambda c: c if c in current else successor.get(c))
    unknown = raw.loc[raw["code_insee"].isna(), "code"].tolist()
    if unknown:
        raise UnknownCodeError(
            f"commune polygons {unknown} match no COG {get('cog_communes').cog} commune nor any of "
            "their former codes; "
            "the catalogue's ADMIN EXPRESS and COG vintages disagree."
        )
    gdf = raw[["code_insee", "geometry"]].dissolve(by="code_insee")
    missing = sorted(set(current) - set(gdf.index))
    if missing:
        raise UnknownCodeError(f"COG {get('cog_communes').cog} communes without a polygon: {missing}")
    epcis = read_json("cog_epci")
    try:
        member_of = {m["code"]: (e["code"], e["nom"]) for e in epcis for m in e["membres"]}
    except (TypeError, KeyError) as exc:
        raise DataFormatError(
            f"dataset 'cog_epci': not a list of EPCI with their 'membres' "
            f"({exc!r}); `erbm-geo data verify` checks the file"
        ) from exc
    orphans = sorted(set(gdf.index) - set(member_of))
    if orphans:  # every commune of the Nord and Pas-de-Calais belongs to an EPCI
        raise DataFormatError(
            f"dataset 'cog_epci': {len(orphans)} commune(s) in no EPCI "
            f"({orphans[:5]}…); the file is damaged or of another vintage"
        )
    deps = {d["code"]: d["nom"] for d in read_json("cog_departements")}
    basin = set(read_fact_table("bassin_minier_communes")["code_insee"])
    erbm = set(erbm_epci_sirens())
    codes = gdf.index.to_numpy()
    gdf["nom"] = [current[c]["nom"] for c in codes]
    gdf["departement"] = [current[c]["departement"] for c in codes]
    gdf["nom_departement"] = [deps[d] for d in gdf["departement"]]
    gdf["siren_epci"] = [member_of[c][0] for c in codes]
    gdf["nom_epci"] = [member_of[c][1] for c in codes]
    gdf["population"] = np.array([current[c].get("population", 0) for c in codes], dtype="int64")
    gdf["area_km2"] = gdf.geometry.area / 1e6
    gdf["in_basin"] = gdf.index.isin(list(basin))
    gdf["in_erbm_epci"] = gdf["siren_epci"].isin(list(erbm))
    gdf.index.name = "code_insee"
    cols = [
        "nom",
        "departement",
        "nom_departement",
        "siren_epci",
        "nom_epci",
        "population",
        "area_km2",
        "in_basin",
        "in_erbm_epci",
        "geometry",
    ]
    out = gpd.GeoDataFrame(gdf[cols], geometry="geometry", crs=settings.crs)
    out["siren_epci"] = out["siren_epci"].astype("string")
    out["nom_epci"] = out["nom_epci"].astype("string")
    out.attrs["sources"] = list(_COMMUNE_SOURCES)
    return out


@renamed_kwarg("perimeter", "territory")
def communes(*, territory: TerritoryName = "bassin_minier") -> gpd.GeoDataFrame:
    """Return the communes of a territory, in EPSG:2154, indexed by INSEE code.

    Parameters
    ----------
    territory : {"bassin_minier", "erbm", "bassin_minier_erbm", "nord_pas_de_calais"}
        See the module docstring. Default: the 250 basin communes.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``code_insee`` (text, the catalogue's COG); columns ``nom``, ``departement``,
        ``nom_departement``, ``siren_epci``, ``nom_epci``, ``population`` (municipal population,
        its COG), ``area_km2``, ``in_basin``, ``in_erbm_epci``, ``geometry``.

    Raises
    ------
    UnknownOptionError
        For an unknown *territory*.

    Examples
    --------
    >>> c = communes()
    >>> len(c), c.crs.to_epsg()
    (250, 2154)
    >>> c.loc["62498", "nom"]
    'Lens'
    >>> len(communes(territory="erbm"))
    336
    """
    _check_territory(territory)
    allc = cached_layer("communes_59_62", (*_COMMUNE_SOURCES, "bassin_minier"), _build_all_communes)
    if territory == "bassin_minier":
        mask = allc["in_basin"]
    elif territory == "erbm":
        mask = allc["in_erbm_epci"]
    elif territory == "bassin_minier_erbm":
        mask = allc["in_basin"] | allc["in_erbm_epci"]
    else:
        mask = pd.Series(True, index=allc.index)
    out = allc[mask.to_numpy()].copy()
    out.attrs = {"territory": territory, **allc.attrs}
    return out


@renamed_kwarg("perimeter", "territory")
def select_communes(
    codes: list[str] | str, *, territory: TerritoryName = "nord_pas_de_calais"
) -> gpd.GeoDataFrame:
    """Return the communes with the given INSEE codes.

    Parameters
    ----------
    codes : str or list of str
        INSEE codes (five characters, as text).
    territory : str, default "nord_pas_de_calais"
        Where the codes are looked for (see :data:`TERRITORIES`).

    Returns
    -------
    geopandas.GeoDataFrame
        The communes, in the order of *codes*.

    Raises
    ------
    UnknownCodeError
        Naming the codes that are not communes of *territory* (or are given twice).

    Examples
    --------
    >>> select_communes(["62498", "62510"])["nom"].tolist()
    ['Lens', 'Liévin']
    """
    if isinstance(codes, str):
        codes = [codes]
    if not codes:
        raise EmptyInputError("select_communes: no INSEE code given.")
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise UnknownCodeError(f"INSEE code(s) given more than once: {dup}")
    allc = communes(territory=territory)
    unknown = [c for c in codes if c not in allc.index]
    if unknown:
        raise UnknownCodeError(
            f"unknown INSEE code(s) for territory {territory!r}: "
            f"{'; '.join(_code_hint(str(c), allc) for c in unknown)}. Codes are 5 characters of "
            f"text (e.g. '59178'), COG {get('cog_communes').cog}."
        )
    return allc.loc[codes]


def _code_hint(code: str, allc: pd.DataFrame) -> str:
    """Return *code* with what it probably meant: a name's code(s), or the nearest codes."""
    import difflib

    if code in allc.index:  # a number where text was expected
        return f"{code} (a number: give it as text, '{code}')"
    if not code[:2].isdigit():  # a name where a code was expected
        try:
            found = codes_from_names([code])
        except UnknownCodeError as exc:
            return f"{code!r} looks like a commune name: {exc}"
        return f"{code!r} looks like a commune name: use codes_from_names([{code!r}]) → {found}"
    near = difflib.get_close_matches(code, [str(c) for c in allc.index], n=3, cutoff=0.8)
    names = allc["nom"].astype(str)
    return f"{code!r}" + (
        " (did you mean " + ", ".join(f"{c} {names.loc[c]}" for c in near) + "?)" if near else ""
    )


@renamed_kwarg("perimeter", "territory")
def epci(*, territory: Literal["erbm", "bassin_minier_erbm"] = "erbm") -> gpd.GeoDataFrame:
    """Return the EPCI dissolved from the commune polygons, indexed by SIREN.

    Parameters
    ----------
    territory : {"erbm", "bassin_minier_erbm"}
        ``"erbm"``: the 8 EPCI of the ERBM; ``"bassin_minier_erbm"``: also the 5 other EPCI
        holding basin communes (whole EPCI).

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``siren_epci``; columns ``nom_epci``, ``population``, ``n_communes``,
        ``n_communes_bassin``, ``population_bassin``, ``area_km2``, ``erbm`` and ``geometry``.

    Raises
    ------
    UnknownOptionError
        If *territory* is not one of the two.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> e = epci()
    >>> len(e), int(e["n_communes"].sum()), int(e["n_communes_bassin"].sum())
    (8, 336, 224)
    """
    if territory not in ("erbm", "bassin_minier_erbm"):
        raise UnknownOptionError(
            f"unknown EPCI territory {territory!r}; choose 'erbm' or 'bassin_minier_erbm'"
        )
    return cached_layer(
        "epci_59_62",
        (*_COMMUNE_SOURCES, "bassin_minier"),
        lambda: _build_epci(territory),
        params={"territory": territory},
    )


def _build_epci(territory: str) -> gpd.GeoDataFrame:
    allc = communes(territory="nord_pas_de_calais")
    sirens = set(erbm_epci_sirens())
    if territory == "bassin_minier_erbm":
        sirens |= set(allc.loc[allc["in_basin"], "siren_epci"].dropna())
    sel = allc[allc["siren_epci"].isin(list(sirens)).to_numpy()].copy()
    sel["pop_bassin"] = sel["population"].where(sel["in_basin"], 0)
    g = sel.dissolve(
        by="siren_epci",
        aggfunc={
            "nom_epci": "first",
            "population": "sum",
            "in_basin": "sum",
            "nom": "count",
            "pop_bassin": "sum",
        },
    )
    g = g.rename(
        columns={"nom": "n_communes", "in_basin": "n_communes_bassin", "pop_bassin": "population_bassin"}
    )
    g["area_km2"] = g.geometry.area / 1e6
    g["erbm"] = g.index.isin(list(erbm_epci_sirens()))
    g.index = g.index.astype(str)
    g.index.name = "siren_epci"
    for col in ("population", "n_communes", "n_communes_bassin", "population_bassin"):
        g[col] = g[col].astype("int64")
    g["nom_epci"] = g["nom_epci"].astype(str)
    return g[
        [
            "nom_epci",
            "population",
            "n_communes",
            "n_communes_bassin",
            "population_bassin",
            "area_km2",
            "erbm",
            "geometry",
        ]
    ].sort_values("nom_epci")


def departements() -> gpd.GeoDataFrame:
    """Return the Nord and the Pas-de-Calais dissolved from the commune polygons.

    Returns
    -------
    geopandas.GeoDataFrame
        Two rows indexed by département code, with ``nom``, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> d = departements()
    >>> d["nom"].tolist()
    ['Nord', 'Pas-de-Calais']
    """
    return cached_layer("departements_59_62", (*_COMMUNE_SOURCES, "bassin_minier"), _build_departements)


def _build_departements() -> gpd.GeoDataFrame:
    allc = communes(territory="nord_pas_de_calais")
    g = allc.dissolve(
        by="departement",
        aggfunc={"nom_departement": "first", "population": "sum", "in_basin": "sum", "nom": "count"},
    ).rename(columns={"nom_departement": "nom", "nom": "n_communes", "in_basin": "n_communes_bassin"})
    g["area_km2"] = g.geometry.area / 1e6
    g["n_communes_bassin"] = g["n_communes_bassin"].astype("int64")
    g.index.name = "departement"
    return g[["nom", "population", "n_communes", "n_communes_bassin", "area_km2", "geometry"]]


def basin_outline(*, source: Literal["mbm", "communes"] = "mbm") -> gpd.GeoDataFrame:
    """Return the outline of the Bassin minier as a one-row GeoDataFrame in EPSG:2154.

    Parameters
    ----------
    source : {"mbm", "communes"}
        ``"mbm"``: the Mission Bassin Minier polygon (``mbm/bassin-minier.geojson``), with its
        ``population`` attribute; ``"communes"``: the union of the 250 basin communes, with the
        population of the catalogue's ``cog_communes``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row, in EPSG:2154, with ``population``.

    Raises
    ------
    UnknownOptionError
        If *source* is not ``"mbm"`` or ``"communes"``.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> round(float(basin_outline().area.iloc[0]) / 1e6)
    1795
    """
    if source == "mbm":
        return cached_layer(
            "basin_outline",
            ("bassin_minier",),
            lambda: read_geojson("bassin_minier")[["nom", "population", "geometry"]],
        )
    if source == "communes":
        c = communes()
        return gpd.GeoDataFrame(
            {"nom": ["Bassin minier"], "population": [int(c["population"].sum())]},
            geometry=[c.union_all()],
            crs=settings.crs,
        )
    raise UnknownOptionError(f"unknown outline source {source!r}; choose 'mbm' or 'communes'")


def derive_basin_communes() -> pd.DataFrame:
    """Derive the list of basin communes from the mirror (the recipe of the fact table).

    A commune (the catalogue's COG, geometry from ADMIN EXPRESS) belongs to the basin when more than half of
    its area lies inside the Mission Bassin Minier outline. On the mirror the shares are bimodal:
    every commune is either ≥ 90 % or ≤ 10 % inside, so the threshold is not sensitive.

    Returns
    -------
    pandas.DataFrame
        Columns ``code_insee``, ``nom``, ``departement``, ``siren_epci``, ``nom_epci``,
        ``source``; sorted by code.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> d = derive_basin_communes()
    >>> len(d), d["source"].nunique()
    (250, 1)
    """
    allc = communes(territory="nord_pas_de_calais")
    outline = basin_outline().geometry.iloc[0]
    share = allc.geometry.intersection(outline).area / allc.geometry.area
    sel = allc[(share > BASIN_SHARE_THRESHOLD).to_numpy()]
    out = pd.DataFrame(
        {
            "code_insee": sel.index.astype(str),
            "nom": sel["nom"].to_numpy(),
            "departement": sel["departement"].to_numpy(),
            "siren_epci": sel["siren_epci"].astype(str).to_numpy(),
            "nom_epci": sel["nom_epci"].astype(str).to_numpy(),
        }
    )
    out["source"] = (
        f"mbm/bassin-minier.geojson (Mission Bassin Minier) ∩ IGN ADMIN EXPRESS "
        f"{get('communes_59').reference_year}, share > 0.5; names and EPCI: COG {get('cog_communes').cog}"
    )
    return out.sort_values("code_insee").reset_index(drop=True)


def name_key(name: str) -> str:
    """Return how commune names are compared.

    Without accents or case, hyphens, apostrophes and spaces alike, « St » and « Ste » for « Saint » and «
    Sainte ».

    Parameters
    ----------
    name : str
        A commune name.

    Returns
    -------
    str
        The key names are compared by.

    Examples
    --------
    >>> name_key("Hénin-Beaumont") == name_key("henin beaumont")
    True
    >>> name_key("St-Amand-les-Eaux")
    'saint amand les eaux'
    """
    k = re.sub(r"[-'’\s]+", " ", fold(str(name))).strip()
    return re.sub(r"\bst\b", "saint", re.sub(r"\bste\b", "sainte", k))


def _name_index() -> dict[str, list[tuple[str, str]]]:
    """Name key → [(INSEE code, official name)] of the communes of the Nord and Pas-de-Calais."""
    index: dict[str, list[tuple[str, str]]] = {}
    for code, nom in communes(territory="nord_pas_de_calais")["nom"].items():
        index.setdefault(name_key(str(nom)), []).append((str(code), str(nom)))
    return index


def codes_from_names(names: list[str] | pd.Series) -> list[str]:
    """Return the INSEE codes of communes of the Nord / Pas-de-Calais given by name.

    Names are compared without accents or case, hyphens, apostrophes and spaces alike, « St »
    for « Saint » (:func:`name_key`). Used to attach fact-table rows (which name communes as the
    documents do) to the territory.

    Parameters
    ----------
    names : list of str or pandas.Series
        Commune names, as documents write them.

    Returns
    -------
    list of str
        One INSEE code per name, in order.

    Raises
    ------
    UnknownCodeError
        Naming every name that matches no commune (with the closest names, « did you mean »)
        or several (with their codes).

    Examples
    --------
    >>> codes_from_names(["Hornaing", "Condé-sur-l'Escaut", "henin beaumont"])
    ['59314', '59153', '62427']
    """
    import difflib

    index: dict[str, list[tuple[str, str]]] = memo(
        "commune_name_index", _name_index, sources=_COMMUNE_SOURCES
    )
    out, bad = [], []
    for n in names:
        hits = index.get(name_key(str(n)), [])
        if len(hits) == 1:
            out.append(hits[0][0])
        elif hits:
            bad.append(
                f"{n!r} is ambiguous: "
                + ", ".join(f"{nom} ({c})" for c, nom in hits)
                + " — give the INSEE code"
            )
        else:
            near = difflib.get_close_matches(name_key(str(n)), list(index), n=3, cutoff=0.75)
            guesses = [f"{nom} ({c})" for k in near for c, nom in index[k]]
            bad.append(f"{n!r} is unknown" + (f" (did you mean {', '.join(guesses)}?)" if guesses else ""))
    if bad:
        raise UnknownCodeError("commune name(s) not resolved in the Nord / Pas-de-Calais: " + "; ".join(bad))
    return out


Territory: TypeAlias = str | gpd.GeoDataFrame


def territory_communes(territory: str | Sequence[str]) -> gpd.GeoDataFrame:
    """Return the communes of a territory chosen by name or by codes.

    Parameters
    ----------
    territory : str or sequence of str
        A territory name (:data:`TERRITORIES`), or INSEE codes of communes and/or SIREN codes of
        EPCI of the Nord and the Pas-de-Calais (an EPCI stands for all its communes), as a list
        or as one comma-separated string — e.g. ``["200093201"]`` for the Métropole Européenne
        de Lille, outside the ERBM.

    Returns
    -------
    geopandas.GeoDataFrame
        As :func:`communes`, in INSEE-code order, without duplicates.

    Raises
    ------
    UnknownCodeError
        Codes that are neither a commune nor an EPCI of the two départements (all listed; for
        names, see :func:`codes_from_names`).

    Examples
    --------
    >>> len(territory_communes("bassin_minier"))
    250
    >>> t = territory_communes(["200093201", "62498"])  # the MEL and Lens
    >>> len(t), "62498" in t.index
    (96, True)
    """
    if isinstance(territory, str) and territory in TERRITORIES:
        return communes(territory=territory)  # type: ignore[arg-type]
    items = territory.split(",") if isinstance(territory, str) else list(territory)
    codes = list(dict.fromkeys(str(c).strip() for c in items if str(c).strip()))  # once each, in order
    if not codes:
        raise EmptyInputError(
            "the territory names no commune: give a territory name "
            f"({', '.join(TERRITORIES)}) or INSEE / SIREN codes"
        )
    named = [c for c in codes if c in TERRITORIES]
    codes = [c for c in codes if c not in TERRITORIES]
    allc = communes(territory="nord_pas_de_calais")
    sirens = set(allc["siren_epci"].dropna())
    unknown = [c for c in codes if c not in allc.index and c not in sirens]
    if unknown:
        raise UnknownCodeError(
            f"unknown code(s) {unknown}: neither an INSEE code of a commune nor the SIREN of an "
            f"EPCI of the Nord or the Pas-de-Calais (COG {get('cog_communes').cog}), nor a territory "
            f"({', '.join(TERRITORIES)}). Find codes from names with codes_from_names()."
        )
    keep = allc.index.isin(codes) | allc["siren_epci"].isin(codes).to_numpy()
    for name in named:
        keep |= allc.index.isin(communes(territory=name).index)  # type: ignore[arg-type]
    out = allc[keep].sort_index().copy()
    out.attrs = {**allc.attrs, "territory": ",".join([*named, *codes])}
    return out


def territory_geometry(territory: Territory) -> shapely.Geometry | None:
    """Return the polygon of *territory*, or ``None`` for ``"france"`` (no filter).

    Parameters
    ----------
    territory : str or geopandas.GeoDataFrame
        A territory name (see :data:`TERRITORIES`), ``"france"``, or a layer (any CRS; its union is
        used).

    Returns
    -------
    shapely.Geometry or None
        The territory in EPSG:2154.

    Raises
    ------
    UnknownOptionError
        If *territory* is not a territory name.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> territory_geometry("erbm").geom_type, territory_geometry("france")
    ('Polygon', None)
    """
    from erbm_geo.geom.validate import check_not_empty, to_working_crs

    if isinstance(territory, gpd.GeoDataFrame):
        check_not_empty(territory, name="territory")
        return to_working_crs(territory, name="territory").union_all()
    if territory == "france":
        return None
    _check_territory(territory)
    return memo(
        "territory_union",
        lambda: communes(territory=territory).union_all(),  # type: ignore[arg-type]
        sources=(*_COMMUNE_SOURCES, "bassin_minier"),
        params={"territory": territory},
    )


def filter_to_territory(gdf: gpd.GeoDataFrame, territory: Territory) -> gpd.GeoDataFrame:
    """Keep the features of *gdf* (EPSG:2154) lying in *territory* (geometries unchanged).

    Polygons must share a positive area (≥ 1 m²) with the territory, so a QPV or cité merely
    touching its edge from outside is not kept; points and lines must intersect it.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, in EPSG:2154.
    territory : str or geopandas.GeoDataFrame
        A territory name (see :data:`TERRITORIES`), ``"france"`` (keep everything), or a layer
        whose union is the territory.

    Returns
    -------
    geopandas.GeoDataFrame
        The features kept, in their order.

    Raises
    ------
    UnknownOptionError
        If *territory* is not a territory name.
    InvalidOptionError
        If :data:`erbm_geo.settings.threads` is not a positive integer.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> c = example_communes()
    >>> len(filter_to_territory(c, c[c["siren_epci"] == c["siren_epci"].iloc[0]]))
    6
    """
    if isinstance(territory, str) and territory != "france":
        # a named territory is a set of communes that do not overlap: test the features against
        # the commune polygons (indexed once per process) rather than against their union
        _check_territory(territory)
        zones = np.asarray(communes(territory=territory).geometry.values)  # type: ignore[arg-type]
        g = np.asarray(gdf.geometry.values)
        si, _ = intersecting_pairs(g, zones)
        mask = np.zeros(len(g), dtype=bool)
        mask[si] = True
        poly = np.flatnonzero(mask & (shapely.get_dimensions(g) == 2))
        mask[poly] = covered_area(g[poly], zones) >= 1.0
        return gdf[mask]
    geom = territory_geometry(territory)
    if geom is None:
        return gdf
    shapely.prepare(geom)
    g = gdf.geometry.values
    mask = shapely.intersects(geom, g)
    # polygons on the territory's edge only: those strictly inside need no area computation
    poly = mask & (shapely.get_dimensions(g) == 2)
    poly[poly] = ~shapely.contains_properly(geom, g[poly])
    if poly.any():
        mask[poly] = shapely.area(shapely.intersection(g[poly], geom)) >= 1.0
    return gdf[mask]
