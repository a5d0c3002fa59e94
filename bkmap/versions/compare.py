"""Comparing two assessments of criterion 8 on one version of the units.

:func:`compare_status` tells, unit by unit, what changed between two dates.
Statuses are first carried to a common version with
:func:`bkmap.versions.carry.carry`; :func:`bkmap.render.comparemap.compare_map`
draws the comparison.
"""

from __future__ import annotations

import logging

import pandas as pd

from bkmap._errors import collect
from bkmap.i18n import check_lang, register, t
from bkmap.i18n import msg as _msg
from bkmap.model.criteria import INDICATORS, OVERALL, overall

log = logging.getLogger(__name__)

__all__ = [
    "CHANGE_KINDS",
    "change_counts",
    "change_kind",
    "compare_status",
]

register(
    {
        "v_changed_layer": {"vi": "Thay đổi {a} → {b}", "en": "Changes {a} → {b}"},
        "v_compare_title": {
            "vi": "Bắc Kạn: tiêu chí số 8, so sánh {a} và {b}",
            "en": "Bắc Kạn: criterion 8, {a} compared with {b}",
        },
        "v_change_unchanged": {"vi": "Không đổi", "en": "Unchanged"},
        "v_change_gained": {"vi": "Từ chưa đạt thành đạt", "en": "Gained (not met → met)"},
        "v_change_lost": {"vi": "Từ đạt thành chưa đạt", "en": "Lost (met → not met)"},
        "v_change_newly_known": {
            "vi": "Mới biết (trước chưa rõ)",
            "en": "Newly known (was unknown)",
        },
        "v_change_no_longer_known": {
            "vi": "Không còn rõ",
            "en": "No longer known",
        },
        "v_change_revised": {"vi": "Thay đổi khác", "en": "Otherwise revised"},
        "v_changes": {"vi": "Thay đổi", "en": "Changes"},
        "v_before": {"vi": "Trước", "en": "Before"},
        "v_after": {"vi": "Sau", "en": "After"},
        "v_what_changed": {"vi": "Nội dung thay đổi", "en": "What changed"},
    }
)


# --------------------------------------------------------------------------- comparing periods

#: Kinds of change of one value between two assessments, in the order drawn and counted.
#: A value that becomes known is not progress: "newly_known" keeps it apart from a gain.
CHANGE_KINDS: tuple[str, ...] = (
    "gained",
    "lost",
    "newly_known",
    "no_longer_known",
    "revised",
    "unchanged",
)

# Conflicting is not known: a move from conflicting to met is settled evidence (newly_known), not
# progress on the ground.
#: Values that say what a commune's state is, as against unknown (or conflicting evidence).
_KNOWN = frozenset({"met", "not_met"})


def change_kind(before: str, after: str) -> str:
    """The kind of change of one value: the one rule :func:`compare_status` applies.

    ``gained`` is not met → met and ``lost`` met → not met: changes of a known
    state. A value that was unknown (or conflicting) and became met or not met is
    ``newly_known``: new knowledge, not progress; the reverse is
    ``no_longer_known``. Anything else that changed (to or from not applicable,
    unknown ↔ conflicting) is ``revised``.

    Examples
    --------
    >>> change_kind("not_met", "met"), change_kind("unknown", "met"), change_kind("met", "met")
    ('gained', 'newly_known', 'unchanged')
    """
    if before == after:
        return "unchanged"
    if before == "not_met" and after == "met":
        return "gained"
    if before == "met" and after == "not_met":
        return "lost"
    # A unit entering or leaving the programme (not_applicable on one side) changed status, not
    # knowledge: that is revised, below.
    if before not in _KNOWN and after in _KNOWN and before != "not_applicable":
        return "newly_known"
    if before in _KNOWN and after not in _KNOWN and after != "not_applicable":
        return "no_longer_known"
    return "revised"


def compare_status(
    before: pd.DataFrame, after: pd.DataFrame, *, lang: str | None = None
) -> pd.DataFrame:
    """Compare two assessments of the same units, value by value.

    Parameters
    ----------
    before, after
        Joined frames (or status tables with ``c8`` derived) of the same
        version of the units, keyed on ``code``.
    lang
        Language of the ``what`` text.

    Returns
    -------
    DataFrame
        One row per unit: ``code, name, district``; for ``c8`` and each
        indicator ``<col>_before``, ``<col>_after`` and ``<col>_change`` (one of
        :data:`CHANGE_KINDS`, by :func:`change_kind`); ``change``, the kind of
        the criterion-8 result (``c8_change``) or, when that did not change but
        an indicator did, that indicator's most telling kind; and ``what``
        (for example ``8.3: Chưa rõ → Đạt``).

    Raises
    ------
    ValidationError
        The two frames do not hold the same units.
    """
    lang = check_lang(lang)
    # Both frames must be of one version: codes are reused across versions, so comparing them by
    # code alone would set different communes side by side.
    a = before.set_index("code")
    b = after.set_index("code")
    only_a = sorted(set(a.index) - set(b.index))
    only_b = sorted(set(b.index) - set(a.index))
    problems = []
    if only_a:
        problems.append(_msg("cmp_only_first", codes=", ".join(only_a[:10])))
    if only_b:
        problems.append(_msg("cmp_only_second", codes=", ".join(only_b[:10])))
    if problems:
        problems.append(_msg("cmp_same_version"))
    collect(problems, header=_msg("cmp_header"))
    order = list(b.index)
    out = pd.DataFrame(
        {
            "code": order,
            "name": b.loc[order, "name"].to_numpy(),
            "district": b.loc[order, "district"].fillna("").to_numpy() if "district" in b else "",
        }
    )
    keys = [OVERALL, *(ind.column for ind in INDICATORS)]
    for key in keys:
        # A frame without c8 (a status table as read) gets it by the one rule.
        aa = a.loc[order, key] if key in a else overall(a.loc[order])
        bb = b.loc[order, key] if key in b else overall(b.loc[order])
        out[f"{key}_before"] = aa.to_numpy()
        out[f"{key}_after"] = bb.to_numpy()
        out[f"{key}_change"] = [change_kind(x, y) for x, y in zip(aa, bb, strict=True)]
    rank = {k: i for i, k in enumerate(CHANGE_KINDS)}
    kinds, whats = [], []
    for rec in out.to_dict("records"):
        changes = [
            (k, rec[f"{k}_before"], rec[f"{k}_after"])
            for k in keys
            if rec[f"{k}_before"] != rec[f"{k}_after"]
        ]
        # The unit's kind: its criterion-8 result's; else the first of its indicators' kinds.
        unit_kind = rec[f"{OVERALL}_change"]
        if unit_kind == "unchanged" and changes:
            # min by CHANGE_KINDS' order picks the most telling change: a gain or loss before new
            # knowledge, before a revision.
            unit_kind = min((rec[f"{k}_change"] for k, _, _ in changes), key=rank.__getitem__)
        kinds.append(unit_kind)
        whats.append(
            "; ".join(
                f"{t('overall', lang) if k == OVERALL else k.replace('c', '').replace('_', '.')}: "
                f"{t(v0, lang)} → {t(v1, lang)}"
                for k, v0, v1 in changes
            )
        )
    out["change"] = kinds
    out["what"] = whats
    return out


def change_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Count each kind of change for criterion 8 and for each indicator, apart.

    Examples
    --------
    >>> from bkmap.io.status import load_status
    >>> counts = change_counts(
    ...     compare_status(load_status("2018-07-31"), load_status("2019-08-12"), lang="en")
    ... )
    >>> counts.loc["c8", ["gained", "lost", "newly_known"]].tolist()
    [0, 0, 1]
    """
    keys = [OVERALL, *(ind.column for ind in INDICATORS)]
    rows = {
        key: table[f"{key}_change"].value_counts().reindex(CHANGE_KINDS, fill_value=0)
        for key in keys
    }
    # reindex with fill_value=0 above gives every kind a count, so the table's shape never depends
    # on which changes happened.
    return pd.DataFrame(rows).T.astype(int).rename_axis("value")
