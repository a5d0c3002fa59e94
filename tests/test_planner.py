"""The planner's explorer (issue 17): exact answers precomputed, one offline page, one contract.

The page is built once for the module on the shipped data; `bkmap plan` runs once per
sampled setting, and the page must choose the same communes as its plan.csv.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import bkmap
from bkmap import jobs
from bkmap._errors import BkmapError
from bkmap.cli.main import cli
from bkmap.planning import explorer as explorer_module
from bkmap.planning import model as planning
from bkmap.planning.explorer import chosen_sets, expand, explore, fast_greedy
from bkmap.render.planner import planner_page, render_planner

BN = planning.BILLION
PUBLISHED_P = 46 / 102

#: (budget, unknown policy, objective): 3 budgets x need and probability, each objective used,
#: and exclude once (no commune is known to lack 8.3, so its plan is empty at any budget).
SAMPLES = [
    (5 * BN, "exclude", "communes"),
    (2 * BN, "need", "population"),
    (5 * BN, "need", "communes"),
    (8_300_000_000, "need", "mix"),
    (2 * BN, "probability", "mix"),
    (5 * BN, "probability", "communes"),
    (8_300_000_000, "probability", "population"),
]


@pytest.fixture(scope="module")
def page(assessment_2019):
    return planner_page(assessment_2019)


@pytest.fixture(scope="module")
def page_file(page, tmp_path_factory) -> Path:
    return page.save(tmp_path_factory.mktemp("planner") / "planner.html")


@pytest.fixture(scope="module")
def plan_codes(tmp_path_factory) -> dict[tuple[int, str, str], list[str]]:
    """The codes of plan.csv written by `bkmap plan` (its job function) for each sample."""
    out: dict[tuple[int, str, str], list[str]] = {}
    root = tmp_path_factory.mktemp("plans")
    for i, (budget, unknown, objective) in enumerate(SAMPLES):
        folder = root / f"plan{i}"
        jobs.make_plan(
            jobs.DataOptions(),
            out_dir=folder,
            budget=budget,
            objective=objective,
            policy=planning.Policy(
                unknown=unknown, probability=PUBLISHED_P if unknown == "probability" else None
            ),
            marginal_limit=budget,
        )
        table = pd.read_csv(folder / "plan.csv", dtype={"code": str}, encoding="utf-8-sig")
        out[(budget, unknown, objective)] = sorted(table["code"])
    return out


def _open(offline_page, path: Path):
    requests: list[str] = []
    offline_page.on("request", lambda r: requests.append(r.url))
    offline_page.goto(path.as_uri())
    offline_page.wait_for_function("window.bkmapPlanner && window.bkmapPlanner.ready")
    offline_page.requests = [u for u in requests if u != path.as_uri()]
    return offline_page


def _list_codes(page) -> list[str]:
    return page.eval_on_selector_all(
        "#bp-list-body tr", "rows => rows.map(r => r.children[1].textContent)"
    )


# ---------------------------------------------------------------- precompute


def test_page_is_light_and_exact_grid(page):
    ex = page.explorer
    assert page.size <= 1_000_000
    assert ex.exact_grid
    assert ex.step_vnd == planning.DEFAULT_NEW_STATION_COST_VND
    # Every setting the page offers was precomputed: 2 policies + every p, times 3 objectives.
    assert len(ex.series) == 3 * (2 + len(ex.p_values))
    assert any(abs(p - PUBLISHED_P) < 1e-9 for p in ex.p_values)


def test_non_uniform_costs_match_the_integer_program(assessment_2019):
    """Two cost classes (upgrade cheaper than new): the class comparison equals PuLP + CBC."""
    policy = planning.Policy(upgrade_cost=300_000_000)
    ex = explore(assessment_2019, policy=policy, p_grid=(), check_points=0)
    assert not ex.exact_grid
    assert ex.step_vnd == 300_000_000
    cands = {
        u: planning.candidates(
            assessment_2019.joined,
            policy=dataclasses.replace(
                policy, unknown=u, probability=ex.published_p if u == "probability" else None
            ),
            as_of=assessment_2019.as_of,
        )
        for u in ("need", "probability")
    }
    for unknown, objective, budget, stations in [
        ("need", "communes", 5_000_000_000, None),
        ("need", "population", 4_200_000_000, None),
        ("probability", "mix", 2_700_000_000, None),
        ("probability", "population", None, 13),
    ]:
        # Costs are not multiples of the step: the page shows the grid step at or below.
        grid = ex.budgets[ex.budget_step(budget)] if budget is not None else None
        assert grid is None or budget - ex.step_vnd < grid <= budget
        plan = planning.solve(cands[unknown], budget=grid, stations=stations, objective=objective)
        got = ex.selected(
            unknown=unknown, objective=objective, p=ex.published_p, budget=budget, stations=stations
        )
        assert sorted(got) == sorted(plan.codes), (unknown, objective, budget, stations)


def test_fast_greedy_is_the_model_greedy(assessment_2019):
    cands = planning.candidates(
        assessment_2019.joined,
        policy=planning.Policy(unknown="probability", probability=0.3, upgrade_cost=250_000_000),
    )
    elig = cands.loc[cands["eligible"]]
    for objective in planning.OBJECTIVES:
        values = planning.objective_values(cands, objective=objective).loc[elig.index].to_numpy()
        for budget, stations in [(3 * BN, None), (None, 7), (10 * BN, 9)]:
            plan = planning.greedy(cands, budget=budget, stations=stations, objective=objective)
            taken = fast_greedy(
                values,
                elig["cost_vnd"].to_numpy().astype("int64"),
                elig["code"].tolist(),
                budget=budget,
                stations=stations,
            )
            assert sorted(elig["code"].to_numpy()[taken]) == sorted(plan.codes)


def test_delta_encoding_round_trips(page):
    series = next(iter(page.explorer.series.values()))
    for sets in (series.budget, series.stations_greedy, [(1, 2), (2, 5), (), (0, 7, 9)]):
        assert expand(chosen_sets(sets)) == [tuple(s) for s in sets]


def test_refuses_an_optimum_worse_than_greedy(assessment_2019, monkeypatch):
    # A broken optimiser (nothing chosen) must stop the page, not ship it.
    monkeypatch.setattr(
        explorer_module._Classes, "best", lambda self, **k: np.zeros(0, dtype=np.int64)
    )
    with pytest.raises(BkmapError, match="worse than greedy"):
        explore(assessment_2019, p_grid=(), check_points=0)


# ---------------------------------------------------------------- the page


def test_offline_no_request_no_error(offline_page, page_file):
    p = _open(offline_page, page_file)
    assert p.blocked == []
    assert p.requests == []
    assert p.console_errors == []
    assert p.dialogs == []
    assert p.evaluate("window.bkmapPlannerGroup.getLayers().length") == 122
    assert p.evaluate("document.querySelectorAll('#bp-map path').length") >= 122


def test_selected_equals_plan_csv(offline_page, page_file, page, plan_codes):
    p = _open(offline_page, page_file)
    for budget, unknown, objective in SAMPLES:
        p.evaluate(
            "o => window.bkmapPlanner.set(o)",
            {
                "budget_vnd": budget,
                "unknown": unknown,
                "objective": objective,
                "p": PUBLISHED_P,
                "district": "",
            },
        )
        got = sorted(p.evaluate("window.bkmapPlanner.selected()"))
        assert got == plan_codes[(budget, unknown, objective)], (budget, unknown, objective)
    # Not all empty: the sample exercises real choices.
    assert sum(len(v) for v in plan_codes.values()) > 30
    assert p.console_errors == []


def test_real_controls(offline_page, page_file, plan_codes):
    p = _open(offline_page, page_file)
    p.select_option("#bp-unknown", "need")
    p.select_option("#bp-objective", "communes")
    for typed in ("5 tỷ", "5e9", "5.000.000.000"):
        p.fill("#bp-budget", typed)
        assert p.text_content("#bp-budget-error") == ""
        assert sorted(_list_codes(p)) == plan_codes[(5 * BN, "need", "communes")], typed
        assert "12/102" in p.text_content("#bp-step")
    p.select_option("#bp-unknown", "exclude")
    assert _list_codes(p) == []
    assert p.is_visible("#bp-none")
    p.fill("#bp-budget", "năm tỷ")
    assert p.text_content("#bp-budget-error") != ""
    # The stations control, then a district filter: the list keeps that district's communes.
    p.select_option("#bp-unknown", "need")
    p.fill("#bp-stations", "20")
    assert len(_list_codes(p)) == 20
    p.select_option("#bp-district", "Huyện Ba Bể")
    rows = p.eval_on_selector_all(
        "#bp-list-body tr", "rows => rows.map(r => r.children[3].textContent)"
    )
    assert rows
    assert set(rows) == {"Huyện Ba Bể"}
    assert p.console_errors == []


def test_twenty_stations_certain_expected_at_most(offline_page, page_file, assessment_2019):
    result = planning.plan_communes(
        assessment_2019,
        stations=20,
        policy=planning.Policy(unknown="probability", probability=PUBLISHED_P),
    )
    row = result.alternatives.set_index("unknown_policy").loc["probability"]
    p = _open(offline_page, page_file)
    p.evaluate("window.bkmapPlanner.set({stations: 20, unknown: 'probability', p: 0.451})")
    rows = p.evaluate("window.bkmapPlanner.rows()")
    assert sorted(r["code"] for r in rows) == sorted(result.optimal.codes)
    total = p.eval_on_selector_all(
        "#bp-counts-body tr:last-child td", "cells => cells.map(c => c.textContent)"
    )
    before = int(result.districts.iloc[-1]["c8_met_before"])
    assert total[3] == str(20)  # stations
    assert total[4] == str(before + int(row["communes_certain"]))
    expected = before + float(row["communes_expected"])
    assert total[5] == f"{expected:.3f}".rstrip("0").rstrip(".").replace(".", ",")
    assert total[6] == str(before + int(row["communes_at_most"]))


def test_marginal_gain_of_the_next_billion(offline_page, page_file, page):
    p = _open(offline_page, page_file)
    p.evaluate("window.bkmapPlanner.set({budget_vnd: 5e9, unknown: 'need', objective: 'communes'})")
    here = set(page.explorer.selected(unknown="need", budget=5 * BN))
    there = set(page.explorer.selected(unknown="need", budget=6 * BN))
    text = p.text_content("#bp-marginal")
    assert f"+{len(there) - len(here)} đài" in text
    names = page.explorer.units.set_index("code").loc[sorted(there - here), "name"]
    assert all(n in text for n in names)


def test_csv_download_guards_formulas_and_names_are_text(
    offline_page, page, assessment_2019, tmp_path
):
    names = {
        "01858": '<img src=x onerror="window.__pwned=1">',
        "01864": '=HYPERLINK("http://x","y")',
        "01879": "{{ 7*7 }} <script>window.__pwned=2</script>",
    }
    # The page's names come from the explorer's units: the precompute is reused.
    units = page.explorer.units.copy()
    for code, name in names.items():
        units.loc[units["code"].eq(code), "name"] = name
    html = render_planner(dataclasses.replace(page.explorer, units=units), assessment_2019)
    path = tmp_path / "hostile.html"
    path.write_text(html, encoding="utf-8")
    p = _open(offline_page, path)
    p.evaluate("window.bkmapPlanner.set({stations: 30, unknown: 'need', objective: 'population'})")
    shown = p.eval_on_selector_all(
        "#bp-list-body tr", "rows => rows.map(r => r.children[2].textContent)"
    )
    assert set(names.values()) <= set(shown)
    assert p.evaluate("window.__pwned") is None
    assert (
        p.evaluate("document.querySelectorAll('#bp-list-body img, #bp-list-body script').length")
        == 0
    )
    with p.expect_download() as info:
        p.click("#bp-csv")
    text = Path(info.value.path()).read_bytes().decode("utf-8")
    assert text.startswith("\ufeffrank,code,name")
    assert '\'=HYPERLINK(""http://x"",""y"")' in text
    assert '"<img src=x onerror=""window.__pwned=1"">"' in text
    assert len(text.strip().split("\r\n")) == 31
    assert p.console_errors == []
    assert p.blocked == []


def test_usable_at_390_px(browser, page_file):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    p = context.new_page()
    p.goto(page_file.as_uri())
    p.wait_for_function("window.bkmapPlanner && window.bkmapPlanner.ready")
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    for selector in ("#bp-budget", "#bp-unknown", "#bp-objective", "#bp-csv", "#bp-map"):
        box = p.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["x"] >= 0, selector
        assert box["x"] + box["width"] <= 390, selector
    context.close()


def test_english_page_and_notebook_object(page, assessment_2019):
    english = render_planner(page.explorer, assessment_2019, lang="en")
    assert "commune radio station planner" in english
    assert "Ngân sách (đồng" not in english
    assert "Ngân sách (đồng" in page.html
    assert bkmap.planner_page is planner_page
    shown = page._repr_html_()
    assert shown.startswith("<iframe")
    assert "srcdoc=" in shown
    assert "<script>" not in shown


def test_cli_refuses_a_missing_folder_before_computing(tmp_path):
    result = CliRunner().invoke(cli, ["planner", "--out", str(tmp_path / "no" / "p.html")])
    assert result.exit_code != 0
    assert "does not exist" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["planner", "--out", str(tmp_path / "p.csv")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_probability_gains_derived_as_the_model_does(assessment_2019):
    base = planning.candidates(
        assessment_2019.joined, policy=planning.Policy(unknown="probability", probability=0.05)
    )
    for p in (0.3, PUBLISHED_P, 1.0):
        model = planning.candidates(
            assessment_2019.joined, policy=planning.Policy(unknown="probability", probability=p)
        )
        derived = explorer_module._with_probability(base, p)
        pd.testing.assert_frame_equal(derived, model)


def test_village_model_per_station_count(offline_page, page, assessment_2019, tmp_path):
    from bkmap import datasets
    from bkmap.io.points import read_points
    from bkmap.planning.explorer import explore_villages
    from bkmap.planning.siting import commune_sites, plan_villages, village_weights

    joined = assessment_2019.joined
    points = read_points(
        datasets.example("illustrative_villages.geojson"), kind="villages", extent=joined
    )
    # A small site set (2 existing, 10 free) keeps the 11 solves quick.
    sites = commune_sites(joined.iloc[:12], existing=joined["code"].iloc[:2])
    weights, basis = village_weights(points, communes=joined)
    series = explore_villages(
        points, sites, weights=weights, population_basis=basis, radius_m=5000, illustrative=True
    )
    assert len(series.share) == 11
    for k in (0, 3, 10):
        plan = plan_villages(points, sites, new_sites=k, weights=weights, population_basis=basis)
        assert series.share[k] == pytest.approx(plan.covered_share)
        assert series.chosen[k] == tuple(np.flatnonzero(plan.sites["new"].to_numpy()))
    html = render_planner(dataclasses.replace(page.explorer, villages=series), assessment_2019)
    path = tmp_path / "villages.html"
    path.write_text(html, encoding="utf-8")
    p = _open(offline_page, path)
    p.evaluate("window.bkmapPlanner.set({stations: 3, unknown: 'need'})")
    text = p.text_content("#bp-villages")
    share = f"{series.share[3] * 100:.3f}".rstrip("0").rstrip(".").replace(".", ",")
    assert f"3 điểm mới phủ {share}%" in text
    assert "minh hoạ" in text
    assert p.console_errors == []
