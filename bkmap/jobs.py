"""The library function behind each command: read, analyse, write, and say what happened.

Each ``bkmap`` command parses its options, calls one function here and prints
the :class:`Outcome` it returns; the same functions serve notebooks and scripts.
Nothing here prints: what a user should read is in the outcome's ``lines``
(the command's own summary) and ``notes`` (what every reader and the join
decided, see :mod:`bkmap.notes`).
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bkmap import export, settings
from bkmap._errors import MatchError, ValidationError
from bkmap.analysis.gaps import GapResult, find_gaps
from bkmap.geo import cache as display_cache
from bkmap.i18n import check_lang
from bkmap.i18n import msg as _msg
from bkmap.i18n import t as _t
from bkmap.io.points import (
    PointLayers,
    is_illustrative,
    read_cells_partitioned,
    read_point_layers,
    read_points,
)
from bkmap.io.record import record_of
from bkmap.io.status import read_status, template
from bkmap.io.write import (
    GEOPACKAGE_SUFFIXES,
    HTML_SUFFIXES,
    TABLE_OUTPUT_SUFFIXES,
    OutputSet,
    atomic_path,
    check_suffix,
    write_csv,
    write_geopackage,
    write_shapefiles,
    write_workbook,
)
from bkmap.join import Assessment, MatchResult
from bkmap.model import illustrative
from bkmap.model.units import units_on, version_on
from bkmap.notes import Note, Outcome
from bkmap.pipeline import assess
from bkmap.planning import model as planning
from bkmap.planning import siting
from bkmap.render import plan as plan_outputs
from bkmap.render.comparemap import compare_map
from bkmap.render.gaps import write_gap_outputs
from bkmap.render.maps import (
    class_counts,
    criterion_map,
    drawing_notes_of,
    map_published_line,
    save_map,
)
from bkmap.render.printing import check_output, print_map
from bkmap.render.report import (
    SIZE_BUDGET,
    gaps_illustrative,
    read_gaps,
    report_tables,
    write_excel,
    write_report,
)
from bkmap.versions.carry import carry
from bkmap.versions.compare import change_counts, compare_status

log = logging.getLogger(__name__)

__all__ = [
    "EXPORT_FORMATS",
    "DataOptions",
    "Outcome",
    "make_compare",
    "make_export",
    "make_gaps",
    "make_map",
    "make_plan",
    "make_print",
    "make_report",
    "make_template",
]


@dataclass(frozen=True)
class DataOptions:
    """The data options every command shares: what to read and how (see :func:`bkmap.pipeline.assess`).

    ``report_path`` writes the match report (one line per input row, and one
    per unit without a row) as CSV, also when matching fails.
    """

    status: str | None = None
    boundaries: str | None = None
    on: str | None = None
    as_of: str | None = None
    layer: str | None = None
    encoding: str | None = None
    report_path: str | None = None
    whole_province: bool = False
    crs: str | None = None
    clean: bool = False
    province: str | None = None
    national: str | None = None
    columns: str | None = None

    def assess(self, *, other_files: bool = False) -> tuple[Assessment, list[Path]]:
        """Run :func:`bkmap.pipeline.assess` and write the match report if asked.

        Returns the assessment and the paths written (the match report). On a
        :class:`~bkmap._errors.MatchError` the report is written before the error
        goes on. ``other_files``: the command reads more files with ``crs`` and
        ``encoding`` (see :func:`bkmap.pipeline.assess`).
        """
        if self.report_path:
            check_suffix(self.report_path, (".csv",), option="--report")
        options = {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name != "report_path"
        }
        try:
            assessment = assess(**options, other_files=other_files)
        except MatchError as exc:
            if self.report_path and isinstance(exc.result, MatchResult):
                write_csv(exc.result.report, self.report_path)
            raise
        written = []
        if self.report_path:
            written.append(write_csv(assessment.match.report, self.report_path))
        return assessment, written


def _counts_line(assessment: Assessment) -> str:
    counts = class_counts(assessment.joined)["c8"]
    # In the console's language, as every summary line.
    said = settings.console_lang
    # English keeps the class codes (met, not_met), as scripts reading this line expect.
    summary = ", ".join(
        f"{n} {_t(k, said).lower() if said == 'vi' else k}" for k, n in counts.items() if n
    )
    return f"{_msg('cli_communes', count=len(assessment.joined))}: {summary}"


def _change_word(kind: str) -> str:
    """A kind of change in the console's language (English keeps the kind's own words)."""
    if settings.console_lang == "en":
        return kind.replace("_", " ")
    return _t(f"v_change_{kind}", settings.console_lang).lower()


def make_map(
    data: DataOptions,
    *,
    out: str | os.PathLike[str],
    lang: str | None = None,
    tiles: bool = False,
    cache: bool = True,
) -> Outcome:
    """``bkmap map``: draw the criterion-8 choropleth of the data as one HTML file.

    ``cache=False`` (``--no-cache``): display shapes are prepared afresh and not kept
    (see :mod:`bkmap.geo.cache`).
    """
    check_suffix(out, HTML_SUFFIXES)
    assessment, written = data.assess()
    with display_cache.disabled(not cache):
        fmap = criterion_map(assessment, lang=lang, tiles="OpenStreetMap" if tiles else None)
    path = save_map(fmap, out)
    lines = [_msg("cli_wrote_detail", path=path.resolve(), detail=_counts_line(assessment))]
    # The province's count beside the records', in the map's language (as in its title box).
    published = map_published_line(assessment, lang=check_lang(lang))
    if published:
        lines.append(published)
    return Outcome(
        written=[*written, path],
        lines=lines,
        notes=[*assessment.all_notes(), *drawing_notes_of(fmap)],
    )


def make_report(
    data: DataOptions,
    *,
    out: str | os.PathLike[str],
    lang: str | None = None,
    gaps_dir: str | os.PathLike[str] | None = None,
    tiles: bool = False,
    excel: str | os.PathLike[str] | None = None,
) -> Outcome:
    """``bkmap report``: the offline HTML report (and optionally its tables as a workbook)."""
    check_suffix(out, HTML_SUFFIXES)
    if excel:
        check_suffix(excel, (".xlsx",), option="--excel")
    gaps = read_gaps(gaps_dir) if gaps_dir else None
    assessment, written = data.assess()
    tables = report_tables(assessment, lang=lang, gaps=gaps)
    # The page and the workbook are one set: both are written, or neither.
    with OutputSet() as outputs:
        page = write_report(
            assessment, outputs.path(out), lang=lang, gaps=gaps, tiles=tiles, tables=tables
        )
        size = page.stat().st_size
        if excel:
            made_up = assessment.illustrative or (gaps is not None and gaps_illustrative(gaps))
            write_excel(tables, outputs.path(excel), lang=lang, illustrative_data=made_up)
    path = Path(out)
    over = "" if size <= SIZE_BUDGET else " (above the 1 MB target)"
    communes = _msg("cli_communes", count=len(assessment.joined))
    lines = [
        _msg(
            "cli_wrote_detail", path=path.resolve(), detail=f"{size / 1e6:.2f} MB{over}, {communes}"
        )
    ]
    written.append(path)
    if excel:
        written.append(Path(excel))
        lines.append(_msg("cli_wrote", path=Path(excel).resolve()))
    return Outcome(written=written, lines=lines, notes=assessment.all_notes())


def make_print(
    data: DataOptions,
    *,
    out: str | os.PathLike[str],
    paper: str = "A4",
    dpi: int = 200,
    lang: str | None = None,
    labels: bool = True,
) -> Outcome:
    """``bkmap print``: the criterion-8 map for paper, as PNG or PDF."""
    check_output(Path(out), paper.upper(), dpi)
    assessment, written = data.assess()
    path = print_map(
        assessment,
        out,
        paper=paper.upper(),
        lang=lang,
        dpi=dpi,
        province=assessment.province,
        labels=labels,
    )
    return Outcome(
        written=[*written, path],
        lines=[
            _msg(
                "cli_wrote_detail",
                path=path.resolve(),
                detail=f"{paper.upper()}, {_msg('cli_communes', count=len(assessment.joined))}",
            )
        ],
        notes=assessment.all_notes(),
    )


def make_gaps(
    data: DataOptions,
    *,
    out: str | os.PathLike[str],
    layers: Mapping[str, str | None],
    lang: str | None = None,
    threshold: float = 0.8,
    radii: Mapping[str, float] | None = None,
    dask: str | None = None,
    partitions: int = 8,
    tiles: bool = False,
) -> Outcome:
    """``bkmap gaps``: communes without radio stations or coverage, as tables and a map.

    ``layers`` gives a path per kind of :data:`bkmap.io.points.LAYER_KINDS`; the
    data option ``crs`` also serves layers that declare no coordinate system.
    """
    assessment, written = data.assess(other_files=any(v is not None for v in layers.values()))
    result, point_layers = _gap_result(
        data,
        assessment,
        layers=layers,
        lang=lang,
        threshold=threshold,
        radii=radii,
        dask=dask,
        partitions=partitions,
    )
    with OutputSet(out) as outputs:
        write_gap_outputs(
            result, outputs, lang=check_lang(lang), tiles="OpenStreetMap" if tiles else None
        )
    written += outputs.written
    dropped = _msg("cli_gaps_dropped", count=len(result.dropped)) if len(result.dropped) else ""
    lines = [
        _msg("cli_gaps_summary", gaps=len(result.gaps), conflicts=len(result.conflicts)) + dropped
    ]
    lines += [_msg("cli_wrote", path=p.resolve()) for p in written]
    lines += [_msg("cli_removed", path=p.resolve()) for p in outputs.removed]
    notes = assessment.all_notes() + _gap_notes(result, point_layers) + outputs.notes
    return Outcome(written=written, lines=lines, notes=notes)


def _gap_result(
    data: DataOptions,
    assessment: Assessment,
    *,
    layers: Mapping[str, str | None],
    lang: str | None,
    threshold: float,
    radii: Mapping[str, float] | None,
    dask: str | None = None,
    partitions: int = 8,
) -> tuple[GapResult, PointLayers]:
    """Read the gap layers given and run :func:`find_gaps` on them (on dask if asked).

    With ``dask``, a cell CSV is read by dask on the cluster
    (:func:`bkmap.io.points.read_cells_partitioned`), never whole on this machine.
    """
    given = {k: v for k, v in layers.items() if v is not None}
    if not dask:
        point_layers = read_point_layers(
            given, crs=data.crs, encoding=data.encoding, radii=radii, extent=assessment.joined
        )
        result = find_gaps(assessment, point_layers, threshold=threshold, lang=lang)
        return result, point_layers
    # Lazy: dask is an optional extra.
    from bkmap.analysis import distributed

    cells = given.get("cells")
    if cells is not None and Path(cells).suffix.lower() in (".csv", ".txt"):
        del given["cells"]
    else:
        cells = None
    with distributed.client(dask):
        point_layers = read_point_layers(
            given, crs=data.crs, encoding=data.encoding, radii=radii, extent=assessment.joined
        )
        if cells is not None:
            spread = read_cells_partitioned(
                cells, radii=radii, extent=assessment.joined, encoding=data.encoding, crs=data.crs
            )
            point_layers = dataclasses.replace(point_layers, cells=spread)
        result = find_gaps(
            assessment, point_layers, threshold=threshold, lang=lang, npartitions=partitions
        )
    return result, point_layers


def _gap_notes(result: GapResult, point_layers: PointLayers) -> list[Note]:
    """The notes of the layers read and of the analysis, in the order the data flowed."""
    notes: list[Note] = []
    for record in point_layers.records():
        notes += record.notes()
    notes += result.notes
    return notes


#: Formats ``bkmap export`` writes: a GeoPackage, or shapefiles in a folder or a zip.
EXPORT_FORMATS: tuple[str, ...] = ("gpkg", "shp")


def make_export(
    data: DataOptions,
    *,
    out: str | os.PathLike[str],
    fmt: str = "gpkg",
    layers: Mapping[str, str | None] | None = None,
    gaps: bool = False,
    threshold: float = 0.8,
    radii: Mapping[str, float] | None = None,
    budget: int | None = None,
    plan_stations: int | None = None,
    policy: planning.Policy | None = None,
    lang: str | None = None,
) -> Outcome:
    """``bkmap export``: the joined communes, and gaps and plan where asked, for GIS software.

    Writes one GeoPackage (``fmt="gpkg"``, ``out`` ending in ``.gpkg``) or
    shapefiles, one per layer, into a folder or a ``.zip`` (``fmt="shp"``).
    The layers are those of :mod:`bkmap.export`: ``communes`` and ``sources``
    always; the gap layers when any of ``layers`` is given or ``gaps`` is
    true; the plan layers when ``budget`` or ``plan_stations`` is given (with
    ``policy``, default that of ``bkmap plan``).
    """
    layers = layers or {}
    target = Path(out)
    suffix = target.suffix.lower()
    if fmt not in EXPORT_FORMATS:
        msg = _msg("job_bad_format", fmt=fmt, formats=", ".join(EXPORT_FORMATS))
        raise ValidationError(msg)
    if fmt == "gpkg":
        check_suffix(out, GEOPACKAGE_SUFFIXES)
    elif suffix not in ("", ".zip"):
        msg = _msg("job_shp_out", target=target, suffix=target.suffix)
        raise ValidationError(msg)
    lang = check_lang(lang)
    given = any(v is not None for v in layers.values())
    assessment, written = data.assess(other_files=given)
    notes = assessment.all_notes()
    flag = assessment.illustrative
    frames: dict[str, pd.DataFrame] = {}
    result = None
    if given or gaps:
        result, point_layers = _gap_result(
            data, assessment, layers=layers, lang=lang, threshold=threshold, radii=radii
        )
        notes += _gap_notes(result, point_layers)
        flag = flag or result.illustrative
    frames.update(export.commune_layers(assessment, illustrative_data=flag))
    if result is not None:
        frames.update(export.gap_layers(result))
    if budget is not None or plan_stations is not None:
        plan = planning.plan_communes(
            assessment, budget=budget, stations=plan_stations, policy=policy or planning.Policy()
        )
        frames.update(export.plan_layers(assessment, plan, illustrative_data=flag))
    if fmt == "gpkg":
        path = write_geopackage(frames, out, geometry_types=export.GEOMETRY_TYPES)
    else:
        path, cut = write_shapefiles(frames, out, geometry_types=export.GEOMETRY_TYPES)
        notes += cut
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in frames.items())
    lines = [_msg("cli_wrote_detail", path=path.resolve(), detail=f"{fmt}: {counts}")]
    if flag:
        lines.append(f"{illustrative.banner(lang)} ({illustrative.COLUMN} = true)")
    return Outcome(written=[*written, path], lines=lines, notes=notes)


def make_plan(
    data: DataOptions,
    *,
    out_dir: str | os.PathLike[str],
    budget: int | None = None,
    stations: int | None = None,
    objective: str = "communes",
    policy: planning.Policy | None = None,
    costs_path: str | os.PathLike[str] | None = None,
    existing: tuple[str, ...] = (),
    compare_budgets: tuple[int, ...] = (),
    compare_stations: tuple[int, ...] = (),
    marginal_limit: int | None = None,
    villages: str | os.PathLike[str] | None = None,
    sites: str | os.PathLike[str] | None = None,
    radius: float = planning.DEFAULT_RADIUS_M,
    lang: str | None = None,
    tiles: bool = False,
) -> Outcome:
    """``bkmap plan``: where to build the next commune radio stations within a budget."""
    lines: list[str] = []
    if budget is None and stations is None and not compare_budgets and not compare_stations:
        msg = _msg("job_plan_need_limit")
        raise ValidationError(msg)
    if sites is not None and villages is None:
        msg = _msg("job_sites_need_villages")
        raise ValidationError(msg)
    counts: list[int | None] = list(compare_stations) or [stations]
    budgets: list[int | None] = list(compare_budgets) or [budget]
    scenarios = [(b, s) for s in counts for b in budgets]
    if budget is None and stations is None:
        budget, stations = scenarios[0]
        lines.append(
            "no --budget/--stations: plan.csv describes the first scenario "
            f"({planning.scenario_label(budget, stations)})"
        )
    if marginal_limit is None and budget is not None:
        marginal_limit = budget + 5 * planning.BILLION
    policy = policy or planning.Policy()
    assessment, written = data.assess()
    costs = (
        planning.read_costs(costs_path, codes=assessment.joined["code"])
        if costs_path is not None
        else None
    )
    result = planning.plan_communes(
        assessment,
        budget=budget,
        stations=stations,
        objective=objective,
        policy=policy,
        costs=costs,
        existing=existing,
        marginal_limit=marginal_limit,
    )
    notes = assessment.all_notes()
    conflicting = result.candidates.loc[result.candidates["conflicting"]]
    if len(conflicting):
        # bkmap does not choose between sources: the plan says how it counted them.
        named = ", ".join(
            f"{c} {n}" for c, n in zip(conflicting["code"], conflicting["name"], strict=True)
        )
        notes.append(
            Note(
                "info",
                assessment.status_source,
                "8.3",
                _msg(
                    "note_plan_conflicting",
                    count=len(conflicting),
                    named=named,
                    policy=policy.unknown,
                ),
                _msg("fix_plan_conflicting"),
            )
        )
    if costs is not None:
        eligible = set(result.candidates.loc[result.candidates["eligible"], "code"])
        ignored = sorted(set(costs.index) - eligible)
        if ignored:
            notes.append(
                Note(
                    "info",
                    str(costs_path),
                    _msg("note_rows"),
                    _msg("note_costs_ignored", count=len(ignored), codes=", ".join(ignored[:10])),
                )
            )
    compare = None
    if compare_budgets or compare_stations:
        compare = planning.compare_scenarios(
            result.candidates, scenarios, policy=policy, objective=objective, weight=policy.weight
        )
    village = None
    if villages is not None:
        village, village_notes = _village_plan(
            assessment,
            result,
            villages=villages,
            sites=sites,
            radius=radius,
            budget=budget,
            stations=stations,
        )
        notes += village_notes
    with OutputSet(out_dir) as outputs:
        plan_outputs.write_plan(
            outputs,
            assessment,
            result,
            compare=compare,
            village=village,
            lang=lang,
            tiles="OpenStreetMap" if tiles else None,
            illustrative_data=any(p is not None and is_illustrative(p) for p in (villages, sites)),
        )
    written += outputs.written
    notes += outputs.notes
    lines.append(plan_outputs.summary_text(result, lang))
    if village is not None:
        lines.append(plan_outputs.village_summary_text(village, lang))
    lines.append(_msg("cli_wrote_files", count=len(written), folder=Path(out_dir).resolve()))
    return Outcome(written=written, lines=lines, notes=notes)


def _village_plan(
    assessment: Assessment,
    result: planning.PlanResult,
    *,
    villages: str | os.PathLike[str],
    sites: str | os.PathLike[str] | None,
    radius: float,
    budget: int | None,
    stations: int | None,
) -> tuple[siting.VillagePlan, list[Note]]:
    """The village-level covering model of a plan, with the notes on its layers."""
    joined = assessment.joined
    points = read_points(villages, kind="villages", extent=joined)
    notes = [n for f in (points,) for n in _record_notes(f)]
    if not len(points):
        msg = _msg("job_no_village", path=villages)
        raise ValidationError(msg)
    cands = result.candidates
    if sites is None:
        keep = cands["state"].eq("has_station") | cands["eligible"]
        site_frame = siting.commune_sites(
            joined.loc[keep.to_numpy()],
            existing=cands.loc[cands["state"].eq("has_station"), "code"],
        )
    else:
        layer = read_points(sites, kind="stations", extent=joined)
        notes += _record_notes(layer)
        site_frame = layer.to_crs("EPSG:3405").reset_index(drop=True)
        site_frame["site_id"] = [f"S{i + 1}" for i in range(len(site_frame))]
        site_frame["existing"] = site_frame["working"].astype("boolean").fillna(False).astype(bool)
    new_cost = int(result.policy.new_cost)
    affordable = [stations] if stations is not None else []
    if budget is not None:
        affordable.append(budget // new_cost if new_cost else len(site_frame))
    weights, basis = siting.village_weights(points, communes=joined)
    plan = siting.plan_villages(
        points,
        site_frame,
        new_sites=int(min(affordable)),
        radius_m=radius,
        weights=weights,
        population_basis=basis,
    )
    return plan, notes


def _record_notes(frame: pd.DataFrame) -> list[Note]:
    record = record_of(frame)
    return record.notes() if record is not None else []


def make_template(
    *, out: str | os.PathLike[str], on: str | None = None, lang: str | None = None
) -> Outcome:
    """``bkmap template``: an empty status table of every unit, for officials to fill in."""
    suffix = check_suffix(out, TABLE_OUTPUT_SUFFIXES).suffix.lower()
    frame = template(units_on(on), lang=lang)
    if suffix == ".csv":
        path = write_csv(frame, out)
    else:
        with atomic_path(out) as tmp:
            # The template is read back by bkmap: its headers stay as template() wrote them.
            sheet = "status" if lang == "en" else "tieu_chi_8"
            write_workbook({sheet: frame}, tmp, lang=lang, translate=False)
        path = Path(out)
    detail = _msg("cli_communes", count=len(frame))
    return Outcome(
        written=[path], lines=[_msg("cli_wrote_detail", path=path.resolve(), detail=detail)]
    )


def make_compare(
    *,
    out: str | os.PathLike[str],
    as_of: tuple[str, ...] = (),
    status: tuple[str, ...] = (),
    on: str | None = None,
    whole_province: bool = False,
    table_path: str | os.PathLike[str] | None = None,
    lang: str | None = None,
    tiles: bool = False,
) -> Outcome:
    """``bkmap compare``: two assessments on one version of the units, and what changed."""
    check_suffix(out, HTML_SUFFIXES)
    if table_path:
        check_suffix(table_path, (".csv",), option="--table")
    if not as_of and not status:
        as_of = ("2018-07-31", "2019-08-12")
    specs = [("as_of", a) for a in as_of] + [("status", s) for s in status]
    if len(specs) != 2:
        msg = _msg("job_compare_two", count=len(specs))
        raise ValidationError(msg)
    assessments = []
    for kind, value in specs:
        if kind == "as_of":
            assessments.append(assess(as_of=value, on=on, whole_province=whole_province))
            continue
        table = read_status(value)
        if on is not None and version_on(on).name != "2019":
            table = carry(table, to=version_on(on).name, whole_province=whole_province, lang=lang)
        assessments.append(assess(status=table, on=on, whole_province=whole_province))
    before, after = assessments
    fmap = compare_map(before, after, lang=lang, tiles="OpenStreetMap" if tiles else None)
    path = save_map(fmap, out)
    table = compare_status(before.joined, after.joined, lang=lang)
    written = [path]
    if table_path:
        written.append(write_csv(table, table_path))
    counts = change_counts(table)
    detail = _msg("cli_compare_detail", units=len(table), before=before.as_of, after=after.as_of)
    lines = [_msg("cli_wrote_detail", path=path.resolve(), detail=detail)]
    for key, row in counts.iterrows():
        number = str(key)[1:].replace("_", ".")
        label = _msg("cli_criterion8") if key == "c8" else _msg("cli_indicator", number=number)
        parts = ", ".join(f"{n} {_change_word(str(kind))}" for kind, n in row.items() if n)
        lines.append(f"  {label}: {parts}")
    return Outcome(written=written, lines=lines, notes=before.all_notes() + after.all_notes())
