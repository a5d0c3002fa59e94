"""The spatial layers bkmap hands to GIS software (QGIS): communes, gaps and plan.

Each function turns a result into named frames, ready for
:func:`bkmap.io.write.write_geopackage` or :func:`bkmap.io.write.write_shapefiles`:
spatial layers as :class:`~geopandas.GeoDataFrame` in EPSG:4326, tables
without geometry (the sources, the conflicts) as plain frames. Values are
those of the in-memory result, unrounded, so a layer read back equals it.
Layers made from illustrative data carry :data:`bkmap.model.illustrative.COLUMN`
(``True``) on every feature.

``bkmap export`` writes all of them into one file; ``bkmap gaps`` and
``bkmap plan`` write theirs as ``gaps.gpkg`` and ``plan.gpkg`` beside their CSVs.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from bkmap import settings
from bkmap.analysis.gaps import GapResult
from bkmap.join import Assessment
from bkmap.model import illustrative
from bkmap.planning.model import PlanResult
from bkmap.planning.siting import VillagePlan

__all__ = [
    "GEOMETRY_TYPES",
    "SOURCE_COLUMNS",
    "commune_layers",
    "gap_layers",
    "plan_layers",
]

#: Columns of the ``sources`` table: what a reader needs to find a source (internal
#: remarks on its quality stay out).
SOURCE_COLUMNS: tuple[str, ...] = (
    "source_id",
    "published",
    "evidence_date",
    "title",
    "url",
    "host",
    "public",
)


#: The geometry type of each spatial layer, for the writers when a layer is empty.
GEOMETRY_TYPES: dict[str, str] = {
    "communes": "MultiPolygon",
    "gaps": "MultiPolygon",
    "gap_measures": "MultiPolygon",
    "stations": "Point",
    "stations_later": "Point",
    "covered_area": "MultiPolygon",
    "uncovered_villages": "Point",
    "postal": "Point",
    "plan": "MultiPolygon",
    "plan_communes": "MultiPolygon",
    "plan_sites": "Point",
}


def _geographic(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs(settings.geographic_crs) if frame.crs is not None else frame


def commune_layers(
    assessment: Assessment, *, illustrative_data: bool | None = None
) -> dict[str, pd.DataFrame]:
    """The joined communes, with every status column and its source ids, and the sources.

    Returns ``communes`` (one polygon per unit: codes, names, each indicator's
    status, ``_source`` and ``_confidence``, the overall ``c8``, notes and
    lineage) and, when the assessment names its sources, ``sources`` (one row
    per source id used, with its title, date and link).

    ``illustrative_data`` marks the layers as illustrative (default: whether
    the assessment is).
    """
    flag = assessment.illustrative if illustrative_data is None else illustrative_data
    communes = _geographic(assessment.joined.copy())
    layers: dict[str, pd.DataFrame] = {"communes": illustrative.marked(communes, flag)}
    sources = assessment.sources
    if sources is not None and len(sources):
        used = _used_sources(communes)
        table = sources.loc[sources["source_id"].isin(used)]
        keep = [c for c in SOURCE_COLUMNS if c in table.columns]
        layers["sources"] = illustrative.marked(
            pd.DataFrame(table[keep]).reset_index(drop=True), flag
        )
    return layers


def _used_sources(communes: pd.DataFrame) -> set[str]:
    ids: set[str] = set()
    for column in [c for c in communes.columns if str(c).endswith("_source")]:
        for cell in communes[column].dropna().astype(str):
            ids.update(s.strip() for s in cell.split(";") if s.strip())
    return ids


def gap_layers(result: GapResult) -> dict[str, pd.DataFrame]:
    """The layers of a gap analysis.

    ``gaps`` (the ranked communes with a gap), ``gap_measures`` (every commune
    with every measure), and when they exist: ``stations`` (standing on the
    assessment date), ``stations_later`` (built after it), ``covered_area``,
    ``uncovered_villages``, ``postal``, and the table ``conflicts``.
    """
    flag = result.illustrative
    layers: dict[str, pd.DataFrame] = {
        "gaps": _geographic(result.gaps),
        "gap_measures": _geographic(result.communes),
    }
    optional: dict[str, gpd.GeoDataFrame | None] = {
        "stations": result.stations,
        "stations_later": result.later_stations,
        "covered_area": result.covered_area,
        "uncovered_villages": result.uncovered_villages,
        "postal": result.postal,
    }
    for name, frame in optional.items():
        if frame is not None and len(frame):
            layers[name] = _geographic(frame)
    if len(result.conflicts):
        layers["conflicts"] = result.conflicts
    return {name: illustrative.marked(frame, flag) for name, frame in layers.items()}


def plan_layers(
    assessment: Assessment,
    result: PlanResult,
    *,
    village: VillagePlan | None = None,
    illustrative_data: bool | None = None,
) -> dict[str, pd.DataFrame]:
    """The layers of a station plan.

    ``plan`` (the communes chosen, in order, as polygons), ``plan_communes``
    (every unit and why it is or is not a candidate) and, with the village
    model, ``plan_sites`` (the sites chosen).
    """
    flag = assessment.illustrative if illustrative_data is None else illustrative_data
    shapes = _geographic(assessment.joined)[["code", "geometry"]]
    chosen = shapes.merge(pd.DataFrame(result.table), on="code", how="inner")
    chosen = chosen.sort_values("rank", kind="stable").reset_index(drop=True)
    communes = shapes.merge(pd.DataFrame(result.candidates), on="code", how="inner")
    communes["unknown_policy"] = result.policy.unknown
    layers: dict[str, pd.DataFrame] = {
        "plan": gpd.GeoDataFrame(chosen, geometry="geometry", crs=shapes.crs),
        "plan_communes": gpd.GeoDataFrame(communes, geometry="geometry", crs=shapes.crs),
    }
    if village is not None:
        sites = village.sites.loc[village.sites["chosen"]]
        layers["plan_sites"] = _geographic(sites)
    return {name: illustrative.marked(frame, flag) for name, frame in layers.items()}
