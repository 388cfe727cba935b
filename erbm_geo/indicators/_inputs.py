"""Input preparation shared by the indicators: checks, CRS, geometry arrays."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from erbm_geo._geomcache import memo_for
from erbm_geo.errors import CRSError, DuplicateIndexError, InvalidGeometryError
from erbm_geo.validate import check_geometries, check_not_empty, to_working_crs

__all__ = ["prepare", "prepare_target"]


def prepare(gdf: gpd.GeoDataFrame, *, name: str = "features", validity: bool = False
            ) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Check *gdf* and return it in EPSG:2154 with its geometry array.

    Always checked: not empty, CRS set, no missing, empty or non-finite geometry. Validity (OGC)
    is checked only when *validity* is True: distances are well defined on invalid polygons, so
    distance indicators skip that costly test; area indicators check the features that actually
    overlap a target (:func:`check_valid_subset`).
    """
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError(f"{name} must be a GeoDataFrame, got {type(gdf).__name__}")
    check_not_empty(gdf, name=name)
    if not gdf.index.is_unique:
        dup = list(gdf.index[gdf.index.duplicated()][:10])
        raise DuplicateIndexError(
            f"{name}: the index has duplicate labels {dup}, so results could not be aligned on "
            "it; make it unique first, e.g. gdf = gdf.reset_index(drop=True)."
        )
    out = to_working_crs(gdf, name=name)
    geoms = np.asarray(out.geometry.values, dtype=object)
    m = memo_for(geoms)
    if not m.basic_ok:
        check_geometries(out, name=name, allow_invalid=True)
        m.basic_ok = True
    if validity:
        check_valid_subset(out, np.arange(len(out)), name=name)
    return out, m.geoms


def check_valid_subset(gdf: gpd.GeoDataFrame, rows: np.ndarray, *, name: str = "features") -> None:
    """Raise :class:`InvalidGeometryError` if any geometry at positions *rows* is invalid."""
    if len(rows) == 0:
        return
    bad = memo_for(np.asarray(gdf.geometry.values, dtype=object)).invalid_rows(rows)
    if len(bad):
        raise InvalidGeometryError(
            f"{name}: {len(bad)} feature(s) are invalid (index {list(gdf.index[bad][:10])}); "
            "repair them, e.g. gdf.geometry = gdf.make_valid(), and pass the layer again."
        )


def prepare_target(target: gpd.GeoDataFrame, features: gpd.GeoDataFrame, *, name: str,
                   polygonal: bool = False, allow_empty: bool = False) -> np.ndarray:
    """Geometries of a user-supplied target layer, which must share the features' CRS."""
    if not isinstance(target, gpd.GeoDataFrame):
        raise TypeError(f"{name} must be a GeoDataFrame, got {type(target).__name__}")
    if target.crs is None:
        raise CRSError(f"{name} has no CRS; set it, e.g. {name}.set_crs('EPSG:2154').")
    if features.crs is not None and not target.crs.equals(features.crs):
        raise CRSError(
            f"{name} is in {target.crs.to_string()} but the features are in "
            f"{features.crs.to_string()}; reproject it first, e.g. {name}.to_crs(features.crs)."
        )
    if not allow_empty:
        check_not_empty(target, name=name)
    t = to_working_crs(target, name=name)
    check_geometries(t, name=name, allow_invalid=not polygonal)
    g = np.asarray(t.geometry.values, dtype=object)
    if polygonal and len(g) and not np.all(shapely_dims(g) == 2):
        raise InvalidGeometryError(f"{name} must hold polygons only")
    return g


def shapely_dims(g: np.ndarray) -> np.ndarray:
    import shapely

    return shapely.get_dimensions(g)
