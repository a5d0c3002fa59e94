"""The shipped status tables, users' tables in Vietnamese or English, and the template."""

from __future__ import annotations

import pandas as pd
import pytest

from bkmap._errors import InputError, ValidationError
from bkmap.io.status import load_published_totals, load_sources, load_status, read_status, template
from bkmap.model.criteria import INDICATORS, overall
from bkmap.model.units import units_on


def test_shipped_2019_table_is_one_row_per_2019_unit():
    status = load_status()
    assert len(status) == 122
    assert status["code"].is_unique
    assert set(status["code"]) == set(units_on("2019-08-12")["code"])
    assert status["c8"].value_counts().to_dict() == {
        "unknown": 101,
        "not_applicable": 12,
        "met": 8,
        "conflicting": 1,
    }


def test_shipped_2019_values_follow_the_sources():
    status = load_status().set_index("code")
    xa = status[status["c8"].ne("not_applicable")]
    # The province stated that every xã met 8.1, 8.2 and 8.4 on 2019-08-12.
    for col in ("c8_1", "c8_2", "c8_4"):
        assert xa[col].eq("met").all()
        assert xa[f"{col}_confidence"].eq("stated").all()
    sources = load_sources().set_index("source_id")
    assert "64 xã" in sources.loc[xa["c8_1_source"].iloc[0], "title"]
    met_83 = set(xa.index[xa["c8_3"].eq("met")])
    # The eight xã that public sources name (NTM recognised in 2017 or 2018).
    assert met_83 == {"01852", "01903", "02017", "02056", "02122", "02125", "02152", "02158"}
    assert xa.loc[list(met_83), "c8_3_confidence"].eq("inferred").all()
    # Giáo Hiệu: the district portal (S23) and a copied 2019 story (S11) disagree.
    assert xa.loc["01870", "c8_3"] == "conflicting"
    assert xa.loc["01870", "c8_3_source"] == "S23;S11"
    unknown = xa[xa["c8_3"].eq("unknown")]
    assert len(unknown) == 101
    assert unknown["c8_3_source"].eq("").all()


def test_every_cited_source_exists():
    status = load_status()
    ids = set(load_sources()["source_id"])
    cited_ids = {
        part for ind in INDICATORS for v in status[ind.source_column] for part in v.split(";") if v
    }
    assert cited_ids <= ids
    assert set(load_published_totals()["source_id"]) <= ids


def test_2018_table_knows_only_ntm_communes():
    status = load_status("2018-07-31")
    assert status["c8"].value_counts()["met"] == 7
    assert status["c8"].value_counts()["unknown"] == 103


def test_published_totals_hold_the_province_figures():
    totals = load_published_totals()
    got = {(r.as_of, r.metric): r.value for r in totals.itertuples()}
    assert got[("2019-08-12", "c8_met")] == "64"
    assert got[("2018-07-31", "c8_met")] == "43"
    assert got[("2018-07-31", "c8_1_met")] == "108"
    assert got[("2018-07-31", "c8_2_met")] == "93"
    assert got[("2018-07-31", "c8_3_met")] == "43"
    assert got[("2019-12-01", "commune_units")] == "122"


def test_overall_rule():
    frame = pd.DataFrame(
        {
            "c8_1": ["met", "met", "unknown", "not_applicable", "met"],
            "c8_2": ["met", "not_met", "unknown", "not_applicable", "met"],
            "c8_3": ["met", "unknown", "unknown", "not_applicable", "unknown"],
            "c8_4": ["met", "met", "met", "not_applicable", "met"],
        }
    )
    assert overall(frame).tolist() == ["met", "not_met", "unknown", "not_applicable", "unknown"]


def test_vietnamese_table_is_read(tmp_path):
    path = tmp_path / "bang.csv"
    path.write_text(
        "Mã ĐVHC,Tên xã,Huyện,Chỉ tiêu 8.1,Chỉ tiêu 8.2,Chỉ tiêu 8.3,Chỉ tiêu 8.4,Ghi chú\n"
        "1933,Xã Đồng Phúc,Huyện Ba Bể,Đạt,đạt,Chưa đạt,Đạt,thiếu loa\n"
        ",Địa Linh,Ba Bể,đạt,đạt,chưa rõ,đạt,\n",
        encoding="utf-8",
    )
    table = read_status(path)
    assert table["code"].tolist() == ["01933", ""]
    assert table["c8_3"].tolist() == ["not_met", "unknown"]
    assert table["c8_1"].tolist() == ["met", "met"]
    assert table["c8_1_source"].tolist() == ["bang.csv", "bang.csv"]
    assert table["c8_1_confidence"].tolist() == ["stated", "stated"]
    assert table["c8_3_source"].tolist() == ["bang.csv", ""]
    assert table.index.tolist() == [2, 3]


def test_english_xlsx_table_is_read(tmp_path):
    path = tmp_path / "status.xlsx"
    pd.DataFrame(
        {
            "code": ["01933"],
            "name": ["Đồng Phúc"],
            "district": ["Ba Bể"],
            "8.1": ["met"],
            "8.2": ["yes"],
            "8.3": ["no"],
            "8.4": ["unknown"],
            "8.3 source": ["district report 2019"],
            "8.3 confidence": ["inferred"],
        }
    ).to_excel(path, index=False)
    table = read_status(path)
    row = table.iloc[0]
    assert (row["c8_1"], row["c8_2"], row["c8_3"], row["c8_4"]) == (
        "met",
        "met",
        "not_met",
        "unknown",
    )
    assert row["c8_3_source"] == "district report 2019"
    assert row["c8_3_confidence"] == "inferred"


def test_bad_value_names_row_column_and_allowed_values(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,8.1,8.2,8.3,8.4\n01933,met,met,maybe,met\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_status(path)
    text = str(info.value)
    assert "bad.csv" in text
    assert "row 2, column 8.3: 'maybe'" in text
    assert "met, not_met, conflicting, unknown, not_applicable" in text


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("xyz,abc\n1,2\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="no code or name column"):
        read_status(path)


def test_missing_file_says_how_to_make_one(tmp_path):
    with pytest.raises(InputError, match="bkmap template"):
        read_status(tmp_path / "nope.csv")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_template_round_trips(tmp_path, lang):
    frame = template(units_on("2019-08-12"), lang=lang)
    assert len(frame) == 122
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    table = read_status(path)
    assert table["code"].tolist() == sorted(units_on("2019-08-12")["code"])
    # Urban units come pre-filled as not applicable; xã are left for officials.
    assert table["c8_3"].value_counts().to_dict() == {"unknown": 110, "not_applicable": 12}
