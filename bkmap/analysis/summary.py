"""The one count per district: units, xã in the programme, and each class of criterion 8.

Every table that summarises districts (the report's summary, the gap
analysis's district sheet, the plan's before-and-after) starts from
:func:`district_counts`, so a district's numbers are the same in every output.
"""

from __future__ import annotations

import pandas as pd

from bkmap.model.criteria import INDICATORS, OVERALL, VALUES, in_programme
from bkmap.model.names import fold

__all__ = ["COUNT_COLUMNS", "district_counts", "vietnamese_order"]

#: Columns of :func:`district_counts`, in order.
COUNT_COLUMNS: tuple[str, ...] = (
    "units",
    "programme",
    *(f"c8_{v}" for v in VALUES),
    *(f"{ind.column}_met" for ind in INDICATORS),
)


def vietnamese_order(values: pd.Series | pd.Index) -> pd.Series | pd.Index:
    """Sort key for Vietnamese names: without diacritics first (Hà before Hoàng), then as written."""
    if values.dtype.kind in "iub":
        return values
    # Sorted on the folded name first, as a Vietnamese reader expects (Hà before Hoàng); the
    # written name breaks ties, so the order is total and the same on every run.
    return values.map(lambda v: (fold(str(v)), str(v)))


def district_counts(joined: pd.DataFrame, *, programme_only: bool = False) -> pd.DataFrame:
    """Count, per district, the units, the xã in the programme and each class.

    Classes are counted among the units in the programme (a phường's
    ``not_applicable`` is counted in ``c8_not_applicable`` only), by the one
    programme rule, :func:`bkmap.model.criteria.in_programme`.

    Parameters
    ----------
    joined
        Units with ``district``, ``unit_type``, the indicator columns and ``c8``.
    programme_only
        Count only the units in the programme (``units`` then equals ``programme``).

    Returns
    -------
    DataFrame
        Indexed by district name (sorted the Vietnamese way), with
        :data:`COUNT_COLUMNS` as integers.

    Examples
    --------
    >>> from bkmap.io.status import load_status
    >>> counts = district_counts(load_status())
    >>> int(counts["programme"].sum()), int(counts["c8_met"].sum()), len(counts)
    (110, 8, 8)
    """
    inside = in_programme(joined["unit_type"]).to_numpy()
    frame = pd.DataFrame(
        {"district": joined["district"].fillna("").astype(str).to_numpy(), "programme": inside}
    )
    keep = inside if programme_only else slice(None)
    overall = joined[OVERALL].to_numpy()
    for value in VALUES:
        # Classes of the programme's units; units outside it are not_applicable.
        counted = overall == value
        frame[f"c8_{value}"] = counted & inside if value != "not_applicable" else counted
    for ind in INDICATORS:
        frame[f"{ind.column}_met"] = (joined[ind.column].to_numpy() == "met") & inside
    frame = frame.loc[keep]
    # sort=False here, then the Vietnamese order below: pandas would sort district names by code
    # point, putting Đ after every other letter.
    grouped = frame.groupby("district", sort=False)
    out = grouped.sum(numeric_only=False).astype(int)
    out.insert(0, "units", grouped.size().astype(int))
    out = out.sort_index(key=vietnamese_order)
    return out[list(COUNT_COLUMNS)]
