"""Benchmark of bkmap.planning.model: print solve times and the optimum-vs-greedy gaps.

1. The commune knapsack on the 110 xã of 2019 (targets: under 1 s per solve), for
   each objective and unknown policy, with the shipped data, and once with
   random per-commune costs (the hardest case for the solver: no equal costs).
2. MCLP with spopt on 1,500 generated villages x 500 candidate sites (target:
   under 60 s), against the greedy covering heuristic.

Run: ``.venv/bin/python bench/bench_planning.py``. Generated points are random
(seeded), placed inside the province's bounding box in EPSG:3405; they are not data.
"""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pandas as pd

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


def bench_mclp(n_villages: int = 1500, n_sites: int = 500, new_sites: int = 60) -> None:
    print(f"== MCLP (spopt), {n_villages} villages x {n_sites} candidate sites ==")
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
            "existing": np.arange(n_sites) < 20,
        },
        geometry=gpd.points_from_xy(
            rng.uniform(minx, maxx, n_sites), rng.uniform(miny, maxy, n_sites)
        ),
        crs="EPSG:3405",
    )
    for radius in (3000.0, planning.DEFAULT_RADIUS_M):
        start = time.perf_counter()
        result = siting.plan_villages(villages, sites, new_sites=new_sites, radius_m=radius)
        total = time.perf_counter() - start
        print(
            f"radius {radius:6.0f} m, 20 existing + {new_sites} new: model+solve "
            f"{result.seconds:6.2f} s (total {total:6.2f} s); covered {result.covered_share:.2%} "
            f"optimum vs {result.greedy_share:.2%} greedy, gap {result.gap:.2%}; "
            f"{len(result.uncovered)} villages uncovered"
        )


if __name__ == "__main__":
    bench_communes()
    bench_mclp()
