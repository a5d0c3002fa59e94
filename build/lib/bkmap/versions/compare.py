"""Comparing two assessments of criterion 8 on one version of the units.

:func:`compare_status` tells, unit by unit, what changed between two dates
(gained, lost, revised, unchanged); :func:`compare_map` draws both dates on one
offline map, a layer per date plus a layer and a table of the changes. Statuses
are first carried to a common version with :func:`bkmap.versions.layers.carry`.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from bkmap import settings
from bkmap._errors import collect
from bkmap.i18n import check_lang, format_date, register, t
from bkmap.model.criteria import INDICATORS, OVERALL, VALUES, overall
from bkmap.render.htmlsafe import inert_frame, inert_text

if TYPE_CHECKING:
    import folium

log = logging.getLogger(__name__)

register(
    {
        "v_changed_layer": {"vi": "Thay đổi {a} → {b}", "en": "Changes {a} → {b}"},
        "v_compare_title": {
            "vi": "Bắc Kạn: tiêu chí số 8, so sánh {a} và {b}",
            "en": "Bắc Kạn: criterion 8, {a} compared with {b}",
        },
        "v_change_unchanged": {"vi": "Không đổi", "en": "Unchanged"},
        "v_change_gained": {"vi": "Có thêm chỉ tiêu đạt", "en": "Newly met"},
        "v_change_lost": {"vi": "Mất chỉ tiêu đạt", "en": "No longer met"},
        "v_change_revised": {"vi": "Đã rõ hơn (khác)", "en": "Otherwise revised"},
        "v_changes": {"vi": "Thay đổi", "en": "Changes"},
        "v_before": {"vi": "Trước", "en": "Before"},
        "v_after": {"vi": "Sau", "en": "After"},
        "v_what_changed": {"vi": "Nội dung thay đổi", "en": "What changed"},
    }
)

__all__ = [
    "CHANGE_COLORS",
    "CHANGE_KINDS",
    "compare_map",
    "compare_status",
]


# --------------------------------------------------------------------------- comparing periods

#: Kinds of change between two assessments, in the order drawn.
CHANGE_KINDS: tuple[str, ...] = ("gained", "lost", "revised", "unchanged")

#: Outline colour of each kind in the "changed" layer.
CHANGE_COLORS: dict[str, str] = {
    "gained": "#1a9641",
    "lost": "#d7191c",
    "revised": "#fdae61",
    "unchanged": "#bbbbbb",
}


def compare_status(
    before: pd.DataFrame, after: pd.DataFrame, *, lang: str | None = None
) -> pd.DataFrame:
    """Compare two assessments of the same units, value by value.

    Parameters
    ----------
    before, after
        Joined frames (or status tables with ``c8`` derived) of the same
        version of the units, keyed on ``code``.
    lang
        Language of the ``what`` text.

    Returns
    -------
    DataFrame
        One row per unit: ``code, name, district``, ``<col>_before`` and
        ``<col>_after`` for ``c8`` and each indicator, ``change`` (one of
        :data:`CHANGE_KINDS`: ``gained`` when a value became met and none
        stopped being met, ``lost`` when one stopped being met, ``revised`` for
        any other change such as unknown → not met) and ``what`` (for example
        ``8.3: Chưa rõ → Đạt``).

    Raises
    ------
    ValidationError
        The two frames do not hold the same units.
    """
    lang = check_lang(lang)
    a = before.set_index("code")
    b = after.set_index("code")
    only_a = sorted(set(a.index) - set(b.index))
    only_b = sorted(set(b.index) - set(a.index))
    problems = []
    if only_a:
        problems.append(f"units only in the first assessment: {', '.join(only_a[:10])}")
    if only_b:
        problems.append(f"units only in the second assessment: {', '.join(only_b[:10])}")
    if problems:
        problems.append("compare both on the same version of the units (--on).")
    collect(problems, header="the two assessments cannot be compared:")
    order = list(b.index)
    out = pd.DataFrame(
        {
            "code": order,
            "name": b.loc[order, "name"].to_numpy(),
            "district": b.loc[order, "district"].fillna("").to_numpy() if "district" in b else "",
        }
    )
    keys = [OVERALL, *(ind.column for ind in INDICATORS)]
    for key in keys:
        aa = a.loc[order, key] if key in a else overall(a.loc[order])
        bb = b.loc[order, key] if key in b else overall(b.loc[order])
        out[f"{key}_before"] = aa.to_numpy()
        out[f"{key}_after"] = bb.to_numpy()
    kinds, whats = [], []
    for rec in out.to_dict("records"):
        changes = [
            (k, rec[f"{k}_before"], rec[f"{k}_after"])
            for k in keys
            if rec[f"{k}_before"] != rec[f"{k}_after"]
        ]
        if not changes:
            kinds.append("unchanged")
            whats.append("")
            continue
        lost = any(v0 == "met" for _, v0, _ in changes)
        gained = any(v1 == "met" for _, _, v1 in changes)
        kinds.append("lost" if lost else "gained" if gained else "revised")
        whats.append(
            "; ".join(
                f"{t('overall', lang) if k == OVERALL else k.replace('c', '').replace('_', '.')}: "
                f"{t(v0, lang)} → {t(v1, lang)}"
                for k, v0, v1 in changes
            )
        )
    out["change"] = kinds
    out["what"] = whats
    return out


def compare_map(
    before: gpd.GeoDataFrame,
    after: gpd.GeoDataFrame,
    *,
    lang: str | None = None,
    districts: gpd.GeoDataFrame | None = None,
    sources: pd.DataFrame | None = None,
    tiles: str | None = "OpenStreetMap",
    simplify: bool = True,
) -> folium.Map:
    """Draw two assessments of the same units on one map, with a layer of what changed.

    The map holds the later assessment (overall and indicator layers, legend
    and title from :func:`bkmap.render.maps.criterion_map`), the earlier one as
    switchable layers, a "changes" layer outlining each changed unit by its
    kind (:func:`compare_status`), and a panel ``#bkmap-changes`` counting
    classes on both dates and listing every change. Leaflet is inlined, so the
    page works offline; all user text is escaped or set as text.

    Parameters
    ----------
    before, after
        Joined frames (:func:`bkmap.pipeline.load_joined`) on one version of
        the units; ``attrs["as_of"]`` names each date.

    Returns
    -------
    folium.Map
        Save it with :func:`bkmap.render.maps.save_map`.
    """
    import folium
    from branca.element import Element

    from bkmap.render import maps
    from bkmap.render.assets import inline_assets

    lang = check_lang(lang)
    table = compare_status(before, after, lang=lang)
    day_a = str(before.attrs.get("as_of") or "?")
    day_b = str(after.attrs.get("as_of") or "?")
    label_a, label_b = format_date(day_a, lang), format_date(day_b, lang)
    title = t("v_compare_title", lang, a=label_a, b=label_b)
    fmap = maps.criterion_map(
        after,
        lang=lang,
        districts=districts,
        sources=sources,
        as_of=day_b,
        title=title,
        tiles=tiles,
        simplify=simplify,
        inline=False,
    )
    for child in list(fmap._children.values()):
        if isinstance(child, folium.GeoJson) and child.layer_name:
            child.layer_name = f"{label_b}: {child.layer_name}"

    # The earlier date: draw it with the same function, then move its layers onto this map.
    earlier = maps.criterion_map(
        before, lang=lang, sources=sources, as_of=day_a, tiles=None, simplify=simplify, inline=False
    )
    control = None
    for key, child in list(fmap._children.items()):
        if isinstance(child, folium.LayerControl):
            control = fmap._children.pop(key)
    for key, child in list(earlier._children.items()):
        if isinstance(child, folium.LayerControl | folium.TileLayer | folium.map.FitBounds):
            continue
        if isinstance(child, folium.map.Layer):
            child.layer_name = f"{label_a}: {child.layer_name}"
            child.show = False
        fmap.add_child(child, name=key)

    changed = table[table["change"].ne("unchanged")]
    geo = after.set_index("code").loc[changed["code"]]
    from bkmap.geo.simplify import display_geometry

    shapes = gpd.GeoDataFrame(
        {
            "code": changed["code"].to_numpy(),
            "name": changed["name"].to_numpy(),
            "k_change": changed["change"].to_numpy(),
            "t_change": changed["change"].map(lambda k: t(f"v_change_{k}", lang)).to_numpy(),
            "what": changed["what"].to_numpy(),
        },
        geometry=display_geometry(
            gpd.GeoDataFrame(geo.reset_index(), geometry=after.geometry.name, crs=after.crs),
            simplify=simplify,
        ).to_numpy(),
        crs=settings.geographic_crs,
    )
    if len(shapes):
        folium.GeoJson(
            inert_frame(shapes),
            name=t("v_changed_layer", lang, a=label_a, b=label_b),
            show=True,
            style_function=lambda f: {
                "fill": True,
                "fillOpacity": 0.05,
                "color": CHANGE_COLORS.get(f["properties"]["k_change"], "#000"),
                "weight": 3.5,
            },
            highlight_function=lambda _f: {"weight": 5, "color": "#000000"},
            tooltip=maps.SafeTooltip(
                fields=["name", "code", "t_change", "what"],
                aliases=[
                    t("name", lang),
                    t("code", lang),
                    t("v_changes", lang),
                    t("v_what_changed", lang),
                ],
                sticky=True,
            ),
        ).add_to(fmap)
    root: Any = fmap.get_root()
    root.header.add_child(Element(_COMPARE_CSS))
    root.html.add_child(
        Element(inert_text(_changes_panel(before, after, table, lang, label_a, label_b)))
    )
    if control is not None:
        fmap.add_child(control)
    else:
        folium.LayerControl(collapsed=False).add_to(fmap)
    inline_assets(fmap)
    return fmap


_COMPARE_CSS = """
<style>
.bkmap-changes{position:fixed;bottom:30px;right:10px;z-index:1000;max-height:40vh;overflow:auto;max-width:420px;
 background:rgba(255,255,255,.95);padding:6px 8px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);
 font:12px/1.3 "Noto Sans",Arial,sans-serif}
.bkmap-changes table{border-collapse:collapse;margin-bottom:4px}
.bkmap-changes th,.bkmap-changes td{padding:1px 4px;text-align:left;vertical-align:top}
.bkmap-changes td.n{text-align:right}
.bkmap-changes i{display:inline-block;width:12px;height:10px;margin-right:4px;border:2px solid #777}
</style>
"""


def _changes_panel(
    before: pd.DataFrame,
    after: pd.DataFrame,
    table: pd.DataFrame,
    lang: str,
    label_a: str,
    label_b: str,
) -> str:
    esc = html.escape
    counts = []
    for value in VALUES:
        n_a = int(before[OVERALL].eq(value).sum())
        n_b = int(after[OVERALL].eq(value).sum())
        counts.append(
            f'<tr><td>{esc(t(value, lang))}</td><td class="n" data-date="before" '
            f'data-class="{esc(value)}">{n_a}</td><td class="n" data-date="after" '
            f'data-class="{esc(value)}">{n_b}</td></tr>'
        )
    kinds = table["change"].value_counts()
    kind_rows = "".join(
        f'<tr><td><i style="border-color:{CHANGE_COLORS[k]}"></i>{esc(t(f"v_change_{k}", lang))}</td>'
        f'<td class="n" data-change="{esc(k)}">{int(kinds.get(k, 0))}</td></tr>'
        for k in CHANGE_KINDS
    )
    changed = table[table["change"].ne("unchanged")]
    lines = "".join(
        f'<tr data-code="{esc(r.code)}"><td>{esc(r.code)}</td><td>{esc(r.name)}</td>'
        f"<td>{esc(t(f'v_change_{r.change}', lang))}</td><td>{esc(r.what)}</td></tr>"
        for r in changed.itertuples(index=False)
    )
    return (
        '<div class="bkmap-changes" id="bkmap-changes">'
        f"<strong>{esc(t('overall', lang))}</strong>"
        f"<table><thead><tr><th></th><th>{esc(label_a)}</th><th>{esc(label_b)}</th></tr></thead>"
        f"<tbody>{''.join(counts)}</tbody></table>"
        f"<strong>{esc(t('v_changes', lang))}</strong><table><tbody>{kind_rows}</tbody></table>"
        f"<details><summary>{esc(t('v_what_changed', lang))} ({len(changed)})</summary>"
        f'<table class="bkmap-change-list"><tbody>{lines}</tbody></table></details></div>'
    )
