"""Any province, or the whole country: national commune layers and choosing an area.

bkmap works on Bắc Kạn's own layers by default. :func:`read_area` reads a
*national* commune layer instead and keeps one province (``--province NAME|CODE``)
or all of them (``--province all``), in bkmap's commune schema, so the map,
gaps and report commands work on it as they do on Bắc Kạn.

National layers
---------------
The shipped layer is ``boundaries/vn_communes_2009.gpkg`` (11,163 communes
after the update of 2008-01-01, from the MIT-licensed ``censusVN2009`` package;
see ``boundaries/README.md``). Its ids are the package's own, **not GSO codes**,
so in bkmap's schema:

============== ==========================================================
column          from the 2009 layer
============== ==========================================================
``code``        ``commune_id`` (the package's 7-digit id, as text)
``name``        ``commune_vn`` (with its type prefix, e.g. "Xã Cao Kỳ")
``district``    ``district_vn``;  ``district_code``: ``district_id``
``province``    ``province_vn``;  ``province_code``: ``province_id``
``unit_type``   the type prefix of the name: Xã, Phường or Thị trấn
``population``  the 2009 census count
============== ==========================================================

A user's national layer needs one polygon per commune and the columns
``code``, ``name`` and ``province`` (``district``, ``district_code``,
``province_code``, ``unit_type`` and ``valid_from`` are optional), under these
names, under the aliases of :data:`bkmap.io.boundaries.COLUMN_ALIASES` and
:data:`PROVINCE_ALIASES`, or renamed with a column mapping such as
``code=ma_xa,name=ten_xa,district=huyen,province=tinh`` (:func:`parse_columns`).

Status on other provinces
-------------------------
No status is known outside Bắc Kạn, so every unit of another province is
``unknown`` (``not_applicable`` for phường and thị trấn), never guessed. A
user's status table is matched as usual: on ``code`` when it holds the
layer's codes, otherwise on the name within the district. The shipped Bắc
Kạn table (2019 units, GSO codes) is matched to the Bắc Kạn communes of a
national layer on their names within their districts only (its GSO codes
mean nothing there); the match report lists every row.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from rapidfuzz import fuzz, process

from bkmap import datasets
from bkmap._errors import InputError, ValidationError, collect
from bkmap.geo.repair import inspect
from bkmap.i18n import msg as _msg
from bkmap.io.boundaries import COLUMN_ALIASES
from bkmap.io.columns import rename_by_alias
from bkmap.io.crs import vietnam
from bkmap.io.record import ReadRecord, record_of, with_record
from bkmap.io.vector import field_names, read_attributes, read_vector
from bkmap.model.names import fold, name_key, unit_types_of
from bkmap.model.units import normalise_codes

log = logging.getLogger(__name__)

__all__ = [
    "ALL",
    "NATIONAL_COLUMNS",
    "PROVINCE_ALIASES",
    "parse_columns",
    "provinces",
    "read_area",
    "read_national",
    "select_province",
    "shipped_national",
]

#: The ``--province`` value that keeps the whole country.
ALL = "all"

#: Columns of a national layer in bkmap's schema (the first three are required).
NATIONAL_COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "province",
    "district",
    "district_code",
    "province_code",
    "unit_type",
    "valid_from",
)

#: Accepted column names for the province columns of a user's national layer (folded).
PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "province": ("province", "tinh", "ten tinh", "ten_tinh", "province_name", "province_vn"),
    "province_code": ("province_code", "ma tinh", "ma_tinh", "province_id"),
}

_SHIPPED_COLUMNS = {
    "commune_id": "code",
    "commune_vn": "name",
    "district_vn": "district",
    "district_id": "district_code",
    "province_vn": "province",
    "province_id": "province_code",
}


def shipped_national() -> Path:
    """Return the path of the shipped national layer (2009 units)."""
    return datasets.path("national_2009")


def parse_columns(text: str | Mapping[str, str] | None) -> dict[str, str]:
    """Parse a column mapping ``schema=user_column,...`` (e.g. ``code=ma_xa,name=ten_xa``).

    Examples
    --------
    >>> parse_columns("code=ma_xa, name=ten_xa,province=tinh")
    {'code': 'ma_xa', 'name': 'ten_xa', 'province': 'tinh'}
    """
    if text is None:
        return {}
    problems: list[str] = []
    mapping: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    if isinstance(text, Mapping):
        pairs = [(str(k), str(v)) for k, v in text.items()]
    else:
        for part in str(text).split(","):
            if not part.strip():
                continue
            key, sep, value = part.partition("=")
            if not sep or not key.strip() or not value.strip():
                problems.append(_msg("nat_bad_pair", part=part.strip()))
                continue
            pairs.append((key.strip(), value.strip()))
    for key, value in pairs:
        if key not in NATIONAL_COLUMNS:
            problems.append(
                _msg("nat_not_schema_column", name=key, columns=", ".join(NATIONAL_COLUMNS))
            )
        mapping[key] = value
    collect(problems, header=_msg("nat_columns_header"))
    return mapping


def read_national(
    path: str | os.PathLike[str] | None = None,
    *,
    columns: str | Mapping[str, str] | None = None,
    layer: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
    where: str | None = None,
) -> gpd.GeoDataFrame:
    """Read a national commune layer into bkmap's schema (see the module docstring).

    Parameters
    ----------
    path
        A vector file; ``None`` reads the shipped 2009 layer.
    columns
        Column mapping ``{schema_column: your_column}`` or ``"code=ma_xa,..."``.
    layer
        Layer of a multi-layer file.
    crs
        The file's coordinate system (``--crs``), decided on as for every layer.
    encoding
        Force the text encoding of the file's fields (``--encoding``).
    where
        An SQL ``WHERE`` clause on the file's own columns: only those features are
        read (see :func:`read_area`, which reads one province this way).

    Raises
    ------
    ValidationError
        Lists every missing column, mapped column that does not exist, empty and duplicate code.

    Examples
    --------
    >>> national = read_national()
    >>> len(national), national["province"].nunique()
    (11163, 63)
    """
    if path is None:
        source = str(shipped_national())
        raw = datasets.read_layer("national_2009", where=where)
        # The ASCII spellings (province, district, commune) give way to the Vietnamese ones.
        frame = raw.drop(columns=["province", "district", "commune"]).rename(
            columns=_SHIPPED_COLUMNS
        )
        for col in ("code", "district_code", "province_code"):
            frame[col] = frame[col].astype(str)
        for col in ("name", "district", "province"):
            frame[col] = frame[col].fillna("").astype(str)
        frame["unit_type"] = unit_types_of(frame["name"])
        frame["valid_from"] = ""
        frame = frame[[*NATIONAL_COLUMNS, "population", "geometry"]]
        # The package's own ids, not GSO codes: a status table matches it by name.
        record = ReadRecord(
            _msg("src_shipped_national"), "national", version="2009", code_kind="layer"
        )
    else:
        source = str(path)
        raw = read_vector(
            path,
            layer=layer,
            crs=crs,
            encoding=encoding,
            area=vietnam(),
            kind="national",
            where=where,
        )
        mapping = parse_columns(columns)
        missing = [f"{k}={v}" for k, v in mapping.items() if v not in raw.columns]
        if missing:
            msg = _msg(
                "nat_columns_missing",
                source=source,
                missing=", ".join(missing),
                columns=", ".join(map(str, raw.columns)),
            )
            raise ValidationError(msg)
        # A mapped column replaces a column that already has the schema's name
        # (a layer with both "province" and "province_vn", mapped province=province_vn).
        shadowed = [k for k, v in mapping.items() if k in raw.columns and k != v]
        frame = raw.drop(columns=shadowed).rename(columns={v: k for k, v in mapping.items()})
        aliases = {**PROVINCE_ALIASES, **COLUMN_ALIASES}
        frame = rename_by_alias(frame, aliases)
        problems = [
            _msg("nat_no_column", column=col)
            for col in ("code", "name", "province")
            if col not in frame.columns
        ]
        collect(problems, header=_msg("nat_schema_header", source=source))
        frame = frame.copy()
        for col in NATIONAL_COLUMNS:
            if col not in frame.columns:
                frame[col] = ""
            frame[col] = frame[col].fillna("").astype(str).str.strip()
        frame["code"] = normalise_codes(frame["code"])
        blank_type = frame["unit_type"].eq("")
        frame.loc[blank_type, "unit_type"] = unit_types_of(frame.loc[blank_type, "name"])
        record = record_of(raw) or ReadRecord(source, "national")
    problems = []
    empty = frame.index[frame["code"].isin(["", "nan", "None"])]
    problems += [_msg("nat_empty_code", feature=i) for i in empty[:50]]
    no_province = frame.index[frame["province"].eq("")]
    problems += [_msg("nat_empty_province", feature=i) for i in no_province[:50]]
    dup = frame[frame.duplicated("code", keep=False) & ~frame["code"].isin(["", "nan", "None"])]
    for code, rows in list(dup.groupby("code"))[:50]:
        problems.append(
            _msg("nat_duplicate_code", code=code, features=", ".join(map(str, rows.index)))
        )
    collect(problems, header=_msg("nat_problems_header", source=source))
    return with_record(frame, record)


def provinces(national: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the provinces of a national layer: ``province_code, province, communes``."""
    table = (
        national.groupby(["province_code", "province"], sort=False)
        .size()
        .rename("communes")
        .reset_index()
    )
    return table.sort_values(["province_code", "province"]).reset_index(drop=True)


def select_province(national: gpd.GeoDataFrame, province: str) -> gpd.GeoDataFrame:
    """Keep the communes of one province, chosen by name or code, or all of them.

    Names compare with :func:`bkmap.model.names.name_key` at province level, so
    "Thái Nguyên", "tinh thai nguyen" and "TỈNH THÁI NGUYÊN" are one province.

    Raises
    ------
    ValidationError
        No province has that name or code; the message lists the closest names.

    Examples
    --------
    >>> len(select_province(read_national(), "Bắc Kạn"))
    122
    """
    record = record_of(national) or ReadRecord(_msg("nat_national_layer"), "national")
    wanted = str(province).strip()
    if not wanted:
        msg = _msg("nat_empty_province_option")
        raise ValidationError(msg)
    if fold(wanted) == ALL:
        return with_record(national.copy(), record.replace(area=""))
    mask = _province_mask(national["province"], national["province_code"], wanted)
    if not mask.any():
        names = sorted(set(national["province"]))
        key = name_key(wanted, level="province")
        close = process.extract(
            key, {n: name_key(n, level="province") for n in names}, scorer=fuzz.WRatio, limit=3
        )
        hint = ", ".join(repr(n) for _, _, n in close)
        msg = _msg("nat_no_province", wanted=wanted, source=record.source, hint=hint)
        raise ValidationError(msg)
    out = national.loc[mask].reset_index(drop=True)
    return with_record(out, record.replace(area=str(out["province"].iloc[0])))


def _province_mask(names: pd.Series, codes: pd.Series, wanted: str) -> pd.Series:
    """Which rows belong to the province ``wanted`` (a name, compared folded, or a code)."""
    key = name_key(wanted, level="province")
    folded = {n: name_key(n, level="province") for n in set(names)}
    mask = names.map(folded).eq(key)
    if not mask.any():
        code = wanted.lstrip("0")
        mask = codes.astype(str).str.lstrip("0").eq(code) & bool(code)
    return mask


def _source_columns(
    path: str | os.PathLike[str] | None, columns: str | Mapping[str, str] | None, layer: str | None
) -> dict[str, str]:
    """The file's own names of the ``province`` and ``province_code`` columns, if it has them.

    The header goes through the renaming :func:`read_national` applies, with each
    column's name as its value, so the renamed frame says where each came from.
    """
    if path is None:
        return {"province": "province_vn", "province_code": "province_id"}
    fields = field_names(path, layer=layer)
    head = pd.DataFrame([fields], columns=fields)
    mapping = parse_columns(columns)
    shadowed = [k for k, v in mapping.items() if k in head.columns and k != v]
    head = head.drop(columns=shadowed).rename(columns={v: k for k, v in mapping.items()})
    head = rename_by_alias(head, {**PROVINCE_ALIASES, **COLUMN_ALIASES})
    return {
        col: str(head[col].iloc[0])
        for col in ("province", "province_code")
        if col in head.columns and isinstance(head[col], pd.Series)
    }


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _province_filter(
    province: str,
    *,
    national: str | os.PathLike[str] | None,
    columns: str | Mapping[str, str] | None,
    layer: str | None,
    encoding: str | None,
) -> tuple[str | None, np.ndarray | None]:
    """An attribute filter (SQL ``WHERE``) that reads only one province's features, or ``None``.

    Returned with the file's feature numbers (from 1, in file order) of the
    features it keeps, so that messages name them as the file does.

    Only the province columns are read (no geometry) to decide which of the
    file's values name that province; the filter lists those values as the file
    holds them. ``None`` (read everything) for ``all``, for a legacy-encoded
    shapefile or a forced ``--encoding`` (the file's bytes are not the text
    compared), and when the province matches nothing (the full read then gives
    the error with the closest names).
    """
    if fold(str(province).strip()) in (ALL, "") or encoding is not None:
        return None, None
    if national is not None and Path(national).suffix.lower() in (".shp", ".dbf"):
        return None, None
    source = shipped_national() if national is None else national
    try:
        found = _source_columns(national, columns, layer)
    except (ValidationError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
        return None, None  # the full read reports the problem with its own message
    if "province" not in found:
        return None, None
    wanted = list(dict.fromkeys(found.values()))
    table = read_attributes(source, layer=layer, columns=wanted)
    names = table[found["province"]].fillna("").astype(str)
    codes = (
        table[found["province_code"]].fillna("").astype(str)
        if "province_code" in found
        else pd.Series("", index=table.index)
    )
    mask = _province_mask(names, codes, str(province).strip())
    if not mask.any():
        return None, None
    by_name = "province" in found and mask.equals(names.isin(set(names[mask])))
    column, values = (
        (found["province"], sorted(set(names[mask])))
        if by_name
        else (found["province_code"], sorted(set(table.loc[mask, found["province_code"]])))
    )
    quoted = ", ".join(_sql_text(str(v)) if isinstance(v, str) else repr(v) for v in values)
    where = f'"{column.replace(chr(34), chr(34) * 2)}" IN ({quoted})'
    # The file's feature numbers of the features the filter keeps (the read returns them
    # in file order, as the attribute pass did).
    kept = table[found["province"] if by_name else found["province_code"]].isin(values)
    return where, np.flatnonzero(kept.to_numpy()) + 1


def read_area(
    province: str,
    *,
    national: str | os.PathLike[str] | None = None,
    columns: str | Mapping[str, str] | None = None,
    layer: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
) -> gpd.GeoDataFrame:
    """Read a national layer (the shipped 2009 one by default) and keep one province or all.

    Examples
    --------
    >>> area = read_area("Bắc Kạn")
    >>> len(area), record_of(area).area, area["unit_type"].value_counts()["Xã"]
    (122, 'Bắc Kạn', np.int64(112))
    """
    if national is not None and not Path(national).exists():
        msg = _msg("nat_not_found", path=national)
        raise InputError(msg)
    # One province is read through an attribute filter: on a detailed national layer,
    # reading (and reprojecting) every commune first costs seconds and hundreds of MB.
    where, numbers = _province_filter(
        province, national=national, columns=columns, layer=layer, encoding=encoding
    )
    frame = read_national(
        national, columns=columns, layer=layer, crs=crs, encoding=encoding, where=where
    )
    area = select_province(frame, province)
    # Invalid polygons are repaired on read, as for Bắc Kạn's layers, so the map, the
    # analysis and `bkmap check` see one repaired layer and report it in the same words.
    # The coverage measure (a union of the whole layer) is left to --clean.
    record = record_of(area) or ReadRecord(_msg("nat_national_layer"), "national")
    if numbers is not None and len(numbers) != len(area):
        numbers = None  # rows numbered in order rather than misnamed
    repaired, report = inspect(area, measure=False, numbers=numbers)
    problems = [issue.line() for issue in report.errors]
    collect(problems, header=_msg("nat_problems_header", source=record.source))
    return with_record(repaired, record.replace(geometry=report))
