"""Comparing per-commune records with the province's totals and the district figures.

The province published counts (for example 64 xã meeting criterion 8 on
2019-08-12) but no list of communes; districts published counts of their own
(2 of 21 xã of Chợ Đồn recognised NTM on 2019-09-09). :func:`reconcile` sets
each against the records, in one table:

- **province rows**, one per province figure of the assessment date: how many
  communes the status table confirms, contradicts, leaves conflicting or
  unknown, and how many of the figure stay unattributed. A figure is either
  ``published`` (the number is in the source) or ``derived`` (computed from
  published figures): the ``kind`` column says which, and only a published
  one is called published.
- **district rows** (:func:`reconcile_districts`), one per district figure that
  the commune evidence can be counted against (``compare_with`` in
  ``data/district_figures.csv``), each at the figure's own date: how many of
  the district's communes the evidence names, and whether the figure's bound
  (exact, at most, at least, more than) allows that count.

A commune whose sources conflict is counted in neither met nor not met: it is
its own column, and the statement names it with its sources.
"""

from __future__ import annotations

import pandas as pd

from bkmap._errors import ValidationError
from bkmap.i18n import check_lang, format_date, register, t
from bkmap.io.status import load_district_figures, load_evidence, load_published_totals
from bkmap.model.criteria import INDICATORS, OVERALL, in_programme, overall
from bkmap.model.dates import date_range
from bkmap.model.units import units_of

__all__ = ["COLUMNS", "published_line", "reconcile", "reconcile_districts"]

_METRICS = {"c8_met": OVERALL, **{f"{ind.column}_met": ind.column for ind in INDICATORS}}

#: Columns of :func:`reconcile` (and of :func:`reconcile_districts`), in order.
COLUMNS: tuple[str, ...] = (
    "level",
    "district_code",
    "district",
    "as_of",
    "metric",
    "figure",
    "out_of",
    "bound",
    "kind",
    "records_met",
    "records_not_met",
    "records_conflicting",
    "records_unknown",
    "unattributed",
    "consistent",
    "named",
    "conflicting",
    "source_id",
    "statement",
)

#: What each ``compare_with`` of a district figure counts in the commune evidence:
#: the (indicator, value) pairs that say a commune has it, and those that say it has not.
#: An NTM recognition means all 19 criteria were met (QĐ 1980/QĐ-TTg), so it counts
#: for criterion 8 as well; a station is counted whether or not it works (the figure
#: counts stations, not 8.3, which also needs loudspeakers reaching the villages).
_EVIDENCE: dict[str, tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]] = {
    "c8": (
        frozenset({("c8_all", "met"), ("ntm_recognised", "recognised")}),
        frozenset({("c8_all", "not_met")}),
    ),
    "ntm": (
        frozenset({("ntm_recognised", "recognised")}),
        frozenset({("ntm_recognised", "not_met")}),
    ),
    # The evidence records stations built (working or not) and planned; a planned station is not
    # one built, and no row says a commune has none, so nothing counts against a station figure.
    "radio_station": (
        frozenset(
            {("radio_station_built", "built"), ("radio_station_built", "built_not_operating")}
        ),
        frozenset(),
    ),
}

register(
    {
        "rec_kind_published": {"vi": "công bố", "en": "published"},
        "rec_kind_derived": {"vi": "suy ra", "en": "derived"},
        "rec_kind_inferred": {"vi": "người thu thập suy ra", "en": "inferred by the collector"},
        "rec_derived_note": {
            "vi": "số {figure} được suy ra từ các số liệu công bố, tỉnh không công bố trực tiếp",
            "en": "{figure} is derived from the published figures; the province did not publish it",
        },
        "rec_province": {
            "vi": "hồ sơ xác nhận {met}/{figure} xã được {kind} là đạt; {unattributed} xã chưa "
            "xác định được là xã nào; {not_met} xã được ghi là chưa đạt (tối đa {allowed})",
            "en": "the records confirm {met} of the {figure} xã {kind} as met; {unattributed} "
            "are not attributed to any commune; {not_met} xã recorded as not met "
            "({allowed} allowed)",
        },
        "rec_conflicting": {
            "vi": "{n} xã có nguồn mâu thuẫn, không tính là đạt hay chưa đạt: {names}",
            "en": "{n} xã with conflicting sources, counted neither met nor not met: {names}",
        },
        "rec_contradiction": {
            "vi": "MÂU THUẪN: hồ sơ vượt quá số liệu",
            "en": "CONTRADICTION: the records exceed what the figure allows",
        },
        "rec_bound_exact": {"vi": "đúng {value}", "en": "exactly {value}"},
        "rec_bound_at_most": {"vi": "tối đa {value}", "en": "at most {value}"},
        "rec_bound_at_least": {"vi": "ít nhất {value}", "en": "at least {value}"},
        "rec_bound_more_than": {"vi": "hơn {value}", "en": "more than {value}"},
        "rec_what_c8": {"vi": "xã đạt tiêu chí 8", "en": "xã meeting criterion 8"},
        "rec_what_ntm": {"vi": "xã đạt chuẩn nông thôn mới", "en": "xã recognised NTM"},
        "rec_what_radio_station": {
            "vi": "đơn vị có đài truyền thanh",
            "en": "units with a radio station",
        },
        "rec_district": {
            "vi": "{district} công bố {bound}{out_of} {what} ({date}, {source}); tư liệu xã "
            "nêu tên {met} đến thời điểm đó{named}",
            "en": "{district} published {bound}{out_of} {what} ({date}, {source}); the "
            "commune evidence names {met} by that date{named}",
        },
        "rec_out_of": {"vi": "/{n}", "en": " of {n}"},
        "rec_district_not": {
            "vi": "; {n} được ghi là chưa đạt đúng thời điểm đó",
            "en": "; {n} recorded as not having it at that date",
        },
        "rec_district_units": {
            "vi": "; số liệu tính trên {n} đơn vị, hồ sơ năm 2019 của huyện có {units}",
            "en": "; the figure counts {n} units, the district's 2019 records {units}",
        },
        "rec_allows": {"vi": "số liệu cho phép", "en": "the bound allows it"},
        "rec_inferred": {
            "vi": "số liệu do người thu thập suy ra",
            "en": "the figure is the collector's inference",
        },
        "rec_published_line": {
            "vi": "Hồ sơ nêu tên {named} trong {figure} xã được công bố là đạt tiêu chí 8 "
            "(ngày {date}, nguồn {source})",
            "en": "{named} of the {figure} xã published as meeting criterion 8 ({date}, "
            "source {source}) are named in the records",
        },
    }
)


def reconcile(
    status: pd.DataFrame,
    *,
    as_of: str | None = None,
    totals: pd.DataFrame | None = None,
    districts: bool = True,
    lang: str = "en",
) -> pd.DataFrame:
    """Compare a status table with the province figures of its date and the district figures.

    Parameters
    ----------
    status
        A status table (canonical schema) of Bắc Kạn's 2019 units. Rows outside
        the programme (``not_applicable``) are not counted.
    as_of
        Date of the province figures; the status table's own ``as_of`` by default.
    totals
        Province figures (default: :func:`bkmap.io.status.load_published_totals`).
    districts
        Add the district rows of :func:`reconcile_districts`.
    lang
        Language of the ``statement`` column.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`. On a province row, ``figure`` is the province's count
        and ``kind`` ``published`` or ``derived``; ``records_*`` count the status
        table's communes; ``consistent`` is False when the records contradict
        the figure (more met, or more not met, than it allows; a conflicting
        commune counts for neither side); ``conflicting`` names the communes
        whose sources disagree, with their sources.

    Examples
    --------
    >>> from bkmap.io.status import load_status
    >>> table = reconcile(load_status())
    >>> print(table.loc[table["metric"].eq("c8_met"), "statement"].iloc[0])
    the records confirm 8 of the 64 xã published as met; 56 are not attributed to any commune; 0 xã recorded as not met (46 allowed); 1 xã with conflicting sources, counted neither met nor not met: 01870 Xã Giáo Hiệu (S23; S11)
    >>> table["level"].value_counts().to_dict()
    {'district': 6, 'province': 5}
    """
    lang = check_lang(lang)
    totals = load_published_totals() if totals is None else totals
    frame = status.copy()
    if OVERALL not in frame.columns:
        frame[OVERALL] = overall(frame)
    if "unit_type" not in frame.columns:
        msg = (
            "reconcile: the frame has no unit_type column, so the xã in the programme cannot be "
            "told apart. Pass a joined frame (bkmap.assess().joined) or a shipped status table."
        )
        raise ValidationError(msg)
    # The province's figures count xã in the programme (110 of them); phường and thị trấn would
    # only add not_applicable rows to no side.
    frame = frame[in_programme(frame["unit_type"])]
    day = as_of or _single_as_of(status)
    # Only published and derived figures are set against the records (a counted row is the GSO list
    # counted, not a figure of the province's); a totals table without a kind column is read as
    # published.
    kinds = totals["kind"] if "kind" in totals.columns else pd.Series("published", totals.index)
    wanted = totals[
        totals["metric"].isin(_METRICS)
        & (totals["as_of"] == day)
        & kinds.isin(["published", "derived"])
    ]
    programme_total = totals[
        (totals["metric"] == "communes_in_programme") & (totals["as_of"] == day)
    ]
    # The province's own count of xã in the programme (110 on both dates, published_totals.csv)
    # bounds the not met; the table's row count is the fallback when no such figure is given.
    size = int(programme_total["value"].iloc[0]) if len(programme_total) else len(frame)
    rows = [_province_row(frame, fig, size=size, lang=lang) for _, fig in wanted.iterrows()]
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    if districts:
        out = pd.concat([out, reconcile_districts(lang=lang)], ignore_index=True)
    return _typed(out)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as nullable integers (a bound with no count is empty), ``consistent`` as bool."""
    out = frame.copy()
    for col in (
        "figure",
        "out_of",
        "unattributed",
        *(c for c in COLUMNS if c.startswith("records_")),
    ):
        # Nullable integers: an at_most figure has no unattributed count, and that is empty, not 0.
        out[col] = pd.array(out[col].astype(object).where(out[col].notna(), None), dtype="Int64")
    out["consistent"] = out["consistent"].astype(bool)
    return out


def _province_row(frame: pd.DataFrame, fig: pd.Series, *, size: int, lang: str) -> dict:
    column = _METRICS[fig["metric"]]
    figure = int(fig["value"])
    kind = str(fig.get("kind", "") or "published")
    met = int(frame[column].eq("met").sum())
    not_met = int(frame[column].eq("not_met").sum())
    conflicting = frame.loc[frame[column].eq("conflicting")]
    unknown = int(frame[column].eq("unknown").sum())
    # If the figure is exact, the xã it leaves out are the most that can be not met: 64 met of 110
    # allows at most 46 not met.
    allowed_not_met = size - figure
    # A conflicting commune may end up on either side: it contradicts neither.
    consistent = met <= figure and not_met <= allowed_not_met
    # How many of the figure no record names: the province published counts, not lists of communes
    # (data/README.md: 56 of the 64 are not attributed).
    unattributed = max(figure - met, 0)
    statement = t(
        "rec_province",
        lang,
        met=met,
        figure=figure,
        kind=t(f"rec_kind_{kind}", lang),
        unattributed=unattributed,
        not_met=not_met,
        allowed=allowed_not_met,
    )
    # A derived figure must never read as published: the statement says it was computed.
    if kind == "derived":
        statement += "; " + t("rec_derived_note", lang, figure=figure)
    names = _conflicting_names(conflicting, column)
    if len(conflicting):
        statement += "; " + t("rec_conflicting", lang, n=len(conflicting), names=names)
    if not consistent:
        statement += "; " + t("rec_contradiction", lang)
    return {
        "level": "province",
        "district_code": "",
        "district": "",
        "as_of": fig["as_of"],
        "metric": fig["metric"],
        "figure": figure,
        "out_of": size,
        "bound": str(fig.get("bound", "") or "exact"),
        "kind": kind,
        "records_met": met,
        "records_not_met": not_met,
        "records_conflicting": len(conflicting),
        "records_unknown": unknown,
        "unattributed": unattributed,
        "consistent": consistent,
        "named": "",
        "conflicting": names,
        "source_id": fig["source_id"],
        "statement": statement,
    }


def _conflicting_names(rows: pd.DataFrame, column: str) -> str:
    """``01870 Xã Giáo Hiệu (S23; S11)``: each conflicting commune with the sources of both sides."""
    parts = []
    for _, row in rows.iterrows():
        cited = _cited(row, column)
        label = f"{row.get('code', '')} {row.get('name', '')}".strip()
        parts.append(f"{label} ({'; '.join(cited)})" if cited else label)
    return ", ".join(parts)


def _cited(row: pd.Series, column: str) -> list[str]:
    """The source ids behind a conflicting value (of the overall result: its conflicting indicators)."""
    columns = (
        [ind for ind in INDICATORS if row.get(ind.column) == "conflicting"]
        if column == OVERALL
        else [ind for ind in INDICATORS if ind.column == column]
    )
    cited: list[str] = []
    for ind in columns:
        for part in str(row.get(ind.source_column, "") or "").split(";"):
            if part.strip() and part.strip() not in cited:
                cited.append(part.strip())
    return cited


# --------------------------------------------------------------------------- districts


def reconcile_districts(
    *,
    figures: pd.DataFrame | None = None,
    evidence: pd.DataFrame | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Set each district figure against what the commune evidence names at the figure's date.

    For every figure with a ``compare_with`` (see
    :func:`bkmap.io.status.load_district_figures`), each 2019 commune of the
    district is classed by the evidence (:func:`bkmap.io.status.load_evidence`)
    at the figure's date, with the date rule of ``data/README.md``:

    - a piece of evidence *holds* when its whole date range (a day, a month or
      a year) ends on or before the figure's date begins; a commune named as
      having what the figure counts keeps it (a recognised commune stays
      recognised);
    - a piece saying the commune has *not* got it counts only for the figure's
      own date (a commune not yet recognised in 2018 may be in 2019);
    - a commune with a holding piece on one side and a piece on the other side
      that holds or whose range straddles the figure's date is *conflicting*.

    Then ``consistent`` follows the bound's direction: an ``exact`` figure
    allows at most ``figure`` named and at most ``out_of - figure`` not; an
    ``at_most`` figure at most ``figure`` named; an ``at_least`` (or
    ``more_than``) figure at most ``out_of - figure`` (``- figure - 1``) not.
    Conflicting communes count for neither side.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, ``level`` = ``district``; ``named`` lists the communes
        the evidence names; ``records_unknown`` counts the district's other
        2019 units of the kind the figure counts.

    Examples
    --------
    >>> rows = reconcile_districts().set_index(["district_code", "as_of"])
    >>> row = rows.loc[("064", "2019-09-09")]
    >>> int(row["figure"]), int(row["records_met"]), row["named"], bool(row["consistent"])
    (2, 1, '02056 Xã Rã Bản', True)
    """
    lang = check_lang(lang)
    figures = load_district_figures() if figures is None else figures
    evidence = load_evidence() if evidence is None else evidence
    units = units_of("2019")
    rows = []
    for _, fig in figures.loc[figures["compare_with"].isin(_EVIDENCE)].iterrows():
        rows.append(_district_row(fig, evidence, units, lang=lang))
    return _typed(pd.DataFrame(rows, columns=list(COLUMNS)))


def _district_row(
    fig: pd.Series, evidence: pd.DataFrame, units: pd.DataFrame, *, lang: str
) -> dict:
    yes, no = _EVIDENCE[fig["compare_with"]]
    start, end = date_range(fig["as_of"])
    # Which unit types the figure counts, from its own unit text: Bạch Thông's station figure of
    # 2023 counts xã and thị trấn (14 of 14), the others xã only.
    kinds = {"Xã"}
    unit_text = str(fig.get("unit", ""))
    if "thị trấn" in unit_text:
        kinds.add("Thị trấn")
    if "phường" in unit_text:
        kinds.add("Phường")
    district = units.loc[units["district_code"].eq(fig["district_code"])]
    counted = district.loc[district["unit_type"].isin(kinds)]
    names = dict(zip(counted["code"], counted["name"], strict=True))
    pieces = evidence.loc[evidence["gso_code_2019"].isin(names)]
    has, has_not, conflicting = [], [], []
    for code in counted["code"]:
        own = pieces.loc[pieces["gso_code_2019"].eq(code)]
        side = list(zip(own["indicator"], own["value"], strict=True))
        ranges = [date_range(d) for d in own["as_of"]]
        # Evidence holds when its whole range ends on or before the figure's date begins; a piece
        # that straddles the date is never taken as before it (data/README.md, rule 4). What holds
        # is taken to last: a recognised commune stays recognised.
        yes_holds = any(p in yes and r[1] <= start for p, r in zip(side, ranges, strict=True))
        no_holds = any(p in no and r[1] <= start for p, r in zip(side, ranges, strict=True))
        # "Not yet" is a fact of its own date only: it holds when its range lies within the figure's.
        no_same = any(
            p in no and start <= r[0] and r[1] <= end for p, r in zip(side, ranges, strict=True)
        )
        no_straddles = any(
            p in no and r[0] <= end and r[1] > start for p, r in zip(side, ranges, strict=True)
        )
        # Both sides possible at the date: conflicting, counted on neither side, as a conflicting
        # indicator is in the province rows.
        if yes_holds and (no_holds or no_straddles):
            conflicting.append(code)
        elif yes_holds:
            has.append(code)
        elif no_same:
            has_not.append(code)
    value = _number(fig["value"])
    out_of = int(fig["out_of"]) if str(fig.get("out_of", "")).strip() else None
    bound = fig["bound"] or "exact"
    met, n_not = len(has), len(has_not)
    # The direction of each bound decides what can contradict it: too many named for exact and
    # at_most, too many not for exact, at_least and more_than.
    if bound == "exact":
        consistent = met <= value and (out_of is None or n_not <= out_of - value)
    elif bound == "at_most":
        consistent = met <= value
    else:
        # at_least / more_than: only named "not" communes can contradict.
        room = None if out_of is None else out_of - value - (1 if bound == "more_than" else 0)
        consistent = room is None or n_not <= room
    named_text = ", ".join(f"{c} {names[c]}" for c in has)
    statement = t(
        "rec_district",
        lang,
        district=fig["district"],
        bound=t(f"rec_bound_{bound}", lang, value=fig["value"]),
        out_of=t("rec_out_of", lang, n=out_of) if out_of is not None else "",
        what=t(f"rec_what_{fig['compare_with']}", lang),
        date=format_date(fig["as_of"], lang),
        source=fig["source_id"],
        met=met,
        named=f" ({named_text})" if named_text else "",
    )
    if n_not:
        statement += t("rec_district_not", lang, n=n_not)
    if conflicting:
        listed = ", ".join(f"{c} {names[c]}" for c in conflicting)
        statement += "; " + t("rec_conflicting", lang, n=len(conflicting), names=listed)
    # The figure's denominator may not be the district's 2019 count of units (a later figure after
    # the 2020 merger, or another kind of unit): the statement gives both rather than hide it.
    if out_of is not None and out_of != len(counted):
        statement += t("rec_district_units", lang, n=out_of, units=len(counted))
    if fig.get("confidence") == "inferred":
        statement += "; " + t("rec_inferred", lang)
    statement += "; " + (t("rec_allows", lang) if consistent else t("rec_contradiction", lang))
    return {
        "level": "district",
        "district_code": fig["district_code"],
        "district": fig["district"],
        "as_of": fig["as_of"],
        "metric": fig["metric"],
        "figure": int(value) if float(value).is_integer() else None,
        "out_of": out_of,
        "bound": bound,
        "kind": "published" if fig.get("confidence", "stated") == "stated" else "inferred",
        "records_met": met,
        "records_not_met": n_not,
        "records_conflicting": len(conflicting),
        "records_unknown": len(counted) - met - n_not - len(conflicting),
        "unattributed": max(int(value) - met, 0) if bound in ("exact", "at_least") else None,
        "consistent": consistent,
        "named": named_text,
        "conflicting": ", ".join(f"{c} {names[c]}" for c in conflicting),
        "source_id": fig["source_id"],
        "statement": statement,
    }


def _number(text: str) -> float:
    # A decimal comma (7,8), as Vietnamese sources write it, reads as a decimal point.
    return float(str(text).replace(",", "."))


# --------------------------------------------------------------------------- one line


def published_line(
    status: pd.DataFrame, *, as_of: str | None = None, lang: str = "en"
) -> str | None:
    """How many of the province's published criterion-8 count the records name, as one sentence.

    For example "8 of the 64 xã published as meeting criterion 8 (2019-08-12,
    source S13) are named in the records". None when the province published no
    criterion-8 count for the date.

    Examples
    --------
    >>> from bkmap.io.status import load_status
    >>> published_line(load_status(), lang="vi")
    'Hồ sơ nêu tên 8 trong 64 xã được công bố là đạt tiêu chí 8 (ngày 12/08/2019, nguồn S13)'
    """
    table = reconcile(status, as_of=as_of, districts=False, lang=lang)
    # Only a published figure may be quoted as the province's (data/README.md): a derived count
    # never appears in this line.
    row = table.loc[table["metric"].eq("c8_met") & table["kind"].eq("published")]
    if row.empty:
        return None
    first = row.iloc[0]
    return t(
        "rec_published_line",
        lang,
        named=int(first["records_met"]),
        figure=int(first["figure"]),
        date=format_date(str(first["as_of"]), lang),
        source=first["source_id"],
    )


def _single_as_of(status: pd.DataFrame) -> str | None:
    if "as_of" not in status.columns:
        return None
    # With several dates (or none) no single date's figures apply: no province row is made, and a
    # caller chooses the date with as_of.
    values = status["as_of"].replace("", pd.NA).dropna().unique()
    return str(values[0]) if len(values) == 1 else None
