"""Tests of bkmap.io.points: reading point layers, CRS decisions and the dropped-rows report."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from bkmap import datasets
from bkmap._errors import InputError, ValidationError
from bkmap.io import points as pts
from bkmap.io.boundaries import read_communes
from bkmap.io.points import DEFAULT_RADII_M, OPENCELLID_COLUMNS, dropped_rows, read_points
from bkmap.io.record import record_of

EXAMPLES = datasets.examples_folder()


@pytest.fixture(scope="module")
def communes() -> gpd.GeoDataFrame:
    return read_communes()


@pytest.fixture(scope="module")
def centre(communes) -> shapely.Point:
    """A point inside Xã Giáo Hiệu (01870), in EPSG:4326."""
    metric = communes.set_index("code").to_crs(3405).at["01870", "geometry"]
    point = gpd.GeoSeries([metric.representative_point()], crs=3405).to_crs(4326)
    return point.iloc[0]


def test_example_layers_read_with_their_kinds():
    stations = read_points(EXAMPLES / "illustrative_stations.geojson", kind="stations")
    assert len(stations) == 17
    assert stations.crs.to_epsg() == 4326
    assert set(stations["type"]) <= {"wired", "wireless_fm", "ip"}
    assert stations["working"].eq(True).all()
    assert stations["commune_code"].str.fullmatch(r"\d{5}").all()
    villages = read_points(EXAMPLES / "illustrative_villages.geojson", kind="villages")
    census = pd.read_csv(datasets.path("population_2019"))
    assert villages["population"].sum() == census["population"].sum()
    postal = read_points(EXAMPLES / "illustrative_postal.geojson", kind="postal")
    assert len(postal) == 122
    coverage = read_points(EXAMPLES / "illustrative_coverage_operator.geojson", kind="coverage")
    assert coverage.geom_type.tolist() == ["Polygon"]
    assert dropped_rows(stations, villages, postal, coverage).empty


def test_cells_keep_vietnam_and_the_province_and_list_the_rest():
    cells = read_points(EXAMPLES / "illustrative_cells_opencellid.csv", kind="cells")
    raw = pd.read_csv(EXAMPLES / "illustrative_cells_opencellid.csv", dtype=str)
    assert len(cells) == len(raw) - 6
    dropped = dropped_rows(cells).set_index("row")
    assert len(dropped) == 6
    reasons = dropped["reason"]
    assert reasons.str.contains("MCC '460'").sum() == 2
    assert reasons.str.contains("does not reach the province").sum() == 1
    assert reasons.str.contains("missing coordinates").sum() == 1
    assert reasons.str.contains("unparseable coordinates").sum() == 1
    assert reasons.str.contains("NBIOT").sum() == 1
    # Row numbers are the spreadsheet's (header is row 1): check one against the raw file.
    mcc_rows = dropped.index[reasons.str.contains("MCC")]
    assert (raw.loc[mcc_rows - 2, "mcc"] == "460").all()
    assert (cells["mcc"] == 452).all()


def test_cell_radius_is_range_or_the_technology_default():
    cells = read_points(EXAMPLES / "illustrative_cells_opencellid.csv", kind="cells")
    raw = pd.read_csv(EXAMPLES / "illustrative_cells_opencellid.csv", dtype=str)
    raw.index = raw.index + 2
    given = pd.to_numeric(raw.loc[cells.index, "range"])
    expected = np.where(given > 0, given, cells["radio"].map(DEFAULT_RADII_M))
    assert np.allclose(cells["radius_m"], expected)
    assert set(cells.loc[given.eq(0).to_numpy(), "radius_source"]) == {"default"}
    assert (cells.loc[cells["radio"].eq("GSM") & given.eq(0), "radius_m"] == 12_000).all()
    custom = read_points(
        EXAMPLES / "illustrative_cells_opencellid.csv",
        kind="cells",
        radii={"LTE": 1000, "nbiot": 5000},
    )
    lte_default = custom["radio"].eq("LTE") & custom["radius_source"].eq("default")
    assert lte_default.any()
    assert (custom.loc[lte_default, "radius_m"] == 1000).all()
    assert custom["radio"].eq("NBIOT").sum() == 1
    with pytest.raises(ValidationError, match="positive number of metres"):
        read_points(EXAMPLES / "illustrative_cells_opencellid.csv", kind="cells", radii={"LTE": 0})


def test_headerless_opencellid_file(tmp_path, centre):
    row = ["LTE", 452, 4, 1, 2, 0, centre.x, centre.y, 0, 3, 1, 1, 2, 0]
    other = ["GSM", 452, 4, 1, 3, 0, centre.x, centre.y, 2500, 3, 1, 1, 2, 0]
    path = tmp_path / "452.csv"
    pd.DataFrame([row, other]).to_csv(path, header=False, index=False)
    cells = read_points(path, kind="cells")
    assert cells.index.tolist() == [1, 2]
    assert cells["radius_m"].tolist() == [4000.0, 2500.0]
    assert list(OPENCELLID_COLUMNS[:2]) == ["radio", "mcc"]


def test_vn2000_xy_needs_crs_and_then_lands_in_place(tmp_path, centre):
    metric = gpd.GeoSeries([centre], crs=4326).to_crs(3405).iloc[0]
    path = tmp_path / "towers.csv"
    pd.DataFrame({"x": [metric.x], "y": [metric.y], "radius_m": [3000]}).to_csv(path, index=False)
    # without --crs the VN-2000 zone is detected by bkmap.io.crs.resolve_crs (issue 7)
    assert read_points(path, kind="towers").geometry.iloc[0].distance(centre) < 1e-7
    nowhere = tmp_path / "nowhere.csv"  # metres that fit no coordinate system near Bắc Kạn
    pd.DataFrame({"x": [9.9e6], "y": [9.9e6], "radius_m": [3000]}).to_csv(nowhere, index=False)
    with pytest.raises(InputError, match=r"--crs.*EPSG:3405"):
        read_points(nowhere, kind="towers")
    towers = read_points(path, kind="towers", crs="EPSG:3405")
    assert towers.geometry.iloc[0].distance(centre) < 1e-7
    # The Vietnamese survey convention (X = northing) is recognised.
    swapped = tmp_path / "towers_vn.csv"
    pd.DataFrame({"x": [metric.y], "y": [metric.x], "ban_kinh_m": [3000]}).to_csv(
        swapped, index=False
    )
    towers = read_points(swapped, kind="towers", crs="EPSG:3405")
    assert towers.geometry.iloc[0].distance(centre) < 1e-7
    assert towers["radius_m"].tolist() == [3000.0]


def test_lon_lat_columns_decimal_comma_and_swapped(tmp_path, centre):
    path = tmp_path / "v.csv"
    lon = f"{centre.x:.6f}".replace(".", ",")
    lat = f"{centre.y:.6f}".replace(".", ",")
    text = f"kinh_do;vi_do;ten thon;dan_so\n{lon};{lat};Thôn A;120\n;{lat};Thôn B;5\n"
    path.write_text(text, encoding="utf-8")
    villages = read_points(path, kind="villages")
    assert villages["name"].tolist() == ["Thôn A"]
    assert villages["population"].tolist() == [120]
    assert villages.geometry.iloc[0].distance(centre) < 1e-5
    dropped = dropped_rows(villages)
    assert dropped["row"].tolist() == [3]
    assert "missing coordinates" in dropped["reason"].iloc[0]
    # Swapped lon/lat are read as every layer's are (one CRS policy), with a warning.
    swapped = tmp_path / "s.csv"
    pd.DataFrame({"a": [centre.y], "b": [centre.x]}).to_csv(swapped, index=False)
    postal = read_points(swapped, kind="postal", lon="a", lat="b")
    assert postal.geometry.iloc[0].distance(centre) < 1e-7
    decision = record_of(postal).crs
    assert decision.swapped
    assert decision.severity == "warning"
    assert "wrong order" in decision.note
    with pytest.raises(InputError, match="no column 'nope'"):
        read_points(swapped, kind="postal", lon="nope", lat="b")


def test_lon_lat_holding_metres_is_corrected_with_a_warning(tmp_path, centre):
    metric = gpd.GeoSeries([centre], crs=4326).to_crs(3405).iloc[0]
    path = tmp_path / "p.csv"
    pd.DataFrame({"lon": [metric.x], "lat": [metric.y]}).to_csv(path, index=False)
    postal = read_points(path, kind="postal")
    assert postal.geometry.iloc[0].distance(centre) < 1e-7
    decision = record_of(postal).crs
    assert decision.method == "corrected"
    assert "EPSG:3405" in decision.note
    far = tmp_path / "far.csv"
    pd.DataFrame({"lon": [9.9e6], "lat": [9.9e6]}).to_csv(far, index=False)
    with pytest.raises(InputError, match="lies outside"):
        read_points(far, kind="postal")


def test_shapefile_without_prj(tmp_path, centre):
    frame = gpd.GeoDataFrame({"name": ["a"]}, geometry=[centre], crs=4326)
    path = tmp_path / "p.shp"
    frame.to_file(path, engine="fiona")
    path.with_suffix(".prj").unlink()
    postal = read_points(path, kind="postal")
    assert postal.crs.to_epsg() == 4326
    metric = frame.to_crs(3405)
    metric.to_file(tmp_path / "m.shp", engine="fiona")
    (tmp_path / "m.prj").unlink()
    # a single point in Bắc Kạn without .prj: detected as VN-2000 / UTM 48N (issue 7)
    assert read_points(tmp_path / "m.shp", kind="postal").geometry.iloc[0].distance(centre) < 1e-7
    assert (
        read_points(tmp_path / "m.shp", kind="postal", crs="EPSG:3405")
        .geometry.iloc[0]
        .distance(centre)
        < 1e-7
    )
    far = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(9.9e6, 9.9e6)])
    far.to_file(tmp_path / "far.shp", engine="fiona")
    with pytest.raises(InputError, match="declares no coordinate system"):
        read_points(tmp_path / "far.shp", kind="postal")


def test_geopackage_wrong_geometry_and_outside_are_listed(tmp_path, communes, centre):
    polygon = communes.geometry.iloc[0]
    frame = gpd.GeoDataFrame(
        {
            "ten": ["ok", "polygon", "far"],
            "loai": ["FM", "có dây", "IP"],
            "hoat_dong": ["có", "", "không"],
        },
        geometry=[centre, polygon, shapely.Point(106.7, 10.8)],
        crs=4326,
    )
    path = tmp_path / "s.gpkg"
    frame.to_file(path, layer="tram", engine="fiona")
    stations = read_points(path, kind="stations", layer="tram")
    assert stations["name"].tolist() == ["ok"]
    assert stations["type"].tolist() == ["wireless_fm"]
    assert stations["working"].tolist() == [True]
    reasons = dropped_rows(stations).set_index("row")["reason"]
    assert "MultiPolygon geometry" in reasons[2]
    assert reasons[3].startswith("outside the province")


def test_crs_decisions_go_through_one_function(monkeypatch, tmp_path, centre):
    """Points, tables and boundaries all reach their CRS through bkmap.io.crs.resolve_crs."""
    import bkmap.io.crs
    import bkmap.io.vector

    calls: list[str] = []
    original = bkmap.io.crs.resolve_crs

    def spy(frame, *, crs=None, source, area=None):
        calls.append(source)
        return original(frame, crs=crs, source=source, area=area)

    monkeypatch.setattr(pts, "resolve_crs", spy)
    monkeypatch.setattr(bkmap.io.vector, "resolve_crs", spy)
    csv = tmp_path / "p.csv"
    pd.DataFrame({"lon": [centre.x], "lat": [centre.y]}).to_csv(csv, index=False)
    read_points(csv, kind="postal")
    read_points(EXAMPLES / "illustrative_postal.geojson", kind="postal")
    read_points(EXAMPLES / "illustrative_towers_vn2000.csv", kind="towers", crs="EPSG:3405")
    assert len(calls) == 3


def test_bad_arguments():
    with pytest.raises(ValidationError, match="stations, cells"):
        read_points(EXAMPLES / "illustrative_postal.geojson", kind="antennas")
    with pytest.raises(InputError, match="file not found"):
        read_points(EXAMPLES / "nope.geojson", kind="postal")
    with pytest.raises(InputError, match="coverage polygons cannot come from a CSV"):
        read_points(EXAMPLES / "illustrative_cells_opencellid.csv", kind="coverage")
