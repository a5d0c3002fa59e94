"""Spatial analysis without disk I/O: point and coverage kernels (and their dask twin),
the gap analysis, district summaries and the reconciliation with published totals.

:func:`count_points_in_polygons` and :func:`covered_share` take plain or
dask-geopandas frames: plain ones run the single-machine kernels of
:mod:`bkmap.analysis.kernels`, dask ones the cluster versions of
:mod:`bkmap.analysis.distributed` (which needs the ``dask`` extra).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from bkmap.analysis import kernels

__all__ = ["count_points_in_polygons", "covered_share", "is_dask"]


def is_dask(obj: object) -> bool:
    """Return True for a dask or dask-geopandas collection."""
    return type(obj).__module__.split(".")[0] in ("dask_geopandas", "dask")


def count_points_in_polygons(
    points: gpd.GeoDataFrame | Any, polygons: gpd.GeoDataFrame, *, key: str = "code"
) -> pd.Series:
    """Count the points inside each polygon, on one machine or on a dask cluster.

    See :func:`bkmap.analysis.kernels.count_points_in_polygons`; dask-geopandas
    points go to :func:`bkmap.analysis.distributed.count_points_in_polygons`.
    """
    if is_dask(points):
        # Lazy: dask is an optional extra.
        from bkmap.analysis import distributed

        return distributed.count_points_in_polygons(points, polygons, key=key)
    return kernels.count_points_in_polygons(points, polygons, key=key)


def covered_share(
    polygons: gpd.GeoDataFrame, coverage: gpd.GeoDataFrame | Any, *, key: str = "code"
) -> pd.Series:
    """Share of each polygon's area covered, on one machine or on a dask cluster.

    See :func:`bkmap.analysis.kernels.covered_share`; dask-geopandas coverage
    goes to :func:`bkmap.analysis.distributed.covered_share`.
    """
    if is_dask(coverage):
        # Lazy: dask is an optional extra.
        from bkmap.analysis import distributed

        return distributed.covered_share(polygons, coverage, key=key)
    return kernels.covered_share(polygons, coverage, key=key)
