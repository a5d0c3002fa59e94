"""The derived polygons of the 2020 units, and the pieces every crosswalk is built from.

No survey of the 2020 units is shipped, so :func:`build_2020` (run by
``tools/build_2020.py``; output ``boundaries/bac_kan_2020.gpkg``) derives them
from the 2019 polygons and the lineage tables:

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

Every 2020 unit that received part of a commune is flagged ``approximate`` and
carries ``approx_note`` (Vietnamese) and ``approx_note_en``. The layer also
holds a ``pieces`` layer: the 2019 × 2020 pieces (:func:`pieces`), of which
every unit of every version is a union.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from bkmap import datasets, settings
from bkmap._errors import ValidationError
from bkmap._progress import progress
from bkmap.i18n import register
from bkmap.io.write import atomic_path
from bkmap.model.units import (
    load_population,
    unit_names,
    units_of,
)

log = logging.getLogger(__name__)

__all__ = [
    "SLIVER_SHARE",
    "SPLITS",
    "Built2020",
    "Split",
    "build_2020",
    "pieces",
    "split_polygon",
]

# 5 %: the cut follows the 2025 survey while the commune is drawn from the 2019 one, and the two
# disagree along every boundary (6.67 % of the area unit by unit, boundaries/README.md), so parts
# below this are taken for survey mismatch rather than territory.
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
        # Official km² and people per successor, as the GSO change record states them (the main
        # successor first); None where no source gives a figure.
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

# One transformer, built once: the pieces are measured one shapely geometry at a time, outside
# GeoPandas.
_TO_METRIC = pyproj.Transformer.from_crs(
    settings.geographic_crs, settings.metric_crs, always_xy=True
)


def _metric(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(
        geom, lambda xy: np.column_stack(_TO_METRIC.transform(xy[:, 0], xy[:, 1]))
    )


def _km2(geom: BaseGeometry) -> float:
    return float(_metric(geom).area) / 1e6


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
        # Every split must be described in SPLITS with its rule; an undocumented one would silently
        # give a commune to one successor only.
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
    # All parts known: the official figures' own proportions, which need not add up to the 2019
    # census (Phong Huân: 653 + 200 = 853 people against the census's 847).
    if all(f is not None for f in figures):
        total = float(sum(f for f in figures if f is not None))
        return [float(f) / total for f in figures if f is not None]
    known = {i: f for i, f in enumerate(figures) if f is not None}
    # Some parts known: each known part's share of the 2019 census, capped at 1, and the rest
    # shared equally, since nothing tells how the unknown parts divide it.
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
    # make_valid may return lines or points where pieces only touch; only polygons are territory.
    parts = shapely.get_parts(shapely.make_valid(geom))
    return [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]


def split_polygon(
    poly: BaseGeometry, targets: Sequence[tuple[str, BaseGeometry]]
) -> dict[str, BaseGeometry]:
    """Cut ``poly`` among ``targets`` (code, 2025 polygon) by rule ``boundary_2025``."""
    total = _km2(poly)
    raw: list[tuple[str | None, BaseGeometry]] = []
    taken: BaseGeometry = shapely.Polygon()
    for code, target in targets:
        # Minus what earlier targets took, so that where two 2025 polygons overlap no ground is
        # given twice.
        part = shapely.difference(shapely.intersection(poly, target), taken)
        raw += [(code, p) for p in _explode(part)]
        taken = shapely.union(taken, part)
    # Ground of the commune inside neither 2025 unit (the surveys disagree at the edge) has no
    # owner yet: it goes with the slivers below.
    raw += [(None, p) for p in _explode(shapely.difference(poly, taken))]
    # Largest first, so that each successor keeps its largest part even when that part is under the
    # sliver share; only the smaller ones are treated as slivers.
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
            # Measured in metres, with a 1 m buffer: two parts that share a border touch only
            # within floating-point error, and the buffer turns that into a measurable length.
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
    # Vietnamese writes the decimal comma (13,37 km², as the change record does).
    return text.replace(".", ",") if lang == "vi" else text


def _note(split: Split, code: str, km2: float, lang: str) -> str:
    """The ``approx_note`` of a 2020 unit that received part of ``split``."""
    old = unit_names("2019").get(split.old_code, split.old_code)
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
    # The official km² are the GSO change record's (mapping_2019_to_2020.csv), not NQ 855's.
    if lang == "vi":
        given = f"; biên bản thay đổi của TCTK: {_num(official, lang)} km²" if official else ""
        return (
            f"Ranh giới gần đúng: gồm một phần {old}, cắt theo ranh giới năm 2025 "
            f"({_num(km2, lang)} km²{given})."
        )
    given = f"; the GSO change record gives {_num(official, lang)} km²" if official else ""
    return (
        f"Approximate boundary: includes part of {old}, cut along the 2025 boundary "
        f"({_num(km2, lang)} km²{given})."
    )


class Built2020(NamedTuple):
    """The derived layers of the 2020 units (:func:`build_2020`)."""

    #: 108 units in EPSG:4326 in the schema of the 2019 layer, plus ``approximate``,
    #: ``approx_note``, ``approx_note_en`` and ``predecessors``.
    communes: gpd.GeoDataFrame
    #: Each 2019 unit's piece in each 2020 unit, with its rule and population share.
    pieces: gpd.GeoDataFrame


def build_2020(*, out: str | os.PathLike[str] | None = None) -> Built2020:
    """Derive the polygons of the 108 units of 2020 from the 2019 polygons and the lineage.

    Parameters
    ----------
    out
        Write the result (layers ``communes`` and ``pieces``) to this
        GeoPackage, atomically. Every call with ``out`` writes, though the
        derivation itself is computed once per process.

    Returns
    -------
    Built2020
        The communes and the pieces they were made of (copies: the caller may change them).
    """
    communes, pieces_frame = _derive_2020()
    if out is not None:
        with atomic_path(out) as tmp:
            # GDAL wants a .gpkg name; write beside the temporary file, then move onto it.
            gpkg = tmp.with_name(tmp.name + ".gpkg")
            try:
                communes.to_file(gpkg, layer="communes", driver="GPKG", engine="pyogrio")
                pieces_frame.to_file(gpkg, layer="pieces", driver="GPKG", engine="pyogrio")
                os.replace(gpkg, tmp)
            finally:
                gpkg.unlink(missing_ok=True)
    return Built2020(communes.copy(), pieces_frame.copy())


# Cached without the output path, so that a second call that asks for a file still writes one.
@functools.cache
def _derive_2020() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    old = datasets.read_layer("communes_2019", layer="communes")
    new25 = datasets.read_layer("communes_2025", layer="communes")
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
            cut = split_polygon(rec.geometry, targets)
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
        # The union of pieces cut from different surveys can self-intersect; a unit is stored
        # valid.
        geom = shapely.make_valid(geom)
        # Every unit a MultiPolygon, so that the layer has one geometry type whatever the union
        # gave.
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
    # A missing or extra unit would leave a commune out of every 2020 map: stop the build instead.
    if len(communes) != len(units20):
        msg = f"derived {len(communes)} units of 2020, expected {len(units20)}"
        raise ValidationError(msg)
    return communes, pieces_frame


def read_derived(layer: str) -> gpd.GeoDataFrame:
    return datasets.read_layer("communes_2020", layer=layer)


# --------------------------------------------------------------------------- pieces & crosswalks


@functools.cache
def _pieces_cached() -> pd.DataFrame:
    frame = read_derived("pieces")
    census = load_population()
    step25 = dict(_steps()["2025"].itertuples(index=False, name=None))
    out = pd.DataFrame(
        {
            "code_2019": frame["code_2019"],
            "code_2020": frame["code_2020"],
            "code_2023": frame["code_2020"],
            # 2023 has the same codes as 2020 (only Vân Tùng's type changed), and every unit of
            # 2020-2025 merged whole into its 2025 successor (merger_2025_old_to_new.csv), so a
            # 2020 code decides the 2023 and 2025 codes.
            "code_2025": frame["code_2020"].map(step25),
            "rule": frame["rule"],
            "approximate": frame["approximate"].astype(bool),
            "area_km2": frame["area_km2"].astype(float),
            "population_share": frame["population_share"].astype(float),
        }
    )
    # The 2019 census is the one population figure shipped for every 2019 commune: pieces of later
    # units carry their share of it.
    out["population"] = out["code_2019"].map(census).astype(float) * out["population_share"]
    return out


def pieces() -> pd.DataFrame:
    """Return the atomic pieces: each part of a 2019 unit, with its unit in every later version.

    Columns: ``code_2019, code_2020, code_2023, code_2025, rule, approximate,
    area_km2, population_share, population``. Every unit of every version is
    a union of pieces, so any crosswalk is a sum over them.
    """
    # A copy: the cached frame is shared by every crosswalk of the process.
    return _pieces_cached().copy()
