"""Reading, checking and writing criterion-8 status tables.

A status table has one row per commune. bkmap reads CSV or Excel files with
Vietnamese or English headers (see :data:`HEADER_ALIASES`) and values (see
:data:`VALUE_ALIASES`), and returns a frame in the canonical schema:

========================  =====================================================
column                    meaning
========================  =====================================================
``code``                  GSO code (5 digits); may be empty if name is given
``name``                  unit name, with or without its type prefix
``district``              district name (used to match by name)
``c8_1`` ... ``c8_4``     ``met``, ``not_met``, ``conflicting``, ``unknown`` or
                          ``not_applicable``
``c8_N_source``           where the value comes from (a source id, URL or text;
                          several separated by ``;``, as a conflict cites both sides)
``c8_N_confidence``       ``stated`` or ``inferred``
``note``                  free text
``as_of``                 assessment date (optional)
========================  =====================================================

The overall result ``c8`` is never read: it is derived by
:func:`bkmap.model.criteria.overall`.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pandas as pd

from bkmap import datasets, settings
from bkmap._errors import collect
from bkmap.i18n import msg as _msg
from bkmap.i18n import template_headers
from bkmap.io.record import ReadRecord, record_of, with_record
from bkmap.io.tables import read_table
from bkmap.model.criteria import CONFIDENCES, INDICATORS, OVERALL, VALUES, in_programme, overall
from bkmap.model.dates import parse_date
from bkmap.model.names import fold
from bkmap.model.units import normalise_codes
from bkmap.notes import Note

log = logging.getLogger(__name__)

__all__ = [
    "HEADER_ALIASES",
    "VALUE_ALIASES",
    "has_indicator_columns",
    "load_district_figures",
    "load_evidence",
    "load_published_totals",
    "load_sources",
    "load_status",
    "read_status",
    "template",
]

# Headers are compared folded, so one alias covers every way of typing it (Mã xã, MÃ XÃ, ma xa);
# they include every header that data/README.md's table of accepted headers promises.
#: Accepted headers (folded: lower case, no diacritics) for the fixed columns.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "ma", "ma xa", "ma dvhc", "ma don vi", "gso code", "ma so", "commune code"),
    "name": ("name", "ten", "ten xa", "xa", "ten don vi", "commune", "don vi", "ten dvhc"),
    "district": ("district", "huyen", "ten huyen", "quan huyen", "district name"),
    "note": ("note", "notes", "ghi chu", "comment"),
    "as_of": ("as_of", "as of", "ngay danh gia", "thoi diem", "date", "ngay"),
    "valid_from": ("valid_from", "hieu luc tu"),
}

#: Accepted cell values (folded) for each canonical value.
VALUE_ALIASES: dict[str, tuple[str, ...]] = {
    # "x" is a tick mark in a cell, "1"/"0" and true/false what a spreadsheet gives for a checkbox
    # or a formula; "d" and "cd" are the short forms of đạt and chưa đạt.
    "met": ("met", "dat", "yes", "y", "x", "1", "true", "co", "d", "đ"),
    "not_met": (
        "not_met",
        "not met",
        "chua dat",
        "khong dat",
        "no",
        "n",
        "0",
        "false",
        "khong",
        "cd",
    ),
    # Sources that disagree for the assessment date (see bkmap.model.criteria).
    "conflicting": (
        "conflicting",
        "conflict",
        "sources conflict",
        "mau thuan",
        "nguon mau thuan",
    ),
    # An empty cell is unknown, never not met: the table did not say, and bkmap does not guess.
    "unknown": ("unknown", "", "chua ro", "khong ro", "?", "chua co thong tin", "khong biet"),
    # "kad" is the initials of không áp dụng; "-" is how tables mark a cell that does not apply.
    "not_applicable": (
        "not_applicable",
        "not applicable",
        "n/a",
        "na",
        "khong ap dung",
        "kad",
        "-",
    ),
}

_CONFIDENCE_ALIASES: dict[str, tuple[str, ...]] = {
    "stated": ("stated", "neu ro", "ghi ro", "truc tiep"),
    "inferred": ("inferred", "suy ra", "suy luan", "gian tiep"),
}

_INDICATOR_HEADER = re.compile(
    # "8.3", "8,3" (a Vietnamese decimal comma), "8_3", "c8_3", "Chỉ tiêu 8.3", "8.3 nguồn", ...
    r"^(?:c|ct|chi tieu|tieu chi|indicator|criterion)?\s*8\s*[._\-, ]?\s*([1-4])"
    # The \b after the number keeps a longer one (8.10, 8.15) from being read as one of the four
    # indicators.
    r"(?:\s*[._\-, ]?\s*(source|nguon|confidence|do tin cay|muc tin cay))?\b"
)

# Folded once here, as the cells are folded before the lookup, so that case, diacritics and Unicode
# form never make a value unrecognised.
_VALUE_LOOKUP = {
    fold(alias): value for value, aliases in VALUE_ALIASES.items() for alias in aliases
}
_CONFIDENCE_LOOKUP = {
    fold(alias): value for value, aliases in _CONFIDENCE_ALIASES.items() for alias in aliases
}


def _canonical_header(header: str) -> str | None:
    key = fold(header).replace("_", " ").strip()
    for target, aliases in HEADER_ALIASES.items():
        if key in aliases or key.replace(" ", "_") == target:
            return target
    found = _INDICATOR_HEADER.match(key)
    if found:
        number, suffix = found.groups()
        column = f"c8_{number}"
        # The suffix is a source word or a confidence word: whatever is not the first is the
        # second.
        if suffix in ("source", "nguon"):
            return f"{column}_source"
        if suffix:
            return f"{column}_confidence"
        return column
    return None


def has_indicator_columns(columns: object) -> bool:
    """True when any header names an indicator (8.1 ... 8.4): the table is a status table."""
    return any(
        _canonical_header(str(c)) in {ind.column for ind in INDICATORS}
        for c in columns  # type: ignore[attr-defined]
    )


def _rename_headers(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    mapping: dict[str, str] = {}
    problems: list[str] = []
    seen: dict[str, str] = {}
    for header in frame.columns:
        target = _canonical_header(str(header))
        if target is None:
            continue
        # Two headers meaning one column is an error, not a choice: taking either would silently
        # drop the other column's values.
        if target in seen:
            problems.append(
                _msg("err_same_column", first=seen[target], second=header, target=target)
            )
            continue
        seen[target] = str(header)
        mapping[header] = target
    collect(problems, header=_msg("err_ambiguous_columns", source=source))
    return frame.rename(columns=mapping)


def _normalise_values(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    problems: list[str] = []
    out = frame.copy()
    for ind in INDICATORS:
        col = ind.column
        if col not in out.columns:
            # A missing indicator column leaves its values unknown, and _column_notes says so at
            # the default verbosity; a missing column is never read as not met.
            out[col] = "unknown"
        keys = out[col].fillna("").astype(str).map(fold)
        mapped = keys.map(_VALUE_LOOKUP)
        # A value not in the aliases is an error, never a guess; all such cells are collected and
        # raised together, so the user fixes the table in one pass.
        for row in mapped.index[mapped.isna()]:
            problems.append(
                _msg(
                    "err_bad_status",
                    row=row,
                    column=ind.key,
                    value=out.at[row, col],
                    allowed=", ".join(VALUES),
                )
            )
        out[col] = mapped
        src = ind.source_column
        if src not in out.columns:
            out[src] = ""
        out[src] = out[src].fillna("").astype(str)
        conf = ind.confidence_column
        if conf not in out.columns:
            out[conf] = ""
        ckeys = out[conf].fillna("").astype(str).map(fold)
        cmapped = ckeys.map(_CONFIDENCE_LOOKUP)
        # An empty confidence is allowed here: read_status fills it for the values that need one.
        bad = cmapped.isna() & ckeys.ne("")
        for row in cmapped.index[bad]:
            problems.append(
                _msg(
                    "err_bad_confidence",
                    row=row,
                    column=ind.key,
                    value=out.at[row, conf],
                    allowed=" / ".join(CONFIDENCES),
                )
            )
        out[conf] = cmapped.fillna("")
    collect(problems, header=_msg("err_bad_values", source=source))
    return out


def read_status(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a user's status table (CSV or Excel) into the canonical schema.

    Values given without a source get the file's name as their source; a
    ``met``, ``not_met`` or ``conflicting`` value given without a confidence is
    taken as ``stated`` by that file.

    Raises
    ------
    InputError
        The file cannot be read.
    ValidationError
        A column is missing or ambiguous, or a value is not recognised. Every
        problem is listed with its row number, as a spreadsheet shows it.
    """
    raw = read_table(path, encoding=encoding, sheet=sheet)
    source = str(path)
    frame = _rename_headers(raw, source)
    # Kept before the missing columns are added below, so that _column_notes can tell which
    # indicators the file itself had.
    original = frame.copy()
    problems: list[str] = []
    if "code" not in frame.columns and "name" not in frame.columns:
        problems.append(_msg("err_no_code_name", found=", ".join(map(str, raw.columns))))
    if not any(ind.column in frame.columns for ind in INDICATORS):
        problems.append(_msg("err_no_indicator"))
    if problems:
        # Asked only once the schema failed: a title row above the header is the usual reason, and
        # its fix is not obvious from "no code column" alone.
        if _looks_like_two_row_header(raw):
            problems.append(_msg("err_two_row_header"))
        collect(problems, header=_msg("err_status_schema", source=source))
    for col in ("code", "name", "district", "note", "as_of", "valid_from"):
        if col not in frame.columns:
            frame[col] = ""
    frame = _normalise_values(frame, source)
    frame = _normalise_dates(frame, source)
    # The one code rule, so that 1870, 1870.0 and 01870 from a spreadsheet match the same unit.
    frame["code"] = normalise_codes(frame["code"])
    label = Path(path).name
    for ind in INDICATORS:
        # As data/README.md promises: a known value given without a source rests on the table
        # itself (its file name), and one without a confidence is stated by it.
        known = frame[ind.column].isin(["met", "not_met", "conflicting"])
        frame.loc[known & frame[ind.source_column].eq(""), ind.source_column] = label
        frame.loc[known & frame[ind.confidence_column].eq(""), ind.confidence_column] = "stated"
    table_record = record_of(raw)
    notes = _column_notes(raw, original, source) + _date_notes(frame, source)
    record = (table_record or ReadRecord(source, "table")).replace(
        kind="status", as_of=_assessment_date(frame), extra=notes
    )
    return with_record(frame[_columns(frame)], record)


# bkmap's own tables carry these: a unit type and an English note, read elsewhere, and the overall
# result, which is always derived from 8.1 to 8.4 and never read.
_LEFT_BEHIND_QUIETLY = frozenset({"unit_type", "note_en", "c8", "index", ""})


def _column_notes(raw: pd.DataFrame, frame: pd.DataFrame, source: str) -> tuple[Note, ...]:
    """A table without a column for some indicator leaves those values unknown: say so."""
    present = {c for c in frame.columns if str(c).startswith("c8_")}
    missing = [ind.key for ind in INDICATORS if ind.column not in present]
    unread = [
        str(c)
        for c in raw.columns
        if _canonical_header(str(c)) is None and fold(str(c)) not in _LEFT_BEHIND_QUIETLY
    ]
    if not missing:
        if not unread:
            return ()
        # A column left behind is an input dropped: say which, so that a user whose column of
        # results went unread under a header bkmap does not know renames it.
        return (
            Note(
                "info",
                source,
                _msg("note_where_columns"),
                _msg("note_unread_only", columns=", ".join(unread)),
                _msg("fix_unread_only"),
            ),
        )
    hint = _msg("note_unread_columns", columns=", ".join(unread)) if unread else ""
    return (
        Note(
            "warning",
            source,
            _msg("note_where_columns"),
            _msg("note_missing_indicator", keys=", ".join(missing), hint=hint),
            _msg("fix_missing_indicator"),
        ),
    )


def _assessment_date(frame: pd.DataFrame) -> str | None:
    """The table's assessment date: the latest ``as_of`` it gives (ISO), or None."""
    # ISO dates sort as text; the outputs are dated by the latest, and _date_notes says so when
    # the rows give several.
    days = sorted(set(frame["as_of"]) - {""})
    return days[-1] if days else None


def _date_notes(frame: pd.DataFrame, source: str) -> tuple[Note, ...]:
    counts = frame.loc[frame["as_of"].ne(""), "as_of"].value_counts().sort_index()
    if len(counts) < 2:
        return ()
    given = ", ".join(_msg("note_day_rows", day=day, count=n) for day, n in counts.items())
    return (
        Note(
            "info",
            source,
            "as_of",
            _msg("note_many_dates", given=given, latest=counts.index[-1]),
            _msg("fix_many_dates"),
        ),
    )


def _normalise_dates(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Parse ``as_of`` and ``valid_from`` into ISO dates; an unreadable date is an error."""
    out = frame.copy()
    problems: list[str] = []
    for col in ("as_of", "valid_from"):
        cells = out[col].astype(str).str.strip()
        parsed = []
        seen: dict[str, str | ValueError] = {}  # a table repeats the same few dates
        for row, cell in cells.items():
            # How a missing value reads once turned to text (NaN, NaT, None): empty, not a date to
            # refuse.
            if cell in ("", "nan", "NaT", "None"):
                parsed.append("")
                continue
            if cell not in seen:
                try:
                    seen[cell] = parse_date(cell).isoformat()
                except ValueError as exc:
                    seen[cell] = exc
            found = seen[cell]
            if isinstance(found, ValueError):
                parsed.append("")
                problems.append(_msg("err_bad_date", row=row, column=col, detail=found))
            else:
                parsed.append(found)
        out[col] = parsed
    collect(problems, header=_msg("err_bad_dates", source=source))
    return out


def _looks_like_two_row_header(raw: pd.DataFrame) -> bool:
    if raw.empty:
        return False
    # A first data row that reads as headers (8.1, Mã xã) means the real header is one row down:
    # the title or merged row above it was taken for the header.
    first = raw.iloc[0].astype(str)
    return any(_canonical_header(v) for v in first if v)


def _columns(frame: pd.DataFrame) -> list[str]:
    fixed = ["code", "valid_from", "name", "district"]
    ind_cols = [
        c for ind in INDICATORS for c in (ind.column, ind.source_column, ind.confidence_column)
    ]
    # A fixed set and order: columns the schema does not know are left behind here, and so is a c8
    # column the table may carry, since the overall result is always derived, never read.
    return fixed + ind_cols + ["note", "as_of"]


def load_status(as_of: str | None = None) -> pd.DataFrame:
    """Return the shipped status table for an assessment date, with ``c8`` derived.

    Two assessments are shipped: ``2019-08-12`` (default) and ``2018-07-31``.

    Examples
    --------
    >>> status = load_status()
    >>> len(status), status["c8"].value_counts().to_dict()
    (122, {'unknown': 101, 'not_applicable': 12, 'met': 8, 'conflicting': 1})
    """
    day = as_of or settings.default_as_of
    path = datasets.status_table(day)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    # Rows numbered as a spreadsheet shows them (the header is row 1), like a user's table, so the
    # shipped table's messages point at the line of the CSV.
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    # Derived here too, by the one rule: the shipped file holds the four indicators, not c8.
    frame[OVERALL] = overall(frame)
    label = _msg("data_shipped_status", name=path.name)
    return with_record(frame, ReadRecord(label, "status", as_of=day))


def load_sources() -> pd.DataFrame:
    """Return the table of cited sources that are public, one row per source id.

    Columns: ``source_id, published, evidence_date, host, title, url, public,
    quality, date_note, caveat``. ``published`` is the date the page was
    published (empty when it shows none; ``date_note`` then says what is
    known); ``evidence_date`` is the date(s) its facts refer to, which is not a
    publication date. ``quality`` is ``official``, ``press``, ``register`` or
    ``copy_unrelated_host`` (a copy on a host unrelated to the publisher).
    Only public sources are returned: a source that is not public cannot be
    checked by a reader and is not cited.
    """
    frame = pd.read_csv(datasets.path("sources"), dtype=str, keep_default_na=False)
    return frame.loc[frame["public"].str.lower().eq("true")].reset_index(drop=True)


def load_published_totals() -> pd.DataFrame:
    """Return the province's figures.

    Columns: ``as_of, metric, value, bound, unit, kind, period, source_id,
    quote_vi, note``. ``kind`` is ``published`` (the number is in the source),
    ``derived`` (computed from published figures; ``note`` gives the
    arithmetic) or ``counted`` (rows of the GSO list counted): only a
    ``published`` row may be shown as the province's published figure.
    """
    return pd.read_csv(datasets.path("published_totals"), dtype=str, keep_default_na=False)


def load_district_figures() -> pd.DataFrame:
    """Return the district figures that give a number, one number per row.

    Columns: ``district_code, district, as_of, metric, value, out_of, bound,
    unit, confidence, compare_with, source_id, quote_vi, note``. ``bound`` is
    ``exact``, ``at_most``, ``at_least`` or ``more_than``; ``compare_with``
    names what the commune evidence can count against the figure (``c8``,
    ``ntm``, ``radio_station``) or is empty. Rows whose source gives no number
    ("một số xã") are left out here; they stay in the file.
    """
    frame = pd.read_csv(datasets.path("district_figures"), dtype=str, keep_default_na=False)
    # A figure without a number ("một số xã") cannot be counted against; it stays in the file as
    # evidence of what was said.
    return frame.loc[frame["value"].ne("")].reset_index(drop=True)


def load_evidence() -> pd.DataFrame:
    """Return every row of commune-level criterion-8 evidence: the main file and the addendum.

    Columns: those of the files (``gso_code_2019, commune_name, district_name,
    indicator, value, as_of, source_url, source_title, quote_vi, confidence``),
    ``rule`` (the addendum's rule of each row; empty for the main file, whose
    rows rest on what they quote) and ``file`` (which file the row is from).
    ``as_of`` is the date the evidence refers to: a day, a month or a year
    (see :func:`bkmap.model.dates.date_range`).

    Examples
    --------
    >>> evidence = load_evidence()
    >>> evidence["file"].value_counts().to_dict()
    {'criterion8_evidence_2016-2020.csv': 78, 'criterion8_evidence_addendum_2018-2023.csv': 13}
    """
    frames = []
    for key in ("evidence", "evidence_addendum"):
        path = datasets.path(key)
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        # Only the addendum has a rule column: the main file's rows rest on what they quote.
        if "rule" not in frame.columns:
            frame["rule"] = ""
        frame["file"] = path.name
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    # The one code rule, so that evidence codes compare equal to the units' codes whatever the file
    # wrote.
    out["gso_code_2019"] = normalise_codes(out["gso_code_2019"])
    return out


def template(units: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """Return an empty status table listing every unit, for officials to fill in.

    Parameters
    ----------
    units
        Units to list (for example :func:`bkmap.model.units.units_on`).
    lang
        ``"vi"`` for Vietnamese headers, ``"en"`` for English.
    """

    lang = lang or settings.lang
    frame = pd.DataFrame(
        {
            "code": units["code"].to_numpy(),
            "name": units["name"].to_numpy(),
            "district": units["district"].to_numpy(),
        }
    )
    outside = ~in_programme(units["unit_type"]).to_numpy()
    for ind in INDICATORS:
        frame[ind.column] = ""
        # Filled in for phường and thị trấn by the one programme rule, so officials only fill the
        # xã; every other cell starts empty, which reads as unknown.
        frame.loc[outside, ind.column] = "not_applicable"
        frame[ind.source_column] = ""
        frame[ind.confidence_column] = ""
    frame["note"] = ""
    return frame.rename(columns=template_headers(lang))
