"""User text must never be evaluated as a Jinja template while a page is written.

branca compiles each rendered script a second time as a Jinja template, so a
commune name holding ``{{ 6*7 }}`` would become ``42`` (and crafted text could
run Python). Every HTML writer gets the same hostile boundary file and status
table here, and no writer may evaluate them.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from bkmap.cli.main import cli
from bkmap.io.boundaries import read_communes
from bkmap.io.status import load_status

PAYLOAD = "ZZ{{ 6*7 }}ZZ{% if true %}YY{% endif %}{# c #}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("hostile")
    communes = read_communes()
    communes.loc[communes["code"] == "01870", "name"] = "Giáo Hiệu " + PAYLOAD
    boundaries = root / "communes.gpkg"
    communes.to_file(boundaries, layer="communes", engine="pyogrio")
    status = load_status()
    status.loc[status["code"] == "01870", "note"] = PAYLOAD
    table = root / "status.csv"
    status.drop(columns=["c8"]).to_csv(table, index=False)
    stations = gpd.GeoDataFrame(
        {"name": [PAYLOAD], "code": ["01870"], "working": ["yes"]},
        geometry=gpd.points_from_xy([105.6], [22.4]),
        crs=4326,
    )
    stations_path = root / "stations.geojson"
    stations.to_file(stations_path, driver="GeoJSON", engine="pyogrio")
    return {
        "root": str(root),
        "boundaries": str(boundaries),
        "status": str(table),
        "stations": str(stations_path),
    }


def _assert_inert(text: str) -> None:
    assert "ZZ42ZZ" not in text
    assert "ZZYY" not in text
    assert "YY{% endif" not in text or "if true" in text


def _html_files(folder) -> list:
    return sorted(p for p in folder.rglob("*.html"))


@pytest.mark.parametrize(
    "args",
    [
        ["map", "--no-tiles", "--out", "{root}/map.html"],
        ["report", "--out", "{root}/report.html"],
        ["gaps", "--stations", "{stations}", "--out", "{root}/gaps"],
        ["plan", "--budget", "5000000000", "--unknown", "need", "--out", "{root}/plan"],
    ],
    ids=["map", "report", "gaps", "plan"],
)
def test_html_writers_do_not_evaluate_user_text(hostile, args):
    argv = [a.format(**hostile) for a in args]
    argv += ["--boundaries", hostile["boundaries"], "--status", hostile["status"]]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    root = pd.io.common.stringify_path(hostile["root"])
    files = [p for p in _html_files(__import__("pathlib").Path(root)) if argv[0] in str(p)]
    assert files, "the command wrote no HTML"
    for path in files:
        text = path.read_text(encoding="utf-8")
        _assert_inert(text)
        assert "6*7" in text  # the text itself is kept, shown as written


# The page's title and subtitle: the assessment date of a user's table and the
# province name of a national layer both reach them (the critical holes of
# issue 12). The payload is quote-free, as an attacker's would be.
TITLE_PAYLOAD = "{{ 6*7 }}ZZ{{ cycler.__init__.__globals__.os.getpid() }}"


@pytest.fixture(scope="module")
def hostile_as_of(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("hostile_as_of")
    status = load_status()
    status["as_of"] = TITLE_PAYLOAD
    table = root / "status.csv"
    status.drop(columns=["c8"]).to_csv(table, index=False)
    return str(table)


@pytest.mark.parametrize("command", ["map", "report", "gaps", "plan"])
def test_an_assessment_date_that_is_not_a_date_is_refused(hostile_as_of, tmp_path, command):
    out = tmp_path / ("out.html" if command in ("map", "report") else "out")
    extra = ["--budget", "5e9"] if command == "plan" else []
    result = CliRunner().invoke(
        cli, [command, "--status", hostile_as_of, "--out", str(out), *extra]
    )
    assert result.exit_code == 1, result.output
    assert "as_of" in result.output
    assert "YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.fixture(scope="module")
def hostile_national(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("hostile_national")
    communes = read_communes()
    layer = gpd.GeoDataFrame(
        {
            "code": communes["code"],
            "name": communes["name"],
            "district": communes["district"],
            "province": "Bắc Kạn " + TITLE_PAYLOAD,
            "province_code": "06",
        },
        geometry=communes.geometry,
        crs=communes.crs,
    )
    path = root / "national.gpkg"
    layer.to_file(path, layer="communes", engine="pyogrio")
    return str(path)


@pytest.mark.parametrize("command", ["map", "report", "gaps"])
def test_a_province_name_from_a_national_layer_is_not_evaluated(
    hostile_national, tmp_path, command
):
    out = tmp_path / ("out.html" if command in ("map", "report") else "out")
    argv = [command, "--national", hostile_national, "--province", "06", "--out", str(out)]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    files = [out] if out.suffix == ".html" else _html_files(out)
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "42ZZ" not in text
        assert f"ZZ{__import__('os').getpid()}" not in text
        assert "cycler" in text  # shown as written
