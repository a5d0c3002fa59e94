"""The outputs of the gap analysis: tables in Vietnamese or English, and the set of files.

:func:`write_gap_outputs` writes ``gaps.csv``, ``gaps.geojson``, ``gaps.gpkg``
(every layer, for QGIS), ``gaps.xlsx``, ``gaps_map.html`` and, when there are any, ``conflicts.csv`` and
``dropped_rows.csv`` for a :class:`bkmap.analysis.gaps.GapResult`.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from bkmap.analysis.gaps import GapResult
from bkmap.export import GEOMETRY_TYPES, gap_layers
from bkmap.i18n import check_lang, has, t
from bkmap.io.write import (
    OutputSet,
    register_headers,
    write_csv,
    write_geopackage,
    write_text,
    write_workbook,
)
from bkmap.model import illustrative
from bkmap.model.criteria import INDICATORS, OVERALL
from bkmap.render.gapmap import add_gap_layers
from bkmap.render.maps import criterion_map, save_map

__all__ = ["HEADERS", "gap_sheets", "gap_table", "write_gap_outputs"]


#: Header of each output column, in Vietnamese and English.
HEADERS: dict[str, dict[str, str]] = {
    "rank": {"vi": "Thứ tự ưu tiên", "en": "Rank"},
    "code": {"vi": "Mã ĐVHC", "en": "GSO code"},
    "name": {"vi": "Tên đơn vị", "en": "Name"},
    "district": {"vi": "Huyện", "en": "District"},
    "district_code": {"vi": "Mã huyện", "en": "District code"},
    "gap": {"vi": "Còn thiếu", "en": "Gap"},
    "gap_keys": {"vi": "Mã khoảng trống", "en": "Gap keys"},
    "gap_score": {"vi": "Điểm ưu tiên", "en": "Gap score"},
    OVERALL: {"vi": "Tiêu chí 8", "en": "Criterion 8"},
    **{ind.column: {"vi": f"Chỉ tiêu {ind.key}", "en": ind.key} for ind in INDICATORS},
    "population": {"vi": "Dân số (2019)", "en": "Population (2019)"},
    "area_km2": {"vi": "Diện tích (km²)", "en": "Area (km²)"},
    "n_stations": {"vi": "Số đài truyền thanh", "en": "Radio stations"},
    "n_stations_working": {"vi": "Số đài đang hoạt động", "en": "Stations working"},
    "covered_area_share": {"vi": "Tỷ lệ diện tích được phủ sóng", "en": "Area covered"},
    "covered_population_share": {"vi": "Tỷ lệ dân số được phủ sóng", "en": "Population covered"},
    "population_basis": {"vi": "Cách tính dân số", "en": "Population basis"},
    "uncovered_population": {"vi": "Dân số chưa được phủ sóng", "en": "Population not covered"},
    "n_villages": {"vi": "Số thôn", "en": "Villages"},
    "n_villages_covered": {"vi": "Số thôn có sóng", "en": "Villages covered"},
    "covered_village_share": {"vi": "Tỷ lệ thôn có sóng", "en": "Share of villages covered"},
    "n_postal": {"vi": "Số điểm bưu chính", "en": "Postal points"},
    "postal_distance_km": {
        "vi": "Khoảng cách từ trung tâm xã đến điểm bưu chính gần nhất (km)",
        "en": "Centre to nearest postal point (km)",
    },
    "postal_max_village_km": {
        "vi": "Khoảng cách xa nhất từ thôn đến điểm bưu chính (km)",
        "en": "Farthest village to nearest postal point (km)",
    },
    "row_type": {"vi": "Loại dòng", "en": "Row type"},
    "n_units": {"vi": "Số đơn vị", "en": "Units"},
    "n_xa": {"vi": "Số xã (chương trình NTM)", "en": "Xã in the programme"},
    **{
        f"{ind.column}_met": {"vi": f"Số xã đạt {ind.key}", "en": f"{ind.key} met"}
        for ind in INDICATORS
    },
    "c8_met": {"vi": "Số xã đạt tiêu chí 8", "en": "Criterion 8 met"},
    "c8_not_met": {"vi": "Số xã chưa đạt tiêu chí 8", "en": "Criterion 8 not met"},
    "c8_conflicting": {
        "vi": "Số xã có nguồn mâu thuẫn về tiêu chí 8",
        "en": "Criterion 8: sources conflict",
    },
    "c8_unknown": {"vi": "Số xã chưa rõ tiêu chí 8", "en": "Criterion 8 unknown"},
    "n_gaps": {"vi": "Số xã còn thiếu", "en": "Communes with gaps"},
    "n_xa_no_station": {"vi": "Số xã không có đài", "en": "Xã without a station"},
    "n_villages_uncovered": {"vi": "Số thôn chưa có sóng", "en": "Villages not covered"},
    "kind": {"vi": "Loại", "en": "Kind"},
    "detail": {"vi": "Chi tiết", "en": "Detail"},
    "file": {"vi": "Tệp", "en": "File"},
    "row": {"vi": "Dòng", "en": "Row"},
    "reason": {"vi": "Lý do", "en": "Reason"},
    "n_rows": {"vi": "Số dòng", "en": "Rows"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "covered": {"vi": "Có sóng", "en": "Covered"},
    "postal_km": {"vi": "Đến điểm bưu chính gần nhất (km)", "en": "To nearest postal point (km)"},
    illustrative.COLUMN: {"vi": "Minh họa", "en": "Illustrative"},
}

register_headers(HEADERS)

_SHARES = ("covered_area_share", "covered_population_share", "covered_village_share")


def gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """The ranked gap list as a plain table (no geometry), shares rounded to 4 decimals."""
    table = pd.DataFrame(gaps.drop(columns="geometry", errors="ignore")).copy()
    for col in (*_SHARES, "postal_distance_km", "postal_max_village_km", "area_km2"):
        if col in table:
            table[col] = table[col].astype(float).round(4)
    if "uncovered_population" in table:
        table["uncovered_population"] = table["uncovered_population"].astype(float).round(0)
    return table


def gap_sheets(result: GapResult, *, lang: str | None = None) -> dict[str, pd.DataFrame]:
    """The sheets of the gap workbook, with headers in ``lang`` (Vietnamese by default).

    ``gaps`` (the ranked list) and the district summary always; then the
    conflicts, the uncovered villages and the dropped input rows when there are any.
    Made from illustrative data, the workbook opens on a sheet that says so, and
    the gap list gets an "illustrative" column.
    """
    lang = check_lang(lang)

    def head(frame: pd.DataFrame) -> pd.DataFrame:
        # The key columns (gap_keys, a conflict's kind) are for programs: gaps.csv and
        # conflicts.csv keep them; the workbook shows the same in words (gap, detail).
        frame = pd.DataFrame(frame.drop(columns=["geometry", "gap_keys"], errors="ignore"))
        if "row_type" in frame:
            frame["row_type"] = frame["row_type"].map(lambda v: t(v, lang) if has(v) else v)
        return frame.rename(columns={c: HEADERS[c][lang] for c in frame.columns if c in HEADERS})

    vi = lang == "vi"
    sheets: dict[str, pd.DataFrame] = {}
    if result.illustrative:
        # First, so the workbook opens on it.
        sheets["minh_hoa" if vi else "illustrative"] = pd.DataFrame(
            {illustrative.mark(HEADERS["note"][lang], lang): [illustrative.banner(lang)]}
        )
    sheets |= {
        ("khoang_trong" if vi else "gaps"): head(
            illustrative.marked(gap_table(result.gaps), result.illustrative)
        ),
        ("tong_hop_huyen" if vi else "district_summary"): head(result.districts),
    }
    if len(result.conflicts):
        conflicts = result.conflicts.drop(columns="kind", errors="ignore")
        sheets["mau_thuan" if vi else "conflicts"] = head(conflicts)
    if len(result.uncovered_villages):
        villages = result.uncovered_villages
        keep = [c for c in ("code", "name", "population", "postal_km") if c in villages]
        frame = pd.DataFrame(villages[keep]).rename(columns={"code": "commune_code"})
        points = villages.geometry
        frame["lon"] = points.x.round(6).to_numpy()
        frame["lat"] = points.y.round(6).to_numpy()
        sheets["thon_chua_co_song" if vi else "uncovered_villages"] = head(frame)
    if len(result.dropped):
        sheets["dong_bi_loai" if vi else "dropped_rows"] = head(_dropped_sheet(result.dropped, vi))
    return sheets


#: Dropped rows listed one by one in the workbook; past this, it counts them by reason.
WORKBOOK_DROPPED_ROWS = 10_000


def _dropped_sheet(dropped: pd.DataFrame, vi: bool) -> pd.DataFrame:
    """Return the workbook's dropped-rows sheet: every row, or counts when there are many.

    A national cell file leaves out hundreds of thousands of rows, more than a
    sheet should hold; ``dropped_rows.csv`` always lists every one of them.
    """
    if len(dropped) <= WORKBOOK_DROPPED_ROWS:
        return dropped
    keys = [c for c in ("file", "kind", "reason") if c in dropped]
    counts = dropped.groupby(keys, sort=True).size().rename("n_rows").reset_index()
    note = (
        f"{len(dropped):,} dòng bị loại, đếm theo lý do; danh sách đầy đủ ở dropped_rows.csv"
        if vi
        else f"{len(dropped):,} rows left out, counted by reason; dropped_rows.csv lists each one"
    )
    counts.insert(0, "note", [note] + [""] * (len(counts) - 1))
    return counts


def write_gap_outputs(
    result: GapResult,
    folder: Path | OutputSet,
    *,
    lang: str,
    tiles: str | None = None,
) -> list[Path]:
    """Write every output of ``bkmap gaps`` into ``folder`` as one set, and return the paths.

    The files are written as one :class:`~bkmap.io.write.OutputSet`: all of them or
    none, and the files of an earlier run that this one does not write
    (``conflicts.csv`` when there are no conflicts any more) are removed. Give an
    open ``OutputSet`` to write into it instead (the caller commits it; the paths
    returned are then those the set will write).
    """

    if result.assessment is None:
        msg = "write_gap_outputs: the gap result carries no assessment; make it with find_gaps."
        raise ValueError(msg)
    if not isinstance(folder, OutputSet):
        with OutputSet(folder) as outputs:
            _write_gap_files(result, outputs, lang=lang, tiles=tiles)
        return outputs.written
    return _write_gap_files(result, folder, lang=lang, tiles=tiles)


def _write_gap_files(
    result: GapResult, outputs: OutputSet, *, lang: str, tiles: str | None
) -> list[Path]:
    assert result.assessment is not None
    table = illustrative.marked(gap_table(result.gaps), result.illustrative)
    write_csv(table, outputs.path("gaps.csv"))
    geo = gpd.GeoDataFrame(table, geometry=result.gaps.geometry.to_numpy(), crs=result.gaps.crs)
    write_text(
        outputs.path("gaps.geojson"), geo.to_json(drop_id=True, ensure_ascii=False, na="null")
    )
    write_geopackage(gap_layers(result), outputs.path("gaps.gpkg"), geometry_types=GEOMETRY_TYPES)
    write_workbook(gap_sheets(result, lang=lang), outputs.path("gaps.xlsx"), lang=lang)
    fmap = criterion_map(
        result.assessment,
        lang=lang,
        tiles=tiles,
        inline=False,
        illustrative_data=result.illustrative or None,
    )
    add_gap_layers(fmap, result, lang=lang)
    save_map(fmap, outputs.path("gaps_map.html"))
    names = ["gaps.csv", "gaps.geojson", "gaps.gpkg", "gaps.xlsx", "gaps_map.html"]
    if len(result.conflicts):
        write_csv(result.conflicts, outputs.path("conflicts.csv"))
        names.append("conflicts.csv")
    if len(result.dropped):
        write_csv(result.dropped, outputs.path("dropped_rows.csv"))
        names.append("dropped_rows.csv")
    assert outputs.folder is not None
    return [outputs.folder / n for n in names]
