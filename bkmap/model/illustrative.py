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

from bkmap.i18n import register, t

__all__ = ["COLUMN", "banner", "mark"]

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


def mark(text: str, lang: str | None = None) -> str:
    """``text`` followed by the word for illustrative in ``lang``, in parentheses.

    Examples
    --------
    >>> mark("Đài truyền thanh xã", "vi"), mark("Commune radio stations", "en")
    ('Đài truyền thanh xã (minh họa)', 'Commune radio stations (illustrative)')
    """
    return f"{text} ({t('illustrative', lang)})"


def banner(lang: str | None = None) -> str:
    """The one-line warning of titles, report headers and workbook sheets, in ``lang``.

    Examples
    --------
    >>> banner("en")
    'ILLUSTRATIVE DATA: not real, not for reporting'
    """
    return t("illustrative_banner", lang)
