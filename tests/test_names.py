"""Name keys on the real unit names, and the legacy-encoded forms officials send."""

from __future__ import annotations

import pandas as pd
import pytest

from bkmap.io.encodings import decode_bytes, encode_text
from bkmap.join import match_rows
from bkmap.model.names import name_key
from bkmap.model.units import units_on

UNITS = units_on("2019")[["code", "name", "district"]].reset_index(drop=True)


def test_keys_tell_the_122_units_apart_within_districts() -> None:
    keys = (
        UNITS["district"].map(lambda d: name_key(d, level="district"))
        + "|"
        + UNITS["name"].map(name_key)
    )
    assert keys.is_unique


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
def test_legacy_names_match_after_decoding(encoding: str) -> None:
    raw = "\n".join(UNITS["name"]).encode("utf-8")
    legacy = encode_text(raw.decode("utf-8"), encoding)
    names = decode_bytes(legacy, source="t").text.split("\n")
    table = pd.DataFrame({"code": "", "name": names, "district": UNITS["district"]})
    table.index = pd.RangeIndex(2, len(table) + 2)
    result = match_rows(table, UNITS)
    assert result.summary() == "122 name"


def test_bare_name_that_folds_to_a_prefix() -> None:
    table = pd.DataFrame({"code": [""], "name": ["Phuong Linh"], "district": [""]}, index=[2])
    assert match_rows(table, UNITS).report.iloc[0]["matched_name"] == "Xã Phương Linh"
