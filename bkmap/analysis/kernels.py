"""Vectorised spatial kernels: points per polygon and covered shares, in the metric CRS.

Every kernel runs in VN-2000 / UTM 48N (:data:`bkmap.settings.metric_crs`) with
shapely 2 array functions and STRtree queries; no Python loop runs over
communes. The dask twins in :mod:`bkmap.analysis.distributed` reuse the building
blocks here; :func:`bkmap.analysis.count_points_in_polygons` and
:func:`bkmap.analysis.covered_share` choose between the two.

Coverage is the union of operator polygons and of discs around cell sites and
towers. A disc is drawn as a polygon of ``4 * QUAD_SEGS`` sides inscribed in
the circle (area 0.16 % below the circle's); a point (a village) is covered
when it lies within the circle's radius.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import STRtree

from bkmap import settings
from bkmap._errors import ValidationError
from bkmap._progress import progress
from bkmap.io.record import record_of

log = logging.getLogger(__name__)

__all__ = [
    "QUAD_SEGS",
    "assign_points",
    "count_points_in_polygons",
    "coverage_layer",
    "coverage_reaching",
    "covered_areas",
    "covered_share",
    "metric_geometry",
    "point_owner",
    "points_covered",
    "require_key",
]

#: Segments per quarter circle of a coverage disc (64-gon).
QUAD_SEGS: int = 16


def metric_geometry(frame: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> np.ndarray:
    """Return the geometry array of ``frame`` in the metric CRS."""
    if frame.crs is None:
        msg = f"{what}: the layer has no CRS. Set one (frame.set_crs(...)) before the analysis."
        raise ValidationError(msg)
    if not frame.crs.equals(settings.metric_crs):
        frame = frame.to_crs(settings.metric_crs)
    geoms = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    return np.asarray(geoms.to_numpy(), dtype=object)


def require_key(polygons: pd.DataFrame, key: str) -> None:
    if key not in polygons.columns:
        msg = (
            f"key={key!r}: the polygons have no such column. Columns: "
            f"{', '.join(map(str, polygons.columns))}."
        )
        raise ValidationError(msg)


def point_owner(points: np.ndarray, polygons: np.ndarray) -> np.ndarray:
    """Index of the polygon each point lies in (or on the edge of); -1 outside all.

    A point on an edge shared by two polygons (or inside two overlapping ones) is
    given to the first of them only. The tree holds the points; each polygon
    takes the points in its box and tests them by their coordinates against its
    prepared self (``shapely.intersects_xy``): no predicate runs through the
    tree's per-pair callback, which makes this about 3x faster than
    ``geopandas.sjoin`` (see ``bench/bench_gaps.py``).
    """
    owner = np.full(len(points), -1, dtype=np.int64)
    if len(points) == 0 or len(polygons) == 0:
        return owner
    tree = STRtree(points)
    shapely.prepare(polygons)
    kinds = shapely.get_type_id(points)
    if bool(np.isin(kinds, (shapely.GeometryType.POINT, shapely.GeometryType.MISSING)).all()):
        gi, pi = tree.query(polygons)
        x, y = shapely.get_x(points), shapely.get_y(points)
        hit = shapely.intersects_xy(polygons[gi], x[pi], y[pi])
        gi, pi = gi[hit], pi[hit]
    else:
        gi, pi = tree.query(polygons, predicate="intersects")
    # Pairs come in polygon order: written in reverse, the first polygon of a point wins.
    owner[pi[::-1]] = gi[::-1]
    return owner


def count_points_in_polygons(
    points: gpd.GeoDataFrame | Any, polygons: gpd.GeoDataFrame, *, key: str = "code"
) -> pd.Series:
    """Count the points inside each polygon.

    One STRtree query of all points against the polygons, in the metric CRS;
    a point on a shared edge counts once.

    Parameters
    ----------
    points
        Points (any CRS).
    polygons
        Polygons with a ``key`` column.
    key
        Column naming each polygon; the index of the result.

    Returns
    -------
    Series
        Integer counts (0 included), indexed by ``polygons[key]``, named ``count``.

    Examples
    --------
    >>> from bkmap.io.boundaries import read_communes
    >>> communes = read_communes()
    >>> centres = communes.to_crs(3405).representative_point().to_frame("geometry")
    >>> counts = count_points_in_polygons(gpd.GeoDataFrame(centres, crs=3405), communes)
    >>> int(counts.sum()), int(counts.max())
    (122, 1)
    """
    require_key(polygons, key)
    polys = metric_geometry(polygons, "polygons")
    pts = metric_geometry(points, "points")
    owner = point_owner(pts, polys)
    counts = np.bincount(owner[owner >= 0], minlength=len(polys))
    index = pd.Index(polygons[key].to_numpy(), name=key)
    return pd.Series(counts.astype(np.int64), index=index, name="count")


def assign_points(
    points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, *, key: str = "code"
) -> pd.Series:
    """Return, for each point, the ``key`` of the polygon it lies in (missing when outside)."""
    require_key(polygons, key)
    owner = point_owner(metric_geometry(points, "points"), metric_geometry(polygons, "polygons"))
    keys = polygons[key].to_numpy(dtype=object)
    values = np.where(owner >= 0, keys[np.clip(owner, 0, None)], None)
    return pd.Series(values, index=points.index, name=key, dtype=object)


def coverage_layer(
    *layers: gpd.GeoDataFrame | None,
) -> gpd.GeoDataFrame:
    """Gather coverage in the metric CRS: polygons, and points with a ``radius_m`` (discs).

    Cell sites and towers from :func:`bkmap.io.points.read_points` carry
    ``radius_m``; coverage polygons carry none. The result has the columns
    ``layer`` (the kind), ``radius_m`` (NaN for polygons) and ``geometry``.
    """
    parts = []
    for frame in layers:
        if frame is None or len(frame) == 0:
            continue
        record = record_of(frame)
        kind = record.kind if record is not None else "coverage"
        radius = (
            frame["radius_m"].to_numpy(float)
            if "radius_m" in frame.columns
            else np.full(len(frame), np.nan)
        )
        parts.append(
            gpd.GeoDataFrame(
                {"layer": kind, "radius_m": radius},
                geometry=metric_geometry(frame, kind),
                crs=settings.metric_crs,
            )
        )
    if not parts:
        return gpd.GeoDataFrame({"layer": [], "radius_m": []}, geometry=[], crs=settings.metric_crs)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=settings.metric_crs)


def _split_coverage(coverage: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (disc centres, disc radii, polygons) of a coverage layer, in the metric CRS."""
    geoms = metric_geometry(coverage, "coverage")
    if "radius_m" in coverage.columns:
        radius = coverage["radius_m"].to_numpy(float)
    else:
        radius = np.full(len(geoms), np.nan)
    kinds = shapely.get_type_id(geoms)
    is_point = kinds == shapely.GeometryType.POINT
    bad = is_point & ~(radius > 0)
    if bad.any():
        msg = (
            f"coverage: {int(bad.sum())} point(s) without a positive radius_m; a coverage point "
            "needs a radius in metres (cell sites and towers get one from read_points)."
        )
        raise ValidationError(msg)
    is_poly = np.isin(kinds, [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON])
    return geoms[is_point], radius[is_point], geoms[is_poly]


def _radius_bins(radius: np.ndarray) -> list[np.ndarray]:
    """Indices of the discs in bins of radii within a factor 2, largest first."""
    if len(radius) == 0:
        return []
    band = np.floor(np.log2(np.maximum(radius, 1.0))).astype(int)
    return [np.flatnonzero(band == b) for b in sorted(set(band.tolist()), reverse=True)]


def _inside_one_disc(polys: np.ndarray, centres: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """True where a polygon lies wholly inside one coverage disc (a sufficient test).

    The polygon's minimum bounding circle (centre c, radius r) lies inside the
    drawn disc of site p with radius R when |c - p| + r <= R cos(pi / (4 QUAD_SEGS)).
    Within each band of similar radii only the nearest site is tried, so a
    polygon can be left undecided; those are measured exactly afterwards.
    """
    full = np.zeros(len(polys), dtype=bool)
    if len(centres) == 0 or len(polys) == 0:
        return full
    ok = ~shapely.is_empty(polys)
    circle = shapely.minimum_bounding_circle(polys[ok])
    rad = np.zeros(len(polys))
    rad[ok] = shapely.minimum_bounding_radius(polys[ok])
    ctr = np.empty(len(polys), dtype=object)
    ctr[ok] = shapely.centroid(circle)
    shrink = math.cos(math.pi / (4 * QUAD_SEGS))
    for members in _radius_bins(radius):
        todo = np.flatnonzero(ok & ~full)
        if len(todo) == 0:
            break
        tree = STRtree(centres[members])
        (qi, ti), dist = tree.query_nearest(ctr[todo], return_distance=True, all_matches=False)
        reach = radius[members][ti] * shrink
        full[todo[qi[dist + rad[todo[qi]] <= reach - 1e-6]]] = True
    return full


def _candidate_pairs(
    polys: np.ndarray, centres: np.ndarray, radius: np.ndarray, polygons: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (polygon index, coverage geometry) of coverage that reaches each polygon."""
    out_i: list[np.ndarray] = []
    out_g: list[np.ndarray] = []
    if len(centres):
        shapely.prepare(polys)
        for members in _radius_bins(radius):
            tree = STRtree(centres[members])
            pi, ti = tree.query(polys, predicate="dwithin", distance=float(radius[members].max()))
            near = shapely.distance(polys[pi], centres[members][ti]) <= radius[members][ti]
            pi, ti = pi[near], members[ti[near]]
            if len(ti) == 0:
                continue
            unique, inverse = np.unique(ti, return_inverse=True)
            discs = shapely.buffer(centres[unique], radius[unique], quad_segs=QUAD_SEGS)
            out_i.append(pi)
            out_g.append(discs[inverse])
    if len(polygons):
        tree = STRtree(polygons)
        pi, ti = tree.query(polys, predicate="intersects")
        out_i.append(pi)
        out_g.append(polygons[ti])
    if not out_i:
        return np.array([], dtype=np.int64), np.array([], dtype=object)
    return np.concatenate(out_i), np.concatenate(out_g)


def _grouped_union(
    group: np.ndarray, geoms: np.ndarray, n: int, *, cells_per_chunk: int = 2_000_000
) -> np.ndarray:
    """Union the geometries of each group (0..n-1) with row-wise ``union_all`` on padded arrays.

    Groups are sorted by size and cut into chunks, so padding stays small and
    the work is reported as progress. The loop runs over chunks, not over groups.
    """
    out = np.full(n, None, dtype=object)
    if len(group) == 0:
        return out
    order = np.argsort(group, kind="stable")
    group, geoms = group[order], geoms[order]
    ids, starts, sizes = np.unique(group, return_index=True, return_counts=True)
    by_size = np.argsort(sizes, kind="stable")
    chunks: list[np.ndarray] = []
    begin = 0
    while begin < len(by_size):
        width = int(sizes[by_size[min(begin + 1, len(by_size)) - 1]])
        end = begin + 1
        while end < len(by_size):
            width = int(sizes[by_size[end]])
            if (end - begin + 1) * width > cells_per_chunk:
                break
            end += 1
        chunks.append(by_size[begin:end])
        begin = end
    for chunk in progress(chunks, total=len(chunks), desc="coverage union"):
        width = int(sizes[chunk].max())
        table = np.full((len(chunk), width), None, dtype=object)
        counts = sizes[chunk]
        rows = np.repeat(np.arange(len(chunk)), counts)
        offsets = np.repeat(np.cumsum(counts) - counts, counts)
        cols = np.arange(int(counts.sum())) - offsets
        pos = np.repeat(starts[chunk], counts) + cols
        table[rows, cols] = geoms[pos]
        out[ids[chunk]] = shapely.union_all(table, axis=1)
    return out


def coverage_reaching(
    polys: np.ndarray, coverage: gpd.GeoDataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """For polygons in the metric CRS: which lie inside one disc, and the coverage reaching the rest.

    Returns ``(inside, unions)``: ``inside`` is True for a polygon wholly inside
    one coverage disc (found without any overlay, see :func:`_inside_one_disc`);
    ``unions`` holds, for every other polygon, the union of the coverage
    geometries that reach it, or None when none does. The single-machine and
    the dask kernels both build on it.
    """
    centres, radius, cover_polys = _split_coverage(coverage)
    inside = _inside_one_disc(polys, centres, radius)
    unions = np.full(len(polys), None, dtype=object)
    todo = np.flatnonzero(~inside & ~shapely.is_empty(polys))
    log.debug("%d polygons inside one disc; %d measured exactly", int(inside.sum()), len(todo))
    if len(todo) and (len(centres) or len(cover_polys)):
        pi, geoms = _candidate_pairs(polys[todo], centres, radius, cover_polys)
        unions[todo] = _grouped_union(pi, geoms, len(todo))
    return inside, unions


def covered_areas(
    polygons: gpd.GeoDataFrame, coverage: gpd.GeoDataFrame, *, geometry: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Return (polygon areas, covered areas, covered geometries or None), in m²."""
    polys = metric_geometry(polygons, "polygons")
    area = shapely.area(polys)
    inside, unions = coverage_reaching(polys, coverage)
    covered = np.where(inside, area, 0.0)
    pieces: np.ndarray | None = None
    if geometry:
        pieces = np.full(len(polys), None, dtype=object)
        pieces[inside] = polys[inside]
    has = np.flatnonzero(unions != None)  # noqa: E711 (elementwise on an object array)
    if len(has):
        inter = shapely.intersection(polys[has], unions[has])
        covered[has] = shapely.area(inter)
        if pieces is not None:
            pieces[has] = inter
    return area, np.minimum(covered, area), pieces


def covered_share(
    polygons: gpd.GeoDataFrame, coverage: gpd.GeoDataFrame | Any, *, key: str = "code"
) -> pd.Series:
    """Share of each polygon's area covered by the union of the coverage geometries.

    Parameters
    ----------
    polygons
        Polygons with a ``key`` column (any CRS; measured in the metric CRS).
    coverage
        Coverage polygons, and/or points with a ``radius_m`` column in metres
        (cell sites, towers: each covers a disc). See :func:`coverage_layer`.
    key
        Column naming each polygon; the index of the result.

    Returns
    -------
    Series
        Shares in [0, 1], indexed by ``polygons[key]``, named ``covered_share``;
        NaN for an empty polygon.

    Notes
    -----
    A polygon inside a single disc is found without any overlay (its minimum
    bounding circle against the nearest sites); the others are intersected
    with the row-wise union of the coverage that reaches them.
    """
    require_key(polygons, key)
    area, covered, _ = covered_areas(polygons, coverage, geometry=False)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(area > 0, covered / area, np.nan)
    index = pd.Index(polygons[key].to_numpy(), name=key)
    return pd.Series(share, index=index, name="covered_share")


def points_covered(points: np.ndarray, coverage: gpd.GeoDataFrame) -> np.ndarray:
    """True for each point (metric) within a disc's radius or inside a coverage polygon."""
    out = np.zeros(len(points), dtype=bool)
    if len(points) == 0 or len(coverage) == 0:
        return out
    centres, radius, cover_polys = _split_coverage(coverage)
    for members in _radius_bins(radius):
        tree = STRtree(centres[members])
        pi, ti = tree.query(points, predicate="dwithin", distance=float(radius[members].max()))
        near = shapely.distance(points[pi], centres[members][ti]) <= radius[members][ti]
        out[pi[near]] = True
    if len(cover_polys):
        pi, _ti = STRtree(cover_polys).query(points, predicate="intersects")
        out[pi] = True
    return out
