"""``bkmap template``: write an empty status table for officials to fill in."""

from __future__ import annotations

import click

from bkmap.cli.options import echo_outcome, lang_option, on_option


@click.command("template")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    required=True,
    help="Where to write the template: a .csv or .xlsx file.",
)
@on_option
@lang_option
def command(out: str, on: str | None, lang: str) -> None:
    """Write a status table listing every commune, with empty indicator columns.

    Fill in 8.1 to 8.4 with đạt / chưa đạt / chưa rõ (or met / not_met /
    unknown), then draw it with `bkmap map --status FILE`.
    """
    from bkmap import jobs  # lazy: keeps `bkmap --help` free of geopandas and folium

    echo_outcome(jobs.make_template(out=out, on=on, lang=lang))
