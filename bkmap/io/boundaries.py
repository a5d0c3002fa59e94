"""Reading commune, district and province polygons into bkmap's schema.

Every layer bkmap works with is a GeoDataFrame in EPSG:4326 with at least
``code, valid_from, name, unit_type, district_code, district, geometry``.
The shipped layers live in ``boundaries/`` (see its README); a user's file is
mapped onto the same schema by its column names.

Files are read with pyogrio, which is many times faster than fiona on large
layers; fiona is used where its features serve (listing layers, declared
encodings) off the hot path.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd

from bkmap import datasets, settings
from bkmap._errors import InputError, ValidationError, collect
from bkmap.model.units import parse_date, units_of, version_date, version_on

log = logging.getLogger(__name__)

__all__ = [
    "COLUMN_ALIASES",
    "communes_for",
    "read_communes",
    "read_districts",
    "read_province",
    "read_vector",
    "to_metric",
]

#: Accepted column names for each schema column of a user's boundary file,
#: compared case-insensitively and without diacritics.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "code": (
        "code",
        "ma",
        "ma xa",
        "ma_xa",
        "maxa",
        "ma dvhc",
        "ma_dvhc",
        "gso_code",
        "gso_code_2019",
        "gso_code_2025",
        "commune_code",
        "ward_code",
        "wardcode",
        "ma_dv",
    ),
    "name": (
        "name",
        "ten",
        "ten xa",
        "ten_xa",
        "tenxa",
        "commune",
        "commune_vn",
        "gso_name_2019",
        "ward",
        "ten_dvhc",
        "ten dvhc",
    ),
    "district": (
        "district",
        "huyen",
        "ten huyen",
        "ten_huyen",
        "district_name",
        "gso_district_name",
    ),
    "district_code": ("district_code", "ma huyen", "ma_huyen", "gso_district_code"),
    "valid_from": ("valid_from", "hieu luc tu", "hieu_luc_tu"),
    "unit_type": ("unit_type", "loai", "type", "gso_type_2019"),
}

#: The shipped layer of each version that is not derived: its dataset key and layer.
_SHIPPED = {
    "2019": ("communes_2019", "communes"),
    "2025": ("communes_2025", "communes"),
}


def _shipped(key: str) -> Path:
    return datasets.path(key)


_SHAPEFILE_PARTS = {
    ".shx": "the shapefile's index of features",
    ".dbf": "the shapefile's attribute table (codes and names)",
}


def _sibling(path: Path, suffix: str) -> Path | None:
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
        msg = (
            f"{p}: the shapefile is incomplete: {' and '.join(missing)} is missing. A shapefile is "
            "several files side by side (.shp, .shx, .dbf, and .prj, .cpg); copy all of them, "
            "or export the layer as one GeoPackage (.gpkg)."
        )
        raise InputError(msg)
    header = p.read_bytes()[:100]
    if len(header) < 100 or int.from_bytes(header[:4], "big") != 9994:
        msg = (
            f"{p}: not a shapefile (its header is {'too short' if len(header) < 100 else 'wrong'}). "
            "The file is damaged or truncated: copy it again from its source, or export the layer again."
        )
        raise InputError(msg)
    declared_words = int.from_bytes(header[24:28], "big")
    actual = p.stat().st_size
    if declared_words * 2 != actual:
        msg = (
            f"{p}: the file is truncated or damaged: its header says {declared_words * 2:,} bytes, "
            f"the file has {actual:,}. Copy it again from its source, or export the layer again."
        )
        raise InputError(msg)


def _declared_cpg(p: Path) -> str | None:
    cpg = _sibling(p, ".cpg")
    if cpg is None:
        return None
    text = cpg.read_bytes().decode("ascii", errors="replace").strip()
    return text or None


def _read_gdal(p: Path, layer: str | None, **kwargs: object) -> gpd.GeoDataFrame:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = gpd.read_file(p, layer=layer, engine="pyogrio", **kwargs)
        except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError, ...
            msg = (
                f"{p}: cannot read as a vector layer ({exc}). A shapefile needs its .shp, .shx and "
                ".dbf side by side; otherwise export the layer as GeoPackage."
            )
            raise InputError(msg) from exc
    for warning in caught:
        log.warning("%s: %s", p, warning.message)
    return frame


def _text_columns(frame: pd.DataFrame) -> list[str]:
    name = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    return [
        c
        for c in frame.columns
        if c != name and (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c]))
    ]


def _decode_fields(
    frame: gpd.GeoDataFrame, *, source: str, encoding: str | None, raw: bool, declared: str | None
) -> gpd.GeoDataFrame:
    from bkmap.io import encodings

    columns = _text_columns(frame)
    cells: list[tuple[str, object]] = []
    values: list[object] = []
    for col in columns:
        for idx, value in frame[col].items():
            if isinstance(value, str):
                cells.append((col, idx))
                values.append(value)
    out = frame.copy()
    if raw:
        decoded, found = encodings.decode_values(
            [str(v).encode("latin-1") for v in values],
            source=source,
            encoding=encoding,
            declared=declared,
        )
    else:
        decoded, found = encodings.repair_text(values, source=source, encoding=encoding)
    for col in columns:
        out[col] = out[col].astype(object)
    for (col, idx), text in zip(cells, decoded, strict=True):
        out.at[idx, col] = text
    out.attrs["encoding_decision"] = found
    if found.method in ("detected",) and found.confidence < 0.5:
        log.warning(
            "%s: text encoding uncertain: %s. Force one with --encoding if names look wrong.",
            source,
            found.describe(),
        )
    return out


def read_vector(
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
) -> gpd.GeoDataFrame:
    """Read any vector file (GeoPackage, GeoJSON, shapefile) into EPSG:4326.

    Text fields are decoded by :mod:`bkmap.io.encodings`: a shapefile's DBF bytes
    are read raw and their encoding detected (TCVN3, VNI, Windows-1258, UTF-8),
    whatever its ``.cpg`` says; text in other formats is repaired if a legacy
    font's bytes were read as cp1252. The coordinate system is decided by
    :func:`bkmap.io.crs.resolve_crs` (VN-2000 zones are detected when there is no
    ``.prj``; swapped axes are detected). ``attrs`` holds ``encoding_decision``
    and ``crs_decision``.

    Parameters
    ----------
    path
        The file.
    layer
        Layer name inside a multi-layer file.
    crs
        Force the coordinate system (``--crs``).
    encoding
        Force the text encoding (``--encoding``).

    Raises
    ------
    InputError
        The file is missing, empty, incomplete or truncated, GDAL cannot read it,
        or its coordinates fit no coordinate system; the message says why and what to do.
    """
    from bkmap.io.crs import resolve_crs

    p = Path(path)
    if not p.exists():
        msg = f"{p}: file not found. Check the path given to --boundaries."
        raise InputError(msg)
    if p.is_file() and p.stat().st_size == 0:
        msg = f"{p}: the file is empty. Export the layer again from your GIS."
        raise InputError(msg)
    is_shapefile = p.suffix.lower() in (".shp", ".dbf")
    if p.suffix.lower() == ".shp":
        _check_shapefile(p)
    if is_shapefile:
        frame = _read_gdal(p, layer, encoding="latin1")
        frame = _decode_fields(
            frame, source=str(p), encoding=encoding, raw=True, declared=_declared_cpg(p)
        )
    else:
        frame = _read_gdal(p, layer)
        frame = _decode_fields(frame, source=str(p), encoding=encoding, raw=False, declared=None)
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry is None:
        msg = f"{p}: the layer has no geometry column. Give a layer of polygons."
        raise InputError(msg)
    decision = frame.attrs.get("encoding_decision")
    out, _ = resolve_crs(frame, crs=crs, source=str(p))
    out.attrs["encoding_decision"] = decision
    out.attrs["source"] = str(p)
    return out


def _rename_by_alias(frame: pd.DataFrame, aliases: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    from bkmap.model.names import fold

    present = {fold(str(c)).replace("-", "_"): c for c in frame.columns}
    mapping: dict[str, str] = {}
    for target, names in aliases.items():
        if target in frame.columns:
            continue
        for alias in names:
            for key in {alias, alias.replace(" ", "_")}:
                if key in present and present[key] not in mapping:
                    mapping[present[key]] = target
                    break
            else:
                continue
            break
    return frame.rename(columns=mapping)


def normalise_communes(
    frame: gpd.GeoDataFrame, *, source: str, clean: bool = False
) -> gpd.GeoDataFrame:
    """Map a commune layer's columns onto bkmap's schema, check it, and repair its geometry.

    Codes are zero-padded to 5 digits. Invalid polygons are repaired (see
    :func:`bkmap.geo.repair.inspect`); gaps and overlaps are measured and, with
    ``clean``, removed (:func:`bkmap.geo.repair.clean`). The result is in EPSG:4326,
    with the geometry report in ``attrs["geometry_report"]``. Features are
    numbered from 1 in file order in every message.

    Raises
    ------
    ValidationError
        Lists every missing column, empty code, duplicate code, empty or
        non-polygon feature at once.
    """
    from bkmap.geo import repair as geometry

    out = _rename_by_alias(frame, COLUMN_ALIASES)
    problems: list[str] = []
    for col in ("code", "name"):
        if col not in out.columns:
            found = ", ".join(str(c) for c in frame.columns if c != frame.geometry.name)
            problems.append(
                f"no {col!r} column (found: {found or 'none'}; accepted names: "
                f"{', '.join(COLUMN_ALIASES[col][:6])}, ...). Rename the column, or add it."
            )
    collect(problems, header=f"{source}: the boundary layer does not fit bkmap's schema:")
    out = out.copy()
    out["code"] = out["code"].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    numeric = out["code"].str.fullmatch(r"\d{1,5}")
    out.loc[numeric, "code"] = out.loc[numeric, "code"].str.zfill(5)
    out["name"] = out["name"].fillna("").astype(str).str.strip()
    for col in ("valid_from", "district", "district_code", "unit_type"):
        if col not in out.columns:
            out[col] = ""
        out[col] = out[col].fillna("").astype(str)
    position = {idx: i + 1 for i, idx in enumerate(out.index)}
    empty = out.index[out["code"].isin(["", "nan", "None"])]
    problems += [
        f"feature {position[i]} ({out.at[i, 'name'] or 'no name'}): empty code. Fill in its GSO code."
        for i in empty
    ]
    dup = out[out.duplicated(["code", "valid_from"], keep=False) & ~out.index.isin(empty)]
    for code, rows in dup.groupby("code"):
        problems.append(
            f"code {code} appears in features {', '.join(str(position[i]) for i in rows.index)}. "
            "Each unit must appear once; dissolve or remove the duplicates."
        )
    out, report = geometry.inspect(out)
    problems += [issue.line() for issue in report.errors]
    collect(problems, header=f"{source}: the boundary layer has problems:")
    for issue in report.warnings:
        log.info("%s: %s", source, issue.line())
    if out.crs is not None and not out.crs.equals(settings.geographic_crs):
        out = out.to_crs(settings.geographic_crs)
    if clean:
        out, report = geometry.clean(out, report=report)
        log.info("%s: %s", source, report.coverage_line())
    elif report.overlap_m2 or report.gap_m2:
        log.info("%s: %s (add --clean to remove them)", source, report.coverage_line())
    out.attrs["geometry_report"] = report
    return out


def read_communes(
    path: str | os.PathLike[str] | None = None,
    *,
    on: str | None = None,
    layer: str | None = None,
    whole_province: bool = False,
    crs: str | None = None,
    encoding: str | None = None,
    clean: bool = False,
) -> gpd.GeoDataFrame:
    """Read commune polygons: a user's file, or the shipped layer in force on a date.

    Parameters
    ----------
    path
        A vector file. ``None`` reads the shipped layer for ``on``.
    on
        A date or version name choosing the shipped layer (default: the 2019 units).
    layer
        Layer name inside a multi-layer file.
    whole_province
        For 2025: all 92 units of Tỉnh Thái Nguyên, not only the 37 covering former Bắc Kạn.
    crs
        Force the coordinate system of ``path`` (``--crs``); detected by default
        (see :func:`bkmap.io.crs.resolve_crs`).
    encoding
        Force the text encoding of ``path``'s fields (``--encoding``); detected by default.
    clean
        Remove gaps and overlaps between communes (``--clean``, see :func:`bkmap.geo.repair.clean`).

    Examples
    --------
    >>> len(read_communes()), len(read_communes(on="2025-07-01"))
    (122, 37)
    """
    if path is not None:
        frame = read_vector(path, layer=layer, crs=crs, encoding=encoding)
        out = normalise_communes(frame, source=str(path), clean=clean)
        for key in ("encoding_decision", "crs_decision", "source"):
            out.attrs[key] = frame.attrs.get(key)
        return out
    version = version_on(on)
    if version.name not in _SHIPPED:
        frame = communes_for(version.name)
        return _clean_shipped(frame) if clean else frame
    name, lyr = _SHIPPED[version.name]
    frame = gpd.read_file(_shipped(name), layer=lyr, engine="pyogrio")
    if version.name == "2025" and not whole_province:
        frame = frame.loc[frame["from_bac_kan"].astype(bool)].reset_index(drop=True)
    for col in ("district", "district_code"):
        if col not in frame.columns:
            frame[col] = ""
    frame.attrs["version"] = version.name
    frame.attrs["on"] = parse_date(on).isoformat()
    return _clean_shipped(frame) if clean else frame


def communes_for(version_name: str) -> gpd.GeoDataFrame:
    """Return the derived polygons of the units of 2020 or 2023.

    The 2023 version is the 2020 polygons with Vân Tùng (01954) as a thị
    trấn from 2023-04-10. Columns as the 2019 layer, plus ``approximate`` and
    ``approx_note`` (see the module docstring).

    Examples
    --------
    >>> frame = communes_for("2020")
    >>> len(frame), int(frame["approximate"].sum())
    (108, 5)
    """
    if version_name not in ("2020", "2023"):
        msg = (
            f"communes_for: {version_name!r} has no derived layer; 2020 and 2023 are derived, "
            "2019 and 2025 are read by bkmap.io.boundaries.read_communes."
        )
        raise ValidationError(msg)
    frame = gpd.read_file(datasets.path("communes_2020"), layer="communes", engine="pyogrio")
    if version_name == "2023":
        units = units_of("2023").set_index("code")
        for col in ("valid_from", "valid_to", "name", "unit_type"):
            frame[col] = frame["code"].map(units[col])
    frame["approximate"] = frame["approximate"].astype(bool)
    frame.attrs["version"] = version_name
    frame.attrs["on"] = version_date(version_name)
    return frame


def _clean_shipped(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    from bkmap.geo import repair as geometry

    out, report = geometry.clean(frame)
    log.info("shipped layer: %s", report.coverage_line())
    out.attrs.update(frame.attrs)
    out.attrs["geometry_report"] = report
    return out


def read_districts(*, on: str | None = None) -> gpd.GeoDataFrame:
    """Return the district outlines of 2019 (there are no districts after 2025-07-01)."""
    version = version_on(on)
    if version.name == "2025":
        return gpd.GeoDataFrame(
            {"district_code": [], "district": []}, geometry=[], crs=settings.geographic_crs
        )
    return gpd.read_file(_shipped("communes_2019"), layer="districts", engine="pyogrio")


def read_province() -> gpd.GeoDataFrame:
    """Return the outline of Tỉnh Bắc Kạn as of 2019 (gis.chinhphu.vn)."""
    return gpd.read_file(_shipped("communes_2019"), layer="province", engine="pyogrio")


def to_metric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` in :data:`bkmap.settings.metric_crs` (VN-2000 / UTM 48N)."""
    if frame.crs is None:
        msg = "the layer has no CRS; set one before measuring areas or distances"
        raise ValidationError(msg)
    return frame.to_crs(settings.metric_crs)
