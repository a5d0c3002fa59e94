"""Tests of bkmap.planning.model: candidates, the integer program, greedy, tables, MCLP."""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from bkmap._errors import ValidationError
from bkmap.io.status import load_published_totals
from bkmap.planning import model as pl
from bkmap.planning import siting
from bkmap.render import plan as plan_outputs

GIAO_HIEU = "01870"


# ---------------------------------------------------------------- synthetic instances


def _synthetic(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """A candidate table of n communes with random gains, population and costs."""
    eligible = rng.random(n) < 0.85
    gain = np.where(eligible, rng.choice([1.0, 0.3, 0.7], size=n), 0.0)
    population = rng.integers(500, 12_000, size=n).astype(float)
    cost = rng.integers(1, 9, size=n) * 100_000_000 + rng.integers(0, 3, size=n) * 7
    frame = pd.DataFrame(
        {
            "code": [f"{10000 + i:05d}" for i in range(n)],
            "name": [f"Xã {i}" for i in range(n)],
            "district": rng.choice(["A", "B"], size=n),
            "unit_type": "Xã",
            "c8": np.where(eligible, "unknown", "met"),
            "c8_3": np.where(eligible, "unknown", "met"),
            "state": np.where(eligible, "unknown", "has_station"),
            "eligible": eligible,
            "gain": gain,
            "population": population,
            "gain_population": gain * population,
            "cost_vnd": pd.array(np.where(eligible, cost, 0), dtype="Int64"),
        }
    )
    frame.loc[~frame["eligible"], "cost_vnd"] = pd.NA
    return frame


def _brute_force(
    cands: pd.DataFrame,
    *,
    budget: int | None,
    stations: int | None,
    objective: str,
    weight: float = 0.5,
) -> float:
    values = pl.objective_values(cands, objective=objective, weight=weight).to_numpy()
    elig = np.flatnonzero(cands["eligible"].to_numpy())
    costs = cands["cost_vnd"].to_numpy()[elig].astype("int64")
    best = 0.0
    for mask in itertools.product([False, True], repeat=len(elig)):
        pick = np.array(mask, dtype=bool)
        if budget is not None and int(costs[pick].sum()) > budget:
            continue
        if stations is not None and int(pick.sum()) > stations:
            continue
        best = max(best, float(values[elig][pick].sum()))
    return best


@pytest.mark.parametrize("seed", range(24))
def test_integer_program_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 13))
    cands = _synthetic(rng, n)
    objective = pl.OBJECTIVES[seed % 3]
    total = int(cands["cost_vnd"].fillna(0).sum())
    budget = int(rng.integers(total // 5, total // 2 + 2)) if seed % 4 != 3 else None
    stations = int(rng.integers(1, n)) if seed % 2 or budget is None else None
    plan = pl.solve(
        cands, budget=budget, stations=stations, objective=objective, tie_break=seed % 5 == 0
    )
    expected = _brute_force(cands, budget=budget, stations=stations, objective=objective)
    assert plan.value == pytest.approx(expected, rel=1e-9, abs=1e-9)
    chosen = cands.loc[cands["code"].isin(plan.codes)]
    assert chosen["eligible"].all()
    assert plan.cost_vnd == int(chosen["cost_vnd"].sum())
    if budget is not None:
        assert plan.cost_vnd <= budget
    if stations is not None:
        assert plan.n_stations <= stations
    heuristic = pl.greedy(cands, budget=budget, stations=stations, objective=objective)
    assert heuristic.value <= plan.value + 1e-9
    if budget is not None:
        assert heuristic.cost_vnd <= budget
    assert 0.0 <= pl.gap(plan, heuristic) <= 1.0


def test_greedy_can_fall_short_and_gap_is_reported() -> None:
    # Classic trap: the best ratio item blocks two items that fill the budget exactly.
    cands = _synthetic(np.random.default_rng(0), 3)
    cands["eligible"] = True
    cands["gain"] = [1.0, 1.0, 1.0]
    cands["population"] = [1000.0, 900.0, 900.0]
    cands["gain_population"] = cands["population"]
    cands["cost_vnd"] = pd.array([51, 50, 50], dtype="Int64")
    best = pl.solve(cands, budget=100, objective="population")
    heur = pl.greedy(cands, budget=100, objective="population")
    assert best.value == 1800.0
    assert set(best.codes) == {"10001", "10002"}
    assert heur.value == 1000.0
    assert pl.gap(best, heur) == pytest.approx(800 / 1800)


def test_tie_break_prefers_population_then_lower_cost() -> None:
    cands = _synthetic(np.random.default_rng(1), 4)
    cands["eligible"] = True
    cands["gain"] = 1.0
    cands["population"] = [100.0, 5000.0, 5000.0, 300.0]
    cands["gain_population"] = cands["population"]
    cands["cost_vnd"] = pd.array([10, 10, 8, 10], dtype="Int64")
    plan = pl.solve(cands, stations=2, objective="communes")
    assert set(plan.codes) == {"10001", "10002"}
    plan = pl.solve(cands, stations=1, objective="communes")
    assert plan.codes == ("10002",)  # same count and population: the cheaper one


# ---------------------------------------------------------------- the shipped data


@pytest.fixture(scope="module")
def joined(joined_2019):
    return joined_2019


def test_candidates_classify_the_shipped_2019_table(joined) -> None:
    cands = pl.candidates(joined)
    # Giáo Hiệu's 8.3 sources conflict: planned for as unknown, flagged, not a known need.
    assert cands["state"].value_counts().to_dict() == {
        "unknown": 102,
        "not_applicable": 12,
        "has_station": 8,
    }
    assert cands.loc[cands["conflicting"], "code"].tolist() == [GIAO_HIEU]
    assert not cands["eligible"].any()  # --unknown exclude: nothing the data show as a need
    row = cands.set_index("code").loc[GIAO_HIEU]
    assert row["state"] == "unknown"
    assert "sources conflict" in row["reason"]
    assert "check it on the ground" in row["reason"]
    need = pl.candidates(joined, policy=pl.Policy(unknown="need")).set_index("code")
    # Evidence: a station built 2018-11-14, before the 2019-08-12 assessment -> upgrade.
    assert need.loc[GIAO_HIEU, "cost_basis"] == "upgrade"
    assert bool(need.loc[GIAO_HIEU, "station_built"])
    assert need.loc[GIAO_HIEU, "population"] == 1846
    assert len(cands) == len(joined)  # every unit is reported, candidate or not


def test_built_station_codes_respects_the_assessment_date() -> None:
    built = pl.built_station_codes("2019-08-12")
    assert GIAO_HIEU in built
    assert len(built) == 10
    assert "01894" not in built  # Phúc Lộc: built 2020
    assert "01894" in pl.built_station_codes("2020-12-31")
    assert pl.built_station_codes("2018-01-01") == set()


def test_unknown_policies(joined) -> None:
    need = pl.candidates(joined, policy=pl.Policy(unknown="need", upgrade_cost=100_000_000))
    assert int(need["eligible"].sum()) == 102
    assert need.loc[need["eligible"], "gain"].eq(1.0).all()
    # Pác Nặm unknowns have a station built by the assessment: upgrade cost.
    upgrade = need.loc[need["cost_basis"].eq("upgrade"), "code"]
    assert len(upgrade) == 10
    assert need.set_index("code").loc["01894", "cost_basis"] == "new"
    assert need.set_index("code").loc[GIAO_HIEU, "cost_vnd"] == 100_000_000

    prob = pl.candidates(joined, policy=pl.Policy(unknown="probability", probability=0.25))
    gains = prob.set_index("code")["gain"]
    assert gains[GIAO_HIEU] == 0.25  # conflicting counts as unknown
    assert prob.loc[prob["state"].eq("unknown"), "gain"].eq(0.25).all()
    plan = pl.solve(prob, stations=3)
    assert plan.communes == pytest.approx(0.75)  # three unknowns at 0.25 each

    for cands in (need, prob, pl.candidates(joined)):
        assert not cands.loc[
            cands["state"].isin(["has_station", "not_applicable"]), "eligible"
        ].any()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"unknown": "probability"}, "needs --probability"),
        ({"unknown": "probability", "probability": 1.5}, "outside (0, 1]"),
        ({"unknown": "need", "probability": 0.5}, "applies only with --unknown probability"),
        ({"unknown": "maybe"}, "Use one of: exclude, need, probability"),
        ({"existing": ["99999"]}, "99999"),
    ],
)
def test_candidate_options_are_checked(joined, kwargs, message) -> None:
    def build() -> object:
        if "existing" in kwargs:
            return pl.candidates(joined, **kwargs)
        return pl.candidates(joined, policy=pl.Policy(**kwargs))

    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build()


def test_published_probability_is_46_of_102() -> None:
    # (110 xã - 64 published met - 0 known not met) / (101 unknown + 1 conflicting)
    assert pl.published_probability() == pytest.approx(46 / 102)


@pytest.mark.parametrize("budget", [0, 416_666_665, 5_000_000_000, 8_300_000_000, 12_345_678_901])
@pytest.mark.parametrize("objective", pl.OBJECTIVES)
def test_no_plan_exceeds_its_budget(joined, budget: int, objective: str) -> None:
    cands = pl.candidates(joined, policy=pl.Policy(unknown="need", upgrade_cost=150_000_000))
    plan = pl.solve(cands, budget=budget, objective=objective, tie_break=False)
    chosen = cands.loc[cands["code"].isin(plan.codes)]
    assert int(chosen["cost_vnd"].sum()) == plan.cost_vnd <= budget
    heur = pl.greedy(cands, budget=budget, objective=objective)
    assert heur.cost_vnd <= budget
    assert heur.value <= plan.value + 1e-9


def test_default_cost_is_the_budget_line_of_the_article(joined) -> None:
    totals = load_published_totals().set_index("metric")
    stations = int(totals.loc["stations_budget_line_new", "value"])
    cost = int(totals.loc["stations_budget_line_cost_vnd", "value"])
    assert (stations, cost) == (12, 5_000_000_000)
    assert totals.loc["stations_budget_line_new", "source_id"] == "S13"
    assert pl.DEFAULT_NEW_STATION_COST_VND == cost // stations == 416_666_666
    # The 2019 plan is another line of the article (5 new stations, no cost): never the basis.
    assert int(totals.loc["stations_plan_2019_new", "value"]) == 5
    assert "stations_budget_line" in pl.NEW_STATION_COST_BASIS
    assert "not the 2019 plan" in pl.NEW_STATION_COST_BASIS
    cands = pl.candidates(joined, policy=pl.Policy(unknown="need"))
    plan = pl.solve(cands, budget=5_000_000_000)
    assert plan.n_stations == 12
    assert plan.cost_vnd == 12 * 416_666_666


def test_existing_stations_are_never_proposed(joined) -> None:
    extra = ["01894", "01900"]  # say a user knows these got stations in 2020
    cands = pl.candidates(joined, existing=extra, policy=pl.Policy(unknown="need"))
    plan = pl.solve(cands, budget=10**13, objective="population", tie_break=False)
    met = set(joined.loc[joined["c8_3"].eq("met"), "code"])
    assert len(met) == 8
    assert not (set(plan.codes) & (met | set(extra)))
    assert plan.n_stations == 100  # every other xã is built in
    urban = set(joined.loc[joined["c8"].eq("not_applicable"), "code"])
    assert not set(plan.codes) & urban


def test_plan_communes_tables(assessment_2019) -> None:
    result = pl.plan_communes(
        assessment_2019,
        budget=2 * pl.BILLION,
        policy=pl.Policy(unknown="probability", probability=0.5),
        marginal_limit=4 * pl.BILLION,
    )
    table = result.table
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert table["gain_communes"].eq(0.5).all()  # every candidate is unknown (or conflicting)
    assert result.settings["conflicting"] == GIAO_HIEU
    assert table["cumulative_cost_vnd"].iloc[-1] == result.optimal.cost_vnd <= 2 * pl.BILLION
    assert set(table["unknown_policy"]) == {"probability"}
    assert set(table["probability"]) == {0.5}
    districts = result.districts.set_index("district")
    assert districts.loc["Total", "c8_met_before"] == 8
    assert districts.loc["Total", "c8_met_after"] == pytest.approx(8 + result.optimal.communes)
    assert districts.loc["Total", "stations"] == result.optimal.n_stations
    marginal = result.marginal
    assert marginal["budget_vnd"].tolist() == [2 * pl.BILLION, 3 * pl.BILLION, 4 * pl.BILLION]
    assert (marginal["value"].diff().dropna() >= -1e-9).all()
    assert marginal["gain_value"].iloc[1:].sum() == pytest.approx(
        marginal["value"].iloc[-1] - marginal["value"].iloc[0]
    )


def test_conflicting_commune_is_ranked_before_an_equal_unknown(joined) -> None:
    policy = pl.Policy(unknown="need")
    cands = pl.candidates(joined, policy=policy)
    pac_nam = cands.loc[cands["district"].eq("Huyện Pác Nặm") & cands["eligible"]]
    # Same gain (1) and cost (an upgrade) for every Pác Nặm xã; Giáo Hiệu is not the largest.
    assert pac_nam["cost_vnd"].nunique() == 1
    bigger = pac_nam.loc[pac_nam["population"].gt(1846), "code"].iloc[0]
    rows = cands.loc[cands["code"].isin([GIAO_HIEU, bigger])]
    plan = pl.Plan(
        method="optimal",
        codes=(bigger, GIAO_HIEU),
        objective="communes",
        value=2.0,
        communes=2.0,
        population=float(rows["population"].sum()),
        cost_vnd=int(rows["cost_vnd"].sum()),
        budget_vnd=None,
        stations=2,
        status="Optimal",
        seconds=0.0,
    )
    table = pl.plan_table(cands, plan, policy=policy)
    assert table["code"].tolist() == [GIAO_HIEU, bigger]
    assert table["conflicting"].tolist() == [True, False]


def test_mix_objective_is_normalised(joined) -> None:
    cands = pl.candidates(joined, policy=pl.Policy(unknown="need"))
    values = pl.objective_values(cands, objective="mix", weight=0.5)
    assert values.sum() == pytest.approx(1.0)
    only_count = pl.objective_values(cands, objective="mix", weight=1.0)
    assert only_count[cands["eligible"]].nunique() == 1
    with pytest.raises(ValidationError, match="--weight"):
        pl.objective_values(cands, objective="mix", weight=2)


def test_compare_scenarios(joined) -> None:
    cands = pl.candidates(joined, policy=pl.Policy(unknown="need"))
    table = pl.compare_scenarios(
        cands,
        [(5 * pl.BILLION, None), (8_300_000_000, None), (None, 12)],
        policy=pl.Policy(unknown="need"),
    )
    assert table["stations"].tolist() == [12, 19, 12]
    assert (table["cost_vnd"] <= table["budget_vnd"].fillna(np.inf)).all()
    assert table["scenario"].tolist() == ["5 bn VND", "8.3 bn VND", "12 stations"]


def test_solve_needs_a_limit(joined) -> None:
    with pytest.raises(ValidationError, match="--budget"):
        pl.solve(pl.candidates(joined), budget=None, stations=None)


# ---------------------------------------------------------------- parsing and costs


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5000000000", 5_000_000_000),
        ("5e9", 5_000_000_000),
        ("8.3e9", 8_300_000_000),
        ("5,000,000,000", 5_000_000_000),
        ("5.000.000.000", 5_000_000_000),
        ("5bn", 5_000_000_000),
        ("5 tỷ", 5_000_000_000),
        ("500tr", 500_000_000),
        (416666666.67, 416_666_666),
    ],
)
def test_parse_vnd(text, value) -> None:
    assert pl.parse_vnd(text) == value


@pytest.mark.parametrize("text", ["five", "5 apples", "-5e9", "", "1,23,4"])
def test_parse_vnd_errors(text) -> None:
    with pytest.raises(ValidationError, match="--budget"):
        pl.parse_vnd(text)


@pytest.mark.parametrize("text", ["2.5", "-1", "x"])
def test_parse_count_errors(text) -> None:
    with pytest.raises(ValidationError, match="--stations"):
        pl.parse_count(text)


def test_read_costs(tmp_path, joined) -> None:
    good = tmp_path / "costs.csv"
    good.write_text("code,cost_vnd\n01870,120000000\n1903,300.000.000\n", encoding="utf-8")
    costs = pl.read_costs(good, codes=joined["code"])
    assert costs.to_dict() == {"01870": 120_000_000, "01903": 300_000_000}
    cands = pl.candidates(joined, costs=costs, policy=pl.Policy(unknown="need"))
    row = cands.set_index("code").loc[GIAO_HIEU]
    assert row["cost_vnd"] == 120_000_000
    assert row["cost_basis"] == "file"


def test_read_costs_lists_every_bad_row(tmp_path, joined) -> None:
    bad = tmp_path / "costs.csv"
    bad.write_text(
        "code,cost_vnd\n01870,1e8\n99999,1e8\n01870,2e8\n01873,lots\n01876,-5\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        pl.read_costs(bad, codes=joined["code"])
    text = str(info.value)
    assert "row 3: code '99999' is not a unit" in text
    assert "row 4: code 01870 is given twice (first on row 2)" in text
    assert "row 5: cost_vnd 'lots' is not a number" in text
    assert "row 6: cost_vnd '-5' is negative" in text
    assert len(info.value.problems) == 4


def test_read_costs_missing_column(tmp_path, joined) -> None:
    bad = tmp_path / "costs.csv"
    bad.write_text("ma,gia\n01870,1\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="lacks the column"):
        pl.read_costs(bad, codes=joined["code"])


def test_other_versions_are_refused(assessment_2019) -> None:
    with pytest.raises(ValidationError, match="2019 units"):
        pl.plan_communes(assessment_2019.replace(version="2025"), stations=1)


# ---------------------------------------------------------------- village level (MCLP)


def _villages_and_sites(rng: np.random.Generator, n_villages: int, n_sites: int):
    origin = np.array([430_000.0, 2_450_000.0])  # inside Bắc Kạn, EPSG:3405 metres
    v = origin + rng.uniform(0, 20_000, size=(n_villages, 2))
    s = origin + rng.uniform(0, 20_000, size=(n_sites, 2))
    villages = gpd.GeoDataFrame(
        {
            "name": [f"Thôn {i}" for i in range(n_villages)],
            "population": rng.integers(50, 900, n_villages),
        },
        geometry=[Point(xy) for xy in v],
        crs="EPSG:3405",
    ).to_crs("EPSG:4326")
    sites = gpd.GeoDataFrame(
        {
            "site_id": [f"S{j}" for j in range(n_sites)],
            "name": [f"Site {j}" for j in range(n_sites)],
            "existing": [j == 0 for j in range(n_sites)],
        },
        geometry=[Point(xy) for xy in s],
        crs="EPSG:3405",
    )
    return villages, sites


@pytest.mark.parametrize("seed", range(3))
def test_mclp_matches_brute_force_and_keeps_existing(seed: int) -> None:
    rng = np.random.default_rng(seed)
    villages, sites = _villages_and_sites(rng, 40, 8)
    radius = 4_000.0
    result = siting.plan_villages(villages, sites, new_sites=2, radius_m=radius)
    assert bool(result.sites.loc[0, "chosen"])  # the existing site stays
    assert int(result.sites["new"].sum()) == 2
    # brute force over every pair of new sites
    v = villages.to_crs("EPSG:3405").geometry
    dist = np.array([[a.distance(b) for b in sites.geometry] for a in v])
    cover = dist <= radius
    w = villages["population"].to_numpy(float)
    best = max(
        w[cover[:, [0, a, b]].any(axis=1)].sum() for a, b in itertools.combinations(range(1, 8), 2)
    )
    assert result.covered_population == pytest.approx(best)
    assert result.greedy_covered_population <= result.covered_population + 1e-9
    assert 0 <= result.gap <= 1
    # every village is covered or listed uncovered, with its distance when covered
    assert len(result.uncovered) == int(
        (~cover[:, result.sites["chosen"].to_numpy()].any(axis=1)).sum()
    )
    covered = result.villages.loc[result.villages["covered"]]
    assert (covered["distance_m"] <= radius).all()


def test_mclp_checks_its_inputs() -> None:
    villages, sites = _villages_and_sites(np.random.default_rng(5), 5, 3)
    with pytest.raises(ValidationError, match="--radius"):
        siting.plan_villages(villages, sites, new_sites=1, radius_m=0)
    broken = villages.copy()
    broken["population"] = broken["population"].astype(object)
    broken.loc[broken.index[1], "population"] = "nhiều"
    with pytest.raises(ValidationError, match="Thôn 1"):
        siting.plan_villages(broken, sites, new_sites=1)


def _points(xy, crs: str = "EPSG:3405", **columns) -> gpd.GeoDataFrame:
    """Points at metre offsets from a spot inside Bắc Kạn (EPSG:3405)."""
    origin = np.array([430_000.0, 2_450_000.0])
    return gpd.GeoDataFrame(
        columns, geometry=[Point(origin + np.asarray(p, float)) for p in xy], crs="EPSG:3405"
    ).to_crs(crs)


def _line_instance(existing_middle: bool = False):
    """Four villages on a line and three sites between them; greedy is fooled.

    Radius 1,100 m: L covers a, b (7); M covers b, c (8); R covers c, d (7). With
    two new sites greedy takes M first and ends at 11; the optimum L + R covers 14.
    """
    villages = _points(
        [(0, 0), (2000, 0), (4000, 0), (6000, 0)],
        crs="EPSG:4326",
        name=["a", "b", "c", "d"],
        population=[3, 4, 4, 3],
    )
    sites = _points(
        [(1000, 0), (3000, 0), (5000, 0)],
        site_id=["L", "M", "R"],
        existing=[False, existing_middle, False],
    )
    return villages, sites


def _chosen(result: siting.VillagePlan) -> list[str]:
    return result.sites.loc[result.sites["chosen"], "site_id"].tolist()


def test_mclp_beats_greedy_where_greedy_is_fooled() -> None:
    villages, sites = _line_instance()
    result = siting.plan_villages(villages, sites, new_sites=2, radius_m=1100)
    assert _chosen(result) == ["L", "R"]
    assert result.covered_population == 14
    assert result.greedy_covered_population == 11  # M, then L (tie with R: lower index)
    assert result.sites.loc[result.sites["in_greedy"], "site_id"].tolist() == ["L", "M"]
    assert result.gap == pytest.approx(3 / 14)
    assert result.villages["site_id"].tolist() == ["L", "L", "R", "R"]
    assert result.villages["distance_m"].tolist() == pytest.approx([1000.0] * 4)


@pytest.mark.parametrize("seed", range(8))
def test_mclp_equals_the_best_subset(seed: int) -> None:
    """12 villages x 6 sites: the optimum is the best over every set of at most k new sites."""
    rng = np.random.default_rng(100 + seed)
    n_villages, n_sites, radius = 12, 6, 2_500.0
    v_xy = rng.uniform(0, 8_000, size=(n_villages, 2))
    s_xy = rng.uniform(0, 8_000, size=(n_sites, 2))
    weight = rng.integers(0, 500, n_villages).astype(float)  # zero weights too
    existing = np.zeros(n_sites, dtype=bool)
    existing[rng.choice(n_sites, size=seed % 3, replace=False)] = True
    k = 1 + seed % 3
    villages = _points(v_xy, crs="EPSG:4326", name=[f"v{i}" for i in range(n_villages)])
    sites = _points(s_xy, site_id=[f"S{j}" for j in range(n_sites)], existing=existing)
    result = siting.plan_villages(villages, sites, new_sites=k, radius_m=radius, weights=weight)
    cover = np.linalg.norm(v_xy[:, None, :] - s_xy[None, :, :], axis=2) <= radius
    free = np.flatnonzero(~existing)

    def covered(subset) -> float:
        open_ = existing.copy()
        open_[list(subset)] = True
        return float(weight[cover[:, open_].any(axis=1)].sum())

    best = max(covered(subset) for r in range(k + 1) for subset in itertools.combinations(free, r))
    chosen = result.sites["chosen"].to_numpy()
    assert result.covered_population == pytest.approx(best)
    assert covered(np.flatnonzero(chosen & ~existing)) == pytest.approx(best)
    assert chosen[existing].all()
    assert int(result.sites["new"].sum()) == k
    assert result.total_population == pytest.approx(weight.sum())
    assert result.greedy_covered_population <= result.covered_population + 1e-9
    assert result.villages["covered"].to_numpy().tolist() == cover[:, chosen].any(axis=1).tolist()


def test_mclp_existing_sites_are_open_and_free() -> None:
    villages, sites = _line_instance(existing_middle=True)
    # M exists: it is open and does not count, so two new sites cover everyone
    result = siting.plan_villages(villages, sites, new_sites=2, radius_m=1100)
    assert _chosen(result) == ["L", "M", "R"]
    assert result.sites["new"].tolist() == [True, False, True]
    assert result.covered_population == 14
    assert result.existing_covered_population == 8
    # one new site: L and R each add 3; the tie goes to the lower index
    one = siting.plan_villages(villages, sites, new_sites=1, radius_m=1100)
    assert _chosen(one) == ["L", "M"]
    assert one.covered_population == 11
    # no new site: only the existing one
    none = siting.plan_villages(villages, sites, new_sites=0, radius_m=1100)
    assert _chosen(none) == ["M"]
    assert none.covered_population == 8


def test_mclp_counts_villages_no_site_can_reach() -> None:
    villages, sites = _line_instance()
    far = _points([(60_000, 0)], crs="EPSG:4326", name=["xa"], population=[100])
    villages = pd.concat([villages, far], ignore_index=True)
    result = siting.plan_villages(villages, sites, new_sites=3, radius_m=1100)
    assert result.total_population == 114
    assert result.covered_population == 14
    assert result.covered_share == pytest.approx(14 / 114)
    assert result.uncovered["name"].tolist() == ["xa"]
    row = result.villages.iloc[4]
    assert not row["covered"]
    assert row["site_id"] == ""
    assert np.isnan(row["distance_m"])


def test_mclp_is_deterministic_and_breaks_ties_by_site_index() -> None:
    rng = np.random.default_rng(11)
    villages, sites = _villages_and_sites(rng, 60, 12)
    # each site twice, at the same place: every plan has equal-coverage twins
    twins = pd.concat([sites, sites], ignore_index=True)
    twins["site_id"] = [f"T{j}" for j in range(len(twins))]
    twins["existing"] = False
    runs = [siting.plan_villages(villages, twins, new_sites=4, radius_m=3_000) for _ in range(3)]
    assert _chosen(runs[0]) == _chosen(runs[1]) == _chosen(runs[2])
    assert runs[0].villages["site_id"].tolist() == runs[1].villages["site_id"].tolist()
    # the lower-numbered twin is always the one chosen
    assert all(int(s[1:]) < 12 for s in _chosen(runs[0]))
    alone = siting.plan_villages(
        villages, sites.assign(existing=False), new_sites=4, radius_m=3_000
    )
    assert runs[0].covered_population == pytest.approx(alone.covered_population)
    # a village at equal distance from two chosen sites goes to the lower-numbered one
    # (points given in EPSG:3405, so that the distances are exactly equal)
    _, sites2 = _line_instance()
    villages2 = _points([(0, 0), (2000, 0), (4000, 0), (6000, 0)], population=[3, 4, 4, 3])
    mid = siting.plan_villages(villages2, sites2, new_sites=3, radius_m=1100)
    assert mid.villages["site_id"].tolist() == ["L", "L", "M", "R"]


def test_village_population_spread_over_communes(joined) -> None:
    sites = siting.commune_sites(
        joined.loc[joined["code"].isin([GIAO_HIEU, "01852"])], existing=["01852"]
    )
    assert sites.crs == "EPSG:3405"
    assert sites.set_index("code").loc["01852", "existing"]
    inside = joined.set_index("code").loc[GIAO_HIEU].geometry
    assert sites.to_crs("EPSG:4326").set_index("code").loc[GIAO_HIEU].geometry.within(inside)
    villages = gpd.GeoDataFrame(
        {"name": ["a", "b"]},
        geometry=[sites.to_crs("EPSG:4326").set_index("code").loc[GIAO_HIEU].geometry] * 2,
        crs="EPSG:4326",
    )
    weights, basis = siting.village_weights(villages, communes=joined)
    assert "spread" in basis
    assert weights.sum() == pytest.approx(1846)  # Giáo Hiệu's 2019 population, split in two


def test_plan_map_escapes_names(assessment_2019) -> None:
    hostile = assessment_2019.joined.copy()
    name = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    hostile.loc[hostile["code"].eq(GIAO_HIEU), "name"] = name
    hostile_assessment = assessment_2019.replace(joined=hostile)
    result = pl.plan_communes(hostile_assessment, budget=pl.BILLION)
    page = plan_outputs.plan_map(hostile_assessment, result, tiles=None).get_root().render()
    assert "</script><script>alert(1)" not in page
    assert "<img src=x" not in page
    assert 'id="bkmap-plan-summary"' in page
    assert "cdn.jsdelivr" not in page  # Leaflet is inlined
