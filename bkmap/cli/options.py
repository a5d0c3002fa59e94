"""Options shared by several commands, so that each one means the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
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


def data_options(f: F) -> F:
    """--status, --as-of, --boundaries, --layer, --encoding, --report, --whole-province."""
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
        help="Force the text encoding of a CSV table (utf-8, cp1258, tcvn3, vni). Default: detected.",
    )(f)
    f = click.option("--layer", default=None, help="Layer of a multi-layer boundary file.")(f)
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


def load_for_command(
    *,
    status: str | None,
    boundaries: str | None,
    on: str | None,
    as_of: str | None,
    layer: str | None,
    encoding: str | None,
    report_path: str | None,
    whole_province: bool,
) -> Any:
    """Run :func:`bkmap.pipeline.load_joined`, write the match report, and warn on gaps.

    The report is written even when matching fails, so the user can see why.
    """
    from bkmap._errors import MatchError
    from bkmap.io import write_csv
    from bkmap.pipeline import load_joined

    try:
        joined, result = load_joined(
            status=status,
            boundaries=boundaries,
            on=on,
            as_of=as_of,
            layer=layer,
            encoding=encoding,
            whole_province=whole_province,
        )
    except MatchError:
        if report_path and status:
            _write_failed_report(
                status, boundaries, on, layer, encoding, whole_province, report_path
            )
        raise
    if report_path:
        write_csv(result.report, report_path)
        click.echo(f"match report: {report_path}", err=True)
    unmatched = result.unmatched
    if len(unmatched):
        rows = ", ".join(str(r) for r in unmatched["row"].head(10))
        hint = f" (see {report_path})" if report_path else " (add --report PATH to see candidates)"
        click.echo(f"warning: {len(unmatched)} row(s) matched no unit: rows {rows}{hint}", err=True)
    return joined, result


def _write_failed_report(
    status: str,
    boundaries: str | None,
    on: str | None,
    layer: str | None,
    encoding: str | None,
    whole_province: bool,
    report_path: str,
) -> None:
    from bkmap.boundaries import read_communes
    from bkmap.io import write_csv
    from bkmap.join import match_rows
    from bkmap.status import read_status

    communes = read_communes(boundaries, on=on, layer=layer, whole_province=whole_province)
    result = match_rows(
        read_status(status, encoding=encoding), communes[["code", "name", "district"]]
    )
    write_csv(result.report, report_path)
    click.echo(f"match report: {report_path}", err=True)
