"""Administrative units, their versions over time, and the lineage between them.

A unit is identified by its GSO code *together with* its valid-from date,
because GSO reuses codes: 02155 was Xã Lương Hạ until 2020-01-31, Thị trấn
Yến Lạc from 2020-02-01, and Xã Na Rì from 2025-07-01.

The unit list comes from ``data/units_lineage.csv``. An empty ``valid_from``
means the unit was already in force at the earliest source snapshot
(2019-09-11); its start date is not recorded. An empty ``valid_to`` means it is
still in force.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import pandas as pd

from bkmap import settings
from bkmap._errors import ValidationError

__all__ = ["VERSIONS", "Version", "load_units", "parse_date", "units_on", "version_on"]


@dataclass(frozen=True)
class Version:
    """One state of the commune map, in force from ``valid_from``."""

    name: str
    valid_from: str | None
    description: str
    source: str


#: The states of the map that bkmap knows, oldest first.
VERSIONS: tuple[Version, ...] = (
    Version(
        "2019",
        None,
        "122 units of Tỉnh Bắc Kạn (110 xã, 6 phường, 6 thị trấn), as listed by GSO on 2019-12-01",
        "GSO list 2019-12-01 (daohoangson/dvhcvn)",
    ),
    Version(
        "2020",
        "2020-02-01",
        "108 units after NQ 855/NQ-UBTVQH14 merged and split communes",
        "GSO list 2020-03-01 (daohoangson/dvhcvn); NQ 855/NQ-UBTVQH14",
    ),
    Version(
        "2023",
        "2023-04-10",
        "108 units; Xã Vân Tùng became Thị trấn Vân Tùng (NQ 722/NQ-UBTVQH15)",
        "GSO list 2025-03-01 (daohoangson/dvhcvn); NQ 722/NQ-UBTVQH15",
    ),
    Version(
        "2025",
        "2025-07-01",
        "37 communes and wards of Tỉnh Thái Nguyên covering former Bắc Kạn (92 in all of Thái Nguyên)",
        "GSO conversion table 2025-07-01; NQ 1683/NQ-UBTVQH15",
    ),
)


def parse_date(value: str | dt.date | None, *, argument: str = "on") -> dt.date:
    """Parse an ISO date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) or a version name.

    A version name (``"2019"``, ``"2020"``, ``"2025"``) is read as the first day
    that version was in force; ``"2019"`` is read as 2019-12-01, the date of its
    GSO list. ``None`` means :data:`bkmap.settings.default_as_of`.

    Examples
    --------
    >>> parse_date("2025")
    datetime.date(2025, 7, 1)
    >>> parse_date("2018-07")
    datetime.date(2018, 7, 31)
    """
    if value is None:
        value = settings.default_as_of
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for version in VERSIONS:
        if text == version.name:
            return dt.date.fromisoformat(version.valid_from or "2019-12-01")
    try:
        if len(text) == 4:
            return dt.date(int(text), 12, 31)
        if len(text) == 7:
            year, month = (int(p) for p in text.split("-"))
            next_month = dt.date(year + month // 12, month % 12 + 1, 1)
            return next_month - dt.timedelta(days=1)
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = (
            f"--{argument}: {value!r} is not a date. Give YYYY-MM-DD (for example 2025-07-01) "
            f"or a version name: {', '.join(v.name for v in VERSIONS)}."
        )
        raise ValidationError(msg) from None


@functools.cache
def _lineage() -> pd.DataFrame:
    frame = pd.read_csv(settings.data_dir / "units_lineage.csv", dtype=str, keep_default_na=False)
    return frame.rename(
        columns={"type": "unit_type", "district_name": "district", "province_name": "province"}
    )


def load_units() -> pd.DataFrame:
    """Return every unit version that bkmap knows, one row per (code, valid_from).

    Columns: ``code, valid_from, valid_to, name, unit_type, district_code,
    district, province_code, province, successor_code, note``.
    """
    return _lineage().copy()


def version_on(on: str | dt.date | None) -> Version:
    """Return the map version in force on a date."""
    day = parse_date(on)
    current = VERSIONS[0]
    for version in VERSIONS[1:]:
        if version.valid_from and dt.date.fromisoformat(version.valid_from) <= day:
            current = version
    return current


def units_on(on: str | dt.date | None = None) -> pd.DataFrame:
    """Return the units of former Bắc Kạn in force on a date.

    Parameters
    ----------
    on
        A date or version name; :data:`bkmap.settings.default_as_of` by default.

    Examples
    --------
    >>> len(units_on("2019-08-12")), len(units_on("2020-02-01")), len(units_on("2025-07-01"))
    (122, 108, 37)
    """
    day = parse_date(on).isoformat()
    units = _lineage()
    starts = units["valid_from"].eq("") | units["valid_from"].le(day)
    not_ended = units["valid_to"].eq("") | units["valid_to"].ge(day)
    return units.loc[starts & not_ended].sort_values("code").reset_index(drop=True)
