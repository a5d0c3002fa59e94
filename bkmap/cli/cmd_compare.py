"""``bkmap compare``: two assessment dates on one map, with what changed."""

from __future__ import annotations

from pathlib import Path

import click

from bkmap.cli.options import lang_option, on_option


@click.command("compare")
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    multiple=True,
    help="Assessment date of a shipped status table; give it twice (older first), "
    "e.g. --as-of 2018-07-31 --as-of 2019-08-12 (the default).",
)
@click.option(
    "--status",
    multiple=True,
    type=click.Path(),
    help="A status table (CSV/xlsx) of the 2019 units instead of a shipped date; give it twice, "
    "older first, or once together with one --as-of (the --as-of one is drawn first).",
)
@on_option
@click.option(
    "--whole-province",
    is_flag=True,
    help="With --on 2025-07-01: all 92 units of Tỉnh Thái Nguyên.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default="bkmap_compare.html",
    show_default=True,
    help="Where to write the HTML map.",
)
@click.option(
    "--table",
    "table_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the change table (one row per unit) as CSV.",
)
@click.option("--no-tiles", is_flag=True, help="Draw no basemap (for offline use).")
@lang_option
def command(
    as_of: tuple[str, ...],
    status: tuple[str, ...],
    on: str | None,
    whole_province: bool,
    out: str,
    table_path: str | None,
    no_tiles: bool,
    lang: str,
) -> None:
    """Compare two assessments on one version of the units, and show what changed.

    Both are carried to the units in force --on DATE (default: the 2019
    units). The page has a layer per date and per indicator, a "changes"
    layer outlining each unit that changed, and a table of the changes.
    It works offline.
    """
    from bkmap._errors import ValidationError
    from bkmap.io.boundaries import read_districts
    from bkmap.io.status import load_sources, read_status
    from bkmap.io.write import write_csv
    from bkmap.pipeline import load_joined
    from bkmap.render.comparemap import compare_map
    from bkmap.render.maps import save_map
    from bkmap.versions.carry import carry
    from bkmap.versions.compare import compare_status

    if not as_of and not status:
        as_of = ("2018-07-31", "2019-08-12")
    specs = [("as_of", a) for a in as_of] + [("status", s) for s in status]
    if len(specs) != 2:
        msg = (
            f"give exactly two assessments (got {len(specs)}): --as-of 2018-07-31 --as-of 2019-08-12, "
            "or two --status files."
        )
        raise ValidationError(msg)
    joined = []
    for kind, value in specs:
        if kind == "as_of":
            frame, _ = load_joined(as_of=value, on=on, whole_province=whole_province)
        else:
            table = read_status(value)
            day = _single(table["as_of"]) or Path(value).stem
            if on is not None:
                from bkmap.model.units import version_on

                version = version_on(on).name
                if version != "2019":
                    table = carry(table, to=version, whole_province=whole_province, lang=lang)
            frame, _ = load_joined(status=table, on=on, whole_province=whole_province)
            frame.attrs["as_of"] = day
        joined.append(frame)
    before, after = joined
    districts = read_districts(on=on)
    fmap = compare_map(
        before,
        after,
        lang=lang,
        districts=districts,
        sources=load_sources(),
        tiles=None if no_tiles else "OpenStreetMap",
    )
    path = save_map(fmap, out)
    table = compare_status(before, after, lang=lang)
    if table_path:
        write_csv(table, table_path)
    counts = table["change"].value_counts()
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    click.echo(
        f"wrote {Path(path).resolve()} ({len(table)} units, {before.attrs.get('as_of')} -> "
        f"{after.attrs.get('as_of')}: {summary})"
    )


def _single(values: object) -> str:
    import pandas as pd

    found = pd.Series(values).replace("", pd.NA).dropna().unique()
    return str(found[0]) if len(found) == 1 else ""
