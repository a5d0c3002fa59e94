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
from pathlib import Path

import geopandas as gpd
import pandas as pd

from bkmap import settings
from bkmap._errors import InputError, ValidationError, collect
from bkmap.units import parse_date, version_on

log = logging.getLogger(__name__)

__all__ = [
    "COLUMN_ALIASES",
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

_SHIPPED = {
    "2019": ("bac_kan_2019.gpkg", "communes"),
    "2025": ("thai_nguyen_2025.gpkg", "communes"),
}


def _shipped(name: str) -> Path:
    return settings.boundaries_dir / name


def read_vector(path: str | os.PathLike[str], *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read any vector file (GeoPackage, GeoJSON, shapefile) with pyogrio.

    Raises
    ------
    InputError
        The file is missing, empty, or GDAL cannot read it; the message says why.
    """
    p = Path(path)
    if not p.exists():
        msg = f"{p}: file not found. Check the path given to --boundaries."
        raise InputError(msg)
    if p.is_file() and p.stat().st_size == 0:
        msg = f"{p}: the file is empty. Export the layer again from your GIS."
        raise InputError(msg)
    try:
        frame = gpd.read_file(p, layer=layer, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError, ...
        msg = (
            f"{p}: cannot read as a vector layer ({exc}). A shapefile needs its .shp, .shx and "
            ".dbf side by side; otherwise export the layer as GeoPackage."
        )
        raise InputError(msg) from exc
    if frame.crs is None:
        msg = (
            f"{p}: the layer declares no coordinate system (no .prj). Give one with --crs, "
            "for example --crs EPSG:4326 or --crs EPSG:3405 (VN-2000 / UTM 48N)."
        )
        raise InputError(msg)
    return frame


def _rename_by_alias(frame: pd.DataFrame, aliases: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    from bkmap.names import fold

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


def normalise_communes(frame: gpd.GeoDataFrame, *, source: str) -> gpd.GeoDataFrame:
    """Map a commune layer's columns onto bkmap's schema and check it.

    Codes are zero-padded to 5 digits. The result is in EPSG:4326.

    Raises
    ------
    ValidationError
        Lists every missing column, empty code and duplicate code at once.
    """
    out = _rename_by_alias(frame, COLUMN_ALIASES)
    problems: list[str] = []
    for col in ("code", "name"):
        if col not in out.columns:
            problems.append(
                f"no {col!r} column (accepted names: {', '.join(COLUMN_ALIASES[col][:6])}, ...). "
                "Rename the column, or add it."
            )
    collect(problems, header=f"{source}: the boundary layer does not fit bkmap's schema:")
    out = out.copy()
    out["code"] = out["code"].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    numeric = out["code"].str.fullmatch(r"\d{1,5}")
    out.loc[numeric, "code"] = out.loc[numeric, "code"].str.zfill(5)
    for col in ("valid_from", "district", "district_code", "unit_type"):
        if col not in out.columns:
            out[col] = ""
        out[col] = out[col].fillna("").astype(str)
    empty = out.index[out["code"].isin(["", "nan", "None"])]
    problems += [f"feature {i}: empty code. Fill in its GSO code." for i in empty]
    dup = out[out.duplicated(["code", "valid_from"], keep=False)]
    for code, rows in dup.groupby("code"):
        problems.append(
            f"code {code} appears in features {', '.join(map(str, rows.index))}. "
            "Each unit must appear once; dissolve or remove the duplicates."
        )
    collect(problems, header=f"{source}: the boundary layer has problems:")
    if out.crs is not None and not out.crs.equals(settings.geographic_crs):
        out = out.to_crs(settings.geographic_crs)
    return out


def read_communes(
    path: str | os.PathLike[str] | None = None,
    *,
    on: str | None = None,
    layer: str | None = None,
    whole_province: bool = False,
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

    Examples
    --------
    >>> len(read_communes()), len(read_communes(on="2025-07-01"))
    (122, 37)
    """
    if path is not None:
        frame = read_vector(path, layer=layer)
        return normalise_communes(frame, source=str(path))
    version = version_on(on)
    if version.name not in _SHIPPED:
        from bkmap import versions  # derived layers are built on demand

        return versions.communes_for(version.name)
    name, lyr = _SHIPPED[version.name]
    frame = gpd.read_file(_shipped(name), layer=lyr, engine="pyogrio")
    if version.name == "2025" and not whole_province:
        frame = frame.loc[frame["from_bac_kan"].astype(bool)].reset_index(drop=True)
    for col in ("district", "district_code"):
        if col not in frame.columns:
            frame[col] = ""
    frame.attrs["version"] = version.name
    frame.attrs["on"] = parse_date(on).isoformat()
    return frame


def read_districts(*, on: str | None = None) -> gpd.GeoDataFrame:
    """Return the district outlines of 2019 (there are no districts after 2025-07-01)."""
    version = version_on(on)
    if version.name == "2025":
        return gpd.GeoDataFrame(
            {"district_code": [], "district": []}, geometry=[], crs=settings.geographic_crs
        )
    return gpd.read_file(_shipped("bac_kan_2019.gpkg"), layer="districts", engine="pyogrio")


def read_province() -> gpd.GeoDataFrame:
    """Return the outline of Tỉnh Bắc Kạn as of 2019 (gis.chinhphu.vn)."""
    return gpd.read_file(_shipped("bac_kan_2019.gpkg"), layer="province", engine="pyogrio")


def to_metric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` in :data:`bkmap.settings.metric_crs` (VN-2000 / UTM 48N)."""
    if frame.crs is None:
        msg = "the layer has no CRS; set one before measuring areas or distances"
        raise ValidationError(msg)
    return frame.to_crs(settings.metric_crs)
