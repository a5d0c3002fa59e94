"""Coordinate systems: VN-2000 zones without .prj, swapped axes, wrong declarations, --crs."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import CRS, Transformer
from pyproj.transformer import TransformerGroup

from bkmap._errors import InputError
from bkmap.io.boundaries import read_communes
from bkmap.io.crs import VN2000_TO_WGS84, bac_kan, parse_crs, resolve_crs, tm3_bac_kan, vietnam
from bkmap.io.points import read_points

ZONES = {"EPSG:3405": "UTM zone 48N", "EPSG:3406": "UTM zone 49N", "tm3": "TM-3 106°30'"}


@pytest.fixture(scope="module")
def communes() -> gpd.GeoDataFrame:
    return read_communes()


def _max_offset_m(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> float:
    ga, gb = a.to_crs(3405).geometry.to_numpy(), b.to_crs(3405).geometry.to_numpy()
    return float(shapely.hausdorff_distance(ga, gb).max())


def test_official_transformation_is_epsg_6960() -> None:
    op = next(
        t for t in TransformerGroup("EPSG:4756", "EPSG:4326").transformers if "(2)" in t.description
    )
    info = json.loads(op.to_json())
    assert f"{info['id']['authority']}:{info['id']['code']}" == VN2000_TO_WGS84
    params = {p["name"]: p["value"] for p in info["parameters"]}
    assert params["X-axis translation"] == -191.90441429
    assert params["Y-axis translation"] == -39.30318279
    assert params["Z-axis translation"] == -111.45032835
    assert params["X-axis rotation"] == -0.00928836
    assert params["Y-axis rotation"] == 0.01975479
    assert params["Z-axis rotation"] == -0.00427372
    assert params["Scale difference"] == 0.252906278
    assert info["method"]["name"].startswith("Coordinate Frame rotation")


@pytest.mark.parametrize("zone", list(ZONES))
def test_each_candidate_uses_the_official_transformation(zone: str) -> None:
    crs = parse_crs(zone)
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(105.83, 22.15)
    lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)
    # by hand: the projection alone back to VN-2000 degrees, then EPSG:6960
    vn_lon, vn_lat = Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True).transform(x, y)
    op = next(
        t for t in TransformerGroup("EPSG:4756", "EPSG:4326").transformers if "(2)" in t.description
    )
    ref_lat, ref_lon = op.transform(vn_lat, vn_lon)  # EPSG axis order: lat, lon
    assert abs(lon - ref_lon) < 1e-8
    assert abs(lat - ref_lat) < 1e-8
    # and the datum shift is real: about 0.1-0.3 km in northern Vietnam, not zero
    assert 50 < abs(vn_lon - lon) * 103_000 + abs(vn_lat - lat) * 110_000 < 1_000


def test_tm3_zone_parameters() -> None:
    params = tm3_bac_kan().to_json_dict()["conversion"]["parameters"]
    values = {p["name"]: p["value"] for p in params}
    assert values["Longitude of natural origin"] == 106.5
    assert values["Scale factor at natural origin"] == 0.9999
    assert values["False easting"] == 500000
    assert tm3_bac_kan().geodetic_crs.equals(CRS.from_epsg(4756))


@pytest.mark.parametrize("swapped", [False, True])
@pytest.mark.parametrize("zone", list(ZONES))
def test_vn2000_without_prj_is_detected(communes, zone: str, swapped: bool) -> None:
    layer = communes.to_crs(parse_crs(zone))
    if swapped:
        layer[layer.geometry.name] = shapely.transform(
            layer.geometry.to_numpy(), lambda c: c[:, ::-1]
        )
    layer = layer.set_crs(None, allow_override=True)
    back, decision = resolve_crs(layer, source="x.shp")
    assert ZONES[zone] in decision.crs
    assert decision.method == "detected"
    assert decision.swapped is swapped
    assert decision.fit == 1.0
    assert "--crs" in decision.note
    assert back.crs.equals(CRS.from_epsg(4326))
    assert _max_offset_m(back, communes) < 0.01


def test_swapped_degrees(communes) -> None:
    layer = communes.copy()
    layer[layer.geometry.name] = shapely.transform(layer.geometry.to_numpy(), lambda c: c[:, ::-1])
    back, decision = resolve_crs(layer, source="x.geojson")  # declared 4326, lat/lon order
    assert decision.method == "corrected"
    assert decision.swapped
    assert "wrong order" in decision.note
    assert _max_offset_m(back, communes) < 1e-6


def test_wrong_declaration_is_corrected(communes) -> None:
    layer = communes.to_crs(3405).set_crs(4326, allow_override=True)
    back, decision = resolve_crs(layer, source="x.gpkg")
    assert decision.method == "corrected"
    assert decision.severity == "warning"
    assert "declares WGS 84" in decision.note
    assert "EPSG:3405" in decision.note
    assert _max_offset_m(back, communes) < 0.01


def test_forced_crs_serves_a_layer_that_declares_none(communes) -> None:
    layer = communes.to_crs(tm3_bac_kan()).set_crs(None, allow_override=True)
    _, decision = resolve_crs(layer, crs="vn2000-tm3", source="x.shp")
    assert decision.method == "forced"
    assert decision.fit == 1.0
    assert decision.severity == "ok"
    # A --crs under which nothing lies in the area is refused, not drawn somewhere else.
    with pytest.raises(InputError, match=r"under --crs .*EPSG:3405.* outside Bắc Kạn"):
        resolve_crs(layer, crs="EPSG:3405", source="x.shp")


def test_a_declared_crs_that_fits_wins_over_crs_and_says_so(communes) -> None:
    back, decision = resolve_crs(communes.to_crs(3405), crs="EPSG:4326", source="x.gpkg")
    assert decision.method == "declared"
    assert decision.severity == "warning"
    assert "--crs WGS 84" in decision.note
    assert "is not used" in decision.note
    assert _max_offset_m(back, communes) < 0.01


def test_forcing_degrees_on_metres_is_refused(communes) -> None:
    """Issue 13: --crs EPSG:4326 on a VN-2000 layer without .prj crashed in GEOS."""
    layer = communes.to_crs(3405).set_crs(None, allow_override=True)
    with pytest.raises(InputError, match="under --crs WGS 84"):
        resolve_crs(layer, crs="EPSG:4326", source="x.shp")


def test_web_mercator_without_a_declaration_is_detected(communes) -> None:
    """Issue 13: a GeoJSON in Web Mercator without a crs member (read as WGS 84) crashed."""
    layer = communes.to_crs(3857).set_crs(4326, allow_override=True)
    back, decision = resolve_crs(layer, source="x.geojson")
    assert decision.method == "corrected"
    assert "EPSG:3857" in decision.crs
    assert _max_offset_m(back, communes) < 0.01


def test_a_layer_far_from_the_area_is_refused(communes) -> None:
    """Issue 13: valid degrees 100° west of Vietnam were drawn there with only a warning."""
    far = communes.copy()
    far[far.geometry.name] = shapely.transform(far.geometry.to_numpy(), lambda c: c - [100, 0])
    with pytest.raises(InputError, match="outside Bắc Kạn"):
        resolve_crs(far, source="far.gpkg")
    # A national layer is expected anywhere in Vietnam, not only in Bắc Kạn.
    south = communes.copy()
    south[south.geometry.name] = shapely.transform(south.geometry.to_numpy(), lambda c: c - [0, 11])
    _, decision = resolve_crs(south, source="vn.gpkg", area=vietnam())
    assert decision.method == "declared"
    assert decision.severity == "ok"
    with pytest.raises(InputError):
        resolve_crs(south, source="vn.gpkg", area=bac_kan())


def test_declared_and_fitting_is_kept(communes) -> None:
    back, decision = resolve_crs(communes.to_crs(3405), source="x.gpkg")
    assert decision.method == "declared"
    assert decision.severity == "ok"
    assert _max_offset_m(back, communes) < 0.01


def test_no_fit_is_an_error_naming_the_file_and_the_fix() -> None:
    far = gpd.GeoDataFrame(geometry=[shapely.box(5e6, 5e6, 5.1e6, 5.1e6)], crs=None)
    with pytest.raises(InputError) as info:
        resolve_crs(far, source="far.shp")
    text = str(info.value)
    assert "far.shp" in text
    assert "no .prj" in text
    assert "--crs EPSG:3405" in text
    assert "x from 5,000,000" in text


def test_bad_crs_value() -> None:
    with pytest.raises(InputError, match=r"--crs.*'EPSG:999999' is not a coordinate system"):
        parse_crs("EPSG:999999")


def test_points_from_a_table_take_the_same_path(communes, tmp_path) -> None:
    """One CRS policy: a points table whose lat/lon are swapped is read as a boundary file is."""
    from bkmap.io.record import record_of

    centres = communes.to_crs(3405).geometry.representative_point().to_crs(4326)
    table = pd.DataFrame({"code": communes["code"], "vĩ độ": centres.y, "kinh độ": centres.x})
    table["vĩ độ"] = table["vĩ độ"].map(lambda v: f"{v:.6f}".replace(".", ","))
    path = tmp_path / "t.csv"
    table.to_csv(path, index=False, sep=";")
    points = read_points(path, kind="points")
    decision = record_of(points).crs
    assert decision.method == "declared"
    assert not decision.swapped
    assert np.allclose(points.geometry.x, centres.x, atol=1e-6)
    # lat and lon swapped by the person who typed them
    swapped = tmp_path / "s.csv"
    table.rename(columns={"vĩ độ": "kinh độ", "kinh độ": "vĩ độ"}).to_csv(
        swapped, index=False, sep=";"
    )
    points = read_points(swapped, kind="points")
    decision = record_of(points).crs
    assert decision.swapped
    assert decision.method == "corrected"
    assert decision.severity == "warning"
    assert np.allclose(points.geometry.y, centres.y, atol=1e-6)
