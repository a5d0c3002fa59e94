"""Reading point layers for the gap analysis: stations, cell sites, towers, villages, post offices.

:func:`read_points` reads a GeoJSON, GeoPackage or shapefile (through the one
vector reader),
or a CSV table with lon/lat columns or VN-2000 x/y columns, and returns a
GeoDataFrame in EPSG:4326 with the attribute columns of its ``kind`` (see
:data:`KINDS`) put into a fixed schema.

Nothing is lost silently. A row with missing or unparseable coordinates, a
cell of another network (MCC not 452), a point outside the province, or a
feature of the wrong geometry type is left out of the frame and listed in
the frame's :class:`~bkmap.io.record.ReadRecord` (see :func:`dropped_rows`),
with its row number and the reason.

Every decision about the coordinate system of an input is taken by the
one CRS policy, :func:`bkmap.io.crs.resolve_crs`, as for every other layer.

Cell sites follow the OpenCelliD CSV format (``radio, mcc, net, area, cell,
unit, lon, lat, range, samples, changeable, created, updated,
averageSignal``; the header may be absent, as in OpenCelliD's per-country
files). A site covers a disc whose radius is its ``range`` in metres when
that is above zero, and otherwise the default of its technology in
:data:`DEFAULT_RADII_M`.
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import io
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pandas.api.types import union_categoricals
from pyproj import CRS, Transformer

from bkmap import datasets, settings
from bkmap._errors import InputError, ValidationError
from bkmap.i18n import msg as _msg
from bkmap.io import encodings
from bkmap.io.boundaries import read_communes
from bkmap.io.crs import FitArea, bac_kan, extent_area, resolve_crs
from bkmap.io.record import DROPPED_COLUMNS, ReadRecord, record_of, with_record
from bkmap.io.tables import read_table, sniff_delimiter, tidy_table, unguard_frame
from bkmap.io.vector import read_vector
from bkmap.model.names import fold
from bkmap.model.units import normalise_codes
from bkmap.notes import Note

log = logging.getLogger(__name__)

__all__ = [
    "COORDINATE_ALIASES",
    "DEFAULT_RADII_M",
    "DROPPED_COLUMNS",
    "KINDS",
    "LAYER_KINDS",
    "MCC_VIETNAM",
    "OPENCELLID_COLUMNS",
    "STATION_TYPES",
    "VIETNAM_BOUNDS",
    "PartitionedLayer",
    "PointLayers",
    "dropped_rows",
    "is_illustrative",
    "read_cells_partitioned",
    "read_point_layers",
    "read_points",
]

#: Mobile country code of Vietnam; other cells are dropped.
MCC_VIETNAM = 452

#: Default coverage radius (metres) of a cell site whose ``range`` is missing or 0.
#: GSM 12 km, UMTS 4 km and LTE 4 km follow the FAO/OpenCelliD convention.
#: CDMA (800 MHz, like GSM 900) takes the GSM value; NR (5G, in Vietnam mostly
#: 2.6-3.5 GHz) takes 2 km: both are bkmap's own conservative choices, not part of
#: that convention. Any other radio value needs a radius given explicitly
#: (``radii={"NBIOT": 5000}`` or ``bkmap gaps --radius NBIOT=5000``).
DEFAULT_RADII_M: dict[str, float] = {
    "GSM": 12_000.0,
    "UMTS": 4_000.0,
    "LTE": 4_000.0,
    "CDMA": 12_000.0,
    "NR": 2_000.0,
}

#: Columns of the OpenCelliD CSV export, in order.
OPENCELLID_COLUMNS: tuple[str, ...] = (
    "radio",
    "mcc",
    "net",
    "area",
    "cell",
    "unit",
    "lon",
    "lat",
    "range",
    "samples",
    "changeable",
    "created",
    "updated",
    "averageSignal",
)

#: Longitude and latitude bounds of Vietnam (with its islands), for telling degrees apart.
VIETNAM_BOUNDS: tuple[float, float, float, float] = (102.1, 8.1, 117.9, 23.5)

#: Station types, each with the spellings accepted (compared without diacritics).
STATION_TYPES: dict[str, tuple[str, ...]] = {
    "wired": ("wired", "co day", "huu tuyen", "day"),
    "wireless_fm": ("wireless_fm", "wireless fm", "fm", "khong day", "vo tuyen", "fm khong day"),
    "ip": ("ip", "ict", "ip/ict", "ung dung cntt", "cntt-vt", "cntt vt", "ip-based", "iot"),
}

#: Attribute columns of each kind: the schema column and its accepted names (folded).
KINDS: dict[str, dict[str, tuple[str, ...]]] = {
    "stations": {
        "name": ("name", "ten", "ten dai", "ten tram", "station"),
        "commune_code": ("commune_code", "code", "ma xa", "ma dvhc", "ma_xa", "gso_code"),
        "type": ("type", "loai", "loai dai", "station_type", "kieu"),
        "year": ("year", "nam", "nam xay dung", "built", "nam dau tu"),
        "working": ("working", "hoat dong", "status", "tinh trang", "dang hoat dong"),
    },
    "cells": {name: (name.lower(),) for name in OPENCELLID_COLUMNS if name not in ("lon", "lat")},
    "towers": {
        "name": ("name", "ten", "ten tram", "site", "site_id", "id"),
        "operator": ("operator", "nha mang", "doanh nghiep", "network"),
        "radius_m": ("radius_m", "radius", "range", "ban kinh", "ban kinh m", "ban_kinh_m"),
    },
    "coverage": {
        "name": ("name", "ten"),
        "operator": ("operator", "nha mang", "doanh nghiep", "network"),
        "technology": ("technology", "radio", "cong nghe", "tech"),
    },
    "villages": {
        "name": ("name", "ten", "ten thon", "thon", "village", "ten thon ban"),
        "commune_code": ("commune_code", "code", "ma xa", "ma dvhc", "ma_xa", "gso_code"),
        "population": ("population", "dan so", "so dan", "pop", "nhan khau", "so nhan khau"),
    },
    "postal": {
        "name": ("name", "ten", "ten diem", "buu cuc", "diem buu dien"),
        "commune_code": ("commune_code", "code", "ma xa", "ma dvhc", "ma_xa", "gso_code"),
    },
    # Any point layer, as `bkmap check` reads one whose kind it does not know.
    "points": {"name": ("name", "ten")},
}


_LON = ("lon", "lng", "long", "longitude", "kinh do", "kinhdo", "x_lon")
_LAT = ("lat", "latitude", "vi do", "vido", "y_lat")
_X = ("x", "x_vn2000", "toa do x", "easting", "east")
_Y = ("y", "y_vn2000", "toa do y", "northing", "north")

#: Coordinate column names of a table: (x aliases, y aliases), longitude/latitude first.
COORDINATE_ALIASES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ((_LON, _LAT), (_X, _Y))

_TRUE = {"yes", "y", "true", "1", "co", "hoat dong", "dang hoat dong", "working", "tot", "x"}
_FALSE = {"no", "n", "false", "0", "khong", "hong", "ngung", "ngung hoat dong", "not working"}

_VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".fgb", ".kml")
_TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


def _fold(text: object) -> str:
    return fold(str(text)).replace("_", " ").strip()


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        msg = f"kind={kind!r} is not a point layer kind. Use one of: {', '.join(KINDS)}."
        raise ValidationError(msg)
    return kind


# --- reading ---------------------------------------------------------------------------------


def _number(values: pd.Series) -> pd.Series:
    """Parse numbers written with a decimal point or a decimal comma; NaN where unparseable."""
    text = values.astype(str)
    numbers = pd.to_numeric(text, errors="coerce")
    # Only the cells that failed are looked at again: a national file has millions.
    retry = numbers.isna() & text.ne("")
    if retry.any():
        again = text[retry].str.strip()
        comma = again.str.contains(",", regex=False) & ~again.str.contains(".", regex=False)
        again = again.where(~comma, again.str.replace(",", ".", regex=False))
        numbers = numbers.astype(float)
        numbers[retry] = pd.to_numeric(again, errors="coerce")
    return numbers


def _find_column(columns: list[str], given: str | None, aliases: tuple[str, ...]) -> str | None:
    if given is not None:
        return given
    folded = {_fold(c): c for c in columns}
    for alias in aliases:
        if _fold(alias) in folded:
            return folded[_fold(alias)]
    return None


def _read_table_points(
    path: Path,
    *,
    kind: str,
    crs: str | CRS | None,
    lon: str | None,
    lat: str | None,
    x: str | None,
    y: str | None,
    encoding: str | None,
    area: FitArea,
    dropped: list[tuple[object, str]],
) -> tuple[gpd.GeoDataFrame, ReadRecord]:
    if kind == "coverage":
        msg = _msg("err_coverage_csv", path=path)
        raise InputError(msg)
    frame = _read_csv(path, kind=kind, encoding=encoding)
    source = str(path)
    columns = [str(c) for c in frame.columns]
    for name, col in (("--lon", lon), ("--lat", lat), ("--x", x), ("--y", y)):
        if col is not None and col not in columns:
            msg = _msg(
                "err_no_column", source=source, column=col, option=name, columns=", ".join(columns)
            )
            raise InputError(msg)
    if (lon is None) != (lat is None) or (x is None) != (y is None):
        msg = _msg("err_one_coordinate", source=source)
        raise InputError(msg)
    if x is None and lon is None:
        lon = _find_column(columns, None, _LON)
        lat = _find_column(columns, None, _LAT)
        if lon is None or lat is None:
            x = _find_column(columns, None, _X)
            y = _find_column(columns, None, _Y)
            lon = lat = None
    first, second = (lon, lat) if lon is not None else (x, y)
    if first is None or second is None:
        msg = _msg("err_no_coordinates", source=source, columns=", ".join(columns))
        raise InputError(msg)
    # lon/lat columns declare WGS 84 by their names; x/y columns declare nothing.
    points = _table_points(
        frame, first=first, second=second, geographic=lon is not None, dropped=dropped
    )
    points, decision = resolve_crs(points, crs=crs, source=source, area=area)
    table_record = record_of(frame) or ReadRecord(source, kind)
    return points, table_record.replace(kind=kind, crs=decision)


def _table_points(
    frame: pd.DataFrame,
    *,
    first: str,
    second: str,
    geographic: bool,
    dropped: list[tuple[object, str]],
) -> gpd.GeoDataFrame:
    """The rows of a table with coordinates as points; the others go to ``dropped``."""
    xs = _number(frame[first])
    ys = _number(frame[second])
    bad = xs.isna() | ys.isna()
    for row in frame.index[bad]:
        a, b = frame.at[row, first], frame.at[row, second]
        what = "drop_missing_xy" if (a == "" or b == "") else "drop_bad_xy"
        dropped.append((row, _msg(what, first=first, a=a, second=second, b=b)))
    attrs = frame.loc[~bad].drop(columns=[first, second])
    return gpd.GeoDataFrame(
        attrs,
        geometry=gpd.points_from_xy(xs[~bad].to_numpy(float), ys[~bad].to_numpy(float)),
        crs=settings.geographic_crs if geographic else None,
    )


def _read_csv(path: Path, *, kind: str, encoding: str | None) -> pd.DataFrame:
    frame = read_table(path, encoding=encoding)
    if kind == "cells" and "radio" not in {_fold(c) for c in frame.columns}:
        # OpenCelliD's per-country files have no header row: the first row is data.
        if len(frame.columns) != len(OPENCELLID_COLUMNS):
            msg = _msg(
                "err_not_opencellid",
                path=path,
                count=len(frame.columns),
                columns=", ".join(OPENCELLID_COLUMNS),
            )
            raise InputError(msg)
        frame = read_table(path, encoding=encoding, header=False)
        frame.columns = list(OPENCELLID_COLUMNS)
    return frame


def _read_vector_points(
    path: Path,
    *,
    kind: str,
    crs: str | CRS | None,
    layer: str | None,
    encoding: str | None,
    area: FitArea,
    dropped: list[tuple[object, str]],
) -> tuple[gpd.GeoDataFrame, ReadRecord]:
    frame = read_vector(path, layer=layer, crs=crs, encoding=encoding, area=area, kind=kind)
    record = record_of(frame) or ReadRecord(str(path), kind)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    geoms = frame.geometry
    empty = geoms.isna() | geoms.is_empty
    for row in frame.index[empty]:
        dropped.append((row, _msg("drop_no_geometry")))
    frame = frame.loc[~empty]
    types = frame.geometry.geom_type
    if kind == "coverage":
        wrong = ~types.isin(["Polygon", "MultiPolygon"])
        expected = _msg("drop_expected_polygon")
    else:
        single = types.eq("MultiPoint") & (shapely.get_num_geometries(frame.geometry.values) == 1)
        if single.any():
            frame.loc[single, "geometry"] = shapely.get_geometry(frame.geometry.values[single], 0)
            types = frame.geometry.geom_type
        wrong = ~types.eq("Point")
        expected = _msg("drop_expected_point")
    for row in frame.index[wrong]:
        dropped.append((row, _msg("drop_wrong_type", kind=types[row], expected=expected)))
    return frame.loc[~wrong], record


# --- attributes ------------------------------------------------------------------------------


def _rename_attributes(frame: gpd.GeoDataFrame, kind: str) -> gpd.GeoDataFrame:
    mapping: dict[str, str] = {}
    folded = {_fold(c): c for c in frame.columns if c != frame.geometry.name}
    for target, aliases in KINDS[kind].items():
        if target in frame.columns:
            continue
        for alias in aliases:
            original = folded.get(_fold(alias))
            if original is not None and original not in mapping:
                mapping[original] = target
                break
    out = frame.rename(columns=mapping)
    for target in KINDS[kind]:
        if target not in out.columns:
            out[target] = pd.NA
    return out


def _parse_working(values: pd.Series) -> pd.Series:
    keys = values.map(lambda v: "" if pd.isna(v) else _fold(v))
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[keys.isin(_TRUE)] = True
    out[keys.isin(_FALSE)] = False
    return out


def _parse_station_type(values: pd.Series) -> pd.Series:
    lookup = {_fold(a): key for key, aliases in STATION_TYPES.items() for a in aliases}

    def one(v: object) -> str:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return ""
        return lookup.get(_fold(v), str(v).strip())

    return values.map(one).astype(str)


def _finish_attributes(
    frame: gpd.GeoDataFrame,
    kind: str,
    *,
    source: str,
    radii: Mapping[str, float],
    dropped: list[tuple[object, str]],
    notes: list[Note],
) -> gpd.GeoDataFrame:
    out = _rename_attributes(frame, kind)
    if "name" in KINDS[kind]:
        out["name"] = out["name"].map(lambda v: "" if v is None or v is pd.NA or v != v else str(v))
    if "commune_code" in KINDS[kind]:
        out["commune_code"] = normalise_codes(out["commune_code"])
    if kind == "stations":
        out["type"] = _parse_station_type(out["type"])
        out["year"] = pd.to_numeric(out["year"].astype(str).str[:4], errors="coerce").astype(
            "Int64"
        )
        out["working"] = _parse_working(out["working"])
    elif kind == "villages":
        pop = _number(out["population"].astype(str).str.replace(".", "", regex=False))
        bad = out["population"].notna() & out["population"].astype(str).ne("") & pop.isna()
        bad |= pop < 0
        notes.extend(
            Note(
                "warning",
                source,
                _msg("note_row", row=row),
                _msg("note_bad_population", value=value),
                _msg("fix_bad_population"),
            )
            for row, value in out.loc[bad, "population"].items()
        )
        out["population"] = pop.where(~bad)
    elif kind == "cells":
        out = _cells(out, source=source, radii=radii, dropped=dropped)
    elif kind == "towers":
        radius = _number(out["radius_m"].astype(str))
        bad = radius.isna() | (radius <= 0)
        dropped.extend(
            (row, f"no usable radius ({value!r}); give radius_m in metres")
            for row, value in out.loc[bad, "radius_m"].items()
        )
        out = out.loc[~bad].copy()
        out["radius_m"] = radius[~bad].astype(float)
    return out


def _cells(
    frame: gpd.GeoDataFrame,
    *,
    source: str,
    radii: Mapping[str, float],
    dropped: list[tuple[object, str]],
) -> gpd.GeoDataFrame:
    mcc = _number(frame["mcc"].astype(str))
    wrong = mcc.ne(MCC_VIETNAM)
    dropped.extend(
        (row, _msg("drop_mcc", value=value, mcc=MCC_VIETNAM))
        for row, value in frame.loc[wrong, "mcc"].items()
    )
    out = frame.loc[~wrong].copy()
    out["radio"] = out["radio"].astype(str).str.strip().str.upper()
    given = _number(out["range"].astype(str))
    default = out["radio"].map(lambda r: radii.get(r, np.nan)).astype(float)
    radius = given.where(given > 0, default)
    unknown = radius.isna()
    dropped.extend(
        (
            row,
            f"radio {radio!r} has no range and no default radius (defaults: "
            f"{', '.join(radii)}); give one with --radius {radio}=METRES",
        )
        for row, radio in out.loc[unknown, "radio"].items()
    )
    out = out.loc[~unknown].copy()
    out["radius_m"] = radius[~unknown].astype(float)
    out["radius_source"] = np.where(given[~unknown] > 0, "range", "default")
    out["mcc"] = MCC_VIETNAM
    return out


@functools.cache
def _province_extent() -> shapely.Geometry:
    """The 2019 communes of Bắc Kạn merged, in the metric CRS.

    The union of the communes, not the province outline of another source, so
    that a point inside a commune polygon is never "outside the province".
    """

    communes = read_communes(on="2019").to_crs(settings.metric_crs)
    return shapely.union_all(communes.geometry.to_numpy())


def _keep_in_extent(
    frame: gpd.GeoDataFrame,
    *,
    kind: str,
    source: str,
    extent: shapely.Geometry | gpd.GeoDataFrame | gpd.GeoSeries | None,
    dropped: list[tuple[object, str]],
) -> gpd.GeoDataFrame:
    area = _metric_area(extent)
    if frame.empty:
        return frame
    if "radius_m" in frame.columns and kind in ("cells", "towers"):
        reason = _msg("drop_disc_outside")
        reach = frame["radius_m"].to_numpy(float)
    elif kind == "coverage":
        reason = _msg("drop_polygon_outside")
        reach = np.zeros(len(frame))
    else:
        reason = _msg("drop_outside")
        reach = np.zeros(len(frame))
    # First a box test in degrees, vectorised: a national cell file keeps a few thousand
    # rows of a million, and only those are reprojected and tested exactly.
    near = _near_box(frame, area, reach)
    inside = np.zeros(len(frame), dtype=bool)
    if near.any():
        geoms = frame.loc[near].to_crs(settings.metric_crs).geometry.to_numpy()
        shapely.prepare(area)
        if kind in ("cells", "towers") and "radius_m" in frame.columns:
            inside[near] = shapely.dwithin(geoms, area, reach[near])
        else:
            inside[near] = shapely.intersects(geoms, area)
    dropped.extend(zip(frame.index[~inside], [reason] * int((~inside).sum()), strict=True))
    return frame.loc[inside]


def _metric_area(extent: shapely.Geometry | gpd.GeoDataFrame | gpd.GeoSeries | None) -> Any:
    """The area a layer is kept within, as one geometry in the metric CRS."""
    if extent is None:
        return _province_extent()
    if isinstance(extent, gpd.GeoDataFrame | gpd.GeoSeries):
        return shapely.union_all(extent.to_crs(settings.metric_crs).geometry.to_numpy())
    return shapely.transform(
        extent, _transformer(settings.geographic_crs, settings.metric_crs), interleaved=False
    )


def _near_box(frame: gpd.GeoDataFrame, area: Any, reach: np.ndarray | float) -> np.ndarray:
    """Which features of ``frame`` (in degrees) lie within ``reach`` metres of ``area``'s box.

    A degree of latitude is at least 110.5 km, and of longitude at 23.5° N about
    102 km, so widening the box by ``reach / 100 km`` degrees never leaves out a
    feature that could reach the area: the test only rules features out.
    """
    box = gpd.GeoSeries([area], crs=settings.metric_crs).to_crs(settings.geographic_crs)
    minx, miny, maxx, maxy = box.total_bounds
    margin = np.asarray(reach, dtype=float) / 100_000.0
    bounds = frame.geometry.bounds.to_numpy()
    return np.asarray(
        (bounds[:, 2] >= minx - margin)
        & (bounds[:, 0] <= maxx + margin)
        & (bounds[:, 3] >= miny - margin)
        & (bounds[:, 1] <= maxy + margin)
    )


def _far_cells(
    frame: gpd.GeoDataFrame,
    *,
    extent: shapely.Geometry | gpd.GeoDataFrame | gpd.GeoSeries | None,
    radii: Mapping[str, float],
    dropped: list[tuple[object, str]],
    largest_range: float | None = None,
) -> gpd.GeoDataFrame:
    """Leave out the cells that cannot reach the area whatever their radius, before the rest.

    A national OpenCelliD file has a million rows, of which a province keeps a few
    thousand: checking and copying the attributes of every row costs seconds and
    hundreds of megabytes. The reach used is the largest the file allows (its
    largest ``range``, or the largest default radius), so no cell that could reach
    the area is left out here; :func:`_keep_in_extent` still tests the rest exactly.
    The rows left out get the same reason as there.
    """
    if frame.empty or frame.crs is None or not frame.crs.is_geographic:
        return frame
    column = _find_column([str(c) for c in frame.columns], None, ("range",))
    if largest_range is not None:
        # A partition of a file read by dask: the file's largest range, so that every
        # partition leaves out the rows one machine would.
        given = largest_range
    else:
        given = _number(frame[column].astype(str)).max() if column is not None else np.nan
    reach = max([float(given) if given == given else 0.0, *map(float, radii.values()), 0.0])
    near = _near_box(frame, _metric_area(extent), reach)
    if near.all():
        return frame
    reason = _msg("drop_disc_outside")
    dropped.extend(zip(frame.index[~near], [reason] * int((~near).sum()), strict=True))
    return frame.loc[near]


def _transformer(src: str, dst: str) -> Any:

    t = Transformer.from_crs(src, dst, always_xy=True)
    return lambda x, y: t.transform(x, y)


def read_points(
    path: str | os.PathLike[str],
    *,
    kind: str,
    crs: str | None = None,
    layer: str | None = None,
    lon: str | None = None,
    lat: str | None = None,
    x: str | None = None,
    y: str | None = None,
    encoding: str | None = None,
    radii: Mapping[str, float] | None = None,
    extent: shapely.Geometry | gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Read a point (or coverage polygon) layer for the gap analysis.

    Parameters
    ----------
    path
        GeoJSON, GeoPackage or shapefile (through :func:`bkmap.io.vector.read_vector`),
        or a CSV or Excel table with coordinate columns.
    kind
        One of :data:`KINDS`: ``stations``, ``cells``, ``towers``, ``coverage``
        (polygons), ``villages`` or ``postal``. It selects the attribute columns.
    crs
        The user's ``--crs``, decided on as for every layer
        (:func:`bkmap.io.crs.resolve_crs`): it serves inputs that declare no
        coordinate system (a table's x/y columns, a shapefile without .prj); a
        declared CRS that fits (lon/lat columns declare WGS 84) is kept.
    layer
        Layer of a multi-layer file.
    lon, lat
        Names of the longitude and latitude columns of a CSV (found by name otherwise).
    x, y
        Names of projected coordinate columns of a CSV (with ``crs``).
    encoding
        Force the text encoding of a table or a shapefile's fields.
    radii
        Default radius in metres per cell technology; merged over
        :data:`DEFAULT_RADII_M` (``kind="cells"`` only).
    extent
        Area whose points are kept (EPSG:4326 geometry or a GeoDataFrame);
        the 2019 communes of Bắc Kạn by default. Cells and towers are kept when
        their disc reaches it.

    Returns
    -------
    GeoDataFrame
        In EPSG:4326, indexed by the row number (CSV, as a spreadsheet shows
        it) or the feature number (vector files, from 1). Its
        :class:`~bkmap.io.record.ReadRecord` lists the rows left out (see
        :func:`dropped_rows`), the coordinate system decision and whether the
        layer is illustrative (:func:`is_illustrative`).

    Raises
    ------
    InputError
        The file is missing or unreadable, has no coordinate columns, or its
        coordinate system cannot be decided.

    Examples
    --------
    >>> from bkmap import datasets
    >>> path = datasets.example("illustrative_stations.geojson")
    >>> stations = read_points(path, kind="stations")
    >>> len(stations), stations.crs.to_string()
    (17, 'EPSG:4326')
    """
    kind = _check_kind(kind)
    p = Path(path)
    source = str(p)
    if not p.exists():
        msg = _msg("err_not_found_points", path=p, kind=kind)
        raise InputError(msg)
    if p.is_file() and p.stat().st_size == 0:
        msg = _msg("err_empty_points", path=p)
        raise InputError(msg)
    defaults = _default_radii(radii)
    dropped: list[tuple[object, str]] = []
    notes: list[Note] = []
    area = _fit_area(extent)
    suffix = p.suffix.lower()
    if suffix in _TABLE_SUFFIXES:
        frame, record = _read_table_points(
            p,
            kind=kind,
            crs=crs,
            lon=lon,
            lat=lat,
            x=x,
            y=y,
            encoding=encoding,
            area=area,
            dropped=dropped,
        )
    else:
        frame, record = _read_vector_points(
            p, kind=kind, crs=crs, layer=layer, encoding=encoding, area=area, dropped=dropped
        )
    if kind == "cells":
        frame = _far_cells(frame, extent=extent, radii=defaults, dropped=dropped)
    frame = _finish_attributes(
        frame, kind, source=source, radii=defaults, dropped=dropped, notes=notes
    )
    frame = frame.to_crs(settings.geographic_crs)
    frame = _keep_in_extent(frame, kind=kind, source=source, extent=extent, dropped=dropped)
    record = record.replace(
        kind=kind,
        dropped=tuple(sorted(dropped, key=_row_order)),
        illustrative=is_illustrative(p, frame),
        extra=record.extra + tuple(notes),
    )
    return with_record(frame.copy(), record)


def _default_radii(radii: Mapping[str, float] | None) -> dict[str, float]:
    """:data:`DEFAULT_RADII_M` with the user's radii merged over it, each checked."""
    defaults = dict(DEFAULT_RADII_M)
    for tech, metres in (radii or {}).items():
        if not metres or metres <= 0:
            msg = f"radius for {tech!r} must be a positive number of metres, not {metres!r}."
            raise ValidationError(msg)
        defaults[str(tech).upper()] = float(metres)
    return defaults


def _row_order(item: tuple[object, str]) -> tuple[int, str]:
    row = item[0]
    return (int(row), "") if isinstance(row, int | np.integer) else (0, str(row))


def _fit_area(extent: shapely.Geometry | gpd.GeoDataFrame | gpd.GeoSeries | None) -> FitArea:
    """Where a point layer's coordinates are expected: near the map's area (any point will do)."""
    if extent is None:
        return bac_kan(need=0.0)
    if isinstance(extent, gpd.GeoDataFrame | gpd.GeoSeries):
        return extent_area(gpd.GeoDataFrame(geometry=extent.geometry), name="the map's area")
    return extent_area(
        gpd.GeoDataFrame(geometry=[extent], crs=settings.geographic_crs), name="the map's area"
    )


def is_illustrative(path: str | os.PathLike[str], frame: pd.DataFrame | None = None) -> bool:
    """True for a layer that is illustrative, not real: the one rule for telling them apart.

    A layer is illustrative when it lies in bkmap's examples folder, when its file
    name says so (``illustrative`` or ``minh_hoa``), or when it has a column
    ``illustrative`` (or ``minh_hoa``) whose values are true.

    Examples
    --------
    >>> from bkmap import datasets
    >>> is_illustrative(datasets.example("illustrative_postal.geojson"))
    True
    """
    p = Path(path).resolve()
    examples = datasets.examples_folder().resolve()
    if examples in p.parents:
        return True
    name = fold(p.stem)
    if "illustrative" in name or "minh hoa" in name.replace("_", " "):
        return True
    if frame is not None:
        for column in frame.columns:
            if _fold(column) in ("illustrative", "minh hoa"):
                values = frame[column].map(lambda v: _fold(v) if isinstance(v, str) else v)
                return bool(values.isin([True, 1, "true", "yes", "1", "co", "x"]).any())
    return False


#: The layer kinds a gap analysis takes, in the order they are read and listed.
LAYER_KINDS: tuple[str, ...] = ("stations", "cells", "towers", "coverage", "villages", "postal")


@dataclass(frozen=True)
class PointLayers:
    """The point and coverage layers of a gap analysis, each read by :func:`read_points`.

    The cells may instead be a :class:`PartitionedLayer`, read by
    :func:`read_cells_partitioned` (``bkmap gaps --dask``).
    """

    stations: gpd.GeoDataFrame | None = None
    cells: gpd.GeoDataFrame | PartitionedLayer | None = None
    towers: gpd.GeoDataFrame | None = None
    coverage: gpd.GeoDataFrame | None = None
    villages: gpd.GeoDataFrame | None = None
    postal: gpd.GeoDataFrame | None = None

    def given(self) -> dict[str, gpd.GeoDataFrame | PartitionedLayer]:
        """The layers given, by kind, in :data:`LAYER_KINDS` order."""
        return {k: f for k in LAYER_KINDS if (f := getattr(self, k)) is not None}

    def framed(self) -> dict[str, gpd.GeoDataFrame]:
        """The layers given, each as a frame carrying its record (a partitioned one: empty)."""
        return {
            k: f.stub() if isinstance(f, PartitionedLayer) else f for k, f in self.given().items()
        }

    def records(self) -> list[ReadRecord]:
        """The read records of the layers given."""
        return [r for f in self.framed().values() if (r := record_of(f)) is not None]


def read_point_layers(
    paths: Mapping[str, str | os.PathLike[str] | None],
    *,
    crs: str | None = None,
    encoding: str | None = None,
    radii: Mapping[str, float] | None = None,
    extent: shapely.Geometry | gpd.GeoDataFrame | None = None,
) -> PointLayers:
    """Read the layers of a gap analysis, one :func:`read_points` each.

    Parameters
    ----------
    paths
        A path per kind of :data:`LAYER_KINDS`; kinds left out or None are not read.
    crs, encoding
        As for :func:`read_points`, for every layer.
    radii
        Default radii of cell technologies (the cells layer only).
    extent
        Area whose points are kept: the map's units.
    """
    unknown = sorted(set(paths) - set(LAYER_KINDS))
    if unknown:
        msg = f"unknown layer kinds: {', '.join(unknown)}. Use {', '.join(LAYER_KINDS)}."
        raise ValidationError(msg)
    frames = {
        kind: read_points(
            path,
            kind=kind,
            crs=crs,
            encoding=encoding,
            radii=radii if kind == "cells" else None,
            extent=extent,
        )
        for kind, path in paths.items()
        if path is not None
    }
    return PointLayers(**frames)


def dropped_rows(*frames: gpd.GeoDataFrame | None) -> pd.DataFrame:
    """Return the rows that :func:`read_points` left out of ``frames``, with the reason for each.

    Columns are :data:`DROPPED_COLUMNS`: the file, the kind of layer, the row
    (CSV row as a spreadsheet shows it, or feature number) and the reason.
    """
    tables = [
        record.dropped_table()
        for frame in frames
        if frame is not None and (record := record_of(frame)) is not None
    ]
    if not tables:
        return pd.DataFrame(columns=list(DROPPED_COLUMNS))
    return pd.concat(tables, ignore_index=True)


# --- cell files too big for one machine -------------------------------------------------------


@dataclass(frozen=True)
class PartitionedLayer:
    """A point layer read by dask: its kept rows stay partitioned on the cluster.

    Attributes
    ----------
    frame
        A dask-geopandas frame of the rows kept, in EPSG:4326, with the columns
        :func:`read_points` gives (its index holds the row numbers).
    record
        The :class:`~bkmap.io.record.ReadRecord`, with every row left out and why,
        as :func:`read_points` words it.
    """

    frame: Any
    record: ReadRecord

    def stub(self) -> gpd.GeoDataFrame:
        """An empty frame carrying :attr:`record`, for the reports that read records."""
        empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=settings.geographic_crs))
        return with_record(empty, self.record)


def _head(path: Path, size: int = 1 << 20) -> bytes:
    """The first ``size`` bytes of a file, cut after its last whole line."""
    with path.open("rb") as handle:
        raw = handle.read(size)
        more = bool(handle.read(1))
    return raw[: raw.rfind(b"\n") + 1] if more and b"\n" in raw else raw


def _cell_stats(part: pd.DataFrame, column: str | None) -> tuple[int, float]:
    """Rows of a partition and its largest ``range`` (NaN without one)."""
    if column is None or len(part) == 0:
        return len(part), float("nan")
    largest = _number(part[column].astype(str).str.strip()).max()
    return len(part), float(largest) if largest == largest else float("nan")


def _cells_part(
    part: pd.DataFrame,
    *,
    first_row: int,
    source: str,
    header: bool,
    lon: str,
    lat: str,
    radii: Mapping[str, float],
    extent: Any,
    largest_range: float,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, list[Note], bool]:
    """Read one partition of a cell file as :func:`read_points` reads the whole file.

    The same functions, in the same order: tidy the text, make the points, leave
    out the cells too far to matter (with the file's largest range), check the
    attributes, keep the discs that reach ``extent``. Returns the kept cells, the
    rows left out (``row``, ``reason``), the notes and whether the rows mark the
    layer illustrative.
    """
    dropped: list[tuple[object, str]] = []
    notes: list[Note] = []
    # dask reads text as its own string type: the same text as one machine's, in its type.
    part = part.astype(str)
    frame = tidy_table(unguard_frame(part), source=source, first=first_row, header=header)
    points = _table_points(frame, first=lon, second=lat, geographic=True, dropped=dropped)
    points = _far_cells(
        points, extent=extent, radii=radii, dropped=dropped, largest_range=largest_range
    )
    points = _finish_attributes(
        points, "cells", source=source, radii=radii, dropped=dropped, notes=notes
    )
    points = _keep_in_extent(
        points.to_crs(settings.geographic_crs),
        kind="cells",
        source=source,
        extent=extent,
        dropped=dropped,
    )
    rows = pd.DataFrame(
        {
            "row": np.array([r for r, _ in dropped], dtype=np.int64),
            # One string per reason, not per row: a national file leaves out millions.
            "reason": pd.Categorical([r for _, r in dropped]),
        }
    )
    marked = is_illustrative(Path(source).name or "x", frame) if len(frame.columns) else False
    return points, rows, notes, marked


def _part_item(result: tuple[Any, ...], i: int) -> Any:
    return result[i]


def read_cells_partitioned(
    path: str | os.PathLike[str],
    *,
    radii: Mapping[str, float] | None = None,
    extent: gpd.GeoDataFrame | None = None,
    encoding: str | None = None,
    crs: str | None = None,
    blocksize: str | int = "16MB",
) -> PartitionedLayer:
    """Read an OpenCelliD cell CSV with dask, partition by partition, never whole on the client.

    Each block of ``blocksize`` bytes is read, checked and cut down to the cells
    whose disc reaches ``extent`` on the workers, by the very functions of
    :func:`read_points` (``kind="cells"``): the same rows are kept, and every row
    left out is listed with the same reason and row number. The file is read
    twice: once for its row counts and largest ``range`` (the row numbers and
    the reach :func:`read_points` uses), once to check it. Only the rows left
    out (a row number and a shared reason each) and the kept cells come back.
    The row limit of one machine's reads (``settings.max_table_rows``) does not
    apply: no machine holds the table.

    Parameters
    ----------
    path
        A CSV file in the OpenCelliD format (with or without its header row),
        UTF-8 (or any encoding Python reads), with ``lon``/``lat`` columns.
    radii, extent, encoding, crs
        As for :func:`read_points`.
    blocksize
        Bytes per partition (dask's ``read_csv``).

    Returns
    -------
    PartitionedLayer
        The kept cells as a dask-geopandas frame, and the record.

    Raises
    ------
    InputError
        The file is missing, empty, not a CSV in the OpenCelliD format, in a
        legacy encoding, or its coordinates are not longitude/latitude: read it
        without ``--dask`` then. Also when dask is not installed.
    """
    try:
        # Lazy: dask is the optional extra bkmap[dask].
        import dask
        import dask.dataframe as dd
        import dask_geopandas  # noqa: F401  (registers GeoDataFrame partitions with dask)
    except ImportError as exc:  # pragma: no cover - the test extra installs both
        msg = _msg("dask_missing", install="pip install 'bkmap[dask]'")
        raise InputError(msg) from exc

    p = Path(path)
    source = str(p)
    if not p.exists():
        msg = _msg("err_not_found_points", path=p, kind="cells")
        raise InputError(msg)
    if p.is_file() and p.stat().st_size == 0:
        msg = _msg("err_empty_points", path=p)
        raise InputError(msg)
    if p.suffix.lower() not in (".csv", ".txt"):
        msg = _msg("dask_not_csv", path=p, suffix=p.suffix or "?")
        raise InputError(msg)
    defaults = _default_radii(radii)
    found = encodings.decode_bytes(_head(p), source=source, encoding=encoding)
    try:
        codec = codecs.lookup(found.encoding).name
    except LookupError:
        codec = ""
    if not codec:
        msg = _msg("dask_legacy_encoding", path=p, encoding=found.encoding)
        raise InputError(msg)
    sep = sniff_delimiter(found.text, p)
    first_line = next((line for line in found.text.splitlines() if line.strip()), "")
    fields = [c.strip() for c in first_line.split(sep)]
    header = "radio" in {_fold(c) for c in fields}
    if not header and len(fields) != len(OPENCELLID_COLUMNS):
        msg = _msg(
            "err_not_opencellid",
            path=p,
            count=len(fields),
            columns=", ".join(OPENCELLID_COLUMNS),
        )
        raise InputError(msg)
    columns = fields if header else list(OPENCELLID_COLUMNS)
    lon = _find_column(columns, None, _LON)
    lat = _find_column(columns, None, _LAT)
    if lon is None or lat is None:
        msg = _msg("dask_no_lon_lat", path=p, columns=", ".join(columns))
        raise InputError(msg)
    range_column = _find_column(columns, None, ("range",))
    options: dict[str, Any] = {
        "sep": sep,
        "dtype": str,
        "keep_default_na": False,
        "skip_blank_lines": False,
        "encoding": "utf-8-sig" if codec == "utf-8" else codec,
        "blocksize": blocksize,
    }
    if not header:
        options.update(header=None, names=list(OPENCELLID_COLUMNS))
    # The coordinate system is decided by the one policy, on the first block's points.
    sample = tidy_table(
        pd.read_csv(
            io.StringIO(found.text),
            **{k: v for k, v in options.items() if k not in ("blocksize", "encoding")},
        ),
        source=source,
        first=2 if header else 1,
        header=header,
    )
    sample_points = _table_points(sample, first=lon, second=lat, geographic=True, dropped=[])
    read, decision = resolve_crs(sample_points, crs=crs, source=source, area=_fit_area(extent))
    # The partitions make their points as WGS 84, as the columns declare: any other reading
    # of the file (another --crs that fits, swapped axes) is left to the single-machine path.
    as_read = shapely.get_coordinates(read.geometry.to_numpy())
    if as_read.shape != (len(sample_points), 2) or not np.allclose(
        as_read, shapely.get_coordinates(sample_points.geometry.to_numpy()), rtol=0, atol=1e-9
    ):
        why = decision.note or decision.crs
        msg = _msg("dask_not_degrees", path=p, why=why)
        raise InputError(msg)

    stats_columns = [range_column or lon]
    table = dd.read_csv(str(p), usecols=stats_columns, **options)
    stats = dask.compute(
        *[dask.delayed(_cell_stats)(part, range_column) for part in table.to_delayed()]
    )
    lengths = [n for n, _ in stats]
    maxima = [m for _, m in stats if m == m]
    largest = max(maxima) if maxima else float("nan")
    firsts = np.cumsum([0, *lengths[:-1]]) + (2 if header else 1)
    table = dd.read_csv(str(p), **options)
    keep = extent if extent is None else gpd.GeoDataFrame(geometry=extent.geometry)
    results = [
        dask.delayed(_cells_part)(
            part,
            first_row=int(first),
            source=source,
            header=header,
            lon=lon,
            lat=lat,
            radii=defaults,
            extent=keep,
            largest_range=largest,
        )
        for part, first in zip(table.to_delayed(), firsts, strict=True)
    ]
    # Kept on the workers: the checked partitions are read once, and only what is small comes here.
    results = list(dask.persist(*results))
    small = dask.compute(*[dask.delayed(lambda r: r[1:])(result) for result in results])
    kept = [dask.delayed(_part_item)(result, 0) for result in results]
    meta = dask.compute(dask.delayed(lambda r: r[0].iloc[:0])(results[0]))[0]
    frame = dd.from_delayed(kept, meta=meta, verify_meta=False)
    # Row numbers in one array and reasons as codes into one list of distinct reasons: a
    # national file leaves out millions of rows, and this is all that comes back of them.
    numbers = np.concatenate([s[0]["row"].to_numpy(np.int64) for s in small])
    reasons = union_categoricals([s[0]["reason"].array for s in small])
    order = np.argsort(numbers, kind="stable")
    # Each reason string once, shared by its rows (a Categorical's tolist makes one per row).
    words = list(reasons.categories)
    texts = map(words.__getitem__, reasons.codes[order].tolist())
    dropped = tuple(zip(numbers[order].tolist(), texts, strict=True))
    notes = [n for s in small for n in s[1]]
    record = ReadRecord(
        source,
        "cells",
        encoding=dataclasses.replace(found, text=""),
        crs=decision,
        dropped=dropped,
        illustrative=is_illustrative(p) or any(s[2] for s in small),
        delimiter=sep,
        extra=tuple(notes),
    )
    return PartitionedLayer(frame=frame, record=record)
