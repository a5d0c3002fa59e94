"""Tests of bkmap.versions.layers: the derived 2020 layer, crosswalks, carried status, comparisons."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from bkmap import datasets, settings
from bkmap._errors import ValidationError
from bkmap.io.boundaries import communes_for
from bkmap.io.record import record_of
from bkmap.io.status import load_status
from bkmap.model.criteria import INDICATORS
from bkmap.model.units import load_population, units_of
from bkmap.render.comparemap import compare_map
from bkmap.versions.carry import carry
from bkmap.versions.compare import compare_status
from bkmap.versions.crosswalk import check_overlay_lineage, crosswalk, survey_disagreement
from bkmap.versions.layers import SPLITS, build_2020, pieces, split_polygon

SPLIT_2020 = {"02065", "02083", "02137", "02152", "02155"}


@pytest.fixture(scope="module")
def layer_2019() -> gpd.GeoDataFrame:
    return gpd.read_file(datasets.path("communes_2019"), layer="communes")


@pytest.fixture(scope="module")
def layer_2020() -> gpd.GeoDataFrame:
    return communes_for("2020")


def _defects(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    metric = frame.to_crs(settings.metric_crs)
    union = metric.union_all()
    overlap = float(metric.area.sum() - union.area)
    edges = shapely.coverage_invalid_edges(metric.geometry.to_numpy())
    gaps = sum(shapely.Polygon(r).area for p in shapely.get_parts(union) for r in p.interiors)
    return float(union.area), overlap, float(shapely.length(edges).sum()), float(gaps)


def test_2020_layer_has_the_108_units(layer_2020: gpd.GeoDataFrame) -> None:
    assert len(layer_2020) == 108
    assert layer_2020.crs.to_epsg() == 4326
    assert record_of(layer_2020).version == "2020"
    expected = units_of("2020").set_index("code")
    got = layer_2020.set_index("code")
    assert set(got.index) == set(expected.index)
    assert (got["name"] == expected.loc[got.index, "name"]).all()
    assert (got["valid_from"] == expected.loc[got.index, "valid_from"]).all()
    for col in ("code", "valid_from", "valid_to", "name", "unit_type", "district_code", "district"):
        assert col in layer_2020.columns


def test_2020_tiles_like_2019(layer_2019: gpd.GeoDataFrame, layer_2020: gpd.GeoDataFrame) -> None:
    area0, overlap0, edges0, gaps0 = _defects(layer_2019)
    area1, overlap1, edges1, gaps1 = _defects(layer_2020)
    assert abs(area1 - area0) < 50.0  # m² of 4,841 km²: no gap opened, nothing added
    assert overlap1 <= overlap0 + 1.0  # no new overlap
    assert edges1 <= edges0 + 1.0  # no new invalid coverage edge
    assert gaps1 <= gaps0 + 50.0  # m²: the 2019 layer's 13.7 km² of holes, no more
    assert overlap1 < overlap0  # dissolving removed the overlaps between merged communes
    assert not shapely.coverage_is_valid(layer_2019.geometry.to_numpy())  # already imperfect
    assert layer_2020.is_valid.all()


def test_2020_build_is_reproducible(tmp_path, layer_2020: gpd.GeoDataFrame) -> None:
    out = tmp_path / "b.gpkg"
    built = build_2020(out=out).communes
    again = gpd.read_file(out, layer="communes").set_index("code")
    shipped = layer_2020.set_index("code")
    assert list(built["code"]) == list(shipped.index)
    metric_a = again.to_crs(settings.metric_crs).geometry
    metric_b = shipped.to_crs(settings.metric_crs).geometry
    diff = metric_a.symmetric_difference(metric_b.loc[metric_a.index]).area
    assert diff.max() < 1.0
    assert (again["approx_note"] == shipped.loc[again.index, "approx_note"]).all()


def test_split_units_are_flagged(layer_2020: gpd.GeoDataFrame) -> None:
    flagged = set(layer_2020.loc[layer_2020["approximate"], "code"])
    assert flagged == SPLIT_2020
    notes = layer_2020.set_index("code")
    assert notes.loc[list(SPLIT_2020), "approx_note"].str.len().gt(20).all()
    assert notes.loc[list(SPLIT_2020), "approx_note_en"].str.contains("Approximate").all()
    assert notes.loc[~notes.index.isin(SPLIT_2020), "approx_note"].eq("").all()
    assert "disagree" in notes.at["02137", "approx_note_en"]


def test_split_areas_near_the_official_figures() -> None:
    base = pieces()
    for split in SPLITS:
        if split.rule != "boundary_2025":
            continue
        for code, km2, _pop in split.parts:
            if km2 is None:
                continue
            got = base.loc[
                base["code_2019"].eq(split.old_code) & base["code_2020"].eq(code), "area_km2"
            ].iloc[0]
            assert abs(got - km2) / km2 < 0.35, (split.old_code, code, got, km2)


def test_2023_is_2020_with_van_tung_a_thi_tran(layer_2020: gpd.GeoDataFrame) -> None:
    frame = communes_for("2023").set_index("code")
    assert record_of(frame).version == "2023"
    assert frame.at["01954", "unit_type"] == "Thị trấn"
    assert frame.at["01954", "valid_from"] == "2023-04-10"
    other = layer_2020.set_index("code")
    assert other.at["01954", "unit_type"] == "Xã"
    assert frame.geometry.geom_equals(other.geometry.loc[frame.index]).all()
    with pytest.raises(ValidationError, match="no derived layer"):
        communes_for("2019")


def test_split_polygon_synthetic() -> None:
    commune = box(0, 0, 0.02, 0.01)
    # Two "2025" units from another survey: a gap and a sliver overshoot at x≈0.01.
    west = box(-0.01, -0.001, 0.0101, 0.011)
    east = box(0.0102, -0.001, 0.03, 0.011).union(box(0.0005, 0.0, 0.0006, 0.0001))
    parts = split_polygon(commune, [("W", west), ("E", east)])
    assert set(parts) == {"W", "E"}
    assert parts["W"].union(parts["E"]).symmetric_difference(commune).area < 1e-12
    assert parts["W"].intersection(parts["E"]).area < 1e-12
    # The gap strip and the stray sliver were merged, not left as parts of their own.
    assert parts["E"].geom_type == "Polygon"
    assert parts["W"].geom_type == "Polygon"


@pytest.mark.parametrize(
    ("a", "b"),
    [("2019", "2020"), ("2019", "2025"), ("2020", "2025"), ("2023", "2025"), ("2019", "2019")],
)
def test_lineage_shares_sum_to_one(a: str, b: str) -> None:
    cw = crosswalk(a, b)
    sums = cw.groupby("from_code")[["area_share", "population_share"]].sum()
    assert len(sums) == len(units_of(a))
    assert (sums - 1).abs().max().max() < 1e-9
    assert set(cw["to_code"]) == set(units_of(b)["code"])


def test_overlay_shares_sum_to_one_and_match_lineage() -> None:
    cw = crosswalk("2019", "2025", method="overlay", min_share=0.01)
    sums = cw.groupby("from_code")["area_share"].sum()
    assert len(sums) == 122
    assert (sums - 1).abs().max() < 1e-9
    # Every 2019 unit's largest overlap is its official successor ...
    assert check_overlay_lineage().empty
    top = cw.sort_values("area_share").drop_duplicates("from_code", keep="last")
    assert top["official"].all()
    assert top["area_share"].min() > 0.5
    # ... and the survey mismatch puts well under a tenth of the area elsewhere.
    stray = cw.loc[~cw["official"], "area_km2"].sum() / cw["area_km2"].sum()
    assert 0.0 < stray < 0.1


def test_crosswalk_population_of_split() -> None:
    cw = crosswalk("2019", "2020").set_index(["from_code", "to_code"])
    pop = load_population()
    # Phong Huân: 653 and 200 people by the GSO change record, shared over its census count.
    assert cw.at[("02074", "02083"), "population_share"] == pytest.approx(653 / 853)
    assert cw.at[("02074", "02065"), "population"] == pytest.approx(pop["02074"] * 200 / 853)
    assert cw.at[("02155", "02155"), "population_share"] == pytest.approx(1461 / pop["02155"])
    with pytest.raises(ValidationError, match="older version first"):
        crosswalk("2025", "2019")


def test_survey_disagreement() -> None:
    figures, per_unit = survey_disagreement()
    assert len(per_unit) == 37
    assert 0.0 < figures["symdiff_share"] < 0.05
    assert 4700 < figures["area_2019_km2"] < 5000
    assert figures["units_symdiff_km2"] >= figures["symdiff_km2"]


# --------------------------------------------------------------------------- carry


def _hand(status: pd.DataFrame, parts: list[str], column: str) -> tuple[str, float]:
    """Roll up by hand: xã parts decide; any not_met wins, then any conflict; all met -> met."""
    pop = load_population()
    rows = status.set_index("code").loc[parts]
    xa = rows[rows["unit_type"].eq("Xã")]
    values = list(xa[column])
    if "not_met" in values:
        value = "not_met"
    elif "conflicting" in values:
        value = "conflicting"
    elif all(v == "met" for v in values):
        value = "met"
    else:
        value = "unknown"
    share = sum(pop[c] for c in xa.index[xa[column].eq("met")]) / sum(pop[c] for c in parts)
    return value, share


@pytest.fixture(scope="module")
def status() -> pd.DataFrame:
    return load_status()


@pytest.fixture(scope="module")
def rolled(status: pd.DataFrame) -> pd.DataFrame:
    return carry(status, to="2025").set_index("code")


def test_carry_to_2025_three_units_by_hand(status: pd.DataFrame, rolled: pd.DataFrame) -> None:
    merger = pd.read_csv(datasets.path("merger_2025"), dtype=str)
    cases = {
        "01864": ["01858", "01861", "01864", "01870"],  # Xã Bằng Thành
        "02086": ["02086", "02122", "02128", "02131"],  # Xã Chợ Mới (via Thị trấn Đồng Tâm)
        "02116": ["02110", "02116", "02125"],  # Xã Yên Bình
    }
    m20 = pd.read_csv(datasets.path("mapping_2019_2020"), dtype=str)
    to2020 = dict(zip(m20["old_code"], m20["new_code"], strict=False))
    for code, parts in cases.items():
        via = {to2020[p] for p in parts}
        assert set(merger.loc[merger["new_code"].eq(code), "old_code"]) == via
        for ind in INDICATORS:
            value, share = _hand(status, parts, ind.column)
            assert rolled.at[code, ind.column] == value, (code, ind.key)
            assert rolled.at[code, f"{ind.column}_met_share"] == pytest.approx(share)
    # Giáo Hiệu's conflict decides, whatever the unknowns, and keeps both sides' sources.
    assert rolled.at["01864", "c8_3"] == "conflicting"
    assert rolled.at["01864", "c8"] == "conflicting"
    assert rolled.at["01864", "c8_3_source"] == "S23;S11"
    assert (
        "1 with conflicting sources"
        in carry(status, to="2025", lang="en").set_index("code").at["01864", "lineage"]
    )
    assert rolled.at["02086", "c8_1"] == "met"  # the thị trấn part is outside the programme
    assert rolled.at["02086", "c8_3"] == "unknown"
    assert rolled.at["02116", "c8_3"] == "unknown"
    assert rolled.at["02116", "c8_3_met_share"] > 0


def test_carry_lineage_text(rolled: pd.DataFrame, status: pd.DataFrame) -> None:
    text = rolled.at["02116", "lineage"]
    assert text.startswith("Hình thành từ 3 đơn vị năm 2019")
    assert "1/3 xã cũ đạt 8.3 và tiêu chí 8 năm 2019" in text
    english = carry(status, to="2025", lang="en").set_index("code")
    assert (
        "1 of 3 former communes met 8.3 and criterion 8 in 2019 (" in english.at["02116", "lineage"]
    )
    assert "outside the NTM programme" in english.at["02086", "lineage"]


def test_carry_flags_split_units(rolled: pd.DataFrame) -> None:
    assert set(rolled.index[rolled["approximate"]]) == {"02020", "02083", "02152", "02155"}
    assert rolled.loc[rolled["approximate"], "note"].str.startswith("Gần đúng").all()
    assert "một phần Xã Phong Huân" in rolled.at["02020", "lineage"]


def test_carry_rules_on_a_synthetic_table(status: pd.DataFrame) -> None:
    table = status.copy()
    hiep_luc = ["01960", "01966"]  # Lãng Ngâm + Hương Nê -> Xã Hiệp Lực (2020)
    rows = table["code"].isin(hiep_luc)
    table.loc[rows, "c8_3"] = "met"
    assert carry(table, to="2020").set_index("code").at["01960", "c8_3"] == "met"
    table.loc[table["code"].eq("01966"), "c8_3"] = "unknown"
    assert carry(table, to="2020").set_index("code").at["01960", "c8_3"] == "unknown"
    table.loc[table["code"].eq("01960"), "c8_3"] = "not_met"
    assert carry(table, to="2020").set_index("code").at["01960", "c8_3"] == "not_met"


def test_carry_not_applicable_as_unknown(status: pd.DataFrame) -> None:
    strict = carry(status, to="2025", not_applicable="unknown").set_index("code")
    assert strict.at["02086", "c8_1"] == "unknown"
    assert strict.at["01864", "c8_1"] == "met"  # no urban part there
    with pytest.raises(ValidationError, match="not_applicable"):
        carry(status, to="2025", not_applicable="maybe")  # type: ignore[arg-type]


def test_carry_unchanged_unit_keeps_its_row(status: pd.DataFrame) -> None:
    r2020 = carry(status, to="2020").set_index("code")
    original = status.set_index("code")
    assert r2020.at["02152", "approximate"]  # Cường Lợi took part of Lương Hạ
    assert r2020.at["02152", "c8_3"] == "unknown"  # Lương Hạ's part is unknown
    assert r2020.at["01852", "c8_3_source"] == original.at["01852", "c8_3_source"]
    assert r2020.at["01852", "lineage"] == ""


def test_carry_whole_province(status: pd.DataFrame) -> None:
    wide = carry(status, to="2025", whole_province=True)
    assert len(wide) == 92
    outside = wide[wide["c8_1_source"].eq("outside_data")]
    assert len(outside) == 55
    assert outside["c8"].eq("unknown").all()
    assert outside["note"].str.contains("Ngoài phạm vi dữ liệu").all()


def test_pipeline_joins_carried_status() -> None:
    from bkmap.pipeline import assess

    a = assess(on="2025-07-01")
    joined, result = a.joined, a.match
    assert len(joined) == 37
    assert result.summary() == "37 code"
    assert "lineage" in joined.columns
    assert a.version == "2025"
    assert len(assess(on="2025-07-01", whole_province=True).joined) == 92


# --------------------------------------------------------------------------- compare


def test_compare_status_shipped_dates() -> None:
    from bkmap.pipeline import assess

    before = assess(as_of="2018-07-31").joined
    after = assess(as_of="2019-08-12").joined
    table = compare_status(before, after, lang="en").set_index("code")
    assert len(table) == 122
    assert table.at["01870", "c8_3_before"] == "unknown"
    assert table.at["01870", "c8_3_after"] == "conflicting"
    assert "8.3: Unknown → Sources conflict" in table.at["01870", "what"]
    # criterion 8 went from unknown to conflicting: a revision, not progress (issue 13)
    assert table.at["01870", "change"] == "revised"
    assert table.at["01870", "c8_1_change"] == "newly_known"  # 8.1 became known met
    assert table.at["01834", "change"] == "unchanged"  # a phường
    changed = table.filter(like="_before").to_numpy() != table.filter(like="_after").to_numpy()
    assert (table["change"].ne("unchanged") == changed.any(axis=1)).all()
    with pytest.raises(ValidationError, match="same version"):
        compare_status(before, after.iloc[:10])


def test_compare_map_escapes_user_text(assessment_2019) -> None:
    from bkmap.render.maps import save_map

    before = assessment_2019.joined.copy()
    after = assessment_2019.joined.copy()
    evil = "<img src=x onerror=alert(1)>"
    after.loc[after.index[0], "name"] = evil
    after.loc[after.index[0], "c8_1"] = "not_met"
    after.loc[after.index[0], "c8_3"] = "not_met"
    html = (
        compare_map(
            assessment_2019.replace(joined=before, as_of="2018-07-31"),
            assessment_2019.replace(joined=after, as_of="2019-08-12"),
        )
        .get_root()
        .render()
    )
    assert evil not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'id="bkmap-changes"' in html
    assert "cdn." not in html
    del save_map
