"""`bkmap check`: the data-quality report, its exit codes and its JSON."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from bkmap import datasets
from bkmap.check import check_paths
from bkmap.cli.main import cli
from bkmap.io.boundaries import read_communes

STATUS = datasets.status_table("2019-08-12")


def _status() -> pd.DataFrame:
    return pd.read_csv(STATUS, dtype=str, keep_default_na=False)


def test_shipped_status_is_clean() -> None:
    report = check_paths([STATUS])
    assert report.exit_code == 0
    assert report.files[0].kind == "table"
    assert report.files[0].items == 122
    assert report.files[0].findings == []


def test_shipped_layer_warns_about_its_gaps_and_overlaps() -> None:
    report = check_paths([datasets.path("communes_2019")])
    f = report.files[0]
    assert report.exit_code == 1
    assert f.kind == "boundaries"
    assert f.items == 122
    assert "declared" in f.crs
    assert [x.where for x in f.findings] == ["coverage"]
    assert "12.742 km²" in f.findings[0].problem
    assert "--clean" in f.findings[0].fix


def test_codes_not_in_force_units_missing_and_unmatched(tmp_path) -> None:
    frame = _status().iloc[:100].copy()
    frame.loc[3, "code"] = "99999"  # not a unit; its name still matches
    frame.loc[5, ["code", "name"]] = ["", "Xã Cao Kỳy"]  # a typo: no unit of that name
    path = tmp_path / "status.csv"
    frame.to_csv(path, index=False)
    report = check_paths([path])
    lines = [x.line() for x in report.files[0].findings]
    text = "\n".join(lines)
    assert report.exit_code == 1, text
    # The words the commands print too: one matcher, one wording.
    assert "row 5: code 99999 is not a unit on this date; tried the name" in text
    assert "row 7: 'Xã Cao Kỳy' matches no unit" in text
    assert "candidates: " in text
    assert "Cao Kỳ" in next(line for line in lines if line.startswith("row 7"))
    assert re.search(r"\b2\d of 122 units have no row: ", text)


def test_codes_are_checked_against_the_date(tmp_path) -> None:
    # the 2019 table read against the 2025 units: codes were reused or retired, so the table's
    # version is told from its codes and names, and the --on to use is named (issue 13).
    report = check_paths([STATUS], on="2025-07-01")
    text = "\n".join(x.line() for x in report.files[0].findings)
    assert report.exit_code == 2, text
    assert "lists the units of 2019" in text
    assert "--on 2019" in text
    result = CliRunner().invoke(cli, ["map", "--status", str(STATUS), "--on", "2025-07-01"])
    assert result.exit_code == 1
    assert "lists the units of 2019" in result.output


def test_duplicate_codes_and_names_in_a_layer(tmp_path) -> None:
    layer = read_communes().iloc[:10].copy()
    layer.loc[1, "code"] = layer.loc[0, "code"]
    layer.loc[3, "name"] = layer.loc[2, "name"]
    path = tmp_path / "layer.gpkg"
    layer.to_file(path, engine="pyogrio")
    report = check_paths([path])
    text = "\n".join(x.line() for x in report.files[0].findings)
    assert report.exit_code == 2
    assert f"code {layer.loc[0, 'code']} appears in features 1, 2" in text
    # without the duplicate code the layer reads: a warning on the names, and an error for
    # feature 4, whose code and name point to different units (as every command says)
    layer.loc[1, "code"] = read_communes().iloc[1]["code"]
    layer.to_file(path, engine="pyogrio")
    report = check_paths([path])
    text = "\n".join(x.line() for x in report.files[0].findings)
    assert report.exit_code == 2, text
    assert "features 3, 4: the name" in text
    assert "code 01843 is Phường Phùng Chí Kiên, but the name" in text
    assert "units have no feature" in text


def test_cli_exit_codes_and_json(tmp_path) -> None:
    runner = CliRunner()
    clean = runner.invoke(cli, ["check", str(STATUS)])
    assert clean.exit_code == 0
    assert "no problems found" in clean.output
    as_json = runner.invoke(
        cli, ["check", str(STATUS), "--format", "json", "--out", str(tmp_path / "r.json")]
    )
    data = json.loads(as_json.output)
    assert data["exit_code"] == 0
    assert data["files"][0]["kind"] == "table"
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8")) == data
    missing = runner.invoke(cli, ["check", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
    assert "nope.csv: file not found" in missing.output
    usage = runner.invoke(cli, ["check"])
    assert usage.exit_code == 2
    assert "Missing argument" in usage.output


def test_points_table_with_coordinates(tmp_path) -> None:
    centres = read_communes().to_crs(3405).geometry.representative_point().to_crs(4326)
    table = pd.DataFrame(
        {
            "ten": ["Trạm A", "Trạm B"],
            "lat": centres.x[:2].to_numpy(),
            "lon": centres.y[:2].to_numpy(),
        }
    )
    path = tmp_path / "stations.csv"
    table.to_csv(path, index=False)
    report = check_paths([path])
    f = report.files[0]
    assert f.kind == "points"
    assert "axes swapped" in f.crs
    assert report.exit_code == 1


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_inputs_are_not_modified(tmp_path, fmt: str) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(STATUS.read_bytes())
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    CliRunner().invoke(cli, ["check", str(path), "--format", fmt])
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
