"""``bkmap map`` and ``bkmap template`` from the command line, on the shipped data."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from bkmap.cli.main import cli
from bkmap.io.status import load_status


def _features(html: str) -> list[dict]:
    """Every commune embedded in the page (its compact data block), as GeoJSON-like dicts."""
    from bkmap.render.maps import page_features

    return [{"properties": p} for p in page_features(html)]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_map_without_arguments_writes_the_default_map(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["map"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "bkmap_criterion8.html"
    assert f"wrote {out}" in result.output
    assert "122 communes" in result.output
    html = out.read_text(encoding="utf-8")
    # The overall layer holds each of the 122 communes once, with the table's class.
    overall = {}
    for feature in _features(html):
        props = feature["properties"]
        overall.setdefault(props["code"], props["k_c8"])
    assert len(overall) == 122
    expected = load_status().set_index("code")["c8"].to_dict()
    assert overall == expected
    assert "Chưa rõ" in html  # the unknown class is labelled, in Vietnamese by default
    assert "cdn.jsdelivr.net" not in html  # Leaflet is inlined


def test_map_in_english_with_report(runner, tmp_path):
    out = tmp_path / "en.html"
    report = tmp_path / "matches.csv"
    result = runner.invoke(cli, ["map", "--lang", "en", "--out", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Unknown" in html
    assert "Criterion 8" in html
    lines = pd.read_csv(report, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert {"row", "given_name", "matched_code", "method", "candidates"} <= set(lines.columns)
    assert len(lines) == 122
    assert lines["method"].eq("code").all()


def test_map_with_a_users_table_and_report(runner, tmp_path):
    table = tmp_path / "bang.csv"
    table.write_text(
        "Tên xã,Huyện,Chỉ tiêu 8.1,Chỉ tiêu 8.2,Chỉ tiêu 8.3,Chỉ tiêu 8.4\n"
        "Xã Đồng Phúc,Ba Bể,đạt,đạt,đạt,đạt\n"
        "Xa Dia Linh,H. Ba Be,dat,dat,chua dat,dat\n"
        "Xã Không Có,Ba Bể,đạt,đạt,đạt,đạt\n",
        encoding="utf-8",
    )
    report = tmp_path / "r.csv"
    out = tmp_path / "m.html"
    result = runner.invoke(
        cli, ["map", "--status", str(table), "--report", str(report), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "row 4: 'Xã Không Có' matches no unit" in result.output
    lines = pd.read_csv(report, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    by_row = lines[lines["row"].ne("")].set_index("row")
    assert by_row.loc["2", "matched_code"] == "01933"
    assert by_row.loc["3", "matched_code"] == "01915"
    assert by_row.loc["4", "method"] == "unmatched"
    assert by_row.loc["4", "candidates"] != ""
    assert lines["method"].eq("unit_without_row").sum() == 120
    overall = {f["properties"]["code"]: f["properties"]["k_c8"] for f in _features(out.read_text())}
    assert overall["01933"] == "met"
    assert overall["01915"] == "not_met"
    assert overall["01837"] == "not_applicable"


def test_missing_status_file_fails_clearly(runner, tmp_path):
    result = runner.invoke(cli, ["map", "--status", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "nope.csv: file not found" in result.output
    assert "Traceback" not in result.output


def test_bad_column_fails_clearly(runner, tmp_path):
    table = tmp_path / "cols.csv"
    table.write_text("commune_id;value\n1;2\n", encoding="utf-8")
    result = runner.invoke(cli, ["map", "--status", str(table), "--out", str(tmp_path / "m.html")])
    assert result.exit_code == 1
    assert "cols.csv" in result.output
    assert "no code or name column" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "m.html").exists()


def test_duplicate_commune_fails_clearly_and_reports(runner, tmp_path):
    table = tmp_path / "dup.csv"
    table.write_text(
        "code,name,8.1,8.2,8.3,8.4\n01933,Đồng Phúc,met,met,met,met\n,Dong Phuc,met,met,not_met,met\n",
        encoding="utf-8",
    )
    report = tmp_path / "r.csv"
    out = tmp_path / "m.html"
    result = runner.invoke(
        cli, ["map", "--status", str(table), "--report", str(report), "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "rows 2, 3 all match 01933" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    lines = pd.read_csv(report, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert "duplicate" in set(lines["method"])


def test_bad_lang_is_a_usage_error(runner):
    result = runner.invoke(cli, ["map", "--lang", "fr"])
    assert result.exit_code == 2
    assert "'fr' is not one of 'vi', 'en'" in result.output


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_writes_every_commune(runner, tmp_path, suffix):
    out = tmp_path / f"mau{suffix}"
    result = runner.invoke(cli, ["template", "--out", str(out)])
    assert result.exit_code == 0, result.output
    if suffix == ".csv":
        frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    else:
        frame = pd.read_excel(out, dtype=str).fillna("")
    assert list(frame.columns[:4]) == ["Mã ĐVHC", "Tên xã", "Huyện", "Chỉ tiêu 8.1"]
    assert len(frame) == 122
    assert frame["Mã ĐVHC"].is_unique


def test_template_rejects_other_suffixes(runner, tmp_path):
    result = runner.invoke(cli, ["template", "--out", str(tmp_path / "x.json")])
    assert result.exit_code == 1
    assert "must end in .csv or .xlsx" in result.output


def test_every_command_has_help(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    names = re.findall(r"^  (\w[\w-]*)\s", result.output.split("Commands:")[1], flags=re.M)
    assert {"map", "template"} <= set(names)
    for name in names:
        sub = runner.invoke(cli, [name, "--help"])
        assert sub.exit_code == 0, (name, sub.output)
        assert "Usage: " in sub.output
        assert len(sub.output.split("Options:")[0].strip().splitlines()) >= 3, name


def test_output_path_is_not_left_half_written(runner, tmp_path):
    missing_dir = tmp_path / "no" / "such" / "dir" / "m.html"
    result = runner.invoke(cli, ["map", "--out", str(missing_dir)])
    assert result.exit_code == 1
    assert "does not exist" in result.output
    assert not list(tmp_path.rglob("*.part"))


def test_version_option(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert "0.1.0" in result.output


def test_paths_in_output_are_absolute(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["map", "--out", "x.html"])
    assert str(Path(tmp_path / "x.html")) in result.output


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("vi", "'sẽ giúp xã Giáo Hiệu hoàn thành tiêu chí số 8'"), ("en", "will help complete")],
)
def test_shipped_notes_follow_the_language(runner, tmp_path, lang, expected):
    out = tmp_path / f"{lang}.html"
    result = runner.invoke(cli, ["map", "--lang", lang, "--out", str(out)])
    assert result.exit_code == 0, result.output
    notes = {
        f["properties"]["code"]: f["properties"].get("note", "")
        for f in _features(out.read_text(encoding="utf-8"))
    }
    assert expected in notes["01870"]  # Giáo Hiệu
