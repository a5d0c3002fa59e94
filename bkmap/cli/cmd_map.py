"""``bkmap map``: draw the criterion-8 choropleth as one HTML file."""

from __future__ import annotations

from typing import Any

import click

from bkmap.cli.options import data_options, echo_outcome, lang_option, tiles_option


@click.command("map")
@data_options
@lang_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default="bkmap_criterion8.html",
    show_default=True,
    help="Where to write the HTML map.",
)
@tiles_option
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="Prepare the display shapes afresh and cache nothing (by default the simplified "
    "shapes of a large layer are kept in the user's cache folder, or $BKMAP_CACHE_DIR, "
    "and reused when the same layer is drawn again with the same settings).",
)
def command(data: dict[str, Any], lang: str, out: str, tiles: bool, no_cache: bool) -> None:
    """Draw the criterion-8 map: one choropleth per indicator, districts, legend.

    With no options it draws the 122 communes of 2019 with the shipped status
    table (assessment of 2019-08-12) and writes bkmap_criterion8.html.
    """
    from bkmap import jobs  # lazy: keeps `bkmap --help` free of geopandas and folium

    echo_outcome(
        jobs.make_map(jobs.DataOptions(**data), out=out, lang=lang, tiles=tiles, cache=not no_cache)
    )
