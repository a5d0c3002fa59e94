"""``bkmap report``: the offline report as one HTML file (and optionally an Excel workbook)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from bkmap.cli.options import DataArgs, data_options, lang_option, load_for_command

if TYPE_CHECKING:
    import geopandas as gpd


def outlines(
    joined: gpd.GeoDataFrame, *, boundaries: str | None, on: str | None, whole_province: bool
) -> tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None]:
    """District and province outlines to draw: the shipped ones when the communes are shipped.

    A --province area of a national layer gets its own district outlines and
    no Bắc Kạn outline; a user's boundary file gets none.
    """
    from bkmap.io.boundaries import read_districts, read_province

    if "area" in joined.attrs:
        from bkmap.render.maps import area_outlines

        return area_outlines(joined), None
    if boundaries is not None:
        return None, None
    version = joined.attrs.get("version")
    districts = read_districts(on=on) if version != "2025" else None
    province = None if whole_province else read_province()
    return districts, province


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
@click.option(
    "--tiles",
    is_flag=True,
    help="Add an OpenStreetMap basemap (needs a network; removed quietly when offline).",
)
@click.option(
    "--excel",
    "excel_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the report's tables as one Excel workbook (.xlsx).",
)
def command(
    data: DataArgs,
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
    from bkmap._errors import InputError
    from bkmap.io.status import load_sources
    from bkmap.render.report import SIZE_BUDGET, read_gaps, report_tables, write_excel, write_report

    if excel_path and Path(excel_path).suffix.lower() != ".xlsx":
        msg = f"--excel {excel_path}: the workbook must end in .xlsx."
        raise InputError(msg)
    gaps = read_gaps(gaps_dir) if gaps_dir else None
    joined, _result = load_for_command(data)
    districts, province = outlines(
        joined, boundaries=data.boundaries, on=data.on, whole_province=data.whole_province
    )
    sources = load_sources()
    tables = report_tables(joined, lang=lang, gaps=gaps, sources=sources)
    path = write_report(
        joined,
        out,
        lang=lang,
        gaps=gaps,
        tiles=tiles,
        districts=districts,
        province=province,
        sources=sources,
        tables=tables,
    )
    size = path.stat().st_size
    note = "" if size <= SIZE_BUDGET else " (above the 1 MB target)"
    click.echo(f"wrote {path.resolve()} ({size / 1e6:.2f} MB{note}, {len(joined)} communes)")
    if excel_path:
        workbook = write_excel(tables, excel_path, lang=lang)
        click.echo(f"wrote {workbook.resolve()}")
