"""``bkmap print``: the criterion-8 map as a PNG or PDF for printed reports."""

from __future__ import annotations

from typing import Any

import click

from bkmap.cli.options import data_options, echo_outcome, lang_option


@click.command("print")
@data_options
@lang_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default="bkmap_criterion8.png",
    show_default=True,
    help="Where to write the map: .png or .pdf.",
)
@click.option(
    "--paper",
    type=click.Choice(["A4", "A3"], case_sensitive=False),
    default="A4",
    show_default=True,
    help="Paper size; the orientation follows the map's shape.",
)
@click.option(
    "--dpi",
    type=click.IntRange(50, 1200),
    default=200,
    show_default=True,
    help="Resolution of a PNG (300 for print).",
)
@click.option("--no-labels", is_flag=True, help="Leave out the commune names.")
def command(
    data: dict[str, Any],
    lang: str,
    out: str,
    paper: str,
    dpi: int,
    no_labels: bool,
) -> None:
    """Draw the criterion-8 map for paper (PNG or PDF, A4 or A3).

    The map has a legend with counts, a scale bar, a north arrow, a title with
    the period, and the sources and date of the data.
    """
    from bkmap import jobs  # lazy: keeps `bkmap --help` free of geopandas and folium

    outcome = jobs.make_print(
        jobs.DataOptions(**data), out=out, paper=paper, dpi=dpi, lang=lang, labels=not no_labels
    )
    echo_outcome(outcome)
