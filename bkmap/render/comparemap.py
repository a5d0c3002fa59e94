"""The comparison map: two assessment dates on one offline map, with what changed.

A layer per date plus a layer and a table of the changes found by
:func:`bkmap.versions.compare.compare_status`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from bkmap import settings
from bkmap.i18n import check_lang, format_date, t
from bkmap.join import Assessment
from bkmap.model.criteria import OVERALL, VALUES
from bkmap.render.htmlsafe import RawElement, inert_frame, page_code, page_html, page_text

if TYPE_CHECKING:
    import folium

import folium

from bkmap.geo.simplify import display_geometry
from bkmap.render import maps, palette
from bkmap.render.assets import inline_assets
from bkmap.versions.compare import CHANGE_KINDS, change_counts, compare_status

log = logging.getLogger(__name__)

__all__ = [
    "CHANGE_COLORS",
    "compare_map",
]

#: Outline colour of each kind in the "changed" layer (:data:`bkmap.render.palette.CHANGE_COLORS`).
CHANGE_COLORS: dict[str, str] = palette.CHANGE_COLORS


def compare_map(
    before: Assessment,
    after: Assessment,
    *,
    lang: str | None = None,
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
        Assessments (:func:`bkmap.pipeline.assess`) on one version of the units;
        their assessment dates name the layers.

    Returns
    -------
    folium.Map
        Save it with :func:`bkmap.render.maps.save_map`.
    """

    lang = check_lang(lang)
    table = compare_status(before.joined, after.joined, lang=lang)
    day_a = before.as_of or "?"
    day_b = after.as_of or "?"
    label_a, label_b = format_date(day_a, lang), format_date(day_b, lang)
    title = t("v_compare_title", lang, a=label_a, b=label_b)
    fmap = maps.criterion_map(
        after,
        lang=lang,
        title=title,
        tiles=tiles,
        simplify=simplify,
        inline=False,
    )
    for child in list(fmap._children.values()):
        if isinstance(child, folium.GeoJson) and child.layer_name:
            child.layer_name = page_html(f"{page_text(label_b)}: {page_text(child.layer_name)}")

    # The earlier date: draw it with the same function, then move its layers onto this map.
    earlier = maps.criterion_map(
        before.replace(outlines=None, province=None),
        lang=lang,
        tiles=None,
        simplify=simplify,
        inline=False,
    )
    control = None
    for key, child in list(fmap._children.items()):
        if isinstance(child, folium.LayerControl):
            control = fmap._children.pop(key)
    for key, child in list(earlier._children.items()):
        if isinstance(child, folium.LayerControl | folium.TileLayer | folium.map.FitBounds):
            continue
        if isinstance(child, folium.map.Layer):
            child.layer_name = page_html(f"{page_text(label_a)}: {page_text(child.layer_name)}")
            child.show = False
        fmap.add_child(child, name=key)

    changed = table[table["change"].ne("unchanged")]
    geo = after.joined.set_index("code").loc[changed["code"]]

    shapes = gpd.GeoDataFrame(
        {
            "code": changed["code"].to_numpy(),
            "name": changed["name"].to_numpy(),
            "k_change": changed["change"].to_numpy(),
            "t_change": changed["change"].map(lambda k: t(f"v_change_{k}", lang)).to_numpy(),
            "what": changed["what"].to_numpy(),
        },
        geometry=display_geometry(
            gpd.GeoDataFrame(
                geo.reset_index(), geometry=after.joined.geometry.name, crs=after.joined.crs
            ),
            simplify=simplify,
        ).to_numpy(),
        crs=settings.geographic_crs,
    )
    if len(shapes):
        folium.GeoJson(
            inert_frame(shapes),
            name=page_text(t("v_changed_layer", lang, a=label_a, b=label_b)),
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
    root.header.add_child(RawElement(page_code(_COMPARE_CSS)))
    root.html.add_child(
        RawElement(
            page_html(_changes_panel(before.joined, after.joined, table, lang, label_a, label_b))
        )
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
    esc = page_text  # the one escape of page text (bkmap.render.htmlsafe)
    counts = []
    for value in VALUES:
        n_a = int(before[OVERALL].eq(value).sum())
        n_b = int(after[OVERALL].eq(value).sum())
        counts.append(
            f'<tr><td>{esc(t(value, lang))}</td><td class="n" data-date="before" '
            f'data-class="{esc(value)}">{n_a}</td><td class="n" data-date="after" '
            f'data-class="{esc(value)}">{n_b}</td></tr>'
        )
    # Gained, lost, newly known and unchanged apart, for criterion 8 and each indicator:
    # a value that became known is new knowledge, not progress.
    by_value = change_counts(table)
    header = "".join(
        f"<th>{esc(t('overall', lang) if key == OVERALL else key[1:].replace('_', '.'))}</th>"
        for key in by_value.index
    )
    kind_rows = "".join(
        f'<tr><td><i style="border-color:{CHANGE_COLORS[k]}"></i>{esc(t(f"v_change_{k}", lang))}</td>'
        + "".join(
            f'<td class="n" data-value="{esc(key)}" data-change="{esc(k)}">'
            f"{int(by_value.at[key, k])}</td>"
            for key in by_value.index
        )
        + "</tr>"
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
        f"<strong>{esc(t('v_changes', lang))}</strong><table><thead><tr><th></th>{header}</tr>"
        f"</thead><tbody>{kind_rows}</tbody></table>"
        f"<details><summary>{esc(t('v_what_changed', lang))} ({len(changed)})</summary>"
        f'<table class="bkmap-change-list"><tbody>{lines}</tbody></table></details></div>'
    )
