"""The default read → validate → join chain, shared by the CLI and notebooks.

:func:`load_joined` does what every command needs first: read the commune
polygons and a status table (the shipped ones by default), match the rows,
and return one frame per commune with its status.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from bkmap import settings
from bkmap._errors import InputError
from bkmap.io.boundaries import read_communes
from bkmap.io.national import read_area
from bkmap.io.status import load_status, read_status
from bkmap.join import MatchResult, join_status, join_without_table
from bkmap.model.names import name_key
from bkmap.versions.carry import carry

log = logging.getLogger(__name__)

__all__ = ["join_area", "load_area_joined", "load_joined"]


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
        (``--province``); see :func:`load_area_joined`.
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
            table = carry(table, to=version, whole_province=whole_province)
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


def _is_bac_kan(values: pd.Series) -> pd.Series:
    target = name_key("Bắc Kạn", level="province")
    keys = {p: name_key(p, level="province") == target for p in values.unique()}
    return values.map(keys).astype(bool)


def join_area(
    area: gpd.GeoDataFrame,
    table: pd.DataFrame | None = None,
    *,
    strict: bool = True,
) -> tuple[gpd.GeoDataFrame, object]:
    """Join a status table to the communes of an area.

    With ``table=None`` the shipped Bắc Kạn table (2019-08-12) is matched, by
    name within district, to the area's Bắc Kạn communes (if the area holds
    any, and only when the area is the shipped 2009 layer); every other unit is
    ``unknown`` (``not_applicable`` for phường and thị trấn). A user's table
    is matched to every unit of the area.

    Returns
    -------
    (GeoDataFrame, MatchResult)
    """
    if table is not None:
        return join_status(area, table, strict=strict)
    bac_kan = _is_bac_kan(area["province"]) & (area.attrs.get("version") == "2009")
    if not bac_kan.any():
        joined, result = join_without_table(area)
        joined.attrs["as_of"] = None
        return joined, result
    shipped = load_status()
    # Its GSO codes are not this layer's ids: match on name within district only.
    by_name = shipped.copy()
    by_name["code"] = ""
    by_name.attrs.update(shipped.attrs)
    inside, result = join_status(area.loc[bac_kan], by_name, strict=strict)
    if bac_kan.all():
        joined = inside
    else:
        outside, rest = join_without_table(area.loc[~bac_kan])
        joined = pd.concat([inside, outside]).loc[area.index]
        joined = gpd.GeoDataFrame(joined, geometry=area.geometry.name, crs=area.crs)
        report = pd.concat([result.report, rest.report], ignore_index=True)  # type: ignore[attr-defined]
        result = MatchResult(matched=result.matched, report=report, problems=result.problems)
    joined.attrs.update(area.attrs)
    joined.attrs["as_of"] = shipped.attrs.get("as_of") or settings.default_as_of
    return joined, result


def load_area_joined(
    province: str,
    *,
    national: str | os.PathLike[str] | None = None,
    columns: str | Mapping[str, str] | None = None,
    status: str | os.PathLike[str] | pd.DataFrame | None = None,
    layer: str | None = None,
    encoding: str | None = None,
    strict: bool = True,
) -> tuple[gpd.GeoDataFrame, object]:
    """Read an area of a national layer and join a status table to it (see :func:`join_area`)."""
    area = read_area(province, national=national, columns=columns, layer=layer)
    if status is None or isinstance(status, pd.DataFrame):
        table = status
    else:
        table = read_status(status, encoding=encoding)
    joined, result = join_area(area, table, strict=strict)
    if table is not None:
        joined.attrs["as_of"] = table.attrs.get("as_of")
    joined.attrs.update({k: v for k, v in area.attrs.items() if k != "as_of"})
    return joined, result
