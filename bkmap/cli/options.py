"""Options shared by several commands, so that each one means the same everywhere."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from bkmap.i18n import LANGS

F = Callable[..., Any]


def lang_option(f: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default="vi",
        show_default=True,
        help="Language of labels: vi (Vietnamese) or en (English).",
    )(f)


def on_option(f: F) -> F:
    return click.option(
        "--on",
        "on",
        metavar="DATE",
        default=None,
        help="Units in force on this date (YYYY-MM-DD) or version (2019, 2020, 2023, 2025). "
        "Default: the 2019 units of the assessment.",
    )(f)


@dataclass(frozen=True)
class DataArgs:
    """The data options of a command: what to read and how (see :func:`data_options`)."""

    status: str | None = None
    boundaries: str | None = None
    on: str | None = None
    as_of: str | None = None
    layer: str | None = None
    encoding: str | None = None
    report_path: str | None = None
    whole_province: bool = False
    crs: str | None = None
    clean: bool = False
    province: str | None = None
    national: str | None = None
    columns: str | None = None


_DATA_FIELDS = tuple(DataArgs.__dataclass_fields__)


def data_options(f: F) -> F:
    """Add the shared data options and hand them to the command as one ``data: DataArgs``.

    --on, --status, --as-of, --boundaries, --layer, --encoding, --crs, --clean,
    --report, --whole-province, --province, --national, --columns.
    """

    command = f

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        data = DataArgs(**{name: kwargs.pop(name) for name in _DATA_FIELDS})
        return command(*args, data=data, **kwargs)

    f = wrapper
    f = click.option(
        "--whole-province",
        is_flag=True,
        help="With --on 2025-07-01: all 92 units of Tỉnh Thái Nguyên, not only the 37 of former Bắc Kạn.",
    )(f)
    f = click.option(
        "--report",
        "report_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="Write the match report (one line per input row, and units without a row) as CSV.",
    )(f)
    f = click.option(
        "--encoding",
        default=None,
        help="Force the text encoding of the input files (CSV tables, shapefile fields): utf-8, "
        "cp1258, tcvn3 (ABC), vni, cp1252. Default: detected from the content.",
    )(f)
    f = click.option(
        "--clean",
        is_flag=True,
        help="Remove gaps and overlaps between communes (GEOS coverage cleaning) and report the area moved.",
    )(f)
    f = click.option(
        "--crs",
        default=None,
        metavar="CRS",
        help="Coordinate system of the boundary file, overriding its .prj: EPSG:4326, EPSG:3405 "
        "(VN-2000 / UTM 48N), EPSG:3406 (UTM 49N), vn2000-tm3 (Bắc Kạn TM-3 106°30'). "
        "Default: the .prj, or detected when there is none.",
    )(f)
    f = click.option("--layer", default=None, help="Layer of a multi-layer boundary file.")(f)
    f = click.option(
        "--columns",
        default=None,
        metavar="MAPPING",
        help="With --national: which of its columns hold the schema's, e.g. "
        "code=ma_xa,name=ten_xa,district=huyen,province=tinh.",
    )(f)
    f = click.option(
        "--national",
        type=click.Path(),
        default=None,
        help="National commune layer for --province (columns code, name, province, district). "
        "Default: the shipped 2009 layer (11,163 communes; its codes are layer ids, not GSO codes).",
    )(f)
    f = click.option(
        "--province",
        default=None,
        metavar="NAME|CODE",
        help="Map one province of a national layer (e.g. \"Thái Nguyên\"), or 'all' for the whole "
        "country. Outside Bắc Kạn every unit is unknown unless --status gives a table.",
    )(f)
    f = click.option(
        "--boundaries",
        type=click.Path(),
        default=None,
        help="Commune boundary file (GeoPackage, GeoJSON, shapefile). Default: the shipped layer.",
    )(f)
    f = click.option(
        "--as-of",
        "as_of",
        metavar="DATE",
        default=None,
        help="Assessment date of the shipped status table: 2019-08-12 (default) or 2018-07-31.",
    )(f)
    f = click.option(
        "--status",
        type=click.Path(),
        default=None,
        help="Status table (CSV or .xlsx, Vietnamese or English headers). "
        "Default: the shipped 2019 table.",
    )(f)
    return on_option(f)


def load_for_command(data: DataArgs) -> Any:
    """Run :func:`bkmap.pipeline.load_joined`, write the match report, and warn on gaps.

    The report is written even when matching fails, so the user can see why.
    """
    from bkmap._errors import MatchError
    from bkmap.io.write import write_csv
    from bkmap.pipeline import load_joined

    try:
        joined, result = load_joined(
            status=data.status,
            boundaries=data.boundaries,
            on=data.on,
            as_of=data.as_of,
            layer=data.layer,
            encoding=data.encoding,
            whole_province=data.whole_province,
            crs=data.crs,
            clean=data.clean,
            province=data.province,
            national=data.national,
            columns=data.columns,
        )
    except MatchError:
        if data.report_path and data.status:
            _write_failed_report(data)
        raise
    if data.report_path:
        write_csv(result.report, data.report_path)
        click.echo(f"match report: {data.report_path}", err=True)
    _echo_input_notes(joined.attrs)
    unmatched = result.unmatched
    if len(unmatched):
        rows = ", ".join(str(r) for r in unmatched["row"].head(10))
        hint = (
            f" (see {data.report_path})"
            if data.report_path
            else " (add --report PATH to see candidates)"
        )
        click.echo(f"warning: {len(unmatched)} row(s) matched no unit: rows {rows}{hint}", err=True)
    return joined, result


def _write_failed_report(data: DataArgs) -> None:
    from bkmap.io.boundaries import read_communes
    from bkmap.io.status import read_status
    from bkmap.io.write import write_csv
    from bkmap.join import match_rows

    if data.status is None or data.report_path is None:
        return
    communes = read_communes(
        data.boundaries,
        on=data.on,
        layer=data.layer,
        whole_province=data.whole_province,
        crs=data.crs,
        encoding=data.encoding,
        clean=data.clean,
    )
    result = match_rows(
        read_status(data.status, encoding=data.encoding), communes[["code", "name", "district"]]
    )
    write_csv(result.report, data.report_path)
    click.echo(f"match report: {data.report_path}", err=True)


def _echo_input_notes(attrs: dict[str, Any]) -> None:
    """Tell the user what was detected or repaired in a boundary file (encoding, CRS, geometry)."""
    source = attrs.get("source") or "boundaries"
    found = attrs.get("encoding_decision")
    if found is not None and found.method == "detected" and found.encoding != "utf-8":
        click.echo(f"note: {source}: text encoding {found.describe()}", err=True)
    decision = attrs.get("crs_decision")
    if decision is not None and decision.note:
        click.echo(
            f"{'warning' if decision.severity == 'warning' else 'note'}: {source}: {decision.note}",
            err=True,
        )
    report = attrs.get("geometry_report")
    if report is not None:
        for issue in report.warnings:
            click.echo(f"warning: {source}: {issue.line()}", err=True)
        if report.cleaned:
            click.echo(f"note: {source}: {report.coverage_line()}", err=True)
