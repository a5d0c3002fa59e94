"""The one place for the colours and patterns of every bkmap map.

Every map, legend and print takes its class colours from here, so that what
is drawn and what the legend shows cannot drift apart.

The five status classes are told apart three ways:

* by lightness, far enough apart (at least 12 units of CIE L*) to survive a
  greyscale photocopy: met is the darkest, not applicable the lightest;
* by hue, chosen from colour-blind-safe sets (ColorBrewer BrBG/PuOr, Okabe-Ito)
  and checked under simulated deuteranopia, protanopia and tritanopia
  (``tests/test_palette.py``);
* by pattern, for the two classes that call for action: "not met" is hatched
  with diagonal lines and "conflicting" cross-hatched, on the web map (an SVG
  ``<pattern>``) and in print (a matplotlib hatch).

Markers (stations, villages, proposed sites) never reuse a class colour.
"""

from __future__ import annotations

from typing import TypedDict

from bkmap.render.htmlsafe import page_text

__all__ = [
    "CHANGE_COLORS",
    "CLASS_COLORS",
    "GAP_COLORS",
    "GAP_FILL_OPACITY",
    "HATCHES",
    "MARKER_STROKE",
    "PLAN_COLORS",
    "Hatch",
    "class_fill",
    "pattern_id",
    "svg_pattern_defs",
    "swatch_html",
]

#: Fill colour of each status class (see :data:`bkmap.model.criteria.VALUES`).
#: CIE L*: met 33, conflicting 49, not met 64, unknown 82, not applicable 98.
CLASS_COLORS: dict[str, str] = {
    "met": "#00594f",  # dark blue-green (BrBG)
    "not_met": "#e8812d",  # orange, hatched
    "conflicting": "#7a68b0",  # purple (PuOr), cross-hatched
    "unknown": "#cccccc",  # light grey
    "not_applicable": "#fafafa",  # near white: outside the programme
}


#: Second cue of the classes that call for action. ``mpl`` is the matplotlib
#: hatch of the print; ``angles`` the line directions of the SVG pattern (degrees);
#: ``line`` the colour of the hatch lines, dark on a light fill and light on a
#: dark one, so the lines stay visible in greyscale.
class Hatch(TypedDict):
    """The hatch of a class: matplotlib's code, the SVG line angles and the line colour."""

    mpl: str
    angles: tuple[int, ...]
    line: str


HATCHES: dict[str, Hatch] = {
    "not_met": {"mpl": "////", "angles": (45,), "line": "#3b1d00"},
    "conflicting": {"mpl": "xxx", "angles": (45, -45), "line": "#ffffff"},
}

#: Outline of every point marker: a dark ring keeps light markers visible on pale fills.
MARKER_STROKE = "#111111"

#: Colours of the gap layers, drawn over the class fills. Marker colours
#: (``station_*``, ``village``) are none of the class colours.
GAP_COLORS: dict[str, str] = {
    "covered": "#40b0e0",  # sky blue, translucent (GAP_FILL_OPACITY)
    "gap": "#b2182b",  # dark red dashed outline
    "station_working": "#111111",  # black disc
    "station_not_working": "#d01c8b",  # magenta disc
    "station_unknown": "#fff000",  # yellow disc
    "station_later": "#aaffaa",  # pale mint disc, dashed ring: built after the date, not counted
    "village": "#2a007f",  # indigo disc
}

#: Fill opacity of the covered area, shared by the layer and its legend swatch.
GAP_FILL_OPACITY = 0.35

#: Outline colour of each kind of change on the comparison map (Okabe-Ito).
CHANGE_COLORS: dict[str, str] = {
    "gained": "#009e73",
    "lost": "#d55e00",
    "newly_known": "#0072b2",
    "no_longer_known": "#cc79a7",
    "revised": "#e69f00",
    "unchanged": "#bbbbbb",
}

#: Colours of the plan map.
PLAN_COLORS: dict[str, str] = {
    "reach_fill": GAP_COLORS["covered"],
    "reach_line": "#08306b",
    "site_fill": GAP_COLORS["station_unknown"],
    "site_line": "#08306b",
    "site_existing_line": "#555555",
    "village_covered": GAP_COLORS["station_working"],
    "village_uncovered": GAP_COLORS["station_not_working"],
    "chart": "#2b83ba",
}


def pattern_id(value: str) -> str:
    """The id of the SVG pattern of a class (``bkmap-hatch-not_met``)."""
    return f"bkmap-hatch-{value}"


def class_fill(value: str) -> str:
    """The SVG ``fill`` of a class: its pattern if it has one, else its colour."""
    if value in HATCHES:
        return f"url(#{pattern_id(value)})"
    return CLASS_COLORS.get(value, "#ffffff")


def _pattern(value: str, *, size: int = 7) -> str:
    hatch = HATCHES[value]
    lines = "".join(
        f'<line x1="0" y1="{size / 2}" x2="{size}" y2="{size / 2}" '
        f'stroke="{hatch["line"]}" stroke-width="1.4" transform="rotate({angle} {size / 2} {size / 2})"/>'
        for angle in hatch["angles"]
    )
    return (
        f'<pattern id="{pattern_id(value)}" patternUnits="userSpaceOnUse" '
        f'width="{size}" height="{size}">'
        f'<rect width="{size}" height="{size}" fill="{CLASS_COLORS[value]}"/>{lines}</pattern>'
    )


def svg_pattern_defs() -> str:
    """A zero-size ``<svg>`` holding the class patterns, for a page's map and legend.

    Leaflet's SVG renderer writes ``fillColor`` into each path's ``fill``, and
    ``url(#id)`` resolves against the whole document, so the paths and the
    legend swatches can share these patterns. The element is kept out of
    sight with a zero size, not ``display:none``, under which some browsers
    draw no pattern.
    """
    patterns = "".join(_pattern(v) for v in HATCHES)
    return (
        '<svg class="bkmap-patterns" aria-hidden="true" focusable="false" '
        'style="position:absolute;width:0;height:0;overflow:hidden">'
        f"<defs>{patterns}</defs></svg>"
    )


def swatch_html(value: str) -> str:
    """A legend swatch of a class, drawn with the same fill (pattern or colour) as the map."""
    return (
        f'<svg class="bkmap-sw" data-class="{page_text(value)}" width="14" height="12" '
        'aria-hidden="true" style="display:inline-block;margin-right:5px;vertical-align:middle">'
        f'<rect x="0.5" y="0.5" width="13" height="11" fill="{class_fill(value)}" '
        'stroke="#777777" stroke-width="1"/></svg>'
    )
