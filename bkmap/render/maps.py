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
from bkmap.model.criteria import INDICATORS, OVERALL, VALUES
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

log = logging.getLogger(__name__)

__all__ = [
    "CANVAS_MIN_FEATURES",
    "COLORS",
    "TEXT_TABLE_JS",
    "SafeTooltip",
    "attribution_text",
    "class_counts",
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

#: Fill colour of each class. ``unknown`` is a visible grey of its own; ``conflicting``
#: an orange between met and not met (provisional: the palette is being revised).
COLORS: dict[str, str] = {
    "met": "#1a9641",
    "not_met": "#d7191c",
    "conflicting": "#e08214",
    "unknown": "#8c8c8c",
    "not_applicable": "#e6e0f0",
}

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


def _legend_html(counts: pd.DataFrame, lang: str) -> str:
    esc = page_text  # the one escape of page text (bkmap.render.htmlsafe)
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
.bkmap-title small.bkmap-published{color:#222;font-weight:600}
.leaflet-control-attribution.bkmap-attribution{max-width:min(640px,60vw);white-space:normal;font-size:11px;
 line-height:1.3;background:rgba(255,255,255,.88);padding:2px 6px;color:#222}
table.bkmap-tooltip th{text-align:left;padding-right:6px;font-weight:600;vertical-align:top}
table.bkmap-tooltip td{min-width:220px;max-width:420px;white-space:normal}
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
}
register(_LABELS)

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
  d.shapes = shapes;
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
window.bkmapLayer = function(d, key, opt){
  const group = L.featureGroup();
  const codes = d.k[key];
  const styles = {};
  let filled = false;
  function style(code){
    if (!styles[code]) {
      styles[code] = Object.assign({}, opt.border, {
        fillColor: opt.colors[d.classes[code - 48]] || '#ffffff',
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
    for (let i = 0; i < d.n; i++){
      const poly = new Commune(d.shapes[i], style(codes.charCodeAt(i)));
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
  return group;
};
window.bkmapOutline = function(d, style){
  const group = L.featureGroup();
  for (let i = 0; i < d.n; i++){
    group.addLayer(L.polygon(d.shapes[i], Object.assign({fill: false, interactive: false}, style)));
  }
  return group;
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
                RawElement(page_code(f"<script>{_RUNTIME_JS}</script>")), name="bkmap_runtime"
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
    tiles: str | None = "OpenStreetMap",
    simplify: bool = True,
    indicator_layers: Sequence[str] | None = None,
    inline: bool = True,
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
        A folium tile name, or ``None`` for no basemap.
    simplify
        Simplify shapes for display with shared edges kept (never for analysis),
        at a tolerance chosen from the area's zoom (see :mod:`bkmap.geo.simplify`).
    indicator_layers
        Indicator columns to add as layers (default: all four).
    inline
        Put Leaflet inside the page so the map works offline (default). With
        ``False`` the page links folium's CDN copies instead.

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
        "border": _BORDER_DENSE if canvas else _BORDER,
        "canvas": canvas,
    }
    for column, name, show in layers:
        _CompactLayer(data, key=_CLASS_PROP[column], name=name, show=show, options=options).add_to(
            fmap
        )

    if districts is not None and len(districts):
        _add_districts(fmap, districts, lang, zoom=zoom, decimals=decimals)

    heading, sub = map_titles(assessment, lang=lang, period=period, title=title)
    published = map_published_line(assessment, lang=lang)
    root = fmap.get_root()
    if not isinstance(root, Figure):  # folium always puts a map in a Figure
        msg = "the map is not inside a branca Figure"
        raise TypeError(msg)
    root.header.add_child(RawElement(page_code(_CSS)))
    # The title holds text from data (a province's name, a table's date): escaped,
    # made inert and written raw, so branca's Jinja pass never sees it.
    published_html = (
        f'<small class="bkmap-published">{page_text(published)}</small>' if published else ""
    )
    root.html.add_child(
        RawElement(
            page_html(
                f'<div class="bkmap-title" id="bkmap-title">{page_text(heading)}'
                f"<small>{page_text(sub)}</small>{published_html}</div>"
            )
        )
    )
    if assessment.attributions:
        _Attribution(attribution_text(assessment, lang=lang)).add_to(fmap)
    root.html.add_child(RawElement(page_html(_legend_html(counts, lang))))
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


def save_map(fmap: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write a map as one HTML file, atomically, and return its path.

    The page is rendered by :func:`bkmap.render.htmlsafe.render_page`, which refuses
    text that did not pass the guard.
    """

    return write_text(path, render_page(fmap))
