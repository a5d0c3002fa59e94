"""``bkmap units``: the versions of the commune map, the units in force on a date, crosswalks."""

from __future__ import annotations

import click

from bkmap.cli.options import echo_outcome, lang_option


@click.command("units")
@click.option(
    "--on",
    "on",
    metavar="DATE",
    default=None,
    help="List the units in force on this date (YYYY-MM-DD) or version (2019, 2020, 2023, 2025). "
    "Without it, list the versions.",
)
@click.option(
    "--whole-province",
    is_flag=True,
    help="With --on 2025-07-01: all 92 units of Tỉnh Thái Nguyên, not only the 37 of former Bắc Kạn.",
)
@click.option(
    "--crosswalk",
    "crosswalk_pair",
    nargs=2,
    metavar="FROM TO",
    default=None,
    help="Write the crosswalk from one version to a later one, e.g. --crosswalk 2019 2025.",
)
@click.option(
    "--method",
    type=click.Choice(["lineage", "overlay"]),
    default="lineage",
    show_default=True,
    help="Crosswalk by the official lineage, or by intersecting the polygons of both versions.",
)
@click.option(
    "--disagreement",
    is_flag=True,
    help="Measure how far the 2019 and 2025 boundary surveys disagree (per 2025 unit with --out).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the listing as .csv or .xlsx instead of printing it.",
)
@lang_option
def command(
    on: str | None,
    whole_province: bool,
    crosswalk_pair: tuple[str, str] | None,
    method: str,
    disagreement: bool,
    out: str | None,
    lang: str,
) -> None:
    """List the versions of Bắc Kạn's units (2019, 2020, 2023, 2025), with dates, counts and sources.

    \b
    Examples:
      bkmap units                                  the versions
      bkmap units --on 2025-07-01                  the 37 units in force on that day
      bkmap units --on 2025-07-01 --whole-province all 92 units of Thái Nguyên
      bkmap units --crosswalk 2019 2025 --out cw.csv
      bkmap units --disagreement                   2019 vs 2025 survey mismatch
    """
    from bkmap.versions.listing import list_units  # lazy: keeps `bkmap --help` fast

    outcome = list_units(
        on=on,
        whole_province=whole_province,
        crosswalk_pair=crosswalk_pair,
        method=method,
        disagreement=disagreement,
        out=out,
        lang=lang,
    )
    echo_outcome(outcome)
