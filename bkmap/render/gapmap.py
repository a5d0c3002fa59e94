"""Map layers of the gap analysis, added to the criterion-8 choropleth.

:func:`add_gap_layers` adds to a map from :func:`bkmap.render.maps.criterion_map`
(drawn with ``inline=False``) four switchable layers: the covered area, the
communes with a gap, the radio stations (circle markers with popups) and the
villages that no coverage reaches; then it inlines Leaflet so the page works
offline.

User text (station, village and commune names) never becomes HTML: popups and
tooltips are built with ``textContent`` in the page, and no folium ``Popup``
(which needs jQuery and writes its content into a JavaScript template
literal) is used.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Figure
from folium.template import Template

from bkmap import settings
from bkmap.analysis.gaps import GapResult
from bkmap.i18n import check_lang, format_date, format_int, format_percent, register, t
from bkmap.model import illustrative
from bkmap.render import palette
from bkmap.render.assets import inline_assets
from bkmap.render.htmlsafe import RawElement, inert_frame, page_html, page_text, script_json
from bkmap.render.maps import TEXT_TABLE_JS, SafeTooltip

log = logging.getLogger(__name__)

__all__ = ["GAP_COLORS", "SafePopup", "add_gap_layers"]

#: Colours of the gap layers: the same dict as :data:`bkmap.render.palette.GAP_COLORS`.
GAP_COLORS: dict[str, str] = palette.GAP_COLORS

_LABELS = {
    "layer_covered": {"vi": "Vùng phủ sóng", "en": "Covered area"},
    "layer_gaps": {"vi": "Xã còn thiếu (khoảng trống)", "en": "Communes with gaps"},
    "layer_stations": {"vi": "Đài truyền thanh xã", "en": "Commune radio stations"},
    "layer_uncovered_villages": {"vi": "Thôn chưa có sóng", "en": "Villages not covered"},
    "layer_stations_later": {
        "vi": "Đài xây sau ngày {date} (không tính)",
        "en": "Stations built after {date} (not counted)",
    },
    "gap": {"vi": "Còn thiếu", "en": "Gap"},
    "rank": {"vi": "Thứ tự ưu tiên", "en": "Rank"},
    "covered_area_share": {"vi": "Tỷ lệ diện tích được phủ sóng", "en": "Area covered"},
    "covered_population_share": {"vi": "Tỷ lệ dân số được phủ sóng", "en": "Population covered"},
    "covered_village_share": {"vi": "Tỷ lệ thôn có sóng", "en": "Villages covered"},
    "n_stations": {"vi": "Số đài truyền thanh", "en": "Radio stations"},
    "station": {"vi": "Đài truyền thanh", "en": "Radio station"},
    "station_type": {"vi": "Loại đài", "en": "Type"},
    "year": {"vi": "Năm", "en": "Year"},
    "working": {"vi": "Hoạt động", "en": "Working"},
    "yes": {"vi": "có", "en": "yes"},
    "no": {"vi": "không", "en": "no"},
    "village": {"vi": "Thôn", "en": "Village"},
    "wired": {"vi": "có dây", "en": "wired"},
    "wireless_fm": {"vi": "không dây (FM)", "en": "wireless FM"},
    "ip": {"vi": "ứng dụng CNTT-VT (IP)", "en": "IP/ICT-based"},
    "gap_legend_title": {"vi": "Phân tích khoảng trống", "en": "Gap analysis"},
    "station_state_working": {"vi": "đang hoạt động", "en": "working"},
    "station_state_not_working": {"vi": "không hoạt động", "en": "not working"},
    "station_state_unknown": {"vi": "không rõ tình trạng", "en": "state unknown"},
}
register(_LABELS)


class SafePopup(folium.GeoJsonPopup):
    """A GeoJSON popup that writes every value as text, never as HTML (see :class:`SafeTooltip`)."""

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    {{ this._parent.get_name() }}.bindPopup("""
        + TEXT_TABLE_JS
        + """, {{ this.popup_options | tojavascript }});
    {% endmacro %}
    """
    )

    def __init__(self, fields: Sequence[str], aliases: Sequence[str] | None = None, **kwargs: Any):
        super().__init__(
            list(fields), aliases=list(aliases) if aliases is not None else None, **kwargs
        )
        self.fields_json = script_json(list(self.fields))
        self.aliases_json = script_json([str(a) for a in self.aliases])


def _text(values: pd.Series) -> np.ndarray:
    return values.map(lambda v: "" if v is None or v is pd.NA or v != v else str(v)).to_numpy()


def _percent(values: pd.Series, lang: str) -> np.ndarray:
    return values.map(
        lambda v: "" if v is None or v is pd.NA or v != v else format_percent(float(v), lang)
    ).to_numpy()


def _layer_name(key: str, lang: str, made_up: bool, **fields: object) -> str:
    """A layer's name in the layer control and legend; marked when made from illustrative data."""
    return illustrative.mark(t(key, lang, **fields), lang, when=made_up)


#: Stations built after the map's date: hollow, so they never read as standing.
_LATER_STYLE: dict[str, str] = {
    "color": palette.MARKER_STROKE,
    "fillColor": palette.GAP_COLORS["station_later"],
    "dashArray": "2 2",
}


def _display(geoms: gpd.GeoSeries, tolerance_m: float) -> gpd.GeoSeries:
    metric = geoms.to_crs(settings.metric_crs)
    simple = shapely.simplify(metric.to_numpy(), tolerance_m, preserve_topology=True)
    return gpd.GeoSeries(simple, crs=settings.metric_crs).to_crs(settings.geographic_crs)


def add_gap_layers(
    fmap: folium.Map,
    result: GapResult,
    *,
    lang: str | None = None,
    inline: bool = True,
) -> folium.Map:
    """Add the gap layers of ``result`` to ``fmap`` and return it.

    Parameters
    ----------
    fmap
        A map from :func:`bkmap.render.maps.criterion_map` drawn with ``inline=False``.
    result
        The output of :func:`bkmap.analysis.gaps.find_gaps`.
    lang
        ``"vi"`` (default) or ``"en"``.
    inline
        Inline Leaflet afterwards (:func:`bkmap.render.assets.inline_assets`) so the
        page works offline (default).
    """
    lang = check_lang(lang)
    # The layer control must come after every layer in the page's script, or it
    # refers to layers not yet defined: take it out and put it back at the end.
    controls = [
        (name, child)
        for name, child in list(fmap._children.items())
        if isinstance(child, folium.LayerControl)
    ]
    for name, _child in controls:
        del fmap._children[name]
    # A national layer's codes are its own ids, not GSO codes: say so in every popup.
    layer_ids = result.assessment is not None and result.assessment.code_kind == "layer"
    code_label = t("code_layer" if layer_ids else "code", lang)
    made_up = result.illustrative
    _add_covered(fmap, result, lang)
    _add_gaps(fmap, result, lang, code_label)
    if result.stations is not None and len(result.stations):
        _add_stations(fmap, result.stations, lang, code_label, made_up=made_up)
    if result.later_stations is not None and len(result.later_stations):
        _add_stations(
            fmap, result.later_stations, lang, code_label, made_up=made_up, later=result.on
        )
    if len(result.uncovered_villages):
        _add_villages(fmap, result.uncovered_villages, lang, code_label, made_up=made_up)
    root = fmap.get_root()
    if isinstance(root, Figure):
        root.html.add_child(RawElement(page_html(_legend(result, lang))))
    for name, child in controls or [("", folium.LayerControl(collapsed=False))]:
        fmap.add_child(child, name=name or None)
    if inline:
        inline_assets(fmap)
    return fmap


def _add_covered(fmap: folium.Map, result: GapResult, lang: str) -> None:
    covered = result.covered_area
    if covered is None or len(covered) == 0:
        return
    geoms = _display(covered.geometry, 20.0)
    frame = gpd.GeoDataFrame(
        {"code": covered["code"].to_numpy()}, geometry=geoms.to_numpy(), crs=4326
    )
    folium.GeoJson(
        inert_frame(frame),
        name=page_text(_layer_name("layer_covered", lang, result.illustrative)),
        show=True,
        style_function=lambda _f: {
            "fillColor": GAP_COLORS["covered"],
            "color": GAP_COLORS["covered"],
            "weight": 0.5,
            "fillOpacity": palette.GAP_FILL_OPACITY,
        },
        interactive=False,
    ).add_to(fmap)


def _add_gaps(fmap: folium.Map, result: GapResult, lang: str, code_label: str) -> None:
    gaps = result.gaps
    if len(gaps) == 0:
        return
    frame = gpd.GeoDataFrame(
        {
            "rank": gaps["rank"].astype(str).to_numpy(),
            "name": _text(gaps["name"]),
            "code": _text(gaps["code"]),
            "district": _text(gaps["district"]),
            "gap": _text(gaps["gap"]),
            "n_stations": _text(gaps["n_stations"]),
            "area": _percent(gaps["covered_area_share"], lang),
            "population": _percent(gaps["covered_population_share"], lang),
            "villages": _percent(gaps["covered_village_share"], lang),
        },
        geometry=_display(gaps.geometry, 30.0).to_numpy(),
        crs=settings.geographic_crs,
    )
    fields = [
        "name",
        "code",
        "district",
        "rank",
        "gap",
        "n_stations",
        "area",
        "population",
        "villages",
    ]
    aliases = [
        t("name", lang),
        code_label,
        t("district", lang),
        t("rank", lang),
        t("gap", lang),
        t("n_stations", lang),
        t("covered_area_share", lang),
        t("covered_population_share", lang),
        t("covered_village_share", lang),
    ]
    folium.GeoJson(
        inert_frame(frame),
        name=page_text(_layer_name("layer_gaps", lang, result.illustrative)),
        show=True,
        style_function=lambda _f: {
            "fillColor": GAP_COLORS["gap"],
            "color": GAP_COLORS["gap"],
            "weight": 2.5,
            "fillOpacity": 0.15,
            "dashArray": "6 4",
        },
        highlight_function=lambda _f: {"weight": 4, "color": "#000000"},
        tooltip=SafeTooltip(fields=fields, aliases=aliases, sticky=True),
    ).add_to(fmap)


def _add_stations(
    fmap: folium.Map,
    stations: gpd.GeoDataFrame,
    lang: str,
    code_label: str,
    *,
    made_up: bool = False,
    later: str | None = None,
) -> None:
    """Station markers; ``later``: the date they were built after (drawn hollow, apart)."""
    empty = pd.Series("", index=stations.index)
    working = (
        stations["working"].astype("boolean")
        if "working" in stations
        else pd.Series(pd.NA, index=stations.index, dtype="boolean")
    )
    # A station built after the date has no state on that date: it is drawn as "later".
    state = np.full(len(stations), "later", dtype=object) if later else _station_states(stations)
    said = np.where(
        working.isna(),
        t("unknown", lang),
        np.where(working.fillna(False), t("yes", lang), t("no", lang)),
    )
    types = stations.get("type", empty).fillna("").astype(str)
    frame = gpd.GeoDataFrame(
        {
            # The page says "illustrative" in its own language (the station label below).
            "name": [illustrative.unmarked(n) for n in _text(stations.get("name", empty))],
            "code": _text(stations["code"]),
            "type": types.map(
                lambda v: t(v, lang) if v in ("wired", "wireless_fm", "ip") else v
            ).to_numpy(),
            "year": _text(stations.get("year", empty)),
            "working": said,
            "state": state,
        },
        geometry=stations.to_crs(settings.geographic_crs).geometry.to_numpy(),
        crs=settings.geographic_crs,
    )
    fields = ["name", "code", "type", "year", "working"]
    station = illustrative.mark(t("station", lang), lang, when=made_up)
    name = (
        _layer_name("layer_stations_later", lang, made_up, date=format_date(later, lang))
        if later
        else _layer_name("layer_stations", lang, made_up)
    )
    aliases = [
        station,
        code_label,
        t("station_type", lang),
        t("year", lang),
        t("working", lang),
    ]
    folium.GeoJson(
        inert_frame(frame),
        name=page_text(name),
        show=True,
        marker=folium.CircleMarker(radius=7, weight=2, fill=True, fill_opacity=0.9),
        style_function=(lambda _f: dict(_LATER_STYLE))
        if later
        else lambda f: {
            "color": palette.MARKER_STROKE,
            "fillColor": GAP_COLORS[f"station_{f['properties']['state']}"],
        },
        popup=SafePopup(fields=fields, aliases=aliases),
        tooltip=SafeTooltip(fields=["name"], aliases=[station]),
    ).add_to(fmap)


def _add_villages(
    fmap: folium.Map,
    villages: gpd.GeoDataFrame,
    lang: str,
    code_label: str,
    *,
    made_up: bool = False,
) -> None:
    frame = gpd.GeoDataFrame(
        {
            "name": _text(villages.get("name", pd.Series("", index=villages.index))),
            "code": _text(villages["code"]),
            "population": villages["population"]
            .map(lambda v: "" if v != v or v is None else format_int(float(v), lang))
            .to_numpy(),
        },
        geometry=villages.to_crs(settings.geographic_crs).geometry.to_numpy(),
        crs=settings.geographic_crs,
    )
    folium.GeoJson(
        inert_frame(frame),
        name=page_text(_layer_name("layer_uncovered_villages", lang, made_up)),
        show=True,
        marker=folium.CircleMarker(radius=4, weight=1, fill=True, fill_opacity=0.9),
        style_function=lambda _f: {
            "color": palette.MARKER_STROKE,
            "fillColor": GAP_COLORS["village"],
        },
        popup=SafePopup(
            fields=["name", "code", "population"],
            aliases=[t("village", lang), code_label, t("population", lang)],
        ),
        tooltip=SafeTooltip(fields=["name"], aliases=[t("village", lang)]),
    ).add_to(fmap)


def _rgba(colour: str, opacity: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{opacity:g})"


def _station_states(stations: gpd.GeoDataFrame) -> np.ndarray:
    """``working``, ``not_working`` or ``unknown`` for each station (its marker colour)."""
    working = (
        stations["working"].astype("boolean")
        if "working" in stations
        else pd.Series(pd.NA, index=stations.index, dtype="boolean")
    )
    return np.where(
        working.isna(), "unknown", np.where(working.fillna(False), "working", "not_working")
    )


def _legend(result: GapResult, lang: str) -> str:
    esc = page_text  # the one escape of page text (bkmap.render.htmlsafe)
    # Each swatch is styled as its layer is drawn (colour, opacity, outline, shape),
    # so the legend shows what the map shows.
    covered = GAP_COLORS["covered"]
    made_up = result.illustrative
    rows = []
    if result.covered_area is not None and len(result.covered_area):
        rows.append(
            (
                "covered",
                f"background:{_rgba(covered, palette.GAP_FILL_OPACITY)};border:1px solid {covered}",
                _layer_name("layer_covered", lang, made_up),
                len(result.covered_area),
            )
        )
    rows.append(
        (
            "gap",
            f"background:{_rgba(GAP_COLORS['gap'], 0.15)};border:2px dashed {GAP_COLORS['gap']}",
            _layer_name("layer_gaps", lang, made_up),
            len(result.gaps),
        )
    )
    if result.stations is not None and len(result.stations):
        states = pd.Series(_station_states(result.stations))
        for state in ("working", "not_working", "unknown"):
            n = int(states.eq(state).sum())
            if n:
                label = f"{t('layer_stations', lang)}: {t(f'station_state_{state}', lang)}"
                rows.append(
                    (
                        f"station_{state}",
                        f"background:{GAP_COLORS[f'station_{state}']};border-radius:50%;"
                        f"border:2px solid {palette.MARKER_STROKE}",
                        illustrative.mark(label, lang, when=made_up),
                        n,
                    )
                )
    if result.later_stations is not None and len(result.later_stations):
        date = format_date(result.on, lang)
        rows.append(
            (
                "station_later",
                f"background:{_LATER_STYLE['fillColor']};border-radius:50%;"
                f"border:2px dashed {_LATER_STYLE['color']}",
                _layer_name("layer_stations_later", lang, made_up, date=date),
                len(result.later_stations),
            )
        )
    if len(result.uncovered_villages):
        rows.append(
            (
                "village",
                f"background:{GAP_COLORS['village']};border-radius:50%;"
                f"border:1px solid {palette.MARKER_STROKE}",
                _layer_name("layer_uncovered_villages", lang, made_up),
                len(result.uncovered_villages),
            )
        )
    body = "".join(
        f'<tr><td><i data-gap-key="{esc(key)}" style="{style}"></i>'
        f'{esc(label)}</td><td class="bkmap-n" data-gap-layer="{i}">{n}</td></tr>'
        for i, (key, style, label, n) in enumerate(rows)
    )
    return (
        '<div class="bkmap-legend bkmap-panel" id="bkmap-gap-legend">'
        f'<button type="button" class="bkmap-toggle">{esc(_layer_name("gap_legend_title", lang, made_up))}</button>'
        '<div class="bkmap-body">'
        f"<table><thead><tr><th style='text-align:left'>{esc(_layer_name('gap_legend_title', lang, made_up))}</th><th></th></tr></thead>"
        f"<tbody>{body}</tbody></table></div></div>"
    )
