"""Writing outputs (bkmap.io.write): what an output may replace, sets of files, spreadsheet cells."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bkmap._errors import InputError, ValidationError
from bkmap.io import write
from bkmap.io.tables import read_table
from bkmap.io.write import (
    LOCK,
    MANIFEST,
    OutputSet,
    atomic_path,
    check_suffix,
    write_csv,
    write_text,
    write_workbook,
)

# --------------------------------------------------------------------------- what may be replaced


def test_a_device_is_refused_not_replaced():
    with pytest.raises(InputError, match="character device"):
        write_text("/dev/null", "x")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_fifo_is_refused_not_replaced(tmp_path):
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="named pipe"):
        write_text(fifo, "x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_socket_is_refused_not_replaced(tmp_path):
    path = tmp_path / "s.html"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(InputError, match="socket"):
            write_text(path, "x")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


def test_a_folder_is_refused_not_replaced(tmp_path):
    folder = tmp_path / "map.html"
    folder.mkdir()
    with pytest.raises(InputError, match="a folder"):
        write_text(folder, "x")
    assert folder.is_dir()


def test_a_symbolic_link_is_written_through(tmp_path):
    real = tmp_path / "real.html"
    real.write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink()  # the link stays a link ...
    assert real.read_text() == "new"  # ... and its target gets the output


def test_a_dangling_link_is_refused(tmp_path):
    link = tmp_path / "link.html"
    link.symlink_to(tmp_path / "nowhere" / "x.html")
    with pytest.raises(InputError, match="does not exist"):
        write_text(link, "x")
    assert link.is_symlink()


def test_a_link_to_a_device_is_refused(tmp_path):
    link = tmp_path / "link.html"
    link.symlink_to("/dev/null")
    with pytest.raises(InputError, match="character device"):
        write_text(link, "x")


def test_an_existing_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "private.html"
    path.write_text("old")
    path.chmod(0o600)
    write_text(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == "new"


def test_a_new_file_gets_the_users_umask(tmp_path):
    code = (
        "import os, stat, sys; os.umask(0o027); from bkmap.io.write import write_text; "
        "p = write_text(sys.argv[1], 'x'); print(oct(stat.S_IMODE(os.stat(p).st_mode)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "new.html")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == oct(0o640)


def test_a_full_disk_is_a_clean_error_naming_the_path(tmp_path, monkeypatch):
    path = tmp_path / "map.html"
    path.write_text("old")

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(InputError, match="disk is full") as caught:
        write_text(path, "new")
    assert str(path) in str(caught.value)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]  # no .part left


def test_a_folder_one_may_not_write_in_is_a_clean_error_naming_the_path(tmp_path, monkeypatch):
    # Simulated: the tests may run as root, who may write anywhere.
    def refused(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(write.tempfile, "mkstemp", refused)
    monkeypatch.setattr(write.tempfile, "mkdtemp", refused)
    with pytest.raises(InputError, match="You may not write there") as caught:
        write_text(tmp_path / "map.html", "x")
    assert str(tmp_path / "map.html") in str(caught.value)
    with pytest.raises(InputError, match="You may not write there"):
        write.OutputSet(tmp_path / "gaps").__enter__()
    assert not (tmp_path / "gaps" / LOCK).exists()


def test_check_suffix_refuses_a_wrong_format():
    with pytest.raises(ValidationError, match=r"must end in \.html or \.htm"):
        check_suffix("x.png", write.HTML_SUFFIXES)
    assert check_suffix("x.HTML", write.HTML_SUFFIXES) == Path("x.HTML")


# --------------------------------------------------------------------------- output sets


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_a_set_is_written_whole_or_not_at_all(tmp_path):
    folder = tmp_path / "out"
    with OutputSet(folder) as outputs:
        write_text(outputs.path("a.csv"), "first a")
        write_text(outputs.path("b.csv"), "first b")
    assert _names(folder) == {"a.csv", "b.csv", MANIFEST}

    def failing_run() -> None:
        with OutputSet(folder) as outputs:
            write_text(outputs.path("a.csv"), "second a")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        failing_run()
    assert (folder / "a.csv").read_text() == "first a"  # nothing of the failed run moved in
    assert _names(folder) == {"a.csv", "b.csv", MANIFEST}  # no staging folder, no lock


def test_files_of_the_previous_run_that_this_run_does_not_write_are_removed(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "mine.txt").write_text("the user's own file")
    with OutputSet(folder) as outputs:
        write_text(outputs.path("gaps.csv"), "g")
        write_text(outputs.path("conflicts.csv"), "c")
    with OutputSet(folder) as outputs:
        write_text(outputs.path("gaps.csv"), "g2")
    assert _names(folder) == {"gaps.csv", "mine.txt", MANIFEST}
    assert outputs.removed == [folder / "conflicts.csv"]
    assert json.loads((folder / MANIFEST).read_text())["files"] == ["gaps.csv"]


def test_a_full_disk_during_a_set_leaves_the_previous_set(tmp_path):
    folder = tmp_path / "out"
    with OutputSet(folder) as outputs:
        write_text(outputs.path("a.csv"), "first")

    def full_disk_run() -> None:
        with OutputSet(folder) as outputs:
            write_text(outputs.path("a.csv"), "second")
            with atomic_path(outputs.path("b.csv")):
                raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(InputError, match="disk is full") as caught:
        full_disk_run()
    assert "b.csv" in str(caught.value)
    assert (folder / "a.csv").read_text() == "first"
    assert _names(folder) == {"a.csv", MANIFEST}


def test_a_writer_failing_inside_a_set_is_a_clean_error(tmp_path):
    folder = tmp_path / "out"

    def full_disk_run() -> None:
        with OutputSet(folder) as outputs:
            path = outputs.path("compare.png")
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

    with pytest.raises(InputError, match="disk is full") as caught:
        full_disk_run()
    assert str(folder / "compare.png") in str(caught.value)
    assert _names(folder) == set()


def test_a_running_writer_holds_the_folder(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / LOCK).write_text(f"{os.getppid()}\n")  # a live process
    with pytest.raises(InputError, match="another bkmap run"), OutputSet(folder):
        pass
    assert (folder / LOCK).exists()  # not ours to remove


def test_a_lock_left_by_a_dead_process_is_taken_over_with_a_note(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    (folder / LOCK).write_text(dead.stdout)
    (folder / ".bkmap-staging-old").mkdir()  # what a killed run left
    (folder / ".bkmap-staging-old" / "gaps.csv").write_text("half")
    with OutputSet(folder) as outputs:
        write_text(outputs.path("gaps.csv"), "g")
    assert [n.where for n in outputs.notes] == ["lock"]
    assert "no longer runs" in outputs.notes[0].problem
    assert _names(folder) == {"gaps.csv", MANIFEST}


def test_a_loose_set_moves_files_in_only_together(tmp_path):
    page, book = tmp_path / "r.html", tmp_path / "sub" / "r.xlsx"

    def run() -> None:
        with OutputSet() as outputs:
            write_text(outputs.path(page), "x")
            outputs.path(book)  # refused before anything is moved

    with pytest.raises(InputError, match="does not exist"):
        run()
    assert not page.exists()
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- spreadsheet cells

HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://bk.invalid","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
    "Xã A\x1b[31m\x07",
]
PLAIN = ["-5", "+84", "-12.5", "Xã Đồng Phúc"]


def _frame() -> pd.DataFrame:
    values = HOSTILE + PLAIN
    return pd.DataFrame({"name": values, "n": range(-1, len(values) - 1), "=h": [""] * len(values)})


def test_csv_cells_that_start_a_formula_are_written_as_text(tmp_path):
    path = write_csv(_frame(), tmp_path / "t.csv")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(raw.columns) == ["name", "n", "'=h"]
    for cell in raw["name"]:
        assert not write.is_formula_like(cell), cell
    assert raw["name"].tolist()[-4:] == PLAIN  # numbers and names stay as they are
    assert raw["n"].iloc[0] == "-1"
    # bkmap reads its own files back as they were (cells are stripped of spaces)
    back = read_table(path)
    assert back["name"].tolist() == [v.strip() for v in _frame()["name"]]
    assert list(back.columns) == ["name", "n", "=h"]


def test_workbook_cells_are_never_formulas(tmp_path):
    path = tmp_path / "t.xlsx"
    write_workbook({"s": _frame()}, path)
    ws = openpyxl.load_workbook(path).active
    kinds = {c.data_type for row in ws.iter_rows() for c in row}
    assert kinds <= {"s", "inlineStr", "n"}, kinds  # text or numbers: no formula, no error
    names = [c.value for c in ws["A"]][1:]
    # shown as written (XML reads a carriage return back as a line feed)
    assert names[: len(HOSTILE) - 1] == [v.replace("\r", "\n") for v in HOSTILE[:-1]]
    assert names[len(HOSTILE) - 1] == "Xã A\\x1b[31m\\x07"  # XML cannot hold them: escaped
    assert all(ws.cell(row=i + 2, column=1).quotePrefix for i in range(len(HOSTILE) - 1))
    assert ws["B2"].value == -1  # a negative number stays a number
    assert ws["C1"].data_type == "s"
    assert ws["C1"].value == "=h"


def test_without_the_cell_guard_the_workbook_holds_formulas(tmp_path, monkeypatch):
    """Mutation check: the guard is what keeps cells text."""
    monkeypatch.setattr(write, "is_formula_like", lambda _v: False)
    path = tmp_path / "t.xlsx"
    write_workbook({"s": _frame()}, path)
    ws = openpyxl.load_workbook(path).active
    assert "f" in {c.data_type for row in ws.iter_rows() for c in row}
    csv = write_csv(_frame(), tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "\n=cmd" in csv.replace("\r\n", "\n")


def test_atomic_path_removes_its_temporary_file_on_failure(tmp_path):
    target = tmp_path / "a.txt"

    def run() -> None:
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        run()
    assert list(tmp_path.iterdir()) == []
