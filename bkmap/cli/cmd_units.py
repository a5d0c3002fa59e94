"""``bkmap units``: the versions of the commune map, the units in force on a date, crosswalks."""

from __future__ import annotations

from pathlib import Path

import click

from bkmap.cli.options import lang_option


@click.command("units")
@click.option(
    "--on",
    "on",
    metavar="DATE",
    default=None,
    help="List the units in force on this date (YYYY-MM-DD) or version (2019, 2020, 2023, 2025). "
    "Without it, list the versions.",
)
@click.option(
    "--whole-province",
    is_flag=True,
    help="With --on 2025-07-01: all 92 units of Tỉnh Thái Nguyên, not only the 37 of former Bắc Kạn.",
)
@click.option(
    "--crosswalk",
    "crosswalk_pair",
    nargs=2,
    metavar="FROM TO",
    default=None,
    help="Write the crosswalk from one version to a later one, e.g. --crosswalk 2019 2025.",
)
@click.option(
    "--method",
    type=click.Choice(["lineage", "overlay"]),
    default="lineage",
    show_default=True,
    help="Crosswalk by the official lineage, or by intersecting the polygons of both versions.",
)
@click.option(
    "--disagreement",
    is_flag=True,
    help="Measure how far the 2019 and 2025 boundary surveys disagree (per 2025 unit with --out).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the listing as .csv or .xlsx instead of printing it.",
)
@lang_option
def command(
    on: str | None,
    whole_province: bool,
    crosswalk_pair: tuple[str, str] | None,
    method: str,
    disagreement: bool,
    out: str | None,
    lang: str,
) -> None:
    """List the versions of Bắc Kạn's units (2019, 2020, 2023, 2025), with dates, counts and sources.

    \b
    Examples:
      bkmap units                                  the versions
      bkmap units --on 2025-07-01                  the 37 units in force on that day
      bkmap units --on 2025-07-01 --whole-province all 92 units of Thái Nguyên
      bkmap units --crosswalk 2019 2025 --out cw.csv
      bkmap units --disagreement                   2019 vs 2025 survey mismatch
    """
    import pandas as pd

    from bkmap._errors import ValidationError
    from bkmap.model.units import parse_date, units_on, version_on, version_summary

    if (
        sum(x is not None and x is not False for x in (on, crosswalk_pair, disagreement or None))
        > 1
    ):
        msg = "give only one of --on, --crosswalk and --disagreement."
        raise ValidationError(msg)
    if crosswalk_pair:
        from bkmap.versions.crosswalk import crosswalk

        frame = crosswalk(*crosswalk_pair, method=method)  # type: ignore[arg-type]
        header = (
            f"crosswalk {crosswalk_pair[0]} -> {crosswalk_pair[1]} ({method}): "
            f"{frame['from_code'].nunique()} units -> {frame['to_code'].nunique()} units, "
            f"{len(frame)} parts"
        )
    elif disagreement:
        from bkmap.versions.crosswalk import survey_disagreement

        figures, frame = survey_disagreement()
        header = (
            f"outline: 2019 survey {figures['area_2019_km2']:.1f} km², 2025 survey "
            f"{figures['area_2025_km2']:.1f} km², symmetric difference {figures['symdiff_km2']:.1f} km² "
            f"({figures['symdiff_share']:.2%}); 37 units: {figures['units_symdiff_km2']:.1f} km² "
            f"({figures['units_symdiff_share']:.2%})"
        )
        frame = frame.round(3)
    elif on is not None:
        day = parse_date(on)
        frame = units_on(day, whole_province=whole_province)
        cols = ["code", "valid_from", "valid_to", "name", "unit_type", "district", "from_bac_kan"]
        version = version_on(day).name
        if version in ("2020", "2023"):
            from bkmap.io.boundaries import communes_for

            derived = communes_for(version).set_index("code")
            frame["approximate"] = frame["code"].map(derived["approximate"]).fillna(False)
            note = "approx_note" if lang == "vi" else "approx_note_en"
            frame["approx_note"] = frame["code"].map(derived[note]).fillna("")
            cols += ["approximate", "approx_note"]
        frame = frame[cols]
        header = f"{len(frame)} units in force on {day.isoformat()} (version {version})"
    else:
        frame = version_summary()
        header = f"{len(frame)} versions"
    if out:
        suffix = Path(out).suffix.lower()
        if suffix == ".csv":
            from bkmap.io.write import write_csv

            write_csv(frame, out)
        elif suffix == ".xlsx":
            from bkmap.io.write import atomic_path, write_workbook

            with atomic_path(out) as tmp:
                write_workbook({"units": frame}, tmp)
        else:
            msg = f"--out: {out!r} must end in .csv or .xlsx."
            raise ValidationError(msg)
        click.echo(f"{header}; wrote {Path(out).resolve()}")
        return
    click.echo(header)
    with pd.option_context(
        "display.width", 200, "display.max_rows", 500, "display.max_colwidth", 60
    ):
        click.echo(frame.to_string(index=False))
