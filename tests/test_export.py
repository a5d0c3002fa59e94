"""``bkmap export`` and the GeoPackage / shapefile writers: what is read back is what was computed."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import fiona
import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from click.testing import CliRunner

from bkmap import datasets, export
from bkmap.analysis.gaps import find_gaps
from bkmap.cli import cmd_export
from bkmap.cli.main import cli
from bkmap.io import write
from bkmap.io.points import read_point_layers
from bkmap.jobs import EXPORT_FORMATS
from bkmap.model import illustrative
from bkmap.pipeline import assess
from bkmap.planning import model as planning

STATIONS = str(datasets.example("illustrative_stations.geojson"))
VILLAGES = str(datasets.example("illustrative_villages.geojson"))
BUDGET = 5_000_000_000


def _cell(value: object) -> object:
    """One value as a GIS file gives it back: missing as None, numbers as float, lists joined."""
    if isinstance(value, list | tuple | set):
        return ";".join(str(v) for v in value)
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return str(value)


def _close(got: list[object], want: list[object]) -> bool:
    """Equal, floats to 14 significant digits (dBASE writes numbers as text of 15 digits)."""
    if len(got) != len(want):
        return False
    return all(
        math.isclose(g, w, rel_tol=1e-14, abs_tol=1e-300)
        if isinstance(g, float) and isinstance(w, float)
        else g == w
        for g, w in zip(got, want, strict=True)
    )


def _assert_same(
    read: pd.DataFrame, memory: pd.DataFrame, *, layer: str, exact: bool = True
) -> None:
    """Every value of every column equal (floats to the last bit unless not ``exact``), the
    geometry equal and valid."""
    memory = memory.reset_index(drop=True)
    geometry = memory.geometry.name if isinstance(memory, gpd.GeoDataFrame) else None
    columns = [c for c in memory.columns if c != geometry]
    assert [c for c in read.columns if c != "geometry"] == columns, layer
    assert len(read) == len(memory), layer
    for column in columns:
        got = [_cell(v) for v in read[column]]
        want = [_cell(v) for v in memory[column]]
        # An empty text and a missing one are the same cell in every GIS reader.
        got = [None if v == "" else v for v in got]
        want = [None if v == "" else v for v in want]
        assert got == want if exact else _close(got, want), f"{layer}.{column}"
    if geometry is not None:
        assert read.crs is not None, layer
        assert read.crs.to_epsg() == 4326, layer
        assert memory.crs is not None, layer
        assert memory.crs.to_epsg() == 4326, layer
        assert read.geometry.is_valid.all(), layer
        same = shapely.equals(read.geometry.to_numpy(), memory.geometry.to_numpy())
        assert same.all(), f"{layer}: {int((~same).sum())} geometries differ"


@pytest.fixture(scope="module")
def computed() -> dict[str, pd.DataFrame]:
    """The layers, computed in memory the way ``bkmap export`` computes them."""
    assessment = assess()
    layers = read_point_layers({"stations": STATIONS}, extent=assessment.joined)
    result = find_gaps(assessment, layers, lang="vi")
    plan = planning.plan_communes(
        assessment, budget=BUDGET, stations=None, policy=planning.Policy(unknown="need")
    )
    frames = export.commune_layers(assessment, illustrative_data=True)
    frames.update(export.gap_layers(result))
    frames.update(export.plan_layers(assessment, plan, illustrative_data=True))
    return frames


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("export") / "bac_kan.gpkg"
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "--out",
            str(out),
            "--stations",
            STATIONS,
            "--budget",
            "5e9",
            "--unknown",
            "need",
        ],
    )
    return out, result.output


def test_the_cli_formats_are_the_library_formats() -> None:
    assert cmd_export.FORMATS == EXPORT_FORMATS


def test_every_layer_reads_back_as_computed(exported, computed) -> None:
    out, output = exported
    assert out.is_file(), output
    listed = [name for name, _kind in pyogrio.list_layers(out)]
    assert sorted(listed) == sorted(computed)
    assert sorted(fiona.listlayers(out)) == sorted(listed)
    for name, frame in computed.items():
        read = pyogrio.read_dataframe(out, layer=name)
        _assert_same(read, frame, layer=name)


def test_the_layers_hold_what_the_issue_asks(exported, computed) -> None:
    out, output = exported
    communes = gpd.read_file(out, layer="communes")
    assert len(communes) == 122
    for ind in ("c8_1", "c8_2", "c8_3", "c8_4"):
        assert {ind, f"{ind}_source", f"{ind}_confidence"} <= set(communes.columns)
    assert set(communes["c8"]) <= {"met", "not_met", "unknown", "conflicting", "not_applicable"}
    sources = pyogrio.read_dataframe(out, layer="sources")
    used = {s for cell in communes["c8_3_source"].dropna() for s in cell.split(";") if s}
    assert used
    assert used <= set(sources["source_id"])
    # The plan layer is the plan: the communes chosen, in order, with their costs.
    plan = gpd.read_file(out, layer="plan")
    assert len(plan) > 0
    assert plan["rank"].tolist() == list(range(1, len(plan) + 1))
    assert plan["cumulative_cost_vnd"].max() <= BUDGET
    kinds = dict(pyogrio.list_layers(out))
    assert kinds["communes"] == "MultiPolygon"
    assert kinds["stations"] == "Point"
    assert kinds["sources"] is None  # a table, not a spatial layer
    # Built in 2020, after the 2019-08-12 assessment: apart, not counted.
    later = gpd.read_file(out, layer="stations_later")
    assert set(later["year"]) == {2020}
    assert "stations_later" not in output or "2019-08-12" in output
    # Made from an illustrative layer: every feature of every layer says so.
    for name in computed:
        frame = pyogrio.read_dataframe(out, layer=name, read_geometry=False)
        assert frame[illustrative.COLUMN].eq(True).all(), name
    assert illustrative.banner("vi") in output


def test_real_data_alone_is_not_marked(tmp_path) -> None:
    out = tmp_path / "real.gpkg"
    result = CliRunner().invoke(cli, ["export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [n for n, _ in pyogrio.list_layers(out)] == ["communes", "sources"]
    communes = pyogrio.read_dataframe(out, layer="communes", read_geometry=False)
    assert illustrative.COLUMN not in communes.columns
    assert illustrative.banner("vi") not in result.output
    assert not [p for p in tmp_path.iterdir() if p.name != "real.gpkg"]


def test_shapefiles_in_a_zip_read_back_through_the_field_map(tmp_path, computed) -> None:
    out = tmp_path / "bac_kan.zip"
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "--format",
            "shp",
            "--out",
            str(out),
            "--stations",
            STATIONS,
            "--budget",
            "5e9",
            "--unknown",
            "need",
        ],
    )
    assert result.exit_code == 0, result.output
    archive = zipfile.ZipFile(out)
    names = set(archive.namelist())
    fields = pd.read_csv(archive.open("fields.csv"), dtype=str, encoding="utf-8-sig")
    in_shp = fields["file"].str.endswith(".shp")
    assert fields.loc[in_shp, "shp_field"].str.len().le(write.SHAPEFILE_FIELD_CHARS).all()
    assert fields.loc[in_shp, "field"].str.len().gt(write.SHAPEFILE_FIELD_CHARS).any()
    assert fields.loc[~in_shp, "shp_field"].eq(fields.loc[~in_shp, "field"]).all()
    cut_columns: set[tuple[str, str]] = set()
    for name, frame in computed.items():
        mapping = fields.loc[fields["layer"].eq(name)]
        assert mapping["field"].tolist() == [c for c in frame.columns if c != "geometry"]
        file = mapping["file"].iloc[0]
        assert file in names
        if file.endswith(".csv"):
            read = pd.read_csv(archive.open(file), dtype=str, encoding="utf-8-sig")
            assert read.columns.tolist() == mapping["field"].tolist()
            assert len(read) == len(frame)
            continue
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            assert file.replace(".shp", ext) in names
        read = pyogrio.read_dataframe(f"/vsizip/{out}/{file}")
        assert [c for c in read.columns if c != "geometry"] == mapping["shp_field"].tolist()
        read = read.rename(columns=dict(zip(mapping["shp_field"], mapping["field"], strict=True)))
        # dBASE text holds 254 bytes: the longer values are cut there, and a note says so.
        memory = frame.copy()
        for column in memory.columns:
            if memory[column].dtype == object or pd.api.types.is_string_dtype(memory[column]):
                long = memory[column].map(lambda v: isinstance(v, str) and len(v.encode()) > 254)
                if long.any():
                    cut_columns.add((name, column))
                    memory = memory.drop(columns=column)
                    read = read.drop(columns=column)
        if len(frame) == 0:
            continue
        _assert_same(read, _shp_types(memory), layer=name, exact=False)
    for name, column in cut_columns:
        assert f"{name}.shp" in result.output
        assert column in result.output


def _shp_types(frame: pd.DataFrame) -> pd.DataFrame:
    # A shapefile has no boolean type: GDAL writes booleans as integers 0/1.
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = out[column].astype(int)
    return out


def test_shapefiles_in_a_folder_replace_only_a_folder_bkmap_wrote(tmp_path) -> None:
    out = tmp_path / "shp"
    for _ in range(2):  # the second run replaces the first
        result = CliRunner().invoke(cli, ["export", "--format", "shp", "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert {"communes.shp", "communes.dbf", "sources.csv", "fields.csv"} <= {
        p.name for p in out.iterdir()
    }
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("the user's own")
    result = CliRunner().invoke(cli, ["export", "--format", "shp", "--out", str(mine)])
    assert result.exit_code != 0
    assert "not a shapefile folder bkmap wrote" in result.output
    assert (mine / "keep.txt").read_text() == "the user's own"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--out", "bac_kan.shp"], "must end in .gpkg"),
        (["--out", "bac_kan.geojson"], "must end in .gpkg"),
        (["--out", "bac_kan"], "must end in .gpkg"),
        (["--format", "shp", "--out", "bac_kan.gpkg"], "give a folder (no suffix) or a .zip"),
        (["--format", "shp", "--out", "bac_kan.shp"], "give a folder (no suffix) or a .zip"),
    ],
)
def test_a_bad_out_is_refused_before_any_work(tmp_path, monkeypatch, args, words) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", *args])
    assert result.exit_code == 1
    assert words in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch) -> None:
    out = tmp_path / "a.gpkg"
    frame = gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(105.8, 22.1)], crs=4326)
    write.write_geopackage({"one": frame}, out)
    before = out.read_bytes()
    real = pyogrio.write_dataframe
    calls = []

    def fail_second(*args, **kwargs):
        calls.append(kwargs.get("layer"))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "write_dataframe", fail_second)
    with pytest.raises(Exception, match="cannot write the output"):
        write.write_geopackage({"one": frame, "two": frame}, out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.gpkg"]


def test_shapefile_field_names_are_unique_and_short() -> None:
    columns = [
        "covered_population_share",
        "covered_population_basis",
        "covered_pop",
        "COVERED_POPULATION_X",
        "code",
    ]
    fields = write.shapefile_fields(columns)
    assert list(fields) == columns
    shorts = list(fields.values())
    assert all(len(s) <= write.SHAPEFILE_FIELD_CHARS for s in shorts)
    assert len({s.lower() for s in shorts}) == len(shorts)
    assert fields["code"] == "code"


def test_gaps_and_plan_write_a_geopackage_beside_their_csvs(tmp_path) -> None:
    gaps_out = tmp_path / "gaps"
    result = CliRunner().invoke(cli, ["gaps", "--out", str(gaps_out), "--stations", STATIONS])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(gaps_out / "gaps.csv", dtype={"code": str}, encoding="utf-8-sig")
    layer = gpd.read_file(gaps_out / "gaps.gpkg", layer="gaps")
    assert layer["code"].tolist() == table["code"].tolist()
    assert layer["rank"].tolist() == table["rank"].tolist()
    assert layer["gap"].tolist() == table["gap"].tolist()
    assert np.allclose(layer["gap_score"], table["gap_score"])
    assert layer.crs.to_epsg() == 4326
    assert layer.geometry.is_valid.all()
    conflicts = pd.read_csv(gaps_out / "conflicts.csv", dtype={"code": str}, encoding="utf-8-sig")
    read = pyogrio.read_dataframe(gaps_out / "gaps.gpkg", layer="conflicts")
    assert read["code"].tolist() == conflicts["code"].tolist()

    plan_out = tmp_path / "plan"
    result = CliRunner().invoke(
        cli, ["plan", "--stations", "12", "--unknown", "need", "--out", str(plan_out)]
    )
    assert result.exit_code == 0, result.output
    plan = pd.read_csv(plan_out / "plan.csv", dtype={"code": str}, encoding="utf-8-sig")
    layer = gpd.read_file(plan_out / "plan.gpkg", layer="plan")
    assert len(plan) == 12
    assert layer["code"].tolist() == plan["code"].tolist()
    assert layer["cost_vnd"].tolist() == plan["cost_vnd"].tolist()
    communes = gpd.read_file(plan_out / "plan.gpkg", layer="plan_communes")
    assert len(communes) == 122
    assert communes.geometry.is_valid.all()


def test_an_empty_layer_keeps_its_type(tmp_path, computed) -> None:
    # With the default policy the shipped data plan nothing: the plan layer is empty.
    out = tmp_path / "empty.gpkg"
    result = CliRunner().invoke(cli, ["export", "--out", str(out), "--budget", "5e9"])
    assert result.exit_code == 0, result.output
    kinds = dict(pyogrio.list_layers(out))
    assert len(gpd.read_file(out, layer="plan")) == 0
    assert kinds["plan"] == "MultiPolygon"
    # Every spatial layer bkmap writes has its type on record, so no empty layer goes untyped.
    spatial = {n: f for n, f in computed.items() if isinstance(f, gpd.GeoDataFrame)}
    for name, frame in spatial.items():
        assert name in export.GEOMETRY_TYPES, name
        assert set(frame.geom_type.replace("Polygon", "MultiPolygon")) == {
            export.GEOMETRY_TYPES[name]
        }, name
