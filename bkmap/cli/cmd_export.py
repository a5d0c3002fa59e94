"""``bkmap export``: the joined communes, and gaps and plan where asked, as a GeoPackage for QGIS."""

from __future__ import annotations

from typing import Any

import click

from bkmap.cli.cmd_gaps import parse_radii
from bkmap.cli.cmd_plan import UNKNOWN_POLICIES
from bkmap.cli.options import data_options, echo_outcome, lang_option

# Literal here, not imported from bkmap.jobs, so `bkmap --help` imports no library code;
# tests/test_export.py checks they equal the library's.
FORMATS: tuple[str, ...] = ("gpkg", "shp")


@click.command("export")
@data_options
@lang_option
@click.option(
    "--out",
    type=click.Path(),
    required=True,
    help="File to write: FILE.gpkg; with --format shp a folder or FILE.zip.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="gpkg",
    show_default=True,
    help="gpkg: one GeoPackage with every layer. shp: one shapefile per layer, field names cut "
    "to 10 characters as listed in fields.csv.",
)
@click.option("--stations", type=click.Path(), help="Commune radio stations (points): adds gaps.")
@click.option("--cells", type=click.Path(), help="Cell sites, OpenCelliD CSV format: adds gaps.")
@click.option("--towers", type=click.Path(), help="Towers (points with radius_m): adds gaps.")
@click.option("--coverage", type=click.Path(), help="Coverage polygons: adds gaps.")
@click.option("--villages", type=click.Path(), help="Village (thôn/bản) points: adds gaps.")
@click.option("--postal", type=click.Path(), help="Postal service points: adds gaps.")
@click.option(
    "--gaps",
    "with_gaps",
    is_flag=True,
    help="Add the gap layers even without point layers (gaps from the status table alone).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=0.8,
    show_default=True,
    help="Coverage share below which a commune has a coverage gap (as in bkmap gaps).",
)
@click.option(
    "--radius",
    "radius",
    multiple=True,
    metavar="TECH=METRES",
    help="Default radius of cell sites without a range, per radio (as in bkmap gaps).",
)
@click.option(
    "--budget", metavar="VND", help="Adds the plan layers: total budget (as in bkmap plan)."
)
@click.option(
    "--plan-stations",
    metavar="N",
    help="Adds the plan layers: most new stations (bkmap plan --stations; --stations here is "
    "the station layer).",
)
@click.option(
    "--unknown",
    type=click.Choice(UNKNOWN_POLICIES),
    default="exclude",
    show_default=True,
    help="With the plan: communes with 8.3 unknown (as in bkmap plan).",
)
@click.option(
    "--probability",
    type=float,
    default=None,
    help="With --unknown probability: as in bkmap plan.",
)
def command(
    data: dict[str, Any],
    lang: str,
    out: str,
    fmt: str,
    stations: str | None,
    cells: str | None,
    towers: str | None,
    coverage: str | None,
    villages: str | None,
    postal: str | None,
    with_gaps: bool,
    threshold: float,
    radius: tuple[str, ...],
    budget: str | None,
    plan_stations: str | None,
    unknown: str,
    probability: float | None,
) -> None:
    """Write the communes with every status column and source as GIS layers (QGIS).

    Layers: communes and sources always; gaps, gap_measures, stations,
    stations_later, covered_area, uncovered_villages, postal and conflicts when
    a point layer or --gaps is given; plan and plan_communes with --budget or
    --plan-stations. Examples:

    \b
      bkmap export --out bac_kan.gpkg
      bkmap export --out bac_kan.gpkg --stations stations.geojson --budget 5e9
      bkmap export --format shp --out bac_kan_shp.zip
    """
    from bkmap import jobs  # lazy: keeps `bkmap --help` free of geopandas and folium

    # Lazy: keeps `bkmap --help` free of the library.
    from bkmap.planning import model as planning

    outcome = jobs.make_export(
        jobs.DataOptions(**data),
        out=out,
        fmt=fmt,
        layers={
            "stations": stations,
            "cells": cells,
            "towers": towers,
            "coverage": coverage,
            "villages": villages,
            "postal": postal,
        },
        gaps=with_gaps,
        threshold=threshold,
        radii=parse_radii(radius),
        budget=planning.parse_vnd(budget, option="--budget") if budget is not None else None,
        plan_stations=planning.parse_count(plan_stations, option="--plan-stations")
        if plan_stations is not None
        else None,
        policy=planning.Policy(unknown=unknown, probability=probability),
        lang=lang,
    )
    echo_outcome(outcome)
