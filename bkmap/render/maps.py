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

import json
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Figure, MacroElement
from folium.template import Template

from bkmap import settings
from bkmap.analysis.reconcile import published_line
from bkmap.geo.simplify import ZOOM_HEADROOM, decimals_for_zoom, display_geometry, target_zoom
from bkmap.i18n import check_lang, format_date, register, t
from bkmap.io.write import write_text
from bkmap.join import Assessment
from bkmap.model import illustrative
from bkmap.model.criteria import INDICATORS, OVERALL, VALUES
from bkmap.model.names import fold, name_key
from bkmap.notes import Note
from bkmap.render.assets import inline_assets
from bkmap.render.htmlsafe import (
    RawElement,
    page_code,
    page_html,
    page_text,
    render_page,
    script_json,
)
from bkmap.render.palette import CLASS_COLORS, HATCHES, class_fill, svg_pattern_defs, swatch_html

log = logging.getLogger(__name__)

__all__ = [
    "CANVAS_MIN_FEATURES",
    "COLORS",
    "LABEL_MIN_ZOOM",
    "MAX_LABELS",
    "SHAPES_JS",
    "TEXT_TABLE_JS",
    "SafeTooltip",
    "attribution_text",
    "class_counts",
    "commune_points",
    "criterion_map",
    "decode_shapes",
    "describe_sources",
    "encode_shapes",
    "map_published_line",
    "map_titles",
    "page_blocks",
    "page_features",
    "save_map",
    "source_labels",
]

#: Fill colour of each class: the same dict as :data:`bkmap.render.palette.CLASS_COLORS`.
COLORS: dict[str, str] = CLASS_COLORS

#: Name of the GeoJSON property that holds each layer's class.
_CLASS_PROP = {OVERALL: "k_c8", **{ind.column: f"k_{ind.column}" for ind in INDICATORS}}


#: A JavaScript function of a Leaflet layer that returns its feature's fields as
#: a table built with ``textContent`` (never ``innerHTML``). Used by the tooltips
#: here and the popups of :mod:`bkmap.render.gapmap`.
TEXT_TABLE_JS = """function(layer){
        const fields = {{ this.fields_json }};
        const aliases = {{ this.aliases_json }};
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
    }"""


class SafeTooltip(folium.GeoJsonTooltip):
    """A GeoJSON tooltip that writes every value as text, never as HTML.

    folium's own tooltip sets ``innerHTML`` from the feature's properties, so
    a commune name holding ``<img onerror=...>`` would run. This one builds the
    table with ``textContent``. Field names and aliases are written with
    :func:`bkmap.render.htmlsafe.script_json`.
    """

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    {{ this._parent.get_name() }}.bindTooltip("""
        + TEXT_TABLE_JS
        + """, {{ this.tooltip_options | tojavascript }});
    {% endmacro %}
    """
    )

    def __init__(self, fields: Sequence[str], aliases: Sequence[str] | None = None, **kwargs: Any):
        super().__init__(
            list(fields), aliases=list(aliases) if aliases is not None else None, **kwargs
        )
        self.fields_json = script_json(list(self.fields))
        self.aliases_json = script_json([str(a) for a in self.aliases])


def class_counts(joined: pd.DataFrame) -> pd.DataFrame:
    """Count the units in each class, for the overall result and each indicator.

    Returns a frame indexed by class (:data:`bkmap.model.criteria.VALUES`) with one
    column per layer (``c8``, ``c8_1`` ... ``c8_4``).
    """
    columns = [OVERALL] + [ind.column for ind in INDICATORS]
    counts = {c: joined[c].value_counts().reindex(list(VALUES), fill_value=0) for c in columns}
    return pd.DataFrame(counts).astype(int)


def _label(value: str, lang: str) -> str:
    return t(value, lang) if value in VALUES else value


def source_labels(sources: pd.DataFrame | None, lang: str, *, host: bool = True) -> dict[str, str]:
    """Each source id with its date, for tooltips and tables: ``S23 pacnam.backan.gov.vn 08/11/2018``.

    The date is the source's publication date; a source that shows none is
    called undated, with the date its facts refer to. A copy on a host
    unrelated to the publisher says so. ``host=False`` leaves the site out
    (tables that list the sources elsewhere).
    """
    labels: dict[str, str] = {"no_row": t("no_row", lang)}
    if sources is None:
        return labels
    for _, src in sources.iterrows():
        if src.get("published"):
            date = format_date(src["published"], lang)
        else:
            refers = str(src.get("evidence_date", "") or "")
            date = t("src_undated", lang, refers=refers) if refers else t("src_no_date", lang)
        where = (src.get("host") or str(src.get("title", ""))[:60]) if host else ""
        text = " ".join(p for p in (src["source_id"], where, date) if p)
        if src.get("quality") == "copy_unrelated_host":
            text += ", " + t("src_copy", lang)
        labels[src["source_id"]] = text
    return labels


def describe_sources(cell: object, labels: dict[str, str]) -> str:
    """Name every source of a cell (ids separated by ``;``) with its date, once each, in order."""
    seen: list[str] = []
    for part in str(cell or "").split(";"):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return "; ".join(labels.get(s, s) for s in seen)


def _source_text(joined: pd.DataFrame, sources: pd.DataFrame | None, lang: str) -> pd.Series:
    titles = source_labels(sources, lang)

    def describe(values: tuple[str, ...]) -> str:
        return describe_sources(";".join(values), titles)

    # Few distinct combinations of sources: describe each once (fast on 11,000 communes).
    columns = [joined[ind.source_column].fillna("").astype(str) for ind in INDICATORS]
    combos = pd.Series(list(zip(*columns, strict=True)), index=joined.index)
    described = {combo: describe(combo) for combo in set(combos)}
    return combos.map(described)


def _display_frame(
    joined: gpd.GeoDataFrame,
    *,
    lang: str,
    sources: pd.DataFrame | None,
    simplify: bool,
    zoom: int | None = None,
    notes: list[Note] | None = None,
    source: str = "map",
) -> gpd.GeoDataFrame:
    """Keep only what the map draws: classes, tooltip text and display geometry."""

    labels = {v: _label(v, lang) for v in VALUES}
    props: dict[str, object] = {
        "code": joined["code"].astype(str).to_numpy(),
        "name": joined["name"].astype(str).to_numpy(),
        "district": joined["district"].fillna("").astype(str).to_numpy(),
    }
    if "province" in joined.columns and joined["province"].nunique() > 1:
        props["province"] = joined["province"].fillna("").astype(str).to_numpy()
    props[_CLASS_PROP[OVERALL]] = joined[OVERALL].to_numpy()
    props["t_c8"] = joined[OVERALL].map(lambda v: labels.get(v, v)).to_numpy()
    confidences = {c: f" ({t(c, lang)})" for c in ("stated", "inferred")}
    for ind in INDICATORS:
        props[_CLASS_PROP[ind.column]] = joined[ind.column].to_numpy()
        conf = joined[ind.confidence_column].fillna("")
        label = joined[ind.column].map(lambda v: labels.get(v, v))
        suffix = conf.map(lambda c: confidences.get(c, ""))
        props[f"t_{ind.column}"] = (label + suffix).to_numpy()
    props["source"] = _source_text(joined, sources, lang).to_numpy()
    note = (
        joined["note"].fillna("").astype(str) if "note" in joined else pd.Series("", joined.index)
    )
    if lang == "en" and "note_en" in joined:
        # The shipped notes are Vietnamese with an English twin; a user's note has none.
        english = joined["note_en"].fillna("").astype(str)
        note = english.where(english.ne(""), note)
    props["note"] = note.to_numpy()
    for extra in ("lineage",):
        if extra in joined.columns:
            props[extra] = joined[extra].fillna("").astype(str).to_numpy()
    geometry = display_geometry(joined, simplify=simplify, zoom=zoom, notes=notes, source=source)
    return gpd.GeoDataFrame(props, geometry=geometry.to_numpy(), crs=settings.geographic_crs)


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
    if "province" in frame.columns:
        fields.insert(3, "province")
        aliases.insert(3, t("province", lang))
    for ind in INDICATORS:
        fields.append(f"t_{ind.column}")
        aliases.append(ind.key)
    fields += ["source", "note"]
    aliases += [t("source", lang), t("note", lang)]
    if "lineage" in frame.columns:
        fields.append("lineage")
        aliases.append(t("lineage", lang))
    return fields, aliases


def _legend_html(counts: pd.DataFrame, lang: str, *, made_up: bool = False) -> str:
    esc = page_text  # the one escape of page text (bkmap.render.htmlsafe)
    title = illustrative.mark(t("legend_title", lang), lang, when=made_up)
    header = "".join(f"<th>{esc(h)}</th>" for h in [title, "", *(i.key for i in INDICATORS)])
    rows = []
    for value in VALUES:
        cells = "".join(
            f'<td class="bkmap-n" data-layer="{esc(col)}" data-class="{esc(value)}">{counts.at[value, col]}</td>'
            for col in counts.columns
        )
        swatch = swatch_html(value)
        rows.append(f'<tr><td class="bkmap-swatch">{swatch}{esc(t(value, lang))}</td>{cells}</tr>')
    total = "".join(f"<td>{counts[c].sum()}</td>" for c in counts.columns)
    total_label = "Tổng" if lang == "vi" else "Total"
    return (
        '<div class="bkmap-legend bkmap-panel" id="bkmap-legend">'
        f'<button type="button" class="bkmap-toggle">{esc(title)}</button>'
        '<div class="bkmap-body"><table>'
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}"
        f"<tr class='bkmap-total'><td>{esc(total_label)}</td>{total}</tr></tbody></table></div></div>"
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
.bkmap-title small.bkmap-published{color:#222;font-weight:600}
.leaflet-control-attribution.bkmap-attribution{max-width:min(640px,60vw);white-space:normal;font-size:11px;
 line-height:1.3;background:rgba(255,255,255,.88);padding:2px 6px;color:#222}
table.bkmap-tooltip th{text-align:left;padding-right:6px;font-weight:600;vertical-align:top}
table.bkmap-tooltip td{min-width:220px;max-width:420px;white-space:normal}
.bkmap-legend.bkmap-docked{position:static;margin-bottom:6px}
.bkmap-panel .bkmap-toggle{display:block;border:0;background:none;padding:0 0 2px;font:600 12px "Noto Sans",Arial,sans-serif;
 cursor:pointer;color:#111;text-align:left}
.bkmap-panel .bkmap-toggle::after{content:" \\25BE"}
.bkmap-panel.bkmap-flip .bkmap-body{display:none}
.bkmap-commune-label{font:11px "Noto Sans",Arial,sans-serif;color:#111;white-space:nowrap;
 text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff;display:inline-block;transform:translate(-50%,-50%);pointer-events:none}
.bkmap-commune{background:none;border:none}
.bkmap-search{background:rgba(255,255,255,.96);padding:4px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);
 font:13px "Noto Sans",Arial,sans-serif;max-width:300px}
.bkmap-search .bkmap-toggle{display:none}
.bkmap-search input{width:230px;font:13px "Noto Sans",Arial,sans-serif;padding:3px 5px;box-sizing:border-box}
.bkmap-search ul{list-style:none;margin:2px 0 0;padding:0;max-height:40vh;overflow:auto}
.bkmap-search li button{display:block;width:100%;text-align:left;border:0;background:none;padding:3px 4px;
 font:13px "Noto Sans",Arial,sans-serif;cursor:pointer}
.bkmap-search li button:hover,.bkmap-search li button:focus{background:#e8eef6}
.bkmap-search .bkmap-none{padding:3px 4px;color:#555}
.bkmap-panel.bkmap-docked{max-height:45vh;overflow:auto}
.bkmap-offline{background:#fff8d6;padding:3px 8px;border-radius:3px;font:12px "Noto Sans",Arial,sans-serif}
@media (max-width:600px){
 .bkmap-title{left:54px;right:60px;max-width:none;font-size:13px;padding:4px 6px;cursor:pointer}
 .bkmap-title small{display:none}
 .bkmap-title.bkmap-flip small{display:block}
 .bkmap-panel .bkmap-body{display:none}
 .bkmap-panel.bkmap-flip .bkmap-body{display:block}
 .bkmap-search .bkmap-toggle{display:block;width:30px;height:30px;font-size:0;background:no-repeat center/22px
  url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Ccircle cx='10' cy='10' r='6.5' fill='none' stroke='%23333' stroke-width='2.5'/%3E%3Cpath d='M15 15l6 6' stroke='%23333' stroke-width='3'/%3E%3C/svg%3E")}
 .bkmap-search .bkmap-toggle::after{content:none}
 .bkmap-search input{width:min(230px,70vw)}
 .leaflet-control-layers-expanded:not(.bkmap-flip) .leaflet-control-layers-list{display:none}
 .leaflet-control-layers-expanded:not(.bkmap-flip){padding:0}
 .leaflet-control-layers-expanded:not(.bkmap-flip) .leaflet-control-layers-toggle{display:block}
 .leaflet-control-layers.bkmap-flip{max-height:60vh;max-width:calc(100vw - 80px);overflow:auto}
 .leaflet-control-attribution.bkmap-attribution{font-size:10px;max-width:60vw}
}
</style>
"""


#: Above this many communes the map draws on one canvas instead of one SVG path per
#: commune (Leaflet's ``preferCanvas``): SVG slows down past a few thousand shapes.
CANVAS_MIN_FEATURES: int = 2000

#: Stroke of commune borders: province maps, and canvas maps of many communes.
_BORDER = {"color": "#555555", "weight": 0.6, "opacity": 1.0}
_BORDER_DENSE = {"color": "#555555", "weight": 0.25, "opacity": 0.6}

_LABELS = {
    "title_area": {
        "vi": "{area}: tiêu chí số 8 (Thông tin và Truyền thông), giai đoạn {period}",
        "en": "{area}: criterion 8 (information and communications), {period}",
    },
    "area_all": {"vi": "Việt Nam", "en": "Vietnam"},
    "code_layer": {"vi": "Mã trong lớp ranh giới", "en": "Id in the boundary layer"},
    "province_names": {"vi": "Tên tỉnh", "en": "Province names"},
    "subtitle_nodata": {
        "vi": "Chưa có số liệu đánh giá · ranh giới {version}",
        "en": "No assessment data · {version} boundaries",
    },
    "subtitle_undated": {
        "vi": "Bảng số liệu không ghi ngày đánh giá · ranh giới {version}",
        "en": "The status table gives no assessment date · {version} boundaries",
    },
    "src_undated": {"vi": "không ghi ngày (nói về {refers})", "en": "undated (refers to {refers})"},
    "src_no_date": {"vi": "không ghi ngày", "en": "undated"},
    "src_copy": {"vi": "bản sao trên trang không liên quan", "en": "a copy on an unrelated host"},
    "offline_tiles": {
        "vi": "Không tải được bản đồ nền (không có mạng); bản đồ vẫn dùng được.",
        "en": "The basemap could not be loaded (no network); the map still works.",
    },
    "search_label": {"vi": "Tìm xã theo tên hoặc mã", "en": "Find a commune by name or code"},
    "search_placeholder": {"vi": "Tìm xã: tên hoặc mã", "en": "Find a commune: name or code"},
    "search_none": {"vi": "Không tìm thấy xã nào", "en": "No commune found"},
    "fullscreen": {"vi": "Toàn màn hình", "en": "Full screen"},
    "fullscreen_exit": {"vi": "Thoát toàn màn hình", "en": "Exit full screen"},
}
register(_LABELS)

#: Commune names appear from this zoom level on (at 11 a commune is a few
#: centimetres across on a screen, enough for its name).
LABEL_MIN_ZOOM: int = 11

#: Above this many communes no names are written: a whole country's names would
#: weigh more than the map, and would never be read at the zooms that show them all.
MAX_LABELS: int = 3_000

#: The search box zooms to a commune up to this level (names shown, see LABEL_MIN_ZOOM).
_SEARCH_MAX_ZOOM: int = 12

#: The shape decoder of every page that draws communes (the maps, and the planner's page):
#: ``bkmapShapes(d)`` turns the payload of :func:`encode_shapes` into Leaflet's nested arrays
#: of rings, one per commune. A function declaration, so a page may carry it twice.
SHAPES_JS = r"""
function bkmapShapes(d){
  const s = d.c, sc = d.s; let pos = 0, x = 0, y = 0;
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const lut = new Int8Array(128);
  for (let i = 0; i < 64; i++) { lut[A.charCodeAt(i)] = i; }
  function next(){
    let r = 0, m = 1, b;
    do { b = lut[s.charCodeAt(pos++)]; r += (b & 31) * m; m *= 32; } while (b >= 32);
    return (r % 2) ? -(r + 1) / 2 : r / 2;
  }
  const shapes = new Array(d.n); let pi = 0, ri = 0;
  for (let f = 0; f < d.n; f++){
    const np = d.p ? d.p[f] : 1, polys = new Array(np);
    for (let p = 0; p < np; p++){
      const nr = d.r ? d.r[pi] : 1, rings = new Array(nr); pi++;
      for (let r = 0; r < nr; r++){
        const nv = d.v[ri++], ring = new Array(nv);
        for (let k = 0; k < nv; k++){ x += next(); y += next(); ring[k] = L.latLng(y / sc, x / sc); }
        rings[r] = ring;
      }
      polys[p] = rings;
    }
    shapes[f] = polys;
  }
  return shapes;
}
"""

# The page's decoder and layer factory, written once per page (see _CompactData).
# Shapes arrive as one string of delta-encoded, zig-zagged integer coordinates
# (the varint scheme of Google's encoded polylines, 5 bits per printable
# character) with counts of parts, rings and vertices; properties arrive as
# columns, repeated strings as a table of unique values and indexes. Every
# value reaches the page through textContent, never innerHTML.
_RUNTIME_JS = r"""
(function(){
if (window.bkmapDecode) { return; }
window.bkmapDrawn = 0;
window.bkmapDecode = function(d){
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const lut = new Int8Array(128);
  for (let i = 0; i < 64; i++) { lut[A.charCodeAt(i)] = i; }
  d.shapes = bkmapShapes(d);
  function ints(text){
    const out = []; let p = 0;
    while (p < text.length){
      let r = 0, m = 1, b;
      do { b = lut[text.charCodeAt(p++)]; r += (b & 31) * m; m *= 32; } while (b >= 32);
      out.push((r % 2) ? -(r + 1) / 2 : r / 2);
    }
    return out;
  }
  Object.keys(d.cols || {}).forEach(function(f){
    const col = d.cols[f];
    if (!Array.isArray(col) && typeof col.i === 'string') { col.i = ints(col.i); }
  });
  d.get = function(field, i){
    const col = d.cols[field];
    if (col === undefined) { return undefined; }
    return Array.isArray(col) ? col[i] : col.u[col.i[i]];
  };
  d.row = function(i){
    const out = {};
    Object.keys(d.cols).forEach(function(f){ out[f] = d.get(f, i); });
    Object.keys(d.k || {}).forEach(function(f){ out[f] = d.classes[d.k[f].charCodeAt(i) - 48]; });
    return out;
  };
  return d;
};
window.bkmapTooltip = function(d, fields, aliases){
  return function(layer){
    const i = layer.bkmapIndex;
    const table = document.createElement('table');
    table.className = 'bkmap-tooltip';
    fields.forEach(function(f, j){
      const v = d.get(f, i);
      if (v === null || v === undefined || v === '') { return; }
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.textContent = aliases[j];
      const td = document.createElement('td');
      td.textContent = String(v);
      tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
    });
    return table;
  };
};
// A commune's polygon; its GeoJSON-like ``feature`` is built on first use only.
const Commune = L.Polygon.extend({});
Object.defineProperty(Commune.prototype, 'feature', {
  get: function(){ return {type: 'Feature', properties: this.bkmapData.row(this.bkmapIndex)}; }
});
// Hatched classes (bkmap.render.palette.HATCHES): an SVG path takes its class's
// pattern as fill, after Leaflet has set the colour, on every restyle. fillColor
// keeps the class colour (canvas maps and anything that reads the style use it).
if (!L.SVG.prototype.bkmapHatch) {
  const update = L.SVG.prototype._updateStyle;
  L.SVG.include({bkmapHatch: true, _updateStyle: function(layer){
    update.call(this, layer);
    const pattern = layer.options.bkmapPattern;
    if (pattern && layer._path && layer.options.fill) { layer._path.setAttribute('fill', pattern); }
  }});
}
// On a canvas (maps of many communes) the same hatch is a CanvasPattern, swapped in
// for the colour only while Leaflet fills the path.
if (!L.Canvas.prototype.bkmapHatch) {
  const fillStroke = L.Canvas.prototype._fillStroke;
  const patterns = {};
  L.Canvas.include({bkmapHatch: true, _fillStroke: function(ctx, layer){
    const h = layer.options.bkmapHatch;
    if (!h || !layer.options.fill) { return fillStroke.call(this, ctx, layer); }
    const id = h.color + h.line + h.angles.join(',');
    if (!patterns[id]) {
      const n = 7, tile = document.createElement('canvas');
      tile.width = tile.height = n;
      const g = tile.getContext('2d');
      g.fillStyle = h.color; g.fillRect(0, 0, n, n);
      g.strokeStyle = h.line; g.lineWidth = 1.4;
      h.angles.forEach(function(a){
        // one diagonal across the tile and its two corner pieces, so tiles join up
        [-n, 0, n].forEach(function(o){
          g.beginPath();
          if (a > 0) { g.moveTo(o, n); g.lineTo(o + n, 0); } else { g.moveTo(o, 0); g.lineTo(o + n, n); }
          g.stroke();
        });
      });
      patterns[id] = ctx.createPattern(tile, 'repeat');
    }
    const colour = layer.options.fillColor;
    layer.options.fillColor = patterns[id];
    try { fillStroke.call(this, ctx, layer); } finally { layer.options.fillColor = colour; }
  }});
}
window.bkmapLayer = function(d, key, opt){
  const group = L.featureGroup();
  const codes = d.k[key];
  const styles = {};
  let filled = false;
  function style(code){
    if (!styles[code]) {
      const cls = d.classes[code - 48];
      styles[code] = Object.assign({}, opt.border, {
        fillColor: opt.colors[cls] || '#ffffff',
        bkmapPattern: opt.canvas ? null : (opt.patterns || {})[cls] || null,
        bkmapHatch: opt.canvas ? (opt.hatches || {})[cls] || null : null,
        fillOpacity: 0.8, smoothFactor: opt.canvas ? 1.0 : 0.5
      });
    }
    return styles[code];
  }
  function fill(){
    if (filled) { return; }
    filled = true;
    // What FeatureGroup.addLayer does for a group not yet on the map, without firing
    // one 'layeradd' event per commune (a third of a second for 11,000 communes).
    // Leaflet 1.9.4 ships with bkmap (bkmap/static), so its internals are fixed.
    group.bkmapPolys = new Array(d.n);
    for (let i = 0; i < d.n; i++){
      const poly = new Commune(d.shapes[i], style(codes.charCodeAt(i)));
      group.bkmapPolys[i] = poly;
      poly.bkmapIndex = i;
      poly.bkmapData = d;
      poly.addEventParent(group);
      group._layers[L.stamp(poly)] = poly;
    }
  }
  const onAdd = group.onAdd;
  group.onAdd = function(map){
    fill();
    window.bkmapMap = map;
    window.bkmapDrawn += d.n;
    return onAdd.call(this, map);
  };
  const onRemove = group.onRemove;
  group.onRemove = function(map){ window.bkmapDrawn -= d.n; return onRemove.call(this, map); };
  group.on('mouseover', function(e){
    e.layer.setStyle({weight: 2.5, color: '#000000', opacity: 1});
    if (!opt.canvas) { e.layer.bringToFront(); }
  });
  group.on('mouseout', function(e){ e.layer.setStyle(opt.border); });
  group.bindTooltip(window.bkmapTooltip(d, opt.fields, opt.aliases), {sticky: true});
  group.bkmapKey = key;
  group.bkmapFill = fill;
  (d.groups = d.groups || []).push(group);
  return group;
};
window.bkmapOutline = function(d, style){
  const group = L.featureGroup();
  for (let i = 0; i < d.n; i++){
    group.addLayer(L.polygon(d.shapes[i], Object.assign({fill: false, interactive: false}, style)));
  }
  return group;
};
// Fold text as bkmap.model.names.fold does in Python: NFD, combining marks
// removed, đ as d, lower case, spaces collapsed.
window.bkmapFold = function(text){
  return String(text).normalize('NFD').replace(/\p{Mn}/gu, '').replace(/đ/g, 'd')
    .replace(/Đ/g, 'D').toLowerCase().split(/\s+/).filter(Boolean).join(' ');
};
// Move a panel of the page into a corner of the map, as a Leaflet control, so that
// Leaflet stacks it with the other controls there (the scale bar, the credits).
window.bkmapDock = function(map, id, position){
  const el = document.getElementById(id);
  if (!el) { return; }
  const Dock = L.Control.extend({
    options: {position: position},
    onAdd: function(){
      el.classList.add('leaflet-control', 'bkmap-docked');
      L.DomEvent.disableClickPropagation(el);
      L.DomEvent.disableScrollPropagation(el);
      return el;
    }
  });
  new Dock().addTo(map);
};
// Panels fold open and shut: open by default on wide screens, shut on narrow ones
// (the CSS media query decides); a click flips the default. The layer control
// folds the same way on narrow screens.
window.bkmapPanels = function(){
  if (window.bkmapPanelsOn) { return; }
  window.bkmapPanelsOn = true;
  function sync(panel){
    const body = panel.querySelector('.bkmap-body');
    const button = panel.querySelector('.bkmap-toggle');
    if (body && button) {
      button.setAttribute('aria-expanded', getComputedStyle(body).display === 'none' ? 'false' : 'true');
    }
  }
  document.querySelectorAll('.bkmap-panel').forEach(sync);
  document.addEventListener('click', function(e){
    const toggle = e.target.closest ? e.target.closest('.bkmap-toggle') : null;
    if (toggle) {
      const panel = toggle.closest('.bkmap-panel');
      panel.classList.toggle('bkmap-flip');
      sync(panel);
      return;
    }
    const title = e.target.closest ? e.target.closest('.bkmap-title') : null;
    if (title) { title.classList.toggle('bkmap-flip'); return; }
    const layers = e.target.closest ? e.target.closest('.leaflet-control-layers') : null;
    if (layers && e.target.closest('.leaflet-control-layers-toggle')) {
      e.preventDefault();
      layers.classList.toggle('bkmap-flip');
      return;
    }
    if (!layers) {
      document.querySelectorAll('.leaflet-control-layers.bkmap-flip').forEach(function(c){
        c.classList.remove('bkmap-flip');
      });
    }
  }, true);
};
// The search box: a commune by name, with or without diacritics, or by code.
// Results and tooltips are written with textContent only.
window.bkmapSearch = function(map, d, opt){
  const box = L.DomUtil.create('div', 'bkmap-search bkmap-panel');
  box.id = 'bkmap-search';
  const button = L.DomUtil.create('button', 'bkmap-toggle', box);
  button.type = 'button';
  button.title = opt.label;
  button.setAttribute('aria-label', opt.label);
  const body = L.DomUtil.create('div', 'bkmap-body', box);
  const input = L.DomUtil.create('input', '', body);
  input.type = 'search';
  input.placeholder = opt.placeholder;
  input.setAttribute('aria-label', opt.label);
  input.autocomplete = 'off';
  const list = L.DomUtil.create('ul', 'bkmap-results', body);
  const none = L.DomUtil.create('div', 'bkmap-none', body);
  none.textContent = opt.none;
  none.hidden = true;
  let found = [], tip = null, marked = null;
  const shorts = opt.keys.map(function(key, i){ return key.slice(opt.cuts[i]); });
  function find(query){
    const q = window.bkmapFold(query);
    if (!q) { return []; }
    const hits = [];
    for (let i = 0; i < d.n; i++){
      const key = opt.keys[i], code = String(d.get('code', i));
      let rank = -1;
      if (code === q) { rank = 0; }
      else if (key === q || shorts[i] === q) { rank = 1; }
      else if (shorts[i].startsWith(q) || code.startsWith(q)) { rank = 2; }
      else if (key.indexOf(q) >= 0) { rank = 3; }
      if (rank >= 0) { hits.push([rank, i]); }
    }
    hits.sort(function(a, b){ return a[0] - b[0] || opt.keys[a[1]].localeCompare(opt.keys[b[1]]); });
    return hits.slice(0, 12).map(function(h){ return h[1]; });
  }
  function show(){
    found = find(input.value);
    list.replaceChildren();
    found.forEach(function(i){
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      const district = d.get('district', i);
      b.textContent = d.get('name', i) + (district ? ' · ' + district : '') + ' (' + d.get('code', i) + ')';
      b.addEventListener('click', function(){ go(i); });
      li.appendChild(b);
      list.appendChild(li);
    });
    none.hidden = found.length > 0 || !input.value.trim();
  }
  function shown(){
    const groups = d.groups || [];
    for (const g of groups) { if (map.hasLayer(g)) { return g; } }
    return groups[0];
  }
  function go(i){
    const group = shown();
    if (!group) { return; }
    group.bkmapFill();
    const poly = group.bkmapPolys[i];
    if (marked) { marked.setStyle(opt.border); }
    map.fitBounds(poly.getBounds(), {maxZoom: opt.zoom, animate: false});
    if (map.hasLayer(group)) {
      poly.setStyle({weight: 3, color: '#000000', opacity: 1});
      if (!opt.canvas) { poly.bringToFront(); }
      marked = poly;
    }
    if (tip) { map.closeTooltip(tip); }
    const at = opt.points[i] ? L.latLng(opt.points[i][0], opt.points[i][1]) : poly.getBounds().getCenter();
    tip = L.tooltip({direction: 'auto', className: 'bkmap-search-tip', opacity: 0.95})
      .setLatLng(at).setContent(window.bkmapTooltip(d, opt.fields, opt.aliases)({bkmapIndex: i}));
    map.openTooltip(tip);
    list.replaceChildren();
  }
  input.addEventListener('input', show);
  input.addEventListener('keydown', function(e){
    if (e.key === 'Enter') { show(); if (found.length) { go(found[0]); } }
    if (e.key === 'Escape') { input.value = ''; show(); }
  });
  const Search = L.Control.extend({
    options: {position: 'topright'},
    onAdd: function(){
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });
  new Search().addTo(map);
  window.bkmapFind = find;
  window.bkmapGo = go;
  window.bkmapShow = function(code){
    for (let i = 0; i < d.n; i++){ if (String(d.get('code', i)) === code) { go(i); return true; } }
    return false;
  };
};
})();
"""


#: Alphabet of the varint characters: URL-safe base64, no character that JSON,
#: HTML or Jinja would need to escape.
_ALPHABET = np.frombuffer(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", dtype=np.uint8
)


def _varints(values: np.ndarray) -> str:
    """Encode signed integers as zig-zag varints: 5 bits and a continuation bit per character."""
    v = values.astype(np.int64)
    zz = ((v << 1) ^ (v >> 63)).astype(np.uint64)
    counts = np.ones(len(zz), dtype=np.int64)
    rest = zz >> np.uint64(5)
    while rest.any():
        counts += rest > 0
        rest = rest >> np.uint64(5)
    width = int(counts.max()) if len(counts) else 1
    chars = np.zeros((len(zz), width), dtype=np.uint8)
    for k in range(width):
        chunk = ((zz >> np.uint64(5 * k)) & np.uint64(31)).astype(np.uint8)
        more = (k < counts - 1).astype(np.uint8) * 32
        chars[:, k] = _ALPHABET[chunk | more]
    keep = np.arange(width)[None, :] < counts[:, None]
    return chars[keep].tobytes().decode("ascii")


def encode_shapes(geometry: np.ndarray, *, decimals: int) -> dict[str, Any]:
    """Encode polygons compactly for the page (see ``bkmapDecode`` in the page).

    Coordinates are quantised to ``10**-decimals`` degrees, the closing vertex of
    each ring and repeated vertices are dropped, and the stream of coordinate
    differences is written as varints. Returns a JSON-ready dict.
    """
    scale = 10**decimals
    geoms = np.asarray(geometry, dtype=object)
    polys, poly_owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_owner = shapely.get_rings(polys, return_index=True)
    coords, vertex_owner = shapely.get_coordinates(rings, return_index=True)
    q = np.rint(coords * scale).astype(np.int64)
    last = np.r_[vertex_owner[1:] != vertex_owner[:-1], True]
    first = np.r_[True, vertex_owner[1:] != vertex_owner[:-1]]
    same = np.r_[False, (q[1:] == q[:-1]).all(axis=1)] & ~first
    keep = ~last & ~same
    # A ring that rounding collapsed keeps its repeated vertices, so that every ring
    # written has at least 3 and the page (and decode_shapes) can close it.
    short = np.bincount(vertex_owner[keep], minlength=len(rings)) < 3
    keep |= short[vertex_owner] & ~last
    q, vertex_owner = q[keep], vertex_owner[keep]
    flat = q.reshape(-1)
    deltas = np.diff(flat.reshape(-1, 2), axis=0, prepend=np.zeros((1, 2), np.int64)).reshape(-1)
    parts = np.bincount(poly_owner, minlength=len(geoms))
    ring_counts = np.bincount(ring_owner, minlength=len(polys))
    verts = np.bincount(vertex_owner, minlength=len(rings))
    del flat
    return {
        "n": len(geoms),
        "s": scale,
        "p": None if (parts == 1).all() else parts.tolist(),
        "r": None if (ring_counts == 1).all() else ring_counts.tolist(),
        "v": verts.tolist(),
        "c": _varints(deltas),
    }


def _unvarints(text: str) -> list[int]:
    """Decode :func:`_varints` (for tests and tools; the page decodes in JavaScript)."""
    lookup = {int(c): i for i, c in enumerate(_ALPHABET)}
    values: list[int] = []
    acc, mult = 0, 1
    for byte in text.encode("ascii"):
        b = lookup[byte]
        acc += (b & 31) * mult
        mult *= 32
        if b < 32:
            values.append(-(acc + 1) // 2 if acc % 2 else acc // 2)
            acc, mult = 0, 1
    return values


def decode_shapes(data: dict[str, Any]) -> list[shapely.MultiPolygon]:
    """Decode :func:`encode_shapes` back to shapely polygons (for tests and tools)."""
    values = _unvarints(str(data["c"]))
    scale = float(data["s"])
    coords = np.cumsum(np.asarray(values, dtype=np.int64).reshape(-1, 2), axis=0) / scale
    n = int(data["n"])
    parts: list[int] = data["p"] or [1] * n
    ring_counts: list[int] = data["r"] or [1] * sum(parts)
    verts: list[int] = list(data["v"])
    out: list[shapely.MultiPolygon] = []
    pi, ri, at = 0, 0, 0
    for f in range(n):
        polygons = []
        for _ in range(parts[f]):
            rings = []
            for _ in range(ring_counts[pi]):
                ring = coords[at : at + verts[ri]]
                # Closed explicitly and padded to 4 coordinates: a ring that rounding
                # collapsed to one or two points still decodes (as a zero-area ring).
                ring = np.vstack([ring, ring[:1]] + [ring[-1:]] * max(0, 3 - len(ring)))
                rings.append(ring)
                at += verts[ri]
                ri += 1
            pi += 1
            polygons.append(shapely.Polygon(rings[0], rings[1:]))
        out.append(shapely.MultiPolygon(polygons))
    return out


def _column(values: Sequence[object]) -> list[str] | dict[str, object]:
    """A column of strings, as a list or as unique values and indexes when it repeats."""
    items = ["" if v is None else str(v) for v in values]
    codes, uniques = pd.factorize(pd.Series(items, dtype=object), sort=False)
    if len(uniques) * 2 < len(items):
        # Indexes as varints: one character each for up to 16 distinct values.
        return {"u": [str(u) for u in uniques], "i": _varints(codes.astype(np.int64))}
    return items


def _encode_frame(frame: gpd.GeoDataFrame, fields: Sequence[str], decimals: int) -> dict[str, Any]:
    data = encode_shapes(frame.geometry.to_numpy(), decimals=decimals)
    data["cols"] = {f: _column(frame[f].tolist()) for f in fields if f in frame.columns}
    index = {v: str(i) for i, v in enumerate(VALUES)}
    data["classes"] = list(VALUES)
    data["k"] = {
        prop: "".join(frame[prop].map(index).fillna("9").tolist()) for prop in _CLASS_PROP.values()
    }
    return data


_BLOCK = re.compile(r'<script type="application/json" class="bkmap-data"[^>]*>(.*?)</script>', re.S)


def page_blocks(page: str) -> list[dict[str, Any]]:
    """Return the data blocks of a map page (communes, outlines), decoded from JSON."""
    return [json.loads(found) for found in _BLOCK.findall(page)]


def page_features(page: str) -> list[dict[str, object]]:
    """Return the communes embedded in a map page, one dict of properties each.

    For tests and tools: decodes the data blocks that :func:`criterion_map`
    writes (without geometry).
    """
    out: list[dict[str, object]] = []
    for data in page_blocks(page):
        if "cols" not in data:
            continue  # outlines, not communes
        cols = data["cols"]
        for i in range(int(data["n"])):
            row: dict[str, object] = {}
            for field, col in cols.items():
                if not isinstance(col, list) and isinstance(col["i"], str):
                    col["i"] = _unvarints(col["i"])
                row[field] = col[i] if isinstance(col, list) else col["u"][col["i"][i]]
            for prop, codes in data.get("k", {}).items():
                row[prop] = data["classes"][int(codes[i])] if codes[i] != "9" else None
            out.append(row)
    return out


class _CompactData(MacroElement):
    """One data block of a page, decoded once and shared by every layer that draws it."""

    _template = Template(
        """
    {% macro header(this, kwargs) %}
    {% endmacro %}
    {% macro script(this, kwargs) %}
    {% endmacro %}
    """
    )

    def __init__(self, data: dict) -> None:
        super().__init__()
        self._name = "bkmap_data"
        self.blob = script_json(data)

    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        figure = self.get_root()
        if not isinstance(figure, Figure):
            msg = "the map is not inside a branca Figure"
            raise TypeError(msg)
        if "bkmap_runtime" not in figure.header._children:
            figure.header.add_child(
                RawElement(page_code(f"<script>{SHAPES_JS}{_RUNTIME_JS}</script>")),
                name="bkmap_runtime",
            )
        # The data sits in a JSON script element, which the browser does not parse as
        # code: JSON.parse reads it several times faster than a JavaScript literal. Both
        # are added as raw text: branca would compile a megabyte of data as a template.
        name = self.get_name()
        figure.html.add_child(
            RawElement(
                page_html(
                    f'<script type="application/json" class="bkmap-data" id="{name}">{self.blob}</script>'
                )
            ),
            name=name,
        )
        figure.script.add_child(
            RawElement(
                page_code(
                    f"var {name} = bkmapDecode(JSON.parse("
                    f"document.getElementById('{name}').textContent));\n"
                )
            ),
            name=name,
        )


class _CompactLayer(folium.GeoJson):
    """A switchable commune layer drawn from a shared :class:`_CompactData` block.

    It subclasses ``folium.GeoJson`` only so that code which looks for the
    map's GeoJSON layers (to rename them, for instance) finds it; nothing of
    GeoJson's data handling is used.
    """

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    var {{ this.get_name() }} = bkmapLayer({{ this.data_name }}, {{ this.key | tojson }}, {{ this.layer_options }});
    {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
    {% endmacro %}
    """
    )

    def __init__(
        self, data: _CompactData, *, key: str, name: str, show: bool, options: dict
    ) -> None:
        folium.map.Layer.__init__(self, name=page_text(name), overlay=True, control=True, show=show)
        self._name = "bkmap_layer"
        self.data_name = data.get_name()
        self.key = key
        self.layer_options = script_json(options)
        self.embed = False
        self.data = {"type": "FeatureCollection", "features": []}
        self.style = self.highlight = False
        self.tooltip = None

    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        folium.map.Layer.render(self, **kwargs)


class _CompactOutline(MacroElement):
    """Non-interactive outlines (districts) from a shared data block, inside a group."""

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    bkmapOutline({{ this.data_name }}, {{ this.style }}).addTo({{ this._parent.get_name() }});
    {% endmacro %}
    """
    )

    def __init__(self, data: _CompactData, *, style: dict) -> None:
        super().__init__()
        self._name = "bkmap_outline"
        self.data_name = data.get_name()
        self.style = script_json(style)


def criterion_map(
    assessment: Assessment,
    *,
    lang: str | None = None,
    period: str | None = None,
    title: str | None = None,
    tiles: str | None = None,
    simplify: bool = True,
    indicator_layers: Sequence[str] | None = None,
    inline: bool = True,
    illustrative_data: bool | None = None,
    controls: bool = True,
) -> folium.Map:
    """Draw the criterion-8 choropleth of an assessment.

    Parameters
    ----------
    assessment
        Units joined to their status, from :func:`bkmap.pipeline.assess`: its
        outlines are drawn and named, its sources named in tooltips, and its
        assessment date, version and area shown in the title.
    lang
        ``"vi"`` (default) or ``"en"``.
    period
        Period shown in the title (default "2016–2020").
    title
        Replace the whole title line.
    tiles
        A folium tile name (it needs a network), or ``None`` for no basemap (default:
        the page then loads nothing over the network).
    simplify
        Simplify shapes for display with shared edges kept (never for analysis),
        at a tolerance chosen from the area's zoom (see :mod:`bkmap.geo.simplify`).
    indicator_layers
        Indicator columns to add as layers (default: all four).
    inline
        Put Leaflet inside the page so the map works offline (default). With
        ``False`` the page links folium's CDN copies instead.
    illustrative_data
        The page is made from illustrative data (default: whether the assessment
        is): its title, legend and layer names say so (:mod:`bkmap.model.illustrative`).
    controls
        Add the search box, the full-screen button, the commune names (shown
        from :data:`LABEL_MIN_ZOOM`) and the boundary credits. ``False`` for a map
        whose layers are moved onto another map of the same units, which credits
        them (:func:`bkmap.render.comparemap.compare_map`).

    Returns
    -------
    folium.Map
        Save it with :func:`save_map`.

    Notes
    -----
    The communes are written once, compactly (:func:`encode_shapes`: coordinates
    rounded to what the zoom needs and delta-encoded; properties as columns), and
    every layer draws from that one block. Maps of more than
    :data:`CANVAS_MIN_FEATURES` communes draw on a canvas; smaller ones as SVG,
    one interactive shape per commune.
    """

    lang = check_lang(lang)
    made_up = assessment.illustrative if illustrative_data is None else illustrative_data
    joined = assessment.joined
    districts = assessment.outlines
    counts = class_counts(joined)
    minx, miny, maxx, maxy = (float(v) for v in joined.to_crs(settings.geographic_crs).total_bounds)
    bounds = (minx, miny, maxx, maxy)
    zoom = target_zoom(bounds)
    decimals = decimals_for_zoom(zoom)
    # What drawing repaired or degraded reaches the command's notes (see bkmap.jobs.make_map).
    drawing_notes: list[Note] = []
    source = assessment.records[0].source if assessment.records else "map"
    frame = _display_frame(
        joined,
        lang=lang,
        sources=assessment.sources,
        simplify=simplify,
        zoom=zoom,
        notes=drawing_notes,
        source=source,
    )
    canvas = len(frame) > CANVAS_MIN_FEATURES
    minx, miny, maxx, maxy = bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        tiles=tiles,
        zoom_control=True,
        control_scale=True,
        prefer_canvas=canvas,
        # Quarter zoom steps, so that fitting the area fills the frame (whole steps
        # leave a map half the size of its frame).
        zoom_snap=0.25,
    )
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    fields, aliases = _tooltip_fields(lang, frame)
    if assessment.code_kind == "layer":
        aliases[fields.index("code")] = t("code_layer", lang)

    layers = [(OVERALL, t("layer_overall", lang), True)]
    wanted = indicator_layers if indicator_layers is not None else [i.column for i in INDICATORS]
    for ind in INDICATORS:
        if ind.column in wanted:
            label = ind.label_vi if lang == "vi" else ind.label_en
            layers.append(
                (ind.column, t("layer_indicator", lang, number=ind.key, label=label), False)
            )
    data = _CompactData(_encode_frame(frame, fields, decimals))
    data.add_to(fmap)
    options = {
        "fields": fields,
        "aliases": aliases,
        "colors": COLORS,
        "patterns": {value: class_fill(value) for value in HATCHES},
        "hatches": {
            value: {"color": COLORS[value], "line": h["line"], "angles": list(h["angles"])}
            for value, h in HATCHES.items()
        },
        "border": _BORDER_DENSE if canvas else _BORDER,
        "canvas": canvas,
    }
    for column, name, show in layers:
        label = illustrative.mark(name, lang, when=made_up)
        _CompactLayer(data, key=_CLASS_PROP[column], name=label, show=show, options=options).add_to(
            fmap
        )

    if districts is not None and len(districts):
        _add_districts(fmap, districts, lang, zoom=zoom, decimals=decimals)

    heading, sub = map_titles(assessment, lang=lang, period=period, title=title)
    if made_up:
        heading = illustrative.mark(heading, lang)
    published = map_published_line(assessment, lang=lang)
    root = fmap.get_root()
    if not isinstance(root, Figure):  # folium always puts a map in a Figure
        msg = "the map is not inside a branca Figure"
        raise TypeError(msg)
    root.header.add_child(RawElement(page_code(_CSS)))
    root.html.add_child(RawElement(page_html(svg_pattern_defs())))
    root.title = heading
    # Read by bkmap.render.htmlsafe.render_page for <html lang>: branca's Figure has no lang.
    setattr(root, "bkmap_lang", lang)  # noqa: B010
    # The title holds text from data (a province's name, a table's date): escaped,
    # made inert and written raw, so branca's Jinja pass never sees it.
    published_html = (
        f'<small class="bkmap-published">{page_text(published)}</small>' if published else ""
    )
    if made_up:
        published_html += (
            f'<small class="bkmap-illustrative" id="bkmap-illustrative">'
            f"{page_text(illustrative.banner(lang))}</small>"
        )
    root.html.add_child(
        RawElement(
            page_html(
                f'<div class="bkmap-title" id="bkmap-title">{page_text(heading)}'
                f"<small>{page_text(sub)}</small>{published_html}</div>"
            )
        )
    )
    if assessment.attributions and controls:
        _Attribution(attribution_text(assessment, lang=lang)).add_to(fmap)
    root.html.add_child(RawElement(page_html(_legend_html(counts, lang, made_up=made_up))))
    if controls:
        _Fullscreen(
            position="topleft",
            title=t("fullscreen", lang),
            title_cancel=t("fullscreen_exit", lang),
        ).add_to(fmap)
        points = commune_points(joined)
        if len(joined) <= MAX_LABELS:
            labels = [
                (p[0], p[1], _short_name(str(n)))
                for p, n in zip(points, joined["name"], strict=True)
                if p is not None
            ]
            _CommuneLabels(labels, min_zoom=LABEL_MIN_ZOOM).add_to(fmap)
        _Search(data, frame, points, options=options, lang=lang).add_to(fmap)
        _PageSetup().add_to(fmap)
    if tiles is not None:
        _QuietTiles(t("offline_tiles", lang)).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    if inline:
        inline_assets(fmap)
    fmap.bkmap_notes = drawing_notes  # type: ignore[attr-defined]  # read by drawing_notes_of
    return fmap


def drawing_notes_of(fmap: folium.Map) -> list[Note]:
    """Return what drawing a map from :func:`criterion_map` repaired or degraded, as notes."""
    return list(getattr(fmap, "bkmap_notes", []))


def map_published_line(assessment: Assessment, *, lang: str) -> str:
    """How many of the province's published criterion-8 count the records name; "" if none applies.

    Only for Bắc Kạn's 2019 units, whose communes the province counted, and
    an assessment date with a published count (see
    :func:`bkmap.analysis.reconcile.published_line`).
    """
    if assessment.version != "2019" or assessment.area is not None or not assessment.as_of:
        return ""
    joined = assessment.joined
    frame = pd.DataFrame(joined.drop(columns=joined.geometry.name, errors="ignore"))
    return published_line(frame, as_of=assessment.as_of, lang=lang) or ""


def attribution_text(assessment: Assessment, *, lang: str) -> list[str]:
    """The credit line of every boundary layer drawn, in ``lang`` (see ``boundaries/attribution.csv``)."""
    return list(dict.fromkeys(a.text(lang) for a in assessment.attributions))


class _Attribution(MacroElement):
    """The boundary credits, in Leaflet's corner for credits, written with textContent."""

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    (function(){
        const lines = {{ this.lines }};
        const Credit = L.Control.extend({
            options: {position: 'bottomright'},
            onAdd: function(){
                const div = L.DomUtil.create('div', 'leaflet-control-attribution bkmap-attribution');
                div.id = 'bkmap-attribution';
                lines.forEach(function(line){
                    const p = document.createElement('div');
                    p.textContent = line;
                    div.appendChild(p);
                });
                return div;
            }
        });
        new Credit().addTo({{ this._parent.get_name() }});
    })();
    {% endmacro %}
    """
    )

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self._name = "bkmap_attribution"
        self.lines = script_json(lines)


def map_titles(
    assessment: Assessment,
    *,
    lang: str,
    period: str | None = None,
    title: str | None = None,
) -> tuple[str, str]:
    """The title and subtitle of a map of ``assessment``: one wording for every page.

    The subtitle dates the data with the assessment's own date; an assessment
    without one (a province with no status table) says so rather than date data
    that is not there.
    """
    version = assessment.version or "-"
    period_text = period or t("period_2016_2020", lang)
    if title:
        heading = title
    elif assessment.area is not None:
        area = assessment.area or t("area_all", lang)
        heading = t("title_area", lang, area=area, period=period_text)
    else:
        heading = t("title", lang, period=period_text)
    if assessment.as_of is None and assessment.status_source:
        sub = t("subtitle_undated", lang, version=version)
    elif assessment.as_of is None:
        sub = t("subtitle_nodata", lang, version=version)
    else:
        sub = t("subtitle", lang, as_of=format_date(assessment.as_of, lang), version=version)
    return heading, sub


def _add_districts(
    fmap: folium.Map,
    districts: gpd.GeoDataFrame,
    lang: str,
    *,
    zoom: int | None = None,
    decimals: int | None = None,
) -> None:

    name_col = "district" if "district" in districts.columns else "province"
    group = folium.FeatureGroup(
        name=page_text(t("districts" if name_col == "district" else "province_names", lang)),
        show=True,
    )
    shapes = display_geometry(districts, zoom=zoom, decimals=decimals)
    data = _CompactData(encode_shapes(shapes.to_numpy(), decimals=decimals or 5))
    data.add_to(fmap)
    if name_col == "district":
        _CompactOutline(data, style={"color": "#222222", "weight": 2.2}).add_to(group)
    points = (
        districts.to_crs(settings.metric_crs).representative_point().to_crs(settings.geographic_crs)
    )
    _Labels(
        [
            (round(p.y, 5), round(p.x, 5), str(n))
            for n, p in zip(districts[name_col], points, strict=True)
        ],
        min_zoom=(zoom or 0) - ZOOM_HEADROOM + 1 if name_col == "province" else 0,
    ).add_to(group)
    group.add_to(fmap)


class _Labels(MacroElement):
    """Names placed on the map (district or province names), written with textContent."""

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    (function(){
        const group = {{ this._parent.get_name() }};
        const labels = L.layerGroup().addTo(group);
        {{ this.items }}.forEach(function(item){
            const div = document.createElement('div');
            div.className = 'bkmap-district-label';
            div.textContent = item[2];
            L.marker([item[0], item[1]], {
                interactive: false,
                icon: L.divIcon({html: div, iconSize: [160, 18], iconAnchor: [80, 9], className: 'bkmap-district'})
            }).addTo(labels);
        });
        // Many names (a whole country's provinces) only once zoomed in enough to read them.
        const map = {{ this._parent._parent.get_name() }};
        function toggle(){
            if (map.getZoom() >= {{ this.min_zoom }}) { group.addLayer(labels); } else { group.removeLayer(labels); }
        }
        map.on('zoomend', toggle);
        map.whenReady(toggle);
    })();
    {% endmacro %}
    """
    )

    def __init__(self, items: list[tuple[float, float, str]], *, min_zoom: int = 0) -> None:
        super().__init__()
        self._name = "bkmap_labels"
        self.items = script_json(items)
        self.min_zoom = int(min_zoom)


def _short_name(name: str) -> str:
    for prefix, short in (("Xã ", ""), ("Phường ", "P. "), ("Thị trấn ", "TT. ")):
        if name.startswith(prefix):
            return short + name[len(prefix) :]
    return name


def commune_points(joined: gpd.GeoDataFrame) -> list[tuple[float, float] | None]:
    """A point inside each unit, as (lat, lon) rounded to 5 decimals, or ``None`` for an empty shape.

    Where the map writes a unit's name and opens the search box's tooltip.
    """
    metric = joined.geometry.to_crs(settings.metric_crs)
    points = gpd.GeoSeries(metric.representative_point(), crs=settings.metric_crs).to_crs(
        settings.geographic_crs
    )
    return [
        None if pt is None or pt.is_empty else (round(pt.y, 5), round(pt.x, 5)) for pt in points
    ]


class _CommuneLabels(MacroElement):
    """Commune names drawn only from a zoom level on; written as text, never as HTML."""

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    (function(){
        const map = {{ this._parent.get_name() }};
        const points = {{ this.points }};
        const group = L.layerGroup();
        points.forEach(function(p){
            const el = document.createElement('span');
            el.className = 'bkmap-commune-label';
            el.textContent = p[2];
            L.marker([p[0], p[1]], {
                icon: L.divIcon({html: el, className: 'bkmap-commune', iconSize: null}),
                interactive: false, keyboard: false
            }).addTo(group);
        });
        function update(){
            if (map.getZoom() >= {{ this.min_zoom }}) { group.addTo(map); }
            else { group.remove(); }
        }
        map.on('zoomend', update);
        map.whenReady(update);
    })();
    {% endmacro %}
    """
    )

    def __init__(self, points: list[tuple[float, float, str]], *, min_zoom: int) -> None:
        super().__init__()
        self._name = "CommuneLabels"
        self.points = script_json(
            [[round(lat, 5), round(lon, 5), name] for lat, lon, name in points]
        )
        self.min_zoom = int(min_zoom)


class _Fullscreen(folium.plugins.Fullscreen):
    """folium's full-screen button, showing the map's box with its title, not the bare map.

    The box is the report's map section (``#rpt-map``), or the whole page of a map.
    """

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    L.control.fullscreen(Object.assign({{ this.options|tojavascript }}, {
        fullscreenElement: document.getElementById('rpt-map') || document.documentElement
    })).addTo({{ this._parent.get_name() }});
    {% endmacro %}
    """
    )


class _QuietTiles(MacroElement):
    """Remove a basemap that fails to load (offline) and say so, instead of grey squares.

    The note goes in the page's ``#bkmap-offline-tiles`` if it has one (the report),
    else in a corner of the map; either way as text.
    """

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    (function(){
        const map = {{ this._parent.get_name() }};
        const text = {{ this.note }};
        map.eachLayer(function(layer){
            if (!(layer instanceof L.TileLayer)) { return; }
            let failed = false;
            layer.on('tileerror', function(){
                if (failed) { return; }
                failed = true;
                map.removeLayer(layer);
                let note = document.getElementById('bkmap-offline-tiles');
                if (!note) {
                    const Note = L.Control.extend({
                        options: {position: 'bottomright'},
                        onAdd: function(){
                            const div = L.DomUtil.create('div', 'leaflet-control bkmap-offline');
                            div.id = 'bkmap-offline-tiles';
                            div.textContent = text;
                            return div;
                        }
                    });
                    new Note().addTo(map);
                    note = document.getElementById('bkmap-offline-tiles');
                }
                note.hidden = false;
            });
        });
    })();
    {% endmacro %}
    """
    )

    def __init__(self, note: str) -> None:
        super().__init__()
        self._name = "QuietTiles"
        self.note = script_json(note)


class _Search(MacroElement):
    """The search box (``bkmapSearch`` in the page): a commune by name or code.

    The folded keys are computed here with :func:`bkmap.model.names.fold`, so the
    page only folds the query, the same way.
    """

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    bkmapSearch({{ this._parent.get_name() }}, {{ this.data_name }}, {{ this.options }});
    {% endmacro %}
    """
    )

    def __init__(
        self,
        data: _CompactData,
        frame: gpd.GeoDataFrame,
        points: list[tuple[float, float] | None],
        *,
        options: dict[str, Any],
        lang: str,
    ) -> None:
        super().__init__()
        self._name = "bkmap_search"
        self.data_name = data.get_name()
        names = frame["name"].astype(str)
        keys = [fold(n) for n in names]
        # The name without its type prefix is the end of the folded name: send where it
        # starts, not a second copy (a whole country's names weigh 0.2 MB).
        shorts = [name_key(n) for n in names]
        cuts = [len(k) - len(c) if k.endswith(c) else 0 for k, c in zip(keys, shorts, strict=True)]
        self.options = script_json(
            {
                "keys": keys,
                "cuts": cuts,
                "points": [None if p is None else [round(p[0], 4), round(p[1], 4)] for p in points],
                "fields": options["fields"],
                "aliases": options["aliases"],
                "border": options["border"],
                "canvas": options["canvas"],
                "zoom": _SEARCH_MAX_ZOOM,
                "label": t("search_label", lang),
                "placeholder": t("search_placeholder", lang),
                "none": t("search_none", lang),
            }
        )


#: Panels of the page moved into a corner of the map, where Leaflet stacks them with
#: its own controls instead of drawing them over the scale bar or the credits.
_DOCKED = (
    ("bkmap-legend", "bottomleft"),
    ("bkmap-gap-legend", "bottomright"),
    ("bkmap-changes", "bottomright"),
    ("bkmap-plan-summary", "topleft"),
)


class _PageSetup(MacroElement):
    """Dock the page's panels in the map's corners and make them fold (see ``bkmapPanels``)."""

    _template = Template(
        """
    {% macro script(this, kwargs) %}
    (function(){
        const map = {{ this._parent.get_name() }};
        {{ this.docked }}.forEach(function(d){ bkmapDock(map, d[0], d[1]); });
        bkmapPanels();
    })();
    {% endmacro %}
    """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "bkmap_page_setup"
        self.docked = script_json([list(d) for d in _DOCKED])


def save_map(fmap: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write a map as one HTML file, atomically, and return its path.

    The page is rendered by :func:`bkmap.render.htmlsafe.render_page`, which refuses
    text that did not pass the guard.
    """

    return write_text(path, render_page(fmap))
