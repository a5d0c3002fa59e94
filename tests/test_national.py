"""Any province or the whole country: national layers, choosing an area, status, and the CLI."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from bkmap import datasets
from bkmap._errors import ValidationError
from bkmap.cli.main import cli
from bkmap.io.national import (
    parse_columns,
    provinces,
    read_area,
    read_national,
    select_province,
)
from bkmap.io.record import record_of
from bkmap.io.status import load_status
from bkmap.join import join_status
from bkmap.pipeline import assess
from bkmap.render.maps import page_features


@pytest.fixture(scope="module")
def national() -> gpd.GeoDataFrame:
    return read_national()


@pytest.fixture
def users_national(tmp_path) -> str:
    """Thái Nguyên 2025 (92 real units) plus a synthetic second province, in Vietnamese columns."""
    tn = gpd.read_file(datasets.path("communes_2025"), layer="communes")
    minx, miny, _maxx, _maxy = tn.total_bounds
    fake = gpd.GeoDataFrame(
        {
            "code": ["99001", "99002"],
            "name": ["Xã Thử Một", "Phường Thử Hai"],
            "unit_type": ["Xã", "Phường"],
            "province": ["Tỉnh Thử Nghiệm", "Tỉnh Thử Nghiệm"],
        },
        geometry=[
            shapely.box(minx - 0.2, miny - 0.2, minx - 0.1, miny - 0.1),
            shapely.box(minx - 0.1, miny - 0.2, minx, miny - 0.1),
        ],
        crs="EPSG:4326",
    )
    frame = pd.concat(
        [tn[["code", "name", "unit_type", "province", "geometry"]], fake], ignore_index=True
    )
    out = gpd.GeoDataFrame(frame, crs="EPSG:4326").rename(
        columns={"code": "xa_id", "name": "xa_ten", "unit_type": "loai_hinh", "province": "thuoc"}
    )
    path = tmp_path / "quoc_gia_2025.gpkg"
    out.to_file(path, engine="pyogrio")
    return str(path)


def test_shipped_national_layer_in_bkmap_schema(national):
    assert len(national) == 11163
    assert national["province"].nunique() == 63
    assert national["code"].is_unique
    # Four features are no commune: two unnamed (an island, an estuary) and the two halves
    # of a training ground; their type stays unknown ("").
    assert set(national["unit_type"]) == {"Xã", "Phường", "Thị trấn", ""}
    assert national["unit_type"].eq("").sum() == 4
    assert national.crs.equals("EPSG:4326")
    assert record_of(national).code_kind == "layer"  # package ids, not GSO codes
    bac_kan = national[national["province"].eq("Bắc Kạn")]
    assert len(bac_kan) == 122
    # 2009 units: Huyền Tụng and Xuất Hóa were still xã (phường since 2012): 112 xã, not 110.
    assert bac_kan["unit_type"].value_counts()["Xã"] == 112
    table = provinces(national)
    assert len(table) == 63
    assert table["communes"].sum() == 11163


@pytest.mark.parametrize("given", ["Thái Nguyên", "tinh thai nguyen", "TỈNH THÁI NGUYÊN", "215"])
def test_select_province_by_name_or_code(national, given):
    area = select_province(national, given)
    assert len(area) == 181
    assert set(area["province"]) == {"Thái Nguyên"}
    assert record_of(area).area == "Thái Nguyên"


def test_select_all_and_unknown_province(national):
    assert len(select_province(national, "all")) == 11163
    with pytest.raises(ValidationError, match=r"'Bac Can'.*Closest names: 'Bắc Kạn'"):
        select_province(national, "Bac Can")


def test_bac_kan_from_the_national_layer_gets_the_shipped_status_by_name():
    a = assess(province="Bắc Kạn")
    joined, result = a.joined, a.match
    assert len(joined) == 122
    assert set(result.report["method"]) == {"name"}  # GSO codes are not this layer's ids
    shipped = load_status().set_index(["district", "name"])["c8"]
    assert joined["c8"].value_counts().to_dict() == shipped.value_counts().to_dict()
    assert a.as_of == "2019-08-12"


def test_other_provinces_are_unknown_never_guessed():
    a = assess(province="Thái Nguyên")
    joined, result = a.joined, a.match
    assert set(joined["c8"]) == {"unknown", "not_applicable"}
    xa = joined["unit_type"].eq("Xã")
    assert joined.loc[xa, "c8"].eq("unknown").all()
    assert joined.loc[~xa, "c8"].eq("not_applicable").all()
    assert a.as_of is None
    assert result.report["method"].eq("unit_without_row").all()


def test_whole_country_keeps_bac_kan_status_and_lists_every_unit():
    a = assess(province="all")
    joined, result = a.joined, a.match
    assert len(joined) == 11163
    counts = joined["c8"].value_counts()
    assert counts["met"] == 8
    assert counts["conflicting"] == 1  # Giáo Hiệu, matched by name within its district
    assert "not_met" not in counts
    assert len(result.report) == 11163  # 122 rows matched + every other unit without a row


def test_no_table_is_what_join_status_gives_for_an_empty_table(national):
    area = select_province(national, "Cao Bằng")
    fast, fast_result, _ = join_status(area, None)
    empty = load_status().iloc[0:0]
    slow, slow_result, _ = join_status(area, empty)
    cols = [c for c in slow.columns if c != "geometry"]
    pd.testing.assert_frame_equal(
        fast[cols].reset_index(drop=True).astype(str), slow[cols].reset_index(drop=True).astype(str)
    )
    assert len(fast_result.report) == len(slow_result.report)


def test_users_table_matched_by_name_within_district(tmp_path):
    table = tmp_path / "bang.csv"
    table.write_text(
        "Tên xã,Huyện,8.1,8.2,8.3,8.4\n"
        "Xã Bàn Đạt,Huyện Phú Bình,Đạt,Đạt,Đạt,Đạt\n"
        "Xã Không Có,Huyện Phú Bình,Đạt,Đạt,Đạt,Đạt\n",
        encoding="utf-8",
    )
    a = assess(province="Thái Nguyên", status=table)
    joined, result = a.joined, a.match
    row = joined.set_index("name").loc["Xã Bàn Đạt"]
    assert row["c8"] == "met"
    assert (joined["c8"] == "met").sum() == 1
    assert len(result.unmatched) == 1


def test_parse_columns_errors():
    assert parse_columns("code=ma_xa,name=ten_xa") == {"code": "ma_xa", "name": "ten_xa"}
    with pytest.raises(ValidationError, match="schema_column=your_column"):
        parse_columns("code")
    with pytest.raises(ValidationError, match="'commune' is not a schema column"):
        parse_columns("commune=ten_xa")


def test_users_national_layer_with_a_column_mapping(users_national):
    national = read_national(
        users_national, columns="code=xa_id,name=xa_ten,province=thuoc,unit_type=loai_hinh"
    )
    assert len(national) == 94
    area = select_province(national, "Thái Nguyên")
    assert len(area) == 92
    assert area["code"].str.fullmatch(r"\d{5}").all()  # GSO codes of the 2025 layer
    with pytest.raises(ValidationError, match="no 'province' column"):
        read_national(users_national, columns="code=xa_id,name=xa_ten")
    with pytest.raises(ValidationError, match="tinh_thanh"):
        read_national(users_national, columns="code=xa_id,name=xa_ten,province=tinh_thanh")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_map_of_a_province_from_a_users_2025_layer(runner, users_national, tmp_path):
    out = tmp_path / "tn.html"
    result = runner.invoke(
        cli,
        [
            "map",
            "--province",
            "Thái Nguyên",
            "--national",
            users_national,
            "--columns",
            "code=xa_id,name=xa_ten,province=thuoc,unit_type=loai_hinh",
            "--out",
            str(out),
            "--no-tiles",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "92 communes" in result.output
    page = out.read_text(encoding="utf-8")
    features = page_features(page)
    assert len(features) == 92
    assert {f["k_c8"] for f in features} == {"unknown", "not_applicable"}
    assert "Thái Nguyên: tiêu chí số 8" in page
    assert "Chưa có số liệu đánh giá" in page  # no status table: no assessment date shown


def test_cli_map_of_the_whole_country(runner, tmp_path):
    out = tmp_path / "vn.html"
    result = runner.invoke(cli, ["map", "--province", "all", "--out", str(out), "--no-tiles"])
    assert result.exit_code == 0, result.output
    assert "11163 communes" in result.output
    page = out.read_text(encoding="utf-8")
    features = page_features(page)
    assert len(features) == 11163
    assert sum(f["k_c8"] == "met" for f in features) == 8
    assert "Việt Nam: tiêu chí số 8" in page
    assert 'preferCanvas": true' in page or "preferCanvas: true" in page


def test_cli_province_errors_are_clear(runner, tmp_path, users_national):
    result = runner.invoke(
        cli, ["map", "--province", "Atlantis", "--out", str(tmp_path / "a.html")]
    )
    assert result.exit_code != 0
    assert "Atlantis" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(
        cli,
        [
            "map",
            "--province",
            "Thái Nguyên",
            "--national",
            users_national,
            "--out",
            str(tmp_path / "b.html"),
        ],
    )
    assert result.exit_code != 0
    assert "--columns" in result.output  # it says how to map the missing columns
    result = runner.invoke(
        cli,
        [
            "map",
            "--province",
            "all",
            "--national",
            str(tmp_path / "none.gpkg"),
            "--out",
            str(tmp_path / "c.html"),
        ],
    )
    assert result.exit_code != 0
    assert "none.gpkg: file not found" in result.output
    assert not (tmp_path / "a.html").exists()


_NORTH_EAST = "code=commune_id,name=commune_vn,district=district_vn,province=province_vn"


@pytest.fixture(scope="module")
def north_east(tmp_path_factory) -> dict[str, str]:
    """Three real provinces of the 2009 layer (Bắc Kạn and two neighbours), as a user's files."""
    layer = datasets.read_layer("national_2009").drop(columns=["province", "district", "commune"])
    layer = layer[layer["province_vn"].isin(["Bắc Kạn", "Cao Bằng", "Thái Nguyên"])]
    folder = tmp_path_factory.mktemp("north_east")
    gpkg = folder / "north_east.gpkg"
    layer.to_file(gpkg, engine="pyogrio")
    # A shapefile in VN-2000 / UTM 48N with no .prj: the coordinate system is for --crs.
    short = layer.rename(columns={"province_vn": "tinh", "district_vn": "huyen"})
    shp = folder / "north_east.shp"
    short[["commune_id", "commune_vn", "huyen", "tinh", "geometry"]].to_crs("EPSG:3405").to_file(
        shp, engine="pyogrio", encoding="utf-8"
    )
    (folder / "north_east.prj").unlink()
    return {"gpkg": str(gpkg), "shp": str(shp)}


def _map(runner, args, out):
    return runner.invoke(cli, ["map", *args, "--out", str(out)])


def test_clean_cleans_a_province_of_a_national_layer_for_map_and_analysis(
    runner, north_east, tmp_path
):
    args = ["--province", "Bắc Kạn", "--national", north_east["gpkg"], "--columns", _NORTH_EAST]
    plain = _map(runner, args, tmp_path / "plain.html")
    cleaned = _map(runner, [*args, "--clean"], tmp_path / "clean.html")
    assert plain.exit_code == 0, plain.output
    assert cleaned.exit_code == 0, cleaned.output
    assert "cleaned with --clean" in cleaned.output
    assert "cleaned with --clean" not in plain.output
    area = assess(province="Bắc Kạn", national=north_east["gpkg"], columns=_NORTH_EAST, clean=True)
    metric = area.joined.to_crs("EPSG:3405").geometry
    # Cleaned: the communes no longer overlap (the raw layer overlaps by 12.7 km²).
    assert metric.area.sum() - shapely.union_all(metric.to_numpy()).area < 1e3


def test_crs_applies_to_a_national_file_and_is_refused_without_one(runner, north_east, tmp_path):
    columns = "code=commune_id,name=commune_vn,district=huyen,province=tinh"
    args = ["--province", "Cao Bằng", "--national", north_east["shp"], "--columns", columns]
    guessed = _map(runner, args, tmp_path / "a.html")
    assert guessed.exit_code == 0, guessed.output
    assert "no coordinate system declared" in guessed.output
    given = _map(runner, [*args, "--crs", "EPSG:3405"], tmp_path / "b.html")
    assert given.exit_code == 0, given.output
    assert "no coordinate system declared" not in given.output
    wrong = _map(runner, [*args, "--crs", "EPSG:4326"], tmp_path / "c.html")
    assert wrong.exit_code != 0
    assert "--crs" in wrong.output
    assert "Traceback" not in wrong.output
    shipped = _map(runner, ["--province", "Cao Bằng", "--crs", "EPSG:3405"], tmp_path / "d.html")
    assert shipped.exit_code != 0
    assert "--crs gives the coordinate system of a file you give" in shipped.output


def test_on_is_refused_with_a_national_layer(runner, north_east, tmp_path):
    for args in (
        ["--province", "Bắc Kạn"],
        ["--national", north_east["gpkg"], "--columns", _NORTH_EAST],
    ):
        result = _map(runner, [*args, "--on", "2020-02-01"], tmp_path / "on.html")
        assert result.exit_code != 0
        assert "--on chooses the version of Bắc Kạn's shipped units" in result.output
    assert not (tmp_path / "on.html").exists()


@pytest.mark.parametrize("province", ["Cao Bằng", "all"])
def test_national_runs_warn_nothing_false(runner, north_east, tmp_path, province):
    args = ["--province", province, "--national", north_east["gpkg"], "--columns", _NORTH_EAST]
    result = _map(runner, args, tmp_path / "n.html")
    assert result.exit_code == 0, result.output
    assert "outside" not in result.output
    assert "warning" not in result.output


def test_one_province_is_read_through_an_attribute_filter(north_east, monkeypatch):
    import bkmap.io.national as national_io

    seen: list[object] = []
    real = national_io.read_vector

    def spy(*args, **kwargs):
        seen.append(kwargs.get("where"))
        return real(*args, **kwargs)

    monkeypatch.setattr(national_io, "read_vector", spy)
    for wanted in ("tinh cao bang", "Bắc Kạn"):
        filtered = read_area(wanted, national=north_east["gpkg"], columns=_NORTH_EAST)
        whole = select_province(read_national(north_east["gpkg"], columns=_NORTH_EAST), wanted)
        pd.testing.assert_frame_equal(
            pd.DataFrame(filtered.drop(columns="geometry")),
            pd.DataFrame(whole.drop(columns="geometry")),
        )
        assert filtered.geometry.geom_equals_exact(whole.geometry, tolerance=0).all()
    # The two filtered reads asked for one province each; the two whole reads for everything.
    assert seen == ["\"province_vn\" IN ('Cao Bằng')", None, "\"province_vn\" IN ('Bắc Kạn')", None]
    # Reading everything (all, or a name no province has) takes no filter.
    assert national_io._province_filter(
        "all", national=north_east["gpkg"], columns=_NORTH_EAST, layer=None, encoding=None
    ) == (None, None)
    with pytest.raises(ValidationError, match="Atlantis"):
        read_area("Atlantis", national=north_east["gpkg"], columns=_NORTH_EAST)


def test_a_repaired_feature_of_a_filtered_province_is_named_by_its_number_in_the_file(
    north_east, tmp_path
):
    layer = gpd.read_file(north_east["gpkg"])
    row = int(layer.index[layer["province_vn"].eq("Thái Nguyên")][7])
    ring = list(shapely.get_parts(layer.geometry.iloc[row])[0].exterior.coords)
    p, q = ring[3], ring[4]
    knot = [
        (p[0] + 0.6 * (q[0] - p[0]), p[1] + 0.6 * (q[1] - p[1]) + 1e-4),
        (p[0] + 0.6 * (q[0] - p[0]), p[1] + 0.6 * (q[1] - p[1]) - 1e-4),
        (p[0] + 0.4 * (q[0] - p[0]), p[1] + 0.4 * (q[1] - p[1]) + 1e-4),
        (p[0] + 0.4 * (q[0] - p[0]), p[1] + 0.4 * (q[1] - p[1]) - 1e-4),
    ]
    layer.loc[row, "geometry"] = shapely.MultiPolygon(
        [shapely.Polygon([*ring[:4], *knot, *ring[4:]])]
    )
    assert not layer.geometry.iloc[row].is_valid
    assert row > 7  # Thái Nguyên comes after the other provinces in the file
    path = tmp_path / "one_bad.gpkg"
    layer.to_file(path, engine="pyogrio")
    area = read_area("Thái Nguyên", national=str(path), columns=_NORTH_EAST)
    notes = [n for n in record_of(area).notes() if "repaired with make_valid" in n.problem]
    assert len(notes) == 1
    assert notes[0].where.startswith(f"feature {row + 1} (")
    assert area.is_valid.all()
