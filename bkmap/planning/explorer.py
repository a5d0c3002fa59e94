"""Precompute every optimum the planner's explorer page shows (``bkmap planner``).

The page answers "what does budget ``B`` (or ``k`` stations) buy under this
assumption and objective?" at once and offline, so every answer is computed
here, in Python, with the model of :mod:`bkmap.planning.model`:

- the settings: each policy for unknown communes (``exclude``, ``need``, and
  ``probability`` at every ``p`` of :data:`P_GRID` plus the published ``p``
  and any the user gives) times each objective of :data:`OBJECTIVES`;
- for each setting, the optimum at every step of a budget grid and at every
  station count ``k = 0 .. N`` (``N`` candidates), and the ratio greedy
  answer at the same points.

The budget grid. Its step is the greatest common divisor of the station costs
when that gives at most :data:`MAX_STEPS` steps (then every plan's cost is a
multiple of the step, so the optimum at a grid budget is the optimum for any
budget up to the next step: the grid is *exact*); otherwise the smallest
station cost, so each step adds at most one station's cost and the page says
that it shows the grid step at or below the budget asked. With the shipped
data every station costs 416,666,666 VND (5 bn / 12), so the grid is exact.

Exact, by the same model. :func:`bkmap.planning.model.solve` solves a
lexicographic 0-1 knapsack whose symmetry-breaking constraints make the chosen
communes of each cost a *prefix* of that cost's communes ranked by the stage
values. Its optimum is therefore the best choice of how many communes to take
from each cost class; with few distinct costs (one or two by default) there
are few such choices, and :func:`explore` compares them all, stage by stage
with the solver's tolerance. With more than :data:`MAX_COMBINATIONS` choices
it calls :func:`~bkmap.planning.model.solve` (PuLP + CBC) at every point
instead. Either way :func:`explore` checks a sample of points against the
solver and every point against greedy, and raises if the optimum is worse
than greedy or differs from the solver's.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from bkmap import settings
from bkmap._errors import BkmapError, ValidationError
from bkmap._progress import progress
from bkmap.analysis.summary import district_counts
from bkmap.i18n import msg as _msg
from bkmap.join import Assessment
from bkmap.model.criteria import in_programme
from bkmap.planning.model import (
    BILLION,
    DEFAULT_NEW_STATION_COST_VND,
    OBJECTIVES,
    Policy,
    built_station_codes,
    candidates,
    objective_values,
    published_probability,
    solve,
)
from bkmap.planning.siting import plan_villages

__all__ = [
    "MAX_COMBINATIONS",
    "MAX_STEPS",
    "P_GRID",
    "Explorer",
    "Series",
    "Setting",
    "VillageSeries",
    "chosen_sets",
    "expand",
    "explore",
    "explore_villages",
    "fast_greedy",
]

#: The values of ``p`` precomputed for the probability policy (besides the published one
#: and any given): 0.05 to 1 in steps of 0.05.
P_GRID: tuple[float, ...] = tuple(round(0.05 * i, 2) for i in range(1, 21))

#: Most budget-grid steps. A cost table whose costs share no large divisor falls back to
#: a step of the smallest cost; one whose smallest cost is tiny is refused.
MAX_STEPS: int = 20_000

#: Most choices of "how many communes of each cost" compared directly; above it, the
#: integer program is solved at every point (slow, but the same answer).
MAX_COMBINATIONS: int = 200_000

# The solver keeps each stage within this relative tolerance of its optimum
# (bkmap.planning.model._solve_stages); the comparison here uses the same one.
_STAGE_TOL = 1e-7


@dataclass(frozen=True)
class Setting:
    """One policy for unknown communes (with its ``p``) and one objective."""

    unknown: str
    p: float | None
    objective: str


@dataclass
class Series:
    """The optimum and greedy answers of one setting along the budget grid and the counts.

    Each list holds, per point, the chosen communes as sorted indexes into
    :attr:`Explorer.codes`.
    """

    budget: list[tuple[int, ...]]
    budget_greedy: list[tuple[int, ...]]
    stations: list[tuple[int, ...]]
    stations_greedy: list[tuple[int, ...]]
    #: Per code-table index: the gain in communes, the value in the objective (0 if not a candidate).
    gain: list[float]
    value: list[float]


@dataclass
class Explorer:
    """Everything the planner's page needs, computed once.

    Attributes
    ----------
    units
        One row per unit: ``code, name, district, state, conflicting, population,
        cost_vnd, cost_basis`` (cost empty for a unit no policy makes a candidate).
    codes
        The code table: communes a station could bring to criterion 8 under some
        policy (``needs_station`` or ``unknown``), in the units' order.
    step_vnd, budgets
        The budget grid (``budgets[i] = i * step_vnd``).
    exact_grid
        Every station cost is a multiple of the step: the optimum at grid step
        ``floor(B / step)`` is the optimum at budget ``B``.
    series
        One :class:`Series` per :class:`Setting`.
    districts
        Per district (and ``Total``): xã in the programme and the criterion-8
        counts before any plan (:func:`bkmap.analysis.summary.district_counts`).
    """

    units: pd.DataFrame
    codes: tuple[str, ...]
    step_vnd: int
    budgets: list[int]
    exact_grid: bool
    p_values: tuple[float, ...]
    published_p: float | None
    weight: float
    policy: Policy
    costs_from_file: int
    as_of: str
    districts: pd.DataFrame
    series: dict[Setting, Series] = field(default_factory=dict)
    checked: int = 0
    seconds: float = 0.0
    solver_points: int = 0
    villages: VillageSeries | None = None

    def selected(
        self,
        *,
        unknown: str,
        objective: str = "communes",
        p: float | None = None,
        budget: int | None = None,
        stations: int | None = None,
    ) -> tuple[str, ...]:
        """The codes the page shows for these settings (the same lookup as the page's)."""
        series = self.series[self.setting(unknown, p, objective)]
        if budget is not None and stations is not None:
            msg = _msg("explore_not_both")
            raise ValidationError(msg)
        if budget is not None:
            chosen = series.budget[self.budget_step(budget)]
        elif stations is not None:
            chosen = series.stations[min(stations, len(series.stations) - 1)]
        else:
            msg = _msg("explore_need_one")
            raise ValidationError(msg)
        return tuple(self.codes[i] for i in chosen)

    def budget_step(self, budget: int) -> int:
        """Index of the grid step shown for ``budget``: the last one at or below it."""
        if self.step_vnd <= 0:
            return 0
        return min(budget // self.step_vnd, len(self.budgets) - 1)

    def setting(self, unknown: str, p: float | None, objective: str) -> Setting:
        """The precomputed setting for these choices; ``p`` is matched to the grid (±0.0005)."""
        if unknown != "probability":
            return Setting(unknown, None, objective)
        if p is None:
            p = self.published_p if self.published_p is not None else 0.5
        for value in self.p_values:
            if abs(value - p) <= 5e-4:
                return Setting(unknown, value, objective)
        msg = _msg(
            "explore_p_not_precomputed", p=p, values=", ".join(f"{v:g}" for v in self.p_values)
        )
        raise ValidationError(msg)


def greedy_order(
    values: np.ndarray, costs: np.ndarray, codes: Sequence[str], *, by_ratio: bool
) -> np.ndarray:
    """The order in which :func:`bkmap.planning.model.greedy` takes candidates.

    By value per VND (``by_ratio``, when there is a budget) or by value, then
    by value, then by code; a zero-cost commune first.
    """
    cost = costs.astype("float64")
    if by_ratio:
        ratio = np.where(cost > 0, values / np.where(cost > 0, cost, 1.0), np.inf)
    else:
        ratio = values.astype("float64")
    rank = np.argsort(np.asarray(codes, dtype=object), kind="stable")
    code_rank = np.empty(len(codes), dtype=np.int64)
    code_rank[rank] = np.arange(len(codes))
    return np.lexsort((code_rank, -values, -ratio))


def greedy_take(
    order: np.ndarray, costs: np.ndarray, *, budget: int | None, stations: int | None
) -> np.ndarray:
    """Walk ``order`` as :func:`bkmap.planning.model.greedy` does; the positions taken, sorted."""
    taken: list[int] = []
    spent = 0
    for i in order:
        if stations is not None and len(taken) >= stations:
            break
        c = int(costs[i])
        if budget is not None and spent + c > budget:
            continue
        taken.append(int(i))
        spent += c
    return np.array(sorted(taken), dtype=np.int64)


def fast_greedy(
    values: np.ndarray,
    costs: np.ndarray,
    codes: Sequence[str],
    *,
    budget: int | None,
    stations: int | None,
) -> np.ndarray:
    """The ratio greedy of :func:`bkmap.planning.model.greedy`, on arrays of candidates.

    Same order (value per VND, then value, then code; value alone without a
    budget) and same rule (skip a commune that does not fit, stop at the cap).
    Returns the positions taken, sorted.
    """
    order = greedy_order(values, costs, codes, by_ratio=budget is not None)
    return greedy_take(order, costs, budget=budget, stations=stations)


class _Classes:
    """The solver's model as choices of how many communes to take from each cost class."""

    def __init__(self, costs: np.ndarray, stages: list[tuple[np.ndarray, int]]) -> None:
        keys = np.column_stack([sense * coef for coef, sense in stages])
        self.stage_values = keys
        self.costs = costs
        self.classes: list[np.ndarray] = []
        counts = []
        for cost in np.unique(costs):
            members = np.flatnonzero(costs == cost)
            # The order of the solver's symmetry-breaking constraints: better by the stage
            # values first, the frame's order among exact ties (sorted() is stable).
            order = sorted(members, key=lambda i: tuple(-keys[i]))
            self.classes.append(np.array(order, dtype=np.int64))
            counts.append(len(order) + 1)
        self.size = math.prod(counts) if counts else 1
        if self.size > MAX_COMBINATIONS:
            return
        grids = np.meshgrid(*[np.arange(n) for n in counts], indexing="ij") if counts else []
        self.take = (
            np.column_stack([g.reshape(-1) for g in grids])
            if counts
            else np.zeros((1, 0), dtype=np.int64)
        )
        class_costs = np.array([costs[c[0]] for c in self.classes], dtype=np.int64)
        self.total_cost = self.take @ class_costs if counts else np.zeros(1, dtype=np.int64)
        self.total_count = self.take.sum(axis=1)
        sums = np.zeros((len(self.take), keys.shape[1]))
        for j, members in enumerate(self.classes):
            prefix = np.vstack([np.zeros(keys.shape[1]), np.cumsum(keys[members], axis=0)])
            sums += prefix[self.take[:, j]]
        self.sums = sums

    def best(self, *, budget: int | None, stations: int | None) -> np.ndarray:
        """Positions chosen by the lexicographic optimum within the limits, sorted."""
        mask = np.ones(len(self.take), dtype=bool)
        if budget is not None:
            mask &= self.total_cost <= budget
        if stations is not None:
            mask &= self.total_count <= stations
        for s in range(self.sums.shape[1]):
            column = self.sums[:, s]
            if not np.any(self.stage_values[:, s]):
                continue  # the solver skips an all-zero stage
            top = float(column[mask].max())
            mask &= column >= top - _STAGE_TOL * max(1.0, abs(top))
        row = int(np.flatnonzero(mask)[0])
        picked = [m for j, members in enumerate(self.classes) for m in members[: self.take[row, j]]]
        return np.array(sorted(picked), dtype=np.int64)


def _stages(cands: pd.DataFrame, elig: np.ndarray, values: np.ndarray, objective: str) -> Any:
    """The stages of :func:`bkmap.planning.model.solve` with ``tie_break=True``, in its order."""
    costs = cands["cost_vnd"].to_numpy()[elig].astype("int64")
    gain = cands["gain"].to_numpy()[elig].astype(float)
    gpop = cands["gain_population"].to_numpy()[elig].astype(float)
    known = cands["state"].to_numpy()[elig] == "needs_station"
    stages: list[tuple[np.ndarray, int]] = [(values, 1), (known.astype(float), 1)]
    if objective == "communes":
        stages.append((gpop, 1))
    elif objective == "population":
        stages.append((gain, 1))
    stages.append((costs.astype(float), -1))
    return costs, stages


def _budget_grid(costs: np.ndarray) -> tuple[int, list[int], bool]:
    positive = sorted({int(c) for c in costs if c > 0})
    if not positive:
        return 0, [0], True
    total = int(costs.sum())
    divisor = math.gcd(*positive)
    if math.ceil(total / divisor) <= MAX_STEPS:
        step, exact = divisor, True
    else:
        step, exact = positive[0], False
    steps = math.ceil(total / step)
    if steps > MAX_STEPS:
        msg = _msg(
            "explore_too_many_steps",
            steps=f"{steps:,}",
            step=f"{step:,}",
            total=f"{total:,}",
            most=f"{MAX_STEPS:,}",
        )
        raise ValidationError(msg)
    return step, [i * step for i in range(steps + 1)], exact


def explore(
    assessment: Assessment,
    *,
    policy: Policy | None = None,
    costs: Mapping[str, int] | pd.Series | None = None,
    existing: Iterable[str] = (),
    probabilities: Iterable[float] = (),
    p_grid: Iterable[float] = P_GRID,
    check_points: int = 2,
) -> Explorer:
    """Precompute the optimum and greedy answers of every setting the page offers.

    Parameters
    ----------
    assessment
        The 2019 units with their status (:func:`bkmap.pipeline.assess`).
    policy
        Station costs and the mix weight (its ``unknown`` and ``probability`` are
        ignored: every policy is computed).
    costs, existing
        As for :func:`bkmap.planning.model.candidates`.
    probabilities
        More values of ``p`` to precompute, besides ``p_grid`` and the published one.
    p_grid
        The grid of ``p`` (default :data:`P_GRID`; empty for the published and given ones only).
    check_points
        Points per policy and objective also solved with the integer program
        (:func:`bkmap.planning.model.solve`); the answers must be the same.

    Raises
    ------
    ValidationError
        The units are not Bắc Kạn's of 2019, or the budget grid would be too fine.
    BkmapError
        An optimum is worse than greedy, or differs from the integer program's.

    Examples
    --------
    >>> from bkmap.pipeline import assess
    >>> ex = explore(assess(), p_grid=(), check_points=0)
    >>> len(ex.codes), ex.step_vnd, ex.exact_grid
    (102, 416666666, True)
    >>> len(ex.selected(unknown="need", budget=5 * BILLION))
    12
    """
    start = time.perf_counter()
    if assessment.version != "2019" or assessment.area is not None:
        units = assessment.version or _msg("plan_user_layer")
        msg = _msg("explore_not_2019", units=units)
        raise ValidationError(msg)
    base = policy or Policy(new_cost=DEFAULT_NEW_STATION_COST_VND)
    as_of = assessment.as_of or settings.default_as_of
    joined = assessment.joined
    built = built_station_codes(as_of)
    try:
        published: float | None = published_probability(as_of=as_of)
    except ValidationError:
        published = None
    p_values = sorted(
        {
            round(float(p), 12)
            for p in [*p_grid, *([published] if published else []), *probabilities]
        }
    )
    for p in p_values:
        if not 0.0 < p <= 1.0:
            msg = _msg("plan_bad_probability", value=p)
            raise ValidationError(msg)

    def policy_for(unknown: str, p: float | None) -> Policy:
        return Policy(
            unknown=unknown,
            probability=p,
            new_cost=base.new_cost,
            upgrade_cost=base.upgrade_cost,
            weight=base.weight,
        )

    widest = candidates(
        joined,
        policy=policy_for("need", None),
        as_of=as_of,
        costs=costs,
        built=built,
        existing=existing,
    )
    table_mask = widest["eligible"].to_numpy()
    codes = tuple(widest.loc[table_mask, "code"])
    table_costs = widest.loc[table_mask, "cost_vnd"].to_numpy().astype("int64")
    step, budgets, exact = _budget_grid(table_costs)
    units = widest[
        ["code", "name", "district", "state", "conflicting", "population", "cost_vnd", "cost_basis"]
    ].copy()
    xa = (
        widest.loc[in_programme(widest["unit_type"]).to_numpy()]
        if "unit_type" in widest
        else widest
    )
    counts = district_counts(xa, programme_only=True)
    districts = counts[["programme", "c8_met", "c8_not_met", "c8_conflicting", "c8_unknown"]]
    districts = pd.concat([districts, districts.sum().to_frame("Total").T]).astype("int64")

    explorer = Explorer(
        units=units,
        codes=codes,
        step_vnd=step,
        budgets=budgets,
        exact_grid=exact,
        p_values=tuple(p_values),
        published_p=round(published, 12) if published is not None else None,
        weight=base.weight,
        policy=base,
        costs_from_file=0 if costs is None else len(costs),
        as_of=str(as_of),
        districts=districts,
    )
    position = {c: i for i, c in enumerate(codes)}
    settings_list = [
        Setting(unknown, p, objective)
        for unknown, p in [("exclude", None), ("need", None)]
        + [("probability", p) for p in p_values]
        for objective in OBJECTIVES
    ]
    frames: dict[str, pd.DataFrame] = {}
    for setting in progress(settings_list, total=len(settings_list), desc="planner settings"):
        if setting.unknown not in frames:
            frames[setting.unknown] = candidates(
                joined,
                policy=policy_for(setting.unknown, setting.p),
                as_of=as_of,
                costs=costs,
                built=built,
                existing=existing,
            )
        cands = frames[setting.unknown]
        if setting.p is not None:
            cands = _with_probability(cands, setting.p)
        explorer.series[setting] = _series(
            explorer, cands, setting, position, check=_checked(setting, published, check_points)
        )
        explorer.checked += 1
    explorer.seconds = time.perf_counter() - start
    return explorer


def _with_probability(cands: pd.DataFrame, p: float) -> pd.DataFrame:
    """``cands`` of the probability policy at another ``p``.

    Only the gains of unknown communes depend on ``p`` (see
    :func:`bkmap.planning.model.candidates`): classifying and costing all units
    again for each of the 21 values would cost more than the rest of the precompute.
    """
    out = cands.copy()
    unknown = out["state"].eq("unknown").to_numpy()
    out["gain"] = np.where(unknown, p, out["gain"].to_numpy())
    out["gain_population"] = out["gain"] * out["population"].fillna(0.0)
    return out


def _checked(setting: Setting, published: float | None, points: int) -> int:
    # The solver cross-check runs for the settings a planner is most likely to look at:
    # every objective under exclude, need and the published p.
    if setting.unknown != "probability":
        return points
    return points if published is not None and setting.p == round(published, 12) else 0


def _series(
    explorer: Explorer,
    cands: pd.DataFrame,
    setting: Setting,
    position: Mapping[str, int],
    *,
    check: int,
) -> Series:
    values_all = objective_values(cands, objective=setting.objective, weight=explorer.weight)
    elig = np.flatnonzero(cands["eligible"].to_numpy())
    values = values_all.to_numpy()[elig].astype(float)
    elig_codes = cands["code"].to_numpy()[elig]
    to_table = np.array([position[c] for c in elig_codes], dtype=np.int64)
    gain = [0.0] * len(explorer.codes)
    value = [0.0] * len(explorer.codes)
    for j, i in enumerate(to_table):
        gain[i] = float(cands["gain"].to_numpy()[elig][j])
        value[i] = float(values[j])
    if not len(elig):
        empty: list[tuple[int, ...]] = [()]
        return Series(
            budget=empty * len(explorer.budgets),
            budget_greedy=empty * len(explorer.budgets),
            stations=empty * (len(explorer.codes) + 1),
            stations_greedy=empty * (len(explorer.codes) + 1),
            gain=gain,
            value=value,
        )
    costs, stages = _stages(cands, elig, values, setting.objective)
    model = _Classes(costs, stages)

    def optimum(budget: int | None, stations: int | None) -> np.ndarray:
        if model.size <= MAX_COMBINATIONS:
            return model.best(budget=budget, stations=stations)
        explorer.solver_points += 1
        plan = solve(
            cands,
            budget=budget,
            stations=stations,
            objective=setting.objective,
            weight=explorer.weight,
        )
        return np.array(sorted(np.flatnonzero(np.isin(elig_codes, plan.codes))), dtype=np.int64)

    # The greedy order depends only on whether a budget is set: sorted once per setting.
    orders = {
        by_ratio: greedy_order(values, costs, elig_codes, by_ratio=by_ratio)
        for by_ratio in (True, False)
    }

    def points(limits: list[tuple[int | None, int | None]]) -> tuple[list[Any], list[Any]]:
        best_sets, greedy_sets = [], []
        for budget, stations in limits:
            best = optimum(budget, stations)
            heur = greedy_take(orders[budget is not None], costs, budget=budget, stations=stations)
            _check_against_greedy(values, best, heur, setting, budget, stations)
            best_sets.append(tuple(sorted(int(to_table[i]) for i in best)))
            greedy_sets.append(tuple(sorted(int(to_table[i]) for i in heur)))
        return best_sets, greedy_sets

    by_budget: list[tuple[int | None, int | None]] = [(b, None) for b in explorer.budgets]
    by_count: list[tuple[int | None, int | None]] = [
        (None, k) for k in range(len(explorer.codes) + 1)
    ]
    budget_sets, budget_greedy = points(by_budget)
    station_sets, station_greedy = points(by_count)
    if check and model.size <= MAX_COMBINATIONS:
        _check_against_solver(
            explorer, cands, setting, budget_sets, station_sets, by_budget, by_count, check
        )
    return Series(
        budget=budget_sets,
        budget_greedy=budget_greedy,
        stations=station_sets,
        stations_greedy=station_greedy,
        gain=gain,
        value=value,
    )


def _check_against_greedy(
    values: np.ndarray,
    best: np.ndarray,
    heur: np.ndarray,
    setting: Setting,
    budget: int | None,
    stations: int | None,
) -> None:
    opt, grd = float(values[best].sum()), float(values[heur].sum())
    if opt < grd - _STAGE_TOL * max(1.0, abs(grd)):
        msg = _msg(
            "explore_worse_than_greedy",
            opt=f"{opt:g}",
            greedy=f"{grd:g}",
            setting=setting,
            budget=budget,
            stations=stations,
        )
        raise BkmapError(msg)


def _check_against_solver(
    explorer: Explorer,
    cands: pd.DataFrame,
    setting: Setting,
    budget_sets: list[tuple[int, ...]],
    station_sets: list[tuple[int, ...]],
    by_budget: list[tuple[int | None, int | None]],
    by_count: list[tuple[int | None, int | None]],
    points: int,
) -> None:
    """Solve a few points with the integer program; the precomputed answer must be the same."""
    # Points spread over the grid, the 5 bn VND budget and 20 stations among them.
    n_b, n_k = len(by_budget), len(by_count)
    picks = [(by_budget, budget_sets, explorer.budget_step(5 * BILLION))]
    picks.append((by_count, station_sets, min(20, n_k - 1)))
    for j in range(max(0, points - 1)):
        picks.append((by_budget, budget_sets, (n_b * (j + 1)) // (points + 1)))
        picks.append((by_count, station_sets, (n_k * (j + 2)) // (points + 2)))
    for limits, sets, i in picks[: 2 * points]:
        budget, stations = limits[i]
        plan = solve(
            cands,
            budget=budget,
            stations=stations,
            objective=setting.objective,
            weight=explorer.weight,
        )
        expected = sorted(plan.codes)
        got = sorted(explorer.codes[j] for j in sets[i])
        if got != expected:
            msg = _msg(
                "explore_optimum_differs",
                setting=setting,
                budget=budget,
                stations=stations,
                got=len(got),
                expected=len(expected),
            )
            raise BkmapError(msg)


def chosen_sets(series: Sequence[Sequence[int]]) -> list[list[int]]:
    """Delta-encode a sequence of sets: per point, the indexes added, and ``~i`` for each removed."""
    out: list[list[int]] = []
    before: set[int] = set()
    for chosen in series:
        now = set(chosen)
        out.append(sorted(now - before) + [~i for i in sorted(before - now)])
        before = now
    return out


def expand(deltas: Sequence[Sequence[int]]) -> list[tuple[int, ...]]:
    """Undo :func:`chosen_sets` (for tests and tools; the page does the same in JavaScript)."""
    out: list[tuple[int, ...]] = []
    now: set[int] = set()
    for delta in deltas:
        for i in delta:
            if i >= 0:
                now.add(i)
            else:
                now.discard(~i)
        out.append(tuple(sorted(now)))
    return out


@dataclass
class VillageSeries:
    """The village covering model (MCLP) solved at every number of new sites ``k = 0 .. K``.

    ``chosen[k]`` and ``greedy[k]`` are the new sites opened (indexes into
    ``sites``), ``covered[k]`` the villages covered (indexes into ``villages``);
    ``share[k]`` and ``greedy_share[k]`` the population covered.
    """

    sites: pd.DataFrame
    villages: pd.DataFrame
    radius_m: float
    population_basis: str
    illustrative: bool
    chosen: list[tuple[int, ...]]
    greedy: list[tuple[int, ...]]
    covered: list[tuple[int, ...]]
    share: list[float]
    greedy_share: list[float]


def explore_villages(
    villages: Any,
    sites: Any,
    *,
    weights: np.ndarray,
    population_basis: str,
    radius_m: float,
    illustrative: bool = False,
) -> VillageSeries:
    """Solve :func:`bkmap.planning.siting.plan_villages` for every number of new sites.

    The same integer program as ``bkmap plan --villages`` (PuLP + CBC), once per
    count from 0 to the number of free sites.
    """
    free = int((~sites["existing"].astype(bool)).sum())
    chosen, greedy, covered, share, greedy_share = [], [], [], [], []
    plan = None
    for k in progress(range(free + 1), total=free + 1, desc="village model"):
        plan = plan_villages(
            villages,
            sites,
            new_sites=k,
            radius_m=radius_m,
            weights=weights,
            population_basis=population_basis,
        )
        chosen.append(tuple(int(i) for i in np.flatnonzero(plan.sites["new"].to_numpy())))
        greedy.append(
            tuple(
                int(i)
                for i in np.flatnonzero(
                    (plan.sites["in_greedy"] & ~plan.sites["existing"]).to_numpy()
                )
            )
        )
        covered.append(tuple(int(i) for i in np.flatnonzero(plan.villages["covered"].to_numpy())))
        share.append(plan.covered_share)
        greedy_share.append(plan.greedy_share)
        if plan.greedy_covered_population > plan.covered_population * (1 + _STAGE_TOL):
            msg = _msg("explore_village_worse", sites=k)
            raise BkmapError(msg)
    assert plan is not None
    site_points = plan.sites.to_crs(settings.geographic_crs)
    village_points = plan.villages.to_crs(settings.geographic_crs)
    names = (
        village_points["name"]
        if "name" in village_points
        else pd.Series("", index=village_points.index)
    )
    return VillageSeries(
        sites=pd.DataFrame(
            {
                "site_id": site_points["site_id"].astype(str).to_numpy(),
                "name": site_points["name"].fillna("").astype(str).to_numpy()
                if "name" in site_points
                else "",
                "existing": site_points["existing"].astype(bool).to_numpy(),
                "lon": site_points.geometry.x.round(5).to_numpy(),
                "lat": site_points.geometry.y.round(5).to_numpy(),
            }
        ),
        villages=pd.DataFrame(
            {
                "name": names.fillna("").astype(str).to_numpy(),
                "weight": np.asarray(weights, dtype=float),
                "lon": village_points.geometry.x.round(5).to_numpy(),
                "lat": village_points.geometry.y.round(5).to_numpy(),
            }
        ),
        radius_m=float(radius_m),
        population_basis=population_basis,
        illustrative=illustrative,
        chosen=chosen,
        greedy=greedy,
        covered=covered,
        share=share,
        greedy_share=greedy_share,
    )
