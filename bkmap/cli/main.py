"""The ``bkmap`` click group: logging options, error handling, and command discovery.

Each command lives in its own module, ``bkmap/cli/cmd_<name>.py``, which
defines a click command named ``command``. The group finds them by name, so
adding a command never touches this file.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
import traceback
from typing import Any

import click

from bkmap import settings
from bkmap._errors import INTERRUPTED, BkmapError
from bkmap.cli.options import clean, echo

_EPILOG = """\b
Examples:
  bkmap map                              the default criterion-8 map (2019 units)
  bkmap map --lang en --out map_en.html  the same map in English
  bkmap map --status my_table.xlsx --report matches.csv
  bkmap template --out bang_tieu_chi_8.xlsx
"""


def _command_names() -> list[str]:
    package = importlib.import_module("bkmap.cli")
    names = [
        m.name.removeprefix("cmd_")
        for m in pkgutil.iter_modules(package.__path__)
        if m.name.startswith("cmd_")
    ]
    return sorted(names)


class _CleanFormatter(logging.Formatter):
    """Log lines with control characters escaped: a log message may quote data."""

    def format(self, record: logging.LogRecord) -> str:
        return clean(super().format(record))


class _Group(click.Group):
    """A group that imports each command's module only when it is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return _command_names()

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        name = cmd_name.replace("-", "_")
        if name not in _command_names():
            return None
        module = importlib.import_module(f"bkmap.cli.cmd_{name}")
        return module.command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BkmapError as exc:
            raise click.ClickException(clean(str(exc))) from None
        except click.ClickException as exc:
            # A usage error quotes the argument it refuses: escape what could drive the terminal.
            exc.message = clean(exc.message)  # type: ignore[misc]  # click marks it Final
            raise
        except (click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            echo(INTERRUPTED, err=True)
            ctx.exit(130)
        except Exception as exc:
            if logging.getLogger("bkmap").isEnabledFor(logging.DEBUG):
                traceback.print_exc()
            echo(
                f"Error: internal error ({type(exc).__name__}: {exc}). "
                "Run again with -vv to see the traceback, and report it.",
                err=True,
            )
            ctx.exit(3)


def _parse_limits(values: tuple[str, ...]) -> dict[str, float]:
    """``NAME=VALUE`` items (repeated, or comma-separated) as settings to change."""
    limits: dict[str, float] = {}
    for item in (part.strip() for value in values for part in value.split(",")):
        if not item:
            continue
        name, sep, text = item.partition("=")
        try:
            number = float(text.replace("_", ""))
        except ValueError:
            number = -1.0
        if not sep or name.strip() not in settings.LIMITS or number <= 0:
            msg = (
                f"{item!r}: write NAME=VALUE with a positive number; the names are "
                f"{', '.join(settings.LIMITS)} (e.g. --limit rows=5000000)."
            )
            raise click.BadParameter(msg, param_hint="--limit")
        limits[settings.LIMITS[name.strip()]] = number
    return limits


@click.group(cls=_Group, epilog=_EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", count=True, help="Less log output.")
@click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="NAME=VALUE",
    envvar="BKMAP_LIMITS",
    help="Raise a limit on what readers take in (repeatable, or comma-separated in "
    "BKMAP_LIMITS): xlsx-bytes (200000000, uncompressed .xlsx content), xlsx-ratio (100, "
    "compression of a part above 10 MB), rows (2000000 per table), field-chars (10000 per "
    "cell or attribute).",
)
@click.version_option(package_name="bkmap")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: int, limits: tuple[str, ...]) -> None:
    """Map the communes of Bắc Kạn on NTM criterion 8 (information and communications).

    Joins commune boundaries to a table of each commune's criterion status,
    analyses coverage gaps, plans new radio stations, and draws choropleth
    maps and reports. Labels are Vietnamese by default (--lang en for English).
    """
    level = logging.WARNING - 10 * verbose + 10 * quiet
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_CleanFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=max(logging.DEBUG, min(logging.CRITICAL, level)), handlers=[handler])
    changed = _parse_limits(limits)
    if changed:
        before = {name: getattr(settings, name) for name in changed}
        for name, value in changed.items():
            # The integer limits stay integers; the ratio may be fractional.
            setattr(settings, name, value if isinstance(before[name], float) else int(value))

        # Back as they were when the command ends (a notebook or a test runs more than one).
        def restore() -> None:
            for name, value in before.items():
                setattr(settings, name, value)

        ctx.call_on_close(restore)
