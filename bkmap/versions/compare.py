"""Comparing two assessments of criterion 8 on one version of the units.

:func:`compare_status` tells, unit by unit, what changed between two dates.
Statuses are first carried to a common version with
:func:`bkmap.versions.carry.carry`; :func:`bkmap.render.comparemap.compare_map`
draws the comparison.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pandas as pd

from bkmap._errors import collect
from bkmap.i18n import check_lang, register, t
from bkmap.model.criteria import INDICATORS, OVERALL, overall

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

__all__ = [
    "CHANGE_KINDS",
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
        "v_change_gained": {"vi": "Có thêm chỉ tiêu đạt", "en": "Newly met"},
        "v_change_lost": {"vi": "Mất chỉ tiêu đạt", "en": "No longer met"},
        "v_change_revised": {"vi": "Đã rõ hơn (khác)", "en": "Otherwise revised"},
        "v_changes": {"vi": "Thay đổi", "en": "Changes"},
        "v_before": {"vi": "Trước", "en": "Before"},
        "v_after": {"vi": "Sau", "en": "After"},
        "v_what_changed": {"vi": "Nội dung thay đổi", "en": "What changed"},
    }
)


# --------------------------------------------------------------------------- comparing periods

#: Kinds of change between two assessments, in the order drawn.
CHANGE_KINDS: tuple[str, ...] = ("gained", "lost", "revised", "unchanged")


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
        One row per unit: ``code, name, district``, ``<col>_before`` and
        ``<col>_after`` for ``c8`` and each indicator, ``change`` (one of
        :data:`CHANGE_KINDS`: ``gained`` when a value became met and none
        stopped being met, ``lost`` when one stopped being met, ``revised`` for
        any other change such as unknown → not met) and ``what`` (for example
        ``8.3: Chưa rõ → Đạt``).

    Raises
    ------
    ValidationError
        The two frames do not hold the same units.
    """
    lang = check_lang(lang)
    a = before.set_index("code")
    b = after.set_index("code")
    only_a = sorted(set(a.index) - set(b.index))
    only_b = sorted(set(b.index) - set(a.index))
    problems = []
    if only_a:
        problems.append(f"units only in the first assessment: {', '.join(only_a[:10])}")
    if only_b:
        problems.append(f"units only in the second assessment: {', '.join(only_b[:10])}")
    if problems:
        problems.append("compare both on the same version of the units (--on).")
    collect(problems, header="the two assessments cannot be compared:")
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
        aa = a.loc[order, key] if key in a else overall(a.loc[order])
        bb = b.loc[order, key] if key in b else overall(b.loc[order])
        out[f"{key}_before"] = aa.to_numpy()
        out[f"{key}_after"] = bb.to_numpy()
    kinds, whats = [], []
    for rec in out.to_dict("records"):
        changes = [
            (k, rec[f"{k}_before"], rec[f"{k}_after"])
            for k in keys
            if rec[f"{k}_before"] != rec[f"{k}_after"]
        ]
        if not changes:
            kinds.append("unchanged")
            whats.append("")
            continue
        lost = any(v0 == "met" for _, v0, _ in changes)
        gained = any(v1 == "met" for _, _, v1 in changes)
        kinds.append("lost" if lost else "gained" if gained else "revised")
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
