"""Carrying a 2019 status table to the units of a later version (2020, 2023, 2025).

:func:`carry` rolls the status of the 2019 units up to the units they merged
into, under the rules in its docstring (a merged unit meets an indicator when
all its former xã do; unknown stays unknown unless a part not met decides it;
former phường and thị trấn are not counted), and keeps the lineage as text for
tooltips ("1 of 3 former communes met 8.3 in 2019").
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from bkmap._errors import ValidationError
from bkmap.i18n import check_lang, format_percent, register, t
from bkmap.i18n import msg as _msg
from bkmap.io.record import ReadRecord, record_of, with_record
from bkmap.join import unit_values
from bkmap.model.criteria import INDICATORS, OVERALL, combine, in_programme
from bkmap.model.units import (
    check_version,
    unit_names,
    units_of,
)
from bkmap.notes import Note
from bkmap.versions.crosswalk import lineage_crosswalk
from bkmap.versions.layers import pieces

log = logging.getLogger(__name__)

__all__ = [
    "carry",
]

# --------------------------------------------------------------------------- carrying status

_register_more = {
    "v_n_conflicting": {"vi": "{n} có nguồn mâu thuẫn", "en": "{n} with conflicting sources"},
    "v_part_disputed": {
        "vi": "{name} (hai nguồn khác nhau về việc nhập toàn bộ)",
        "en": "{name} (the sources disagree whether all of it joined)",
    },
    "v_approx_status": {
        "vi": "Gần đúng: gồm {parts}, xã bị chia năm 2020; trạng thái của cả xã cũ được tính cho "
        "phần đó.",
        "en": "Approximate: includes {parts}, a commune split in 2020; the former commune's "
        "status is counted for that part.",
    },
}
register(_register_more)

_KEYS: tuple[str, ...] = (*(ind.column for ind in INDICATORS), OVERALL)


def _status_by_code(status: pd.DataFrame) -> tuple[pd.DataFrame, str | None, list[Note]]:
    """Match a 2019 status table to the 2019 units: one row per 2019 unit, by code.

    The rules are :func:`bkmap.join.unit_values`' (no row: unknown; phường and
    thị trấn: not applicable). Returns the values and the table's assessment date.
    """
    # Indexed by code, so the values come back keyed by 2019 code, the key of every crosswalk part.
    units = units_of("2019").set_index("code", drop=False)
    # The one rule for units' values (bkmap.join), so a 2019 table means the same carried as
    # mapped.
    # Its notes (unmatched rows, units without a row, urban values) travel with the carried
    # table's record, so the commands print them and nothing is dropped silently.
    values, _match, notes = unit_values(units, status)
    out = values.copy()
    out["name"] = units["name"]
    out["unit_type"] = units["unit_type"]
    out["in_programme"] = in_programme(units["unit_type"]).to_numpy()
    record = record_of(status)
    as_of = record.as_of if record is not None else None
    # A frame built in Python has no record: its as_of column dates it, but only when all rows
    # agree.
    if as_of is None and "as_of" in status.columns:
        days = status["as_of"].replace("", pd.NA).dropna().unique()
        as_of = str(days[0]) if len(days) == 1 else None
    return out, as_of, notes


def _join_list(items: Sequence[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + t("v_and", lang) + items[-1]


def carry(
    status: pd.DataFrame,
    *,
    to: str,
    population_share: bool = True,
    not_applicable: Literal["ignore", "unknown"] = "ignore",
    whole_province: bool = False,
    lang: str | None = None,
) -> pd.DataFrame:
    """Roll a 2019 status table up to the units of a later version.

    Rules, for each indicator and the overall result, over the 2019 parts of
    each new unit (from :func:`crosswalk`, official lineage):

    - a new phường or thị trấn is ``not_applicable`` (outside the programme);
    - otherwise the parts that were xã in the programme decide, by the rule
      that combines indicators (:func:`bkmap.model.criteria.combine`):
      ``not_met`` when any part was not met (the known parts already decide),
      else ``conflicting`` when any part's sources conflict (settling it
      decides the unit), ``met`` when all parts were met, ``unknown``
      otherwise. ``unknown`` never becomes known by itself;
    - parts that were phường or thị trấn in 2019 had no criterion-8 value. By
      default (``not_applicable="ignore"``) they neither block nor help, and the
      lineage names them; with ``"unknown"`` each counts as an unknown part, so
      such a unit can be at best ``unknown``;
    - a unit with no programme part at all is ``unknown``;
    - a part of a commune split in 2020 (:data:`SPLITS`) carries the status of
      the whole former commune, and its new unit is flagged ``approximate``.

    Parameters
    ----------
    status
        A status table of the 2019 units in the canonical schema
        (:mod:`bkmap.io.status`); rows are matched to units by code or name.
    to
        The version to carry it to: ``"2019"``, ``"2020"``, ``"2023"`` or ``"2025"``.
    population_share
        Add ``<column>_met_share`` columns: the share of the new unit's 2019
        census population living in parts that met it, and quote it in the
        lineage text.
    not_applicable
        How parts outside the programme combine (see above).
    whole_province
        With ``to="2025"``: add the 55 units of Thái Nguyên outside former
        Bắc Kạn, as ``unknown`` with a note saying they are outside the data.
    lang
        Language of the ``lineage`` and ``note`` texts (default: the setting).

    Returns
    -------
    DataFrame
        The canonical schema keyed on the new units (``code, valid_from, name,
        district, unit_type, c8_N, c8_N_source, c8_N_confidence, note, as_of``),
        plus ``c8``, ``lineage`` (text such as "3 of 4 former communes met 8.3
        in 2019 (78% of the population)"), ``approximate``, ``parts`` (2019
        codes), ``population`` and the shares. Its
        :class:`~bkmap.io.record.ReadRecord` keeps the table's and names the version.

    Examples
    --------
    >>> from bkmap.io.status import load_status
    >>> rolled = carry(load_status(), to="2025")
    >>> len(rolled), rolled.set_index("code").at["01864", "c8_3"]
    (37, 'conflicting')
    """
    lang = check_lang(lang)
    to = check_version(to)
    if not_applicable not in ("ignore", "unknown"):
        msg = f"carry: not_applicable={not_applicable!r} is unknown. Use 'ignore' or 'unknown'."
        raise ValidationError(msg)
    old, as_of, notes = _status_by_code(status)
    records: dict[str, dict[str, object]] = old.to_dict("index")
    cw = lineage_crosswalk("2019", to)
    # A piece with neither area nor people is no part: under the rule "whole" Văn Học's piece for
    # Cường Lợi is empty, and it must not count among Cường Lợi's former communes.
    cw = cw[cw["area_share"].gt(0) | cw["population_share"].gt(0)]
    by_target: dict[str, list[dict[str, object]]] = {}
    for part in cw.to_dict("records"):
        by_target.setdefault(str(part["to_code"]), []).append(part)
    base = pieces()
    # How each (2019, new) part was drawn: whole_unit, or a split commune's rule, for the
    # approximate flag and its wording.
    split_rule = {
        (str(k[0]), str(k[1])): str(v)
        for k, v in base.groupby(["code_2019", f"code_{to}"])["rule"].first().items()
    }
    unit_2019_from = dict(zip(*(units_of("2019")[c] for c in ("code", "valid_from")), strict=True))
    rows = []
    for unit in units_of(to).to_dict("records"):
        parts = by_target.get(str(unit["code"]), [])
        same_key = (
            len(parts) == 1
            and parts[0]["from_code"] == unit["code"]
            # Same code and same valid_from, not the code alone: GSO reused codes (02155 was Lương
            # Hạ, then Thị trấn Yến Lạc), and only an unchanged unit may keep its row as it was.
            and unit_2019_from.get(str(unit["code"])) == unit["valid_from"]
            and not bool(parts[0]["approximate"])
        )
        rows.append(
            _carry_unit(
                unit,
                parts,
                records,
                split_rule=split_rule,
                same_key=same_key,
                population_share=population_share,
                not_applicable=not_applicable,
                lang=lang,
            )
        )
    frame = pd.DataFrame(rows)
    if whole_province and to == "2025":
        frame = pd.concat([frame, _outside_rows(lang)], ignore_index=True)
    frame["as_of"] = as_of or ""
    # Rows numbered as a spreadsheet shows them, like every status table bkmap reads.
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    record = record_of(status) or ReadRecord(_msg("opt_the_status_table"), "status")
    return with_record(
        frame,
        record.replace(
            source=f"{record.source} (carried to {to})",
            as_of=as_of,
            version=to,
            extra=record.extra + tuple(notes),
        ),
    )


def _carry_unit(
    unit: dict[str, object],
    parts: list[dict[str, object]],
    old: dict[str, dict[str, object]],
    *,
    split_rule: dict[tuple[str, str], str],
    same_key: bool,
    population_share: bool,
    not_applicable: str,
    lang: str,
) -> dict[str, object]:
    code = str(unit["code"])
    row: dict[str, object] = {
        col: unit[col] for col in ("code", "valid_from", "name", "district", "unit_type")
    }
    codes = [str(p["from_code"]) for p in parts]
    pops = {str(p["from_code"]): float(p["population"]) for p in parts}  # type: ignore[arg-type]
    shares = {str(p["from_code"]): float(p["population_share"]) for p in parts}  # type: ignore[arg-type]
    total_pop = float(sum(pops.values()))
    # Former phường and thị trấn had no criterion-8 value in 2019: they are counted only under
    # not_applicable="unknown", and then as unknown.
    programme = [c for c in codes if bool(old[c]["in_programme"])]
    outside = [c for c in codes if c not in programme]
    counted = programme + (outside if not_applicable == "unknown" else [])
    new_in_programme = bool(in_programme(pd.Series([unit["unit_type"]])).iloc[0])
    approx_codes = [c for c in codes if split_rule.get((c, code), "whole_unit") != "whole_unit"]

    for ind in INDICATORS:
        # An unchanged unit keeps its value, sources and confidence as the table gave them; only a
        # changed unit's value is inferred.
        if same_key:
            for col in (ind.column, ind.source_column, ind.confidence_column):
                row[col] = old[codes[0]][col]
            continue
        part_values = [str(old[c][ind.column]) if c in programme else "unknown" for c in counted]
        # The rule that combines indicators combines parts too: one part not met decides, a
        # conflict outranks an unknown, and met needs every part met.
        value = combine(part_values) if new_in_programme else "not_applicable"
        row[ind.column] = value
        if value in ("met", "not_met", "conflicting"):
            # The parts that decide are cited; a conflict keeps every source of both sides.
            ids = [
                part.strip()
                for c in programme
                if old[c][ind.column] == value
                for part in str(old[c][ind.source_column]).split(";")
            ]
            row[ind.source_column] = ";".join(dict.fromkeys(i for i in ids if i))
            # Rolled up by a written rule, never stated by a source about the new unit.
            row[ind.confidence_column] = "inferred"
        else:
            # An unknown has no source and no confidence (data/README.md), and neither has a unit
            # outside the programme.
            row[ind.source_column] = ""
            row[ind.confidence_column] = ""
    # c8 is derived from the unit's own four indicators, as everywhere, not combined from the
    # parts' c8: the one rule for the overall result.
    row[OVERALL] = combine([str(row[ind.column]) for ind in INDICATORS])
    for key in _KEYS if population_share else ():
        # Over the new unit's whole population, former phường included: the share of people who
        # lived where the indicator was met.
        met_pop = sum(pops[c] for c in programme if old[c][key] == "met")
        row[f"{key}_met_share"] = met_pop / total_pop if total_pop else np.nan
    row["population"] = total_pop
    row["parts"] = ";".join(codes)
    row["approximate"] = bool(approx_codes)

    names = unit_names("2019")
    notes: list[str] = []
    if approx_codes:
        described = [
            t(
                "v_part_disputed" if split_rule.get((c, code)) == "whole" else "v_part_of",
                lang,
                name=names[c],
            )
            for c in approx_codes
        ]
        notes.append(t("v_approx_status", lang, parts=_join_list(described, lang)))
    if same_key:
        notes.append(str(old[codes[0]]["note"]))
    else:
        notes += [f"{names[c]}: {old[c]['note']}" for c in codes if old[c]["note"]]
    row["note"] = " ".join(n for n in notes if n)
    row["lineage"] = (
        ""
        if same_key
        else _lineage_text(
            codes,
            programme,
            outside,
            old,
            pops,
            shares,
            total_pop,
            population_share=population_share,
            not_applicable=not_applicable,
            lang=lang,
        )
    )
    return row


def _lineage_text(
    codes: Sequence[str],
    programme: Sequence[str],
    outside: Sequence[str],
    values: dict[str, dict[str, object]],
    pops: dict[str, float],
    shares: dict[str, float],
    total_pop: float,
    *,
    population_share: bool,
    not_applicable: str,
    lang: str,
) -> str:
    names = unit_names("2019")
    listed = [
        # 0.999 rather than 1, against floating-point sums: the largest real part of a split
        # commune holds 0.93 of its people (the part of Lương Hạ that went to Yến Lạc).
        names[c] if shares.get(c, 1.0) >= 0.999 else t("v_part_of", lang, name=names[c])
        for c in codes
    ]
    head = t("v_formed_from", lang, n=len(codes), names=", ".join(listed))
    if not programme:
        return f"{head} {t('v_no_programme_part', lang)}."
    counted = list(programme) + (list(outside) if not_applicable == "unknown" else [])
    # Indicators with the same counts are said once ("met 8.1, 8.2 and 8.4"), so the text stays
    # short in a tooltip.
    groups: dict[tuple[int, int, int, int, float], list[str]] = {}
    for key in _KEYS:
        met = [c for c in programme if values[c].get(key) == "met"]
        n_not = sum(1 for c in programme if values[c].get(key) == "not_met")
        n_conf = sum(1 for c in programme if values[c].get(key) == "conflicting")
        n_unk = len(counted) - len(met) - n_not - n_conf
        share = round(sum(pops[c] for c in met) / total_pop, 4) if total_pop else 0.0
        label = t("v_criterion", lang) if key == OVERALL else key.replace("c", "").replace("_", ".")
        groups.setdefault((len(met), n_not, n_conf, n_unk, share), []).append(label)
    phrases = []
    for (n_met, n_not, n_conf, n_unk, share), labels in groups.items():
        fields = {"met": n_met, "total": len(counted), "what": _join_list(labels, lang)}
        if population_share:
            text = t("v_met_group", lang, share=format_percent(share, lang, 0), **fields)
        else:
            text = t("v_met_group_nopop", lang, **fields)
        extra = []
        if n_not:
            extra.append(t("v_n_not_met", lang, n=n_not))
        if n_conf:
            extra.append(t("v_n_conflicting", lang, n=n_conf))
        if n_unk:
            extra.append(t("v_n_unknown", lang, n=n_unk))
        phrases.append(text + (", " + ", ".join(extra) if extra else ""))
    if outside:
        key = (
            "v_outside_programme_unknown" if not_applicable == "unknown" else "v_outside_programme"
        )
        phrases.append(t(key, lang, names=", ".join(names[c] for c in outside)))
    return f"{head} {'; '.join(phrases)}."


def _outside_rows(lang: str) -> pd.DataFrame:
    others = units_of("2025", whole_province=True)
    others = others[~others["from_bac_kan"].astype(bool)]
    note = t("v_outside_data", lang)
    frame = pd.DataFrame(
        {
            "code": others["code"].to_numpy(),
            "valid_from": others["valid_from"].to_numpy(),
            "name": others["name"].to_numpy(),
            "district": "",
            "unit_type": others["unit_type"].to_numpy(),
        }
    )
    for ind in INDICATORS:
        frame[ind.column] = "unknown"
        # The source says why the value is unknown: the unit lies outside the data, which covers
        # former Bắc Kạn only.
        frame[ind.source_column] = "outside_data"
        frame[ind.confidence_column] = ""
    frame[OVERALL] = "unknown"
    frame["note"] = note
    frame["lineage"] = note
    frame["approximate"] = False
    frame["parts"] = ""
    # NaN, not 0: these units have no 2019 census figure, and unknown is not zero people.
    frame["population"] = np.nan
    return frame
