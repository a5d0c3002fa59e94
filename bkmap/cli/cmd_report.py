"""``bkmap report``: the offline report as one HTML file (and optionally an Excel workbook)."""

from __future__ import annotations

from typing import Any

import click

from bkmap.cli.options import data_options, echo_outcome, lang_option, tiles_option


@click.command("report")
@data_options
@lang_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default="bkmap_report.html",
    show_default=True,
    help="Where to write the HTML report (one self-contained file).",
)
@click.option(
    "--gaps",
    "gaps_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder written by `bkmap gaps --out DIR`: adds its layers and its gap list.",
)
@tiles_option
@click.option(
    "--excel",
    "excel_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the report's tables as one Excel workbook (.xlsx).",
)
def command(
    data: dict[str, Any],
    lang: str,
    out: str,
    gaps_dir: str | None,
    tiles: bool,
    excel_path: str | None,
) -> None:
    """Write the criterion-8 report: map, district summary, gap list, reconciliation, sources.

    The HTML file has Leaflet and every style inside and loads nothing over
    the network, so it works in offices with no connection. Vietnamese by
    default; --lang en for English.
    """
    from bkmap import jobs  # lazy: keeps `bkmap --help` free of geopandas and folium

    outcome = jobs.make_report(
        jobs.DataOptions(**data),
        out=out,
        lang=lang,
        gaps_dir=gaps_dir,
        tiles=tiles,
        excel=excel_path,
    )
    echo_outcome(outcome)
