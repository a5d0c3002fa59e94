"""``bkmap planner``: one offline page where the budget and the assumptions move, and the optimum follows."""

from __future__ import annotations

from typing import Any

import click

from bkmap.cli.options import data_options, echo_outcome, lang_option
from bkmap.i18n import msg as msg_


@click.command("planner")
@data_options
@lang_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default="bkmap_planner.html",
    show_default=True,
    help="The page to write (.html).",
)
@click.option(
    "--weight",
    type=float,
    default=0.5,
    show_default=True,
    help="Objective mix: weight of the commune share (the population share gets 1 - w).",
)
@click.option(
    "--probability",
    "probabilities",
    type=float,
    multiple=True,
    help="More values of p to precompute for --unknown probability (repeatable), besides "
    "0.05, 0.10, ..., 1 and the one derived from the published count (0.451).",
)
@click.option(
    "--costs",
    "costs_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="CSV/xlsx with columns code, cost_vnd: a cost per commune (overrides the defaults).",
)
@click.option(
    "--new-cost",
    metavar="VND",
    default=None,
    help="Cost of a new station. Default 416,666,666 = 5 bn VND / 12 (the budget line of 12 new "
    "stations for 5 bn VND in the province's article of 12/08/2019, not the 2019 plan).",
)
@click.option(
    "--upgrade-cost",
    metavar="VND",
    default=None,
    help="Cost of upgrading a station that exists but does not meet 8.3 (none was published; "
    "default: the new-station cost).",
)
@click.option(
    "--existing",
    metavar="CODES",
    default=None,
    help="More communes (2019 codes, comma-separated) that already have a working station.",
)
@click.option(
    "--villages",
    type=click.Path(dir_okay=False),
    default=None,
    help="Village points (thôn/bản, optionally with population): adds the covering model (MCLP), "
    "precomputed for every number of new sites.",
)
@click.option(
    "--sites",
    type=click.Path(dir_okay=False),
    default=None,
    help="Candidate site points for the village model (a station layer; working = existing). "
    "Default: commune centres.",
)
@click.option(
    "--radius",
    type=float,
    default=5000.0,
    show_default=True,
    help="Coverage radius of a station in metres (village model).",
)
def command(
    data: dict[str, Any],
    lang: str,
    out: str,
    weight: float,
    probabilities: tuple[float, ...],
    costs_path: str | None,
    new_cost: str | None,
    upgrade_cost: str | None,
    existing: str | None,
    villages: str | None,
    sites: str | None,
    radius: float,
) -> None:
    """Write the planner's explorer: one self-contained page (no network) to move the budget
    or the number of stations, the policy for unknown communes and the objective, and see the
    exact optimum, the greedy answer and the marginal gain follow.

    Every answer is precomputed with the model of `bkmap plan`. Examples:

    \b
      bkmap planner --out planner.html
      bkmap planner --lang en --out planner_en.html --upgrade-cost 200tr
    """
    # Lazy: keeps `bkmap --help` free of the library.
    from bkmap import jobs
    from bkmap.planning import model as planning
    from bkmap.render import planner

    items = [s.strip() for s in (existing or "").split(",") if s.strip()]
    if existing is not None and not items:
        raise click.BadParameter(msg_("cli_need_codes"), param_hint="--existing")
    outcome = planner.make_planner(
        jobs.DataOptions(**data),
        out=out,
        lang=lang,
        policy=planning.Policy(
            new_cost=planning.parse_vnd(new_cost, option="--new-cost")
            if new_cost is not None
            else planning.DEFAULT_NEW_STATION_COST_VND,
            upgrade_cost=planning.parse_vnd(upgrade_cost, option="--upgrade-cost")
            if upgrade_cost is not None
            else None,
            weight=weight,
        ),
        costs_path=costs_path,
        existing=tuple(items),
        probabilities=probabilities,
        villages=villages,
        sites=sites,
        radius=radius,
    )
    echo_outcome(outcome)
