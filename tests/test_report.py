"""The offline HTML report, its tables and its Excel workbook (no browser here; see test_browser)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from bkmap._errors import InputError, ValidationError
from bkmap.cli.main import cli
from bkmap.i18n import t
from bkmap.render.maps import class_counts
from bkmap.render.report import (
    SIZE_BUDGET,
    build_report,
    district_summary,
    read_gaps,
    report_tables,
    status_gaps,
    write_excel,
)

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"


def in_script(text: str, page: str) -> bool:
    """Whether ``text`` is in the page, as HTML text or as a JSON string in a script."""
    return text in page or json.dumps(text)[1:-1] in page


@pytest.fixture(scope="module")
def report_vi(assessment_2019) -> str:
    return build_report(assessment_2019)


def write_gaps_dir(folder: Path, joined: gpd.GeoDataFrame, *, codes: list[str]) -> Path:
    """A folder shaped like the output of `bkmap gaps` for three real communes."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = joined.loc[joined["code"].isin(codes), ["code", "name", "district", "geometry"]].copy()
    rows["gap"] = "8.3: no station"
    rows["area_covered_share"] = [0.12, 0.5, 0.0][: len(rows)]
    rows.drop(columns="geometry").to_csv(folder / "gaps.csv", index=False, encoding="utf-8-sig")
    rows.to_file(folder / "gaps.geojson", driver="GeoJSON")
    return folder


def test_report_is_self_contained_and_small(report_vi):
    size = len(report_vi.encode("utf-8"))
    assert size <= SIZE_BUDGET, f"report is {size} bytes"
    # nothing is loaded from the network: no external script, stylesheet, image or font
    assert not re.search(r"<script[^>]+src=", report_vi)
    assert not re.search(r"<link[^>]+href=[\"']?https?:", report_vi)
    assert not re.search(r"url\(\s*[\"']?https?:", report_vi)
    assert not re.search(r"<img[^>]+src=[\"']?https?:", report_vi)
    assert "cdn.jsdelivr" not in report_vi
    assert "unpkg" not in report_vi
    assert "L.tileLayer" not in report_vi  # no basemap unless asked for
    assert "L.map(" in report_vi  # Leaflet's code is inside


def test_report_has_every_section_in_vietnamese(report_vi):
    for key in ("rpt_summary", "rpt_gaps", "rpt_reconcile", "rpt_sources", "rpt_howto"):
        assert t(key, "vi") in report_vi
    assert '<html lang="vi">' in report_vi
    # Vietnamese formats: dates day/month/year, decimal comma
    assert "12/08/2019" in report_vi
    assert "7,3%" in report_vi  # 8 of 110 xã met criterion 8
    assert "Xã Giáo Hiệu" in report_vi
    assert "Huyện Pác Nặm" in report_vi


def test_report_in_english(joined_2019, assessment_2019):
    page = build_report(assessment_2019, lang="en")
    assert '<html lang="en">' in page
    assert t("rpt_summary", "en") in page
    assert t("rpt_summary", "vi") not in page
    assert "2019-08-12" in page
    assert "7.3%" in page


def test_district_summary_adds_up_to_the_legend(joined_2019):
    summary = district_summary(joined_2019)
    assert len(summary) == 9  # 8 districts and the whole province
    total = summary.iloc[-1]
    counts = class_counts(joined_2019)["c8"]
    assert total["units"] == 122
    assert total["programme"] == 110
    assert total["c8_met"] == counts["met"] == 8
    assert total["c8_not_met"] == counts["not_met"] == 0
    assert total["c8_conflicting"] == counts["conflicting"] == 1
    assert total["c8_unknown"] == counts["unknown"] == 101
    assert total["not_applicable"] == counts["not_applicable"] == 12
    assert summary.iloc[:-1]["units"].sum() == 122
    pac_nam = summary.set_index("district").loc["Huyện Pác Nặm"]
    assert (pac_nam["c8_conflicting"], pac_nam["c8_unknown"]) == (1, 9)


def test_status_gaps_lists_every_xa_not_met_conflicting_or_unknown(joined_2019):
    gaps = status_gaps(joined_2019, lang="vi")
    assert len(gaps) == 102  # 1 conflicting + 101 unknown; urban units are outside the programme
    assert gaps.iloc[0]["name"] == "Xã Giáo Hiệu"  # a conflict comes before the unknowns
    assert gaps.iloc[0]["gap"] == "8.3: Nguồn mâu thuẫn"
    assert set(gaps["code"]).isdisjoint(set(joined_2019.loc[joined_2019["c8"].eq("met"), "code"]))
    assert not gaps["name"].str.startswith(("Phường", "Thị trấn")).any()


def test_reconciliation_is_in_the_report(joined_2019, assessment_2019):
    tables = report_tables(assessment_2019, lang="vi")
    rec = tables["reconcile"]
    row = rec.loc[rec["metric"].eq("c8_met")].iloc[0]
    assert (row["figure"], row["records_met"], row["unattributed"]) == (64, 8, 56)
    page = build_report(assessment_2019, tables=tables)
    assert t("rpt_metric_c8_met", "vi") in page
    assert "hồ sơ xác nhận 8/64" in page


def test_sources_table_lists_every_source(report_vi):
    sources = pd.read_csv(Path("data/sources.csv"), dtype=str, keep_default_na=False)
    for sid in sources["source_id"]:
        assert f'data-col="source_id">{sid}</td>' in report_vi


def test_user_text_is_escaped(joined_2019, assessment_2019):
    joined = joined_2019.copy()
    row = joined.index[joined["code"].eq("01870")][0]
    joined.loc[row, "name"] = f"Xã {XSS_SCRIPT}"
    joined.loc[row, "note"] = XSS_IMG
    page = build_report(assessment_2019.replace(joined=joined))
    assert XSS_SCRIPT not in page
    assert XSS_IMG not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text in the gap list
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_template_syntax_in_user_text_is_not_evaluated(joined_2019, tmp_path, assessment_2019):
    """branca compiles scripts as Jinja again: a name holding {{ ... }} must stay text."""
    joined = joined_2019.copy()
    row = joined.index[joined["code"].eq("01891")][0]
    joined.loc[row, "name"] = "Xã {{ 7*7 }} Bành Trạch"
    joined.loc[row, "note"] = "{% if true %}yes{% endif %} {# gone #}"
    folder = write_gaps_dir(tmp_path / "g", joined, codes=["01891"])
    page = build_report(assessment_2019.replace(joined=joined), gaps=read_gaps(folder))
    assert "49 Bành Trạch" not in page
    assert "{{ 7*7 }} Bành Trạch" in page  # in the gap list, as text
    assert "{% if true %}yes{% endif %} {# gone #}" in page
    # the map's commune label and the gap layer's tooltip keep it, with the "{" escaped in JSON
    assert page.count("\\u007b{ 7*7 }} Bành Trạch") >= 2


def test_gap_layers_and_list_from_bkmap_gaps(joined_2019, tmp_path, assessment_2019):
    folder = write_gaps_dir(tmp_path / "gaps", joined_2019, codes=["01870", "01891", "01900"])
    gaps = read_gaps(folder)
    assert len(gaps.table) == 3
    assert len(gaps.layer) == 3
    page = build_report(assessment_2019, gaps=gaps)
    assert in_script(t("rpt_gap_layer", "vi"), page)
    assert t("rpt_spatial_gaps", "vi") in page
    assert page.count("8.3: no station") >= 6  # in the table and in the layer's tooltips
    assert len(page.encode("utf-8")) <= SIZE_BUDGET


def test_gaps_folder_missing_or_incomplete(tmp_path, joined_2019):
    with pytest.raises(InputError, match="bkmap gaps --out"):
        read_gaps(tmp_path / "nowhere")
    folder = write_gaps_dir(tmp_path / "g", joined_2019, codes=["01870"])
    (folder / "gaps.geojson").unlink()
    with pytest.raises(InputError, match=r"gaps\.geojson missing"):
        read_gaps(folder)
    (folder / "gaps.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid GeoJSON"):
        read_gaps(folder)
    (folder / "gaps.csv").write_text("code,name\n01870,Xã Giáo Hiệu\n", encoding="utf-8")
    (folder / "gaps.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8"
    )
    with pytest.raises(ValidationError, match="no 'gap' column"):
        read_gaps(folder)


def test_empty_gap_layer_is_not_an_error(joined_2019, tmp_path, assessment_2019):
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "gaps.csv").write_text("code,name,district,gap\n", encoding="utf-8")
    (folder / "gaps.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8"
    )
    gaps = read_gaps(folder)
    assert gaps.table.empty
    assert gaps.layer.empty
    page = build_report(assessment_2019, gaps=gaps)
    assert t("rpt_spatial_gaps", "vi") in page
    assert not in_script(t("rpt_gap_layer", "vi"), page)  # no empty layer in the layer control


def test_excel_workbook_has_vietnamese_headers(joined_2019, tmp_path, assessment_2019):
    from openpyxl import load_workbook

    path = write_excel(report_tables(assessment_2019, lang="vi"), tmp_path / "bang.xlsx", lang="vi")
    book = load_workbook(path)
    assert book.sheetnames[:3] == ["Tổng hợp theo huyện", "Số đơn vị theo lớp", "Xã còn thiếu"]
    assert {"Tình trạng từng xã", "Nguồn dữ liệu", "Đối chiếu số công bố"} <= set(book.sheetnames)
    summary = book["Tổng hợp theo huyện"]
    headers = [c.value for c in summary[1]]
    assert headers[:4] == ["Huyện", "Số đơn vị", "Số xã (thuộc chương trình)", "Đạt TC8"]
    last = [c.value for c in summary[summary.max_row]]
    assert last[:4] == ["Toàn tỉnh", 122, 110, 8]  # numbers stay numbers
    gaps = book["Xã còn thiếu"]
    assert gaps.max_row == 103
    assert [c.value for c in gaps[1]][:4] == ["Mã ĐVHC", "Tên đơn vị", "Huyện", "Còn thiếu"]
    assert gaps.column_dimensions["B"].width >= len("Xã Giáo Hiệu")
    assert gaps.freeze_panes == "A2"


def test_cli_report_writes_html_and_excel(tmp_path):
    out = tmp_path / "report.html"
    xlsx = tmp_path / "report.xlsx"
    result = CliRunner().invoke(cli, ["report", "--out", str(out), "--excel", str(xlsx)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size <= SIZE_BUDGET
    assert xlsx.exists()
    assert "MB" in result.output
    page = out.read_text(encoding="utf-8")
    assert in_script(t("districts", "vi"), page)  # district outlines
    assert "Huyện Na Rì" in page  # and names
    assert "Xã Giáo Hiệu" in page


def test_cli_report_errors_are_clear(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        cli, ["report", "--out", str(tmp_path / "r.html"), "--gaps", str(tmp_path / "none")]
    )
    assert result.exit_code != 0
    assert "bkmap gaps --out" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(
        cli, ["report", "--out", str(tmp_path / "r.html"), "--excel", str(tmp_path / "r.csv")]
    )
    assert result.exit_code != 0
    assert ".xlsx" in result.output
    result = runner.invoke(cli, ["report", "--out", str(tmp_path / "missing" / "r.html")])
    assert result.exit_code != 0
    assert "does not exist" in result.output
    assert not (tmp_path / "r.html").exists()


def test_cli_report_with_tiles_keeps_the_offline_fallback(tmp_path):
    out = tmp_path / "tiles.html"
    result = CliRunner().invoke(cli, ["report", "--out", str(out), "--tiles", "--lang", "en"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in page
    assert "tileerror" in page
    assert 'id="bkmap-offline-tiles"' in page


def test_report_reads_what_bkmap_gaps_writes(tmp_path):
    """The real `bkmap gaps` output on the shipped data goes into the report and the workbook."""
    from openpyxl import load_workbook

    runner = CliRunner()
    folder = tmp_path / "gaps"
    result = runner.invoke(cli, ["gaps", "--out", str(folder)])
    assert result.exit_code == 0, result.output
    out, xlsx = tmp_path / "report.html", tmp_path / "report.xlsx"
    result = runner.invoke(
        cli, ["report", "--gaps", str(folder), "--out", str(out), "--excel", str(xlsx)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert len(page.encode("utf-8")) <= SIZE_BUDGET
    assert in_script(t("rpt_gap_layer", "vi"), page)
    listed = pd.read_csv(folder / "gaps.csv", dtype=str, encoding="utf-8-sig")
    section = page[page.index('id="rpt-spatial-gaps"') : page.index('id="rpt-reconcile"')]
    assert section.count("<tr") == len(listed) + 1  # every listed commune, and the header
    assert "Xã Giáo Hiệu" in section
    sheet = load_workbook(xlsx)[t("rpt_sheet_spatial", "vi")]
    assert sheet.max_row == len(listed) + 1
    assert [c.value for c in sheet[1]][1:4] == ["Mã ĐVHC", "Tên đơn vị", "Huyện"]


def test_no_reconciliation_against_merged_units():
    """The published totals count the 2019 units: a report on the 2025 units does not compare them."""
    from bkmap.pipeline import assess

    a2025 = assess(on="2025-07-01")
    tables = report_tables(a2025, lang="en")
    assert tables["reconcile"].empty
    assert int(tables["summary"].iloc[-1]["units"]) == 37
    page = build_report(a2025, lang="en", tables=tables)
    assert "make the report on the 2019 boundaries" in page
    assert 'id="rpt-reconcile-table"' not in page
