"""How an output made from illustrative data says so: one wording for every output.

Which inputs are illustrative is decided once, by
:func:`bkmap.io.points.is_illustrative` (layers) and the readers' records
(:attr:`bkmap.io.record.ReadRecord.illustrative`). This module owns what every
output then carries: the words "minh họa" / "illustrative" in the page's or
file's own language (:func:`mark`), the banner of titles and headers
(:func:`banner`), and the column or property that tables and layers get
(:data:`COLUMN`, always ``True`` when present).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from bkmap.i18n import register, t

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMN", "banner", "mark", "marked", "unmarked"]

_Frame = TypeVar("_Frame", bound="pd.DataFrame")

#: Column of CSV tables and property of GeoJSON / GeoPackage features made from
#: illustrative data (``True``); absent from outputs made from real data only.
COLUMN: str = "illustrative"

register(
    {
        "illustrative": {"vi": "minh họa", "en": "illustrative"},
        "illustrative_banner": {
            "vi": "DỮ LIỆU MINH HỌA: không phải số liệu thật, không dùng để báo cáo",
            "en": "ILLUSTRATIVE DATA: not real, not for reporting",
        },
    }
)


def mark(text: str, lang: str | None = None, *, when: bool = True) -> str:
    """``text`` followed by the word for illustrative in ``lang``, in parentheses.

    ``when`` is whether the output is made from illustrative data: ``text`` is
    returned unchanged when it is not, so that callers need no branch of their own.

    Examples
    --------
    >>> mark("Đài truyền thanh xã", "vi"), mark("Commune radio stations", "en")
    ('Đài truyền thanh xã (minh họa)', 'Commune radio stations (illustrative)')
    >>> mark("Đài truyền thanh xã", "vi", when=False)
    'Đài truyền thanh xã'
    """
    return f"{text} ({t('illustrative', lang)})" if when else text


def marked(frame: _Frame, when: bool) -> _Frame:
    """``frame`` with :data:`COLUMN` set to ``True`` on every row when ``when``, else unchanged."""
    return frame.assign(**{COLUMN: True}) if when else frame


def banner(lang: str | None = None) -> str:
    """The one-line warning of titles, report headers and workbook sheets, in ``lang``.

    Examples
    --------
    >>> banner("en")
    'ILLUSTRATIVE DATA: not real, not for reporting'
    """
    return t("illustrative_banner", lang)


def unmarked(text: str) -> str:
    """``text`` without a trailing "(minh họa)" or "(illustrative)": the page adds its own.

    Example layers carry the marker in Vietnamese inside their names; a page in
    English shows the name without it and says "illustrative" in its own words.

    Examples
    --------
    >>> unmarked("Đài truyền thanh Xã Bằng Thành (minh họa)")
    'Đài truyền thanh Xã Bằng Thành'
    """
    stripped = text.rstrip()
    for word in ("minh họa", "minh hoạ", "illustrative"):
        tail = f"({word})"
        if stripped.casefold().endswith(tail.casefold()):
            return stripped[: -len(tail)].rstrip()
    return text
