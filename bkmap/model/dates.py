"""Dates: the one parser for dates written in data and in options.

Dates are always parsed before they are used, never carried as free text: a
date goes into titles and file names, and only a real date is safe there.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["parse_date"]

# Day-first is how Vietnamese tables write dates (12/08/2019); ISO is what bkmap
# writes. Spreadsheets hand over datetimes, which pandas renders with a time.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00:00(?:\.0+)?)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


def parse_date(value: object) -> dt.date:
    """Parse a date written ``2019-08-12``, ``12/08/2019``, ``12.08.2019`` or ``12-08-2019``.

    Dates are always parsed before they are used, never carried as free text:
    a date goes into titles and file names, and only a real date is safe there.

    Raises
    ------
    ValueError
        ``value`` is not one of those forms, or not a day of the calendar.

    Examples
    --------
    >>> parse_date("12/08/2019"), parse_date("2019-08-12 00:00:00")
    (datetime.date(2019, 8, 12), datetime.date(2019, 8, 12))
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = match.groups()
    else:
        msg = f"{text!r} is not a date: write it as YYYY-MM-DD (2019-08-12) or DD/MM/YYYY (12/08/2019)"
        raise ValueError(msg)
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        msg = f"{text!r} is not a day of the calendar: write a real date as YYYY-MM-DD (2019-08-12)"
        raise ValueError(msg) from None
