"""The dask path gives the single-machine results, on a LocalCluster of 2 workers."""

from __future__ import annotations

import dask_geopandas  # noqa: F401 - the test extra installs it; a missing one must fail
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from bkmap import analysis, datasets, settings
from bkmap._errors import InputError
from bkmap.analysis import distributed
from bkmap.io.boundaries import read_communes


@pytest.fixture(scope="module")
def cluster():
    # Threads, not processes, and a small memory limit: light enough for CI.
    with distributed.client("local", n_workers=2, processes=False, memory_limit="1GiB") as c:
        assert len(c.scheduler_info()["workers"]) == 2
        yield c


@pytest.fixture(scope="module")
def communes() -> gpd.GeoDataFrame:
    return read_communes()


@pytest.fixture(scope="module")
def points(communes) -> gpd.GeoDataFrame:
    metric = communes.to_crs(settings.metric_crs)
    rng = np.random.default_rng(8)
    minx, miny, maxx, maxy = metric.total_bounds
    random = shapely.points(rng.uniform(minx, maxx, 60_000), rng.uniform(miny, maxy, 60_000))
    # Points exactly on shared edges and vertices: each must count once, as on one machine.
    on_edges = shapely.points(shapely.get_coordinates(metric.boundary.to_numpy())[::5])
    frame = gpd.GeoDataFrame(geometry=np.r_[random, on_edges], crs=settings.metric_crs)
    return frame.to_crs("EPSG:4326")  # another CRS than the analysis, on purpose


def test_counts_equal_single_machine_and_sjoin(cluster, communes, points):
    single = analysis.count_points_in_polygons(points, communes)
    frame = distributed.from_geopandas(points, npartitions=7)
    on_cluster = analysis.count_points_in_polygons(frame, communes)  # dispatches to dask
    pd.testing.assert_series_equal(on_cluster, single)
    # An independent reference with geopandas: a point strictly inside one commune only
    # counts there; a point on a shared edge (or in an overlap of the source layer)
    # counts once, in one of the communes it touches.
    pts = points.to_crs(settings.metric_crs)
    polys = communes.to_crs(settings.metric_crs)[["code", "geometry"]]
    within = gpd.sjoin(pts, polys, predicate="within")
    alone = within[~within.index.duplicated(keep=False)]
    inside = alone["code"].value_counts().reindex(communes["code"], fill_value=0)
    touching = gpd.sjoin(pts, polys, predicate="intersects")
    assert on_cluster.sum() == touching.index.nunique()
    assert (on_cluster.to_numpy() >= inside.to_numpy()).all()
    shared = touching.index.nunique() - int(inside.sum())
    assert shared > 100  # the edge points are there
    assert int((on_cluster.to_numpy() - inside.to_numpy()).sum()) == shared


def test_counts_of_points_generated_on_the_workers(cluster, communes):
    bounds = communes.to_crs(settings.metric_crs).total_bounds
    frame = distributed.random_points(50_000, bounds, npartitions=5, seed=3)
    on_cluster = distributed.count_points_in_polygons(frame, communes)
    local = frame.compute()
    assert len(local) == 50_000
    pd.testing.assert_series_equal(on_cluster, analysis.count_points_in_polygons(local, communes))


@pytest.fixture(scope="module")
def coverage(communes) -> gpd.GeoDataFrame:
    metric = communes.to_crs(settings.metric_crs)
    rng = np.random.default_rng(9)
    minx, miny, maxx, maxy = metric.total_bounds
    n = 300
    sites = gpd.GeoDataFrame(
        {"radius_m": rng.uniform(400, 7000, n)},
        geometry=shapely.points(rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)),
        crs=settings.metric_crs,
    )
    zone = gpd.GeoDataFrame(
        {"radius_m": [np.nan]},
        geometry=[shapely.box(minx, miny, minx + 20_000, miny + 40_000)],
        crs=settings.metric_crs,
    )
    return gpd.GeoDataFrame(pd.concat([sites, zone], ignore_index=True), crs=settings.metric_crs)


def test_covered_share_equals_single_machine(cluster, communes, coverage):
    single = analysis.covered_share(communes, coverage)
    frame = distributed.from_geopandas(coverage, npartitions=4)
    on_cluster = analysis.covered_share(communes, frame)
    assert list(on_cluster.index) == list(single.index)
    assert on_cluster.name == single.name
    # Unions built partition by partition differ from one big union by rounding only.
    np.testing.assert_allclose(on_cluster.to_numpy(), single.to_numpy(), rtol=0, atol=1e-9)
    assert 0 < single.mean() < 1
    assert (single == 1).any()
    assert (single == 0).any() or single.min() < 0.5


def test_empty_inputs(cluster, communes):
    empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=settings.metric_crs))
    counts = distributed.count_points_in_polygons(
        distributed.from_geopandas(empty, npartitions=1), communes
    )
    assert counts.sum() == 0
    assert len(counts) == len(communes)


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(InputError, match="cannot reach a dask scheduler"):
        distributed.client("tcp://127.0.0.1:9", timeout=1)


def test_gaps_command_with_dask_gives_the_single_machine_shares(tmp_path):
    """`bkmap gaps --dask local` measures the same covered shares as the plain run."""
    from click.testing import CliRunner

    from bkmap.cli.main import cli

    cells = str(datasets.example("illustrative_cells_opencellid.csv"))
    runner = CliRunner()
    plain = runner.invoke(cli, ["gaps", "--cells", cells, "--out", str(tmp_path / "plain")])
    assert plain.exit_code == 0, plain.output
    spread = runner.invoke(
        cli,
        [
            "gaps",
            "--cells",
            cells,
            "--dask",
            "local",
            "--partitions",
            "3",
            "--out",
            str(tmp_path / "dask"),
        ],
    )
    assert spread.exit_code == 0, spread.output
    a = gpd.read_file(tmp_path / "plain" / "gaps.geojson").set_index("code")
    b = gpd.read_file(tmp_path / "dask" / "gaps.geojson").set_index("code")
    column = "covered_area_share"
    assert column in a.columns
    assert a.index.sort_values().equals(b.index.sort_values())
    pd.testing.assert_series_equal(
        a[column].sort_index(), b[column].sort_index(), check_exact=False, atol=1e-9
    )
