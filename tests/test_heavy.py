"""A detailed, damaged national layer (built, not shipped): the page bkmap draws from it is whole.

The layer is :func:`bench/heavy_layer.build_heavy_layer` on the north-east's 13
provinces (about 2,100 communes) densified to 400 k vertices, with invalid
polygons, gaps and overlaps injected; the bench runs the full 5 M-vertex
country. The page is decoded back to shapes and its topology compared with the
repaired source.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from click.testing import CliRunner

from bkmap import settings
from bkmap.cli.main import cli
from bkmap.geo.simplify import coverage_defects, introduced_gaps, introduced_overlaps
from bkmap.render.maps import decode_shapes, page_blocks

_BENCH = Path(__file__).resolve().parents[1] / "bench" / "heavy_layer.py"
_COLUMNS = "code=commune_id,name=commune_vn,district=district_vn,province=province_vn"


def _builder():
    spec = importlib.util.spec_from_file_location("heavy_layer", _BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def heavy(tmp_path_factory) -> tuple[Path, gpd.GeoDataFrame]:
    layer = _builder().build_heavy_layer(
        provinces=range(200, 300), target_vertices=400_000, invalid=12, gaps=3, overlaps=3
    )
    path = tmp_path_factory.mktemp("heavy") / "heavy.gpkg"
    layer.drop(columns=["province", "district", "commune"]).to_file(path, engine="pyogrio")
    return path, layer


@pytest.mark.slow
def test_heavy_layer_is_dense_damaged_and_deterministic(heavy):
    _path, layer = heavy
    assert shapely.get_num_coordinates(layer.geometry.to_numpy()).sum() >= 400_000
    assert (~layer.is_valid).sum() == 9  # 12 damaged; repeated points alone are valid
    again = _builder().build_heavy_layer(
        provinces=range(200, 300), target_vertices=400_000, invalid=12, gaps=3, overlaps=3
    )
    assert layer.geometry.geom_equals_exact(again.geometry, tolerance=0).all()


@pytest.mark.slow
def test_map_of_a_heavy_layer_is_untorn_and_decodes(heavy, tmp_path):
    path, layer = heavy
    out = tmp_path / "heavy.html"
    result = CliRunner().invoke(
        cli,
        [
            "map",
            "--province",
            "all",
            "--national",
            str(path),
            "--columns",
            _COLUMNS,
            "--no-cache",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    # Every repair is said, feature by feature, at the default verbosity.
    assert len(re.findall(r"was invalid \(.*?\); repaired with make_valid", result.output)) == 9
    assert "simplified alone" not in result.output
    blocks = page_blocks(out.read_text(encoding="utf-8"))
    communes = blocks[0]
    grid_deg = 1.0 / float(communes["s"])
    shapes = [decode_shapes(block) for block in blocks]  # every block of the page decodes
    drawn = gpd.GeoSeries(shapes[0], crs=settings.geographic_crs)
    assert len(drawn) == len(layer)
    # No ring collapsed: at least 3 distinct vertices in each.
    rings = shapely.get_rings(shapely.get_parts(drawn.to_numpy()))
    distinct = [len(np.unique(np.asarray(r.coords), axis=0)) for r in rings]
    assert min(distinct) >= 3
    # Against the repaired source: no gap wider than the grid, no overlap gained.
    source = gpd.GeoSeries(
        shapely.make_valid(layer.geometry.to_numpy(), method="structure"),
        crs=settings.geographic_crs,
    )
    before = coverage_defects(source)
    after = coverage_defects(drawn)
    grid_m = 111_320 * grid_deg
    assert introduced_gaps(before, after, min_width_m=grid_m) == 0
    # Where the source's own edges mismatch (the 2009 layer was simplified upstream
    # without topology), simplification and rounding leave overlap slivers of a grid
    # cell or so (1.1-1.8 m on average here, a fiftieth of a pixel): never two cells.
    assert introduced_overlaps(before, after, min_width_m=2 * grid_m) == 0


def test_point_kernel_gives_what_sjoin_gives_on_the_national_layer():
    from bkmap import datasets
    from bkmap.analysis import count_points_in_polygons
    from bkmap.analysis.kernels import point_owner

    communes = datasets.read_layer("national_2009").to_crs(settings.metric_crs)
    communes["code"] = communes["commune_id"].astype(str)
    rng = np.random.default_rng(14)
    minx, miny, maxx, maxy = communes.total_bounds
    # Scattered over the country's box (some fall outside every commune, at sea or abroad).
    xy = rng.uniform((minx, miny), (maxx, maxy), size=(60_000, 2))
    points = gpd.GeoDataFrame(geometry=shapely.points(xy), crs=settings.metric_crs)
    joined = gpd.sjoin(points, communes[["code", "geometry"]], predicate="within")
    owner = point_owner(points.geometry.to_numpy(), communes.geometry.to_numpy())
    hits = joined.groupby(level=0)["index_right"].agg(list)
    # Points sjoin puts in no commune, we put in none; in one, the same one; in two
    # overlapping communes (the 2009 layer overlaps), one of the two, counted once.
    outside = np.setdiff1d(np.arange(len(points)), hits.index)
    assert (owner[outside] == -1).all()
    assert len(outside) > 1000
    assert all(owner[i] in rows for i, rows in hits.items())
    single = hits[hits.map(len) == 1]
    assert (owner[single.index] == single.map(lambda rows: rows[0]).to_numpy()).all()
    counts = count_points_in_polygons(points, communes)
    plain = joined.groupby("code").size().reindex(communes["code"], fill_value=0)
    assert int(counts.sum()) == len(hits)
    overlapped = communes["code"].isin(joined.loc[joined.index.duplicated(keep=False), "code"])
    assert (counts[~overlapped.to_numpy()] == plain[~overlapped.to_numpy()]).all()
