"""Benchmark: how long ``bkmap --help`` and ``bkmap units`` take, against ``import geopandas``.

Run from the project root:

    .venv/bin/python bench/bench_startup.py [--runs 15]

Each command is a fresh Python process, as a user starts it. The runs are
interleaved (help, units, geopandas, help, ...), so a busy machine slows all
three alike, and the script prints the median and minimum of each, and the
ratios of the medians. Target (issue 11): ``bkmap --help`` at most 0.5x
``python -c "import geopandas"``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent

COMMANDS = {
    "bkmap --help": [str(BIN / "bkmap"), "--help"],
    "bkmap units": [str(BIN / "bkmap"), "units"],
    "import geopandas": [sys.executable, "-c", "import geopandas"],
}


def _once(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for argv in COMMANDS.values():  # warm the file cache once
        _once(argv)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, argv in COMMANDS.items():
            times[name].append(_once(argv))
    print(f"machine: {os.cpu_count()} cores; {args.runs} interleaved runs each")
    for name, values in times.items():
        print(f"{name:18s} median {statistics.median(values):.3f} s, min {min(values):.3f} s")
    base = statistics.median(times["import geopandas"])
    for name in ("bkmap --help", "bkmap units"):
        ratio = statistics.median(times[name]) / base
        target = " (target <= 0.5: met)" if ratio <= 0.5 else " (target <= 0.5: MISSED)"
        print(f"{name} / import geopandas = {ratio:.2f}{target if name == 'bkmap --help' else ''}")


if __name__ == "__main__":
    main()
