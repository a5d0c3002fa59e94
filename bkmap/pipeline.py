"""The default read → validate → join chain, shared by the CLI and notebooks.

:func:`assess` does what every command needs first: read the units (the
shipped Bắc Kạn layer of a date, a user's boundary file, or a province of a
national layer) and a status table (the shipped one by default), match the
rows, and return an :class:`~bkmap.join.Assessment`: the joined frame with
every reader's record, the notes for the user, the outlines to draw and the
cited sources.

Every option either works on the path it is given with, or is refused with a
message that says why: nothing is ignored silently.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from bkmap import settings
from bkmap._errors import ValidationError, collect
from bkmap.geo.outlines import area_outlines
from bkmap.geo.repair import clean as clean_coverage
from bkmap.geo.repair import measure_coverage
from bkmap.i18n import msg as _msg
from bkmap.io.boundaries import (
    file_attribution,
    read_communes,
    read_districts,
    read_province,
    shipped_attribution,
    shipped_attributions,
)
from bkmap.io.national import read_area
from bkmap.io.record import ReadRecord, record_of, with_record
from bkmap.io.status import load_sources, load_status, read_status
from bkmap.join import Assessment, MatchResult, join_status, units_without_row
from bkmap.model.dates import parse_date
from bkmap.model.names import name_key
from bkmap.model.units import parse_on, version_on
from bkmap.notes import Note
from bkmap.versions.carry import carry

log = logging.getLogger(__name__)

__all__ = ["assess"]


def assess(
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
    columns: str | Mapping[str, str] | None = None,
    other_files: bool = False,
) -> Assessment:
    """Read the units and a status table, join them, and say what was decided.

    Parameters
    ----------
    status
        A status table path or frame; the shipped table of ``as_of`` by default.
    boundaries
        A boundary file path or frame; the shipped layer in force ``on`` by default.
    on
        Date or version of the shipped units (default: the 2019 units).
    as_of
        The assessment date: which shipped table to use (2019-08-12 by default,
        or 2018-07-31); with a user's table, its date when the table gives none.
    layer
        Layer of a multi-layer boundary or national file.
    encoding
        Force the text encoding of the files given (CSV table, shapefile fields).
    whole_province
        With the units of 2025: all 92 units of Thái Nguyên.
    strict
        Raise on duplicate or conflicting rows.
    crs
        The coordinate system of a boundary or national file (``--crs``).
    clean
        Remove gaps and overlaps between the units (``--clean``).
    province
        One province (name or code) of a national layer, or ``"all"``.
    national
        The national layer for ``province`` (default: the shipped 2009 layer).
    columns
        Column mapping of ``national`` (``code=ma_xa,name=ten_xa,...``).
    other_files
        The caller reads other files with ``crs`` and ``encoding`` too (the
        point layers of a gap analysis), so those options are not refused when
        no boundary or national file is given.

    Raises
    ------
    ValidationError
        An option that does not apply to the data asked for, or bad data.

    Examples
    --------
    >>> a = assess()
    >>> len(a.joined), int(a.joined["c8"].eq("met").sum()), a.as_of, a.version
    (122, 8, '2019-08-12', '2019')
    """
    _refuse_unused(
        status=status,
        boundaries=boundaries,
        on=on,
        as_of=as_of,
        layer=layer,
        encoding=encoding,
        whole_province=whole_province,
        crs=crs,
        province=province,
        national=national,
        columns=columns,
        other_files=other_files,
    )
    if province is not None or national is not None:
        return _assess_area(
            province if province is not None else "all",
            national=national,
            columns=columns,
            status=status,
            as_of=as_of,
            layer=layer,
            encoding=encoding,
            crs=crs,
            clean=clean,
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
    communes_record = record_of(communes) or ReadRecord(_msg("src_boundaries"), "boundaries")
    version = communes_record.version or ""
    if isinstance(status, pd.DataFrame):
        table = status
    elif status is None:
        table = load_status(as_of)
        if version and version != "2019":
            table = carry(table, to=version, whole_province=whole_province)
    else:
        table = read_status(status, encoding=encoding)
    # bkmap's own table over a user's layer of some communes: its other rows are no mistake.
    subset = status is None and boundaries is not None
    joined, match, notes = join_status(
        communes, table, strict=strict, version=version or None, subset=subset
    )
    table_record = record_of(table) or ReadRecord(_msg("opt_the_status_table"), "status")
    shipped = boundaries is None
    outlines = read_districts(on=on) if shipped else area_outlines(joined)
    if outlines is not None and not len(outlines):
        outlines = None
    drawn_province = shipped and not whole_province
    if shipped:
        attributions = shipped_attributions(
            version, districts=outlines is not None, province=drawn_province
        )
    else:
        # A user's layer (the outlines are dissolved from it): credited by its name.
        attributions = (file_attribution(communes_record.source),)
    return Assessment(
        joined=joined,
        match=match,
        records=(communes_record, table_record),
        notes=tuple(notes),
        version=version,
        as_of=_assessment_date(table, as_of, shipped=not isinstance(status, str | os.PathLike)),
        area=None,
        outlines=outlines,
        province=read_province() if drawn_province else None,
        sources=load_sources(),
        status_source=table_record.source,
        attributions=attributions,
    )


def _refuse_unused(
    *,
    status: object,
    boundaries: object,
    on: str | None,
    as_of: str | None,
    layer: str | None,
    encoding: str | None,
    whole_province: bool,
    crs: str | None,
    province: str | None,
    national: object,
    columns: object,
    other_files: bool,
) -> None:
    """Refuse every option that would have no effect on the data asked for."""
    problems: list[str] = []
    area = province is not None or national is not None
    given_file = other_files or any(
        isinstance(x, str | os.PathLike) for x in (status, boundaries, national)
    )
    if area and boundaries is not None:
        problems.append(_msg("opt_province_boundaries"))
    if area and on is not None:
        problems.append(_msg("opt_on_national"))
    if columns is not None and national is None:
        problems.append(_msg("opt_columns"))
    if area and whole_province:
        problems.append(_msg("opt_whole_province_area"))
    if on is not None and not area:
        parse_on(on)
        if whole_province and version_on(on).name != "2025":
            problems.append(_msg("opt_whole_province_on", on=on, version=version_on(on).name))
    elif whole_province and not area:
        problems.append(_msg("opt_whole_province_default"))
    if (
        crs is not None
        and not other_files
        and not isinstance(boundaries, str | os.PathLike)
        and not isinstance(national, str | os.PathLike)
    ):
        problems.append(_msg("opt_crs"))
    if (
        layer is not None
        and not isinstance(boundaries, str | os.PathLike)
        and not isinstance(national, str | os.PathLike)
    ):
        problems.append(_msg("opt_layer"))
    if encoding is not None and not given_file:
        problems.append(_msg("opt_encoding"))
    if as_of is not None:
        try:
            parse_date(as_of)
        except ValueError as exc:
            problems.append(f"--as-of: {exc}.")
    collect(problems, header=_msg("opt_header"))


def _assessment_date(table: pd.DataFrame, as_of: str | None, *, shipped: bool) -> str | None:
    """The assessment date: the table's own, ``--as-of``, or for the shipped table its date."""
    record = record_of(table)
    given = record.as_of if record is not None else None
    if as_of is None:
        return given if given or not shipped else settings.default_as_of
    day = parse_date(as_of).isoformat()
    if given and given != day and not shipped:
        source = record.source if record else _msg("opt_the_status_table")
        msg = _msg("opt_as_of_differs", source=source, day=day, given=given)
        raise ValidationError(msg)
    return day


def _is_bac_kan(values: pd.Series) -> pd.Series:
    target = name_key("Bắc Kạn", level="province")
    keys = {p: name_key(p, level="province") == target for p in values.unique()}
    return values.map(keys).astype(bool)


def _assess_area(
    province: str,
    *,
    national: str | os.PathLike[str] | None,
    columns: str | Mapping[str, str] | None,
    status: str | os.PathLike[str] | pd.DataFrame | None,
    as_of: str | None,
    layer: str | None,
    encoding: str | None,
    crs: str | None,
    clean: bool,
    strict: bool,
) -> Assessment:
    """Assess one province (or all) of a national layer.

    With no table, the shipped Bắc Kạn table (2019-08-12) is matched, by name
    within district, to the Bắc Kạn communes of the shipped 2009 layer (its ids
    are not GSO codes); every other unit is ``unknown`` (``not_applicable`` for
    phường and thị trấn). A user's table is matched to every unit of the area.
    """
    area = read_area(
        province, national=national, columns=columns, layer=layer, crs=crs, encoding=encoding
    )
    record = record_of(area) or ReadRecord(_msg("nat_national_layer"), "national")
    if clean:
        # The read's repairs stay in the report beside the cleaning.
        measured = measure_coverage(area, record.geometry) if record.geometry else None
        area, report = clean_coverage(area, report=measured)
        record = record.replace(geometry=report)
        area = with_record(area, record)
    notes: list[Note] = []
    if isinstance(status, pd.DataFrame) or status is not None:
        table = (
            status if isinstance(status, pd.DataFrame) else read_status(status, encoding=encoding)
        )
        joined, match, notes = join_status(area, table, strict=strict)
        table_record = record_of(table) or ReadRecord(_msg("opt_the_status_table"), "status")
        day = _assessment_date(table, as_of, shipped=False)
        records: tuple[ReadRecord, ...] = (record, table_record)
        status_source = table_record.source
    else:
        inside = _is_bac_kan(area["province"]) & (record.version == "2009")
        if inside.any():
            shipped = load_status(as_of)
            # The layer's ids are not GSO codes: match the shipped table by name within district.
            by_name = with_record(
                shipped.assign(code=""),
                record_of(shipped) or ReadRecord(_msg("opt_the_status_table"), "status"),
            )
            part, match, notes = join_status(area.loc[inside], by_name, strict=strict)
            rest, _, _ = join_status(area.loc[~inside], None)
            joined = gpd.GeoDataFrame(
                pd.concat([part, rest]).loc[area.index], geometry=area.geometry.name, crs=area.crs
            )
            if (~inside).any():
                report = pd.concat(
                    [match.report, units_without_row(area.loc[~inside])], ignore_index=True
                )
                match = MatchResult(matched=match.matched, report=report, problems=match.problems)
            day = as_of or settings.default_as_of
            shipped_record = record_of(shipped) or ReadRecord(
                _msg("opt_the_status_table"), "status"
            )
            records = (record, shipped_record)
            status_source = shipped_record.source
        else:
            joined, match, notes = join_status(area, None)
            day = None
            records = (record,)
            status_source = ""
    return Assessment(
        joined=joined,
        match=match,
        records=records,
        notes=tuple(notes),
        version=record.version or "",
        as_of=day,
        area=record.area,
        code_kind=record.code_kind,
        outlines=area_outlines(joined),
        sources=load_sources(),
        status_source=status_source,
        attributions=(
            (shipped_attribution("national_2009"),)
            if national is None
            else (file_attribution(national),)
        ),
    )
