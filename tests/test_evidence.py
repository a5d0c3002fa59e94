"""Issue 16, one test per rule, on the shipped tables: conflicting evidence, the addendum, dates,
the article of 12/08/2019, the district figures, boundary credits and the published 64."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from bkmap import datasets
from bkmap.analysis.reconcile import reconcile, reconcile_districts
from bkmap.cli.main import cli
from bkmap.i18n import t
from bkmap.io.boundaries import shipped_attribution
from bkmap.io.status import (
    load_district_figures,
    load_evidence,
    load_published_totals,
    load_sources,
    load_status,
    read_status,
)
from bkmap.model.criteria import INDICATORS, VALUES, combine, overall
from bkmap.model.dates import date_range
from bkmap.pipeline import assess
from bkmap.planning.model import built_station_codes
from bkmap.render.maps import criterion_map, page_features
from bkmap.render.printing import draw_map
from bkmap.render.report import build_report, report_tables

GIAO_HIEU = "01870"


def _page(assessment, lang: str = "vi") -> str:
    return criterion_map(assessment, lang=lang).get_root().render()


# --------------------------------------------------------------------------- 1. conflicting


def test_giao_hieu_is_conflicting_with_both_sources_in_the_tables() -> None:
    status = load_status().set_index("code")
    row = status.loc[GIAO_HIEU]
    assert (row["c8_3"], row["c8_3_source"], row["c8_3_confidence"]) == (
        "conflicting",
        "S23;S11",
        "inferred",
    )
    assert row["c8"] == "conflicting"
    # Both sides are named in both languages, each with its date.
    assert "S23" in row["note_en"] and "S11" in row["note_en"]  # noqa: PT018
    assert "nguồn mâu thuẫn" in row["note"]


def test_giao_hieu_tooltip_names_both_sources_with_their_dates(assessment_2019) -> None:
    for lang, published, undated in (
        ("vi", "08/11/2018", "không ghi ngày (nói về 2019)"),
        ("en", "2018-11-08", "undated (refers to 2019)"),
    ):
        feature = next(
            f for f in page_features(_page(assessment_2019, lang)) if f["code"] == GIAO_HIEU
        )
        assert feature["k_c8_3"] == feature["k_c8"] == "conflicting"
        assert feature["t_c8_3"].startswith(t("conflicting", lang))
        assert f"S23 pacnam.backan.gov.vn {published}" in feature["source"]
        assert f"S11 dichvusmb.com {undated}" in feature["source"]
        assert t("src_copy", lang) in feature["source"]  # S11 is a copy on an unrelated host


def test_giao_hieu_in_the_report_tables_and_reconciliation(assessment_2019) -> None:
    tables = report_tables(assessment_2019, lang="en")
    status = tables["status"].set_index("code")
    assert status.loc[GIAO_HIEU, "c8_3"] == "Sources conflict"
    assert "S23 2018-11-08" in status.loc[GIAO_HIEU, "c8_3_source"]
    assert "S11 undated (refers to 2019)" in status.loc[GIAO_HIEU, "c8_3_source"]
    gaps = tables["gaps"].set_index("code")
    assert gaps.loc[GIAO_HIEU, "gap"] == "8.3: Sources conflict"
    assert "S23" in gaps.loc[GIAO_HIEU, "source"] and "S11" in gaps.loc[GIAO_HIEU, "source"]  # noqa: PT018
    rec = tables["reconcile"].set_index("metric").loc["c8_met"]
    assert rec["records_conflicting"] == 1
    assert rec["conflicting"] == "01870 Xã Giáo Hiệu (S23; S11)"
    classes = tables["classes"].set_index("class")
    assert classes.loc["Sources conflict", "c8"] == 1


def test_counts_of_the_shipped_tables() -> None:
    assert load_status()["c8"].value_counts().to_dict() == {
        "unknown": 101,
        "not_applicable": 12,
        "met": 8,
        "conflicting": 1,
    }
    assert load_status("2018-07-31")["c8"].value_counts().to_dict() == {
        "unknown": 103,
        "not_applicable": 12,
        "met": 7,
    }


def test_overall_precedence_is_one_rule() -> None:
    # not_met, then conflicting, then all met, then all not applicable, else unknown.
    assert VALUES == ("met", "not_met", "conflicting", "unknown", "not_applicable")
    combos = list(itertools.product(VALUES, repeat=4))
    frame = pd.DataFrame(combos, columns=[ind.column for ind in INDICATORS])
    derived = overall(frame).tolist()
    for values, got in zip(combos, derived, strict=True):
        assert got == combine(values)
        if "not_met" in values:
            assert got == "not_met"
        elif "conflicting" in values:
            assert got == "conflicting"
        elif set(values) == {"met"}:
            assert got == "met"
        elif set(values) == {"not_applicable"}:
            assert got == "not_applicable"
        else:
            assert got == "unknown"


def test_a_users_table_may_say_conflicting(tmp_path: Path) -> None:
    path = tmp_path / "bang.csv"
    path.write_text(
        "code,8.1,8.2,8.3,8.4,8.3 nguồn\n01870,đạt,đạt,mâu thuẫn,đạt,S23;S11\n"
        "01933,met,met,Nguồn mâu thuẫn,met,\n",
        encoding="utf-8",
    )
    table = read_status(path).set_index("code")
    assert table["c8_3"].tolist() == ["conflicting", "conflicting"]
    assert table.loc["01870", "c8_3_source"] == "S23;S11"
    assert table.loc["01933", "c8_3_source"] == "bang.csv"  # the file is the source it states


# --------------------------------------------------------------------------- 2. the addendum


def test_every_addendum_row_enters_the_evidence_with_its_rule() -> None:
    evidence = load_evidence()
    addendum = pd.read_csv(datasets.path("evidence_addendum"), dtype=str, keep_default_na=False)
    taken = evidence.loc[evidence["file"].eq(datasets.FILES["evidence_addendum"].name)]
    assert len(taken) == len(addendum) == 13
    assert set(taken["rule"]) == {"C", "T", "N", "19/19", "stated"}
    assert taken["rule"].ne("").all()
    assert evidence.loc[evidence["file"].eq(datasets.FILES["evidence"].name), "rule"].eq("").all()
    # The addendum's station row counts for planning (a station built, not working, in 2023).
    assert "01984" in built_station_codes("2023-12-31")
    assert "01984" not in built_station_codes("2019-08-12")


# --------------------------------------------------------------------------- 3. dates

# "on 2018-10-31 (S23; inferred; before 2019-08-12)", "in 2019 (S03): after 2018-07-31",
# "on or before 2021 (S15): whether before or after 2019-08-12 is uncertain"
_PIECE = re.compile(
    r"(on or before|on|in) (\d{4}(?:-\d{2}){0,2}) \((S\d+)([^)]*)\)(?::\s*([^;]*))?"
)
_CLAIM = re.compile(r"(?<!before or )\b(after|before) (\d{4}-\d{2}-\d{2})")


def _evidence_by_source() -> pd.DataFrame:
    evidence = load_evidence()
    ids = dict(zip(load_sources()["url"], load_sources()["source_id"], strict=True))
    return evidence.assign(source_id=evidence["source_url"].map(ids))


@pytest.mark.parametrize("as_of", ["2018-07-31", "2019-08-12"])
def test_notes_claim_before_or_after_only_when_the_date_proves_it(as_of: str) -> None:
    day = dt.date.fromisoformat(as_of)
    evidence = _evidence_by_source()
    status = load_status(as_of)
    checked = 0
    for _, row in status.loc[status["note_en"].ne("")].iterrows():
        for found in _PIECE.finditer(row["note_en"]):
            kind, date, source, inside, after_colon = found.groups()
            # The note's date is the source's own date for this commune, never a guess.
            own = evidence.loc[
                evidence["gso_code_2019"].eq(row["code"]) & evidence["source_id"].eq(source)
            ]
            assert date in set(own["as_of"]), (row["code"], source, date)
            first, last = date_range(date)
            if kind == "on or before":
                first = dt.date.min
            text = f"{inside} {after_colon or ''}"
            claims = {c for c, d in _CLAIM.findall(text) if d == as_of}
            if "uncertain" in text:
                assert not claims, (row["code"], text)
                assert first <= day < last or (first <= day and kind == "on or before"), text
            elif claims == {"after"}:
                assert first > day, (row["code"], source, date)
            elif claims == {"before"}:
                assert last <= day, (row["code"], source, date)
            else:
                pytest.fail(f"{row['code']}: no date claim in {text!r}")
            checked += 1
        # The Vietnamese note makes the same claims.
        en_after = len(re.findall(r"(?<!before or )after \d{4}-\d{2}-\d{2}", row["note_en"]))
        vi_after = row["note"].count("sau ngày đánh giá") - row["note"].count("trước hay sau")
        assert en_after == vi_after, row["code"]
    assert checked >= 15


@pytest.mark.parametrize("as_of", ["2018-07-31", "2019-08-12"])
def test_met_and_not_met_rest_on_evidence_dated_before_the_assessment(as_of: str) -> None:
    """The same date rule for met and for not met: the cited evidence lies wholly before the date."""
    day = dt.date.fromisoformat(as_of)
    evidence = _evidence_by_source()
    status = load_status(as_of)
    for ind in INDICATORS:
        known = status.loc[status[ind.column].isin(["met", "not_met"])]
        for _, row in known.iterrows():
            for source in row[ind.source_column].split(";"):
                if source == "S13":  # the article of the assessment date itself
                    assert as_of == "2019-08-12"
                    continue
                own = evidence.loc[
                    evidence["gso_code_2019"].eq(row["code"]) & evidence["source_id"].eq(source)
                ]
                assert len(own), (row["code"], source)
                assert min(date_range(d)[1] for d in own["as_of"]) <= day, (row["code"], source)


def test_sources_have_publication_and_evidence_dates() -> None:
    raw = pd.read_csv(datasets.path("sources"), dtype=str, keep_default_na=False)
    assert {"published", "evidence_date", "quality", "date_note", "public"} <= set(raw.columns)
    assert "date" not in raw.columns
    assert "S00" not in set(raw["source_id"])
    assert set(raw["quality"]) <= {"official", "press", "register", "copy_unrelated_host"}
    sources = load_sources().set_index("source_id")
    assert sources["public"].eq("true").all()
    # S02 is undated; its evidence refers to 2017 and 2018, not to when it was published.
    assert sources.loc["S02", "published"] == ""
    assert sources.loc["S02", "evidence_date"] == "2017; 2018"
    assert "2019-12-04" in sources.loc["S02", "date_note"]
    assert sources.loc["S11", "quality"] == "copy_unrelated_host"
    assert sources.loc["S23", "published"] == "2018-11-08"
    assert sources.loc["S23", "evidence_date"] == "2018-10-31"


# --------------------------------------------------------------------------- 4. the article


def test_81_82_84_cite_the_article_of_12_08_2019() -> None:
    sources = load_sources().set_index("source_id")
    assert sources.loc["S13", "published"] == "2019-08-12"
    assert "64 xã" in sources.loc["S13", "title"]
    xa = load_status().loc[lambda f: f["unit_type"].eq("Xã")]
    assert len(xa) == 110
    for col in ("c8_1", "c8_2", "c8_4"):
        assert xa[col].eq("met").all()
        assert xa[f"{col}_source"].eq("S13").all()
        assert xa[f"{col}_confidence"].eq("stated").all()
    totals = load_published_totals().set_index(["as_of", "metric"])
    for metric, words in (
        ("c8_1_met", "điểm phục vụ bưu chính"),
        ("c8_2_met", "dịch vụ viễn thông và internet"),
        ("c8_4_met", "phần mềm quản lý văn bản"),
    ):
        row = totals.loc[("2019-08-12", metric)]
        assert row["kind"] == "published"
        assert words in row["quote_vi"]  # the body sentence, not the photo caption


def test_station_figures_are_stated_as_the_article_states_them() -> None:
    totals = load_published_totals()
    day = totals.loc[totals["as_of"].eq("2019-08-12")].set_index("metric")
    expected = {
        "stations_new_province_2016_2019": ("11", "exact"),
        "stations_upgraded_province_2016_2019": ("4", "exact"),
        "stations_new_districts_2016_2019": ("6", "exact"),
        "stations_upgraded_districts_2016_2019": ("4", "exact"),
        "stations_plan_2019_new": ("5", "exact"),
        "stations_budget_line_new": ("12", "exact"),
        "stations_budget_line_cost_vnd": ("5000000000", "exact"),
        "stations_target_new_by_2020": ("20", "at_least"),
    }
    for metric, (value, bound) in expected.items():
        assert (day.loc[metric, "value"], day.loc[metric, "bound"]) == (value, bound), metric
        assert day.loc[metric, "source_id"] == "S13"
        assert day.loc[metric, "kind"] == "published"
    assert "Năm 2019" in day.loc["stations_plan_2019_new", "quote_vi"]
    assert "12 đài" in day.loc["stations_budget_line_new", "quote_vi"]
    # The one derived figure is 8.3's 64, and no output calls it published.
    assert totals.loc[totals["kind"].eq("derived"), "metric"].tolist() == ["c8_3_met"]
    rec = reconcile(load_status(), districts=False).set_index("metric")
    assert rec.loc["c8_3_met", "kind"] == "derived"
    assert "derived" in rec.loc["c8_3_met", "statement"]


# --------------------------------------------------------------------------- 5. districts


def test_district_figures_are_in_the_reconciliation_with_their_bounds() -> None:
    table = reconcile(load_status())
    districts = table.loc[table["level"].eq("district")].set_index(["district_code", "as_of"])
    figures = load_district_figures()
    assert len(districts) == figures["compare_with"].ne("").sum() == 6
    cho_don = districts.loc[("064", "2019-09-09")]
    assert (cho_don["figure"], cho_don["out_of"], cho_don["bound"]) == (2, 21, "exact")
    assert (cho_don["records_met"], cho_don["unattributed"]) == (1, 1)
    assert cho_don["named"] == "02056 Xã Rã Bản"
    assert cho_don["records_not_met"] == 1  # Yên Thượng, still striving that day
    radio = districts.loc[("060", "2018-11-14")]
    assert (radio["figure"], radio["records_met"], radio["bound"]) == (10, 10, "exact")
    pac_nam = districts.loc[("060", "2020-03-23")]
    assert (pac_nam["figure"], pac_nam["bound"], pac_nam["kind"]) == (8, "at_most", "inferred")
    assert (pac_nam["records_met"], pac_nam["records_conflicting"]) == (0, 1)
    assert pd.isna(pac_nam["unattributed"])  # an upper bound attributes nothing
    assert districts["consistent"].all()
    assert "at most 8 of 10" in pac_nam["statement"]
    bach_thong = districts.loc[("063", "2023-03-23")]
    assert "the figure counts 14 units, the district's 2019 records 17" in bach_thong["statement"]


def test_district_bounds_point_the_right_way() -> None:
    """More named than an upper bound allows, or more 'not' than a lower bound allows, contradicts."""
    figures = load_district_figures()
    base = figures.loc[figures["district_code"].eq("064") & figures["compare_with"].eq("ntm")]
    evidence = load_evidence()

    def rows(codes: list[str], value: str, as_of: str) -> pd.DataFrame:
        return pd.DataFrame(
            {"gso_code_2019": codes, "indicator": "ntm_recognised", "value": value, "as_of": as_of}
        )

    # Two more Chợ Đồn xã recognised in 2018: 3 named against "exactly 2" is a contradiction,
    # against "at least 2" it is not.
    more = pd.concat([evidence, rows(["02029", "02035"], "recognised", "2018")], ignore_index=True)
    exact = reconcile_districts(figures=base, evidence=more).iloc[0]
    assert (exact["records_met"], bool(exact["consistent"])) == (3, False)
    assert "CONTRADICTION" in exact["statement"]
    at_least = reconcile_districts(figures=base.assign(bound="at_least"), evidence=more).iloc[0]
    assert bool(at_least["consistent"])
    # "At least 20 of 21" leaves room for one xã not recognised that day, not for two.
    not_yet = rows(["02029"], "not_met", "2019-09-09")
    lower = base.assign(bound="at_least", value="20")
    one = pd.concat([evidence, not_yet], ignore_index=True)  # with Yên Thượng: two "not"
    assert not reconcile_districts(figures=lower, evidence=one)["consistent"].iloc[0]
    assert reconcile_districts(figures=lower, evidence=evidence)["consistent"].iloc[0]
    # A "not yet" of another day says nothing about the figure's day.
    earlier = pd.concat([evidence, rows(["02029"], "not_met", "2018-12-14")], ignore_index=True)
    assert reconcile_districts(figures=lower, evidence=earlier)["consistent"].iloc[0]


def test_district_figures_are_in_the_report_and_workbook(assessment_2019, tmp_path) -> None:
    from openpyxl import load_workbook

    from bkmap.render.report import write_excel

    tables = report_tables(assessment_2019, lang="vi")
    page = build_report(assessment_2019, tables=tables, lang="vi")
    section = page[page.index('id="rpt-reconcile"') : page.index('id="rpt-sources"')]
    assert "Huyện Chợ Đồn công bố đúng 2/21 xã đạt chuẩn nông thôn mới" in section
    assert "tối đa 8/10" in section
    book = load_workbook(write_excel(tables, tmp_path / "b.xlsx", lang="vi"), read_only=True)
    rows = list(book[t("rpt_sheet_reconcile", "vi")].iter_rows(values_only=True))
    assert sum(1 for r in rows if r[0] == t("rpt_level_district", "vi")) == 6


# --------------------------------------------------------------------------- 6. boundary credits


@pytest.mark.parametrize(
    ("options", "credited"),
    [
        (
            {},
            [
                ("communes_2019", "communes"),
                ("communes_2019", "districts"),
                ("communes_2019", "province"),
            ],
        ),
        ({"on": "2020"}, [("communes_2020", "communes"), ("communes_2019", "districts")]),
        ({"on": "2025-07-01"}, [("communes_2025", "communes"), ("communes_2019", "province")]),
        ({"province": "Cao Bằng"}, [("national_2009", "communes")]),
    ],
)
def test_every_map_credits_its_boundaries(options, credited) -> None:
    assessment = assess(**options)
    page = _page(assessment, "vi")
    for key, layer in credited:
        assert shipped_attribution(key, layer).vi in page, (key, layer)
    assert "div.id = 'bkmap-attribution'" in page  # the credit control (shown: test_browser)


def test_a_users_boundary_file_is_credited_by_its_name(tmp_path: Path) -> None:
    frame = assess().joined[["code", "name", "district", "unit_type", "geometry"]]
    path = tmp_path / "ranh_gioi_cua_toi.gpkg"
    frame.to_file(path, layer="communes")
    page = _page(assess(boundaries=str(path)), "en")
    assert "Boundaries: ranh_gioi_cua_toi.gpkg, the user's file" in page
    assert "censusVN2009" not in page


def test_the_report_and_the_printed_map_credit_the_boundaries(assessment_2019) -> None:
    page = build_report(assessment_2019, lang="en")
    sources = page[page.index('id="rpt-sources"') :]
    for layer in ("communes", "districts", "province"):
        assert shipped_attribution("communes_2019", layer).en in sources
    figure = draw_map(assessment_2019, dpi=50, lang="en")
    footer = " ".join(
        text.get_text() for text in figure.findobj(lambda o: hasattr(o, "get_text"))
    ).replace("\n", " ")
    assert "censusVN2009 (Marc Choisy), MIT licence" in footer
    assert "8 of the 64 xã published" in footer


# --------------------------------------------------------------------------- 7. the 64


def test_the_map_title_box_says_how_many_of_the_64_are_named(assessment_2019) -> None:
    page = _page(assessment_2019, "vi")
    title = page[page.index('id="bkmap-title"') : page.index('id="bkmap-legend"')]
    assert "Hồ sơ nêu tên 8 trong 64 xã được công bố là đạt tiêu chí 8" in title
    english = _page(assessment_2019, "en")
    assert "8 of the 64 xã published as meeting criterion 8 (2019-08-12, source S13)" in english
    # 2018: the province published 43 then.
    old = _page(assess(as_of="2018-07-31"), "en")
    assert "7 of the 43 xã published" in old
    # Merged units are not the units the province counted: no line.
    assert "xã published as meeting" not in _page(assess(on="2025-07-01"), "en")


def test_the_map_command_says_how_many_of_the_64_are_named(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["map", "--out", str(tmp_path / "m.html"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "8 of the 64 xã published as meeting criterion 8" in result.output
    result = runner.invoke(cli, ["map", "--out", str(tmp_path / "v.html")])
    assert "Hồ sơ nêu tên 8 trong 64 xã" in result.output
    result = runner.invoke(
        cli, ["map", "--out", str(tmp_path / "p.html"), "--province", "Cao Bằng"]
    )
    assert result.exit_code == 0, result.output
    assert "64" not in result.output
