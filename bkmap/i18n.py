"""Labels in Vietnamese (the default) and English, and number and date formats.

Every text a map, report or table shows a reader comes from here, so that the
two languages never drift apart. :func:`t` looks a label up; an unknown key is
a programming error and raises ``KeyError``.
"""

from __future__ import annotations

import datetime as dt

from bkmap import settings
from bkmap._errors import ValidationError
from bkmap._help_texts import HELP
from bkmap._messages import MESSAGES

__all__ = [
    "LANGS",
    "catalogue",
    "check_lang",
    "format_date",
    "format_int",
    "format_number",
    "format_percent",
    "has",
    "msg",
    "t",
    "template_headers",
]

LANGS: tuple[str, ...] = ("vi", "en")

_LABELS: dict[str, dict[str, str]] = {
    # classes
    "met": {"vi": "Đạt", "en": "Met"},
    "not_met": {"vi": "Chưa đạt", "en": "Not met"},
    "conflicting": {"vi": "Nguồn mâu thuẫn", "en": "Sources conflict"},
    "unknown": {"vi": "Chưa rõ", "en": "Unknown"},
    "not_applicable": {
        "vi": "Không áp dụng (phường, thị trấn)",
        "en": "Not applicable (urban units)",
    },
    # confidences
    "stated": {"vi": "nêu rõ", "en": "stated"},
    "inferred": {"vi": "suy ra", "en": "inferred"},
    # fields
    "commune": {"vi": "Xã/phường/thị trấn", "en": "Commune"},
    "code": {"vi": "Mã ĐVHC", "en": "GSO code"},
    "name": {"vi": "Tên đơn vị", "en": "Name"},
    "district": {"vi": "Huyện", "en": "District"},
    "province": {"vi": "Tỉnh", "en": "Province"},
    "criterion8": {
        "vi": "Tiêu chí 8 (Thông tin và Truyền thông)",
        "en": "Criterion 8 (information and communications)",
    },
    "overall": {"vi": "Tiêu chí 8", "en": "Criterion 8"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "sources": {"vi": "Nguồn dữ liệu", "en": "Data sources"},
    "confidence": {"vi": "Mức tin cậy", "en": "Confidence"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "lineage": {"vi": "Từ các xã năm 2019", "en": "From the 2019 communes"},
    "population": {"vi": "Dân số (2019)", "en": "Population (2019)"},
    "count": {"vi": "Số lượng", "en": "Count"},
    "as_of": {"vi": "Thời điểm đánh giá", "en": "Assessed as of"},
    # map furniture
    "title": {
        "vi": "Bắc Kạn: tiêu chí số 8 (Thông tin và Truyền thông), giai đoạn {period}",
        "en": "Bắc Kạn: criterion 8 (information and communications), {period}",
    },
    "subtitle": {
        "vi": "Số liệu đánh giá đến ngày {as_of} · ranh giới {version}",
        "en": "Data as of {as_of} · {version} boundaries",
    },
    "legend_title": {"vi": "Tiêu chí 8", "en": "Criterion 8"},
    "districts": {"vi": "Ranh giới huyện", "en": "District boundaries"},
    "district_names": {"vi": "Tên huyện", "en": "District names"},
    "layer_overall": {"vi": "Tiêu chí 8 (tổng hợp)", "en": "Criterion 8 (overall)"},
    "layer_indicator": {"vi": "Chỉ tiêu {number}: {label}", "en": "Indicator {number}: {label}"},
    "indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "no_row": {"vi": "không có dòng trong bảng", "en": "no row in the table"},
    "period_2016_2020": {"vi": "2016–2020", "en": "2016–2020"},
}

_TEMPLATE = {
    "vi": {
        "code": "Mã ĐVHC",
        "name": "Tên xã",
        "district": "Huyện",
        "note": "Ghi chú",
    },
    "en": {"code": "code", "name": "name", "district": "district", "note": "note"},
}


def register(labels: dict[str, dict[str, str]]) -> None:
    """Add labels from another module (each key with a ``vi`` and an ``en`` text).

    Modules keep their own labels beside their code and register them on import.
    A key may not be registered twice with different texts.
    """
    for key, texts in labels.items():
        missing = [lang for lang in LANGS if lang not in texts]
        if missing:
            msg = f"label {key!r} lacks {missing}"
            raise ValueError(msg)
        if key in _LABELS and _LABELS[key] != texts:
            msg = f"label {key!r} is already registered with other texts"
            raise ValueError(msg)
        _LABELS[key] = dict(texts)


# The console's words live in their own module (bkmap._messages) but in this one catalogue;
# registered like any module's labels, so a key taken twice is refused.
register(MESSAGES)
register(HELP)


def check_lang(lang: str | None) -> str:
    """Return ``lang`` (or the setting) if bkmap speaks it; raise otherwise."""
    value = lang or settings.lang
    if value not in LANGS:
        text = msg("lang_unsupported", value=value, langs=", ".join(LANGS))
        raise ValidationError(text)
    return value


def t(key: str, lang: str | None = None, **fields: object) -> str:
    """Return the label ``key`` in ``lang``, with ``{fields}`` filled in.

    Examples
    --------
    >>> t("met", "vi"), t("met", "en")
    ('Đạt', 'Met')
    """
    text = _LABELS[key][check_lang(lang)]
    return text.format(**fields) if fields else text


def msg(key: str, **fields: object) -> str:
    """Return the console message ``key`` in the console's language (:data:`settings.console_lang`).

    Errors, notes and summaries are built with this, so the command line speaks
    one language from its first line to its last.

    Examples
    --------
    >>> msg("cli_wrote", path="a.html") in ("đã ghi a.html", "wrote a.html")
    True
    """
    return t(key, settings.console_lang, **fields)


def has(key: str) -> bool:
    """Whether ``key`` is in the catalogue."""
    return key in _LABELS


def catalogue() -> dict[str, dict[str, str]]:
    """A copy of the whole catalogue: key -> {language: text}."""
    return {key: dict(texts) for key, texts in _LABELS.items()}


def template_headers(lang: str) -> dict[str, str]:
    """Return the header of each canonical template column in ``lang``."""
    # Lazy: the CLI reads LANGS from this module, and the criteria bring pandas (start-up).
    from bkmap.model.criteria import INDICATORS

    lang = check_lang(lang)
    headers = dict(_TEMPLATE[lang])
    for ind in INDICATORS:
        if lang == "vi":
            headers[ind.column] = f"Chỉ tiêu {ind.key}"
            headers[ind.source_column] = f"Chỉ tiêu {ind.key} nguồn"
            headers[ind.confidence_column] = f"Chỉ tiêu {ind.key} mức tin cậy"
        else:
            headers[ind.column] = ind.key
            headers[ind.source_column] = f"{ind.key} source"
            headers[ind.confidence_column] = f"{ind.key} confidence"
    return headers


def format_number(value: float, lang: str | None = None, *, digits: int = 3) -> str:
    """Format a number with up to ``digits`` decimals, trailing zeros dropped: the one formatter.

    Vietnamese writes the decimal mark as a comma and groups thousands with a
    dot ("9,474 xã"; "21.984,2"); English the other way round. Every output that
    shows a fraction (HTML, workbooks' text, console, printed maps) uses this.

    Examples
    --------
    >>> format_number(9.4742, "vi"), format_number(9.4742, "en"), format_number(21984.2, "vi")
    ('9,474', '9.474', '21.984,2')
    >>> format_number(12.0, "vi"), format_number(0.44554, "vi")
    ('12', '0,446')
    """
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if check_lang(lang) == "vi":
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return text


def format_int(value: float, lang: str | None = None) -> str:
    """Format a whole number: ``313.905`` in Vietnamese, ``313,905`` in English.

    Examples
    --------
    >>> format_int(313905, "vi"), format_int(313905, "en")
    ('313.905', '313,905')
    """
    return format_number(round(value), lang, digits=0)


def format_percent(share: float, lang: str | None = None, digits: int = 1) -> str:
    """Format a share (0-1) as a percentage: ``12,5%`` in Vietnamese, ``12.5%`` in English."""
    text = f"{share * 100:,.{digits}f}%"
    if check_lang(lang) == "vi":
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return text


def format_date(value: str | dt.date, lang: str | None = None) -> str:
    """Format a date: ``12/08/2019`` in Vietnamese, ``2019-08-12`` in English.

    Partial dates (``2019``, ``2019-08``) are kept as partial.
    """
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if check_lang(lang) == "en":
        return text
    parts = text.split("-")
    return "/".join(reversed(parts)) if all(p.isdigit() for p in parts) else text
