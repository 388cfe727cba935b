"""Points for :func:`~erbm_geo.lookup.lookup`: from layers, tables, pairs or text, checked row by row.

Every row gets a usable point or a reason it has none (:data:`REASONS`); no row is dropped.
Coordinates copied from French files are read as they are written there: a decimal comma
(« 50,4322 ») is a decimal point, and a latitude/longitude pair pasted in the wrong order is
detected when it would fall outside France while the other order falls inside.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo import settings
from erbm_geo.errors import CRSError, InvalidGeometryError, InvalidOptionError, MissingColumnError

__all__ = ["FRANCE_BOUNDS", "REASONS", "Points", "parse_point", "to_points"]

#: Metropolitan France and Corsica in degrees (lon min, lat min, lon max, lat max), with a margin.
FRANCE_BOUNDS = (-5.5, 41.0, 10.0, 51.5)

#: Why a row has no usable point (the French text of the ``remarque`` column).
REASONS = {
    "missing": "coordonnées manquantes ou illisibles",
    "range": "coordonnées hors limites (latitude entre −90 et 90, longitude entre −180 et 180)",
    "swapped": "latitude et longitude semblent inversées (le point inverse tombe en France)",
    "geometry": "géométrie qui n'est pas un point",
}


class Points:
    """Points in the working CRS, aligned on the input's index, with each unusable row's reason.

    Made by :func:`to_points`; :func:`~erbm_geo.lookup.lookup` takes them as they are.

    Parameters
    ----------
    geometry : numpy.ndarray of shapely.Point
        One point per input row (an empty point where the row is unusable), EPSG:2154.
    index : pandas.Index
        The input's index.
    reason : numpy.ndarray of object
        A key of :data:`REASONS` per unusable row, None for a usable one.

    Examples
    --------
    >>> p = Points(np.array([shapely.Point(700_000, 7_000_000)]), pd.RangeIndex(1), np.array([None]))
    >>> len(p), p.ok.tolist()
    (1, [True])
    """

    def __init__(self, geometry: np.ndarray, index: pd.Index, reason: np.ndarray) -> None:
        self.geometry = geometry
        self.index = index
        self.reason = reason

    @property
    def ok(self) -> np.ndarray:
        """Boolean mask of the usable rows."""
        return np.asarray(pd.isna(self.reason), dtype=bool)

    def __len__(self) -> int:
        """Return the number of rows."""
        return len(self.index)


def _numbers(values: Any) -> np.ndarray:
    """Return *values* as floats; text with a decimal comma (« 50,43 ») is read as 50.43."""
    s = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        text = s.astype("string").str.strip().str.replace("\u2212", "-", regex=False)
        text = text.str.replace(",", ".", regex=False)
        return pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _in_france(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = FRANCE_BOUNDS
    return (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)


def _from_degrees(lon: np.ndarray, lat: np.ndarray, index: pd.Index) -> Points:
    reason = np.full(len(lon), None, dtype=object)
    finite = np.isfinite(lon) & np.isfinite(lat)
    reason[~finite] = "missing"
    in_range = finite & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    reason[finite & ~in_range] = "range"
    swapped = in_range & ~_in_france(lon, lat) & _in_france(lat, lon)
    reason[swapped] = "swapped"
    ok = pd.isna(reason)
    geoms = np.full(len(lon), None, dtype=object)
    geoms[ok] = shapely.points(lon[ok], lat[ok])
    pts = gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(settings.crs).to_numpy()
    pts[~ok] = shapely.Point()
    return Points(pts, index, reason)


def _from_layer(points: gpd.GeoDataFrame | gpd.GeoSeries) -> Points:
    if points.crs is None:
        raise CRSError("points have no CRS: set it (e.g. points.set_crs('EPSG:4326'))")
    geo = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    kinds = shapely.get_type_id(geo.to_numpy())
    other = (kinds != 0) & (kinds != -1)
    if other.any():
        raise InvalidGeometryError(
            f"lookup takes points; {int(other.sum())} geometries are not points "
            f"(first label {geo.index[np.flatnonzero(other)[0]]!r}): pass "
            "layer.geometry.representative_point() to look up a point inside each feature"
        )
    pts = geo.to_crs(settings.crs).to_numpy().copy()
    reason = np.full(len(pts), None, dtype=object)
    missing = pd.isna(pts) | shapely.is_empty(pts)
    reason[missing] = "missing"
    xy = shapely.get_coordinates(pts[~missing])
    bad = np.zeros(len(pts), dtype=bool)
    bad[np.flatnonzero(~missing)] = ~np.isfinite(xy).all(axis=1) if len(xy) else False
    reason[bad] = "range"
    pts[missing | bad] = shapely.Point()
    return Points(pts, geo.index, reason)


def to_points(points: Any, *, lon: str = "lon", lat: str = "lat") -> Points:
    """Return the points of *points* in EPSG:2154 with the reason each unusable row has none.

    Parameters
    ----------
    points : GeoDataFrame, GeoSeries, DataFrame or sequence of (lon, lat)
        Points in any CRS (a layer with its CRS), a table with longitude and latitude columns
        in degrees (WGS84; numbers or text, decimal point or comma), or (lon, lat) pairs.
    lon, lat : str, default "lon" and "lat"
        The columns of a table.

    Returns
    -------
    Points
        Aligned on the input's index (a RangeIndex for pairs).

    Raises
    ------
    CRSError
        If a layer has no CRS.
    InvalidGeometryError
        If a layer holds geometries that are not points.
    MissingColumnError
        If a table lacks a coordinate column.
    InvalidOptionError
        If a pair does not have two values.

    Examples
    --------
    >>> p = to_points(pd.DataFrame({"lat": ["50,4322", "", "2.83"], "lon": ["2,8319", "2.8", "50.43"]}))
    >>> p.ok.tolist(), p.reason.tolist()
    ([True, False, False], [None, 'missing', 'swapped'])
    """
    if isinstance(points, gpd.GeoDataFrame | gpd.GeoSeries):
        return _from_layer(points)
    if isinstance(points, pd.DataFrame):
        missing = [c for c in (lon, lat) if c not in points.columns]
        if missing:
            raise MissingColumnError(
                f"points lack the columns {missing} (columns: {list(points.columns)[:12]}): "
                "name the longitude and latitude columns (lon=…, lat=…), in degrees WGS84"
            )
        return _from_degrees(_numbers(points[lon]), _numbers(points[lat]), points.index)
    pairs = list(points) if not isinstance(points, np.ndarray) else points.tolist()
    if any(not isinstance(p, Sequence | np.ndarray) or len(p) != 2 for p in pairs):
        raise InvalidOptionError("points as pairs must be (lon, lat) pairs of two numbers each")
    arr = np.asarray(pairs, dtype=object).reshape(-1, 2)
    return _from_degrees(_numbers(arr[:, 0]), _numbers(arr[:, 1]), pd.RangeIndex(len(arr)))


_PAIR = re.compile(r"^\s*\(?\s*(\S+?)\s*[,;\s]\s*(\S+?)\s*\)?\s*$")
_DMS = re.compile(r"[°'\"′″]|\d\s*[NSEOW]\b", re.IGNORECASE)


def parse_point(text: str, *, lonlat: bool = False) -> tuple[float, float]:
    """Return (lon, lat) from a pair copied from a map: « 50.4322, 2.8319 » (latitude first).

    Parameters
    ----------
    text : str
        Two decimal numbers separated by a comma, a semicolon or spaces; with a comma between
        them, decimals take a point (« 50.4322, 2.8319 »); with a semicolon or spaces, a
        decimal comma is accepted too (« 50,4322 ; 2,8319 »).
    lonlat : bool, default False
        The text gives the longitude first (« 2.8319 50.4322 »).

    Returns
    -------
    tuple of float
        (longitude, latitude) in degrees.

    Raises
    ------
    InvalidOptionError
        If the text is not two numbers, is out of range, or looks swapped (naming the fix).

    Examples
    --------
    >>> parse_point("50.4322, 2.8319")
    (2.8319, 50.4322)
    >>> parse_point("2,8319 ; 50,4322", lonlat=True)
    (2.8319, 50.4322)
    """
    raw = str(text).strip()
    if _DMS.search(raw):
        raise InvalidOptionError(
            f"{raw!r}: give decimal degrees (« 50.4322, 2.8319 »), not degrees-minutes-seconds"
        )
    if ";" in raw:
        parts = raw.split(";")
    elif raw.count(",") == 1:
        parts = raw.split(",")
    else:  # « 50,4322, 2,8319 » or « 50,4322 2,8319 »
        parts = re.split(r",?\s+", raw)
    parts = [p.strip().strip("()") for p in parts if p.strip().strip("()")]
    nums = _numbers(pd.Series(parts, dtype=object)) if len(parts) == 2 else np.array([np.nan])
    if len(nums) != 2 or not np.isfinite(nums).all():
        raise InvalidOptionError(
            f"{raw!r} is not a pair of coordinates: write latitude, longitude in decimal degrees, "
            "e.g. « 50.4322, 2.8319 » (or longitude first with --lonlat)"
        )
    a, b = float(nums[0]), float(nums[1])
    lon, lat = (a, b) if lonlat else (b, a)
    p = _from_degrees(np.array([lon]), np.array([lat]), pd.RangeIndex(1))
    if p.reason[0] == "swapped":
        hint = "without --lonlat" if lonlat else "with --lonlat"
        raise InvalidOptionError(
            f"{raw!r}: latitude {lat} and longitude {lon} fall outside France but the other order "
            f"falls inside: the pair looks swapped; give it {hint}"
        )
    if p.reason[0] is not None:
        raise InvalidOptionError(f"{raw!r}: {REASONS[str(p.reason[0])]}")
    return lon, lat
