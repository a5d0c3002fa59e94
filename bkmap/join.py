"""Matching status rows to administrative units, and the match report.

Each row is matched on its GSO code first. Failing that, it is matched on its
name within its district, comparing :func:`bkmap.model.names.name_key` keys (so
diacritics, case, Unicode form, spaces, type prefixes and đ/d do not matter).
A name that exists only in another district does not match.

Nothing is lost: every input row appears in the report as matched (saying
how) or unmatched (with its closest candidates, ranked by rapidfuzz), and
every unit that got no row is listed too. A duplicate or conflicting row is
never resolved silently: it is an error.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
from rapidfuzz import fuzz, process

from bkmap import settings
from bkmap._errors import MatchError
from bkmap.i18n import has as _has
from bkmap.i18n import msg as _msg
from bkmap.io.record import ReadRecord, record_of
from bkmap.io.status import read_status
from bkmap.model.criteria import INDICATORS, OVERALL, in_programme, overall
from bkmap.model.names import fold, name_key
from bkmap.model.units import normalise_codes, reused_code_name, version_date, version_shares
from bkmap.notes import Note

if TYPE_CHECKING:
    from bkmap.io.boundaries import Attribution

log = logging.getLogger(__name__)

__all__ = [
    "REPORT_COLUMNS",
    "Assessment",
    "MatchResult",
    "join_status",
    "match_rows",
    "unit_values",
    "units_without_row",
]

#: Columns of the match report, in order.
REPORT_COLUMNS: tuple[str, ...] = (
    "row",
    "given_code",
    "given_name",
    "given_district",
    "matched_code",
    "matched_name",
    "matched_district",
    "method",
    "candidates",
    "message",
)

#: Methods in the report: how a row was matched, or why it was not.
METHODS: dict[str, str] = {
    "code": "matched on its GSO code",
    "name": "matched on its name within its district",
    "name_unique": "matched on its name, which is unique in the province (no district given)",
    "unmatched": "no unit matches; see candidates",
    "duplicate": "another row matches the same unit",
    "conflict": "its code and its name point to different units",
    "unit_without_row": "a unit that no input row matched",
}


@dataclass
class MatchResult:
    """The outcome of matching a table's rows to units.

    Attributes
    ----------
    matched
        The input rows that matched, with ``matched_code`` added.
    report
        One line per input row (and one per unit without a row), in
        :data:`REPORT_COLUMNS`.
    problems
        Errors (duplicates, conflicts), each naming its rows and the fix.
    """

    matched: pd.DataFrame
    report: pd.DataFrame
    problems: list[str] = field(default_factory=list)

    @property
    def unmatched(self) -> pd.DataFrame:
        """Report lines of rows that matched no unit."""
        return self.report[self.report["method"].eq("unmatched")]

    @property
    def units_without_row(self) -> pd.DataFrame:
        """Report lines of units that no row matched."""
        return self.report[self.report["method"].eq("unit_without_row")]

    def summary(self) -> str:
        """One line that counts rows by method."""
        counts = self.report["method"].value_counts()
        return ", ".join(f"{counts[m]} {m}" for m in METHODS if m in counts)

    def notes(self, source: str, *, label: str = "row", units: int | None = None) -> list[Note]:
        """What the user should know about the match, worded once for every command and check.

        Rows that match no unit (with their candidates) are warnings; units that no
        row matched are counted (``units``: how many units there are).
        """
        out: list[Note] = []
        # Matched, but the code or the name the row gives is not the unit's: say which.
        doubtful = self.report[
            self.report["method"].isin(["code", "name"]) & self.report["message"].ne("")
        ]

        # At most twenty lines per kind: a long export can hold thousands of such rows, and the
        # match report (--report) lists every one, so nothing is lost by keeping the terminal
        # readable.
        def where(row: object) -> str:
            return _msg(f"note_{label}", row=row) if _has(f"note_{label}") else f"{label} {row}"

        # The label in the console's language ("dòng"), when the catalogue has it.
        said = _msg(f"label_{label}") if _has(f"label_{label}") else label
        for _, line in doubtful.head(20).iterrows():
            fix = _msg("fix_doubtful_name" if line["method"] == "name" else "fix_doubtful_code")
            out.append(
                Note(
                    "warning",
                    source,
                    where(line["row"]),
                    f"{line['message']} ({line['matched_code']} {line['matched_name']})",
                    fix,
                )
            )
        unmatched = self.unmatched
        if len(unmatched):
            for _, line in unmatched.head(20).iterrows():
                given = line["given_name"] or line["given_code"]
                reason = line["message"] or _msg("note_no_match_reason")
                out.append(
                    Note(
                        "warning",
                        source,
                        where(line["row"]),
                        _msg(
                            "note_no_match",
                            given=given,
                            reason=reason,
                            candidates=line["candidates"] or _msg("note_no_candidates"),
                        ),
                        _msg("fix_no_match"),
                    )
                )
            if len(unmatched) > 20:
                out.append(
                    Note(
                        "warning",
                        source,
                        _msg(f"note_{label}s") if _has(f"note_{label}s") else f"{label}s",
                        _msg("note_more_no_match", count=len(unmatched) - 20, label=said),
                        _msg("fix_more_no_match"),
                    )
                )
        without = self.units_without_row
        if len(without):
            shown = ", ".join(
                f"{c} {n}"
                for c, n in zip(
                    without["matched_code"].head(10), without["matched_name"].head(10), strict=True
                )
            )
            more = _msg("note_and_more", count=len(without) - 10) if len(without) > 10 else ""
            of = _msg("note_of_units", units=units) if units is not None else ""
            out.append(
                Note(
                    "warning",
                    source,
                    _msg("note_units"),
                    _msg(
                        "note_units_without_row",
                        count=len(without),
                        of=of,
                        label=said,
                        shown=shown,
                        more=more,
                    ),
                    _msg("fix_units_without_row", label=said),
                )
            )
        return out


@dataclass(frozen=True)
class Assessment:
    """A status table joined to the units of one map: what every analysis and output works on.

    Built by :func:`bkmap.pipeline.assess`. Every fact an output states about
    its data is a field here, typed, rather than something to look up in a frame.

    Attributes
    ----------
    joined
        One feature per unit with its indicator values and ``c8`` (EPSG:4326).
    match
        How the table's rows matched the units.
    records
        What each reader decided (boundaries or national layer, status table).
    notes
        What the join decided (rows that matched no unit, values overridden).
    version
        The units' version (``"2019"``, ``"2020"``, ``"2023"``, ``"2025"``),
        ``"2009"`` for the shipped national layer, ``""`` for a user's layer.
    as_of
        The assessment date (ISO) of the status, or None when no status applies
        (a province outside Bắc Kạn without a table).
    area
        None for Bắc Kạn's own units; the province's name for ``--province``;
        ``""`` for the whole country.
    code_kind
        ``"gso"``, or ``"layer"`` when ``code`` holds a layer's own ids.
    outlines
        District (or province) outlines to draw over the units, or None.
    province
        The province's outline to draw (Bắc Kạn's, over its shipped units), or None.
    sources
        The sources cited in the status table (see :func:`bkmap.io.status.load_sources`).
    status_source
        The status table's file, or a label for the shipped one.
    attributions
        The source and licence of every boundary layer drawn (the units, the
        outlines), credited on every map and report.
    """

    joined: gpd.GeoDataFrame
    match: MatchResult
    records: tuple[ReadRecord, ...] = ()
    notes: tuple[Note, ...] = ()
    version: str = "2019"
    as_of: str | None = None
    area: str | None = None
    code_kind: str = "gso"
    outlines: gpd.GeoDataFrame | None = None
    province: gpd.GeoDataFrame | None = None
    sources: pd.DataFrame | None = None
    status_source: str = ""
    attributions: tuple[Attribution, ...] = ()

    def all_notes(self) -> list[Note]:
        """Every note of every reader and of the join, in the order the data flowed."""
        out: list[Note] = []
        for record in self.records:
            out += record.notes()
        return out + list(self.notes)

    @property
    def illustrative(self) -> bool:
        """True when any input is illustrative (every output must then say so)."""
        return any(r.illustrative for r in self.records)

    def replace(self, **changes: object) -> Assessment:
        """Return a copy with some fields changed."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def _candidates(given: str, units: pd.DataFrame, keys: pd.Series) -> str:
    choices = dict(zip(units.index, keys, strict=True))
    # WRatio weighs partial and token-order matches, so a name typed with an extra word or in
    # another order still ranks its unit; both sides are name keys, so diacritics and prefixes cost
    # nothing.
    found = process.extract(
        name_key(given),
        choices,
        scorer=fuzz.WRatio,
        limit=settings.candidate_limit,
        score_cutoff=settings.candidate_score_cutoff,
    )
    return "; ".join(
        f"{units.at[i, 'code']} {units.at[i, 'name']} ({units.at[i, 'district'] or '-'}) {score:.0f}"
        for _, score, i in found
    )


def match_rows(
    table: pd.DataFrame, units: pd.DataFrame, *, version: str | None = None
) -> MatchResult:
    """Match each row of ``table`` to one of ``units``.

    Parameters
    ----------
    table
        Rows with ``code``, ``name`` and ``district`` columns (any may be empty),
        indexed by their row number in the source file.
    units
        The units in force for the table's date, with ``code``, ``name`` and
        ``district``.
    version
        The version of ``units``, when known: a row naming the unit its code had
        in another version is a conflict (GSO reuses codes).

    Returns
    -------
    MatchResult
        Never raises for unmatched rows; duplicates and conflicts are listed in
        ``problems`` (see :func:`join_status`, which raises on them).
    """
    # Positions, not labels: the lookups below hold row positions into these plain lists, whatever
    # index the caller's units carry.
    units = units.reset_index(drop=True)
    ukeys = units["name"].map(name_key)
    dkeys = units["district"].fillna("").map(lambda d: name_key(d, level="district"))
    by_code = {c: i for i, c in enumerate(units["code"])}
    # Names are keyed within their district: names recur across districts (the national layer's
    # 11,163 communes share 6,972 names), and a row that names its district must not land on a
    # namesake elsewhere.
    by_name: dict[tuple[str, str], list[int]] = {}
    for i, (d, n) in enumerate(zip(dkeys, ukeys, strict=True)):
        by_name.setdefault((d, n), []).append(i)
    # Bare names (no district) are used only when a row gives no district, and only when the name
    # is unique in the province (method name_unique): a namesake is never picked.
    by_bare: dict[str, list[int]] = {}
    for i, n in enumerate(ukeys):
        by_bare.setdefault(n, []).append(i)
    district_keys = set(dkeys)
    ucode = units["code"].astype(str).tolist()
    uname = units["name"].astype(str).tolist()
    udistrict = units["district"].fillna("").astype(str).tolist()

    lines: list[dict[str, object]] = []
    # Plain columns and cached keys: a table of 100,000 rows repeats the same few hundred
    # names and districts, and a Python-level lookup per row is cheap, a pandas row is not.
    empty = [""] * len(table)
    codes = normalise_codes(table["code"]).tolist() if "code" in table else empty
    names = table["name"].fillna("").astype(str).str.strip().tolist() if "name" in table else empty
    districts = (
        table["district"].fillna("").astype(str).str.strip().tolist()
        if "district" in table
        else empty
    )
    commune_key = functools.lru_cache(maxsize=None)(name_key)
    district_key = functools.lru_cache(maxsize=None)(lambda d: name_key(d, level="district"))
    # Bounded, unlike the key caches: only rows that fail to match reach it, each entry is a fuzzy
    # search over every unit, and an export repeats the same few misspellings, so the bound costs a
    # real table nothing and keeps a table of distinct junk from growing it without end.
    candidates_of = functools.lru_cache(maxsize=4096)(
        lambda given: _candidates(given, units, ukeys)
    )
    for row, code, name, district in zip(table.index, codes, names, districts, strict=True):
        line: dict[str, object] = {
            "row": row,
            "given_code": code,
            "given_name": name,
            "given_district": district,
            "matched_code": "",
            "matched_name": "",
            "matched_district": "",
            "method": "unmatched",
            "candidates": "",
            "message": "",
        }
        hit: int | None = None
        nkey = commune_key(name) if name else ""
        # A bare name may fold to a prefix ("Phuong Linh" is Xã Phương Linh, not
        # Phường "Linh"): fall back to the unstripped key when only that one exists.
        if nkey and nkey not in by_bare and fold(name) in by_bare:
            nkey = fold(name)
        dkey = district_key(district) if district else ""
        # The code is tried first, since it is the unit's identifier; but GSO reuses codes across
        # versions, so a name that disagrees with it is checked below before the code is trusted.
        if code and code in by_code:
            hit = by_code[code]
            line["method"] = "code"
            # A name that is another unit's (in the row's district, or in the province) means the
            # code is probably of another version: a conflict, never resolved here. A name that is
            # nobody's is only a spelling difference, reported in the message.
            if nkey and nkey != ukeys[hit]:
                others = by_name.get((dkey, nkey)) if dkey else by_bare.get(nkey)
                if others:
                    line["method"] = "conflict"
                    other = others[0]
                    line["message"] = _msg(
                        "match_code_other_name",
                        code=code,
                        unit=uname[hit],
                        name=name,
                        other=f"{ucode[other]} {uname[other]}",
                    )
                elif (
                    earlier := reused_code_name(code, name, version=version, unit_name=uname[hit])
                ) is not None:
                    # The code once named the unit the row names: the row belongs to
                    # another version's units, and matching on the code would put its
                    # values on the unit that inherited the code.
                    line["method"] = "conflict"
                    line["message"] = _msg(
                        "match_code_reused",
                        code=code,
                        unit=uname[hit],
                        name=name,
                        version=earlier[0],
                        day=earlier[1],
                    )
                else:
                    line["message"] = _msg("match_name_differs", name=name, unit=uname[hit])
        elif nkey:
            if code:
                # A code unknown on this date is not an error by itself (it may be mistyped or of
                # another version): the name decides, and the message keeps the code's failure
                # visible.
                line["message"] = _msg("match_code_unknown", code=code)
            if dkey:
                ids = by_name.get((dkey, nkey), [])
                if len(ids) == 1:
                    hit = ids[0]
                    line["method"] = "name"
                # The reasons are told apart so that the user's fix is the right one: a misspelt
                # district, a commune filed under the wrong district, or a name that exists nowhere
                # on this date.
                elif dkey not in district_keys:
                    line["message"] = (f"{line['message']}; " if line["message"] else "") + _msg(
                        "match_no_district", district=district
                    )
                elif nkey in by_bare:
                    where = ", ".join(udistrict[i] for i in by_bare[nkey])
                    line["message"] = (f"{line['message']}; " if line["message"] else "") + _msg(
                        "match_other_district", name=name, district=district, where=where
                    )
                elif not ids:
                    line["message"] = (f"{line['message']}; " if line["message"] else "") + _msg(
                        "match_no_name", name=name
                    )
            else:
                ids = by_bare.get(nkey, [])
                if len(ids) == 1:
                    hit = ids[0]
                    line["method"] = "name_unique"
                elif len(ids) > 1:
                    line["message"] = _msg("match_ambiguous", name=name, count=len(ids))
                else:
                    line["message"] = (f"{line['message']}; " if line["message"] else "") + _msg(
                        "match_no_name", name=name
                    )
        else:
            line["message"] = _msg("match_nothing")
        # A conflicting row keeps no match: taking either the code's unit or the name's would put
        # the row's values on a unit the user may not have meant.
        if hit is not None and line["method"] != "conflict":
            line["matched_code"] = ucode[hit]
            line["matched_name"] = uname[hit]
            line["matched_district"] = udistrict[hit]
        else:
            line["candidates"] = candidates_of(name or code) if (name or code) else ""
        lines.append(line)

    # Duplicates and conflicts are settled on the plain lines, before the frame is
    # built: setting cells of a string-typed frame row by row is slow.
    problems: list[str] = []
    by_match: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if line["matched_code"]:
            by_match.setdefault(str(line["matched_code"]), []).append(i)
    for code, ids in sorted(by_match.items()):
        if len(ids) < 2:
            continue
        # Name at most ten rows: a long export can repeat one unit thousands of times.
        row_list = ", ".join(str(lines[i]["row"]) for i in ids[:10])
        if len(ids) > 10:
            row_list += _msg("note_and_more_rows", count=f"{len(ids) - 10:,}")
        for i in ids:
            lines[i]["message"] = _msg("match_duplicate", rows=row_list, code=code)
        # The first row keeps its match and the others become duplicates, so that a non-strict
        # caller still gets one value per unit; strict callers raise on the problem instead.
        for i in ids[1:]:
            lines[i]["method"] = "duplicate"
        problems.append(
            _msg("err_duplicate_rows", rows=row_list, code=code, name=lines[ids[0]]["matched_name"])
        )
    problems.extend(
        f"row {line['row']}: {line['message']}" for line in lines if line["method"] == "conflict"
    )
    # Built column by column: a frame from a list of dicts converts cell by cell.
    report = pd.DataFrame(
        {column: [line[column] for line in lines] for column in REPORT_COLUMNS},
        columns=list(REPORT_COLUMNS),
    )

    # Units that no row matched are reported too: a unit without a row is shown as unknown on every
    # map, and the user must be able to see why.
    matched_codes = set(
        report.loc[report["method"].isin(["code", "name", "name_unique"]), "matched_code"]
    )
    extra = units_without_row(units[~units["code"].isin(matched_codes)])
    report = pd.concat([report, extra], ignore_index=True) if len(extra) else report
    # An empty row marks the unit_without_row lines appended above; they have no input row to
    # return.
    ok = report["method"].isin(["code", "name", "name_unique"]) & report["row"].ne("")
    rows_ok = report.loc[ok, ["row", "matched_code"]].set_index("row")["matched_code"]
    matched = table.loc[table.index.isin(rows_ok.index)].copy()
    matched["matched_code"] = rows_ok.reindex(matched.index).to_numpy()
    return MatchResult(matched=matched, report=report, problems=problems)


def units_without_row(units: pd.DataFrame) -> pd.DataFrame:
    """Return the report lines (method ``unit_without_row``) of units that no row matched."""
    return pd.DataFrame(
        {
            "row": "",
            "given_code": "",
            "given_name": "",
            "given_district": "",
            "matched_code": units["code"].to_numpy(),
            "matched_name": units["name"].to_numpy(),
            "matched_district": units["district"].to_numpy(),
            "method": "unit_without_row",
            "candidates": "",
            "message": "no input row matched this unit",
        },
        columns=list(REPORT_COLUMNS),
    )


#: Columns a status table contributes to each unit besides the indicator values.
_TEXT_COLUMNS: tuple[str, ...] = ("note", "note_en", "lineage")


def unit_values(
    units: pd.DataFrame,
    status: pd.DataFrame | None,
    *,
    strict: bool = True,
    label: str = "row",
    version: str | None = None,
    subset: bool = False,
) -> tuple[pd.DataFrame, MatchResult, list[Note]]:
    """Decide every unit's indicator values from a status table: the one rule for it.

    Each row is matched to a unit (:func:`match_rows`). A unit that no row
    matched is ``unknown``, with the source ``no_row``. A unit outside the NTM
    programme (:func:`bkmap.model.criteria.in_programme`: a phường or thị trấn)
    is ``not_applicable`` whatever the table says; where the table gave it a
    value, a warning names the rows.

    Parameters
    ----------
    units
        The units, with ``code``, ``name``, ``district`` and ``unit_type``.
    status
        A status table in the canonical schema, or None for no table.
    strict
        Raise :class:`~bkmap._errors.MatchError` on duplicate or conflicting rows.
    label
        What a row of ``status`` is called in the notes: ``row`` or ``feature``.
    version
        The version of ``units`` (``"2019"``, ...), when known: a table that lists
        the units of another version is refused with the ``--on`` to use, since
        reused codes would put its values on the wrong units.
    subset
        The units are a part of what the table covers (bkmap's own table over a
        user's layer of a few communes): rows without a unit are then counted in
        one note, not listed as the user's mistakes.

    Returns
    -------
    (DataFrame, MatchResult, list of Note)
        One row per unit, in ``units``' order and index, with every indicator
        column (value, source, confidence), ``note``, ``note_en``, ``lineage`` and
        the derived ``c8``; the match result; and the notes for the user.
    """
    record = record_of(status) if status is not None else None
    source = record.source if record is not None else _msg("opt_the_status_table")
    cols = [c for ind in INDICATORS for c in (ind.column, ind.source_column, ind.confidence_column)]
    if status is None:
        result = MatchResult(matched=pd.DataFrame(), report=units_without_row(units), problems=[])
        values = pd.DataFrame(index=units.index, columns=[*cols, *_TEXT_COLUMNS])
    else:
        if version:
            _refuse_other_version(status, version, source)
        result = match_rows(status, units[["code", "name", "district"]], version=version)
        if strict and result.problems:
            lines = [f"  - {p}" for p in result.problems[:20]]
            msg = "\n".join([_msg("err_unmatched_rows", source=source), *lines])
            raise MatchError(msg, result.problems, result=result)
        present = [c for c in [*cols, *_TEXT_COLUMNS] if c in result.matched.columns]
        by_code = result.matched.set_index("matched_code")[present]
        # match_rows already leaves one row per unit; this guards reindex, which refuses duplicate
        # labels.
        by_code = by_code[~by_code.index.duplicated()]
        values = by_code.reindex(units["code"].to_numpy())
        # Reindexed by code, the values must take the units' own index back: join_status
        # concatenates them with the polygons side by side, aligned on that index.
        values.index = units.index
        for col in [*cols, *_TEXT_COLUMNS]:
            if col not in values.columns:
                values[col] = None
    # After the reindex a unit without a row is NaN in every column, while a table in the canonical
    # schema has a value in every indicator of every row (read_status writes unknown for an empty
    # cell), so the first indicator tells them apart.
    no_row = values[INDICATORS[0].column].isna()
    inside = in_programme(units["unit_type"]).to_numpy()
    for ind in INDICATORS:
        values.loc[no_row, ind.column] = "unknown"
        # The source says why the value is unknown: no row, not a row that said unknown.
        values.loc[no_row, ind.source_column] = "no_row"
    values = values.fillna("")
    notes: list[Note] = []
    # The criterion does not apply to phường and thị trấn: whatever a table says,
    # they are not_applicable, and a value the table gave them is named.
    # Measured before the override below: afterwards the table's own values are gone and the
    # warning could not name the rows that gave them.
    given = values[[ind.column for ind in INDICATORS]].isin(["met", "not_met", "conflicting"])
    overridden = ~inside & given.any(axis=1).to_numpy()
    if overridden.any() and status is not None:
        rows = _rows_of(result, units.loc[overridden, "code"])
        shown = ", ".join(
            f"{_msg('note_row', row=r)} ({c} {n})"
            for r, c, n in zip(
                rows, units.loc[overridden, "code"], units.loc[overridden, "name"], strict=True
            )
        )
        notes.append(
            Note(
                "warning",
                source,
                _msg("note_where_outside"),
                _msg("note_outside_values", count=int(overridden.sum()), shown=shown),
                _msg("fix_outside_values"),
            )
        )
    for ind in INDICATORS:
        values.loc[~inside, ind.column] = "not_applicable"
    # Derived last, after not_applicable is set, so that c8 follows the programme rule too; a c8
    # column in the table is never read (the one rule for the overall result).
    values[OVERALL] = overall(values)
    if status is not None and subset:
        if len(result.unmatched):
            notes.append(
                Note(
                    "info",
                    source,
                    _msg(f"note_{label}s") if _has(f"note_{label}s") else f"{label}s",
                    _msg(
                        "note_subset",
                        count=len(result.unmatched),
                        label=_msg(f"note_{label}s") if _has(f"note_{label}s") else f"{label}s",
                        units=len(units),
                    ),
                )
            )
    elif status is not None:
        notes += result.notes(source, label=label, units=len(units))
    return values, result, notes


def _refuse_other_version(status: pd.DataFrame, version: str, source: str) -> None:
    """Stop when a table lists the units of another version than the map's (codes are reused)."""
    # A table matched by names alone cannot suffer from reused codes: names are matched against the
    # units of this version only.
    if "code" not in status.columns or not status["code"].astype(bool).any():
        return
    names = status["name"] if "name" in status.columns else None
    shares = version_shares(status["code"], names)
    best = max(shares, key=lambda v: shares[v])
    # Only a clear case: most rows are units of another version, few of this one.
    # Most units kept their code and name in 2020: on the shipped lists a 2019 table matches 79 %
    # of its rows as 2020 units, but 14 % as 2025 units, and a 2025 table under 50 % as any earlier
    # version. So the rule refuses tables across the 2025 merger, where codes were reused
    # wholesale, and leaves the few reused codes between 2019 and 2020 to the matcher's name check.
    if best != version and shares[best] >= 0.8 and shares[version] < 0.5:
        day = version_date(best)
        msg = _msg(
            "match_other_version",
            source=source,
            best=best,
            best_share=f"{shares[best]:.0%}",
            share=f"{shares[version]:.0%}",
            version=version,
            day=day,
        )
        raise MatchError(msg)


def _rows_of(result: MatchResult, codes: pd.Series) -> list[object]:
    rows = result.matched.reset_index().set_index("matched_code")
    # reset_index moved the table's row numbers into the first column, whatever its name.
    row_col = rows.columns[0]
    return [rows[row_col].get(c, "") for c in codes]


def join_status(
    communes: gpd.GeoDataFrame,
    status: pd.DataFrame | str | os.PathLike[str] | None,
    *,
    strict: bool = True,
    version: str | None = None,
    subset: bool = False,
) -> tuple[gpd.GeoDataFrame, MatchResult, list[Note]]:
    """Join a status table to commune polygons.

    Parameters
    ----------
    communes
        Commune polygons in bkmap's schema (see :mod:`bkmap.io.boundaries`).
    status
        A status table in the canonical schema (see :mod:`bkmap.io.status`), the
        path of one (read with :func:`bkmap.io.status.read_status`), or None:
        every unit is then ``unknown`` (``not_applicable`` outside the programme).
    strict
        Raise :class:`~bkmap._errors.MatchError` on duplicate or conflicting rows.
    version, subset
        See :func:`unit_values`.

    Returns
    -------
    (GeoDataFrame, MatchResult, list of Note)
        One feature per commune with the indicator columns and the derived
        ``c8`` (see :func:`unit_values` for the rules), the match result, and the
        notes for the user.

    Examples
    --------
    >>> from bkmap.io.boundaries import read_communes
    >>> from bkmap.io.status import load_status
    >>> joined, result, notes = join_status(read_communes(), load_status())
    >>> len(joined), result.summary()
    (122, '122 code')
    """
    if isinstance(status, str | os.PathLike):
        status = read_status(status)
    values, result, notes = unit_values(
        communes, status, strict=strict, version=version, subset=subset
    )
    # A layer may carry its own indicator or note columns: they are replaced, not duplicated, since
    # concat would keep both under one name.
    joined = communes.drop(columns=[c for c in values.columns if c in communes.columns])
    joined = pd.concat([joined, values], axis=1)
    return (
        # Rebuilt explicitly, so the active geometry column and the CRS survive the concat.
        gpd.GeoDataFrame(joined, geometry=communes.geometry.name, crs=communes.crs),
        result,
        notes,
    )
