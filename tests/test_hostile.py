"""Hostile input through every channel and every writer: nothing from data runs.

One hostile data set is built once: every text field of every input kind
(boundary attributes, status columns, national layer columns, point layer
attributes, CSV headers, file names) holds a payload made of

- a Jinja expression and a Jinja statement (``{{ lipsum.__name__ }}``,
  ``{% if 1 %}BKIF{% endif %}``): evaluated, they would write
  ``generate_lorem_ipsum`` or a ``BKIF`` not preceded by ``%}``;
- an HTML element with a script handler and a ``javascript:`` URL;
- a spreadsheet formula at the start of the cell (``=``, ``+``, ``-`` or ``@``);
- broken mathtext (``$\\frac{BK}{$``), which matplotlib would parse in a printed map;
- terminal control sequences (an OSC title, a bell, a C1 CSI, DEL).

Every command that writes runs once on it; then every file written (HTML,
xlsx, CSV, GeoJSON, JSON, text) and everything printed is checked. The last
tests remove each guard in turn (the page guard, the HTML escape, the cell
guard, the console escape) and show that these checks then fail.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from click.testing import CliRunner, Result

from bkmap import _text, datasets
from bkmap.cli.main import cli
from bkmap.io import write
from bkmap.io.boundaries import read_communes
from bkmap.render import htmlsafe

STATUS = datasets.status_table("2019-08-12")
EXAMPLES = datasets.examples_folder()

TERMINAL = "\x1b]0;BKTERM\x07\x9b31m\x7f"
RAW_CONTROL = ("\x1b", "\x07", "\x9b", "\x7f")


def payload(tag: str, lead: str = "=") -> str:
    """The hostile text of one field; ``BKTAG<tag>BK`` shows where it went.

    The Jinja parts hold no quote, as an attacker's would: quotes are escaped in JSON
    and HTML, which would only make the template fail to compile. Evaluated, they
    write ``generate_lorem_ipsum`` and a ``BKIF`` that no ``%}`` precedes.
    """
    return (
        f'{lead}HYPERLINK("http://bk.invalid","x") BKTAG{tag}BK '
        f"{{{{ lipsum.__name__ }}}} {{% if 1 %}}BKIF{{% endif %}} "
        f"<img src=x onerror=bkxss(1)> javascript:bkjs(1) $\\frac{{BK}}{{$ {TERMINAL}"
    )


#: File names cannot hold "/": a shorter payload, without the HTML part.
FILE_PAYLOAD = "{{ lipsum.__name__ }}{% if 1 %}BKIF{% endif %}BKTAGfileBK" + TERMINAL

# Every channel, by tag. Each must reach at least one output (checked below). Postal
# points' names are hostile too, but no output writes them today (only their places count).
CHANNELS = {
    "bname": "boundary attribute: a commune's name",
    "bdistrict": "boundary attribute: a district's name",
    "sname": "status column: name",
    "snote": "status column: note",
    "ssource": "status column: 8.x source",
    "shead": "status table: a CSV header",
    "nname": "national layer: name",
    "ndistrict": "national layer: district",
    "nprovince": "national layer: province",
    "stname": "point layer: station name",
    "sttype": "point layer: station type",
    "vname": "point layer: village name (CSV)",
    "vhead": "point layer: a CSV header",
    "cradio": "point layer: a cell's radio (dropped row)",
    "gstem": "argument: a --gaps folder's layer file name",
    "file": "argument: the status file's name",
}


# --------------------------------------------------------------------------- the data


@dataclass
class Hostile:
    root: Path
    boundaries: Path
    status: Path
    status_later: Path
    national: Path
    stations: Path
    villages: Path
    postal: Path
    cells: Path
    status_bad: Path
    villages_bad: Path


def _status_frame(*, later: bool = False) -> pd.DataFrame:
    frame = pd.read_csv(STATUS, dtype=str, keep_default_na=False)
    frame["note"] = payload("snote", "@")
    rows = frame.index[frame["c8_1"].eq("met")][:5]
    frame.loc[rows, "c8_1_source"] = payload("ssource", "+")
    frame.loc[frame["code"].eq("01870"), "name"] = payload("sname", "-")
    frame[payload("shead", "=")] = "x"
    if later:  # the later assessment changes a few communes, so the comparison lists them
        changed = frame.index[frame["c8_3"].eq("unknown")][:4]
        frame.loc[changed, "c8_3"] = "met"
        frame.loc[changed, "c8_3_source"] = payload("ssource", "+")
    return frame.drop(columns=["c8"], errors="ignore")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Hostile:
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    data.mkdir()

    communes = read_communes()
    communes.loc[communes["code"].eq("01870"), "name"] = "Xã " + payload("bname", "")
    first_district = communes["district"].iloc[0]
    communes.loc[communes["district"].eq(first_district), "district"] = payload("bdistrict")
    boundaries = data / "communes.gpkg"
    communes.to_file(boundaries, layer="communes", engine="pyogrio")

    status = data / f"status {FILE_PAYLOAD}.csv"
    _status_frame().to_csv(status, index=False)
    later = data / "status_later.csv"
    _status_frame(later=True).to_csv(later, index=False)

    national = data / "national.gpkg"
    gpd.GeoDataFrame(
        {
            "code": communes["code"],
            "name": communes["name"].where(
                communes["code"].ne("01870"), "Xã " + payload("nname", "")
            ),
            "district": payload("ndistrict"),
            "province": "Bắc Kạn " + payload("nprovince", ""),
            "province_code": "06",
        },
        geometry=communes.geometry,
        crs=communes.crs,
    ).to_file(national, layer="communes", engine="pyogrio")

    stations = gpd.read_file(EXAMPLES / "illustrative_stations.geojson")
    stations["name"] = payload("stname")
    stations["type"] = payload("sttype", "+")
    outside = stations.iloc[[0]].copy()
    outside["geometry"] = [shapely.Point(108.2, 16.0)]  # Đà Nẵng: dropped, listed with its name
    stations = pd.concat([stations, outside], ignore_index=True)
    stations_path = data / "stations.geojson"
    stations.to_file(stations_path, driver="GeoJSON", engine="pyogrio")

    villages = gpd.read_file(EXAMPLES / "illustrative_villages.geojson").head(60)
    table = pd.DataFrame(
        {
            "lon": villages.geometry.x,
            "lat": villages.geometry.y,
            "name": payload("vname", "-"),
            "commune_code": villages["commune_code"],
            "population": villages["population"],
            payload("vhead", "@"): "x",
        }
    )
    villages_path = data / "villages.csv"
    table.to_csv(villages_path, index=False)

    postal = gpd.read_file(EXAMPLES / "illustrative_postal.geojson")
    postal["name"] = payload("pname", "@")
    postal_path = data / "postal.gpkg"
    postal.to_file(postal_path, layer="postal", engine="pyogrio")

    cells = pd.read_csv(EXAMPLES / "illustrative_cells_opencellid.csv", dtype=str)
    cells.loc[0, "radio"] = payload("cradio", "=")  # an unknown radio: a dropped row
    cells_path = data / "cells.csv"
    cells.to_csv(cells_path, index=False)
    # Tables refused for their headers: the error quotes the headers it found.
    status_bad = data / "status_bad.csv"
    pd.DataFrame({payload("shead"): ["x"], "8.1": ["met"]}).to_csv(status_bad, index=False)
    villages_bad = data / "villages_bad.csv"
    pd.DataFrame({payload("vhead", "@"): ["x"], "name": ["a"]}).to_csv(villages_bad, index=False)
    return Hostile(
        root,
        boundaries,
        status,
        later,
        national,
        stations_path,
        villages_path,
        postal_path,
        cells_path,
        status_bad,
        villages_bad,
    )


# --------------------------------------------------------------------------- the runs


@dataclass
class Run:
    argv: list[str]
    result: Result


def _invoke(argv: list[str]) -> Run:
    return Run(argv, CliRunner().invoke(cli, argv))


def _commands(h: Hostile, out: Path) -> dict[str, list[str]]:
    data = ["--boundaries", str(h.boundaries), "--status", str(h.status)]
    layers = [
        "--stations",
        str(h.stations),
        "--villages",
        str(h.villages),
        "--postal",
        str(h.postal),
        "--cells",
        str(h.cells),
    ]
    return {
        "map": ["map", *data, "--out", str(out / "map.html"), "--report", str(out / "match.csv")],
        "gaps": ["gaps", *data, *layers, "--out", str(out / "gaps")],
        "report": [
            "report",
            *data,
            "--gaps",
            str(out / "gaps"),
            "--out",
            str(out / "report.html"),
            "--excel",
            str(out / "report.xlsx"),
        ],
        "plan": [
            "plan",
            *data,
            "--budget",
            "5e9",
            "--unknown",
            "need",
            "--compare",
            "3e9,5e9",
            "--villages",
            str(h.villages),
            "--out",
            str(out / "plan"),
        ],
        "compare": [
            "compare",
            "--status",
            str(h.status),
            "--status",
            str(h.status_later),
            "--out",
            str(out / "compare.html"),
            "--table",
            str(out / "compare.csv"),
        ],
        "print": ["print", *data, "--dpi", "60", "--out", str(out / "print.png")],
        "national": [
            "map",
            "--national",
            str(h.national),
            "--province",
            "06",
            "--out",
            str(out / "national.html"),
        ],
        "national_report": [
            "report",
            "--national",
            str(h.national),
            "--province",
            "06",
            "--out",
            str(out / "national_report.html"),
        ],
        "check": [
            "check",
            str(h.boundaries),
            str(h.status),
            str(h.stations),
            str(h.villages),
            "--out",
            str(out / "check.txt"),
        ],
        "check_json": [
            "check",
            str(h.status),
            str(h.national),
            str(h.postal),
            "--format",
            "json",
            "--out",
            str(out / "check.json"),
        ],
        "status_refused": ["map", "--status", str(h.status_bad), "--out", str(out / "x.html")],
        "villages_refused": ["gaps", "--villages", str(h.villages_bad), "--out", str(out / "x")],
    }


def _with_gaps_stem(out: Path) -> None:
    """A --gaps folder also holds a layer whose file name is hostile (an argument's channel)."""
    source = out / "gaps" / "gaps.geojson"
    # Without the control characters: GDAL cannot open a path holding them.
    stem = FILE_PAYLOAD.replace("file", "gstem").replace(TERMINAL, "")
    (out / "gaps" / f"{stem}.geojson").write_bytes(source.read_bytes())


def _run_all(h: Hostile, out: Path, only: tuple[str, ...] | None = None) -> dict[str, Run]:
    out.mkdir(parents=True, exist_ok=True)
    runs: dict[str, Run] = {}
    for name, argv in _commands(h, out).items():
        if only is not None and name not in only:
            continue
        runs[name] = _invoke(argv)
        if name == "gaps" and runs[name].result.exit_code == 0:
            _with_gaps_stem(out)
    return runs


@pytest.fixture(scope="module")
def runs(hostile: Hostile) -> dict[str, Run]:
    return _run_all(hostile, hostile.root / "out")


@pytest.fixture(scope="module")
def outputs(hostile: Hostile, runs: dict[str, Run]) -> list[Path]:
    out = hostile.root / "out"
    return sorted(p for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))


# --------------------------------------------------------------------------- the checks

_EVALUATED_IF = re.compile(r"(?<!%\})BKIF", re.IGNORECASE)
_EVALUATED_EXPR = re.compile(r"generate_lorem_ipsum", re.IGNORECASE)
_JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def text_violations(text: str, *, html: bool = False, console: bool = False) -> list[str]:
    found = [f"evaluated Jinja expression {m!r}" for m in set(_EVALUATED_EXPR.findall(text))]
    if _EVALUATED_IF.search(text):
        found.append("evaluated Jinja statement (BKIF)")
    if html and "<img src=x onerror=bkxss" in text:
        found.append("unescaped HTML from data")
    if html and _JS_URL.search(text):
        found.append("a javascript: URL in a link")
    if console:
        found += [f"raw control character {c!r}" for c in RAW_CONTROL if c in text]
        if "Traceback" in text:
            found.append("a traceback")
        if "internal error" in text:
            found.append("an internal error")
    return found


def _csv_violations(path: Path) -> list[str]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    cells = [*frame.columns, *frame.to_numpy().ravel()]
    return [f"formula-like cell {c[:30]!r}" for c in cells if write.is_formula_like(c)]


def _xlsx_violations(path: Path) -> list[str]:
    found = []
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type in ("f", "e"):
                    found.append(
                        f"{ws.title}!{cell.coordinate} is a formula: {str(cell.value)[:30]!r}"
                    )
    return found


def _gpkg_text(path: Path) -> str:
    """Every text value of every layer of a GeoPackage, one per line."""
    parts = []
    for name, _kind in pyogrio.list_layers(path):
        frame = pyogrio.read_dataframe(path, layer=name, read_geometry=False)
        parts += [str(c) for c in frame.columns]
        parts += [str(v) for v in frame.to_numpy().ravel() if isinstance(v, str)]
    return "\n".join(parts)


def file_violations(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_violations(path)
    if suffix == ".gpkg":
        return text_violations(_gpkg_text(path))
    if suffix == ".png":
        return []
    text = path.read_text(encoding="utf-8-sig")
    found = text_violations(text, html=suffix == ".html")
    if suffix == ".csv":
        found += _csv_violations(path)
    if suffix in (".geojson", ".json"):
        json.loads(text)  # still valid JSON
    return found


def _texts(outputs: list[Path], runs: dict[str, Run]) -> str:
    parts = [r.result.output for r in runs.values()]
    for path in outputs:
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            parts += [
                str(v)
                for ws in book.worksheets
                for row in ws.iter_rows(values_only=True)
                for v in row
            ]
        elif path.suffix == ".gpkg":
            parts.append(_gpkg_text(path))
        elif path.suffix != ".png":
            parts.append(path.read_text(encoding="utf-8-sig"))
    return "\n".join(parts)


# --------------------------------------------------------------------------- the tests


def test_every_command_runs_on_hostile_data(runs):
    """Hostile text is data: commands succeed, or refuse a table whose headers do not fit."""
    codes = {name: run.result.exit_code for name, run in runs.items()}
    expected = {
        name: 1 if name.endswith("_refused") else (codes[name] if name.startswith("check") else 0)
        for name in runs
    }
    assert codes == expected, {
        n: runs[n].result.output[-600:] for n in runs if codes[n] != expected[n]
    }
    assert codes["check"] in (1, 2)
    assert codes["check_json"] in (1, 2)


def test_nothing_printed_drives_the_terminal_or_is_evaluated(runs):
    problems = {
        name: text_violations(run.result.output, console=True) for name, run in runs.items()
    }
    assert {k: v for k, v in problems.items() if v} == {}


def test_every_file_written_is_inert(outputs):
    expected = {
        "map.html",
        "match.csv",
        "gaps.csv",
        "gaps.geojson",
        "gaps.xlsx",
        "gaps.gpkg",
        "gaps_map.html",
        "dropped_rows.csv",
        "report.html",
        "report.xlsx",
        "plan.csv",
        "communes.csv",
        "plan.xlsx",
        "plan.gpkg",
        "plan_map.html",
        "village_sites.csv",
        "villages_uncovered.csv",
        "compare.csv",
        "compare.png",
        "compare.html",
        "national.html",
        "national_report.html",
        "print.png",
        "check.txt",
        "check.json",
    }
    assert expected <= {p.name for p in outputs}
    problems = {str(p.relative_to(p.parents[1])): file_violations(p) for p in outputs}
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("tag", list(CHANNELS))
def test_every_channel_reaches_an_output(outputs, runs, tag):
    """The checks above are only as good as the text they see: each channel must get through."""
    texts = _texts(outputs, runs).lower()
    assert f"bktag{tag}bk" in texts, CHANNELS[tag]


def test_hostile_text_is_kept_as_written(hostile, outputs):
    """Inert, not mangled: the payload reads the same in the GeoJSON and the workbook."""
    geo = json.loads((hostile.root / "out" / "gaps" / "gaps.geojson").read_text(encoding="utf-8"))
    names = {f["properties"]["name"] for f in geo["features"]}
    assert "Xã " + payload("bname", "") in names
    book = openpyxl.load_workbook(hostile.root / "out" / "report.xlsx")
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]
    start = payload("bdistrict").split(TERMINAL)[0]  # control characters are escaped in xlsx
    assert any(c.startswith(start) for c in cells)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("as_of", "{{ lipsum.__name__ }}"),
        ("valid_from", "{{ lipsum.__name__ }}{% if 1 %}BKIF{% endif %}"),
        ("c8_2", payload("value")),
    ],
)
@pytest.mark.parametrize("command", ["map", "compare"])
def test_a_field_that_must_be_a_date_or_a_status_refuses_hostile_text(
    tmp_path, column, value, command
):
    frame = pd.read_csv(STATUS, dtype=str, keep_default_na=False).drop(
        columns=["c8"], errors="ignore"
    )
    frame.loc[3, column] = value
    table = tmp_path / "status.csv"
    frame.to_csv(table, index=False)
    out = tmp_path / "out.html"
    argv = [command, "--status", str(table), "--out", str(out)]
    if command == "compare":
        argv[1:1] = ["--status", str(STATUS)]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 1, result.output
    assert "row 5" in result.output
    assert column.replace("c8_", "8.") in result.output
    assert text_violations(result.output, console=True) == []
    assert not out.exists()


# --------------------------------------------------------------------------- the guards matter


def _violations_of(h: Hostile, out: Path, names: tuple[str, ...]) -> list[str]:
    runs = _run_all(h, out, names)
    found = [v for r in runs.values() for v in text_violations(r.result.output, console=True)]
    for path in out.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            found += file_violations(path)
    return found


@pytest.mark.parametrize(
    ("guard", "module", "name", "replacement", "commands"),
    [
        ("page guard", htmlsafe, "_JINJA_OPEN", re.compile(r"(?!x)x"), ("gaps", "report")),
        ("HTML escape", htmlsafe, "_escape", lambda s: s, ("national",)),
        ("cell guard", write, "is_formula_like", lambda _v: False, ("gaps",)),
        ("console escape", _text, "CONTROL", re.compile(r"(?!x)x"), ("check",)),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_without_a_guard_the_suite_fails(
    hostile, tmp_path, monkeypatch, guard, module, name, replacement, commands
):
    """Mutation check: remove one guard, run the writers it protects, see the checks fail."""
    monkeypatch.setattr(module, name, replacement)
    assert _violations_of(hostile, tmp_path / "out", commands) != [], guard
