"""The typed record of what a reader decided about one input, and the one way it rides on a frame.

Every reader of :mod:`bkmap.io` returns its frame with a :class:`ReadRecord`:
the file, its kind, the text encoding and how it was found, the coordinate
system and how it was found, the geometry repairs, the rows left out, whether
the data is illustrative, and the facts the file fixes (units version, the
assessment date, the area). The pipeline collects the records of every input
(:class:`bkmap.join.Assessment`), the commands print their :meth:`ReadRecord.notes`,
and ``bkmap check`` lists the same notes.

The record rides on the frame under one declared key of ``DataFrame.attrs``,
read with :func:`record_of` and set with :func:`with_record`; nothing else in
bkmap reads or writes ``attrs``. The record is immutable, so copies of a frame
share it (pandas deep-copies ``attrs`` on every operation; the record opts out).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from bkmap.i18n import msg as _msg
from bkmap.notes import Note

if TYPE_CHECKING:
    from bkmap.geo.repair import GeometryReport
    from bkmap.io.crs import CrsDecision
    from bkmap.io.encodings import Decoded

__all__ = ["DROPPED_COLUMNS", "ReadRecord", "record_of", "with_record"]

# One key, so that bkmap never collides with attrs another library sets, and never reads a stale
# fact under a second name.
#: The one key of ``DataFrame.attrs`` that bkmap uses.
_KEY = "bkmap"

#: Columns of a dropped-rows table: the file, the kind of layer, the row and the reason.
DROPPED_COLUMNS: tuple[str, ...] = ("file", "kind", "row", "reason")

# with_record returns the type it was given: a GeoDataFrame stays one for the type checker.
F = TypeVar("F", bound=pd.DataFrame)


@dataclass(frozen=True)
class ReadRecord:
    """What a reader decided about one input.

    Attributes
    ----------
    source
        The file read, or a label for data bkmap ships (``"shipped: communes_2019"``).
    kind
        ``boundaries``, ``national``, ``status``, ``table``, or a point-layer kind
        (``stations``, ``cells``, ``towers``, ``coverage``, ``villages``, ``postal``).
    encoding
        How the text was decoded (:class:`bkmap.io.encodings.Decoded`), if the file had text.
    crs
        How the coordinate system was decided (:class:`bkmap.io.crs.CrsDecision`).
    geometry
        What the geometry checks found and repaired (:class:`bkmap.geo.repair.GeometryReport`).
    dropped
        The rows left out, one ``(row, reason)`` pair each, in file order.
    illustrative
        True for bkmap's illustrative example layers (and layers marked so): every
        output made from them must say that they are not real.
    version
        The version of the units the file holds (``"2019"``, ``"2020"``, ``"2023"``,
        ``"2025"``; ``"2009"`` for the shipped national layer), when known.
    on
        The date (ISO) whose units were read, for shipped layers.
    as_of
        The assessment date (ISO) a status table states, when it states one.
    area
        For a national layer: the province kept, or ``""`` for the whole country.
    code_kind
        ``"gso"`` when ``code`` holds GSO codes; ``"layer"`` when it holds a
        layer's own ids (the shipped national layer).
    delimiter
        The delimiter of a CSV file.
    extra
        Further notes the reader made (each already worded for the user).
    """

    source: str
    kind: str
    encoding: Decoded | None = None
    crs: CrsDecision | None = None
    geometry: GeometryReport | None = None
    dropped: tuple[tuple[object, str], ...] = ()
    illustrative: bool = False
    version: str | None = None
    on: str | None = None
    as_of: str | None = None
    area: str | None = None
    code_kind: str = "gso"
    delimiter: str | None = None
    extra: tuple[Note, ...] = field(default=())

    def __deepcopy__(self, memo: dict[int, Any]) -> ReadRecord:
        # Immutable: a copy of a frame shares its record.
        return self

    def replace(self, **changes: Any) -> ReadRecord:
        """Return a copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def dropped_table(self) -> pd.DataFrame:
        """The rows left out as a table with :data:`DROPPED_COLUMNS`."""
        return pd.DataFrame(
            [(self.source, self.kind, row, reason) for row, reason in self.dropped],
            columns=list(DROPPED_COLUMNS),
        )

    def notes(self) -> list[Note]:
        """Everything the reader decided that the user should know, worded once.

        The commands print these at the default verbosity, and ``bkmap check``
        lists them; both use these exact words.
        """
        out: list[Note] = []
        if self.illustrative:
            out.append(
                Note(
                    "warning",
                    self.source,
                    "",
                    _msg("rec_illustrative"),
                )
            )
        out += self._encoding_notes()
        out += self._crs_notes()
        if self.geometry is not None:
            out += [
                Note(i.severity, self.source, i.feature, i.detail, i.fix)
                for i in self.geometry.issues
                # Errors are not notes: the reader raised on them already (see bkmap.notes).
                if i.severity != "error"
            ]
            if self.geometry.cleaned:
                out.append(
                    Note(
                        "info",
                        self.source,
                        _msg("note_where_coverage"),
                        self.geometry.coverage_line(),
                    )
                )
            # Overlaps count ground twice and gaps leave it out, in areas and in which commune a
            # point falls in; the user is told, and --clean is the remedy, never applied unasked.
            elif self.geometry.overlap_m2 > 0 or self.geometry.gap_m2 > 0:
                out.append(
                    Note(
                        "warning",
                        self.source,
                        _msg("note_where_coverage"),
                        _msg(
                            "note_overlaps",
                            overlap=f"{self.geometry.overlap_m2 / 1e6:,.3f}",
                            gaps=self.geometry.gaps,
                            gap=f"{self.geometry.gap_m2 / 1e6:,.3f}",
                        ),
                        _msg("fix_overlaps"),
                    )
                )
        if self.dropped:
            # Three are named here; the dropped-rows report lists every one, so nothing is lost.
            first = ", ".join(f"{row} ({reason})" for row, reason in self.dropped[:3])
            more = (
                _msg("note_and_more_rows", count=len(self.dropped) - 3)
                if len(self.dropped) > 3
                else ""
            )
            out.append(
                Note(
                    "warning",
                    self.source,
                    _msg("note_rows"),
                    _msg("note_dropped", count=len(self.dropped), first=first, more=more),
                    _msg("fix_dropped"),
                )
            )
        out += list(self.extra)
        return out

    def _encoding_notes(self) -> list[Note]:
        found = self.encoding
        out: list[Note] = []
        if found is not None and found.fallback:
            # Whatever the encoding and however it was chosen: these values are probably garbled.
            out.append(
                Note(
                    "warning",
                    self.source,
                    _msg("note_where_text"),
                    _msg("note_fallback", count=found.fallback, encoding=found.encoding),
                    _msg("fix_fallback"),
                )
            )
        # Only a detected encoding is worth a note: a forced one is the user's choice, and a
        # byte-order mark, plain ASCII or Unicode text leave nothing to doubt.
        if found is None or found.method != "detected":
            return out
        # A confidence under 0.5 means the winner reads less than one word more as Vietnamese than
        # the runner-up (1 - 0.5 ** lead): a tie in all but name.
        if found.confidence < 0.5:
            out.append(
                Note(
                    "warning",
                    self.source,
                    _msg("note_where_text"),
                    _msg("note_uncertain_encoding", detail=found.describe()),
                    _msg("fix_uncertain_encoding"),
                )
            )
        # Read correctly, a legacy encoding is still worth a warning: the same file shows garbled
        # names in every program that does not detect it.
        if found.encoding in ("tcvn3", "vni", "cp1258"):
            shapefile = self.source.lower().endswith((".shp", ".dbf"))
            out.append(
                Note(
                    "warning",
                    self.source,
                    _msg("note_where_text"),
                    _msg("note_legacy_encoding", detail=found.describe()),
                    _msg("fix_legacy_shapefile" if shapefile else "fix_legacy"),
                )
            )
        # cp1252 is detection's last resort (nothing read as Vietnamese), which says nothing
        # against the .cpg; any other disagreement means the .cpg is wrong.
        elif found.declared and found.declared != found.encoding and found.encoding != "cp1252":
            out.append(
                Note(
                    "warning",
                    self.source,
                    _msg("note_where_text"),
                    _msg("note_cpg_wrong", declared=found.declared, encoding=found.encoding),
                    _msg("fix_cpg_wrong", encoding=found.encoding.upper()),
                )
            )
        return out

    def _crs_notes(self) -> list[Note]:
        decision = self.crs
        if decision is None or not decision.note:
            return []
        severity = "warning" if decision.severity == "warning" else "info"
        return [Note(severity, self.source, _msg("note_where_coordinates"), decision.note)]


def record_of(frame: pd.DataFrame) -> ReadRecord | None:
    """Return the :class:`ReadRecord` a reader left on ``frame``, or None."""
    value = frame.attrs.get(_KEY)
    # attrs travel with frames through pandas operations and pickles: anything else found under the
    # key is not a record of this process's readers, and is ignored.
    return value if isinstance(value, ReadRecord) else None


def with_record(frame: F, record: ReadRecord) -> F:
    """Return ``frame`` carrying ``record`` (the frame itself, not a copy)."""
    # In place, without a copy: a reader's frame can be large, and the record is immutable.
    frame.attrs[_KEY] = record
    return frame
