"""Transport access: distance to stations (by mode), stations within a radius, share of the area
within walking distance of a station, distance to the railway and to EuroVelo 5."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.data import memo
from erbm_geo.errors import UnknownOptionError
from erbm_geo.indicators._inputs import prepare, prepare_target
from erbm_geo.indicators._kernels import (
    count_within,
    covered_area,
    dissolve_parts,
    nearest,
    source_geoms,
    take_labels,
)
from erbm_geo.indicators.distance import MeasureFrom, _check_measure
from erbm_geo.layers.transport import STATION_MODES, STATION_SCOPES, eurovelo5, rail_lines
from erbm_geo.layers.transport import stations as _stations

__all__ = ["WALK_RADIUS_M", "distance_to_lines", "station_access"]

#: Default walking radius around a station (m): about ten minutes on foot.
WALK_RADIUS_M = 800.0


def station_access(
    gdf: gpd.GeoDataFrame,
    *,
    stations: gpd.GeoDataFrame | None = None,
    radius: float = WALK_RADIUS_M,
    modes: tuple[str, ...] | None = None,
    measure_from: MeasureFrom = "edge",
    scope: str = "france",
) -> pd.DataFrame:
    """Access of each feature to passenger stations.

    Parameters
    ----------
    gdf : GeoDataFrame
    stations : GeoDataFrame, optional
        Station points (same CRS as *gdf*) with a ``mode`` column; default
        :func:`erbm_geo.layers.stations` of all France (so that features near the basin edge
        find stations beyond it) with the given *scope*.
    radius : float, default 800
        Walking radius (m).
    modes : tuple of str, optional
        Modes reported separately (default: those present among ``train``, ``tram``, ``metro``).
    measure_from : {"edge", "point"}
    scope : {"france", "all"}
        For the built-in stations: those known to be in France (default: SNCF stations, and
        OSM stops in the Nord and Pas-de-Calais — no Belgian station), or every station of the
        mirror. See :func:`erbm_geo.layers.stations`.

    Returns
    -------
    pandas.DataFrame
        ``station_distance_m`` and ``station_nom`` (nearest station of any mode),
        ``<mode>_distance_m`` per mode, ``stations_within`` (count within *radius*) and
        ``share_within_walk`` (share of the feature's area within *radius* of a station; for
        points 1 or 0).

    Examples
    --------
    >>> from erbm_geo.layers import communes
    >>> a = station_access(communes())
    >>> float(a.loc["62498", "station_distance_m"])  # Lens has stations
    0.0
    """
    _check_measure(measure_from)
    if scope not in STATION_SCOPES:
        raise UnknownOptionError(f"unknown station scope {scope!r}; choose among {STATION_SCOPES}")
    if radius <= 0 or not np.isfinite(radius):
        raise UnknownOptionError(f"radius must be a positive number of metres, got {radius!r}")
    feats, geoms = prepare(gdf, name="features", validity=True)
    if stations is None:
        st = _stations(territory="france", scope=scope)
        sg = np.asarray(st.geometry.values, dtype=object)
    else:
        sg = prepare_target(stations, gdf, name="stations")
        st = stations
    mode_col = st["mode"].astype(str).to_numpy() if "mode" in st else np.full(len(st), "train")
    names = st["nom"].astype(str).to_numpy() if "nom" in st else st.index.astype(str).to_numpy()
    src = source_geoms(geoms, measure_from)
    key = f"stations:{scope}" if stations is None else None  # built-in: reused in this process
    idx, dist = nearest(src, sg, cache_key=key)
    out = pd.DataFrame({"station_distance_m": dist,
                        "station_nom": take_labels(names, idx)}, index=feats.index)
    wanted = modes or tuple(m for m in STATION_MODES if (mode_col == m).any())
    for m in wanted:
        sel = mode_col == m
        if not sel.any():
            out[f"{m}_distance_m"] = np.nan
            continue
        _, d = nearest(src, sg[sel], cache_key=f"{key}:{m}" if key else None)
        out[f"{m}_distance_m"] = d
    out["stations_within"] = count_within(geoms, sg, radius)
    # walkable area: union of station buffers near the features only
    tree = shapely.STRtree(sg)
    near = np.unique(tree.query(geoms, predicate="dwithin", distance=radius)[1])
    def build_walk() -> np.ndarray:
        return dissolve_parts(shapely.buffer(sg[near], radius, quad_segs=16))

    if stations is None:  # built-in stations: the walkable area can be reused in this process
        import hashlib

        key = hashlib.sha1(near.tobytes()).hexdigest()
        walk = memo(f"walk:{scope}:{radius}:{key}", build_walk)
    else:
        walk = build_walk()
    area = shapely.area(geoms)
    cov = covered_area(geoms, walk)
    is_poly = shapely.get_dimensions(geoms) == 2
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(is_poly, np.clip(cov / np.where(area > 0, area, 1), 0, 1),
                         (out["stations_within"].to_numpy() > 0).astype(float))
    out["share_within_walk"] = share
    return out


def distance_to_lines(
    gdf: gpd.GeoDataFrame,
    *,
    lines: gpd.GeoDataFrame | None = None,
    name: str = "rail",
    measure_from: MeasureFrom = "edge",
) -> pd.Series:
    """Distance (m) from each feature to the nearest line of a line layer.

    Parameters
    ----------
    lines : GeoDataFrame, optional
        Any line layer with the features' CRS — e.g. a motorway or BHNS file brought with
        :func:`erbm_geo.layers.user_layer`. Default: railway lines in operation (*name*
        ``"rail"``) or EuroVelo 5 (*name* ``"eurovelo5"``).
    name : str
        Name of the result: ``"<name>_distance_m"``.

    Examples
    --------
    >>> from erbm_geo.layers import communes
    >>> d = distance_to_lines(communes(), name="eurovelo5")
    >>> d.name
    'eurovelo5_distance_m'
    """
    _check_measure(measure_from)
    feats, geoms = prepare(gdf, name="features")
    if lines is None:
        if name == "rail":
            # the 59/62 extract: every feature of the basin is far nearer to it than to its edge
            lg = np.asarray(rail_lines(territory="france").geometry.values, dtype=object)
        elif name == "eurovelo5":
            lg = np.asarray(eurovelo5(territory="france").geometry.values, dtype=object)
        else:
            raise UnknownOptionError(
                f"no built-in line layer {name!r}: pass lines=… (e.g. erbm_geo.layers.user_layer)")
    else:
        lg = prepare_target(lines, gdf, name="lines")
    _, dist = nearest(source_geoms(geoms, measure_from), lg,
                      cache_key=None if lines is not None else f"lines:{name}")
    return pd.Series(dist, index=feats.index, name=f"{name}_distance_m")
