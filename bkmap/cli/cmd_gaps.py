"""``bkmap gaps``: communes without radio stations or coverage, as tables and a map."""

from __future__ import annotations

import re
from typing import Any

import click

from bkmap.cli.options import data_options, echo_outcome, lang_option, tiles_option
from bkmap.i18n import msg as msg_

_RADIO = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def parse_radii(values: tuple[str, ...]) -> dict[str, float]:
    radii: dict[str, float] = {}
    for value in values:
        tech, sep, metres = value.partition("=")
        try:
            number = float(metres)
        except ValueError:
            number = -1.0
        # A radio name is a word as OpenCelliD writes it (LTE, NR, NBIOT): anything else would be a
        # radius that no row can ever use, an option ignored in silence.
        if not sep or not _RADIO.fullmatch(tech.strip()) or number <= 0:
            msg = msg_("cli_bad_radius", value=value)
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
    help="With --dask: how many partitions to split the coverage layer into. A --cells CSV is "
    "read by dask itself, in 16 MB partitions, never whole on this machine.",
)
@tiles_option
def command(
    data: dict[str, Any],
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
    tiles: bool,
) -> None:
    """Find the communes lacking a radio station, coverage or a postal point.

    Uses the same default data as `bkmap map`. Every layer is optional (GeoJSON,
    GeoPackage, shapefile, or CSV with lon/lat or VN-2000 x/y + --crs, which also
    serves any layer that declares no CRS); with none, the
    gaps come from the status table alone (8.3 not met or unknown). Writes
    gaps.csv, gaps.geojson, gaps.xlsx (with a district summary) and
    gaps_map.html into --out, and dropped_rows.csv listing input rows left out.
    """
    from bkmap import jobs  # lazy: keeps `bkmap --help` free of geopandas and folium

    layers = {
        "stations": stations,
        "cells": cells,
        "towers": towers,
        "coverage": coverage,
        "villages": villages,
        "postal": postal,
    }
    outcome = jobs.make_gaps(
        jobs.DataOptions(**data),
        out=out,
        layers=layers,
        lang=lang,
        threshold=threshold,
        radii=parse_radii(radius),
        dask=dask_scheduler,
        partitions=partitions,
        tiles=tiles,
    )
    echo_outcome(outcome)
