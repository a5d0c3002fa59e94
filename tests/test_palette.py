"""The palette: classes told apart in greyscale and under every colour-vision deficiency.

Colour-vision deficiencies are simulated with colorspacious (Machado et al.
2009, severity 100: dichromacy), and differences measured in CAM02-UCS, where
a distance of about 1 is a just-noticeable difference and 10 or more reads as
a different colour at a glance. Greyscale is CIE L* (what a photocopy keeps).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import colorspacious
import numpy as np
import pytest

from bkmap.model.criteria import VALUES
from bkmap.render import comparemap, gapmap, maps, palette

#: Simulated vision: normal and the three dichromacies.
VISIONS = ("normal", "deuteranomaly", "protanomaly", "tritanomaly")

#: Minimum CAM02-UCS distance between two classes of the status map, in every vision.
MIN_CLASS_DISTANCE = 12.0
#: Minimum difference of CIE L* between two classes (greyscale copy).
MIN_CLASS_LIGHTNESS = 12.0
#: Minimum distance between a marker or overlay colour and anything drawn with it.
MIN_MARKER_DISTANCE = 10.0

#: The palette of bkmap 0.1 (issue 15): met and not met nearly the same grey and,
#: for deuteranopes, nearly the same olive.
OLD_CLASSES = {
    "met": "#1a9641",
    "not_met": "#d7191c",
    "conflicting": "#e08214",
    "unknown": "#8c8c8c",
    "not_applicable": "#e6e0f0",
}


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255


def _seen(colour: str, vision: str) -> np.ndarray:
    rgb = _rgb(colour)
    if vision == "normal":
        return rgb
    cvd = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
    return np.clip(colorspacious.cspace_convert(rgb, cvd, "sRGB1"), 0, 1)


def distance(a: str, b: str, vision: str) -> float:
    """CAM02-UCS distance between two colours as seen with ``vision``."""
    return float(
        colorspacious.deltaE(
            _seen(a, vision), _seen(b, vision), input_space="sRGB1", uniform_space="CAM02-UCS"
        )
    )


def lightness(colour: str) -> float:
    """CIE L* of a colour: its grey on a photocopy."""
    return float(colorspacious.cspace_convert(_rgb(colour), "sRGB1", "CIELab")[0])


def class_problems(colours: dict[str, str]) -> list[str]:
    """Every pair of classes too close in some vision or in greyscale."""
    problems = []
    for a, b in itertools.combinations(VALUES, 2):
        for vision in VISIONS:
            d = distance(colours[a], colours[b], vision)
            if d < MIN_CLASS_DISTANCE:
                problems.append(f"{a}/{b} {vision}: {d:.1f}")
        dl = abs(lightness(colours[a]) - lightness(colours[b]))
        if dl < MIN_CLASS_LIGHTNESS:
            problems.append(f"{a}/{b} greyscale: ΔL* {dl:.1f}")
    return problems


def test_one_palette_everywhere():
    # the old names are the palette's own dicts, so old imports see the new colours
    assert maps.COLORS is palette.CLASS_COLORS
    assert gapmap.GAP_COLORS is palette.GAP_COLORS
    assert comparemap.CHANGE_COLORS is palette.CHANGE_COLORS
    assert list(palette.CLASS_COLORS) == list(VALUES)


def test_classes_differ_in_every_vision_and_in_greyscale():
    assert class_problems(palette.CLASS_COLORS) == []


def test_the_old_colours_fail_the_same_check():
    problems = class_problems(OLD_CLASSES)
    assert any(p.startswith("met/not_met deuteranomaly") for p in problems), problems
    assert any(p.startswith("met/not_met greyscale") for p in problems), problems


def test_met_is_darker_than_not_met_by_a_clear_step():
    dark, light = lightness(palette.CLASS_COLORS["met"]), lightness(palette.CLASS_COLORS["not_met"])
    assert light - dark >= 25


@pytest.mark.parametrize("vision", VISIONS)
def test_gap_map_markers_and_overlays_stand_apart(vision):
    gap = palette.GAP_COLORS
    # markers and overlays against each other
    for a, b in itertools.combinations(gap, 2):
        assert distance(gap[a], gap[b], vision) >= MIN_MARKER_DISTANCE, (a, b)
    # and against every class fill they are drawn over
    for key, value in itertools.product(gap, VALUES):
        d = distance(gap[key], palette.CLASS_COLORS[value], vision)
        assert d >= MIN_MARKER_DISTANCE, (key, value, round(d, 1))


def test_markers_never_reuse_a_class_colour():
    classes = {c.lower() for c in palette.CLASS_COLORS.values()}
    markers = [
        v for k, v in palette.GAP_COLORS.items() if k.startswith("station_") or k == "village"
    ]
    markers += [
        palette.PLAN_COLORS[k] for k in ("site_fill", "village_covered", "village_uncovered")
    ]
    assert len(markers) == 8  # with station_later (issue 15, item 6)
    assert not {m.lower() for m in markers} & classes


@pytest.mark.parametrize("vision", VISIONS)
def test_change_colours_differ(vision):
    kinds = palette.CHANGE_COLORS
    for a, b in itertools.combinations(kinds, 2):
        assert distance(kinds[a], kinds[b], vision) >= 8.0, (a, b)


def test_plan_villages_covered_and_not_differ():
    plan = palette.PLAN_COLORS
    for vision in VISIONS:
        assert distance(plan["village_covered"], plan["village_uncovered"], vision) >= 20
    assert abs(lightness(plan["village_covered"]) - lightness(plan["village_uncovered"])) >= 25


def test_hatched_classes_have_a_pattern_with_visible_lines():
    assert set(palette.HATCHES) == {"not_met", "conflicting"}
    assert palette.HATCHES["not_met"]["mpl"] != palette.HATCHES["conflicting"]["mpl"]
    for value, hatch in palette.HATCHES.items():
        # the hatch lines stand out from their fill in greyscale
        assert abs(lightness(hatch["line"]) - lightness(palette.CLASS_COLORS[value])) >= 35
    defs = palette.svg_pattern_defs()
    for value in palette.HATCHES:
        assert f'id="{palette.pattern_id(value)}"' in defs
        assert palette.class_fill(value) == f"url(#{palette.pattern_id(value)})"
    assert palette.class_fill("met") == palette.CLASS_COLORS["met"]


# --------------------------------------------------------------------------- in the browser

_HATCH_JS = """() => {
  let map = null;
  for (const key of Object.keys(window)) {
    let v; try { v = window[key]; } catch (e) { continue; }
    if (v instanceof L.Map) { map = v; break; }
  }
  const out = {};
  map.eachLayer(function(group){
    if (group.bkmapKey !== 'k_c8') { return; }
    group.eachLayer(function(l){
      const cls = l.feature.properties.k_c8;
      (out[cls] = out[cls] || []).push([l.options.fillColor, l._path.getAttribute('fill')]);
    });
  });
  return out;
}"""


@pytest.fixture(scope="module")
def not_met_map(tmp_path_factory) -> tuple[Path, list[str]]:
    """The shipped 2019 map with three unknown communes made "not met" (the real table has none)."""
    import pandas as pd
    from click.testing import CliRunner

    from bkmap.cli.main import cli
    from bkmap.datasets import status_table

    folder = tmp_path_factory.mktemp("palette")
    table = pd.read_csv(status_table("2019-08-12"), dtype=str, keep_default_na=False)
    codes = table.loc[table["c8_3"].eq("unknown"), "code"].head(3).tolist()
    rows = table["code"].isin(codes)
    table.loc[rows, "c8_3"] = "not_met"
    table.loc[rows, "c8_3_source"] = "S13"
    table.loc[rows, "c8_3_confidence"] = "stated"
    status = folder / "status_test.csv"
    table.to_csv(status, index=False)
    out = folder / "map.html"
    result = CliRunner().invoke(
        cli, ["map", "--no-tiles", "--status", str(status), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out, codes


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_not_met_communes_and_their_swatch_are_hatched(offline_page, not_met_map):
    page = offline_page
    path, codes = not_met_map
    page.goto(path.resolve().as_uri())
    page.wait_for_function("typeof L !== 'undefined' && window.bkmapMap !== undefined")
    fills = page.evaluate(_HATCH_JS)
    assert len(fills["not_met"]) == len(codes) == 3
    for colour, fill in fills["not_met"]:
        assert colour == palette.CLASS_COLORS["not_met"]  # the style keeps the class colour
        assert fill == "url(#bkmap-hatch-not_met)"  # the path is drawn with the pattern
    assert {tuple(f) for f in fills["conflicting"]} == {
        (palette.CLASS_COLORS["conflicting"], "url(#bkmap-hatch-conflicting)")
    }
    assert {tuple(f) for f in fills["met"]} == {(palette.CLASS_COLORS["met"],) * 2}
    # the pattern is in the page, and the legend swatch is filled with it too
    assert page.evaluate(
        "() => document.getElementById('bkmap-hatch-not_met') instanceof SVGPatternElement"
    )
    swatches = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll(
            '#bkmap-legend svg.bkmap-sw')).map(s => [s.dataset.class,
            s.querySelector('rect').getAttribute('fill')]))"""
    )
    assert swatches == {v: palette.class_fill(v) for v in VALUES}
    # a hover restyles the commune; it stays hatched
    after = page.evaluate(
        """() => { let out = null;
          window.bkmapMap.eachLayer(function(g){ if (g.bkmapKey !== 'k_c8') { return; }
            g.eachLayer(function(l){ if (!out && l.feature.properties.k_c8 === 'not_met') {
              g.fire('mouseover', {layer: l}); g.fire('mouseout', {layer: l});
              out = l._path.getAttribute('fill'); } }); });
          return out; }"""
    )
    assert after == "url(#bkmap-hatch-not_met)"
    # and the browser draws the lines: a not-met commune's pixels are not one flat colour
    box = page.evaluate(
        """() => { let b = null;
          window.bkmapMap.eachLayer(function(g){ if (g.bkmapKey !== 'k_c8') { return; }
            g.eachLayer(function(l){ if (!b && l.feature.properties.k_c8 === 'not_met') {
              const c = window.bkmapMap.latLngToContainerPoint(l.getCenter());
              b = [c.x, c.y]; } }); });
          return b; }"""
    )
    from io import BytesIO

    from PIL import Image

    shot = page.screenshot(clip={"x": box[0] - 6, "y": box[1] - 6, "width": 12, "height": 12})
    grey = np.asarray(Image.open(BytesIO(shot)).convert("L"), dtype=float)
    assert grey.max() - grey.min() > 60, (grey.min(), grey.max())
    assert page.blocked == []
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_gap_map_legend_matches_what_is_drawn(offline_page, tmp_path):
    from click.testing import CliRunner

    from bkmap.cli.main import cli
    from bkmap.datasets import example

    layers = []
    for option, name in (
        ("--stations", "stations"),
        ("--villages", "villages"),
        ("--coverage", "coverage_operator"),
    ):
        layers += [option, str(example(f"illustrative_{name}.geojson"))]
    result = CliRunner().invoke(cli, ["gaps", *layers, "--out", str(tmp_path), "--no-tiles"])
    assert result.exit_code == 0, result.output
    page = offline_page
    page.goto((tmp_path / "gaps_map.html").resolve().as_uri())
    page.wait_for_function(
        "typeof L !== 'undefined' && document.querySelector('#bkmap-gap-legend')"
    )
    page.wait_for_timeout(300)
    drawn = page.evaluate(
        """() => {
          let map = null;
          for (const key of Object.keys(window)) {
            let v; try { v = window[key]; } catch (e) { continue; }
            if (v instanceof L.Map) { map = v; break; }
          }
          const covered = [], markers = [];
          map.eachLayer(function(l){
            if (l instanceof L.CircleMarker && l.feature) {
              markers.push([l.feature.properties.state || 'village', l.options.fillColor]);
            } else if (l instanceof L.Path && l.feature && l.feature.properties
                       && Object.keys(l.feature.properties).length === 1) {
              covered.push(getComputedStyle(l._path).fill + '|' + getComputedStyle(l._path).fillOpacity);
            }
          });
          const legend = {};
          document.querySelectorAll('#bkmap-gap-legend i[data-gap-key]').forEach(function(i){
            legend[i.dataset.gapKey] = getComputedStyle(i).backgroundColor;
          });
          return {covered: Array.from(new Set(covered)), markers: markers, legend: legend};
        }"""
    )
    covered = palette.GAP_COLORS["covered"]
    rgb = tuple(int(covered[i : i + 2], 16) for i in (1, 3, 5))
    # the covered area is drawn in the colour and opacity its swatch shows
    assert len(drawn["covered"]) == 1, drawn["covered"]
    assert drawn["covered"] == [f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})|{palette.GAP_FILL_OPACITY}"]
    assert drawn["legend"]["covered"] == (
        f"rgba({rgb[0]}, {rgb[1]}, {rgb[2]}, {palette.GAP_FILL_OPACITY})"
    )
    # every station marker has its state's marker colour, never a class colour, and
    # every state drawn has its own row in the legend
    classes = {c.lower() for c in palette.CLASS_COLORS.values()}
    stations_drawn = [(s, c) for s, c in drawn["markers"] if s != "village"]
    assert stations_drawn
    for state, colour in stations_drawn:
        assert colour == palette.GAP_COLORS[f"station_{state}"]
        assert colour.lower() not in classes
        assert f"station_{state}" in drawn["legend"]
    villages = [c for s, c in drawn["markers"] if s == "village"]
    assert villages
    assert set(villages) == {palette.GAP_COLORS["village"]}
    assert drawn["legend"]["village"] == "rgb(42, 0, 127)"  # GAP_COLORS["village"]
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_plan_map_legend_matches_its_markers(offline_page, tmp_path):
    from click.testing import CliRunner

    from bkmap.cli.main import cli
    from bkmap.datasets import example

    villages = str(example("illustrative_villages.geojson"))
    args = ["plan", "--stations", "20", "--unknown", "probability", "--probability", "0.451"]
    result = CliRunner().invoke(cli, [*args, "--villages", villages, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    page = offline_page
    page.goto((tmp_path / "plan_map.html").resolve().as_uri())
    page.wait_for_function("typeof L !== 'undefined' && window.bkmapMap !== undefined")
    found = page.evaluate(
        """() => {
          const markers = new Set();
          for (const key of Object.keys(window)) {
            let v; try { v = window[key]; } catch (e) { continue; }
            if (!(v instanceof L.GeoJSON)) { continue; }
            v.eachLayer(function(l){ if (l instanceof L.CircleMarker) { markers.add(l.options.fillColor); } });
          }
          const legend = {};
          document.querySelectorAll('#bkmap-plan-summary i[data-plan-key]').forEach(function(i){
            legend[i.dataset.planKey] = getComputedStyle(i).backgroundColor;
          });
          return {markers: Array.from(markers), legend: legend};
        }"""
    )

    def css(colour: str) -> str:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return f"rgb({r}, {g}, {b})"

    plan = palette.PLAN_COLORS
    # every marker colour drawn is one the legend shows, with its meaning
    assert set(found["markers"]) == {
        plan["site_fill"],
        plan["village_covered"],
        plan["village_uncovered"],
    }
    assert found["legend"]["sites"] == css(plan["site_fill"])
    assert found["legend"]["plan_layer_covered"] == css(plan["village_covered"])
    assert found["legend"]["plan_layer_uncovered"] == css(plan["village_uncovered"])
    assert found["legend"]["reach"].startswith("rgba(")
    assert not {m.lower() for m in found["markers"]} & {
        c.lower() for c in palette.CLASS_COLORS.values()
    }
    assert page.console_errors == []
