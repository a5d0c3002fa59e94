"""Siting new commune radio stations under a budget (indicator 8.3).

Radio decided criterion 8 in Bắc Kạn: every xã met 8.1, 8.2 and 8.4 in 2019, so
a commune reaches criterion 8 when it gets a working commune radio station.
This module chooses which communes to build in next.

Commune level (always available)
--------------------------------
:func:`candidates` classifies every unit of a joined frame:

``has_station``
    8.3 is ``met``: a station exists. It stays fixed and is never proposed.
``needs_station``
    8.3 is ``not_met`` and 8.1, 8.2, 8.4 are ``met``: a station brings the
    commune to criterion 8 (gain 1).
``unknown``
    8.3 is ``unknown`` (or ``conflicting``, see below) and 8.1, 8.2, 8.4 are
    ``met``. What happens depends on the *unknown policy* the user chooses,
    which every output reports:

    - ``exclude``: not a candidate (only what the data show is planned for);
    - ``need``: treated as not meeting 8.3 (gain 1);
    - ``probability``: a candidate whose gain is ``p``, the user's probability
      that an unknown commune did not meet 8.3, i.e. that a station would bring
      it to criterion 8. Objectives then count *expected* communes (and expected
      population): a ``not_met`` commune counts 1, an unknown one ``p``. The
      cost is always counted in full. :func:`published_probability` derives one
      value of ``p`` from the province's published count.

    A commune whose sources conflict on 8.3 (``conflicting``: one source says
    met, another not met) is planned for as ``unknown``, since bkmap does not
    choose between sources, and carries ``conflicting`` = True: it is the first
    to check on the ground, and ranked before an unknown commune of equal value.
``other_gaps``
    another indicator is not met or unknown: a station alone does not bring
    criterion 8, so the commune is not a candidate.
``not_applicable``
    phường and thị trấn, outside the programme.

Costs. The default cost of a new station is :data:`DEFAULT_NEW_STATION_COST_VND`,
derived from a budget line of the province's article of 12/08/2019 (S13): "cân
đối nguồn ngân sách để đầu tư xây dựng mới 12 đài với tổng kinh phí thực hiện là
5 tỷ đồng" (``stations_budget_line_new`` and ``stations_budget_line_cost_vnd`` in
``data/published_totals.csv``). That line is not the 2019 plan, which was 5 new
stations (``stations_plan_2019_new``) and gives no cost.
No cost of upgrading a station was published, so the default upgrade cost is
the new-station cost, a conservative upper bound; override it. The upgrade cost
applies to a candidate whose station, by the evidence table
(``data/criterion8_evidence_2016-2020.csv``, indicator ``radio_station_built``),
was built on or before the assessment date while 8.3 is still not met or
unknown: that commune has a station that needs bringing up to standard. A cost
per commune from a file (:func:`read_costs`) overrides both.

Objectives (:data:`OBJECTIVES`):

- ``communes``: the (expected) number of communes that reach criterion 8;
- ``population``: their (expected) 2019 census population;
- ``mix``: ``w * C / C_max + (1 - w) * P / P_max``, where ``C`` and ``P`` are the
  plan's communes and population and ``C_max``, ``P_max`` are those of building
  in every candidate. Both terms are shares of what is reachable (0 to 1), so
  ``w = 0.5`` weighs one percent of the reachable communes the same as one
  percent of the reachable population.

:func:`solve` finds the exact optimum of this knapsack (with an optional cap on
the number of stations) as an integer program with PuLP and CBC; ties are
broken by the other quantity (population for ``communes``, communes for
``population``) and then by the lower cost. :func:`greedy` is the ratio greedy
heuristic (value per VND) reported beside it.

Village level (when village points are given)
---------------------------------------------
:func:`bkmap.planning.siting.plan_villages` solves the maximal covering location problem (MCLP) as a
PuLP integer programme on the sparse (village, site) pairs within the radius: demand is the villages weighted by population, candidate sites are
commune centres (:func:`bkmap.planning.siting.commune_sites`) or a user layer, the existing sites are
kept, and a village is covered when a chosen site lies within the radius
(:data:`DEFAULT_RADIUS_M`). Distances are measured in EPSG:3405.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
import math
import os
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pulp
from pulp.apis import coin_api

from bkmap import settings
from bkmap._errors import BkmapError, ValidationError, collect
from bkmap._progress import progress
from bkmap.analysis.summary import district_counts
from bkmap.i18n import format_number, register, t
from bkmap.i18n import msg as _msg
from bkmap.io.status import load_evidence, load_published_totals, load_status
from bkmap.io.tables import read_table
from bkmap.join import Assessment
from bkmap.model.criteria import INDICATORS, in_programme
from bkmap.model.dates import date_range
from bkmap.model.units import load_population as load_census
from bkmap.model.units import normalise_code, normalise_codes

log = logging.getLogger(__name__)

__all__ = [
    "ALTERNATIVE_COLUMNS",
    "BILLION",
    "DEFAULT_NEW_STATION_COST_VND",
    "DEFAULT_RADIUS_M",
    "NEW_STATION_COST_BASIS",
    "OBJECTIVES",
    "STATES",
    "UNKNOWN_POLICIES",
    "Plan",
    "PlanResult",
    "built_station_codes",
    "candidates",
    "compare_scenarios",
    "district_table",
    "greedy",
    "load_population",
    "marginal_table",
    "objective_values",
    "parse_count",
    "parse_vnd",
    "plan_communes",
    "plan_table",
    "policy_alternatives",
    "published_probability",
    "read_costs",
    "solve",
    "solver",
]

#: One billion VND (1 tỷ đồng), the step of the marginal-gain table.
BILLION: int = 1_000_000_000

#: Default cost of one new commune radio station, in VND: the province's budget line
#: of 12/08/2019 (S13) costs 12 new stations at 5,000,000,000 VND
#: (``stations_budget_line_new``, ``stations_budget_line_cost_vnd`` in
#: ``data/published_totals.csv``; a test holds this constant to them), so
#: 5,000,000,000 / 12 = 416,666,666.67, rounded *down* to the đồng so that the
#: line's 12 stations fit in its 5 billion.
DEFAULT_NEW_STATION_COST_VND: int = 5_000_000_000 // 12

#: Where the default cost comes from, in words (every output that states the cost cites it).
NEW_STATION_COST_BASIS: str = (
    "5,000,000,000 / 12, rounded down: the budget line of 12 new stations for 5 bn VND in the "
    "province's article of 12/08/2019 (S13; stations_budget_line_new, "
    "stations_budget_line_cost_vnd), not the 2019 plan (5 new stations, no cost given)"
)

#: Default coverage radius of a station at the village level, in metres. An
#: assumption, not a published figure: the median xã of Bắc Kạn covers 39 km²
#: (a disc of radius 3.5 km; three quarters are below 53 km², radius 4.1 km), so
#: a station within 5 km of a village can serve the villages of a typical
#: commune from its centre, which is what 8.3 asks. Change it with ``radius_m``.
DEFAULT_RADIUS_M: float = 5000.0

UNKNOWN_POLICIES: tuple[str, ...] = ("exclude", "need", "probability")
OBJECTIVES: tuple[str, ...] = ("communes", "population", "mix")
STATES: tuple[str, ...] = (
    "has_station",
    "needs_station",
    "unknown",
    "other_gaps",
    "not_applicable",
)

_OTHER_INDICATORS = ("c8_1", "c8_2", "c8_4")

register(
    {
        "plan_state_has_station": {
            "vi": "Đã có đài (8.3 đạt), giữ nguyên",
            "en": "Has a station (8.3 met), kept",
        },
        "plan_state_needs_station": {
            "vi": "Chỉ thiếu 8.3: cần đài",
            "en": "Lacks only 8.3: needs a station",
        },
        "plan_state_unknown": {"vi": "8.3 chưa rõ", "en": "8.3 unknown"},
        "plan_state_other_gaps": {
            "vi": "Thiếu chỉ tiêu khác ngoài 8.3",
            "en": "Lacks another indicator besides 8.3",
        },
        "plan_state_not_applicable": {
            "vi": "Phường/thị trấn (không áp dụng)",
            "en": "Urban unit (not applicable)",
        },
        "plan_unknown_exclude": {
            "vi": "xã chưa rõ 8.3: loại khỏi kế hoạch",
            "en": "communes with 8.3 unknown: excluded",
        },
        "plan_unknown_need": {
            "vi": "xã chưa rõ 8.3: coi như cần đài",
            "en": "communes with 8.3 unknown: treated as needing a station",
        },
        "plan_unknown_probability": {
            "vi": "xã chưa rõ 8.3: tính theo xác suất chưa đạt 8.3 p = {p}",
            "en": "communes with 8.3 unknown: weighted by probability p = {p} of not meeting 8.3",
        },
    }
)


# --------------------------------------------------------------------------- parsing

_SUFFIXES: dict[str, int] = {
    "": 1,
    "d": 1,
    "vnd": 1,
    "dong": 1,
    "đ": 1,
    "đồng": 1,
    "k": 1_000,
    "nghin": 1_000,
    "nghìn": 1_000,
    "m": 1_000_000,
    "tr": 1_000_000,
    "trieu": 1_000_000,
    "triệu": 1_000_000,
    "b": BILLION,
    "bn": BILLION,
    "ty": BILLION,
    "tỷ": BILLION,
    "tỉ": BILLION,
}
_GROUPED = re.compile(r"^\d{1,3}(?:([,. _])\d{3})(?:\1\d{3})*$")
_NUMBER = re.compile(r"^(?P<num>[0-9][0-9.,_ ]*(?:[eE][+-]?\d+)?)\s*(?P<unit>[^\d\s.,]*)$")


def _number(text: str) -> float | None:
    text = text.strip()
    if _GROUPED.match(text):
        return float(re.sub(r"[,. _]", "", text))
    # One comma not followed by a group of three digits is a Vietnamese decimal mark: "8,3 tỷ".
    if re.fullmatch(r"\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        return float(text.replace("_", ""))
    except ValueError:
        return None


def parse_vnd(text: str | float | int, *, option: str = "--budget") -> int:
    """Parse an amount of VND: ``5000000000``, ``5e9``, ``5,000,000,000``, ``5bn``, ``5 tỷ``.

    Suffixes: ``bn``/``b``/``tỷ`` (billion), ``tr``/``m``/``triệu`` (million),
    ``k``/``nghìn`` (thousand). The amount is rounded down to the đồng.

    Raises
    ------
    ValidationError
        The text is not an amount, or the amount is negative.

    Examples
    --------
    >>> parse_vnd("5e9"), parse_vnd("8.3bn"), parse_vnd("5.000.000.000"), parse_vnd("500 tr")
    (5000000000, 8300000000, 5000000000, 500000000)
    >>> parse_vnd("8,3 tỷ"), parse_vnd("8,300")
    (8300000000, 8300)
    """
    if isinstance(text, bool):
        msg = _msg("plan_not_vnd", option=option, text=text)
        raise ValidationError(msg)
    if isinstance(text, (int, float)):
        value: float | None = float(text)
    else:
        raw = str(text).strip()
        found = _NUMBER.match(raw.lower())
        value = None
        if found and found["unit"] in _SUFFIXES:
            number = _number(found["num"].strip())
            if number is not None:
                value = number * _SUFFIXES[found["unit"]]
    if value is None or not math.isfinite(value):
        msg = _msg("plan_not_vnd", option=option, text=text) + " " + _msg("plan_vnd_hint")
        raise ValidationError(msg)
    if value < 0:
        msg = _msg("plan_negative", option=option, text=text)
        raise ValidationError(msg)
    return math.floor(value + 1e-6)


def parse_count(text: str | int, *, option: str = "--stations") -> int:
    """Parse a number of stations (a whole number, 0 or more).

    Examples
    --------
    >>> parse_count("20")
    20
    """
    raw = str(text).strip()
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value) or value != int(value) or value < 0:
        msg = _msg("plan_not_count", option=option, text=text)
        raise ValidationError(msg)
    return int(value)


# --------------------------------------------------------------------------- inputs


def load_population() -> pd.DataFrame:
    """Return the 2019 census population as a frame: ``code, population`` (122 units).

    Examples
    --------
    >>> pop = load_population()
    >>> len(pop), int(pop["population"].sum())
    (122, 313905)
    """
    census = load_census()
    return pd.DataFrame({"code": list(census), "population": list(census.values())})


def _period_end(text: str) -> dt.date | None:
    """Last day of a full or partial ISO date (``2019`` -> 2019-12-31), or None if unreadable."""
    try:
        return date_range(text)[1]
    except ValueError:
        return None


def built_station_codes(
    as_of: str | dt.date | None = None,
    *,
    evidence: pd.DataFrame | None = None,
) -> set[str]:
    """Codes (2019) of communes whose station was built on or before ``as_of``.

    Reads the ``radio_station_built`` rows of the evidence (the main file and
    the addendum, :func:`bkmap.io.status.load_evidence`); a station built but
    not working counts as built (it is there to upgrade). A partial date counts
    only when its whole period ends on or before ``as_of`` (``2019`` does not
    count for an assessment of 2019-08-12), so the rule never assumes more than
    the source says.

    Examples
    --------
    >>> sorted(built_station_codes("2019-08-12"))[:3]
    ['01858', '01861', '01864']
    """
    day = as_of or settings.default_as_of
    limit = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
    if evidence is None:
        evidence = load_evidence()
    rows = evidence.loc[evidence["indicator"].eq("radio_station_built")]
    codes: set[str] = set()
    for code, when in zip(rows["gso_code_2019"], rows["as_of"], strict=True):
        end = _period_end(when)
        if end is not None and end <= limit:
            codes.add(normalise_code(code))
    return codes


def published_probability(status: pd.DataFrame | None = None, *, as_of: str | None = None) -> float:
    """Derive ``p`` for the ``probability`` policy from the province's published count.

    ``p = (N - M - K) / (U + C)``: of the ``N`` xã in the programme, the
    province published ``M`` meeting criterion 8; ``K`` are known ``not_met``,
    ``U`` are ``unknown`` and ``C`` are ``conflicting`` in the status table (a
    conflicting commune is planned for as unknown). Since 8.1, 8.2 and 8.4 were
    met by every xã, the ``N - M - K`` communes that did not meet criterion 8
    are among the ``U + C`` whose result is not known, and did not meet 8.3:
    ``p`` is the chance that such a commune did not meet 8.3. On 2019-08-12:
    ``(110 - 64 - 0) / (101 + 1) = 46 / 102``.

    Examples
    --------
    >>> round(published_probability(), 4)
    0.451
    """
    day = as_of or settings.default_as_of
    table = status if status is not None else load_status(day)
    totals = load_published_totals()
    # Only a figure the province published (not one derived here) sets p.
    here = totals.loc[totals["as_of"].eq(str(day)) & totals["kind"].eq("published")]
    values = dict(zip(here["metric"], here["value"], strict=True))
    if "c8_met" not in values or "communes_in_programme" not in values:
        msg = _msg("plan_no_published", day=day)
        raise ValidationError(msg)
    xa = table.loc[in_programme(table["unit_type"])] if "unit_type" in table else table
    known_not = int(xa["c8"].eq("not_met").sum())
    unknown = int(xa["c8"].isin(["unknown", "conflicting"]).sum())
    if unknown == 0:
        msg = _msg("plan_no_unknown", day=day)
        raise ValidationError(msg)
    lacking = int(values["communes_in_programme"]) - int(values["c8_met"]) - known_not
    return max(0.0, min(1.0, lacking / unknown))


def read_costs(path: str | os.PathLike[str], *, codes: Iterable[str]) -> pd.Series:
    """Read a cost per commune (columns ``code``, ``cost_vnd``) and check it.

    Parameters
    ----------
    path
        A CSV or .xlsx table.
    codes
        The codes of the units being planned; any other code is an error.

    Returns
    -------
    pandas.Series
        Cost in VND (int) indexed by code.

    Raises
    ------
    ValidationError
        Listing every bad row: missing column, unknown or duplicate code,
        non-numeric or negative cost.
    """
    table = read_table(path)
    source = str(path)
    lower = {c.lower().strip(): c for c in table.columns}
    missing = [c for c in ("code", "cost_vnd") if c not in lower]
    if missing:
        msg = _msg(
            "plan_cost_columns",
            source=source,
            missing=", ".join(missing),
            found=", ".join(map(str, table.columns)),
        )
        raise ValidationError(msg)
    known = set(codes)
    problems: list[str] = []
    out: dict[str, int] = {}
    first_row: dict[str, int] = {}
    for row, code_raw, cost_raw in zip(
        table.index, table[lower["code"]], table[lower["cost_vnd"]], strict=True
    ):
        code = normalise_code(code_raw)
        if code not in known:
            problems.append(_msg("plan_cost_unknown_code", row=row, code=code_raw))
            continue
        if code in first_row:
            problems.append(_msg("plan_cost_twice", row=row, code=code, first=first_row[code]))
            continue
        first_row[code] = int(row)
        try:
            cost = parse_vnd(cost_raw, option="cost_vnd")
        except ValidationError:
            if str(cost_raw).strip().startswith("-") and _number(str(cost_raw)[1:]) is not None:
                problems.append(_msg("plan_cost_negative", row=row, value=cost_raw))
            else:
                problems.append(_msg("plan_cost_not_number", row=row, value=cost_raw))
            continue
        out[code] = cost
    collect(problems, header=_msg("plan_cost_problems", source=source))
    return pd.Series(out, name="cost_vnd", dtype="int64")


# --------------------------------------------------------------------------- candidates


def _check_choice(value: str, allowed: Sequence[str], option: str) -> str:
    if value not in allowed:
        msg = _msg("plan_bad_choice", option=option, value=value, allowed=", ".join(allowed))
        raise ValidationError(msg)
    return value


def _check_policy(unknown: str, probability: float | None) -> float | None:
    _check_choice(unknown, UNKNOWN_POLICIES, "--unknown")
    if unknown == "probability":
        if probability is None:
            msg = _msg("plan_needs_probability", example=f"{published_probability():.3f}")
            raise ValidationError(msg)
        if not (0.0 < float(probability) <= 1.0):
            msg = _msg("plan_bad_probability", value=probability)
            raise ValidationError(msg)
        return float(probability)
    if probability is not None:
        msg = _msg("plan_probability_alone", unknown=unknown)
        raise ValidationError(msg)
    return None


@dataclass(frozen=True)
class Policy:
    """The assumptions of a plan, validated: how unknown communes count, and what stations cost.

    Every output of a plan states them (see :func:`policy_text`).

    Attributes
    ----------
    unknown
        How communes with 8.3 unknown count: one of :data:`UNKNOWN_POLICIES`.
    probability
        With ``unknown="probability"``: the probability that such a commune did
        not meet 8.3 (0 < p <= 1).
    new_cost
        Cost of a new station in VND (default :data:`DEFAULT_NEW_STATION_COST_VND`).
    upgrade_cost
        Cost of upgrading a station that exists but does not meet 8.3 (default:
        the new-station cost, since no upgrade cost was published).
    weight
        With the ``mix`` objective: the weight of the commune count.
    """

    unknown: str = "exclude"
    probability: float | None = None
    new_cost: int = DEFAULT_NEW_STATION_COST_VND
    upgrade_cost: int | None = None
    weight: float = 0.5

    def __post_init__(self) -> None:
        p = _check_policy(self.unknown, self.probability)
        object.__setattr__(self, "probability", p)
        if self.upgrade_cost is None:
            object.__setattr__(self, "upgrade_cost", int(self.new_cost))
        if int(self.new_cost) < 0 or int(self.upgrade_cost or 0) < 0:
            msg = _msg("plan_negative_station_cost")
            raise ValidationError(msg)
        if not (0.0 <= self.weight <= 1.0):
            msg = _msg("plan_bad_weight", value=self.weight)
            raise ValidationError(msg)

    @property
    def upgrade(self) -> int:
        """The upgrade cost in VND (the new-station cost unless given)."""
        return int(self.upgrade_cost if self.upgrade_cost is not None else self.new_cost)


def candidates(
    joined: pd.DataFrame,
    *,
    policy: Policy | None = None,
    as_of: str | None = None,
    population: pd.DataFrame | None = None,
    costs: Mapping[str, int] | pd.Series | None = None,
    built: Iterable[str] | None = None,
    existing: Iterable[str] = (),
) -> pd.DataFrame:
    """Classify every unit and give each candidate its gain, population and cost.

    Parameters
    ----------
    joined
        Communes with status (2019 units): the ``joined`` frame of :func:`bkmap.pipeline.assess`.
    policy
        How unknown communes count and what stations cost (:class:`Policy`; the defaults).
    as_of
        The assessment date (ISO; default :data:`bkmap.settings.default_as_of`).
    population
        ``code``, ``population`` (default: the 2019 census, :func:`load_population`).
    costs
        Cost per commune (code -> VND), overriding both defaults.
    built
        Codes with a station built by the assessment date (default:
        :func:`built_station_codes` on ``as_of``).
    existing
        More codes that already have a working station: kept, never proposed.

    Returns
    -------
    pandas.DataFrame
        One row per unit, with ``state`` (:data:`STATES`), ``conflicting``
        (8.3's sources conflict: planned for as unknown, checked first),
        ``eligible``, ``gain`` (expected communes reaching criterion 8 if built),
        ``population``, ``gain_population``, ``cost_vnd``, ``cost_basis`` and
        ``reason``.

    Examples
    --------
    >>> from bkmap.pipeline import assess
    >>> cands = candidates(assess().joined)
    >>> cands["state"].value_counts().to_dict()
    {'unknown': 102, 'not_applicable': 12, 'has_station': 8}
    >>> cands.loc[cands["conflicting"], "name"].tolist(), int(cands["eligible"].sum())
    (['Xã Giáo Hiệu'], 0)
    """
    policy = policy or Policy()
    unknown, p = policy.unknown, policy.probability
    new, upgrade = int(policy.new_cost), policy.upgrade
    as_of = as_of or settings.default_as_of
    built_codes = set(built) if built is not None else built_station_codes(as_of)
    existing_codes = {normalise_code(c) for c in existing}
    unknown_existing = existing_codes - set(joined["code"])
    if unknown_existing:
        msg = _msg("plan_bad_existing", codes=", ".join(sorted(unknown_existing)))
        raise ValidationError(msg)
    pop = population if population is not None else load_population()
    pop_by_code = dict(zip(normalise_codes(pop["code"]), pop["population"], strict=True))

    frame = pd.DataFrame(
        {
            "code": joined["code"].astype(str).to_numpy(),
            "name": joined["name"].astype(str).to_numpy(),
            "district": joined["district"].fillna("").astype(str).to_numpy(),
            "unit_type": joined["unit_type"].astype(str).to_numpy()
            if "unit_type" in joined
            else "",
            "c8": joined["c8"].to_numpy(),
            **{ind.column: joined[ind.column].to_numpy() for ind in INDICATORS},
        }
    )
    others_met = np.all([joined[c].eq("met").to_numpy() for c in _OTHER_INDICATORS], axis=0)
    # The one programme rule; a frame without types (a bare table) counts every row.
    inside = (
        in_programme(frame["unit_type"]).to_numpy()
        if "unit_type" in joined
        else np.ones(len(frame), dtype=bool)
    )
    c83 = frame["c8_3"].to_numpy()
    state = np.select(
        [
            ~inside,
            (c83 == "met") | frame["code"].isin(existing_codes).to_numpy(),
            ~others_met,
            c83 == "not_met",
            # Sources that disagree are not chosen between: planned for as unknown.
            (c83 == "unknown") | (c83 == "conflicting"),
        ],
        ["not_applicable", "has_station", "other_gaps", "needs_station", "unknown"],
        default="other_gaps",
    )
    frame["state"] = state
    frame["conflicting"] = (state == "unknown") & (c83 == "conflicting")
    gain = np.where(state == "needs_station", 1.0, 0.0)
    if unknown == "need":
        gain = np.where(state == "unknown", 1.0, gain)
    elif unknown == "probability" and p is not None:
        gain = np.where(state == "unknown", p, gain)
    frame["eligible"] = gain > 0
    frame["gain"] = gain
    frame["population"] = frame["code"].map(pop_by_code)
    lacking = frame.loc[frame["eligible"] & frame["population"].isna(), "code"].tolist()
    if lacking:
        msg = _msg("plan_no_population", codes=", ".join(lacking))
        raise ValidationError(msg)
    frame["gain_population"] = frame["gain"] * frame["population"].fillna(0.0)
    frame["station_built"] = frame["code"].isin(built_codes)
    basis = np.where(frame["station_built"], "upgrade", "new")
    cost = np.where(frame["station_built"], upgrade, new).astype("int64")
    if costs is not None:
        given = pd.Series(costs, dtype="int64")
        has = frame["code"].isin(given.index).to_numpy()
        cost = np.where(has, frame["code"].map(given).fillna(0).astype("int64"), cost)
        basis = np.where(has, "file", basis)
    frame["cost_vnd"] = pd.array(np.where(frame["eligible"], cost, 0), dtype="Int64")
    frame.loc[~frame["eligible"], "cost_vnd"] = pd.NA
    frame["cost_basis"] = np.where(frame["eligible"], basis, "")
    frame["reason"] = [
        _reason(s, unknown, conflicting=bool(c))
        for s, c in zip(frame["state"], frame["conflicting"], strict=True)
    ]
    return frame


def _reason(state: str, unknown: str, *, conflicting: bool = False) -> str:
    if conflicting:
        return (
            "8.3 sources conflict: planned for as unknown "
            f"(--unknown {unknown}); check it on the ground first"
        )
    if state == "has_station":
        return "8.3 met: a station exists; kept, never proposed"
    if state == "needs_station":
        return "8.3 not met, 8.1/8.2/8.4 met: a station brings criterion 8"
    if state == "unknown":
        return {
            "exclude": "8.3 unknown: excluded by --unknown exclude",
            "need": "8.3 unknown: treated as needing a station (--unknown need)",
            "probability": "8.3 unknown: counted with probability p (--unknown probability)",
        }[unknown]
    if state == "other_gaps":
        return "8.1, 8.2 or 8.4 not met or unknown: a station alone does not bring criterion 8"
    return "phường/thị trấn: outside the NTM programme"


def policy_text(policy: Policy, lang: str | None = None) -> str:
    """The unknown policy in words (reported in every output)."""
    p = policy.probability
    return t(
        f"plan_unknown_{policy.unknown}", lang, p=format_number(p, lang) if p is not None else ""
    )


# --------------------------------------------------------------------------- solving


def objective_values(
    cands: pd.DataFrame, *, objective: str = "communes", weight: float = 0.5
) -> pd.Series:
    """The value each candidate adds to the objective if its station is built.

    ``mix`` is ``weight * gain / sum(gain) + (1 - weight) * gain_population /
    sum(gain_population)`` over the eligible communes (see the module docstring).
    """
    _check_choice(objective, OBJECTIVES, "--objective")
    if not (0.0 <= weight <= 1.0):
        msg = _msg("plan_bad_weight", value=weight)
        raise ValidationError(msg)
    elig = cands["eligible"]
    gain = cands["gain"].where(elig, 0.0).astype(float)
    gpop = cands["gain_population"].where(elig, 0.0).astype(float)
    if objective == "communes":
        return gain
    if objective == "population":
        return gpop
    total_c = float(gain.sum()) or 1.0
    total_p = float(gpop.sum()) or 1.0
    return weight * gain / total_c + (1.0 - weight) * gpop / total_p


@dataclass(frozen=True)
class Plan:
    """One set of communes to build in, and what it achieves."""

    method: str
    codes: tuple[str, ...]
    objective: str
    value: float
    communes: float
    population: float
    cost_vnd: int
    budget_vnd: int | None
    stations: int | None
    status: str
    seconds: float

    @property
    def n_stations(self) -> int:
        return len(self.codes)


def solver() -> Any:
    """CBC: PuLP's bundled binary through COIN_CMD, or a CBC on the PATH.

    Proves the optimum (no gap allowed), without a time limit. Shared by the
    commune model and the village covering model (:mod:`bkmap.planning.siting`).
    """

    path = getattr(coin_api.PULP_CBC_CMD, "pulp_cbc_path", None)
    if path and os.access(path, os.X_OK):
        return pulp.COIN_CMD(path=path, msg=False, gapRel=0, gapAbs=0)
    solver = pulp.COIN_CMD(msg=False, gapRel=0, gapAbs=0)
    if not solver.available():
        msg = _msg("plan_no_cbc")
        raise BkmapError(msg)
    return solver


def _check_limits(budget: int | None, stations: int | None) -> None:
    if budget is None and stations is None:
        msg = _msg("plan_need_limit")
        raise ValidationError(msg)


def _summary(
    cands: pd.DataFrame,
    chosen: np.ndarray,
    *,
    method: str,
    objective: str,
    values: pd.Series,
    budget: int | None,
    stations: int | None,
    status: str,
    seconds: float,
) -> Plan:
    rows = cands.loc[chosen]
    return Plan(
        method=method,
        codes=tuple(rows["code"]),
        objective=objective,
        value=float(values.loc[chosen].sum()),
        communes=float(rows["gain"].sum()),
        population=float(rows["gain_population"].sum()),
        cost_vnd=int(rows["cost_vnd"].astype("int64").sum()),
        budget_vnd=budget,
        stations=stations,
        status=status,
        seconds=seconds,
    )


def solve(
    cands: pd.DataFrame,
    *,
    budget: int | None = None,
    stations: int | None = None,
    objective: str = "communes",
    weight: float = 0.5,
    tie_break: bool = True,
) -> Plan:
    """Find the optimal plan: maximise the objective within the budget and station cap.

    A 0-1 knapsack solved as an integer program with PuLP and CBC (zero
    optimality gap). With ``tie_break`` more passes keep the optimum and then
    prefer, in order: communes known to lack 8.3 over those only assumed to
    (``--unknown need``); more population (``communes``) or more communes
    (``population``); the lower cost; the lower code.

    Parameters
    ----------
    cands
        From :func:`candidates`.
    budget
        Total VND available; ``None`` for no budget limit.
    stations
        Most stations to build; ``None`` for no cap.
    objective, weight
        See :func:`objective_values`.
    tie_break
        Break ties between optimal plans (three solves instead of one).

    Examples
    --------
    >>> from bkmap.pipeline import assess
    >>> joined = assess().joined
    >>> plan = solve(candidates(joined, policy=Policy(unknown="need")), budget=5 * BILLION)
    >>> plan.n_stations, plan.cost_vnd <= 5 * BILLION
    (12, True)
    """

    _check_limits(budget, stations)
    values = objective_values(cands, objective=objective, weight=weight)
    elig = np.flatnonzero(cands["eligible"].to_numpy())
    start = time.perf_counter()
    chosen = np.zeros(len(cands), dtype=bool)
    status = "Optimal"
    if len(elig):
        costs = cands["cost_vnd"].to_numpy()[elig].astype("int64")
        val = values.to_numpy()[elig].astype(float)
        gain = cands["gain"].to_numpy()[elig].astype(float)
        gpop = cands["gain_population"].to_numpy()[elig].astype(float)
        stages: list[tuple[np.ndarray, int]] = [(val, 1)]
        if tie_break:
            # Ties between optimal plans are broken, in this order (issue 13): a commune
            # known to lack 8.3 before one only assumed to; then more population (or more
            # communes, for the population objective); then the lower cost; and last the
            # lower code, by the order the symmetry-breaking constraints follow.
            known = cands["state"].to_numpy()[elig] == "needs_station"
            stages.append((known.astype(float), 1))
            if objective == "communes":
                stages.append((gpop, 1))
            elif objective == "population":
                stages.append((gain, 1))
            stages.append((costs.astype(float), -1))
        limit = budget
        for _attempt in range(5):
            picked, status = _solve_stages(
                pulp, stages, costs=costs, budget=limit, stations=stations
            )
            spent = int(costs[picked].sum())
            if budget is None or spent <= budget:
                break
            # CBC's tolerances may admit a few đồng too many on large sums: tighten.
            limit = (limit or 0) - (spent - budget)
        else:
            msg = _msg("plan_over_budget")
            raise BkmapError(msg)
        chosen[elig[picked]] = True
    seconds = time.perf_counter() - start
    return _summary(
        cands,
        chosen,
        method="optimal",
        objective=objective,
        values=values,
        budget=budget,
        stations=stations,
        status=status,
        seconds=seconds,
    )


def _solve_stages(
    pulp: Any,
    stages: list[tuple[np.ndarray, int]],
    *,
    costs: np.ndarray,
    budget: int | None,
    stations: int | None,
) -> tuple[np.ndarray, str]:
    """Lexicographic 0-1 knapsack: optimise each stage, then keep it as a constraint."""
    n = len(costs)
    prob = pulp.LpProblem("radio_stations", pulp.LpMaximize)
    x = [prob.add_variable(f"x_{i}", 0, 1, cat="Binary") for i in range(n)]
    if budget is not None:
        prob += pulp.lpSum(int(c) * v for c, v in zip(costs, x, strict=True)) <= budget, "budget"
    if stations is not None:
        prob += pulp.lpSum(x) <= stations, "stations"
    # Symmetry breaking, valid for the lexicographic optimum: among communes of
    # equal cost, a better one (by the stage values, in order) is taken before a
    # worse one. Without it CBC may spend seconds proving an optimum among the
    # many equal-cost swaps (uniform default costs make every swap a tie).
    keys = np.column_stack([sense * coef for coef, sense in stages])
    for cost in np.unique(costs):
        members = np.flatnonzero(costs == cost)
        if len(members) < 2:
            continue
        order = sorted(members, key=lambda i: tuple(-keys[i]))
        for better, worse in itertools.pairwise(order):
            prob += x[worse] <= x[better], f"order_{better}_{worse}"
    cbc = solver()
    picked = np.zeros(n, dtype=bool)
    status = "Optimal"
    stages = [(coef, sense) for coef, sense in stages if np.any(coef)] or stages[:1]
    for k, (coef, sense) in enumerate(stages):
        expr = pulp.lpSum(float(sense * c) * v for c, v in zip(coef, x, strict=True))
        prob.setObjective(expr)
        prob.solve(cbc)
        status = pulp.LpStatus[prob.status]
        if status != "Optimal":
            msg = _msg("plan_solver_status", status=status)
            raise BkmapError(msg)
        picked = np.array([(v.value() or 0) > 0.5 for v in x], dtype=bool)
        best = float((sense * coef)[picked].sum())
        if k < len(stages) - 1:
            tol = 1e-7 * max(1.0, abs(best))
            prob += expr >= best - tol, f"keep_stage_{k}"
    return picked, status


def greedy(
    cands: pd.DataFrame,
    *,
    budget: int | None = None,
    stations: int | None = None,
    objective: str = "communes",
    weight: float = 0.5,
) -> Plan:
    """The ratio greedy heuristic: take communes by value per VND while they fit.

    Ties are taken by higher value, then code. A zero-cost commune comes first.
    Without a budget the ratio is the value itself.
    """
    _check_limits(budget, stations)
    start = time.perf_counter()
    values = objective_values(cands, objective=objective, weight=weight)
    elig = cands.loc[cands["eligible"]].copy()
    elig["value"] = values.loc[elig.index]
    cost = elig["cost_vnd"].astype("float64")
    if budget is None:
        elig["ratio"] = elig["value"]
    else:
        elig["ratio"] = np.where(cost > 0, elig["value"] / cost.where(cost > 0, 1.0), np.inf)
    order = elig.sort_values(["ratio", "value", "code"], ascending=[False, False, True])
    chosen = np.zeros(len(cands), dtype=bool)
    spent, count = 0, 0
    for idx, row in order.iterrows():
        c = int(row["cost_vnd"])
        if stations is not None and count >= stations:
            break
        if budget is not None and spent + c > budget:
            continue
        chosen[cands.index.get_loc(idx)] = True
        spent += c
        count += 1
    return _summary(
        cands,
        chosen,
        method="greedy",
        objective=objective,
        values=values,
        budget=budget,
        stations=stations,
        status="heuristic",
        seconds=time.perf_counter() - start,
    )


def gap(optimal: Plan, heuristic: Plan) -> float:
    """Relative shortfall of the heuristic: ``(optimal - greedy) / optimal`` (0 when both are 0)."""
    if optimal.value <= 0:
        return 0.0
    return max(0.0, (optimal.value - heuristic.value) / optimal.value)


# --------------------------------------------------------------------------- tables


def plan_table(
    cands: pd.DataFrame, plan: Plan, *, policy: Policy, heuristic: Plan | None = None
) -> pd.DataFrame:
    """The chosen communes, ranked, with cost, population and their contribution.

    Ranked by contribution to the objective, then value per VND, then a commune
    whose 8.3 sources conflict before one whose 8.3 is unknown (it is the one to
    check first), then population.
    """
    values = objective_values(cands, objective=plan.objective, weight=policy.weight)
    rows = cands.loc[cands["code"].isin(plan.codes)].copy()
    rows["contribution"] = values.loc[rows.index]
    cost = rows["cost_vnd"].astype("float64")
    rows["per_billion_vnd"] = np.where(
        cost > 0, rows["contribution"] / cost.where(cost > 0, 1.0) * BILLION, np.inf
    )
    rows = rows.sort_values(
        ["contribution", "per_billion_vnd", "conflicting", "population", "code"],
        ascending=[False, False, False, False, True],
    )
    rows.insert(0, "rank", range(1, len(rows) + 1))
    rows["cumulative_cost_vnd"] = rows["cost_vnd"].astype("int64").cumsum()
    if heuristic is not None:
        rows["in_greedy"] = rows["code"].isin(heuristic.codes)
    rows["objective"] = plan.objective
    rows["unknown_policy"] = policy.unknown
    rows["probability"] = policy.probability if policy.probability is not None else np.nan
    columns = [
        "rank",
        "code",
        "name",
        "district",
        "state",
        "c8_3",
        "conflicting",
        "cost_vnd",
        "cost_basis",
        "cumulative_cost_vnd",
        "population",
        "gain",
        "gain_population",
        "contribution",
        "per_billion_vnd",
        "objective",
        "unknown_policy",
        "probability",
    ]
    if heuristic is not None:
        columns.insert(columns.index("objective"), "in_greedy")
    out = rows[columns].rename(columns={"gain": "gain_communes"}).reset_index(drop=True)
    out["population"] = out["population"].astype("int64")
    return out


def district_table(cands: pd.DataFrame, plan: Plan, *, policy: Policy) -> pd.DataFrame:
    """Criterion-8 count of each district before and after the plan.

    ``c8_met_before`` counts the xã whose criterion 8 is ``met`` in the status
    table; ``c8_met_after`` adds the plan's (expected) gains. Unknown and
    conflicting xã are counted apart: the table never assumes their status.
    """
    xa = cands.loc[cands["state"].ne("not_applicable")].copy()
    xa["chosen"] = xa["code"].isin(plan.codes)
    xa["gain_if_chosen"] = np.where(xa["chosen"], xa["gain"], 0.0)
    xa["pop_if_chosen"] = np.where(xa["chosen"], xa["gain_population"], 0.0)
    xa["cost_if_chosen"] = np.where(xa["chosen"], xa["cost_vnd"].fillna(0).astype("int64"), 0)
    # "Before" is the count every district table shares (bkmap.analysis.summary).
    counts = district_counts(xa, programme_only=True)
    grouped = xa.groupby("district", sort=False)
    table = pd.DataFrame(
        {
            "xa": counts["programme"],
            "c8_met_before": counts["c8_met"],
            "c8_not_met_before": counts["c8_not_met"],
            "c8_conflicting_before": counts["c8_conflicting"],
            "c8_unknown_before": counts["c8_unknown"],
            "stations": grouped["chosen"].sum().astype(int),
            "cost_vnd": grouped["cost_if_chosen"].sum().astype("int64"),
            "gain_communes": grouped["gain_if_chosen"].sum(),
            "gain_population": grouped["pop_if_chosen"].sum(),
        },
        index=counts.index,
    ).reset_index(names="district")
    table["c8_met_after"] = table["c8_met_before"] + table["gain_communes"]
    total = table.drop(columns="district").sum(numeric_only=True)
    total_row = pd.DataFrame([{"district": "Total", **total.to_dict()}])
    out = pd.concat([table, total_row], ignore_index=True)
    for col in (
        "xa",
        "c8_met_before",
        "c8_not_met_before",
        "c8_conflicting_before",
        "c8_unknown_before",
        "stations",
        "cost_vnd",
    ):
        out[col] = out[col].astype("int64")
    out["unknown_policy"] = policy.unknown
    return out


def _plan_row(plan: Plan, heuristic: Plan) -> dict[str, Any]:
    return {
        "budget_vnd": plan.budget_vnd,
        "stations_cap": plan.stations,
        "objective": plan.objective,
        "value": plan.value,
        "stations": plan.n_stations,
        "cost_vnd": plan.cost_vnd,
        "communes": plan.communes,
        "population": plan.population,
        "greedy_value": heuristic.value,
        "greedy_stations": heuristic.n_stations,
        "greedy_cost_vnd": heuristic.cost_vnd,
        "greedy_communes": heuristic.communes,
        "greedy_population": heuristic.population,
        "gap": gap(plan, heuristic),
        "codes": " ".join(plan.codes),
    }


def marginal_table(
    cands: pd.DataFrame,
    *,
    policy: Policy,
    start: int = 0,
    limit: int,
    step: int = BILLION,
    stations: int | None = None,
    objective: str = "communes",
    weight: float = 0.5,
) -> pd.DataFrame:
    """The optimum at budgets ``start, start + step, ...`` up to ``limit``, and each step's gain.

    ``gain_*`` columns give what the extra ``step`` VND (1 billion by default)
    adds over the row before.
    """
    if step <= 0:
        msg = _msg("plan_bad_step")
        raise ValidationError(msg)
    if limit < start:
        msg = _msg("plan_marginal_limit", limit=f"{limit:,}", start=f"{start:,}")
        raise ValidationError(msg)
    budgets = list(range(start, limit + 1, step))
    rows = []
    for b in progress(budgets, total=len(budgets), desc="marginal gain"):
        plan = solve(
            cands, budget=b, stations=stations, objective=objective, weight=weight, tie_break=False
        )
        rows.append(
            {
                "budget_vnd": b,
                "value": plan.value,
                "stations": plan.n_stations,
                "cost_vnd": plan.cost_vnd,
                "communes": plan.communes,
                "population": plan.population,
            }
        )
    table = pd.DataFrame(rows)
    for col in ("value", "communes", "population", "stations"):
        table[f"gain_{col}"] = table[col].diff().fillna(0.0)
    table["objective"] = objective
    table["unknown_policy"] = policy.unknown
    return table


def compare_scenarios(
    cands: pd.DataFrame,
    scenarios: Sequence[tuple[int | None, int | None]],
    *,
    policy: Policy,
    objective: str = "communes",
    weight: float = 0.5,
) -> pd.DataFrame:
    """Solve each ``(budget, stations)`` scenario; one row each with optimum, greedy and gap."""
    rows = []
    for budget, stations in progress(scenarios, total=len(scenarios), desc="scenarios"):
        best = solve(cands, budget=budget, stations=stations, objective=objective, weight=weight)
        heur = greedy(cands, budget=budget, stations=stations, objective=objective, weight=weight)
        rows.append(_plan_row(best, heur))
    table = pd.DataFrame(rows)
    table.insert(0, "scenario", [scenario_label(b, s) for b, s in scenarios])
    table["unknown_policy"] = policy.unknown
    table["probability"] = policy.probability if policy.probability is not None else np.nan
    return table


def scenario_label(budget: int | None, stations: int | None) -> str:
    parts = []
    if budget is not None:
        parts.append(f"{budget / BILLION:g} bn VND")
    if stations is not None:
        parts.append(f"{stations} stations")
    return " + ".join(parts)


@dataclass
class PlanResult:
    """Everything :func:`plan_communes` works out for one set of inputs."""

    candidates: pd.DataFrame
    policy: Policy
    optimal: Plan
    greedy: Plan
    table: pd.DataFrame
    districts: pd.DataFrame
    marginal: pd.DataFrame | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    alternatives: pd.DataFrame | None = None

    @property
    def gap(self) -> float:
        return gap(self.optimal, self.greedy)


#: Columns of the table of what each policy for unknown communes would propose.
ALTERNATIVE_COLUMNS: tuple[str, ...] = (
    "unknown_policy",
    "probability",
    "stations",
    "cost_vnd",
    "communes_certain",
    "communes_expected",
    "communes_at_most",
    "population_expected",
    "codes",
)


def policy_alternatives(
    joined: pd.DataFrame,
    policy: Policy,
    *,
    as_of: str | None,
    budget: int | None,
    stations: int | None,
    objective: str,
    costs: Mapping[str, int] | pd.Series | None = None,
    existing: Iterable[str] = (),
) -> pd.DataFrame:
    """What each policy for communes with 8.3 unknown proposes at the same limits.

    One row per policy of :data:`UNKNOWN_POLICIES`, the one given first; the
    ``probability`` policy takes the given p, or the one derived from the
    published count (:func:`published_probability`), and is left out when the
    date has none. ``communes_certain`` counts the chosen communes known to lack
    8.3; ``communes_at_most`` all chosen communes that could reach criterion 8.
    A planner reads, in one output, how much the answer rests on the assumption.
    """
    rows = []
    for unknown in sorted(UNKNOWN_POLICIES, key=lambda u: u != policy.unknown):
        if unknown == policy.unknown:
            other = policy
        else:
            p = policy.probability
            if unknown == "probability" and p is None:
                try:
                    p = published_probability(as_of=as_of)
                except ValidationError:
                    continue
            other = dataclasses.replace(
                policy, unknown=unknown, probability=p if unknown == "probability" else None
            )
        cands = candidates(joined, policy=other, as_of=as_of, costs=costs, existing=existing)
        plan = solve(
            cands, budget=budget, stations=stations, objective=objective, weight=other.weight
        )
        chosen = cands.loc[cands["code"].isin(plan.codes)]
        rows.append(
            {
                "unknown_policy": unknown,
                "probability": other.probability if other.probability is not None else np.nan,
                "stations": plan.n_stations,
                "cost_vnd": plan.cost_vnd,
                "communes_certain": int(chosen["state"].eq("needs_station").sum()),
                "communes_expected": plan.communes,
                "communes_at_most": len(chosen),
                "population_expected": plan.population,
                "codes": " ".join(plan.codes),
            }
        )
    return pd.DataFrame(rows, columns=list(ALTERNATIVE_COLUMNS))


def plan_communes(
    assessment: Assessment,
    *,
    budget: int | None = None,
    stations: int | None = None,
    objective: str = "communes",
    policy: Policy | None = None,
    costs: Mapping[str, int] | pd.Series | None = None,
    existing: Iterable[str] = (),
    marginal_limit: int | None = None,
    marginal_step: int = BILLION,
) -> PlanResult:
    """Plan at commune level in one call: candidates, optimum, greedy, tables.

    Parameters are those of :func:`candidates`, :func:`solve` and
    :func:`marginal_table`. ``marginal_limit`` (VND) adds the marginal-gain
    table from ``budget`` (or 0) up to that total.

    Raises
    ------
    ValidationError
        The units are not those of 2019 (the census population and the
        evidence use 2019 codes), or a limit or the policy is invalid.

    Examples
    --------
    >>> from bkmap.pipeline import assess
    >>> result = plan_communes(assess(), stations=20, policy=Policy(unknown="need"))
    >>> len(result.table), result.optimal.communes, result.settings["conflicting"]
    (20, 20.0, '01870')
    """
    _check_limits(budget, stations)
    policy = policy or Policy()
    weight = policy.weight
    if assessment.version != "2019" or assessment.area is not None:
        units = assessment.version or _msg("plan_user_layer")
        msg = _msg("plan_not_2019", units=units)
        raise ValidationError(msg)
    cands = candidates(
        assessment.joined, policy=policy, as_of=assessment.as_of, costs=costs, existing=existing
    )
    objective_values(cands, objective=objective, weight=weight)  # validates the objective
    best = solve(cands, budget=budget, stations=stations, objective=objective, weight=weight)
    heur = greedy(cands, budget=budget, stations=stations, objective=objective, weight=weight)
    marginal = None
    if marginal_limit is not None:
        marginal = marginal_table(
            cands,
            policy=policy,
            start=budget or 0,
            limit=marginal_limit,
            step=marginal_step,
            stations=stations,
            objective=objective,
            weight=weight,
        )
    info = {
        "as_of": assessment.as_of,
        "budget_vnd": budget,
        "stations": stations,
        "objective": objective,
        "weight": weight if objective == "mix" else None,
        "unknown_policy": policy.unknown,
        "probability": policy.probability,
        "new_cost_vnd": int(policy.new_cost),
        "upgrade_cost_vnd": policy.upgrade,
        "costs_from_file": 0 if costs is None else len(costs),
        "candidates": int(cands["eligible"].sum()),
        "conflicting": " ".join(cands.loc[cands["conflicting"], "code"]),
    }
    alternatives = policy_alternatives(
        assessment.joined,
        policy,
        as_of=assessment.as_of,
        budget=budget,
        stations=stations,
        objective=objective,
        costs=costs,
        existing=existing,
    )
    return PlanResult(
        alternatives=alternatives,
        candidates=cands,
        policy=policy,
        optimal=best,
        greedy=heur,
        table=plan_table(cands, best, policy=policy, heuristic=heur),
        districts=district_table(cands, best, policy=policy),
        marginal=marginal,
        settings=info,
    )
