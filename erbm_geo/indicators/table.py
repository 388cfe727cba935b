"""The full indicator tables of the basin: one row per cité and one per commune."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from typing import Literal

import geopandas as gpd
import pandas as pd

from erbm_geo import settings
from erbm_geo._deprecation import renamed_kwarg
from erbm_geo._gc import gc_paused
from erbm_geo._warnings import warn
from erbm_geo.data import cached_table, memo
from erbm_geo.data.catalogue import CATALOGUE
from erbm_geo.errors import EmptyInputError, MissingLayerWarning, UnknownOptionError
from erbm_geo.geom.partitioned import is_partitioned, map_features
from erbm_geo.geom.prepare import prepare
from erbm_geo.geom.validate import to_working_crs
from erbm_geo.indicators import builtin
from erbm_geo.indicators.access import distance_to_lines, station_access
from erbm_geo.indicators.builtin import Targets
from erbm_geo.indicators.context import friches_context, heritage_within, income_context
from erbm_geo.indicators.distance import distance_to_centres
from erbm_geo.indicators.overlap import qpv_overlap, unesco_overlap
from erbm_geo.layers.centres import centres as _centres
from erbm_geo.layers.cites import cite_parts
from erbm_geo.layers.cites import cites as _cites
from erbm_geo.layers.territory import TERRITORIES, filter_to_territory, territory_communes
from erbm_geo.layers.territory import communes as _communes
from erbm_geo.vocabulary import columns

__all__ = ["INDICATOR_DOC", "TABLE_SOURCES", "indicator_table", "sources_table"]

#: Datasets the indicator tables are computed from.
TABLE_SOURCES = (
    "bassin_minier",
    "communes_59",
    "communes_62",
    "cog_communes",
    "cog_epci",
    "cog_departements",
    "cites_minieres",
    "zt_cites_minieres",
    "cites_erbm",
    "bien_inscrit",
    "zone_tampon",
    "qpv",
    "mairies",
    "acv_pvd_ort",
    "gares_voyageurs",
    "osm_stations",
    "rfn_regime",
    "rfn_lignes",
    "eurovelo5",
    "cartofriches_communes",
    "filosofi_communes",
    "filosofi_iris",
    "iris",
    "puits_de_mines",
    "terrils",
    "zt_terrils",
)


#: column -> (French label, unit, definition) of every column the tables compute, for the API
#: reference and the command line (from the one vocabulary, ``erbm_geo/vocabulary/registry.toml``).
INDICATOR_DOC: dict[str, tuple[str, str, str]] = {
    c.name: (c.label, c.unit_en, c.definition_en) for c in columns() if c.definition_en
}


def _frame(parts: list[pd.DataFrame | pd.Series], index: pd.Index) -> pd.DataFrame:
    for p in parts:
        p.index = index
    return pd.concat(parts, axis=1) if parts else pd.DataFrame(index=index)


def _indicators(
    feats: gpd.GeoDataFrame, t: Targets, *, point_source: gpd.GeoDataFrame | None = None
) -> pd.DataFrame:
    """Return every indicator whose targets are available.

    *point_source*: points to measure centre distances from (the town halls, for communes).
    """
    src = feats if point_source is None else point_source
    parts: list[pd.DataFrame | pd.Series] = []
    if t.centres_main is not None:
        d = distance_to_centres(src, t.centres_main)
        parts.append(d[["distance_m", "centre_nom"]].rename(columns={"distance_m": "centre_distance_m"}))
    if t.centres_acv_pvd is not None:
        parts.append(distance_to_centres(src, t.centres_acv_pvd)["distance_m"].rename("acv_pvd_distance_m"))
    if t.qpv is not None:
        parts.append(qpv_overlap(feats, t.qpv))
    if t.unesco_property is not None and t.unesco_buffer_zone is not None:
        parts.append(
            unesco_overlap(feats, t.unesco_property, t.unesco_buffer_zone)[
                ["bien_inscrit_share", "zone_tampon_share", "bien_inscrit_distance_m"]
            ]
        )
    if t.stations is not None:
        parts.append(
            station_access(feats, t.stations, modes=("train", "tram"))[
                [
                    "station_distance_m",
                    "train_distance_m",
                    "tram_distance_m",
                    "stations_within",
                    "share_within_walk",
                ]
            ]
        )
    if t.rail_lines is not None:
        parts.append(distance_to_lines(feats, t.rail_lines, name="rail"))
    if t.eurovelo5 is not None:
        parts.append(distance_to_lines(feats, t.eurovelo5, name="eurovelo5"))
    if t.friches_communes is not None:
        parts.append(
            friches_context(feats, t.friches_communes)[
                ["friches_n", "friches_per_km2", "friches_surface_share", "friches_surface_quality"]
            ]
        )
    if t.income_communes is not None and t.income_iris is not None:
        parts.append(income_context(feats, t.income_communes, t.income_iris))
    if t.shafts is not None and t.terrils is not None:
        parts.append(heritage_within(feats, t.shafts, t.terrils))
    return _frame(parts, feats.index)


def _features_table(
    part: gpd.GeoDataFrame, *layers: gpd.GeoDataFrame, names: tuple[str, ...]
) -> gpd.GeoDataFrame:
    """Return :func:`indicator_table` of one partition, its targets given by field name."""
    with warnings.catch_warnings():  # said once, by the call that made the lazy table
        warnings.simplefilter("ignore", MissingLayerWarning)
        return indicator_table(part, targets=Targets(**dict(zip(names, layers, strict=True))))


def _builtin_targets(*, regional: bool = False) -> Targets:
    """Return the built-in targets, loaded once per process for the table's own (read-only) use.

    *regional*: the table's own features (communes, cités) lie in the Nord and the Pas-de-Calais,
    so the QPV sharing area with those two départements are all the QPV they can overlap — and
    the only ones to load and repair. Caller features get the QPV of metropolitan France.
    """
    qpv_territory = "nord_pas_de_calais" if regional else None
    targets: Targets = memo(
        "builtin_targets",
        lambda: builtin.targets(qpv_territory=qpv_territory),
        sources=TABLE_SOURCES,
        params={"qpv": qpv_territory},
    )
    return targets


def _warn_missing(t: Targets) -> None:
    missing = [m for m in t.missing() if m != "communes"]
    if missing:
        warn(
            f"indicator_table: no layer for {', '.join(missing)}; the indicators that "
            "need them are left out of the table",
            MissingLayerWarning,
        )


@renamed_kwarg("perimeter", "territory")
@gc_paused
def indicator_table(
    features: gpd.GeoDataFrame | None = None,
    *,
    territory: str | Sequence[str] = "bassin_minier",
    of: Literal["communes", "cites"] = "communes",
    targets: Targets | None = None,
) -> gpd.GeoDataFrame:
    """Every indicator for the communes or the cités of a territory, in one GeoDataFrame.

    Or for your own features (*features*).

    Parameters
    ----------
    features : GeoDataFrame, optional
        Your own features (any CRS, anywhere in metropolitan France): the indicators are computed
        for them, keeping their columns; *territory* and *of* then do not apply. With the
        built-in targets, the context indicators (friches, income) need features in the Nord or
        the Pas-de-Calais: elsewhere pass *targets* without them (or with your own).
    territory : str or sequence of str
        A territory name (``"bassin_minier"``, ``"erbm"``, ``"bassin_minier_erbm"``,
        ``"nord_pas_de_calais"``), or INSEE codes of communes and/or SIREN codes of EPCI of the
        Nord and the Pas-de-Calais — any of them, inside the basin or not (see
        :func:`erbm_geo.layers.territory_communes`). For cités: those lying in it.
    of : {"communes", "cites"}
    targets : Targets, optional
        The target layers (default: :func:`erbm_geo.indicators.builtin.targets`). Fields left
        ``None`` leave their indicators out, with a :class:`~erbm_geo.errors.MissingLayerWarning`.

    Returns
    -------
    geopandas.GeoDataFrame
        The layer's descriptive columns, then the indicators documented in
        :data:`INDICATOR_DOC` (distances in m, shares 0–1), geometry last. For communes, centre
        distances are measured from the commune's centre (town hall); for cités, from their edge.

    Raises
    ------
    UnknownOptionError
        If *of* is unknown, or *features* is given with *territory*/*of*.
    UnknownCodeError
        If a code of *territory* is not a commune or an EPCI of the Nord or the Pas-de-Calais.
    EmptyInputError
        If the selection holds no feature.
    DataNotFoundError
        If a built-in layer is neither in the mirror nor downloadable.
    CRSError, OutOfAreaError, InvalidGeometryError, DuplicateIndexError
        If *features* is not a usable layer (see :func:`erbm_geo.geom.prepare.prepare`).

    Examples
    --------
    >>> t = indicator_table(of="communes")
    >>> len(t), float(t.loc["62498", "centre_distance_m"])
    (250, 0.0)
    >>> len(indicator_table(territory=["200093201"]))  # Métropole Européenne de Lille
    95
    """
    if of not in ("communes", "cites"):
        raise UnknownOptionError(f"unknown table {of!r}; choose 'communes' or 'cites'")
    if features is None and targets is None:  # the built-in table: computed once, then stored
        return _builtin_table(territory, of)
    t = targets if targets is not None else _builtin_targets(regional=features is None)
    _warn_missing(t)
    if features is not None:
        if territory != "bassin_minier" or of != "communes":
            raise UnknownOptionError("indicator_table: give either features=… or territory=/of=…, not both")
        if is_partitioned(features):  # the same table, partition by partition (lazy)
            names = [f.name for f in dataclasses.fields(t) if getattr(t, f.name) is not None]
            return map_features(
                _features_table, features, *(getattr(t, n) for n in names), names=tuple(names)
            )
        return _features_table_in_memory(features, t, own_targets=targets is not None)
    if of == "communes":
        return _communes_table(territory_communes(territory), t)
    return _cites_table(territory, t)


def _builtin_table(territory: str | Sequence[str], of: Literal["communes", "cites"]) -> gpd.GeoDataFrame:
    """Return the table of the built-in communes or cités with the built-in targets.

    It depends only on :data:`TABLE_SOURCES`, the code and the fact tables, so it is stored in
    the cache keyed by them (a warm call reads it back; its warnings are said again each call).
    """

    def compute() -> gpd.GeoDataFrame:
        t = _builtin_targets(regional=True)
        _warn_missing(t)
        if of == "communes":
            return _communes_table(territory_communes(territory), t)
        return _cites_table(territory, t)

    where = territory if isinstance(territory, str) else [str(c) for c in territory]
    return cached_table(
        f"indicator_table_{of}", TABLE_SOURCES, compute, params={"territory": where, "crs": settings.crs}
    )


def _features_table_in_memory(
    features: gpd.GeoDataFrame, t: Targets, *, own_targets: bool
) -> gpd.GeoDataFrame:
    """Return the table of a caller's layer: its own columns, then the indicators."""
    feats, _ = prepare(features, name="features")  # in EPSG:2154, whatever the caller's CRS
    if own_targets:  # the caller's targets too: every layer meets in the working CRS
        t = Targets(
            **{
                f.name: (None if v is None else to_working_crs(v, name=f.name))
                for f in dataclasses.fields(t)
                for v in [getattr(t, f.name)]
            }
        )
    ind = _indicators(feats, t)
    base = pd.DataFrame(feats.drop(columns=feats.geometry.name))
    clash = [c for c in base.columns if c in ind.columns]
    if clash:
        raise UnknownOptionError(
            f"features already have column(s) {clash} that the table computes; rename or drop them first"
        )
    return gpd.GeoDataFrame(pd.concat([base, ind], axis=1), geometry=feats.geometry.values, crs=feats.crs)


_COMMUNE_COLUMNS = [
    "nom",
    "departement",
    "siren_epci",
    "nom_epci",
    "population",
    "area_km2",
    "in_basin",
    "in_erbm_epci",
]
_CITE_COLUMNS = [
    "nom",
    "type_cite",
    "interet",
    "bailleur",
    "unesco_inscribed",
    "in_buffer_zone",
    "erbm_programme",
    "code_insee",
    "codes_insee",
    "area_ha",
    "area_inscribed_ha",
    "area_buffer_ha",
]


def _communes_table(c: gpd.GeoDataFrame, t: Targets) -> gpd.GeoDataFrame:
    """Return the table of communes: who they are, their cités, then the indicators."""
    pts = _centres(level="all", territory="nord_pas_de_calais").reindex(c.index)
    ind = _indicators(c, t, point_source=pts)
    counts = (
        _cites()
        .groupby("code_insee")
        .agg(
            n_cites=("nom", "size"),
            n_cites_unesco=("unesco_inscribed", "sum"),
            n_cites_erbm=("erbm_programme", "sum"),
        )
        .reindex(c.index)
        .fillna(0)
        .astype("int64")
    )
    out = pd.concat([c[_COMMUNE_COLUMNS], counts, ind], axis=1)
    return gpd.GeoDataFrame(out, geometry=c.geometry.values, crs=c.crs)


def _cites_table(territory: str | Sequence[str], t: Targets) -> gpd.GeoDataFrame:
    """Return the table of the cités of *territory*: who they are, then the indicators."""
    area = (
        territory
        if isinstance(territory, str) and territory in TERRITORIES
        else territory_communes(territory)
    )
    ct = filter_to_territory(_cites(), area)
    if len(ct) == 0:
        raise EmptyInputError(
            f"no cité minière lies in the territory {territory!r}; use of='communes' for its communes"
        )
    who = ct[_CITE_COLUMNS].copy()
    # the EPCI of the cité's commune (code_insee), as the atlas's tables show it
    sirens = _communes(territory="nord_pas_de_calais")["siren_epci"]
    at = _CITE_COLUMNS.index("code_insee") + 1
    who.insert(at, "siren_epci", sirens.reindex(ct["code_insee"]).to_numpy())
    cols = [who, _indicators(ct, t)]
    if t.qpv is not None:  # statistics about inscribed cités are measured on their inscribed parts
        parts = cite_parts("inscribed")
        parts = parts[parts.index.isin(ct.index)]
        cols.append(qpv_overlap(parts, t.qpv)["qpv_share"].rename("qpv_share_inscribed").reindex(ct.index))
    return gpd.GeoDataFrame(pd.concat(cols, axis=1), geometry=ct.geometry.values, crs=ct.crs)


def sources_table(names: tuple[str, ...] = TABLE_SOURCES) -> pd.DataFrame:
    """Return the data-sources sheet.

    Dataset, title, producer/attribution, licence, vintage, upstream.

    Parameters
    ----------
    names : tuple of str, default :data:`TABLE_SOURCES`
        Catalogue names.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``dataset``, with ``title``, ``attribution``, ``licence``, ``vintage``,
        ``upstream`` and ``sha256``.

    Examples
    --------
    >>> s = sources_table()
    >>> s.loc["qpv", "licence"]
    'Licence Ouverte / Etalab 2.0'
    """
    rows = [
        {
            "dataset": n,
            "title": CATALOGUE[n].title,
            "attribution": CATALOGUE[n].attribution,
            "licence": CATALOGUE[n].licence,
            "vintage": CATALOGUE[n].vintage,
            "upstream": CATALOGUE[n].upstream,
            "sha256": CATALOGUE[n].sha256,
        }
        for n in names
    ]
    return pd.DataFrame(rows).set_index("dataset")
