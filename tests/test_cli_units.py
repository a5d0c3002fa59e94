"""CLI tests: ``bkmap units``, ``bkmap map --on 2025-07-01``, ``bkmap compare``."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from bkmap.cli.main import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _features(html: str) -> int:
    """Count the units in the legend's total row (one feature per unit)."""
    found = re.search(r"<tr class='bkmap-total'><td>[^<]*</td><td>(\d+)</td>", html)
    assert found, "legend total not found"
    return int(found.group(1))


def test_units_lists_versions(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["units"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "4 versions"
    for version, count in (("2019", "122"), ("2020", "108"), ("2023", "108"), ("2025", "37")):
        row = next(line for line in lines[2:] if line.split()[0] == version)
        assert count in row.split()
    assert "NQ 855/NQ-UBTVQH14" in result.output
    assert "2020-02-01" in result.output
    assert "2025-07-01" in result.output


def test_units_on_date(runner: CliRunner, tmp_path) -> None:
    result = runner.invoke(cli, ["units", "--on", "2025-07-01"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("37 units in force on 2025-07-01")
    assert "Xã Na Rì" in result.output
    result = runner.invoke(cli, ["units", "--on", "2019-08-12"])
    assert "122 units" in result.output
    assert "Xã Lương Hạ" in result.output
    out = tmp_path / "wide.csv"
    result = runner.invoke(
        cli, ["units", "--on", "2025-07-01", "--whole-province", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 93
    result = runner.invoke(cli, ["units", "--on", "2020", "--lang", "en"])
    assert "Approximate boundary" in result.output


def test_units_crosswalk_and_disagreement(runner: CliRunner, tmp_path) -> None:
    out = tmp_path / "cw.csv"
    result = runner.invoke(cli, ["units", "--crosswalk", "2019", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "122 units -> 37 units" in result.output
    assert out.exists()
    result = runner.invoke(cli, ["units", "--disagreement"])
    assert result.exit_code == 0, result.output
    assert "symmetric difference" in result.output


def test_units_bad_input(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["units", "--on", "someday"])
    assert result.exit_code != 0
    assert "not a date" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["units", "--crosswalk", "2025", "2019"])
    assert result.exit_code != 0
    assert "older version first" in result.output
    result = runner.invoke(cli, ["units", "--out", "x.txt"])
    assert result.exit_code != 0
    assert ".csv or .xlsx" in result.output


def test_map_on_2025_draws_37(runner: CliRunner, tmp_path) -> None:
    out = tmp_path / "m.html"
    result = runner.invoke(cli, ["map", "--on", "2025-07-01", "--out", str(out), "--no-tiles"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert _features(html) == 37
    assert "37 communes" in result.output
    assert "Hình thành từ" in html  # lineage text for the tooltips


def test_map_whole_province_draws_92(runner: CliRunner, tmp_path) -> None:
    out = tmp_path / "m.html"
    result = runner.invoke(
        cli, ["map", "--on", "2025-07-01", "--whole-province", "--out", str(out), "--no-tiles"]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert _features(html) == 92
    assert "Ngoài phạm vi dữ liệu" in html


def test_compare(runner: CliRunner, tmp_path) -> None:
    out = tmp_path / "compare.html"
    table = tmp_path / "changes.csv"
    result = runner.invoke(
        cli,
        [
            "compare",
            "--as-of",
            "2018-07-31",
            "--as-of",
            "2019-08-12",
            "--out",
            str(out),
            "--table",
            str(table),
            "--no-tiles",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "122 units, 2018-07-31 -> 2019-08-12" in result.output
    # Giáo Hiệu went from unknown to conflicting (issue 16): a revision, not new knowledge
    assert "criterion 8: 1 newly known, 1 revised, 120 unchanged" in result.output
    assert "gained" not in result.output  # "103 gained" was new knowledge, not progress
    html = out.read_text(encoding="utf-8")
    assert 'id="bkmap-changes"' in html
    assert "2018-07-31: Criterion 8 (overall)" in html
    assert "2019-08-12: Criterion 8 (overall)" in html
    assert "cdn.jsdelivr" not in html
    assert "unpkg.com" not in html
    assert "Giáo Hiệu" in table.read_text(encoding="utf-8-sig")


def test_compare_on_2025(runner: CliRunner, tmp_path) -> None:
    out = tmp_path / "c25.html"
    result = runner.invoke(cli, ["compare", "--on", "2025-07-01", "--out", str(out), "--no-tiles"])
    assert result.exit_code == 0, result.output
    assert "37 units" in result.output


def test_compare_needs_two(runner: CliRunner, tmp_path) -> None:
    result = runner.invoke(
        cli, ["compare", "--as-of", "2019-08-12", "--out", str(tmp_path / "x.html")]
    )
    assert result.exit_code != 0
    assert "exactly two" in result.output
    assert "Traceback" not in result.output


@pytest.mark.browser
def test_compare_page_offline(runner: CliRunner, tmp_path, offline_page) -> None:
    out = tmp_path / "compare.html"
    result = runner.invoke(cli, ["compare", "--out", str(out), "--no-tiles"])
    assert result.exit_code == 0, result.output
    page = offline_page
    page.goto(out.as_uri())
    page.wait_for_selector(".leaflet-control-layers")
    assert page.locator(".leaflet-control-layers-overlays label").count() == 12
    # Issue 13: new knowledge is not progress. Criterion 8 went from 7 known met to 8, and
    # Giáo Hiệu from unknown to conflicting (a revision, issue 16); 103 values of 8.1
    # became known through the 2019 article's 100 %, none was gained.
    cell = "#bkmap-changes td[data-value='{}'][data-change='{}']"
    assert page.locator(cell.format("c8", "gained")).inner_text() == "0"
    assert page.locator(cell.format("c8", "newly_known")).inner_text() == "1"
    assert page.locator(cell.format("c8", "revised")).inner_text() == "1"
    assert page.locator(cell.format("c8_1", "newly_known")).inner_text() == "103"
    assert page.locator(cell.format("c8_1", "gained")).inner_text() == "0"
    assert page.blocked == []
    assert page.console_errors == []
    assert page.dialogs == []
