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
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from bkmap import datasets, settings
from bkmap._errors import InputError, ValidationError, collect
from bkmap.geo.repair import GeometryReport, inspect
from bkmap.geo.repair import clean as clean_coverage
from bkmap.i18n import check_lang, register, t
from bkmap.i18n import msg as _msg
from bkmap.io.columns import rename_by_alias
from bkmap.io.record import ReadRecord, record_of, with_record
from bkmap.io.vector import read_vector
from bkmap.model.names import name_key, unit_types_of
from bkmap.model.units import (
    detect_version,
    normalise_codes,
    parse_on,
    units_of,
    version_date,
    version_on,
)
from bkmap.notes import Note

log = logging.getLogger(__name__)

__all__ = [
    "COLUMN_ALIASES",
    "Attribution",
    "communes_for",
    "file_attribution",
    "read_communes",
    "read_districts",
    "read_province",
    "shipped_attribution",
    "shipped_attributions",
    "to_metric",
]

# Besides officials' headers, the aliases include the column names of the source files the shipped
# layers were built from (the censusVN2009 extract's gso_code_2019, gso_name_2019, commune_vn), so
# those files read as they are.
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

# Only 2019 and 2025 were surveyed; the 2020 and 2023 polygons are derived from them
# (bkmap.versions.layers), which is why each version's layer is looked up here.
#: The shipped layer of each version that is not derived: its dataset key and layer.
_SHIPPED = {
    "2019": ("communes_2019", "communes"),
    "2025": ("communes_2025", "communes"),
}

#: The dataset key of the derived layer of 2020 and 2023 (see :func:`communes_for`).
_DERIVED = "communes_2020"

register(
    {
        "attr_user_file": {
            "vi": "Ranh giới: tệp {name} do người dùng cung cấp (nguồn và giấy phép theo tệp đó)",
            "en": "Boundaries: {name}, the user's file (its source and licence are the file's own)",
        },
    }
)


@dataclass(frozen=True)
class Attribution:
    """The credit line of one boundary layer: its source and licence, in both languages.

    Every map and report names the source of the boundaries it draws
    (``boundaries/attribution.csv`` for the shipped layers; the file's name for
    a user's layer).
    """

    vi: str
    en: str
    licence: str = ""
    url: str = ""

    def text(self, lang: str | None = None) -> str:
        """The line in ``lang``."""
        return self.vi if check_lang(lang) == "vi" else self.en


def shipped_attribution(key: str, layer: str = "communes") -> Attribution:
    """The credit of a shipped layer, by its dataset key and layer (``boundaries/attribution.csv``).

    Raises
    ------
    InputError
        The attribution table has no row for the layer (a packaging error).

    Examples
    --------
    >>> shipped_attribution("communes_2019").licence
    'MIT'
    """
    # A missing row is an error, not an empty credit: every map and report drawn from a shipped
    # layer must show its source and licence (boundaries/README.md).
    table = pd.read_csv(datasets.path("boundary_attribution"), dtype=str, keep_default_na=False)
    name = datasets.FILES[key].name
    row = table.loc[table["file"].eq(name) & table["layer"].eq(layer)]
    if row.empty:
        msg = _msg(
            "bnd_no_attribution",
            table=datasets.FILES["boundary_attribution"].name,
            name=name,
            layer=layer,
        )
        raise InputError(msg)
    first = row.iloc[0]
    return Attribution(
        first["attribution_vi"], first["attribution_en"], first["licence"], first["url"]
    )


def file_attribution(source: str | os.PathLike[str]) -> Attribution:
    """The credit of a user's boundary file: its name (bkmap cannot know its source or licence)."""
    name = Path(str(source)).name or str(source)
    return Attribution(t("attr_user_file", "vi", name=name), t("attr_user_file", "en", name=name))


def shipped_attributions(
    version_name: str, *, districts: bool = False, province: bool = False
) -> tuple[Attribution, ...]:
    """The credits of the shipped layers drawn for the units of a version.

    ``districts`` and ``province``: the 2019 district outlines and the
    province outline are drawn too (both come from the 2019 layer).
    """
    # The derived layers of 2020 and 2023 have their own row: they reuse the 2019 geometry with cut
    # lines from the 2025 layer, and their credit says so.
    key = _SHIPPED.get(version_name, (_DERIVED, "communes"))[0]
    out = [shipped_attribution(key)]
    if districts:
        out.append(shipped_attribution("communes_2019", "districts"))
    if province:
        out.append(shipped_attribution("communes_2019", "province"))
    return tuple(out)


def normalise_communes(
    frame: gpd.GeoDataFrame, *, source: str, clean: bool = False
) -> tuple[gpd.GeoDataFrame, GeometryReport, list[Note]]:
    """Map a commune layer's columns onto bkmap's schema, check it, and repair its geometry.

    Codes are zero-padded to 5 digits. Invalid polygons are repaired (see
    :func:`bkmap.geo.repair.inspect`); gaps and overlaps are measured and, with
    ``clean``, removed (:func:`bkmap.geo.repair.clean`). A unit without a type
    gets the type its name's prefix gives (``Phường Sông Cầu`` is a phường). The
    result is in EPSG:4326; the geometry report is returned beside it. Features
    are numbered from 1 in file order in every message.

    Raises
    ------
    ValidationError
        Lists every missing column, empty code, duplicate code, empty or
        non-polygon feature at once.
    """
    if frame.empty:
        msg = _msg("bnd_no_features", source=source)
        raise ValidationError(msg)
    out = rename_by_alias(frame, COLUMN_ALIASES)
    problems: list[str] = []
    for col in ("code", "name"):
        if col not in out.columns:
            found = ", ".join(str(c) for c in frame.columns if c != frame.geometry.name)
            problems.append(
                _msg(
                    "bnd_no_column",
                    column=col,
                    found=found or _msg("bnd_none"),
                    accepted=", ".join(COLUMN_ALIASES[col][:6]),
                )
            )
    collect(problems, header=_msg("bnd_schema_header", source=source))
    out = out.copy()
    # The one code rule, as for status tables, so the layer's codes meet the tables' codes.
    out["code"] = normalise_codes(out["code"])
    out["name"] = out["name"].fillna("").astype(str).str.strip()
    for col in ("valid_from", "district", "district_code", "unit_type"):
        if col not in out.columns:
            out[col] = ""
        out[col] = out[col].fillna("").astype(str)
    untyped = out["unit_type"].eq("")
    # Without a type, a phường would count as in the programme (in_programme treats an empty type
    # so); its name's prefix usually tells, and is the only evidence used.
    out.loc[untyped, "unit_type"] = unit_types_of(out.loc[untyped, "name"])
    # Features are named by their position from 1 in the file, not by the frame's index, which may
    # be anything the caller gave.
    position = {idx: i + 1 for i, idx in enumerate(out.index)}
    # "nan" and "None" are what a missing value becomes once some tool has written it out as text.
    empty = out.index[out["code"].isin(["", "nan", "None"])]
    problems += [
        _msg(
            "err_empty_code",
            feature=_msg("note_feature", row=position[i]),
            name=out.at[i, "name"] or "-",
        )
        for i in empty
    ]
    # Keyed on code and valid_from together, never on code alone: GSO reuses codes across versions
    # (the PROVENANCE of the unit lists), so a layer spanning versions may hold a code twice.
    dup = out[out.duplicated(["code", "valid_from"], keep=False) & ~out.index.isin(empty)]
    for code, rows in dup.groupby("code"):
        problems.append(
            _msg(
                "err_duplicate_code",
                code=code,
                features=", ".join(str(position[i]) for i in rows.index),
            )
        )
    # Every problem of the layer is collected before one error, so the user fixes them in one pass.
    out, report = inspect(out)
    problems += [issue.line() for issue in report.errors]
    collect(problems, header=_msg("err_boundary_problems", source=source))
    # Two units of one name in one district cannot be told apart by a table that
    # gives no codes: worth a warning, not an error.
    keys = (
        out["district"].map(lambda d: name_key(d, level="district"))
        + "|"
        + out["name"].map(name_key)
    )
    notes: list[Note] = []
    named = out["name"].ne("")
    for _, rows in out[named & keys.duplicated(keep=False)].groupby(keys[named]):
        notes.append(
            Note(
                "warning",
                source,
                _msg("note_features_list", rows=", ".join(str(position[i]) for i in rows.index)),
                _msg("note_same_name", name=rows["name"].iloc[0], count=len(rows)),
                _msg("fix_same_name"),
            )
        )
    # read_vector already returns EPSG:4326; this serves frames handed in directly from Python.
    if out.crs is not None and not out.crs.equals(settings.geographic_crs):
        out = out.to_crs(settings.geographic_crs)
    if clean:
        out, report = clean_coverage(out, report=report)
    return out, report, notes


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
        The coordinate system of ``path`` when it declares none, or one that does not fit
        (``--crs``); detected by default (see :func:`bkmap.io.crs.resolve_crs`).
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
        frame = read_vector(path, layer=layer, crs=crs, encoding=encoding, kind="boundaries")
        out, report, notes = normalise_communes(frame, source=str(path), clean=clean)
        record = record_of(frame) or ReadRecord(str(path), "boundaries")
        # Codes are reused across versions: the version is told by codes and names together.
        # An empty version, not a guess, when no version holds 90 % of the features: the join then
        # refuses nothing on the layer's account.
        detected = detect_version(out["code"], out["name"]) or ""
        return with_record(
            out, record.replace(geometry=report, version=detected, extra=tuple(notes))
        )
    version = version_on(on)
    day = parse_on(on).isoformat()
    if version.name not in _SHIPPED:
        frame = communes_for(version.name)
    else:
        key, lyr = _SHIPPED[version.name]
        frame = datasets.read_layer(key, layer=lyr)
        if version.name == "2025" and not whole_province:
            # GeoPackage stores booleans as integers: astype(bool) gives a mask whatever type
            # pyogrio returns.
            frame = frame.loc[frame["from_bac_kan"].astype(bool)].reset_index(drop=True)
        for col in ("district", "district_code"):
            # The 2025 units have no districts (there are none after 2025-07-01), but every layer
            # keeps the schema's columns.
            if col not in frame.columns:
                frame[col] = ""
    record = ReadRecord(
        _msg("src_shipped_boundaries", version=version.name),
        "boundaries",
        version=version.name,
        on=day,
    )
    if clean:
        frame, report = clean_coverage(frame)
        record = record.replace(geometry=report)
    return with_record(frame, record)


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
    frame = datasets.read_layer(_DERIVED, layer="communes")
    # 2023 differs from 2020 in one unit only (Vân Tùng became a thị trấn, NQ 722), so it takes the
    # 2020 polygons and the 2023 attributes from the lineage.
    if version_name == "2023":
        units = units_of("2023").set_index("code")
        for col in ("valid_from", "valid_to", "name", "unit_type"):
            frame[col] = frame["code"].map(units[col])
    # A plain bool, whatever type the GeoPackage column comes back as.
    frame["approximate"] = frame["approximate"].astype(bool)
    return with_record(
        frame,
        ReadRecord(
            _msg("src_shipped_boundaries", version=version_name),
            "boundaries",
            version=version_name,
            on=version_date(version_name),
        ),
    )


def read_districts(*, on: str | None = None) -> gpd.GeoDataFrame:
    """Return the district outlines of 2019 (there are no districts after 2025-07-01)."""
    version = version_on(on)
    # Every unit of 2020 and 2023 keeps a 2019 district code (units_lineage.csv), so the 2019
    # outlines serve them; from 2025 there are no districts to draw.
    if version.name == "2025":
        return gpd.GeoDataFrame(
            {"district_code": [], "district": []}, geometry=[], crs=settings.geographic_crs
        )
    return datasets.read_layer("communes_2019", layer="districts")


def read_province() -> gpd.GeoDataFrame:
    """Return the outline of Tỉnh Bắc Kạn as of 2019 (gis.chinhphu.vn)."""
    return datasets.read_layer("communes_2019", layer="province")


def to_metric(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``frame`` in :data:`bkmap.settings.metric_crs` (VN-2000 / UTM 48N)."""
    # Refused rather than assumed: to_crs would fail with a vaguer error, and assuming degrees
    # could measure a projected layer as if it were one.
    if frame.crs is None:
        msg = "the layer has no CRS; set one before measuring areas or distances"
        raise ValidationError(msg)
    return frame.to_crs(settings.metric_crs)
