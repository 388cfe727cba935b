"""The geometry core: vectorised kernels over shapely 2 arrays, input checks and the validity memo.

It imports nothing from :mod:`erbm_geo.data`, :mod:`erbm_geo.layers` or anything above them
(only :mod:`erbm_geo.errors`, :mod:`erbm_geo.settings` and the process memory), so it is tested on
synthetic geometries alone and works on any territory.

* :mod:`~erbm_geo.geom.kernels` — nearest target (edges, Voronoi for points), covered areas,
  overlay with ids, counts within a radius;
* :mod:`~erbm_geo.geom.prepare` — input checks of feature and target layers;
* :mod:`~erbm_geo.geom.validate` — CRS, area, geometry and column checks;
* :mod:`~erbm_geo.geom.spatial` — assignment of features to zones, repair, overlap masks;
* :mod:`~erbm_geo.geom.memo` — what is known about a geometry array, kept for the process.
* :mod:`~erbm_geo.geom.threads` — the heaviest vectorised steps on several threads.
"""

from erbm_geo.geom.kernels import (
    count_within,
    covered_area,
    dissolve_parts,
    intersecting_pairs,
    nearest,
    overlay,
    pair_areas,
    source_geoms,
    take_labels,
)
from erbm_geo.geom.memo import GeometryMemo, memo_for
from erbm_geo.geom.prepare import check_valid_subset, prepare, prepare_target
from erbm_geo.geom.spatial import assign_communes, measure, overlapping_mask, repair_geometries

__all__ = [
    "GeometryMemo",
    "assign_communes",
    "check_valid_subset",
    "count_within",
    "covered_area",
    "dissolve_parts",
    "intersecting_pairs",
    "measure",
    "memo_for",
    "nearest",
    "overlapping_mask",
    "overlay",
    "pair_areas",
    "prepare",
    "prepare_target",
    "repair_geometries",
    "source_geoms",
    "take_labels",
]
