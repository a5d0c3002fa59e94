"""Matching status rows to units: codes, name variants, districts, and the report."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from bkmap._errors import MatchError
from bkmap.io.boundaries import read_communes
from bkmap.io.record import ReadRecord, with_record
from bkmap.io.status import load_status
from bkmap.join import REPORT_COLUMNS, join_status, match_rows
from bkmap.model.units import units_on


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return units_on("2019-08-12")


def _table(rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["code", "name", "district"]).fillna("")
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return frame


# Each variant named in the issue, on real units of 2019.
VARIANTS = [
    ("Xã Đồng Phúc", "Huyện Ba Bể", "01933"),  # exact
    ("Đồng Phúc", "Huyện Ba Bể", "01933"),  # no prefix
    ("X. Đồng Phúc", "Ba Bể", "01933"),  # short prefix, district without prefix
    ("xã đồng phúc", "huyện ba bể", "01933"),  # case
    ("XÃ ĐỒNG PHÚC", "H. BA BỂ", "01933"),  # upper case, short district prefix
    ("Dong Phuc", "Ba Be", "01933"),  # no diacritics, đ as d
    ("  Đồng   Phúc  ", " Ba Bể ", "01933"),  # spaces
    (unicodedata.normalize("NFD", "Xã Đồng Phúc"), "Huyện Ba Bể", "01933"),  # NFD
    ("Phường Sông Cầu", "Thành Phố Bắc Kạn", "01837"),
    ("P. Sông Cầu", "TP. Bắc Kạn", "01837"),
    ("phuong song cau", "thanh pho bac kan", "01837"),
    ("Thị trấn Chợ Rã", "Huyện Ba Bể", "01888"),
    ("TT. Chợ Rã", "Ba Bể", "01888"),
    ("TT Cho Ra", "Ba Be", "01888"),
    ("Huyền Tụng", "Bắc Kạn", "01846"),  # a name that begins like the prefix "Huyện"
    ("ĐỊA LINH", "Ba Bể", "01915"),  # Đ upper case
]


@pytest.mark.parametrize(("name", "district", "code"), VARIANTS)
def test_name_variants_match_the_right_code(units, name, district, code):
    result = match_rows(_table([{"code": "", "name": name, "district": district}]), units)
    line = result.report.iloc[0]
    assert line["method"] == "name", line["message"]
    assert line["matched_code"] == code


def test_name_unique_in_province_matches_without_district(units):
    result = match_rows(_table([{"code": "", "name": "Nghiên Loan", "district": ""}]), units)
    assert result.report.iloc[0]["method"] == "name_unique"
    assert result.report.iloc[0]["matched_code"] == "01882"


def test_name_in_another_district_does_not_match(units):
    # Đồng Phúc is in Ba Bể, not in Na Rì.
    result = match_rows(_table([{"code": "", "name": "Đồng Phúc", "district": "Na Rì"}]), units)
    line = result.report.iloc[0]
    assert line["method"] == "unmatched"
    assert line["matched_code"] == ""
    assert "Ba Bể" in line["message"]
    assert line["candidates"].startswith("01933 Xã Đồng Phúc")


def test_unknown_name_is_reported_with_candidates(units):
    result = match_rows(_table([{"code": "", "name": "Xã Đồng Phuk", "district": ""}]), units)
    line = result.report.iloc[0]
    assert line["method"] == "unmatched"
    candidates = line["candidates"].split("; ")
    assert 1 <= len(candidates) <= 3
    assert candidates[0].startswith("01933 Xã Đồng Phúc (Huyện Ba Bể)")


def test_code_first_even_with_a_misspelt_name(units):
    result = match_rows(_table([{"code": "1933", "name": "Dong Fuc", "district": ""}]), units)
    line = result.report.iloc[0]
    assert (line["method"], line["matched_code"]) == ("code", "01933")
    assert "differs" in line["message"]


def test_unknown_code_falls_back_to_name(units):
    result = match_rows(
        _table([{"code": "99999", "name": "Đồng Phúc", "district": "Ba Bể"}]), units
    )
    line = result.report.iloc[0]
    assert (line["method"], line["matched_code"]) == ("name", "01933")
    assert "99999" in line["message"]


def test_conflicting_code_and_name_is_an_error(units):
    # 01933 is Đồng Phúc; Địa Linh is 01915. Neither may be picked silently.
    result = match_rows(_table([{"code": "01933", "name": "Địa Linh", "district": "Ba Bể"}]), units)
    assert result.report.iloc[0]["method"] == "conflict"
    assert result.report.iloc[0]["matched_code"] == ""
    assert len(result.problems) == 1
    assert "row 2" in result.problems[0]


def test_duplicate_rows_are_an_error(units):
    table = _table(
        [
            {"code": "01933", "name": "", "district": ""},
            {"code": "", "name": "Dong Phuc", "district": "Ba Be"},
        ]
    )
    result = match_rows(table, units)
    assert result.report["method"].tolist()[:2] == ["code", "duplicate"]
    assert "rows 2, 3 all match 01933" in result.problems[0]


def test_report_lists_every_row_and_every_unit_without_row(units):
    table = _table(
        [
            {"code": "01933", "name": "", "district": ""},
            {"code": "", "name": "Nowhere", "district": "Ba Bể"},
        ]
    )
    result = match_rows(table, units)
    assert list(result.report.columns) == list(REPORT_COLUMNS)
    rows = result.report[result.report["row"].ne("")]
    assert rows["row"].tolist() == [2, 3]
    assert len(result.units_without_row) == len(units) - 1
    assert "01933" not in set(result.units_without_row["matched_code"])


def test_join_shipped_data_gives_122_units_with_table_classes():
    joined, result, _ = join_status(read_communes(), load_status())
    assert len(joined) == 122
    assert result.report["method"].eq("code").all()
    table = load_status().set_index("code")["c8"]
    assert joined.set_index("code")["c8"].sort_index().equals(table.sort_index())


def test_join_raises_on_duplicates_with_every_row_named():
    status = load_status()
    status = pd.concat([status, status.iloc[[5, 6]]])
    status.index = pd.RangeIndex(2, len(status) + 2, name="row")
    status = with_record(status, ReadRecord("dup.csv", "status"))
    with pytest.raises(MatchError) as info:
        join_status(read_communes(), status)
    text = str(info.value)
    assert text.startswith("dup.csv")
    assert info.value.result is not None  # the match, for the report: no second match
    assert "rows 7, 124" in text
    assert "rows 8, 125" in text


def test_units_without_row_get_unknown_or_not_applicable():
    status = load_status()
    only_three = status[status["code"].isin(["01933", "01837", "02152"])]
    joined, result, _notes = join_status(read_communes(), only_three)
    by_code = joined.set_index("code")
    assert by_code.loc["02152", "c8"] == "met"
    assert by_code.loc["01933", "c8_3"] == "unknown"
    # A phường with no row is outside the programme, not unknown.
    assert by_code.loc["01834", "c8"] == "not_applicable"
    assert by_code.loc["01834", "c8_1_source"] == "no_row"
    assert len(result.units_without_row) == 119
