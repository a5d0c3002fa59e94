"""Choropleth maps of criterion 8, drawn with folium.

:func:`criterion_map` draws a joined frame (see :func:`bkmap.join.join_status`)
as a Leaflet map: the overall result, one switchable layer per indicator,
district outlines and names, a tooltip per commune, a legend with counts, and
a title with the period and the date of the data.

User text (commune names, notes, sources) never becomes HTML: tooltips are
built with ``textContent`` in the page, and the legend, title and labels are
escaped in Python.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element
from folium.template import Template

from bkmap import settings
from bkmap.criteria import INDICATORS, OVERALL, VALUES
from bkmap.i18n import check_lang, format_date, t

log = logging.getLogger(__name__)

__all__ = ["COLORS", "SafeTooltip", "class_counts", "criterion_map", "save_map"]

#: Fill colour of each class. ``unknown`` is a visible grey of its own.
COLORS: dict[str, str] = {
    "met": "#1a9641",
    "not_met": "#d7191c",
    "unknown": "#8c8c8c",
    "not_applicable": "#e6e0f0",
}

#: Name of the GeoJSON property that holds each layer's class.
_CLASS_PROP = {OVERALL: "k_c8", **{ind.column: f"k_{ind.column}" for ind in INDICATORS}}


class SafeTooltip(folium.GeoJsonTooltip):
    """A GeoJSON tooltip that writes every value as text, never as HTML.

    folium's own tooltip sets ``innerHTML`` from the feature's properties, so
    a commune name holding ``<img onerror=...>`` would run. This one builds the
    table with ``textContent``.
    """

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    {{ this._parent.get_name() }}.bindTooltip(function(layer){
        const fields = {{ this.fields | tojson }};
        const aliases = {{ this.aliases | tojson }};
        const props = layer.feature.properties;
        const table = document.createElement('table');
        table.className = 'bkmap-tooltip';
        fields.forEach(function(f, i){
            const v = props[f];
            if (v === null || v === undefined || v === '') { return; }
            const tr = document.createElement('tr');
            const th = document.createElement('th');
            th.textContent = aliases[i];
            const td = document.createElement('td');
            td.textContent = String(v);
            tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
        });
        return table;
    }, {{ this.tooltip_options | tojavascript }});
    {% endmacro %}
    """
    )


def class_counts(joined: pd.DataFrame) -> pd.DataFrame:
    """Count the units in each class, for the overall result and each indicator.

    Returns a frame indexed by class (:data:`bkmap.criteria.VALUES`) with one
    column per layer (``c8``, ``c8_1`` ... ``c8_4``).
    """
    columns = [OVERALL] + [ind.column for ind in INDICATORS]
    counts = {c: joined[c].value_counts().reindex(list(VALUES), fill_value=0) for c in columns}
    return pd.DataFrame(counts).astype(int)


def _label(value: str, lang: str) -> str:
    return t(value, lang) if value in VALUES else value


def _source_text(joined: pd.DataFrame, sources: pd.DataFrame | None, lang: str) -> pd.Series:
    titles: dict[str, str] = {}
    if sources is not None:
        for _, src in sources.iterrows():
            date = format_date(src["date"], lang) if src["date"] else ""
            where = src["host"] or src["title"][:60]
            titles[src["source_id"]] = f"{src['source_id']} {where} {date}".strip()
    titles["no_row"] = t("no_row", lang)

    def describe(row: pd.Series) -> str:
        seen: list[str] = []
        for ind in INDICATORS:
            value = str(row[ind.source_column] or "")
            if value and value not in seen:
                seen.append(value)
        return "; ".join(titles.get(s, s) for s in seen)

    return joined.apply(describe, axis=1)


def _display_frame(
    joined: gpd.GeoDataFrame,
    *,
    lang: str,
    sources: pd.DataFrame | None,
    simplify: bool,
) -> gpd.GeoDataFrame:
    """Keep only what the map draws: classes, tooltip text and display geometry."""
    from bkmap.simplify import display_geometry

    props: dict[str, object] = {
        "code": joined["code"].to_numpy(),
        "name": joined["name"].to_numpy(),
        "district": joined["district"].fillna("").to_numpy(),
    }
    props[_CLASS_PROP[OVERALL]] = joined[OVERALL].to_numpy()
    props["t_c8"] = joined[OVERALL].map(lambda v: _label(v, lang)).to_numpy()
    for ind in INDICATORS:
        props[_CLASS_PROP[ind.column]] = joined[ind.column].to_numpy()
        conf = joined[ind.confidence_column].fillna("")
        label = joined[ind.column].map(lambda v: _label(v, lang))
        suffix = conf.map(lambda c: f" ({t(c, lang)})" if c in ("stated", "inferred") else "")
        props[f"t_{ind.column}"] = (label + suffix).to_numpy()
    props["source"] = _source_text(joined, sources, lang).to_numpy()
    props["note"] = joined["note"].fillna("").astype(str).to_numpy() if "note" in joined else ""
    for extra in ("lineage",):
        if extra in joined.columns:
            props[extra] = joined[extra].fillna("").astype(str).to_numpy()
    geometry = display_geometry(joined, simplify=simplify)
    return gpd.GeoDataFrame(props, geometry=geometry, crs=joined.crs).to_crs(
        settings.geographic_crs
    )


def _style(prop: str):
    def style(feature: dict) -> dict:
        value = feature["properties"][prop]
        return {
            "fillColor": COLORS.get(value, "#ffffff"),
            "color": "#555555",
            "weight": 0.6,
            "fillOpacity": 0.8,
        }

    return style


def _highlight(_feature: dict) -> dict:
    return {"weight": 2.5, "color": "#000000"}


def _tooltip_fields(lang: str, frame: gpd.GeoDataFrame) -> tuple[list[str], list[str]]:
    fields = ["name", "code", "district", "t_c8"]
    aliases = [t("name", lang), t("code", lang), t("district", lang), t("overall", lang)]
    for ind in INDICATORS:
        fields.append(f"t_{ind.column}")
        aliases.append(ind.key)
    fields += ["source", "note"]
    aliases += [t("source", lang), t("note", lang)]
    if "lineage" in frame.columns:
        fields.append("lineage")
        aliases.append("2019")
    return fields, aliases


def _legend_html(counts: pd.DataFrame, lang: str) -> str:
    esc = html.escape
    header = "".join(
        f"<th>{esc(h)}</th>" for h in [t("legend_title", lang), "", *(i.key for i in INDICATORS)]
    )
    rows = []
    for value in VALUES:
        cells = "".join(
            f'<td class="bkmap-n" data-layer="{esc(col)}" data-class="{esc(value)}">{counts.at[value, col]}</td>'
            for col in counts.columns
        )
        swatch = f'<i style="background:{COLORS[value]}"></i>'
        rows.append(f'<tr><td class="bkmap-swatch">{swatch}{esc(t(value, lang))}</td>{cells}</tr>')
    total = "".join(f"<td>{counts[c].sum()}</td>" for c in counts.columns)
    total_label = "Tổng" if lang == "vi" else "Total"
    return (
        '<div class="bkmap-legend" id="bkmap-legend"><table>'
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}"
        f"<tr class='bkmap-total'><td>{esc(total_label)}</td>{total}</tr></tbody></table></div>"
    )


_CSS = """
<style>
.bkmap-title{position:fixed;top:10px;left:60px;max-width:calc(100% - 480px);z-index:1000;background:rgba(255,255,255,.92);
 padding:6px 10px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:15px/1.3 "Noto Sans",Arial,sans-serif}
.bkmap-title small{display:block;font-size:12px;color:#444}
.bkmap-legend{position:fixed;bottom:48px;left:10px;z-index:1000;background:rgba(255,255,255,.94);padding:6px 8px;
 border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.3 "Noto Sans",Arial,sans-serif}
.bkmap-legend th{font-weight:600;padding:0 4px;text-align:right}
.bkmap-legend td{padding:0 4px;text-align:right}
.bkmap-legend td.bkmap-swatch{text-align:left;white-space:nowrap}
.bkmap-legend i{display:inline-block;width:14px;height:12px;margin-right:5px;vertical-align:middle;border:1px solid #777}
.bkmap-legend .bkmap-total td{border-top:1px solid #999;font-weight:600}
.bkmap-district-label{font:600 12px "Noto Sans",Arial,sans-serif;color:#222;text-shadow:0 0 3px #fff,0 0 3px #fff;
 white-space:nowrap;text-align:center}
table.bkmap-tooltip th{text-align:left;padding-right:6px;font-weight:600;vertical-align:top}
table.bkmap-tooltip td{max-width:320px;white-space:normal}
</style>
"""


def criterion_map(
    joined: gpd.GeoDataFrame,
    *,
    lang: str | None = None,
    districts: gpd.GeoDataFrame | None = None,
    sources: pd.DataFrame | None = None,
    as_of: str | None = None,
    period: str | None = None,
    title: str | None = None,
    tiles: str | None = "OpenStreetMap",
    simplify: bool = True,
    indicator_layers: Sequence[str] | None = None,
    inline: bool = True,
) -> folium.Map:
    """Draw the criterion-8 choropleth of a joined frame.

    Parameters
    ----------
    joined
        Communes with status, from :func:`bkmap.join.join_status`.
    lang
        ``"vi"`` (default) or ``"en"``.
    districts
        District polygons to outline and name; none by default.
    sources
        The sources table (:func:`bkmap.status.load_sources`), to name sources in tooltips.
    as_of
        Date of the data, shown in the title.
    period
        Period shown in the title (default "2016–2020").
    title
        Replace the whole title line.
    tiles
        A folium tile name, or ``None`` for no basemap.
    simplify
        Simplify shapes for display with shared edges kept (never for analysis).
    indicator_layers
        Indicator columns to add as layers (default: all four).
    inline
        Put Leaflet inside the page so the map works offline (default). With
        ``False`` the page links folium's CDN copies instead.

    Returns
    -------
    folium.Map
        Save it with :func:`save_map`.
    """
    lang = check_lang(lang)
    counts = class_counts(joined)
    frame = _display_frame(joined, lang=lang, sources=sources, simplify=simplify)
    minx, miny, maxx, maxy = frame.total_bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        tiles=tiles,
        zoom_control=True,
        control_scale=True,
    )
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    fields, aliases = _tooltip_fields(lang, frame)

    layers = [(OVERALL, t("layer_overall", lang), True)]
    wanted = indicator_layers if indicator_layers is not None else [i.column for i in INDICATORS]
    for ind in INDICATORS:
        if ind.column in wanted:
            label = ind.label_vi if lang == "vi" else ind.label_en
            layers.append(
                (ind.column, t("layer_indicator", lang, number=ind.key, label=label), False)
            )
    for column, name, show in layers:
        folium.GeoJson(
            frame,
            name=name,
            show=show,
            overlay=True,
            style_function=_style(_CLASS_PROP[column]),
            highlight_function=_highlight,
            tooltip=SafeTooltip(fields=fields, aliases=aliases, sticky=True),
            smooth_factor=0.5,
        ).add_to(fmap)

    if districts is not None and len(districts):
        _add_districts(fmap, districts, lang)

    version = joined.attrs.get("version", "")
    day = as_of or joined.attrs.get("as_of") or settings.default_as_of
    heading = title or t("title", lang, period=period or t("period_2016_2020", lang))
    sub = t("subtitle", lang, as_of=format_date(day, lang), version=version or "-")
    fmap.get_root().header.add_child(Element(_CSS))
    fmap.get_root().html.add_child(
        Element(
            f'<div class="bkmap-title" id="bkmap-title">{html.escape(heading)}'
            f"<small>{html.escape(sub)}</small></div>"
        )
    )
    fmap.get_root().html.add_child(Element(_legend_html(counts, lang)))
    folium.LayerControl(collapsed=False).add_to(fmap)
    if inline:
        from bkmap.assets import inline_assets

        inline_assets(fmap)
    return fmap


def _add_districts(fmap: folium.Map, districts: gpd.GeoDataFrame, lang: str) -> None:
    group = folium.FeatureGroup(name=t("districts", lang), show=True)
    from bkmap.simplify import display_geometry

    outline = gpd.GeoDataFrame(
        {"district": districts["district"].to_numpy()},
        geometry=display_geometry(districts, tolerance_m=30.0).to_numpy(),
        crs=settings.geographic_crs,
    )
    folium.GeoJson(
        outline,
        style_function=lambda _f: {"fill": False, "color": "#222222", "weight": 2.2},
        interactive=False,
    ).add_to(group)
    points = (
        outline.to_crs(settings.metric_crs).representative_point().to_crs(settings.geographic_crs)
    )
    for name, point in zip(outline["district"], points, strict=True):
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f'<div class="bkmap-district-label">{html.escape(str(name))}</div>',
                icon_size=(160, 18),
                icon_anchor=(80, 9),
                class_name="bkmap-district",
            ),
            interactive=False,
        ).add_to(group)
    group.add_to(fmap)


def save_map(fmap: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write a map as one HTML file, atomically, and return its path."""
    from bkmap.io import write_text

    return write_text(path, fmap.get_root().render())
