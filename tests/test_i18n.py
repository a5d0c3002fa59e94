"""The console in one language at a time: Vietnamese by default, English with --lang en.

The suite runs in English (tests/conftest.py); these tests set the console back to
its real default, Vietnamese, and check each output against the catalogue itself:
no English sentence of the catalogue in a Vietnamese output, and the reverse.
"""

from __future__ import annotations

import ast
import os
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


# --------------------------------------------------------------------------- no English outside the catalogue

# A literal sentence is English unless it is only technical tokens: options (--on), names with a
# dot or an underscore (gaps.csv, as_of) and the fields an f-string fills in.
_TOKEN = re.compile(r"--[\w-]+|\S*[._/]\S*")
_WORD = re.compile(r"[A-Za-z]{2,}")


def _literal_words(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_WORD.search(_TOKEN.sub(" ", node.value)))
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else " " for v in node.values)
        return bool(_WORD.search(_TOKEN.sub(" ", str(text))))
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) or _literal_words(node.right)
    return False


def _english_sites() -> set[tuple[str, str, str]]:
    """(file, function, exception or call) of every literal sentence a user could be shown:
    raised errors (directly or through ``msg = "..."``), error objects, notes, problem lists and
    their headers, click's parameter errors, and log lines of warning level and above."""
    found: set[tuple[str, str, str]] = set()
    for path in sorted((ROOT / "bkmap").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(ROOT))
        for func, own in _functions(tree):
            assigned: dict[str, list[ast.Assign]] = {}
            for n in own:
                if isinstance(n, ast.Assign):
                    for target in n.targets:
                        if isinstance(target, ast.Name):
                            assigned.setdefault(target.id, []).append(n)
            for n in own:
                kind, texts = _sentences(n, assigned)
                if any(_literal_words(x) for x in texts):
                    found.add((where, func, kind))
    return found


def _functions(tree: ast.Module) -> list[tuple[str, list[ast.AST]]]:
    """Each function's name with the nodes it holds itself (not those of functions inside it)."""
    out: list[tuple[str, list[ast.AST]]] = []

    def visit(name: str, body: list[ast.AST]) -> None:
        own: list[ast.AST] = []
        stack = list(body)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(node.name, list(node.body))
                continue
            own.append(node)
            stack.extend(ast.iter_child_nodes(node))
        out.append((name, own))

    visit("<module>", list(tree.body))
    return out


def _sentences(n: ast.AST, assigned: dict[str, list[ast.Assign]]) -> tuple[str, list[ast.expr]]:
    if isinstance(n, ast.Raise) and isinstance(n.exc, ast.Call) and n.exc.args:
        first = n.exc.args[0]
        if isinstance(first, ast.Name):
            before = [a for a in assigned.get(first.id, []) if a.lineno < n.lineno]
            texts = [max(before, key=lambda a: a.lineno).value] if before else []
        else:
            texts = [first]
        return ast.unparse(n.exc.func).split(".")[-1], texts
    if isinstance(n, ast.Call):
        call = ast.unparse(n.func)
        kind = call.split(".")[-1]
        if kind == "Note":
            return kind, [*n.args[2:], *(k.value for k in n.keywords if k.arg != "severity")]
        if call.endswith("problems.append") or kind in ("BadParameter", "UsageError"):
            return kind, [*n.args, *(k.value for k in n.keywords)]
        if kind == "ReadRecord":  # the source a message names
            return kind, list(n.args[:1])
        if kind == "collect":
            return kind, [k.value for k in n.keywords if k.arg == "header"]
        if call in ("log.warning", "log.error", "log.critical"):  # shown at the default verbosity
            return kind, list(n.args[:1])
        if kind.endswith("Error"):
            return kind, list(n.args[:1])
    if isinstance(n, ast.Assign | ast.AugAssign) and isinstance(n.value, ast.ListComp):
        names = [n.target] if isinstance(n, ast.AugAssign) else n.targets
        if any(isinstance(x, ast.Name) and x.id == "problems" for x in names):
            return "problems", [n.value.elt]
    return "", []


# Errors only a programmer can meet: a wrong argument of the Python API, a broken build of the
# shipped data, or a guard against code that bypasses the escaping. Their words stay English.
PROGRAMMING_ERRORS: dict[tuple[str, str, str], str] = {
    ("bkmap/__init__.py", "__getattr__", "AttributeError"): "Python's module attribute protocol",
    ("bkmap/analysis/gaps.py", "_population", "ValidationError"): "find_gaps(population=) "
    "of a wrong type; the CLI passes none",
    ("bkmap/analysis/gaps.py", "standing_on", "ValidationError"): "the on= argument; the "
    "commands pass a date already parsed from --as-of",
    ("bkmap/analysis/kernels.py", "_split_coverage", "ValidationError"): "point coverage "
    "always carries radius_m from read_points",
    ("bkmap/analysis/kernels.py", "metric_geometry", "ValidationError"): "every reader sets "
    "a CRS before the analysis",
    ("bkmap/analysis/kernels.py", "require_key", "ValidationError"): "the key= argument of "
    "the kernels",
    ("bkmap/analysis/reconcile.py", "reconcile", "ValidationError"): "a frame without "
    "unit_type passed to the Python API",
    ("bkmap/i18n.py", "register", "ValueError"): "a module registering a malformed label",
    ("bkmap/io/boundaries.py", "communes_for", "ValidationError"): "the commands ask only "
    "for the derived 2020 and 2023 layers",
    ("bkmap/io/boundaries.py", "to_metric", "ValidationError"): "every reader sets a CRS",
    ("bkmap/io/encodings.py", "_encode_cp1258", "ValueError"): "encoding text into a legacy "
    "encoding (fixtures), on no command's path",
    ("bkmap/io/encodings.py", "encode_text", "ValueError"): "as above",
    ("bkmap/io/points.py", "_check_kind", "ValidationError"): "kind= comes from the "
    "commands' fixed options",
    ("bkmap/io/points.py", "read_point_layers", "ValidationError"): "layer kinds come from "
    "the commands' fixed options",
    ("bkmap/io/points.py", "_default_radii", "ValidationError"): "radii= are checked by "
    "bkmap gaps --radius first (cli_bad_radius)",
    ("bkmap/io/write.py", "path", "RuntimeError"): "OutputSet.path() outside its with block",
    ("bkmap/io/write.py", "path", "ValueError"): "a folder set given a path, not a file name",
    ("bkmap/model/names.py", "strip_prefix", "ValueError"): "the level= argument",
    ("bkmap/render/assets.py", "inline_assets", "ValueError"): "a developer adding a plugin "
    "whose assets are not vendored",
    ("bkmap/render/gaps.py", "write_gap_outputs", "ValueError"): "a GapResult not made by "
    "find_gaps",
    ("bkmap/render/htmlsafe.py", "__init__", "TypeError"): "code passing a non-text value "
    "to the page guard",
    ("bkmap/render/htmlsafe.py", "_check_layers", "UnguardedTextError"): "code adding "
    "unescaped text to a page",
    ("bkmap/render/htmlsafe.py", "render_sections", "TypeError"): "as above",
    ("bkmap/render/htmlsafe.py", "render_sections", "UnguardedTextError"): "as above",
    ("bkmap/render/maps.py", "criterion_map", "TypeError"): "a wrong argument type",
    ("bkmap/render/maps.py", "render", "TypeError"): "a wrong argument type",
    ("bkmap/versions/carry.py", "carry", "ValidationError"): "the not_applicable= argument",
    ("bkmap/versions/layers.py", "_steps", "ValidationError"): "tools/build_2020.py: the "
    "shipped mapping table is inconsistent",
    ("bkmap/versions/layers.py", "_derive_2020", "ValidationError"): "as above",
    ("bkmap/versions/layers.py", "split_polygon", "ValidationError"): "as above",
}


def test_no_english_sentence_outside_the_catalogue():
    sites = _english_sites()
    left = sorted(sites - PROGRAMMING_ERRORS.keys())
    assert not left, f"user-facing English outside bkmap/_messages.py: {left}"
    stale = sorted(PROGRAMMING_ERRORS.keys() - sites)
    assert not stale, f"allowed sites that no longer exist: {stale}"


def test_the_scan_finds_a_sentence(tmp_path):
    # The scan must be able to fail: the shapes it reads, written out.
    source = (
        "def f(x):\n"
        "    msg = f'{x}: the file is empty. Fill it in.'\n"
        "    raise InputError(msg)\n"
        "def g(problems):\n"
        "    problems.append('no code column')\n"
        "def h(notes):\n"
        "    notes.append(Note('warning', 'a.csv', 'as_of', 'rows give two dates'))\n"
        "def ok():\n"
        "    raise InputError(_msg('err_empty_table', path='--status gaps.csv'))\n"
    )
    tree = ast.parse(source)
    hits = set()
    for name, own in _functions(tree):
        assigned = {
            t.id: [n]
            for n in own
            if isinstance(n, ast.Assign)
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        for n in own:
            kind, texts = _sentences(n, assigned)
            if any(_literal_words(x) for x in texts):
                hits.add((name, kind))
    assert hits == {("f", "InputError"), ("g", "append"), ("h", "Note")}


# --------------------------------------------------------------------------- errors moved into it


def test_cost_table_problems_in_both_languages(vi_console, tmp_path):
    costs = tmp_path / "costs.csv"
    costs.write_text("code,cost_vnd\n01870,-5\n99999,10\n01870,3\n", encoding="utf-8")
    args = ["plan", "--budget", "5tỷ", "--costs", str(costs), "--out", str(tmp_path / "p")]
    code, text = _run(*args)
    assert code == 1
    assert "bảng chi phí có vấn đề" in text
    assert "dòng 2: cost_vnd '-5' là số âm" in text
    assert "dòng 4: mã 01870 được ghi hai lần (lần đầu ở dòng 2)" in text
    _assert_language(text, "vi")
    code, text = _run("--lang", "en", *args)
    assert code == 1
    assert "row 3: code '99999' is not a unit being planned" in text
    _assert_language(text, "en")


def test_options_that_do_not_apply_in_both_languages(vi_console, tmp_path):
    args = ["map", "--province", "Bắc Kạn", "--on", "2019", "--out", str(tmp_path / "m.html")]
    code, text = _run(*args)
    assert code == 1
    assert "các tuỳ chọn sau không áp dụng được:" in text
    assert "--on chọn phiên bản các đơn vị hành chính" in text
    _assert_language(text, "vi")
    code, text = _run(*args, "--lang", "en")
    assert "these options do not apply:" in text
    _assert_language(text, "en")


def test_output_that_is_not_a_file_in_both_languages(vi_console, tmp_path):
    fifo = tmp_path / "map.html"
    os.mkfifo(fifo)
    code, text = _run("map", "--out", str(fifo))
    assert code == 1
    assert "là một ống dẫn có tên (FIFO), không phải tệp thông thường" in text
    _assert_language(text, "vi")
    code, text = _run("map", "--lang", "en", "--out", str(fifo))
    assert "is a named pipe (FIFO), not a regular file" in text
    _assert_language(text, "en")


def test_click_value_checks_in_both_languages(vi_console, tmp_path):
    code, text = _run("print", "--out", str(tmp_path / "m.png"), "--dpi", "10")
    assert code == 2
    assert "Giá trị không hợp lệ cho '--dpi': 10 nằm ngoài khoảng 50<=x<=1200." in text
    code, text = _run("gaps", "--radius", "LTE=-1", "--out", str(tmp_path / "g"))
    assert code == 2
    assert "'LTE=-1': hãy viết TECH=METRES" in text
    _assert_language(text, "vi")
    code, text = _run("--limit", "rows=0", "--lang", "en", "map")
    assert code == 2
    assert "'rows=0': write NAME=VALUE with a positive number" in text
    _assert_language(text, "en")


def test_the_shipped_status_source_follows_the_language(vi_console):
    from bkmap.io.record import record_of
    from bkmap.io.status import load_status

    assert record_of(load_status()).source.startswith("bảng tình trạng đi kèm status_")
    settings.console_lang = "en"
    assert record_of(load_status()).source.startswith("shipped status table status_")


# --------------------------------------------------------------------------- --help


def test_every_help_text_is_in_the_catalogue():
    from bkmap._help_texts import HELP
    from bkmap.cli.main import help_texts

    english = {texts["en"] for texts in HELP.values()}
    texts = list(help_texts(cli))
    assert len(texts) > 100
    missing = [where for where, text in texts if text not in english]
    assert not missing, missing
    unused = english - {text for _, text in texts}
    assert not unused, unused
    for key, entry in HELP.items():
        assert VIETNAMESE.search(entry["vi"]), key
        # click's layout markers: an example block keeps its \b, so it is not rewrapped.
        assert ("\b" in entry["vi"]) == ("\b" in entry["en"]), key


def test_help_in_both_languages(vi_console):
    code, text = _run("--help")
    assert code == 0
    assert text.startswith("Cách dùng: cli [OPTIONS] COMMAND [ARGS]...")
    assert "Tuỳ chọn:" in text
    assert "Lệnh:" in text
    assert "Hiện hướng dẫn này rồi thoát." in text
    assert "Kiểm tra các tệp ranh giới" in text  # a command's short help, from its own text
    assert "bkmap map --lang en --out map_en.html  cùng bản đồ đó bằng tiếng Anh" in text
    assert "Options:" not in text
    assert "Show this message" not in text
    code, text = _run()  # `bkmap` alone: the help, not an error line around it
    assert text.startswith("Cách dùng: cli [OPTIONS] COMMAND [ARGS]...")
    assert "Lỗi" not in text
    assert "Lệnh:" in text
    code, text = _run("plan", "-h")
    assert code == 0
    assert "Lập kế hoạch xây đài truyền thanh xã mới" in text
    assert "Tổng ngân sách: 5000000000, 5e9, 5bn hoặc '5 tỷ'." in " ".join(text.split())
    assert "    bkmap plan --budget 5000000000 --out plan_5bn\n" in text  # \b kept the block
    assert "Total budget" not in text
    code, text = _run("--lang", "en", "plan", "-h")
    assert text.startswith("Usage: cli plan [OPTIONS]")
    assert "Total budget: 5000000000, 5e9, 5bn or '5 tỷ'." in " ".join(text.split())
    assert "Options:" in text
    assert "Tổng ngân sách" not in text
    code, text = _run("plan", "--lang", "en", "-h")
    assert "Total budget" in text


def test_help_texts_are_put_back_after_a_command(vi_console):
    from bkmap.cli.main import help_texts

    before = list(help_texts(cli))
    _run("units", "-h")
    _run("--help")
    assert list(help_texts(cli)) == before
    assert before[0][1].startswith("Map the communes of Bắc Kạn")
    # Outside a command line (a program listing the help), nothing is swapped either.
    assert dict(before)["plan help"].startswith("Plan new commune radio stations")
