"""Tests of ``bkmap plan`` on the shipped data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from bkmap import datasets
from bkmap.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
VILLAGES = datasets.example("illustrative_villages.geojson")


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"code": str}, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def plan_5bn(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plan") / "out"
    result = CliRunner().invoke(
        cli, ["plan", "--budget", "5000000000", "--out", str(out), "--no-tiles"]
    )
    assert result.exit_code == 0, result.output
    assert "loại khỏi kế hoạch" in result.output  # the unknown policy is reported
    # How the commune whose sources conflict was counted is said at the default verbosity.
    assert "01870 Xã Giáo Hiệu" in result.output
    assert "planned for as unknown (--unknown exclude)" in result.output
    return out


@pytest.fixture(scope="module")
def plan_need(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plan_need") / "out"
    result = CliRunner().invoke(
        cli,
        ["plan", "--budget", "5000000000", "--unknown", "need", "--out", str(out), "--no-tiles"],
    )
    assert result.exit_code == 0, result.output
    return out


def test_plan_within_budget_on_shipped_data(plan_5bn: Path) -> None:
    plan = _read(plan_5bn / "plan.csv")
    assert {"code", "name", "district", "cost_vnd", "contribution"} <= set(plan.columns)
    assert plan["cost_vnd"].sum() <= 5_000_000_000
    # exclude policy: no commune is known to lack only 8.3 (Giáo Hiệu's sources conflict)
    assert plan.empty
    districts = _read(plan_5bn / "districts.csv").set_index("district")
    assert districts.loc["Total", "c8_met_before"] == 8
    assert districts.loc["Total", "c8_met_after"] == 8
    assert districts.loc["Total", "c8_conflicting_before"] == 1
    communes = _read(plan_5bn / "communes.csv")
    assert len(communes) == 122  # every unit is reported with its reason
    giao_hieu = communes.set_index("code").loc["01870"]
    assert giao_hieu["state"] == "unknown"
    assert bool(giao_hieu["conflicting"])
    assert "check it on the ground first" in giao_hieu["reason"]
    marginal = _read(plan_5bn / "marginal.csv")
    assert marginal["budget_vnd"].iloc[0] == 5_000_000_000
    assert marginal["budget_vnd"].iloc[-1] == 10_000_000_000


def test_workbook_has_vietnamese_headers(plan_need: Path) -> None:
    book = load_workbook(plan_need / "plan.xlsx", read_only=True)
    assert {"Kế hoạch", "Theo huyện", "Biên tế 1 tỷ", "Các xã", "Thiết lập"} <= set(book.sheetnames)
    header = [c.value for c in next(book["Kế hoạch"].iter_rows(max_row=1))]
    assert "Mã ĐVHC" in header
    assert "Chi phí (đồng)" in header
    assert "Cách xử lý xã chưa rõ 8.3" in header
    rows = list(book["Kế hoạch"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 12
    assert {r[header.index("Cách tính chi phí")] for r in rows} <= {"nâng cấp", "xây mới"}
    setting = {r[0]: r for r in book["Thiết lập"].iter_rows(min_row=2, values_only=True)}
    # The settings sheet is in words (plan.csv's machine names stay in the CSV files).
    assert setting["Xã có nguồn mâu thuẫn về 8.3"][1] == "01870"
    assert "S13" in setting["Chi phí xây mới (đồng)"][2]
    book.close()


def test_need_policy_compare_and_villages(tmp_path: Path) -> None:
    out = tmp_path / "scenarios"
    result = CliRunner().invoke(
        cli,
        [
            "plan",
            "--budget",
            "5e9",
            "--unknown",
            "need",
            "--compare",
            "5e9,8.3bn",
            "--villages",
            str(VILLAGES),
            "--radius",
            "4000",
            "--out",
            str(out),
            "--no-tiles",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    plan = _read(out / "plan.csv")
    assert len(plan) == 12
    assert plan["cost_vnd"].sum() <= 5_000_000_000
    met = {"01852", "01903", "02017", "02056", "02122", "02125", "02152", "02158"}
    assert not set(plan["code"]) & met  # existing stations are never proposed
    compare = _read(out / "compare.csv")
    assert compare["budget_vnd"].tolist() == [5_000_000_000, 8_300_000_000]
    assert compare["stations"].tolist() == [12, 19]
    assert (compare["cost_vnd"] <= compare["budget_vnd"]).all()
    assert (out / "compare.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    sites = _read(out / "village_sites.csv")
    assert sites["new"].sum() == 12  # 5 bn VND / 416,666,666 VND per station
    assert sites["existing"].sum() == 8
    uncovered = _read(out / "villages_uncovered.csv")
    assert len(uncovered) > 0
    assert "of the population covered" in result.output
    page = (out / "plan_map.html").read_text(encoding="utf-8")
    assert "Villages not covered" in page
    assert "treated as needing a station" in page


def test_bad_costs_file_is_a_clean_error(tmp_path: Path) -> None:
    costs = tmp_path / "costs.csv"
    costs.write_text("code,cost_vnd\n01870,abc\n01870,5\n12345,1\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["plan", "--budget", "5e9", "--costs", str(costs), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "row 2: cost_vnd 'abc' is not a number" in result.output
    assert "row 4: code '12345' is not a unit" in result.output
    assert not (tmp_path / "o" / "plan.csv").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--budget", "lots"], "--budget: 'lots' is not an amount of VND"),
        (["--stations", "2.5"], "--stations: '2.5' is not a number of stations"),
        (["--compare", "5e9,x"], "--compare: 'x' is not an amount"),
        ([], "give a budget (--budget VND)"),
        (["--budget", "5e9", "--unknown", "probability"], "needs --probability"),
    ],
)
def test_bad_limits_are_clean_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["plan", "--out", str(tmp_path / "o"), *args])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert message in result.output


@pytest.mark.browser
def test_plan_map_works_offline(plan_need: Path, offline_page) -> None:
    page = offline_page
    page.goto((plan_need / "plan_map.html").as_uri())
    page.wait_for_selector(".leaflet-interactive")
    summary = page.inner_text("#bkmap-plan-summary")
    assert "Giáo Hiệu" not in summary
    assert "coi như cần đài" in summary
    layers = page.inner_text(".leaflet-control-layers")
    assert "Đài đề xuất xây dựng" in layers
    assert "Xã sẽ đạt tiêu chí 8" in layers
    assert page.console_errors == []
    assert page.dialogs == []
