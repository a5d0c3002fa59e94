"""Benchmark: counting 10M points in the 11,163 communes, on one machine and on a dask cluster.

Both paths count the same points (uniform in the country's bounding box, in
EPSG:3405, made from the same seeds, partition by partition) in the same
communes, each in a fresh process, and the counts are compared:

* single machine: all points in one GeoDataFrame, then
  :func:`bkmap.analysis.count_points_in_polygons`;
* dask: a ``LocalCluster`` (``--workers`` processes, one thread each), points
  generated on the workers (:func:`bkmap.analysis.distributed.random_points`), then the
  same call on the dask frame, which hands it to
  :func:`bkmap.analysis.distributed.count_points_in_polygons`.

It prints wall time, the client's peak memory and, for dask, each worker's
peak. It also runs ``GeoDataFrame.explore()`` on the same input: on the whole
point set that is out of reach (one marker per point), so it is timed on a
sample of ``--explore-sample`` points and on the per-commune result.

Usage::

    python bench/bench_dask.py                 # 10,000,000 points
    python bench/bench_dask.py --n 1000000     # a quick run
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _communes():
    from bkmap.io.national import read_national

    return read_national()


def _bounds(communes) -> tuple[float, ...]:
    from bkmap import settings

    return tuple(float(v) for v in communes.to_crs(settings.metric_crs).total_bounds)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def single(n: int, partitions: int, out: str) -> None:
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from bkmap import analysis, settings
    from bkmap.analysis.distributed import _random_part

    communes = _communes()
    bounds = _bounds(communes)
    start = time.perf_counter()
    sizes = np.full(partitions, n // partitions)
    sizes[: n % partitions] += 1
    parts = [_random_part(i, int(s), bounds, settings.metric_crs) for i, s in enumerate(sizes)]
    points = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=settings.metric_crs)
    del parts
    made = time.perf_counter() - start
    counts = analysis.count_points_in_polygons(points, communes)
    total = time.perf_counter() - start
    Path(out).write_text(json.dumps(counts.tolist()))
    print(json.dumps({"make_s": made, "total_s": total, "peak_mb": _peak_mb()}))


def on_dask(n: int, partitions: int, workers: int, memory: str, out: str) -> None:
    from bkmap import analysis
    from bkmap.analysis import distributed

    communes = _communes()
    bounds = _bounds(communes)
    with distributed.client(
        "local", n_workers=workers, threads_per_worker=1, processes=True, memory_limit=memory
    ) as client:
        start = time.perf_counter()
        points = distributed.random_points(n, bounds, npartitions=partitions, seed=0)
        counts = analysis.count_points_in_polygons(points, communes)
        total = time.perf_counter() - start
        worker_peaks = client.run(_peak_mb)
    Path(out).write_text(json.dumps(counts.tolist()))
    print(
        json.dumps(
            {
                "total_s": total,
                "peak_mb": _peak_mb(),
                "worker_peak_mb": sorted(worker_peaks.values()),
            }
        )
    )


def explore(n_sample: int, counts_path: str) -> None:
    import geopandas as gpd
    import numpy as np

    from bkmap import settings
    from bkmap.analysis.distributed import _random_part

    communes = _communes()
    bounds = _bounds(communes)
    sample = _random_part(0, n_sample, bounds, settings.metric_crs).to_crs(settings.geographic_crs)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        fmap = sample.explore()
        fmap.save(Path(tmp) / "points.html")
        points_s = time.perf_counter() - start
        points_mb = (Path(tmp) / "points.html").stat().st_size / 1e6
        frame = gpd.GeoDataFrame(
            {
                "name": communes["name"],
                "count": np.asarray(json.loads(Path(counts_path).read_text())),
            },
            geometry=communes.geometry,
            crs=communes.crs,
        )
        start = time.perf_counter()
        fmap = frame.explore(column="count")
        fmap.save(Path(tmp) / "counts.html")
        counts_s = time.perf_counter() - start
        counts_mb = (Path(tmp) / "counts.html").stat().st_size / 1e6
    print(
        json.dumps(
            {
                "points_s": points_s,
                "points_mb": points_mb,
                "counts_s": counts_s,
                "counts_mb": counts_mb,
                "peak_mb": _peak_mb(),
            }
        )
    )


def _run(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000_000, help="points (default 10M)")
    parser.add_argument("--partitions", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="3GiB", help="per dask worker")
    parser.add_argument("--explore-sample", type=int, default=20_000)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, out = args.child[0], args.child[1]
        if kind == "single":
            single(args.n, args.partitions, out)
        elif kind == "dask":
            on_dask(args.n, args.partitions, args.workers, args.memory_limit, out)
        else:
            explore(args.explore_sample, out)
        return
    common = ["--n", str(args.n), "--partitions", str(args.partitions)]
    with tempfile.TemporaryDirectory(prefix="bench_dask_") as tmp:
        one = Path(tmp) / "single.json"
        many = Path(tmp) / "dask.json"
        print(f"{args.n:,} points in 11,163 communes, {args.partitions} partitions")
        s = _run(*common, "--child", "single", str(one))
        print(
            f"single machine: {s['total_s']:.1f} s (making the points {s['make_s']:.1f} s), "
            f"peak {s['peak_mb']:.0f} MB"
        )
        d = _run(
            *common,
            "--workers",
            str(args.workers),
            "--memory-limit",
            args.memory_limit,
            "--child",
            "dask",
            str(many),
        )
        peaks = ", ".join(f"{p:.0f}" for p in d["worker_peak_mb"])
        print(
            f"dask ({args.workers} workers): {d['total_s']:.1f} s (points made on the workers), "
            f"client peak {d['peak_mb']:.0f} MB, worker peaks {peaks} MB"
        )
        same = json.loads(one.read_text()) == json.loads(many.read_text())
        print(
            f"counts identical: {same} (total inside communes: {sum(json.loads(one.read_text())):,})"
        )
        e = _run(
            *common,
            "--explore-sample",
            str(args.explore_sample),
            "--child",
            "explore",
            str(one),
        )
        per_point = e["points_mb"] / args.explore_sample
        print(
            f"explore(): {args.explore_sample:,} points {e['points_s']:.1f} s, {e['points_mb']:.1f} MB "
            f"(so about {per_point * args.n:,.0f} MB for all {args.n:,}); "
            f"the per-commune counts {e['counts_s']:.1f} s, {e['counts_mb']:.1f} MB; "
            f"peak {e['peak_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
