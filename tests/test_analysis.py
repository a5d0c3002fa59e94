"""Tests of bkmap.analysis.gaps on the shipped polygons and status table, and on synthetic geometry."""

from __future__ import annotations

import sys
import types

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from bkmap import datasets
from bkmap._errors import ValidationError
from bkmap.analysis import count_points_in_polygons, covered_share
from bkmap.analysis.gaps import (
    GAP_KEYS,
    GAP_WEIGHTS,
    find_gaps,
)
from bkmap.analysis.kernels import QUAD_SEGS, assign_points, coverage_layer
from bkmap.io.points import PointLayers, read_points
from bkmap.render.gaps import gap_sheets

EXAMPLES = datasets.examples_folder()
METRIC = "EPSG:3405"
#: The three communes checked by hand against the illustrative layers.
HAND_CHECKED = ("01870", "01852", "02128")


def _square(x0: float, y0: float, size: float) -> shapely.Polygon:
    return shapely.box(x0, y0, x0 + size, y0 + size)


def _polygons(*geoms: shapely.Geometry) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": [f"{i:05d}" for i in range(len(geoms))]}, geometry=list(geoms), crs=METRIC
    )


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    return {
        "stations": read_points(EXAMPLES / "illustrative_stations.geojson", kind="stations"),
        "cells": read_points(EXAMPLES / "illustrative_cells_opencellid.csv", kind="cells"),
        "towers": read_points(
            EXAMPLES / "illustrative_towers_vn2000.csv", kind="towers", crs="EPSG:3405"
        ),
        "coverage": read_points(
            EXAMPLES / "illustrative_coverage_operator.geojson", kind="coverage"
        ),
        "villages": read_points(EXAMPLES / "illustrative_villages.geojson", kind="villages"),
        "postal": read_points(EXAMPLES / "illustrative_postal.geojson", kind="postal"),
    }


@pytest.fixture(scope="module")
def full(assessment_2019, layers):
    return find_gaps(assessment_2019, PointLayers(**layers))


# --- kernels on synthetic geometry -------------------------------------------------------------


def test_count_points_on_shared_edges_counts_once():
    polys = _polygons(_square(0, 0, 10), _square(10, 0, 10))
    points = gpd.GeoDataFrame(
        geometry=[
            shapely.Point(5, 5),
            shapely.Point(10, 5),
            shapely.Point(15, 5),
            shapely.Point(50, 5),
        ],
        crs=METRIC,
    )
    counts = count_points_in_polygons(points, polys)
    assert counts.sum() == 3  # the edge point once, the outside point never
    assert counts.index.name == "code"
    assert counts.loc["00001"] >= 1


def test_count_points_matches_point_in_polygon_on_real_communes(joined_2019):
    rng = np.random.default_rng(1)
    minx, miny, maxx, maxy = joined_2019.total_bounds
    pts = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(rng.uniform(minx, maxx, 3000), rng.uniform(miny, maxy, 3000)),
        crs=4326,
    )
    counts = count_points_in_polygons(pts, joined_2019)
    owner = assign_points(pts, joined_2019)
    metric_polys = joined_2019.to_crs(METRIC).set_index("code").geometry
    metric_pts = pts.to_crs(METRIC).geometry
    inside_any = [bool(metric_polys.covers(p).any()) for p in metric_pts]
    # Every point inside some commune is given to exactly one that covers it
    # (the shipped polygons overlap a little: such points count once).
    assert owner.notna().tolist() == inside_any
    for point, code in zip(metric_pts[owner.notna()], owner.dropna(), strict=True):
        assert metric_polys[code].covers(point)
    assert counts.to_dict() == owner.value_counts().reindex(counts.index, fill_value=0).to_dict()
    assert counts.sum() == sum(inside_any) > 1000


def test_covered_share_synthetic_cases():
    square = _square(0, 0, 10_000)
    polys = _polygons(square, _square(50_000, 0, 10_000), shapely.Polygon())
    centre = gpd.GeoDataFrame(
        {"radius_m": [5_000.0, 20_000.0]},
        geometry=[shapely.Point(5_000, 5_000), shapely.Point(55_000, 5_000)],
        crs=METRIC,
    )
    share = covered_share(polys, centre)
    disc = shapely.Point(5_000, 5_000).buffer(5_000, quad_segs=QUAD_SEGS)
    assert share.iloc[0] == pytest.approx(disc.area / square.area, rel=1e-9)
    assert share.iloc[0] == pytest.approx(np.pi / 4, rel=2e-3)
    assert share.iloc[1] == 1.0  # inside one disc: no overlay needed
    assert np.isnan(share.iloc[2])
    half = gpd.GeoDataFrame(geometry=[shapely.box(-100, -100, 5_000, 20_000)], crs=METRIC)
    assert covered_share(polys, half).iloc[0] == pytest.approx(0.5)
    none = gpd.GeoDataFrame({"radius_m": []}, geometry=[], crs=METRIC)
    assert covered_share(polys, none).iloc[:2].tolist() == [0.0, 0.0]
    with pytest.raises(ValidationError, match="radius_m"):
        covered_share(polys, centre.drop(columns="radius_m"))
    with pytest.raises(ValidationError, match="key='id'"):
        covered_share(polys, centre, key="id")


def test_covered_share_equals_a_direct_overlay_on_every_commune(joined_2019, layers):
    cover = coverage_layer(layers["cells"], layers["towers"], layers["coverage"])
    share = covered_share(joined_2019, cover)
    discs = shapely.buffer(
        cover.geometry.to_numpy()[cover["radius_m"].notna()],
        cover["radius_m"].dropna().to_numpy(),
        quad_segs=QUAD_SEGS,
    )
    union = shapely.union_all([*discs, *cover.geometry[cover["radius_m"].isna()]])
    metric = joined_2019.to_crs(METRIC)
    direct = [poly.intersection(union).area / poly.area for poly in metric.geometry]
    assert np.allclose(share.to_numpy(), direct, rtol=1e-7, atol=1e-9)
    assert 0.0 < np.mean(direct) < 1.0


def test_dask_frames_go_to_bkmap_distributed(monkeypatch, joined_2019):
    import dask_geopandas

    calls = []
    fake = types.ModuleType("bkmap.analysis.distributed")
    fake.count_points_in_polygons = lambda points, polygons, *, key: calls.append(("count", key))
    fake.covered_share = lambda polygons, coverage, *, key: calls.append(("share", key))
    monkeypatch.setitem(sys.modules, "bkmap.analysis.distributed", fake)
    import bkmap.analysis

    monkeypatch.setattr(bkmap.analysis, "distributed", fake, raising=False)
    pts = gpd.GeoDataFrame({"radius_m": [1.0]}, geometry=[shapely.Point(105.8, 22.1)], crs=4326)
    lazy = dask_geopandas.from_geopandas(pts, npartitions=1)
    count_points_in_polygons(lazy, joined_2019, key="code")
    covered_share(joined_2019, lazy, key="code")
    assert calls == [("count", "code"), ("share", "code")]


# --- find_gaps on the shipped data --------------------------------------------------------------


def test_status_only_gaps(assessment_2019, joined_2019):
    result = find_gaps(assessment_2019, lang="en")
    gaps = result.gaps
    # 101 xã with 8.3 unknown and Giáo Hiệu whose 8.3 sources conflict; no phường / thị trấn.
    assert len(gaps) == 102
    # A conflict outranks an unknown (the first to check on the ground).
    assert gaps.iloc[0]["code"] == "01870"
    assert gaps.iloc[0]["gap"] == "indicator 8.3: sources conflict"
    assert gaps.iloc[0]["gap_keys"] == "c8_3_conflicting"
    assert gaps.iloc[0]["gap_score"] == GAP_WEIGHTS["conflicting"]
    assert set(gaps["gap_keys"].iloc[1:]) == {"c8_3_unknown"}
    assert gaps["rank"].tolist() == list(range(1, 103))
    urban = set(joined_2019.loc[joined_2019["c8"].eq("not_applicable"), "code"])
    assert not urban & set(gaps["code"])
    assert gaps["covered_area_share"].isna().all()
    assert result.conflicts.empty
    assert result.dropped.empty
    assert result.uncovered_villages.empty
    districts = result.districts.set_index("row_type")
    records = districts.loc["province_records"]
    published = districts.loc["province_published"]
    assert int(records["c8_met"]) == 8
    assert int(published["c8_met"]) == 64
    assert int(published["n_xa"]) == int(records["n_xa"]) == 110
    per_district = result.districts.loc[result.districts["row_type"].eq("district")]
    assert len(per_district) == 8
    assert per_district["n_units"].sum() == 122
    assert per_district["c8_3_met"].sum() == 8
    assert (
        per_district["population"].sum()
        == pd.read_csv(datasets.path("population_2019"))["population"].sum()
    )
    levels = result.reconciliation["level"].value_counts().to_dict()
    assert levels == {"province": 5, "district": 6}
    # The published row holds only published figures: 8.3's 64 is derived, not published.
    assert pd.isna(published["c8_3_met"])
    assert int(records["c8_conflicting"]) == 1


def _hand_layers(communes: gpd.GeoDataFrame) -> dict[str, object]:
    """The example layers read and filtered independently of bkmap.io.points, in EPSG:3405."""
    raw = pd.read_csv(EXAMPLES / "illustrative_cells_opencellid.csv", dtype=str)
    raw["lon"] = pd.to_numeric(raw["lon"], errors="coerce")
    raw["lat"] = pd.to_numeric(raw["lat"], errors="coerce")
    raw = raw.loc[raw["mcc"].eq("452") & raw["lon"].notna() & raw["lat"].notna()]
    defaults = {"GSM": 12000.0, "UMTS": 4000.0, "LTE": 4000.0, "NR": 2000.0}
    rng = pd.to_numeric(raw["range"])
    radius = rng.where(rng > 0, raw["radio"].map(defaults))
    raw = raw.assign(radius=radius).dropna(subset=["radius"])
    cells = gpd.GeoDataFrame(
        raw, geometry=gpd.points_from_xy(raw["lon"], raw["lat"]), crs=4326
    ).to_crs(METRIC)
    towers_raw = pd.read_csv(EXAMPLES / "illustrative_towers_vn2000.csv")
    towers = gpd.GeoDataFrame(
        towers_raw,
        geometry=gpd.points_from_xy(towers_raw["y"], towers_raw["x"]),  # X is the northing
        crs=METRIC,
    )
    operator = gpd.read_file(EXAMPLES / "illustrative_coverage_operator.geojson").to_crs(METRIC)
    discs = [
        *cells.geometry.buffer(cells["radius"], quad_segs=QUAD_SEGS),
        *towers.geometry.buffer(towers["ban_kinh_m"], quad_segs=QUAD_SEGS),
    ]
    return {
        "union": shapely.union_all([*discs, *operator.geometry]),
        "centres": [*cells.geometry, *towers.geometry],
        "radii": [*cells["radius"], *towers["ban_kinh_m"]],
        "operator": shapely.union_all(operator.geometry.to_numpy()),
        "stations": gpd.read_file(EXAMPLES / "illustrative_stations.geojson").to_crs(METRIC),
        "villages": gpd.read_file(EXAMPLES / "illustrative_villages.geojson").to_crs(METRIC),
        "postal": gpd.read_file(EXAMPLES / "illustrative_postal.geojson").to_crs(METRIC),
    }


@pytest.mark.parametrize("code", HAND_CHECKED)
def test_three_communes_checked_by_hand(joined_2019, full, code):
    hand = _hand_layers(joined_2019)
    polygon = joined_2019.to_crs(METRIC).set_index("code").at[code, "geometry"]
    row = full.communes.set_index("code").loc[code]

    stations = hand["stations"]
    n_stations = int(stations.geometry.within(polygon).sum())
    assert row["n_stations"] == n_stations

    area_share = polygon.intersection(hand["union"]).area / polygon.area
    assert row["covered_area_share"] == pytest.approx(area_share, rel=1e-7)

    villages = hand["villages"].loc[hand["villages"].geometry.within(polygon)]

    def covered(point: shapely.Point) -> bool:
        near = any(
            point.distance(c) <= r for c, r in zip(hand["centres"], hand["radii"], strict=True)
        )
        return near or hand["operator"].intersects(point)

    flags = villages.geometry.map(covered)
    assert row["n_villages"] == len(villages)
    assert row["n_villages_covered"] == int(flags.sum())
    pop_share = villages.loc[flags, "population"].sum() / villages["population"].sum()
    assert row["covered_population_share"] == pytest.approx(pop_share)

    centre = polygon.centroid
    postal_km = min(centre.distance(p) for p in hand["postal"].geometry) / 1000
    assert row["postal_distance_km"] == pytest.approx(postal_km)
    farthest = max(min(v.distance(p) for p in hand["postal"].geometry) for v in villages.geometry)
    assert row["postal_max_village_km"] == pytest.approx(farthest / 1000)

    uncovered = full.uncovered_villages
    assert int(uncovered["code"].eq(code).sum()) == len(villages) - int(flags.sum())


def test_hand_checked_communes_conflicts_and_ranking(full, assessment_2019, layers):
    conflicts = full.conflicts.set_index("code")
    # Giáo Hiệu's 8.3 sources conflict: a station inside contradicts nothing recorded.
    assert "station_while_c8_3_not_met" not in set(full.conflicts["kind"])
    # Recorded not met, the same station is a conflict between the layer and the table.
    joined = assessment_2019.joined.copy()
    joined.loc[joined["code"].eq("01870"), ["c8_3", "c8"]] = "not_met"
    not_met = find_gaps(assessment_2019.replace(joined=joined), PointLayers(**layers))
    kinds = not_met.conflicts.set_index("code")["kind"]
    assert kinds.at["01870"] == "station_while_c8_3_not_met"
    # Nông Thượng: 8.3 met, and no station from the evidence lies in it.
    assert conflicts.at["01852", "kind"] == "c8_3_met_no_station"
    assert (conflicts["kind"] == "c8_3_met_no_station").sum() == 8
    gaps = full.gaps.set_index("code")
    assert "c8_3_conflicting" in gaps.at["01870", "gap_keys"].split(";")
    assert full.gaps.iloc[0]["gap_score"] == full.gaps["gap_score"].max()
    assert "no_station" in gaps.at["02128", "gap_keys"]
    assert "low_coverage" in gaps.at["02128", "gap_keys"]
    assert set(";".join(full.gaps["gap_keys"]).split(";")) <= set(GAP_KEYS)
    assert full.gaps["gap_score"].is_monotonic_decreasing
    assert len(full.dropped) == 6
    assert full.covered_area.crs.to_epsg() == 4326
    assert set(full.layers) == {"stations", "cells", "towers", "coverage", "villages", "postal"}


def test_threshold_and_even_spread(assessment_2019, layers):
    strict = find_gaps(assessment_2019, PointLayers(cells=layers["cells"]), threshold=1.0)
    lenient = find_gaps(assessment_2019, PointLayers(cells=layers["cells"]), threshold=0.0)
    assert not lenient.gaps["gap_keys"].str.contains("low_coverage").any()
    low = strict.communes.loc[strict.communes["covered_population_share"] < 1.0, "code"]
    prog = set(strict.communes.loc[strict.communes["in_programme"], "code"])
    flagged = set(strict.gaps.loc[strict.gaps["gap_keys"].str.contains("low_coverage"), "code"])
    assert flagged == set(low) & prog
    # Without villages the population is spread evenly: population share == area share.
    communes = strict.communes
    assert np.allclose(communes["covered_population_share"], communes["covered_area_share"])
    assert set(communes["population_basis"]) == {"even"}
    with pytest.raises(ValidationError, match="between 0 and 1"):
        find_gaps(assessment_2019, threshold=80)


def test_station_built_after_the_assessment_is_no_conflict(assessment_2019, layers):
    later = layers["stations"].copy()
    later["year"] = 2020
    # Giáo Hiệu recorded not met, so that only the station's date or state can clear it.
    joined = assessment_2019.joined.copy()
    joined.loc[joined["code"].eq("01870"), ["c8_3", "c8"]] = "not_met"
    assessment = assessment_2019.replace(joined=joined)
    result = find_gaps(assessment, PointLayers(stations=later))
    assert "station_while_c8_3_not_met" not in set(result.conflicts["kind"])
    broken = layers["stations"].copy()
    broken["working"] = False
    result = find_gaps(assessment, PointLayers(stations=broken))
    assert "station_while_c8_3_not_met" not in set(result.conflicts["kind"])
    assert result.communes.set_index("code").at["01870", "n_stations_not_working"] == 1


def test_workbook_sheets_have_vietnamese_headers(full):
    sheets = gap_sheets(full, lang="vi")
    # Made from the illustrative layers, the workbook opens on a sheet that says so (issue 15).
    assert list(sheets)[:3] == ["minh_hoa", "khoang_trong", "tong_hop_huyen"]
    assert {"Mã ĐVHC", "Tên đơn vị", "Huyện", "Còn thiếu"} <= set(sheets["khoang_trong"].columns)
    assert "Số xã đạt tiêu chí 8" in sheets["tong_hop_huyen"].columns
    assert "dong_bi_loai" in sheets
    assert len(sheets["thon_chua_co_song"]) == len(full.uncovered_villages)


def test_a_station_layer_does_not_make_every_commune_a_gap(assessment_2019, layers):
    """Issue 13: with any --stations layer, gaps went from 102 to 110 of 110 xã, including the
    8 that meet 8.3. A commune meeting 8.3 with no point in the layer is a conflict between the
    two sources, not a commune that lacks a station."""
    result = find_gaps(assessment_2019, PointLayers(stations=layers["stations"]))
    met = set(assessment_2019.joined.loc[assessment_2019.joined["c8_3"].eq("met"), "code"])
    assert len(met) == 8
    gaps = result.gaps.set_index("code")
    assert not (met & set(gaps.index[gaps["gap_keys"].str.contains("no_station")]))
    assert len(result.gaps) == 102  # as without the layer: only the status gaps
    flagged = set(result.conflicts.loc[result.conflicts["kind"].eq("c8_3_met_no_station"), "code"])
    assert flagged  # the disagreement is reported where it belongs
    assert flagged <= met
