"""Workbooks as an official hands them in: the reader's language, number formats, filter, frozen header.

Every workbook bkmap writes is made by the real command on the shipped data and read
back with openpyxl, in Vietnamese (the default) and in English.
"""

from __future__ import annotations

import re
from html import escape as html_escape
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from bkmap.cli.main import cli
from bkmap.io.write import number_format, workbook_frame

CLASSES = {
    "vi": {"Đạt", "Chưa đạt", "Chưa rõ", "Nguồn mâu thuẫn", "Không áp dụng (phường, thị trấn)"},
    "en": {"Met", "Not met", "Unknown", "Sources conflict", "Not applicable (urban units)"},
}
# Machine words a workbook must not show: class codes as whole cells, column and gap keys.
MACHINE_CELL = re.compile(r"^(met|not_met|unknown|conflicting|not_applicable|stated|inferred)$")
MACHINE_KEY = re.compile(r"\bc8(_\d)?(_[a-z]+)+\b|\bcommune_code\b|\bdistrict_code\b")
ENGLISH_WORDS = {"stated", "inferred"}
VND = {"vi": '#,##0 "₫"', "en": '#,##0 "VND"'}


def _invoke(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """gaps.xlsx, plan.xlsx, the report's workbook and the units listing, in both languages."""
    out = tmp_path_factory.mktemp("books")
    paths: dict[tuple[str, str], Path] = {}
    for lang in ("vi", "en"):
        _invoke("gaps", "--lang", lang, "--out", str(out / f"gaps_{lang}"))
        paths["gaps", lang] = out / f"gaps_{lang}" / "gaps.xlsx"
        # --unknown need: the plan builds stations, so its sheets hold costs.
        plan = out / f"plan_{lang}"
        _invoke("plan", "--lang", lang, "--budget", "5e9", "--unknown", "need", "--out", str(plan))
        paths["plan", lang] = plan / "plan.xlsx"
        report = out / f"report_{lang}.xlsx"
        _invoke(
            "report", "--lang", lang, "--out", str(out / f"r_{lang}.html"), "--excel", str(report)
        )
        paths["report", lang] = report
        units = out / f"units_{lang}.xlsx"
        _invoke("units", "--lang", lang, "--on", "2019", "--out", str(units))
        paths["units", lang] = units
    return paths


def _header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def _column(ws, header: str) -> list[openpyxl.cell.Cell]:
    j = _header(ws).index(header) + 1
    return [ws.cell(row=r, column=j) for r in range(2, ws.max_row + 1)]


@pytest.mark.parametrize("name", ["gaps", "plan", "report", "units"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_sheet_has_a_frozen_filtered_header_and_no_machine_words(books, name, lang):
    book = openpyxl.load_workbook(books[name, lang])
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        last = get_column_letter(ws.max_column)
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}", ws.title
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    # In English "stated" and "inferred" are the words themselves.
                    machine = MACHINE_CELL.match(value)
                    assert not (machine and (lang == "vi" or value not in ENGLISH_WORDS)), (
                        ws.title,
                        value,
                    )
                    assert not MACHINE_KEY.search(value), (ws.title, value)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_gaps_workbook_in_the_language(books, lang):
    book = openpyxl.load_workbook(books["gaps", lang])
    ws = book.worksheets[0]
    header = _header(ws)
    indicator = "Chỉ tiêu 8.3" if lang == "vi" else "8.3"
    assert indicator in header
    assert ("Còn thiếu" if lang == "vi" else "Gap") in header
    values = {c.value for c in _column(ws, indicator)}
    assert values <= CLASSES[lang]
    assert ("Nguồn mâu thuẫn" if lang == "vi" else "Sources conflict") in values  # Giáo Hiệu
    population = _column(ws, "Dân số (2019)" if lang == "vi" else "Population (2019)")
    assert {c.number_format for c in population} == {"#,##0"}
    share = _column(ws, "Tỷ lệ diện tích được phủ sóng" if lang == "vi" else "Area covered")
    assert {c.number_format for c in share} == {"0.0%"}
    assert {c.number_format for c in _column(ws, header[0])} == {"0"}  # the rank


def test_gaps_csv_keeps_machine_names(books):
    csv = books["gaps", "vi"].with_name("gaps.csv")
    columns = pd.read_csv(csv, nrows=0, encoding="utf-8-sig").columns
    assert {"code", "c8_3", "gap_keys", "covered_area_share"} <= set(columns)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_plan_workbook_costs_in_dong_and_headers_in_the_language(books, lang):
    book = openpyxl.load_workbook(books["plan", lang])
    assert book.sheetnames[0] == ("Kế hoạch" if lang == "vi" else "Plan")
    ws = book.worksheets[0]
    cost = _column(ws, "Chi phí (đồng)" if lang == "vi" else "Cost (VND)")
    assert len(cost) == 12
    assert all(c.value == 416_666_666 for c in cost)
    assert {c.number_format for c in cost} == {VND[lang]}
    cumulative = _column(ws, "Chi phí cộng dồn (đồng)" if lang == "vi" else "Cumulative cost (VND)")
    assert cumulative[-1].value == 12 * 416_666_666
    assert {c.number_format for c in cumulative} == {VND[lang]}
    communes = book.worksheets[book.sheetnames.index("Các xã" if lang == "vi" else "Communes")]
    header = _header(communes)
    for key in ("8.1", "8.2", "8.3", "8.4"):
        assert (f"Chỉ tiêu {key}" if lang == "vi" else f"Indicator {key}") in header
    assert {c.value for c in _column(communes, header[5])} <= CLASSES[lang]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_report_workbook_shares_as_percent(books, lang):
    book = openpyxl.load_workbook(books["report", lang])
    ws = book.worksheets[0]
    share = _column(
        ws,
        "Tỷ lệ xã đạt TC8 theo hồ sơ" if lang == "vi" else "Share of xã meeting C8 in the records",
    )
    assert {c.number_format for c in share if c.value is not None} == {"0.0%"}
    assert all(0 <= c.value <= 1 for c in share if c.value is not None)
    reconcile = book.worksheets[
        book.sheetnames.index("Đối chiếu số công bố" if lang == "vi" else "Reconciliation")
    ]
    assert ("Mã huyện" if lang == "vi" else "District code") in _header(reconcile)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_units_listing_headers(books, lang):
    ws = openpyxl.load_workbook(books["units", lang]).worksheets[0]
    assert ws.title == ("Đơn vị hành chính" if lang == "vi" else "Units")
    expected = ["Mã ĐVHC", "Hiệu lực từ"] if lang == "vi" else ["GSO code", "Valid from"]
    assert _header(ws)[:2] == expected
    assert ws.max_row == 123


def test_template_workbook_keeps_its_headers_to_be_read_back(tmp_path):
    out = tmp_path / "t.xlsx"
    _invoke("template", "--lang", "en", "--out", str(out))
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert _header(ws)[:3] == ["code", "name", "district"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"


def test_workbook_frame_and_formats_directly():
    frame = pd.DataFrame(
        {
            "commune_code": ["01870", "01834"],
            "c8_3": ["conflicting", "not_applicable"],
            "c8_3_confidence": ["inferred", ""],
            "cost_vnd": [416_666_666, 0],
            "covered_population_share": [0.25, 1.0],
            "area_km2": [28.1673, 3.5],
        }
    )
    shown = workbook_frame(frame, "vi")
    assert list(shown.columns[:3]) == ["Mã xã", "Chỉ tiêu 8.3", "Chỉ tiêu 8.3: mức tin cậy"]
    assert shown["Chỉ tiêu 8.3"].tolist() == ["Nguồn mâu thuẫn", "Không áp dụng (phường, thị trấn)"]
    assert shown["Chỉ tiêu 8.3: mức tin cậy"].tolist() == ["suy ra", ""]
    assert workbook_frame(frame, "en")["Indicator 8.3"].tolist()[0] == "Sources conflict"
    assert number_format("cost_vnd", frame["cost_vnd"], "en") == '#,##0 "VND"'
    assert number_format("covered_population_share", frame["covered_population_share"]) == "0.0%"
    assert number_format("area_km2", frame["area_km2"]) == "#,##0.0##"
    # A "share" outside 0-1 is not a fraction: no percent format that would show 2500%.
    assert number_format("odd_share", pd.Series([25.0, 40.0])) == "#,##0"
    assert number_format("name", pd.Series(["a"])) is None


# --------------------------------------------------------------------------- the sources table

SOURCES = pd.read_csv(
    Path(__file__).resolve().parents[1] / "data" / "sources.csv", dtype=str, keep_default_na=False
)
# bkmap's own notes on a source: they stay in the data, never in the report.
INTERNAL = [
    *(v for v in SOURCES["caveat"] if v),
    *(v for v in SOURCES["date_note"] if v),
    "không liên quan",
    "unrelated",
    "spam",
    "brief",
]
ROW = re.compile(r"<tr>\s*(<td.*?)</tr>", re.S)
CELL = re.compile(r'<td[^>]*data-col="(\w+)"[^>]*>(.*?)</td>', re.S)


def _source_rows(html: str) -> list[dict[str, str]]:
    start = html.index('id="rpt-sources"')
    section = html[start : html.index("</section>", start)]
    return [dict(CELL.findall(row)) for row in ROW.findall(section)]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_report_sources_are_public_with_date_title_and_link(books, lang):
    html = books["report", lang].with_name(f"r_{lang}.html").read_text(encoding="utf-8")
    rows = _source_rows(html)
    public = SOURCES.loc[SOURCES["public"].eq("true")]
    assert [r["source_id"] for r in rows] == public["source_id"].tolist()
    undated = "không ghi ngày" if lang == "vi" else "undated"
    for row, (_, src) in zip(rows, public.iterrows(), strict=True):
        assert list(row) == ["source_id", "published", "title", "url"]
        assert row["title"].strip()
        assert f'href="{html_escape(src["url"])}"' in row["url"]
        if src["published"]:
            day = src["published"].split("-")
            assert row["published"] == (
                "/".join(reversed(day)) if lang == "vi" else src["published"]
            )
        else:
            assert row["published"].startswith(undated)
    section = html[html.index('id="rpt-sources"') :]
    section = section[: section.index("</section>")]
    for note in INTERNAL:
        assert note not in section, note
    # The notes are still in the data.
    assert SOURCES.loc[SOURCES["source_id"].eq("S20"), "caveat"].str.contains("spam").all()


def test_report_workbook_sources_sheet(books):
    book = openpyxl.load_workbook(books["report", "vi"])
    ws = book["Nguồn dữ liệu"]
    assert _header(ws) == ["Mã nguồn", "Ngày đăng", "Tiêu đề", "Địa chỉ"]
    assert ws.max_row == 1 + SOURCES["public"].eq("true").sum()
    text = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row)
    for note in INTERNAL:
        assert note not in text, note


def test_public_sources_leaves_out_private_ones():
    from bkmap.render.report import public_sources

    private = SOURCES.iloc[[0]].assign(source_id="S99", public="false")
    shown = public_sources(pd.concat([SOURCES, private]), lang="en")
    assert "S99" not in set(shown["source_id"])
    assert list(shown.columns) == ["source_id", "published", "title", "url"]
    assert shown.set_index("source_id").at["S11", "published"] == "undated (refers to 2019)"
