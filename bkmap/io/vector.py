"""The one vector reader: every layer bkmap reads from a GIS file goes through :func:`read_vector`.

Files are read with pyogrio (GDAL), many times faster than fiona on large
layers, and can be filtered as they are read (``where``, ``bbox``), so a
province is read from a national layer without reading the whole file. Text
fields are decoded by :mod:`bkmap.io.encodings` and the coordinate system is
decided by :func:`bkmap.io.crs.resolve_crs`; both decisions travel in the
frame's :class:`~bkmap.io.record.ReadRecord`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyproj import CRS

from bkmap._errors import InputError, ValidationError
from bkmap.i18n import msg as _msg
from bkmap.io import encodings
from bkmap.io.crs import FitArea, resolve_crs
from bkmap.io.encodings import Decoded
from bkmap.io.record import ReadRecord, with_record
from bkmap.io.tables import check_cells

log = logging.getLogger(__name__)

__all__ = ["field_names", "read_attributes", "read_vector"]


# The parts without which GDAL cannot give features and their attributes; .prj and .cpg may be
# missing, because the coordinate system and the encoding are detected (resolve_crs, encodings).
_SHAPEFILE_PARTS = {
    ".shx": "the shapefile's index of features",
    ".dbf": "the shapefile's attribute table (codes and names)",
}


def _sibling(path: Path, suffix: str) -> Path | None:
    # Shapefiles made on Windows often have upper-case parts (.SHX, .DBF); on a case-sensitive file
    # system the lower-case name alone would call them missing.
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    return None


def _check_shapefile(p: Path) -> None:
    missing = [
        f"{p.with_suffix(ext).name} ({what})"
        for ext, what in _SHAPEFILE_PARTS.items()
        if _sibling(p, ext) is None
    ]
    if missing:
        msg = _msg("err_shapefile_incomplete", path=p, missing=" + ".join(missing))
        raise InputError(msg)
    header = p.read_bytes()[:100]
    # The main file's 100-byte header opens with the file code 9994 (big-endian) and gives the
    # file's length at bytes 24-28 in 16-bit words: checked here, so that a copy cut short is
    # refused by name instead of being read for whatever features it still holds.
    if len(header) < 100 or int.from_bytes(header[:4], "big") != 9994:
        msg = _msg("err_not_shapefile", path=p)
        raise InputError(msg)
    declared_words = int.from_bytes(header[24:28], "big")
    actual = p.stat().st_size
    if declared_words * 2 != actual:
        msg = _msg(
            "err_truncated", path=p, declared=f"{declared_words * 2:,}", actual=f"{actual:,}"
        )
        raise InputError(msg)


def _declared_cpg(p: Path) -> str | None:
    cpg = _sibling(p, ".cpg")
    if cpg is None:
        return None
    text = cpg.read_bytes().decode("ascii", errors="replace").strip()
    return text or None


def _read_gdal(p: Path, layer: str | None, **kwargs: object) -> gpd.GeoDataFrame:
    # Only the options given are passed on, so pyogrio's own defaults apply to the rest.
    options = {k: v for k, v in kwargs.items() if v is not None}
    # GDAL's warnings are caught and logged under the file's name: left as Python warnings they
    # would escape bkmap's verbosity, and the tests turn every warning into an error.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = gpd.read_file(p, layer=layer, engine="pyogrio", **options)
        except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError, ...
            msg = _msg("err_not_vector", path=p, detail=exc)
            raise InputError(msg) from exc
    for warning in caught:
        log.warning("%s: %s", p, warning.message)
    return frame


_JSON_SUFFIXES = (".geojson", ".json", ".geojsonl", ".geojsons")
# In GeoJSON a NUL is written as the escape \u0000 or, in a broken file, as the byte itself.
_JSON_NUL = re.compile(rb"\\u0000|\x00", re.IGNORECASE)


def _check_nul(p: Path, layer: str | None) -> None:
    """Refuse text holding a NUL character, which GDAL would silently cut short.

    GDAL reads text as C strings, so a name such as ``"Xã A\\u0000B"`` arrives as
    ``"Xã A"``: it must be found in the file itself. GeoJSON is searched as text; a
    GeoPackage with SQLite. (In a shapefile's DBF, NUL bytes are padding.)
    """
    if p.suffix.lower() in _JSON_SUFFIXES and p.is_file():
        data = p.read_bytes()
        found = _JSON_NUL.search(data)
        if found:
            # The line number lets the user find the character in a text editor; GDAL would never
            # say.
            line = data.count(b"\n", 0, found.start()) + 1
            msg = _msg("vec_nul", path=p, line=line)
            raise ValidationError(msg)
    elif p.suffix.lower() == ".gpkg" and p.is_file():
        problems = _gpkg_nul(p, layer)
        if problems:
            msg = "\n".join(
                [_msg("vec_gpkg_nul_header", path=p)]
                + [f"  - {_msg('vec_gpkg_nul', place=x)}" for x in problems]
            )
            raise ValidationError(msg, problems)


def _gpkg_nul(p: Path, layer: str | None) -> list[str]:
    problems: list[str] = []
    # A file SQLite cannot read is left to GDAL, which says why.
    with (
        contextlib.suppress(sqlite3.Error),
        # Read-only, so the check can never change the user's file; as_uri needs an absolute path.
        contextlib.closing(sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)) as db,
    ):
        tables = [
            row[0]
            for row in db.execute(
                "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'"
            )
        ]
        for table in tables if layer is None else [t for t in tables if t == layer]:
            # Table and column names come from the file: they are quoted as SQL identifiers (a
            # double quote doubled), never pasted in as they are.
            quoted = '"' + table.replace('"', '""') + '"'
            columns = list(db.execute(f"PRAGMA table_info({quoted})"))
            # The primary key (PRAGMA's pk flag) is the feature id GDAL reports, so the message
            # names the feature as a GIS shows it.
            key = next((c[1] for c in columns if c[5]), "rowid")
            for column in columns:
                if "TEXT" not in str(column[2]).upper():
                    continue
                name = '"' + str(column[1]).replace('"', '""') + '"'
                rows = db.execute(
                    # As a BLOB the value is searched byte by byte; as TEXT, SQLite's string
                    # functions may stop at the NUL. Five features per field are enough to name the
                    # problem.
                    f"SELECT {key} FROM {quoted} WHERE instr(CAST({name} AS BLOB), x'00') > 0 LIMIT 5"
                )
                problems += [
                    _msg("vec_gpkg_nul_place", layer=table, feature=r[0], field=column[1])
                    for r in rows
                ]
    return problems


def _text_columns(frame: pd.DataFrame) -> list[str]:
    name = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    return [
        c
        for c in frame.columns
        # object, or pandas' string dtype where pandas or pyogrio gives one.
        if c != name and (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c]))
    ]


def _decode_fields(
    frame: gpd.GeoDataFrame, *, source: str, encoding: str | None, raw: bool, declared: str | None
) -> tuple[gpd.GeoDataFrame, Decoded]:
    columns = _text_columns(frame)
    cells: list[tuple[str, int]] = []
    values: list[object] = []
    for col in columns:
        for position, value in enumerate(frame[col].to_numpy()):
            if isinstance(value, str):
                cells.append((col, position))
                values.append(value)
    out = frame.copy()
    if raw:
        decoded, found = encodings.decode_values(
            # The DBF was read as latin-1, which maps every byte to one code point, so encoding
            # back to latin-1 returns the file's original bytes for detection.
            [str(v).encode("latin-1") for v in values],
            source=source,
            encoding=encoding,
            declared=declared,
        )
    else:
        decoded, found = encodings.repair_text(values, source=source, encoding=encoding)
    # Written back a column at a time (cell by cell, pandas took seconds on a national layer);
    # object columns take the decoded text whatever dtype GDAL chose for the column.
    arrays = {col: out[col].to_numpy(dtype=object).copy() for col in columns}
    for (col, position), text in zip(cells, decoded, strict=True):
        arrays[col][position] = text
    for col in columns:
        out[col] = arrays[col]
    return out, found


_KIND_OPTIONS = frozenset(
    {"boundaries", "national", "stations", "cells", "towers", "coverage", "villages", "postal"}
)


def read_vector(
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    crs: str | CRS | None = None,
    encoding: str | None = None,
    area: FitArea | None = None,
    where: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    kind: str = "vector",
) -> gpd.GeoDataFrame:
    """Read any vector file (GeoPackage, GeoJSON, shapefile) into EPSG:4326.

    Text fields are decoded by :mod:`bkmap.io.encodings`: a shapefile's DBF bytes
    are read raw and their encoding detected (TCVN3, VNI, Windows-1258, UTF-8),
    whatever its ``.cpg`` says; text in other formats is repaired if a legacy
    font's bytes were read as cp1252. The coordinate system is decided by
    :func:`bkmap.io.crs.resolve_crs` (VN-2000 zones are detected when there is no
    ``.prj``; swapped axes are detected). The frame carries a
    :class:`~bkmap.io.record.ReadRecord` with both decisions.

    Parameters
    ----------
    path
        The file.
    layer
        Layer name inside a multi-layer file.
    crs
        The coordinate system for a file that declares none, or one that does not fit (``--crs``).
    encoding
        Force the text encoding (``--encoding``).
    area
        Where the layer is expected to lie, for the CRS decision (Bắc Kạn by default).
    where
        An SQL ``WHERE`` clause on the file's attributes: only those features are read.
    bbox
        Read only the features that intersect this box, in the file's own coordinates.
    kind
        The record's kind (``boundaries``, ``national``, a point-layer kind).

    Raises
    ------
    InputError
        The file is missing, empty, incomplete or truncated, GDAL cannot read it,
        or its coordinates fit no coordinate system; the message says why and what to do.
    """
    p = Path(path)
    if not p.exists():
        # The option that named the file, where one did: the kinds are the CLI's option names.
        given = _msg("err_given_to", option=kind) if kind in _KIND_OPTIONS else ""
        msg = _msg("err_not_found_layer", path=p, given=given)
        raise InputError(msg)
    if p.is_file() and p.stat().st_size == 0:
        msg = _msg("err_empty_layer", path=p)
        raise InputError(msg)
    # Cheap checks that name their fix come before GDAL, whose own errors are vaguer: a missing
    # file, an empty one, missing shapefile parts, a folder, text GDAL would cut short.
    is_shapefile = p.suffix.lower() in (".shp", ".dbf")
    if p.suffix.lower() == ".shp":
        _check_shapefile(p)
    # A File Geodatabase (.gdb) is a folder that GDAL reads as one data source.
    if p.is_dir() and p.suffix.lower() != ".gdb":
        msg = _msg("err_folder_layer", path=p)
        raise InputError(msg)
    _check_nul(p, layer)
    options = {"where": where, "bbox": bbox}
    if is_shapefile:
        # A shapefile's .cpg is often missing or wrong for Vietnamese text, so GDAL is told to
        # decode nothing (latin-1 keeps every byte) and bkmap detects the encoding from the
        # content; the .cpg is passed on only as the declared encoding, to be reported.
        frame = _read_gdal(p, layer, encoding="latin1", **options)
        frame, found = _decode_fields(
            frame, source=str(p), encoding=encoding, raw=True, declared=_declared_cpg(p)
        )
    else:
        frame = _read_gdal(p, layer, **options)
        frame, found = _decode_fields(
            frame, source=str(p), encoding=encoding, raw=False, declared=None
        )
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry is None:
        msg = _msg("err_no_geometry", path=p)
        raise InputError(msg)
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    # Cells are checked before the CRS work so that a hostile field fails at once; features are
    # numbered from 1 in file order, as every other message numbers them.
    check_cells(attributes.set_axis(range(1, len(frame) + 1)), source=str(p), where="feature")
    out, decision = resolve_crs(frame, crs=crs, source=str(p), area=area)
    return with_record(out, ReadRecord(str(p), kind, encoding=found, crs=decision))


def field_names(path: str | os.PathLike[str], *, layer: str | None = None) -> list[str]:
    """The attribute names of a vector file's layer, in file order, without reading a feature."""
    return [str(f) for f in pyogrio.read_info(path, layer=layer)["fields"]]


def read_attributes(
    path: str | os.PathLike[str], *, columns: list[str], layer: str | None = None
) -> pd.DataFrame:
    """Some attribute columns of every feature, without geometry, as the file holds them.

    For deciding what to read before the real read (:func:`read_vector` with
    ``where=``): nothing is decoded, repaired or checked here, so the values are
    the file's own, fit to be quoted back to GDAL in a filter.
    """
    return pyogrio.read_dataframe(
        path, layer=layer, columns=columns, read_geometry=False, use_arrow=False
    )
