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

import logging
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from rapidfuzz import fuzz, process

from bkmap import settings
from bkmap._errors import MatchError, collect
from bkmap.model.criteria import INDICATORS, OVERALL, PROGRAMME_TYPES, overall
from bkmap.model.names import fold, name_key

log = logging.getLogger(__name__)

__all__ = ["REPORT_COLUMNS", "MatchResult", "join_status", "match_rows", "units_without_row"]

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


def _candidates(given: str, units: pd.DataFrame, keys: pd.Series) -> str:
    choices = dict(zip(units.index, keys, strict=True))
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


def match_rows(table: pd.DataFrame, units: pd.DataFrame) -> MatchResult:
    """Match each row of ``table`` to one of ``units``.

    Parameters
    ----------
    table
        Rows with ``code``, ``name`` and ``district`` columns (any may be empty),
        indexed by their row number in the source file.
    units
        The units in force for the table's date, with ``code``, ``name`` and
        ``district``.

    Returns
    -------
    MatchResult
        Never raises for unmatched rows; duplicates and conflicts are listed in
        ``problems`` (see :func:`join_status`, which raises on them).
    """
    units = units.reset_index(drop=True)
    ukeys = units["name"].map(name_key)
    dkeys = units["district"].fillna("").map(lambda d: name_key(d, level="district"))
    by_code = {c: i for i, c in enumerate(units["code"])}
    by_name: dict[tuple[str, str], list[int]] = {}
    for i, (d, n) in enumerate(zip(dkeys, ukeys, strict=True)):
        by_name.setdefault((d, n), []).append(i)
    by_bare: dict[str, list[int]] = {}
    for i, n in enumerate(ukeys):
        by_bare.setdefault(n, []).append(i)
    district_keys = set(dkeys)

    lines: list[dict[str, object]] = []
    for row, rec in table.iterrows():
        code = str(rec.get("code", "") or "").strip()
        if code.isdigit() and len(code) < 5:
            code = code.zfill(5)
        name = str(rec.get("name", "") or "").strip()
        district = str(rec.get("district", "") or "").strip()
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
        nkey = name_key(name) if name else ""
        # A bare name may fold to a prefix ("Phuong Linh" is Xã Phương Linh, not
        # Phường "Linh"): fall back to the unstripped key when only that one exists.
        if nkey and nkey not in by_bare and fold(name) in by_bare:
            nkey = fold(name)
        dkey = name_key(district, level="district") if district else ""
        if code and code in by_code:
            hit = by_code[code]
            line["method"] = "code"
            if nkey and nkey != ukeys[hit]:
                others = by_name.get((dkey, nkey)) if dkey else by_bare.get(nkey)
                if others:
                    line["method"] = "conflict"
                    other = units.loc[others[0]]
                    line["message"] = (
                        f"code {code} is {units.at[hit, 'name']}, but the name {name!r} is "
                        f"{other['code']} {other['name']}. Codes are reused across versions: check the "
                        "date (--on) and correct the code or the name."
                    )
                else:
                    line["message"] = (
                        f"the name {name!r} differs from the unit's name {units.at[hit, 'name']!r}; "
                        "matched on the code"
                    )
        elif nkey:
            if code:
                line["message"] = f"code {code} is not a unit on this date; tried the name"
            if dkey:
                ids = by_name.get((dkey, nkey), [])
                if len(ids) == 1:
                    hit = ids[0]
                    line["method"] = "name"
                elif dkey not in district_keys:
                    line["message"] = (
                        f"{line['message']}; " if line["message"] else ""
                    ) + f"no district named {district!r}"
                elif nkey in by_bare:
                    where = ", ".join(str(units.at[i, "district"]) for i in by_bare[nkey])
                    line["message"] = (
                        f"{line['message']}; " if line["message"] else ""
                    ) + f"{name!r} is not in {district!r}; a unit of that name is in {where}"
            else:
                ids = by_bare.get(nkey, [])
                if len(ids) == 1:
                    hit = ids[0]
                    line["method"] = "name_unique"
                elif len(ids) > 1:
                    line["message"] = (
                        f"{name!r} names {len(ids)} units; add the district to choose one"
                    )
        else:
            line["message"] = "the row has neither a known code nor a name"
        if hit is not None and line["method"] != "conflict":
            line["matched_code"] = units.at[hit, "code"]
            line["matched_name"] = units.at[hit, "name"]
            line["matched_district"] = units.at[hit, "district"]
        else:
            line["candidates"] = _candidates(name or code, units, ukeys) if (name or code) else ""
        lines.append(line)

    report = pd.DataFrame(lines, columns=list(REPORT_COLUMNS))
    problems: list[str] = []
    matched_mask = report["matched_code"].ne("")
    dup = report[matched_mask & report.duplicated("matched_code", keep=False)]
    for code, rows in dup.groupby("matched_code"):
        report.loc[rows.index[1:], "method"] = "duplicate"
        row_list = ", ".join(map(str, rows["row"]))
        report.loc[rows.index, "message"] = f"rows {row_list} all match {code}"
        problems.append(
            f"rows {row_list} all match {code} {rows['matched_name'].iloc[0]}. "
            "Keep one row per unit: delete the extra rows or correct their code or name."
        )
    for _, line in report[report["method"].eq("conflict")].iterrows():
        problems.append(f"row {line['row']}: {line['message']}")

    matched_codes = set(
        report.loc[report["method"].isin(["code", "name", "name_unique"]), "matched_code"]
    )
    extra = units_without_row(units[~units["code"].isin(matched_codes)])
    report = pd.concat([report, extra], ignore_index=True) if len(extra) else report
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


def join_status(
    communes: gpd.GeoDataFrame,
    status: pd.DataFrame,
    *,
    strict: bool = True,
) -> tuple[gpd.GeoDataFrame, MatchResult]:
    """Join a status table to commune polygons.

    Parameters
    ----------
    communes
        Commune polygons in bkmap's schema (see :mod:`bkmap.io.boundaries`).
    status
        A status table in the canonical schema (see :mod:`bkmap.io.status`).
    strict
        Raise :class:`~bkmap._errors.MatchError` on duplicate or conflicting rows.

    Returns
    -------
    (GeoDataFrame, MatchResult)
        One feature per commune with the indicator columns and the derived
        ``c8``. A unit with no row gets ``unknown`` (xã) or ``not_applicable``
        (phường, thị trấn), with the source "no row in the table".

    Examples
    --------
    >>> from bkmap.io.boundaries import read_communes
    >>> from bkmap.io.status import load_status
    >>> joined, result = join_status(read_communes(), load_status())
    >>> len(joined), result.summary()
    (122, '122 code')
    """
    result = match_rows(status, communes[["code", "name", "district"]])
    if strict:
        source = status.attrs.get("source", "status table")
        collect(
            result.problems,
            header=f"{source}: rows cannot be matched unambiguously:",
            cls=MatchError,
        )
    cols = [c for ind in INDICATORS for c in (ind.column, ind.source_column, ind.confidence_column)]
    cols += ["note"]
    # A status carried across versions (bkmap.versions.carry.carry) explains itself in "lineage".
    # "note_en": the English twin of a Vietnamese note (the shipped tables have one).
    cols += [c for c in ("lineage", "note_en") if c in status.columns]
    values = result.matched.set_index("matched_code")[cols]
    values = values[~values.index.duplicated()]
    joined = communes.merge(values, left_on="code", right_index=True, how="left")
    no_row = joined[INDICATORS[0].column].isna()
    in_programme = joined["unit_type"].isin(PROGRAMME_TYPES) | joined["unit_type"].eq("")
    for ind in INDICATORS:
        joined.loc[no_row, ind.column] = in_programme[no_row].map(
            {True: "unknown", False: "not_applicable"}
        )
        joined.loc[no_row, ind.source_column] = "no_row"
        joined.loc[no_row, ind.confidence_column] = ""
    # Units outside the programme (phường, thị trấn) are not_applicable whatever
    # a blank or "unknown" cell says: the criterion does not apply to them.
    outside = ~in_programme
    for ind in INDICATORS:
        blank = outside & joined[ind.column].eq("unknown")
        joined.loc[blank, ind.column] = "not_applicable"
    joined["note"] = joined["note"].fillna("")
    for extra in ("lineage", "note_en"):
        if extra in joined.columns:
            joined[extra] = joined[extra].fillna("")
    joined[OVERALL] = overall(joined)
    joined.attrs.update(communes.attrs)
    joined.attrs["status_source"] = status.attrs.get("source", "")
    return gpd.GeoDataFrame(joined, geometry=communes.geometry.name, crs=communes.crs), result


def join_without_table(area: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, object]:
    """What :func:`bkmap.join.join_status` gives for an empty table, built directly.

    Every unit is ``unknown`` (``not_applicable`` outside the programme), with
    the source "no row in the table"; the report lists every unit as without a row.
    """
    joined = area.copy()
    in_programme = joined["unit_type"].isin(PROGRAMME_TYPES) | joined["unit_type"].eq("")
    value = pd.Series("not_applicable", index=joined.index).mask(in_programme, "unknown")
    for ind in INDICATORS:
        joined[ind.column] = value
        joined[ind.source_column] = "no_row"
        joined[ind.confidence_column] = ""
    joined["note"] = ""
    joined["note_en"] = ""  # as join_status gives with the shipped (bilingual) tables
    joined[OVERALL] = overall(joined)
    joined.attrs.update(area.attrs)
    joined.attrs["status_source"] = ""
    report = units_without_row(area)
    return joined, MatchResult(matched=pd.DataFrame(), report=report, problems=[])
