"""The data-quality report of ``bkmap check``: boundary files, status tables and point layers.

:func:`check_paths` reads each file with the very readers every other command
uses, and the status tables and boundary layers are matched to the units of the
date with the very matcher the commands use (:func:`bkmap.join.unit_values`).
It has no rules of its own: what it lists are the readers' and the matcher's
notes (:mod:`bkmap.notes`), in the words the commands print, and the problems
of the errors they raise. It lists everything instead of stopping at the first
problem.

Each finding has a severity: ``error`` (the file cannot be used as it is),
``warning`` (it can, but a guess or repair deserves a look) or ``info``. The
exit status of ``bkmap check`` is 0 when there is nothing above ``info``, 1
with warnings only, and 2 with errors. Input files are only read, never written.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import pyogrio

from bkmap._errors import BkmapError
from bkmap.i18n import msg as _msg
from bkmap.io.boundaries import read_communes
from bkmap.io.columns import header_key
from bkmap.io.points import COORDINATE_ALIASES, read_points
from bkmap.io.record import ReadRecord, record_of
from bkmap.io.status import has_indicator_columns, read_status
from bkmap.io.tables import read_table
from bkmap.join import unit_values
from bkmap.model.units import parse_on, units_on, version_on
from bkmap.notes import SEVERITIES, Note

log = logging.getLogger(__name__)

__all__ = ["VECTOR_SUFFIXES", "CheckReport", "FileReport", "check_file", "check_paths"]

#: Files read as vector layers; others are read as tables.
VECTOR_SUFFIXES: tuple[str, ...] = (
    ".shp",
    ".dbf",
    ".gpkg",
    ".geojson",
    ".json",
    ".fgb",
    ".kml",
    ".gml",
)


@dataclass
class FileReport:
    """What :func:`check_file` found in one file."""

    path: str
    kind: str = "unknown"
    items: int = 0
    encoding: str = ""
    crs: str = ""
    coverage: str = ""
    findings: list[Note] = field(default_factory=list)

    def add(self, note: Note) -> None:
        """Add a finding."""
        self.findings.append(note)

    def add_record(self, record: ReadRecord | None) -> None:
        """Add what a reader decided: its encoding, coordinate system, coverage and notes."""
        if record is None:
            return
        if record.encoding is not None:
            self.encoding = record.encoding.describe()
        if record.crs is not None:
            self.crs = record.crs.describe()
        if record.geometry is not None:
            self.coverage = record.geometry.coverage_line()
        self.findings += record.notes()

    def count(self, severity: str) -> int:
        """How many findings of a severity."""
        return sum(f.severity == severity for f in self.findings)


@dataclass
class CheckReport:
    """The report over every checked file."""

    files: list[FileReport]
    on: str

    @property
    def errors(self) -> int:
        """Number of errors in all files."""
        return sum(f.count("error") for f in self.files)

    @property
    def warnings(self) -> int:
        """Number of warnings in all files."""
        return sum(f.count("warning") for f in self.files)

    @property
    def exit_code(self) -> int:
        """0 clean, 1 warnings only, 2 errors."""
        return 2 if self.errors else 1 if self.warnings else 0

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict of the whole report."""
        return {
            "on": self.on,
            "errors": self.errors,
            "warnings": self.warnings,
            "exit_code": self.exit_code,
            "files": [asdict(f) for f in self.files],
        }

    def to_text(self) -> str:
        """The report as plain text, one block per file, in the console's language.

        The JSON form (:meth:`as_dict`) keeps its machine words (``warning``, ``table``).
        """
        lines: list[str] = []
        known = ("boundaries", "points", "table")
        width = max(len(_msg(f"sev_{s}")) for s in SEVERITIES)
        for f in self.files:
            kind = _msg(f"chk_kind_{f.kind}") if f.kind in known else f.kind
            what = _msg(f"chk_what_{f.kind}" if f.kind in known else "chk_what_other")
            lines.append(_msg("chk_header", path=f.path, kind=kind, count=f.items, what=what))
            if f.encoding:
                lines.append(_msg("chk_encoding", value=f.encoding))
            if f.crs:
                lines.append(_msg("chk_coordinates", value=f.crs))
            if f.coverage:
                lines.append(_msg("chk_coverage", value=f.coverage))
            for severity in SEVERITIES:
                word = _msg(f"sev_{severity}").upper()
                for finding in f.findings:
                    if finding.severity == severity:
                        lines.append(f"  {word:{width}s} {finding.line()}")
            if not f.findings:
                lines.append(_msg("chk_clean_file"))
        lines.append(
            _msg(
                "chk_summary",
                files=len(self.files),
                on=self.on,
                errors=self.errors,
                warnings=self.warnings,
                verdict=_msg(f"chk_verdict_{self.exit_code}"),
            )
        )
        return "\n".join(lines)


def check_paths(
    paths: list[str | os.PathLike[str]],
    *,
    on: str | None = None,
    encoding: str | None = None,
    crs: str | None = None,
    layer: str | None = None,
) -> CheckReport:
    """Check every file and return one report.

    Parameters
    ----------
    paths
        Boundary files (GeoPackage, GeoJSON, shapefile), status tables (CSV,
        Excel) or point layers (vector points, or tables with lon/lat or x/y).
    on
        The date whose units the codes and names are checked against.
    encoding
        Force the text encoding (``--encoding``).
    crs
        The coordinate system for a file that declares none, or one that does not fit (``--crs``).
    layer
        Layer of a multi-layer file.

    Examples
    --------
    >>> from bkmap import datasets
    >>> report = check_paths([datasets.status_table("2019-08-12")])
    >>> report.files[0].kind, report.exit_code
    ('table', 0)
    """
    day = parse_on(on).isoformat()
    return CheckReport(
        [check_file(p, on=on, encoding=encoding, crs=crs, layer=layer) for p in paths], day
    )


def check_file(
    path: str | os.PathLike[str],
    *,
    on: str | None = None,
    encoding: str | None = None,
    crs: str | None = None,
    layer: str | None = None,
) -> FileReport:
    """Check one file; never raises for a problem in the file (it becomes an ``error`` finding)."""
    p = Path(path)
    report = FileReport(str(p))
    try:
        if p.suffix.lower() in VECTOR_SUFFIXES:
            _check_vector(p, report, on=on, encoding=encoding, crs=crs, layer=layer)
        else:
            _check_table(p, report, on=on, encoding=encoding, crs=crs)
    except BkmapError as exc:
        problems = getattr(exc, "problems", None) or []
        if problems:
            header = str(exc).splitlines()[0].rstrip(":")
            for problem in problems:
                report.add(Note("error", str(p), header, problem))
        else:
            report.add(Note("error", str(p), "", str(exc)))
    return report


def _geometry_kind(path: Path, layer: str | None) -> str:
    """``points`` or ``boundaries``, from the layer's declared geometry type."""
    try:
        info = pyogrio.read_info(path, layer=layer)
    except Exception:  # GDAL's errors: the reader below reports them in its own words
        return "boundaries"
    kind = str(info.get("geometry_type") or "")
    return "points" if "Point" in kind else "boundaries"


def _check_vector(
    p: Path,
    report: FileReport,
    *,
    on: str | None,
    encoding: str | None,
    crs: str | None,
    layer: str | None,
) -> None:
    if _geometry_kind(p, layer) == "points":
        report.kind = "points"
        points = read_points(p, kind="points", crs=crs, layer=layer, encoding=encoding)
        record = record_of(points)
        report.items = len(points) + (len(record.dropped) if record else 0)
        report.add_record(record)
        return
    report.kind = "boundaries"
    communes = read_communes(p, layer=layer, crs=crs, encoding=encoding)
    report.items = len(communes)
    report.add_record(record_of(communes))
    _check_units(communes, report, on=on, label="feature")


def _check_units(table: pd.DataFrame, report: FileReport, *, on: str | None, label: str) -> None:
    """Match the rows (or features) to the units of ``on``, as the commands match a table."""
    units = units_on(on)
    frame = table.copy()
    frame.index = pd.RangeIndex(1, len(frame) + 1) if label == "feature" else frame.index
    for col in ("code", "name", "district"):
        if col not in frame.columns:
            frame[col] = ""
    version = version_on(on).name
    _, result, notes = unit_values(units, frame, strict=False, label=label, version=version)
    for problem in result.problems:
        report.add(Note("error", report.path, "", problem))
    report.findings += notes


def _check_table(
    p: Path, report: FileReport, *, on: str | None, encoding: str | None, crs: str | None
) -> None:
    raw = read_table(p, encoding=encoding)
    report.items = len(raw)
    if not has_indicator_columns(raw.columns) and _has_coordinates(raw.columns):
        report.kind = "points"
        points = read_points(p, kind="points", crs=crs, encoding=encoding)
        report.add_record(record_of(points))
        return
    report.kind = "table"
    status = read_status(p, encoding=encoding)
    report.add_record(record_of(status))
    _check_units(status, report, on=on, label="row")


def _has_coordinates(columns: pd.Index) -> bool:
    keys = {header_key(c) for c in columns}
    return any(
        {header_key(x) for x in xs} & keys and {header_key(y) for y in ys} & keys
        for xs, ys in COORDINATE_ALIASES
    )
