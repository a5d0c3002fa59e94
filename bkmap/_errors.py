"""The exceptions bkmap raises.

Every error a user can cause derives from :class:`BkmapError`. Its message names
the file, the row or feature, the problem and the fix, so the CLI can print it
as it is, with no traceback.
"""

from __future__ import annotations

#: What the command line says when Ctrl-C stops it (exit status 130): every output is
#: written atomically, so none is left half-written. English; :func:`interrupted` gives it in
#: the console's language.
INTERRUPTED = "interrupted; no output was left half-written"


def _message(key: str, **fields: object) -> str:
    # The catalogue is read directly, not through bkmap.i18n, which imports this module.
    from bkmap import settings
    from bkmap._messages import MESSAGES

    texts = MESSAGES[key]
    return texts.get(settings.console_lang, texts["en"]).format(**fields)


def interrupted() -> str:
    """The interrupted line in the console's language (:data:`INTERRUPTED` if that cannot load)."""
    try:
        return _message("cli_interrupted")
    except Exception:  # an interrupt while the catalogue loads must still end in one line
        return INTERRUPTED


class BkmapError(Exception):
    """Base class of every error bkmap raises on purpose."""


# Also an OSError, and ValidationError also a ValueError: code that catches the built-in kinds (a
# notebook's except OSError) keeps working, and the CLI catches BkmapError alone.
class InputError(BkmapError, OSError):
    """A file cannot be found, opened or parsed."""


class ValidationError(BkmapError, ValueError):
    """Input was read but its content breaks a rule (bad column, value, duplicate)."""

    def __init__(self, msg: str, problems: list[str] | None = None) -> None:
        super().__init__(msg)
        self.problems = list(problems or [])


class MatchError(ValidationError):
    """Rows of a table cannot be matched to administrative units unambiguously.

    ``result`` holds the match (a :class:`bkmap.join.MatchResult`), so a caller
    can write the match report without matching again.
    """

    # result is typed object, not MatchResult: bkmap.join imports this module, and the reverse
    # import would make a cycle.
    def __init__(
        self, msg: str, problems: list[str] | None = None, *, result: object = None
    ) -> None:
        super().__init__(msg, problems)
        self.result = result


def collect(
    problems: list[str], *, header: str, cls: type[ValidationError] = ValidationError
) -> None:
    """Raise ``cls`` once with every problem listed, if there are any.

    Parameters
    ----------
    problems
        One line per problem, each already naming its row and its fix.
    header
        The first line of the message, naming the file or the table.
    cls
        The exception class to raise.
    """
    if not problems:
        return
    # Twenty in the message, so the first problems stay in view; the full list stays on the
    # exception (problems), where bkmap check lists every one.
    shown = problems[:20]
    more = len(problems) - len(shown)
    lines = [header, *(f"  - {p}" for p in shown)]
    if more:
        lines.append(_message("cli_and_more", count=more))
    msg = "\n".join(lines)
    raise cls(msg, problems)
