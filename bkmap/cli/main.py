"""The ``bkmap`` click group: logging options, error handling, and command discovery.

Each command lives in its own module, ``bkmap/cli/cmd_<name>.py``, which
defines a click command named ``command``. The group finds them by name, so
adding a command never touches this file.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
import sys
import traceback
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

import click

from bkmap import settings
from bkmap._errors import BkmapError, interrupted
from bkmap._help_texts import HELP
from bkmap.cli.options import clean, echo
from bkmap.i18n import LANGS, has, msg, t

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
        # A warning reaches the user at the default verbosity: its level is said in their language.
        key = f"log_{record.levelname}"
        if record.levelno >= logging.WARNING and has(key):
            record = logging.makeLogRecord({**record.__dict__, "levelname": msg(key)})
        return clean(super().format(record))


def _given_lang(args: Sequence[str]) -> str | None:
    """The last ``--lang X`` (or ``--lang=X``) in ``args`` that bkmap speaks, else None.

    Read before click parses anything, so that a usage error in the arguments is
    already reported in the language asked for.
    """
    found = None
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found if found in LANGS else None


# click writes its usage errors in English (through gettext, with no Vietnamese catalogue):
# the common ones are rewritten from their English form, each with a catalogue message.
_CLICK_VI: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"Option (.+?) requires an argument\."), "cli_needs_value", "option"),
    (re.compile(r"No such command (.+?)\."), "cli_no_such_command", "command"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), "cli_extra_args", "args"),
)


# The words of click's own value checks (types and ranges), as click 8 writes them.
_CLICK_VALUES_VI = (
    (re.compile(r"(?P<value>.+?) is not in the range (?P<range>.+?)\."), "cli_not_in_range"),
    (re.compile(r"(?P<value>.+?) is not a valid integer\."), "cli_not_integer"),
    (re.compile(r"(?P<value>.+?) is not a valid float\."), "cli_not_float"),
    (re.compile(r"(?:File|Directory|Path) (?P<path>.+?) is a directory\."), "cli_is_directory"),
    (re.compile(r"(?:File|Directory|Path) (?P<path>.+?) is a file\."), "cli_is_file"),
)


def _click_message(exc: click.ClickException) -> str:
    """The message of a click error in the console's language."""
    text = exc.format_message()
    if settings.console_lang != "vi":
        return text
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        what = (
            "cli_missing_argument"
            if isinstance(exc.param, click.Argument)
            else "cli_missing_option"
        )
        name = exc.param.get_error_hint(exc.ctx) if exc.ctx else str(exc.param.name)
        return msg("cli_missing", what=msg(what), name=name)
    if isinstance(exc, click.NoSuchOption):
        text = msg("cli_no_such_option", option=exc.option_name)
        if exc.possibilities:
            options = ", ".join(sorted(exc.possibilities))
            text += " " + msg("cli_did_you_mean", options=options)
        return text
    if isinstance(exc, click.BadParameter):
        hint = exc.param_hint or (
            exc.param.get_error_hint(exc.ctx) if exc.param and exc.ctx else ""
        )
        inner = exc.message
        choice = re.fullmatch(r"'?(.*?)'? is not one of (.+?)\.", inner)
        if choice:
            inner = msg("cli_not_one_of", value=choice.group(1), choices=choice.group(2))
        for pattern, key in _CLICK_VALUES_VI:
            found = pattern.fullmatch(inner)
            if found:
                inner = msg(key, **found.groupdict())
        if not hint:
            return inner
        hint = " / ".join(hint) if isinstance(hint, (list, tuple)) else hint
        return msg("cli_invalid_value", param=hint, message=inner)
    for pattern, key, field in _CLICK_VI:
        match = pattern.search(text)
        if match:
            return msg(key, **{field: match.group(1)})
    return text


def _show(exc: click.ClickException) -> None:
    """Print a click error as click does, in the console's language."""
    if isinstance(exc, _NO_ARGS_IS_HELP):
        # `bkmap` alone: click's answer is the help itself, not an error about it.
        click.echo(exc.format_message(), err=True)
        return
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        usage = exc.ctx.get_usage()
        if settings.console_lang == "vi":
            usage = usage.replace("Usage:", msg("cli_usage"), 1)
        click.echo(clean(usage), err=True)
        if exc.ctx.command.get_help_option(exc.ctx) is not None:
            click.echo(msg("cli_try_help", command=exc.ctx.command_path) + "\n", err=True)
    click.echo(clean(msg("cli_error", message=_click_message(exc))), err=True)


# --------------------------------------------------------------------------- help in the language


class _HelpFormatter(click.HelpFormatter):
    """click's help layout with click's own words (usage, headings, the help option) in the
    console's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, msg("cli_usage") + " " if prefix is None else prefix)

    def section(self, name: str) -> Any:
        key = _CLICK_HEADINGS.get(name)
        return super().section(msg(key) if key else name)

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        super().write_dl([(term, _click_words(text)) for term, text in rows], col_max, col_spacing)


_CLICK_HEADINGS = {
    "Options": "cli_heading_options",
    "Commands": "cli_heading_commands",
    "Positional arguments": "cli_heading_arguments",
}


def _click_words(text: str) -> str:
    """An option's help line with click's additions (help option, default, required) translated."""
    text = text.replace("Show this message and exit.", msg("cli_help_option"))
    text = re.sub(r"\[default: (.*?)\]", lambda m: msg("cli_default", value=m.group(1)), text)
    return text.replace("[required]", msg("cli_required"))


class _Context(click.Context):
    formatter_class = _HelpFormatter


@cache
def _help_keys() -> dict[str, str]:
    """The catalogue key of each English help text."""
    return {texts["en"]: key for key, texts in HELP.items()}


# What localised_help changed in this run, to put back when the command ends; and whether a
# command line is running (outside one, as when a program lists the help, nothing is swapped).
_LOCALISED: list[tuple[object, str, str]] = []
_RUNNING: list[bool] = []


def localised_help(command: click.Command) -> click.Command:
    """Give ``command`` its help texts in the console's language, until the command ends.

    The English texts stay beside the options in the code (and in the catalogue, word for
    word); in Vietnamese each is swapped for its catalogue entry while one command line runs,
    and put back after it (see ``_Group.main``).
    """
    command.context_class = _Context
    if settings.console_lang == "en" or not _RUNNING:
        return command
    keys = _help_keys()
    targets: list[tuple[object, str]] = [(command, "help"), (command, "epilog")]
    targets += [(param, "help") for param in command.params if isinstance(param, click.Option)]
    for target, attribute in targets:
        text = getattr(target, attribute, None)
        key = keys.get(text) if isinstance(text, str) else None
        if key is not None:
            _LOCALISED.append((target, attribute, text))  # type: ignore[arg-type]
            setattr(target, attribute, t(key, settings.console_lang))
    return command


def _restore_help() -> None:
    while _LOCALISED:
        target, attribute, text = _LOCALISED.pop()
        setattr(target, attribute, text)


def help_texts(group: click.Group) -> Iterator[tuple[str, str]]:
    """(where, text) of every help text of the command line, as written in the code."""
    ctx = click.Context(group)
    yield from _texts_of("bkmap", group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is not None:
            yield from _texts_of(name, command)


def _texts_of(name: str, command: click.Command) -> Iterator[tuple[str, str]]:
    for attribute in ("help", "epilog"):
        text = getattr(command, attribute)
        if text:
            yield f"{name} {attribute}", text
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            yield f"{name} --{param.name}", param.help


# click 8.2 and later answer a group called with no arguments with this error.
_NO_ARGS_IS_HELP: tuple[type[click.ClickException], ...] = tuple(
    e for e in (getattr(click.exceptions, "NoArgsIsHelpError", None),) if e is not None
)


class _Group(click.Group):
    """A group that imports each command's module only when it is needed.

    It also speaks the console's language: ``--lang`` is read before parsing, and
    click's own errors are printed through the catalogue.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        before = settings.console_lang
        settings.console_lang = _given_lang(argv) or before
        _RUNNING.append(True)
        localised_help(self)
        try:
            if not standalone_mode:
                return super().main(argv, prog_name, complete_var, False, **extra)
            try:
                rv = super().main(argv, prog_name, complete_var, False, **extra)
            except click.ClickException as exc:
                _show(exc)
                sys.exit(exc.exit_code)
            except click.Abort:
                # click turns Ctrl-C outside a command (while parsing) into Abort.
                click.echo(interrupted(), err=True)
                sys.exit(130)
            sys.exit(rv if isinstance(rv, int) else 0)
        finally:
            # A notebook or a test runs more than one command: the language is the command's.
            settings.console_lang = before
            _restore_help()
            _RUNNING.pop()

    def list_commands(self, ctx: click.Context) -> list[str]:
        return _command_names()

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        name = cmd_name.replace("-", "_")
        if name not in _command_names():
            return None
        module = importlib.import_module(f"bkmap.cli.cmd_{name}")
        command: click.Command = module.command
        if not any(target is command for target, _, _ in _LOCALISED):
            localised_help(command)
        return command

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
            echo(interrupted(), err=True)
            ctx.exit(130)
        except Exception as exc:
            if logging.getLogger("bkmap").isEnabledFor(logging.DEBUG):
                traceback.print_exc()
            echo(msg("cli_internal_error", detail=f"{type(exc).__name__}: {exc}"), err=True)
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
            raise click.BadParameter(
                msg("cli_bad_limit", item=item, names=", ".join(settings.LIMITS)),
                param_hint="--limit",
            )
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
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=None,
    help="Language of messages and labels for every command: vi (Vietnamese, the default) or "
    "en (English). BKMAP_CONSOLE_LANG sets the messages' default.",
)
@click.version_option(package_name="bkmap")
@click.pass_context
def cli(
    ctx: click.Context, verbose: int, quiet: int, limits: tuple[str, ...], lang: str | None
) -> None:
    """Map the communes of Bắc Kạn on NTM criterion 8 (information and communications).

    Joins commune boundaries to a table of each commune's criterion status,
    analyses coverage gaps, plans new radio stations, and draws choropleth
    maps and reports. Labels are Vietnamese by default (--lang en for English).
    """
    if lang:
        settings.console_lang = lang
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
