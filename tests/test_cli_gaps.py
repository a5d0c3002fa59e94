"""Tests of ``bkmap gaps`` through click's CliRunner, and of its map in a real browser."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from bkmap import datasets
from bkmap.cli.main import cli

EXAMPLES = datasets.examples_folder()
EVIL = "<img src=x onerror=alert(1)>${alert(2)}`</script>"


def _run(args: list[str]):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def _example_args() -> list[str]:
    return [
        "--stations",
        str(EXAMPLES / "illustrative_stations.geojson"),
        "--cells",
        str(EXAMPLES / "illustrative_cells_opencellid.csv"),
        "--towers",
        str(EXAMPLES / "illustrative_towers_vn2000.csv"),
        "--crs",
        "EPSG:3405",
        "--coverage",
        str(EXAMPLES / "illustrative_coverage_operator.geojson"),
        "--villages",
        str(EXAMPLES / "illustrative_villages.geojson"),
        "--postal",
        str(EXAMPLES / "illustrative_postal.geojson"),
    ]


def test_gaps_with_no_point_inputs(tmp_path):
    out = tmp_path / "out"
    result = _run(["gaps", "--out", str(out), "--no-tiles"])
    assert result.exit_code == 0, result.output
    assert "102 communes with gaps" in result.output
    table = pd.read_csv(out / "gaps.csv", dtype={"code": str}, encoding="utf-8-sig")
    assert len(table) == 102
    assert {"code", "name", "district", "gap", "covered_area_share"} <= set(table.columns)
    assert table.loc[0, "code"] == "01870"
    assert table.loc[0, "gap"] == "chỉ tiêu 8.3: nguồn mâu thuẫn"
    geo = gpd.read_file(out / "gaps.geojson")
    assert len(geo) == 102
    assert geo.crs.to_epsg() == 4326
    sheets = pd.read_excel(out / "gaps.xlsx", sheet_name=None)
    assert list(sheets) == ["khoang_trong", "tong_hop_huyen"]
    assert "Còn thiếu" in sheets["khoang_trong"].columns
    summary = sheets["tong_hop_huyen"]
    assert summary["Số xã đạt tiêu chí 8"].iloc[-1] == 64  # the published total
    assert (out / "gaps_map.html").exists()
    assert not (out / "dropped_rows.csv").exists()
    assert not list(out.glob(".*.part"))


def test_gaps_with_the_example_layers(tmp_path):
    out = tmp_path / "out"
    result = _run(["gaps", "--out", str(out), "--lang", "en", "--no-tiles", *_example_args()])
    assert result.exit_code == 0, result.output
    dropped = pd.read_csv(out / "dropped_rows.csv", encoding="utf-8-sig")
    assert len(dropped) == 6
    assert set(dropped["kind"]) == {"cells"}
    conflicts = pd.read_csv(out / "conflicts.csv", dtype={"code": str}, encoding="utf-8-sig")
    # 8.3 met with no station inside; Giáo Hiệu's 8.3 is conflicting, so its station is no conflict.
    assert set(conflicts["kind"]) == {"c8_3_met_no_station"}
    assert "01870" not in set(conflicts["code"])
    table = pd.read_csv(out / "gaps.csv", dtype={"code": str}, encoding="utf-8-sig")
    row = table.set_index("code").loc["02128"]
    assert row["covered_area_share"] == pytest.approx(0.0695, abs=1e-4)
    assert row["n_villages_covered"] == 0
    html = (out / "gaps_map.html").read_text(encoding="utf-8")
    for name in (
        "Covered area",
        "Communes with gaps",
        "Commune radio stations",
        "Villages not covered",
    ):
        assert name in html
    assert "cdn.jsdelivr" not in html
    assert "code.jquery" not in html
    sheets = pd.read_excel(out / "gaps.xlsx", sheet_name=None)
    assert {"gaps", "district_summary", "conflicts", "dropped_rows"} <= set(sheets)


def test_custom_radius_and_bad_options(tmp_path):
    cells = str(EXAMPLES / "illustrative_cells_opencellid.csv")
    ok = _run(["gaps", "--out", str(tmp_path / "a"), "--cells", cells, "--radius", "nbiot=3000"])
    assert ok.exit_code == 0, ok.output
    dropped = pd.read_csv(tmp_path / "a" / "dropped_rows.csv", encoding="utf-8-sig")
    assert len(dropped) == 5
    bad = _run(["gaps", "--out", str(tmp_path / "b"), "--cells", cells, "--radius", "LTE"])
    assert bad.exit_code == 2
    assert "TECH=METRES" in bad.output
    junk = _run(["gaps", "--out", str(tmp_path / "j"), "--cells", cells, "--radius", "<junk>=1"])
    assert junk.exit_code == 2
    assert "radio name" in junk.output
    assert not (tmp_path / "j").exists()
    bad = _run(["gaps", "--out", str(tmp_path / "c"), "--threshold", "80"])
    assert bad.exit_code == 2


def test_projected_table_without_crs_is_a_clean_error(tmp_path):
    towers = tmp_path / "towers.csv"
    # metres that fit no coordinate system near Bắc Kạn
    pd.DataFrame({"x": [9.9e6], "y": [9.9e6], "radius_m": [3000]}).to_csv(towers, index=False)
    result = _run(["gaps", "--out", str(tmp_path / "o"), "--towers", str(towers)])
    assert result.exit_code == 1
    assert "Give its coordinate system with --crs" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o" / "gaps.csv").exists()


@pytest.mark.browser
def test_map_popups_show_names_as_text_offline(tmp_path, offline_page, joined_2019):
    code = "01870"
    polygon = joined_2019.set_index("code").to_crs(3405).at[code, "geometry"]
    point = gpd.GeoSeries([polygon.representative_point()], crs=3405).to_crs(4326).iloc[0]
    stations = tmp_path / "st.geojson"
    frame = gpd.GeoDataFrame(
        {"name": [EVIL], "type": ["FM"], "year": [2018], "working": ["có"]},
        geometry=[shapely.Point(point.x, point.y)],
        crs=4326,
    )
    stations.write_text(frame.to_json(), encoding="utf-8")
    out = tmp_path / "out"
    result = _run(["gaps", "--out", str(out), "--no-tiles", "--stations", str(stations)])
    assert result.exit_code == 0, result.output
    page = offline_page
    page.goto((out / "gaps_map.html").as_uri())
    page.wait_for_selector(".leaflet-control-layers")
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any("Đài truyền thanh xã" in label for label in labels)
    assert any("Xã còn thiếu" in label for label in labels)
    opened = page.evaluate(
        """(name) => {
            const key = Object.keys(window).find(k => k.startsWith('map_'));
            let found = false;
            window[key].eachLayer(layer => {
                if (!found && layer.feature && layer.feature.properties.name === name && layer.getLatLng) {
                    layer.fire('click', {latlng: layer.getLatLng()}, true); found = true;
                }
            });
            return found;
        }""",
        EVIL,
    )
    assert opened
    popup = page.locator(".leaflet-popup-content")
    assert EVIL in popup.inner_text()
    assert popup.locator("img").count() == 0
    assert page.dialogs == []
    assert page.console_errors == []
    assert page.blocked == []
    data = json.loads((out / "gaps.geojson").read_text(encoding="utf-8"))
    # the 102 xã with a status gap; the 8 with 8.3 met have a station by definition (issue 13)
    assert len(data["features"]) == 102
    for feature in data["features"]:
        props = feature["properties"]
        flagged = "no_station" in props["gap_keys"]
        assert flagged == (props["c8_3"] != "met" and props["code"] != code), props["code"]


def test_gaps_on_a_national_province_labels_layer_ids_as_such(tmp_path):
    """A national layer's codes are its own ids: the gap popups must not call them GSO codes."""
    from click.testing import CliRunner

    from bkmap.cli.main import cli
    from bkmap.i18n import t

    out = tmp_path / "g"
    result = CliRunner().invoke(cli, ["gaps", "--province", "Bắc Kạn", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "gaps_map.html").read_text(encoding="utf-8")

    def forms(text: str) -> set[str]:  # as written, and as JSON with \\u escapes
        return {text, json.dumps(text)[1:-1]}

    assert any(f in page for f in forms(t("code_layer", "vi")))
    assert not any(f in page for f in forms(t("code", "vi")))
    gaps = pd.read_csv(out / "gaps.csv", dtype=str, encoding="utf-8-sig")
    assert len(gaps) > 0
