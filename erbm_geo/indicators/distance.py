"""Distance of features (cités, communes, QPV, any layer) to the nearest centre."""

from __future__ import annotations

from typing import Literal, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from erbm_geo.errors import UnknownOptionError
from erbm_geo.geom.kernels import nearest, source_geoms, take_labels
from erbm_geo.geom.partitioned import is_partitioned, map_features
from erbm_geo.geom.prepare import prepare, prepare_target

__all__ = ["MeasureFrom", "check_measure", "distance_to_centres"]

MeasureFrom = Literal["edge", "point"]


def check_measure(measure_from: str) -> None:
    """Raise :class:`UnknownOptionError` unless *measure_from* is ``"edge"`` or ``"point"``.

    Parameters
    ----------
    measure_from : str
        The option given.

    Raises
    ------
    UnknownOptionError
        If it is not ``"edge"`` or ``"point"``.

    Examples
    --------
    >>> check_measure("edge")
    >>> check_measure("centroid")
    Traceback (most recent call last):
    ...
    erbm_geo.errors.UnknownOptionError: unknown measure_from 'centroid'; choose 'edge' or 'point'
    """
    if measure_from not in ("edge", "point"):
        raise UnknownOptionError(f"unknown measure_from {measure_from!r}; choose 'edge' or 'point'")


def labels_of(layer: gpd.GeoDataFrame, column: str = "nom") -> np.ndarray:
    """Return the names of a target layer's features.

    Its *column* when present, else its index (as they are: :func:`~erbm_geo.geom.kernels.take_labels`
    converts the ones it takes to text).
    """
    labels = layer[column].to_numpy(dtype=object) if column in layer else layer.index.to_numpy(dtype=object)
    return cast("np.ndarray", labels)


def distance_to_centres(
    gdf: gpd.GeoDataFrame,
    centres: gpd.GeoDataFrame,
    *,
    measure_from: MeasureFrom = "edge",
    max_distance: float | None = None,
) -> pd.DataFrame:
    """Distance in metres from each feature to the nearest centre.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        Any layer with a CRS (reprojected to EPSG:2154).
        A partitioned (dask-geopandas) layer gives a lazy result of the same shape.
    centres : GeoDataFrame
        Centre points (or any geometries) in the CRS of *gdf*; names come from a ``nom`` column
        when present. Built in: :func:`erbm_geo.indicators.builtin.centres` (``level="main"``,
        ``"acv_pvd"`` or ``"all"``); your own with :func:`erbm_geo.layers.as_centres`.
    measure_from : {"edge", "point"}
        ``"edge"`` (default): from the nearest point of the feature — 0 when the centre lies
        inside it; ``"point"``: from a representative point inside the feature
        (``point_on_surface``).
    max_distance : float, optional
        Search radius (m); features farther from every centre get NaN and <NA> names.

    Returns
    -------
    pandas.DataFrame
        Aligned on ``gdf.index``: ``distance_m``, ``centre_nom``, ``centre_id`` (the index label
        of the centre: the INSEE code of its commune for built-in centres). Ties go to the
        centre that comes first in *centres*.

    Raises
    ------
    UnknownOptionError
        If *measure_from* is unknown.
    InvalidOptionError
        If *max_distance* is negative or not a number.
    EmptyInputError
        If *gdf* or a target has no rows.
    DuplicateIndexError
        If *gdf*'s index has duplicate labels.
    CRSError
        If a layer has no CRS, or a target's CRS is not the features'.
    OutOfAreaError
        If coordinates do not fit their CRS or lie far from France.
    InvalidGeometryError
        If a geometry is missing, empty or non-finite.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point, box
    >>> cites = gpd.GeoDataFrame(geometry=[box(700000, 7000000, 700100, 7000100)], crs=2154)
    >>> centres = gpd.GeoDataFrame({"nom": ["Lens", "Liévin"]},
    ...                            geometry=[Point(700400, 7000050), Point(700050, 7000900)],
    ...                            index=["62498", "62510"], crs=2154)
    >>> distance_to_centres(cites, centres)
       distance_m centre_nom centre_id
    0       300.0       Lens     62498
    """
    if is_partitioned(gdf):  # a dask-geopandas layer: the same function, partition by partition
        return map_features(
            distance_to_centres, gdf, centres, measure_from=measure_from, max_distance=max_distance
        )
    check_measure(measure_from)
    feats, geoms = prepare(gdf)
    _, cgeoms = prepare_target(centres, gdf, name="centres")
    idx, dist = nearest(source_geoms(geoms, measure_from), cgeoms, max_distance=max_distance)
    return pd.DataFrame(
        {
            "distance_m": dist,
            "centre_nom": take_labels(labels_of(centres), idx),
            "centre_id": take_labels(centres.index.to_numpy(dtype=object), idx),
        },
        index=feats.index,
    )
