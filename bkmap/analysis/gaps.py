"""Spatial gap analysis: stations, coverage, villages and post offices per commune.

The two kernels, :func:`count_points_in_polygons` and :func:`covered_share`,
are vectorised with shapely 2 (STRtree queries, array predicates and a
row-wise ``union_all``) and run in the metric CRS
(:data:`bkmap.settings.metric_crs`, VN-2000 / UTM 48N); no Python loop runs
over communes. Given dask-geopandas frames they hand the work to
:mod:`bkmap.analysis.distributed`.

:func:`find_gaps` combines the joined status table with any point and
coverage layers (see :func:`bkmap.io.points.read_points`) into a
:class:`GapResult`: one row per commune with every measure, the ranked list
of communes with a gap, a district summary set against the published totals,
the conflicts between the layers and the status table, and the villages that
no coverage reaches.

Coverage is the union of operator polygons and of discs around cell sites
and towers. A disc is drawn as a polygon of ``4 * QUAD_SEGS`` sides inscribed
in the circle (area 0.16 % below the circle's); a point (village) is covered
when it lies within the circle's radius.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import STRtree

from bkmap import settings
from bkmap._errors import ValidationError
from bkmap.analysis.kernels import (
    assign_points,
    coverage_layer,
    covered_areas,
    metric_geometry,
    points_covered,
)
from bkmap.analysis.reconcile import reconcile
from bkmap.analysis.summary import district_counts
from bkmap.i18n import check_lang, register, t
from bkmap.i18n import msg as _msg
from bkmap.io.points import PartitionedLayer, PointLayers, dropped_rows
from bkmap.io.record import record_of
from bkmap.io.status import load_published_totals
from bkmap.join import Assessment
from bkmap.model import illustrative
from bkmap.model.criteria import INDICATORS, OVERALL, in_programme
from bkmap.model.units import load_population, normalise_codes
from bkmap.notes import Note

log = logging.getLogger(__name__)

__all__ = [
    "COVERAGE_THRESHOLD",
    "GAP_KEYS",
    "GapResult",
    "find_gaps",
    "standing_on",
]

#: Default threshold: a commune whose covered share of population (or of area,
#: when its population is spread evenly) is below it has a coverage gap.
COVERAGE_THRESHOLD: float = 0.8

#: Segments per quarter circle of a coverage disc (64-gon).
QUAD_SEGS: int = 16

#: Weight of each gap in the ranking score (see :func:`find_gaps`). An indicator
#: whose sources conflict weighs more than an unknown one (evidence exists on both
#: sides, so it is the first to check on the ground) and less than any measured gap
#: or a not met, since it may well be met.
GAP_WEIGHTS: dict[str, float] = {
    "not_met": 100.0,
    "no_station": 50.0,
    "low_coverage": 40.0,
    "no_postal_point": 30.0,
    "conflicting": 20.0,
    "villages_uncovered": 10.0,
    "unknown": 5.0,
}

#: Every gap key, in the order the ``gap`` text lists them.
GAP_KEYS: tuple[str, ...] = (
    *(f"{ind.column}_not_met" for ind in INDICATORS),
    "no_station",
    "low_coverage",
    "villages_uncovered",
    "no_postal_point",
    *(f"{ind.column}_conflicting" for ind in INDICATORS),
    *(f"{ind.column}_unknown" for ind in INDICATORS),
)

_LABELS: dict[str, dict[str, str]] = {
    **{
        f"gap_{ind.column}_not_met": {
            "vi": f"chỉ tiêu {ind.key} chưa đạt",
            "en": f"indicator {ind.key} not met",
        }
        for ind in INDICATORS
    },
    **{
        f"gap_{ind.column}_conflicting": {
            "vi": f"chỉ tiêu {ind.key}: nguồn mâu thuẫn",
            "en": f"indicator {ind.key}: sources conflict",
        }
        for ind in INDICATORS
    },
    **{
        f"gap_{ind.column}_unknown": {
            "vi": f"chỉ tiêu {ind.key} chưa rõ",
            "en": f"indicator {ind.key} unknown",
        }
        for ind in INDICATORS
    },
    "gap_no_station": {"vi": "không có đài truyền thanh", "en": "no radio station"},
    "gap_low_coverage": {
        "vi": "vùng phủ sóng dưới ngưỡng {threshold}",
        "en": "coverage below {threshold}",
    },
    "gap_villages_uncovered": {
        "vi": "{n} thôn chưa có sóng",
        "en": "{n} village(s) not covered",
    },
    "gap_no_postal_point": {"vi": "không có điểm bưu chính", "en": "no postal point"},
    "conflict_c8_3_met_no_station": {
        "vi": "chỉ tiêu 8.3 ghi là đạt nhưng không có đài truyền thanh nào trong xã",
        "en": "8.3 recorded as met but no radio station lies inside the commune",
    },
    "conflict_station_while_c8_3_not_met": {
        "vi": "có {n} đài truyền thanh (đang hoạt động: {working}, chưa rõ: {unknown}) nhưng 8.3 ghi là chưa đạt",
        "en": "{n} radio station(s) inside (working: {working}, unknown: {unknown}) but 8.3 recorded as not met",
    },
    "conflict_station_code_mismatch": {
        "vi": "đài {station!r} ghi mã xã {given} nhưng nằm trong xã {code}",
        "en": "station {station!r} gives commune code {given} but lies in {code}",
    },
    "stations_later": {
        "vi": "{n} đài xây sau ngày {on} không được tính là đã có vào ngày đó: {names}",
        "en": "{n} station(s) built after {on} are not counted as standing on that date: {names}",
    },
    "stations_later_fix": {
        "vi": "Bản đồ vẽ các đài này ở lớp riêng (xây sau ngày đánh giá)",
        "en": "The map draws them in a layer of their own (built after the assessment date)",
    },
    "conflicts_illustrative": {
        "vi": "{n} mâu thuẫn giữa bảng số liệu và lớp đài đến từ một lớp đài minh họa; chúng được "
        "ghi là minh họa và không nói gì về các xã thật",
        "en": "the {n} conflict(s) between the status table and the stations come from an "
        "illustrative station layer; they are marked illustrative and say nothing about the "
        "real communes",
    },
    "conflicts_illustrative_fix": {
        "vi": "Dùng một lớp đài thật để đối chiếu bảng số liệu",
        "en": "Give a real station layer to check the status table",
    },
    "province_records": {"vi": "Toàn tỉnh (theo hồ sơ)", "en": "Province (records)"},
    "province_published": {
        "vi": "Toàn tỉnh (số liệu công bố {as_of})",
        "en": "Province (published {as_of})",
    },
}
register(_LABELS)


@dataclass
class GapResult:
    """Everything :func:`find_gaps` measured.

    Attributes
    ----------
    communes
        One row per commune (EPSG:4326) with its status and every measure.
    gaps
        The communes with a gap, ranked (``rank`` 1 is the most urgent), with
        ``code, name, district, gap, gap_keys, gap_score`` and the measured shares.
    districts
        Per district: units, indicators met, criterion 8 met, gaps and
        coverage; then the province total of the records and the published totals.
    conflicts
        Disagreements between the layers and the status table.
    uncovered_villages
        Villages that no coverage reaches (empty without villages or coverage).
    covered_area
        The covered part of each commune (EPSG:4326), one row per commune.
    stations, villages, postal
        The point layers used (EPSG:4326), each with the commune it lies in;
        ``stations`` holds only the stations standing on the assessment date
        (see :func:`standing_on`).
    later_stations
        Stations with a known build year after the assessment date (EPSG:4326):
        not counted, drawn apart; ``None`` without a station layer.
    dropped
        Input rows left out, with the reason (see :func:`bkmap.io.points.dropped_rows`).
    assessment
        The assessment analysed.
    illustrative
        True when any layer or table used is illustrative: every output must say so.
    on
        The date the stations were counted on (the assessment date).
    notes
        What the analysis decided that a user should read (stations left out as built later).
    reconciliation
        :func:`bkmap.analysis.reconcile.reconcile` of the status against the published totals.
    threshold
        The coverage threshold used.
    layers
        Names of the layers that were given.
    """

    communes: gpd.GeoDataFrame
    gaps: gpd.GeoDataFrame
    districts: pd.DataFrame
    conflicts: pd.DataFrame
    uncovered_villages: gpd.GeoDataFrame
    covered_area: gpd.GeoDataFrame
    stations: gpd.GeoDataFrame | None = None
    villages: gpd.GeoDataFrame | None = None
    postal: gpd.GeoDataFrame | None = None
    dropped: pd.DataFrame = field(default_factory=pd.DataFrame)
    reconciliation: pd.DataFrame = field(default_factory=pd.DataFrame)
    threshold: float = COVERAGE_THRESHOLD
    layers: tuple[str, ...] = ()
    assessment: Assessment | None = None
    illustrative: bool = False
    later_stations: gpd.GeoDataFrame | None = None
    on: str = ""
    notes: list[Note] = field(default_factory=list)


def standing_on(stations: pd.DataFrame, on: str) -> pd.Series:
    """Which stations stood on the date ``on``: the one rule for dating a station.

    A station stands unless its ``year`` (of building) is known and later than
    the year of ``on``; a station built in the year of ``on`` is given the
    benefit of the doubt, as the layers record years, not days.

    Parameters
    ----------
    stations
        Station points with an optional ``year`` column.
    on
        A date ``YYYY-MM-DD`` (or a year).

    Returns
    -------
    pandas.Series
        A boolean mask aligned with ``stations``.

    Examples
    --------
    >>> import pandas as pd
    >>> standing_on(pd.DataFrame({"year": [2018, 2019, 2020, None]}), "2019-08-12").tolist()
    [True, True, False, True]
    """
    if "year" not in stations.columns:
        return pd.Series(True, index=stations.index)
    try:
        year = int(str(on)[:4])
    except ValueError:
        msg = f"on={on!r}: give a date as YYYY-MM-DD (for example 2019-08-12)."
        raise ValidationError(msg) from None
    built = pd.to_numeric(stations["year"], errors="coerce")
    return (built.isna() | (built <= year)).astype(bool)


# --- find_gaps -------------------------------------------------------------------------------


def _population(joined: gpd.GeoDataFrame, population: Any, *, census: bool) -> pd.Series:
    """Population per unit: the given one, or the 2019 census for the 2019 units (else missing)."""
    if population is None:
        if not census:
            return pd.Series(np.nan, index=joined.index)
        return joined["code"].map(load_population()).astype(float)
    if isinstance(population, pd.Series):
        return joined["code"].map(population).astype(float)
    if isinstance(population, pd.DataFrame):
        if not {"code", "population"} <= set(population.columns):
            msg = "population: the table needs 'code' and 'population' columns."
            raise ValidationError(msg)
        table = population.assign(code=normalise_codes(population["code"]))
        return joined["code"].map(dict(zip(table["code"], table["population"], strict=True)))
    msg = f"population: expected a Series or a DataFrame, not {type(population).__name__}."
    raise ValidationError(msg)


def find_gaps(
    assessment: Assessment,
    layers: PointLayers | None = None,
    *,
    population: pd.Series | pd.DataFrame | None = None,
    threshold: float = COVERAGE_THRESHOLD,
    lang: str | None = None,
    programme_only: bool = True,
    npartitions: int | None = None,
) -> GapResult:
    """Find the communes that lack a radio station, coverage or a postal point.

    Parameters
    ----------
    assessment
        Units with status, from :func:`bkmap.pipeline.assess`; a station built
        after its assessment date cannot contradict a ``not_met``.
    layers
        Stations, cells, towers, coverage, villages and postal points, read by
        :func:`bkmap.io.points.read_point_layers`. All are optional; with none,
        only the status gaps are reported.
    population
        Population per commune code (a Series, or a frame with ``code`` and
        ``population``). Default: the 2019 census for the 2019 units.
    threshold
        A commune whose covered population share is below it has a
        ``low_coverage`` gap (in [0, 1]; default :data:`COVERAGE_THRESHOLD`).
        Without villages the population is spread evenly over the commune,
        so the population share equals the area share.
    lang
        Language of the ``gap`` text and conflict details.
    programme_only
        Report gaps only for units in the NTM programme (xã), not for phường
        and thị trấn (their measures are still computed).
    npartitions
        Measure the covered shares on dask-geopandas in this many partitions (cells
        read by :func:`bkmap.io.points.read_cells_partitioned` keep their own)
        (see :mod:`bkmap.analysis.distributed`), on the current ``distributed`` client
        (``bkmap gaps --dask SCHEDULER`` starts or joins one). The shares are
        the same; the covered area is then not kept as geometry, so the map
        shows no covered-area layer.

    Returns
    -------
    GapResult

    Notes
    -----
    Each gap adds to a commune's ``gap_score``: an indicator not met 100, no
    radio station 50, coverage below the threshold 40 plus up to 40 more in
    proportion to the shortfall, no postal point 30, each indicator whose
    sources conflict 20, uncovered villages up to 10 (times the uncovered share
    of villages), each unknown indicator 5. The
    list is ranked by score, then by uncovered population, then by code.

    Examples
    --------
    >>> from bkmap.pipeline import assess
    >>> result = find_gaps(assess())
    >>> len(result.gaps), result.gaps.iloc[0]["code"]
    (102, '01870')
    """
    lang = check_lang(lang)
    if not 0.0 <= float(threshold) <= 1.0:
        msg = _msg("gaps_bad_threshold", value=threshold)
        raise ValidationError(msg)
    layers = layers or PointLayers()
    given = layers.framed()
    spread_cells = layers.cells if isinstance(layers.cells, PartitionedLayer) else None
    cells = given.get("cells") if spread_cells is None else None
    stations, towers = layers.stations, layers.towers
    coverage, villages, postal = layers.coverage, layers.villages, layers.postal
    joined = assessment.joined
    as_of = assessment.as_of or settings.default_as_of
    communes = joined.copy()
    metric = communes.to_crs(settings.metric_crs)
    polys = np.asarray(metric.geometry.to_numpy(), dtype=object)
    communes["area_km2"] = shapely.area(polys) / 1e6
    communes["population"] = _population(
        joined, population, census=assessment.version == "2019"
    ).to_numpy(float)
    communes["in_programme"] = in_programme(communes["unit_type"]).to_numpy()

    conflicts: list[dict[str, Any]] = []
    later: gpd.GeoDataFrame | None = None
    notes: list[Note] = []
    if stations is not None:
        standing = standing_on(stations, as_of).to_numpy()
        later = stations.loc[~standing].to_crs(settings.geographic_crs)
        if len(later):
            later = later.copy()
            later["code"] = assign_points(later, communes, key="code").to_numpy()
            record = record_of(stations)
            names = ", ".join(later["name"].fillna("?").astype(str)) if "name" in later else ""
            notes.append(
                Note(
                    "warning",
                    record.source if record is not None else _msg("gaps_stations"),
                    _msg("gaps_where_year"),
                    t("stations_later", lang, n=len(later), on=as_of, names=names),
                    t("stations_later_fix", lang),
                )
            )
        stations = stations.loc[standing]
    stations_out = _stations(communes, stations, as_of=as_of, lang=lang, conflicts=conflicts)

    cover = coverage_layer(cells, towers, coverage)
    has_cover = len(given.keys() & {"cells", "towers", "coverage"}) > 0
    covered_area = gpd.GeoDataFrame(
        {"code": communes["code"].to_numpy(), "name": communes["name"].to_numpy()},
        geometry=[None] * len(communes),
        crs=settings.metric_crs,
    )
    if has_cover and (npartitions or spread_cells is not None):
        # Lazy: dask is the optional extra bkmap[dask].
        from bkmap.analysis import distributed

        keyed = gpd.GeoDataFrame({"_i": np.arange(len(metric))}, geometry=metric.geometry.values)
        spread = distributed.spread_coverage(cover, spread_cells, npartitions=npartitions or 8)
        if spread_cells is not None and villages is not None:
            # Villages are tested against the discs one by one, here: only the cells kept
            # (those reaching the area) come back, never the file.
            cover = distributed.gather_coverage(spread)
        shares = distributed.covered_share(keyed, spread, key="_i").to_numpy()
        communes["covered_area_share"] = shares
        communes["covered_area_km2"] = shares * shapely.area(polys) / 1e6
    elif has_cover:
        area, covered, pieces = covered_areas(metric, cover, geometry=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            communes["covered_area_share"] = np.where(area > 0, covered / area, np.nan)
        communes["covered_area_km2"] = covered / 1e6
        covered_area = covered_area.set_geometry(gpd.GeoSeries(pieces, crs=settings.metric_crs))
    else:
        communes["covered_area_share"] = np.nan
        communes["covered_area_km2"] = np.nan
    covered_area = covered_area.loc[~covered_area.geometry.is_empty & covered_area.geometry.notna()]
    covered_area = covered_area.to_crs(settings.geographic_crs)

    villages_out = _villages(communes, villages, cover if has_cover else None)
    postal_out = _postal(communes, metric, postal, villages_out)

    _coverage_shares(communes, villages_out, has_cover)
    communes = communes.to_crs(settings.geographic_crs)
    gaps = _rank_gaps(
        communes,
        given=set(given),
        has_cover=has_cover,
        threshold=float(threshold),
        lang=lang,
        programme_only=programme_only,
    )
    districts = _district_summary(communes, gaps, as_of=as_of, lang=lang, given=set(given))
    uncovered = (
        villages_out.loc[villages_out["covered"].eq(False)].copy()
        if villages_out is not None and has_cover
        else gpd.GeoDataFrame(geometry=[], crs=settings.geographic_crs)
    )
    # The published totals count the 2019 units of Bắc Kạn: set against other
    # units (merged, or another province) they would mislead.
    if assessment.version == "2019" and assessment.area is None:
        reconciliation = reconcile(
            pd.DataFrame(joined.drop(columns="geometry")), as_of=as_of, lang=lang
        )
    else:
        reconciliation = pd.DataFrame()
    conflict_frame = pd.DataFrame(conflicts, columns=["code", "name", "district", "kind", "detail"])
    station_record = record_of(layers.stations) if layers.stations is not None else None
    if station_record is not None and station_record.illustrative and len(conflict_frame):
        # A made-up station layer cannot tell a real commune it lacks a station: each
        # conflict says where it comes from, in the file itself.
        conflict_frame["detail"] = conflict_frame["detail"].map(
            lambda d: illustrative.mark(d, lang)
        )
        conflict_frame[illustrative.COLUMN] = True
        notes.append(
            Note(
                "warning",
                station_record.source,
                _msg("gaps_where_conflicts"),
                t("conflicts_illustrative", lang, n=len(conflict_frame)),
                t("conflicts_illustrative_fix", lang),
            )
        )
    return GapResult(
        communes=communes,
        gaps=gaps,
        districts=districts,
        conflicts=conflict_frame,
        uncovered_villages=uncovered,
        covered_area=covered_area,
        stations=stations_out,
        villages=villages_out,
        postal=postal_out,
        dropped=dropped_rows(*given.values()),
        assessment=assessment,
        illustrative=assessment.illustrative
        or any((r := record_of(f)) is not None and r.illustrative for f in given.values()),
        reconciliation=reconciliation,
        threshold=float(threshold),
        layers=tuple(given),
        later_stations=later,
        on=str(as_of),
        notes=notes,
    )


def _stations(
    communes: gpd.GeoDataFrame,
    stations: gpd.GeoDataFrame | None,
    *,
    as_of: str,
    lang: str,
    conflicts: list[dict[str, Any]],
) -> gpd.GeoDataFrame | None:
    if stations is None:
        for col in ("n_stations", "n_stations_working", "n_stations_not_working"):
            communes[col] = pd.array([pd.NA] * len(communes), dtype="Int64")
        return None
    out = stations.to_crs(settings.geographic_crs).copy()
    for col, default in (("working", pd.NA), ("year", pd.NA), ("name", ""), ("type", "")):
        if col not in out.columns:
            out[col] = default
    out["code"] = assign_points(out, communes, key="code").to_numpy()
    working = out["working"].astype("boolean")
    total = out["code"].value_counts()
    yes = out.loc[working.eq(True).fillna(False).to_numpy(), "code"].value_counts()
    no = out.loc[working.eq(False).fillna(False).to_numpy(), "code"].value_counts()
    communes["n_stations"] = communes["code"].map(total).fillna(0).astype("Int64")
    communes["n_stations_working"] = communes["code"].map(yes).fillna(0).astype("Int64")
    communes["n_stations_not_working"] = communes["code"].map(no).fillna(0).astype("Int64")
    # Only standing stations reach here (find_gaps applies standing_on); of them, a
    # station known not to work cannot contradict a not met.
    then = out.loc[working.ne(False).fillna(True).to_numpy()]
    names = communes.set_index("code")
    met_none = communes.loc[communes["c8_3"].eq("met") & communes["n_stations"].eq(0)]
    for _, row in met_none.iterrows():
        conflicts.append(
            _conflict(row, "c8_3_met_no_station", t("conflict_c8_3_met_no_station", lang))
        )
    present = then.groupby("code").agg(
        n=("code", "size"), working=("working", lambda s: int(s.astype("boolean").eq(True).sum()))
    )
    not_met = communes.loc[communes["c8_3"].eq("not_met") & communes["code"].isin(present.index)]
    for _, row in not_met.iterrows():
        n, w = int(present.at[row["code"], "n"]), int(present.at[row["code"], "working"])
        detail = t("conflict_station_while_c8_3_not_met", lang, n=n, working=w, unknown=n - w)
        conflicts.append(_conflict(row, "station_while_c8_3_not_met", detail))
    given = out["commune_code"].fillna("").astype(str) if "commune_code" in out else None
    if given is not None:
        mismatch = out.loc[given.ne("") & out["code"].notna() & given.ne(out["code"].fillna(""))]
        for _, st in mismatch.iterrows():
            row = names.loc[st["code"]].copy()
            row["code"] = st["code"]
            detail = t(
                "conflict_station_code_mismatch",
                lang,
                station=st["name"] or "?",
                given=st["commune_code"],
                code=st["code"],
            )
            conflicts.append(_conflict(row, "station_code_mismatch", detail))
    return out


def _conflict(row: pd.Series, kind: str, detail: str) -> dict[str, Any]:
    return {
        "code": row["code"],
        "name": row["name"],
        "district": row.get("district", ""),
        "kind": kind,
        "detail": detail,
    }


def _villages(
    communes: gpd.GeoDataFrame,
    villages: gpd.GeoDataFrame | None,
    cover: gpd.GeoDataFrame | None,
) -> gpd.GeoDataFrame | None:
    if villages is None:
        for col in ("n_villages", "n_villages_covered"):
            communes[col] = pd.array([pd.NA] * len(communes), dtype="Int64")
        communes["village_population"] = np.nan
        communes["village_population_covered"] = np.nan
        return None
    out = villages.to_crs(settings.geographic_crs).copy()
    if "population" not in out.columns:
        out["population"] = np.nan
    out["population"] = pd.to_numeric(out["population"], errors="coerce")
    out["code"] = assign_points(out, communes, key="code").to_numpy()
    if cover is not None:
        out["covered"] = points_covered(metric_geometry(out, "villages"), cover)
    else:
        out["covered"] = pd.array([pd.NA] * len(out), dtype="boolean")
    counts = out["code"].value_counts()
    communes["n_villages"] = communes["code"].map(counts).fillna(0).astype("Int64")
    if cover is not None:
        cov = out.loc[out["covered"].astype(bool), "code"].value_counts()
        communes["n_villages_covered"] = communes["code"].map(cov).fillna(0).astype("Int64")
    else:
        communes["n_villages_covered"] = pd.array([pd.NA] * len(communes), dtype="Int64")
    pop = out.groupby("code")["population"].sum(min_count=1)
    communes["village_population"] = communes["code"].map(pop).astype(float)
    if cover is not None:
        pop_cov = (
            out.loc[out["covered"].astype(bool)].groupby("code")["population"].sum(min_count=1)
        )
        communes["village_population_covered"] = (
            communes["code"].map(pop_cov).astype(float).fillna(0.0)
        )
    else:
        communes["village_population_covered"] = np.nan
    return out


def _postal(
    communes: gpd.GeoDataFrame,
    metric: gpd.GeoDataFrame,
    postal: gpd.GeoDataFrame | None,
    villages: gpd.GeoDataFrame | None,
) -> gpd.GeoDataFrame | None:
    if postal is None:
        communes["n_postal"] = pd.array([pd.NA] * len(communes), dtype="Int64")
        communes["postal_distance_km"] = np.nan
        communes["postal_max_village_km"] = np.nan
        return None
    out = postal.to_crs(settings.geographic_crs).copy()
    out["code"] = assign_points(out, communes, key="code").to_numpy()
    counts = out["code"].value_counts()
    communes["n_postal"] = communes["code"].map(counts).fillna(0).astype("Int64")
    pts = metric_geometry(out, "postal")
    if len(pts) == 0:
        communes["postal_distance_km"] = np.nan
        communes["postal_max_village_km"] = np.nan
        return out
    tree = STRtree(pts)
    centres = shapely.centroid(np.asarray(metric.geometry.to_numpy(), dtype=object))
    (_qi, _ti), dist = tree.query_nearest(centres, return_distance=True, all_matches=False)
    communes["postal_distance_km"] = dist / 1000.0
    if villages is not None and len(villages):
        (_qv, _tv), vdist = tree.query_nearest(
            metric_geometry(villages, "villages"), return_distance=True, all_matches=False
        )
        villages["postal_km"] = vdist / 1000.0
        far = villages.groupby("code")["postal_km"].max()
        communes["postal_max_village_km"] = communes["code"].map(far).astype(float)
    else:
        communes["postal_max_village_km"] = np.nan
    return out


def _coverage_shares(
    communes: gpd.GeoDataFrame, villages: gpd.GeoDataFrame | None, has_cover: bool
) -> None:
    """Population and village shares covered; population spread evenly where no weights exist."""
    area_share = communes["covered_area_share"].astype(float)
    if has_cover and villages is not None:
        weighted = communes["village_population"].gt(0)
        by_village = communes["village_population_covered"] / communes["village_population"]
        communes["covered_population_share"] = by_village.where(weighted, area_share)
        communes["population_basis"] = np.where(weighted, "villages", "even")
        n = communes["n_villages"].astype(float)
        communes["covered_village_share"] = communes["n_villages_covered"].astype(float) / n.where(
            n > 0
        )
    else:
        communes["covered_population_share"] = area_share
        communes["population_basis"] = "even" if has_cover else ""
        communes["covered_village_share"] = np.nan
    communes["uncovered_population"] = communes["population"] * (
        1.0 - communes["covered_population_share"]
    )


def _rank_gaps(
    communes: gpd.GeoDataFrame,
    *,
    given: set[str],
    has_cover: bool,
    threshold: float,
    lang: str,
    programme_only: bool,
) -> gpd.GeoDataFrame:
    flags: dict[str, pd.Series] = {}
    score = pd.Series(0.0, index=communes.index)
    for ind in INDICATORS:
        flags[f"{ind.column}_not_met"] = communes[ind.column].eq("not_met")
        flags[f"{ind.column}_conflicting"] = communes[ind.column].eq("conflicting")
        flags[f"{ind.column}_unknown"] = communes[ind.column].eq("unknown")
        score += GAP_WEIGHTS["not_met"] * flags[f"{ind.column}_not_met"]
        score += GAP_WEIGHTS["conflicting"] * flags[f"{ind.column}_conflicting"]
        score += GAP_WEIGHTS["unknown"] * flags[f"{ind.column}_unknown"]
    false = pd.Series(False, index=communes.index)
    # A commune whose 8.3 is met has a station by the status table; a station layer
    # without a point there contradicts the table (listed in the conflicts), it does
    # not make the commune lack a station.
    flags["no_station"] = (
        (communes["n_stations"].eq(0).fillna(False).astype(bool) & communes["c8_3"].ne("met"))
        if "stations" in given
        else false
    )
    score += GAP_WEIGHTS["no_station"] * flags["no_station"]
    share = communes["covered_population_share"].astype(float)
    low = share.lt(threshold).fillna(False) if has_cover else false
    flags["low_coverage"] = low
    shortfall = ((threshold - share) / threshold if threshold > 0 else 0.0) * low
    score += low * GAP_WEIGHTS["low_coverage"] + shortfall.fillna(0.0) * GAP_WEIGHTS["low_coverage"]
    n_v = communes["n_villages"].astype(float)
    missing_v = n_v - communes["n_villages_covered"].astype(float)
    flags["villages_uncovered"] = (missing_v > 0).fillna(False) if has_cover else false
    score += (missing_v / n_v.where(n_v > 0)).fillna(0.0) * GAP_WEIGHTS["villages_uncovered"]
    flags["no_postal_point"] = (
        communes["n_postal"].eq(0).fillna(False).astype(bool) if "postal" in given else false
    )
    score += GAP_WEIGHTS["no_postal_point"] * flags["no_postal_point"]

    keys = pd.Series([[] for _ in range(len(communes))], index=communes.index, dtype=object)
    text = pd.Series([[] for _ in range(len(communes))], index=communes.index, dtype=object)
    pct = f"{threshold:.0%}"
    for key in GAP_KEYS:
        hit = flags[key].astype(bool)
        for i in communes.index[hit]:
            keys[i].append(key)
            if key == "low_coverage":
                text[i].append(t("gap_low_coverage", lang, threshold=pct))
            elif key == "villages_uncovered":
                text[i].append(t("gap_villages_uncovered", lang, n=int(missing_v[i])))
            else:
                text[i].append(t(f"gap_{key}", lang))
    out = communes.copy()
    out["gap_keys"] = keys.map(";".join)
    out["gap"] = text.map("; ".join)
    out["gap_score"] = score.round(2)
    chosen = out["gap_keys"].ne("")
    if programme_only:
        chosen &= out["in_programme"]
    out = out.loc[chosen]
    uncovered = out["uncovered_population"].fillna(0.0)
    out = out.assign(_u=uncovered).sort_values(
        ["gap_score", "_u", "code"], ascending=[False, False, True], kind="stable"
    )
    out = out.drop(columns="_u")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    columns = [
        "rank",
        "code",
        "name",
        "district",
        "gap",
        "gap_keys",
        "gap_score",
        OVERALL,
        *(ind.column for ind in INDICATORS),
        "population",
        "area_km2",
        "n_stations",
        "n_stations_working",
        "covered_area_share",
        "covered_population_share",
        "population_basis",
        "uncovered_population",
        "n_villages",
        "n_villages_covered",
        "covered_village_share",
        "n_postal",
        "postal_distance_km",
        "postal_max_village_km",
        "geometry",
    ]
    return gpd.GeoDataFrame(out[columns].reset_index(drop=True), crs=communes.crs)


def _district_summary(
    communes: gpd.GeoDataFrame,
    gaps: gpd.GeoDataFrame,
    *,
    as_of: str,
    lang: str,
    given: set[str],
) -> pd.DataFrame:
    """Per district: the shared counts, the gaps and what the layers measured; then the
    province's totals from the records and, beside them, the published totals."""
    frame = pd.DataFrame(communes.drop(columns="geometry"))
    prog = frame.loc[frame["in_programme"]]
    group_cols = ["district_code", "district"]
    # The counts every district table shares (bkmap.analysis.summary), keyed by name here.
    counts = district_counts(frame)
    codes = frame.groupby("district", sort=False)["district_code"].first()
    summary = pd.DataFrame(
        {
            "district_code": codes.reindex(counts.index).to_numpy(),
            "district": counts.index.to_numpy(),
            "n_units": counts["units"].to_numpy(),
            "n_xa": counts["programme"].to_numpy(),
            **{
                f"{col}_met": counts[f"{col}_met"].to_numpy()
                for col in [ind.column for ind in INDICATORS]
            },
            "c8_met": counts["c8_met"].to_numpy(),
            "c8_not_met": counts["c8_not_met"].to_numpy(),
            "c8_conflicting": counts["c8_conflicting"].to_numpy(),
            "c8_unknown": counts["c8_unknown"].to_numpy(),
        }
    ).set_index(group_cols)
    gap_codes = set(gaps["code"])
    summary["n_gaps"] = frame.loc[frame["code"].isin(gap_codes)].groupby(group_cols).size()
    if "stations" in given:
        summary["n_stations"] = frame.groupby(group_cols)["n_stations"].sum()
        summary["n_xa_no_station"] = prog.loc[prog["n_stations"].eq(0)].groupby(group_cols).size()
    if frame["covered_area_km2"].notna().any():
        grouped = frame.groupby(group_cols)
        summary["covered_area_share"] = (
            grouped["covered_area_km2"].sum() / grouped["area_km2"].sum()
        )
        covered_pop = frame["population"] * frame["covered_population_share"]
        summary["covered_population_share"] = (
            covered_pop.groupby([frame[c] for c in group_cols]).sum() / grouped["population"].sum()
        )
        summary["uncovered_population"] = grouped["uncovered_population"].sum()
    if "villages" in given:
        summary["n_villages"] = frame.groupby(group_cols)["n_villages"].sum()
        if frame["n_villages_covered"].notna().any():
            summary["n_villages_uncovered"] = (
                summary["n_villages"] - frame.groupby(group_cols)["n_villages_covered"].sum()
            )
    summary["population"] = frame.groupby(group_cols)["population"].sum(min_count=1)
    summary = summary.reset_index()
    counts = [c for c in summary.columns if c.startswith(("n_", "c8"))]
    summary[counts] = summary[counts].fillna(0).astype("Int64")
    summary.insert(0, "row_type", "district")

    total = summary.drop(columns=["row_type", "district_code", "district"]).sum(numeric_only=True)
    for col in ("covered_area_share", "covered_population_share"):
        if col in summary.columns:
            weights = frame["area_km2"] if col == "covered_area_share" else frame["population"]
            values = (
                frame["covered_area_share"]
                if col == "covered_area_share"
                else frame["covered_population_share"]
            )
            total[col] = float((values * weights).sum() / weights.sum())
    records = {
        "row_type": "province_records",
        "district_code": "",
        "district": t("province_records", lang),
    }
    records.update(total.to_dict())
    published: dict[str, object] = {
        "row_type": "province_published",
        "district_code": "",
        "district": t("province_published", lang, as_of=as_of),
    }
    totals = load_published_totals()
    # Only what the province published goes on its row (a derived figure is not published).
    day = totals.loc[totals["as_of"].eq(str(as_of)) & totals["kind"].eq("published")]
    wanted = {
        "communes_in_programme": "n_xa",
        **{f"{c}_met": f"{c}_met" for c in [ind.column for ind in INDICATORS] + [OVERALL]},
    }
    for metric, column in wanted.items():
        hit = day.loc[day["metric"].eq(metric), "value"]
        if len(hit):
            published[column] = int(hit.iloc[0])
    out = pd.concat([summary, pd.DataFrame([records, published])], ignore_index=True)
    for c in counts:
        out[c] = pd.to_numeric(out[c], errors="coerce").round().astype("Int64")
    return out
