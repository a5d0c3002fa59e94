"""Benchmark of bkmap.planning.model: print solve times and the optimum-vs-greedy gaps.

1. The commune knapsack on the 110 xã of 2019 (targets: under 1 s per solve), for
   each objective and unknown policy, with the shipped data, and once with
   random per-commune costs (the hardest case for the solver: no equal costs).
2. The village covering model (MCLP, PuLP + CBC on the sparse village-site
   pairs) on 1,500 generated villages x 500 candidate sites (target: under
   60 s), against the greedy covering heuristic.
3. The same on 20,000 villages x 2,000 sites, 20 existing + 20 new: 40 million
   village-site cells, which the dense matrix of the spopt model held (1.7 GB
   peak and about 8 minutes at 5 km on the bench machine, 2026-12); the pairs
   within the radius are under 1 % of them.

Each MCLP case runs in a fresh process, so that its peak memory (``ru_maxrss``
of that process, loading included) is its own. Many more new sites make the
integer program much harder for CBC: 200 new sites among 2,000 at 5 km took
from 5 to over 10 minutes on a shared machine (spopt's model took as long).

Run: ``.venv/bin/python bench/bench_planning.py``. Generated points are random
(seeded), placed inside the province's bounding box in EPSG:3405; they are not data.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from bkmap.pipeline import load_joined
from bkmap.planning import model as planning
from bkmap.planning import siting


def _line(label: str, seconds: float, optimum: float, heuristic: float, gap: float) -> None:
    print(
        f"{label:<58} {seconds:7.3f} s   optimum {optimum:12.4f}   greedy {heuristic:12.4f}"
        f"   gap {gap:6.2%}"
    )


def bench_communes() -> None:
    joined, _ = load_joined()
    print("== commune knapsack, 110 xã (2019), PuLP + CBC ==")
    for unknown, p in (("exclude", None), ("need", None), ("probability", 45 / 101)):
        cands = planning.candidates(
            joined, unknown=unknown, probability=p, upgrade_cost=200_000_000
        )
        for objective in planning.OBJECTIVES:
            for budget in (5_000_000_000, 8_300_000_000):
                start = time.perf_counter()
                best = planning.solve(cands, budget=budget, objective=objective)
                seconds = time.perf_counter() - start
                heur = planning.greedy(cands, budget=budget, objective=objective)
                label = f"{unknown:<11} {objective:<10} budget {budget / 1e9:.1f} bn"
                _line(label, seconds, best.value, heur.value, planning.gap(best, heur))
    rng = np.random.default_rng(20190812)
    cands = planning.candidates(joined, unknown="need")
    costs = pd.Series(
        rng.integers(150, 700, size=len(cands)) * 1_000_000 + rng.integers(0, 999, len(cands)),
        index=cands["code"].to_numpy(),
    )
    cands = planning.candidates(joined, unknown="need", costs=costs.to_dict())
    for objective in planning.OBJECTIVES:
        start = time.perf_counter()
        best = planning.solve(cands, budget=8_300_000_000, stations=20, objective=objective)
        seconds = time.perf_counter() - start
        heur = planning.greedy(cands, budget=8_300_000_000, stations=20, objective=objective)
        _line(
            f"random costs {objective:<10} 8.3 bn + 20 stations",
            seconds,
            best.value,
            heur.value,
            planning.gap(best, heur),
        )


def _peak_mib() -> float:
    """Peak resident memory of this process so far (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _mclp_case(
    n_villages: int, n_sites: int, n_existing: int, new_sites: int, radius: float
) -> str:
    """One MCLP run, meant for a fresh process; returns its report line."""
    joined, _ = load_joined()
    minx, miny, maxx, maxy = joined.to_crs("EPSG:3405").total_bounds
    rng = np.random.default_rng(7)
    villages = gpd.GeoDataFrame(
        {"population": rng.integers(80, 1500, n_villages)},
        geometry=gpd.points_from_xy(
            rng.uniform(minx, maxx, n_villages), rng.uniform(miny, maxy, n_villages)
        ),
        crs="EPSG:3405",
    )
    sites = gpd.GeoDataFrame(
        {
            "site_id": [f"S{j}" for j in range(n_sites)],
            "existing": np.arange(n_sites) < n_existing,
        },
        geometry=gpd.points_from_xy(
            rng.uniform(minx, maxx, n_sites), rng.uniform(miny, maxy, n_sites)
        ),
        crs="EPSG:3405",
    )
    before = _peak_mib()
    start = time.perf_counter()
    result = siting.plan_villages(villages, sites, new_sites=new_sites, radius_m=radius)
    total = time.perf_counter() - start
    tree = shapely.STRtree(sites.geometry.to_numpy())
    pairs = tree.query(villages.geometry.to_numpy(), predicate="dwithin", distance=radius)
    return (
        f"radius {radius:6.0f} m, {n_existing} existing + {new_sites} new: model+solve "
        f"{result.seconds:6.2f} s (total {total:6.2f} s); covered {result.covered_share:.2%} "
        f"optimum vs {result.greedy_share:.2%} greedy, gap {result.gap:.3%}; "
        f"{len(result.uncovered)} villages uncovered; peak memory {_peak_mib():.0f} MiB "
        f"({before:.0f} MiB before the model); {pairs.shape[1]:,} village-site pairs of "
        f"{n_villages * n_sites:,} cells"
    )


def bench_mclp(
    n_villages: int = 1500,
    n_sites: int = 500,
    new_sites: int = 60,
    n_existing: int = 20,
    radii: tuple[float, ...] = (3000.0, planning.DEFAULT_RADIUS_M),
) -> None:
    print(
        f"== MCLP (PuLP + CBC, sparse pairs), {n_villages:,} villages x {n_sites:,} "
        "candidate sites =="
    )
    spawn = multiprocessing.get_context("spawn")
    for radius in radii:
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            args = (n_villages, n_sites, n_existing, new_sites, radius)
            print(pool.submit(_mclp_case, *args).result(), flush=True)


if __name__ == "__main__":
    bench_communes()
    bench_mclp()
    bench_mclp(n_villages=20_000, n_sites=2_000, new_sites=20)
