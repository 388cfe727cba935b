"""The built-in targets: the layers of the data mirror the indicators are measured against.

Every indicator takes its targets as arguments; this module is where the built-in ones come from
— for :func:`~erbm_geo.indicators.indicator_table`, the atlas, the CLI and the rasters alike. Each
function loads a prepared layer (cached, verified) in EPSG:2154; :func:`targets` bundles them in a
:class:`Targets`, whose fields can be replaced by the caller's own layers (or ``None`` where a
layer does not apply, e.g. the Cartofriches communes for features outside the Nord and the
Pas-de-Calais).

Examples
--------
>>> from erbm_geo.indicators import builtin, qpv_overlap
>>> from erbm_geo.layers import cites
>>> q = qpv_overlap(cites(), builtin.qpv())
>>> bool(q["qpv_share"].between(0, 1).all())
True
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from erbm_geo import layers
from erbm_geo.data import memo
from erbm_geo.geom.validate import AREA_BOUNDS

__all__ = [
    "Targets",
    "centres",
    "communes",
    "eurovelo5",
    "friches_communes",
    "income_communes",
    "income_iris",
    "qpv",
    "rail_lines",
    "shafts",
    "stations",
    "targets",
    "terrils",
    "unesco_buffer_zone",
    "unesco_property",
]


def communes() -> gpd.GeoDataFrame:
    """Every commune of the Nord and the Pas-de-Calais (COG 2025, IGN 2018 contours).

    Indexed by INSEE code, with ``nom``, ``siren_epci``, ``nom_epci``, ``departement``….
    """
    return layers.communes(territory="nord_pas_de_calais")


def qpv(territory: str | None = None) -> gpd.GeoDataFrame:
    """Return the 1,362 QPV 2024 of metropolitan France (repaired), indexed by ``code_qpv``.

    The national layer also holds the 222 QPV of the overseas départements (codes ``QN97…`` and
    ``QN98…``), which Lambert-93 cannot represent: they are left out. With a *territory* name
    (e.g. ``"nord_pas_de_calais"``), only the QPV sharing area with it — enough for features
    lying in it, and only those QPV are repaired.
    """
    if territory is not None:
        return layers.qpv(territory=territory)
    q = layers.qpv(territory="france")
    b = q.geometry.bounds
    lo_x, lo_y, hi_x, hi_y = AREA_BOUNDS
    keep = ((b["minx"] >= lo_x) & (b["miny"] >= lo_y) & (b["maxx"] <= hi_x) & (b["maxy"] <= hi_y)).to_numpy()
    return q[keep]


def centres(level: str = "main") -> gpd.GeoDataFrame:
    """Centres of a level, in the basin and the 8 ERBM EPCI.

    ``"main"``: the 8 main centralities; ``"acv_pvd"``: with the Action Cœur de Ville and
    Petites Villes de Demain towns; ``"all"``: every commune's town hall.
    """
    return layers.centres(level=level)  # type: ignore[arg-type]


def stations(scope: str = "france") -> gpd.GeoDataFrame:
    """Passenger stations of all France.

    ``scope="france"``: those known to be in France, no Belgian station; ``"all"``: every
    station of the mirror. See :func:`erbm_geo.layers.stations`.
    """
    return layers.stations(territory="france", scope=scope)


def rail_lines() -> gpd.GeoDataFrame:
    """Railway lines in operation of the Nord and Pas-de-Calais (SNCF Réseau, 2021)."""
    return layers.rail_lines(territory="france")


def eurovelo5() -> gpd.GeoDataFrame:
    """EuroVelo 5 (OSM relation 5245117, 2022)."""
    return layers.eurovelo5(territory="france")


def unesco_property() -> gpd.GeoDataFrame:
    """Return the 109 component parts of the World Heritage property (Nord-Pas de Calais Mining Basin)."""
    return layers.bien_inscrit()


def unesco_buffer_zone() -> gpd.GeoDataFrame:
    """Return the buffer zone of the World Heritage property."""
    return layers.zone_tampon()


def shafts() -> gpd.GeoDataFrame:
    """Former mine shafts (UNESCO inventory)."""
    return layers.puits_de_mines()


def terrils() -> gpd.GeoDataFrame:
    """Terrils of the property and of the buffer zone, in one layer."""

    def build() -> gpd.GeoDataFrame:
        parts = [layers.terrils(), layers.zt_terrils()]
        return gpd.GeoDataFrame(
            pd.concat([p[[p.geometry.name]] for p in parts], ignore_index=True), crs=parts[0].crs
        )

    return memo("builtin_terrils", build, sources=("terrils", "zt_terrils")).copy()


def friches_communes() -> gpd.GeoDataFrame:
    """Communes of the Nord and Pas-de-Calais with their Cartofriches aggregates.

    With the ``friches_surface_quality`` flag.
    """
    return layers.friches_communes(territory="nord_pas_de_calais", warn=False)


def income_communes() -> gpd.GeoDataFrame:
    """Communes of the Nord and Pas-de-Calais with Filosofi 2021 income figures."""
    return layers.income_communes(territory="nord_pas_de_calais")


def income_iris() -> gpd.GeoDataFrame:
    """IRIS of the Nord and Pas-de-Calais with Filosofi 2021 figures (NA under 5,000 inhabitants)."""
    return layers.income_iris(territory="nord_pas_de_calais")


@dataclass(frozen=True)
class Targets:
    """The target layers of :func:`~erbm_geo.indicators.indicator_table`, one per field.

    A field left ``None`` means "not available": the columns that need it are left out of the
    table, and a :class:`~erbm_geo.errors.MissingLayerWarning` names them. Replace built-in
    layers with your own with :func:`dataclasses.replace`.
    """

    communes: gpd.GeoDataFrame | None = None
    centres_main: gpd.GeoDataFrame | None = None
    centres_acv_pvd: gpd.GeoDataFrame | None = None
    qpv: gpd.GeoDataFrame | None = None
    unesco_property: gpd.GeoDataFrame | None = None
    unesco_buffer_zone: gpd.GeoDataFrame | None = None
    stations: gpd.GeoDataFrame | None = None
    rail_lines: gpd.GeoDataFrame | None = None
    eurovelo5: gpd.GeoDataFrame | None = None
    friches_communes: gpd.GeoDataFrame | None = None
    income_communes: gpd.GeoDataFrame | None = None
    income_iris: gpd.GeoDataFrame | None = None
    shafts: gpd.GeoDataFrame | None = None
    terrils: gpd.GeoDataFrame | None = None

    def replace(self, **layers: gpd.GeoDataFrame | None) -> Targets:
        """Return a copy with some fields replaced (``None``: not available)."""
        return dataclasses.replace(self, **layers)

    def missing(self) -> list[str]:
        """Return names of the fields left ``None``."""
        return [f.name for f in dataclasses.fields(self) if getattr(self, f.name) is None]


def targets(*, station_scope: str = "france", qpv_territory: str | None = None) -> Targets:
    """Return every built-in target layer (loaded from the mirror or the cache).

    *station_scope* is passed to :func:`stations`, *qpv_territory* to :func:`qpv` (``None``: the
    QPV of metropolitan France).

    Examples
    --------
    >>> t = targets()
    >>> t.missing(), len(t.centres_main)
    ([], 8)
    """
    return Targets(
        communes=communes(),
        centres_main=centres("main"),
        centres_acv_pvd=centres("acv_pvd"),
        qpv=qpv(qpv_territory),
        unesco_property=unesco_property(),
        unesco_buffer_zone=unesco_buffer_zone(),
        stations=stations(station_scope),
        rail_lines=rail_lines(),
        eurovelo5=eurovelo5(),
        friches_communes=friches_communes(),
        income_communes=income_communes(),
        income_iris=income_iris(),
        shafts=shafts(),
        terrils=terrils(),
    )
