"""``bkmap planner``: one offline page where the budget and the assumptions move, and the optimum follows."""

from __future__ import annotations

from typing import Any

import click

from bkmap.cli.cmd_plan import cost_options, cost_policy, site_options, split_items
from bkmap.cli.options import data_options, echo_outcome, lang_option


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
@cost_options
@click.option(
    "--villages",
    type=click.Path(dir_okay=False),
    default=None,
    help="Village points (thôn/bản, optionally with population): adds the covering model (MCLP), "
    "precomputed for every number of new sites.",
)
@site_options
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
    from bkmap.render import planner

    outcome = planner.make_planner(
        jobs.DataOptions(**data),
        out=out,
        lang=lang,
        policy=cost_policy(new_cost, upgrade_cost, weight=weight),
        costs_path=costs_path,
        existing=tuple(split_items(existing, "--existing", empty="cli_need_codes")),
        probabilities=probabilities,
        villages=villages,
        sites=sites,
        radius=radius,
    )
    echo_outcome(outcome)
