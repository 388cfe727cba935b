"""Quartiers prioritaires de la politique de la ville (QPV), ANCT (Licence Ouverte).

The mirrored national file holds 1,584 QPV (decree 2023-1314) with coordinates rounded to 4
decimals (~10 m): about 37 % of the polygons are invalid as stored (self-intersections created by
the rounding). They are repaired with ``make_valid`` keeping only polygonal parts; every QPV is kept
(none is dropped), the ``repaired`` column flags the repaired ones and ``gdf.attrs["repaired"]``
counts them.
"""

from __future__ import annotations

from itertools import chain
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo import settings
from erbm_geo.data import cached_layer, memo
from erbm_geo.errors import DataFormatError, EmptyInputError
from erbm_geo.geom.spatial import overlapping_mask, repair_geometries
from erbm_geo.geom.validate import AREA_BOUNDS
from erbm_geo.layers._io import read_json
from erbm_geo.layers.territory import _COMMUNE_SOURCES, Territory, communes, filter_to_territory

__all__ = ["N_QPV_FRANCE", "qpv", "true_area_m2"]

#: Number of QPV in the 2024 national list.
N_QPV_FRANCE = 1584


def _multipolygons(coordinates: list[list[list[list[list[float]]]]]) -> np.ndarray:
    """MultiPolygons from GeoJSON-style nested coordinates, in one vectorised construction.

    Python walks only the lists of polygons and rings; the coordinates go to numpy as one
    array and to shapely through :func:`shapely.from_ragged_array`.
    """
    polys = [p for g in coordinates for p in g]
    rings = [ring for p in polys for ring in p]
    coords = np.array(list(chain.from_iterable(rings)), dtype=float)
    if coords.ndim != 2 or coords.shape[1] not in (2, 3):
        raise ValueError("coordinates are not pairs (or triples) of numbers")
    offsets = (
        np.r_[0, np.cumsum([len(r) for r in rings])],
        np.r_[0, np.cumsum([len(p) for p in polys])],
        np.r_[0, np.cumsum([len(g) for g in coordinates])],
    )
    return cast("np.ndarray", shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, coords, offsets))


def _parse_france() -> gpd.GeoDataFrame:
    """Return the national QPV file as read, in EPSG:2154 (not yet repaired)."""
    raw = read_json("qpv")
    try:
        rows = raw["qpvs"]
        codes = [r["code"] for r in rows]
        labels = [r["label"] for r in rows]
        insee = [";".join(r.get("insee") or []) for r in rows]
        geoms = _multipolygons([r["g"] for r in rows])
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFormatError(f"qpv: unexpected structure of the QPV file ({exc!r})") from exc
    gdf = gpd.GeoDataFrame(
        {"nom": pd.array(labels, dtype="string"), "codes_insee": pd.array(insee, dtype="string")},
        geometry=geoms,
        crs="EPSG:4326",
        index=pd.Index(codes, name="code_qpv"),
    )
    if not gdf.index.is_unique:
        raise DataFormatError("qpv: duplicate QPV codes in the source file")
    empty = shapely.is_empty(geoms) | shapely.is_missing(geoms)
    if empty.any():
        raise DataFormatError(f"qpv: QPV without geometry: {list(gdf.index[empty])}")
    return gdf.to_crs(settings.crs)


def true_area_m2(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Return each feature's area where it is true: Lambert-93 in metropolitan France, else geodesic.

    Lambert-93 is the official projection of metropolitan France, and the indicators measure
    in it. Overseas (the QPV of the Antilles, Guyane, La Réunion, Mayotte), it distorts areas
    1.2 to 3.6 times: there the area is measured on the ellipsoid (GRS 80, as RGF93 and the
    overseas RGAF09, RGFG95, RGR92, RGM04 use), which is exact whatever the place.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons in EPSG:2154.

    Returns
    -------
    numpy.ndarray
        Areas in m².

    Examples
    --------
    >>> import shapely
    >>> sq = gpd.GeoDataFrame(geometry=[shapely.box(700_000, 7_000_000, 701_000, 7_001_000)], crs=2154)
    >>> round(float(true_area_m2(sq)[0]))
    1000000
    """
    from pyproj import Geod

    geoms = np.asarray(gdf.geometry.values, dtype=object)
    area: np.ndarray = np.asarray(shapely.area(geoms), dtype="float64")
    b = shapely.bounds(geoms)
    x0, y0, x1, y1 = AREA_BOUNDS
    far = (b[:, 0] < x0) | (b[:, 1] < y0) | (b[:, 2] > x1) | (b[:, 3] > y1)
    if far.any():
        geod = Geod(ellps="GRS80")
        lonlat = gpd.GeoSeries(geoms[far], crs=gdf.crs).to_crs(4326)
        area[far] = [abs(geod.geometry_area_perimeter(g)[0]) for g in lonlat]
    return area


def _prepared(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """QPV repaired (only the invalid ones), with their overlap flag, area and communes."""
    gdf = gdf.copy()
    invalid = ~shapely.is_valid(gdf.geometry.values)
    if invalid.any():
        gdf.loc[invalid, "geometry"] = repair_geometries(gdf.geometry.values[invalid])
    gdf["repaired"] = invalid
    # QPV sharing area with another QPV (after repair): indicators union them to count once
    gdf["overlaps_other"] = overlapping_mask(np.asarray(gdf.geometry.values, dtype=object))
    gdf["n_communes"] = gdf["codes_insee"].str.count(";").astype("int64") + 1
    gdf["area_ha"] = true_area_m2(gdf) / 1e4
    gdf.attrs["repaired"] = int(invalid.sum())
    gdf.attrs["sources"] = ["qpv"]
    return gdf[["nom", "codes_insee", "n_communes", "area_ha", "repaired", "overlaps_other", "geometry"]]


def _parsed() -> gpd.GeoDataFrame:
    """Return the parsed national file, once per process (read-only: :func:`_prepared` copies it)."""
    return memo("qpv_parsed", _parse_france, sources=("qpv",))


def _build_france() -> gpd.GeoDataFrame:
    return _prepared(_parsed())


def _build_territory(territory: str) -> gpd.GeoDataFrame:
    """Return the QPV of a named territory, repairing only those near it.

    Candidates are the QPV whose bounding box meets a commune of the territory, plus their own
    bounding-box neighbours (so ``overlaps_other`` is exact); only they are repaired, then the
    territory filter keeps those sharing area with it — the rows, geometries and flags of the
    national layer, at a fraction of its repairs (68 instead of 559 for the Nord–Pas-de-Calais).
    """
    raw = _parsed()
    geoms = np.asarray(raw.geometry.values, dtype=object)
    tree = shapely.STRtree(geoms)  # envelopes only: valid or not
    zones = np.asarray(communes(territory=territory).geometry.values)  # type: ignore[arg-type]
    near = np.unique(tree.query(zones)[1])
    near = np.unique(np.concatenate([near, tree.query(geoms[near])[1]]))
    return filter_to_territory(_prepared(raw.iloc[near]), territory)


def qpv(*, territory: Territory = "bassin_minier") -> gpd.GeoDataFrame:
    """Return the QPV intersecting *territory*, repaired, in EPSG:2154.

    Parameters
    ----------
    territory : str or GeoDataFrame
        A territory (``"bassin_minier"``, ``"erbm"``, ``"bassin_minier_erbm"``,
        ``"nord_pas_de_calais"``), ``"france"`` (all 1,584), or any polygon layer.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``code_qpv``; columns ``nom``, ``codes_insee`` (communes of the QPV, as listed by
        the ANCT, ``;``-separated), ``n_communes``, ``area_ha``, ``repaired`` (the stored polygon
        was invalid and was repaired), ``overlaps_other`` (shares area with another QPV).
        ``attrs["repaired"]`` counts the repairs in the result.

    Raises
    ------
    UnknownOptionError
        If *territory* is not a territory name.
    EmptyInputError
        If no QPV intersects the territory given.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> q = qpv(territory="france")
    >>> len(q), bool(q.is_valid.all())
    (1584, True)
    >>> 0.3 < q.attrs["repaired"] / len(q) < 0.45
    True
    """
    france_sources = ("qpv",)
    if isinstance(territory, str) and territory != "france":
        out = cached_layer(
            "qpv",
            (*france_sources, *_COMMUNE_SOURCES),
            lambda: _build_territory(territory),
            params={"territory": territory},
        )
        attrs = {"sources": ["qpv"]}
    else:
        france = cached_layer("qpv_france", france_sources, _build_france)
        out = filter_to_territory(france, territory).copy()
        attrs = france.attrs
    if out.empty:
        raise EmptyInputError("no QPV intersects the territory given")
    out.attrs = {
        **attrs,
        "repaired": int(np.sum(out["repaired"])),
        "territory": territory if isinstance(territory, str) else "user polygon",
    }
    return out
