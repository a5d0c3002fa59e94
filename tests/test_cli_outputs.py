"""Output sets through the commands: gaps, plan and report write all their files or none.

The unit tests of :class:`bkmap.io.write.OutputSet` are in tests/test_write.py;
these run the commands, kill them, run them twice and side by side.
"""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bkmap import datasets
from bkmap.cli.main import cli
from bkmap.io import write
from bkmap.io.write import LOCK, MANIFEST
from bkmap.render import gaps as gap_outputs

EXAMPLES = datasets.examples_folder()
STATIONS = str(EXAMPLES / "illustrative_stations.geojson")
CELLS = str(EXAMPLES / "illustrative_cells_opencellid.csv")
BKMAP = Path(sys.executable).with_name("bkmap")


def _visible(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".")
    }


def _gaps(out: Path, *layers: str) -> None:
    result = CliRunner().invoke(cli, ["gaps", *layers, "--out", str(out)])
    assert result.exit_code == 0, result.output


def test_a_second_run_removes_the_files_the_first_wrote_and_it_does_not(tmp_path):
    out = tmp_path / "gaps"
    _gaps(out, "--stations", STATIONS, "--cells", CELLS)
    assert {"conflicts.csv", "dropped_rows.csv"} <= set(_visible(out))
    (out / "notes.txt").write_text("the user's own file")
    result = CliRunner().invoke(cli, ["gaps", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert set(_visible(out)) == {
        "gaps.csv",
        "gaps.geojson",
        "gaps.gpkg",
        "gaps.xlsx",
        "gaps_map.html",
        "notes.txt",
    }
    assert "removed" in result.output
    assert "conflicts.csv (from the previous run)" in result.output


def test_a_failed_run_leaves_the_previous_set_untouched(tmp_path, monkeypatch):
    out = tmp_path / "gaps"
    _gaps(out, "--stations", STATIONS)
    before = _visible(out)

    def broken(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(gap_outputs, "save_map", broken)  # fails after three files
    result = CliRunner().invoke(cli, ["gaps", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "disk is full" in result.output
    assert "internal error" not in result.output
    assert _visible(out) == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [MANIFEST]


def test_a_run_refuses_a_folder_another_run_is_writing(tmp_path):
    out = tmp_path / "plan"
    out.mkdir()
    (out / LOCK).write_text(f"{os.getppid()}\n")
    result = CliRunner().invoke(cli, ["plan", "--budget", "5e9", "--out", str(out)])
    assert result.exit_code == 1
    assert "another bkmap run" in result.output
    assert _visible(out) == {}


def test_report_and_workbook_are_written_together_or_not_at_all(tmp_path, monkeypatch):
    page, book = tmp_path / "r.html", tmp_path / "r.xlsx"

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write, "write_workbook", full)
    from bkmap.render import report

    monkeypatch.setattr(report, "write_workbook", full)
    result = CliRunner().invoke(cli, ["report", "--out", str(page), "--excel", str(book)])
    assert result.exit_code == 1, result.output
    assert "disk is full" in result.output
    assert list(tmp_path.iterdir()) == []  # neither the page nor the workbook


def test_a_full_disk_is_exit_1_naming_the_output(tmp_path, monkeypatch):
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write.os, "replace", full)
    out = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["map", "--out", str(out)])
    assert result.exit_code == 1
    assert str(out) in result.output
    assert "disk is full" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["map", "check"])
def test_a_device_given_as_output_is_refused(tmp_path, command):
    link = tmp_path / ("out.html" if command == "map" else "out.txt")
    link.symlink_to("/dev/null")
    argv = ["map"] if command == "map" else ["check", STATIONS]
    result = CliRunner().invoke(cli, [*argv, "--out", str(link)])
    assert result.exit_code == 1, result.output
    assert "character device" in result.output
    assert link.is_symlink()


@pytest.mark.slow
def test_killing_gaps_at_any_moment_leaves_one_whole_set(tmp_path):
    """The issue's finding: a kill during `gaps` over an earlier run mixed old and new files."""
    out = tmp_path / "gaps"
    env = {**os.environ, "BKMAP_LIMITS": ""}
    first = [str(BKMAP), "gaps", "--stations", STATIONS, "--cells", CELLS, "--out", str(out)]
    subprocess.run(first, check=True, capture_output=True, env=env, timeout=300)
    old = _visible(out)
    second = [str(BKMAP), "gaps", "--out", str(out)]
    new_sets = []
    for delay in (1.0, 2.5, 4.0, 5.5):
        process = subprocess.Popen(second, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        seen = _visible(out)
        if seen != old:
            new_sets.append(seen)  # the kill came after the set was moved in: all of it
            assert "conflicts.csv" not in seen
            assert set(seen) == {
                "gaps.csv",
                "gaps.geojson",
                "gaps.gpkg",
                "gaps.xlsx",
                "gaps_map.html",
            }
        assert not [p for p in out.iterdir() if p.suffix == ".part"]
    done = subprocess.run(second, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert set(_visible(out)) == {
        "gaps.csv",
        "gaps.geojson",
        "gaps.gpkg",
        "gaps.xlsx",
        "gaps_map.html",
    }
    assert not [p for p in out.iterdir() if p.name.startswith(".bkmap-staging-")]
    assert not (out / LOCK).exists()
