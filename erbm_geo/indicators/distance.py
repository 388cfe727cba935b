"""Distance of features (cités, communes, QPV, any layer) to the nearest centre."""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from erbm_geo.errors import UnknownOptionError
from erbm_geo.indicators._inputs import prepare, prepare_target
from erbm_geo.indicators._kernels import nearest, source_geoms, take_labels
from erbm_geo.layers.centres import LEVELS
from erbm_geo.layers.centres import centres as _centres

__all__ = ["MeasureFrom", "distance_to_centres"]

MeasureFrom = Literal["edge", "point"]


def _check_measure(measure_from: str) -> None:
    if measure_from not in ("edge", "point"):
        raise UnknownOptionError(f"unknown measure_from {measure_from!r}; choose 'edge' or 'point'")


def distance_to_centres(
    gdf: gpd.GeoDataFrame,
    *,
    level: Literal["main", "acv_pvd", "all"] = "main",
    centres: gpd.GeoDataFrame | None = None,
    measure_from: MeasureFrom = "edge",
    max_distance: float | None = None,
) -> pd.DataFrame:
    """Distance in metres from each feature to the nearest centre.

    Parameters
    ----------
    gdf : GeoDataFrame
        Any layer with a CRS (reprojected to EPSG:2154).
    level : {"main", "acv_pvd", "all"}
        Centres considered (see :func:`erbm_geo.layers.centres`): the 8 main centralities, the
        ACV/PVD towns and the main centralities, or every commune centre. Ignored when *centres*
        is given.
    centres : GeoDataFrame, optional
        Your own centre points (same CRS as *gdf*), e.g. from :func:`erbm_geo.layers.as_centres`;
        the name comes from its ``nom`` column when present.
    measure_from : {"edge", "point"}
        ``"edge"`` (default): from the nearest point of the feature — 0 when the centre lies
        inside it; ``"point"``: from a representative point inside the feature
        (``point_on_surface``).
    max_distance : float, optional
        Search radius (m); features farther from every centre get NaN.

    Returns
    -------
    pandas.DataFrame
        Aligned on ``gdf.index``: ``distance_m``, ``centre_nom``, ``centre_id`` (the INSEE code of
        the centre's commune for built-in centres).

    Examples
    --------
    >>> from erbm_geo.layers import communes
    >>> c = communes()
    >>> d = distance_to_centres(c, level="main")
    >>> float(d.loc["62498", "distance_m"]), d.loc["62498", "centre_nom"]
    (0.0, 'Lens')
    """
    _check_measure(measure_from)
    feats, geoms = prepare(gdf, name="features")
    if centres is None:
        if level not in LEVELS:
            raise UnknownOptionError(f"unknown centre level {level!r}; choose main, acv_pvd or all")
        ctab = _centres(level=level)
        cgeoms = np.asarray(ctab.geometry.values, dtype=object)
    else:
        cgeoms = prepare_target(centres, gdf, name="centres")
        ctab = centres
    names = (ctab["nom"].astype(str).to_numpy() if "nom" in ctab
             else ctab.index.astype(str).to_numpy())
    ids = ctab.index.astype(str).to_numpy()
    idx, dist = nearest(source_geoms(geoms, measure_from), cgeoms, max_distance=max_distance,
                        cache_key=f"centres:{level}" if centres is None else None)
    return pd.DataFrame(
        {
            "distance_m": dist,
            "centre_nom": take_labels(names, idx),
            "centre_id": take_labels(ids, idx),
        },
        index=feats.index,
    )
