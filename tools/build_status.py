"""Build the shipped criterion-8 status tables from the evidence in ``data/``.

Writes, from ``data/criterion8_evidence_2016-2020.csv``,
``data/criterion8_province_figures.csv`` and ``data/units_lineage.csv``:

- ``data/sources.csv``: one row per cited source, with a stable id;
- ``data/status_2019-08-12.csv`` and ``data/status_2018-07-31.csv``: one row per
  2019 commune-level unit, indicators 8.1-8.4 each with value, source and
  confidence;
- ``data/published_totals.csv``: the province's published figures.

Rules (see ``data/README.md``):

- a value is only ``met``/``not_met`` where a source states it, or where it
  follows from a stated fact by a rule written here; everything else is
  ``unknown``;
- phường and thị trấn are outside the programme: ``not_applicable``;
- 2019-08-12: the province stated that 100 % of xã met 8.1, 8.2 and 8.4
  (``stated``, province-wide). 8.3 comes from commune evidence dated on or
  before the assessment (NTM recognition implies all criteria, ``inferred``),
  plus the one ``not_met`` row the evidence dates to 2019;
- 2018-07-31: no province-wide statement covers every xã (108/110 for 8.1,
  93/110 for 8.2), so only NTM recognitions dated on or before 2018-07-31 give
  values (all four indicators, ``inferred``).

Run from the project root: ``.venv/bin/python tools/build_status.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
INDICATORS = ("8.1", "8.2", "8.3", "8.4")
PROVINCE_2019 = "https://backan.gov.vn/Pages/tin-tuc-su-kien-215/thong-tin-truyen-thong-159/bac-kan-co-64-xa-dat-tieu-chi-v-951f1617d758e76b.aspx"
PROVINCE_2018 = "https://backan.gov.vn/Pages/tin-tuc-su-kien-215/thong-tin-truyen-thong-159/bac-kan-co-43-xa-dat-tieu-chi-s-c7159fbd97b4c30b.aspx"
BRIEF = "bkmap-brief-2019-report"


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def build_sources(evidence: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    rows = pd.concat(
        [
            evidence[["source_url", "source_title", "as_of"]],
            figures[["source_url", "source_title", "as_of"]],
        ]
    )
    first = rows.groupby("source_url", sort=False).agg(
        title=("source_title", "first"), as_of=("as_of", "min")
    )
    first = first.reset_index().sort_values(["as_of", "source_url"], ignore_index=True)
    first.insert(0, "source_id", [f"S{i + 1:02d}" for i in range(len(first))])
    first["host"] = first["source_url"].str.extract(r"https?://([^/]+)/", expand=False)
    first = first.rename(columns={"source_url": "url", "as_of": "date"})
    brief = pd.DataFrame(
        [
            {
                "source_id": "S00",
                "url": "",
                "title": "Bắc Kạn provincial report of 2019-08-12 as summarised in the bkmap "
                "project brief (station counts from the article's full text)",
                "date": "2019-08-12",
                "host": "",
            }
        ]
    )
    gso = pd.DataFrame(
        [
            {
                "source_id": "G01",
                "url": "https://danhmuchanhchinh.gso.gov.vn/",
                "title": "GSO list of administrative units, 2019-12-01 (via daohoangson/dvhcvn, "
                "commit 8d7268a44fa469dc3f513fa6bf4bf1c612cb8998)",
                "date": "2019-12-01",
                "host": "danhmuchanhchinh.gso.gov.vn",
            }
        ]
    )
    return pd.concat([brief, gso, first], ignore_index=True)[
        ["source_id", "date", "host", "title", "url"]
    ]


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


def _add_note(table, i, note: tuple[str, str]) -> None:
    for column, text in zip(("note", "note_en"), note, strict=True):
        if text and text not in table.at[i, column]:
            table.at[i, column] = (table.at[i, column] + "; " + text).strip("; ")


def _set(table, code, ind, value, source, confidence, note=("", "")):
    key = "c" + ind.replace(".", "_")
    idx = table.index[table["code"] == code]
    assert len(idx) == 1, code
    i = idx[0]
    assert table.at[i, key] != "not_applicable", code
    table.at[i, key] = value
    table.at[i, f"{key}_source"] = source
    table.at[i, f"{key}_confidence"] = confidence
    _add_note(table, i, note)


def _date_key(as_of: str) -> str:
    # "2017" -> "2017-12-31": a year-only date is taken as the end of that year,
    # so it never counts as being on or before an assessment within the year.
    parts = as_of.split("-")
    if len(parts) == 1:
        return f"{parts[0]}-12-31"
    if len(parts) == 2:
        return f"{parts[0]}-{parts[1]}-31"
    return as_of


def build_status(units, evidence, sources, as_of: str, province_wide: bool) -> pd.DataFrame:
    sid = dict(zip(sources["url"], sources["source_id"], strict=False))
    table = _base_rows(units, as_of)
    xa = table["unit_type"].eq("Xã")
    if province_wide:
        for ind in ("8.1", "8.2", "8.4"):
            key = "c" + ind.replace(".", "_")
            table.loc[xa, key] = "met"
            table.loc[xa, f"{key}_source"] = sid[PROVINCE_2019]
            table.loc[xa, f"{key}_confidence"] = "stated"
    ntm = evidence[
        (evidence["indicator"] == "ntm_recognised") & (evidence["value"] == "recognised")
    ]
    ntm = ntm.assign(key=ntm["as_of"].map(_date_key)).sort_values("key")
    for code, rows in ntm.groupby("gso_code_2019"):
        first = rows.iloc[0]
        if first["key"] > as_of:
            i = table.index[table["code"] == code][0]
            _add_note(
                table,
                i,
                (
                    f"công nhận đạt chuẩn NTM ghi {first['as_of']} (sau ngày đánh giá {as_of}, "
                    "không dùng)",
                    f"NTM recognition dated {first['as_of']} (after {as_of}, not used)",
                ),
            )
            continue
        src = sid[first["source_url"]]
        note = (
            f"công nhận đạt chuẩn NTM {first['as_of']}: đạt cả 19 tiêu chí, nên đạt tiêu chí 8",
            f"NTM recognised {first['as_of']}: all 19 criteria, so criterion 8, were met",
        )
        for ind in INDICATORS:
            if province_wide and ind != "8.3":
                continue
            _set(table, code, ind, "met", src, "inferred", note)
    not_met = evidence[(evidence["indicator"] == "8.3") & (evidence["value"] == "not_met")]
    for _, row in not_met.iterrows():
        year = row["as_of"][:4]
        if year != as_of[:4]:
            continue
        _set(
            table,
            row["gso_code_2019"],
            "8.3",
            "not_met",
            sid[row["source_url"]],
            row["confidence"],
            (
                f"nguồn ghi năm {row['as_of']}: đài mới 'sẽ giúp xã hoàn thành tiêu chí số 8'",
                f"source dated {row['as_of']}: a new station 'will help complete criterion 8'",
            ),
        )
    return table


def build_totals(figures: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    sid = dict(zip(sources["url"], sources["source_id"], strict=False))
    rows = [
        ("2019-12-01", "district_units", "8", "G01", "units", "8 district-level units"),
        ("2019-12-01", "commune_units", "122", "G01", "units", "110 xã, 6 phường, 6 thị trấn"),
        ("2019-12-01", "xa_units", "110", "G01", "units", ""),
        ("2019-12-01", "phuong_units", "6", "G01", "units", ""),
        ("2019-12-01", "thi_tran_units", "6", "G01", "units", ""),
    ]
    out = [
        dict(zip(["as_of", "metric", "value", "source_id", "unit", "note"], r, strict=True))
        for r in rows
    ]

    def fig(as_of, metric, value, url, note="", unit="xã"):
        out.append(
            {
                "as_of": as_of,
                "metric": metric,
                "value": value,
                "source_id": sid.get(url, url),
                "unit": unit,
                "note": note,
            }
        )

    fig("2018-07-31", "communes_in_programme", "110", PROVINCE_2018)
    fig("2018-07-31", "c8_met", "43", PROVINCE_2018)
    fig("2018-07-31", "c8_1_met", "108", PROVINCE_2018)
    fig("2018-07-31", "c8_2_met", "93", PROVINCE_2018)
    fig("2018-07-31", "c8_3_met", "43", PROVINCE_2018)
    fig("2018-07-31", "stations_new_2016_2018", "9", PROVINCE_2018, unit="stations")
    fig("2018-07-31", "stations_upgraded_2016_2018", "15", PROVINCE_2018, unit="stations")
    fig("2019-08-12", "communes_in_programme", "110", PROVINCE_2019)
    fig("2019-08-12", "c8_met", "64", PROVINCE_2019, "met all four contents, 2016-2019")
    fig("2019-08-12", "c8_1_met", "110", PROVINCE_2019, "stated as 100% of xã")
    fig("2019-08-12", "c8_2_met", "110", PROVINCE_2019, "stated as 100% of xã")
    fig(
        "2019-08-12",
        "c8_3_met",
        "64",
        PROVINCE_2019,
        "derived: 8.1, 8.2 and 8.4 were met by every xã, so 8.3 decided the 64",
    )
    fig("2019-08-12", "c8_4_met", "110", PROVINCE_2019, "stated as 100% of xã")
    brief = "S00"
    fig("2019-08-12", "stations_new_province", "11", brief, unit="stations")
    fig("2019-08-12", "stations_upgraded_province", "4", brief, unit="stations")
    fig("2019-08-12", "stations_new_districts", "6", brief, unit="stations")
    fig("2019-08-12", "stations_upgraded_districts", "4", brief, unit="stations")
    fig("2019-08-12", "stations_planned", "12", brief, unit="stations")
    fig("2019-08-12", "stations_planned_cost_vnd", "5000000000", brief, unit="VND")
    fig("2019-08-12", "stations_target_new_by_2020", "20", brief, "at least", unit="stations")
    return pd.DataFrame(out)


def main() -> int:
    units = _csv("units_lineage.csv")
    evidence = _csv("criterion8_evidence_2016-2020.csv")
    figures = _csv("criterion8_province_figures.csv")
    sources = build_sources(evidence, figures)
    sources.to_csv(DATA / "sources.csv", index=False)
    build_status(units, evidence, sources, "2019-08-12", province_wide=True).to_csv(
        DATA / "status_2019-08-12.csv", index=False
    )
    build_status(units, evidence, sources, "2018-07-31", province_wide=False).to_csv(
        DATA / "status_2018-07-31.csv", index=False
    )
    build_totals(figures, sources).to_csv(DATA / "published_totals.csv", index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
