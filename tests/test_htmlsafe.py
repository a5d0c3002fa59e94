"""The page guard (bkmap.render.htmlsafe): one way in for text, and a renderer that checks it.

The end-to-end proof (every field of every input through every writer) is in
tests/test_hostile.py; this file pins the guard's own behaviour and the
structure that makes bypassing it hard.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import folium
import geopandas as gpd
import pytest
import shapely

from bkmap.pipeline import assess
from bkmap.render import htmlsafe
from bkmap.render.htmlsafe import (
    PageText,
    RawElement,
    UnguardedTextError,
    page_code,
    page_html,
    page_text,
    render_page,
    script_json,
)
from bkmap.render.maps import criterion_map

RENDER = Path(__file__).resolve().parents[1] / "bkmap" / "render"
PAYLOAD = "{{ 6*7 }}BK{% if 1 %}BKIF{% endif %}<b id=bkx>"


def _ids(text: str) -> str:
    return re.sub(r"_[0-9a-f]{32}", "_ID", text)


def test_page_text_escapes_and_neutralises_once():
    text = page_text(PAYLOAD)
    assert isinstance(text, PageText)
    assert "<b" not in text
    assert "&lt;b id=bkx&gt;" in text
    assert "{{" not in text
    assert "{%" not in text
    assert page_text(text) is text  # never escaped twice
    assert page_text(3) == "3"


def test_raw_element_takes_page_text_only():
    with pytest.raises(TypeError, match="PageText only"):
        RawElement("<div>" + PAYLOAD + "</div>")  # type: ignore[arg-type]
    assert RawElement(page_code("<style>a{}</style>")).render() == "<style>a{}</style>"
    assert "{{" not in RawElement(page_html("<i>{{ x }}</i>")).render()


def test_script_json_reads_back_the_same_text():
    import json

    encoded = script_json({"n": PAYLOAD})
    assert "{{" not in encoded
    assert "<" not in encoded
    assert json.loads(encoded)["n"] == PAYLOAD


def _small_map() -> folium.Map:
    fmap = folium.Map(tiles=None)
    frame = gpd.GeoDataFrame(
        {"name": ["Xã A"]}, geometry=[shapely.box(105.8, 22.1, 105.9, 22.2)], crs=4326
    )
    folium.GeoJson(htmlsafe.inert_frame(frame), name=page_text("A")).add_to(fmap)
    return fmap


def test_a_layer_name_from_data_is_inert_in_the_layer_control():
    fmap = _small_map()
    folium.FeatureGroup(name=page_text("Bắc Kạn " + PAYLOAD)).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    page = render_page(fmap)
    assert "BKIF" in page  # the text is there ...
    assert "6*7" in page
    assert "}}BKBKIF" not in page  # ... never evaluated
    assert "42BK" not in page
    assert "<b id=bkx>" not in page  # and never HTML


def test_the_renderer_refuses_a_layer_name_that_did_not_pass_the_guard():
    fmap = _small_map()
    folium.FeatureGroup(name="Bắc Kạn {{ 6*7 }}").add_to(fmap)
    folium.LayerControl().add_to(fmap)
    with pytest.raises(UnguardedTextError, match="layer name"):
        render_page(fmap)


def test_the_renderer_refuses_unguarded_text_instead_of_evaluating_it():
    fmap = folium.Map(tiles=None)
    frame = gpd.GeoDataFrame(
        {"name": [PAYLOAD]}, geometry=[shapely.box(105.8, 22.1, 105.9, 22.2)], crs=4326
    )
    # Not passed through inert_frame: folium would hand the name to branca's second pass.
    folium.GeoJson(frame, name=page_text("A")).add_to(fmap)
    assert "42BK" in fmap.get_root().render()  # what branca alone does with it
    with pytest.raises(UnguardedTextError, match="Jinja tag"):
        render_page(_rebuild(frame))


def _rebuild(frame: gpd.GeoDataFrame) -> folium.Map:
    fmap = folium.Map(tiles=None)
    folium.GeoJson(frame, name=page_text("A")).add_to(fmap)
    return fmap


def test_with_the_jinja_guard_removed_text_is_evaluated(monkeypatch):
    """Mutation check: the guard is what keeps the layer name inert."""
    monkeypatch.setattr(htmlsafe, "_JINJA_OPEN", re.compile(r"(?!x)x"))
    fmap = _small_map()
    folium.FeatureGroup(name=page_text("Bắc Kạn {{ 6*7 }}BK")).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    assert "42BK" in render_page(fmap)


def test_render_page_writes_what_branca_writes():
    """The checked renderer changes nothing on clean data (ids and the page's language aside)."""
    assessment = assess()
    ours = render_page(criterion_map(assessment, tiles="OpenStreetMap"))
    theirs = criterion_map(assessment, tiles="OpenStreetMap").get_root().render()
    # branca's template has no lang: render_page adds the map's language to <html>.
    assert '<html lang="vi">' in ours
    assert _ids(ours.replace('<html lang="vi">', "<html>", 1)) == _ids(theirs)


# --------------------------------------------------------------------------- structure


def _render_modules() -> dict[str, ast.Module]:
    return {
        p.name: ast.parse(p.read_text(encoding="utf-8"))
        for p in sorted(RENDER.glob("*.py"))
        if p.name != "htmlsafe.py"
    }


def test_no_renderer_builds_a_branca_element_or_renders_a_page_itself():
    offenders = []
    for name, tree in _render_modules().items():
        for node in ast.walk(tree):
            imported = isinstance(node, ast.ImportFrom) and node.module == "branca.element"
            if imported and any(a.name == "Element" for a in node.names):
                offenders.append(f"{name}:{node.lineno}: imports branca's Element")
            renders = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "render"
                and "get_root" in ast.unparse(node.func.value)
            )
            if renders:
                offenders.append(f"{name}:{node.lineno}: renders a page without render_page")
            if isinstance(node, ast.Attribute) and ast.unparse(node) == "html.escape":
                offenders.append(f"{name}:{node.lineno}: escapes with html.escape, not page_text")
    assert offenders == []


#: folium's layers, named at the call; bkmap's own layers pass their name through page_text.
_LAYERS = {"GeoJson", "FeatureGroup", "Layer"}
_OWN_LAYERS = {"_DataLayer", "_CompactLayer"}


def test_every_layer_name_and_geojson_frame_passes_the_guard():
    offenders = []
    for name, tree in _render_modules().items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called not in _LAYERS:
                continue
            for kw in node.keywords:
                if kw.arg == "name" and not _called(kw.value, "page_text"):
                    offenders.append(f"{name}:{node.lineno}: name={ast.unparse(kw.value)}")
            if called == "GeoJson" and node.args and not _called(node.args[0], "inert_frame"):
                offenders.append(f"{name}:{node.lineno}: GeoJson({ast.unparse(node.args[0])})")
    assert offenders == []


def _called(node: ast.AST, function: str) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", "") == function


def test_bkmaps_own_layers_pass_their_name_through_the_guard():
    found = set()
    for tree in _render_modules().values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in _OWN_LAYERS:
                init = next(f for f in node.body if getattr(f, "name", "") == "__init__")
                assert "name=page_text(name)" in ast.unparse(init), node.name
                found.add(node.name)
    assert found == _OWN_LAYERS
