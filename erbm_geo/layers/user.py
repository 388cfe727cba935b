"""Users' own layers: a file or a GeoDataFrame brought into the library's conventions.

The mirror lacks motorways and national roads (A1, A2, A21, A26, RN17…), the Tadao « Bulles »
BHNS, the Valenciennes tram line shapes, a population grid… (see its known gaps). Bring them with
:func:`user_layer`; they then flow into the indicators like the built-in layers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd
import shapely

from erbm_geo.errors import DataFormatError, DataNotFoundError, OutOfAreaError, UnknownOptionError
from erbm_geo.geom.validate import (
    LINEAR,
    POLYGONAL,
    PUNCTUAL,
    check_geometries,
    check_not_empty,
    contradiction_error,
    crs_contradiction,
    to_working_crs,
)
from erbm_geo.layers._io import check_geoparquet
from erbm_geo.layers.territory import territory_geometry

__all__ = ["user_layer"]

_KINDS = {"line": LINEAR, "point": PUNCTUAL, "polygon": POLYGONAL}


def user_layer(
    source: str | Path | gpd.GeoDataFrame,
    *,
    name: str = "user layer",
    kind: Literal["line", "point", "polygon"] | None = None,
    near: str | None = "nord_pas_de_calais",
    max_gap_m: float = 50_000.0,
) -> gpd.GeoDataFrame:
    """Bring a user layer (file or GeoDataFrame, any CRS) into the library's conventions.

    Use it for what the mirror lacks: motorways (A1, A2, A21…), RN17, the Tadao BHNS, the
    Valenciennes tram lines, a population grid…

    Parameters
    ----------
    source : str, pathlib.Path or geopandas.GeoDataFrame
        Any file GDAL reads (GeoPackage, GeoJSON, Shapefile, GeoParquet via ``.parquet``), or a
        layer already loaded.
    name : str, default "user layer"
        Used in error messages.
    kind : {"line", "point", "polygon"}, optional
        Expected geometry family.
    near : str or None, default "nord_pas_de_calais"
        Named territory the layer must come within *max_gap_m* of; ``None`` disables the check.
        A layer far away usually has coordinates in another CRS than the one declared.
    max_gap_m : float, default 50000.0
        How far (m) from *near* the nearest feature may lie.

    Returns
    -------
    geopandas.GeoDataFrame
        The layer in EPSG:2154, geometries checked.

    Raises
    ------
    CRSError
        If the layer has no CRS (never guessed).
    OutOfAreaError
        If no feature comes within *max_gap_m* of *near*.
    DataNotFoundError, DataFormatError, InvalidGeometryError, EmptyInputError
        A missing file, an unreadable one or a table without geometries, bad geometries, no rows.
    NestingError
        If a GeoParquet geometry is nested too deep to parse safely.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> road = gpd.GeoDataFrame({"nom": ["A21"]}, crs="EPSG:4326",
    ...     geometry=[shapely.LineString([(2.83, 50.43), (3.07, 50.37)])])
    >>> user_layer(road, kind="line").crs.to_epsg()
    2154
    """
    if isinstance(source, gpd.GeoDataFrame):
        gdf = source
    elif isinstance(source, pd.DataFrame | pd.Series):
        raise DataFormatError(
            f"{name}: a {type(source).__name__} without geometries; make it a GeoDataFrame first, "
            "e.g. gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df['lon'], df['lat']), "
            "crs='EPSG:4326')"
        )
    elif not isinstance(source, str | Path):
        raise DataFormatError(f"{name}: expected a file path or a GeoDataFrame, got {type(source).__name__}")
    else:
        path = Path(source)
        if not path.exists():
            raise DataNotFoundError(f"{name}: file not found: {path}")
        if path.suffix == ".parquet" and path.is_file():
            check_geoparquet(path, name=name)  # a crafted geometry must not crash the process
        try:
            gdf = (
                gpd.read_parquet(path)
                if path.suffix == ".parquet"
                else gpd.read_file(path, engine="pyogrio", layer=_only_layer(path))
            )
        except Exception as exc:
            raise DataFormatError(f"{name}: cannot read {path}: {exc}") from exc
    if kind is not None and kind not in _KINDS:
        raise UnknownOptionError(f"unknown kind {kind!r}; choose line, point or polygon")
    check_not_empty(gdf, name=name)
    out = to_working_crs(gdf, name=name)
    check_geometries(out, name=name, types=_KINDS[kind] if kind else None)
    if near is not None:
        area = territory_geometry(near)
        if area is not None:
            gap = float(shapely.distance(shapely.box(*out.total_bounds), shapely.envelope(area)))
            if gap > max_gap_m:
                _far_from(gdf, out, name=name, near=near, gap=gap, limit=max_gap_m, area=area)
    return out


def _only_layer(path: Path) -> str | None:
    """Return the file's one layer with geometry, beside tables such as QGIS's ``layer_styles``.

    ``None`` (GDAL's first layer) when the file has several layers with geometry, or is not a
    GeoPackage.
    """
    import pyogrio

    if path.suffix.lower() != ".gpkg" or not path.is_file():
        return None
    spatial = [str(n) for n, g in pyogrio.list_layers(path) if g is not None]
    return spatial[0] if len(spatial) == 1 else None


def _far_from(
    gdf: gpd.GeoDataFrame,
    out: gpd.GeoDataFrame,
    *,
    name: str,
    near: str,
    gap: float,
    limit: float,
    area: shapely.Geometry,
) -> None:
    """Raise the error for a layer far from *near*: a CRS to declare only if the coordinates say so."""
    found = crs_contradiction(gdf.total_bounds, gdf.crs, shapely.bounds(area))
    if found is not None and not gdf.attrs.get("crs_confirmed"):
        raise contradiction_error(name, gdf.crs, found, f"the territory {near!r}")
    raise OutOfAreaError(
        f"{name} lies {gap / 1000:,.0f} km from the territory {near!r} (bounds "
        f"{out.total_bounds.round(1).tolist()} in EPSG:2154), farther than max_gap_m={limit:g}; "
        f"its coordinates fit its CRS ({gdf.crs.to_string()}), so it lies elsewhere. To use it "
        "anyway, pass near=None (or a larger max_gap_m)."
    )
