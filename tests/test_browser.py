"""The map and the report in a real headless Chromium, with every http(s) request blocked.

Shapes are counted through Leaflet's own objects (the ``L.Map`` instance and
its feature layers), so the tests hold for SVG and canvas rendering alike.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from bkmap.cli.main import cli
from bkmap.geo.simplify import display_geometry
from bkmap.i18n import t
from bkmap.render.maps import COLORS, class_counts

# one worker runs every browser test (make test uses --dist loadgroup), so one Chromium starts
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"

# Helpers run in the page (named test*, apart from the page's own bkmap* globals).
# `testMap()` finds the L.Map instance folium created.
JS_HELPERS = """
window.testMap = function(){
  for (const key of Object.keys(window)) {
    let value; try { value = window[key]; } catch (e) { continue; }
    if (value instanceof L.Map) { return value; }
  }
  return null;
};
window.testOverlayInput = function(name){
  for (const label of document.querySelectorAll('.leaflet-control-layers-overlays label')) {
    if (label.textContent.trim() === name) { return label.querySelector('input'); }
  }
  return null;
};
window.testDrawn = function(){
  // commune shapes on the map: feature layers with a GSO code, by fill colour
  const map = window.testMap();
  const byColour = {}; let total = 0;
  Object.values(map._layers).forEach(function(l){
    if (!(l instanceof L.Path) || !l.feature || !l.feature.properties) { return; }
    if (!l.feature.properties.code || !map.hasLayer(l)) { return; }
    total += 1;
    byColour[l.options.fillColor] = (byColour[l.options.fillColor] || 0) + 1;
  });
  return {total: total, byColour: byColour};
};
"""


def _open(page, path: Path) -> None:
    page.goto(path.resolve().as_uri())
    page.wait_for_function("typeof L !== 'undefined'")
    page.evaluate(JS_HELPERS)
    page.wait_for_function("window.testMap() !== null")


def _overall_count(page, lang: str = "vi") -> int:
    """Number of commune feature layers in the visible overall layer, found via the layer control."""
    return page.evaluate(
        """(name) => {
            const map = window.testMap();
            const input = window.testOverlayInput(name);
            if (!input || !input.checked) { return -1; }
            const group = map._layers[input.layerId];
            if (!group || !map.hasLayer(group)) { return -2; }
            return group.getLayers().filter(l => map.hasLayer(l)).length;
        }""",
        t("layer_overall", lang),
    )


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("browser")
    runner = CliRunner()
    files = {
        "map": folder / "map.html",
        "report": folder / "report.html",
    }
    result = runner.invoke(cli, ["map", "--no-tiles", "--out", str(files["map"])])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["report", "--out", str(files["report"])])
    assert result.exit_code == 0, result.output
    return files


@pytest.fixture(scope="module")
def counts(joined_2019) -> pd.DataFrame:
    return class_counts(joined_2019)


@pytest.fixture(scope="module")
def inside_points(joined_2019) -> dict[str, tuple[float, float]]:
    """A point inside each commune's drawn (simplified) shape, as (lat, lon)."""
    shapes = gpd.GeoDataFrame(
        {"code": joined_2019["code"].to_numpy()},
        geometry=display_geometry(joined_2019).to_numpy(),
        crs="EPSG:4326",
    )
    metric = shapes.to_crs("EPSG:3405")
    inner = metric.geometry.map(lambda g: g.buffer(-150).representative_point())
    points = gpd.GeoSeries(inner, crs="EPSG:3405").to_crs("EPSG:4326")
    return {code: (p.y, p.x) for code, p in zip(shapes["code"], points, strict=True)}


def _hover(page, lat: float, lon: float) -> str:
    x, y = page.evaluate(
        """([lat, lon]) => {
            const map = window.testMap();
            const p = map.latLngToContainerPoint([lat, lon]);
            const r = map.getContainer().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        [lat, lon],
    )
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y)
    tooltip = page.locator(".leaflet-tooltip").first
    tooltip.wait_for(state="visible", timeout=5000)
    return tooltip.inner_text()


@pytest.mark.parametrize("which", ["map", "report"])
def test_loads_offline_without_errors(offline_page, outputs, which):
    _open(offline_page, outputs[which])
    offline_page.wait_for_timeout(300)
    assert offline_page.blocked == []
    assert offline_page.console_errors == []
    assert offline_page.dialogs == []


@pytest.mark.parametrize("which", ["map", "report"])
def test_draws_122_communes(offline_page, outputs, counts, which):
    _open(offline_page, outputs[which])
    assert _overall_count(offline_page) == 122
    drawn = offline_page.evaluate("window.testDrawn()")
    assert drawn["total"] == 122
    assert drawn["byColour"] == {COLORS[value]: int(n) for value, n in counts["c8"].items() if n}
    # with Leaflet's default SVG renderer, each shape is also one interactive <path>
    paths = offline_page.locator(".leaflet-overlay-pane path.leaflet-interactive").count()
    assert paths == 122


@pytest.mark.parametrize("which", ["map", "report"])
def test_boundary_credit_and_the_published_64_are_shown(offline_page, outputs, which):
    _open(offline_page, outputs[which])
    credit = offline_page.locator("#bkmap-attribution")
    assert credit.is_visible()
    text = credit.inner_text()
    assert "censusVN2009 (Marc Choisy), giấy phép MIT" in text
    assert "gis.chinhphu.vn" in text
    title = offline_page.inner_text("#bkmap-title")
    assert "Hồ sơ nêu tên 8 trong 64 xã" in title


@pytest.mark.parametrize("which", ["map", "report"])
def test_hover_shows_name_and_status(offline_page, outputs, inside_points, which):
    _open(offline_page, outputs[which])
    text = _hover(offline_page, *inside_points["01870"])
    assert "Xã Giáo Hiệu" in text
    assert t("conflicting", "vi") in text  # Nguồn mâu thuẫn
    # both sides of the conflict, each with its date
    assert "S23 pacnam.backan.gov.vn 08/11/2018" in text
    assert "S11 dichvusmb.com" in text
    assert "Huyện Pác Nặm" in text
    offline_page.mouse.move(5, 5)
    text = _hover(offline_page, *inside_points["01834"])  # an urban ward
    assert "Phường Nguyễn Thị Minh Khai" in text
    assert t("not_applicable", "vi") in text


@pytest.mark.parametrize("which", ["map", "report"])
def test_indicator_layer_switches_on_and_off(offline_page, outputs, counts, which):
    from bkmap.model.criteria import INDICATORS

    _open(offline_page, outputs[which])
    ind = INDICATORS[0]  # 8.1: every xã met
    name = t("layer_indicator", "vi", number=ind.key, label=ind.label_vi)
    checkbox = offline_page.locator(".leaflet-control-layers-overlays label", has_text=name)
    before = offline_page.evaluate("window.testDrawn()")
    assert before["total"] == 122
    checkbox.locator("input").check()
    during = offline_page.evaluate("window.testDrawn()")
    assert during["total"] == 244
    green = COLORS["met"]
    assert during["byColour"][green] == before["byColour"][green] + counts[ind.column]["met"]
    checkbox.locator("input").uncheck()
    after = offline_page.evaluate("window.testDrawn()")
    assert after == before


@pytest.mark.parametrize("which", ["map", "report"])
def test_legend_counts_equal_the_tables(offline_page, outputs, counts, which):
    _open(offline_page, outputs[which])
    cells = offline_page.evaluate(
        """() => Array.from(document.querySelectorAll('#bkmap-legend td.bkmap-n')).map(
            td => [td.dataset.layer, td.dataset.class, td.textContent.trim()])"""
    )
    assert len(cells) == counts.size
    for layer, value, text in cells:
        assert int(text) == counts.at[value, layer], (layer, value)
    if which == "report":
        # the report's own table of classes shows the same figures
        rows = offline_page.evaluate(
            """() => Array.from(document.querySelectorAll('#rpt-classes-table tbody tr')).map(
                tr => Array.from(tr.querySelectorAll('td')).map(td => [td.dataset.col, td.textContent]))"""
        )
        assert len(rows) == len(counts.index) == 5
        for row, value in zip(rows, counts.index, strict=True):
            cells_by_col = dict(row)
            assert cells_by_col["class"] == t(value, "vi")
            for layer in counts.columns:
                assert int(cells_by_col[layer].replace(".", "")) == counts.at[value, layer]
        # and the district summary's total row agrees
        total = offline_page.evaluate(
            """() => Object.fromEntries(Array.from(
                document.querySelectorAll('#rpt-summary-table tr.rpt-total td')).map(
                td => [td.dataset.col, td.textContent]))"""
        )
        assert int(total["c8_met"]) == counts.at["met", "c8"]
        assert int(total["c8_conflicting"]) == counts.at["conflicting", "c8"] == 1
        assert int(total["c8_unknown"]) == counts.at["unknown", "c8"]
        assert int(total["units"]) == int(counts["c8"].sum())


def test_report_commune_names_appear_when_zoomed_in(offline_page, outputs):
    from bkmap.render.report import LABEL_MIN_ZOOM

    _open(offline_page, outputs["report"])
    labels = offline_page.locator(".bkmap-commune-label")
    assert labels.count() == 0  # the whole province: no commune names, district names only
    assert offline_page.locator(".bkmap-district-label", has_text="Huyện Na Rì").count() == 1
    offline_page.evaluate(
        "(z) => { window.testMap().setView([22.15, 105.85], z, {animate: false}); }",
        LABEL_MIN_ZOOM,
    )
    offline_page.wait_for_timeout(200)
    assert labels.count() == 122
    assert offline_page.locator(".bkmap-commune-label", has_text="Giáo Hiệu").count() == 1


def test_report_with_tiles_degrades_quietly_offline(offline_page, tmp_path):
    out = tmp_path / "tiles.html"
    result = CliRunner().invoke(cli, ["report", "--tiles", "--out", str(out)])
    assert result.exit_code == 0, result.output
    _open(offline_page, out)
    offline_page.locator("#bkmap-offline-tiles").wait_for(state="visible", timeout=5000)
    assert any("tile.openstreetmap.org" in url for url in offline_page.blocked)
    assert (
        offline_page.evaluate(
            "() => { let n = 0; window.testMap().eachLayer(l => { if (l instanceof L.TileLayer) n++; }); return n; }"
        )
        == 0
    )
    assert _overall_count(offline_page) == 122
    # only the failed tile loads themselves are reported, never a script error
    assert all("Failed to load resource" in e for e in offline_page.console_errors)


def test_injected_text_is_shown_as_text(offline_page, joined_2019, inside_points, tmp_path):
    """Commune names and notes holding markup are shown as text; no script runs, no dialog opens."""
    code = "01870"
    name = f"Xã Giáo Hiệu {XSS_SCRIPT}"
    boundaries = joined_2019[
        ["code", "valid_from", "name", "unit_type", "district_code", "district", "geometry"]
    ].copy()
    boundaries.loc[boundaries["code"].eq(code), "name"] = name
    boundaries.to_file(tmp_path / "communes.gpkg", layer="communes", driver="GPKG")
    status = pd.read_csv("data/status_2019-08-12.csv", dtype=str, keep_default_na=False)
    status.loc[status["code"].eq(code), "name"] = name
    status.loc[status["code"].eq(code), "note"] = f"{XSS_IMG} {XSS_SCRIPT}"
    status.loc[status["code"].eq("01891"), "note"] = XSS_IMG
    status.to_csv(tmp_path / "status.csv", index=False)
    out = tmp_path / "report.html"
    map_out = tmp_path / "map.html"
    common = [
        "--status",
        str(tmp_path / "status.csv"),
        "--boundaries",
        str(tmp_path / "communes.gpkg"),
    ]
    runner = CliRunner()
    result = runner.invoke(cli, ["report", *common, "--out", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["map", *common, "--no-tiles", "--out", str(map_out)])
    assert result.exit_code == 0, result.output

    for path in (map_out, out):
        _open(offline_page, path)
        text = _hover(offline_page, *inside_points[code])
        assert XSS_SCRIPT in text
        assert XSS_IMG in text
        offline_page.mouse.move(5, 5)
        assert offline_page.locator("img[src='x']").count() == 0
        assert offline_page.locator(".leaflet-tooltip script").count() == 0
        assert offline_page.dialogs == []
        assert offline_page.console_errors == []
        assert offline_page.blocked == []
    # the report (opened last) lists both texts as text in its gap list
    body = offline_page.locator("#rpt-gaps-table").inner_text()
    assert name in body
    assert XSS_IMG in body
    offline_page.evaluate(
        "(z) => { window.testMap().setView([22.6, 105.67], z, {animate: false}); }", 12
    )
    assert offline_page.locator(".bkmap-commune-label", has_text=XSS_SCRIPT).count() == 1
    assert offline_page.dialogs == []


def test_report_gap_layer_switches_on_with_its_tooltip(
    offline_page, joined_2019, inside_points, tmp_path
):
    folder = tmp_path / "gaps"
    folder.mkdir()
    rows = joined_2019.loc[
        joined_2019["code"].isin(["01870", "01891", "01900"]),
        ["code", "name", "district", "geometry"],
    ].copy()
    rows["gap"] = "8.3: no station <b>inside</b>"
    rows.drop(columns="geometry").to_csv(folder / "gaps.csv", index=False)
    rows.to_file(folder / "gaps.geojson", driver="GeoJSON")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--gaps", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    _open(offline_page, out)
    name = t("rpt_gap_layer", "vi")
    box = offline_page.locator(".leaflet-control-layers-overlays label", has_text=name)
    assert not box.locator("input").is_checked()  # off at first
    box.locator("input").check()
    shown = offline_page.evaluate(
        """(name) => {
            const map = window.testMap();
            const group = map._layers[window.testOverlayInput(name).layerId];
            return group.getLayers().length;
        }""",
        name,
    )
    assert shown == 3
    text = _hover(offline_page, *inside_points["01870"])
    assert "8.3: no station <b>inside</b>" in text  # the gap layer is on top; markup as text
    assert offline_page.console_errors == []
    assert offline_page.blocked == []
