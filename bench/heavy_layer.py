"""A detailed national commune layer built from the shipped one, for benchmarks and slow tests.

Real national layers (the ministries', the 2025 reorganisation's) hold millions
of vertices and some invalid polygons; shipping one would add hundreds of MB.
:func:`build_heavy_layer` makes one, deterministically, from the shipped 2009
layer (275 k vertices):

* every edge is cut into pieces no longer than a step (``shapely.segmentize``)
  until the layer holds ``target_vertices`` vertices, and each vertex is moved by
  up to ``jitter_m`` metres by a smooth function of its own position, so a vertex
  shared by two communes moves the same way in both (shared edges stay shared)
  and the new vertices are not collinear (simplification has work to do);
* ``invalid`` communes are broken, in turn, by a bow-tie knot on one edge, a
  zero-width spike, a run of repeated points and a zero-area sliver part;
* ``gaps`` communes are shrunk and ``overlaps`` communes grown by ``shift_m``.

Usage (writes a GeoPackage in the schema of the shipped layer)::

    python bench/heavy_layer.py OUT.gpkg [--vertices 5000000] [--provinces 200-299]

Tests import it by path (see ``tests/test_heavy.py``).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely

from bkmap import datasets, settings

#: The kinds of damage, applied in turn to the chosen communes.
DEFECTS: tuple[str, ...] = ("bow_tie", "spike", "repeated_points", "sliver")

_DEG_M = 111_320.0


def _jitter(coords: np.ndarray, amplitude_deg: float) -> np.ndarray:
    """Move each point by a smooth function of where it is (same point, same move)."""
    x, y = coords[:, 0], coords[:, 1]
    dx = np.sin(x * 9_871.0 + y * 6_427.0) * np.cos(y * 3_119.0 - x * 1_733.0)
    dy = np.sin(y * 8_363.0 - x * 5_011.0) * np.cos(x * 2_707.0 + y * 4_481.0)
    return coords + amplitude_deg * np.c_[dx, dy]


def _shell(geom: shapely.Geometry) -> tuple[np.ndarray, list[shapely.Geometry]]:
    """The first part's shell as an array, and the other parts as they are."""
    parts = list(shapely.get_parts(geom))
    biggest = int(np.argmax([p.area for p in parts]))
    main = parts.pop(biggest)
    return np.asarray(main.exterior.coords), [main, *parts]


def _rebuild(ring: np.ndarray, parts: list[shapely.Geometry]) -> shapely.Geometry:
    main = parts[0]
    holes = [np.asarray(r.coords) for r in main.interiors]
    polys = [shapely.Polygon(ring, holes), *parts[1:]]
    return shapely.MultiPolygon(polys)


def _damage(geom: shapely.Geometry, kind: str, rng: np.random.Generator) -> shapely.Geometry:
    ring, parts = _shell(geom)
    n = len(ring) - 1
    i = int(rng.integers(1, max(n - 2, 2)))
    p, q = ring[i], ring[i + 1]
    along = q - p
    length = float(np.hypot(*along)) or 1e-9
    normal = np.array([-along[1], along[0]]) / length
    e = min(length * 0.2, 2e-4)
    if kind == "bow_tie":
        # p → (0.6, +e) → (0.6, -e) → (0.4, +e) → (0.4, -e) → q: the last piece crosses
        # the first upright, a self-intersection a few metres wide.
        knot = [
            p + 0.6 * along + e * normal,
            p + 0.6 * along - e * normal,
            p + 0.4 * along + e * normal,
            p + 0.4 * along - e * normal,
        ]
        ring = np.vstack([ring[: i + 1], knot, ring[i + 1 :]])
    elif kind == "spike":
        # Out and back on the same line: a zero-width spike (a ring self-intersection).
        tip = p + 0.5 * along + 20 * e * normal
        ring = np.vstack([ring[: i + 1], [tip], ring[i : i + 1], ring[i + 1 :]])
    elif kind == "repeated_points":
        ring = np.vstack([ring[: i + 1], np.repeat(ring[i : i + 1], 5, axis=0), ring[i + 1 :]])
    else:  # sliver: a zero-area part along one edge
        sliver = shapely.Polygon([p, p + 0.5 * along, q, p])
        return _rebuild(ring, [*parts, sliver])
    return _rebuild(ring, parts)


def build_heavy_layer(
    *,
    provinces: Sequence[int] | None = None,
    target_vertices: int = 5_000_000,
    invalid: int = 100,
    gaps: int = 10,
    overlaps: int = 10,
    jitter_m: float = 3.0,
    shift_m: float = 40.0,
    seed: int = 14,
) -> gpd.GeoDataFrame:
    """Build a detailed commune layer from the shipped 2009 national layer.

    Parameters
    ----------
    provinces
        Keep only these ``province_id`` values (a smaller layer for tests).
    target_vertices
        About how many vertices the result holds (at least the source's).
    invalid
        How many communes to break (cycling through :data:`DEFECTS`).
    gaps, overlaps
        How many communes to shrink (opening gaps) and grow (overlapping neighbours).
    jitter_m
        Largest move of a vertex, in metres.
    shift_m
        How far the shrunk and grown communes move their borders, in metres.
    seed
        Seed of the choice of communes and of where each is damaged.

    Returns
    -------
    GeoDataFrame
        The shipped layer's columns, EPSG:4326, one MultiPolygon per commune.
    """
    rng = np.random.default_rng(seed)
    frame = datasets.read_layer("national_2009")
    if provinces is not None:
        frame = frame[frame["province_id"].isin(list(provinces))].reset_index(drop=True)
    geoms = frame.geometry.to_numpy()
    have = int(shapely.get_num_coordinates(geoms).sum())
    if target_vertices > have:
        step = float(shapely.length(geoms).sum()) / target_vertices
        geoms = shapely.segmentize(geoms, step)
    # Rounded to 1e-9° (0.1 mm) before moving, so the two copies of a shared edge,
    # cut from opposite ends, land on identical points.
    geoms = shapely.set_precision(geoms, 1e-9, mode="pointwise")
    geoms = shapely.transform(geoms, lambda c: _jitter(c, jitter_m / _DEG_M))
    geoms = np.asarray(shapely.make_valid(geoms, method="structure"), dtype=object)
    geoms = np.array(
        [g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) for g in geoms]
    )
    order = rng.permutation(len(geoms))
    chosen_invalid = order[:invalid]
    chosen_gaps = order[invalid : invalid + gaps]
    chosen_overlaps = order[invalid + gaps : invalid + gaps + overlaps]
    metric = gpd.GeoSeries(geoms, crs=settings.geographic_crs).to_crs(settings.metric_crs)
    for rows, sign in ((chosen_gaps, -1.0), (chosen_overlaps, 1.0)):
        if len(rows):
            moved = shapely.buffer(metric.to_numpy()[rows], sign * shift_m, quad_segs=2)
            back = gpd.GeoSeries(moved, crs=settings.metric_crs).to_crs(settings.geographic_crs)
            geoms[rows] = [
                g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g])
                for g in back.to_numpy()
            ]
    for k, row in enumerate(chosen_invalid):
        geoms[row] = _damage(geoms[row], DEFECTS[k % len(DEFECTS)], rng)
    out = frame.copy()
    out[out.geometry.name] = geoms
    return out


def _provinces(text: str | None) -> list[int] | None:
    if not text:
        return None
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def main(argv: Sequence[str] | None = None) -> None:
    """Write the heavy layer to a GeoPackage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--vertices", type=int, default=5_000_000)
    parser.add_argument("--invalid", type=int, default=100)
    parser.add_argument("--provinces", default=None, help="a province_id range, e.g. 200-299")
    args = parser.parse_args(argv)
    layer = build_heavy_layer(
        provinces=_provinces(args.provinces), target_vertices=args.vertices, invalid=args.invalid
    )
    layer.to_file(args.out, driver="GPKG", layer="communes")
    vertices = int(shapely.get_num_coordinates(layer.geometry.to_numpy()).sum())
    bad = int((~layer.is_valid).sum())
    print(f"wrote {args.out}: {len(layer)} communes, {vertices:,} vertices, {bad} invalid")


if __name__ == "__main__":
    main()
