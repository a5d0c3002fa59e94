"""``bkmap check``: a data-quality report for boundary files, status tables and point layers."""

from __future__ import annotations

import json

import click

from bkmap.cli.options import clean_json, echo, on_option


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@on_option
@click.option(
    "--encoding",
    default=None,
    help="Force the text encoding (utf-8, cp1258, tcvn3, vni, cp1252). Default: detected.",
)
@click.option(
    "--crs",
    default=None,
    metavar="CRS",
    help="Coordinate system for files that declare none, or one that does not fit (EPSG:4326, "
    "EPSG:3405, EPSG:3406, vn2000-tm3). A declared CRS that fits is kept. Default: the .prj, "
    "or detected.",
)
@click.option("--layer", default=None, help="Layer of a multi-layer file.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Print the report as text, or as JSON for scripts.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the report to this file (written atomically).",
)
@click.pass_context
def command(
    ctx: click.Context,
    paths: tuple[str, ...],
    on: str | None,
    encoding: str | None,
    crs: str | None,
    layer: str | None,
    fmt: str,
    out: str | None,
) -> None:
    """Check boundary files, status tables and point layers, and report every problem.

    Reports the text encoding and coordinate system (detected or declared),
    geometry problems, gaps and overlaps, duplicate codes and names, codes that
    are not units on the date (--on), units missing from the file, and names
    that match no unit, with candidates. Files are only read.

    Exit status: 0 clean, 1 warnings only, 2 errors.
    """
    # Lazy: keeps `bkmap --help` free of the library.
    from bkmap.check import check_paths
    from bkmap.io.write import check_suffix, resolve_target, write_text

    if out:
        check_suffix(out, (".json",) if fmt == "json" else (".txt", ".log"))
        resolve_target(out)  # a device or a folder is refused before the files are read
    report = check_paths(list(paths), on=on, encoding=encoding, crs=crs, layer=layer)
    if fmt == "json":
        # json.dumps escapes C0 controls; C1 ones (an 8-bit escape sequence) too, so
        # the report drives no terminal and stays valid JSON.
        text = clean_json(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        click.echo(text)
    else:
        text = report.to_text()
        echo(text)
    if out:
        write_text(out, text + "\n")
    ctx.exit(report.exit_code)
