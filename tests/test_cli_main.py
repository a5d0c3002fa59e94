"""The command line as a whole: Ctrl-C, what reaches the terminal, output names checked first."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from bkmap import datasets, jobs
from bkmap._errors import INTERRUPTED
from bkmap.cli.main import _CleanFormatter, cli
from bkmap.cli.options import clean, clean_json
from bkmap.versions import listing

STATUS = datasets.status_table("2019-08-12")
BKMAP = Path(sys.executable).with_name("bkmap")

# An OSC sequence (sets the terminal's title), a bell, a CSI as one C1 byte, and a DEL.
TERMINAL = "\x1b]0;BKTERM\x07\x9b31m\x7f"
RAW = ("\x1b", "\x07", "\x9b", "\x7f")

# --------------------------------------------------------------------------- Ctrl-C

# The console script, run as pip wrote it, with Ctrl-C pressed while click is imported:
# the very start, before any bkmap code had a chance to catch it.
_AT_START_UP = """
import builtins, os, signal, sys
real = builtins.__import__
def hook(name, *args, **kwargs):
    if name == "click" and not getattr(hook, "fired", False):
        hook.fired = True
        os.kill(os.getpid(), signal.SIGINT)
    return real(name, *args, **kwargs)
builtins.__import__ = hook
from importlib.metadata import entry_points
script = next(e for e in entry_points(group="console_scripts") if e.name == "bkmap")
sys.argv = ["bkmap", "units"]
sys.exit(script.load()())
"""


def test_ctrl_c_while_starting_up_exits_130_without_a_traceback():
    done = subprocess.run(
        [sys.executable, "-c", _AT_START_UP], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == INTERRUPTED


@pytest.fixture(scope="module")
def many_cells(tmp_path_factory) -> Path:
    """An OpenCelliD-format CSV of 400,000 cells over Bắc Kạn: seconds of real work to interrupt.

    The shipped tables plan in about two seconds on a fast machine, too close to the
    interrupt's delay: a late Ctrl-C then reaches an interpreter that is shutting down.
    """
    rng = np.random.default_rng(8)
    n = 400_000
    cells = pd.DataFrame(
        {
            "radio": "LTE",
            "mcc": 452,
            "net": rng.integers(1, 8, n),
            "area": rng.integers(10_000, 20_000, n),
            "cell": np.arange(n),
            "unit": 0,
            "lon": rng.uniform(105.45, 106.25, n).round(5),
            "lat": rng.uniform(21.85, 22.70, n).round(5),
            "range": rng.integers(200, 5_000, n),
            "samples": 10,
            "changeable": 1,
            "created": 1552444627,
            "updated": 1605321854,
            "averageSignal": 0,
        }
    )
    path = tmp_path_factory.mktemp("cells") / "cells.csv"
    cells.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("delay", [0.5, 2.5])
def test_ctrl_c_at_any_time_exits_130_without_a_traceback(tmp_path, many_cells, delay):
    out = tmp_path / "gaps"
    process = subprocess.Popen(
        [str(BKMAP), "gaps", "--cells", str(many_cells), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    assert process.poll() is None, "the command ended before Ctrl-C: give it more work"
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert INTERRUPTED in err
    assert not out.exists() or not any(out.iterdir())  # nothing half-written


# --------------------------------------------------------------------------- the terminal


@pytest.fixture(scope="module")
def hostile_status(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("term") / "status.csv"
    lines = STATUS.read_text(encoding="utf-8").splitlines()
    # An unknown code and a name that matches nothing: the name is quoted in every report.
    lines[6] = lines[6].replace("Xã Dương Quang", "Xã " + TERMINAL).replace("01849", "99999")
    assert TERMINAL in lines[6]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_check_escapes_control_characters_from_data(hostile_status):
    result = CliRunner().invoke(cli, ["check", str(hostile_status)])
    assert "BKTERM" in result.output  # the name is reported ...
    assert not any(c in result.output for c in RAW)  # ... and cannot drive the terminal
    assert "\\x1b]0;BKTERM\\x07\\x9b31m" in result.output


def test_check_json_stays_json_and_escapes_control_characters(hostile_status, tmp_path):
    out = tmp_path / "r.json"
    result = CliRunner().invoke(
        cli, ["check", str(hostile_status), "--format", "json", "--out", str(out)]
    )
    assert not any(c in result.output for c in RAW)
    report = json.loads(result.output)
    assert "BKTERM" in json.dumps(report, ensure_ascii=False)
    assert json.loads(out.read_text(encoding="utf-8")) == report


def test_notes_of_a_command_escape_control_characters(hostile_status, tmp_path):
    result = CliRunner().invoke(
        cli, ["map", "--status", str(hostile_status), "--out", str(tmp_path / "m.html")]
    )
    assert result.exit_code == 0, result.output
    assert "BKTERM" in result.output
    assert not any(c in result.output for c in RAW)


def test_log_lines_escape_control_characters():
    record = logging.LogRecord("bkmap.x", logging.WARNING, "", 0, "%s: bad", (TERMINAL,), None)
    line = _CleanFormatter("%(levelname)s %(message)s").format(record)
    assert line.startswith("WARNING \\x1b]0;BKTERM")
    assert not any(c in line for c in RAW)


def test_clean_and_clean_json_escape_every_control_character():
    text = "".join(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)])
    assert set(clean(text)) <= set("\\x0123456789abcdef\t\n")
    assert json.loads(clean_json(json.dumps(text, ensure_ascii=False))) == text


# --------------------------------------------------------------------------- output names


@pytest.fixture
def no_work(monkeypatch):
    """Fail loudly if a command starts reading data before checking its output names."""

    def work(*_args, **_kwargs):
        raise AssertionError("the command started working before checking its output")

    for module, name in [
        (jobs, "assess"),
        (jobs, "units_on"),
        (jobs, "read_gaps"),
        (listing, "units_on"),
        (listing, "version_summary"),
    ]:
        monkeypatch.setattr(module, name, work)


@pytest.mark.parametrize(
    ("argv", "wrong", "expected"),
    [
        (["map", "--out", "{d}/x.png"], "x.png", ".html or .htm"),
        (["report", "--out", "{d}/x.pdf"], "x.pdf", ".html or .htm"),
        (["report", "--excel", "{d}/x.csv", "--out", "{d}/r.html"], "x.csv", ".xlsx"),
        (["compare", "--out", "{d}/x.png"], "x.png", ".html or .htm"),
        (["compare", "--table", "{d}/x.xlsx", "--out", "{d}/c.html"], "x.xlsx", ".csv"),
        (["print", "--out", "{d}/x.html"], "x.html", ".png or .pdf"),
        (["template", "--out", "{d}/x.txt"], "x.txt", ".csv or .xlsx"),
        (["units", "--on", "2025", "--out", "{d}/x.html"], "x.html", ".csv or .xlsx"),
        (["map", "--report", "{d}/x.xlsx", "--out", "{d}/m.html"], "x.xlsx", ".csv"),
        (["check", str(STATUS), "--out", "{d}/x.html"], "x.html", ".txt or .log"),
        (["check", str(STATUS), "--format", "json", "--out", "{d}/x.txt"], "x.txt", ".json"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_an_output_name_that_does_not_fit_its_format_is_refused_first(
    tmp_path, no_work, argv, wrong, expected
):
    result = CliRunner().invoke(cli, [a.format(d=tmp_path) for a in argv])
    assert result.exit_code in (1, 2), result.output
    assert wrong in result.output
    assert expected in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
