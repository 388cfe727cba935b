"""Input checks shared by loaders and indicators (a leaf module: depends only on errors/settings).

Every check raises a specific :mod:`erbm_geo.errors` exception that names the layer, the problem and
the fix; none silently drops a feature.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo import settings
from erbm_geo.errors import (
    CRSError,
    EmptyInputError,
    InvalidGeometryError,
    MissingColumnError,
)

__all__ = [
    "LINEAR",
    "POLYGONAL",
    "PUNCTUAL",
    "check_columns",
    "check_geometries",
    "check_not_empty",
    "same_crs",
    "to_working_crs",
]

POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
LINEAR = frozenset({"LineString", "MultiLineString"})
PUNCTUAL = frozenset({"Point", "MultiPoint"})


def check_not_empty(gdf: pd.DataFrame, *, name: str = "layer") -> None:
    """Raise :class:`EmptyInputError` when *gdf* has no rows."""
    if len(gdf) == 0:
        raise EmptyInputError(
            f"{name} is empty (0 features); check the selection or filter that produced it."
        )


def check_columns(df: pd.DataFrame, columns: Iterable[str], *, name: str = "layer") -> None:
    """Raise :class:`MissingColumnError` naming every missing column."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise MissingColumnError(
            f"{name} lacks column(s) {missing}; available: {list(df.columns)}"
        )


def to_working_crs(gdf: gpd.GeoDataFrame, *, name: str = "layer") -> gpd.GeoDataFrame:
    """Return *gdf* in the working CRS (EPSG:2154), reprojecting when needed.

    Raises
    ------
    CRSError
        When *gdf* has no CRS: erbm_geo never guesses one.
    """
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError(f"{name} must be a GeoDataFrame, got {type(gdf).__name__}")
    if gdf.crs is None:
        raise CRSError(
            f"{name} has no CRS. Set the one its coordinates are in, e.g. "
            "gdf.set_crs('EPSG:4326') for longitude/latitude or gdf.set_crs('EPSG:2154') for "
            "Lambert-93, then pass it again."
        )
    if gdf.crs.equals(settings.crs):
        return gdf
    return gdf.to_crs(settings.crs)


def same_crs(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame, *, names: tuple[str, str]) -> None:
    """Raise :class:`CRSError` unless *a* and *b* have the same, defined CRS."""
    for g, n in zip((a, b), names, strict=True):
        if g.crs is None:
            raise CRSError(f"{n} has no CRS; set it (e.g. gdf.set_crs('EPSG:2154')).")
    if not a.crs.equals(b.crs):
        raise CRSError(
            f"{names[0]} is in {a.crs.to_string()} but {names[1]} is in {b.crs.to_string()}; "
            f"reproject one of them, e.g. {names[1]}.to_crs({names[0]}.crs)."
        )


def check_geometries(
    gdf: gpd.GeoDataFrame,
    *,
    name: str = "layer",
    types: Iterable[str] | None = None,
    allow_invalid: bool = False,
) -> None:
    """Check that every geometry is present, non-empty, finite, of allowed type and valid.

    Raises
    ------
    InvalidGeometryError
        Naming the offending rows (first ten index labels) and the fix.
    """
    geoms = gdf.geometry.values
    arr = np.asarray(geoms, dtype=object)

    def _fail(mask: np.ndarray, what: str, fix: str) -> None:
        labels = list(gdf.index[mask][:10])
        raise InvalidGeometryError(
            f"{name}: {int(mask.sum())} feature(s) {what} (index {labels}); {fix}"
        )

    missing = shapely.is_missing(arr)
    if missing.any():
        _fail(missing, "have no geometry", "drop or fill them before passing the layer.")
    empty = shapely.is_empty(arr)
    if empty.any():
        _fail(empty, "have an empty geometry", "drop them before passing the layer.")
    coords = shapely.get_coordinates(arr)
    if coords.size and not np.isfinite(coords).all():
        bad = ~np.array(
            [np.isfinite(shapely.get_coordinates(g)).all() for g in arr[~missing]]
        )
        _fail(bad, "have NaN or infinite coordinates", "fix or drop them.")
    if types is not None:
        allowed = set(types)
        gtypes = np.asarray(shapely.get_type_id(arr))
        names_ = np.array(["Point", "LineString", "LinearRing", "Polygon", "MultiPoint",
                           "MultiLineString", "MultiPolygon", "GeometryCollection"])[gtypes]
        wrong = ~np.isin(names_, list(allowed))
        if wrong.any():
            found = sorted(set(names_[wrong]))
            _fail(wrong, f"are of type {found}, expected {sorted(allowed)}",
                  "pass a layer of the expected geometry type.")
    if not allow_invalid:
        invalid = ~shapely.is_valid(arr)
        if invalid.any():
            _fail(invalid, "are invalid",
                  "repair them, e.g. gdf.geometry = gdf.make_valid(), and pass the layer again.")
