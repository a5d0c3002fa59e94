"""Reading tables (bkmap.io.tables): bounded reads, NUL characters, bkmap's own CSV read back."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from bkmap import datasets, settings
from bkmap._errors import InputError, ValidationError
from bkmap.cli.main import cli
from bkmap.io import tables
from bkmap.io.boundaries import read_communes
from bkmap.io.status import read_status
from bkmap.io.tables import read_table
from bkmap.io.vector import read_vector
from bkmap.io.write import write_workbook

STATUS = datasets.status_table("2019-08-12")


@pytest.fixture(scope="module")
def status_xlsx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "status.xlsx"
    write_workbook({"status": pd.read_csv(STATUS, dtype=str, keep_default_na=False)}, path)
    return path


def _bomb(source: Path, target: Path, *, megabytes: int) -> Path:
    """An .xlsx whose shared strings hold one cell of ``megabytes`` MB, compressed ~1000 times."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                huge = b"A" * (megabytes * 1_000_000)
                data = data.replace(b"<t>", b"<t>" + huge, 1)
            out.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return target


def test_an_xlsx_zip_bomb_is_refused_before_it_is_parsed(status_xlsx, tmp_path, monkeypatch):
    bomb = _bomb(status_xlsx, tmp_path / "bomb.xlsx", megabytes=50)
    assert bomb.stat().st_size < 1_000_000

    def never(*_args, **_kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(tables.pd, "read_excel", never)
    with pytest.raises(InputError, match="zip bomb") as caught:
        read_table(bomb)
    assert "max_xlsx_compression_ratio" in str(caught.value)
    assert "--limit xlsx-ratio=" in str(caught.value)


def test_an_xlsx_larger_than_the_limit_is_refused_and_the_limit_can_be_raised(
    status_xlsx, monkeypatch
):
    monkeypatch.setattr(settings, "max_xlsx_uncompressed_bytes", 10_000)
    with pytest.raises(InputError, match="max_xlsx_uncompressed_bytes") as caught:
        read_table(status_xlsx)
    assert "--limit xlsx-bytes=" in str(caught.value)
    monkeypatch.setattr(settings, "max_xlsx_uncompressed_bytes", 10_000_000)
    assert len(read_table(status_xlsx)) == 122


@pytest.mark.parametrize("table", ["csv", "xlsx"])
def test_a_table_longer_than_the_row_limit_is_refused(table, status_xlsx, monkeypatch):
    monkeypatch.setattr(settings, "max_table_rows", 100)
    path = STATUS if table == "csv" else status_xlsx
    with pytest.raises(InputError, match=r"more than 100 rows \(settings.max_table_rows\)") as e:
        read_table(path)
    assert "--limit rows=N" in str(e.value)
    assert "BKMAP_LIMITS=rows=N" in str(e.value)
    monkeypatch.setattr(settings, "max_table_rows", 122)
    assert len(read_table(path)) == 122


def test_a_field_longer_than_the_limit_is_refused(tmp_path):
    frame = pd.read_csv(STATUS, dtype=str, keep_default_na=False)
    frame.loc[4, "note"] = "x" * 20_000
    path = tmp_path / "long.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(InputError, match="row 6, column 'note' holds 20,000 characters") as e:
        read_table(path)
    assert "settings.max_field_chars" in str(e.value)
    assert "--limit field-chars=20000" in str(e.value)


def _runner_map(tmp_path: Path, *argv: str, env: dict[str, str] | None = None):
    out = tmp_path / "m.html"
    result = CliRunner().invoke(cli, [*argv, "--out", str(out)], env=env)
    return result, out


def test_the_limit_option_and_variable_change_the_limit_for_one_command(tmp_path):
    table = tmp_path / "status.csv"
    table.write_bytes(STATUS.read_bytes())
    result, out = _runner_map(tmp_path, "--limit", "rows=100", "map", "--status", str(table))
    assert result.exit_code == 1, result.output
    assert "more than 100 rows" in result.output
    assert not out.exists()
    assert settings.max_table_rows == 2_000_000  # back as it was
    result, _ = _runner_map(
        tmp_path, "map", "--status", str(table), env={"BKMAP_LIMITS": "rows=100,field-chars=50"}
    )
    assert result.exit_code == 1
    assert "more than 100 rows" in result.output
    result, out = _runner_map(tmp_path, "--limit", "rows=122", "map", "--status", str(table))
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_a_bad_limit_is_a_usage_error():
    result = CliRunner().invoke(cli, ["--limit", "speed=9", "units"])
    assert result.exit_code == 2
    assert "xlsx-bytes, xlsx-ratio, rows, field-chars" in result.output


# --------------------------------------------------------------------------- NUL characters


def test_a_nul_in_a_table_names_its_row_and_column(tmp_path):
    text = STATUS.read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace("Phường Đức Xuân", "Phường Đức\x00Xuân")
    path = tmp_path / "nul.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"row 4, column 'name': holds a NUL character"):
        read_status(path)
    result = CliRunner().invoke(
        cli, ["map", "--status", str(path), "--out", str(tmp_path / "m.html")]
    )
    assert result.exit_code == 1
    assert "NUL" in result.output
    assert "\x00" not in result.output


def test_a_nul_in_a_geojson_is_an_error_not_a_shorter_name(tmp_path):
    communes = read_communes().head(3)
    path = tmp_path / "c.geojson"
    data = json.loads(communes.to_json())
    data["features"][1]["properties"]["name"] = "Xã A\x00B"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"c.geojson: line 1: a text holds a NUL character"):
        read_vector(path)


def test_a_nul_in_a_geopackage_names_the_feature(tmp_path):
    path = tmp_path / "c.gpkg"
    # No spatial index: its triggers need SpatiaLite's functions to run an UPDATE.
    read_communes().head(3).to_file(
        path, layer="communes", engine="pyogrio", layer_options={"SPATIAL_INDEX": "NO"}
    )
    with sqlite3.connect(path) as db:
        db.execute("UPDATE communes SET name = CAST(name || x'00' || 'B' AS TEXT) WHERE fid = 2")
    with pytest.raises(ValidationError, match=r"layer communes, feature 2, field name"):
        read_vector(path)
