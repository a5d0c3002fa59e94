"""Display simplification: the zoom formula, and no gap or overlap introduced on the real layers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from bkmap import datasets, settings
from bkmap.geo.simplify import (
    collapsed_rings,
    coverage_defects,
    decimals_for_zoom,
    display_geometry,
    introduced_gaps,
    pixel_size_m,
    target_zoom,
    tolerance_for_zoom,
)


def _layer(name: str) -> gpd.GeoDataFrame:
    if name == "bac_kan_2019":
        return gpd.read_file(datasets.path("communes_2019"), layer="communes")
    if name == "thai_nguyen_2025":
        return gpd.read_file(datasets.path("communes_2025"), layer="communes")
    national = gpd.read_file(datasets.path("national_2009"))
    # The 13 provinces of the north-east (ids 2xx, Bắc Kạn's region): 2,300 real communes,
    # enough to meet every kind of edge of the 2009 layer while the test stays fast.
    return national[national["province_id"].between(200, 299)].reset_index(drop=True)


def test_pixel_size_and_tolerance_follow_the_web_mercator_formula():
    # 2π·6378137·cos φ / (256·2^z): 156,543 m at zoom 0 on the equator.
    assert pixel_size_m(0, 0.0) == pytest.approx(156_543.03, rel=1e-6)
    assert pixel_size_m(12, 22.0) == pytest.approx(156_543.03 * np.cos(np.radians(22)) / 4096)
    assert tolerance_for_zoom(12, 22.0) == pytest.approx(pixel_size_m(12, 22.0) / 2)
    assert tolerance_for_zoom(12, 22.0, fraction=0.25) == pytest.approx(pixel_size_m(12, 22.0) / 4)
    assert decimals_for_zoom(12) == 5
    assert decimals_for_zoom(8) == 4


def test_target_zoom_is_province_scale_for_a_province_and_lower_for_the_country():
    bac_kan = target_zoom(tuple(_layer("bac_kan_2019").total_bounds))
    country = target_zoom(tuple(gpd.read_file(datasets.path("national_2009")).total_bounds))
    assert 11 <= bac_kan <= 14
    assert 7 <= country <= 10
    assert decimals_for_zoom(bac_kan) == 5
    assert decimals_for_zoom(country) == 4


def _naive(frame: gpd.GeoDataFrame, tol: float) -> gpd.GeoSeries:
    metric = frame.to_crs(settings.metric_crs)
    return gpd.GeoSeries(shapely.simplify(metric.geometry.to_numpy(), tol), crs=settings.metric_crs)


def test_coverage_defects_and_introduced_gaps_on_synthetic_squares():
    a = shapely.box(0, 0, 1000, 1000)
    b = shapely.box(1000, 0, 2000, 1000)
    c = shapely.Polygon([(0, 1000), (1000, 1000), (2000, 1000), (2000, 2000), (0, 2000)])
    clean = gpd.GeoSeries([a, b, c], crs=settings.metric_crs)
    found = coverage_defects(clean)
    assert (found.gaps, found.invalid_edges) == (0, 0)
    assert found.overlap_area_m2 == pytest.approx(0.0)
    gap = gpd.GeoSeries([a, shapely.box(1010, 0, 2000, 990), c], crs=settings.metric_crs)
    assert introduced_gaps(clean, gap) == 0  # a notch open to the outside is no hole
    hole = gpd.GeoSeries(
        [a, shapely.box(1010, 10, 2000, 1000), shapely.box(0, 1000, 2000, 2000)],
        crs=settings.metric_crs,
    )
    assert coverage_defects(hole).gaps == 0  # still open at the bottom edge
    closed = gpd.GeoSeries(
        [shapely.box(-10, -10, 2010, 5), a, shapely.box(1010, 5, 2000, 1000), c],
        crs=settings.metric_crs,
    )
    assert coverage_defects(closed).gaps == 1
    assert introduced_gaps(clean, closed) == 1
    over = gpd.GeoSeries([a, shapely.box(900, 0, 2000, 1000)], crs=settings.metric_crs)
    assert coverage_defects(over).overlap_area_m2 == pytest.approx(100 * 1000)


@pytest.mark.parametrize("name", ["bac_kan_2019", "thai_nguyen_2025", "national_2009_north"])
def test_simplification_introduces_no_gap_or_overlap_on_the_real_layers(name, monkeypatch):
    import bkmap.geo.simplify as simplify

    frame = _layer(name)
    zoom = target_zoom(tuple(frame.total_bounds))
    # Simplify even where the shapes are already coarser than the tolerance (national):
    # the test is about what simplification does, not about when it is skipped.
    monkeypatch.setattr(simplify, "COARSE_FACTOR", float("inf"))
    shown = display_geometry(frame, zoom=zoom, decimals=9)  # 9 decimals: no rounding effect
    before = coverage_defects(frame)
    after = coverage_defects(shown)
    assert len(shown) == len(frame)
    assert not shown.is_empty.any()
    assert shown.is_valid.all()
    assert introduced_gaps(before, after) == 0
    # No overlap grows, no edge a neighbour matched stops matching.
    assert after.overlap_area_m2 <= before.overlap_area_m2 + 1.0
    assert after.invalid_edges <= before.invalid_edges
    # Shapes stay near their originals (Visvalingam-Whyatt bounds the area of what it
    # removes, tolerance², not the distance: a thin spike may go further).
    tol = tolerance_for_zoom(zoom, float(frame.total_bounds[[1, 3]].mean()))
    metric_a = frame.to_crs(settings.metric_crs).geometry.to_numpy()
    metric_b = shown.to_crs(settings.metric_crs).to_numpy()
    moved = shapely.hausdorff_distance(metric_a, metric_b)
    assert np.median(moved) <= tol
    assert moved.max() <= 4 * tol
    if name == "thai_nguyen_2025":  # a dense layer: far fewer vertices to draw
        assert after.vertices < 0.6 * before.vertices


def test_naive_simplification_would_open_gaps_where_coverage_simplify_does_not():
    frame = _layer("thai_nguyen_2025")
    naive = _naive(frame, 60.0)
    assert introduced_gaps(frame.geometry, naive) > 0
    kept = display_geometry(frame, tolerance_m=60.0, decimals=9)
    assert introduced_gaps(frame.geometry, kept) == 0


def test_rounded_display_geometry_keeps_every_commune_near_its_shape():
    frame = _layer("thai_nguyen_2025")
    zoom = target_zoom(tuple(frame.total_bounds))
    shown = display_geometry(frame, zoom=zoom)
    assert not shown.is_empty.any()
    assert (shown.to_crs(settings.metric_crs).area > 0).all()
    coords = shapely.get_coordinates(shown.to_numpy())
    scaled = coords * 10 ** decimals_for_zoom(zoom)
    assert np.allclose(scaled, np.rint(scaled), atol=1e-6)  # on the grid
    tol = tolerance_for_zoom(zoom, float(frame.total_bounds[[1, 3]].mean()))
    a = frame.to_crs(settings.metric_crs).geometry.to_numpy()
    b = shown.to_crs(settings.metric_crs).to_numpy()
    moved = shapely.hausdorff_distance(a, b)
    assert np.median(moved) <= tol
    assert moved.max() <= 4 * tol
    # Rounding may part neighbours that the source already let overlap by less than
    # the grid: such slivers are thinner than the grid, never wider.
    grid_m = 111_320 * 10 ** -decimals_for_zoom(zoom)
    assert introduced_gaps(frame.geometry, shown, min_width_m=grid_m) == 0


def test_clean_display_geometry_opens_no_gap_at_all_even_after_rounding():
    frame = _layer("thai_nguyen_2025")
    zoom = target_zoom(tuple(frame.total_bounds))
    shown = display_geometry(frame, zoom=zoom, clean=True)
    assert len(shown) == len(frame)
    assert introduced_gaps(frame.geometry, shown) == 0
    # The source overlaps by 6,300 m²; what rounding leaves is a few square metres.
    assert coverage_defects(shown).overlap_area_m2 < 100.0


def test_simplify_false_only_rounds():
    frame = _layer("bac_kan_2019")
    shown = display_geometry(frame, simplify=False, decimals=5)
    assert (
        shapely.get_num_coordinates(shown.to_numpy()).sum()
        <= shapely.get_num_coordinates(frame.geometry.to_numpy()).sum()
    )
    assert shapely.hausdorff_distance(frame.geometry.to_numpy(), shown.to_numpy()).max() < 2e-5


def _with_bow_ties(frame: gpd.GeoDataFrame, rows: list[int]) -> gpd.GeoDataFrame:
    """Tie a knot on one edge of each row's shell: a self-intersecting (bow-tie) ring."""
    out = frame.copy()
    geoms = out.geometry.to_numpy().copy()
    for row in rows:
        parts = list(shapely.get_parts(geoms[row]))
        ring = np.asarray(parts[0].exterior.coords)
        p, q = ring[3], ring[4]
        along = q - p
        normal = np.array([-along[1], along[0]]) * 0.1
        knot = [p + 0.6 * along + normal, p + 0.6 * along - normal]
        knot += [p + 0.4 * along + normal, p + 0.4 * along - normal]
        parts[0] = shapely.Polygon(np.vstack([ring[:4], knot, ring[4:]]))
        geoms[row] = shapely.MultiPolygon(parts)
    out[out.geometry.name] = geoms
    return out


def test_invalid_polygons_are_repaired_then_coverage_simplified_with_a_note():
    frame = _layer("thai_nguyen_2025")
    broken = _with_bow_ties(frame, [5, 40, 77])
    assert (~broken.is_valid).sum() == 3
    zoom = target_zoom(tuple(frame.total_bounds))
    notes: list = []
    shown = display_geometry(broken, zoom=zoom, decimals=9, notes=notes, source="x.gpkg")
    assert [n.severity for n in notes] == ["warning"]
    assert "3 invalid polygon(s) repaired" in notes[0].problem
    assert notes[0].source == "x.gpkg"
    assert shown.is_valid.all()
    # Repaired first, the layer stays on coverage_simplify: no gap opens anywhere.
    repaired = gpd.GeoSeries(
        shapely.make_valid(broken.geometry.to_numpy(), method="structure"), crs=broken.crs
    )
    assert introduced_gaps(repaired, shown) == 0
    # What a per-shape fallback would have drawn: gaps between neighbours.
    assert introduced_gaps(frame.geometry, _naive(frame, 60.0)) > 0


def test_a_fallback_that_can_tear_is_said_with_the_gaps_it_opened(monkeypatch):
    import bkmap.geo.simplify as simplify

    def refuse(*_args, **_kwargs):
        raise shapely.errors.GEOSException("refused for the test")

    monkeypatch.setattr(simplify.shapely, "coverage_simplify", refuse)
    frame = _layer("thai_nguyen_2025")
    notes: list = []
    display_geometry(frame, tolerance_m=60.0, decimals=9, notes=notes)
    assert len(notes) == 1
    assert "each was simplified alone, which opened" in notes[0].problem
    opened = int(notes[0].problem.split("which opened ")[1].split(" ")[0])
    assert opened > 0


def test_rings_that_rounding_collapses_are_dropped_and_pages_decode():
    from bkmap.render.maps import decode_shapes, encode_shapes

    # A commune with a hole far narrower than the grid, and a speck of an island.
    hole = shapely.box(105.50001, 22.00001, 105.500012, 22.000012).exterior
    speck = shapely.box(105.6, 22.1, 105.600001, 22.100001)
    main = shapely.Polygon(shapely.box(105.4, 21.9, 105.55, 22.05).exterior, [hole])
    frame = gpd.GeoSeries([shapely.MultiPolygon([main, speck])], crs=settings.geographic_crs)
    notes: list = []
    shown = display_geometry(frame, simplify=False, decimals=4, notes=notes)
    assert len(notes) == 1
    assert "2 ring(s) narrower than the map's coordinate grid" in notes[0].problem
    geom = shown.iloc[0]
    assert shapely.get_num_geometries(geom) == 1
    assert shapely.get_num_interior_rings(shapely.get_parts(geom)[0]) == 0
    # A shape that vanishes whole is drawn as one grid cell, and its page decodes.
    tiny = gpd.GeoSeries([speck], crs=settings.geographic_crs)
    kept = display_geometry(tiny, simplify=False, decimals=4)
    assert kept.iloc[0].area == pytest.approx(0.5e-8)
    assert kept.iloc[0].distance(speck) < 1e-4
    decoded = decode_shapes(encode_shapes(kept.to_numpy(), decimals=4))
    assert len(decoded) == 1
    assert decoded[0].area == pytest.approx(0.5e-8)
    # A ring that rounds to A, B, A has two points: collapsed, though no two in a row repeat.
    back_and_forth = shapely.Polygon([(0, 0), (1e-5, 0), (1, 0.00002), (2e-5, 0)])
    assert collapsed_rings(np.array([back_and_forth]), 4).tolist() == [True]
    decoded = decode_shapes(encode_shapes(np.array([frame.iloc[0]]), decimals=4))
    assert shapely.get_num_geometries(decoded[0]) == 2


@pytest.fixture
def small_cache(tmp_path, monkeypatch):
    """The display cache in tmp_path, for layers of any size."""
    import bkmap.geo.cache as cache

    monkeypatch.setenv("BKMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "MIN_VERTICES", 0)
    return tmp_path / "cache"


def test_display_cache_reuses_shapes_for_the_same_layer_and_settings(small_cache):
    from bkmap.geo import cache

    frame = _layer("thai_nguyen_2025")
    zoom = target_zoom(tuple(frame.total_bounds))
    first: list = []
    shown = display_geometry(frame, zoom=zoom, notes=first, source="tn.gpkg")
    assert len(list(small_cache.glob("*.npz"))) == 1
    assert not any("cache" in n.problem for n in first)
    again: list = []
    reused = display_geometry(frame, zoom=zoom, notes=again, source="tn.gpkg")
    # The notes of the first preparation come again, then the cache's own.
    assert again[:-1] == first
    assert again[-1].problem.startswith("display shapes reused from the cache")
    assert reused.geom_equals_exact(shown, tolerance=0).all()
    assert reused.index.equals(shown.index)
    # Another setting that changes the result, or other shapes: another entry.
    display_geometry(frame, zoom=zoom, decimals=6)
    moved = frame.copy()
    moved.geometry = moved.geometry.translate(1e-4, 0)
    display_geometry(moved, zoom=zoom)
    assert len(list(small_cache.glob("*.npz"))) == 3
    # --no-cache: neither read nor written.
    with cache.disabled():
        fresh: list = []
        display_geometry(frame, zoom=zoom, notes=fresh)
        display_geometry(frame, zoom=zoom, simplify=False)
    assert not any("cache" in n.problem for n in fresh)
    assert [n.problem for n in fresh] == [n.problem for n in first]
    assert len(list(small_cache.glob("*.npz"))) == 3


def test_display_cache_keeps_under_its_size_cap_dropping_the_oldest(small_cache, monkeypatch):
    import os

    from bkmap.geo import cache

    frame = _layer("bac_kan_2019")
    display_geometry(frame, decimals=5)
    (oldest,) = small_cache.glob("*.npz")
    os.utime(oldest, (1, 1))
    monkeypatch.setattr(cache, "MAX_BYTES", int(oldest.stat().st_size * 1.5))
    display_geometry(frame, decimals=4)
    left = list(small_cache.glob("*.npz"))
    assert len(left) == 1
    assert left[0] != oldest


def test_cli_map_says_when_the_cache_was_used_and_no_cache_skips_it(small_cache, tmp_path):
    from click.testing import CliRunner

    from bkmap.cli.main import cli

    runner = CliRunner()
    args = ["map", "--province", "Bắc Kạn", "--out", str(tmp_path / "m.html")]
    first = runner.invoke(cli, args)
    second = runner.invoke(cli, args)
    third = runner.invoke(cli, [*args, "--no-cache"])
    for result in (first, second, third):
        assert result.exit_code == 0, result.output
    assert "reused from the cache" not in first.output
    assert "reused from the cache" in second.output
    assert str(small_cache) in second.output
    assert "reused from the cache" not in third.output
