"""Every HTML page bkmap writes, in a real headless Chromium with every http(s) request blocked.

One page per writer (map, report, gaps map, plan map, comparison map) and
language is built once per module through the CLI, as a user would, and each
is checked for what an official on a machine with no network, or on a phone,
needs: no request attempted, no console error, a title and a language, the
search box, the full-screen button, commune names, and panels that do not
cover each other at 390 × 844.
"""

from __future__ import annotations

from pathlib import Path

import folium
import folium.plugins
import pandas as pd
import pytest
from click.testing import CliRunner

from bkmap.cli.main import cli
from bkmap.model.names import fold
from bkmap.render.assets import inline_assets
from bkmap.render.maps import LABEL_MIN_ZOOM


def _browser(test):
    """Mark a test as needing Chromium, run by the one worker that runs every browser test."""
    return pytest.mark.browser(pytest.mark.xdist_group("browser")(test))


XSS_IMG = "<img src=x onerror=alert(1)>"

#: Every HTML writer, as the CLI arguments that write it and the page written.
WRITERS: dict[str, tuple[list[str], str]] = {
    "map": (["map", "--out", "{d}/map.html"], "map.html"),
    "report": (["report", "--out", "{d}/report.html"], "report.html"),
    "gaps": (["gaps", "--out", "{d}/gaps"], "gaps/gaps_map.html"),
    "plan": (["plan", "--stations", "3", "--out", "{d}/plan"], "plan/plan_map.html"),
    "compare": (
        ["compare", "--as-of", "2018-07-31", "--as-of", "2019-08-12", "--out", "{d}/compare.html"],
        "compare.html",
    ),
}
LANGS = ("vi", "en")
#: Writers whose map stands alone on the page (the report's sits in a section).
MAPS = ("map", "gaps", "plan", "compare")

FIND_MAP = """
window.testMap = function(){
  for (const key of Object.keys(window)) {
    let value; try { value = window[key]; } catch (e) { continue; }
    if (value instanceof L.Map) { return value; }
  }
  return null;
};
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Every writer's page in each language, written once through the CLI."""
    runner = CliRunner()
    out: dict[tuple[str, str], Path] = {}
    for lang in LANGS:
        folder = tmp_path_factory.mktemp(f"pages_{lang}")
        for writer, (args, page) in WRITERS.items():
            argv = [a.format(d=folder) for a in args]
            if lang != "vi":
                argv += ["--lang", lang]
            result = runner.invoke(cli, argv)
            assert result.exit_code == 0, (writer, lang, result.output)
            out[(writer, lang)] = folder / page
    return out


@pytest.fixture(scope="module")
def inside_points_2019(joined_2019) -> dict[str, tuple[float, float]]:
    """A point inside each commune, as (lat, lon)."""
    metric = joined_2019.geometry.to_crs("EPSG:3405")
    inner = metric.map(lambda g: g.buffer(-150).representative_point())
    points = inner.set_crs("EPSG:3405").to_crs("EPSG:4326")
    return {c: (p.y, p.x) for c, p in zip(joined_2019["code"], points, strict=True)}


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory, joined_2019) -> dict[str, Path]:
    """The map and the report of a boundary layer where Giáo Hiệu's name is markup."""
    folder = tmp_path_factory.mktemp("hostile")
    boundaries = joined_2019[
        ["code", "valid_from", "name", "unit_type", "district_code", "district", "geometry"]
    ].copy()
    boundaries.loc[boundaries["code"].eq("01870"), "name"] = f"Xã {XSS_IMG}"
    boundaries.to_file(folder / "communes.gpkg", layer="communes", driver="GPKG")
    status = pd.read_csv("data/status_2019-08-12.csv", dtype=str, keep_default_na=False)
    status.loc[status["code"].eq("01870"), "name"] = f"Xã {XSS_IMG}"
    status.to_csv(folder / "status.csv", index=False)
    common = ["--status", str(folder / "status.csv"), "--boundaries", str(folder / "communes.gpkg")]
    out = {}
    for writer in ("map", "report"):
        path = folder / f"{writer}.html"
        result = CliRunner().invoke(cli, [writer, *common, "--out", str(path)])
        assert result.exit_code == 0, result.output
        out[writer] = path
    return out


def _open(page, path: Path) -> None:
    page.goto(path.resolve().as_uri())
    page.wait_for_function("typeof L !== 'undefined'")
    page.evaluate(FIND_MAP)
    page.wait_for_function("window.testMap() !== null")


def _box(page, selector: str) -> dict[str, float]:
    locator = page.locator(selector)
    assert locator.count() == 1, selector
    box = locator.bounding_box()
    assert box is not None, selector
    assert box["width"] > 0, selector
    assert box["height"] > 0, selector
    return box


def _intersect(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


# --------------------------------------------------------------------------- offline, title, lang


@_browser
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("writer", list(WRITERS))
def test_page_is_offline_titled_and_in_its_language(offline_page, pages, writer, lang):
    _open(offline_page, pages[(writer, lang)])
    offline_page.wait_for_timeout(300)
    assert offline_page.blocked == []
    assert offline_page.console_errors == []
    assert offline_page.dialogs == []
    assert offline_page.title().strip() != ""
    assert offline_page.evaluate("document.documentElement.lang") == lang
    # the boundary credits once (the comparison map draws two dates of the same units)
    assert offline_page.locator("#bkmap-attribution").count() == 1
    # the fullscreen button and the search box are on every page, in its language
    button = offline_page.locator(".leaflet-control-zoom-fullscreen")
    assert button.count() == 1
    placeholder = offline_page.locator("#bkmap-search input").get_attribute("placeholder")
    assert placeholder == (
        "Tìm xã: tên hoặc mã" if lang == "vi" else "Find a commune: name or code"
    )


@_browser
def test_tiles_option_still_adds_a_basemap(offline_page, tmp_path):
    """--tiles asks for OpenStreetMap tiles; offline the basemap is removed and the page says so."""
    out = tmp_path / "tiles.html"
    result = CliRunner().invoke(cli, ["map", "--tiles", "--out", str(out)])
    assert result.exit_code == 0, result.output
    _open(offline_page, out)
    note = offline_page.locator("#bkmap-offline-tiles")
    note.wait_for(state="visible", timeout=5000)
    assert "không có mạng" in note.inner_text()
    assert any("tile.openstreetmap.org" in url for url in offline_page.blocked)
    # only the failed tile loads themselves are reported, never a script error
    assert all("Failed to load resource" in e for e in offline_page.console_errors)


# --------------------------------------------------------------------------- names and framing


@_browser
@pytest.mark.parametrize("writer", [*MAPS, "report"])
def test_commune_names_appear_from_label_zoom(offline_page, pages, writer):
    _open(offline_page, pages[(writer, "vi")])
    labels = offline_page.locator(".bkmap-commune-label")
    assert labels.count() == 0  # the whole province: district names only
    offline_page.evaluate(
        "(z) => window.testMap().setView([22.15, 105.85], z, {animate: false})", LABEL_MIN_ZOOM
    )
    offline_page.wait_for_timeout(200)
    assert labels.count() == 122  # once each, also on the comparison of two dates
    assert offline_page.locator(".bkmap-commune-label", has_text="Giáo Hiệu").count() == 1


@_browser
@pytest.mark.parametrize("writer", ["map", "report"])
def test_the_area_fills_the_map(offline_page, pages, joined_2019, writer):
    """The province's extent spans at least 85% of the map's width or height (whole zoom steps: 74%)."""
    _open(offline_page, pages[(writer, "vi")])
    minx, miny, maxx, maxy = (float(v) for v in joined_2019.to_crs(4326).total_bounds)
    share = offline_page.evaluate(
        """(b) => {
            const map = window.testMap();
            const sw = map.latLngToContainerPoint([b[1], b[0]]);
            const ne = map.latLngToContainerPoint([b[3], b[2]]);
            const size = map.getSize();
            const inside = map.getBounds().contains([[b[1], b[0]], [b[3], b[2]]]);
            return [inside, Math.max((ne.x - sw.x) / size.x, (sw.y - ne.y) / size.y)];
        }""",
        [minx, miny, maxx, maxy],
    )
    assert share[0] is True
    assert share[1] >= 0.85


@_browser
@pytest.mark.parametrize("writer", ["map", "report", "gaps"])
def test_legend_does_not_cover_the_scale_bar(offline_page, pages, writer):
    _open(offline_page, pages[(writer, "vi")])
    scale = _box(offline_page, ".leaflet-control-scale")
    for legend in offline_page.locator(".bkmap-legend").all():
        assert not _intersect(legend.bounding_box(), scale)


# --------------------------------------------------------------------------- phone


@_browser
@pytest.mark.parametrize("writer", ["map", "report", "gaps", "plan", "compare"])
def test_phone_panels_do_not_overlap(offline_page, pages, writer):
    offline_page.set_viewport_size({"width": 390, "height": 844})
    _open(offline_page, pages[(writer, "vi")])
    boxes = {
        "title": _box(offline_page, "#bkmap-title"),
        "legend": _box(offline_page, "#bkmap-legend"),
        "layers": _box(offline_page, ".leaflet-control-layers"),
        "search": _box(offline_page, "#bkmap-search"),
    }
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not _intersect(boxes[a], boxes[b]), (a, b, boxes[a], boxes[b])
    # the title is not one word per line: two lines at most, inside the screen
    assert boxes["title"]["height"] <= 48
    assert boxes["title"]["x"] + boxes["title"]["width"] <= 390
    # folded by default: the legend's table and the layer list are hidden, the map is free
    assert not offline_page.locator("#bkmap-legend table").is_visible()
    assert not offline_page.locator(".leaflet-control-layers-list").is_visible()
    covered = sum(box["width"] * box["height"] for box in boxes.values())
    assert covered < 0.1 * 390 * 844
    # and they open on a tap
    offline_page.locator("#bkmap-legend .bkmap-toggle").click()
    assert offline_page.locator("#bkmap-legend table").is_visible()
    offline_page.locator(".leaflet-control-layers-toggle").click()
    assert offline_page.locator(".leaflet-control-layers-list").is_visible()
    offline_page.locator(".leaflet-control-layers-list input").first.click()
    assert offline_page.locator(".leaflet-control-layers-list").is_visible()
    frame = _box(offline_page, ".leaflet-container")
    # a tap on the map, away from the open list, folds the layer list again
    offline_page.mouse.click(frame["x"] + 30, frame["y"] + frame["height"] * 0.55)
    assert not offline_page.locator(".leaflet-control-layers-list").is_visible()
    assert offline_page.console_errors == []


@_browser
def test_wide_screen_shows_panels_open(offline_page, pages):
    _open(offline_page, pages[("map", "vi")])
    assert offline_page.locator("#bkmap-legend table").is_visible()
    assert offline_page.locator(".leaflet-control-layers-list").is_visible()
    assert offline_page.locator("#bkmap-search input").is_visible()
    offline_page.locator("#bkmap-legend .bkmap-toggle").click()
    assert not offline_page.locator("#bkmap-legend table").is_visible()


# --------------------------------------------------------------------------- search


def _search(page, query: str, *, enter: bool = True) -> list[str]:
    page.fill("#bkmap-search input", query)
    found = page.locator("#bkmap-search li").all_inner_texts()
    if enter:
        page.press("#bkmap-search input", "Enter")
        page.wait_for_timeout(100)
    return found


@_browser
@pytest.mark.parametrize("writer", ["map", "report"])
@pytest.mark.parametrize(
    "query", ["giao hieu", "Giáo Hiệu", "GIÁO HIỆU", "  giao   HIEU ", "01870"]
)
def test_search_finds_and_opens_a_commune(offline_page, pages, inside_points_2019, writer, query):
    _open(offline_page, pages[(writer, "vi")])
    found = _search(offline_page, query)
    assert found[0] == "Xã Giáo Hiệu · Huyện Pác Nặm (01870)"
    state = offline_page.evaluate(
        """(p) => {
            const map = window.testMap();
            return [map.getZoom(), map.getBounds().contains(p)];
        }""",
        list(inside_points_2019["01870"]),
    )
    assert state[0] >= LABEL_MIN_ZOOM  # zoomed in far enough to read the names
    assert state[1] is True
    tooltip = offline_page.locator(".leaflet-tooltip.bkmap-search-tip")
    assert tooltip.is_visible()
    text = tooltip.inner_text()
    assert "Xã Giáo Hiệu" in text
    assert "Huyện Pác Nặm" in text
    assert offline_page.blocked == []
    assert offline_page.console_errors == []


@_browser
def test_search_folds_d_with_stroke(offline_page, pages, joined_2019):
    """đ/Đ is searched as d, as bkmap.model.names.fold does: every Đồng commune is found."""
    _open(offline_page, pages[("map", "vi")])
    expected = sorted(str(n) for n in joined_2019["name"] if "dong" in fold(str(n)).split())
    assert expected  # Đồng Lạc, Đồng Phúc, Đổng Xá ...
    for query in ("dong", "Đồng", "ĐỒNG", "đồng"):
        found = _search(offline_page, query, enter=False)
        names = sorted(item.split(" · ")[0] for item in found)
        assert set(expected) <= set(names), query
    assert _search(offline_page, "Đông Viên", enter=False)[0].startswith("Xã Đông Viên")
    assert _search(offline_page, "zzzz", enter=False) == []
    assert offline_page.locator("#bkmap-search .bkmap-none").is_visible()


@_browser
def test_search_folds_as_python_does(offline_page, pages, joined_2019):
    """The page's fold of every commune name equals bkmap.model.names.fold."""
    _open(offline_page, pages[("map", "vi")])
    names = [str(n) for n in joined_2019["name"]] + [
        "  Đồng   THẮNG ",
        "nghie\u0302n loan",
        "đường Đỏ",
    ]
    folded = offline_page.evaluate("(names) => names.map(window.bkmapFold)", names)
    assert folded == [fold(n) for n in names]


@_browser
@pytest.mark.parametrize("writer", ["map", "report"])
def test_search_shows_a_hostile_name_as_text(offline_page, hostile_pages, writer):
    _open(offline_page, hostile_pages[writer])
    found = _search(offline_page, "img src")
    assert found == [f"Xã {XSS_IMG} · Huyện Pác Nặm (01870)"]
    assert XSS_IMG in offline_page.locator(".leaflet-tooltip.bkmap-search-tip").inner_text()
    assert offline_page.locator("img[src='x']").count() == 0
    assert offline_page.dialogs == []
    assert offline_page.console_errors == []
    assert offline_page.blocked == []


# --------------------------------------------------------------------------- fullscreen


@_browser
@pytest.mark.parametrize("writer", ["map", "report"])
def test_fullscreen_works_offline(offline_page, pages, writer):
    _open(offline_page, pages[(writer, "vi")])
    button = offline_page.locator(".leaflet-control-zoom-fullscreen")
    assert button.get_attribute("title") == "Toàn màn hình"
    button.click()
    offline_page.wait_for_function("document.fullscreenElement !== null")
    # the map with its title and legend goes full screen, not the bare map
    assert offline_page.evaluate(
        "document.fullscreenElement.contains(document.getElementById('bkmap-title'))"
    )
    assert offline_page.evaluate("window.testMap()._isFullscreen") is True
    button.click()
    offline_page.wait_for_function("document.fullscreenElement === null")
    assert offline_page.blocked == []
    assert offline_page.console_errors == []


# --------------------------------------------------------------------------- plugins


def test_inline_assets_refuses_a_plugin_that_is_not_vendored():
    fmap = folium.Map(tiles=None)
    folium.plugins.MeasureControl().add_to(fmap)
    with pytest.raises(ValueError, match="MeasureControl") as info:
        inline_assets(fmap)
    assert "leaflet-measure" in str(info.value)


def test_inline_assets_inlines_fullscreen():
    fmap = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(fmap)
    inline_assets(fmap)
    page = fmap.get_root().render()
    assert "cdn.jsdelivr.net" not in page
    assert "leaflet.fullscreen" in page  # the plugin's code, inlined
    assert "data:image/svg+xml;base64," in page  # its icon, inlined
    assert page.index("L.control.fullscreen") > page.index("Control.FullScreen = leaflet")


@_browser
def test_report_gap_row_shows_its_commune(offline_page, pages):
    """The gap list's rows carry the commune's code; a click shows that commune on the map."""
    _open(offline_page, pages[("report", "vi")])
    row = offline_page.locator("#rpt-gaps-table tbody tr[data-key='01870']")
    assert row.count() == 1
    row.click()
    tooltip = offline_page.locator(".leaflet-tooltip.bkmap-search-tip")
    assert tooltip.is_visible()
    assert "Xã Giáo Hiệu" in tooltip.inner_text()
    assert offline_page.evaluate("window.testMap().getZoom()") >= LABEL_MIN_ZOOM
    assert offline_page.console_errors == []
