"""``bkmap print``: the criterion-8 map as a PNG or PDF for printed reports."""

from __future__ import annotations

import click

from bkmap.cli.options import DataArgs, data_options, lang_option, load_for_command


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
    data: DataArgs,
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
    from pathlib import Path

    from bkmap.cli.cmd_report import outlines
    from bkmap.render.printing import check_output, print_map

    check_output(Path(out), paper.upper(), dpi)
    joined, _result = load_for_command(data)
    districts, province = outlines(
        joined, boundaries=data.boundaries, on=data.on, whole_province=data.whole_province
    )
    path = print_map(
        joined,
        out,
        paper=paper.upper(),
        lang=lang,
        dpi=dpi,
        districts=districts,
        province=province,
        labels=not no_labels,
        boundary_source=Path(data.boundaries).name if data.boundaries else None,
    )
    click.echo(f"wrote {path.resolve()} ({paper.upper()}, {len(joined)} communes)")
