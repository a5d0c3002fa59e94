"""Display geometry: topology-preserving simplification for maps.

Shapes are simplified only for drawing. :func:`display_geometry` uses
shapely 2's ``coverage_simplify``, which simplifies the shared edges of a
polygon coverage once, so neighbours keep a common edge and no gaps open.
Analysis always uses the unsimplified shapes.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import shapely

from bkmap import settings

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_TOLERANCE_M", "display_geometry"]

#: Decimal places kept in displayed coordinates (1e-5 degrees is about 1 m).
DEFAULT_DECIMALS: int = 5

#: Tolerance in metres for a province map viewed at zoom 9-12: about a quarter
#: of a screen pixel at zoom 12 (38 m/px at 22° N), invisible on screen.
DEFAULT_TOLERANCE_M: float = 10.0


def display_geometry(
    frame: gpd.GeoDataFrame,
    *,
    simplify: bool = True,
    tolerance_m: float | None = None,
    decimals: int | None = None,
) -> gpd.GeoSeries:
    """Return the shapes to draw, simplified with shared edges kept.

    Parameters
    ----------
    frame
        Polygons in any CRS.
    simplify
        ``False`` returns the shapes unchanged.
    tolerance_m
        Simplification tolerance in metres (default :data:`DEFAULT_TOLERANCE_M`).
    decimals
        Decimal places of the EPSG:4326 coordinates (default :data:`DEFAULT_DECIMALS`).
        Shared vertices round to the same point, so shared edges stay shared.

    Returns
    -------
    GeoSeries
        In EPSG:4326.
    """
    if frame.empty:
        return frame.geometry.to_crs(settings.geographic_crs)
    grid = 10.0 ** -(DEFAULT_DECIMALS if decimals is None else decimals)
    if not simplify:
        geo = frame.geometry.to_crs(settings.geographic_crs)
        return gpd.GeoSeries(
            shapely.set_precision(geo.to_numpy(), grid, mode="pointwise"),
            index=frame.index,
            crs=settings.geographic_crs,
        )
    tol = DEFAULT_TOLERANCE_M if tolerance_m is None else tolerance_m
    metric = frame.geometry.to_crs(settings.metric_crs)
    simplified = shapely.coverage_simplify(metric.to_numpy(), tol, simplify_boundary=True)
    geo = gpd.GeoSeries(simplified, index=frame.index, crs=settings.metric_crs).to_crs(
        settings.geographic_crs
    )
    rounded = shapely.set_precision(geo.to_numpy(), grid, mode="pointwise")
    return gpd.GeoSeries(rounded, index=frame.index, crs=settings.geographic_crs)
