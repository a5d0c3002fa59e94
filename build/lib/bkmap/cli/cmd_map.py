"""``bkmap map``: draw the criterion-8 choropleth as one HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from bkmap.cli.options import DataArgs, data_options, lang_option, load_for_command


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
@click.option("--no-tiles", is_flag=True, help="Draw no basemap (for offline use).")
def command(
    data: DataArgs,
    lang: str,
    out: str,
    no_tiles: bool,
) -> None:
    """Draw the criterion-8 map: one choropleth per indicator, districts, legend.

    With no options it draws the 122 communes of 2019 with the shipped status
    table (assessment of 2019-08-12) and writes bkmap_criterion8.html.
    """
    from bkmap.io.boundaries import read_districts
    from bkmap.io.status import load_sources
    from bkmap.render.maps import class_counts, criterion_map, save_map

    joined, _result = load_for_command(data)
    if "area" in joined.attrs:  # --province: outline the area's districts (or provinces)
        from bkmap.render.maps import area_outlines

        districts = area_outlines(joined)
    else:
        districts = read_districts(on=data.on) if data.boundaries is None else None
    fmap = criterion_map(
        joined,
        lang=lang,
        districts=districts,
        sources=load_sources(),
        tiles=None if no_tiles else "OpenStreetMap",
    )
    path = save_map(fmap, out)
    counts = class_counts(joined)["c8"]
    summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    click.echo(f"wrote {Path(path).resolve()} ({len(joined)} communes: {summary})")
