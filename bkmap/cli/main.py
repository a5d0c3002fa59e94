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

from bkmap._errors import BkmapError
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
        except (click.ClickException, click.exceptions.Exit, click.Abort):
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


@click.group(cls=_Group, epilog=_EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", count=True, help="Less log output.")
@click.version_option(package_name="bkmap")
def cli(verbose: int, quiet: int) -> None:
    """Map the communes of Bắc Kạn on NTM criterion 8 (information and communications).

    Joins commune boundaries to a table of each commune's criterion status,
    analyses coverage gaps, plans new radio stations, and draws choropleth
    maps and reports. Labels are Vietnamese by default (--lang en for English).
    """
    level = logging.WARNING - 10 * verbose + 10 * quiet
    logging.basicConfig(
        level=max(logging.DEBUG, min(logging.CRITICAL, level)),
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


INTERRUPTED = "interrupted; no output was left half-written"


def main() -> None:
    """Entry point of the ``bkmap`` console script.

    Ctrl-C at any moment, even while the libraries load, ends with status 130
    and one line, never a traceback.
    """
    try:
        cli(prog_name="bkmap")
    except KeyboardInterrupt:
        sys.stderr.write(INTERRUPTED + "\n")
        sys.exit(130)
