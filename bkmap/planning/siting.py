"""Village-level siting of radio stations: the maximal covering location problem (MCLP).

Demand is the villages (thôn/bản), weighted by population; candidate sites are
the commune centres or a user's layer; existing sites are kept. A village is
covered when an open site lies within the radius, measured in EPSG:3405.
:func:`plan_villages` opens the given number of new sites so as to cover the
most population, and reports the greedy heuristic beside the optimum. Split
from :mod:`bkmap.planning.model`, which owns the commune-level model.

The model is a small integer program solved with PuLP and the CBC that the
commune model uses (:func:`bkmap.planning.model.solver`); the formulation is in
:func:`_solve_mclp`. It was solved with PySAL spopt until 2026-12; spopt wants a
dense villages x sites cost matrix and brought 18 packages (225 MiB) for this
one model, which PuLP, already needed, states in a few lines.

Why sparse: a village is covered by the few sites within the radius, so the
model is built from the (village, site) pairs an STRtree finds within that
distance, never from a dense matrix. 20,000 villages x 2,000 sites is 40
million cells but, at 5 km over the province, about 1 % of them are pairs.

Ties: among plans that cover the same population, the one with lower site
indices is returned (see :func:`_lowest_index_optimum`), so repeated runs give
the same sites.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pulp
import shapely

from bkmap import settings
from bkmap._errors import BkmapError, ValidationError, collect
from bkmap.i18n import msg as _msg
from bkmap.planning.model import (
    DEFAULT_RADIUS_M,
    load_population,
    solver,
)

log = logging.getLogger(__name__)

__all__ = [
    "VillagePlan",
    "commune_sites",
    "plan_villages",
]

# --------------------------------------------------------------------------- villages


def commune_sites(communes: gpd.GeoDataFrame, *, existing: Iterable[str] = ()) -> gpd.GeoDataFrame:
    """Candidate sites at commune centres: a point on the surface of each polygon.

    The point is computed in EPSG:3405 (it always falls inside the commune,
    unlike a centroid). Returns ``site_id`` (the code), ``code``, ``name``,
    ``district``, ``existing`` and point geometry in EPSG:3405.
    """
    metric = communes.to_crs(settings.metric_crs)
    keep = set(existing)
    return gpd.GeoDataFrame(
        {
            "site_id": metric["code"].astype(str).to_numpy(),
            "code": metric["code"].astype(str).to_numpy(),
            "name": metric["name"].astype(str).to_numpy(),
            "district": metric["district"].fillna("").astype(str).to_numpy(),
            "existing": metric["code"].isin(keep).to_numpy(),
        },
        geometry=metric.geometry.representative_point().to_numpy(),
        crs=settings.metric_crs,
    )


@dataclass
class VillagePlan:
    """The result of :func:`plan_villages`."""

    sites: gpd.GeoDataFrame
    villages: gpd.GeoDataFrame
    radius_m: float
    new_sites: int
    total_population: float
    covered_population: float
    greedy_covered_population: float
    existing_covered_population: float
    seconds: float
    population_basis: str

    @property
    def covered_share(self) -> float:
        return self.covered_population / self.total_population if self.total_population else 0.0

    @property
    def greedy_share(self) -> float:
        if not self.total_population:
            return 0.0
        return self.greedy_covered_population / self.total_population

    @property
    def gap(self) -> float:
        if self.covered_population <= 0:
            return 0.0
        return max(
            0.0,
            (self.covered_population - self.greedy_covered_population) / self.covered_population,
        )

    @property
    def uncovered(self) -> gpd.GeoDataFrame:
        return self.villages.loc[~self.villages["covered"]]


def village_weights(
    villages: gpd.GeoDataFrame,
    *,
    communes: gpd.GeoDataFrame | None = None,
    population_col: str = "population",
    population: pd.DataFrame | None = None,
) -> tuple[np.ndarray, str]:
    """Population weight of each village, and how it was obtained.

    With a population column every village must have a number of 0 or more.
    Without one (or when it is wholly empty) each commune's 2019 population is
    spread evenly over the villages inside it (``communes`` needed).
    """
    if population_col in villages.columns:
        raw = villages[population_col]
        values = pd.to_numeric(raw, errors="coerce")
        blank = raw.isna() | raw.astype(str).str.strip().eq("")
        if not blank.all():
            bad = values.isna() | (values < 0)
            problems = [
                _msg(
                    "site_bad_population",
                    village=_feature_label(villages, i),
                    column=population_col,
                    value=raw.loc[i],
                )
                for i in villages.index[bad.to_numpy()]
            ]
            collect(problems, header=_msg("site_bad_population_header"))
            return values.to_numpy(dtype=float), "village population column"
    if communes is None:
        msg = _msg("site_no_population")
        raise ValidationError(msg)
    pop = population if population is not None else load_population()
    metric_c = communes.to_crs(settings.metric_crs)[["code", "geometry"]]
    metric_v = villages.to_crs(settings.metric_crs)
    joined = gpd.sjoin(
        gpd.GeoDataFrame(geometry=metric_v.geometry.to_numpy(), crs=settings.metric_crs),
        metric_c,
        how="left",
        predicate="within",
    )
    joined = joined.loc[~joined.index.duplicated(keep="first")]
    counts = joined["code"].value_counts()
    by_code = dict(zip(pop["code"], pop["population"], strict=True))
    weights = joined["code"].map(lambda c: by_code.get(c, 0.0) / counts.get(c, 1) if c else 0.0)
    return weights.fillna(0.0).to_numpy(dtype=float), "2019 commune population spread evenly"


def _feature_label(frame: pd.DataFrame, index: Any) -> str:
    name = frame.at[index, "name"] if "name" in frame.columns else ""
    return f"#{index}" + (f" ({name})" if name else "")


# --------------------------------------------------------------------------- coverage pairs


@dataclass(frozen=True)
class _Cover:
    """The (village, site) pairs within the radius, sorted by village then site.

    Only the pairs are kept: with 20,000 villages and 2,000 sites a dense matrix
    would hold 40 million cells (320 MB of float distances) of which about one in
    a hundred is within 5 km; the pairs are that one in a hundred.
    """

    village: np.ndarray  # village index of each pair
    site: np.ndarray  # site index of each pair
    distance: np.ndarray  # metres, at most the radius
    n_villages: int
    n_sites: int
    village_ptr: np.ndarray  # pairs of village i: [village_ptr[i], village_ptr[i + 1])
    by_site: np.ndarray  # pair numbers ordered by site (then village)
    site_ptr: np.ndarray  # pairs of site j: by_site[site_ptr[j]:site_ptr[j + 1]]

    def sites_of(self, i: int) -> np.ndarray:
        return self.site[self.village_ptr[i] : self.village_ptr[i + 1]]

    def villages_of(self, j: int) -> np.ndarray:
        return self.village[self.by_site[self.site_ptr[j] : self.site_ptr[j + 1]]]

    def covered_by(self, open_sites: np.ndarray) -> np.ndarray:
        """Whether each village is within the radius of an open site."""
        covered = np.zeros(self.n_villages, dtype=bool)
        covered[self.village[open_sites[self.site]]] = True
        return covered


def _coverage_pairs(villages: gpd.GeoSeries, sites: gpd.GeoSeries, radius_m: float) -> _Cover:
    """Every (village, site) pair at most ``radius_m`` apart, found with an STRtree.

    Both series must be in the metric CRS (EPSG:3405). ``dwithin`` keeps a pair
    at exactly the radius, as the old ``distance <= radius`` test did.
    """

    v = villages.to_numpy()
    s = sites.to_numpy()
    tree = shapely.STRtree(s)
    vi, si = tree.query(v, predicate="dwithin", distance=radius_m)
    order = np.lexsort((si, vi))  # a fixed order whatever the tree returns
    vi = vi[order].astype(np.intp)
    si = si[order].astype(np.intp)
    dist = np.asarray(shapely.distance(v[vi], s[si]), dtype=float)
    by_site = np.lexsort((vi, si))
    return _Cover(
        village=vi,
        site=si,
        distance=dist,
        n_villages=len(v),
        n_sites=len(s),
        village_ptr=np.concatenate(([0], np.cumsum(np.bincount(vi, minlength=len(v))))),
        by_site=by_site,
        site_ptr=np.concatenate(([0], np.cumsum(np.bincount(si, minlength=len(s))))),
    )


def _greedy_cover(
    cover: _Cover, weights: np.ndarray, existing: np.ndarray, new_sites: int
) -> np.ndarray:
    """Greedy MCLP: keep existing sites, then add the site covering the most new weight.

    Ties go to the lower site index (``argmax``); a site that adds nothing is
    still taken while sites are left, as the covering model does.
    """
    chosen = existing.copy()
    covered = cover.covered_by(chosen)
    pair_weight = np.where(covered[cover.village], 0.0, weights[cover.village])
    for _ in range(new_sites):
        gains = np.bincount(cover.site, weights=pair_weight, minlength=cover.n_sites)
        gains[chosen] = -1.0
        best = int(np.argmax(gains))
        if gains[best] < 0:
            break
        chosen[best] = True
        newly = cover.villages_of(best)
        covered[newly] = True
        pair_weight[covered[cover.village]] = 0.0
    return chosen


# --------------------------------------------------------------------------- the model


def _solve_mclp(
    cover: _Cover,
    weights: np.ndarray,
    existing: np.ndarray,
    new_sites: int,
) -> np.ndarray:
    """The sites to open: the existing ones and ``new_sites`` new ones covering the most weight.

    The maximal covering location problem (Church and ReVelle, 1974) as a small
    integer program for PuLP and CBC::

        maximise    sum_i w_i z_i
        subject to  z_i <= sum_{j within the radius of i} y_j   for each village i in the model
                    sum_{j new} y_j <= new_sites
                    y_j in {0, 1},  0 <= z_i <= 1

    Villages within reach of the same sites share one ``z`` with their summed
    weight. Existing sites are open (``y_j = 1``), so they are not variables: the
    villages they cover are fixed covered and left out, and they cover no
    village that is left in. Villages out of reach of every site (their ``z`` is
    0) and villages of weight 0 are left out too; they stay in the totals. A
    site covering no village left in gets no variable: it adds nothing.

    ``z_i`` is continuous in [0, 1], not binary: for fixed 0/1 sites the best
    ``z_i`` is ``min(1, sum_j y_j)`` (its weight is positive), which is 0 or 1,
    so every optimum is integral, and CBC branches on the site variables only.
    """
    chosen = existing.copy()
    free = ~existing
    covered = cover.covered_by(existing)
    reachable = np.zeros(cover.n_villages, dtype=bool)
    reachable[cover.village] = True
    in_model = (weights > 0) & ~covered & reachable
    useful = np.zeros(cover.n_sites, dtype=bool)
    useful[cover.site[in_model[cover.village]]] = True
    useful &= free
    candidates = np.flatnonzero(useful)
    if len(candidates) <= new_sites:
        chosen[candidates] = True  # every useful site fits: nothing to choose
    else:
        # Villages within reach of the same sites are covered together: one z for
        # each such group, with their summed weight (on the bench's 20,000 random
        # villages, a quarter fewer rows at 5 km and nearly half fewer at 3 km).
        groups: dict[tuple[int, ...], float] = {}
        for i in np.flatnonzero(in_model):
            key = tuple(cover.sites_of(int(i)).tolist())
            groups[key] = groups.get(key, 0.0) + float(weights[i])
        prob = pulp.LpProblem("village_mclp", pulp.LpMaximize)
        y = {int(j): prob.add_variable(f"y_{j}", 0, 1, cat="Binary") for j in candidates}
        objective = []
        for g, (reach, weight) in enumerate(groups.items()):
            z = prob.add_variable(f"z_{g}", 0, 1)
            objective.append((z, weight))
            terms = [(z, 1.0)] + [(y[j], -1.0) for j in reach]
            prob.addConstraint(
                pulp.LpConstraint(pulp.LpAffineExpression(terms), pulp.LpConstraintLE, rhs=0),
                f"cover_{g}",
            )
        prob.setObjective(pulp.LpAffineExpression(objective))
        prob.addConstraint(
            pulp.LpConstraint(
                pulp.LpAffineExpression([(v, 1.0) for v in y.values()]),
                pulp.LpConstraintLE,
                rhs=new_sites,
            ),
            "new_sites",
        )
        prob.solve(solver())
        status = pulp.LpStatus[prob.status]
        if status != "Optimal":
            msg = _msg("site_solver_status", status=status)
            raise BkmapError(msg)
        for j, v in y.items():
            chosen[j] = (v.value() or 0) > 0.5
    # Open exactly ``new_sites`` new sites, as spopt's model (an equality) and the
    # greedy heuristic did, and as the CLI's budget (stations it pays for) implies.
    # At the optimum every site not yet open adds nothing, so these are the
    # lowest-numbered free ones; the swaps below may still move them.
    short = new_sites - int((chosen & free).sum())
    if short > 0:
        chosen[np.flatnonzero(free & ~chosen)[:short]] = True
    return _lowest_index_optimum(cover, weights, chosen, free)


def _lowest_index_optimum(
    cover: _Cover, weights: np.ndarray, chosen: np.ndarray, free: np.ndarray
) -> np.ndarray:
    """Break ties between plans of equal coverage: lower site index first.

    Many plans often cover the same population (two sites at one place, a site
    whose villages others already cover). CBC returns one of them; which one
    depends on its search, not on the data. So, after the solve, each chosen
    new site, highest index first, is swapped for the lowest-numbered free site
    that keeps the covered weight, until no such swap is left. Each swap lowers
    the sum of the chosen indices, so this ends; it never lowers coverage, so
    the plan stays optimal. With CBC itself deterministic (one thread, a model
    built in a fixed order) repeated runs give the same sites, and the rule,
    not the solver, picks among the usual ties.

    Done here rather than with a tiny bonus per site in the objective: a bonus
    small enough never to outweigh a real difference in population is below
    CBC's tolerances on a large model, so it would break ties only sometimes.
    """
    chosen = chosen.copy()
    w_pair = weights[cover.village]
    count = np.bincount(cover.village[chosen[cover.site]], minlength=cover.n_villages)
    tol = 1e-9 * max(1.0, float(weights.sum()))
    index = np.arange(cover.n_sites)

    def open_gains() -> np.ndarray:
        """Weight each site would add now (villages no open site covers)."""
        return np.bincount(
            cover.site,
            weights=np.where(count[cover.village] == 0, w_pair, 0.0),
            minlength=cover.n_sites,
        )

    base = open_gains()
    swapped = True
    while swapped:
        swapped = False
        for s in np.flatnonzero(chosen & free)[::-1]:
            mine = cover.villages_of(int(s))
            alone = mine[count[mine] == 1]  # villages only s covers: lost without it
            loss = float(weights[alone].sum())
            gains = base.copy()
            if len(alone):
                # those villages would be uncovered again: a site covering them wins them back
                spans = [cover.sites_of(int(i)) for i in alone]
                again = np.concatenate(spans)
                gains += np.bincount(
                    again,
                    weights=np.repeat(weights[alone], [len(x) for x in spans]),
                    minlength=cover.n_sites,
                )
            better = free & ~chosen & (index < s) & (gains >= loss - tol)
            if not better.any():
                continue
            j = int(np.argmax(better))  # the lowest such index
            chosen[s] = False
            chosen[j] = True
            count[mine] -= 1
            count[cover.villages_of(j)] += 1
            base = open_gains()
            swapped = True
    return chosen


def plan_villages(
    villages: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    *,
    new_sites: int,
    radius_m: float = DEFAULT_RADIUS_M,
    weights: np.ndarray | None = None,
    population_basis: str = "given weights",
    existing_col: str = "existing",
) -> VillagePlan:
    """Choose ``new_sites`` sites that cover the most village population (MCLP, PuLP + CBC).

    Parameters
    ----------
    villages
        Village points (any CRS; measured in EPSG:3405).
    sites
        Candidate sites; those with ``existing_col`` true are kept as they are.
    new_sites
        How many new sites to open (all free sites when fewer are free). Exactly
        that many are opened while some village is within reach of a site,
        even when the last ones add no coverage.
    radius_m
        A village is covered when a chosen site is within this distance.
    weights
        Population of each village (see :func:`village_weights`); default
        the ``population`` column.
    population_basis
        How the weights were obtained, for the report.

    Returns
    -------
    VillagePlan
        ``sites`` with ``chosen``/``new`` flags, ``villages`` with ``covered`` and
        the nearest covering ``site_id``, the covered share, the greedy result and
        the gap.
    """
    if radius_m <= 0 or not math.isfinite(radius_m):
        msg = _msg("site_bad_radius", value=radius_m)
        raise ValidationError(msg)
    if new_sites < 0:
        msg = _msg("site_bad_new_sites", value=new_sites)
        raise ValidationError(msg)
    if len(sites) == 0:
        msg = _msg("site_no_candidate")
        raise ValidationError(msg)
    if weights is None:
        weights, population_basis = village_weights(villages)
    w = np.asarray(weights, dtype=float)
    v_metric = villages.to_crs(settings.metric_crs)
    s_metric = sites.to_crs(settings.metric_crs).reset_index(drop=True)
    existing = (
        s_metric[existing_col].fillna(False).astype(bool).to_numpy()
        if existing_col in s_metric
        else np.zeros(len(s_metric), dtype=bool)
    )
    free_sites = int((~existing).sum())
    if new_sites > free_sites:
        log.info("only %d candidate sites are free; opening all of them", free_sites)
        new_sites = free_sites
    start = time.perf_counter()
    cover = _coverage_pairs(v_metric.geometry, s_metric.geometry, radius_m)
    chosen = existing.copy()
    if len(cover.village) and new_sites > 0:
        chosen = _solve_mclp(cover, w, existing, new_sites)
    elif new_sites > 0:
        log.info("no village is within %.0f m of any candidate site", radius_m)
    seconds = time.perf_counter() - start
    greedy_chosen = _greedy_cover(cover, w, existing, new_sites)

    covered = cover.covered_by(chosen)
    # the nearest chosen site of each covered village (ties: lower site index)
    open_pair = chosen[cover.site]
    vi, si, di = cover.village[open_pair], cover.site[open_pair], cover.distance[open_pair]
    first = np.lexsort((si, di, vi))
    vi, si, di = vi[first], si[first], di[first]
    vi, at = np.unique(vi, return_index=True)
    best_site, best_dist = si[at], di[at]
    site_ids = s_metric["site_id"].astype(str).to_numpy() if "site_id" in s_metric else None
    out_sites = s_metric.copy()
    out_sites["existing"] = existing
    out_sites["chosen"] = chosen
    out_sites["new"] = chosen & ~existing
    out_sites["in_greedy"] = greedy_chosen
    out_sites["covered_population"] = np.bincount(
        cover.site, weights=w[cover.village], minlength=len(s_metric)
    ).astype(float)
    out_villages = v_metric.copy()
    out_villages["weight"] = w
    out_villages["covered"] = covered
    village_site = np.full(len(w), "", dtype=object)
    village_site[vi] = site_ids[best_site] if site_ids is not None else best_site.astype(str)
    out_villages["site_id"] = village_site
    distance = np.full(len(w), np.nan)
    distance[vi] = best_dist
    out_villages["distance_m"] = distance
    return VillagePlan(
        sites=out_sites,
        villages=out_villages,
        radius_m=float(radius_m),
        new_sites=int(new_sites),
        total_population=float(w.sum()),
        covered_population=float(w[covered].sum()),
        greedy_covered_population=float(w[cover.covered_by(greedy_chosen)].sum()),
        existing_covered_population=float(w[cover.covered_by(existing)].sum()),
        seconds=seconds,
        population_basis=population_basis,
    )
