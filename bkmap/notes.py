"""Notes: what bkmap tells a user about their input, in one wording everywhere.

Whenever bkmap reads past a problem (guesses a coordinate system, decodes a
legacy encoding, repairs a polygon, leaves a row out, overrides a value), it
records a :class:`Note`. The commands print every note at the default verbosity
and ``bkmap check`` lists the same notes, so a problem is reported in the same
words wherever it is met. Errors are not notes: they stop the command (see
:mod:`bkmap._errors`), and ``bkmap check`` lists their problems as ``error``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SEVERITIES", "Note", "Outcome"]

#: Severities, most serious first. ``warning``: bkmap went on, but the result
#: depends on a guess or a repair worth a look; ``info``: a fact worth knowing.
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


# Frozen: a note is shared by records, assessments and outcomes, and whatever prints it must print
# the words the reader chose, unchanged.
@dataclass(frozen=True)
class Note:
    """One thing bkmap decided or noticed about one input.

    Attributes
    ----------
    severity
        One of :data:`SEVERITIES`.
    source
        The file (or ``"status table"``, ``"boundaries"`` for data given in memory).
    where
        The row, feature or aspect (``"row 12"``, ``"coordinates"``), or ``""``.
    problem
        What was found or decided.
    fix
        What the user can do about it, or ``""``.
    """

    severity: str
    source: str
    where: str
    problem: str
    fix: str = ""

    def line(self) -> str:
        """The note as one line, without the file: where, problem, fix.

        Examples
        --------
        >>> Note("warning", "a.csv", "row 3", "'Xa X' matches no unit", "Correct the name.").line()
        "row 3: 'Xa X' matches no unit. Correct the name."
        """
        text = f"{self.where}: {self.problem}" if self.where else self.problem
        return f"{text}. {self.fix}" if self.fix else text

    def full_line(self) -> str:
        """The note as one line with its severity and file, as the commands print it.

        The severity is in the console's language (:data:`bkmap.settings.console_lang`).
        """
        from bkmap.i18n import msg  # lazy: the notes are imported by the readers i18n serves

        return f"{msg('sev_' + self.severity)}: {self.source}: {self.line()}"


@dataclass
class Outcome:
    """What a command did: the files it wrote, its summary lines and the notes on its inputs.

    Returned by the functions behind the commands (:mod:`bkmap.jobs`); the
    command prints the notes on stderr and the lines on stdout.
    """

    written: list[Path] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    exit_code: int = 0
