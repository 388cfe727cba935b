"""Spatial helpers on geometry arrays: assign features to zones (communes), measure, repair, overlaps."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.geom.memo import memo_for, present
from erbm_geo.geom.prepare import check_valid_subset

__all__ = ["assign_communes", "connected_components", "measure", "overlapping_mask", "repair_geometries"]


def measure(geoms: np.ndarray) -> np.ndarray:
    """Return area for polygons, length for lines, 1 for points (the weight of an intersection).

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        The geometries.

    Returns
    -------
    numpy.ndarray of float
        One measure per geometry.

    Examples
    --------
    >>> import shapely
    >>> measure(np.array([shapely.box(0, 0, 2, 2), shapely.LineString([(0, 0), (3, 4)]),
    ...                   shapely.Point(1, 1)])).tolist()
    [4.0, 5.0, 1.0]
    """
    dim = shapely.get_dimensions(geoms)
    return np.where(dim == 2, shapely.area(geoms), np.where(dim == 1, shapely.length(geoms), 1.0))


def assign_communes(
    gdf: gpd.GeoDataFrame, communes: gpd.GeoDataFrame, *, max_distance: float = 1000.0, codes: bool = True
) -> pd.DataFrame:
    """Return, for each feature, its main commune and every commune it lies in.

    The main commune (``code_insee``) is the one holding the largest part of the feature (area for
    polygons, length for lines; for points the commune containing it). ``codes_insee`` lists every
    commune holding a part of positive measure, main commune first, separated by ``;``. Both are
    computed from geometry, never from the commune names stored in the source files.

    A feature lying in no commune polygon (e.g. a point a few metres beyond the simplified
    national border) is given the nearest commune within *max_distance* metres; beyond that it
    gets ``<NA>`` and callers decide whether that is an error.

    Only the features that cross a commune boundary pay for an exact intersection: candidates
    come from the communes' bounding boxes, and each is first tested with ``contains_properly``
    against the prepared commune (true for almost every building). A feature wholly inside a
    commune that overlaps no other lies in that commune alone: its other candidates are not
    tested at all. The rest are tested with ``intersects`` (the commune prepared, never the
    feature), and a point needs no measure.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The features, in EPSG:2154.
    communes : geopandas.GeoDataFrame
        The communes, indexed by INSEE code, in EPSG:2154.
    max_distance : float, default 1000.0
        How far (m) the nearest commune is looked for, for a feature in none.
    codes : bool, default True
        Also return ``codes_insee`` (``False``: the main commune only, which is faster).

    Returns
    -------
    pandas.DataFrame
        Aligned on *gdf*'s index, with ``code_insee`` (and ``codes_insee``), strings.

    Raises
    ------
    InvalidGeometryError
        If a commune that meets a feature is invalid.

    Examples
    --------
    >>> import shapely
    >>> from erbm_geo.examples import example_communes
    >>> c = example_communes()  # 2 km squares, 99001 at x 690-692 km, y 7020-7022 km
    >>> f = gpd.GeoDataFrame(geometry=[shapely.Point(691_000, 7_021_000),
    ...                                shapely.box(691_000, 7_020_500, 692_500, 7_021_500)], crs=2154)
    >>> assign_communes(f, c).to_dict("list")
    {'code_insee': ['99001', '99001'], 'codes_insee': ['99001', '99001;99002']}
    """
    geoms = np.asarray(gdf.geometry.values)
    cgeoms = np.asarray(communes.geometry.values)
    n = len(geoms)
    tree = memo_for(cgeoms).get_tree()
    fi, ci, inside = _candidates(geoms, cgeoms, tree)
    check_valid_subset(communes, present(ci, len(cgeoms)), name="communes")  # those met must be valid
    m = _part_measures(geoms, cgeoms, fi, ci, inside)
    # parts of the feature's own dimension (a point's measure is 1: a point on a shared edge keeps
    # both communes, the first winning as main)
    keep = m > 0
    fi, code, m = fi[keep], communes.index.to_numpy().astype(str)[ci[keep]], m[keep]
    found = np.zeros(n, dtype=bool)
    found[fi] = True
    lost = np.flatnonzero(~found)
    if lost.size:
        li, lc = tree.query_nearest(geoms[lost], max_distance=max_distance)
        first = np.r_[True, li[1:] != li[:-1]] if len(li) else np.zeros(0, dtype=bool)  # one per feature
        fi = np.r_[fi, lost[li[first]]]
        code = np.r_[code, communes.index.to_numpy().astype(str)[lc[first]]]
        m = np.r_[m, np.zeros(int(first.sum()))]
    order = np.lexsort((code, -m, fi))  # by feature; its largest part first, ties by code
    fi, code = fi[order], code[order]
    start = np.r_[True, fi[1:] != fi[:-1]] if len(fi) else np.zeros(0, dtype=bool)
    main = np.full(n, None, dtype=object)
    main[fi[start]] = code[start]
    out = pd.DataFrame(index=gdf.index)
    out["code_insee"] = pd.array(main, dtype="string")
    if codes:
        out["codes_insee"] = pd.array(_joined(fi, code, start, n), dtype="string")
    return out


def _candidates(
    geoms: np.ndarray, cgeoms: np.ndarray, tree: shapely.STRtree
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the (feature, commune) pairs that intersect, and which hold the feature properly.

    Bounding-box candidates are tested against the prepared communes (left prepared, as the
    kernels leave them): ``contains_properly`` for lines and polygons, then ``intersects`` for
    the pairs still open. A feature properly inside a commune that overlaps no other commune
    cannot meet another one's interior, so its other candidates are dropped untested.
    """
    fi, ci = tree.query(geoms)  # sorted by feature
    if len(fi) == 0:
        return fi, ci, np.zeros(0, dtype=bool)
    shapely.prepare(cgeoms[present(ci, len(cgeoms))])
    solid = shapely.get_dimensions(geoms)[fi] > 0
    inside = np.zeros(len(fi), dtype=bool)
    inside[solid] = shapely.contains_properly(cgeoms[ci[solid]], geoms[fi[solid]])
    overlapping = memo_for(cgeoms).get("overlapping", lambda: overlapping_mask(cgeoms))
    settled = np.zeros(len(geoms), dtype=bool)
    settled[fi[inside & ~overlapping[ci]]] = True
    keep = inside | ~settled[fi]
    fi, ci, inside = fi[keep], ci[keep], inside[keep]
    hit = inside.copy()
    hit[~inside] = shapely.intersects(cgeoms[ci[~inside]], geoms[fi[~inside]])
    return fi[hit], ci[hit], inside[hit]


def _part_measures(
    geoms: np.ndarray, cgeoms: np.ndarray, fi: np.ndarray, ci: np.ndarray, inside: np.ndarray
) -> np.ndarray:
    """Return the measure of each (feature, commune) part, 0 where it is not of the feature's dimension.

    A part counts only in the feature's own dimension: a polygon merely touching a commune along
    its edge (a line of positive length) does not lie in it. A feature *inside* its commune is
    measured whole, the others are intersected.
    """
    fdim = shapely.get_dimensions(geoms[fi])
    m = np.ones(len(fi))  # points: the commune holding them (measure 1)
    solid = fdim > 0
    m[inside] = measure(geoms[fi[inside]])
    exact = solid & ~inside  # features on a boundary, or partly outside every commune
    if exact.any():
        inter = shapely.intersection(geoms[fi[exact]], cgeoms[ci[exact]])
        m[exact] = np.where(shapely.get_dimensions(inter) == fdim[exact], measure(inter), 0.0)
    return m


def _joined(fi: np.ndarray, code: np.ndarray, start: np.ndarray, n: int) -> np.ndarray:
    """Return each feature's codes joined by ``;`` in order (pairs sorted by feature).

    Vectorised: one pass per rank within a feature (a feature lies in a handful of communes at
    most), never one per feature.
    """
    out = np.full(n, None, dtype=object)
    if not len(fi):
        return out
    group = np.cumsum(start) - 1
    firsts = np.flatnonzero(start)
    rank = np.arange(len(fi)) - firsts[group]
    width = (max(len(c) for c in np.unique(code)) + 1) * (int(rank.max()) + 1)
    joined = code[firsts].astype(f"<U{width}")
    for k in range(1, int(rank.max()) + 1):
        at = rank == k
        joined[group[at]] = np.char.add(np.char.add(joined[group[at]], ";"), code[at])
    out[fi[firsts]] = joined
    return out


def repair_geometries(geoms: np.ndarray) -> np.ndarray:
    """Apply ``make_valid`` to each geometry, keeping only the parts of its original dimension.

    ``make_valid`` can turn a self-touching polygon into a GeometryCollection with slivers of
    lines or points; those are dropped so a polygon stays polygonal (a line stays linear).
    Results are MultiPolygon / MultiLineString / MultiPoint, or the single part when only one.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        The geometries.

    Returns
    -------
    numpy.ndarray of shapely.Geometry
        Valid geometries of the same dimension.

    Examples
    --------
    >>> import shapely
    >>> bow = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    >>> fixed = repair_geometries(np.array([bow]))[0]
    >>> fixed.geom_type, fixed.area, fixed.is_valid
    ('MultiPolygon', 2.0, True)
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    dims = shapely.get_dimensions(geoms)
    fixed = shapely.make_valid(geoms)
    parts, owner = shapely.get_parts(fixed, return_index=True)
    # flatten nested multi-parts of collections
    parts, sub = shapely.get_parts(parts, return_index=True)
    owner = owner[sub]
    keep = shapely.get_dimensions(parts) == dims[owner]
    parts, owner = parts[keep], owner[keep]
    out = np.full(n, None, dtype=object)
    for d, maker in ((2, shapely.multipolygons), (1, shapely.multilinestrings), (0, shapely.multipoints)):
        sel = dims[owner] == d
        if sel.any():  # owners renumbered 0…k-1: shapely refuses gaps in the indices
            take = np.unique(owner[sel])
            out[take] = maker(parts[sel], indices=np.searchsorted(take, owner[sel]))
    counts = np.bincount(owner, minlength=n)
    single = counts == 1
    out[single] = shapely.get_geometry(out[single], 0)
    return out


def overlapping_mask(geoms: np.ndarray) -> np.ndarray:
    """Return which geometries share area with another one of the array (not merely an edge).

    Candidate pairs come from a bounding-box query; the interiors are then tested on the pairs
    in one vectorised call (DE-9IM ``T********``). Unlike ``overlaps``, this also flags a
    geometry equal to, or contained in, another one.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        The geometries.

    Returns
    -------
    numpy.ndarray of bool
        True for a geometry sharing area with another.

    Examples
    --------
    >>> import shapely
    >>> overlapping_mask(np.array([shapely.box(0, 0, 2, 2), shapely.box(1, 1, 3, 3),
    ...                            shapely.box(2, 0, 3, 1)])).tolist()  # the third only touches
    [True, True, False]
    """
    geoms = np.asarray(geoms, dtype=object)
    mask = np.zeros(len(geoms), dtype=bool)
    if len(geoms) < 2:
        return mask
    i, j = shapely.STRtree(geoms).query(geoms)
    keep = i < j
    i, j = i[keep], j[keep]
    hit = shapely.relate_pattern(geoms[i], geoms[j], "T********")
    mask[i[hit]] = True
    mask[j[hit]] = True
    return mask


def connected_components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Return connected components of the undirected graph of *n* nodes and edges ``(i[k], j[k])``.

    Each node's label is the smallest node of its component (min-label propagation with pointer
    jumping, vectorised: a few passes for the small groups of merged records and stops this
    package builds), so no graph library is imported.

    Parameters
    ----------
    n : int
        The number of nodes.
    i, j : numpy.ndarray of int
        The edges' ends.

    Returns
    -------
    numpy.ndarray of int
        Each node's label: the smallest node of its component.

    Examples
    --------
    >>> connected_components(5, np.array([0, 3]), np.array([2, 4])).tolist()
    [0, 1, 0, 3, 3]
    """
    lab = np.arange(n)
    while True:
        new = lab.copy()
        np.minimum.at(new, i, lab[j])
        np.minimum.at(new, j, lab[i])
        new = new[new]  # pointer jumping: follow the label's own label
        if np.array_equal(new, lab):
            return lab
        lab = new
