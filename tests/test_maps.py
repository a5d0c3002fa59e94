"""The criterion-8 map: compact shared data, safe text, and what Chromium draws."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import shapely

from bkmap.geo.simplify import decimals_for_zoom, display_geometry, target_zoom
from bkmap.io.status import load_status
from bkmap.render.maps import (
    CANVAS_MIN_FEATURES,
    class_counts,
    criterion_map,
    decode_shapes,
    encode_shapes,
    page_blocks,
    page_features,
    save_map,
)


def _blocks(page: str) -> list[dict]:
    return page_blocks(page)


@pytest.fixture(scope="module")
def default_page(assessment_2019, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("maps") / "m.html"
    fmap = criterion_map(assessment_2019)
    save_map(fmap, path)
    return str(path)


def test_encode_decode_round_trip_keeps_holes_parts_and_signs():
    ring = [(-105.123456, -21.5), (-105.0, -21.5), (-105.0, -21.4), (-105.123456, -21.4)]
    hole = [(-105.1, -21.48), (-105.02, -21.48), (-105.02, -21.42)]
    geoms = np.array(
        [
            shapely.Polygon(ring, [hole]),
            shapely.MultiPolygon(
                [shapely.box(106, 22, 106.1, 22.1), shapely.box(107, 22, 107.2, 22.3)]
            ),
        ],
        dtype=object,
    )
    back = decode_shapes(encode_shapes(geoms, decimals=5))
    for a, b in zip(geoms, back, strict=True):
        assert shapely.hausdorff_distance(a, b) <= 1e-5
        assert shapely.get_num_interior_rings(shapely.get_parts(b)).sum() == (
            shapely.get_num_interior_rings(shapely.get_parts(a)).sum()
        )
    assert len(shapely.get_parts(back[1])) == 2


def test_default_map_holds_each_commune_once_with_its_class(default_page, joined_2019):
    page = Path(default_page).read_text(encoding="utf-8")
    features = page_features(page)
    assert len(features) == 122
    expected = load_status().set_index("code")["c8"].to_dict()
    assert {f["code"]: f["k_c8"] for f in features} == expected
    for ind in ("c8_1", "c8_2", "c8_3", "c8_4"):
        assert {f["code"]: f[f"k_{ind}"] for f in features} == joined_2019.set_index("code")[
            ind
        ].to_dict()
    # One data block for the communes (shared by the five layers), one for districts.
    blocks = _blocks(page)
    assert len(blocks) == 2
    assert page.count("bkmapLayer(") == 5  # five layers drawing from that block
    # Vietnamese stays raw UTF-8, and the lineage of each field survives.
    assert "Xã Lục Bình" in page


def test_display_shapes_in_the_page_match_the_display_geometry(default_page, joined_2019):
    page = Path(default_page).read_text(encoding="utf-8")
    communes = next(b for b in _blocks(page) if "cols" in b)
    zoom = target_zoom(tuple(joined_2019.total_bounds))
    shown = display_geometry(joined_2019, zoom=zoom).to_numpy()
    back = decode_shapes(communes)
    assert len(back) == 122
    assert shapely.hausdorff_distance(
        np.array(back, dtype=object), shown
    ).max() <= 1.5 * 10 ** -decimals_for_zoom(zoom)


def test_legend_title_and_counts_are_kept(default_page, joined_2019):
    page = Path(default_page).read_text(encoding="utf-8")
    assert 'id="bkmap-legend"' in page
    assert 'id="bkmap-title"' in page
    counts = class_counts(joined_2019)
    for value in ("met", "not_met", "conflicting", "unknown", "not_applicable"):
        cell = re.search(rf'data-layer="c8" data-class="{value}">(\d+)<', page)
        assert cell is not None
        assert int(cell.group(1)) == counts.at[value, "c8"]


def test_user_text_cannot_run_or_be_templated(assessment_2019, tmp_path):
    joined = assessment_2019.joined.copy()
    first = joined.index[0]
    joined.loc[first, "name"] = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
    joined.loc[first, "note"] = "{{ 7*7 }} {% if true %}x{% endif %} {# c #}"
    path = save_map(criterion_map(assessment_2019.replace(joined=joined)), tmp_path / "xss.html")
    page = path.read_text(encoding="utf-8")
    assert "<img src=x" not in page
    assert "</script><script>alert(2)" not in page
    assert "49" not in json.dumps(next(b for b in _blocks(page) if "cols" in b)["cols"]["note"])
    features = page_features(page)
    row = next(f for f in features if f["code"] == joined.loc[first, "code"])
    assert row["name"] == joined.loc[first, "name"]
    assert row["note"] == joined.loc[first, "note"]
    assert "innerHTML" not in page.split("window.bkmapDecode")[1].split("})();")[0]


def _errors(page) -> list[str]:
    """Console errors, except the blocked basemap tiles (the test page is offline)."""
    return [e for e in page.console_errors if "Failed to load resource" not in e]


def _settle(page) -> None:
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _hover(page, lat: float, lng: float) -> str:
    x, y = page.evaluate(
        "([lat, lng]) => { const p = window.bkmapMap.latLngToContainerPoint([lat, lng]);"
        " const r = window.bkmapMap.getContainer().getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }",
        [lat, lng],
    )
    page.mouse.move(x, y)
    page.wait_for_selector(".leaflet-tooltip", timeout=5000)
    return page.inner_text(".leaflet-tooltip")


@pytest.mark.browser
def test_chromium_draws_each_commune_as_one_svg_shape(default_page, joined_2019, offline_page):
    page = offline_page
    page.goto(f"file://{default_page}")
    page.wait_for_function("window.bkmapDrawn > 0")
    _settle(page)
    assert page.evaluate("window.bkmapDrawn") == 122
    assert page.locator("path.leaflet-interactive").count() == 122
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert len(labels) == 6  # overall, four indicators, districts
    # Switching an indicator on draws its 122 shapes from the same data.
    page.locator(".leaflet-control-layers-overlays input").nth(3).check()
    _settle(page)
    assert page.locator("path.leaflet-interactive").count() == 244
    page.locator(".leaflet-control-layers-overlays input").nth(3).uncheck()
    row = joined_2019.set_index("code").loc["01990"]  # Xã Lục Bình, 8.3 unknown
    point = row.geometry.representative_point()
    text = _hover(page, point.y, point.x)
    assert "Xã Lục Bình" in text
    assert "Chưa rõ" in text
    assert _errors(page) == []
    assert page.dialogs == []


@pytest.mark.browser
def test_hostile_names_show_as_text_in_chromium(assessment_2019, tmp_path, offline_page):
    joined = assessment_2019.joined.copy()
    first = joined.index[0]
    joined.loc[first, "name"] = "<img src=x onerror=alert(1)>"
    joined.loc[first, "note"] = "{{ 7*7 }}"
    path = save_map(criterion_map(assessment_2019.replace(joined=joined)), tmp_path / "xss.html")
    page = offline_page
    page.goto(f"file://{path}")
    page.wait_for_function("window.bkmapDrawn > 0")
    point = joined.loc[first].geometry.representative_point()
    # The first unit is a small ward of the city: centre it at a zoom where the pointer cannot
    # land on a neighbour, and let the view settle before hovering.
    page.evaluate(
        "([lat, lng]) => window.bkmapMap.setView([lat, lng], 13, {animate: false})",
        [point.y, point.x],
    )
    _settle(page)
    text = _hover(page, point.y, point.x)
    assert "<img src=x onerror=alert(1)>" in text
    assert "{{ 7*7 }}" in text
    assert page.dialogs == []


@pytest.mark.browser
def test_national_map_draws_on_canvas_with_tooltips_and_colours(tmp_path, offline_page):
    from bkmap.pipeline import assess

    country = assess(province="all")
    joined = country.joined
    assert len(joined) > CANVAS_MIN_FEATURES
    path = save_map(criterion_map(country), tmp_path / "vn.html")
    size = path.stat().st_size
    assert size < 2_500_000  # explore() writes about 14.5 MB for the same layer
    page = offline_page
    page.goto(f"file://{path}")
    page.wait_for_function("window.bkmapDrawn > 0", timeout=60_000)
    _settle(page)
    assert page.evaluate("window.bkmapDrawn") == len(joined)
    assert page.locator("path.leaflet-interactive").count() == 0
    assert page.locator("canvas.leaflet-zoom-animated").count() >= 1
    # The one commune whose sources conflict (Giáo Hiệu) is drawn orange on the canvas.
    target = joined[joined["c8"].eq("conflicting")].iloc[0]
    centre = target.geometry.representative_point()
    page.evaluate(
        "([lat, lng]) => window.bkmapMap.setView([lat, lng], 11, {animate: false})",
        [centre.y, centre.x],
    )
    _settle(page)
    point = target.geometry.representative_point()
    x, y = page.evaluate(
        "([lat, lng]) => { const p = window.bkmapMap.latLngToContainerPoint([lat, lng]);"
        " const r = window.bkmapMap.getContainer().getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }",
        [point.y, point.x],
    )
    from io import BytesIO

    from PIL import Image

    shot = page.screenshot(clip={"x": x - 6, "y": y - 6, "width": 12, "height": 12})
    pixels = np.asarray(Image.open(BytesIO(shot)).convert("RGB"), dtype=float).reshape(-1, 3)
    # COLORS["conflicting"] at fill opacity 0.8 over Leaflet's grey background (#ddd),
    # cross-hatched with the palette's light lines, drawn on the canvas as a pattern
    from bkmap.render.maps import COLORS
    from bkmap.render.palette import HATCHES

    def blend(colour: str) -> np.ndarray:
        return np.array([0.8 * int(colour[i : i + 2], 16) + 0.2 * 0xDD for i in (1, 3, 5)])

    def share(colour: str) -> float:
        return float((np.abs(pixels - blend(colour)).max(axis=1) <= 14).mean())

    assert share(COLORS["conflicting"]) > 0.1, pixels.mean(axis=0)
    assert share(HATCHES["conflicting"]["line"]) > 0.05, pixels.mean(axis=0)
    text = _hover(page, point.y, point.x)
    assert target["name"] in text
    assert "Nguồn mâu thuẫn" in text
    assert _errors(page) == []
