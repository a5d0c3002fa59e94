"""``bkmap compare``: two assessment dates on one map, with what changed."""

from __future__ import annotations

import click

from bkmap.cli.options import echo_outcome, lang_option, on_option, tiles_option


@click.command("compare")
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    multiple=True,
    help="Assessment date of a shipped status table; give it twice (older first), "
    "e.g. --as-of 2018-07-31 --as-of 2019-08-12 (the default).",
)
@click.option(
    "--status",
    multiple=True,
    type=click.Path(),
    help="A status table (CSV/xlsx) of the 2019 units instead of a shipped date; give it twice, "
    "older first, or once together with one --as-of (the --as-of one is drawn first).",
)
@on_option
@click.option(
    "--whole-province",
    is_flag=True,
    help="With --on 2025-07-01: all 92 units of Tỉnh Thái Nguyên.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default="bkmap_compare.html",
    show_default=True,
    help="Where to write the HTML map.",
)
@click.option(
    "--table",
    "table_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the change table (one row per unit) as CSV.",
)
@tiles_option
@lang_option
def command(
    as_of: tuple[str, ...],
    status: tuple[str, ...],
    on: str | None,
    whole_province: bool,
    out: str,
    table_path: str | None,
    tiles: bool,
    lang: str,
) -> None:
    """Compare two assessments on one version of the units, and show what changed.

    Both are carried to the units in force --on DATE (default: the 2019
    units). The page has a layer per date and per indicator, a "changes"
    layer outlining each unit that changed, and a table of the changes.
    It works offline.
    """
    from bkmap import jobs  # lazy: keeps `bkmap --help` free of geopandas and folium

    outcome = jobs.make_compare(
        out=out,
        as_of=as_of,
        status=status,
        on=on,
        whole_province=whole_province,
        table_path=table_path,
        lang=lang,
        tiles=tiles,
    )
    echo_outcome(outcome)
