"""Benchmark: inputs of the size officials have (issue 13).

Run from the project root:

    .venv/bin/python bench/bench_inputs.py [--cells 1000000] [--rows 100000]

It writes, in a temporary folder, an OpenCelliD-format CSV of ``--cells`` rows
(Vietnam's MCC 452 spread over the country's extent, 5 % of another network,
seeded) and a status table of ``--rows`` rows (the 122 communes of 2019 repeated
with every row naming its unit by name and district, as an official's long
export does; all but the first 122 are duplicates, so the command stops with a
row-level error after matching them all), then runs, each in a fresh process
as a user would:

- ``bkmap gaps --cells FILE`` (read, filter to the province, measure coverage);
- ``bkmap map --status FILE`` on a table of ``--rows`` distinct-by-row values.

It prints the wall time and the peak resident memory of each command, beside
the targets: 1 M cells in under 20 s and 1 GB; 100 k status rows in under 5 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

BIN = Path(sys.executable).parent


def _cells(path: Path, n: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(102.2, 109.4, n)
    lat = rng.uniform(8.6, 23.3, n)
    frame = pd.DataFrame(
        {
            "radio": rng.choice(["GSM", "UMTS", "LTE"], n),
            "mcc": np.where(rng.random(n) < 0.95, 452, 460),
            "net": rng.integers(1, 8, n),
            "area": rng.integers(1, 60000, n),
            "cell": rng.integers(1, 2**28, n),
            "unit": 0,
            "lon": lon.round(6),
            "lat": lat.round(6),
            "range": rng.integers(0, 5000, n),
            "samples": rng.integers(1, 50, n),
            "changeable": 1,
            "created": 1_500_000_000,
            "updated": 1_600_000_000,
            "averageSignal": 0,
        }
    )
    frame.to_csv(path, index=False)


def _status(path: Path, n: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bkmap.io.status import load_status

    base = load_status().drop(columns=["c8", "note_en", "code"])
    frame = pd.concat([base] * (n // len(base) + 1), ignore_index=True).head(n)
    frame.to_csv(path, index=False)


def _run(argv: list[str]) -> tuple[float, float, float, int]:
    """Run one command; return its wall and CPU time, its own peak RSS in MB and its exit code.

    The CPU time (user + system) says what the command costs when the machine is shared:
    the wall time grows with the load, the CPU time much less.
    """
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # wait4 gives this child's own peak memory, not the largest of all children so far.
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, child.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    bkmap = str(BIN / "bkmap")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cells = folder / "cells.csv"
        _cells(cells, args.cells)
        status = folder / "status.csv"
        _status(status, args.rows)
        print(
            f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start"
        )
        seconds, cpu, mb, code = _run(
            [bkmap, "gaps", "--cells", str(cells), "--out", str(folder / "g")]
        )
        print(
            f"gaps --cells, {args.cells:,} rows: {seconds:.1f} s wall, {cpu:.1f} s CPU, "
            f"peak {mb:,.0f} MB, exit {code} "
            f"(target: < 20 s and < 1 GB for 1 M)"
        )
        seconds, cpu, mb, code = _run(
            [bkmap, "map", "--status", str(status), "--out", str(folder / "m.html")]
        )
        print(
            f"map --status, {args.rows:,} rows: {seconds:.1f} s wall, {cpu:.1f} s CPU, "
            f"peak {mb:,.0f} MB, exit {code} "
            f"(the rows repeat units: exit 1 with every duplicate named; target: < 5 s)"
        )


if __name__ == "__main__":
    main()
