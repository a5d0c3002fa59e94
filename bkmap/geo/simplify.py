"""Display geometry: topology-preserving simplification for maps, chosen from the zoom.

Shapes are simplified only for drawing; analysis always uses the unsimplified
shapes. :func:`display_geometry` uses shapely 2's ``coverage_simplify``, which
simplifies each edge shared by two communes once, so neighbours keep a common
edge and no gap or overlap opens between them.

How much to simplify follows from the zoom the map is meant to be read at:

* the ground size of one screen pixel (a 256-pixel Web-Mercator tile) at zoom
  ``z`` and latitude ``φ`` is ``res(z, φ) = 2π · 6 378 137 m · cos φ / (256 · 2^z)``
  (:func:`pixel_size_m`): about 35 m at zoom 12 and 566 m at zoom 8 at 22° N;
* the *target zoom* is the zoom that fits the whole area in a 1024 × 768 window
  plus :data:`ZOOM_HEADROOM` levels, so a reader can zoom in three times before
  simplification shows (:func:`target_zoom`): zoom 13 for Bắc Kạn, 12 for the
  larger Thái Nguyên of 2025, 9 for the whole country;
* the tolerance is :data:`PIXEL_FRACTION` (half) of a pixel at the target zoom
  and the centre latitude (:func:`tolerance_for_zoom`): 8.8 m for Bắc Kạn,
  17.7 m for Thái Nguyên 2025, 147 m for Vietnam;
* coordinates keep the decimals needed to place a vertex within a tenth of a
  pixel at the target zoom (:func:`decimals_for_zoom`): 5 decimals (about 1 m)
  for a province, 4 (about 11 m) for the country.

Shapes whose mean edge is already :data:`COARSE_FACTOR` times the tolerance or
longer are not simplified at all (the 2009 national layer: its 1 km edges
leave nothing to remove at 147 m).

Rounding is pointwise, so a vertex shared by two communes rounds to the same
point in both and shared edges stay shared.

Source layers are not perfect coverages: neighbours' edges often miss each
other by metres, sometimes by 100 m (Bắc Kạn 2019 has 12.7 km² of overlaps).
The map draws them as they are: edges that no neighbour matches exactly are
left unsimplified unless the whole layer is a valid coverage, so no gap or
overlap can open along them; rounding can still part two neighbours that
overlapped by less than the coordinate grid, leaving slivers narrower than the
grid (1.1 m for a province, 11 m nationally), never wider. ``clean=True``
coverage-cleans the shapes first (``shapely.coverage_clean``: nearby vertices
snapped, each overlap given to one side), which removes those slivers but
moves borders by up to the width of the source's overlaps; the ``--clean``
option of the commands cleans the layer itself, for analysis and map alike.

Invalid polygons (bow-ties, spikes, slivers of detailed national layers) are
repaired with ``make_valid`` before anything else, so the whole layer goes
through ``coverage_simplify``, which raises on them. Should GEOS still refuse
the layer, each shape is simplified alone; that path can open gaps, so a note
at the default verbosity gives how many gaps it opened and their area. Rings
that rounding collapses below three distinct vertices (holes and islands
narrower than the grid) are left out with a note; a shape that would vanish
whole is drawn as one grid cell. The result is cached (:mod:`bkmap.geo.cache`).

:func:`coverage_defects` measures what a coverage's gaps and overlaps are, so
tests (and anyone who changes the tolerance) can check that simplification
introduced none. The shipped layers are not perfect coverages themselves (the
2009 national layer was simplified upstream without topology), so the check
compares after with before.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

from bkmap import settings
from bkmap.geo import cache
from bkmap.i18n import msg as _msg
from bkmap.notes import Note

log = logging.getLogger(__name__)

__all__ = [
    "COARSE_FACTOR",
    "DEFAULT_DECIMALS",
    "DEFAULT_TOLERANCE_M",
    "PIXEL_FRACTION",
    "ZOOM_HEADROOM",
    "CoverageDefects",
    "collapsed_rings",
    "coverage_defects",
    "decimals_for_zoom",
    "display_geometry",
    "introduced_gaps",
    "introduced_overlaps",
    "pixel_size_m",
    "target_zoom",
    "tolerance_for_zoom",
]

#: Equatorial circumference of the Web-Mercator sphere, in metres.
_CIRCUMFERENCE_M: float = 2 * math.pi * 6_378_137.0

#: Tile size of Leaflet and every slippy map, in pixels.
_TILE_PX: int = 256

#: Decimal places kept in displayed coordinates when no zoom is given (1e-5° is about 1 m).
DEFAULT_DECIMALS: int = 5

#: Tolerance in metres when no zoom is given: half a pixel at zoom 12 at 22° N.
DEFAULT_TOLERANCE_M: float = 17.7

#: Fraction of a screen pixel, at the target zoom, used as the simplification tolerance.
PIXEL_FRACTION: float = 0.5

#: Zoom levels above the zoom that fits the whole area at which shapes must still look exact.
ZOOM_HEADROOM: int = 3

#: Window used to find the zoom that fits an area (a small laptop screen).
_VIEWPORT_PX: tuple[int, int] = (1024, 768)


def pixel_size_m(zoom: float, latitude: float) -> float:
    """Return the ground size of one screen pixel, in metres, at a zoom and latitude.

    Examples
    --------
    >>> round(pixel_size_m(12, 22.0), 1)
    35.4
    """
    return _CIRCUMFERENCE_M * math.cos(math.radians(latitude)) / (_TILE_PX * 2.0**zoom)


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def target_zoom(bounds: tuple[float, float, float, float], *, headroom: int | None = None) -> int:
    """Return the zoom at which an area's shapes must look exact.

    Parameters
    ----------
    bounds
        ``(minx, miny, maxx, maxy)`` in degrees (EPSG:4326).
    headroom
        Levels above the zoom that fits the area (default :data:`ZOOM_HEADROOM`).

    Examples
    --------
    >>> target_zoom((105.43, 21.8, 106.25, 22.74))  # Bắc Kạn
    13
    >>> target_zoom((102.14, 8.41, 109.47, 23.39))  # Vietnam
    9
    """
    minx, miny, maxx, maxy = bounds
    width_px, height_px = _VIEWPORT_PX
    span_x = max(maxx - minx, 1e-6) / 360.0
    span_y = max(_mercator_y(maxy) - _mercator_y(miny), 1e-6) / (2 * math.pi)
    fit = math.floor(
        min(math.log2(width_px / (_TILE_PX * span_x)), math.log2(height_px / (_TILE_PX * span_y)))
    )
    extra = ZOOM_HEADROOM if headroom is None else headroom
    return int(max(0, min(18, fit + extra)))


def tolerance_for_zoom(zoom: float, latitude: float, *, fraction: float | None = None) -> float:
    """Return the simplification tolerance (metres) that stays invisible at ``zoom``.

    ``fraction`` (default :data:`PIXEL_FRACTION`) of :func:`pixel_size_m`.

    Examples
    --------
    >>> round(tolerance_for_zoom(12, 22.0), 1)
    17.7
    """
    share = PIXEL_FRACTION if fraction is None else fraction
    return share * pixel_size_m(zoom, latitude)


def decimals_for_zoom(zoom: float) -> int:
    """Return the decimal places that place a vertex within a tenth of a pixel at ``zoom``.

    Examples
    --------
    >>> decimals_for_zoom(12), decimals_for_zoom(8)
    (5, 4)
    """
    degrees_per_px = 360.0 / (_TILE_PX * 2.0**zoom)
    return max(0, math.ceil(-math.log10(degrees_per_px / 10.0)))


def display_geometry(
    frame: gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    simplify: bool = True,
    tolerance_m: float | None = None,
    decimals: int | None = None,
    zoom: int | None = None,
    clean: bool = False,
    notes: list[Note] | None = None,
    source: str = "map",
) -> gpd.GeoSeries:
    """Return the shapes to draw, simplified with shared edges kept.

    Parameters
    ----------
    frame
        Polygons in any CRS.
    simplify
        ``False`` returns the shapes unsimplified (only rounded).
    tolerance_m
        Simplification tolerance in metres. Default: from ``zoom`` with
        :func:`tolerance_for_zoom`, or :data:`DEFAULT_TOLERANCE_M` with no zoom.
    decimals
        Decimal places of the EPSG:4326 coordinates. Default: from ``zoom`` with
        :func:`decimals_for_zoom`, or :data:`DEFAULT_DECIMALS` with no zoom.
    zoom
        The zoom at which the shapes must look exact (see :func:`target_zoom`).
    clean
        Coverage-clean the shapes before simplifying (see the module docstring).
    notes
        A list that receives a :class:`~bkmap.notes.Note` for every repair or
        degradation of the drawing (invalid shapes repaired, a fallback that can
        open gaps and what it opened, rings dropped by rounding).
    source
        What the notes name as their source (the layer's file).

    Returns
    -------
    GeoSeries
        In EPSG:4326, one shape per input row, none empty.
    """
    said: list[Note] = [] if notes is None else notes
    geometry = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    if geometry.empty:
        return geometry.to_crs(settings.geographic_crs)
    entry = cache.key(
        geometry.to_numpy(),
        {
            "crs": str(geometry.crs),
            "simplify": simplify,
            "tolerance_m": tolerance_m,
            "decimals": decimals,
            "zoom": zoom,
            "clean": clean,
            # The cached notes are words: an entry serves the language it was written in.
            "console_lang": settings.console_lang,
        },
    )
    hit = cache.lookup(entry)
    if hit is not None:
        shapes, cached = hit
        said.extend(Note(n.severity, source, n.where, n.problem, n.fix) for n in cached)
        said.append(
            Note(
                "info",
                source,
                _msg("simp_where_map"),
                _msg("simp_cache_reused", folder=cache.cache_dir()),
                _msg("simp_cache_reused_fix"),
            )
        )
        return gpd.GeoSeries(shapes, index=geometry.index, crs=settings.geographic_crs)
    first = len(said)
    shown = _display(geometry, simplify, tolerance_m, decimals, zoom, clean, said, source)
    cache.store(entry, shown.to_numpy(), said[first:])
    return shown


def _display(
    geometry: gpd.GeoSeries,
    simplify: bool,
    tolerance_m: float | None,
    decimals: int | None,
    zoom: int | None,
    clean: bool,
    said: list[Note],
    source: str,
) -> gpd.GeoSeries:
    geometry = _repaired(geometry, said, source)
    geo = geometry.to_crs(settings.geographic_crs)
    if decimals is None:
        decimals = DEFAULT_DECIMALS if zoom is None else decimals_for_zoom(zoom)
    grid = 10.0**-decimals
    if simplify:
        if tolerance_m is None:
            if zoom is None:
                tolerance_m = DEFAULT_TOLERANCE_M
            else:
                _minx, miny, _maxx, maxy = geo.total_bounds
                tolerance_m = tolerance_for_zoom(zoom, (miny + maxy) / 2)
        geo = _simplified(
            geometry, tolerance_m, fallback=geo, clean=clean, notes=said, source=source
        )
    values = geo.to_numpy()
    rounded = shapely.set_precision(values, grid, mode="pointwise")
    rounded, dropped = _without_collapsed_rings(rounded, decimals)
    # A commune narrower than the grid can round to nothing: it is drawn as one grid cell
    # (a triangle) at a point inside it, rather than lost from the map or written as a
    # ring the page cannot close.
    collapsed = shapely.is_empty(rounded) | (shapely.area(rounded) <= 0)
    if collapsed.any():
        rounded[collapsed] = [_grid_cell(v, grid) for v in values[collapsed]]
    if dropped or collapsed.any():
        said.append(
            Note(
                "info",
                source,
                _msg("simp_where_map"),
                _msg("simp_rings_dropped", count=dropped, grid=f"{grid:g}")
                + (_msg("simp_collapsed", count=int(collapsed.sum())) if collapsed.any() else ""),
                _msg("simp_rings_dropped_fix"),
            )
        )
    return gpd.GeoSeries(rounded, index=geometry.index, crs=settings.geographic_crs)


def _grid_cell(shape: shapely.Geometry, grid: float) -> shapely.Geometry:
    """A triangle of one grid cell at a point of ``shape``, on the grid."""
    x, y = shapely.get_coordinates(shapely.point_on_surface(shape))[0]
    x, y = round(x / grid) * grid, round(y / grid) * grid
    return shapely.MultiPolygon([shapely.Polygon([(x, y), (x + grid, y), (x, y + grid)])])


def _repaired(geometry: gpd.GeoSeries, notes: list[Note], source: str) -> gpd.GeoSeries:
    """Repair invalid shapes (``make_valid``, polygonal parts) before any simplification.

    ``coverage_simplify`` raises on an invalid polygon; repairing first keeps the
    whole layer on the topology-preserving path instead of a per-shape fallback
    that tears shared edges.
    """
    values = geometry.to_numpy()
    invalid = ~shapely.is_valid(values) & ~shapely.is_missing(values)
    if not invalid.any():
        return geometry
    fixed = values.copy()
    repaired = shapely.make_valid(values[invalid], method="structure", keep_collapsed=False)
    fixed[invalid] = [_polygonal_part(g) for g in repaired]
    notes.append(
        Note(
            "warning",
            source,
            _msg("simp_where_map"),
            _msg("simp_repaired", count=int(invalid.sum())),
            _msg("simp_repaired_fix"),
        )
    )
    return gpd.GeoSeries(fixed, index=geometry.index, crs=geometry.crs)


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def collapsed_rings(geometry: np.ndarray, decimals: int) -> np.ndarray:
    """Return, per ring of ``geometry``'s parts, whether it keeps fewer than 3 distinct vertices.

    A ring is measured as the page's encoder stores it: coordinates quantised to
    ``10**-decimals``, closing vertex and repeated vertices dropped. Rings come in
    the order of ``shapely.get_rings(shapely.get_parts(geometry))``.

    Examples
    --------
    >>> tiny = shapely.box(0, 0, 1e-6, 1e-6)
    >>> collapsed_rings(np.array([shapely.box(0, 0, 1, 1), tiny]), 4).tolist()
    [False, True]
    """
    polys = shapely.get_parts(np.asarray(geometry, dtype=object))
    rings = shapely.get_rings(polys)
    coords, owner = shapely.get_coordinates(rings, return_index=True)
    if not len(coords):
        return np.zeros(len(rings), dtype=bool)
    q = np.rint(coords * 10**decimals).astype(np.int64)
    # Distinct points per ring, not only consecutive ones: A, B, A is a ring of two points.
    distinct = np.unique(np.c_[owner, q], axis=0)
    kept = np.bincount(distinct[:, 0], minlength=len(rings))
    return np.asarray(kept < 3)


def _without_collapsed_rings(rounded: np.ndarray, decimals: int) -> tuple[np.ndarray, int]:
    """Drop the rings that rounding collapsed (holes, and parts whose shell collapsed).

    Returns the shapes and the number of rings dropped. A shape all of whose
    parts collapse comes back empty (the caller draws it as one grid cell).
    """
    bad = collapsed_rings(rounded, decimals)
    if not bad.any():
        return rounded, 0
    polys, poly_owner = shapely.get_parts(rounded, return_index=True)
    rings, ring_owner = shapely.get_rings(polys, return_index=True)
    out = rounded.copy()
    for shape in np.unique(poly_owner[ring_owner[bad]]):
        kept = []
        for p in np.flatnonzero(poly_owner == shape):
            own = np.flatnonzero(ring_owner == p)
            if bad[own[0]]:
                continue
            holes = [rings[r] for r in own[1:] if not bad[r]]
            kept.append(shapely.Polygon(rings[own[0]], holes))
        out[shape] = shapely.MultiPolygon(kept) if kept else shapely.Polygon()
    return out, int(bad.sum())


#: Skip simplification when the shapes' mean edge is this many times the tolerance or
#: longer: it would remove next to nothing (the 2009 national layer, simplified upstream,
#: has 1 km edges; at 150 m coverage_simplify drops 0.05 % of its vertices in 1-4 s).
COARSE_FACTOR: float = 4.0


#: Above this many vertices the layer is not checked for coverage validity (see
#: :func:`_simplified`); its outline is kept unsimplified.
VALIDITY_CHECK_MAX_VERTICES: int = 1_000_000


def _simplified(
    geometry: gpd.GeoSeries,
    tolerance_m: float,
    *,
    fallback: gpd.GeoSeries,
    clean: bool = False,
    notes: list[Note] | None = None,
    source: str = "map",
) -> gpd.GeoSeries:
    """Coverage-simplify ``geometry`` in the metric CRS; return it in EPSG:4326.

    Edges shared by two shapes are simplified once, for both. Edges a neighbour
    does not match exactly (the area's outline, and the small gaps and overlaps
    of an imperfect source) are simplified only when the whole layer is a valid
    coverage; otherwise they are kept as they are, so no gap or overlap can
    open along them. ``geometry`` must be valid (see :func:`_repaired`).
    """
    said: list[Note] = [] if notes is None else notes
    sample = geometry if len(geometry) <= 1000 else geometry.sample(1000, random_state=0)
    probe = sample.to_crs(settings.metric_crs).to_numpy()
    mean_edge = float(shapely.length(probe).sum()) / max(
        int(shapely.get_num_coordinates(probe).sum()), 1
    )
    if mean_edge >= COARSE_FACTOR * tolerance_m and not clean:
        log.debug("shapes already coarse (mean edge %.0f m): not simplified", mean_edge)
        return fallback
    metric = geometry.to_crs(settings.metric_crs).to_numpy()
    vertices = int(shapely.get_num_coordinates(metric).sum())
    if clean:
        # Make neighbours share their edges exactly (GEOS coverage cleaning: nearby
        # vertices snapped, overlaps given to one side, gaps left as they are), so
        # that neither simplification nor rounding can part them. Display only.
        # A cleaned coverage is valid by construction: no coverage_is_valid pass.
        metric = np.array(
            [_polygonal_part(g) for g in shapely.coverage_clean(metric)], dtype=object
        )
        valid = True
    elif vertices <= VALIDITY_CHECK_MAX_VERTICES:
        valid = bool(shapely.coverage_is_valid(metric))
    else:
        # Seconds on a detailed layer, and such layers are seldom valid coverages: taken
        # as invalid, the outline is kept as it is (a larger page, never a gap).
        log.debug("%d vertices: outline kept unsimplified without a validity check", vertices)
        valid = False
    try:
        simplified = shapely.coverage_simplify(metric, tolerance_m, simplify_boundary=valid)
    except shapely.errors.GEOSException as exc:
        # Reached only if GEOS refuses even the repaired shapes: simplify each shape
        # alone, and say how many gaps that opened, since shared edges may part.
        simplified = shapely.simplify(metric, tolerance_m, preserve_topology=True)
        before = coverage_defects(gpd.GeoSeries(metric, crs=settings.metric_crs))
        after = coverage_defects(gpd.GeoSeries(simplified, crs=settings.metric_crs))
        opened = introduced_gaps(before, after)
        area = max(0.0, after.gap_area_m2 - before.gap_area_m2)
        said.append(
            Note(
                "warning",
                source,
                _msg("simp_where_map"),
                _msg("simp_not_coverage", detail=exc, gaps=opened, area=f"{area / 1e6:.3f}"),
                _msg("simp_not_coverage_fix"),
            )
        )
    log.debug(
        "coverage_simplify at %.1f m (boundary %s): %d -> %d vertices",
        tolerance_m,
        "simplified" if valid else "kept",
        vertices,
        int(shapely.get_num_coordinates(simplified).sum()),
    )
    return gpd.GeoSeries(simplified, index=geometry.index, crs=settings.metric_crs).to_crs(
        settings.geographic_crs
    )


@dataclass(frozen=True)
class CoverageDefects:
    """Gaps and overlaps of a polygon coverage, measured in a metric CRS.

    Attributes
    ----------
    gaps
        Holes in the union of all shapes smaller than the sliver limit: slivers between
        neighbours (lakes and enclaves larger than the limit are not counted).
    gap_area_m2
        Their total area.
    overlap_area_m2
        Sum of the shapes' areas minus the area of their union.
    invalid_edges
        Shapes with at least one edge that is not matched exactly by its neighbour
        (``shapely.coverage_invalid_edges``).
    vertices
        Total vertex count.
    """

    gaps: int
    gap_area_m2: float
    overlap_area_m2: float
    invalid_edges: int
    vertices: int
    holes: np.ndarray = field(
        default_factory=lambda: np.zeros(0, dtype=object), repr=False, compare=False
    )
    shapes: np.ndarray = field(
        default_factory=lambda: np.zeros(0, dtype=object), repr=False, compare=False
    )


def _holes(union: shapely.Geometry) -> np.ndarray:
    parts = shapely.get_parts(union)
    rings = [
        shapely.Polygon(shapely.get_interior_ring(p, i))
        for p in parts
        for i in range(shapely.get_num_interior_rings(p))
    ]
    return np.asarray(rings, dtype=object)


def coverage_defects(
    geometry: gpd.GeoSeries | gpd.GeoDataFrame, *, sliver_m2: float = 1e6
) -> CoverageDefects:
    """Measure the gaps and overlaps of a coverage (communes of an area).

    Parameters
    ----------
    geometry
        Polygons in any CRS (measured in :data:`bkmap.settings.metric_crs`).
    sliver_m2
        Holes of the union smaller than this (default 1 km²) count as gaps.
    """
    geoms = geometry.geometry if isinstance(geometry, gpd.GeoDataFrame) else geometry
    metric = geoms.to_crs(settings.metric_crs).to_numpy()
    # Shapes rounded to a page's grid can self-touch; the union needs valid input.
    invalid = ~shapely.is_valid(metric)
    if invalid.any():
        metric = metric.copy()
        metric[invalid] = shapely.make_valid(metric[invalid], method="structure")
    union = shapely.union_all(metric)
    holes = _holes(union)
    areas = shapely.area(holes) if len(holes) else np.zeros(0)
    small = areas < sliver_m2
    invalid = shapely.coverage_invalid_edges(metric)
    return CoverageDefects(
        gaps=int(small.sum()),
        gap_area_m2=float(areas[small].sum()),
        overlap_area_m2=float(shapely.area(metric).sum() - shapely.area(union)),
        invalid_edges=int((~shapely.is_empty(invalid) & ~shapely.is_missing(invalid)).sum()),
        vertices=int(shapely.get_num_coordinates(metric).sum()),
        holes=holes,
        shapes=metric,
    )


def introduced_gaps(
    before: gpd.GeoSeries | CoverageDefects,
    after: gpd.GeoSeries | CoverageDefects,
    *,
    min_area_m2: float = 1.0,
    min_width_m: float = 0.0,
) -> int:
    """Count the gaps that changing the shapes opened (by simplification, by rounding).

    A gap of ``after`` (a hole of the union of its shapes, larger than
    ``min_area_m2``) is *introduced* when it meets no gap of ``before`` and most
    of its area was covered by ``before``'s shapes. A hole made of ground that
    was already uncovered (a narrow inlet between two communes of the source
    whose mouth rounding closed) is not a new gap. Either argument may be the
    :func:`coverage_defects` of the shapes, to reuse its union.

    ``min_width_m`` leaves out gaps narrower on average (2 × area / perimeter)
    than that: rounding coordinates to a grid can part two neighbours whose
    source edges already overlapped or mismatched by less than the grid, and
    such slivers are thinner than the grid.
    """
    if not isinstance(before, CoverageDefects):
        before = coverage_defects(before)
    new = after.holes if isinstance(after, CoverageDefects) else _holes_of(after)
    if len(new):
        area = shapely.area(new)
        width = 2 * area / np.maximum(shapely.length(new), 1e-9)
        new = new[(area > min_area_m2) & (width >= min_width_m)]
    if not len(new):
        return 0
    old = before.holes
    if len(old):
        hit = shapely.STRtree(old).query(new, predicate="intersects")
        fresh = np.ones(len(new), dtype=bool)
        fresh[np.unique(hit[0])] = False
        new = new[fresh]
    if not len(new):
        return 0
    tree = shapely.STRtree(before.shapes)
    hi, si = tree.query(new, predicate="intersects")
    pieces = shapely.intersection(new[hi], before.shapes[si])
    covered = np.zeros(len(new))
    np.add.at(covered, hi, shapely.area(pieces))
    return int((covered > 0.5 * shapely.area(new)).sum())


def _holes_of(geometry: gpd.GeoSeries) -> np.ndarray:
    return _holes(shapely.union_all(geometry.to_crs(settings.metric_crs).to_numpy()))


def introduced_overlaps(
    before: gpd.GeoSeries | CoverageDefects,
    after: gpd.GeoSeries | CoverageDefects,
    *,
    min_area_m2: float = 1.0,
    min_width_m: float = 0.0,
) -> int:
    """Count the overlaps between neighbours that changing the shapes opened.

    A piece of ground covered twice in ``after`` and not in ``before`` counts
    when it is larger than ``min_area_m2`` and at least ``min_width_m`` wide on
    average (2 × area / perimeter); as for :func:`introduced_gaps`, rounding to a
    grid leaves slivers thinner than the grid where the source's edges already
    mismatched.
    """
    old = before.shapes if isinstance(before, CoverageDefects) else _metric(before)
    new = after.shapes if isinstance(after, CoverageDefects) else _metric(after)
    # Pair by pair (the shapes are row for row the same communes): what two neighbours
    # share after, less what they shared before. No union of the whole layer.
    left, right = shapely.STRtree(new).query(new, predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    shared = shapely.intersection(new[left], new[right])
    keep = shapely.area(shared) > min_area_m2
    left, right, shared = left[keep], right[keep], shared[keep]
    grown = shapely.difference(shared, shapely.intersection(old[left], old[right]))
    parts = shapely.get_parts(grown)
    parts = parts[shapely.get_type_id(parts) == 3] if len(parts) else parts
    if not len(parts):
        return 0
    area = shapely.area(parts)
    width = 2 * area / np.maximum(shapely.length(parts), 1e-9)
    return int(((area > min_area_m2) & (width >= min_width_m)).sum())


def _metric(geometry: gpd.GeoSeries) -> np.ndarray:
    return np.asarray(geometry.to_crs(settings.metric_crs).to_numpy())
