"""``bkmap plan``: choose where to build the next commune radio stations within a budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bkmap.cli.options import DataArgs, data_options, lang_option, load_for_command
from bkmap.planning.model import DEFAULT_RADIUS_M, OBJECTIVES, UNKNOWN_POLICIES


def _split(text: str | None, option: str) -> list[str]:
    if text is None:
        return []
    items = [s.strip() for s in text.split(",") if s.strip()]
    if not items:
        raise click.BadParameter("give one or more values separated by commas", param_hint=option)
    return items


def _scenarios(
    budget: int | None,
    stations: int | None,
    compare_budgets: list[int],
    compare_stations: list[int],
) -> list[tuple[int | None, int | None]]:
    """Each compared budget (or count) replaces the plan's own and keeps the other limit."""
    budgets: list[int | None] = list(compare_budgets) or [budget]
    counts: list[int | None] = list(compare_stations) or [stations]
    return [(b, s) for s in counts for b in budgets]


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
    help="With --unknown probability: chance (0-1] that a commune with 8.3 unknown lacks a "
    "station. 0.446 = 45/101 follows from the published 2019 count.",
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
    help="Cost of a new station. Default 416,666,666 = 5 bn VND / 12 (the 2019 plan).",
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
    default=DEFAULT_RADIUS_M,
    show_default=True,
    help="Coverage radius of a station in metres (village model).",
)
@click.option("--no-tiles", is_flag=True, help="Draw no basemap (for offline use).")
def command(
    data: DataArgs,
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
    no_tiles: bool,
) -> None:
    """Plan new commune radio stations: which communes to build in, within a budget.

    Solves the exact optimum (integer program, PuLP + CBC) and reports the
    greedy heuristic beside it. A commune counts when 8.3 is the only
    indicator it lacks. Examples:

    \b
      bkmap plan --budget 5000000000 --out plan_5bn
      bkmap plan --stations 20 --unknown probability --probability 0.446
      bkmap plan --budget 5e9 --compare 5e9,8.3e9 --objective population
    """
    from bkmap.io.boundaries import read_districts
    from bkmap.io.status import load_sources
    from bkmap.planning import model as planning
    from bkmap.render import plan as plan_outputs

    main_budget = planning.parse_vnd(budget, option="--budget") if budget is not None else None
    main_stations = (
        planning.parse_count(stations, option="--stations") if stations is not None else None
    )
    budgets = [
        planning.parse_vnd(v, option="--compare") for v in _split(compare_budgets, "--compare")
    ]
    counts = [
        planning.parse_count(v, option="--compare-stations")
        for v in _split(compare_stations, "--compare-stations")
    ]
    if main_budget is None and main_stations is None and not budgets and not counts:
        raise click.UsageError(
            "give a budget (--budget VND), a number of stations (--stations N), or both; "
            "or scenarios with --compare / --compare-stations."
        )
    scenarios = _scenarios(main_budget, main_stations, budgets, counts)
    if main_budget is None and main_stations is None:
        main_budget, main_stations = scenarios[0]
        click.echo(
            f"no --budget/--stations: plan.csv describes the first scenario "
            f"({planning._scenario_label(main_budget, main_stations)})",
            err=True,
        )
    new = planning.parse_vnd(new_cost, option="--new-cost") if new_cost is not None else None
    upgrade = (
        planning.parse_vnd(upgrade_cost, option="--upgrade-cost")
        if upgrade_cost is not None
        else None
    )
    if marginal_limit is not None:
        limit: int | None = planning.parse_vnd(marginal_limit, option="--marginal-limit")
    elif main_budget is not None:
        limit = main_budget + 5 * planning.BILLION
    else:
        limit = None

    joined, _result = load_for_command(data)
    costs = None
    if costs_path is not None:
        costs = planning.read_costs(costs_path, codes=joined["code"])
    result = planning.plan_communes(
        joined,
        budget=main_budget,
        stations=main_stations,
        objective=objective,
        weight=weight,
        unknown=unknown,
        probability=probability,
        costs=costs,
        new_cost=new,
        upgrade_cost=upgrade,
        existing=_split(existing, "--existing"),
        marginal_limit=limit,
    )
    if costs is not None:
        ignored = sorted(
            set(costs.index) - set(result.candidates.loc[result.candidates["eligible"], "code"])
        )
        if ignored:
            click.echo(
                f"note: {len(ignored)} cost row(s) are for communes that are not candidates "
                f"(see communes.csv): {', '.join(ignored[:10])}",
                err=True,
            )
    compare = None
    if budgets or counts:
        compare = planning.compare_scenarios(
            result.candidates, scenarios, objective=objective, weight=weight
        )
    village = None
    if villages is not None:
        village = _village_plan(
            joined,
            result,
            villages=villages,
            sites=sites,
            radius=radius,
            budget=main_budget,
            stations=main_stations,
        )
    elif sites is not None:
        raise click.UsageError("--sites needs --villages (the demand of the covering model).")
    districts = read_districts(on=data.on) if data.boundaries is None else None
    written = plan_outputs.write_plan(
        out_dir,
        joined,
        result,
        compare=compare,
        village=village,
        lang=lang,
        districts=districts,
        sources=load_sources(),
        tiles=None if no_tiles else "OpenStreetMap",
    )
    click.echo(plan_outputs.summary_text(result, lang))
    if village is not None:
        click.echo(plan_outputs.village_summary_text(village, lang))
    click.echo(f"wrote {len(written)} files to {Path(out_dir).resolve()}")


def _village_plan(
    joined: Any,
    result: Any,
    *,
    villages: str,
    sites: str | None,
    radius: float,
    budget: int | None,
    stations: int | None,
) -> Any:
    from bkmap.io.points import dropped_rows, read_points
    from bkmap.planning import siting

    points = read_points(villages, kind="villages")
    dropped = dropped_rows(points)
    if len(dropped):
        click.echo(f"note: {len(dropped)} village row(s) left out: see the reasons below", err=True)
        for _, row in dropped.head(10).iterrows():
            click.echo(f"  row {row['row']}: {row['reason']}", err=True)
    if not len(points):
        msg = f"{villages}: no village point inside the province. Check the file and its CRS."
        raise click.ClickException(msg)
    cands = result.candidates
    if sites is None:
        keep = cands["state"].eq("has_station") | cands["eligible"]
        site_frame = siting.commune_sites(
            joined.loc[keep.to_numpy()],
            existing=cands.loc[cands["state"].eq("has_station"), "code"],
        )
    else:
        layer = read_points(sites, kind="stations")
        site_frame = layer.to_crs("EPSG:3405").reset_index(drop=True)
        site_frame["site_id"] = [f"S{i + 1}" for i in range(len(site_frame))]
        site_frame["existing"] = site_frame["working"].astype("boolean").fillna(False).astype(bool)
    new_cost = cands.attrs["new_cost"]
    affordable = [stations] if stations is not None else []
    if budget is not None:
        affordable.append(budget // new_cost if new_cost else len(site_frame))
    weights, basis = siting.village_weights(points, communes=joined)
    return siting.plan_villages(
        points,
        site_frame,
        new_sites=int(min(affordable)),
        radius_m=radius,
        weights=weights,
        population_basis=basis,
    )
