"""Benchmark of the gap-analysis kernels on the national commune layer.

Joins N generated cell sites (default 1,000,000), with their coverage discs,
to the 11,163 communes of ``boundaries/vn_communes_2009.gpkg`` and prints the
time of each step, the peak memory, and the plain-geopandas route beside it:
``gpd.sjoin(points, communes, predicate="within")`` then a groupby count, on the
same points and polygons in the same run. Run from the project root::

    .venv/bin/python bench/bench_gaps.py            # 1,000,000 sites
    .venv/bin/python bench/bench_gaps.py --n 100000 # a quick run

Targets on a 2-core machine: points in polygons at most 0.8x the plain
``sjoin`` + groupby route (issue 14) and under 10 s; covered shares of the 11k
communes under 60 s. The counts are checked equal to sjoin's on every commune
that overlaps no other (where the 2009 layer's communes overlap, sjoin counts a
point in both, bkmap in one).

The sites are generated, not real: each falls in a commune drawn with
probability proportional to its 2009 population, scattered around the
commune's representative point (normal, sigma = sqrt(area) / 3); radio GSM
30 %, UMTS 25 %, LTE 40 %, NR 5 %; 60 % carry an OpenCelliD-like ``range``
(log-normal, median 1.5 km, 100 m to 12 km), the others the default radius of
their technology (bkmap.io.points.DEFAULT_RADII_M).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bkmap import datasets  # noqa: E402
from bkmap.analysis import count_points_in_polygons, covered_share  # noqa: E402
from bkmap.io.points import DEFAULT_RADII_M  # noqa: E402

METRIC = "EPSG:3405"


class Timer:
    """Print the wall time of each step as it ends."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    def __call__(self, name: str):
        timer = self

        class _Step:
            def __enter__(self) -> None:
                self.start = time.perf_counter()

            def __exit__(self, *exc: object) -> None:
                elapsed = time.perf_counter() - self.start
                timer.times[name] = elapsed
                print(f"{name:<44} {elapsed:8.2f} s   (peak RSS {peak_mb():,.0f} MB)", flush=True)

        return _Step()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate_sites(communes: gpd.GeoDataFrame, n: int, seed: int) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    weights = communes["population"].to_numpy(float).clip(min=1.0)
    pick = rng.choice(len(communes), size=n, p=weights / weights.sum())
    centres = shapely.get_coordinates(communes.geometry.representative_point().to_numpy())
    sigma = np.sqrt(shapely.area(communes.geometry.to_numpy())) / 3
    xy = centres[pick] + rng.normal(size=(n, 2)) * sigma[pick, None]
    radio = rng.choice(["GSM", "UMTS", "LTE", "NR"], size=n, p=[0.30, 0.25, 0.40, 0.05])
    given = rng.random(n) < 0.6
    ranged = np.clip(rng.lognormal(np.log(1500), 0.8, n), 100, 12_000)
    default = np.vectorize(DEFAULT_RADII_M.get)(radio)
    radius = np.where(given, ranged, default)
    return gpd.GeoDataFrame(
        {"radio": radio, "radius_m": radius},
        geometry=shapely.points(xy),
        crs=METRIC,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of cell sites")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    print(f"bench_gaps: n={args.n:,} cores={os.cpu_count()} load={os.getloadavg()}")
    step = Timer()
    with step("read 11,163 communes (pyogrio)"):
        communes = gpd.read_file(datasets.path("national_2009"), engine="pyogrio")
        communes["code"] = communes["commune_id"].astype(str)
    with step("communes to EPSG:3405"):
        communes = communes.to_crs(METRIC)
    with step(f"generate {args.n:,} sites"):
        sites = generate_sites(communes, args.n, args.seed)
    plain_step = "plain geopandas: sjoin(within) + groupby"
    with step(plain_step):
        joined = gpd.sjoin(sites[["geometry"]], communes[["code", "geometry"]], predicate="within")
        plain = joined.groupby("code").size().reindex(communes["code"], fill_value=0)
    with step("count_points_in_polygons"):
        counts = count_points_in_polygons(sites, communes, key="code")
    with step("covered_share (discs, 11k communes)"):
        shares = covered_share(communes, sites, key="code")
    floor = step.times[plain_step]
    overlapped = communes["code"].isin(joined.loc[joined.index.duplicated(keep=False), "code"])
    alone = ~overlapped.to_numpy()
    same = bool((counts.to_numpy()[alone] == plain.to_numpy()[alone]).all())
    count = step.times["count_points_in_polygons"]
    share = step.times["covered_share (discs, 11k communes)"]
    print()
    print(
        f"points inside a commune:  {int(counts.sum()):,} of {args.n:,} "
        f"(sjoin pairs {len(joined):,}); counts equal to sjoin's on the "
        f"{int(alone.sum()):,} communes that overlap none: {same}"
    )
    print(
        f"communes fully covered:   {int((shares >= 1 - 1e-12).sum()):,} of {len(shares):,};"
        f" mean share {float(shares.mean()):.4f}"
    )
    print(
        f"count / plain sjoin:      {count / floor:.2f}x  (target <= 0.8x; {count:.2f} s, "
        f"target < 10 s)"
    )
    print(f"covered shares:           {share:.2f} s (target < 60 s)")
    print(f"peak memory (max RSS):    {peak_mb():,.0f} MB")
    print(f"load average at the end:  {os.getloadavg()}")


if __name__ == "__main__":
    main()
