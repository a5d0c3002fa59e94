"""Dates: the one parser for dates written in data and in options.

Dates are always parsed before they are used, never carried as free text: a
date goes into titles and file names, and only a real date is safe there.
"""

from __future__ import annotations

import datetime as dt
import re

from bkmap.i18n import msg as _msg

__all__ = ["date_range", "parse_date"]

# Day-first is how Vietnamese tables write dates (12/08/2019); ISO is what bkmap
# writes. Spreadsheets hand over datetimes, which pandas renders with a time.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00:00(?:\.0+)?)?")
# Never month-first: 12/08/2019 is 12 August (the article of 12/08/2019 in data/README.md), and
# reading it as 8 December would date evidence four months off without any error.
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
# Years and months alone are for evidence dates only (date_range); parse_date refuses them, since
# an option or a table date must name one day.
_PARTIAL = re.compile(r"(\d{4})(?:-(\d{1,2}))?")


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
        msg = _msg("date_not_date", text=text)
        raise ValueError(msg)
    try:
        # The patterns accept any digits: the calendar check (31/02/2019, month 13) is left to
        # datetime, whose error is turned into the message below.
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        msg = _msg("date_not_day", text=text)
        raise ValueError(msg) from None


def date_range(value: object) -> tuple[dt.date, dt.date]:
    """Return the first and last day a date of evidence covers: a day, a month or a year.

    Sources often give only a year (``2019``) or a month (``2021-12``). Such a
    date is a range, and a fact dated by it happened on some day of the range:
    it is known to precede a day only when the whole range does. The evidence
    rules (see ``data/README.md``) compare these ranges, never a guessed day.

    Raises
    ------
    ValueError
        ``value`` is not a day, a month (``YYYY-MM``) or a year (``YYYY``).

    Examples
    --------
    >>> date_range("2019")
    (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))
    >>> date_range("2021-12")[1], date_range("2018-10-31")[0]
    (datetime.date(2021, 12, 31), datetime.date(2018, 10, 31))
    """
    text = str(value).strip()
    if match := _PARTIAL.fullmatch(text):
        year, month = match.groups()
        if month is None:
            return dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
        first = dt.date(int(year), int(month), 1) if 1 <= int(month) <= 12 else None
        if first is None:
            msg = _msg("date_not_month", text=text)
            raise ValueError(msg)
        # The last day of the month is the day before the first of the next (December rolls over
        # into January): no table of month lengths, and leap years come right.
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    day = parse_date(text)
    return day, day
