"""``bkmap plan``: choose where to build the next commune radio stations within a budget."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from bkmap.cli.options import data_options, echo_outcome, lang_option, tiles_option
from bkmap.i18n import msg as msg_

if TYPE_CHECKING:
    from bkmap.planning import model as planning

# Literal here, not imported from bkmap.planning, so `bkmap --help` imports no library code;
# tests/test_cli_plan.py checks they equal the library's.
OBJECTIVES: tuple[str, ...] = ("communes", "population", "mix")
UNKNOWN_POLICIES: tuple[str, ...] = ("exclude", "need", "probability")
DEFAULT_RADIUS_M: float = 5000.0

F = TypeVar("F", bound=Callable[..., Any])


# The cost model and the village model's sites take the same options in `plan` and `planner`:
# one definition each, so the two commands cannot drift apart.
def cost_options(f: F) -> F:
    """--costs, --new-cost, --upgrade-cost, --existing: what stations cost, and where they stand."""
    f = click.option(
        "--existing",
        metavar="CODES",
        default=None,
        help="More communes (2019 codes, comma-separated) that already have a working station.",
    )(f)
    f = click.option(
        "--upgrade-cost",
        metavar="VND",
        default=None,
        help="Cost of upgrading a station that exists but does not meet 8.3 (none was published; "
        "default: the new-station cost).",
    )(f)
    f = click.option(
        "--new-cost",
        metavar="VND",
        default=None,
        help="Cost of a new station. Default 416,666,666 = 5 bn VND / 12 (the budget line of 12 new stations "
        "for 5 bn VND in the province's article of 12/08/2019, not the 2019 plan).",
    )(f)
    return click.option(
        "--costs",
        "costs_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="CSV/xlsx with columns code, cost_vnd: a cost per commune (overrides the defaults).",
    )(f)


def site_options(f: F) -> F:
    """--sites, --radius: the candidate sites and the coverage radius of the village model."""
    f = click.option(
        "--radius",
        type=float,
        default=DEFAULT_RADIUS_M,
        show_default=True,
        help="Coverage radius of a station in metres (village model).",
    )(f)
    return click.option(
        "--sites",
        type=click.Path(dir_okay=False),
        default=None,
        help="Candidate site points for the village model (a station layer; working = existing). "
        "Default: commune centres.",
    )(f)


def cost_policy(new_cost: str | None, upgrade_cost: str | None, **settings: Any) -> planning.Policy:
    """The planning policy with the costs of --new-cost and --upgrade-cost, as typed."""
    # Lazy: keeps `bkmap --help` free of the library.
    from bkmap.planning import model as planning

    return planning.Policy(
        new_cost=planning.parse_vnd(new_cost, option="--new-cost")
        if new_cost is not None
        else planning.DEFAULT_NEW_STATION_COST_VND,
        upgrade_cost=planning.parse_vnd(upgrade_cost, option="--upgrade-cost")
        if upgrade_cost is not None
        else None,
        **settings,
    )


def split_items(text: str | None, option: str, *, empty: str = "cli_need_values") -> list[str]:
    """The comma-separated items of an option (none when it is not given).

    An option given with no item is refused with the message ``empty`` (a catalogue key).
    """
    if text is None:
        return []
    items = [s.strip() for s in text.split(",") if s.strip()]
    if not items:
        raise click.BadParameter(msg_(empty), param_hint=option)
    return items


@click.command("plan")
@data_options
@lang_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="bkmap_plan",
    show_default=True,
    help="Folder to write plan.csv, plan.xlsx, plan_map.html (and compare.csv/.png).",
)
@click.option("--budget", metavar="VND", help="Total budget: 5000000000, 5e9, 5bn or '5 tỷ'.")
@click.option("--stations", metavar="N", help="Most new stations to build.")
@click.option(
    "--objective",
    type=click.Choice(OBJECTIVES),
    default="communes",
    show_default=True,
    help="Maximise communes reaching criterion 8, their population, or a mix.",
)
@click.option(
    "--weight",
    type=float,
    default=0.5,
    show_default=True,
    help="With --objective mix: weight of the commune share (the population share gets 1 - w).",
)
@click.option(
    "--unknown",
    type=click.Choice(UNKNOWN_POLICIES),
    default="exclude",
    show_default=True,
    help="Communes with 8.3 unknown: exclude them, treat them as needing a station, "
    "or count each with --probability.",
)
@click.option(
    "--probability",
    type=float,
    default=None,
    help="With --unknown probability: chance (0-1] that a commune with 8.3 unknown did not "
    "meet 8.3. 0.451 = 46/102 follows from the published 2019 count (a commune whose sources "
    "conflict counts as unknown).",
)
@cost_options
@click.option(
    "--compare",
    "compare_budgets",
    metavar="VND,VND,...",
    default=None,
    help="Compare budgets in one call, e.g. 5e9,8.3e9 (each keeps --stations).",
)
@click.option(
    "--compare-stations",
    metavar="N,N,...",
    default=None,
    help="Compare station counts, e.g. 12,20 (each keeps --budget). With --compare: every pair.",
)
@click.option(
    "--marginal-limit",
    metavar="VND",
    default=None,
    help="Report the gain of each extra 1 bn VND from --budget up to this total "
    "(default: budget + 5 bn when a budget is given).",
)
@click.option(
    "--villages",
    type=click.Path(dir_okay=False),
    default=None,
    help="Village points (thôn/bản, optionally with population): adds the covering model (MCLP).",
)
@site_options
@tiles_option
def command(
    data: dict[str, Any],
    lang: str,
    out_dir: str,
    budget: str | None,
    stations: str | None,
    objective: str,
    weight: float,
    unknown: str,
    probability: float | None,
    costs_path: str | None,
    new_cost: str | None,
    upgrade_cost: str | None,
    existing: str | None,
    compare_budgets: str | None,
    compare_stations: str | None,
    marginal_limit: str | None,
    villages: str | None,
    sites: str | None,
    radius: float,
    tiles: bool,
) -> None:
    """Plan new commune radio stations: which communes to build in, within a budget.

    Solves the exact optimum (integer program, PuLP + CBC) and reports the
    greedy heuristic beside it. A commune counts when 8.3 is the only
    indicator it lacks. Examples:

    \b
      bkmap plan --budget 5000000000 --out plan_5bn
      bkmap plan --stations 20 --unknown probability --probability 0.451
      bkmap plan --budget 5e9 --compare 5e9,8.3e9 --objective population
    """
    from bkmap import jobs  # lazy: keeps `bkmap --help` free of geopandas and folium

    # Lazy: keeps `bkmap --help` free of the library.
    from bkmap.planning import model as planning

    outcome = jobs.make_plan(
        jobs.DataOptions(**data),
        out_dir=out_dir,
        budget=planning.parse_vnd(budget, option="--budget") if budget is not None else None,
        stations=planning.parse_count(stations, option="--stations")
        if stations is not None
        else None,
        objective=objective,
        policy=cost_policy(
            new_cost, upgrade_cost, unknown=unknown, probability=probability, weight=weight
        ),
        costs_path=costs_path,
        existing=tuple(split_items(existing, "--existing")),
        compare_budgets=tuple(
            planning.parse_vnd(v, option="--compare")
            for v in split_items(compare_budgets, "--compare")
        ),
        compare_stations=tuple(
            planning.parse_count(v, option="--compare-stations")
            for v in split_items(compare_stations, "--compare-stations")
        ),
        marginal_limit=planning.parse_vnd(marginal_limit, option="--marginal-limit")
        if marginal_limit is not None
        else None,
        villages=villages,
        sites=sites,
        radius=radius,
        lang=lang,
        tiles=tiles,
    )
    echo_outcome(outcome)
