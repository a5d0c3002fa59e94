"""The planner's explorer: one offline page where the budget and the assumptions move.

:func:`planner_page` precomputes every answer with :func:`bkmap.planning.explorer.explore`
and writes one self-contained page: Leaflet inlined (:mod:`bkmap.render.assets`),
the communes' shapes and every optimum in a JSON block (:func:`~bkmap.render.htmlsafe.script_json`),
and a script that writes every text from data with ``textContent``. The page
exposes ``window.bkmapPlanner.set({...})`` and ``window.bkmapPlanner.selected()``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from bkmap._errors import InputError, ValidationError
from bkmap.geo.simplify import display_geometry
from bkmap.i18n import check_lang, format_int, register, t
from bkmap.i18n import msg as _msg
from bkmap.io.points import read_points
from bkmap.io.record import record_of
from bkmap.io.write import FORMULA_START, HTML_SUFFIXES, check_suffix, resolve_target, write_text
from bkmap.join import Assessment
from bkmap.model.illustrative import banner as illustrative_banner
from bkmap.notes import Note, Outcome
from bkmap.planning.explorer import (
    P_GRID,
    Explorer,
    VillageSeries,
    chosen_sets,
    explore,
    explore_villages,
)
from bkmap.planning.model import (
    DEFAULT_NEW_STATION_COST_VND,
    DEFAULT_RADIUS_M,
    OBJECTIVES,
    UNKNOWN_POLICIES,
    Policy,
    read_costs,
)
from bkmap.planning.siting import commune_sites, village_weights
from bkmap.render.assets import leaflet_css, leaflet_js
from bkmap.render.htmlsafe import page_text, script_json, srcdoc
from bkmap.render.maps import COLORS, SHAPES_JS, encode_shapes

if TYPE_CHECKING:
    from bkmap.jobs import DataOptions

__all__ = ["HIGHLIGHT", "PlannerPage", "make_planner", "planner_page"]

#: Fill of the chosen communes: Okabe-Ito blue, told apart from every class colour by
#: colour-blind readers too, and drawn with a heavy outline so colour is never the only cue.
HIGHLIGHT: str = "#0072B2"
#: Outline of a commune greedy takes but the optimum does not (dashed): Okabe-Ito vermilion.
GREEDY_ONLY: str = "#D55E00"

_LABELS: dict[str, dict[str, str]] = {
    "title": {
        "vi": "Bắc Kạn: khám phá kế hoạch đài truyền thanh xã (chỉ tiêu 8.3)",
        "en": "Bắc Kạn: commune radio station planner (indicator 8.3)",
    },
    "intro": {
        "vi": "Mọi lời giải tối ưu đã được tính sẵn bằng mô hình của `bkmap plan` (quy hoạch "
        "nguyên, PuLP + CBC); trang chạy không cần mạng.",
        "en": "Every optimum was computed beforehand with the model of `bkmap plan` (integer "
        "program, PuLP + CBC); the page works with no network.",
    },
    "as_of": {"vi": "Số liệu đến ngày {date}.", "en": "Status as of {date}."},
    "mode": {"vi": "Giới hạn", "en": "Limit"},
    "mode_budget": {"vi": "Ngân sách", "en": "Budget"},
    "mode_stations": {"vi": "Số đài", "en": "Stations"},
    "budget": {
        "vi": "Ngân sách (đồng, vd. 5 tỷ, 5e9, 5.000.000.000)",
        "en": "Budget (VND, e.g. 5bn, 5e9, 5,000,000,000)",
    },
    "budget_bad": {
        "vi": "Không đọc được số tiền: viết 5000000000, 5e9, 5.000.000.000 hoặc 5 tỷ.",
        "en": "Not an amount: write 5000000000, 5e9, 5,000,000,000 or 5bn.",
    },
    "stations": {"vi": "Số đài", "en": "Number of stations"},
    "unknown": {"vi": "Xã chưa rõ 8.3", "en": "Communes with 8.3 unknown"},
    "unknown_exclude": {"vi": "loại khỏi kế hoạch", "en": "exclude"},
    "unknown_need": {"vi": "coi như cần đài", "en": "assume they need one"},
    "unknown_probability": {"vi": "theo xác suất p", "en": "probability p"},
    "p": {
        "vi": "p (xác suất xã chưa rõ thực ra chưa đạt 8.3)",
        "en": "p (chance an unknown commune lacks 8.3)",
    },
    "p_published": {
        "vi": "{p} (theo số liệu tỉnh công bố)",
        "en": "{p} (from the published count)",
    },
    "objective": {"vi": "Mục tiêu", "en": "Objective"},
    "objective_communes": {"vi": "số xã đạt tiêu chí 8", "en": "communes reaching criterion 8"},
    "objective_population": {"vi": "dân số các xã đó", "en": "population of those communes"},
    "objective_mix": {"vi": "kết hợp (trọng số {w})", "en": "mix (weight {w})"},
    "district": {"vi": "Huyện", "en": "District"},
    "all_districts": {"vi": "Cả tỉnh", "en": "Whole province"},
    "costs": {"vi": "Chi phí", "en": "Costs"},
    "cost_new": {"vi": "Đài mới: {cost} đ. {basis}", "en": "New station: {cost} VND. {basis}"},
    "cost_new_basis": {
        "vi": "Nguồn: 5.000.000.000 / 12, làm tròn xuống: dòng ngân sách 12 đài mới với 5 tỷ "
        "đồng trong bài viết của tỉnh ngày 12/08/2019 (S13), không phải kế hoạch 2019.",
        "en": "Source: 5,000,000,000 / 12, rounded down: the budget line of 12 new stations for "
        "5 bn VND in the province's article of 12/08/2019 (S13), not the 2019 plan.",
    },
    "cost_new_given": {
        "vi": "Nguồn: người dùng nhập (--new-cost).",
        "en": "Source: given with --new-cost.",
    },
    "cost_upgrade": {
        "vi": "Nâng cấp đài đã có: {cost} đ. {basis}",
        "en": "Upgrading a station: {cost} VND. {basis}",
    },
    "cost_upgrade_basis": {
        "vi": "Chưa có chi phí nâng cấp được công bố: mặc định bằng chi phí đài mới (cận trên).",
        "en": "No upgrade cost was published: the new-station cost by default (an upper bound).",
    },
    "cost_upgrade_given": {
        "vi": "Nguồn: người dùng nhập (--upgrade-cost).",
        "en": "Source: given with --upgrade-cost.",
    },
    "cost_counts": {
        "vi": "Trong {n} xã ứng viên: {new} tính chi phí xây mới, {upgrade} tính chi phí nâng cấp "
        "(tư liệu ghi đã xây đài trước ngày đánh giá nhưng 8.3 chưa đạt hoặc chưa rõ).",
        "en": "Of the {n} candidate communes: {new} at the new-station cost, {upgrade} at the upgrade "
        "cost (the evidence records a station built by the assessment date while 8.3 is not met "
        "or unknown).",
    },
    "cost_file": {
        "vi": "{n} xã lấy chi phí từ tệp chi phí.",
        "en": "{n} communes take their cost from the cost file.",
    },
    "grid_exact": {
        "vi": "Bước lưới {i}/{n}: ngân sách {budget} đ (bước {step} đ). Mọi chi phí là bội số của bước, "
        "nên đây là lời giải tối ưu cho đúng ngân sách đã nhập.",
        "en": "Grid step {i}/{n}: budget {budget} VND (step {step} VND). Every cost is a multiple of "
        "the step, so this is the optimum for the budget entered.",
    },
    "grid_below": {
        "vi": "Bước lưới {i}/{n}: ngân sách {budget} đ (bước {step} đ), bước lưới cao nhất không vượt "
        "ngân sách đã nhập.",
        "en": "Grid step {i}/{n}: budget {budget} VND (step {step} VND), the highest grid step not "
        "above the budget entered.",
    },
    "count_step": {
        "vi": "Tối đa {k} đài, không giới hạn ngân sách.",
        "en": "At most {k} stations, no budget limit.",
    },
    "summary": {
        "vi": "Tối ưu: {n} đài, {cost} đ. Số xã đạt thêm tiêu chí 8: chắc chắn {certain}, kỳ vọng "
        "{communes}, tối đa {at_most}; dân số (kỳ vọng) {population}.",
        "en": "Optimum: {n} stations, {cost} VND. Communes that reach criterion 8: {certain} for "
        "certain, {communes} expected, {at_most} at most; population (expected) {population}.",
    },
    "greedy": {
        "vi": "Tham lam (theo giá trị trên mỗi đồng): {n} đài, giá trị {value} so với tối ưu {best}; chênh lệch {gap}.",
        "en": "Greedy (value per VND): {n} stations, value {value} against the optimum's {best}; gap {gap}.",
    },
    "marginal": {
        "vi": "Thêm 1 tỷ đồng (lên {budget} đ): +{stations} đài, +{communes} xã (kỳ vọng), +{population} dân; {names}",
        "en": "The next 1 bn VND (to {budget} VND): +{stations} stations, +{communes} communes (expected), +{population} people; {names}",
    },
    "marginal_none": {"vi": "không thêm xã nào.", "en": "no more commune."},
    "list": {"vi": "Các xã được chọn", "en": "Chosen communes"},
    "csv": {"vi": "Tải danh sách (CSV)", "en": "Download the list (CSV)"},
    "col_rank": {"vi": "#", "en": "#"},
    "col_code": {"vi": "Mã", "en": "Code"},
    "col_name": {"vi": "Tên xã", "en": "Commune"},
    "col_district": {"vi": "Huyện", "en": "District"},
    "col_cost": {"vi": "Chi phí (đ)", "en": "Cost (VND)"},
    "col_basis": {"vi": "Cách tính chi phí", "en": "Cost basis"},
    "col_population": {"vi": "Dân số 2019", "en": "Population 2019"},
    "col_gain": {"vi": "Số xã đạt thêm (kỳ vọng)", "en": "Communes gained (expected)"},
    "col_why": {"vi": "Lý do chọn", "en": "Why chosen"},
    "basis_new": {"vi": "xây mới", "en": "new"},
    "basis_upgrade": {"vi": "nâng cấp", "en": "upgrade"},
    "basis_file": {"vi": "theo tệp chi phí", "en": "cost file"},
    "why_known": {"vi": "đã biết chưa đạt 8.3", "en": "known not to meet 8.3"},
    "why_need": {
        "vi": "chưa rõ 8.3, coi như cần đài",
        "en": "8.3 unknown, assumed to need a station",
    },
    "why_probability": {
        "vi": "chưa rõ 8.3, kỳ vọng đạt thêm {p}",
        "en": "8.3 unknown, expected gain {p}",
    },
    "why_conflicting": {
        "vi": "nguồn mâu thuẫn về 8.3: kiểm tra thực địa trước",
        "en": "sources conflict on 8.3: check on the ground first",
    },
    "counts": {
        "vi": "Tiêu chí 8 trước và sau kế hoạch",
        "en": "Criterion 8 before and after the plan",
    },
    "col_xa": {"vi": "Số xã", "en": "Xã"},
    "col_before": {"vi": "Đạt trước", "en": "Met before"},
    "col_stations": {"vi": "Số đài", "en": "Stations"},
    "col_certain": {"vi": "Sau: chắc chắn", "en": "After: certain"},
    "col_expected": {"vi": "Sau: kỳ vọng", "en": "After: expected"},
    "col_at_most": {"vi": "Sau: tối đa", "en": "After: at most"},
    "total": {"vi": "Cả tỉnh", "en": "Province"},
    "counts_note": {
        "vi": "Chắc chắn: chỉ tính xã đã biết chưa đạt 8.3; kỳ vọng: xã chưa rõ tính theo p; "
        "tối đa: mọi xã được chọn đều đạt.",
        "en": "Certain: only communes known to lack 8.3; expected: unknown ones count p; at most: "
        "every chosen commune reaches criterion 8.",
    },
    "legend_chosen": {"vi": "Được chọn (tối ưu)", "en": "Chosen (optimum)"},
    "legend_greedy": {"vi": "Chỉ tham lam chọn (viền đứt)", "en": "Chosen by greedy only (dashed)"},
    "none": {
        "vi": "Không có xã nào được chọn với thiết lập này.",
        "en": "No commune is chosen with these settings.",
    },
    "state_has_station": {"vi": "đã có đài", "en": "has a station"},
    "state_needs_station": {"vi": "chỉ thiếu 8.3", "en": "lacks only 8.3"},
    "state_unknown": {"vi": "8.3 chưa rõ", "en": "8.3 unknown"},
    "state_other_gaps": {"vi": "thiếu chỉ tiêu khác", "en": "lacks another indicator"},
    "state_not_applicable": {"vi": "phường/thị trấn", "en": "urban unit"},
    "tip_state": {"vi": "Tình trạng", "en": "State"},
    "village_summary": {
        "vi": "Mô hình thôn (MCLP, bán kính {radius} m, đã tính sẵn cho mọi số điểm mới): {k} điểm "
        "mới phủ {share} dân số (tham lam: {greedy}); {n} thôn chưa được phủ. Dân số thôn: {basis}.",
        "en": "Village model (MCLP, radius {radius} m, precomputed for every number of new sites): "
        "{k} new sites cover {share} of the population (greedy: {greedy}); {n} villages not "
        "covered. Village population: {basis}.",
    },
    "village_illustrative": {
        "vi": "Lớp thôn/điểm đặt đài là dữ liệu minh hoạ, không phải số liệu thật.",
        "en": "The village or site layer is illustrative, not real data.",
    },
    "village_site": {"vi": "Điểm đặt đài", "en": "Station site"},
    "basis_village population column": {
        "vi": "theo cột dân số của lớp thôn",
        "en": "the village layer's population column",
    },
    "basis_2019 commune population spread evenly": {
        "vi": "dân số xã năm 2019 chia đều cho các thôn trong xã",
        "en": "each commune's 2019 population spread evenly over its villages",
    },
}

register({f"planner_{k}": v for k, v in _LABELS.items()})

#: Columns of the page's CSV download (also the rows of the list).
CSV_COLUMNS: tuple[str, ...] = (
    "rank",
    "code",
    "name",
    "district",
    "cost_vnd",
    "cost_basis",
    "population",
    "gain_communes",
    "why",
)

_CSS = """
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 'Noto Sans',Arial,sans-serif;color:#1a1a1a}
#bp-app{display:flex;flex-wrap:wrap;min-height:100vh}
#bp-side{flex:1 1 360px;max-width:100%;padding:10px 12px;overflow-wrap:anywhere}
#bp-main{flex:2 1 480px;min-width:0;display:flex;flex-direction:column}
#bp-map{height:55vh;min-height:300px;width:100%}
#bp-results{padding:8px 12px}
h1{font-size:17px;margin:0 0 6px}
h2{font-size:15px;margin:12px 0 4px}
fieldset{border:1px solid #ccc;border-radius:4px;margin:0 0 8px;padding:6px 8px}
legend{font-weight:600}
label{display:block;margin:3px 0}
input[type=text],input[type=number],select{width:100%;font-size:15px;padding:5px;min-height:34px}
input[type=range]{width:100%}
.bp-error{color:#b30000;min-height:1.2em}
.bp-note{font-size:12px;color:#444}
.bp-table{width:100%;overflow-x:auto}
table{border-collapse:collapse;font-size:13px;width:100%}
th,td{border-bottom:1px solid #ddd;padding:3px 4px;text-align:left;vertical-align:top}
td.n{text-align:right;white-space:nowrap}
button{font-size:15px;padding:6px 10px;min-height:34px;margin:4px 0}
.bp-swatch{display:inline-block;width:14px;height:14px;margin-right:4px;vertical-align:middle;border:2px solid #000}
.bp-tip th{text-align:left;padding-right:6px}
@media (max-width:700px){#bp-side,#bp-main{flex-basis:100%}#bp-map{height:60vh}}
"""

_JS = r"""
(function(){
'use strict';
const D = JSON.parse(document.getElementById('bp-data').textContent);
const T = D.labels;
const N = D.table.length;
const fmtInt = new Intl.NumberFormat(D.lang === 'vi' ? 'vi-VN' : 'en-US', {maximumFractionDigits: 0});
const fmtNum = new Intl.NumberFormat(D.lang === 'vi' ? 'vi-VN' : 'en-US', {maximumFractionDigits: 3});
function fill(text, fields){
  return text.replace(/\{(\w+)\}/g, function(m, k){ return (k in fields) ? String(fields[k]) : m; });
}
function el(tag, text, cls){
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  if (cls) { e.className = cls; }
  return e;
}
function $(id){ return document.getElementById(id); }

// Amounts as bkmap.planning.model.parse_vnd reads them.
const SUFFIX = {'':1,'d':1,'vnd':1,'dong':1,'đ':1,'đồng':1,'k':1e3,'nghin':1e3,'nghìn':1e3,
  'm':1e6,'tr':1e6,'trieu':1e6,'triệu':1e6,'b':1e9,'bn':1e9,'ty':1e9,'tỷ':1e9,'tỉ':1e9};
function parseVnd(text){
  const raw = String(text).trim().toLowerCase();
  const found = /^([0-9][0-9.,_ ]*(?:[eE][+-]?\d+)?)\s*([^\d\s.,]*)$/.exec(raw);
  if (!found || !(found[2] in SUFFIX)) { return null; }
  let num = found[1].trim(), value;
  if (/^\d{1,3}(?:([,. _])\d{3})(?:\1\d{3})*$/.test(num)) { value = Number(num.replace(/[,. _]/g, '')); }
  else {
    if (/^\d+,\d+$/.test(num)) { num = num.replace(',', '.'); }
    num = num.replace(/_/g, '');
    value = (num === '' || /\s/.test(num)) ? NaN : Number(num);
  }
  value = value * SUFFIX[found[2]];
  if (!isFinite(value) || value < 0) { return null; }
  return Math.floor(value + 1e-6);
}

// The chosen sets, delta-encoded per point (i added, ~i removed), expanded on first use.
const cache = {};
function sets(key, which){
  const id = key + '/' + which;
  if (cache[id]) { return cache[id]; }
  const s = D.series[key];
  let deltas = s[which];
  if (deltas === 'b') { deltas = s.b; }
  if (deltas === 'bg') { deltas = s.bg; }
  const out = []; const now = new Set();
  deltas.forEach(function(delta){
    delta.forEach(function(i){ if (i >= 0) { now.add(i); } else { now.delete(~i); } });
    out.push(Array.from(now).sort(function(a, b){ return a - b; }));
  });
  cache[id] = out;
  return out;
}

const state = {mode: 'budget', budget: D.default_budget, stations: 20, unknown: 'need',
  p: D.p_default, objective: 'communes', district: ''};

function gainOf(t){
  const s = D.units.state[D.table[t]];
  if (s === 'needs_station') { return 1; }
  if (s !== 'unknown') { return 0; }
  if (state.unknown === 'need') { return 1; }
  if (state.unknown === 'probability') { return D.p_values[state.p]; }
  return 0;
}
function values(){
  const g = [], pop = [];
  let tc = 0, tp = 0;
  for (let t = 0; t < N; t++){
    const gi = gainOf(t), pi = gi * D.units.population[D.table[t]];
    g.push(gi); pop.push(pi); tc += gi; tp += pi;
  }
  const w = D.weight;
  return g.map(function(gi, t){
    if (state.objective === 'communes') { return gi; }
    if (state.objective === 'population') { return pop[t]; }
    return w * gi / (tc || 1) + (1 - w) * pop[t] / (tp || 1);
  });
}
function key(){
  if (state.unknown === 'probability') { return 'probability|' + state.p + '|' + state.objective; }
  return state.unknown + '|' + state.objective;
}
function point(budget){
  if (D.step <= 0) { return 0; }
  return Math.min(Math.floor(budget / D.step), D.nbudgets - 1);
}
function current(){
  const k = key();
  if (state.mode === 'budget') {
    const i = point(state.budget);
    return {i: i, best: sets(k, 'b')[i], greedy: sets(k, 'bg')[i]};
  }
  const i = Math.min(state.stations, N);
  return {i: i, best: sets(k, 'k')[i], greedy: sets(k, 'kg')[i]};
}
function cost(t){ return D.units.cost[D.table[t]]; }
function sum(list, f){ let s = 0; list.forEach(function(t){ s += f(t); }); return s; }
function why(t){
  const u = D.table[t];
  const s = D.units.state[u];
  let text = s === 'needs_station' ? T.why_known
    : state.unknown === 'need' ? T.why_need
    : fill(T.why_probability, {p: fmtNum.format(D.p_values[state.p])});
  if (D.units.conflicting[u]) { text += '; ' + T.why_conflicting; }
  return text;
}
function rows(best){
  const v = values();
  const order = best.slice().sort(function(a, b){
    return (v[b] - v[a]) || (v[b] / (cost(b) || 1) - v[a] / (cost(a) || 1))
      || (D.units.conflicting[D.table[b]] - D.units.conflicting[D.table[a]])
      || (D.units.population[D.table[b]] - D.units.population[D.table[a]])
      || (D.units.code[D.table[a]] < D.units.code[D.table[b]] ? -1 : 1);
  });
  return order.map(function(t, r){
    const u = D.table[t];
    return {rank: r + 1, t: t, code: D.units.code[u], name: D.units.name[u],
      district: D.units.district[u], cost_vnd: cost(t), cost_basis: D.units.basis[u],
      population: D.units.population[u], gain_communes: gainOf(t), why: why(t)};
  }).filter(function(r){ return !state.district || r.district === state.district; });
}

// ---------------------------------------------------------------- the map
const map = L.map('bp-map', {preferCanvas: false, zoomSnap: 0.25});
const polys = [];
(function(){
  const shapes = bkmapShapes(D.shapes);
  const group = L.featureGroup();
  for (let f = 0; f < D.shapes.n; f++){
    const shape = shapes[f];
    const poly = L.polygon(shape, {weight: 0.8, color: '#555555', fillOpacity: 0.35,
      fillColor: D.colors[D.units.c8[f]] || '#ffffff'});
    poly.bkmapIndex = f;
    poly.bindTooltip(function(){
      const table = el('table', null, 'bp-tip');
      [[T.col_name, D.units.name[f]], [T.col_code, D.units.code[f]], [T.col_district, D.units.district[f]],
       [T.tip_state, T['state_' + D.units.state[f]]], [T.col_population, fmtInt.format(D.units.population[f] || 0)]]
        .forEach(function(row){
          const tr = el('tr'); tr.appendChild(el('th', row[0])); tr.appendChild(el('td', row[1]));
          table.appendChild(tr);
        });
      return table;
    }, {sticky: true});
    polys.push(poly);
    group.addLayer(poly);
  }
  group.addTo(map);
  map.fitBounds(group.getBounds());
  window.bkmapPlannerGroup = group;
})();
const legend = L.control({position: 'bottomright'});
legend.onAdd = function(){
  const box = el('div', null, 'bp-note');
  box.style.background = 'rgba(255,255,255,.9)'; box.style.padding = '4px 6px';
  [[D.highlight, '#000000', 'solid', T.legend_chosen], ['#ffffff', D.greedy_only, 'dashed', T.legend_greedy]]
    .forEach(function(item){
      const line = el('div');
      const sw = el('span', null, 'bp-swatch');
      sw.style.background = item[0]; sw.style.borderColor = item[1]; sw.style.borderStyle = item[2];
      line.appendChild(sw); line.appendChild(el('span', item[3])); box.appendChild(line);
    });
  return box;
};
legend.addTo(map);

// ---------------------------------------------------------------- controls
function option(select, value, text){
  const o = el('option', text); o.value = value; select.appendChild(o);
}
(function(){
  UNKNOWN.forEach(function(u){ option($('bp-unknown'), u, T['unknown_' + u]); });
  D.p_values.forEach(function(p, i){
    option($('bp-p'), String(i), i === D.p_default && D.published_p !== null
      ? fill(T.p_published, {p: fmtNum.format(p)}) : fmtNum.format(p));
  });
  OBJECTIVES.forEach(function(o){ option($('bp-objective'), o, fill(T['objective_' + o], {w: fmtNum.format(D.weight)})); });
  option($('bp-district'), '', T.all_districts);
  D.district_names.forEach(function(d){ option($('bp-district'), d, d); });
  $('bp-budget-range').max = String(D.nbudgets - 1);
  $('bp-stations-range').max = String(N);
  $('bp-stations').max = String(N);
})();
function syncControls(){
  $('bp-mode-budget').checked = state.mode === 'budget';
  $('bp-mode-stations').checked = state.mode === 'stations';
  if (document.activeElement !== $('bp-budget')) { $('bp-budget').value = fmtInt.format(state.budget); }
  $('bp-budget-range').value = String(point(state.budget));
  $('bp-stations').value = String(state.stations);
  $('bp-stations-range').value = String(state.stations);
  $('bp-unknown').value = state.unknown;
  $('bp-p').value = String(state.p);
  $('bp-p-row').hidden = state.unknown !== 'probability';
  $('bp-objective').value = state.objective;
  $('bp-district').value = state.district;
}
$('bp-budget').addEventListener('input', function(){
  const v = parseVnd(this.value);
  $('bp-budget-error').textContent = v === null ? T.budget_bad : '';
  if (v === null) { return; }
  state.mode = 'budget'; state.budget = v; render();
});
$('bp-budget').addEventListener('change', function(){ if (parseVnd(this.value) !== null) { syncControls(); } });
$('bp-budget-range').addEventListener('input', function(){
  state.mode = 'budget'; state.budget = Number(this.value) * D.step;
  $('bp-budget-error').textContent = ''; $('bp-budget').value = fmtInt.format(state.budget); render();
});
function stationsInput(){
  const k = Math.max(0, Math.min(N, Math.floor(Number(this.value) || 0)));
  state.mode = 'stations'; state.stations = k; render();
}
$('bp-stations').addEventListener('input', stationsInput);
$('bp-stations-range').addEventListener('input', stationsInput);
$('bp-mode-budget').addEventListener('change', function(){ state.mode = 'budget'; render(); });
$('bp-mode-stations').addEventListener('change', function(){ state.mode = 'stations'; render(); });
$('bp-unknown').addEventListener('change', function(){ state.unknown = this.value; render(); });
$('bp-p').addEventListener('change', function(){ state.p = Number(this.value); render(); });
$('bp-objective').addEventListener('change', function(){ state.objective = this.value; render(); });
$('bp-district').addEventListener('change', function(){ state.district = this.value; render(true); });

// ---------------------------------------------------------------- what follows
let shown = [];
function render(zoom){
  syncControls();
  const now = current();
  const best = now.best, greedy = now.greedy;
  const v = values();
  const inBest = new Set(best.map(function(t){ return D.table[t]; }));
  const inGreedy = new Set(greedy.map(function(t){ return D.table[t]; }));
  polys.forEach(function(poly, u){
    const chosen = inBest.has(u), gOnly = inGreedy.has(u) && !chosen;
    const outside = state.district && D.units.district[u] !== state.district;
    poly.setStyle({
      fillColor: chosen ? D.highlight : (D.colors[D.units.c8[u]] || '#ffffff'),
      fillOpacity: chosen ? 0.85 : (outside ? 0.08 : 0.35),
      color: chosen ? '#000000' : (gOnly ? D.greedy_only : '#555555'),
      weight: chosen ? 2.5 : (gOnly ? 2.5 : 0.8),
      dashArray: gOnly ? '5 4' : null
    });
    if (chosen) { poly.bringToFront(); }
  });
  if (zoom) {
    const bounds = L.latLngBounds([]);
    polys.forEach(function(poly, u){
      if (!state.district || D.units.district[u] === state.district) { bounds.extend(poly.getBounds()); }
    });
    if (bounds.isValid()) { map.fitBounds(bounds); }
  }
  // Which point of the precomputed grid is shown.
  $('bp-step').textContent = state.mode === 'budget'
    ? fill(D.exact ? T.grid_exact : T.grid_below, {i: now.i, n: D.nbudgets - 1,
        budget: fmtInt.format(now.i * D.step), step: fmtInt.format(D.step)})
    : fill(T.count_step, {k: now.i});
  const spent = sum(best, cost);
  const communes = sum(best, gainOf);
  const people = sum(best, function(t){ return gainOf(t) * D.units.population[D.table[t]]; });
  const certainAll = best.filter(function(t){ return D.units.state[D.table[t]] === 'needs_station'; }).length;
  $('bp-summary').textContent = fill(T.summary, {n: best.length, cost: fmtInt.format(spent),
    certain: fmtInt.format(certainAll), at_most: fmtInt.format(best.length),
    communes: fmtNum.format(communes), population: fmtInt.format(people)});
  const bv = sum(best, function(t){ return v[t]; }), gv = sum(greedy, function(t){ return v[t]; });
  $('bp-greedy').textContent = fill(T.greedy, {n: greedy.length, value: fmtNum.format(gv),
    best: fmtNum.format(bv), gap: fmtNum.format(bv > 0 ? Math.max(0, (bv - gv) / bv) * 100 : 0) + '%'});
  // The next 1 bn VND, from the budget shown (or the plan's cost with a count of stations).
  const base = state.mode === 'budget' ? state.budget : spent;
  const next = sets(key(), 'b')[point(base + 1e9)];
  const here = sets(key(), 'b')[point(base)];
  const added = next.filter(function(t){ return here.indexOf(t) < 0; });
  const names = added.map(function(t){ return D.units.name[D.table[t]]; });
  $('bp-marginal').textContent = fill(T.marginal, {budget: fmtInt.format(base + 1e9),
    stations: next.length - here.length, communes: fmtNum.format(sum(next, gainOf) - sum(here, gainOf)),
    population: fmtInt.format(sum(next, function(t){ return gainOf(t) * D.units.population[D.table[t]]; })
      - sum(here, function(t){ return gainOf(t) * D.units.population[D.table[t]]; })),
    names: names.length ? names.join(', ') : T.marginal_none});
  // The list.
  shown = rows(best);
  const body = $('bp-list-body');
  body.replaceChildren();
  shown.forEach(function(r){
    const tr = el('tr');
    tr.appendChild(el('td', r.rank, 'n')); tr.appendChild(el('td', r.code));
    tr.appendChild(el('td', r.name)); tr.appendChild(el('td', r.district));
    tr.appendChild(el('td', fmtInt.format(r.cost_vnd), 'n'));
    tr.appendChild(el('td', T['basis_' + r.cost_basis] || r.cost_basis));
    tr.appendChild(el('td', fmtInt.format(r.population), 'n'));
    tr.appendChild(el('td', fmtNum.format(r.gain_communes), 'n'));
    tr.appendChild(el('td', r.why));
    body.appendChild(tr);
  });
  $('bp-none').hidden = shown.length > 0;
  // The village model at the same number of new sites as bkmap plan uses: the cap, or what the
  // budget buys at the new-station cost.
  villageRender(state.mode === 'stations' ? state.stations
    : (D.new_cost > 0 ? Math.floor(state.budget / D.new_cost) : V ? V.share.length - 1 : 0));
  // Criterion 8 before and after, per district and for the province.
  const cbody = $('bp-counts-body');
  cbody.replaceChildren();
  D.districts.forEach(function(d){
    if (state.district && d.name !== state.district && !d.total) { return; }
    const mine = best.filter(function(t){ return d.total || D.units.district[D.table[t]] === d.name; });
    const certain = mine.filter(function(t){ return D.units.state[D.table[t]] === 'needs_station'; }).length;
    const tr = el('tr');
    tr.appendChild(el('td', d.total ? T.total : d.name));
    [d.programme, d.met, mine.length, d.met + certain].forEach(function(x){ tr.appendChild(el('td', fmtInt.format(x), 'n')); });
    tr.appendChild(el('td', fmtNum.format(d.met + sum(mine, gainOf)), 'n'));
    tr.appendChild(el('td', fmtInt.format(d.met + mine.length), 'n'));
    cbody.appendChild(tr);
  });
}

// ---------------------------------------------------------------- the village model
const V = D.villages;
let villageRender = function(){};
if (V) {
  const dots = V.villages.lon.map(function(lon, i){
    return L.circleMarker([V.villages.lat[i], lon], {radius: 2.5, weight: 0.5, color: '#333333',
      fillOpacity: 0.9, interactive: false}).addTo(map);
  });
  const marks = V.sites.lon.map(function(lon, i){
    const m = L.circleMarker([V.sites.lat[i], lon], {radius: 5, weight: 1.5, color: '#000000',
      fillColor: V.sites.existing[i] ? '#999999' : '#ffffff', fillOpacity: 1});
    m.bindTooltip(function(){ return el('span', T.village_site + ': ' + V.sites.name[i]); });
    return m;
  });
  const chosenSets = []; const coveredSets = [];
  [[V.chosen, chosenSets], [V.covered, coveredSets]].forEach(function(pair){
    const now = new Set();
    pair[0].forEach(function(delta){
      delta.forEach(function(i){ if (i >= 0) { now.add(i); } else { now.delete(~i); } });
      pair[1].push(new Set(now));
    });
  });
  villageRender = function(spentStations){
    const K = V.share.length - 1;
    const k = Math.max(0, Math.min(K, spentStations));
    const chosen = chosenSets[k], covered = coveredSets[k];
    marks.forEach(function(m, i){
      const on = V.sites.existing[i] || chosen.has(i);
      if (on && !map.hasLayer(m)) { m.addTo(map); }
      if (!on && map.hasLayer(m)) { map.removeLayer(m); }
      if (on) { m.setStyle({fillColor: V.sites.existing[i] ? '#999999' : '#E69F00'}); }
    });
    dots.forEach(function(d, i){ d.setStyle({fillColor: covered.has(i) ? '#0072B2' : '#D55E00'}); });
    const box = $('bp-villages');
    box.hidden = false;
    box.textContent = fill(T.village_summary, {radius: fmtInt.format(V.radius), k: k,
      share: fmtNum.format(V.share[k] * 100) + '%', greedy: fmtNum.format(V.greedy_share[k] * 100) + '%',
      n: V.villages.lon.length - covered.size, basis: T['basis_' + V.basis] || V.basis})
      + (V.illustrative ? ' ' + T.village_illustrative : '');
  };
}

// ---------------------------------------------------------------- CSV, built here
const FORMULA = D.formula_start;
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
function cell(value){
  let s = String(value);
  if (typeof value === 'string' && FORMULA.some(function(c){ return s.startsWith(c); }) && !PLAIN_NUMBER.test(s)) {
    s = "'" + s;
  }
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}
function csv(){
  const lines = [D.csv_columns.map(cell).join(',')];
  shown.forEach(function(r){ lines.push(D.csv_columns.map(function(c){ return cell(r[c]); }).join(',')); });
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}
$('bp-csv').addEventListener('click', function(){
  const blob = new Blob([csv()], {type: 'text/csv;charset=utf-8'});
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'bkmap_planner.csv';
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(function(){ URL.revokeObjectURL(a.href); }, 1000);
});

// ---------------------------------------------------------------- the contract for tests and notebooks
window.bkmapPlanner = {
  set: function(o){
    o = o || {};
    if (o.unknown !== undefined) {
      if (UNKNOWN.indexOf(o.unknown) < 0) { throw new Error('unknown: one of ' + UNKNOWN.join(', ')); }
      state.unknown = o.unknown;
    }
    if (o.p !== undefined && o.p !== null) {
      const i = D.p_values.findIndex(function(p){ return Math.abs(p - o.p) <= 5e-4; });
      if (i < 0) { throw new Error('p ' + o.p + ' is not precomputed: ' + D.p_values.join(', ')); }
      state.p = i;
    }
    if (o.objective !== undefined) {
      if (OBJECTIVES.indexOf(o.objective) < 0) { throw new Error('objective: one of ' + OBJECTIVES.join(', ')); }
      state.objective = o.objective;
    }
    if (o.district !== undefined) {
      const d = o.district || '';
      if (d && D.district_names.indexOf(d) < 0) { throw new Error('district: one of ' + D.district_names.join(', ')); }
      state.district = d;
    }
    const hasB = o.budget_vnd !== undefined && o.budget_vnd !== null;
    const hasK = o.stations !== undefined && o.stations !== null;
    if (hasB && hasK) {
      // One cost for every station: the budget buys floor(B / cost) stations.
      if (!D.uniform) { throw new Error('give budget_vnd or stations, not both (station costs differ)'); }
      state.mode = 'stations';
      state.stations = Math.min(Number(o.stations), point(Number(o.budget_vnd)));
    } else if (hasB) {
      const b = typeof o.budget_vnd === 'string' ? parseVnd(o.budget_vnd) : Number(o.budget_vnd);
      if (b === null || !isFinite(b) || b < 0) { throw new Error('budget_vnd: ' + o.budget_vnd + ' is not an amount'); }
      state.mode = 'budget'; state.budget = Math.floor(b);
    } else if (hasK) {
      state.mode = 'stations'; state.stations = Math.max(0, Math.min(N, Math.floor(Number(o.stations))));
    }
    render(o.district !== undefined);
    return this.state();
  },
  selected: function(){ return shown.map(function(r){ return r.code; }); },
  state: function(){
    const now = current();
    return {mode: state.mode, budget_vnd: state.budget, stations: state.stations, unknown: state.unknown,
      p: D.p_values[state.p], objective: state.objective, district: state.district, step: now.i,
      step_vnd: D.step, greedy: now.greedy.map(function(t){ return D.units.code[D.table[t]]; })};
  },
  rows: function(){ return shown.map(function(r){ return Object.assign({}, r); }); },
  csv: csv,
  parse: parseVnd,
  ready: false
};
render();
window.bkmapPlanner.readyAt = performance.now();
window.bkmapPlanner.ready = true;
})();
"""


def _page_data(explorer: Explorer, assessment: Assessment, lang: str) -> dict[str, Any]:
    units = explorer.units
    joined = assessment.joined.set_index("code").loc[units["code"]]
    geometry = display_geometry(joined, decimals=4)
    shapes = encode_shapes(geometry.to_numpy(), decimals=4)
    position = {c: i for i, c in enumerate(units["code"])}
    series: dict[str, Any] = {}
    p_index = {p: i for i, p in enumerate(explorer.p_values)}
    for setting, s in explorer.series.items():
        k = (
            f"probability|{p_index[setting.p]}|{setting.objective}"
            if setting.unknown == "probability" and setting.p is not None
            else f"{setting.unknown}|{setting.objective}"
        )
        entry: dict[str, Any] = {"b": chosen_sets(s.budget), "bg": chosen_sets(s.budget_greedy)}
        # With one cost for every station, step i of the budget grid is i stations: stored once.
        entry["k"] = "b" if s.stations == s.budget else chosen_sets(s.stations)
        entry["kg"] = (
            "bg" if s.stations_greedy == s.budget_greedy else chosen_sets(s.stations_greedy)
        )
        series[k] = entry
    labels = {k: t(f"planner_{k}", lang) for k in _LABELS}
    districts = [
        {
            "name": str(name),
            "total": name == "Total",
            "programme": int(row["programme"]),
            "met": int(row["c8_met"]),
        }
        for name, row in explorer.districts.iterrows()
    ]
    table_costs = units.set_index("code").loc[list(explorer.codes), "cost_vnd"]
    uniform = explorer.exact_grid and bool((table_costs.astype("int64") == explorer.step_vnd).all())
    published = explorer.published_p
    p_default = (
        explorer.p_values.index(published) if published is not None else len(explorer.p_values) // 2
    )
    return {
        "lang": lang,
        "labels": labels,
        "colors": dict(COLORS),
        "highlight": HIGHLIGHT,
        "greedy_only": GREEDY_ONLY,
        "units": {
            "code": units["code"].tolist(),
            "name": units["name"].tolist(),
            "district": units["district"].tolist(),
            "state": units["state"].tolist(),
            "c8": joined["c8"].astype(str).tolist(),
            "conflicting": [int(bool(v)) for v in units["conflicting"]],
            "population": [int(v) if pd.notna(v) else 0 for v in units["population"]],
            "cost": [int(v) if pd.notna(v) else 0 for v in units["cost_vnd"]],
            "basis": units["cost_basis"].astype(str).tolist(),
        },
        "shapes": shapes,
        "table": [position[c] for c in explorer.codes],
        "step": explorer.step_vnd,
        "nbudgets": len(explorer.budgets),
        "exact": explorer.exact_grid,
        "uniform": uniform,
        "p_values": list(explorer.p_values),
        "published_p": published,
        "p_default": p_default,
        "weight": explorer.weight,
        "default_budget": 5_000_000_000,
        "districts": districts,
        "district_names": [d["name"] for d in districts if not d["total"]],
        "series": series,
        "villages": _village_data(explorer),
        "new_cost": int(explorer.policy.new_cost),
        "csv_columns": list(CSV_COLUMNS),
        "formula_start": list(FORMULA_START),
    }


def _village_data(explorer: Explorer) -> dict[str, Any] | None:
    series = explorer.villages
    if series is None:
        return None
    return {
        "radius": series.radius_m,
        "basis": series.population_basis,
        "illustrative": series.illustrative,
        "sites": {
            "name": series.sites["name"].tolist(),
            "existing": [int(v) for v in series.sites["existing"]],
            "lon": series.sites["lon"].tolist(),
            "lat": series.sites["lat"].tolist(),
        },
        "villages": {
            "lon": series.villages["lon"].tolist(),
            "lat": series.villages["lat"].tolist(),
        },
        "chosen": chosen_sets(series.chosen),
        "covered": chosen_sets(series.covered),
        "share": [round(v, 6) for v in series.share],
        "greedy_share": [round(v, 6) for v in series.greedy_share],
    }


def _costs_html(explorer: Explorer, lang: str) -> str:
    policy = explorer.policy
    new_basis = (
        "cost_new_basis"
        if int(policy.new_cost) == DEFAULT_NEW_STATION_COST_VND
        else "cost_new_given"
    )
    upgrade_basis = (
        "cost_upgrade_basis" if policy.upgrade_cost == policy.new_cost else "cost_upgrade_given"
    )
    items = [
        t(
            "planner_cost_new",
            lang,
            cost=format_int(policy.new_cost, lang),
            basis=t(f"planner_{new_basis}", lang),
        ),
        t(
            "planner_cost_upgrade",
            lang,
            cost=format_int(policy.upgrade, lang),
            basis=t(f"planner_{upgrade_basis}", lang),
        ),
    ]
    basis = explorer.units.set_index("code").loc[list(explorer.codes), "cost_basis"]
    items.append(
        t(
            "planner_cost_counts",
            lang,
            n=len(basis),
            new=int(basis.eq("new").sum()),
            upgrade=int(basis.eq("upgrade").sum()),
        )
    )
    if explorer.costs_from_file:
        items.append(t("planner_cost_file", lang, n=int(basis.eq("file").sum())))
    return "".join(f'<p class="bp-note">{page_text(i)}</p>' for i in items)


def render_planner(explorer: Explorer, assessment: Assessment, *, lang: str | None = None) -> str:
    """The page's HTML for a precomputed :class:`~bkmap.planning.explorer.Explorer`."""
    lang = check_lang(lang)

    def lab(key: str, **fields: object) -> str:
        return page_text(t(f"planner_{key}", lang, **fields))

    data = _page_data(explorer, assessment, lang)
    illustrative = (
        f'<p class="bp-error">{page_text(illustrative_banner(lang))}</p>'
        if assessment.illustrative
        else ""
    )
    constants = (
        f"const UNKNOWN = {script_json(list(UNKNOWN_POLICIES))};\n"
        f"const OBJECTIVES = {script_json(list(OBJECTIVES))};\n"
    )
    script = _JS.replace("'use strict';", "'use strict';\n" + constants + SHAPES_JS, 1)
    head = (
        '<!DOCTYPE html>\n<html lang="' + lang + '">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{lab('title')}</title>\n"
        f"<style>{leaflet_css()}</style>\n<style>{_CSS}</style>\n"
        f"<script>{leaflet_js()}</script>\n</head>\n"
    )
    body = f"""<body>
<div id="bp-app">
<div id="bp-side">
<h1>{lab("title")}</h1>
<p class="bp-note">{lab("intro")} {lab("as_of", date=explorer.as_of)}</p>
{illustrative}
<fieldset><legend>{lab("mode")}</legend>
<label><input type="radio" name="bp-mode" id="bp-mode-budget" value="budget"> {lab("mode_budget")}</label>
<label for="bp-budget">{lab("budget")}</label>
<input type="text" id="bp-budget" inputmode="decimal" autocomplete="off">
<input type="range" id="bp-budget-range" min="0" step="1" aria-label="{lab("mode_budget")}">
<div class="bp-error" id="bp-budget-error" aria-live="polite"></div>
<label><input type="radio" name="bp-mode" id="bp-mode-stations" value="stations"> {lab("mode_stations")}</label>
<label for="bp-stations">{lab("stations")}</label>
<input type="number" id="bp-stations" min="0" step="1">
<input type="range" id="bp-stations-range" min="0" step="1" aria-label="{lab("stations")}">
</fieldset>
<fieldset><legend>{lab("unknown")}</legend>
<select id="bp-unknown" aria-label="{lab("unknown")}"></select>
<div id="bp-p-row"><label for="bp-p">{lab("p")}</label><select id="bp-p"></select></div>
</fieldset>
<fieldset><legend>{lab("objective")}</legend>
<select id="bp-objective" aria-label="{lab("objective")}"></select>
</fieldset>
<fieldset><legend>{lab("district")}</legend>
<select id="bp-district" aria-label="{lab("district")}"></select>
</fieldset>
<fieldset><legend>{lab("costs")}</legend>{_costs_html(explorer, lang)}</fieldset>
</div>
<div id="bp-main">
<div id="bp-map"></div>
<div id="bp-results" aria-live="polite">
<p class="bp-note" id="bp-step"></p>
<p id="bp-summary"></p>
<p id="bp-greedy"></p>
<p id="bp-marginal"></p>
<p id="bp-villages" hidden></p>
<h2>{lab("list")}</h2>
<button type="button" id="bp-csv">{lab("csv")}</button>
<p id="bp-none" hidden>{lab("none")}</p>
<div class="bp-table"><table id="bp-list"><thead><tr>
<th>{lab("col_rank")}</th><th>{lab("col_code")}</th><th>{lab("col_name")}</th><th>{lab("col_district")}</th>
<th>{lab("col_cost")}</th><th>{lab("col_basis")}</th><th>{lab("col_population")}</th><th>{lab("col_gain")}</th>
<th>{lab("col_why")}</th></tr></thead><tbody id="bp-list-body"></tbody></table></div>
<h2>{lab("counts")}</h2>
<p class="bp-note">{lab("counts_note")}</p>
<div class="bp-table"><table id="bp-counts"><thead><tr>
<th>{lab("col_district")}</th><th>{lab("col_xa")}</th><th>{lab("col_before")}</th><th>{lab("col_stations")}</th>
<th>{lab("col_certain")}</th><th>{lab("col_expected")}</th><th>{lab("col_at_most")}</th>
</tr></thead><tbody id="bp-counts-body"></tbody></table></div>
</div>
</div>
</div>
<script type="application/json" id="bp-data">{script_json(data)}</script>
<script>{script}</script>
</body>
</html>
"""
    return head + body


@dataclass
class PlannerPage:
    """The planner's page: ``html``, and the :class:`Explorer` it shows.

    In a notebook it displays inline (an ``iframe`` holding the page); ``save``
    writes it atomically.
    """

    html: str
    explorer: Explorer

    def _repr_html_(self) -> str:
        # srcdoc keeps the page's script in its own document, as folium's notebook output does.
        return (
            '<iframe style="width:100%;height:760px;border:1px solid #ccc" '
            f'srcdoc="{srcdoc(self.html)}"></iframe>'
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (``.html``) atomically and return the path."""
        check_suffix(path, HTML_SUFFIXES)
        return write_text(path, self.html)

    @property
    def size(self) -> int:
        """Size of the page in bytes (UTF-8)."""
        return len(self.html.encode("utf-8"))


def planner_page(
    assessment: Assessment | None = None,
    *,
    lang: str | None = None,
    policy: Policy | None = None,
    costs: Mapping[str, int] | pd.Series | None = None,
    existing: Iterable[str] = (),
    probabilities: Iterable[float] = (),
    p_grid: Iterable[float] | None = None,
) -> PlannerPage:
    """The planner's explorer page for an assessment (default: the shipped 2019 data).

    Parameters
    ----------
    assessment
        From :func:`bkmap.pipeline.assess` (2019 units).
    lang
        ``vi`` (default) or ``en``.
    policy
        Station costs and the mix weight (:class:`bkmap.planning.model.Policy`).
    costs, existing, probabilities, p_grid
        See :func:`bkmap.planning.explorer.explore` (``p_grid`` None: its default grid).

    Examples
    --------
    In a notebook (the object displays the page inline)::

        page = bkmap.planner_page(lang="en")
        page.save("planner.html")
    """
    if assessment is None:
        # Lazy: the pipeline loads the shipped data; a caller with an assessment skips it.
        from bkmap.pipeline import assess

        assessment = assess()
    lang = check_lang(lang)
    explorer = explore(
        assessment,
        policy=policy,
        costs=costs,
        existing=existing,
        probabilities=probabilities,
        p_grid=P_GRID if p_grid is None else tuple(p_grid),
    )
    return PlannerPage(html=render_planner(explorer, assessment, lang=lang), explorer=explorer)


def make_planner(
    data: DataOptions,
    *,
    out: str | os.PathLike[str],
    lang: str | None = None,
    policy: Policy | None = None,
    costs_path: str | os.PathLike[str] | None = None,
    existing: tuple[str, ...] = (),
    probabilities: tuple[float, ...] = (),
    villages: str | os.PathLike[str] | None = None,
    sites: str | os.PathLike[str] | None = None,
    radius: float = DEFAULT_RADIUS_M,
) -> Outcome:
    """``bkmap planner``: write the planner's explorer page and say what it holds.

    With ``villages`` the village covering model is solved at every number of
    new sites, on the candidate sites of ``bkmap plan --villages`` (commune
    centres of the communes with a station and of every commune a station could
    bring to criterion 8, or the ``sites`` layer).
    """
    check_suffix(out, HTML_SUFFIXES)
    # Refused before the precompute, not after it.
    target, _mode = resolve_target(out)
    if not target.parent.is_dir():
        msg = _msg("err_no_folder", target=out, folder=target.parent)
        raise InputError(msg)
    assessment, written = data.assess()
    costs = (
        read_costs(costs_path, codes=assessment.joined["code"]) if costs_path is not None else None
    )
    if sites is not None and villages is None:
        msg = _msg("job_sites_need_villages")
        raise ValidationError(msg)
    lang = check_lang(lang)
    explorer = explore(
        assessment, policy=policy, costs=costs, existing=existing, probabilities=probabilities
    )
    notes = assessment.all_notes()
    if villages is not None:
        explorer.villages, village_notes = _village_series(
            assessment, explorer, villages=villages, sites=sites, radius=radius
        )
        notes += village_notes
    page = PlannerPage(html=render_planner(explorer, assessment, lang=lang), explorer=explorer)
    path = page.save(out)
    ex = page.explorer
    over = "" if page.size <= 1_000_000 else _msg("plan_page_over_target")
    grid = _msg("plan_page_grid_exact" if ex.exact_grid else "plan_page_grid_step")
    lines = [
        _msg("cli_wrote_detail", path=path.resolve(), detail=f"{page.size / 1e6:.2f} MB{over}"),
        _msg(
            "plan_page_summary",
            settings=len(ex.series),
            budgets=len(ex.budgets),
            step=f"{ex.step_vnd:,}",
            grid=grid,
            stations=len(ex.codes),
            seconds=f"{ex.seconds:.1f}",
        ),
    ]
    if ex.villages is not None:
        lines.append(
            _msg(
                "plan_page_village_summary",
                radius=f"{ex.villages.radius_m:,.0f}",
                sites=len(ex.villages.share) - 1,
                villages=len(ex.villages.villages),
            )
        )
    conflicting = ex.units.loc[ex.units["conflicting"]]
    if len(conflicting):
        named = ", ".join(
            f"{c} {n}" for c, n in zip(conflicting["code"], conflicting["name"], strict=True)
        )
        notes.append(
            Note(
                "info",
                assessment.status_source,
                "8.3",
                _msg("plan_page_conflicting", count=len(conflicting), named=named),
                _msg("plan_page_conflicting_fix"),
            )
        )
    if ex.solver_points:
        notes.append(
            Note(
                "info",
                _msg("plan_page_source"),
                _msg("plan_page_where_costs"),
                _msg("plan_page_solver_points", points=ex.solver_points),
            )
        )
    return Outcome(written=[*written, path], lines=lines, notes=notes)


def _village_series(
    assessment: Assessment,
    explorer: Explorer,
    *,
    villages: str | os.PathLike[str],
    sites: str | os.PathLike[str] | None,
    radius: float,
) -> tuple[VillageSeries, list[Note]]:
    """Read the village (and site) layers as ``bkmap plan --villages`` does and solve every count."""
    joined = assessment.joined
    points = read_points(villages, kind="villages", extent=joined)
    records = [r for r in (record_of(points),) if r is not None]
    if not len(points):
        msg = _msg("job_no_village", path=villages)
        raise ValidationError(msg)
    if sites is None:
        state = explorer.units.set_index("code").loc[joined["code"], "state"]
        keep = state.isin(["has_station", "needs_station", "unknown"]).to_numpy()
        site_frame = commune_sites(
            joined.loc[keep],
            existing=explorer.units.loc[explorer.units["state"].eq("has_station"), "code"],
        )
    else:
        layer = read_points(sites, kind="stations", extent=joined)
        record = record_of(layer)
        if record is not None:
            records.append(record)
        site_frame = layer.to_crs("EPSG:3405").reset_index(drop=True)
        site_frame["site_id"] = [f"S{i + 1}" for i in range(len(site_frame))]
        site_frame["existing"] = site_frame["working"].astype("boolean").fillna(False).astype(bool)
    weights, basis = village_weights(points, communes=joined)
    series = explore_villages(
        points,
        site_frame,
        weights=weights,
        population_basis=basis,
        radius_m=radius,
        illustrative=any(r.illustrative for r in records),
    )
    return series, [n for r in records for n in r.notes()]
