"""Outputs of a station plan: tables in Vietnamese, the map, the scenario chart and the writers.

Split from :mod:`bkmap.planning.model` (the model) and :mod:`bkmap.planning.siting` (villages),
so that the model stays readable on its own.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from bkmap import settings
from bkmap.export import GEOMETRY_TYPES, plan_layers
from bkmap.geo.simplify import display_geometry
from bkmap.i18n import check_lang, format_int, format_number, format_percent, register, t
from bkmap.io.write import (
    OutputSet,
    atomic_path,
    register_headers,
    write_geopackage,
    write_text,
    write_workbook,
)
from bkmap.io.write import write_csv as write_table
from bkmap.join import Assessment
from bkmap.model import illustrative
from bkmap.planning.model import (
    NEW_STATION_COST_BASIS,
    PlanResult,
    policy_text,
)
from bkmap.planning.siting import (
    VillagePlan,
)
from bkmap.render.assets import inline_assets
from bkmap.render.htmlsafe import RawElement, inert_frame, page_html, page_text, render_page
from bkmap.render.maps import SafeTooltip, criterion_map
from bkmap.render.palette import MARKER_STROKE, PLAN_COLORS

log = logging.getLogger(__name__)

__all__ = []

# --------------------------------------------------------------------------- outputs

register(
    {
        "plan_title": {
            "vi": "Bắc Kạn: kế hoạch xây dựng đài truyền thanh xã (chỉ tiêu 8.3)",
            "en": "Bắc Kạn: plan of new commune radio stations (indicator 8.3)",
        },
        "plan_layer_reach": {
            "vi": "Xã sẽ đạt tiêu chí 8 theo kế hoạch",
            "en": "Communes that would reach criterion 8",
        },
        "plan_layer_sites": {"vi": "Đài đề xuất xây dựng", "en": "Proposed stations"},
        "plan_layer_village_sites": {
            "vi": "Điểm đặt đài (mô hình thôn)",
            "en": "Station sites (village model)",
        },
        "plan_layer_uncovered": {"vi": "Thôn chưa được phủ sóng", "en": "Villages not covered"},
        "plan_layer_covered": {"vi": "Thôn được phủ sóng", "en": "Villages covered"},
        "plan_rank": {"vi": "Thứ tự", "en": "Rank"},
        "plan_summary_title": {"vi": "Tóm tắt kế hoạch", "en": "Plan summary"},
        "plan_cost": {"vi": "Chi phí", "en": "Cost"},
        "plan_gain": {"vi": "Số xã đạt thêm (kỳ vọng)", "en": "Communes gained (expected)"},
        "plan_objective_communes": {
            "vi": "số xã đạt tiêu chí 8",
            "en": "communes reaching criterion 8",
        },
        "plan_objective_population": {
            "vi": "dân số các xã đạt tiêu chí 8",
            "en": "population of communes reaching criterion 8",
        },
        "plan_objective_mix": {
            "vi": "kết hợp số xã và dân số (trọng số {w})",
            "en": "mix of communes and population (weight {w})",
        },
        "plan_summary": {
            "vi": "Mục tiêu: {objective}. Ngân sách: {budget}; số đài tối đa: {stations}. "
            "Chọn {n} đài, tổng chi phí {cost} đồng; {communes} xã đạt tiêu chí 8 (kỳ vọng), "
            "dân số {population}. Lời giải tham lam: {greedy} (chênh lệch {gap}). {policy}.",
            "en": "Objective: {objective}. Budget: {budget}; most stations: {stations}. "
            "{n} stations chosen, total cost {cost} VND; {communes} communes reach criterion 8 "
            "(expected), population {population}. Greedy heuristic: {greedy} (gap {gap}). {policy}.",
        },
        "plan_no_limit": {"vi": "không giới hạn", "en": "no limit"},
        "plan_alternatives": {
            "vi": "Theo từng giả định về các xã chưa rõ 8.3: {items}.",
            "en": "Under each assumption for the communes whose 8.3 is unknown: {items}.",
        },
        "plan_alternative": {
            "vi": "{policy}: {n} đài, {certain} xã chắc chắn, {expected} kỳ vọng, tối đa {most}",
            "en": "{policy}: {n} stations, {certain} certain, {expected} expected, at most {most}",
        },
        "plan_policy_exclude": {"vi": "bỏ qua xã chưa rõ", "en": "unknown excluded"},
        "plan_policy_need": {"vi": "coi như cần đài", "en": "unknown assumed to need"},
        "plan_policy_probability": {"vi": "xác suất p = {p}", "en": "probability p = {p}"},
        "plan_villages_summary": {
            "vi": "Mô hình thôn (MCLP, bán kính {radius} m): phủ {share} dân số; {n} thôn chưa được phủ.",
            "en": "Village model (MCLP, radius {radius} m): {share} of the population covered; "
            "{n} villages not covered.",
        },
    }
)

#: Vietnamese headers of the workbook columns.
VI_HEADERS: dict[str, str] = {
    "rank": "Thứ tự ưu tiên",
    "communes_certain": "Số xã chắc chắn đạt",
    "communes_expected": "Số xã đạt (kỳ vọng)",
    "communes_at_most": "Số xã tối đa",
    "population_expected": "Dân số (kỳ vọng)",
    "code": "Mã ĐVHC",
    "name": "Tên xã",
    "district": "Huyện",
    "unit_type": "Loại đơn vị",
    "c8": "Tiêu chí 8",
    "state": "Tình trạng",
    "c8_3": "Chỉ tiêu 8.3",
    "eligible": "Là ứng viên",
    "gain": "Số xã đạt thêm nếu xây (kỳ vọng)",
    "station_built": "Đã có đài theo tư liệu",
    "reason": "Lý do",
    "cost_vnd": "Chi phí (đồng)",
    "cost_basis": "Cách tính chi phí",
    "cumulative_cost_vnd": "Chi phí cộng dồn (đồng)",
    "population": "Dân số (2019)",
    "gain_communes": "Số xã đạt thêm (kỳ vọng)",
    "gain_population": "Dân số hưởng lợi (kỳ vọng)",
    "contribution": "Đóng góp vào mục tiêu",
    "per_billion_vnd": "Đóng góp trên 1 tỷ đồng",
    "in_greedy": "Có trong lời giải tham lam",
    "objective": "Mục tiêu",
    "unknown_policy": "Cách xử lý xã chưa rõ 8.3",
    "probability": "Xác suất p (xã chưa rõ 8.3 mà thực ra chưa đạt 8.3)",
    "conflicting": "Nguồn về 8.3 mâu thuẫn (kiểm tra thực địa trước)",
    "c8_conflicting_before": "Xã có nguồn mâu thuẫn về TC8 trước",
    "xa": "Số xã",
    "c8_met_before": "Xã đạt TC8 trước kế hoạch",
    "c8_not_met_before": "Xã chưa đạt TC8 trước",
    "c8_unknown_before": "Xã chưa rõ TC8 trước",
    "stations": "Số đài",
    "c8_met_after": "Xã đạt TC8 sau kế hoạch (kỳ vọng)",
    "budget_vnd": "Ngân sách (đồng)",
    "value": "Giá trị mục tiêu (tối ưu)",
    "communes": "Số xã đạt TC8 thêm (kỳ vọng)",
    "gain_value": "Tăng giá trị mục tiêu",
    "gain_stations": "Tăng số đài",
    "scenario": "Kịch bản",
    "stations_cap": "Số đài tối đa",
    "greedy_value": "Giá trị (thuật toán tham lam)",
    "greedy_stations": "Số đài (tham lam)",
    "greedy_cost_vnd": "Chi phí (tham lam, đồng)",
    "greedy_communes": "Số xã đạt thêm (tham lam)",
    "greedy_population": "Dân số hưởng lợi (tham lam)",
    "gap": "Chênh lệch tối ưu - tham lam",
    "codes": "Mã các xã được chọn",
    "site_id": "Mã điểm",
    "existing": "Đài hiện có",
    "chosen": "Được chọn",
    "new": "Xây mới",
    "covered_population": "Dân số trong bán kính",
    "covered": "Được phủ",
    "weight": "Dân số (trọng số)",
    "distance_m": "Khoảng cách tới đài (m)",
    "commune_code": "Mã xã",
    "parameter": "Thông số",
    "note": "Ghi chú",
}

#: English headers of the workbook columns (``bkmap plan --lang en``).
EN_HEADERS: dict[str, str] = {
    "rank": "Priority",
    "communes_certain": "Communes certain to meet",
    "communes_expected": "Communes meeting (expected)",
    "communes_at_most": "Communes at most",
    "population_expected": "Population (expected)",
    "code": "GSO code",
    "name": "Commune",
    "district": "District",
    "unit_type": "Unit type",
    "c8": "Criterion 8",
    "state": "State",
    "c8_3": "Indicator 8.3",
    "eligible": "Candidate",
    "gain": "Communes gained if built (expected)",
    "station_built": "Station recorded",
    "reason": "Reason",
    "cost_vnd": "Cost (VND)",
    "cost_basis": "Cost basis",
    "cumulative_cost_vnd": "Cumulative cost (VND)",
    "population": "Population (2019)",
    "gain_communes": "Communes gained (expected)",
    "gain_population": "Population served (expected)",
    "contribution": "Contribution to the objective",
    "per_billion_vnd": "Contribution per 1 bn VND",
    "in_greedy": "In the greedy solution",
    "objective": "Objective",
    "unknown_policy": "Communes with 8.3 unknown",
    "probability": "Probability p (an 8.3-unknown commune did not meet 8.3)",
    "conflicting": "Sources on 8.3 conflict (check on the ground first)",
    "c8_conflicting_before": "Criterion 8 sources conflict, before",
    "xa": "Xã",
    "c8_met_before": "Criterion 8 met, before",
    "c8_not_met_before": "Criterion 8 not met, before",
    "c8_unknown_before": "Criterion 8 unknown, before",
    "stations": "Stations",
    "c8_met_after": "Criterion 8 met after the plan (expected)",
    "budget_vnd": "Budget (VND)",
    "value": "Objective value (optimum)",
    "communes": "Communes meeting criterion 8 in addition (expected)",
    "gain_value": "Objective gain",
    "gain_stations": "Stations gained",
    "scenario": "Scenario",
    "stations_cap": "Most stations",
    "greedy_value": "Value (greedy)",
    "greedy_stations": "Stations (greedy)",
    "greedy_cost_vnd": "Cost (greedy, VND)",
    "greedy_communes": "Communes gained (greedy)",
    "greedy_population": "Population served (greedy)",
    "gap": "Optimum - greedy",
    "codes": "Codes of the chosen communes",
    "site_id": "Site id",
    "existing": "Existing station",
    "chosen": "Chosen",
    "new": "New",
    "covered_population": "Population within the radius",
    "covered": "Covered",
    "weight": "Population (weight)",
    "distance_m": "Distance to the station (m)",
    "commune_code": "Commune code",
    "parameter": "Parameter",
    "note": "Note",
}

register_headers({k: {"vi": v, "en": EN_HEADERS.get(k, k)} for k, v in VI_HEADERS.items()})

_EN_VALUES: dict[str, dict[object, str]] = {
    "cost_basis": {"new": "new", "upgrade": "upgrade", "file": "from the cost file", "": ""},
    "unknown_policy": {
        "exclude": "left out of the plan",
        "need": "treated as needing a station",
        "probability": "by probability p",
    },
    "objective": {"communes": "communes", "population": "population", "mix": "mix"},
}

register({"plan_illustrative_note": {"vi": "Ghi chú (minh họa)", "en": "Note (illustrative)"}})

#: Sheet names of plan.xlsx by language.
_SHEETS: dict[str, dict[str, str]] = {
    "illustrative": {"vi": "Minh họa", "en": "Illustrative"},
    "plan": {"vi": "Kế hoạch", "en": "Plan"},
    "districts": {"vi": "Theo huyện", "en": "By district"},
    "policies": {"vi": "Theo giả định", "en": "By assumption"},
    "marginal": {"vi": "Biên tế 1 tỷ", "en": "Marginal 1 bn"},
    "compare": {"vi": "So sánh kịch bản", "en": "Scenarios"},
    "sites": {"vi": "Điểm đặt đài", "en": "Station sites"},
    "uncovered": {"vi": "Thôn chưa phủ", "en": "Villages not covered"},
    "communes": {"vi": "Các xã", "en": "Communes"},
    "settings": {"vi": "Thiết lập", "en": "Settings"},
}

_VI_VALUES: dict[str, dict[object, str]] = {
    "cost_basis": {"new": "xây mới", "upgrade": "nâng cấp", "file": "theo tệp chi phí", "": ""},
    "unknown_policy": {
        "exclude": "loại khỏi kế hoạch",
        "need": "coi như cần đài",
        "probability": "theo xác suất p",
    },
    "objective": {"communes": "số xã", "population": "dân số", "mix": "kết hợp"},
}


def _vi_frame(frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """A plan table as its workbook sheet shows it: headers and values in ``lang``."""
    values = _VI_VALUES if lang == "vi" else _EN_VALUES
    headers = VI_HEADERS if lang == "vi" else EN_HEADERS
    out = frame.copy()
    for col in out.columns:
        if col == "state":
            out[col] = out[col].map(lambda s: t_label(f"plan_state_{s}", lang) if s else s)
        elif col in ("c8", "c8_3"):
            out[col] = out[col].map(lambda s: t_label(s, lang) if s else s)
        elif col in values:
            out[col] = out[col].map(lambda v, m=values[col]: m.get(v, v))
        elif out[col].dtype == bool:
            out[col] = out[col].map({True: t_label("wb_yes", lang), False: t_label("wb_no", lang)})
    if "geometry" in out.columns:
        out = pd.DataFrame(out.drop(columns="geometry"))
    return out.rename(columns=lambda c: headers.get(c, c))


def t_label(key: str, lang: str = "vi") -> str:

    return t(key, lang)


#: The settings sheet in words: each parameter's (Vietnamese name, Vietnamese note, English name,
#: English note); an empty note keeps the note settings_table wrote (English, or computed).
_SETTING_WORDS: dict[str, tuple[str, str, str, str]] = {
    "as_of": ("Ngày đánh giá", "ngày đánh giá của bảng tình trạng", "Assessment date", ""),
    "budget_vnd": (
        "Ngân sách (đồng)",
        "tổng ngân sách; để trống = không giới hạn",
        "Budget (VND)",
        "",
    ),
    "stations": (
        "Số đài tối đa",
        "số đài mới tối đa; để trống = không giới hạn",
        "Most stations",
        "",
    ),
    "objective": ("Mục tiêu", "số xã | dân số | kết hợp", "Objective", ""),
    "weight": ("Trọng số w", "chỉ khi kết hợp: w*C/C_max + (1-w)*P/P_max", "Weight w", ""),
    "unknown_policy": ("Cách xử lý xã chưa rõ 8.3", "", "Communes with 8.3 unknown", ""),
    "probability": (
        "Xác suất p",
        "xác suất một xã chưa rõ 8.3 thực ra chưa đạt 8.3 (cách xử lý theo xác suất)",
        "Probability p",
        "",
    ),
    "new_cost_vnd": (
        "Chi phí xây mới (đồng)",
        "mặc định 5.000.000.000 / 12: dòng ngân sách 12 đài mới cho 5 tỷ đồng trong bài của tỉnh "
        "ngày 12/08/2019 (S13), không phải kế hoạch 2019",
        "New station cost (VND)",
        "",
    ),
    "upgrade_cost_vnd": (
        "Chi phí nâng cấp (đồng)",
        "chưa có chi phí nâng cấp được công bố; mặc định = chi phí xây mới (cận trên). Áp dụng "
        "cho xã mà tư liệu ghi đã có đài xây trước ngày đánh giá",
        "Upgrade cost (VND)",
        "",
    ),
    "costs_from_file": ("Chi phí theo tệp", "số xã có chi phí từ --costs", "Costs from file", ""),
    "candidates": ("Số xã ứng viên", "số xã mà một đài sẽ giúp đạt tiêu chí 8", "Candidates", ""),
    "conflicting": (
        "Xã có nguồn mâu thuẫn về 8.3",
        "mã các xã có nguồn mâu thuẫn về 8.3: lập kế hoạch như chưa rõ; kiểm tra trước",
        "Sources conflict on 8.3",
        "",
    ),
    "optimal_value": (
        "Giá trị tối ưu",
        "quy hoạch nguyên (PuLP + CBC), chính xác",
        "Optimal value",
        "",
    ),
    "greedy_value": (
        "Giá trị tham lam",
        "thuật toán tham lam (giá trị trên mỗi đồng)",
        "Greedy value",
        "",
    ),
    "gap": ("Chênh lệch", "(tối ưu - tham lam) / tối ưu", "Gap", ""),
    "solve_seconds": ("Thời gian giải (giây)", "", "Solve time (s)", ""),
    "village_radius_m": (
        "Bán kính phủ (m)",
        "thôn được phủ trong khoảng cách này",
        "Radius (m)",
        "",
    ),
    "village_new_sites": ("Số điểm mới", "số điểm mới mở trong mô hình thôn", "New sites", ""),
    "village_population_basis": ("Cách tính dân số thôn", "", "Village population basis", ""),
    "village_covered_share": (
        "Tỷ lệ dân số được phủ",
        "tối ưu MCLP (PuLP, CBC)",
        "Share covered",
        "",
    ),
    "village_greedy_share": (
        "Tỷ lệ phủ (tham lam)",
        "thuật toán phủ tham lam",
        "Share covered (greedy)",
        "",
    ),
    "village_gap": (
        "Chênh lệch (mô hình thôn)",
        "(tối ưu - tham lam) / tối ưu",
        "Gap (village model)",
        "",
    ),
    "village_uncovered": ("Số thôn chưa được phủ", "thôn", "Villages not covered", ""),
}


def _settings_sheet(table: pd.DataFrame, lang: str, policy: str) -> pd.DataFrame:
    """The settings table in words for the workbook: parameter names, values and notes in ``lang``."""
    values = _VI_VALUES if lang == "vi" else _EN_VALUES
    out = table.copy()
    for i, row in out.iterrows():
        name = str(row["parameter"])
        words = _SETTING_WORDS.get(name)
        if name in values:
            out.at[i, "value"] = values[name].get(row["value"], row["value"])
        if words is not None:
            out.at[i, "parameter"] = words[0] if lang == "vi" else words[2]
            note = words[1] if lang == "vi" else words[3]
            if note:
                out.at[i, "note"] = note
        if name == "unknown_policy":
            out.at[i, "note"] = policy
    # Named here: "value" alone is the plan's objective value in the other sheets.
    heads = {"vi": ("Thông số", "Giá trị", "Ghi chú"), "en": ("Parameter", "Value", "Note")}[lang]
    return out.set_axis(list(heads), axis=1)


def settings_table(result: PlanResult, village: VillagePlan | None = None) -> pd.DataFrame:
    """Every assumption of a plan, one row each (``parameter``, ``value``, ``note``)."""
    info = result.settings
    p = info.get("probability")
    rows: list[tuple[str, object, str]] = [
        ("as_of", info.get("as_of"), "assessment date of the status table"),
        ("budget_vnd", info.get("budget_vnd"), "total budget; empty = no budget limit"),
        ("stations", info.get("stations"), "most new stations; empty = no cap"),
        ("objective", info.get("objective"), "communes | population | mix"),
        (
            "weight",
            info.get("weight"),
            "mix only: w*C/C_max + (1-w)*P/P_max, C_max and P_max over all candidates",
        ),
        ("unknown_policy", info.get("unknown_policy"), policy_text(result.policy, "en")),
        (
            "probability",
            p,
            "probability that a commune with 8.3 unknown did not meet 8.3 (probability policy)",
        ),
        (
            "new_cost_vnd",
            info.get("new_cost_vnd"),
            f"default {NEW_STATION_COST_BASIS}",
        ),
        (
            "upgrade_cost_vnd",
            info.get("upgrade_cost_vnd"),
            "no upgrade cost was published; default = new-station cost (upper bound). Applies "
            "where the evidence records a station built on or before the assessment date",
        ),
        ("costs_from_file", info.get("costs_from_file"), "communes with a cost from --costs"),
        ("candidates", info.get("candidates"), "communes a station would bring to criterion 8"),
        (
            "conflicting",
            info.get("conflicting"),
            "codes whose sources conflict on 8.3: planned for as unknown; check them first",
        ),
        ("optimal_value", result.optimal.value, "integer program (PuLP + CBC), exact"),
        ("greedy_value", result.greedy.value, "ratio greedy heuristic (value per VND)"),
        ("gap", result.gap, "(optimal - greedy) / optimal"),
        ("solve_seconds", round(result.optimal.seconds, 3), ""),
    ]
    if village is not None:
        rows += [
            ("village_radius_m", village.radius_m, "a village is covered within this distance"),
            ("village_new_sites", village.new_sites, "new sites opened in the village model"),
            ("village_population_basis", village.population_basis, ""),
            ("village_covered_share", village.covered_share, "MCLP optimum (PuLP, CBC)"),
            ("village_greedy_share", village.greedy_share, "greedy covering heuristic"),
            ("village_gap", village.gap, "(optimal - greedy) / optimal"),
            ("village_uncovered", int((~village.villages["covered"]).sum()), "villages"),
        ]
    return pd.DataFrame(rows, columns=["parameter", "value", "note"]).astype({"value": str})


def _display_points(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    metric = frame.to_crs(settings.metric_crs)
    points = metric.geometry.representative_point()
    return gpd.GeoSeries(points, crs=settings.metric_crs).to_crs(settings.geographic_crs)


def plan_map(
    assessment: Assessment,
    result: PlanResult,
    *,
    village: VillagePlan | None = None,
    lang: str | None = None,
    tiles: str | None = None,
    illustrative_data: bool | None = None,
) -> Any:
    """The criterion-8 map with the proposed stations and the communes they bring to criterion 8.

    Every text is passed as data to :class:`bkmap.render.maps.SafeTooltip` (written with
    ``textContent``) or escaped, so a commune name never runs as HTML. ``illustrative_data``:
    made from illustrative data (default: whether the assessment is); the title says so.
    """

    lang = check_lang(lang)
    joined = assessment.joined
    fmap = criterion_map(
        assessment,
        lang=lang,
        title=t("plan_title", lang),
        tiles=tiles,
        inline=False,
        illustrative_data=illustrative_data,
    )
    chosen = joined.loc[joined["code"].isin(result.optimal.codes)]
    table = result.table.set_index("code")
    if len(chosen):
        info = table.loc[chosen["code"]]
        props = {
            "rank": info["rank"].astype(str).to_numpy(),
            "name": chosen["name"].astype(str).to_numpy(),
            "code": chosen["code"].astype(str).to_numpy(),
            "district": chosen["district"].fillna("").astype(str).to_numpy(),
            "cost": [f"{format_int(v, lang)} đ" for v in info["cost_vnd"]],
            "gain": [format_number(v, lang) for v in info["gain_communes"]],
            "population": [format_int(v, lang) for v in info["population"]],
        }
        fields = list(props)
        aliases = [
            t("plan_rank", lang),
            t("name", lang),
            t("code", lang),
            t("district", lang),
            t("plan_cost", lang),
            t("plan_gain", lang),
            t("population", lang),
        ]
        polygons = gpd.GeoDataFrame(
            props, geometry=display_geometry(chosen).to_numpy(), crs=settings.geographic_crs
        )
        folium.GeoJson(
            inert_frame(polygons),
            name=page_text(t("plan_layer_reach", lang)),
            style_function=lambda _f: {
                "fillColor": PLAN_COLORS["reach_fill"],
                "color": PLAN_COLORS["reach_line"],
                "weight": 3,
                "fillOpacity": 0.35,
            },
            highlight_function=lambda _f: {"weight": 5, "color": "#000000"},
            tooltip=SafeTooltip(fields=fields, aliases=aliases, sticky=True),
        ).add_to(fmap)
        points = gpd.GeoDataFrame(
            props, geometry=_display_points(chosen).to_numpy(), crs=settings.geographic_crs
        )
        folium.GeoJson(
            inert_frame(points),
            name=page_text(t("plan_layer_sites", lang)),
            marker=folium.CircleMarker(
                radius=7,
                color=PLAN_COLORS["site_line"],
                weight=2,
                fill=True,
                fill_color=PLAN_COLORS["site_fill"],
                fill_opacity=1,
            ),
            tooltip=SafeTooltip(fields=fields, aliases=aliases, sticky=True),
        ).add_to(fmap)
    if village is not None:
        _add_village_layers(fmap, village, lang)
    # Render the layer control after the layers added here, so it lists them too.
    for key in [k for k, c in fmap._children.items() if isinstance(c, folium.LayerControl)]:
        fmap._children[key] = fmap._children.pop(key)
    summary = summary_text(result, lang)
    if village is not None:
        summary += " " + village_summary_text(village, lang)
    root: Any = fmap.get_root()
    root.html.add_child(
        RawElement(
            page_html(
                # Docked in the map's top-left corner and folded on phones (bkmap.render.maps).
                '<div id="bkmap-plan-summary" class="bkmap-panel" style="max-width:420px;'
                "background:rgba(255,255,255,.94);padding:6px 8px;border-radius:4px;"
                "box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.35 'Noto Sans',Arial,sans-serif\">"
                f'<button type="button" class="bkmap-toggle">{page_text(t("plan_summary_title", lang))}'
                f'</button><div class="bkmap-body">{page_text(summary)}{_plan_legend(village, lang, sites=bool(len(chosen)))}</div></div>'
            )
        )
    )
    inline_assets(fmap)
    return fmap


def _plan_legend(village: VillagePlan | None, lang: str, *, sites: bool) -> str:
    """Swatches of the plan's own layers, each styled as the layer is drawn."""
    fill = PLAN_COLORS["reach_fill"]
    r, g, b = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    rows: list[tuple[str, str, str]] = []
    if sites:
        rows.append(
            (
                "reach",
                f"background:rgba({r},{g},{b},0.35);border:2px solid {PLAN_COLORS['reach_line']}",
                t("plan_layer_reach", lang),
            )
        )
        rows.append(
            (
                "sites",
                f"background:{PLAN_COLORS['site_fill']};border:2px solid {PLAN_COLORS['site_line']};"
                "border-radius:50%",
                t("plan_layer_sites", lang),
            )
        )
    if village is not None:
        for key, colour in (
            ("plan_layer_covered", PLAN_COLORS["village_covered"]),
            ("plan_layer_uncovered", PLAN_COLORS["village_uncovered"]),
        ):
            rows.append(
                (
                    key,
                    f"background:{colour};border:1px solid {MARKER_STROKE};border-radius:50%",
                    t(key, lang),
                )
            )
        rows.append(
            (
                "village_sites",
                f"background:transparent;border:1.5px solid {PLAN_COLORS['site_line']};"
                "border-radius:50%",
                t("plan_layer_village_sites", lang),
            )
        )
    if not rows:
        return ""
    items = "".join(
        f'<div><i data-plan-key="{page_text(key)}" style="display:inline-block;width:12px;'
        f'height:12px;margin-right:5px;vertical-align:middle;{style}"></i>{page_text(label)}</div>'
        for key, style, label in rows
    )
    return f'<div class="bkmap-plan-legend" style="margin-top:4px">{items}</div>'


def _add_village_layers(fmap: Any, village: VillagePlan, lang: str) -> None:

    def text(values: pd.Series) -> np.ndarray:
        return values.fillna("").astype(str).to_numpy()

    villages = village.villages.to_crs(settings.geographic_crs)
    for covered, key, colour in (
        (True, "plan_layer_covered", PLAN_COLORS["village_covered"]),
        (False, "plan_layer_uncovered", PLAN_COLORS["village_uncovered"]),
    ):
        part = villages.loc[villages["covered"].eq(covered)]
        if not len(part):
            continue
        frame = gpd.GeoDataFrame(
            {
                "name": text(part["name"]) if "name" in part else "",
                "population": [format_int(v, lang) for v in part["weight"]],
            },
            geometry=part.geometry.to_numpy(),
            crs=settings.geographic_crs,
        )
        folium.GeoJson(
            inert_frame(frame),
            name=page_text(t(key, lang)),
            show=not covered,
            marker=folium.CircleMarker(
                radius=3,
                color=MARKER_STROKE,
                weight=1,
                fill=True,
                fill_color=colour,
                fill_opacity=0.9,
            ),
            tooltip=SafeTooltip(
                fields=["name", "population"], aliases=[t("name", lang), t("population", lang)]
            ),
        ).add_to(fmap)
    sites = village.sites.loc[village.sites["chosen"]]
    if len(sites):
        discs = sites.geometry.buffer(village.radius_m, quad_segs=16).to_crs(
            settings.geographic_crs
        )
        frame = gpd.GeoDataFrame(
            {
                "name": text(sites["name"]) if "name" in sites else "",
                "site_id": text(sites["site_id"]) if "site_id" in sites else "",
                "new": np.where(sites["new"], "new", "existing"),
            },
            geometry=discs.to_numpy(),
            crs=settings.geographic_crs,
        )
        folium.GeoJson(
            inert_frame(frame),
            name=page_text(t("plan_layer_village_sites", lang)),
            style_function=lambda f: {
                "color": PLAN_COLORS["site_line"]
                if f["properties"]["new"] == "new"
                else PLAN_COLORS["site_existing_line"],
                "weight": 1.5,
                "fillOpacity": 0.08,
            },
            tooltip=SafeTooltip(fields=["name", "site_id", "new"], aliases=["", "id", ""]),
        ).add_to(fmap)


def summary_text(result: PlanResult, lang: str | None = None) -> str:
    """One paragraph describing the plan and its unknown policy."""

    best = result.optimal
    objective = best.objective
    w = result.settings.get("weight")
    obj_text = t(
        f"plan_objective_{objective}", lang, w=format_number(w, lang) if w is not None else ""
    )
    return t(
        "plan_summary",
        lang,
        objective=obj_text,
        budget=(
            f"{format_int(best.budget_vnd, lang)} đ"
            if best.budget_vnd is not None
            else t("plan_no_limit", lang)
        ),
        stations=best.stations if best.stations is not None else t("plan_no_limit", lang),
        n=best.n_stations,
        cost=format_int(best.cost_vnd, lang),
        communes=format_number(best.communes, lang),
        population=format_int(best.population, lang),
        greedy=format_number(result.greedy.value, lang),
        gap=format_percent(result.gap, lang),
        policy=policy_text(result.policy, lang),
    ) + (
        " " + alternatives_text(result.alternatives, lang)
        if result.alternatives is not None
        else ""
    )


def alternatives_text(table: pd.DataFrame, lang: str | None = None) -> str:
    """One sentence: what each policy for unknown communes proposes at the plan's limits."""
    items = [
        t(
            "plan_alternative",
            lang,
            policy=t(
                f"plan_policy_{row.unknown_policy}",
                lang,
                p=format_number(row.probability, lang) if pd.notna(row.probability) else "",
            ),
            n=int(row.stations),
            certain=int(row.communes_certain),
            expected=format_number(row.communes_expected, lang),
            most=int(row.communes_at_most),
        )
        for row in table.itertuples(index=False)
    ]
    return t("plan_alternatives", lang, items="; ".join(items))


def village_summary_text(village: VillagePlan, lang: str | None = None) -> str:

    return t(
        "plan_villages_summary",
        lang,
        radius=format_int(village.radius_m, lang),
        share=format_percent(village.covered_share, lang),
        n=int((~village.villages["covered"]).sum()),
    )


def compare_chart(
    table: pd.DataFrame, path: str | os.PathLike[str], *, lang: str | None = None
) -> Path:
    """Draw the scenario comparison (optimum and greedy per scenario) as a PNG, atomically."""
    # Lazy: matplotlib loads only for charts and printed maps (start-up time).
    from matplotlib.figure import Figure

    lang = check_lang(lang)
    vi = lang == "vi"
    fig = Figure(figsize=(9, 4.5), dpi=120, layout="constrained")
    left, right = fig.subplots(1, 2)
    x = np.arange(len(table))
    labels = table["scenario"].tolist()
    left.bar(x - 0.2, table["communes"], 0.4, label="tối ưu (IP)" if vi else "optimum (IP)")
    if "greedy_communes" in table:
        left.bar(x + 0.2, table["greedy_communes"], 0.4, label="tham lam" if vi else "greedy")
    left.set_ylabel("Số xã đạt TC8 thêm (kỳ vọng)" if vi else "Communes reaching criterion 8")
    right.bar(x, table["population"], 0.6, color=PLAN_COLORS["chart"])
    right.set_ylabel("Dân số hưởng lợi (kỳ vọng)" if vi else "Population of those communes")
    for ax in (left, right):
        ax.set_xticks(x, labels, rotation=20, ha="right")
        ax.grid(axis="y", alpha=0.3)
    left.legend(loc="upper left", fontsize=8)
    policy = str(table["unknown_policy"].iloc[0]) if len(table) else ""
    p = table["probability"].iloc[0] if "probability" in table and len(table) else np.nan
    suffix = f", p = {format_number(p, lang)}" if pd.notna(p) else ""
    fig.suptitle(
        (f"So sánh kịch bản · xã chưa rõ 8.3: {policy}{suffix}")
        if vi
        else f"Scenario comparison · 8.3 unknown: {policy}{suffix}",
        fontsize=11,
    )
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    return Path(path)


def write_plan(
    out_dir: str | os.PathLike[str] | OutputSet,
    assessment: Assessment,
    result: PlanResult,
    *,
    compare: pd.DataFrame | None = None,
    village: VillagePlan | None = None,
    lang: str | None = None,
    tiles: str | None = None,
    illustrative_data: bool = False,
) -> list[Path]:
    """Write every output of a plan into ``out_dir`` (created if missing) as one set.

    The files are written as one :class:`~bkmap.io.write.OutputSet`: all of them or
    none, and files of an earlier plan that this one does not write are removed.
    Give an open ``OutputSet`` to write into it instead (the caller commits it).

    ``plan.csv``, ``districts.csv``, ``policies.csv`` (what each policy for unknown
    communes would propose at the same limits), ``communes.csv`` (every unit and why it is or
    is not a candidate), ``marginal.csv``, ``plan.xlsx`` (Vietnamese headers),
    ``plan_map.html``; with ``compare``: ``compare.csv`` and ``compare.png``; with
    ``village``: ``village_sites.csv`` and ``villages_uncovered.csv``.

    Made from illustrative data (``illustrative_data``, or an illustrative
    assessment), every table gets an ``illustrative`` column, the workbook opens on
    a sheet that says so, and the map's title says so.
    """

    if not isinstance(out_dir, OutputSet):
        with OutputSet(out_dir) as outputs:
            _write_plan_files(
                outputs,
                assessment,
                result,
                compare=compare,
                village=village,
                lang=lang,
                tiles=tiles,
                made_up=illustrative_data or assessment.illustrative,
            )
        return outputs.written
    return _write_plan_files(
        out_dir,
        assessment,
        result,
        compare=compare,
        village=village,
        lang=lang,
        tiles=tiles,
        made_up=illustrative_data or assessment.illustrative,
    )


def _write_plan_files(
    outputs: OutputSet,
    assessment: Assessment,
    result: PlanResult,
    *,
    compare: pd.DataFrame | None,
    village: VillagePlan | None,
    lang: str | None,
    tiles: str | None,
    made_up: bool = False,
) -> list[Path]:
    assert outputs.folder is not None
    out = outputs.folder

    def path(name: str) -> Path:
        written.append(out / name)
        return outputs.path(name)

    def write_csv(frame: pd.DataFrame, target: Path) -> Path:
        # Every CSV of an illustrative plan says so on every row.
        return write_table(illustrative.marked(frame, made_up), target)

    written: list[Path] = []
    write_csv(result.table, path("plan.csv"))
    write_csv(result.districts, path("districts.csv"))
    if result.alternatives is not None:
        write_csv(result.alternatives, path("policies.csv"))
    communes = result.candidates.copy()
    communes["unknown_policy"] = result.policy.unknown
    write_csv(communes, path("communes.csv"))
    write_geopackage(
        plan_layers(assessment, result, village=village, illustrative_data=made_up),
        path("plan.gpkg"),
        geometry_types=GEOMETRY_TYPES,
    )
    book = check_lang(lang)

    def sheet(key: str) -> str:
        return _SHEETS[key][book]

    sheets: dict[str, pd.DataFrame] = {}
    if made_up:
        sheets[sheet("illustrative")] = pd.DataFrame(
            {t_label("plan_illustrative_note", book): [illustrative.banner(book)]}
        )
    sheets |= {
        sheet("plan"): _vi_frame(result.table, book),
        sheet("districts"): _vi_frame(result.districts, book),
    }
    if result.alternatives is not None:
        sheets[sheet("policies")] = _vi_frame(result.alternatives, book)
    if result.marginal is not None:
        write_csv(result.marginal, path("marginal.csv"))
        sheets[sheet("marginal")] = _vi_frame(result.marginal, book)
    if compare is not None:
        write_csv(compare, path("compare.csv"))
        compare_chart(compare, path("compare.png"), lang=lang)
        sheets[sheet("compare")] = _vi_frame(compare, book)
    if village is not None:
        site_cols = [
            c
            for c in (
                "site_id",
                "code",
                "name",
                "district",
                "existing",
                "new",
                "in_greedy",
                "covered_population",
            )
            if c in village.sites
        ]
        chosen = pd.DataFrame(village.sites.loc[village.sites["chosen"], site_cols])
        lonlat = village.sites.loc[village.sites["chosen"]].to_crs(settings.geographic_crs)
        chosen["lon"] = lonlat.geometry.x.round(6).to_numpy()
        chosen["lat"] = lonlat.geometry.y.round(6).to_numpy()
        write_csv(chosen, path("village_sites.csv"))
        unc = village.uncovered
        unc_cols = [c for c in ("name", "commune_code", "weight") if c in unc]
        uncovered = pd.DataFrame(unc[unc_cols])
        ll = unc.to_crs(settings.geographic_crs)
        uncovered["lon"] = ll.geometry.x.round(6).to_numpy()
        uncovered["lat"] = ll.geometry.y.round(6).to_numpy()
        write_csv(uncovered, path("villages_uncovered.csv"))
        sheets[sheet("sites")] = _vi_frame(chosen, book)
        sheets[sheet("uncovered")] = _vi_frame(uncovered, book)
    sheets[sheet("communes")] = _vi_frame(communes, book)
    sheets[sheet("settings")] = _vi_frame(
        _settings_sheet(settings_table(result, village), book, policy_text(result.policy, book)),
        book,
    )
    write_workbook(sheets, path("plan.xlsx"), lang=book)
    fmap = plan_map(
        assessment, result, village=village, lang=lang, tiles=tiles, illustrative_data=made_up
    )
    write_text(path("plan_map.html"), render_page(fmap))
    return written
