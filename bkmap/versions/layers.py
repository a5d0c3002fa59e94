"""Versions of the commune map: derived polygons, crosswalks and carried status.

Bắc Kạn's communes changed twice after the 2019 assessment (see
:data:`bkmap.model.units.VERSIONS`): 122 units became 108 on 2020-02-01, Xã Vân
Tùng became a thị trấn on 2023-04-10, and on 2025-07-01 the 108 units became
37 communes and wards of Tỉnh Thái Nguyên. This module owns everything that
moves data between those versions.

**2020 polygons** (:func:`build_2020`, run by ``tools/build_2020.py``, output
``boundaries/bac_kan_2020.gpkg``). No survey of the 2020 units is shipped, so
they are derived from the 2019 polygons and the lineage tables in ``data/``:

- a 2019 unit that joined a 2020 unit whole is dissolved into it;
- a 2019 unit split between several 2020 units (:data:`SPLITS`) is handled by
  one of two written rules:

  ``boundary_2025``
      when its successors fall into *different* units of 2025, the 2019
      polygon is cut along the 2025 boundary between them (a surveyed line:
      Phong Huân, Lương Hạ). Slivers left by the different surveys (parts
      under 5 % of the commune, and any part outside both 2025 units) go to
      the piece they share the longest border with.
  ``whole``
      when no surveyed line separates the successors (Văn Học: both
      successors merged again in 2025), the whole 2019 polygon goes to the
      successor named by both sources.

  Every 2020 unit that received part of a commune is flagged ``approximate``
  and carries ``approx_note`` (Vietnamese) and ``approx_note_en``. The layer
  also holds a ``pieces`` layer: the 2019 × 2020 pieces every crosswalk is
  built from.

**Crosswalks** (:func:`crosswalk`) map the units of one version to those of a
later one, with each part's share of the old unit's area (EPSG:3405) and of
its population (2019 census). ``method="lineage"`` follows the official
lineage; ``method="overlay"`` intersects the polygons of the two versions, with
shares computed on the overlap. :func:`survey_disagreement` measures how far
the 2019 (censusVN2009) and 2025 (sapnhap) surveys disagree, and
:func:`check_overlay_lineage` lists the 2019 units whose largest overlap is
not their official successor.

**Carrying status** (:func:`carry`) rolls a 2019 status table up to the units
of a later version under the rules in its docstring, and keeps the lineage as
text for tooltips. Comparing two assessment dates on one version lives in
:mod:`bkmap.versions.compare`.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from bkmap import datasets, settings
from bkmap._errors import ValidationError, collect
from bkmap.i18n import check_lang, format_percent, register, t
from bkmap.model.criteria import INDICATORS, OVERALL, PROGRAMME_TYPES, overall
from bkmap.model.units import VERSIONS, load_population, units_of, version_date

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

__all__ = [
    "SPLITS",
    "Split",
    "build_2020",
    "carry",
    "check_overlay_lineage",
    "crosswalk",
    "pieces",
    "survey_disagreement",
]

#: The shipped derived layer of the 2020 units.

#: A part smaller than this share of its commune is a sliver (rule ``boundary_2025``).
SLIVER_SHARE = 0.05

_LABELS: dict[str, dict[str, str]] = {
    "v_formed_from": {
        "vi": "Hình thành từ {n} đơn vị năm 2019: {names}.",
        "en": "Formed from {n} units of 2019: {names}.",
    },
    "v_part_of": {"vi": "một phần {name}", "en": "part of {name}"},
    "v_met_group": {
        "vi": "{met}/{total} xã cũ đạt {what} năm 2019 ({share} dân số)",
        "en": "{met} of {total} former communes met {what} in 2019 ({share} of the population)",
    },
    "v_met_group_nopop": {
        "vi": "{met}/{total} xã cũ đạt {what} năm 2019",
        "en": "{met} of {total} former communes met {what} in 2019",
    },
    "v_and": {"vi": " và ", "en": " and "},
    "v_criterion": {"vi": "tiêu chí 8", "en": "criterion 8"},
    "v_n_not_met": {"vi": "{n} chưa đạt", "en": "{n} not met"},
    "v_n_unknown": {"vi": "{n} chưa rõ", "en": "{n} unknown"},
    "v_outside_programme": {
        "vi": "{names} không thuộc chương trình NTM (không tính)",
        "en": "{names} outside the NTM programme (not counted)",
    },
    "v_outside_programme_unknown": {
        "vi": "{names} không thuộc chương trình NTM (tính là chưa rõ)",
        "en": "{names} outside the NTM programme (counted as unknown)",
    },
    "v_no_programme_part": {
        "vi": "không có xã cũ nào thuộc chương trình NTM năm 2019",
        "en": "no former unit was in the NTM programme in 2019",
    },
    "v_outside_data": {
        "vi": "Ngoài phạm vi dữ liệu: không thuộc tỉnh Bắc Kạn cũ, không có số liệu tiêu chí 8.",
        "en": "Outside the data: not part of former Bắc Kạn; no criterion-8 data.",
    },
    "v_carried_source": {"vi": "gộp từ năm 2019", "en": "rolled up from 2019"},
}
register(_LABELS)


@dataclass(frozen=True)
class Split:
    """A 2019 commune whose territory went to several 2020 units.

    Attributes
    ----------
    old_code
        Its 2019 GSO code.
    parts
        ``(2020 code, official km², official population)`` per successor, the
        main successor first; a figure is ``None`` when no source gives it.
    rule
        ``"boundary_2025"`` or ``"whole"`` (see the module docstring).
    source
        Where the split is recorded.
    """

    old_code: str
    parts: tuple[tuple[str, float | None, int | None], ...]
    rule: Literal["boundary_2025", "whole"]
    source: str


#: The three communes of 2019 that were split on 2020-02-01.
SPLITS: tuple[Split, ...] = (
    Split(
        "02074",  # Xã Phong Huân
        (("02083", 16.26, 653), ("02065", 7.41, 200)),
        "boundary_2025",
        "GSO change record (data/gso_ward_change_record_raw.csv, data/mapping_2019_to_2020.csv): "
        "16,26 km², 653 người → Yên Phong; 7,41 km², 200 người → Bằng Lãng",
    ),
    Split(
        "02155",  # Xã Lương Hạ
        (("02155", 13.37, 1461), ("02152", None, None)),
        "boundary_2025",
        "GSO change record: 13,37 km², 1.461 người → Thị trấn Yến Lạc; "
        "data/units_lineage.csv: remainder → Cường Lợi",
    ),
    Split(
        "02149",  # Xã Văn Học
        (("02137", 10.56, 852), ("02152", None, None)),
        "whole",
        "data/units_lineage.csv: part → Cường Lợi, remainder → Văn Vũ; GSO change record: "
        "the whole commune (10,56 km², 852 người) → Văn Vũ. The sources disagree.",
    ),
)

_SPLIT_BY_CODE = {s.old_code: s for s in SPLITS}

_TO_METRIC = pyproj.Transformer.from_crs(
    settings.geographic_crs, settings.metric_crs, always_xy=True
)


def _metric(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(
        geom, lambda xy: np.column_stack(_TO_METRIC.transform(xy[:, 0], xy[:, 1]))
    )


def _km2(geom: BaseGeometry) -> float:
    return float(_metric(geom).area) / 1e6


def _version_name(version: str) -> str:
    names = [v.name for v in VERSIONS]
    if version not in names:
        msg = f"version {version!r} is unknown. Use one of: {', '.join(names)}."
        raise ValidationError(msg)
    return version


# --------------------------------------------------------------------------- lineage steps


@functools.cache
def _steps() -> dict[str, pd.DataFrame]:
    """Code-to-code steps between consecutive versions (whole units only, plus splits)."""
    m20 = pd.read_csv(datasets.path("mapping_2019_2020"), dtype=str, keep_default_na=False)
    rows = []
    for old, group in m20.groupby("old_code", sort=False):
        if old in _SPLIT_BY_CODE:
            continue
        targets = group["new_code"].unique()
        if len(targets) != 1:  # a split not described in SPLITS
            msg = f"mapping_2019_to_2020.csv: {old} has several successors but is not in SPLITS"
            raise ValidationError(msg)
        rows.append((old, targets[0]))
    step20 = pd.DataFrame(rows, columns=["from_code", "to_code"])
    m25 = pd.read_csv(datasets.path("merger_2025"), dtype=str, keep_default_na=False)
    step25 = m25.rename(columns={"old_code": "from_code", "new_code": "to_code"})[
        ["from_code", "to_code"]
    ]
    return {"2020": step20, "2025": step25}


def _split_pop_shares(split: Split, census: int | None) -> list[float]:
    """Population share of each part of a split commune.

    All parts with an official figure: figure / sum of figures. Some parts
    only: figure / 2019 census of the commune (at most 1), the rest shared
    equally by the parts without a figure. ``whole`` rule: all to the first.
    """
    if split.rule == "whole":
        return [1.0] + [0.0] * (len(split.parts) - 1)
    figures = [p[2] for p in split.parts]
    if all(f is not None for f in figures):
        total = float(sum(f for f in figures if f is not None))
        return [float(f) / total for f in figures if f is not None]
    known = {i: f for i, f in enumerate(figures) if f is not None}
    base = float(census) if census else float(sum(known.values()))
    shares = [0.0] * len(figures)
    for i, f in known.items():
        shares[i] = min(1.0, f / base)
    rest = max(0.0, 1.0 - sum(shares))
    missing = [i for i, f in enumerate(figures) if f is None]
    for i in missing:
        shares[i] = rest / len(missing)
    return shares


# --------------------------------------------------------------------------- building 2020


def _explode(geom: BaseGeometry) -> list[BaseGeometry]:
    parts = shapely.get_parts(shapely.make_valid(geom))
    return [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]


def _split_polygon(
    poly: BaseGeometry, targets: Sequence[tuple[str, BaseGeometry]]
) -> dict[str, BaseGeometry]:
    """Cut ``poly`` among ``targets`` (code, 2025 polygon) by rule ``boundary_2025``."""
    total = _km2(poly)
    raw: list[tuple[str | None, BaseGeometry]] = []
    taken: BaseGeometry = shapely.Polygon()
    for code, target in targets:
        part = shapely.difference(shapely.intersection(poly, target), taken)
        raw += [(code, p) for p in _explode(part)]
        taken = shapely.union(taken, part)
    raw += [(None, p) for p in _explode(shapely.difference(poly, taken))]
    raw.sort(key=lambda item: -_km2(item[1]))
    assigned: dict[str, list[BaseGeometry]] = {code: [] for code, _ in targets}
    pending: list[BaseGeometry] = []
    for owner, part in raw:
        if owner is not None and (not assigned[owner] or _km2(part) >= SLIVER_SHARE * total):
            assigned[owner].append(part)
        else:
            pending.append(part)
    empty = [code for code, got in assigned.items() if not got]
    if empty:
        msg = f"the 2025 boundary leaves no part of the commune for {', '.join(empty)}"
        raise ValidationError(msg)
    for part in pending:  # slivers: to the piece sharing the longest border, else the nearest
        metric_part = _metric(part)
        best, best_len, best_dist = "", -1.0, np.inf
        for code, got in assigned.items():
            body = _metric(shapely.union_all(got))
            shared = float(
                shapely.length(shapely.intersection(metric_part.buffer(1.0), body.boundary))
            )
            dist = float(metric_part.distance(body))
            if shared > best_len or (shared == best_len == 0.0 and dist < best_dist):
                best, best_len, best_dist = code, shared, dist
        assigned[best].append(part)
    pieces = {code: shapely.union_all(got) for code, got in assigned.items()}
    # The main successor takes exactly what the others leave, so the pieces tile the commune.
    main = targets[0][0]
    others = shapely.union_all([g for c, g in pieces.items() if c != main])
    pieces[main] = shapely.difference(poly, others)
    return pieces


def _num(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "vi" else text


def _note(split: Split, code: str, km2: float, lang: str) -> str:
    """The ``approx_note`` of a 2020 unit that received part of ``split``."""
    old = _names_2019().get(split.old_code, split.old_code)
    official = next(p for p in split.parts if p[0] == code)[1]
    if split.rule == "whole" and code == split.parts[0][0]:
        given = _num(official, lang) if official else "?"
        if lang == "vi":
            return (
                f"Ranh giới gần đúng: vẽ toàn bộ {old} ({_num(km2, lang)} km²) vào đơn vị này. "
                f"Biên bản thay đổi của TCTK ghi nhập toàn bộ ({given} km²); units_lineage.csv ghi "
                "một phần sang Cường Lợi. Hai nguồn khác nhau."
            )
        return (
            f"Approximate boundary: the whole of {old} ({_num(km2, lang)} km²) is drawn here. "
            f"The GSO change record says all of it ({given} km²) joined; units_lineage.csv says "
            "part went to Cường Lợi. The sources disagree."
        )
    if split.rule == "whole":
        if lang == "vi":
            return (
                f"Ranh giới gần đúng: units_lineage.csv ghi đơn vị này nhận một phần {old}, biên "
                "bản thay đổi của TCTK ghi không; phần đó (nếu có) không được vẽ vào đây."
            )
        return (
            f"Approximate boundary: units_lineage.csv says this unit received part of {old}; "
            "the GSO change record says it did not. That part (if any) is not drawn here."
        )
    if lang == "vi":
        given = f"; NQ 855: {_num(official, lang)} km²" if official else ""
        return (
            f"Ranh giới gần đúng: gồm một phần {old}, cắt theo ranh giới năm 2025 "
            f"({_num(km2, lang)} km²{given})."
        )
    given = f"; NQ 855 gives {_num(official, lang)} km²" if official else ""
    return (
        f"Approximate boundary: includes part of {old}, cut along the 2025 boundary "
        f"({_num(km2, lang)} km²{given})."
    )


@functools.cache
def _names_2019() -> dict[str, str]:
    units = units_of("2019")
    return dict(zip(units["code"], units["name"], strict=True))


def build_2020(*, out: str | os.PathLike[str] | None = None) -> gpd.GeoDataFrame:
    """Derive the polygons of the 108 units of 2020 from the 2019 polygons and the lineage.

    Parameters
    ----------
    out
        Write the result (layers ``communes`` and ``pieces``) to this
        GeoPackage, atomically.

    Returns
    -------
    GeoDataFrame
        108 units in EPSG:4326 in the schema of the 2019 layer, plus
        ``approximate``, ``approx_note``, ``approx_note_en`` and ``predecessors``.
        ``attrs["pieces"]`` holds the pieces layer.
    """
    from bkmap._progress import progress

    old = gpd.read_file(datasets.path("communes_2019"), layer="communes")
    new25 = gpd.read_file(datasets.path("communes_2025"), layer="communes")
    shape25 = dict(zip(new25["code"], new25.geometry, strict=True))
    step20 = dict(_steps()["2020"].itertuples(index=False, name=None))
    step25 = dict(_steps()["2025"].itertuples(index=False, name=None))
    census = load_population()
    units20 = units_of("2020").set_index("code")

    piece_rows: list[dict[str, object]] = []
    for rec in progress(old.itertuples(index=False), total=len(old), desc="2020 polygons"):
        code = str(rec.code)
        split = _SPLIT_BY_CODE.get(code)
        if split is None:
            piece_rows.append(
                {
                    "code_2019": code,
                    "code_2020": step20[code],
                    "rule": "whole_unit",
                    "population_share": 1.0,
                    "geometry": rec.geometry,
                }
            )
            continue
        shares = _split_pop_shares(split, census.get(code))
        if split.rule == "whole":
            cut = {split.parts[0][0]: rec.geometry}
        else:
            targets = [(p[0], shape25[step25[p[0]]]) for p in split.parts]
            cut = _split_polygon(rec.geometry, targets)
        for (new_code, _km, _pop), share in zip(split.parts, shares, strict=True):
            geom = cut.get(new_code, shapely.Polygon())
            piece_rows.append(
                {
                    "code_2019": code,
                    "code_2020": new_code,
                    "rule": split.rule,
                    "population_share": share,
                    "geometry": geom,
                }
            )
    pieces_frame = gpd.GeoDataFrame(piece_rows, geometry="geometry", crs=old.crs)
    pieces_frame["area_km2"] = pieces_frame.to_crs(settings.metric_crs).area / 1e6
    pieces_frame["approximate"] = pieces_frame["rule"].ne("whole_unit")

    notes: dict[str, tuple[list[str], list[str]]] = {}
    for split in SPLITS:
        for new_code, *_ in split.parts:
            piece = pieces_frame[
                pieces_frame["code_2019"].eq(split.old_code)
                & pieces_frame["code_2020"].eq(new_code)
            ]
            km2 = float(piece["area_km2"].iloc[0]) if len(piece) else 0.0
            if split.rule == "whole" and new_code != split.parts[0][0]:
                km2 = 0.0
            vi, en = notes.setdefault(new_code, ([], []))
            vi.append(_note(split, new_code, km2, "vi"))
            en.append(_note(split, new_code, km2, "en"))

    rows = []
    for code20, group in pieces_frame.groupby("code_2020", sort=True):
        unit = units20.loc[code20]
        geom = shapely.union_all([g for g in group.geometry if not g.is_empty])
        geom = shapely.make_valid(geom)
        if geom.geom_type == "Polygon":
            geom = shapely.MultiPolygon([geom])
        vi, en = notes.get(str(code20), ([], []))
        rows.append(
            {
                "code": code20,
                "valid_from": unit["valid_from"],
                "valid_to": unit["valid_to"],
                "name": unit["name"],
                "unit_type": unit["unit_type"],
                "district_code": unit["district_code"],
                "district": unit["district"],
                "province_code": unit["province_code"],
                "province": unit["province"],
                "predecessors": ";".join(sorted(group["code_2019"])),
                "approximate": bool(vi),
                "approx_note": " ".join(vi),
                "approx_note_en": " ".join(en),
                "geometry": geom,
            }
        )
    communes = gpd.GeoDataFrame(rows, geometry="geometry", crs=old.crs)
    if len(communes) != len(units20):
        msg = f"derived {len(communes)} units of 2020, expected {len(units20)}"
        raise ValidationError(msg)
    if out is not None:
        from bkmap.io.tables import atomic_path

        with atomic_path(out) as tmp:
            # GDAL wants a .gpkg name; write beside the temporary file, then move onto it.
            gpkg = tmp.with_name(tmp.name + ".gpkg")
            try:
                communes.to_file(gpkg, layer="communes", driver="GPKG", engine="pyogrio")
                pieces_frame.to_file(gpkg, layer="pieces", driver="GPKG", engine="pyogrio")
                os.replace(gpkg, tmp)
            finally:
                gpkg.unlink(missing_ok=True)
    communes.attrs["pieces"] = pieces_frame
    communes.attrs["version"] = "2020"
    return communes


def _read_derived(layer: str) -> gpd.GeoDataFrame:
    return gpd.read_file(datasets.path("communes_2020"), layer=layer, engine="pyogrio")


# --------------------------------------------------------------------------- pieces & crosswalks


@functools.cache
def _pieces_cached() -> pd.DataFrame:
    frame = _read_derived("pieces")
    census = load_population()
    step25 = dict(_steps()["2025"].itertuples(index=False, name=None))
    out = pd.DataFrame(
        {
            "code_2019": frame["code_2019"],
            "code_2020": frame["code_2020"],
            "code_2023": frame["code_2020"],
            "code_2025": frame["code_2020"].map(step25),
            "rule": frame["rule"],
            "approximate": frame["approximate"].astype(bool),
            "area_km2": frame["area_km2"].astype(float),
            "population_share": frame["population_share"].astype(float),
        }
    )
    out["population"] = out["code_2019"].map(census).astype(float) * out["population_share"]
    return out


def pieces() -> pd.DataFrame:
    """Return the atomic pieces: each part of a 2019 unit, with its unit in every later version.

    Columns: ``code_2019, code_2020, code_2023, code_2025, rule, approximate,
    area_km2, population_share, population``. Every unit of every version is
    a union of pieces, so any crosswalk is a sum over them.
    """
    return _pieces_cached().copy()


def _version_units(version: str, *, whole_province: bool = False) -> pd.DataFrame:
    units = units_of(version, whole_province=whole_province)
    return units.set_index("code")


def crosswalk(
    from_version: str,
    to_version: str,
    *,
    method: Literal["lineage", "overlay"] = "lineage",
    min_share: float = 0.0,
) -> pd.DataFrame:
    """Map the units of one version to those of the same or a later one.

    Parameters
    ----------
    from_version, to_version
        Version names (``"2019"``, ``"2020"``, ``"2023"``, ``"2025"``).
    method
        ``"lineage"``: the official lineage, with area shares from the derived
        pieces (exact for whole units; by the documented rule for split ones).
        ``"overlay"``: intersect the polygons of the two versions (EPSG:3405);
        the shares are computed on the overlap, so a unit's shares sum to 1
        even where the two surveys disagree about its outline.
    min_share
        With ``"overlay"``: drop parts below this area share (slivers from the
        survey mismatch), then rescale the rest to sum to 1.

    Returns
    -------
    DataFrame
        One row per (old unit, new unit) part: ``from_code, from_valid_from,
        from_name, to_code, to_valid_from, to_name, area_km2, area_share,
        population, population_share, approximate, official``. ``official``
        says whether the pair is in the lineage. Population is the 2019 census
        (split communes shared by the official figures, see :data:`SPLITS`);
        with ``"overlay"`` it is shared in proportion to area.

    Examples
    --------
    >>> cw = crosswalk("2019", "2025")
    >>> len(cw), cw.groupby("from_code")["area_share"].sum().round(6).eq(1).all()
    (124, np.True_)
    """
    names = [v.name for v in VERSIONS]
    a, b = _version_name(from_version), _version_name(to_version)
    if names.index(b) < names.index(a):
        msg = f"crosswalk: {to_version!r} comes before {from_version!r}; give the older version first."
        raise ValidationError(msg)
    if method not in ("lineage", "overlay"):
        msg = f"crosswalk: method={method!r} is unknown. Use 'lineage' or 'overlay'."
        raise ValidationError(msg)
    old_units = _version_units(a)
    new_units = _version_units(b)
    lineage = _lineage_crosswalk(a, b)
    if method == "overlay":
        frame = _overlay_crosswalk(a, b, min_share=min_share)
        official = set(zip(lineage["from_code"], lineage["to_code"], strict=True))
        frame["official"] = [
            (f, t_) in official for f, t_ in zip(frame["from_code"], frame["to_code"], strict=True)
        ]
        approx = lineage.groupby("from_code")["approximate"].any()
        frame["approximate"] = frame["from_code"].map(approx).fillna(False).astype(bool)
    else:
        frame = lineage
        frame["official"] = True
    frame.insert(1, "from_valid_from", frame["from_code"].map(old_units["valid_from"]))
    frame.insert(2, "from_name", frame["from_code"].map(old_units["name"]))
    frame.insert(4, "to_valid_from", frame["to_code"].map(new_units["valid_from"]).fillna(""))
    frame.insert(5, "to_name", frame["to_code"].map(new_units["name"]).fillna(""))
    frame.attrs.update({"from_version": a, "to_version": b, "method": method})
    return frame.reset_index(drop=True)


def _lineage_crosswalk(a: str, b: str) -> pd.DataFrame:
    base = pieces()
    col_a, col_b = f"code_{a}", f"code_{b}"
    if a == b:
        col_b = "code_same"
        base[col_b] = base[col_a]
    grouped = (
        base.groupby([col_a, col_b], sort=True)
        .agg(
            area_km2=("area_km2", "sum"),
            population=("population", "sum"),
            approximate=("approximate", "any"),
        )
        .reset_index()
        .rename(columns={col_a: "from_code", col_b: "to_code"})
    )
    totals = grouped.groupby("from_code")[["area_km2", "population"]].transform("sum")
    grouped["area_share"] = grouped["area_km2"] / totals["area_km2"]
    grouped["population_share"] = grouped["population"] / totals["population"]
    # A split commune's later unit is approximate wherever it went (the flag follows the pieces).
    return grouped[
        [
            "from_code",
            "to_code",
            "area_km2",
            "area_share",
            "population",
            "population_share",
            "approximate",
        ]
    ]


def _polygons(version: str) -> gpd.GeoDataFrame:
    from bkmap.io.boundaries import read_communes

    return read_communes(on=version_date(version))


def _overlay_crosswalk(a: str, b: str, *, min_share: float) -> pd.DataFrame:
    old = _polygons(a)[["code", "geometry"]].to_crs(settings.metric_crs)
    new = _polygons(b)[["code", "geometry"]].to_crs(settings.metric_crs)
    inter = gpd.overlay(
        old.rename(columns={"code": "from_code"}),
        new.rename(columns={"code": "to_code"}),
        how="intersection",
        keep_geom_type=True,
    )
    inter["area_km2"] = inter.area / 1e6
    frame = inter.groupby(["from_code", "to_code"], sort=True)["area_km2"].sum().reset_index()
    frame = frame[frame["area_km2"].gt(0)]
    share = frame["area_km2"] / frame.groupby("from_code")["area_km2"].transform("sum")
    frame = frame[share.ge(min_share)].copy()
    frame["area_share"] = frame["area_km2"] / frame.groupby("from_code")["area_km2"].transform(
        "sum"
    )
    pop = pieces().groupby(f"code_{a}")["population"].sum()
    frame["population"] = frame["from_code"].map(pop) * frame["area_share"]
    frame["population_share"] = frame["area_share"]
    return frame


def survey_disagreement() -> tuple[dict[str, float], pd.DataFrame]:
    """Measure how far the 2019 and 2025 surveys disagree about the same ground.

    Each unit of 2025 that covers former Bắc Kạn is compared with the union of
    its 2019 pieces (:func:`pieces`), in EPSG:3405.

    Returns
    -------
    (dict, DataFrame)
        Province figures: ``area_2019_km2``, ``area_2025_km2``,
        ``symdiff_km2`` and ``symdiff_share`` (symmetric difference / mean of
        the two areas), for the outline and, summed, for the 37 units
        (``units_symdiff_km2``, ``units_symdiff_share``). Per unit: ``code,
        name, area_2019_km2, area_2025_km2, symdiff_km2, symdiff_share``.
    """
    old = _polygons("2019").to_crs(settings.metric_crs)
    new = _polygons("2025").to_crs(settings.metric_crs)
    base = pieces()
    derived = _read_derived("pieces").to_crs(settings.metric_crs)
    derived["code_2025"] = base["code_2025"].to_numpy()
    rows = []
    for code, group in derived.groupby("code_2025", sort=True):
        mine = shapely.union_all(group.geometry.to_numpy())
        theirs = new.loc[new["code"].eq(code)]
        geom = theirs.geometry.iloc[0]
        sym = float(shapely.symmetric_difference(mine, geom).area) / 1e6
        area_a, area_b = float(mine.area) / 1e6, float(geom.area) / 1e6
        rows.append(
            {
                "code": code,
                "name": theirs["name"].iloc[0],
                "area_2019_km2": area_a,
                "area_2025_km2": area_b,
                "symdiff_km2": sym,
                "symdiff_share": sym / ((area_a + area_b) / 2),
            }
        )
    per_unit = pd.DataFrame(rows)
    outline_a, outline_b = old.union_all(), new.union_all()
    sym = float(shapely.symmetric_difference(outline_a, outline_b).area) / 1e6
    area_a, area_b = float(outline_a.area) / 1e6, float(outline_b.area) / 1e6
    figures = {
        "area_2019_km2": area_a,
        "area_2025_km2": area_b,
        "symdiff_km2": sym,
        "symdiff_share": sym / ((area_a + area_b) / 2),
        "units_symdiff_km2": float(per_unit["symdiff_km2"].sum()),
        "units_symdiff_share": float(per_unit["symdiff_km2"].sum())
        / float(per_unit["area_2025_km2"].sum()),
    }
    return figures, per_unit


def check_overlay_lineage() -> pd.DataFrame:
    """List the 2019 units whose largest overlap with the 2025 polygons is not their successor.

    Returns the exceptions: ``from_code, from_name, official_to, largest_to,
    largest_share``. An empty frame means the polygon overlay agrees with the
    official lineage everywhere. A split commune counts as agreeing when its
    largest overlap is any of its official successors.
    """
    over = crosswalk("2019", "2025", method="overlay")
    lineage = crosswalk("2019", "2025")
    official = lineage.groupby("from_code")["to_code"].agg(lambda s: ";".join(sorted(s)))
    top = over.sort_values("area_share", ascending=False).drop_duplicates("from_code")
    rows = []
    for rec in top.itertuples(index=False):
        if rec.to_code not in official[rec.from_code].split(";"):
            rows.append(
                {
                    "from_code": rec.from_code,
                    "from_name": rec.from_name,
                    "official_to": official[rec.from_code],
                    "largest_to": rec.to_code,
                    "largest_share": rec.area_share,
                }
            )
    return pd.DataFrame(
        rows, columns=["from_code", "from_name", "official_to", "largest_to", "largest_share"]
    )


# --------------------------------------------------------------------------- carrying status

_register_more = {
    "v_part_disputed": {
        "vi": "{name} (hai nguồn khác nhau về việc nhập toàn bộ)",
        "en": "{name} (the sources disagree whether all of it joined)",
    },
    "v_approx_status": {
        "vi": "Gần đúng: gồm {parts}, xã bị chia năm 2020; trạng thái của cả xã cũ được tính cho "
        "phần đó.",
        "en": "Approximate: includes {parts}, a commune split in 2020; the former commune's "
        "status is counted for that part.",
    },
}
register(_register_more)

_KEYS: tuple[str, ...] = (*(ind.column for ind in INDICATORS), OVERALL)


def _status_by_code(status: pd.DataFrame) -> pd.DataFrame:
    """Match a 2019 status table to the 2019 units; one row per 2019 unit, gaps filled."""
    from bkmap._errors import MatchError
    from bkmap.join import match_rows

    units = units_of("2019")
    table = status.copy()
    for col in ("code", "name", "district", "note", "as_of"):
        if col not in table.columns:
            table[col] = ""
    result = match_rows(table, units[["code", "name", "district"]])
    source = status.attrs.get("source", "status table")
    collect(
        result.problems, header=f"{source}: rows cannot be matched unambiguously:", cls=MatchError
    )
    if len(result.unmatched):
        log.warning(
            "%s: %d row(s) match no unit of 2019 and are not carried: rows %s",
            source,
            len(result.unmatched),
            ", ".join(map(str, result.unmatched["row"].head(10))),
        )
    cols = [c for ind in INDICATORS for c in (ind.column, ind.source_column, ind.confidence_column)]
    matched = result.matched.set_index("matched_code")
    out = units.set_index("code")[["name", "unit_type"]].copy()
    in_programme = out["unit_type"].isin(PROGRAMME_TYPES)
    for col in cols:
        if col in matched.columns:
            out[col] = matched[col].reindex(out.index).fillna("").astype(str)
        else:
            out[col] = ""
    for ind in INDICATORS:
        missing = out[ind.column].eq("")
        out.loc[missing & in_programme, ind.column] = "unknown"
        out.loc[missing & ~in_programme, ind.column] = "not_applicable"
        out.loc[missing, ind.source_column] = "no_row"
        # The criterion does not apply to phường and thị trấn, whatever a cell says.
        out.loc[~in_programme, ind.column] = "not_applicable"
    out["note"] = (
        matched["note"].reindex(out.index).fillna("").astype(str) if "note" in matched else ""
    )
    out[OVERALL] = overall(out)
    out["in_programme"] = in_programme & ~out[[i.column for i in INDICATORS]].eq(
        "not_applicable"
    ).all(axis=1)
    as_of = ""
    if "as_of" in table.columns:
        days = table["as_of"].replace("", pd.NA).dropna().unique()
        as_of = str(days[0]) if len(days) == 1 else ""
    out.attrs["as_of"] = as_of or status.attrs.get("as_of", "")
    return out


def _combine(values: Sequence[str]) -> str:
    """Combine the values of the parts of a merged unit (rule of :func:`carry`)."""
    if not values:
        return "unknown"
    if any(v == "not_met" for v in values):
        return "not_met"
    if all(v == "met" for v in values):
        return "met"
    return "unknown"


def _join_list(items: Sequence[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + t("v_and", lang) + items[-1]


def carry(
    status: pd.DataFrame,
    *,
    to: str,
    population_share: bool = True,
    not_applicable: Literal["ignore", "unknown"] = "ignore",
    whole_province: bool = False,
    lang: str | None = None,
) -> pd.DataFrame:
    """Roll a 2019 status table up to the units of a later version.

    Rules, for each indicator and the overall result, over the 2019 parts of
    each new unit (from :func:`crosswalk`, official lineage):

    - a new phường or thị trấn is ``not_applicable`` (outside the programme);
    - otherwise the parts that were xã in the programme decide: ``not_met``
      when any part was not met (the known parts already decide), ``met`` when
      all parts were met, ``unknown`` otherwise. ``unknown`` never becomes
      known by itself;
    - parts that were phường or thị trấn in 2019 had no criterion-8 value. By
      default (``not_applicable="ignore"``) they neither block nor help, and the
      lineage names them; with ``"unknown"`` each counts as an unknown part, so
      such a unit can be at best ``unknown``;
    - a unit with no programme part at all is ``unknown``;
    - a part of a commune split in 2020 (:data:`SPLITS`) carries the status of
      the whole former commune, and its new unit is flagged ``approximate``.

    Parameters
    ----------
    status
        A status table of the 2019 units in the canonical schema
        (:mod:`bkmap.io.status`); rows are matched to units by code or name.
    to
        The version to carry it to: ``"2019"``, ``"2020"``, ``"2023"`` or ``"2025"``.
    population_share
        Add ``<column>_met_share`` columns: the share of the new unit's 2019
        census population living in parts that met it, and quote it in the
        lineage text.
    not_applicable
        How parts outside the programme combine (see above).
    whole_province
        With ``to="2025"``: add the 55 units of Thái Nguyên outside former
        Bắc Kạn, as ``unknown`` with a note saying they are outside the data.
    lang
        Language of the ``lineage`` and ``note`` texts (default: the setting).

    Returns
    -------
    DataFrame
        The canonical schema keyed on the new units (``code, valid_from, name,
        district, unit_type, c8_N, c8_N_source, c8_N_confidence, note, as_of``),
        plus ``c8``, ``lineage`` (text such as "3 of 4 former communes met 8.3
        in 2019 (78% of the population)"), ``approximate``, ``parts`` (2019
        codes), ``population`` and the shares. ``attrs["source"]`` and
        ``attrs["as_of"]`` are kept.

    Examples
    --------
    >>> from bkmap.io.status import load_status
    >>> rolled = carry(load_status(), to="2025")
    >>> len(rolled), rolled.set_index("code").at["01864", "c8_3"]
    (37, 'not_met')
    """
    lang = check_lang(lang)
    to = _version_name(to)
    if not_applicable not in ("ignore", "unknown"):
        msg = f"carry: not_applicable={not_applicable!r} is unknown. Use 'ignore' or 'unknown'."
        raise ValidationError(msg)
    old = _status_by_code(status)
    records: dict[str, dict[str, object]] = old.to_dict("index")
    cw = _lineage_crosswalk("2019", to)
    cw = cw[cw["area_share"].gt(0) | cw["population_share"].gt(0)]
    by_target: dict[str, list[dict[str, object]]] = {}
    for part in cw.to_dict("records"):
        by_target.setdefault(str(part["to_code"]), []).append(part)
    base = pieces()
    split_rule = {
        (str(k[0]), str(k[1])): str(v)
        for k, v in base.groupby(["code_2019", f"code_{to}"])["rule"].first().items()
    }
    unit_2019_from = dict(zip(*(units_of("2019")[c] for c in ("code", "valid_from")), strict=True))
    rows = []
    for unit in units_of(to).to_dict("records"):
        parts = by_target.get(str(unit["code"]), [])
        same_key = (
            len(parts) == 1
            and parts[0]["from_code"] == unit["code"]
            and unit_2019_from.get(str(unit["code"])) == unit["valid_from"]
            and not bool(parts[0]["approximate"])
        )
        rows.append(
            _carry_unit(
                unit,
                parts,
                records,
                split_rule=split_rule,
                same_key=same_key,
                population_share=population_share,
                not_applicable=not_applicable,
                lang=lang,
            )
        )
    frame = pd.DataFrame(rows)
    if whole_province and to == "2025":
        frame = pd.concat([frame, _outside_rows(lang)], ignore_index=True)
    frame["as_of"] = old.attrs["as_of"]
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    frame.attrs["source"] = f"{status.attrs.get('source', 'status table')} (carried to {to})"
    frame.attrs["as_of"] = old.attrs["as_of"]
    frame.attrs["version"] = to
    return frame


def _overall_of(values: Sequence[object]) -> str:
    """:func:`bkmap.model.criteria.overall` for one row of indicator values."""
    if any(v == "not_met" for v in values):
        return "not_met"
    if all(v == "met" for v in values):
        return "met"
    if all(v == "not_applicable" for v in values):
        return "not_applicable"
    return "unknown"


def _carry_unit(
    unit: dict[str, object],
    parts: list[dict[str, object]],
    old: dict[str, dict[str, object]],
    *,
    split_rule: dict[tuple[str, str], str],
    same_key: bool,
    population_share: bool,
    not_applicable: str,
    lang: str,
) -> dict[str, object]:
    code = str(unit["code"])
    row: dict[str, object] = {
        col: unit[col] for col in ("code", "valid_from", "name", "district", "unit_type")
    }
    codes = [str(p["from_code"]) for p in parts]
    pops = {str(p["from_code"]): float(p["population"]) for p in parts}  # type: ignore[arg-type]
    shares = {str(p["from_code"]): float(p["population_share"]) for p in parts}  # type: ignore[arg-type]
    total_pop = float(sum(pops.values()))
    programme = [c for c in codes if bool(old[c]["in_programme"])]
    outside = [c for c in codes if c not in programme]
    counted = programme + (outside if not_applicable == "unknown" else [])
    new_in_programme = unit["unit_type"] in PROGRAMME_TYPES or unit["unit_type"] == ""
    approx_codes = [c for c in codes if split_rule.get((c, code), "whole_unit") != "whole_unit"]

    for ind in INDICATORS:
        if same_key:
            for col in (ind.column, ind.source_column, ind.confidence_column):
                row[col] = old[codes[0]][col]
            continue
        part_values = [str(old[c][ind.column]) if c in programme else "unknown" for c in counted]
        value = _combine(part_values) if new_in_programme else "not_applicable"
        row[ind.column] = value
        if value in ("met", "not_met"):
            sources = [
                str(old[c][ind.source_column]) for c in programme if old[c][ind.column] == value
            ]
            row[ind.source_column] = "; ".join(dict.fromkeys(s for s in sources if s))
            row[ind.confidence_column] = "inferred"
        else:
            row[ind.source_column] = ""
            row[ind.confidence_column] = ""
    row[OVERALL] = _overall_of([row[ind.column] for ind in INDICATORS])
    for key in _KEYS if population_share else ():
        met_pop = sum(pops[c] for c in programme if old[c][key] == "met")
        row[f"{key}_met_share"] = met_pop / total_pop if total_pop else np.nan
    row["population"] = total_pop
    row["parts"] = ";".join(codes)
    row["approximate"] = bool(approx_codes)

    names = _names_2019()
    notes: list[str] = []
    if approx_codes:
        described = [
            t(
                "v_part_disputed" if split_rule.get((c, code)) == "whole" else "v_part_of",
                lang,
                name=names[c],
            )
            for c in approx_codes
        ]
        notes.append(t("v_approx_status", lang, parts=_join_list(described, lang)))
    if same_key:
        notes.append(str(old[codes[0]]["note"]))
    else:
        notes += [f"{names[c]}: {old[c]['note']}" for c in codes if old[c]["note"]]
    row["note"] = " ".join(n for n in notes if n)
    row["lineage"] = (
        ""
        if same_key
        else _lineage_text(
            codes,
            programme,
            outside,
            old,
            pops,
            shares,
            total_pop,
            population_share=population_share,
            not_applicable=not_applicable,
            lang=lang,
        )
    )
    return row


def _lineage_text(
    codes: Sequence[str],
    programme: Sequence[str],
    outside: Sequence[str],
    values: dict[str, dict[str, object]],
    pops: dict[str, float],
    shares: dict[str, float],
    total_pop: float,
    *,
    population_share: bool,
    not_applicable: str,
    lang: str,
) -> str:
    names = _names_2019()
    listed = [
        names[c] if shares.get(c, 1.0) >= 0.999 else t("v_part_of", lang, name=names[c])
        for c in codes
    ]
    head = t("v_formed_from", lang, n=len(codes), names=", ".join(listed))
    if not programme:
        return f"{head} {t('v_no_programme_part', lang)}."
    counted = list(programme) + (list(outside) if not_applicable == "unknown" else [])
    groups: dict[tuple[int, int, int, float], list[str]] = {}
    for key in _KEYS:
        met = [c for c in programme if values[c].get(key) == "met"]
        n_not = sum(1 for c in programme if values[c].get(key) == "not_met")
        n_unk = len(counted) - len(met) - n_not
        share = round(sum(pops[c] for c in met) / total_pop, 4) if total_pop else 0.0
        label = t("v_criterion", lang) if key == OVERALL else key.replace("c", "").replace("_", ".")
        groups.setdefault((len(met), n_not, n_unk, share), []).append(label)
    phrases = []
    for (n_met, n_not, n_unk, share), labels in groups.items():
        fields = {"met": n_met, "total": len(counted), "what": _join_list(labels, lang)}
        if population_share:
            text = t("v_met_group", lang, share=format_percent(share, lang, 0), **fields)
        else:
            text = t("v_met_group_nopop", lang, **fields)
        extra = []
        if n_not:
            extra.append(t("v_n_not_met", lang, n=n_not))
        if n_unk:
            extra.append(t("v_n_unknown", lang, n=n_unk))
        phrases.append(text + (", " + ", ".join(extra) if extra else ""))
    if outside:
        key = (
            "v_outside_programme_unknown" if not_applicable == "unknown" else "v_outside_programme"
        )
        phrases.append(t(key, lang, names=", ".join(names[c] for c in outside)))
    return f"{head} {'; '.join(phrases)}."


def _outside_rows(lang: str) -> pd.DataFrame:
    others = units_of("2025", whole_province=True)
    others = others[~others["from_bac_kan"].astype(bool)]
    note = t("v_outside_data", lang)
    frame = pd.DataFrame(
        {
            "code": others["code"].to_numpy(),
            "valid_from": others["valid_from"].to_numpy(),
            "name": others["name"].to_numpy(),
            "district": "",
            "unit_type": others["unit_type"].to_numpy(),
        }
    )
    for ind in INDICATORS:
        frame[ind.column] = "unknown"
        frame[ind.source_column] = "outside_data"
        frame[ind.confidence_column] = ""
    frame[OVERALL] = "unknown"
    frame["note"] = note
    frame["lineage"] = note
    frame["approximate"] = False
    frame["parts"] = ""
    frame["population"] = np.nan
    return frame
