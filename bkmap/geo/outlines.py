"""Outlines drawn over the units of a map: districts, or the names of provinces."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from bkmap import settings

__all__ = ["area_outlines"]


def area_outlines(joined: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """Outlines to draw over an area's communes: its districts, or its provinces' names.

    For one province, the communes dissolved by district. For the whole
    country, one point per province to place its name (dissolving 11,000
    communes takes seconds, more than drawing them). ``None`` when the frame
    has no district names.
    """
    if "province" in joined.columns and joined["province"].nunique() > 1:
        # Label each province on its commune nearest the median of its communes'
        # inner points: placement only, nothing is measured.
        geo = joined.to_crs(settings.geographic_crs)
        inner = shapely.point_on_surface(geo.geometry.to_numpy())
        xy = pd.DataFrame(
            {
                "province": geo["province"].to_numpy(),
                "x": shapely.get_x(inner),
                "y": shapely.get_y(inner),
            }
        )
        median = xy.groupby("province")[["x", "y"]].transform("median")
        xy["d"] = (xy["x"] - median["x"]) ** 2 + (xy["y"] - median["y"]) ** 2
        pick = xy.sort_values("d").groupby("province", sort=False).head(1).index
        return gpd.GeoDataFrame(
            {"province": geo["province"].to_numpy()[pick]},
            geometry=geo.geometry.to_numpy()[pick],
            crs=settings.geographic_crs,
        )
    if "district" not in joined.columns or not joined["district"].astype(bool).any():
        return None
    out = joined[["district", joined.geometry.name]].to_crs(settings.metric_crs)
    out = out.dissolve("district").reset_index()
    # Slivers between the source's communes become holes of the dissolved districts:
    # drop holes under 1 km², which are not features of the district.
    out.geometry = [_without_small_holes(g, 1e6) for g in out.geometry]
    return out.to_crs(settings.geographic_crs)


def _without_small_holes(geom: shapely.Geometry, min_area: float) -> shapely.Geometry:
    polygons = []
    for part in shapely.get_parts(geom):
        holes = [r for r in part.interiors if shapely.Polygon(r).area >= min_area]
        polygons.append(shapely.Polygon(part.exterior, holes))
    return shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]
