"""Build the shipped criterion-8 tables from the evidence in ``data/``.

Reads ``data/criterion8_evidence_2016-2020.csv``,
``data/criterion8_evidence_addendum_2018-2023.csv`` (each row with its rule),
``data/criterion8_province_figures.csv``, ``data/criterion8_district_figures.csv``
and ``data/units_lineage.csv``, and writes:

- ``data/sources.csv``: one row per cited source with a stable id, its
  publication date and, separately, the date(s) its evidence refers to;
- ``data/status_2019-08-12.csv`` and ``data/status_2018-07-31.csv``: one row per
  2019 commune-level unit, indicators 8.1-8.4 each with value, source(s) and
  confidence, and a note in Vietnamese and English;
- ``data/published_totals.csv``: the province's figures, each marked
  ``published``, ``derived`` or ``counted``, with the verbatim phrase;
- ``data/district_figures.csv``: the district figures, one number per row, with
  the direction of its bound.

The rules are stated in ``data/README.md``; in short:

- a value is ``met``/``not_met`` only where a source states it or where it
  follows from a stated fact by a written rule; otherwise ``unknown``;
  phường and thị trấn are ``not_applicable``;
- **dates**: every piece of evidence covers a date range (a day, a month, a
  year, or "on or before" a year). It holds at the assessment date only when the
  whole range lies on or before that date; a range wholly after it is "after";
  a range that straddles it is "uncertain" and is never called before or after.
  The same rule applies to ``met`` and ``not_met``;
- **conflicts**: an indicator is ``conflicting`` when evidence holding at the
  assessment date says one thing and evidence holding or uncertain says the
  other. Its source lists every source id, separated by ``;``;
- an overall "criterion 8 not met" never sets an indicator (it does not say
  which one was missing);
- 2019-08-12: the province's article of that day (S13) states 8.1, 8.2 and 8.4
  for every xã (``stated``).

Run from the project root: ``.venv/bin/python tools/build_status.py``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
# The full text of S13, kept outside the project (see ../shared/sources/README.md). When it is
# present, every phrase quoted from it below is checked against it.
S13_TEXT = ROOT.parent / "shared" / "sources" / "backan_2019-08-12_64_xa_tieu_chi_8.txt"
INDICATORS = ("8.1", "8.2", "8.3", "8.4")
PROVINCE_2019 = "https://backan.gov.vn/Pages/tin-tuc-su-kien-215/thong-tin-truyen-thong-159/bac-kan-co-64-xa-dat-tieu-chi-v-951f1617d758e76b.aspx"
PROVINCE_2018 = "https://backan.gov.vn/Pages/tin-tuc-su-kien-215/thong-tin-truyen-thong-159/bac-kan-co-43-xa-dat-tieu-chi-s-c7159fbd97b4c30b.aspx"
# Evidence whose date means "on or before" that year, not "in" it:
ON_OR_BEFORE = {
    # PROVENANCE.md: the three Ba Bể rows dated 2021 mean recognised on or before 2021.
    "https://babe.gov.vn/ba-be-phan-dau-den-het-nam-2022-co-5-xa-dat-chuan-nong-thon-moi/",
    # "đến hết năm 2019, xã Dương Quang cũng được công nhận": by the end of 2019. (S03 gives
    # the year itself, "năm 2019"; each source is dated by what it says.)
    "https://m.vietnamnet.vn/vn/kinh-doanh/thi-truong/tp-bac-kan-hoan-thanh-nhiem-vu-xay-dung-nong-thon-moi-733129.html",
}

# --------------------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    """What the evidence files do not say about a source: its id, date of publication, quality."""

    source_id: str
    url: str
    published: str  # ISO date (or YYYY-MM) of publication; "" when the page does not show it
    quality: str  # official | press | register | copy_unrelated_host
    date_note: str = ""
    caveat: str = ""
    title: str = ""  # only for a source that no evidence row names
    public: bool = True


# Ids are stable: S01-S21 keep the ids of the previous tables (S00, "the project brief", is gone:
# its figures now cite the article itself, S13); sources added later take the next free id.
SOURCES: tuple[Source, ...] = (
    Source(
        "G01",
        "https://danhmuchanhchinh.gso.gov.vn/",
        "",
        "register",
        "a live register; bkmap uses its list as of 2019-12-01",
        title="GSO list of administrative units, 2019-12-01 (via daohoangson/dvhcvn, commit "
        "8d7268a44fa469dc3f513fa6bf4bf1c612cb8998)",
    ),
    Source("S01", PROVINCE_2018, "2018-08-23", "official"),
    Source(
        "S02",
        "http://giamngheo.backan.gov.vn/Pages/tin-tuc-giam-ngheo-557/cong-nhan-xa-binh-van-cho-moi-va--79f6d747630ae26.aspx",
        "",
        "official",
        "the page shows no date; it reports QĐ 1747/QĐ-TTg of 04/12/2019, so it was published "
        "on or after 2019-12-04",
    ),
    Source(
        "S03",
        "https://backan.gov.vn/pages/thu-tuong-chinh-phu-cong-nhan-thanh-pho-bac-kan-ho-86cc.aspx",
        "2022-06-03",
        "official",
    ),
    Source(
        "S04",
        "https://backancity.gov.vn/doan-tham-dinh-nong-thon-moi-cua-tinh-lam-viec-tai-xa-nong-thuong-thanh-pho-bac-kan/",
        "",
        "official",
        "the archived excerpt shows no date; the appraisal it reports is of 2017",
    ),
    Source(
        "S05",
        "https://nari.gov.vn/dau-tu-xay-dung-moi-va-nang-cap-cac-dai-truyen-thanh-co-so-thuoc-cac-xa-phan-dau-dat-cac-tieu-chi-xay-dung-nong-thon-moi-nam-2017-va-nam-2018-tren-dia-ban-tinh-bac-kan/",
        "",
        "official",
        "the page shows no date; it sits among Na Rì posts of 2017",
        "an approval of the investment policy, not a record of completion; which of the 7 "
        "stations were new is not said",
    ),
    Source(
        "S06",
        "https://nari.gov.vn/na-ri-2-xa-dat-chuan-nong-thon-moi/",
        "",
        "official",
        "the archived excerpt shows no date; the appraisal it reports is of 2017",
    ),
    Source(
        "S07",
        "http://www.congthuongbackan.gov.vn/07-xa-duoc-cong-nhan-dat-chuan-nong-thon-moi-nam-2017/",
        "",
        "official",
        "the page shows no date; it reports decisions signed on 29/12/2017, so it was published "
        "on or after that day",
    ),
    Source(
        "S08",
        "https://ubmttq.backan.gov.vn/Pages/tin-tuc-su-kien-387/cac-cuoc-van-dong-522/toan-dan-doan-ket-xay-dung-nong-thon-moi-do-thi-van-minh-527/bac-kan-phan-dau-hoan-thanh-08-xa-718af4b44cd8eb9d.aspx",
        "",
        "official",
        "the page shows no date; it reports the end of 2017 as past and sets 2018 targets "
        "(c. early 2018)",
    ),
    Source(
        "S09",
        "https://socongthuong.backan.gov.vn/phe-duyet-dieu-chinh-danh-muc-va-lo-trinh-cac-xa-dat-chuan-nong-thon-moi-tinh-bac-kan-giai-doan-2018-2020/",
        "",
        "official",
        "the page's own date is not shown; the decision it reports (QĐ 1703/QĐ-UBND) is of "
        "11/10/2018",
    ),
    Source(
        "S10",
        "https://pacnam.backan.gov.vn/Pages/tin-tuc-su-kien-318/cac-xa-thi-tran-332/1010-xa-cua-pac-nam-co-he-thong-tr-88ef7390a79a5d64.aspx",
        "2018-11-14",
        "official",
        "the page's 'Cập nhật lúc' stamp",
    ),
    Source(
        "S11",
        "https://dichvusmb.com/ban-giao-tram-truyen-thanh-co-so-xa-giao-hieu/",
        "",
        "copy_unrelated_host",
        "no date shown; the item reports a handover in 2019 without day or month",
        "a copy, on an unrelated host, of what reads like a Sở TT&TT Bắc Kạn news item; the "
        "original was not found",
    ),
    Source(
        "S12",
        "https://m.vietnamnet.vn/vn/kinh-doanh/thi-truong/tp-bac-kan-hoan-thanh-nhiem-vu-xay-dung-nong-thon-moi-733129.html",
        "",
        "press",
        "the archived excerpt shows no date (c. 2021)",
    ),
    Source(
        "S13",
        PROVINCE_2019,
        "2019-08-12",
        "official",
        "the page's 'Cập nhật lúc' stamp: 12/08/2019 09:16:47",
    ),
    Source(
        "S14",
        "https://chuyendoiso.backan.gov.vn/index.php?com=tintuc_ct&id_news=106",
        "2022-10-25",
        "official",
        "posted on 25/10/2022 about the year 2020",
    ),
    Source(
        "S15",
        "https://babe.gov.vn/ba-be-phan-dau-den-het-nam-2022-co-5-xa-dat-chuan-nong-thon-moi/",
        "",
        "official",
        "the page shows no date (c. 2021); its 'hiện có 3/14 xã' describes that date",
        "the year each xã was recognised is not given",
    ),
    Source(
        "S16",
        "https://baobackan.com.vn/bac-kan-co-them-06-xa-dat-chuan-nong-thon-moi-post7453.html",
        "",
        "press",
        "the page shows no date; it reports recognitions 'năm 2021'",
    ),
    Source(
        "S17",
        "https://pacnam.gov.vn/tap-trung-nguon-luc-dua-xa-boc-bo-ve-dich-nong-thon-moi/",
        "",
        "official",
        "the archived excerpt shows no date (c. 2021)",
    ),
    Source(
        "S18",
        "http://baobackan.com.vn/nong-thon-moi/202112/06-xa-nong-thon-moi-dang-trien-khai-ra-soat-danh-gia-ket-qua-5946f43/",
        "2021-12",
        "press",
        "month from the page's address (…/202112/…)",
    ),
    Source(
        "S19",
        "https://baobackan.com.vn/giam-ngheo-ve-thong-tin-bai-2-bac-kan-no-luc-hoan-thien-he-thong-truyen-thanh-co-so-ung-dung-cntt-vt-post59382.html",
        "",
        "press",
        "the archived excerpt shows no date (2021-2023)",
    ),
    Source(
        "S20",
        "http://app.marimbapop.com/news/470c791642.html",
        "",
        "copy_unrelated_host",
        "no date shown (c. 2020-2021)",
        "a spam host carrying a copied article; low quality",
    ),
    Source(
        "S21",
        "https://m.infonet.vietnamnet.vn/chuyen-de/nong-thon-moi/bac-kan-phan-dau-dat-muc-tieu-toan-tinh-co-25-xa-dat-chuan-nong-thon-moi-263184.html",
        "",
        "press",
        "the archived excerpt shows no date (c. 2020-2021)",
        "title taken from the address",
    ),
    # Sources of the addendum (2026-12-01).
    Source(
        "S22",
        "http://chomoi.backan.gov.vn/Pages/tin-tuc-su-kien-319/khoi-huyen-uy-hdnd-ubnd-huyen-331/nam-2016-tang-25-tieu-chi-nong-thon-moi-9240a768930c9b2f.aspx",
        "2017-01-12",
        "official",
        "the page's 'Cập nhật lúc' stamp",
    ),
    Source(
        "S23",
        "https://pacnam.backan.gov.vn/Pages/tin-tuc-su-kien-318/xay-dung-nong-thon-moi-345/huyen-pac-nam-co-03-xa-dat-09-tieu-c-dbe3b29e8553414f.aspx",
        "2018-11-08",
        "official",
        "the page's 'Cập nhật lúc' stamp; its figures are to the end of October 2018",
    ),
    Source(
        "S24",
        "https://pacnam.backan.gov.vn/Pages/tin-tuc-su-kien-318/xay-dung-nong-thon-moi-345/pac-nam-hoan-thanh-them-02-tieu-chi-nong-5d3d2ddfd7e0ab24.aspx",
        "2018-12-14",
        "official",
        "the page's 'Cập nhật lúc' stamp",
    ),
    Source(
        "S25",
        "https://pacnam.backan.gov.vn/Pages/tin-tuc-su-kien-318/xay-dung-nong-thon-moi-345/moi-xa-o-pac-nam-phan-dau-ho-3d8ff6f406739c7c.aspx",
        "2019-03-19",
        "official",
        "the page's 'Cập nhật lúc' stamp",
    ),
    Source(
        "S26",
        "http://m.daidoanket.vn/cac-cuoc-van-dong/cho-don-bac-kan-tong-ket-10-nam-xay-dung-nong-thon-moi-tintuc447003",
        "2019-09-11",
        "press",
        "date shown with the title; the meeting it reports was on 09/09/2019",
    ),
    Source(
        "S27",
        "https://pacnam.backan.gov.vn/Pages/tin-tuc-su-kien-318/cac-xa-thi-tran-332/cho-den-thoi-diem-nay-huyen-pa-b3a1714bfea164af.aspx",
        "2020-03-23",
        "official",
        "the page's 'Cập nhật lúc' stamp",
    ),
    Source(
        "S28",
        "https://backancity.gov.vn/doan-cong-tac-tinh-bac-kan-tham-tra-cac-tieu-chi-nong-thon-moi-tai-thanh-pho-bac-kan/",
        "",
        "official",
        "the page shows no date; the appraisal visit it reports was on the morning of 02/12 (2020)",
    ),
    Source(
        "S29",
        "https://bachthong.gov.vn/so-thong-tin-truyen-thong-kiem-tra-hoat-dong-thong-tin-co-so-tai-huyen-bach-thong/",
        "2023-03-23",
        "official",
        "date shown with the title",
    ),
)

# A date the collector appended to a title: "(Cập nhật lúc: 08/11/2018)" or "(23/3/2023)".
_TITLE_DATE = re.compile(r"\s*\((?:Cập nhật lúc:\s*)?(\d{1,2})/(\d{1,2})/(\d{4})\)\s*$")


# Remarks the collector appended to two titles; the caveat column now carries them.
_TITLE_REMARKS = (" (copy on an unrelated spam host)", " (title from URL)")


def _title_and_date(title: str) -> tuple[str, str]:
    """A title without the collector's remarks, and the date shown with it (ISO, or "")."""
    for remark in _TITLE_REMARKS:
        title = title.removesuffix(remark)
    match = _TITLE_DATE.search(title)
    if not match:
        return title.strip(), ""
    day, month, year = (int(g) for g in match.groups())
    return title[: match.start()].strip(), f"{year:04d}-{month:02d}-{day:02d}"


def build_sources(cited: pd.DataFrame) -> pd.DataFrame:
    """One row per source: ``cited`` has one row per use (``source_url, source_title, as_of``)."""
    by_url = {s.url: s for s in SOURCES}
    unknown = sorted(set(cited["source_url"]) - set(by_url))
    assert not unknown, f"sources without an id in SOURCES: {unknown}"
    rows = []
    for src in SOURCES:
        uses = cited[cited["source_url"] == src.url]
        assert len(uses) or src.title, f"{src.source_id} is cited nowhere"
        title = src.title
        for raw in uses["source_title"]:
            text, shown = _title_and_date(raw)
            # A date shown with the title is the publication date: the registry must agree.
            assert not shown or shown == src.published, (src.source_id, shown, src.published)
            title = title or text
        dates = sorted(set(uses["as_of"]) - {""}) or ["2019-12-01"]  # G01: the list's date
        rows.append(
            {
                "source_id": src.source_id,
                "published": src.published,
                "evidence_date": "; ".join(dates),
                "host": re.match(r"https?://([^/]+)/", src.url).group(1),  # type: ignore[union-attr]
                "title": title,
                "url": src.url,
                "public": "true" if src.public else "false",
                "quality": src.quality,
                "date_note": src.date_note,
                "caveat": src.caveat,
            }
        )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class Piece:
    """One piece of evidence about one indicator of one commune."""

    value: str  # met | not_met
    as_of: str  # as the evidence file writes it
    lo: str  # first day the evidence may refer to ("0000-01-01": no lower bound)
    hi: str  # last day it may refer to
    source_id: str
    confidence: str
    basis: str  # ntm | appraisal | complement | indicator | province
    on_or_before: bool = False


def _range(as_of: str, *, on_or_before: bool) -> tuple[str, str]:
    """Date range of a full or partial ISO date; ``on_or_before`` drops the lower bound."""
    parts = as_of.split("-")
    year = int(parts[0])
    if len(parts) == 3:
        lo = hi = as_of
    elif len(parts) == 2:
        month = int(parts[1])
        lo = f"{year:04d}-{month:02d}-01"
        hi = f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    else:
        lo, hi = f"{year:04d}-01-01", f"{year:04d}-12-31"
    return ("0000-01-01" if on_or_before else lo), hi


def _when(piece: Piece, as_of: str) -> str:
    """``holds`` (range wholly on or before the date), ``after`` (wholly after) or ``uncertain``."""
    if piece.hi <= as_of:
        return "holds"
    if piece.lo > as_of:
        return "after"
    return "uncertain"


_BASIS_BY_RULE = {"C": "complement", "19/19": "appraisal"}
# Preference among pieces from the same source and date (the most specific reason first).
_BASIS_ORDER = {"province": 0, "ntm": 1, "complement": 2, "appraisal": 3, "indicator": 4}


def collect_pieces(
    evidence: pd.DataFrame, sid: dict[str, str]
) -> tuple[dict[tuple[str, str], list[Piece]], dict[str, list[Piece]]]:
    """Turn evidence rows into pieces per (code, indicator), and overall not-met pieces per code.

    - ``ntm_recognised = recognised`` and ``c8_all = met``: every indicator met (rule 1; the
      addendum's rules C and 19/19), ``inferred``;
    - ``8.x`` rows: that indicator, with their own confidence;
    - ``c8_all = not_met``: kept apart; it does not say which indicator was missing;
    - station rows and ``ntm_recognised = not_met`` say nothing about an indicator (rule 2).

    The main file repeats each recognition as ``c8_all``/``8.3`` rows of the same source and
    date; such repeats collapse into one piece.
    """
    ntm_keys = set(
        evidence.loc[
            evidence["indicator"].eq("ntm_recognised") & evidence["value"].eq("recognised"),
            ["gso_code_2019", "source_url", "as_of"],
        ].itertuples(index=False, name=None)
    )
    pieces: dict[tuple[str, str], dict[tuple[str, str, str], Piece]] = {}
    overall: dict[str, list[Piece]] = {}
    for row in evidence.itertuples(index=False):
        code, ind, value, as_of = row.gso_code_2019, row.indicator, row.value, row.as_of
        src = sid[row.source_url]
        rule = getattr(row, "rule", "")
        before = row.source_url in ON_OR_BEFORE
        lo, hi = _range(as_of, on_or_before=before) if as_of[:1].isdigit() else ("", "")

        def add(code: str, indicators: Iterable[str], piece: Piece) -> None:
            for i in indicators:
                found = pieces.setdefault((code, i), {})
                key = (piece.source_id, piece.as_of, piece.value)
                old = found.get(key)
                if old is None or _BASIS_ORDER[piece.basis] < _BASIS_ORDER[old.basis]:
                    found[key] = piece

        if ind == "ntm_recognised" and value == "recognised":
            add(code, INDICATORS, Piece("met", as_of, lo, hi, src, "inferred", "ntm", before))
        elif ind == "c8_all" and value == "met":
            if (code, row.source_url, as_of) in ntm_keys:
                continue  # the recognition itself, repeated
            basis = _BASIS_BY_RULE.get(rule, "appraisal")  # main file: a 19/19 appraisal
            add(code, INDICATORS, Piece("met", as_of, lo, hi, src, "inferred", basis, before))
        elif ind == "c8_all" and value == "not_met":
            overall.setdefault(code, []).append(
                Piece("not_met", as_of, lo, hi, src, row.confidence, rule or "indicator", before)
            )
        elif ind in INDICATORS and value in ("met", "not_met"):
            if value == "met" and (code, row.source_url, as_of) in ntm_keys:
                continue
            basis = _BASIS_BY_RULE.get(rule, "indicator")
            add(code, [ind], Piece(value, as_of, lo, hi, src, row.confidence, basis, before))
    return {k: list(v.values()) for k, v in pieces.items()}, overall


# ---------------------------------------------------------------------------------------- notes

# What each source's "not met" rests on, in a few words (the quote is in the evidence file).
_NOT_MET_WORDING = {
    "S11": (
        "trạm truyền thanh mới bàn giao 'sẽ giúp xã Giáo Hiệu hoàn thành tiêu chí số 8'",
        "a newly handed-over station 'will help complete criterion 8'",
    ),
    "S18": (
        "hệ thống đài truyền thanh còn đang được hoàn thành (khu vực xã mới sau sáp nhập)",
        "the radio system was still being completed (area of the merged commune)",
    ),
    "S23": (
        "xã còn phải phấn đấu đạt tiêu chí 8 (không nói thiếu chỉ tiêu nào)",
        "criterion 8 was still to be completed (which indicator was missing is not said)",
    ),
}
_MET_WORDING = {
    "ntm": ("công nhận đạt chuẩn NTM", "NTM recognition"),
    "appraisal": ("thẩm định đạt 19/19 tiêu chí", "appraisal found 19/19 criteria met"),
    "complement": (
        "tiêu chí 8 không nằm trong các tiêu chí xã còn phải hoàn thành",
        "criterion 8 not among the criteria the xã still had to complete",
    ),
    "indicator": ("nguồn ghi đạt", "recorded as met"),
}


def _date_words(piece: Piece) -> tuple[str, str]:
    if piece.on_or_before:
        return f"không muộn hơn năm {piece.as_of}", f"on or before {piece.as_of}"
    if len(piece.as_of) == 4:
        return f"năm {piece.as_of}", f"in {piece.as_of}"
    if len(piece.as_of) == 7:
        return f"tháng {piece.as_of}", f"in {piece.as_of}"
    return f"ngày {piece.as_of}", f"on {piece.as_of}"


def _what(piece: Piece) -> tuple[str, str]:
    if piece.value == "met":
        return _MET_WORDING[piece.basis]
    assert piece.source_id in _NOT_MET_WORDING, f"no wording for {piece.source_id}'s not_met"
    return _NOT_MET_WORDING[piece.source_id]


def _timing(piece: Piece, as_of: str) -> tuple[str, str]:
    when = _when(piece, as_of)
    if when == "after":
        return f"sau ngày đánh giá {as_of}", f"after {as_of}"
    if when == "holds" and piece.lo == as_of:
        return f"đúng ngày đánh giá {as_of}", f"on {as_of}"
    if when == "holds":
        return f"trước ngày đánh giá {as_of}", f"before {as_of}"
    if piece.on_or_before:
        return (
            f"không rõ trước hay sau ngày đánh giá {as_of}",
            f"whether before or after {as_of} is uncertain",
        )
    span_vi, span_en = ("năm", "year") if len(piece.as_of) == 4 else ("tháng", "month")
    return (
        f"nguồn chỉ ghi {span_vi}, không rõ trước hay sau ngày đánh giá {as_of}",
        f"the source gives only the {span_en}, so whether it was before or after {as_of} "
        "is uncertain",
    )


def _unused_notes(pieces: list[Piece], as_of: str) -> list[tuple[str, str]]:
    """One note per group of unused pieces (same reason, date and timing), sources listed."""
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for p in sorted(pieces, key=lambda p: (p.lo, p.hi, p.source_id)):
        what_vi, what_en = _what(p)
        date_vi, date_en = _date_words(p)
        time_vi, time_en = _timing(p, as_of)
        key = (f"{what_vi} {date_vi}", f"{what_en} {date_en}", time_vi, time_en)
        groups.setdefault(key, [])
        if p.source_id not in groups[key]:
            groups[key].append(p.source_id)
    return [
        (
            f"{head_vi} ({', '.join(ids)}): {time_vi}, không dùng",
            f"{head_en} ({', '.join(ids)}): {time_en}; not used",
        )
        for (head_vi, head_en, time_vi, time_en), ids in groups.items()
    ]


def _side(pieces: list[Piece], as_of: str, quality: dict[str, str]) -> tuple[str, str]:
    vi, en = [], []
    for p in sorted(pieces, key=lambda p: (p.lo, p.hi, p.source_id)):
        what_vi, what_en = _what(p)
        date_vi, date_en = _date_words(p)
        time_vi, time_en = _timing(p, as_of)
        copy = quality.get(p.source_id) == "copy_unrelated_host"
        src_vi = f"{p.source_id}{', bản sao trên trang không liên quan' if copy else ''}"
        src_en = f"{p.source_id}{', a copy on an unrelated host' if copy else ''}"
        conf_vi = "suy luận" if p.confidence == "inferred" else "nguồn ghi rõ"
        vi.append(f"{what_vi} {date_vi} ({src_vi}; {conf_vi}; {time_vi})")
        en.append(f"{what_en} {date_en} ({src_en}; {p.confidence}; {time_en})")
    return "; ".join(vi), "; ".join(en)


def _conflict_note(
    met: list[Piece], not_met: list[Piece], as_of: str, quality: dict[str, str]
) -> tuple[str, str]:
    met_vi, met_en = _side(met, as_of, quality)
    not_vi, not_en = _side(not_met, as_of, quality)
    every = met + not_met
    tail_vi, tail_en = [], []
    if all(p.confidence == "inferred" for p in every):
        tail_vi.append("cả hai bên đều là suy luận")
        tail_en.append("both sides are inferences")
    if not any(p.lo == p.hi == as_of for p in every):
        tail_vi.append(f"không nguồn nào ghi đúng ngày {as_of}")
        tail_en.append(f"no source is dated {as_of}")
    return (
        f"nguồn mâu thuẫn: đạt theo {met_vi}; chưa đạt theo {not_vi}"
        + (f"; {', '.join(tail_vi)}" if tail_vi else ""),
        f"sources disagree: met per {met_en}; not met per {not_en}"
        + (f"; {', '.join(tail_en)}" if tail_en else ""),
    )


def _met_note(piece: Piece) -> tuple[str, str]:
    if piece.basis == "ntm":  # the wording of the previous tables, kept
        return (
            f"công nhận đạt chuẩn NTM {piece.as_of}: đạt cả 19 tiêu chí, nên đạt tiêu chí 8",
            f"NTM recognised {piece.as_of}: all 19 criteria, so criterion 8, were met",
        )
    what_vi, what_en = _MET_WORDING[piece.basis]
    date_vi, date_en = _date_words(piece)
    return (f"{what_vi} {date_vi}, nên đạt tiêu chí 8", f"{what_en} {date_en}, so criterion 8 met")


# ----------------------------------------------------------------------------------- the tables


def _base_rows(units: pd.DataFrame, as_of: str) -> pd.DataFrame:
    first = units[units["valid_from"] == ""].copy()
    assert len(first) == 122, len(first)
    out = pd.DataFrame(
        {
            "code": first["code"],
            "valid_from": first["valid_from"],
            "name": first["name"],
            "district": first["district_name"],
            "unit_type": first["type"],
            "as_of": as_of,
        }
    )
    for ind in INDICATORS:
        key = ind.replace(".", "_")
        applicable = first["type"].eq("Xã")
        out[f"c{key}"] = applicable.map({True: "unknown", False: "not_applicable"})
        out[f"c{key}_source"] = ""
        out[f"c{key}_confidence"] = ""
    out["note"] = ""  # Vietnamese, shown first
    out["note_en"] = ""
    return out.sort_values("code", ignore_index=True)


def _add_note(table: pd.DataFrame, i: int, note: tuple[str, str]) -> None:
    for column, text in zip(("note", "note_en"), note, strict=True):
        if text and text not in table.at[i, column]:
            table.at[i, column] = (table.at[i, column] + "; " + text).strip("; ")


def decide(
    pieces: list[Piece], as_of: str, quality: dict[str, str], fixed: Piece | None = None
) -> tuple[str, str, str, list[tuple[str, str]]]:
    """Value, source(s), confidence and notes of one indicator at ``as_of``.

    ``fixed`` is a statement made on the assessment date itself (S13 in 2019); it stands for
    the ``met`` side, and the other pieces are only searched for a contradiction.
    """
    by = {
        (v, w): [p for p in pieces if p.value == v and _when(p, as_of) == w]
        for v in ("met", "not_met")
        for w in ("holds", "uncertain", "after")
    }
    if fixed is not None:
        by[("met", "holds")], by[("met", "uncertain")] = [fixed], []
    holds_met, holds_not = by[("met", "holds")], by[("not_met", "holds")]
    met_side = holds_met + by[("met", "uncertain")]
    not_side = holds_not + by[("not_met", "uncertain")]
    if (holds_met or holds_not) and met_side and not_side:
        every = sorted(met_side + not_side, key=lambda p: (p.lo, p.hi, p.source_id))
        ids = list(dict.fromkeys(p.source_id for p in every))
        conf = "stated" if all(p.confidence == "stated" for p in every) else "inferred"
        return (
            "conflicting",
            ";".join(ids),
            conf,
            [_conflict_note(met_side, not_side, as_of, quality)],
        )
    if holds_met:
        # The earliest proof; on a tie the most specific reason, then the lowest id.
        best = min(holds_met, key=lambda p: (p.hi, _BASIS_ORDER[p.basis], p.source_id))
        notes = [] if best.basis == "province" else [_met_note(best)]
        return "met", best.source_id, best.confidence, notes
    if holds_not:
        best = max(holds_not, key=lambda p: (p.hi, p.source_id))  # the latest, nearest the date
        what_vi, what_en = _what(best)
        date_vi, date_en = _date_words(best)
        return (
            "not_met",
            best.source_id,
            best.confidence,
            [(f"{what_vi} {date_vi}", f"{what_en} {date_en}")],
        )
    unused = [p for p in pieces if _when(p, as_of) != "holds"]
    return "unknown", "", "", _unused_notes(unused, as_of)


def build_status(
    units: pd.DataFrame,
    evidence: pd.DataFrame,
    sources: pd.DataFrame,
    as_of: str,
    *,
    province_wide: bool,
) -> pd.DataFrame:
    sid = dict(zip(sources["url"], sources["source_id"], strict=True))
    quality = dict(zip(sources["source_id"], sources["quality"], strict=True))
    table = _base_rows(units, as_of)
    pieces, overall = collect_pieces(evidence, sid)
    s13 = Piece("met", as_of, as_of, as_of, sid[PROVINCE_2019], "stated", "province")
    for i in table.index[table["unit_type"].eq("Xã")]:
        code = table.at[i, "code"]
        for ind in INDICATORS:
            fixed = s13 if province_wide and ind != "8.3" else None
            value, src, conf, notes = decide(pieces.get((code, ind), []), as_of, quality, fixed)
            key = "c" + ind.replace(".", "_")
            table.at[i, key], table.at[i, f"{key}_source"] = value, src
            table.at[i, f"{key}_confidence"] = conf
            for note in notes:
                _add_note(table, i, note)
        # An overall "not met" is noted, never set: it does not say which indicator was missing.
        known = {(p.source_id, p.as_of) for ind in INDICATORS for p in pieces.get((code, ind), [])}
        for p in overall.get(code, []):
            if (p.source_id, p.as_of) in known:
                continue
            what_vi, what_en = _what(p)
            date_vi, date_en = _date_words(p)
            time_vi, time_en = _timing(p, as_of)
            _add_note(
                table,
                i,
                (
                    f"{what_vi} {date_vi} ({p.source_id}): {time_vi}; không đặt chỉ tiêu nào",
                    f"{what_en} {date_en} ({p.source_id}): {time_en}; no indicator is set",
                ),
            )
    return table


# ------------------------------------------------------------------------------ province totals

# Phrases quoted from the article of 12/08/2019 (S13), checked against its full text.
S13_QUOTES = {
    "communes_in_programme": "Tỉnh Bắc Kạn có 08 đơn vị hành chính gồm 07 huyện, 01 thành phố "
    "với 110 xã thực hiện Chương trình MTQG xây dựng nông thôn mới",
    "c8_met": "Giai đoạn 2016 - 2019, toàn tỉnh đã có 64 xã đạt cả 04 nội dung của tiêu chí số 8",
    "c8_1_met": "100% các xã trên địa bàn tỉnh có điểm phục vụ bưu chính",
    "c8_2_met": "100% số xã có dịch vụ viễn thông và internet",
    "c8_4_met": "100% các xã đã được cài đặt và sử dụng phần mềm quản lý văn bản và hồ sơ công "
    "việc gắn với ứng dụng chữ ký số và phần mềm “Một cửa điện tử”",
    "stations_new_province_2016_2019": "tỉnh đã đầu tư được 11 đài truyền thanh xã",
    "stations_upgraded_province_2016_2019": "tỉnh đã đầu tư được 11 đài truyền thanh xã và "
    "nâng cấp 04 đài",
    "stations_new_districts_2016_2019": "Các huyện đầu tư mới được 06 đài",
    "stations_upgraded_districts_2016_2019": "Các huyện đầu tư mới được 06 đài, nâng cấp được "
    "04 đài",
    "stations_plan_2019_new": "Năm 2019, tỉnh sẽ đầu tư mới 05 đài cho các xã phấn đấu hoàn "
    "thành tiêu chí nông thôn mới trong năm 2019",
    "stations_budget_line_new": "cân đối nguồn ngân sách để đầu tư xây dựng mới 12 đài với tổng "
    "kinh phí thực hiện là 5 tỷ đồng",
    "stations_budget_line_cost_vnd": "cân đối nguồn ngân sách để đầu tư xây dựng mới 12 đài với "
    "tổng kinh phí thực hiện là 5 tỷ đồng",
    "stations_target_new_by_2020": "phấn đấu hết năm 2020 có ít nhất 20 đài truyền thanh xã "
    "được đầu tư mới",
    "target_2020_c8_share_of_xa_preparing_ntm": "Năm 2020, tỉnh tiếp tục phấn đấu 100% các xã "
    "đang chuẩn bị công nhận xã nông thôn mới đạt tiêu chí số 8 về thông tin và truyền thông",
}

# The province-figures file's metric for each published total of 2018-07-31 (its quote is used).
_S01_METRICS = {
    "communes_in_programme": "communes_in_ntm_programme",
    "c8_met": "c8_all_met",
    "c8_1_met": "8.1_met",
    "c8_2_met": "8.2_met",
    "c8_3_met": "8.3_met",
    "stations_new_2016_2018": "radio_stations_new",
    "stations_upgraded_2016_2018": "radio_stations_upgraded",
}


def _check_s13_quotes() -> None:
    if not S13_TEXT.is_file():
        return
    text = " ".join(S13_TEXT.read_text(encoding="utf-8").split())
    wrong = [m for m, q in S13_QUOTES.items() if " ".join(q.split()) not in text]
    assert not wrong, f"not in the article's text: {wrong}"


def _total(
    metric: str,
    value: str,
    *,
    kind: str = "published",
    unit: str = "xã",
    bound: str = "exact",
    period: str = "",
    note: str = "",
) -> dict[str, str]:
    return {
        "metric": metric,
        "value": value,
        "bound": bound,
        "unit": unit,
        "kind": kind,
        "period": period,
        "note": note,
    }


_COUNTED = "counted in the GSO list of 2019-12-01"
_G01_TOTALS = (
    _total("district_units", "8", kind="counted", unit="units", note=_COUNTED),
    _total(
        "commune_units",
        "122",
        kind="counted",
        unit="units",
        note=_COUNTED + ": 110 xã, 6 phường, 6 thị trấn",
    ),
    _total("xa_units", "110", kind="counted", unit="units", note=_COUNTED),
    _total("phuong_units", "6", kind="counted", unit="units", note=_COUNTED),
    _total("thi_tran_units", "6", kind="counted", unit="units", note=_COUNTED),
)
_PERIOD = "'giai đoạn này' refers back to 'Giai đoạn 2016 - 2019'"
_BUDGET = (
    "a separate budget line, not the 2019 plan: it follows the plan in the same sentence after "
    "'đồng thời' and has no year of its own"
)
_ALL_XA = "published as 100 % of xã ({}); 110 is the article's own count of xã"
# Every figure of the article of 12/08/2019 (S13), as the article states it; quotes in S13_QUOTES.
_S13_TOTALS = (
    _total("communes_in_programme", "110"),
    _total("c8_met", "64", period="2016/2019", note="met all four contents of criterion 8"),
    _total("c8_1_met", "110", note=_ALL_XA.format("postal point")),
    _total("c8_2_met", "110", note=_ALL_XA.format("telecom and internet")),
    _total(
        "c8_3_met",
        "64",
        kind="derived",
        note="derived, not published: every xã met 8.1, 8.2 and 8.4, so the 64 meeting all four "
        "are the xã meeting 8.3",
    ),
    _total("c8_4_met", "110", note=_ALL_XA.format("IT in administration")),
    _total(
        "stations_new_province_2016_2019",
        "11",
        unit="stations",
        period="2016/2019",
        note=_PERIOD + "; 'đầu tư được' (invested in), set against 'nâng cấp' (upgraded)",
    ),
    _total(
        "stations_upgraded_province_2016_2019",
        "4",
        unit="stations",
        period="2016/2019",
        note=_PERIOD,
    ),
    _total("stations_new_districts_2016_2019", "6", unit="stations", period="2016/2019"),
    _total("stations_upgraded_districts_2016_2019", "4", unit="stations", period="2016/2019"),
    _total(
        "stations_plan_2019_new",
        "5",
        unit="stations",
        period="2019",
        note="the 2019 plan: new stations for the xã aiming to meet the NTM criteria in 2019",
    ),
    _total("stations_budget_line_new", "12", unit="stations", note=_BUDGET),
    _total(
        "stations_budget_line_cost_vnd",
        "5000000000",
        unit="VND",
        note=_BUDGET + "; '5 tỷ đồng' for all 12",
    ),
    _total(
        "stations_target_new_by_2020",
        "20",
        unit="stations",
        bound="at_least",
        period="2020",
        note="a target for the end of 2020",
    ),
    _total(
        "target_2020_c8_share_of_xa_preparing_ntm",
        "100",
        unit="percent",
        period="2020",
        note="a target for 2020",
    ),
)
TOTALS_COLUMNS = [
    "as_of",
    "metric",
    "value",
    "bound",
    "unit",
    "kind",
    "period",
    "source_id",
    "quote_vi",
    "note",
]


def build_totals(figures: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The province's figures; ``kind`` says whether a value is published, derived or counted."""
    sid = dict(zip(sources["url"], sources["source_id"], strict=True))
    _check_s13_quotes()
    rows = [{**t, "as_of": "2019-12-01", "source_id": "G01", "quote_vi": ""} for t in _G01_TOTALS]
    # 2018-07-31: the province-figures file holds the values and quotes of S01.
    by_metric = figures[figures["source_url"].eq(PROVINCE_2018)].set_index("metric")
    for metric, theirs in _S01_METRICS.items():
        stations = metric.startswith("stations_")
        total = _total(
            metric,
            by_metric.at[theirs, "value"],
            unit="stations" if stations else "xã",
            period="2016/2018" if stations else "",
        )
        rows.append(
            {
                **total,
                "as_of": "2018-07-31",
                "source_id": sid[PROVINCE_2018],
                "quote_vi": by_metric.at[theirs, "quote_vi"],
            }
        )
    for total in _S13_TOTALS:
        quote = S13_QUOTES.get(total["metric"], "")
        assert bool(quote) == (total["kind"] == "published"), total["metric"]
        rows.append(
            {**total, "as_of": "2019-08-12", "source_id": sid[PROVINCE_2019], "quote_vi": quote}
        )
    return pd.DataFrame(rows)[TOTALS_COLUMNS]


# ----------------------------------------------------------------------------- district figures


def _fig(
    metric: str,
    value: str,
    *,
    out_of: str = "",
    bound: str = "exact",
    unit: str = "xã",
    confidence: str = "stated",
    compare_with: str = "",
    as_of: str = "",
    note: str = "",
) -> dict[str, str]:
    """One number of a district figure (``as_of`` only where the file's own is not a date)."""
    return {
        "metric": metric,
        "value": value,
        "out_of": out_of,
        "bound": bound,
        "unit": unit,
        "confidence": confidence,
        "compare_with": compare_with,
        "as_of": as_of,
        "note": note,
    }


AVG = "ntm_avg_criteria_per_xa"
PER_XA = "criteria per xã"
# How each row of the district-figures file (keyed by its as_of, district, metric and value, so
# that a changed row fails) becomes one number per row. Nothing is computed: a composite row
# ("7 / 8") is split, "x/y" gives value and out_of, and the bound is the quote's own.
_DISTRICT_ROWS: dict[tuple[str, str, str, str], list[dict[str, str]]] = {
    ("2016-12-31", "Huyện Chợ Mới", "ntm_avg_criteria_per_commune", "9.2"): [
        _fig(AVG, "9.2", unit=PER_XA)
    ],
    ("2016-12-31", "Huyện Chợ Mới", "communes_10_12_criteria / communes_7_9_criteria", "7 / 8"): [
        _fig("xa_with_10_to_12_criteria", "7"),
        _fig("xa_with_7_to_9_criteria", "8"),
    ],
    (
        "2018-10-31",
        "Huyện Pác Nặm",
        "communes_with_9_criteria (max in district)",
        "3 (Giáo Hiệu, Nghiên Loan, Nhạn Môn)",
    ): [
        _fig(
            "xa_with_9_criteria",
            "3",
            note="Giáo Hiệu, Nghiên Loan, Nhạn Môn; the collector reads 9 as the district's "
            "highest count",
        )
    ],
    ("2018-10-31", "Huyện Pác Nặm", "ntm_avg_criteria_per_commune", "7.8"): [
        _fig(AVG, "7.8", unit=PER_XA)
    ],
    ("2018-11-14", "Huyện Pác Nặm", "communes_with_radio_system", "10/10"): [
        _fig(
            "xa_with_radio_system",
            "10",
            out_of="10",
            compare_with="radio_station",
            note="a station existing is not 8.3 met: 8.3 also needs loudspeakers reaching the "
            "villages",
        )
    ],
    ("2018-11-14", "Huyện Pác Nặm", "loudspeaker_clusters_total", ">80"): [
        _fig(
            "loudspeaker_clusters",
            "80",
            bound="more_than",
            unit="loudspeaker clusters",
            note="'hơn 80 cụm loa' in the district's 10 xã together",
        )
    ],
    ("2018-12-14", "Huyện Pác Nặm", "ntm_avg_criteria_per_commune", "9.4"): [
        _fig(AVG, "9.4", unit=PER_XA)
    ],
    (
        "2019-03-19",
        "Huyện Pác Nặm",
        "some_communes_registered_criterion8_for_2019",
        "unspecified number",
    ): [
        _fig(
            "xa_registering_criterion8_for_2019",
            "",
            bound="",
            note="'một số xã' (some xã): no number is given",
        )
    ],
    (
        "2020-03-23",
        "Huyện Pác Nặm",
        "criteria_met_by_all_10_communes",
        "5 (nos. 1, 3, 7, 12, 15)",
    ): [
        _fig(
            "criteria_met_by_every_xa",
            "5",
            out_of="19",
            unit="criteria",
            note="criteria 1, 3, 7, 12 and 15 are met by all 10 xã",
        )
    ],
    ("2020-03-23", "Huyện Pác Nặm", "c8_met_communes (inferred upper bound)", "<=8/10"): [
        _fig(
            "xa_meeting_c8",
            "8",
            out_of="10",
            bound="at_most",
            confidence="inferred",
            compare_with="c8",
            note="inferred by the collector: criterion 8 is neither among the 5 criteria met by "
            "all 10 xã nor among the 2 met by 9 (criteria 14 and 16)",
        )
    ],
    ("2019-09-09", "Huyện Chợ Đồn", "ntm_communes", "2/21"): [
        _fig(
            "xa_recognised_ntm",
            "2",
            out_of="21",
            compare_with="ntm",
            note="the evidence names one of them, Rã Bản (recognised 2017-12-29, S07); no "
            "source read names the other",
        )
    ],
    ("2019-09-09", "Huyện Chợ Đồn", "ntm_avg_criteria_per_commune", "10.4"): [
        _fig(AVG, "10.4", unit=PER_XA)
    ],
    ("2020-12-02", "Thành Phố Bắc Kạn", "communes_19_of_19_criteria", "2/2"): [
        _fig(
            "xa_with_19_of_19_criteria",
            "2",
            out_of="2",
            compare_with="c8",
            note="Nông Thượng and Dương Quang, the city's only xã in the programme; 19/19 "
            "criteria imply criterion 8 (rule 19/19)",
        )
    ],
    ("c.2021", "Huyện Ba Bể", "ntm_communes", "3/14"): [
        _fig(
            "xa_recognised_ntm",
            "3",
            out_of="14",
            compare_with="ntm",
            as_of="2021",
            note="the page is undated (c. 2021) and counts the 14 xã of Ba Bể after 2020-02-01; "
            "it names Địa Linh, Khang Ninh and Hà Hiệu",
        )
    ],
    (
        "2023-03-23",
        "Huyện Bạch Thông",
        "communes_with_radio_station / operating",
        "14/14 / 13/14",
    ): [
        _fig(
            "units_with_radio_station",
            "14",
            out_of="14",
            unit="xã, thị trấn",
            compare_with="radio_station",
            note="after the 2016-2020 period; 'xã, thị trấn'",
        ),
        _fig(
            "radio_stations_operating",
            "13",
            out_of="14",
            unit="stations",
            note="after the 2016-2020 period; the one not working is Đôn Phong's",
        ),
    ],
}

DISTRICT_COLUMNS = [
    "district_code",
    "district",
    "as_of",
    "metric",
    "value",
    "out_of",
    "bound",
    "unit",
    "confidence",
    "compare_with",
    "source_id",
    "quote_vi",
    "note",
]


def build_district_figures(
    raw: pd.DataFrame, units: pd.DataFrame, sources: pd.DataFrame
) -> pd.DataFrame:
    sid = dict(zip(sources["url"], sources["source_id"], strict=True))
    districts = units.loc[units["valid_from"].eq(""), ["district_name", "district_code"]]
    code_of = dict(districts.drop_duplicates().itertuples(index=False, name=None))
    keys = list(zip(raw["as_of"], raw["district"], raw["metric"], raw["value"], strict=True))
    missing = [k for k in keys if k not in _DISTRICT_ROWS]
    assert not missing, f"district figures without a reading: {missing}"
    unused = sorted(set(_DISTRICT_ROWS) - set(keys))
    assert not unused, f"readings of district figures that are gone: {unused}"
    rows = []
    for key, src in zip(keys, raw.itertuples(index=False), strict=True):
        for fig in _DISTRICT_ROWS[key]:
            rows.append(
                {
                    **fig,
                    "district_code": code_of[src.district],
                    "district": src.district,
                    "as_of": fig["as_of"] or src.as_of,
                    "source_id": sid[src.source_url],
                    "quote_vi": src.quote_vi,
                }
            )
    out = pd.DataFrame(rows)[DISTRICT_COLUMNS]
    return out.sort_values(["district_code", "as_of", "metric"], ignore_index=True, kind="stable")


# ------------------------------------------------------------------------------------------ main


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def main() -> int:
    units = _csv("units_lineage.csv")
    evidence = pd.concat(
        [
            _csv("criterion8_evidence_2016-2020.csv").assign(rule=""),
            _csv("criterion8_evidence_addendum_2018-2023.csv"),
        ],
        ignore_index=True,
    )
    figures = _csv("criterion8_province_figures.csv")
    districts_raw = _csv("criterion8_district_figures.csv")
    districts_raw["as_of_clean"] = districts_raw["as_of"].str.replace("c.", "", regex=False)
    cited = pd.concat(
        [
            evidence[["source_url", "source_title", "as_of"]],
            figures[["source_url", "source_title", "as_of"]],
            districts_raw[["source_url", "source_title", "as_of_clean"]].rename(
                columns={"as_of_clean": "as_of"}
            ),
            pd.DataFrame(
                [{"source_url": PROVINCE_2019, "source_title": "", "as_of": "2019-08-12"}]
            ),
        ],
        ignore_index=True,
    )
    sources = build_sources(cited)
    sources.to_csv(DATA / "sources.csv", index=False)
    build_status(units, evidence, sources, "2019-08-12", province_wide=True).to_csv(
        DATA / "status_2019-08-12.csv", index=False
    )
    build_status(units, evidence, sources, "2018-07-31", province_wide=False).to_csv(
        DATA / "status_2018-07-31.csv", index=False
    )
    build_totals(figures, sources).to_csv(DATA / "published_totals.csv", index=False)
    build_district_figures(districts_raw, units, sources).to_csv(
        DATA / "district_figures.csv", index=False
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
