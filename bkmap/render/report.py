"""The offline report: one self-contained HTML file, and the same tables as an Excel workbook.

:func:`build_report` puts together, in one page that loads nothing over the
network:

- the criterion-8 map of :func:`bkmap.render.maps.criterion_map` (one layer per
  indicator), with the province outline, commune names that appear when the
  reader zooms in, and the layers written by ``bkmap gaps`` when given;
- the summary by district, the counts per class (the legend's figures), the
  list of communes with gaps, the reconciliation with the published totals,
  the table of sources and their dates, and a note on how to read the map.

Every text that comes from data (names, notes, sources) is escaped: the page
is rendered by jinja2 with autoescaping, and the map writes data into the page
as text (``textContent``), never as HTML. :func:`report_tables` returns the
same tables as frames, and :func:`write_excel` writes them as one workbook.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import jinja2
import pandas as pd
from folium.map import Layer
from folium.template import Template
from markupsafe import Markup

from bkmap import settings
from bkmap._errors import InputError, collect
from bkmap._version import __version__
from bkmap.analysis.reconcile import COLUMNS as RECONCILE_COLUMNS
from bkmap.analysis.reconcile import reconcile
from bkmap.analysis.summary import district_counts, vietnamese_order
from bkmap.geo.simplify import display_geometry
from bkmap.i18n import check_lang, format_date, format_int, format_percent, register, t
from bkmap.i18n import msg as _msg
from bkmap.io.boundaries import read_vector
from bkmap.io.status import load_sources
from bkmap.io.tables import read_table
from bkmap.io.write import atomic_path, write_text, write_workbook
from bkmap.join import Assessment
from bkmap.model import illustrative
from bkmap.model.criteria import INDICATORS, OVERALL, in_programme
from bkmap.render.assets import inline_assets
from bkmap.render.htmlsafe import page_text, render_sections, script_json
from bkmap.render.maps import (
    LABEL_MIN_ZOOM,
    attribution_text,
    class_counts,
    criterion_map,
    describe_sources,
    map_published_line,
    source_labels,
)

log = logging.getLogger(__name__)

__all__ = [
    "LABEL_MIN_ZOOM",
    "SIZE_BUDGET",
    "SOURCE_COLUMNS",
    "GapData",
    "build_report",
    "district_summary",
    "gaps_illustrative",
    "public_sources",
    "read_gaps",
    "report_tables",
    "status_gaps",
    "status_table",
    "write_excel",
    "write_report",
]

#: Size above which :func:`build_report` logs a warning (the target for the province is 1 MB).
SIZE_BUDGET: int = 1_000_000

#: Extra layers from a ``bkmap gaps`` folder with more features than this are left out.
MAX_EXTRA_FEATURES: int = 5_000

LABELS: dict[str, dict[str, str]] = {
    "rpt_title": {
        "vi": "Báo cáo tiêu chí số 8 (Thông tin và Truyền thông), tỉnh Bắc Kạn",
        "en": "Criterion 8 (information and communications) report, Bắc Kạn province",
    },
    "rpt_title_area": {
        "vi": "Báo cáo tiêu chí số 8 (Thông tin và Truyền thông): {area}",
        "en": "Criterion 8 (information and communications) report: {area}",
    },
    "rpt_generated": {
        "vi": "Lập ngày {date} bằng bkmap {version}. Tệp này dùng được khi không có mạng.",
        "en": "Generated on {date} by bkmap {version}. This file works with no network.",
    },
    "rpt_key_figures": {
        "vi": "{units} đơn vị hành chính cấp xã, trong đó {programme} xã thuộc chương trình "
        "nông thôn mới. Theo hồ sơ: {met} xã đạt, {not_met} xã chưa đạt, {conflicting} xã có "
        "nguồn mâu thuẫn, {unknown} xã chưa rõ.",
        "en": "{units} commune-level units, {programme} of them xã in the New Rural Development "
        "programme. In the records: {met} met, {not_met} not met, {conflicting} with conflicting "
        "sources, {unknown} unknown.",
    },
    "rpt_key_published": {
        "vi": "Tỉnh công bố {published} xã đạt tiêu chí 8 ngày {date} nhưng không công bố danh sách.",
        "en": "The province published {published} xã as meeting criterion 8 on {date}, but no list.",
    },
    "rpt_contents": {"vi": "Nội dung", "en": "Contents"},
    "rpt_map": {"vi": "Bản đồ", "en": "Map"},
    "rpt_summary": {"vi": "Tổng hợp theo huyện", "en": "Summary by district"},
    "rpt_classes": {"vi": "Số đơn vị theo lớp (chú giải)", "en": "Units per class (the legend)"},
    "rpt_gaps": {"vi": "Danh sách xã còn thiếu chỉ tiêu", "en": "Communes with gaps"},
    "rpt_gaps_intro": {
        "vi": "Xã thuộc chương trình có ít nhất một chỉ tiêu chưa đạt, có nguồn mâu thuẫn hoặc "
        "chưa rõ; xã chưa đạt đứng trước, rồi xã có nguồn mâu thuẫn (cần kiểm tra trước). «Chưa "
        "rõ» nghĩa là chưa có nguồn công bố nào nêu tên xã, không phải chưa đạt.",
        "en": "Xã in the programme with at least one indicator not met, with conflicting sources "
        "or unknown; not met first, then conflicting (the first to check). Unknown means that no "
        "published source names the commune, not that it failed.",
    },
    "rpt_gaps_none": {
        "vi": "Không có xã nào còn thiếu chỉ tiêu.",
        "en": "No commune has a gap.",
    },
    "rpt_spatial_gaps": {
        "vi": "Khoảng trống theo phân tích không gian (bkmap gaps)",
        "en": "Spatial gaps (bkmap gaps)",
    },
    "rpt_spatial_from": {"vi": "Từ thư mục {path}.", "en": "From the folder {path}."},
    "rpt_gap_layer": {
        "vi": "Xã có khoảng trống (bkmap gaps)",
        "en": "Communes with gaps (bkmap gaps)",
    },
    "rpt_extra_layer": {"vi": "bkmap gaps: {name}", "en": "bkmap gaps: {name}"},
    "rpt_reconcile": {
        "vi": "Đối chiếu với số liệu của tỉnh và các huyện",
        "en": "Reconciliation with the province and district figures",
    },
    "rpt_reconcile_intro": {
        "vi": "Dòng cấp tỉnh: số liệu của tỉnh tại ngày đánh giá, đặt cạnh bảng tình trạng; cột "
        "«Loại» cho biết số liệu được công bố hay được suy ra. Dòng cấp huyện: số liệu của huyện "
        "tại ngày của chính nó, đặt cạnh số xã mà tư liệu nêu tên đến ngày đó, theo chiều của "
        "giới hạn (đúng, tối đa, ít nhất).",
        "en": "Province rows: the province's figures of the assessment date against the status "
        "table; the Kind column says whether a figure was published or derived. District rows: "
        "each district figure at its own date against the communes the evidence names by that "
        "date, in the direction of its bound (exactly, at most, at least).",
    },
    "rpt_boundaries": {"vi": "Nguồn ranh giới — {lines}", "en": "Boundary sources — {lines}"},
    "rpt_quality_official": {"vi": "cổng thông tin nhà nước", "en": "government portal"},
    "rpt_quality_press": {"vi": "báo chí", "en": "press"},
    "rpt_quality_register": {"vi": "danh mục đăng ký", "en": "register"},
    "rpt_quality_copy_unrelated_host": {
        "vi": "bản sao trên trang không liên quan",
        "en": "copy on an unrelated host",
    },
    "rpt_metric_xa_with_19_of_19_criteria": {
        "vi": "Số xã đạt 19/19 tiêu chí",
        "en": "Xã meeting 19 of 19 criteria",
    },
    "rpt_metric_xa_with_radio_system": {
        "vi": "Số xã có hệ thống truyền thanh",
        "en": "Xã with a radio system",
    },
    "rpt_metric_xa_meeting_c8": {"vi": "Số xã đạt tiêu chí 8", "en": "Xã meeting criterion 8"},
    "rpt_metric_xa_recognised_ntm": {
        "vi": "Số xã đạt chuẩn nông thôn mới",
        "en": "Xã recognised NTM",
    },
    "rpt_metric_units_with_radio_station": {
        "vi": "Số đơn vị có đài truyền thanh",
        "en": "Units with a radio station",
    },
    "rpt_level_province": {"vi": "Tỉnh", "en": "Province"},
    "rpt_level_district": {"vi": "Huyện", "en": "District"},
    "rpt_reconcile_none": {
        "vi": "Không có số liệu công bố để đối chiếu. Số liệu tỉnh công bố tính trên các đơn vị "
        "hành chính năm 2019: lập báo cáo với ranh giới 2019 (mặc định) để xem bảng đối chiếu.",
        "en": "No published totals to compare with. The province's figures count the units of "
        "2019: make the report on the 2019 boundaries (the default) to see the reconciliation.",
    },
    "rpt_sources": {"vi": "Nguồn dữ liệu và thời điểm", "en": "Data sources and dates"},
    "rpt_howto": {"vi": "Cách đọc bản đồ", "en": "How to read this map"},
    "rpt_howto_1": {
        "vi": "Mỗi xã được tô màu theo kết quả tiêu chí 8: xanh là đạt, đỏ là chưa đạt, cam là "
        "nguồn mâu thuẫn (hai nguồn nói khác nhau, bkmap không chọn bên nào), xám là chưa rõ, tím "
        "nhạt là phường và thị trấn (không thuộc chương trình nông thôn mới).",
        "en": "Each commune is coloured by its criterion-8 result: green met, red not met, orange "
        "sources conflict (two sources disagree and bkmap does not choose), grey unknown, pale "
        "violet for phường and thị trấn (urban units, outside the programme).",
    },
    "rpt_howto_2": {
        "vi": "Một xã chỉ đạt tiêu chí 8 khi đạt cả bốn chỉ tiêu 8.1 đến 8.4. Bật hoặc tắt từng "
        "chỉ tiêu trong hộp chọn lớp ở góc trên bên phải bản đồ.",
        "en": "A commune meets criterion 8 only when it meets all four indicators 8.1 to 8.4. "
        "Switch each indicator on or off in the layer box at the top right of the map.",
    },
    "rpt_howto_3": {
        "vi": "Di chuột hoặc chạm vào một xã để xem tên, kết quả từng chỉ tiêu, nguồn và ghi chú. "
        "Phóng to để hiện tên các xã. Đường đậm là ranh giới huyện và tỉnh.",
        "en": "Hover over or tap a commune to see its name, each indicator, the source and the "
        "note. Zoom in to show commune names. Thick lines are district and province borders.",
    },
    "rpt_howto_4": {
        "vi": "«Chưa rõ» không có nghĩa là chưa đạt: tỉnh công bố số xã đạt nhưng không công bố "
        "danh sách, nên phần lớn các xã chưa gán được kết quả. Bảng đối chiếu cho biết bao nhiêu "
        "xã đã xác định được. «Suy ra» là kết quả suy luận theo quy tắc đã ghi, «nêu rõ» là "
        "nguồn nêu trực tiếp.",
        "en": "Unknown does not mean not met: the province published how many xã met the "
        "criterion but not which, so most communes cannot be attributed yet. The reconciliation "
        "says how many are confirmed. 'inferred' follows a written rule; 'stated' is said by the "
        "source itself.",
    },
    "rpt_offline_tiles": {
        "vi": "Không tải được bản đồ nền (không có mạng); bản đồ vẫn dùng được.",
        "en": "The basemap could not be loaded (no network); the map still works.",
    },
    "rpt_total": {"vi": "Toàn tỉnh", "en": "Whole province"},
    "rpt_locate": {"vi": "Bấm để xem xã trên bản đồ", "en": "Click to show the commune on the map"},
    "rpt_yes": {"vi": "Có", "en": "Yes"},
    "rpt_no": {"vi": "Không", "en": "No"},
    "rpt_province_outline": {"vi": "Ranh giới tỉnh", "en": "Province boundary"},
    # columns
    "rpt_col_code": {"vi": "Mã ĐVHC", "en": "GSO code"},
    "rpt_col_name": {"vi": "Tên đơn vị", "en": "Name"},
    "rpt_col_district": {"vi": "Huyện", "en": "District"},
    "rpt_col_unit_type": {"vi": "Loại", "en": "Type"},
    "rpt_col_units": {"vi": "Số đơn vị", "en": "Units"},
    "rpt_col_programme": {"vi": "Số xã (thuộc chương trình)", "en": "Xã in the programme"},
    "rpt_col_c8_met": {"vi": "Đạt TC8", "en": "C8 met"},
    "rpt_col_c8_not_met": {"vi": "Chưa đạt TC8", "en": "C8 not met"},
    "rpt_col_c8_conflicting": {"vi": "Nguồn mâu thuẫn TC8", "en": "C8 sources conflict"},
    "rpt_col_c8_unknown": {"vi": "Chưa rõ TC8", "en": "C8 unknown"},
    "rpt_col_not_applicable": {"vi": "Không áp dụng", "en": "Not applicable"},
    "rpt_col_ind_met": {"vi": "Đạt {number}", "en": "{number} met"},
    "rpt_col_c8_met_share": {
        "vi": "Tỷ lệ xã đạt TC8 theo hồ sơ",
        "en": "Share of xã meeting C8 in the records",
    },
    "rpt_col_class": {"vi": "Lớp", "en": "Class"},
    "rpt_col_gap": {"vi": "Còn thiếu", "en": "Gap"},
    "rpt_col_c8": {"vi": "Tiêu chí 8", "en": "Criterion 8"},
    "rpt_col_source": {"vi": "Nguồn", "en": "Source"},
    "rpt_col_note": {"vi": "Ghi chú", "en": "Note"},
    "rpt_col_metric": {"vi": "Chỉ số", "en": "Figure"},
    "rpt_col_as_of": {"vi": "Ngày", "en": "Date"},
    "rpt_col_level": {"vi": "Cấp", "en": "Level"},
    "rpt_col_figure": {"vi": "Số liệu", "en": "Figure"},
    "rpt_col_out_of": {"vi": "Trên tổng số", "en": "Out of"},
    "rpt_col_bound": {"vi": "Giới hạn", "en": "Bound"},
    "rpt_col_kind": {"vi": "Loại", "en": "Kind"},
    "rpt_col_published": {"vi": "Ngày đăng", "en": "Published on"},
    "rpt_col_evidence_date": {"vi": "Thời điểm của dữ kiện", "en": "Evidence refers to"},
    "rpt_col_quality": {"vi": "Loại nguồn", "en": "Kind of source"},
    "rpt_col_date_note": {"vi": "Ghi chú về ngày", "en": "Date note"},
    "rpt_col_caveat": {"vi": "Lưu ý", "en": "Caveat"},
    "rpt_col_records_met": {"vi": "Hồ sơ: đạt", "en": "Records: met"},
    "rpt_col_records_not_met": {"vi": "Hồ sơ: chưa đạt", "en": "Records: not met"},
    "rpt_col_records_conflicting": {
        "vi": "Hồ sơ: nguồn mâu thuẫn",
        "en": "Records: sources conflict",
    },
    "rpt_col_records_unknown": {"vi": "Hồ sơ: chưa rõ", "en": "Records: unknown"},
    "rpt_col_unattributed": {"vi": "Chưa xác định là xã nào", "en": "Not attributed"},
    "rpt_col_consistent": {"vi": "Khớp", "en": "Consistent"},
    "rpt_col_statement": {"vi": "Nhận xét", "en": "Statement"},
    "rpt_col_source_id": {"vi": "Mã nguồn", "en": "Source id"},
    "rpt_col_date": {"vi": "Ngày", "en": "Date"},
    "rpt_col_host": {"vi": "Trang", "en": "Site"},
    "rpt_col_title": {"vi": "Tiêu đề", "en": "Title"},
    "rpt_col_url": {"vi": "Địa chỉ", "en": "Address"},
    "rpt_col_rank": {"vi": "Thứ tự", "en": "Rank"},
    "rpt_col_population": {"vi": "Dân số", "en": "Population"},
    "rpt_col_area_km2": {"vi": "Diện tích (km²)", "en": "Area (km²)"},
    "rpt_col_n_stations": {"vi": "Số đài truyền thanh", "en": "Radio stations"},
    "rpt_col_n_stations_working": {"vi": "Số đài hoạt động", "en": "Stations working"},
    "rpt_col_covered_area_share": {"vi": "Diện tích được phủ sóng", "en": "Area covered"},
    "rpt_col_covered_population_share": {"vi": "Dân số được phủ sóng", "en": "Population covered"},
    "rpt_col_covered_village_share": {"vi": "Thôn được phủ sóng", "en": "Villages covered"},
    "rpt_col_uncovered_population": {"vi": "Dân số chưa phủ sóng", "en": "Population not covered"},
    "rpt_col_n_villages": {"vi": "Số thôn", "en": "Villages"},
    "rpt_col_n_villages_covered": {"vi": "Số thôn được phủ sóng", "en": "Villages covered (n)"},
    "rpt_col_n_postal": {"vi": "Số điểm bưu chính", "en": "Postal points"},
    "rpt_col_postal_distance_km": {
        "vi": "Khoảng cách tới điểm bưu chính (km)",
        "en": "Distance to a postal point (km)",
    },
    "rpt_col_postal_max_village_km": {
        "vi": "Thôn xa nhất tới điểm bưu chính (km)",
        "en": "Farthest village from a postal point (km)",
    },
    "rpt_col_ind_source": {"vi": "{number} nguồn", "en": "{number} source"},
    "rpt_col_ind_confidence": {"vi": "{number} mức tin cậy", "en": "{number} confidence"},
    "rpt_metric_c8_met": {"vi": "Số xã đạt tiêu chí 8", "en": "Xã meeting criterion 8"},
    "rpt_metric_ind_met": {
        "vi": "Số xã đạt chỉ tiêu {number}",
        "en": "Xã meeting indicator {number}",
    },
    # sheet names (at most 31 characters)
    "rpt_sheet_summary": {"vi": "Tổng hợp theo huyện", "en": "Summary by district"},
    "rpt_sheet_classes": {"vi": "Số đơn vị theo lớp", "en": "Units per class"},
    "rpt_sheet_gaps": {"vi": "Xã còn thiếu", "en": "Gaps"},
    "rpt_sheet_spatial": {"vi": "Khoảng trống không gian", "en": "Spatial gaps"},
    "rpt_sheet_status": {"vi": "Tình trạng từng xã", "en": "Status"},
    "rpt_sheet_reconcile": {"vi": "Đối chiếu số công bố", "en": "Reconciliation"},
    "rpt_sheet_sources": {"vi": "Nguồn dữ liệu", "en": "Sources"},
}
register(LABELS)


# --------------------------------------------------------------------------- gaps input


@dataclass
class GapData:
    """What ``bkmap gaps --out DIR`` wrote, as read by :func:`read_gaps`.

    Attributes
    ----------
    table
        ``gaps.csv``: one row per commune with a gap (``code``, ``name``, ``gap``, ...), as text.
    layer
        ``gaps.geojson``: the same communes with their shapes (EPSG:4326).
    extra
        Other ``*.geojson`` layers found in the folder (stations, covered area, ...), by file stem.
    source
        The folder.
    """

    table: pd.DataFrame
    layer: gpd.GeoDataFrame
    extra: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    source: Path = Path()


def read_gaps(directory: str | os.PathLike[str]) -> GapData:
    """Read the folder written by ``bkmap gaps --out DIR``.

    ``DIR/gaps.csv`` and ``DIR/gaps.geojson`` are required; other ``.geojson``
    files in the folder become extra map layers (hidden at first).

    Raises
    ------
    InputError
        The folder or one of the two files is missing or cannot be read.
    ValidationError
        ``gaps.csv`` lacks the ``code``, ``name`` or ``gap`` column.
    """

    folder = Path(directory)
    if not folder.is_dir():
        msg = _msg("rep_no_gaps_folder", folder=folder)
        raise InputError(msg)
    missing = [n for n in ("gaps.csv", "gaps.geojson") if not (folder / n).is_file()]
    if missing:
        msg = _msg("rep_gaps_missing", folder=folder, missing=_msg("word_and").join(missing))
        raise InputError(msg)
    table = read_table(folder / "gaps.csv")
    need = [c for c in ("code", "name", "gap") if c not in table.columns]
    collect(
        [
            _msg(
                "rep_gaps_no_column",
                column=c,
                found=", ".join(map(str, table.columns)),
                folder=folder,
            )
            for c in need
        ],
        header=_msg("rep_gaps_header", path=folder / "gaps.csv"),
    )
    if "code" in table.columns:
        numeric = table["code"].str.fullmatch(r"\d{1,5}")
        table.loc[numeric, "code"] = table.loc[numeric, "code"].str.zfill(5)
    layer = _read_layer(folder / "gaps.geojson", read_vector)
    extra: dict[str, gpd.GeoDataFrame] = {}
    for path in sorted(folder.glob("*.geojson")):
        if path.name == "gaps.geojson":
            continue
        frame = _read_layer(path, read_vector)
        if len(frame) > MAX_EXTRA_FEATURES:
            log.warning(
                "%s",
                _msg("rep_layer_left_out", path=path, count=len(frame), most=MAX_EXTRA_FEATURES),
            )
            continue
        extra[path.stem] = frame
    return GapData(table=table, layer=layer, extra=extra, source=folder)


def gaps_illustrative(gaps: GapData) -> bool:
    """Whether ``bkmap gaps`` made these files from illustrative data (its ``illustrative`` column)."""
    column = gaps.table.get(illustrative.COLUMN)
    if column is None:
        return False
    return bool(column.astype(str).str.strip().str.lower().isin(["true", "1"]).any())


def _read_layer(path: Path, reader: Any) -> gpd.GeoDataFrame:
    """Read one GeoJSON layer; an empty FeatureCollection is an empty layer, not an error."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = _msg("rep_bad_geojson", path=path, detail=exc, folder=path.parent)
        raise InputError(msg) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        msg = _msg("rep_not_collection", path=path, folder=path.parent)
        raise InputError(msg)
    if not doc.get("features"):
        return gpd.GeoDataFrame({"code": []}, geometry=[], crs=settings.geographic_crs)
    frame = reader(path)
    frame = frame.loc[frame.geometry.notna() & ~frame.geometry.is_empty]
    return frame.to_crs(settings.geographic_crs)


# --------------------------------------------------------------------------- tables


def district_summary(joined: pd.DataFrame) -> pd.DataFrame:
    """The report's district table: :func:`bkmap.analysis.summary.district_counts`, a total and a share.

    Returns one row per district (sorted by name) and a last row for the
    whole province with ``district`` set to ``""``. Columns: ``district, units,
    programme, c8_met, c8_not_met, c8_conflicting, c8_unknown, not_applicable,
    c8_1_met ... c8_4_met, c8_met_share`` (met over programme, or NaN).
    """
    out = district_counts(joined).rename(columns={"c8_not_applicable": "not_applicable"})
    total = out.sum(numeric_only=True).to_frame().T.astype(int)
    total.index = pd.Index([""], name="district")
    out = pd.concat([out, total])
    out["c8_met_share"] = out["c8_met"] / out["programme"].where(out["programme"] > 0)
    out = out.reset_index(names="district")
    order = [
        "district",
        "units",
        "programme",
        "c8_met",
        "c8_not_met",
        "c8_conflicting",
        "c8_unknown",
        "not_applicable",
        *(f"{ind.column}_met" for ind in INDICATORS),
        "c8_met_share",
    ]
    return out[order]


def status_gaps(
    joined: pd.DataFrame, *, lang: str | None = None, sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """List the xã in the programme with an indicator not met, conflicting or unknown.

    Communes with an indicator not met come first, then those whose sources
    conflict (the first to check), then those with unknowns, each by district
    and name. ``gap`` names the indicators and their status (for example
    ``8.3: Chưa rõ``); ``source`` names each source with its date (``sources``:
    the sources table, :func:`bkmap.io.status.load_sources` by default).
    """
    lang = check_lang(lang)
    labels = source_labels(load_sources() if sources is None else sources, lang, host=False)
    frame = joined.loc[in_programme(joined["unit_type"])]
    rows = []
    for _, row in frame.iterrows():
        missing = [
            (ind, row[ind.column])
            for ind in INDICATORS
            if row[ind.column] in ("not_met", "conflicting", "unknown")
        ]
        if not missing:
            continue
        cited = ";".join(str(row.get(ind.source_column, "") or "") for ind, _value in missing)
        values = {v for _i, v in missing}
        rows.append(
            {
                "rank": 0 if "not_met" in values else 1 if "conflicting" in values else 2,
                "code": row["code"],
                "name": row["name"],
                "district": row.get("district", "") or "",
                "gap": "; ".join(f"{ind.key}: {t(v, lang)}" for ind, v in missing),
                "c8": t(row[OVERALL], lang),
                "source": describe_sources(cited, labels),
                "note": _note(row, lang),
            }
        )
    columns = ["code", "name", "district", "gap", "c8", "source", "note"]
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame(rows).sort_values(
        ["rank", "district", "name", "code"], kind="stable", key=vietnamese_order
    )
    return out[columns].reset_index(drop=True)


def _note(row: pd.Series, lang: str) -> str:
    """A unit's note in ``lang``: the shipped notes have an English twin, a user's note has not."""
    note = str(row.get("note", "") or "")
    english = str(row.get("note_en", "") or "")
    return english if lang == "en" and english else note


def status_table(
    joined: pd.DataFrame, *, lang: str | None = None, sources: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every unit with its overall result and each indicator, source (with its date) and confidence."""
    lang = check_lang(lang)
    labels = source_labels(load_sources() if sources is None else sources, lang, host=False)
    out = pd.DataFrame(
        {
            "code": joined["code"].to_numpy(),
            "name": joined["name"].to_numpy(),
            "district": joined["district"].fillna("").to_numpy(),
            "unit_type": joined["unit_type"].fillna("").to_numpy()
            if "unit_type" in joined.columns
            else "",
            "c8": joined[OVERALL].map(lambda v: t(v, lang)).to_numpy(),
        }
    )
    for ind in INDICATORS:
        out[ind.column] = joined[ind.column].map(lambda v: t(v, lang)).to_numpy()
        out[ind.source_column] = (
            joined[ind.source_column].fillna("").map(lambda c: describe_sources(c, labels))
        ).to_numpy()
        out[ind.confidence_column] = (
            joined[ind.confidence_column]
            .fillna("")
            .map(lambda c: t(c, lang) if c in ("stated", "inferred") else c)
            .to_numpy()
        )
    note = joined["note"].fillna("").astype(str) if "note" in joined.columns else ""
    if lang == "en" and "note_en" in joined.columns:
        english = joined["note_en"].fillna("").astype(str)
        note = english.where(english.ne(""), note)
    out["note"] = note.to_numpy() if isinstance(note, pd.Series) else note
    return out


def _metric_label(metric: str, lang: str) -> str:
    """A figure's label in ``lang``; a metric without one keeps its name."""
    if metric == "c8_met":
        return t("rpt_metric_c8_met", lang)
    for ind in INDICATORS:
        if metric == f"{ind.column}_met":
            return t("rpt_metric_ind_met", lang, number=ind.key)
    try:
        return t(f"rpt_metric_{metric}", lang)
    except KeyError:
        return metric


def report_tables(
    assessment: Assessment,
    *,
    lang: str | None = None,
    gaps: GapData | None = None,
    totals: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Return the report's tables as frames with canonical column names.

    Keys: ``summary``, ``classes``, ``gaps``, ``spatial_gaps`` (only with
    ``gaps``), ``status``, ``reconcile``, ``sources``. Class values are
    translated into ``lang``; numbers stay numbers.
    """

    lang = check_lang(lang)
    joined = assessment.joined
    classes = class_counts(joined)
    classes.index = pd.Index([t(v, lang) for v in classes.index], name="class")
    classes = classes.reset_index()
    status = pd.DataFrame(joined.drop(columns=joined.geometry.name, errors="ignore"))
    as_of = assessment.as_of
    if assessment.version in ("", "2019") and assessment.area is None:
        rec = reconcile(status, as_of=as_of, totals=totals, lang=lang)
    else:
        # The published totals count the 2019 units: set against merged units they mislead.
        rec = pd.DataFrame(columns=list(RECONCILE_COLUMNS))
    sources = (assessment.sources if assessment.sources is not None else load_sources()).fillna("")
    tables = {
        "summary": district_summary(joined),
        "classes": classes,
        "gaps": status_gaps(joined, lang=lang, sources=sources),
        "status": status_table(joined, lang=lang, sources=sources),
        "reconcile": rec,
        "sources": public_sources(sources, lang=lang),
    }
    if gaps is not None:
        tables["spatial_gaps"] = _spatial_columns(gaps.table.reset_index(drop=True))
    return tables


#: Columns of the report's sources table: what a reader needs to find each source again.
SOURCE_COLUMNS: tuple[str, ...] = ("source_id", "published", "title", "url")


def public_sources(sources: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """The sources as the report lists them: public ones only, with date, title and link.

    ``published`` is the publication date (ISO), or, for a page that shows none,
    "undated" with the date its facts refer to. bkmap's own notes on a source
    (its quality, caveat and date note, such as "a copy on an unrelated host")
    stay in ``data/sources.csv`` and are not shown: they are notes for whoever
    maintains the data, not a citation.
    """
    lang = check_lang(lang)
    frame = sources.fillna("")
    if "public" in frame:
        frame = frame.loc[frame["public"].astype(str).str.lower().eq("true")]
    frame = frame.loc[frame["url"].astype(str).str.startswith(("http://", "https://"))]

    def date(row: pd.Series) -> str:
        if row.get("published"):
            return str(row["published"])
        refers = format_date(str(row.get("evidence_date", "") or ""), lang)
        return t("src_undated", lang, refers=refers) if refers else t("src_no_date", lang)

    out = frame.assign(published=frame.apply(date, axis=1) if len(frame) else "")
    return pd.DataFrame(out[list(SOURCE_COLUMNS)]).reset_index(drop=True)


#: Columns of ``gaps.csv`` not shown: codes for programs, and the status, already listed.
_SPATIAL_HIDDEN = {"gap_keys", "gap_score", "population_basis", OVERALL} | {
    ind.column for ind in INDICATORS
}


def _spatial_columns(table: pd.DataFrame) -> pd.DataFrame:
    """Keep the readable columns of ``gaps.csv`` that hold any value."""
    keep = [
        c
        for c in table.columns
        if c not in _SPATIAL_HIDDEN
        and (c in ("code", "name", "district", "gap") or table[c].astype(str).ne("").any())
    ]
    return table[keep]


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _number_text(column: str, value: str, lang: str) -> str:
    """Format a number read as text from ``gaps.csv`` (shares as percentages)."""
    if column == "code" or not isinstance(value, str) or not _NUMBER.fullmatch(value):
        return value
    number = float(value)
    if column.endswith("_share"):
        return format_percent(number, lang)
    if number.is_integer():
        return format_int(number, lang)
    text = f"{number:,.2f}"
    if lang == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def _header(column: str, lang: str) -> str:
    for ind in INDICATORS:
        if column == ind.column:
            return f"{t('indicator', lang)} {ind.key}"
        if column == f"{ind.column}_met":
            return t("rpt_col_ind_met", lang, number=ind.key)
        if column == ind.source_column:
            return t("rpt_col_ind_source", lang, number=ind.key)
        if column == ind.confidence_column:
            return t("rpt_col_ind_confidence", lang, number=ind.key)
    if column == OVERALL:
        return t("rpt_col_c8", lang)
    key = f"rpt_col_{column}"
    try:
        return t(key, lang)
    except KeyError:
        return column


def _display_frame_for(name: str, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Turn a canonical table into display strings in ``lang`` (Vietnamese number formats)."""
    out = frame.copy()
    if name == "summary":
        out["district"] = out["district"].replace("", t("rpt_total", lang))
        out["c8_met_share"] = out["c8_met_share"].map(
            lambda s: "" if pd.isna(s) else format_percent(float(s), lang)
        )
    if name == "sources" and "quality" in out.columns:
        out["quality"] = out["quality"].map(lambda q: t(f"rpt_quality_{q}", lang) if q else q)
    if name == "reconcile" and len(out):
        out = _reconcile_labels(out, lang)
        # The statement names the communes counted and those in conflict.
        out = out.drop(columns=["district_code", "named", "conflicting"])
    for col in ("as_of", "date", "published"):
        if col in out.columns:
            out[col] = out[col].fillna("").map(lambda d: format_date(d, lang) if d else "")
    for col in out.columns:
        if pd.api.types.is_integer_dtype(out[col]):
            out[col] = out[col].map(lambda n: "" if pd.isna(n) else format_int(int(n), lang))
        elif name == "spatial_gaps":
            out[col] = out[col].map(lambda v, c=col: _number_text(c, v, lang))
    return out.fillna("").astype(str)


def _reconcile_labels(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The reconciliation in words: metric, level, kind, bound and consistency in ``lang``."""
    out = frame.copy()
    out["metric"] = out["metric"].map(lambda m: _metric_label(m, lang))
    out["level"] = out["level"].map(lambda v: t(f"rpt_level_{v}", lang))
    out["district"] = out["district"].replace("", t("rpt_total", lang))
    out["kind"] = out["kind"].map(lambda k: t(f"rec_kind_{k}", lang))
    out["bound"] = out["bound"].map(lambda b: t(f"rec_bound_{b}", lang, value="").strip())
    out["consistent"] = out["consistent"].map(
        lambda v: t("rpt_yes", lang) if bool(v) else t("rpt_no", lang)
    )
    return out


# --------------------------------------------------------------------------- Excel


def write_excel(
    tables: Mapping[str, pd.DataFrame],
    path: str | os.PathLike[str],
    *,
    lang: str | None = None,
    illustrative_data: bool = False,
) -> Path:
    """Write the report's tables (see :func:`report_tables`) as one workbook, atomically.

    Headers are in ``lang`` (Vietnamese by default); widths fit the content. Made from
    illustrative data, the workbook opens on a sheet that says so.
    """

    lang = check_lang(lang)
    sheets: dict[str, pd.DataFrame] = {}
    if illustrative_data:
        sheets[t("illustrative", lang)] = pd.DataFrame(
            {illustrative.mark(t("rpt_title", lang), lang): [illustrative.banner(lang)]}
        )
    order = ["summary", "classes", "gaps", "spatial_gaps", "status", "reconcile", "sources"]
    sheet_key = {"spatial_gaps": "rpt_sheet_spatial", "reconcile": "rpt_sheet_reconcile"}
    for name in order:
        if name not in tables:
            continue
        frame = tables[name].copy()
        if name == "summary":
            frame["district"] = frame["district"].replace("", t("rpt_total", lang))
            frame["c8_met_share"] = frame["c8_met_share"].round(3)
        if name == "reconcile" and len(frame):
            frame = _reconcile_labels(frame, lang)
        frame.columns = [_header(str(c), lang) for c in frame.columns]
        sheets[t(sheet_key.get(name, f"rpt_sheet_{name}"), lang)] = frame
    with atomic_path(path) as tmp:
        write_workbook(sheets, tmp, lang=lang)
    log.info("wrote %s", path)
    return Path(path)


# --------------------------------------------------------------------------- map additions


class _DataLayer(Layer):
    """A GeoJSON layer of user data whose tooltip is built with ``textContent``.

    Its data is written with :func:`bkmap.render.htmlsafe.script_json`, never through a Jinja
    filter, so no value is ever evaluated or parsed as HTML.
    """

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    var {{ this.get_name() }} = L.geoJSON({{ this.data }}, {
        style: function(){ return {{ this.style }}; },
        interactive: {{ this.interactive }},
        pointToLayer: function(feature, latlng){ return L.circleMarker(latlng, {{ this.style }}); }
    });
    {% if this.fields %}
    {{ this.get_name() }}.bindTooltip(function(layer){
        const fields = {{ this.fields }}, aliases = {{ this.aliases }};
        const props = layer.feature.properties || {};
        const table = document.createElement('table');
        table.className = 'bkmap-tooltip';
        fields.forEach(function(f, i){
            const v = props[f];
            if (v === null || v === undefined || v === '') { return; }
            const tr = document.createElement('tr');
            const th = document.createElement('th'); th.textContent = aliases[i];
            const td = document.createElement('td'); td.textContent = String(v);
            tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
        });
        return table;
    }, {sticky: true});
    {% endif %}
    {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
    {% endmacro %}
    """
    )

    def __init__(
        self,
        frame: gpd.GeoDataFrame,
        *,
        name: str,
        style: Mapping[str, object],
        show: bool = True,
        control: bool = True,
        fields: list[str] | None = None,
        aliases: list[str] | None = None,
    ) -> None:
        super().__init__(name=page_text(name), overlay=True, control=control, show=show)
        self._name = "bkmap_data_layer"
        self.data = script_json(json.loads(frame.to_json(drop_id=True)))
        self.style = script_json(dict(style))
        self.fields = script_json(fields) if fields else ""
        self.aliases = script_json(aliases or [])
        self.interactive = "true" if fields else "false"


def _province_layer(province: gpd.GeoDataFrame, lang: str) -> _DataLayer:

    outline = gpd.GeoDataFrame(
        geometry=display_geometry(province, tolerance_m=60.0, decimals=4).to_numpy(),
        crs=settings.geographic_crs,
    )
    return _DataLayer(
        outline,
        name=t("rpt_province_outline", lang),
        style={"fill": False, "color": "#000000", "weight": 3.2},
        control=False,
    )


def _tooltip_columns(frame: gpd.GeoDataFrame, lang: str) -> tuple[list[str], list[str]]:
    preferred = ["name", "code", "district", "gap"]
    fields = [c for c in preferred if c in frame.columns]
    shown = set(_spatial_columns(pd.DataFrame(frame.drop(columns=frame.geometry.name))).columns)
    others = [c for c in frame.columns if c not in fields and c in shown and c != "rank"]
    fields += others[: max(0, 8 - len(fields))]
    return fields, [_header(c, lang) for c in fields]


def _gap_layer(frame: gpd.GeoDataFrame, name: str, lang: str, *, show: bool) -> _DataLayer:

    data = pd.DataFrame(frame.drop(columns=frame.geometry.name)).copy()
    for col in data.columns:
        data[col] = data[col].map(
            lambda v, c=col: "" if _missing(v) else _number_text(str(c), _plain(v), lang)
        )
    kinds = set(frame.geometry.geom_type)
    if kinds <= {"Polygon", "MultiPolygon"}:
        geometry = display_geometry(frame, tolerance_m=20.0).to_numpy()
    else:
        geometry = frame.geometry.to_numpy()
    layer = gpd.GeoDataFrame(data, geometry=geometry, crs=settings.geographic_crs)
    fields, aliases = _tooltip_columns(layer, lang)
    style = {
        "color": "#e66101",
        "weight": 2,
        "dashArray": "5 3",
        "fill": True,
        "fillColor": "#e66101",
        "fillOpacity": 0.1,
        "radius": 5,
    }
    return _DataLayer(layer, name=name, style=style, show=show, fields=fields, aliases=aliases)


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, (list, dict)) and bool(pd.isna(value)))


def _plain(value: object) -> str:
    """A property value as text (floats in full, for :func:`_number_text` to format)."""
    return repr(value) if isinstance(value, float) else str(value)


def _move_to_end(fmap: folium.Map, kind: type) -> None:
    """Render the layer control after every layer, so it can refer to all of them."""
    keys = [k for k, child in fmap._children.items() if isinstance(child, kind)]
    for key in keys:
        fmap._children[key] = fmap._children.pop(key)


# --------------------------------------------------------------------------- the page


_REPORT_CSS = """
html, body { height: auto !important; width: auto !important; }
body { margin: 0; font: 15px/1.45 "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #1d1d1d;
  background: #f4f4f1; }
.rpt-head { padding: 14px 24px 8px; background: #fff; border-bottom: 1px solid #ddd; }
.rpt-head h1 { font-size: 21px; margin: 0 0 4px; }
.rpt-head p { margin: 2px 0; color: #333; }
.rpt-head .rpt-meta { color: #555; font-size: 13px; }
.rpt-nav { font-size: 13px; margin-top: 6px; }
.rpt-nav a { margin-right: 14px; color: #1f5fa0; }
.bkmap-mapbox { position: relative; height: min(80vh, 860px); min-height: 460px; margin: 0;
  background: #fbfbf8; border-bottom: 1px solid #ccc; }
.bkmap-mapbox .bkmap-title, .bkmap-mapbox .bkmap-legend { position: absolute; }
.bkmap-mapbox .leaflet-container { background: #fbfbf8; }
.bkmap-mapbox:fullscreen { height: 100vh; }
section.rpt { background: #fff; margin: 16px 24px; padding: 10px 18px 14px; border-radius: 4px;
  box-shadow: 0 1px 3px rgba(0,0,0,.12); overflow-x: auto; }
section.rpt h2 { font-size: 17px; margin: 4px 0 8px; }
table.rpt-table { border-collapse: collapse; font-size: 13px; }
table.rpt-table th, table.rpt-table td { border: 1px solid #d6d6d6; padding: 3px 7px; vertical-align: top; }
table.rpt-table th { background: #eef1f4; text-align: left; }
table.rpt-table td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.rpt-table tr.rpt-total td { font-weight: 600; background: #f6f6f6; }
table.rpt-table tr.rpt-locate { cursor: pointer; }
table.rpt-table tr.rpt-locate:hover td { background: #eef4fb; }
table.rpt-table td.wide { min-width: 18em; }
table.rpt-table td[data-col="as_of"], table.rpt-table td[data-col="date"],
table.rpt-table td[data-col="code"] { white-space: nowrap; }
.rpt-offline { position: absolute; right: 10px; bottom: 26px; z-index: 1000; background: #fff8d6;
  padding: 3px 8px; border-radius: 3px; font-size: 12px; }
@media print {
  body { background: #fff; }
  .rpt-nav, .leaflet-control-layers, .leaflet-control-zoom { display: none; }
  .bkmap-mapbox { height: 175mm; page-break-after: always; }
  section.rpt { box-shadow: none; margin: 8px 0; page-break-inside: auto; }
}
"""

_PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
{{ map_head }}
<style>{{ css }}</style>
</head>
<body>
<header class="rpt-head">
  <h1>{{ title }}</h1>
  <p>{{ key_figures }}</p>
  {% if published %}<p>{{ published }}</p>{% endif %}
  <p class="rpt-meta">{{ generated }}</p>
  <nav class="rpt-nav"><strong>{{ contents }}:</strong>
  {% for sec in sections %}<a href="#{{ sec.id }}">{{ sec.title }}</a>{% endfor %}
  <a href="#rpt-howto">{{ howto_title }}</a></nav>
</header>
<div class="bkmap-mapbox" id="rpt-map">
{{ map_body }}
{% if tiles %}<div class="rpt-offline" id="bkmap-offline-tiles" hidden>{{ offline_tiles }}</div>{% endif %}
</div>
<section class="rpt" id="rpt-howto"><h2>{{ howto_title }}</h2>
<ul>{% for line in howto %}<li>{{ line }}</li>{% endfor %}</ul></section>
{% for sec in sections %}
<section class="rpt" id="{{ sec.id }}"><h2>{{ sec.title }}</h2>
{% for line in sec.intro %}<p>{{ line }}</p>{% endfor %}
{% if sec.rows %}
<table class="rpt-table" id="{{ sec.id }}-table">
<thead><tr>{% for h in sec.headers %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in sec.rows %}<tr{% if row.total %} class="rpt-total"{% endif %}{% if row.key %} data-key="{{ row.key }}"{% endif %}>
{% for cell in row.cells %}<td{% if cell.cls %} class="{{ cell.cls }}"{% endif %}{% if cell.col %} data-col="{{ cell.col }}"{% endif %}>{% if cell.link %}<a href="{{ cell.link }}" rel="noreferrer noopener">{{ cell.text }}</a>{% else %}{{ cell.text }}{% endif %}</td>{% endfor %}
</tr>
{% endfor %}</tbody></table>
{% elif sec.empty %}<p>{{ sec.empty }}</p>{% endif %}
</section>
{% endfor %}
{{ map_script }}
<script>
// A row of the gap list shows its commune on the map (bkmapShow: bkmap.render.maps).
document.querySelectorAll('#rpt-gaps-table tbody tr[data-key]').forEach(function(tr){
  tr.classList.add('rpt-locate');
  tr.title = {{ locate_title }};
  tr.addEventListener('click', function(){
    if (window.bkmapShow && window.bkmapShow(tr.dataset.key)) {
      document.getElementById('rpt-map').scrollIntoView();
    }
  });
});
</script>
</body>
</html>
"""


def _section(
    sec_id: str,
    title: str,
    frame: pd.DataFrame,
    display: pd.DataFrame,
    lang: str,
    *,
    intro: list[str] | None = None,
    empty: str = "",
    total_last: bool = False,
    key_column: str | None = None,
    link_column: str | None = None,
) -> dict[str, Any]:
    numeric = {
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    }
    if "c8_met_share" in frame.columns:
        numeric.add("c8_met_share")
    wide = {"note", "statement", "title", "gap"}
    rows = []
    for i, (_, rec) in enumerate(display.iterrows()):
        cells = []
        for col in display.columns:
            text = rec[col]
            link = ""
            if col == link_column and text.startswith(("http://", "https://")):
                link = text
            cls = "num" if col in numeric else ("wide" if col in wide else "")
            cells.append({"text": text, "cls": cls, "col": col, "link": link})
        rows.append(
            {
                "cells": cells,
                "total": total_last and i == len(display) - 1,
                "key": str(frame.iloc[i][key_column]) if key_column else "",
            }
        )
    return {
        "id": sec_id,
        "title": title,
        "intro": intro or [],
        "headers": [_header(str(c), lang) for c in display.columns],
        "rows": rows,
        "empty": empty,
    }


def build_report(
    assessment: Assessment,
    *,
    lang: str | None = None,
    gaps: GapData | None = None,
    tiles: bool = False,
    totals: pd.DataFrame | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> str:
    """Return the whole report as one self-contained HTML page.

    Parameters
    ----------
    assessment
        Units with status (:func:`bkmap.pipeline.assess`), with their outlines and sources.
    lang
        ``"vi"`` (default) or ``"en"``.
    gaps
        The output of ``bkmap gaps`` (:func:`read_gaps`), drawn as layers and listed.
    tiles
        Draw an OpenStreetMap basemap. Off by default; offline it is removed quietly.
    totals
        The published totals (the shipped ones by default).
    tables
        Tables from :func:`report_tables`, if already computed.

    Returns
    -------
    str
        HTML that loads nothing over the network: Leaflet and every style are inside.
    """

    lang = check_lang(lang)
    if tables is None:
        tables = report_tables(assessment, lang=lang, gaps=gaps, totals=totals)

    made_up = assessment.illustrative or (gaps is not None and gaps_illustrative(gaps))
    fmap = criterion_map(
        assessment,
        lang=lang,
        tiles="OpenStreetMap" if tiles else None,
        inline=False,
        illustrative_data=made_up,
    )
    if assessment.province is not None and len(assessment.province):
        _province_layer(assessment.province, lang).add_to(fmap)
    if gaps is not None:
        if len(gaps.layer):
            # Off at first: over the communes it would take their tooltips.
            _gap_layer(gaps.layer, t("rpt_gap_layer", lang), lang, show=False).add_to(fmap)
        for stem, frame in gaps.extra.items():
            if len(frame):
                _gap_layer(frame, t("rpt_extra_layer", lang, name=stem), lang, show=False).add_to(
                    fmap
                )
    _move_to_end(fmap, folium.LayerControl)
    inline_assets(fmap)

    map_head, map_body, map_script = render_sections(fmap)
    map_script = "<script>\n" + map_script + "\n</script>"

    sections = _sections(tables, lang, gaps, credits=attribution_text(assessment, lang=lang))
    summary = tables["summary"].iloc[-1]
    rec = tables["reconcile"]
    published = ""
    wanted = rec["metric"].eq("c8_met") & rec["kind"].eq("published") if len(rec) else None
    if wanted is not None and wanted.any():
        row = rec.loc[wanted].iloc[0]
        published = t(
            "rpt_key_published",
            lang,
            published=format_int(int(row["figure"]), lang),
            date=format_date(str(row["as_of"]), lang),
        )
        named = map_published_line(assessment, lang=lang)
        if named:
            published += " " + named + "."
    title = (
        t("rpt_title_area", lang, area=assessment.area) if assessment.area else t("rpt_title", lang)
    )
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    page = env.from_string(_PAGE).render(
        lang=lang,
        title=illustrative.mark(title, lang, when=made_up),
        map_head=Markup(map_head),
        map_body=Markup(map_body),
        map_script=Markup(map_script),
        css=Markup(_REPORT_CSS),
        # Made from illustrative data, the header says so before any figure.
        key_figures=(illustrative.banner(lang) + " · " if made_up else "")
        + t(
            "rpt_key_figures",
            lang,
            units=format_int(int(summary["units"]), lang),
            programme=format_int(int(summary["programme"]), lang),
            met=format_int(int(summary["c8_met"]), lang),
            not_met=format_int(int(summary["c8_not_met"]), lang),
            conflicting=format_int(int(summary["c8_conflicting"]), lang),
            unknown=format_int(int(summary["c8_unknown"]), lang),
        ),
        published=published,
        generated=t(
            "rpt_generated",
            lang,
            date=format_date(dt.date.today(), lang),
            version=__version__,
        ),
        contents=t("rpt_contents", lang),
        sections=sections,
        howto_title=t("rpt_howto", lang),
        howto=[t(f"rpt_howto_{i}", lang) for i in range(1, 5)],
        tiles=tiles,
        offline_tiles=t("rpt_offline_tiles", lang),
        locate_title=Markup(script_json(t("rpt_locate", lang))),
    )
    if len(page.encode("utf-8")) > SIZE_BUDGET:
        log.warning("%s", _msg("rep_over_size", size=len(page), target=SIZE_BUDGET))
    return page


def _sections(
    tables: Mapping[str, pd.DataFrame],
    lang: str,
    gaps: GapData | None,
    *,
    credits: list[str] | None = None,
) -> list[dict[str, Any]]:
    def disp(name: str) -> pd.DataFrame:
        return _display_frame_for(name, tables[name], lang)

    sections = [
        _section(
            "rpt-summary",
            t("rpt_summary", lang),
            tables["summary"],
            disp("summary"),
            lang,
            total_last=True,
        ),
        _section(
            "rpt-classes",
            t("rpt_classes", lang),
            tables["classes"],
            disp("classes"),
            lang,
            key_column="class",
        ),
        _section(
            "rpt-gaps",
            t("rpt_gaps", lang),
            tables["gaps"],
            disp("gaps"),
            lang,
            intro=[t("rpt_gaps_intro", lang)],
            empty=t("rpt_gaps_none", lang),
            key_column="code",
        ),
    ]
    if gaps is not None and "spatial_gaps" in tables:
        sections.append(
            _section(
                "rpt-spatial-gaps",
                t("rpt_spatial_gaps", lang),
                tables["spatial_gaps"],
                disp("spatial_gaps"),
                lang,
                intro=[t("rpt_spatial_from", lang, path=str(gaps.source))],
                empty=t("rpt_gaps_none", lang),
            )
        )
    rec = tables["reconcile"]
    sections.append(
        _section(
            "rpt-reconcile",
            t("rpt_reconcile", lang),
            rec,
            disp("reconcile"),
            lang,
            intro=[t("rpt_reconcile_intro", lang)] if len(rec) else [],
            empty=t("rpt_reconcile_none", lang),
        )
    )
    sections.append(
        _section(
            "rpt-sources",
            t("rpt_sources", lang),
            tables["sources"],
            disp("sources"),
            lang,
            intro=[t("rpt_boundaries", lang, lines="; ".join(credits))] if credits else [],
            link_column="url",
        )
    )
    return sections


def write_report(
    assessment: Assessment,
    path: str | os.PathLike[str],
    **options: Any,
) -> Path:
    """Write :func:`build_report` to ``path`` atomically and return the path.

    ``options`` are those of :func:`build_report`.
    """

    return write_text(path, build_report(assessment, **options))
