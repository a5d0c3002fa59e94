"""The reconciliation of per-commune records with the published totals."""

from __future__ import annotations

from bkmap.analysis.reconcile import reconcile
from bkmap.io.status import load_status


def test_2019_records_against_the_64():
    table = reconcile(load_status(), districts=False).set_index("metric")
    row = table.loc["c8_met"]
    assert (row["figure"], row["records_met"], row["unattributed"]) == (64, 8, 56)
    assert row["kind"] == "published"
    # Giáo Hiệu's sources conflict: counted apart, neither met nor not met.
    assert (row["records_not_met"], row["records_conflicting"], row["records_unknown"]) == (
        0,
        1,
        101,
    )
    assert bool(row["consistent"])
    assert row["statement"].startswith(
        "the records confirm 8 of the 64 xã published as met; 56 are not attributed"
    )
    assert table.loc["c8_1_met", "records_met"] == 110


def test_2018_records_against_the_43():
    table = reconcile(load_status("2018-07-31"), districts=False).set_index("metric")
    assert table.loc["c8_met", "records_met"] == 7
    assert table.loc["c8_met", "unattributed"] == 36
    assert table.loc["c8_2_met", "figure"] == 93
    assert table.loc["c8_met", "records_conflicting"] == 0


def test_contradiction_is_flagged():
    status = load_status()
    xa = status["c8"].ne("not_applicable")
    status.loc[xa, "c8_3"] = "met"  # 110 met, but only 64 were published
    row = reconcile(status, districts=False).set_index("metric").loc["c8_3_met"]
    assert not bool(row["consistent"])
    assert "CONTRADICTION" in row["statement"]


def test_vietnamese_statement():
    row = reconcile(load_status(), lang="vi", districts=False).set_index("metric").loc["c8_met"]
    assert row["statement"].startswith("hồ sơ xác nhận 8/64 xã")
