"""Geometry: repairs, empty/non-polygon/duplicate features, gaps and overlaps, --clean."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from bkmap._errors import ValidationError
from bkmap.geo import repair as geometry
from bkmap.io.boundaries import normalise_communes, read_communes


@pytest.fixture(scope="module")
def communes() -> gpd.GeoDataFrame:
    return read_communes()


def test_shipped_layer_gaps_and_overlaps_measured(communes) -> None:
    _, report = geometry.inspect(communes)
    assert report.issues == []
    assert report.features == 122
    # measured in EPSG:3405: 12.74 km² of overlaps and 13.70 km² of gaps (415 holes)
    assert report.overlap_m2 / 1e6 == pytest.approx(12.742, abs=0.01)
    assert report.gap_m2 / 1e6 == pytest.approx(13.699, abs=0.01)
    assert report.gaps == 415
    share = (report.overlap_m2 + report.gap_m2) / report.total_area_m2
    assert 0.005 < share < 0.006
    assert not shapely.coverage_is_valid(communes.to_crs(3405).geometry.to_numpy())


def test_clean_makes_the_layer_tile(communes) -> None:
    cleaned, report = geometry.clean(communes)
    assert report.cleaned
    assert report.overlap_after_m2 < 1.0
    assert report.gap_after_m2 < 1.0
    assert shapely.coverage_is_valid(cleaned.to_crs(3405).geometry.to_numpy())
    # the area moved is the gaps filled plus the overlaps removed
    assert report.gained_m2 == pytest.approx(report.gap_m2, rel=0.01)
    assert report.lost_m2 == pytest.approx(report.overlap_m2, rel=0.01)
    assert list(cleaned["code"]) == list(communes["code"])
    assert cleaned.crs == communes.crs
    assert "area moved" in report.coverage_line()


def _squares() -> gpd.GeoDataFrame:
    # three neighbouring 1 km squares in EPSG:3405 with a 20 m overlap and a 30 m gap
    boxes = [
        shapely.box(580_000, 2_450_000, 581_020, 2_451_000),
        shapely.box(581_000, 2_450_000, 582_000, 2_451_000),
        shapely.box(582_030, 2_450_000, 583_000, 2_451_000),
    ]
    return gpd.GeoDataFrame(
        {"code": ["00001", "00002", "00003"], "name": ["Xã A", "Xã B", "Xã C"]},
        geometry=boxes,
        crs="EPSG:3405",
    )


def test_synthetic_overlap_and_gap_are_measured_and_cleaned() -> None:
    frame = _squares()
    _, report = geometry.inspect(frame)
    assert report.overlap_m2 == pytest.approx(20 * 1000, rel=1e-6)
    assert report.overlap_pairs == 1
    # an edge gap open to the outside is not an interior hole; close it with a bar
    closed = frame.copy()
    closed.loc[3] = ["00004", "Xã D", shapely.box(580_000, 2_451_000, 583_000, 2_451_500)]
    closed.loc[4] = ["00005", "Xã E", shapely.box(580_000, 2_449_500, 583_000, 2_450_000)]
    _, report = geometry.inspect(closed)
    assert report.gaps == 1
    assert report.gap_m2 == pytest.approx(30 * 1000, rel=1e-6)
    _cleaned, report = geometry.clean(closed, gap_width_m=100)
    assert report.gap_after_m2 < 1
    assert report.overlap_after_m2 < 1
    assert report.gained_m2 == pytest.approx(30_000, rel=0.01)
    assert report.lost_m2 == pytest.approx(20_000, rel=0.01)
    # a gap wider than gap_width stays, and is reported
    _, wide = geometry.clean(closed, gap_width_m=10)
    assert wide.gap_after_m2 == pytest.approx(30_000, rel=0.01)


def test_invalid_empty_line_duplicate(communes) -> None:
    frame = communes.iloc[:6].copy().reset_index(drop=True)
    x0, y0, x1, y1 = frame.geometry.iloc[0].bounds
    frame.loc[0, "geometry"] = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])  # bow-tie
    frame.loc[1, "geometry"] = shapely.Polygon()
    frame.loc[2, "geometry"] = shapely.LineString([(x0, y0), (x1, y1)])
    frame.loc[4, "geometry"] = frame.geometry.iloc[3]
    fixed, report = geometry.inspect(frame)
    kinds = {(i.feature.split(" (")[0], i.kind, i.severity) for i in report.issues}
    assert kinds == {
        ("feature 1", "repaired", "warning"),
        ("feature 2", "empty", "error"),
        ("feature 3", "not_polygon", "error"),
        ("feature 5", "duplicate", "warning"),
    }
    repaired = fixed.geometry.iloc[0]
    assert repaired.is_valid
    assert repaired.geom_type in ("Polygon", "MultiPolygon")
    assert repaired.area > 0
    assert "Self-intersection" in report.issues[0].detail
    assert "01834" in report.issues[0].feature  # the message names the commune's code


def test_normalise_lists_every_geometry_error(communes) -> None:
    frame = communes.iloc[:3].copy().reset_index(drop=True)
    frame.loc[1, "geometry"] = None
    frame.loc[2, "geometry"] = shapely.Point(105.8, 22.1)
    with pytest.raises(ValidationError) as info:
        normalise_communes(frame, source="bad.gpkg")
    text = str(info.value)
    assert "bad.gpkg" in text
    assert "feature 2 (01837 Phường Sông Cầu): has no geometry" in text
    assert "feature 3 (01840 Phường Đức Xuân): is a Point, not a polygon" in text


def test_geometry_collection_keeps_polygonal_parts(communes) -> None:
    frame = communes.iloc[:1].copy()
    poly = frame.geometry.iloc[0]
    frame.loc[frame.index[0], "geometry"] = shapely.GeometryCollection(
        [poly, shapely.LineString([(105, 22), (106, 23)])]
    )
    fixed, report = geometry.inspect(frame)
    assert fixed.geometry.iloc[0].geom_type in ("Polygon", "MultiPolygon")
    assert fixed.geometry.iloc[0].area == pytest.approx(poly.area)
    assert report.issues[0].kind == "repaired"
