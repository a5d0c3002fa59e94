"""``bkmap template``: write an empty status table for officials to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from bkmap.cli.options import lang_option, on_option


@click.command("template")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    required=True,
    help="Where to write the template: a .csv or .xlsx file.",
)
@on_option
@lang_option
def command(out: str, on: str | None, lang: str) -> None:
    """Write a status table listing every commune, with empty indicator columns.

    Fill in 8.1 to 8.4 with đạt / chưa đạt / chưa rõ (or met / not_met /
    unknown), then draw it with `bkmap map --status FILE`.
    """
    from bkmap._errors import ValidationError
    from bkmap.io.status import template
    from bkmap.io.write import atomic_path, write_csv
    from bkmap.model.units import units_on

    frame = template(units_on(on), lang=lang)
    suffix = Path(out).suffix.lower()
    if suffix == ".csv":
        write_csv(frame, out)
    elif suffix == ".xlsx":
        from bkmap.io.write import write_workbook

        with atomic_path(out) as tmp:
            write_workbook({"status" if lang == "en" else "tieu_chi_8": frame}, tmp)
    else:
        msg = f"--out: {out!r} must end in .csv or .xlsx."
        raise ValidationError(msg)
    click.echo(f"wrote {Path(out).resolve()} ({len(frame)} communes)")
