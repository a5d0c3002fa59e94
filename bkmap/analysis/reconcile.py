"""Comparing per-commune records with the province's published totals.

The province published counts (for example 64 xã meeting criterion 8 on
2019-08-12) but no list of communes. :func:`reconcile` states, for each
published count, how many communes the records confirm, how many they
contradict, and how many remain unattributed.
"""

from __future__ import annotations

import pandas as pd

from bkmap._errors import ValidationError
from bkmap.io.status import load_published_totals
from bkmap.model.criteria import INDICATORS, OVERALL, in_programme, overall

__all__ = ["reconcile"]

_METRICS = {"c8_met": OVERALL, **{f"{ind.column}_met": ind.column for ind in INDICATORS}}


def reconcile(
    status: pd.DataFrame,
    *,
    as_of: str | None = None,
    totals: pd.DataFrame | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Compare a status table with the published totals of the same date.

    Parameters
    ----------
    status
        A status table (canonical schema). Rows outside the programme
        (``not_applicable``) are not counted.
    as_of
        Date of the published figures; the status table's own ``as_of`` by default.
    totals
        Published totals (default: :func:`bkmap.io.status.load_published_totals`).
    lang
        Language of the ``statement`` column.

    Returns
    -------
    DataFrame
        One row per published count: ``as_of, metric, published, records_met,
        records_not_met, records_unknown, unattributed, consistent, source_id,
        statement``. ``consistent`` is False when the records contradict the
        published figure (more met, or more not met, than it allows).

    Examples
    --------
    >>> from bkmap.io.status import load_status
    >>> table = reconcile(load_status())
    >>> print(table.loc[table["metric"].eq("c8_met"), "statement"].iloc[0])
    the records confirm 8 of the 64 xã published as met; 56 are not attributed to any commune; 1 xã is recorded as not met (46 allowed)
    """
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
    frame = frame[in_programme(frame["unit_type"])]
    day = as_of or _single_as_of(status)
    wanted = totals[totals["metric"].isin(_METRICS) & (totals["as_of"] == day)]
    programme_total = totals[
        (totals["metric"] == "communes_in_programme") & (totals["as_of"] == day)
    ]
    size = int(programme_total["value"].iloc[0]) if len(programme_total) else len(frame)
    rows = []
    for _, fig in wanted.iterrows():
        column = _METRICS[fig["metric"]]
        published = int(fig["value"])
        met = int(frame[column].eq("met").sum())
        not_met = int(frame[column].eq("not_met").sum())
        unknown = int(frame[column].eq("unknown").sum())
        allowed_not_met = size - published
        consistent = met <= published and not_met <= allowed_not_met
        unattributed = max(published - met, 0)
        if lang == "vi":
            statement = (
                f"hồ sơ xác nhận {met}/{published} xã được công bố là đạt; {unattributed} xã chưa "
                f"xác định được là xã nào; {not_met} xã được ghi là chưa đạt (tối đa {allowed_not_met})"
            )
        else:
            statement = (
                f"the records confirm {met} of the {published} xã published as met; {unattributed} "
                f"are not attributed to any commune; {not_met} xã {'is' if not_met == 1 else 'are'} "
                f"recorded as not met ({allowed_not_met} allowed)"
            )
        if not consistent:
            statement += (
                "; CONTRADICTION: the records exceed what the published figure allows"
                if lang == "en"
                else "; MÂU THUẪN: hồ sơ vượt quá số liệu công bố"
            )
        rows.append(
            {
                "as_of": fig["as_of"],
                "metric": fig["metric"],
                "published": published,
                "records_met": met,
                "records_not_met": not_met,
                "records_unknown": unknown,
                "unattributed": unattributed,
                "consistent": consistent,
                "source_id": fig["source_id"],
                "statement": statement,
            }
        )
    return pd.DataFrame(rows)


def _single_as_of(status: pd.DataFrame) -> str | None:
    if "as_of" not in status.columns:
        return None
    values = status["as_of"].replace("", pd.NA).dropna().unique()
    return str(values[0]) if len(values) == 1 else None
