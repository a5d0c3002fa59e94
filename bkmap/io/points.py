"""Reading point layers for the gap analysis: stations, cell sites, towers, villages, post offices.

:func:`read_points` reads a GeoJSON, GeoPackage or shapefile (through fiona),
or a CSV table with lon/lat columns or VN-2000 x/y columns, and returns a
GeoDataFrame in EPSG:4326 with the attribute columns of its ``kind`` (see
:data:`KINDS`) put into a fixed schema.

Nothing is lost silently. A row with missing or unparseable coordinates, a
cell of another network (MCC not 452), a point outside the province, or a
feature of the wrong geometry type is left out of the frame and listed in
``frame.attrs["dropped"]`` (see :func:`dropped_rows`), with its row number
and the reason.

Every decision about the coordinate system of an input is taken in one
place, :func:`_resolve_crs`.

Cell sites follow the OpenCelliD CSV format (``radio, mcc, net, area, cell,
unit, lon, lat, range, samples, changeable, created, updated,
averageSignal``; the header may be absent, as in OpenCelliD's per-country
files). A site covers a disc whose radius is its ``range`` in metres when
that is above zero, and otherwise the default of its technology in
:data:`DEFAULT_RADII_M`.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from bkmap import settings
from bkmap._errors import InputError, ValidationError

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_RADII_M",
    "DROPPED_COLUMNS",
    "KINDS",
    "MCC_VIETNAM",
    "OPENCELLID_COLUMNS",
    "STATION_TYPES",
    "VIETNAM_BOUNDS",
    "dropped_rows",
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
}

#: Columns of the dropped-rows report.
DROPPED_COLUMNS: tuple[str, ...] = ("file", "kind", "row", "reason")

_LON = ("lon", "lng", "long", "longitude", "kinh do", "kinhdo", "x_lon")
_LAT = ("lat", "latitude", "vi do", "vido", "y_lat")
_X = ("x", "x_vn2000", "toa do x", "easting", "east")
_Y = ("y", "y_vn2000", "toa do y", "northing", "north")

_TRUE = {"yes", "y", "true", "1", "co", "hoat dong", "dang hoat dong", "working", "tot", "x"}
_FALSE = {"no", "n", "false", "0", "khong", "hong", "ngung", "ngung hoat dong", "not working"}

_VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".fgb", ".kml")
_TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


def _fold(text: object) -> str:
    from bkmap.model.names import fold

    return fold(str(text)).replace("_", " ").strip()


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        msg = f"kind={kind!r} is not a point layer kind. Use one of: {', '.join(KINDS)}."
        raise ValidationError(msg)
    return kind


# --- coordinate systems ---------------------------------------------------------------------


def _resolve_crs(
    frame_or_coords: gpd.GeoDataFrame | tuple[np.ndarray, np.ndarray],
    *,
    crs: str | CRS | None,
    source: str,
) -> CRS:
    """Decide the coordinate system of a point input. The only place that decides it.

    1. A CRS the input declares wins: a vector file's .prj or SRS, or WGS 84
       for a table's lon/lat columns. A different ``crs`` given by the user is
       logged and not used (so one ``--crs`` can serve x/y tables among
       GeoJSON files).
    2. Otherwise the ``crs`` the user gave (``--crs``).
    3. Otherwise coordinates that look like degrees, with most of them inside
       Vietnam's bounds (:data:`VIETNAM_BOUNDS`), are EPSG:4326.
    4. Otherwise it raises :class:`InputError` asking for ``--crs``.

    A declared geographic CRS whose coordinates are not degrees raises too.

    Parameters
    ----------
    frame_or_coords
        A GeoDataFrame (its declared CRS and point coordinates are used), or
        a pair of coordinate arrays (first axis, second axis) read from a table.
    crs
        The CRS the user gave, if any.
    source
        The file, for messages.
    """
    declared: CRS | None = None
    if isinstance(frame_or_coords, gpd.GeoDataFrame):
        declared = frame_or_coords.crs
        pts = shapely.get_coordinates(frame_or_coords.geometry.to_numpy())
        xs, ys = (pts[:, 0], pts[:, 1]) if len(pts) else (np.array([]), np.array([]))
    else:
        xs, ys = (np.asarray(a, dtype=float) for a in frame_or_coords)
    ok = np.isfinite(xs) & np.isfinite(ys)
    xs, ys = xs[ok], ys[ok]
    given: CRS | None = None
    if crs is not None:
        from bkmap.io.crs import parse_crs  # aliases such as vn2000-tm3

        given = parse_crs(crs, source=f"{source}: --crs")
    if declared is not None:
        declared = CRS.from_user_input(declared)
        if given is not None and not declared.equals(given):
            log.info(
                "%s: declares %s; --crs %s is not used for it", source, declared.name, given.name
            )
        if declared.is_geographic and len(xs) and (np.abs(xs).max() > 180 or np.abs(ys).max() > 90):
            _raise_if_swapped(xs, ys, source)
            msg = (
                f"{source}: the coordinates (e.g. {xs[0]:.6g}, {ys[0]:.6g}) are not degrees, yet the "
                "input declares longitude/latitude. For VN-2000 metres name the columns x and y and "
                "pass --crs (e.g. EPSG:3405), or fix the layer's coordinate system."
            )
            raise InputError(msg)
        return declared
    if given is not None:
        return given
    if len(xs) == 0:
        return CRS.from_user_input(settings.geographic_crs)
    # No declaration and no --crs: bkmap's one CRS path decides (VN-2000 UTM 48N/49N,
    # TM-3 106°30' or WGS 84, chosen by fit to Bắc Kạn; see bkmap.io.crs.resolve_crs).
    from bkmap.io.crs import resolve_crs

    probe = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys), crs=None)
    try:
        _, decision = resolve_crs(probe, source=source)
    except InputError:
        decision = None
    if (
        decision is not None
        and decision.target is not None
        and decision.fit > 0
        and not decision.swapped
    ):
        log.warning("%s: %s", source, decision.note)
        return decision.target
    _raise_if_swapped(xs, ys, source)
    mx, my = float(np.median(xs)), float(np.median(ys))
    msg = (
        f"{source}: the file declares no coordinate system and its coordinates (median "
        f"{mx:.6g}, {my:.6g}) are not longitude/latitude inside Vietnam. Pass --crs, for "
        "example --crs EPSG:3405 (VN-2000 / UTM zone 48N), EPSG:4326 (WGS 84 degrees), or a "
        "PROJ string of the provincial VN-2000 TM-3 zone (Bắc Kạn: central meridian 106°30')."
    )
    raise InputError(msg)


def _raise_if_swapped(xs: np.ndarray, ys: np.ndarray, source: str) -> None:
    west, south, east, north = VIETNAM_BOUNDS
    swapped = (ys >= west) & (ys <= east) & (xs >= south) & (xs <= north)
    if len(xs) and swapped.mean() >= 0.5:
        msg = (
            f"{source}: the longitude and latitude look swapped (first values "
            f"{xs[0]:.5f}, {ys[0]:.5f}). Put longitude (about 102-118 in Vietnam) first and "
            "latitude (8-23.5) second, or name the columns with --lon/--lat."
        )
        raise InputError(msg)


def _vn2000_axis_order(xs: np.ndarray, ys: np.ndarray, source: str) -> bool:
    """Return True when x/y follow the Vietnamese survey convention (X = northing).

    In VN-2000 survey tables X is the northing (about 2,300,000-2,600,000 m in
    the north) and Y the easting (about 400,000-800,000 m). When the x column
    holds northings and the y column eastings, the axes are swapped back.
    """
    ok = np.isfinite(xs) & np.isfinite(ys)
    if not ok.any():
        return False
    mx, my = np.median(xs[ok]), np.median(ys[ok])
    swap = bool(mx > 1_000_000 and 100_000 < my < 1_000_000)
    if swap:
        log.warning(
            "%s: x holds northings and y eastings (Vietnamese survey convention X = north); "
            "reading x as northing",
            source,
        )
    return swap


# --- reading ---------------------------------------------------------------------------------


def _number(values: pd.Series) -> pd.Series:
    """Parse numbers written with a decimal point or a decimal comma; NaN where unparseable."""
    text = values.astype(str).str.strip()
    comma = text.str.contains(",", regex=False) & ~text.str.contains(".", regex=False)
    text = text.where(~comma, text.str.replace(",", ".", regex=False))
    return pd.to_numeric(text, errors="coerce")


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
    dropped: list[dict[str, Any]],
) -> gpd.GeoDataFrame:
    if kind == "coverage":
        msg = (
            f"{path}: coverage polygons cannot come from a CSV table. Give a GeoJSON, GeoPackage "
            "or shapefile of polygons, or give towers with a radius through --towers."
        )
        raise InputError(msg)
    frame = _read_csv(path, kind=kind, encoding=encoding)
    source = str(path)
    columns = [str(c) for c in frame.columns]
    for name, col in (("--lon", lon), ("--lat", lat), ("--x", x), ("--y", y)):
        if col is not None and col not in columns:
            msg = f"{source}: no column {col!r} (given with {name}). Columns: {', '.join(columns)}."
            raise InputError(msg)
    if (lon is None) != (lat is None) or (x is None) != (y is None):
        msg = f"{source}: give both coordinate columns (lon and lat, or x and y), not one."
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
        msg = (
            f"{source}: no coordinate columns found (columns: {', '.join(columns)}). Name them "
            "lon and lat (degrees), or x and y (VN-2000 metres, with --crs), or choose them with "
            "--lon/--lat or --x/--y."
        )
        raise InputError(msg)
    xs = _number(frame[first])
    ys = _number(frame[second])
    bad = xs.isna() | ys.isna()
    for row in frame.index[bad]:
        a, b = frame.at[row, first], frame.at[row, second]
        what = "missing" if (a == "" or b == "") else "unparseable"
        dropped.append(
            _drop(source, kind, row, f"{what} coordinates ({first}={a!r}, {second}={b!r})")
        )
    frame = frame.loc[~bad]
    xv, yv = xs[~bad].to_numpy(float), ys[~bad].to_numpy(float)
    attrs = frame.drop(columns=[first, second])
    if lon is not None:
        # lon/lat columns declare WGS 84 by their names.
        points = gpd.GeoDataFrame(
            attrs, geometry=gpd.points_from_xy(xv, yv), crs=settings.geographic_crs
        )
        return points.set_crs(_resolve_crs(points, crs=crs, source=source), allow_override=True)
    if _vn2000_axis_order(xv, yv, source):
        xv, yv = yv, xv
    resolved = _resolve_crs((xv, yv), crs=crs, source=source)
    return gpd.GeoDataFrame(attrs, geometry=gpd.points_from_xy(xv, yv), crs=resolved)


def _read_csv(path: Path, *, kind: str, encoding: str | None) -> pd.DataFrame:
    from bkmap.io.tables import read_table

    frame = read_table(path, encoding=encoding)
    if kind == "cells" and "radio" not in {_fold(c) for c in frame.columns}:
        # OpenCelliD's per-country files have no header row: the first row is data.
        if len(frame.columns) != len(OPENCELLID_COLUMNS):
            msg = (
                f"{path}: no 'radio' column and {len(frame.columns)} columns, so this is not an "
                f"OpenCelliD CSV ({', '.join(OPENCELLID_COLUMNS)})."
            )
            raise InputError(msg)
        frame = pd.read_csv(
            path, header=None, names=list(OPENCELLID_COLUMNS), dtype=str, keep_default_na=False
        )
        frame.index = pd.RangeIndex(1, len(frame) + 1)
        frame.index.name = "row"
    return frame


def _read_vector_points(
    path: Path,
    *,
    kind: str,
    crs: str | CRS | None,
    layer: str | None,
    dropped: list[dict[str, Any]],
) -> gpd.GeoDataFrame:
    source = str(path)
    try:
        frame = gpd.read_file(path, layer=layer, engine="fiona")
    except Exception as exc:  # fiona raises DriverError, SchemaError, ...
        msg = (
            f"{source}: cannot read as a vector layer ({exc}). A shapefile needs its .shp, .shx "
            "and .dbf side by side; otherwise export the layer as GeoJSON or GeoPackage."
        )
        raise InputError(msg) from exc
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    geoms = frame.geometry
    empty = geoms.isna() | geoms.is_empty
    for row in frame.index[empty]:
        dropped.append(_drop(source, kind, row, "feature has no geometry"))
    frame = frame.loc[~empty]
    types = frame.geometry.geom_type
    if kind == "coverage":
        wrong = ~types.isin(["Polygon", "MultiPolygon"])
        expected = "a polygon (for points with a radius use --towers)"
    else:
        single = types.eq("MultiPoint") & (shapely.get_num_geometries(frame.geometry.values) == 1)
        if single.any():
            frame.loc[single, "geometry"] = shapely.get_geometry(frame.geometry.values[single], 0)
            types = frame.geometry.geom_type
        wrong = ~types.eq("Point")
        expected = "a point"
    for row in frame.index[wrong]:
        dropped.append(_drop(source, kind, row, f"{types[row]} geometry; expected {expected}"))
    frame = frame.loc[~wrong]
    resolved = _resolve_crs(frame, crs=crs, source=source)
    return frame.set_crs(resolved, allow_override=True)


def _drop(source: str, kind: str, row: object, reason: str) -> dict[str, Any]:
    return {"file": source, "kind": kind, "row": row, "reason": reason}


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


def _code(values: pd.Series) -> pd.Series:
    text = values.map(lambda v: "" if v is None or v is pd.NA or v != v else str(v).strip())
    text = text.str.replace(r"\.0$", "", regex=True)
    numeric = text.str.fullmatch(r"\d{1,5}")
    return text.where(~numeric, text.str.zfill(5))


def _finish_attributes(
    frame: gpd.GeoDataFrame,
    kind: str,
    *,
    source: str,
    radii: Mapping[str, float],
    dropped: list[dict[str, Any]],
) -> gpd.GeoDataFrame:
    out = _rename_attributes(frame, kind)
    if "name" in KINDS[kind]:
        out["name"] = out["name"].map(lambda v: "" if v is None or v is pd.NA or v != v else str(v))
    if "commune_code" in KINDS[kind]:
        out["commune_code"] = _code(out["commune_code"])
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
        for row in out.index[bad]:
            log.warning(
                "%s row %s: population %r is not a number; treated as missing",
                source,
                row,
                out.at[row, "population"],
            )
        out["population"] = pop.where(~bad)
    elif kind == "cells":
        out = _cells(out, source=source, radii=radii, dropped=dropped)
    elif kind == "towers":
        radius = _number(out["radius_m"].astype(str))
        bad = radius.isna() | (radius <= 0)
        for row in out.index[bad]:
            dropped.append(
                _drop(
                    source,
                    kind,
                    row,
                    f"no usable radius ({out.at[row, 'radius_m']!r}); give radius_m in metres",
                )
            )
        out = out.loc[~bad].copy()
        out["radius_m"] = radius[~bad].astype(float)
    return out


def _cells(
    frame: gpd.GeoDataFrame,
    *,
    source: str,
    radii: Mapping[str, float],
    dropped: list[dict[str, Any]],
) -> gpd.GeoDataFrame:
    mcc = _number(frame["mcc"].astype(str))
    wrong = mcc.ne(MCC_VIETNAM)
    for row in frame.index[wrong]:
        dropped.append(
            _drop(
                source,
                "cells",
                row,
                f"MCC {frame.at[row, 'mcc']!r} is not Vietnam's ({MCC_VIETNAM})",
            )
        )
    out = frame.loc[~wrong].copy()
    out["radio"] = out["radio"].astype(str).str.strip().str.upper()
    given = _number(out["range"].astype(str))
    default = out["radio"].map(lambda r: radii.get(r, np.nan)).astype(float)
    radius = given.where(given > 0, default)
    unknown = radius.isna()
    for row in out.index[unknown]:
        dropped.append(
            _drop(
                source,
                "cells",
                row,
                f"radio {out.at[row, 'radio']!r} has no range and no default radius "
                f"(defaults: {', '.join(radii)}); give one with --radius "
                f"{out.at[row, 'radio']}=METRES",
            )
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
    from bkmap.io.boundaries import read_communes

    communes = read_communes(on="2019").to_crs(settings.metric_crs)
    return shapely.union_all(communes.geometry.to_numpy())


def _keep_in_extent(
    frame: gpd.GeoDataFrame,
    *,
    kind: str,
    source: str,
    extent: shapely.Geometry | gpd.GeoDataFrame | gpd.GeoSeries | None,
    dropped: list[dict[str, Any]],
) -> gpd.GeoDataFrame:
    if extent is None:
        area = _province_extent()
    elif isinstance(extent, gpd.GeoDataFrame | gpd.GeoSeries):
        area = shapely.union_all(extent.to_crs(settings.metric_crs).geometry.to_numpy())
    else:
        area = shapely.transform(
            extent, _transformer(settings.geographic_crs, settings.metric_crs), interleaved=False
        )
    if frame.empty:
        return frame
    geoms = frame.to_crs(settings.metric_crs).geometry.to_numpy()
    shapely.prepare(area)
    if "radius_m" in frame.columns and kind in ("cells", "towers"):
        inside = shapely.dwithin(geoms, area, frame["radius_m"].to_numpy(float))
        reason = "its coverage disc does not reach the province"
    elif kind == "coverage":
        inside = shapely.intersects(geoms, area)
        reason = "the polygon does not reach the province"
    else:
        inside = shapely.intersects(geoms, area)
        reason = "outside the province"
    lonlat = frame.to_crs(settings.geographic_crs).geometry
    for row, point in zip(frame.index[~inside], lonlat[~inside], strict=True):
        where = f" (at {point.x:.5f}, {point.y:.5f})" if point.geom_type == "Point" else ""
        dropped.append(_drop(source, kind, row, reason + where))
    return frame.loc[inside]


def _transformer(src: str, dst: str) -> Any:
    from pyproj import Transformer

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
        GeoJSON, GeoPackage or shapefile (read through fiona), or a CSV table.
    kind
        One of :data:`KINDS`: ``stations``, ``cells``, ``towers``, ``coverage``
        (polygons), ``villages`` or ``postal``. It selects the attribute columns.
    crs
        Coordinate system of an input that declares none: a table's x/y
        columns (VN-2000, e.g. ``EPSG:3405``) or a shapefile without .prj.
        A declared CRS (and lon/lat columns, which mean WGS 84) wins.
    layer
        Layer of a multi-layer file.
    lon, lat
        Names of the longitude and latitude columns of a CSV (found by name otherwise).
    x, y
        Names of projected coordinate columns of a CSV (with ``crs``).
    encoding
        Force the text encoding of a CSV.
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
        it) or the feature number (vector files, from 1). The rows left out
        are in ``frame.attrs["dropped"]``; see :func:`dropped_rows`.

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
        msg = f"{p}: file not found. Check the path given for the {kind} layer."
        raise InputError(msg)
    if p.is_file() and p.stat().st_size == 0:
        msg = f"{p}: the file is empty."
        raise InputError(msg)
    defaults = dict(DEFAULT_RADII_M)
    for tech, metres in (radii or {}).items():
        if not metres or metres <= 0:
            msg = f"radius for {tech!r} must be a positive number of metres, not {metres!r}."
            raise ValidationError(msg)
        defaults[str(tech).upper()] = float(metres)
    dropped: list[dict[str, Any]] = []
    suffix = p.suffix.lower()
    if suffix in _TABLE_SUFFIXES:
        frame = _read_table_points(
            p,
            kind=kind,
            crs=crs,
            lon=lon,
            lat=lat,
            x=x,
            y=y,
            encoding=encoding,
            dropped=dropped,
        )
    else:
        frame = _read_vector_points(p, kind=kind, crs=crs, layer=layer, dropped=dropped)
    frame = _finish_attributes(frame, kind, source=source, radii=defaults, dropped=dropped)
    frame = frame.to_crs(settings.geographic_crs)
    frame = _keep_in_extent(frame, kind=kind, source=source, extent=extent, dropped=dropped)
    frame = frame.copy()
    frame.attrs = {"source": source, "kind": kind, "dropped": dropped}
    if dropped:
        log.warning("%s: %d row(s) left out; see the dropped-rows report", source, len(dropped))
    return frame


def dropped_rows(*frames: gpd.GeoDataFrame | None) -> pd.DataFrame:
    """Return the rows that :func:`read_points` left out of ``frames``, with the reason for each.

    Columns are :data:`DROPPED_COLUMNS`: the file, the kind of layer, the row
    (CSV row as a spreadsheet shows it, or feature number) and the reason.
    """
    records: list[dict[str, Any]] = []
    for frame in frames:
        if frame is not None:
            records += list(frame.attrs.get("dropped", []))
    return pd.DataFrame(records, columns=list(DROPPED_COLUMNS))
