"""The indicators of NTM criterion 8 and the rule that combines them.

Criterion 8 (information and communications) has four indicators:

- 8.1 a postal service point;
- 8.2 telecom and internet service reaching the villages (thôn);
- 8.3 a commune radio station with loudspeakers reaching the villages;
- 8.4 IT used in the commune's administration.

Each takes one of :data:`VALUES`. A commune meets criterion 8 only when all
four are met; it does not when any one is not met; otherwise its result is
``unknown``. Urban units (phường, thị trấn) are outside the programme and are
``not_applicable``.

``conflicting`` marks an indicator whose sources disagree for the assessment
date (one says met, another not met, and neither can be set aside by its
date). It is never folded into met or not met: bkmap does not choose between
sources. Combined (:func:`combine`), a not met still decides the result (the
commune fails whichever way the conflict is settled); otherwise a conflicting
indicator makes the result ``conflicting``, since settling it decides whether
the commune can meet the criterion.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "CONFIDENCES",
    "INDICATORS",
    "OVERALL",
    "PROGRAMME_TYPES",
    "VALUES",
    "Indicator",
    "combine",
    "in_programme",
    "indicator_columns",
    "overall",
]

# Unknown is a value of its own, never a default for not_met: most of the shipped 2019 table is
# unknown (101 of 122 units), and folding it into either side would invent the province's figures.
#: Values an indicator, or the overall result, can take; drawn in this order.
VALUES: tuple[str, ...] = ("met", "not_met", "conflicting", "unknown", "not_applicable")

#: How a value was established: stated by its source, or inferred by a written rule.
CONFIDENCES: tuple[str, ...] = ("stated", "inferred")

#: Column of the derived overall result.
OVERALL = "c8"

#: Unit types that take part in the NTM programme (the others are not_applicable).
#: The programme is for rural communes (xã); wards (phường) and towns (thị trấn)
#: are urban units and have their own standards.
PROGRAMME_TYPES: tuple[str, ...] = ("Xã",)


@dataclass(frozen=True)
class Indicator:
    """One indicator of criterion 8."""

    key: str
    column: str
    label_vi: str
    label_en: str

    @property
    def source_column(self) -> str:
        return f"{self.column}_source"

    @property
    def confidence_column(self) -> str:
        return f"{self.column}_confidence"


INDICATORS: tuple[Indicator, ...] = (
    Indicator("8.1", "c8_1", "Điểm phục vụ bưu chính", "Postal service point"),
    Indicator("8.2", "c8_2", "Dịch vụ viễn thông, internet", "Telecom and internet service"),
    Indicator("8.3", "c8_3", "Đài truyền thanh và loa đến thôn", "Radio station with loudspeakers"),
    Indicator("8.4", "c8_4", "Ứng dụng CNTT trong quản lý", "IT in administration"),
)


def in_programme(unit_types: pd.Series) -> pd.Series:
    """Return True for the units that take part in the NTM programme: the one rule.

    A xã is in the programme; a phường or thị trấn is not, whatever a status
    table says about it. A unit whose type is not known (an empty type, as in a
    user's layer without a type column or type prefix) is treated as in the
    programme, so that its status is shown rather than hidden; the readers fill
    the type from the name's prefix where they can (:func:`bkmap.model.names.unit_type_of`).

    Examples
    --------
    >>> in_programme(pd.Series(["Xã", "Phường", "Thị trấn", ""])).tolist()
    [True, False, False, True]
    """
    types = unit_types.fillna("").astype(str)
    # An empty type counts as in the programme: hiding a xã because its layer has no type column
    # would be worse than showing a phường's status, which the type-prefix fill makes rare.
    return (types.isin(PROGRAMME_TYPES) | types.eq("")).rename("in_programme")


def indicator_columns() -> list[str]:
    """Return the value columns of the four indicators, in order."""
    return [ind.column for ind in INDICATORS]


def combine(values: Iterable[str]) -> str:
    """Combine values into one: the rule of :func:`overall`, for one row or one merged unit.

    ``not_met`` when any is not met; else ``conflicting`` when any is
    conflicting; ``met`` when all are met; ``not_applicable`` when all are not
    applicable; ``unknown`` otherwise (and for no value at all).

    Examples
    --------
    >>> combine(["met", "conflicting", "met", "met"]), combine(["not_met", "conflicting"])
    ('conflicting', 'not_met')
    >>> combine(["met", "unknown"]), combine([])
    ('unknown', 'unknown')
    """
    items = list(values)
    if not items:
        return "unknown"
    if "not_met" in items:
        return "not_met"
    # A conflict outranks an unknown: whichever way it is settled, it decides.
    if "conflicting" in items:
        return "conflicting"
    if all(v == "met" for v in items):
        return "met"
    # Only all not_applicable is not_applicable: a xã with one indicator marked not applicable and
    # the others met is unknown, since the criterion is met only when all four are.
    if all(v == "not_applicable" for v in items):
        return "not_applicable"
    return "unknown"


def overall(frame: pd.DataFrame) -> pd.Series:
    """Derive the criterion-8 result of each row from its four indicators.

    ``met`` when all four are met, ``not_met`` when any is not met,
    ``conflicting`` when none is not met and any is conflicting,
    ``not_applicable`` when all four are not applicable, ``unknown`` otherwise
    (the rule of :func:`combine`, vectorised).

    Examples
    --------
    >>> rows = pd.DataFrame({
    ...     "c8_1": ["met", "met", "met", "not_applicable", "met"],
    ...     "c8_2": ["met", "met", "met", "not_applicable", "met"],
    ...     "c8_3": ["met", "not_met", "unknown", "not_applicable", "conflicting"],
    ...     "c8_4": ["met", "unknown", "met", "not_applicable", "met"],
    ... })
    >>> overall(rows).tolist()
    ['met', 'not_met', 'unknown', 'not_applicable', 'conflicting']
    """
    values = frame[indicator_columns()]
    all_met = values.eq("met").all(axis=1)
    any_not = values.eq("not_met").any(axis=1)
    any_conflict = values.eq("conflicting").any(axis=1)
    all_na = values.eq("not_applicable").all(axis=1)
    # np.select takes the first condition that holds, so this order is combine()'s order of
    # precedence: not met, then conflicting, then met, then not applicable.
    result = np.select(
        [any_not, any_conflict, all_met, all_na],
        ["not_met", "conflicting", "met", "not_applicable"],
        default="unknown",
    )
    return pd.Series(result, index=frame.index, name=OVERALL)
