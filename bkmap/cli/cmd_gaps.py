"""``bkmap gaps``: communes without radio stations or coverage, as tables and a map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bkmap.cli.options import DataArgs, data_options, lang_option, load_for_command


def _parse_radii(values: tuple[str, ...]) -> dict[str, float]:
    radii: dict[str, float] = {}
    for value in values:
        tech, sep, metres = value.partition("=")
        try:
            number = float(metres)
        except ValueError:
            number = -1.0
        if not sep or not tech.strip() or number <= 0:
            msg = f"--radius {value!r}: write TECH=METRES with a positive number, e.g. --radius LTE=3000."
            raise click.BadParameter(msg, param_hint="--radius")
        radii[tech.strip().upper()] = number
    return radii


@click.command("gaps")
@data_options
@lang_option
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    required=True,
    help="Folder for gaps.csv, gaps.geojson, gaps.xlsx and gaps_map.html (created if missing).",
)
@click.option("--stations", type=click.Path(), help="Commune radio stations (points).")
@click.option("--cells", type=click.Path(), help="Cell sites, OpenCelliD CSV format.")
@click.option("--towers", type=click.Path(), help="Towers (points with radius_m).")
@click.option("--coverage", type=click.Path(), help="Coverage polygons (e.g. from an operator).")
@click.option(
    "--villages", type=click.Path(), help="Village (thôn/bản) points, optional population."
)
@click.option("--postal", type=click.Path(), help="Postal service points.")
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=0.8,
    show_default=True,
    help="Coverage share (of population; of area when there are no villages) below which a "
    "commune has a coverage gap.",
)
@click.option(
    "--radius",
    "radius",
    multiple=True,
    metavar="TECH=METRES",
    help="Default radius of cell sites without a range, per radio (repeatable). "
    "Defaults: GSM=12000 UMTS=4000 LTE=4000 (FAO/OpenCelliD), CDMA=12000 NR=2000.",
)
@click.option(
    "--dask",
    "dask_scheduler",
    metavar="SCHEDULER",
    default=None,
    help="Measure coverage on dask-geopandas: 'local' starts a local cluster, or give a "
    "scheduler address (tcp://host:8786). Needs the dask extra: pip install 'bkmap[dask]'.",
)
@click.option(
    "--partitions",
    type=click.IntRange(1),
    default=8,
    show_default=True,
    help="With --dask: how many partitions to split the coverage layer into.",
)
@click.option("--no-tiles", is_flag=True, help="Draw no basemap (for offline use).")
def command(
    data: DataArgs,
    lang: str,
    out: str,
    stations: str | None,
    cells: str | None,
    towers: str | None,
    coverage: str | None,
    villages: str | None,
    postal: str | None,
    threshold: float,
    radius: tuple[str, ...],
    dask_scheduler: str | None,
    partitions: int,
    no_tiles: bool,
) -> None:
    """Find the communes lacking a radio station, coverage or a postal point.

    Uses the same default data as `bkmap map`. Every layer is optional (GeoJSON,
    GeoPackage, shapefile, or CSV with lon/lat or VN-2000 x/y + --crs, which also
    serves any layer that declares no CRS); with none, the
    gaps come from the status table alone (8.3 not met or unknown). Writes
    gaps.csv, gaps.geojson, gaps.xlsx (with a district summary) and
    gaps_map.html into --out, and dropped_rows.csv listing input rows left out.
    """
    from bkmap.analysis.gaps import find_gaps
    from bkmap.io.boundaries import read_districts
    from bkmap.io.points import read_points
    from bkmap.io.status import load_sources
    from bkmap.render.gaps import write_gap_outputs

    radii = _parse_radii(radius)
    # --crs (a data option) also serves the x/y columns of CSV layers and layers
    # that declare no CRS. A CRS a layer declares wins.
    crs = data.crs
    joined, _result = load_for_command(data)
    layers: dict[str, Any] = {}
    for kind, path in (
        ("stations", stations),
        ("cells", cells),
        ("towers", towers),
        ("coverage", coverage),
        ("villages", villages),
        ("postal", postal),
    ):
        if path is not None:
            layers[kind] = read_points(
                path,
                kind=kind,
                crs=crs,
                encoding=data.encoding if Path(path).suffix.lower() == ".csv" else None,
                radii=radii if kind == "cells" else None,
                extent=joined,
            )
    if dask_scheduler:
        from bkmap.analysis import distributed

        with distributed.client(dask_scheduler):
            result = find_gaps(
                joined, threshold=threshold, lang=lang, npartitions=partitions, **layers
            )
    else:
        result = find_gaps(joined, threshold=threshold, lang=lang, **layers)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = write_gap_outputs(
        result,
        folder,
        joined=joined,
        lang=lang,
        districts=read_districts(on=data.on) if data.boundaries is None else None,
        sources=load_sources(),
        tiles=None if no_tiles else "OpenStreetMap",
    )
    click.echo(
        f"{len(result.gaps)} communes with gaps, {len(result.conflicts)} conflicts"
        + (f", {len(result.dropped)} input rows left out" if len(result.dropped) else "")
    )
    for target in written:
        click.echo(f"wrote {target.resolve()}")
