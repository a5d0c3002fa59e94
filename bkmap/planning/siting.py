"""Village-level siting of radio stations: maximal covering location (PySAL spopt MCLP).

Demand is the villages (thôn/bản), weighted by population; candidate sites are
the commune centres or a user's layer; existing sites are kept. Split from
:mod:`bkmap.planning.model`, which owns the commune-level model.
"""

from __future__ import annotations

import logging
import math
import time
import warnings
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
                f"village {_feature_label(villages, i)}: {population_col} {raw.loc[i]!r} is not a "
                "number of 0 or more. Fill it in, or drop the column to spread commune population."
                for i in villages.index[bad.to_numpy()]
            ]
            collect(problems, header="village points: bad population values:")
            return values.to_numpy(dtype=float), "village population column"
    if communes is None:
        msg = "village points have no population: give the commune polygons to spread it."
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


def _coverage_matrix(
    villages: gpd.GeoSeries, sites: gpd.GeoSeries, radius_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Distances (inf beyond the radius) and the 0/1 coverage matrix, via STRtree."""

    tree = shapely.STRtree(sites.to_numpy())
    vi, si = tree.query(villages.to_numpy(), predicate="dwithin", distance=radius_m)
    dist = np.full((len(villages), len(sites)), np.inf)
    dist[vi, si] = shapely.distance(villages.to_numpy()[vi], sites.to_numpy()[si])
    return dist, dist <= radius_m


def _greedy_cover(
    cover: np.ndarray, weights: np.ndarray, existing: np.ndarray, new_sites: int
) -> np.ndarray:
    """Greedy MCLP: keep existing sites, then add the site covering the most new weight."""
    chosen = existing.copy()
    covered = cover[:, chosen].any(axis=1) if chosen.any() else np.zeros(len(weights), dtype=bool)
    for _ in range(new_sites):
        free = weights * ~covered
        gains = free @ cover
        gains[chosen] = -1.0
        best = int(np.argmax(gains))
        if gains[best] < 0:
            break
        chosen[best] = True
        covered |= cover[:, best]
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
    """Choose ``new_sites`` sites that cover the most village population (MCLP, spopt).

    Parameters
    ----------
    villages
        Village points (any CRS; measured in EPSG:3405).
    sites
        Candidate sites; those with ``existing_col`` true are kept as they are.
    new_sites
        How many new sites to open.
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
        msg = f"--radius: {radius_m!r} m is not a positive distance. Give metres, such as 5000."
        raise ValidationError(msg)
    if new_sites < 0:
        msg = f"the number of new sites must be 0 or more (got {new_sites})."
        raise ValidationError(msg)
    if len(sites) == 0:
        msg = "no candidate site: give commune polygons or a site layer with points."
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
    dist, cover = _coverage_matrix(v_metric.geometry, s_metric.geometry, radius_m)
    reachable = cover.any(axis=1)
    chosen = existing.copy()
    if reachable.any() and new_sites > 0:
        # Lazy: spopt (and its solver stack) loads only when a village plan is solved.
        from spopt.locate import MCLP

        sub = dist[reachable]
        with warnings.catch_warnings():
            # spopt 0.7 builds variables with LpVariable(...), which PuLP 3.3 deprecates
            # for PuLP 4.0; the model is unchanged, so the notice is not ours to act on.
            warnings.filterwarnings(
                "ignore", message="Constructing LpVariable", category=DeprecationWarning
            )
            model = MCLP.from_cost_matrix(
                np.where(np.isfinite(sub), sub, radius_m * 10.0),
                w[reachable],
                service_radius=radius_m,
                p_facilities=int(existing.sum()) + new_sites,
                predefined_facilities_arr=existing.astype(int) if existing.any() else None,
            )
            model.solve(solver(), results=False)
        status = pulp.LpStatus[model.problem.status]
        if status != "Optimal":
            msg = f"the covering model ended as {status!r}; report this with the inputs."
            raise BkmapError(msg)
        chosen = np.array([(v.value() or 0) > 0.5 for v in model.fac_vars], dtype=bool)
    elif new_sites > 0:
        log.info("no village is within %.0f m of any candidate site", radius_m)
    seconds = time.perf_counter() - start
    greedy_chosen = _greedy_cover(cover, w, existing, new_sites)

    def covered_by(mask: np.ndarray) -> np.ndarray:
        if not mask.any():
            return np.zeros(len(w), dtype=bool)
        return np.asarray(cover[:, mask].any(axis=1), dtype=bool)

    covered = covered_by(chosen)
    nearest = np.where(chosen[None, :], dist, np.inf)
    best_site = np.argmin(nearest, axis=1)
    site_ids = s_metric["site_id"].astype(str).to_numpy() if "site_id" in s_metric else None
    out_sites = s_metric.copy()
    out_sites["existing"] = existing
    out_sites["chosen"] = chosen
    out_sites["new"] = chosen & ~existing
    out_sites["in_greedy"] = greedy_chosen
    out_sites["covered_population"] = [float(w[cover[:, j]].sum()) for j in range(len(s_metric))]
    out_villages = v_metric.copy()
    out_villages["weight"] = w
    out_villages["covered"] = covered
    out_villages["site_id"] = np.where(
        covered,
        site_ids[best_site] if site_ids is not None else best_site.astype(str),
        "",
    )
    out_villages["distance_m"] = np.where(covered, nearest[np.arange(len(w)), best_site], np.nan)
    return VillagePlan(
        sites=out_sites,
        villages=out_villages,
        radius_m=float(radius_m),
        new_sites=int(new_sites),
        total_population=float(w.sum()),
        covered_population=float(w[covered].sum()),
        greedy_covered_population=float(w[covered_by(greedy_chosen)].sum()),
        existing_covered_population=float(w[covered_by(existing)].sum()),
        seconds=seconds,
        population_basis=population_basis,
    )
