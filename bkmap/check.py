"""The data-quality report of ``bkmap check``: boundary files, status tables and point layers.

:func:`check_paths` reads each file the way every other command reads it, and
lists what it found instead of stopping at the first problem:

* the text encoding (detected or declared, and how sure) and the coordinate
  system (declared, detected or corrected, and how well it fits Bắc Kạn);
* geometry problems (invalid, empty, non-polygon, duplicate features) and the
  gaps and overlaps between communes;
* duplicate codes and names, codes that are not units on the date (``on``),
  units missing from the file, and rows or features whose names match no unit,
  with candidates (:func:`bkmap.join.match_rows`).

Each finding has a severity: ``error`` (the file cannot be used as it is),
``warning`` (it can, but something deserves a fix) or ``info``. The exit
status of ``bkmap check`` is 0 when there is nothing above ``info``, 1 with
warnings only, and 2 with errors. Input files are only read, never written.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from bkmap._errors import BkmapError, ValidationError
from bkmap.model.units import units_on

log = logging.getLogger(__name__)

__all__ = ["VECTOR_SUFFIXES", "CheckReport", "FileReport", "Finding", "check_file", "check_paths"]

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

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem or fact about one file."""

    severity: str
    where: str
    problem: str
    fix: str = ""

    def line(self) -> str:
        """The finding as one line: where, problem, fix."""
        text = f"{self.where}: {self.problem}" if self.where else self.problem
        return f"{text}. {self.fix}" if self.fix else text


@dataclass
class FileReport:
    """What :func:`check_file` found in one file."""

    path: str
    kind: str = "unknown"
    items: int = 0
    encoding: str = ""
    crs: str = ""
    coverage: str = ""
    findings: list[Finding] = field(default_factory=list)

    def add(self, severity: str, where: str, problem: str, fix: str = "") -> None:
        """Add a finding."""
        self.findings.append(Finding(severity, where, problem, fix))

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
        """The report as plain text, one block per file."""
        lines: list[str] = []
        for f in self.files:
            what = {"boundaries": "features", "points": "points", "table": "rows"}.get(
                f.kind, "items"
            )
            lines.append(f"== {f.path} ({f.kind}, {f.items} {what})")
            if f.encoding:
                lines.append(f"  encoding: {f.encoding}")
            if f.crs:
                lines.append(f"  coordinates: {f.crs}")
            if f.coverage:
                lines.append(f"  coverage: {f.coverage}")
            for severity in SEVERITIES:
                for finding in f.findings:
                    if finding.severity == severity:
                        lines.append(f"  {severity.upper():7s} {finding.line()}")
            if not f.findings:
                lines.append("  no problems found")
        verdict = {0: "clean", 1: "warnings only", 2: "errors"}[self.exit_code]
        lines.append(
            f"{len(self.files)} file(s) checked against the units of {self.on}: "
            f"{self.errors} error(s), {self.warnings} warning(s) ({verdict})."
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
        Force the coordinate system (``--crs``).
    layer
        Layer of a multi-layer file.

    Examples
    --------
    >>> from bkmap import datasets
    >>> report = check_paths([datasets.status_table("2019-08-12")])
    >>> report.files[0].kind, report.exit_code
    ('table', 0)
    """
    from bkmap.model.units import parse_date

    day = parse_date(on).isoformat()
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
                report.add("error", header, problem)
        else:
            report.add("error", "", str(exc))
    return report


def _encoding_findings(report: FileReport, found: object, *, shapefile: bool) -> None:
    if found is None:
        return
    report.encoding = found.describe()  # type: ignore[attr-defined]
    method = getattr(found, "method", "")
    name = getattr(found, "encoding", "")
    confidence = float(getattr(found, "confidence", 1.0))
    declared = getattr(found, "declared", None)
    if method == "detected" and confidence < 0.5:
        report.add(
            "warning",
            "text",
            f"the encoding is uncertain ({found.describe()})",  # type: ignore[attr-defined]
            "Check the names below; force the right one with --encoding (utf-8, cp1258, tcvn3, vni).",
        )
    if method == "detected" and name in ("tcvn3", "vni", "cp1258"):
        fix = "bkmap reads it, but other programs show garbled names: save the file as UTF-8" + (
            " and write UTF-8 in its .cpg" if shapefile else ""
        )
        report.add("warning", "text", f"the text is in the legacy encoding {name}", fix + ".")
    elif method == "detected" and declared and declared != name and name != "cp1252":
        report.add(
            "warning",
            "text",
            f"the file declares {declared} (.cpg) but its text is {name}",
            f"Write {name.upper()} in the .cpg file.",
        )


def _crs_findings(report: FileReport, decision: object) -> None:
    if decision is None:
        return
    report.crs = decision.describe()  # type: ignore[attr-defined]
    severity = getattr(decision, "severity", "ok")
    method = getattr(decision, "method", "")
    if severity == "warning":
        report.add("warning", "coordinates", decision.note)  # type: ignore[attr-defined]
    elif method == "detected":
        report.add(
            "warning",
            "coordinates",
            f"no .prj: the coordinate system was detected as {decision.crs}",  # type: ignore[attr-defined]
            "Save the layer with its .prj (or as GeoPackage), or pass --crs.",
        )


def _check_vector(
    p: Path,
    report: FileReport,
    *,
    on: str | None,
    encoding: str | None,
    crs: str | None,
    layer: str | None,
) -> None:
    from bkmap.io.boundaries import read_vector

    frame = read_vector(p, layer=layer, crs=crs, encoding=encoding)
    report.items = len(frame)
    _encoding_findings(
        report, frame.attrs.get("encoding_decision"), shapefile=p.suffix.lower() in (".shp", ".dbf")
    )
    _crs_findings(report, frame.attrs.get("crs_decision"))
    kinds = frame.geometry.geom_type.dropna()
    points = len(kinds) and kinds.isin(["Point", "MultiPoint"]).mean() > 0.5
    if points:
        report.kind = "points"
        _check_points(frame, report)
        return
    report.kind = "boundaries"
    _check_boundaries(frame, report, on=on)


def _check_points(frame: gpd.GeoDataFrame, report: FileReport) -> None:
    import shapely

    from bkmap.io.crs import _fit_area

    geoms = frame.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    for position in empty.nonzero()[0][:20]:
        report.add(
            "error",
            f"feature {position + 1}",
            "has no coordinates",
            "Fill in its position, or delete it.",
        )
    coords = shapely.get_coordinates(geoms[~empty])
    if len(coords):
        inside = shapely.contains_xy(_fit_area(), coords[:, 0], coords[:, 1])
        if (~inside).any():
            report.add(
                "info",
                "points",
                f"{int((~inside).sum())} of {len(coords)} points lie more than 25 km outside Bắc Kạn",
            )


def _check_boundaries(frame: gpd.GeoDataFrame, report: FileReport, *, on: str | None) -> None:
    from bkmap.geo import repair as geometry
    from bkmap.io.boundaries import COLUMN_ALIASES, _rename_by_alias

    out = _rename_by_alias(frame, COLUMN_ALIASES)
    missing = [c for c in ("code", "name") if c not in out.columns]
    for col in missing:
        found = ", ".join(str(c) for c in frame.columns if c != frame.geometry.name) or "none"
        report.add(
            "error",
            "columns",
            f"no {col!r} column (found: {found})",
            f"Rename a column to one of {', '.join(COLUMN_ALIASES[col][:6])}.",
        )
    _, geo = geometry.inspect(out)
    for issue in geo.issues:
        report.add(issue.severity, issue.feature, issue.detail, issue.fix)
    report.coverage = geo.coverage_line()
    if geo.overlap_m2 > 0 or geo.gap_m2 > 0:
        report.add(
            "warning",
            "coverage",
            f"communes overlap on {geo.overlap_m2 / 1e6:,.3f} km² and leave {geo.gaps} gaps of "
            f"{geo.gap_m2 / 1e6:,.3f} km² in all",
            "Run with --clean to remove them (the area moved is reported).",
        )
    if missing:
        return
    table = pd.DataFrame(
        {
            "code": _codes(out["code"]),
            "name": out["name"].fillna("").astype(str),
            "district": out["district"].fillna("").astype(str) if "district" in out.columns else "",
        }
    )
    table.index = pd.RangeIndex(1, len(table) + 1)
    _check_units(table, report, on=on, label="feature")


def _codes(values: pd.Series) -> pd.Series:
    codes = values.fillna("").astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    numeric = codes.str.fullmatch(r"\d{1,5}")
    codes.loc[numeric] = codes.loc[numeric].str.zfill(5)
    return codes


def _check_units(table: pd.DataFrame, report: FileReport, *, on: str | None, label: str) -> None:
    """Duplicate codes and names, codes not in force, units missing, unmatched names."""
    from bkmap.join import match_rows
    from bkmap.model.names import name_key
    from bkmap.model.units import parse_date

    units = units_on(on)
    codes = table["code"].astype(str)
    for code, rows in table[codes.ne("") & codes.duplicated(keep=False)].groupby("code"):
        report.add(
            "error",
            f"{label}s {', '.join(map(str, rows.index))}",
            f"code {code} appears {len(rows)} times",
            "Keep one per unit: delete the duplicates or correct their codes.",
        )
    keys = (
        table["district"].map(lambda d: name_key(d, level="district"))
        + "|"
        + table["name"].map(name_key)
    )
    named = table["name"].ne("")
    for _, rows in table[named & keys.duplicated(keep=False)].groupby(keys[named]):
        report.add(
            "warning",
            f"{label}s {', '.join(map(str, rows.index))}",
            f"the name {rows['name'].iloc[0]!r} appears {len(rows)} times in the same district",
            "Check that these are different units, and give each its code.",
        )
    known = set(units["code"])
    for row, code in codes.items():
        if code and code not in known:
            report.add(
                "warning",
                f"{label} {row}",
                f"code {code} is not a unit in force on {parse_date(on).isoformat()}",
                "Correct the code, or check the date with --on (codes are reused across versions).",
            )
    result = match_rows(table, units[["code", "name", "district"]])
    for problem in result.problems:
        report.add("error", "", problem)
    for _, line in result.unmatched.iterrows():
        candidates = line["candidates"] or "none close"
        report.add(
            "warning",
            f"{label} {line['row']}",
            f"{line['given_name'] or line['given_code']!r} matches no unit ({line['message'] or 'no code or name match'}); candidates: {candidates}",
            "Correct the name or the code.",
        )
    without = result.units_without_row
    if len(without):
        shown = ", ".join(
            f"{c} {n}"
            for c, n in zip(
                without["matched_code"].head(10), without["matched_name"].head(10), strict=True
            )
        )
        more = f" and {len(without) - 10} more" if len(without) > 10 else ""
        report.add(
            "warning",
            "units",
            f"{len(without)} of {len(units)} units have no {label}: {shown}{more}",
            f"Add a {label} for each, or check the date with --on.",
        )


def _check_table(
    p: Path, report: FileReport, *, on: str | None, encoding: str | None, crs: str | None
) -> None:
    from bkmap.io.crs import coordinate_columns, points_from_table
    from bkmap.io.status import _canonical_header, read_status
    from bkmap.io.tables import read_table
    from bkmap.model.criteria import INDICATORS

    raw = read_table(p, encoding=encoding)
    report.items = len(raw)
    report.encoding = str(raw.attrs.get("encoding_note", ""))
    _encoding_findings(report, _NoteDecoded.from_attrs(raw.attrs), shapefile=False)
    headers = {_canonical_header(str(c)) for c in raw.columns}
    has_indicators = any(ind.column in headers for ind in INDICATORS)
    coords = coordinate_columns(raw)
    if coords is not None:
        points, decision = points_from_table(raw, crs=crs, source=str(p))
        _crs_findings(report, decision)
        if not has_indicators:
            report.kind = "points"
            _check_points(points, report)
            return
    report.kind = "table"
    try:
        status = read_status(p, encoding=encoding)
    except ValidationError as exc:
        header = str(exc).splitlines()[0].rstrip(":")
        for problem in exc.problems or [str(exc)]:
            report.add("error", header, problem)
        return
    _check_units(status[["code", "name", "district"]], report, on=on, label="row")


@dataclass(frozen=True)
class _NoteDecoded:
    """The encoding facts :func:`bkmap.io.tables.read_table` leaves in ``attrs``."""

    encoding: str
    confidence: float
    note: str
    method: str
    declared: str | None = None

    @classmethod
    def from_attrs(cls, attrs: dict[str, object]) -> _NoteDecoded | None:
        if "encoding" not in attrs:
            return None
        note = str(attrs.get("encoding_note", ""))
        method = "detected" if "(detected" in note else "other"
        return cls(
            str(attrs["encoding"]),
            float(str(attrs.get("encoding_confidence", 1.0) or 0.0)),
            note,
            method,
        )

    def describe(self) -> str:
        return self.note
