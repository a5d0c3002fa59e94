"""The console in one language at a time: Vietnamese by default, English with --lang en.

The suite runs in English (tests/conftest.py); these tests set the console back to
its real default, Vietnamese, and check each output against the catalogue itself:
no English sentence of the catalogue in a Vietnamese output, and the reverse.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

# Imported for their labels: each module registers its own in the one catalogue.
import bkmap.analysis.gaps
import bkmap.io.boundaries
import bkmap.io.write
import bkmap.render.gaps
import bkmap.render.plan
import bkmap.render.report
import bkmap.versions.compare  # noqa: F401
from bkmap import jobs, settings
from bkmap._errors import INTERRUPTED, interrupted
from bkmap._messages import MESSAGES
from bkmap.cli.main import cli
from bkmap.i18n import LANGS, catalogue, has, msg
from bkmap.notes import Note

ROOT = Path(__file__).resolve().parents[1]
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


@pytest.fixture
def vi_console(monkeypatch):
    """The console as a user meets it: no language asked for, so Vietnamese."""
    monkeypatch.setattr(settings, "console_lang", "vi")
    monkeypatch.delenv("BKMAP_CONSOLE_LANG", raising=False)


def _fragments(lang: str) -> set[str]:
    """The literal parts (between fields) of every console message in ``lang``, long enough to
    be a sentence of that language and not the other's."""
    other = "vi" if lang == "en" else "en"
    found: set[str] = set()
    for texts in MESSAGES.values():
        for literal, *_ in string.Formatter().parse(texts[lang]):
            part = literal.strip(" .,:;()'-=")
            if len(part) >= 12 and part not in texts[other]:
                found.add(part)
    return found


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in text, text
    return result.exit_code, text


def _assert_language(text: str, lang: str) -> None:
    other = "vi" if lang == "en" else "en"
    leaked = sorted(p for p in _fragments(other) if p in text)
    assert not leaked, (lang, leaked, text)
    if lang == "vi":
        assert VIETNAMESE.search(text), text


# --------------------------------------------------------------------------- the catalogue


def test_every_key_has_both_languages():
    labels = catalogue()
    assert len(labels) > 300
    for key, texts in labels.items():
        for lang in LANGS:
            assert texts.get(lang, "").strip(), (key, lang)


def test_both_languages_of_a_message_take_the_same_fields():
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, texts in catalogue().items():
        assert fields(texts["vi"]) == fields(texts["en"]), key


def test_vietnamese_messages_are_vietnamese():
    # A message copied without translation would pass the tests above; it must differ.
    same = [
        k for k, v in MESSAGES.items() if v["vi"] == v["en"] and VIETNAMESE.search(v["vi"]) is None
    ]
    assert same == ["chk_header"]  # "== {path} ({kind}, {count} {what})": only fields
    assert sum(bool(VIETNAMESE.search(v["vi"])) for v in MESSAGES.values()) > 0.9 * len(MESSAGES)


def test_every_progress_label_is_in_the_catalogue():
    labels = set()
    for path in (ROOT / "bkmap").rglob("*.py"):
        labels |= set(re.findall(r'progress\(.*desc="([^"]+)"', path.read_text(encoding="utf-8")))
    assert labels
    assert all(has(f"progress_{label}") for label in labels), labels


def test_the_console_language_follows_the_setting(monkeypatch):
    note = Note("warning", "a.csv", "row 3", "x")
    monkeypatch.setattr(settings, "console_lang", "vi")
    assert note.full_line() == "cảnh báo: a.csv: row 3: x"
    assert interrupted() == "đã dừng; không tệp kết quả nào bị ghi dở"
    monkeypatch.setattr(settings, "console_lang", "en")
    assert note.full_line() == "warning: a.csv: row 3: x"
    assert interrupted() == INTERRUPTED
    assert msg("cli_wrote", path="a") == "wrote a"


# --------------------------------------------------------------------------- the commands


def test_bad_file_in_both_languages(vi_console, tmp_path):
    code, text = _run("map", "--status", str(tmp_path / "nope.csv"))
    assert code == 1
    assert text.startswith("Lỗi: ")
    assert "nope.csv: không tìm thấy tệp" in text
    _assert_language(text, "vi")
    code, text = _run("map", "--status", str(tmp_path / "nope.csv"), "--lang", "en")
    assert code == 1
    assert text.startswith("Error: ")
    assert "nope.csv: file not found" in text
    _assert_language(text, "en")


def test_schema_error_lists_its_problems_in_the_language(vi_console, tmp_path):
    table = tmp_path / "cols.csv"
    table.write_text("foo,bar\n1,2\n", encoding="utf-8")
    code, text = _run("map", "--status", str(table), "--out", str(tmp_path / "m.html"))
    assert code == 1
    assert "bảng tình trạng không đúng khuôn dạng" in text
    assert "không có cột mã hoặc tên" in text
    _assert_language(text, "vi")
    code, text = _run(
        "--lang", "en", "map", "--status", str(table), "--out", str(tmp_path / "m.html")
    )
    assert "no code or name column" in text
    _assert_language(text, "en")


def test_good_map_summary_in_both_languages(vi_console, tmp_path):
    code, text = _run("map", "--out", str(tmp_path / "vi.html"))
    assert code == 0, text
    assert f"đã ghi {tmp_path / 'vi.html'} (122 xã: 8 đạt, 1 nguồn mâu thuẫn" in text
    _assert_language(text, "vi")
    code, text = _run("map", "--lang", "en", "--out", str(tmp_path / "en.html"))
    assert code == 0, text
    assert f"wrote {tmp_path / 'en.html'} (122 communes: 8 met" in text
    _assert_language(text, "en")


@pytest.fixture
def unmatched_table(tmp_path) -> Path:
    table = tmp_path / "status.csv"
    table.write_text(
        "code,name,8.1,8.2,8.3,8.4\n01870,Xã Giáo Hiệu,đạt,đạt,đạt,đạt\n,Xã Không Có,đạt,,,\n",
        encoding="utf-8",
    )
    return table


def test_notes_of_a_map_in_both_languages(vi_console, tmp_path, unmatched_table):
    code, text = _run("map", "--status", str(unmatched_table), "--out", str(tmp_path / "m.html"))
    assert code == 0, text
    assert "cảnh báo: " in text
    assert "dòng 3: 'Xã Không Có' không khớp với đơn vị nào" in text
    assert "121 trong 122 đơn vị không có dòng" in text
    _assert_language(text, "vi")
    code, text = _run(
        "map", "--lang", "en", "--status", str(unmatched_table), "--out", str(tmp_path / "m.html")
    )
    assert "warning: " in text
    assert "row 3: 'Xã Không Có' matches no unit" in text
    _assert_language(text, "en")


def test_check_in_both_languages(vi_console, unmatched_table):
    code, text = _run("check", str(unmatched_table))
    assert code == 1
    assert "CẢNH BÁO" in text
    assert "(bảng, 2 dòng)" in text
    assert "Đã kiểm tra 1 tệp" in text
    assert "(chỉ có cảnh báo)" in text
    _assert_language(text, "vi")
    # check has no --lang of its own: the group's sets it.
    code, text = _run("--lang", "en", "check", str(unmatched_table))
    assert code == 1
    assert "WARNING" in text
    assert "1 file(s) checked" in text
    _assert_language(text, "en")


def test_usage_errors_in_both_languages(vi_console):
    code, text = _run("map", "--foo")
    assert code == 2
    assert "Cách dùng: cli map [OPTIONS]" in text  # CliRunner names the program after the group
    assert "Lỗi: Không có tuỳ chọn --foo." in text
    _assert_language(text, "vi")
    code, text = _run("map", "--lang", "fr")
    assert code == 2
    assert "Giá trị không hợp lệ cho '--lang': 'fr' không thuộc các giá trị 'vi', 'en'." in text
    code, text = _run("gaps")
    assert "Lỗi: Thiếu tuỳ chọn '--out'." in text
    code, text = _run("map", "--lang", "en", "--foo")
    assert code == 2
    assert "Usage: cli map [OPTIONS]" in text
    assert "Error: No such option '--foo'" in text
    _assert_language(text, "en")


def test_internal_error_line_in_both_languages(vi_console, monkeypatch, tmp_path):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(jobs, "make_map", broken)
    code, text = _run("map", "--out", str(tmp_path / "m.html"))
    assert code == 3
    assert text.startswith("Lỗi: lỗi nội bộ (RuntimeError: boom)")
    code, text = _run("map", "--lang", "en", "--out", str(tmp_path / "m.html"))
    assert text.startswith("Error: internal error (RuntimeError: boom)")


def test_the_console_language_is_restored_after_a_command(vi_console, tmp_path):
    _run("--lang", "en", "map", "--status", str(tmp_path / "nope.csv"))
    assert settings.console_lang == "vi"


def test_bad_status_value_in_both_languages(vi_console, tmp_path):
    table = tmp_path / "values.csv"
    table.write_text("code,8.1,8.2,8.3,8.4\n01870,dat?,đạt,đạt,đạt\n", encoding="utf-8")
    code, text = _run("map", "--status", str(table), "--out", str(tmp_path / "m.html"))
    assert code == 1
    assert "bảng tình trạng có giá trị không hợp lệ" in text
    assert "dòng 2, cột 8.1: 'dat?' không phải một tình trạng" in text
    _assert_language(text, "vi")
    code, text = _run(
        "map", "--lang", "en", "--status", str(table), "--out", str(tmp_path / "m.html")
    )
    assert "row 2, column 8.1: 'dat?' is not a status" in text
    _assert_language(text, "en")


def test_wrong_output_suffix_in_both_languages(vi_console, tmp_path):
    code, text = _run("template", "--out", str(tmp_path / "x.json"))
    assert code == 1
    assert "phải có đuôi .csv hoặc .xlsx" in text
    _assert_language(text, "vi")
    code, text = _run("template", "--lang", "en", "--out", str(tmp_path / "x.json"))
    assert "must end in .csv or .xlsx" in text
    _assert_language(text, "en")
