"""Inlining the page's JavaScript and CSS, so a map works with no network.

folium links Leaflet, jQuery, Bootstrap and Font Awesome from CDNs. bkmap's
maps need only Leaflet, which ships in ``bkmap/render/static/`` (Leaflet 1.9.4, BSD-2-
Clause, from the npm registry; see ``bkmap/render/static/README.md``). :func:`inline_assets`
drops the CDN links and puts Leaflet's code and stylesheet, with its images as
data URIs, inside the page.
"""

from __future__ import annotations

import base64
import functools
import re
from importlib import resources
from typing import Any

import folium

from bkmap.render.htmlsafe import RawElement, page_code

__all__ = ["inline_assets", "leaflet_css", "leaflet_js"]


def _static(name: str) -> bytes:
    return resources.files("bkmap.render").joinpath("static", name).read_bytes()


@functools.cache
def leaflet_js() -> str:
    """Return Leaflet's code, without its source-map comment."""
    text = _static("leaflet.js").decode("utf-8")
    return re.sub(r"//# sourceMappingURL=\S+\s*$", "", text)


@functools.cache
def leaflet_css() -> str:
    """Return Leaflet's stylesheet with its images as data URIs."""
    text = _static("leaflet.css").decode("utf-8")

    def data_uri(found: re.Match[str]) -> str:
        name = found.group(1).split("/")[-1]
        encoded = base64.b64encode(_static(name)).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return re.sub(r"url\((images/[\w\-]+\.png)\)", data_uri, text)


def inline_assets(fmap: folium.Map) -> folium.Map:
    """Make ``fmap`` self-contained: Leaflet inlined, no CDN links. Returns ``fmap``.

    Call it after every layer has been added. Plugins that need other
    libraries are not supported by this function and raise ``ValueError``.
    """
    needed: list[tuple[str, str]] = []
    for child in _walk(fmap):
        needed += list(getattr(child, "default_js", []) or [])
        needed += list(getattr(child, "default_css", []) or [])
    names = {name for name, _url in needed}
    allowed = {
        "leaflet",
        "jquery",
        "bootstrap",
        "awesome_markers",
        "leaflet_css",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
    unknown = names - allowed
    if unknown:
        msg = f"cannot inline the assets of {sorted(unknown)}; only Leaflet ships with bkmap"
        raise ValueError(msg)
    for child in _walk(fmap):
        if hasattr(child, "default_js"):
            child.default_js = []
        if hasattr(child, "default_css"):
            child.default_css = []
    root: Any = fmap.get_root()  # a branca Figure
    header = root.header
    # Added as raw text: branca would otherwise compile Leaflet as a Jinja template.
    header.add_child(
        RawElement(page_code(f"<style>{leaflet_css()}</style>")), name="bkmap_leaflet_css", index=0
    )
    header.add_child(
        RawElement(page_code(f"<script>{leaflet_js()}</script>")), name="bkmap_leaflet_js", index=1
    )
    return fmap


def _walk(element):
    yield element
    for child in element._children.values():
        yield from _walk(child)
