"""Inlining the page's JavaScript and CSS, so a map works with no network.

folium links Leaflet, jQuery, Bootstrap, Font Awesome and its plugins' code
from CDNs. bkmap's maps need Leaflet and the Leaflet.fullscreen plugin, which
ship in ``bkmap/render/static/`` (Leaflet 1.9.4, BSD-2-Clause; leaflet.fullscreen
3.0.0, MIT; both from the npm registry, see ``bkmap/render/static/README.md``).
:func:`inline_assets` drops the CDN links and puts their code and stylesheets,
with images as data URIs, inside the page. A plugin whose files are not
vendored is refused by name rather than left to fail offline.
"""

from __future__ import annotations

import base64
import functools
import re
from importlib import resources
from typing import Any

import folium

from bkmap.render.htmlsafe import RawElement, page_code

__all__ = ["VENDORED", "inline_assets", "leaflet_css", "leaflet_js", "vendored_css", "vendored_js"]

#: folium asset names that bkmap's pages do without (jQuery, Bootstrap, Font Awesome
#: and awesome-markers style only folium's own popups and icons, which bkmap does not use).
_DROPPED = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)

#: folium asset name -> the vendored file in ``bkmap/render/static/`` that replaces it.
VENDORED: dict[str, str] = {
    "leaflet": "leaflet.js",
    "leaflet_css": "leaflet.css",
    # folium.plugins.Fullscreen links leaflet.fullscreen@3.0.0 (the minified copy on a CDN).
    "Control.Fullscreen.js": "Control.FullScreen.js",
    "Control.FullScreen.css": "Control.FullScreen.css",
}

_MIME = {".png": "image/png", ".svg": "image/svg+xml"}


def _static(name: str) -> bytes:
    return resources.files("bkmap.render").joinpath("static", name).read_bytes()


def _data_uri(name: str) -> str:
    suffix = name[name.rfind(".") :]
    encoded = base64.b64encode(_static(name)).decode("ascii")
    return f"url(data:{_MIME[suffix]};base64,{encoded})"


@functools.cache
def vendored_js(name: str) -> str:
    """Return a vendored script, without its source-map comment."""
    text = _static(name).decode("utf-8")
    return re.sub(r"//# sourceMappingURL=\S+\s*$", "", text)


@functools.cache
def vendored_css(name: str) -> str:
    """Return a vendored stylesheet with its images as data URIs."""
    text = _static(name).decode("utf-8")
    return re.sub(
        r"url\((?:images/)?([\w\-]+\.(?:png|svg))\)", lambda m: _data_uri(m.group(1)), text
    )


def leaflet_js() -> str:
    """Return Leaflet's code, without its source-map comment."""
    return vendored_js("leaflet.js")


def leaflet_css() -> str:
    """Return Leaflet's stylesheet with its images as data URIs."""
    return vendored_css("leaflet.css")


def inline_assets(fmap: folium.Map) -> folium.Map:
    """Make ``fmap`` self-contained: Leaflet and vendored plugins inlined, no CDN links.

    Call it after every layer and plugin has been added. Returns ``fmap``.

    Raises
    ------
    ValueError
        A plugin links a script or stylesheet that bkmap does not ship; the
        message names the plugin and its files (vendor them in
        ``bkmap/render/static/`` and list them in :data:`VENDORED`).
    """
    wanted: list[str] = []
    refused: dict[str, list[str]] = {}
    for child in _walk(fmap):
        assets = list(getattr(child, "default_js", []) or [])
        assets += list(getattr(child, "default_css", []) or [])
        for name, url in assets:
            if name in VENDORED:
                if name not in wanted:
                    wanted.append(name)
            elif name not in _DROPPED:
                refused.setdefault(type(child).__name__, []).append(f"{name} ({url})")
    if refused:
        plugins = "; ".join(f"{plugin}: {', '.join(files)}" for plugin, files in refused.items())
        msg = (
            f"cannot make the page work offline: the assets of {plugins} are not shipped with "
            "bkmap. Vendor them in bkmap/render/static/ and list them in "
            "bkmap.render.assets.VENDORED, or leave the plugin out"
        )
        raise ValueError(msg)
    for child in _walk(fmap):
        if hasattr(child, "default_js"):
            child.default_js = []
        if hasattr(child, "default_css"):
            child.default_css = []
    root: Any = fmap.get_root()  # a branca Figure
    header = root.header
    # Leaflet first: the plugins extend it. Added as raw text: branca would otherwise
    # compile the code as a Jinja template.
    wanted.sort(key=lambda name: name not in ("leaflet", "leaflet_css"))
    for index, name in enumerate(wanted):
        file = VENDORED[name]
        if file.endswith(".css"):
            text = f"<style>{vendored_css(file)}</style>"
        else:
            text = f"<script>{vendored_js(file)}</script>"
        key = "bkmap_" + re.sub(r"\W", "_", name)
        if key not in header._children:
            header.add_child(RawElement(page_code(text)), name=key, index=index)
    return fmap


def _walk(element):
    yield element
    for child in element._children.values():
        yield from _walk(child)
