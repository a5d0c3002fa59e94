"""Point-in-polygon counts and coverage shares on a dask cluster, for inputs too big for one machine.

National cell-measurement dumps run to tens of millions of points. The two
heavy steps of the gap analysis, :func:`bkmap.analysis.kernels.count_points_in_polygons`
and :func:`bkmap.analysis.kernels.covered_share`, hand a dask-geopandas frame to the
functions of this module, which give the same results as the single-machine
ones:

* the points (or the coverage) stay partitioned on the workers; the communes,
  small next to them, are sent once to every worker;
* each partition is processed by the very kernels of :mod:`bkmap.analysis.gaps`
  (the same STRtree query, the same rule that a point on a shared edge counts
  once, the same disc shortcut and row-wise unions);
* only small results come back: one count per commune per partition, or one
  partial union of coverage per commune, merged in a tree.

Counts are identical to the single-machine counts. Covered shares are equal up
to floating-point rounding of the unions (about 1e-12): the coverage is
unioned partition by partition and then merged, where one machine unions it
all at once.

:func:`client` connects to a running scheduler (``--dask tcp://host:8786``) or
starts a local cluster (``--dask local``).

Requires the ``dask`` extra: ``pip install bkmap[dask]`` (dask-geopandas, distributed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from bkmap import settings
from bkmap._errors import InputError
from bkmap.analysis.kernels import (
    coverage_layer,
    coverage_reaching,
    metric_geometry,
    point_owner,
    require_key,
)
from bkmap.i18n import msg as _msg
from bkmap.io.points import PartitionedLayer
from bkmap.io.record import ReadRecord, with_record

log = logging.getLogger(__name__)

__all__ = [
    "LOCAL",
    "client",
    "count_points_in_polygons",
    "covered_share",
    "from_geopandas",
    "gather_coverage",
    "random_points",
    "spread_coverage",
]

#: The ``--dask`` value that starts a cluster on this machine.
LOCAL = "local"

_INSTALL = "pip install 'bkmap[dask]' (dask-geopandas and distributed)"


def _require() -> None:
    try:
        import dask  # noqa: F401

        # Lazy: dask is the optional extra bkmap[dask].
        import dask_geopandas  # noqa: F401
    except ImportError as exc:  # pragma: no cover - the test extra installs both
        msg = _msg("dask_missing", install=_INSTALL)
        raise InputError(msg) from exc


def client(
    scheduler: str | None = None,
    *,
    n_workers: int = 2,
    threads_per_worker: int = 1,
    processes: bool = True,
    memory_limit: str | None = "2GiB",
    timeout: float = 10.0,
) -> Any:
    """Return a ``distributed.Client``: to a scheduler address, or to a new local cluster.

    Parameters
    ----------
    scheduler
        ``tcp://host:8786`` (or any address ``distributed`` accepts) to use a
        running cluster; ``None``, ``""`` or ``"local"`` to start a
        ``LocalCluster`` on this machine, closed with the client.
    n_workers, threads_per_worker, processes, memory_limit
        Shape of the local cluster (ignored for an address).
    timeout
        Seconds to wait for the scheduler.

    Use it as a context manager, so the cluster is closed::

        with client("local") as c:
            counts = count_points_in_polygons(points, communes)

    Raises
    ------
    InputError
        The scheduler cannot be reached; the message says how to start one.
    """
    _require()
    # Lazy: dask is the optional extra bkmap[dask].
    from distributed import Client

    if scheduler in (None, "", LOCAL):
        log.info("starting a local dask cluster of %d workers", n_workers)
        return Client(
            n_workers=n_workers,
            threads_per_worker=threads_per_worker,
            processes=processes,
            memory_limit=memory_limit,
            dashboard_address=None,
        )
    try:
        return Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        msg = _msg("dask_unreachable", scheduler=scheduler, detail=exc)
        raise InputError(msg) from exc


def from_geopandas(frame: gpd.GeoDataFrame, *, npartitions: int = 8) -> Any:
    """Wrap a GeoDataFrame as a dask-geopandas frame of ``npartitions`` partitions."""
    _require()
    # Lazy: dask is the optional extra bkmap[dask].
    import dask_geopandas

    return dask_geopandas.from_geopandas(frame, npartitions=npartitions)


def _cells_coverage(part: gpd.GeoDataFrame, record: ReadRecord) -> gpd.GeoDataFrame:
    return coverage_layer(with_record(part, record))


def spread_coverage(
    cover: gpd.GeoDataFrame, cells: PartitionedLayer | None = None, *, npartitions: int = 8
) -> Any:
    """The coverage of a gap analysis as one dask-geopandas frame, for :func:`covered_share`.

    ``cover`` (from :func:`bkmap.analysis.kernels.coverage_layer`) is split into
    ``npartitions``; the partitions of ``cells``, read by dask, are turned into discs
    where they lie, so that the cell file never comes to this machine.
    """
    _require()
    if cells is None:
        return from_geopandas(cover, npartitions=npartitions)
    # Lazy: dask is the optional extra bkmap[dask].
    import dask
    import dask.dataframe as dd

    parts = [dask.delayed(_cells_coverage)(part, cells.record) for part in cells.frame.to_delayed()]
    if len(cover):
        parts += list(from_geopandas(cover, npartitions=npartitions).to_delayed())
    return dd.from_delayed(parts, meta=coverage_layer(), verify_meta=False)


def gather_coverage(coverage: Any) -> gpd.GeoDataFrame:
    """A dask-geopandas coverage frame brought here as one GeoDataFrame in the metric CRS."""
    frame = coverage.compute()
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=settings.metric_crs)


def _random_part(seed: int, n: int, bounds: Sequence[float], crs: str) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = bounds
    x = rng.uniform(minx, maxx, n)
    y = rng.uniform(miny, maxy, n)
    return gpd.GeoDataFrame(geometry=shapely.points(x, y), crs=crs)


def random_points(
    n: int,
    bounds: Sequence[float],
    *,
    npartitions: int = 20,
    seed: int = 0,
    crs: str | None = None,
) -> Any:
    """A dask-geopandas frame of ``n`` uniform random points in ``bounds``, made on the workers.

    For benchmarks and tests: no partition is ever built on the client, so
    ``n`` can exceed what one machine holds. The same ``seed`` gives the same points.
    """
    _require()
    # Lazy: dask is the optional extra bkmap[dask].
    import dask
    import dask.dataframe as dd

    # Lazy: dask is the optional extra bkmap[dask].
    import dask_geopandas  # noqa: F401  (registers GeoDataFrame partitions with dask)

    crs = crs or settings.metric_crs
    sizes = np.full(npartitions, n // npartitions)
    sizes[: n % npartitions] += 1
    meta = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    parts = [
        dask.delayed(_random_part)(seed * 100_003 + i, int(size), tuple(bounds), crs)
        for i, size in enumerate(sizes)
    ]
    return dd.from_delayed(parts, meta=meta, verify_meta=False)


def _tree_reduce(items: list[Any], merge: Callable[[Any, Any], Any]) -> Any:
    """Merge delayed results pairwise, in a tree (log depth, no single big step)."""
    # Lazy: dask is the optional extra bkmap[dask].
    import dask

    if not items:
        return None
    level = list(items)
    while len(level) > 1:
        nxt = [dask.delayed(merge)(a, b) for a, b in zip(level[::2], level[1::2], strict=False)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def _count_part(frame: gpd.GeoDataFrame, polygons: np.ndarray) -> np.ndarray:
    if len(frame) == 0:
        return np.zeros(len(polygons), dtype=np.int64)
    owner = point_owner(metric_geometry(frame, "points"), polygons)
    return np.bincount(owner[owner >= 0], minlength=len(polygons)).astype(np.int64)


def _add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a + b


def count_points_in_polygons(
    points: Any, polygons: gpd.GeoDataFrame, *, key: str = "code"
) -> pd.Series:
    """Count the points of a dask-geopandas frame inside each polygon.

    Same parameters and result as :func:`bkmap.analysis.kernels.count_points_in_polygons`
    (integer counts, 0 included, indexed by ``polygons[key]``, named ``count``);
    the points are processed partition by partition on the cluster (the active
    ``distributed`` client, or dask's local scheduler when there is none).
    """
    _require()
    # Lazy: dask is the optional extra bkmap[dask].
    import dask

    require_key(polygons, key)
    polys = metric_geometry(polygons, "polygons")
    shared = dask.delayed(polys, pure=True)
    parts = [dask.delayed(_count_part)(part, shared) for part in points.to_delayed()]
    total = _tree_reduce(parts, _add)
    counts = np.zeros(len(polys), dtype=np.int64) if total is None else total.compute()
    index = pd.Index(polygons[key].to_numpy(), name=key)
    return pd.Series(np.asarray(counts, dtype=np.int64), index=index, name="count")


def _cover_part(frame: gpd.GeoDataFrame, polys: np.ndarray) -> np.ndarray:
    """For one coverage partition: the union of its coverage reaching each polygon (or None).

    A polygon that lies inside one disc gets the polygon itself (its intersection
    with the polygon is the whole polygon, as the single-machine shortcut counts it).
    """
    out = np.full(len(polys), None, dtype=object)
    if len(frame) == 0:
        return out
    inside, unions = coverage_reaching(polys, frame)
    out[inside] = polys[inside]
    out[~inside] = unions[~inside]
    return out


def _merge_unions(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = a.copy()
    only_b = (a == None) & (b != None)  # noqa: E711 (elementwise on object arrays)
    both = (a != None) & (b != None)  # noqa: E711
    out[only_b] = b[only_b]
    if both.any():
        out[both] = shapely.union(a[both], b[both])
    return out


def covered_share(polygons: gpd.GeoDataFrame, coverage: Any, *, key: str = "code") -> pd.Series:
    """Share of each polygon covered by a dask-geopandas coverage layer.

    Same parameters and result as :func:`bkmap.analysis.kernels.covered_share`
    (coverage polygons and/or points with ``radius_m``; shares in [0, 1]
    indexed by ``polygons[key]``, named ``covered_share``; NaN for an empty
    polygon). Each coverage partition is unioned per polygon on the cluster and
    the partial unions are merged in a tree; only the final intersection with
    the polygons runs here.
    """
    _require()
    # Lazy: dask is the optional extra bkmap[dask].
    import dask

    require_key(polygons, key)
    polys = metric_geometry(polygons, "polygons")
    area = shapely.area(polys)
    shared = dask.delayed(polys, pure=True)
    parts = [dask.delayed(_cover_part)(part, shared) for part in coverage.to_delayed()]
    merged = _tree_reduce(parts, _merge_unions)
    unions = np.full(len(polys), None, dtype=object) if merged is None else merged.compute()
    covered = np.zeros(len(polys))
    has = np.flatnonzero(unions != None)  # noqa: E711
    if len(has):
        covered[has] = shapely.area(shapely.intersection(polys[has], unions[has]))
    covered = np.minimum(covered, area)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(area > 0, covered / area, np.nan)
    index = pd.Index(polygons[key].to_numpy(), name=key)
    return pd.Series(share, index=index, name="covered_share")
