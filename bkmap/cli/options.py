"""Options shared by several commands, so that each one means the same everywhere."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from bkmap import settings
from bkmap._text import escape_control, escape_control_json
from bkmap.i18n import LANGS

F = Callable[..., Any]


def _resolve_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """The command's language: its own --lang, else the group's (``bkmap --lang en map``), else vi.

    A --lang given on the command also sets the console's language, so its
    messages and errors follow the labels.
    """
    if value is None:
        return str(ctx.find_root().params.get("lang") or "vi")
    settings.console_lang = value
    return value


def lang_option(f: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default=None,
        callback=_resolve_lang,
        help="Language of labels and messages: vi (Vietnamese, the default) or en (English).",
    )(f)


def tiles_option(f: F) -> F:
    return click.option(
        "--tiles/--no-tiles",
        default=False,
        show_default=True,
        help="Add an OpenStreetMap basemap (needs a network). Off by default, so pages work "
        "with no network.",
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


#: The shared data options, as :class:`bkmap.jobs.DataOptions` fields (kept here so that
#: ``bkmap --help`` need not import the library to build the commands).
_DATA_FIELDS: tuple[str, ...] = (
    "status",
    "boundaries",
    "on",
    "as_of",
    "layer",
    "encoding",
    "report_path",
    "whole_province",
    "crs",
    "clean",
    "province",
    "national",
    "columns",
)


def data_options(f: F) -> F:
    """Add the shared data options and hand them to the command as one ``data`` mapping.

    The command builds :class:`bkmap.jobs.DataOptions` from it (``DataOptions(**data)``).

    --on, --status, --as-of, --boundaries, --layer, --encoding, --crs, --clean,
    --report, --whole-province, --province, --national, --columns.
    """

    command = f

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        data = {name: kwargs.pop(name) for name in _DATA_FIELDS}
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
        help="Coordinate system of the boundary file when it declares none, or one that puts it "
        "outside Bắc Kạn: EPSG:4326, EPSG:3405 (VN-2000 / UTM 48N), EPSG:3406 (UTM 49N), "
        "vn2000-tm3 (Bắc Kạn TM-3 106°30'). A declared CRS (.prj) that fits is kept, and bkmap "
        "says so. Default: the .prj, or detected when there is none.",
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


def clean(text: str) -> str:
    r"""Return ``text`` with control characters escaped, so data never drives the terminal.

    Examples
    --------
    >>> print(clean("Xã A" + chr(27) + "[31m"))
    Xã A\x1b[31m
    """
    return escape_control(text)


def clean_json(text: str) -> str:
    r"""Return JSON text with every control character escaped as ``\uXXXX`` (still valid JSON).

    Examples
    --------
    >>> clean_json('{"n": "A' + chr(0x9b) + '31m"}')
    '{"n": "A\\u009b31m"}'
    """
    return escape_control_json(text)


def echo(text: str, *, err: bool = False) -> None:
    """Print one message, with control characters escaped."""
    click.echo(clean(text), err=err)


def echo_outcome(outcome: Any) -> None:
    """Print what a job did: its notes on stderr (at the default verbosity), its lines on stdout."""
    for note in outcome.notes:
        echo(note.full_line(), err=True)
    for line in outcome.lines:
        echo(line)
