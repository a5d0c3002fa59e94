"""A corpus of real-world bad inputs, built here in tmp_path, through `bkmap check` and `bkmap map`.

Every case asserts the exit codes, that the message names the file and the
problem (and, for errors, the fix), that no traceback is printed, and that the
input files are byte-for-byte and mtime-for-mtime unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from click.testing import CliRunner

from bkmap import datasets
from bkmap.cli.main import cli
from bkmap.io.boundaries import read_communes
from bkmap.io.crs import parse_crs
from bkmap.io.encodings import encode_text

STATUS = datasets.status_table("2019-08-12")


@pytest.fixture(scope="module")
def communes() -> gpd.GeoDataFrame:
    return read_communes()


def _shapefile(
    frame: gpd.GeoDataFrame,
    path: Path,
    *,
    encoding: str,
    crs: str,
    cpg: str | None,
    **options: bool,
) -> Path:
    layer = frame[["code", "name", "district", "unit_type", "geometry"]].to_crs(parse_crs(crs))
    for col in ("name", "district", "unit_type"):
        layer[col] = [encode_text(v, encoding, **options).decode("latin-1") for v in layer[col]]
    pyogrio.write_dataframe(layer, path, encoding="latin1")
    path.with_suffix(".prj").unlink()
    path.with_suffix(".cpg").unlink(missing_ok=True)
    if cpg:
        path.with_suffix(".cpg").write_text(cpg, encoding="ascii")
    return path


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in text, text
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    return result.exit_code, text


# --------------------------------------------------------------------------- builders
# Each builder writes one case into `folder` and returns the input path.


def tcvn3_tm3(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    return _shapefile(
        communes, folder / "xa_tcvn3.shp", encoding="tcvn3", crs="vn2000-tm3", cpg="1252"
    )


def vni_utm48(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    return _shapefile(communes, folder / "xa_vni.shp", encoding="vni", crs="EPSG:3405", cpg=None)


def cp1258_utm49(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    return _shapefile(
        communes,
        folder / "xa_1258.shp",
        encoding="cp1258",
        crs="EPSG:3406",
        cpg="1252",
        decomposed=True,
    )


def utf8_swapped_geojson(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    layer = communes[["code", "name", "district", "unit_type", "geometry"]].copy()
    layer["geometry"] = shapely.transform(layer.geometry.to_numpy(), lambda c: c[:, ::-1])
    path = folder / "swapped.geojson"
    layer.to_file(path, driver="GeoJSON", engine="pyogrio")
    return path


def invalid_geometry(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    layer = communes.copy()
    x0, y0, x1, y1 = layer.geometry.iloc[5].bounds
    layer.loc[5, "geometry"] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    path = folder / "invalid.gpkg"
    layer.to_file(path, engine="pyogrio")
    return path


def empty_geometry(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    layer = communes.copy()
    layer.loc[7, "geometry"] = None
    path = folder / "empty_geometry.gpkg"
    layer.to_file(path, engine="pyogrio")
    return path


def duplicate_boundary_codes(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    layer = communes.copy()
    layer.loc[3, "code"] = layer.loc[2, "code"]
    path = folder / "dup_codes.gpkg"
    layer.to_file(path, engine="pyogrio")
    return path


def empty_file(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    path = folder / "empty.gpkg"
    path.write_bytes(b"")
    return path


def truncated_shp(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    path = tcvn3_tm3(folder, communes.iloc[:3])  # the error comes before any reading
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def missing_shx(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    path = tcvn3_tm3(folder, communes.iloc[:3])  # the error comes before any reading
    path.with_suffix(".shx").unlink()
    return path


def missing_dbf(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    path = tcvn3_tm3(folder, communes.iloc[:3])  # the error comes before any reading
    path.with_suffix(".dbf").unlink()
    return path


def _status(folder: Path, name: str, frame: pd.DataFrame | None = None, **kw: object) -> Path:
    frame = pd.read_csv(STATUS, dtype=str, keep_default_na=False) if frame is None else frame
    path = folder / name
    frame.to_csv(path, index=False, **kw)
    return path


def semicolon_csv(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    return _status(folder, "semicolon.csv", sep=";")


def mixed_delimiter_csv(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    path = folder / "mixed_delimiter.csv"
    lines = STATUS.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0].replace(",", ";"), *lines[1:]]) + "\n", encoding="utf-8")
    return path


def utf8_bom_csv(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    return _status(folder, "bom.csv", encoding="utf-8-sig")


def legacy_csv(encoding: str) -> Callable[[Path, gpd.GeoDataFrame], Path]:
    def build(folder: Path, communes: gpd.GeoDataFrame) -> Path:
        text = STATUS.read_text(encoding="utf-8")
        path = folder / f"status_{encoding}.csv"
        path.write_bytes(encode_text(text, encoding, decomposed=encoding == "cp1258"))
        return path

    build.__name__ = f"{encoding}_csv"
    return build


def excel_two_row_header(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    frame = pd.read_csv(STATUS, dtype=str, keep_default_na=False)
    header = pd.DataFrame(
        [frame.columns], columns=[f"BẢNG TIÊU CHÍ 8 - {i}" for i in range(len(frame.columns))]
    )
    body = pd.DataFrame(frame.to_numpy(), columns=header.columns)
    path = folder / "two_rows.xlsx"
    pd.concat([header, body]).to_excel(path, index=False)
    return path


def duplicate_status_codes(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    frame = pd.read_csv(STATUS, dtype=str, keep_default_na=False)
    frame = pd.concat([frame, frame.iloc[[10]]], ignore_index=True)
    return _status(folder, "dup_rows.csv", frame)


def conflicting_rows(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    frame = pd.read_csv(STATUS, dtype=str, keep_default_na=False)
    frame.loc[20, "name"] = frame.loc[21, "name"]
    frame.loc[20, "district"] = frame.loc[21, "district"]
    return _status(folder, "conflict.csv", frame)


def empty_csv(folder: Path, communes: gpd.GeoDataFrame) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(b"")
    return path


# (builder, option for `map`, exit code of `check`, exit code of `map`, words every message must hold)
CORPUS = [
    (empty_file, "--boundaries", 2, 1, ["empty.gpkg", "empty", "Export the layer again"]),
    (truncated_shp, "--boundaries", 2, 1, ["xa_tcvn3.shp", "truncated", "Copy it again"]),
    (missing_shx, "--boundaries", 2, 1, ["xa_tcvn3.shx", "missing", "copy all of them"]),
    (missing_dbf, "--boundaries", 2, 1, ["xa_tcvn3.dbf", "missing", "copy all of them"]),
    (tcvn3_tm3, "--boundaries", 1, 0, ["TM-3 106°30'"]),
    (vni_utm48, "--boundaries", 1, 0, ["UTM zone 48N"]),
    (cp1258_utm49, "--boundaries", 1, 0, ["UTM zone 49N"]),
    (utf8_swapped_geojson, "--boundaries", 1, 0, ["wrong order"]),
    (invalid_geometry, "--boundaries", 1, 0, ["feature 6", "make_valid"]),
    (empty_geometry, "--boundaries", 2, 1, ["feature 8", "has no geometry", "Draw its polygon"]),
    (duplicate_boundary_codes, "--boundaries", 2, 1, ["dup_codes.gpkg", "appears", "duplicates"]),
    (semicolon_csv, "--status", 0, 0, []),
    (mixed_delimiter_csv, "--status", 2, 1, ["mixed_delimiter.csv", "no code or name column"]),
    (utf8_bom_csv, "--status", 0, 0, []),
    (legacy_csv("tcvn3"), "--status", 1, 0, ["tcvn3"]),
    (legacy_csv("vni"), "--status", 1, 0, ["vni"]),
    (legacy_csv("cp1258"), "--status", 1, 0, ["cp1258"]),
    (excel_two_row_header, "--status", 2, 1, ["two_rows.xlsx", "exactly one header row"]),
    (
        duplicate_status_codes,
        "--status",
        2,
        1,
        ["dup_rows.csv", "all match", "Keep one row per unit"],
    ),
    (
        conflicting_rows,
        "--status",
        2,
        1,
        ["conflict.csv", "Codes are reused", "correct the code or the name"],
    ),
    (empty_csv, "--status", 2, 1, ["empty.csv", "the file is empty"]),
]


@pytest.mark.parametrize(
    ("build", "option", "check_code", "map_code", "words"),
    CORPUS,
    ids=[case[0].__name__ for case in CORPUS],
)
def test_corpus_case(
    tmp_path: Path,
    communes: gpd.GeoDataFrame,
    build: Callable[[Path, gpd.GeoDataFrame], Path],
    option: str,
    check_code: int,
    map_code: int,
    words: list[str],
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    path = build(inputs, communes)
    before = _snapshot(inputs)

    code, text = _run("check", str(path))
    assert code == check_code, text
    for word in words:
        assert word in text, (word, text)

    out = tmp_path / "out" / "map.html"
    out.parent.mkdir()
    code, text = _run("map", option, str(path), "--out", str(out), "--no-tiles")
    assert code == map_code, text
    if map_code == 0:
        assert out.exists()
        assert "122 communes" in text
        assert "8 met, 1 conflicting, 101 unknown, 12 not_applicable" in text
    else:
        assert not out.exists()
        assert list(out.parent.iterdir()) == []  # no half-written file left
        assert text.startswith("Error: ") or "\nError: " in text
        for word in words:
            assert word in text, (word, text)
    assert _snapshot(inputs) == before  # inputs never modified


def test_done_when_tcvn3_vn2000_without_prj_draws_the_shipped_map(tmp_path, communes) -> None:
    """A TCVN3 shapefile in VN-2000 with no .prj, made from the shipped layer, gives the same map."""
    from bkmap.pipeline import assess

    path = tcvn3_tm3(tmp_path, communes)
    assert not path.with_suffix(".prj").exists()
    assert b"B\xbec K\xb9n" in path.with_suffix(".dbf").read_bytes()  # "Bắc Kạn" in TCVN3
    a = assess(boundaries=path)
    joined, result = a.joined, a.match
    shipped = assess().joined
    assert list(joined["code"]) == list(shipped["code"])
    assert list(joined["name"]) == list(shipped["name"])
    for col in ("c8", "c8_1", "c8_2", "c8_3", "c8_4"):
        assert list(joined[col]) == list(shipped[col])
    assert result.summary() == "122 code"
    offset = shapely.hausdorff_distance(
        joined.to_crs(3405).geometry.to_numpy(), shipped.to_crs(3405).geometry.to_numpy()
    )
    assert offset.max() < 0.01  # metres
    record = a.records[0]
    assert record.encoding.encoding == "tcvn3"
    assert "TM-3" in record.crs.crs
    assert record.version == "2019"  # told by its codes and names


def test_check_json_for_the_corpus(tmp_path, communes) -> None:
    path = tcvn3_tm3(tmp_path, communes)
    code, text = _run("check", str(path), str(STATUS), "--format", "json")
    report = json.loads(text[text.index("{") :])
    assert code == report["exit_code"] == 1
    first = report["files"][0]
    assert first["kind"] == "boundaries"
    assert first["items"] == 122
    assert first["encoding"].startswith("tcvn3 (detected")
    assert "TM-3" in first["crs"]
    assert report["files"][1]["findings"] == []


def test_clean_and_crs_options_reach_the_reader(tmp_path, communes) -> None:
    path = tcvn3_tm3(tmp_path, communes)
    out = tmp_path / "m.html"
    code, text = _run(
        "map",
        "--boundaries",
        str(path),
        "--crs",
        "vn2000-tm3",
        "--clean",
        "--out",
        str(out),
        "--no-tiles",
    )
    assert code == 0, text
    assert "cleaned with --clean" in text
    assert "area moved" in text
    assert "left: overlaps 0.000 km², gaps 0.000 km²" in text
    assert "info: " in text
    assert "the legacy encoding tcvn3" in text
    code, text = _run("map", "--boundaries", str(path), "--crs", "bogus:1", "--out", str(out))
    assert code == 1
    assert "is not a coordinate system" in text


def test_forced_encoding(tmp_path, communes) -> None:
    path = legacy_csv("vni")(tmp_path, communes)
    code, text = _run("check", str(path), "--encoding", "vni")
    assert code == 0, text
    assert "forced with --encoding" in text
