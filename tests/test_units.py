"""Tests of bkmap.model.units: versions, units in force on a date, GSO code reuse."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from bkmap import datasets
from bkmap._errors import ValidationError
from bkmap.model.units import (
    VERSIONS,
    load_population,
    load_units,
    parse_on,
    units_of,
    units_on,
    version_date,
    version_on,
    version_summary,
)


def test_counts_122_108_37_and_92() -> None:
    assert len(units_on("2019-08-12")) == 122
    assert len(units_on("2020-02-01")) == 108
    assert len(units_on("2023-04-10")) == 108
    assert len(units_on("2025-07-01")) == 37
    assert len(units_on("2025-07-01", whole_province=True)) == 92
    # Before 2025 the option changes nothing.
    assert len(units_on("2019-08-12", whole_province=True)) == 122


def test_day_before_and_after_each_change() -> None:
    assert len(units_on("2020-01-31")) == 122
    assert version_on("2020-01-31").name == "2019"
    assert version_on("2020-02-01").name == "2020"
    assert version_on("2023-04-09").name == "2020"
    assert version_on("2023-04-10").name == "2023"
    assert version_on("2025-06-30").name == "2023"
    assert version_on("2025-07-01").name == "2025"


def test_codes_unique_within_each_day() -> None:
    for version in VERSIONS:
        units = units_of(version.name, whole_province=True)
        assert units["code"].is_unique, version.name


def _reused() -> pd.DataFrame:
    units = load_units()
    return units[units.duplicated("code", keep=False)].sort_values(["code", "valid_from"])


def test_every_code_reuse_resolves_by_date() -> None:
    reused = _reused()
    # Every reuse the issue names is among them (and the 2025 reuses too).
    named = {
        "02155",
        "01954",
        "01960",
        "01993",
        "02005",
        "02059",
        "02083",
        "02086",
        "02113",
        "02137",
        "02140",
        "02161",
        "02179",
    }
    assert named <= set(reused["code"])
    assert reused["code"].nunique() >= 40
    for rec in reused.itertuples(index=False):
        start = rec.valid_from or "2019-12-01"
        found = units_on(start).set_index("code")
        assert found.at[rec.code, "name"] == rec.name, (rec.code, start)
        assert found.at[rec.code, "valid_from"] == rec.valid_from
        if rec.valid_to:
            after = (dt.date.fromisoformat(rec.valid_to) + dt.timedelta(days=1)).isoformat()
            later = units_on(after).set_index("code")
            if rec.code in later.index:
                assert later.at[rec.code, "valid_from"] != rec.valid_from, (rec.code, after)


def test_02155_three_units() -> None:
    names = [
        units_on(day).set_index("code").at["02155", "name"]
        for day in ("2019-08-12", "2020-02-01", "2025-07-01")
    ]
    assert names == ["Xã Lương Hạ", "Thị trấn Yến Lạc", "Xã Na Rì"]
    vt = [
        units_on(day).set_index("code").at["01954", "unit_type"]
        for day in ("2020-02-01", "2023-04-10", "2025-07-01")
    ]
    assert vt == ["Xã", "Thị trấn", "Xã"]


def test_whole_province_marks_outside_units() -> None:
    units = units_on("2025-07-01", whole_province=True)
    assert units["from_bac_kan"].sum() == 37
    outside = units[~units["from_bac_kan"]]
    assert len(outside) == 55
    assert outside["province"].eq("Tỉnh Thái Nguyên").all()


def test_version_summary() -> None:
    summary = version_summary().set_index("version")
    assert summary["units"].to_dict() == {"2019": 122, "2020": 108, "2023": 108, "2025": 37}
    assert summary.at["2025", "units_whole_province"] == 92
    assert summary.at["2019", "valid_to"] == "2020-01-31"
    assert summary.at["2023", "thi_tran"] == summary.at["2020", "thi_tran"] + 1
    assert summary["source"].str.len().gt(0).all()


def test_parse_date_and_version_date() -> None:
    assert parse_on("2025") == dt.date(2025, 7, 1)
    assert version_date("2023") == "2023-04-10"
    with pytest.raises(ValidationError, match="not a date"):
        parse_on("yesterday")
    with pytest.raises(ValidationError, match="unknown"):
        version_date("2021")


def test_population_matches_the_census_file() -> None:
    pop = load_population()
    frame = pd.read_csv(datasets.path("population_2019"), dtype=str)
    assert len(pop) == 122
    assert sum(pop.values()) == frame["population"].astype(int).sum()
    assert set(pop) == set(units_of("2019")["code"])
