"""Printable criterion-8 maps (PNG or PDF) drawn with matplotlib.

:func:`print_map` draws the overall result of criterion 8 on A4 or A3 paper,
for reports that are printed for meetings: the communes coloured by class,
district and province borders, district and commune names, a legend with the
number of units in each class, a scale bar, a north arrow, a title with the
period, and a line naming the sources and the date of the data.

Drawing happens in VN-2000 / UTM 48N (EPSG:3405), so the axes are in metres
and the scale bar is true. Text is set in DejaVu Sans, which ships with
matplotlib and has every Vietnamese diacritic. Only matplotlib's object API
is used (no ``pyplot``), so nothing depends on, or changes, a global backend.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
from pyproj import Transformer

from bkmap import settings
from bkmap._errors import ValidationError
from bkmap._text import escape_control
from bkmap._version import __version__
from bkmap.i18n import check_lang, format_date, format_int, register, t
from bkmap.i18n import msg as _msg
from bkmap.io.write import atomic_path
from bkmap.join import Assessment
from bkmap.model.criteria import INDICATORS, OVERALL, VALUES
from bkmap.render.maps import (
    attribution_text,
    class_counts,
    map_published_line,
    map_titles,
)
from bkmap.render.palette import CLASS_COLORS, HATCHES

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

__all__ = ["COMMUNE_FONT_PT", "FONT", "PAPERS", "check_output", "draw_map", "print_map"]

#: Paper sizes in millimetres (short side, long side).
PAPERS: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}

#: Font family of every text on the map; it has all Vietnamese diacritics.
FONT: str = "DejaVu Sans"

#: Size of commune names on A4 (points; larger paper scales it up): the smallest
#: size that stays legible on a photocopy.
COMMUNE_FONT_PT: float = 6.0

_FORMATS = (".png", ".pdf")

LABELS: dict[str, dict[str, str]] = {
    "prt_legend": {"vi": "Tiêu chí 8 (số đơn vị)", "en": "Criterion 8 (units)"},
    "prt_district_border": {"vi": "Ranh giới huyện", "en": "District border"},
    "prt_province_border": {"vi": "Ranh giới tỉnh", "en": "Province border"},
    "prt_north": {"vi": "B", "en": "N"},
    "prt_sources": {
        "vi": "Nguồn: bảng tình trạng {status} (đánh giá đến {as_of}). {credits}. Các nguồn được "
        "trích dẫn: {cited}. Xem bảng nguồn trong báo cáo HTML (bkmap report).",
        "en": "Sources: status table {status} (assessed as of {as_of}). {credits}. Sources cited: "
        "{cited}. See the sources table of the HTML report (bkmap report).",
    },
    "prt_made": {
        "vi": "Lập ngày {date} bằng bkmap {version}. Hệ tọa độ VN-2000 / UTM 48N (EPSG:3405).",
        "en": "Made on {date} with bkmap {version}. Coordinates VN-2000 / UTM 48N (EPSG:3405).",
    },
    "prt_note_unknown": {
        "vi": "«Chưa rõ»: chưa có nguồn công bố nào nêu tên xã; không có nghĩa là chưa đạt.",
        "en": "Unknown: no published source names the commune; it does not mean not met.",
    },
    "prt_names_left_off": {
        "vi": "Tên của {n} trong {total} xã không in được vì chồng lên tên khác; "
        "xem tên đầy đủ trên bản đồ HTML (bkmap map).",
        "en": "{n} of {total} commune names are left off where they would overlap other names; "
        "the HTML map (bkmap map) names every commune.",
    },
}
register(LABELS)


def check_output(path: Path, paper: str, dpi: int) -> None:
    """Reject an output type, paper size or resolution that :func:`print_map` cannot make."""
    if path.suffix.lower() not in _FORMATS:
        msg = _msg("print_bad_type", path=path, suffix=path.suffix)
        raise ValidationError(msg)
    if paper not in PAPERS:
        msg = _msg("print_bad_paper", paper=paper, papers=", ".join(PAPERS))
        raise ValidationError(msg)
    if not 50 <= dpi <= 1200:
        msg = _msg("print_bad_dpi", dpi=dpi)
        raise ValidationError(msg)


def _cited_sources(joined: pd.DataFrame) -> list[str]:
    cited: list[str] = []
    for ind in INDICATORS:
        for value in joined[ind.source_column].fillna("").astype(str):
            for part in value.split(";"):
                part = part.strip()
                if part and part not in cited:
                    cited.append(part)
    return sorted(cited)


def _north_angle(metric_bounds: tuple[float, float, float, float]) -> float:
    """Angle (degrees, counter-clockwise from the grid's up) of true north at the map's centre."""

    minx, miny, maxx, maxy = metric_bounds
    to_geo = Transformer.from_crs(settings.metric_crs, settings.geographic_crs, always_xy=True)
    to_metric = Transformer.from_crs(settings.geographic_crs, settings.metric_crs, always_xy=True)
    lon, lat = to_geo.transform((minx + maxx) / 2, (miny + maxy) / 2)
    x0, y0 = to_metric.transform(lon, lat)
    x1, y1 = to_metric.transform(lon, lat + 0.05)
    return math.degrees(math.atan2(x1 - x0, y1 - y0)) * -1


def print_map(
    assessment: Assessment,
    path: str | os.PathLike[str],
    *,
    paper: str = "A4",
    lang: str | None = None,
    dpi: int = 200,
    province: gpd.GeoDataFrame | None = None,
    period: str | None = None,
    labels: bool = True,
    boundary_source: str | None = None,
) -> Path:
    """Draw the criterion-8 map on paper (see :func:`draw_map`) and write it as PNG or PDF, atomically.

    Parameters
    ----------
    assessment
        Units with status (:func:`bkmap.pipeline.assess`); its outlines are drawn and named.
    path
        ``.png`` or ``.pdf``.
    paper
        ``"A4"`` or ``"A3"``; portrait or landscape to fit the map's shape.
    lang
        ``"vi"`` (default) or ``"en"``.
    dpi
        Resolution of a PNG (PDF text and shapes stay vector).
    province
        The province's outline to draw (none by default; the CLI passes the shipped one).
    period
        Period in the title (default "2016–2020").
    labels
        Write each commune's name (small) as well as the district names.
    boundary_source
        Credit for the boundaries, replacing the assessment's own (its
        ``attributions``: ``boundaries/attribution.csv`` for the shipped layers,
        the file's name for a user's layer).

    Returns
    -------
    Path
        The file written.
    """

    target = Path(path)
    check_output(target, paper, dpi)
    fig = draw_map(
        assessment,
        paper=paper,
        lang=lang,
        dpi=dpi,
        province=province,
        period=period,
        labels=labels,
        boundary_source=boundary_source,
    )
    with mpl_context(), atomic_path(target) as tmp:
        fig.savefig(tmp, format=target.suffix.lower().lstrip("."), dpi=dpi)
    log.info("printed %s (%s, %d dpi)", target, paper, dpi)
    return target


def mpl_context() -> Any:
    """Matplotlib settings of every printed map: DejaVu Sans, and text kept as text in PDF."""
    # Lazy: matplotlib loads only when a map is printed (start-up time of the other commands).
    import matplotlib as mpl

    return mpl.rc_context({"font.family": FONT, "pdf.fonttype": 42, "svg.fonttype": "none"})


def draw_map(
    assessment: Assessment,
    *,
    paper: str = "A4",
    lang: str | None = None,
    dpi: int = 200,
    province: gpd.GeoDataFrame | None = None,
    period: str | None = None,
    labels: bool = True,
    boundary_source: str | None = None,
) -> Figure:
    """Return the printable map as a matplotlib figure (options as in :func:`print_map`)."""
    # Lazy: matplotlib loads only when a map is printed (start-up time of the other commands).
    from matplotlib import patheffects
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib_scalebar.scalebar import ScaleBar

    lang = check_lang(lang)
    check_output(Path("map.png"), paper, dpi)
    joined = assessment.joined
    districts = assessment.outlines
    if joined.empty:
        msg = _msg("print_no_communes")
        raise ValidationError(msg)

    metric = joined.to_crs(settings.metric_crs)
    minx, miny, maxx, maxy = metric.total_bounds
    short, long_ = PAPERS[paper]
    tall = (maxy - miny) >= (maxx - minx)
    width_mm, height_mm = (short, long_) if tall else (long_, short)
    scale = short / 210.0  # font sizes grow with the paper
    if districts is not None and "district" not in districts.columns:
        districts = None  # province name points of a national map: nothing to outline on paper
    counts = class_counts(joined)[OVERALL]
    day = assessment.as_of
    status_name = Path(assessment.status_source or "status").name

    with mpl_context():
        fig = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=dpi)
        margin = 12 / width_mm
        top_band = 24 / height_mm
        bottom_band = 30 / height_mm
        ax = fig.add_axes(
            (margin, bottom_band, 1 - 2 * margin, 1 - top_band - bottom_band),
        )
        ax.set_axis_off()
        ax.set_aspect("equal")

        colours = metric[OVERALL].map(lambda v: CLASS_COLORS.get(v, "#ffffff"))
        metric.plot(ax=ax, color=colours.to_list(), edgecolor="#555555", linewidth=0.25 * scale)
        # The second cue of the classes that call for action, which a photocopy or a
        # colour-blind reader keeps: a hatch over the fill (bkmap.render.palette.HATCHES).
        for value, hatch in HATCHES.items():
            part = metric.loc[metric[OVERALL].eq(value)]
            if len(part):
                part.plot(
                    ax=ax,
                    facecolor="none",
                    edgecolor="none",
                    hatch=hatch["mpl"],
                    hatchcolor=hatch["line"],
                    linewidth=0,
                )
        halo = [patheffects.withStroke(linewidth=2.2 * scale, foreground="white")]
        if districts is not None and len(districts):
            dmetric = districts.to_crs(settings.metric_crs)
            dmetric.boundary.plot(ax=ax, color="#111111", linewidth=1.0 * scale)
        if province is not None and len(province):
            province.to_crs(settings.metric_crs).boundary.plot(
                ax=ax, color="#000000", linewidth=1.8 * scale
            )
        # Names are placed last (see _place_labels), once the legend, scale bar and
        # north arrow they must not cover are drawn: districts first, then communes.
        name_labels: list[tuple[Any, list[tuple[float, float]]]] = []
        if districts is not None and len(districts):
            centres = dmetric.geometry.representative_point()
            size = 7.5 * scale
            for point, name in zip(centres, dmetric["district"], strict=True):
                text = ax.annotate(
                    escape_control(str(name)),
                    (point.x, point.y),
                    xytext=(0, size),
                    textcoords="offset points",
                    ha="center",
                    va="center",
                    fontsize=size,
                    fontweight="bold",
                    color="#000000",
                    parse_math=False,
                    path_effects=halo,
                )
                name_labels.append((text, _offsets(size, first=(0.0, size))))
        commune_labels: list[Any] = []
        if labels:
            points = metric.geometry.representative_point()
            size = COMMUNE_FONT_PT * scale
            # Communes that call for action (hatched) first, even before the district
            # names; then larger communes first: their names have room, and a small
            # commune's name that would cover a neighbour's is the one left off.
            urgent = metric[OVERALL].isin(list(HATCHES)).rename("urgent")
            area = metric.geometry.area.rename("area")
            order = (
                pd.concat([urgent, area], axis=1)
                .sort_values(["urgent", "area"], ascending=False)
                .index
            )
            n_urgent = 0
            for key in order:
                point = points.loc[key]
                text = ax.annotate(
                    escape_control(_short_name(str(metric.at[key, "name"]))),
                    (point.x, point.y),
                    xytext=(0, 0),
                    textcoords="offset points",
                    ha="center",
                    va="center",
                    fontsize=size,
                    color="#1a1a1a",
                    parse_math=False,  # a name is text: "$...$" in data is not mathtext
                    path_effects=[
                        patheffects.withStroke(linewidth=1.2 * scale, foreground="white")
                    ],
                )
                commune_labels.append(text)
                if urgent.loc[key]:
                    name_labels.insert(n_urgent, (text, _offsets(size)))
                    n_urgent += 1
                else:
                    name_labels.append((text, _offsets(size)))
        pad_x = (maxx - minx) * 0.02
        pad_y = (maxy - miny) * 0.02
        ax.set_xlim(minx - pad_x, maxx + pad_x)
        ax.set_ylim(miny - pad_y, maxy + pad_y)

        handles: list[Patch | Line2D] = [
            Patch(
                facecolor=CLASS_COLORS[value],
                edgecolor="#555555",
                hatch=HATCHES[value]["mpl"] if value in HATCHES else None,
                hatchcolor=HATCHES[value]["line"] if value in HATCHES else "#555555",
                label=f"{t(value, lang)}: {format_int(int(counts[value]), lang)}",
            )
            for value in VALUES
        ]
        if districts is not None and len(districts):
            handles.append(
                Line2D(
                    [], [], color="#111111", lw=1.0 * scale, label=t("prt_district_border", lang)
                )
            )
        if province is not None and len(province):
            handles.append(
                Line2D(
                    [], [], color="#000000", lw=1.8 * scale, label=t("prt_province_border", lang)
                )
            )
        ax.legend(
            handles=handles,
            title=t("prt_legend", lang),
            loc="lower left",
            fontsize=7 * scale,
            title_fontsize=7.5 * scale,
            frameon=True,
            framealpha=0.92,
            borderpad=0.7,
        )
        ax.add_artist(
            ScaleBar(
                1.0,
                "m",
                location="lower right",
                length_fraction=0.22,
                font_properties={"family": FONT, "size": 7 * scale},
                box_alpha=0.8,
                scale_loc="top",
            )
        )
        _north_arrow(ax, _north_angle((minx, miny, maxx, maxy)), t("prt_north", lang), scale)
        dropped = _place_labels(fig, ax, name_labels, scale=scale)
        left_off = sum(1 for text in dropped if text in commune_labels)
        if left_off:
            log.info("%d of %d commune names left off the print", left_off, len(commune_labels))

        heading, sub = map_titles(assessment, lang=lang, period=period)
        # Titles and the footer hold text from data (an area's name, file names, sources):
        # never parsed as mathtext, where "$" in a name would stop the print, and control
        # characters (no font has them) are written as \xNN, as on the console.
        fig.text(
            0.5,
            1 - 9 / height_mm,
            escape_control(heading),
            ha="center",
            va="center",
            fontsize=11 * scale,
            parse_math=False,
        )
        fig.text(
            0.5,
            1 - 16 / height_mm,
            escape_control(sub),
            ha="center",
            va="center",
            fontsize=8 * scale,
            color="#333",
            parse_math=False,
        )
        cited = ", ".join(_cited_sources(joined)) or "-"
        credits = [boundary_source] if boundary_source else attribution_text(assessment, lang=lang)
        source_line = t(
            "prt_sources",
            lang,
            status=status_name,
            as_of=format_date(day, lang) if day else "-",
            credits="; ".join(credits) or "-",
            cited=cited,
        )
        made = t("prt_made", lang, date=format_date(dt.date.today(), lang), version=__version__)
        chars = int(width_mm * 0.7 / scale)
        published = map_published_line(assessment, lang=lang)
        footer = "\n".join(
            [
                t("prt_note_unknown", lang),
                *(
                    [t("prt_names_left_off", lang, n=left_off, total=len(commune_labels))]
                    if left_off
                    else []
                ),
                *([published] if published else []),
                *textwrap.wrap(source_line, chars),
                made,
            ]
        )
        fig.text(
            margin,
            bottom_band - 4 / height_mm,
            escape_control(footer),
            ha="left",
            va="top",
            fontsize=6 * scale,
            color="#222",
            linespacing=1.35,
            parse_math=False,
        )
    return fig


def _offsets(size: float, *, first: tuple[float, float] = (0.0, 0.0)) -> list[tuple[float, float]]:
    """Where a label may go, in points from its anchor: ``first``, then a step to each side."""
    dx, dy = 1.6 * size, 1.1 * size
    x0, y0 = first
    steps = [
        (0, 0),
        (0, dy),
        (0, -dy),
        (dx, 0),
        (-dx, 0),
        (dx, dy),
        (-dx, dy),
        (dx, -dy),
        (-dx, -dy),
    ]
    return [(x0 + x, y0 + y) for x, y in steps]


def _place_labels(
    fig: Figure, ax: Any, labels: list[tuple[Any, list[tuple[float, float]]]], *, scale: float
) -> list[Any]:
    """Move each label to its first free position, in order, or take it off; return those taken off.

    A greedy placement: a label's box (measured by matplotlib's own renderer,
    padded by its white halo) may not meet a label already placed, the legend,
    the scale bar or the north arrow, and must stay inside the map frame.
    """
    # Lazy, as in draw_map: matplotlib loads only when a map is printed.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    renderer = FigureCanvasAgg(fig).get_renderer()
    frame = ax.get_window_extent(renderer)
    pad = 1.0 * scale * fig.dpi / 72  # the halo around each name
    taken: list[Bbox] = []
    legend = ax.get_legend()
    if legend is not None:
        taken.append(legend.get_window_extent(renderer))
    # The scale bar (lower right) reports no extent of its own: reserve its corner.
    bar_w = 0.22 * frame.width + 24 * scale * fig.dpi / 72
    bar_h = 30 * scale * fig.dpi / 72
    taken.append(Bbox.from_extents(frame.x1 - bar_w, frame.y0, frame.x1, frame.y0 + bar_h))
    for artist in ax.texts:
        if artist not in {text for text, _ in labels}:
            taken.append(artist.get_window_extent(renderer))  # the north arrow and its letter
    dropped = []
    for text, offsets in labels:
        for offset in offsets:
            text.xyann = offset
            box = text.get_window_extent(renderer).padded(pad)
            inside = (
                frame.x0 <= box.x0
                and box.x1 <= frame.x1
                and frame.y0 <= box.y0
                and box.y1 <= frame.y1
            )
            if inside and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                break
        else:
            text.remove()
            dropped.append(text)
    return dropped


def _short_name(name: str) -> str:
    for prefix, short in (("Xã ", ""), ("Phường ", "P. "), ("Thị trấn ", "TT. ")):
        if name.startswith(prefix):
            return short + name[len(prefix) :]
    return name


def _north_arrow(ax: object, angle: float, letter: str, scale: float) -> None:
    """Draw a north arrow in the upper right corner, turned ``angle`` degrees to true north."""

    x, y, length = 0.94, 0.86, 0.07
    rad = math.radians(angle)
    dx, dy = -math.sin(rad) * length, math.cos(rad) * length
    ax.annotate(  # type: ignore[attr-defined]
        "",
        xy=(x + dx / 2, y + dy / 2),
        xytext=(x - dx / 2, y - dy / 2),
        xycoords="axes fraction",
        arrowprops={
            "arrowstyle": "-|>,head_width=0.45,head_length=0.9",
            "lw": 2.0 * scale,
            "color": "#000000",
        },
    )
    ax.text(  # type: ignore[attr-defined]
        x + dx * 0.75,
        y + dy * 0.75,
        letter,
        transform=ax.transAxes,  # type: ignore[attr-defined]
        ha="center",
        va="bottom",
        fontsize=10 * scale,
        fontweight="bold",
    )
