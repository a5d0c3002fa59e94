"""Legacy Vietnamese encodings: tables, detection, and the real names of all 122 communes."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from bkmap._errors import InputError
from bkmap.io.encodings import (
    Decoded,
    canonical_encoding,
    decode_bytes,
    decode_values,
    encode_text,
    is_syllable,
    repair_text,
)
from bkmap.io.record import record_of
from bkmap.io.tables import read_table
from bkmap.model.units import units_on

UNITS = units_on("2019")
NAMES = [*UNITS["name"], *UNITS["district"].unique()]

# (encoding, encode options) for every way a file reaches bkmap.
WAYS = [
    ("utf-8", {}),
    ("cp1258", {"decomposed": True}),
    ("cp1258", {}),
    ("tcvn3", {}),
    ("vni", {}),
]


def test_names_are_real_and_nfc() -> None:
    assert len(UNITS) == 122
    assert all(unicodedata.is_normalized("NFC", n) for n in NAMES)


@pytest.mark.parametrize(("encoding", "options"), WAYS)
def test_all_122_communes_come_back_exact(encoding: str, options: dict[str, bool]) -> None:
    raw = [encode_text(name, encoding, **options) for name in NAMES]
    if encoding != "utf-8":
        # the bytes really are legacy: none of them is valid UTF-8 Vietnamese
        assert raw != [name.encode("utf-8") for name in NAMES]
    decoded, found = decode_values(raw, source="names")
    assert found.encoding == encoding
    assert found.confidence > 0.99
    assert decoded == NAMES


def test_cp1258_decomposed_really_uses_combining_marks() -> None:
    raw = encode_text("Bắc Kạn", "cp1258", decomposed=True)
    assert b"\xec" in raw
    assert b"\xf2" in raw
    assert raw.decode("cp1258") != "Bắc Kạn"  # decodes to NFD...
    assert decode_bytes(raw, source="x").text == "Bắc Kạn"  # ...and bkmap returns NFC


def test_known_mojibake_from_the_issue() -> None:
    assert encode_text("Bắc Kạn", "tcvn3").decode("cp1252") == "B¾c K¹n"
    assert encode_text("Bắc Kạn", "vni").decode("cp1252") == "Baéc Kaïn"
    assert repair_text(["B¾c K¹n"], source="x")[0] == ["Bắc Kạn"]
    assert repair_text(["Baéc Kaïn", "Chôï Môùi"], source="x")[0] == ["Bắc Kạn", "Chợ Mới"]


def test_unicode_text_is_kept_and_normalised() -> None:
    nfd = unicodedata.normalize("NFD", "Xã Nà Phặc")
    fixed, found = repair_text([nfd, "Xã Na Rì"], source="x")
    assert fixed == ["Xã Nà Phặc", "Xã Na Rì"]
    assert found.encoding == "utf-8"
    # Latin-1-only Vietnamese stays as it is (a tie goes to the text as given)
    assert repair_text(["Xã Na Rì"], source="x")[0] == ["Xã Na Rì"]


def test_forced_encoding_and_aliases() -> None:
    raw = encode_text("Xã Bằng Vân", "tcvn3")
    found = decode_bytes(raw, source="f.csv", encoding="ABC")
    assert (found.text, found.encoding, found.method, found.confidence) == (
        "Xã Bằng Vân",
        "tcvn3",
        "forced",
        1.0,
    )
    assert "forced" in found.describe()
    assert canonical_encoding("Windows-1258") == "cp1258"
    with pytest.raises(InputError, match=r"f\.csv.*unknown text encoding 'klingon'.*tcvn3"):
        decode_bytes(raw, source="f.csv", encoding="klingon")
    with pytest.raises(InputError, match=r"not valid utf-8.*--encoding"):
        decode_bytes(raw, source="f.csv", encoding="utf-8")


def test_ascii_and_bom() -> None:
    assert decode_bytes(b"Na Ri", source="x").method == "ascii"
    found = decode_bytes("\ufeffXã".encode(), source="x")
    assert (found.text, found.method) == ("Xã", "bom")


def test_short_text_is_less_certain_than_a_column() -> None:
    one = decode_bytes(encode_text("Bắc Kạn", "vni"), source="x")
    many = decode_values([encode_text(n, "vni") for n in NAMES], source="x")[1]
    assert one.encoding == "vni"
    assert one.confidence < many.confidence


def test_is_syllable() -> None:
    for word in ("Kạn", "Nguyễn", "Thượng", "quảng", "giáo", "Khuổi", "ngoèo", "NGHĨA"):
        assert is_syllable(word), word
    for word in ("K¹n", "Kaïn", "Baéc", "Báº¯c", "xyz", "cáà"):
        assert not is_syllable(word), word


def test_describe_names_declared_encoding() -> None:
    raw = b"\n".join(encode_text(n, "tcvn3") for n in NAMES)
    found = decode_bytes(raw, source="x", declared="1252")
    assert isinstance(found, Decoded)
    assert found.declared == "cp1252"
    assert "tcvn3" in found.describe()
    assert "declares cp1252" in found.describe()


@pytest.mark.parametrize(("encoding", "options"), WAYS)
def test_csv_in_each_encoding(tmp_path, encoding: str, options: dict[str, bool]) -> None:
    frame = UNITS[["code", "name", "district"]]
    text = frame.to_csv(index=False)
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(encode_text(text, encoding, **options))
    table = read_table(path)
    assert list(table["name"]) == list(frame["name"])
    assert record_of(table).encoding.encoding == encoding


def test_excel_typed_in_a_vn_font(tmp_path) -> None:
    path = tmp_path / "vntime.xlsx"
    frame = pd.DataFrame(
        {
            "Mã xã": UNITS["code"],
            "Tên xã": [encode_text(n, "tcvn3").decode("cp1252") for n in UNITS["name"]],
        }
    )
    frame.to_excel(path, index=False)
    table = read_table(path)
    assert list(table["Tên xã"]) == list(UNITS["name"])
    assert record_of(table).encoding.encoding == "tcvn3"
