"""The one guard between text and a folium page: every text reaches the page through here.

Two hazards meet in a folium page:

- **HTML and script injection.** A commune name such as
  ``<img src=x onerror=alert(1)>`` must show as text. Tooltips and popups write
  values with ``textContent``; every other text is escaped by :func:`page_text`.
- **Template injection.** branca compiles the rendered script of every element
  a second time as a Jinja template, so ``{{ 7*7 }}`` inside a layer name or a
  GeoJSON property would become ``49`` and crafted text could run Python while
  the page is written.

The structure keeps text from reaching the page any other way:

- :class:`PageText` is the only thing :class:`RawElement` (the only element
  bkmap's renderers add to a page) accepts, and the only type a layer name may
  have. It is made by :func:`page_text` (text from data or arguments: escaped
  and made inert), :func:`page_html` (markup that bkmap built from escaped
  parts), :func:`page_code` (bkmap's own static CSS and JavaScript) and
  :func:`script_json` (data for a script).
- Properties handed to ``folium.GeoJson`` pass :func:`inert_frame`.
- :func:`render_page` writes every page file. It refuses a layer whose name is
  not :class:`PageText` and a page whose second template pass would see a Jinja
  tag (a bug: some text bypassed the guard), instead of evaluating it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

import folium
import pandas as pd
from branca.element import Element, Figure

__all__ = [
    "PageText",
    "RawElement",
    "UnguardedTextError",
    "inert_frame",
    "inert_text",
    "page_code",
    "page_html",
    "page_text",
    "render_page",
    "render_sections",
    "script_json",
    "srcdoc",
]

# "{" followed by "{", "%" or "#" opens a Jinja tag. In JSON this can only occur inside a
# string (an object's "{" is followed by '"' or "}"), so escaping it never breaks the JSON.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")

#: U+2060 WORD JOINER: invisible, and it separates "{" from "{", "%" or "#".
_JOINER = "\u2060"


def _escape(text: str) -> str:
    """HTML-escape ``text`` (quotes included, so it is safe in attributes too)."""
    return html.escape(text, quote=True)


class PageText(str):
    """Text that may go into a page as it is: escaped and inert, or bkmap's own code.

    Make it with :func:`page_text`, :func:`page_html`, :func:`page_code` or
    :func:`script_json`; never call ``PageText(...)`` on text from data.
    """

    __slots__ = ()


def inert_text(text: str) -> str:
    """Return ``text`` with an invisible joiner after each ``{`` that opens a Jinja tag.

    The text reads the same on screen; branca no longer evaluates it.

    Examples
    --------
    >>> inert_text("Xã {{ 7*7 }}") == "Xã {\\u2060{ 7*7 }}"
    True
    >>> inert_text("Xã Đồng Phúc")
    'Xã Đồng Phúc'
    """
    return _JINJA_OPEN.sub("{" + _JOINER, text)


def page_text(value: object) -> PageText:
    """The one constructor for text from data or arguments on its way into a page.

    HTML-escapes ``value`` (as text) and makes it inert for Jinja. A
    :class:`PageText` is returned as it is, so text is never escaped twice.

    Examples
    --------
    >>> page_text("Xã <b>{{ 7*7 }}</b>") == "Xã &lt;b&gt;{\\u2060{ 7*7 }}&lt;/b&gt;"
    True
    """
    if isinstance(value, PageText):
        return value
    return PageText(inert_text(_escape(str(value))))


def page_html(markup: str) -> PageText:
    """Markup that bkmap built, each value in it passed through :func:`page_text` or escaped.

    Made inert as well, so that a value escaped with ``html.escape`` alone cannot
    carry a Jinja tag into the page.
    """
    return PageText(inert_text(markup))


def srcdoc(page: str) -> PageText:
    """A whole page bkmap wrote, escaped for an iframe's ``srcdoc`` attribute (notebook display).

    The page is escaped, quotes included, so it cannot close the attribute; it is
    not made inert, since it never passes through a template again and its own
    scripts must run unchanged inside the frame.
    """
    return PageText(_escape(page))


def page_code(code: str) -> PageText:
    """bkmap's own static CSS or JavaScript (never text from data), put in the page unchanged."""
    return PageText(code)


def script_json(value: object) -> PageText:
    """Return JSON safe to put inside ``<script>`` and through branca's Jinja pass.

    UTF-8 is kept raw (smaller than ``\\u`` escapes); ``<``, ``>``, ``&``,
    U+2028/U+2029 and Jinja openers inside strings are escaped, so the script
    reads back exactly the text given.

    Examples
    --------
    >>> script_json({"name": "{{ 7*7 }} <b>"})
    '{"name":"\\\\u007b{ 7*7 }} \\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = _JINJA_OPEN.sub(r"\\u007b", text)
    return PageText(
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text columns are passed through :func:`inert_text`.

    Use it on any frame whose properties go into ``folium.GeoJson``: folium
    writes them with ``tojson`` (which escapes HTML) and branca's second pass
    would then evaluate them.
    """
    out = frame.copy()
    for column in out.columns:
        if column == getattr(out, "_geometry_column_name", None):
            continue
        series = out[column]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            out[column] = series.map(lambda v: inert_text(v) if isinstance(v, str) else v)
    if any(isinstance(c, str) and _JINJA_OPEN.search(c) for c in out.columns):
        out.columns = [inert_text(c) if isinstance(c, str) else c for c in out.columns]
    return out


class RawElement(Element):
    """Page text put in the page as it is, with no Jinja pass.

    It takes only :class:`PageText`: escaped text, bkmap's markup or code, or
    script data. branca would compile an ``Element``'s text as a Jinja template;
    a large script (Leaflet) or a data block has no business going through that.
    """

    def __init__(self, text: PageText) -> None:
        if not isinstance(text, PageText):
            msg = (
                "RawElement takes PageText only: pass text through page_text(), markup through "
                f"page_html(), static code through page_code() (got {type(text).__name__})"
            )
            raise TypeError(msg)
        super().__init__("")
        self._text = text

    def render(self, **kwargs: object) -> str:
        return self._text


class UnguardedTextError(TypeError):
    """Text reached a page without passing :mod:`bkmap.render.htmlsafe` (a bug in bkmap)."""


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _check_layers(root: Element) -> None:
    for element in _walk(root):
        if not isinstance(element, folium.map.Layer) or isinstance(element, folium.TileLayer):
            # A basemap's name is chosen by bkmap (--tiles), never by data.
            continue
        name = element.layer_name
        if element.control and not isinstance(name, PageText) and name != element.get_name():
            msg = (
                f"layer name {name!r} did not pass bkmap.render.htmlsafe.page_text: the layer "
                "control writes it as HTML after a Jinja pass"
            )
            raise UnguardedTextError(msg)


def render_sections(fmap: folium.Map | Figure) -> tuple[str, str, str]:
    """Render a map's page and return its header, body and script, checked by the guard.

    Raises
    ------
    UnguardedTextError
        A layer name is not :class:`PageText`, or a Jinja tag would reach branca's
        second template pass (some text bypassed the guard: a bug, never evaluated).
    """
    root: Any = fmap.get_root()
    if not isinstance(root, Figure):
        msg = "the map is not inside a branca Figure"
        raise TypeError(msg)
    _check_layers(root)
    for child in list(root._children.values()):
        child.render()
    for section in (root.header, root.html, root.script):
        for element in _walk(section):
            # Only a plain Element is compiled as a template here: what MacroElements
            # rendered (first pass) and what folium added as static text.
            if type(element) is not Element or element._template_str is None:
                continue
            found = _JINJA_OPEN.search(element._template_str)
            if found:
                start = max(0, found.start() - 60)
                context = element._template_str[start : found.start() + 60]
                msg = (
                    "a Jinja tag would be evaluated while the page is written (text that did not "
                    f"pass bkmap.render.htmlsafe): ...{context}..."
                )
                raise UnguardedTextError(msg)
    return (root.header.render(), root.html.render(), root.script.render())


def render_page(fmap: folium.Map | Figure) -> str:
    """Render a map as one HTML page, after the checks of :func:`render_sections`."""
    root: Any = fmap.get_root()
    header, body, script = render_sections(root)
    # branca's Figure template, written out so the checked sections are not rendered twice.
    title = f"<title>{page_text(root.title)}</title>" if root.title else ""
    lang = getattr(root, "bkmap_lang", None)
    html = f'<html lang="{page_text(lang)}">' if lang else "<html>"
    return (
        f"<!DOCTYPE html>\n{html}\n<head>\n{title}    {header}\n</head>\n<body>\n    {body}\n"
        f"</body>\n<script>\n    {script}\n</script>\n</html>"
    )
