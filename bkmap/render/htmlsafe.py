"""Putting user text into folium pages safely.

Two hazards meet in a folium page:

- **HTML and script injection.** A commune name such as
  ``<img src=x onerror=alert(1)>`` must show as text. bkmap's tooltips and popups
  write values with ``textContent``; other HTML is escaped with ``html.escape``.
- **Template injection.** branca compiles every rendered script a second time
  as a Jinja template, so ``{{ 7*7 }}`` inside a property becomes ``49`` and
  crafted text could run Python while the page is written. :func:`script_json`
  escapes such pairs inside JSON strings; :func:`inert_frame` neutralises them
  in the text columns of a frame that is handed to ``folium.GeoJson``.
"""

from __future__ import annotations

import json
import re

import pandas as pd
from branca.element import Element

__all__ = ["RawElement", "inert_frame", "inert_text", "script_json"]

# In JSON, "{" followed by "{", "%" or "#" can only occur inside a string (an
# object's "{" is followed by '"' or "}"), so escaping it never breaks the JSON.
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")

#: U+2060 WORD JOINER: invisible, and it separates "{" from "{", "%" or "#".
_JOINER = "\u2060"


def script_json(value: object) -> str:
    """Return JSON safe to put inside ``<script>`` and through branca's Jinja pass.

    UTF-8 is kept raw (smaller than ``\\u`` escapes); ``<``, ``>``, ``&``,
    U+2028/U+2029 and Jinja openers inside strings are escaped.

    Examples
    --------
    >>> script_json({"name": "{{ 7*7 }} <b>"})
    '{"name":"\\\\u007b{ 7*7 }} \\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = _JINJA_OPEN.sub(r"\\u007b", text)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


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


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text columns are passed through :func:`inert_text`.

    Use it on any frame whose properties go into ``folium.GeoJson``.
    """
    out = frame.copy()
    for column in out.columns:
        if column == getattr(out, "_geometry_column_name", None):
            continue
        series = out[column]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            out[column] = series.map(lambda v: inert_text(v) if isinstance(v, str) else v)
    return out


class RawElement(Element):
    """Text put in the page as it is, with no Jinja pass: for code and escaped data only.

    branca compiles an ``Element``'s text as a Jinja template; a large script
    (Leaflet) or a data block has no business going through that.
    """

    def __init__(self, text: str) -> None:
        super().__init__("")
        self._text = text

    def render(self, **kwargs: object) -> str:
        return self._text
