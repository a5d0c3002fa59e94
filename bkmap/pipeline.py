"""The default read → validate → join chain, shared by the CLI and notebooks.

:func:`load_joined` does what every command needs first: read the commune
polygons and a status table (the shipped ones by default), match the rows,
and return one frame per commune with its status.
"""

from __future__ import annotations

import logging
import os

import geopandas as gpd
import pandas as pd

from bkmap.io.boundaries import read_communes
from bkmap.io.status import load_status, read_status
from bkmap.join import MatchResult, join_status

log = logging.getLogger(__name__)

__all__ = ["load_joined"]


def load_joined(
    *,
    status: str | os.PathLike[str] | pd.DataFrame | None = None,
    boundaries: str | os.PathLike[str] | gpd.GeoDataFrame | None = None,
    on: str | None = None,
    as_of: str | None = None,
    layer: str | None = None,
    encoding: str | None = None,
    whole_province: bool = False,
    strict: bool = True,
    crs: str | None = None,
    clean: bool = False,
    province: str | None = None,
    national: str | os.PathLike[str] | None = None,
    columns: str | None = None,
) -> tuple[gpd.GeoDataFrame, MatchResult]:
    """Read boundaries and a status table and join them.

    Parameters
    ----------
    status
        A status table path or frame; the shipped table for ``as_of`` by default.
    boundaries
        A boundary file path or frame; the shipped layer in force ``on`` by default.
    on
        Date or version of the units (default: the 2019 units).
    as_of
        Assessment date of the shipped status table (default 2019-08-12).
    layer
        Layer of a multi-layer boundary file.
    encoding
        Force the text encoding of the input files (CSV table, shapefile fields).
    whole_province
        With 2025 units: draw all 92 units of Thái Nguyên.
    strict
        Raise on duplicate or conflicting rows.
    crs
        Force the coordinate system of a boundary file (``--crs``); detected by default.
    clean
        Remove gaps and overlaps between communes (``--clean``).
    province
        One province (name or code) of a national layer, or ``"all"``
        (``--province``); see :func:`bkmap.io.national.load_area_joined`.
    national
        The national layer for ``province`` (default: the shipped 2009 layer).
    columns
        Column mapping of ``national`` (``code=ma_xa,name=ten_xa,...``).

    Examples
    --------
    >>> joined, result = load_joined()
    >>> len(joined), joined["c8"].eq("met").sum()
    (122, np.int64(8))
    """
    if province is not None or national is not None:
        from bkmap._errors import InputError
        from bkmap.io.national import load_area_joined

        if boundaries is not None:
            msg = "--province reads a national layer (--national); it cannot be combined with --boundaries"
            raise InputError(msg)
        return load_area_joined(  # type: ignore[return-value]
            province or "all",
            national=national,
            columns=columns,
            status=status,
            layer=layer,
            encoding=encoding,
            strict=strict,
        )
    if isinstance(boundaries, gpd.GeoDataFrame):
        communes = boundaries
    else:
        communes = read_communes(
            boundaries,
            on=on,
            layer=layer,
            whole_province=whole_province,
            crs=crs,
            encoding=encoding,
            clean=clean,
        )
    if isinstance(status, pd.DataFrame):
        table = status
    elif status is None:
        table = load_status(as_of)
        version = communes.attrs.get("version")
        if version and version != "2019":
            from bkmap.versions import layers as versions

            table = versions.carry(table, to=version, whole_province=whole_province)
    else:
        table = read_status(status, encoding=encoding)
    joined, result = join_status(communes, table, strict=strict)
    joined.attrs["as_of"] = as_of or table.attrs.get("as_of") or _as_of(table)
    return joined, result


def _as_of(table: pd.DataFrame) -> str | None:
    if "as_of" in table.columns:
        values = table["as_of"].replace("", pd.NA).dropna().unique()
        if len(values) == 1:
            return str(values[0])
    return None
