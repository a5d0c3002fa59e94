"""Benchmark: reading a 2M-row OpenCelliD cell CSV on one machine and partitioned with dask.

A generated file in the OpenCelliD format (no header, as OpenCelliD's
per-country files; 1 % of the cells around Bắc Kạn, the rest all over Vietnam,
about 1.5 % of the rows broken: missing or unreadable coordinates, another
network, an unreadable MCC) is read for the province, each path in a fresh
process:

* single machine: :func:`bkmap.io.points.read_points` (``kind="cells"``), which
  loads the whole table, then checks it;
* dask: :func:`bkmap.io.points.read_cells_partitioned` on a ``LocalCluster``
  (``--workers`` processes, one thread each): ``dask.dataframe.read_csv`` in
  ``--blocksize`` blocks, each checked on a worker, only the kept cells and the
  dropped rows coming back.

It prints the wall time, the client's peak RSS (and each worker's, for dask)
and whether both kept the same cells and reported the same rows with the same
reasons. ``bkmap gaps --dask`` reads a CSV cell file this way.

Usage::

    python bench/bench_dask_csv.py               # 2,000,000 rows
    python bench/bench_dask_csv.py --n 200000    # a quick run
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def _peak_mb() -> float:
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child would report the
    # peak of the process that started it (the one that wrote the file).
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_file(path: Path, n: int, seed: int = 0) -> None:
    """Write ``n`` rows of OpenCelliD-like cells to ``path``, in chunks (any size fits)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    with path.open("w") as handle:
        for start in range(0, n, 500_000):
            m = min(500_000, n - start)
            near = rng.random(m) < 0.01
            lon = np.where(near, rng.uniform(105.2, 106.4, m), rng.uniform(102.5, 109.0, m))
            lat = np.where(near, rng.uniform(21.7, 22.8, m), rng.uniform(8.5, 23.0, m))
            frame = pd.DataFrame(
                {
                    "radio": rng.choice(["GSM", "UMTS", "LTE", "NR"], m, p=[0.3, 0.25, 0.4, 0.05]),
                    "mcc": np.where(rng.random(m) < 0.01, "404", "452"),
                    "net": rng.choice(["1", "2", "4", "5"], m),
                    "area": rng.integers(1, 60_000, m).astype(str),
                    "cell": (start + np.arange(m)).astype(str),
                    "unit": "",
                    "lon": np.char.mod("%.6f", lon),
                    "lat": np.char.mod("%.6f", lat),
                    "range": np.where(rng.random(m) < 0.5, 0, rng.integers(200, 9000, m)).astype(
                        str
                    ),
                    "samples": rng.integers(1, 50, m).astype(str),
                    "changeable": "1",
                    "created": "1459692143",
                    "updated": "1459692143",
                    "averageSignal": "0",
                }
            )
            broken = rng.random(m)
            frame.loc[broken < 0.005, "lat"] = ""
            frame.loc[(broken >= 0.005) & (broken < 0.01), "lon"] = "n/a"
            frame.loc[(broken >= 0.01) & (broken < 0.015), "mcc"] = "?"
            frame.to_csv(handle, index=False, header=False)


def _summary(kept, dropped) -> dict:
    return {
        "kept": len(kept),
        "kept_rows": [int(i) for i in kept.index],
        "dropped": len(dropped),
        "reasons": dict(Counter(reason for _, reason in dropped)),
        "dropped_rows_hash": hash(tuple(row for row, _ in dropped)),
    }


def single(path: str, out: str) -> None:
    from bkmap.io.points import read_points
    from bkmap.io.record import record_of

    before = _peak_mb()
    start = time.perf_counter()
    cells = read_points(path, kind="cells")
    total = time.perf_counter() - start
    record = record_of(cells)
    assert record is not None
    Path(out).write_text(json.dumps(_summary(cells, record.dropped)))
    print(json.dumps({"total_s": total, "peak_mb": _peak_mb(), "start_mb": before}))


def on_dask(path: str, out: str, workers: int, memory: str, blocksize: str) -> None:
    from bkmap.analysis import distributed
    from bkmap.io.points import read_cells_partitioned

    with distributed.client(
        "local", n_workers=workers, threads_per_worker=1, processes=True, memory_limit=memory
    ) as client:
        before = _peak_mb()
        start = time.perf_counter()
        layer = read_cells_partitioned(path, blocksize=blocksize)
        kept = layer.frame.compute()
        total = time.perf_counter() - start
        worker_peaks = client.run(_peak_mb)
        partitions = layer.frame.npartitions
    Path(out).write_text(json.dumps(_summary(kept, layer.record.dropped)))
    print(
        json.dumps(
            {
                "total_s": total,
                "peak_mb": _peak_mb(),
                "start_mb": before,
                "worker_peak_mb": sorted(worker_peaks.values()),
                "partitions": partitions,
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
    parser.add_argument("--n", type=int, default=2_000_000, help="rows (default 2M)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="2GiB", help="per dask worker")
    parser.add_argument("--blocksize", default="16MB", help="bytes per partition (bkmap's default)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path, out = args.child
        if kind == "single":
            single(path, out)
        else:
            on_dask(path, out, args.workers, args.memory_limit, args.blocksize)
        return
    with tempfile.TemporaryDirectory(prefix="bench_dask_csv_") as tmp:
        path = Path(tmp) / "cells.csv"
        start = time.perf_counter()
        make_file(path, args.n)
        size = path.stat().st_size / 1e6
        print(f"{args.n:,} rows, {size:.0f} MB, made in {time.perf_counter() - start:.1f} s")
        one, many = Path(tmp) / "single.json", Path(tmp) / "dask.json"
        s = _run("--child", "single", str(path), str(one))
        print(
            f"single machine (read_points): {s['total_s']:.1f} s, "
            f"peak RSS {s['peak_mb']:.0f} MB (after imports {s['start_mb']:.0f} MB)"
        )
        d = _run(
            "--workers",
            str(args.workers),
            "--memory-limit",
            args.memory_limit,
            "--blocksize",
            args.blocksize,
            "--child",
            "dask",
            str(path),
            str(many),
        )
        peaks = ", ".join(f"{p:.0f}" for p in d["worker_peak_mb"])
        print(
            f"dask (read_cells_partitioned, {args.workers} workers, {d['partitions']} partitions "
            f"of {args.blocksize}): {d['total_s']:.1f} s, client peak RSS {d['peak_mb']:.0f} MB "
            f"(after imports and cluster start {d['start_mb']:.0f} MB), worker peaks {peaks} MB"
        )
        print(
            f"ratios dask/single: time {d['total_s'] / s['total_s']:.2f}x, "
            f"client peak RSS {d['peak_mb'] / s['peak_mb']:.2f}x"
        )
        a, b = json.loads(one.read_text()), json.loads(many.read_text())
        print(
            f"same cells kept: {a['kept_rows'] == b['kept_rows']} ({a['kept']:,}); "
            f"same rows dropped with the same reasons: "
            f"{a['reasons'] == b['reasons'] and a['dropped_rows_hash'] == b['dropped_rows_hash']} "
            f"({a['dropped']:,})"
        )
        ranked = sorted(a["reasons"].items(), key=lambda kv: -kv[1])
        for reason, count in ranked[:4]:
            print(f"  {count:>9,}  {reason}")
        rest = sum(count for _, count in ranked[4:])
        print(f"  {rest:>9,}  in {len(ranked) - 4:,} other reasons (most name the row's values)")


if __name__ == "__main__":
    main()
