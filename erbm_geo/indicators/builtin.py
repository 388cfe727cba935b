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
    """Return every commune of the Nord and the Pas-de-Calais (catalogue COG, ADMIN EXPRESS contours).

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by INSEE code, with ``nom``, ``siren_epci``, ``nom_epci``, ``departement``…, in EPSG:2154.

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
    >>> c = communes()
    >>> len(c), c.crs.to_epsg()
    (1534, 2154)
    """
    return layers.communes(territory="nord_pas_de_calais")


def qpv(territory: str | None = None) -> gpd.GeoDataFrame:
    """Return the 1,362 QPV of metropolitan France (repaired), indexed by ``code_qpv``.

    The national layer also holds the 222 QPV of the overseas départements (codes ``QN97…`` and
    ``QN98…``), which Lambert-93 cannot represent: they are left out.

    Parameters
    ----------
    territory : str, optional
        A territory name (e.g. ``"nord_pas_de_calais"``): only the QPV sharing area with it —
        enough for features lying in it — are kept and repaired. ``None``: metropolitan France.

    Returns
    -------
    geopandas.GeoDataFrame
        The QPV, with ``nom``, ``codes_insee`` and ``area_ha``, in EPSG:2154.

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
    >>> len(qpv()), len(qpv("nord_pas_de_calais"))
    (1362, 158)
    """
    if territory is not None:
        return layers.qpv(territory=territory)
    q = layers.qpv(territory="france")
    b = q.geometry.bounds
    lo_x, lo_y, hi_x, hi_y = AREA_BOUNDS
    keep = ((b["minx"] >= lo_x) & (b["miny"] >= lo_y) & (b["maxx"] <= hi_x) & (b["maxy"] <= hi_y)).to_numpy()
    return q[keep]


def centres(level: str = "main") -> gpd.GeoDataFrame:
    """Return the centres of a level, in the basin and the 8 ERBM EPCI.

    Parameters
    ----------
    level : {"main", "acv_pvd", "all"}, default "main"
        ``"main"``: the 8 main centralities; ``"acv_pvd"``: with the Action Cœur de Ville and
        Petites Villes de Demain towns; ``"all"``: every commune's town hall.

    Returns
    -------
    geopandas.GeoDataFrame
        One point per centre, indexed by INSEE code, with ``nom`` and ``niveau``, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.
    UnknownOptionError
        If *level* is not one of the three levels.

    Examples
    --------
    >>> len(centres("main"))
    8
    """
    return layers.centres(level=level)  # type: ignore[arg-type]


def stations(scope: str = "france") -> gpd.GeoDataFrame:
    """Return the passenger stations of all France.

    Parameters
    ----------
    scope : {"france", "all"}, default "france"
        ``"france"``: the stations known to be in France, no Belgian station; ``"all"``: every
        station of the mirror. See :func:`erbm_geo.layers.stations`.

    Returns
    -------
    geopandas.GeoDataFrame
        One point per station, with ``nom``, ``mode`` and ``code_uic``, in EPSG:2154.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.
    UnknownOptionError
        If *scope* is not ``"france"`` or ``"all"``.

    Examples
    --------
    >>> s = stations()
    >>> bool(s.geometry.geom_type.eq("Point").all())
    True
    """
    return layers.stations(territory="france", scope=scope)


def rail_lines() -> gpd.GeoDataFrame:
    """Return the railway lines in operation of the Nord and Pas-de-Calais (SNCF Réseau).

    Returns
    -------
    geopandas.GeoDataFrame
        The line sections, in EPSG:2154.

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
    >>> bool(rail_lines().geometry.geom_type.str.contains("LineString").all())
    True
    """
    return layers.rail_lines(territory="france")


def eurovelo5() -> gpd.GeoDataFrame:
    """Return the EuroVelo 5 cycle route (OSM relation 5245117, 2022).

    Returns
    -------
    geopandas.GeoDataFrame
        Its line sections, in EPSG:2154.

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
    >>> len(eurovelo5()) > 0
    True
    """
    return layers.eurovelo5(territory="france")


def unesco_property() -> gpd.GeoDataFrame:
    """Return the 109 component parts of the World Heritage property.

    Returns
    -------
    geopandas.GeoDataFrame
        The component parts of the Nord-Pas de Calais Mining Basin, in EPSG:2154.

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
    >>> len(unesco_property())
    109
    """
    return layers.bien_inscrit()


def unesco_buffer_zone() -> gpd.GeoDataFrame:
    """Return the buffer zone of the World Heritage property.

    Returns
    -------
    geopandas.GeoDataFrame
        The buffer zone's polygons, in EPSG:2154.

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
    >>> unesco_buffer_zone().crs.to_epsg()
    2154
    """
    return layers.zone_tampon()


def shafts() -> gpd.GeoDataFrame:
    """Return the former mine shafts (UNESCO inventory).

    Returns
    -------
    geopandas.GeoDataFrame
        One point per shaft, in EPSG:2154.

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
    >>> bool(shafts().geometry.geom_type.eq("Point").all())
    True
    """
    return layers.puits_de_mines()


def terrils() -> gpd.GeoDataFrame:
    """Return the terrils of the property and of the buffer zone, in one layer.

    Returns
    -------
    geopandas.GeoDataFrame
        Their polygons (geometry only), in EPSG:2154.

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
    >>> t = terrils()
    >>> list(t.columns) == [t.geometry.name]
    True
    """

    def build() -> gpd.GeoDataFrame:
        parts = [layers.terrils(), layers.zt_terrils()]
        return gpd.GeoDataFrame(
            pd.concat([p[[p.geometry.name]] for p in parts], ignore_index=True), crs=parts[0].crs
        )

    return memo("builtin_terrils", build, sources=("terrils", "zt_terrils")).copy()


def friches_communes() -> gpd.GeoDataFrame:
    """Return the communes of the Nord and Pas-de-Calais with their Cartofriches aggregates.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by INSEE code, with ``friches_n``, ``friches_surface_m2`` and the
        ``friches_surface_quality`` flag.

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
    >>> f = friches_communes()
    >>> "friches_surface_quality" in f.columns
    True
    """
    return layers.friches_communes(territory="nord_pas_de_calais", warn=False)


def income_communes() -> gpd.GeoDataFrame:
    """Return the communes of the Nord and Pas-de-Calais with Filosofi income figures.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by INSEE code, with ``revenu_median_uc`` and ``part_minima_sociaux_pct`` (NA where
        INSEE withholds them).

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
    >>> income_communes().index.is_unique
    True
    """
    return layers.income_communes(territory="nord_pas_de_calais")


def income_iris() -> gpd.GeoDataFrame:
    """Return the IRIS of the Nord and Pas-de-Calais with Filosofi figures.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by IRIS code, with ``revenu_median_uc``, ``taux_pauvrete_pct`` and ``gini`` (NA for
        IRIS under 5,000 inhabitants).

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
    >>> income_iris().index.is_unique
    True
    """
    return layers.income_iris(territory="nord_pas_de_calais")


@dataclass(frozen=True)
class Targets:
    """The target layers of :func:`~erbm_geo.indicators.indicator_table`, one per field.

    A field left ``None`` means "not available": the columns that need it are left out of the
    table, and a :class:`~erbm_geo.errors.MissingLayerWarning` names them. Replace built-in
    layers with your own with :meth:`replace`.

    Parameters
    ----------
    communes : geopandas.GeoDataFrame, optional
        The communes (for ``commune_of`` and the commune context).
    centres_main, centres_acv_pvd : geopandas.GeoDataFrame, optional
        The main centralities, and those with the ACV/PVD towns (points).
    qpv : geopandas.GeoDataFrame, optional
        The QPV polygons.
    unesco_property, unesco_buffer_zone : geopandas.GeoDataFrame, optional
        The World Heritage property and its buffer zone.
    stations, rail_lines, eurovelo5 : geopandas.GeoDataFrame, optional
        Passenger stations (points), railway lines and the EuroVelo 5 route (lines).
    friches_communes, income_communes, income_iris : geopandas.GeoDataFrame, optional
        The Cartofriches and Filosofi context layers.
    shafts, terrils : geopandas.GeoDataFrame, optional
        The mine shafts (points) and terrils (polygons).

    Examples
    --------
    >>> from erbm_geo.examples import example_centres
    >>> t = Targets(centres_main=example_centres())
    >>> "qpv" in t.missing(), len(t.centres_main)
    (True, 3)
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

    Parameters
    ----------
    station_scope : {"france", "all"}, default "france"
        Passed to :func:`stations`.
    qpv_territory : str, optional
        Passed to :func:`qpv` (``None``: the QPV of metropolitan France).

    Returns
    -------
    Targets
        Every field filled.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.
    UnknownOptionError
        If *station_scope* is not a scope of :func:`stations`.

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
