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

import contextlib
import datetime as dt
import functools
import math
import re
import sqlite3
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bkmap import datasets, settings
from bkmap._errors import ValidationError
from bkmap.i18n import msg as _msg
from bkmap.model.names import name_key

__all__ = [
    "EARLIEST_ON",
    "VERSIONS",
    "Version",
    "check_version",
    "detect_version",
    "load_population",
    "load_units",
    "normalise_code",
    "normalise_codes",
    "parse_on",
    "reused_code_name",
    "unit_names",
    "units_of",
    "units_on",
    "version_date",
    "version_on",
    "version_shares",
    "version_summary",
]


# At most five digits: a commune's GSO code is five digits wide, so a longer number is not a
# commune code and is kept as written rather than cut or padded into one.
#: A GSO code as spreadsheets write it: 1 to 5 digits, perhaps with a ".0" float tail.
_CODE = re.compile(r"(\d{1,5})(?:\.0+)?")


def normalise_code(value: object) -> str:
    """Return one GSO code as 5-digit text: the one rule for codes read from any file.

    Spreadsheets drop leading zeros and write whole numbers as ``1870.0``; a
    code of one to five digits is zero-padded to five. Anything else (a name
    typed in the code column, a layer's own id) is kept as written, stripped;
    missing values become ``""``.

    Examples
    --------
    >>> normalise_code(1870), normalise_code("1870.0"), normalise_code(" 01870 "), normalise_code("X1")
    ('01870', '01870', '01870', 'X1')
    """
    # Tested before str(): a missing cell would otherwise become the code "nan" or "<NA>".
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    found = _CODE.fullmatch(text)
    return found.group(1).zfill(5) if found else text


def normalise_codes(values: pd.Series) -> pd.Series:
    """Return :func:`normalise_code` of every value.

    Examples
    --------
    >>> normalise_codes(pd.Series(["1870", "1870.0", " 01870 ", None, "X1"])).tolist()
    ['01870', '01870', '01870', '', 'X1']
    """
    # Each distinct value once: a long table repeats the same few hundred codes.
    # Missing values get position -1 from factorize; the "" appended after the distinct codes is
    # what index -1 picks, so they become "" like normalise_code's.
    positions, distinct = pd.factorize(values, use_na_sentinel=True)
    done = np.array([normalise_code(v) for v in distinct] + [""], dtype=object)
    return pd.Series(done[positions], index=values.index, dtype=object)


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
        # The GSO snapshots used (PROVENANCE of the unit lists) jump from 2020-03-01 to 2025-03-01:
        # the later one is the first to show NQ 722's change of 2023, hence its date here.
        "GSO list 2025-03-01 (daohoangson/dvhcvn); NQ 722/NQ-UBTVQH15",
    ),
    Version(
        "2025",
        "2025-07-01",
        "37 communes and wards of Tỉnh Thái Nguyên covering former Bắc Kạn (92 in all of Thái Nguyên)",
        # The PROVENANCE of the unit lists says the number NQ 1683 was seen only in secondary
        # files, not in the resolution's text; the units themselves rest on GSO's conversion table.
        "GSO conversion table 2025-07-01; NQ 1683/NQ-UBTVQH15",
    ),
)


#: The earliest date whose units bkmap knows: the 2019 units were formed by the
#: administrative update of 2008-01-01 (the vintage of the censusVN2009 polygons).
EARLIEST_ON: dt.date = dt.date(2008, 1, 1)


def parse_on(value: str | dt.date | None, *, argument: str = "on") -> dt.date:
    """Parse an ISO date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) or a version name.

    A version name (``"2019"``, ``"2020"``, ``"2025"``) is read as the first day
    that version was in force; ``"2019"`` is read as 2019-12-01, the date of its
    GSO list. ``None`` means :data:`bkmap.settings.default_as_of`.

    Examples
    --------
    >>> parse_on("2025")
    datetime.date(2025, 7, 1)
    >>> parse_on("2018-07")
    datetime.date(2018, 7, 31)
    >>> parse_on("2018-13")
    Traceback (most recent call last):
    ...
    bkmap._errors.ValidationError: --on: '2018-13' ...
    """
    day = _parse_on(value, argument)
    if day < EARLIEST_ON:
        msg = _msg(
            "units_too_early",
            argument=argument,
            day=day.isoformat(),
            earliest=EARLIEST_ON.isoformat(),
            versions=", ".join(v.name for v in VERSIONS),
        )
        raise ValidationError(msg)
    return day


def _parse_on(value: str | dt.date | None, argument: str) -> dt.date:
    if value is None:
        value = settings.default_as_of
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    # Version names come before years: --on 2020 means the units of 2020 (from 2020-02-01), not the
    # last day of 2020; 2019 has no recorded start, so it is the day of its GSO list.
    for version in VERSIONS:
        if text == version.name:
            return dt.date.fromisoformat(version.valid_from or "2019-12-01")
    try:
        # A bare year or month means its last day, the state at the end of the period: 2018-07
        # gives 2018-07-31, the date of the province's end-July 2018 count.
        if len(text) == 4:
            return dt.date(int(text), 12, 31)
        if len(text) == 7:
            year, month = (int(p) for p in text.split("-"))
            if not 1 <= month <= 12:
                # Otherwise "2018-13" would roll over into January 2019.
                raise ValueError(text)
            # The day before the first of the next month; December rolls over into January.
            next_month = dt.date(year + month // 12, month % 12 + 1, 1)
            return next_month - dt.timedelta(days=1)
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = _msg(
            "units_not_date",
            argument=argument,
            value=value,
            versions=", ".join(v.name for v in VERSIONS),
        )
        raise ValidationError(msg) from None


@functools.cache
def _lineage() -> pd.DataFrame:
    # Text, with empty cells kept as "": codes keep their leading zeros, and an empty valid_from
    # (in force before the first snapshot) stays comparable with the ISO dates below.
    frame = pd.read_csv(datasets.path("units_lineage"), dtype=str, keep_default_na=False)
    return frame.rename(
        columns={"type": "unit_type", "district_name": "district", "province_name": "province"}
    )


def load_units() -> pd.DataFrame:
    """Return every unit version that bkmap knows, one row per (code, valid_from).

    Columns: ``code, valid_from, valid_to, name, unit_type, district_code,
    district, province_code, province, successor_code, note``.
    """
    # A copy: the frame is cached for the whole process, and a caller changing it would change
    # every later answer.
    return _lineage().copy()


def version_on(on: str | dt.date | None) -> Version:
    """Return the map version in force on a date."""
    day = parse_on(on)
    current = VERSIONS[0]
    # VERSIONS runs oldest first, so the last version that started on or before the day is in
    # force.
    for version in VERSIONS[1:]:
        if version.valid_from and dt.date.fromisoformat(version.valid_from) <= day:
            current = version
    return current


def units_on(on: str | dt.date | None = None, *, whole_province: bool = False) -> pd.DataFrame:
    """Return the units of former Bắc Kạn in force on a date.

    Parameters
    ----------
    on
        A date or version name; :data:`bkmap.settings.default_as_of` by default.
    whole_province
        From 2025-07-01: all 92 units of Tỉnh Thái Nguyên, not only the 37
        covering former Bắc Kạn (the other 55 come from the 2025 boundary layer;
        ``from_bac_kan`` tells them apart). No effect before 2025.

    Examples
    --------
    >>> len(units_on("2019-08-12")), len(units_on("2020-02-01")), len(units_on("2025-07-01"))
    (122, 108, 37)
    >>> len(units_on("2025-07-01", whole_province=True))
    92
    """
    day = parse_on(on).isoformat()
    units = _lineage()
    # ISO dates compare as text. valid_to is the last day in force (Xã Vân Tùng to 2023-04-09, the
    # thị trấn from 2023-04-10), so both ends are inclusive and no day holds two versions of a
    # unit.
    starts = units["valid_from"].eq("") | units["valid_from"].le(day)
    not_ended = units["valid_to"].eq("") | units["valid_to"].ge(day)
    found = units.loc[starts & not_ended].copy()
    found["from_bac_kan"] = True
    # Before 2025-07-01 Bắc Kạn was a province of its own: there are no other units to add.
    if whole_province and version_on(day).name == "2025":
        found = pd.concat([found, _thai_nguyen_others()], ignore_index=True)
    return found.sort_values("code").reset_index(drop=True)


@functools.cache
def _thai_nguyen_others() -> pd.DataFrame:
    """The 55 units of Tỉnh Thái Nguyên (2025) that were never part of Bắc Kạn.

    A GeoPackage is an SQLite database: its attributes are read with the
    standard library, so listing units needs no GIS library (``bkmap units`` stays fast).
    """
    # Read-only, so that reading can never change or create a shipped file (a plain connect
    # creates an empty database where none exists).
    uri = f"{datasets.path('communes_2025').as_uri()}?mode=ro"
    # closing(): a sqlite3 connection used as a context manager only commits or rolls back, it does
    # not close.
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        frame = pd.read_sql_query("SELECT * FROM communes WHERE NOT from_bac_kan", db)
    others = frame.drop(columns=["fid", "geom"], errors="ignore")
    out = pd.DataFrame(
        {
            col: others[col].fillna("").astype(str).to_numpy()
            for col in (
                "code",
                "name",
                "unit_type",
                "province_code",
                "province",
                "valid_from",
                "valid_to",
            )
        }
    )
    for col in ("district_code", "district", "successor_code"):
        out[col] = ""
    out["note"] = "Tỉnh Thái Nguyên (2025), outside former Bắc Kạn"
    out["from_bac_kan"] = False
    # The columns of units_on, in its order, so the two frames concatenate without gaps.
    return out[[*_lineage().columns, "from_bac_kan"]]


def check_version(version: str) -> str:
    """Return ``version`` if it names one of :data:`VERSIONS`.

    Raises
    ------
    ValidationError
        The name is not one of :data:`VERSIONS`; the message lists them.
    """
    if version not in {v.name for v in VERSIONS}:
        msg = _msg(
            "units_bad_version", version=version, versions=", ".join(v.name for v in VERSIONS)
        )
        raise ValidationError(msg)
    return version


def unit_names(version: str) -> dict[str, str]:
    """Return the name of each unit of a version, keyed by its code."""
    units = units_of(version)
    return dict(zip(units["code"], units["name"], strict=True))


def version_date(version: str) -> str:
    """Return the first day (ISO) a version was in force; ``"2019-12-01"`` for 2019.

    Raises
    ------
    ValidationError
        The name is not one of :data:`VERSIONS`.
    """
    check_version(version)
    item = next(v for v in VERSIONS if v.name == version)
    return item.valid_from or "2019-12-01"


def units_of(version: str, *, whole_province: bool = False) -> pd.DataFrame:
    """Return the units of a version (by name), as :func:`units_on` its first day.

    Examples
    --------
    >>> [len(units_of(v.name)) for v in VERSIONS]
    [122, 108, 108, 37]
    """
    return units_on(version_date(version), whole_province=whole_province)


@functools.cache
def _names_by_code() -> dict[str, tuple[tuple[str, str, str], ...]]:
    # Every (version, name key, name) a code has had, oldest version first.
    out: dict[str, list[tuple[str, str, str]]] = {}
    for version in VERSIONS:
        units = units_of(version.name)
        for code, name in zip(units["code"], units["name"], strict=True):
            out.setdefault(code, []).append((version.name, name_key(name), name))
    return {code: tuple(items) for code, items in out.items()}


def reused_code_name(
    code: str, name: str, *, version: str | None = None, unit_name: str | None = None
) -> tuple[str, str] | None:
    """The version in which ``code`` named the unit ``name`` while it names another now.

    GSO reuses codes: 02155 was Xã Lương Hạ until 2020, then Thị trấn Yến Lạc.
    A row giving code 02155 with the name Lương Hạ is a row of the 2019 units,
    not a misspelt Yến Lạc, and must not be matched on its code alone.

    Parameters
    ----------
    code, name
        The row's code and name.
    version
        The version being matched, when known: a name the code has in this
        version is not a reuse.
    unit_name
        The name of the unit the code points to, as the boundaries give it: used
        when ``version`` is not known, to find the versions being matched. A
        name that no version gave the code (a user's own boundaries) leaves the
        question open, and nothing is returned.

    Returns
    -------
    (version, name) or None
        The earliest other version in which the code named the row's unit.

    Examples
    --------
    >>> reused_code_name("02155", "Lương Hạ", version="2025")
    ('2019', 'Xã Lương Hạ')
    >>> reused_code_name("02155", "Lương Hạ", version="2019") is None
    True
    >>> reused_code_name("02155", "Lương Hạ", unit_name="Thị trấn Yến Lạc")
    ('2019', 'Xã Lương Hạ')
    >>> reused_code_name("02155", "Xã Không Có", version="2025") is None
    True
    """
    history = _names_by_code().get(normalise_code(code), ())
    key = name_key(name)
    named = [(v, n) for v, k, n in history if k == key]
    if not named:
        return None
    if version is not None:
        current = {version}
    else:
        ukey = name_key(unit_name or "")
        current = {v for v, k, _ in history if k == ukey}
        if not current:
            return None
    if any(v in current for v, _ in named):
        return None
    return named[0]


def version_shares(codes: pd.Series, names: pd.Series | None = None) -> dict[str, float]:
    """For each version, the share of rows whose code is one of its units (and whose name is its name).

    GSO reuses codes across versions, so a code alone can point to the wrong
    unit: where names are given, a row counts only when its name (compared with
    :func:`bkmap.model.names.name_key`) is that unit's name too.

    Examples
    --------
    >>> units = units_of("2025")
    >>> shares = version_shares(units["code"], units["name"])
    >>> shares["2025"], shares["2019"] < 0.5
    (1.0, True)
    """
    codes = normalise_codes(codes)
    keys = names.fillna("").astype(str).map(name_key) if names is not None else None
    out: dict[str, float] = {}
    for version in VERSIONS:
        units = units_of(version.name)
        known = dict(zip(units["code"], units["name"].map(name_key), strict=True))
        hit = codes.map(known)
        # A row without a name counts on its code alone: it cannot be checked, and refusing it
        # would punish a table that gives codes only.
        match = hit.notna() if keys is None else hit.eq(keys) | (hit.notna() & keys.eq(""))
        out[version.name] = float(match.mean()) if len(codes) else 0.0
    return out


def detect_version(
    codes: pd.Series, names: pd.Series | None = None, *, min_share: float = 0.9
) -> str | None:
    """The version whose units these rows are, or None when no version holds ``min_share`` of them.

    Of versions that match equally well (2020 and 2023 differ in one unit's
    type only), the earliest is given.

    Examples
    --------
    >>> units = units_of("2019")
    >>> detect_version(units["code"], units["name"])
    '2019'
    """
    shares = version_shares(codes, names)
    # max() keeps the first of equal shares and VERSIONS runs oldest first: that is the tie rule of
    # the docstring.
    best = max(shares, key=lambda v: shares[v])
    return best if shares[best] >= min_share else None


def version_summary() -> pd.DataFrame:
    """Return one row per version: ``version, valid_from, valid_to, units, xa, phuong,
    thi_tran, units_whole_province, description, source``.

    Examples
    --------
    >>> version_summary()["units"].tolist()
    [122, 108, 108, 37]
    """
    rows = []
    for i, item in enumerate(VERSIONS):
        units = units_of(item.name)
        types = units["unit_type"].value_counts()
        nxt = VERSIONS[i + 1].valid_from if i + 1 < len(VERSIONS) else None
        end = (dt.date.fromisoformat(nxt) - dt.timedelta(days=1)).isoformat() if nxt else ""
        rows.append(
            {
                "version": item.name,
                "valid_from": item.valid_from or "",
                "valid_to": end,
                "units": len(units),
                "xa": int(types.get("Xã", 0)),
                "phuong": int(types.get("Phường", 0)),
                "thi_tran": int(types.get("Thị trấn", 0)),
                "units_whole_province": len(units_of(item.name, whole_province=True)),
                "description": item.description,
                "source": item.source,
            }
        )
    return pd.DataFrame(rows)


@functools.cache
def _population() -> dict[str, int]:
    frame = pd.read_csv(datasets.path("population_2019"), dtype=str, keep_default_na=False)
    # A unit without a census figure is left out, never given 0: unknown is not zero people.
    return {c: int(p) for c, p in zip(frame["code"], frame["population"], strict=True) if p}


def load_population() -> dict[str, int]:
    """Return the 2019 census population of each unit of 2019, keyed by its code.

    Examples
    --------
    >>> pop = load_population()
    >>> len(pop), pop["02074"]
    (122, 847)
    """
    return dict(_population())
