"""Finding the coordinate system of a layer, and the one path every reader takes to EPSG:4326.

Files from Vietnamese offices are often in VN-2000 and often arrive without a
``.prj``. :func:`resolve_crs` decides which coordinate system a layer is in and
returns it in EPSG:4326, with a :class:`CrsDecision` that says what was
declared, what was assumed and why, and how to override it (``--crs``).

The decision is made by fit: the layer's vertices are transformed under each
candidate and the share that falls inside Bắc Kạn's outline (buffered by
:data:`FIT_BUFFER_M`) is measured. The candidates are

* for degrees: WGS 84 (EPSG:4326), as given and with latitude and longitude swapped;
* otherwise VN-2000 / UTM zone 48N (EPSG:3405), VN-2000 / UTM zone 49N
  (EPSG:3406) and Bắc Kạn's provincial VN-2000 / TM-3 zone (central meridian
  106°30', k = 0.9999, false easting 500 km; not in the EPSG registry, so it is
  built on the EPSG:4756 datum), each as given and with easting and northing swapped.

Every VN-2000 candidate reaches WGS 84 through the official 7-parameter
transformation EPSG:6960 ("VN-2000 to WGS 84 (2)", coordinate-frame rotation,
dX = -191.90441429 m, dY = -39.30318279 m, dZ = -111.45032835 m,
rX = -0.00928836", rY = 0.01975479", rZ = -0.00427372", dS = 0.252906278 ppm).
PROJ picks it from the EPSG database for any point in Vietnam's onshore area of
use; the tests check this against the operation itself. (Written as a PROJ
``+towgs84``, which uses the position-vector convention, the three rotations
change sign.)

A declared CRS is trusted unless the layer falls wholly outside the province
under it while another candidate fits: then the fitting one is used and the
decision is a warning that names both.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from pyproj.crs import ProjectedCRS
from pyproj.crs.coordinate_operation import TransverseMercatorConversion
from pyproj.exceptions import CRSError

from bkmap import settings
from bkmap._errors import InputError, collect

log = logging.getLogger(__name__)

__all__ = [
    "CANDIDATES",
    "FIT_BUFFER_M",
    "CrsDecision",
    "parse_crs",
    "points_from_table",
    "resolve_crs",
    "tm3_bac_kan",
]

#: Vertices within this distance (metres) of Bắc Kạn's outline count as fitting it.
FIT_BUFFER_M: float = 25_000.0

#: Share of vertices that must fit for a candidate to be accepted.
MIN_FIT: float = 0.5

#: The official VN-2000 → WGS 84 transformation (coordinate-frame rotation).
VN2000_TO_WGS84 = "EPSG:6960"

#: Up to this many vertices are sampled to measure a fit.
_SAMPLE = 4000


@functools.cache
def tm3_bac_kan() -> CRS:
    """Return VN-2000 / TM-3 zone of Bắc Kạn (central meridian 106°30', k = 0.9999).

    Examples
    --------
    >>> tm3_bac_kan().name
    'VN-2000 / TM-3 106-30 (Bắc Kạn)'
    """
    conversion = TransverseMercatorConversion(
        latitude_natural_origin=0.0,
        longitude_natural_origin=106.5,
        false_easting=500_000.0,
        false_northing=0.0,
        scale_factor_natural_origin=0.9999,
    )
    return ProjectedCRS(
        conversion=conversion,
        geodetic_crs=CRS.from_epsg(4756),
        name="VN-2000 / TM-3 106-30 (Bắc Kạn)",
    )


#: Short names accepted by ``--crs``, besides anything pyproj reads (EPSG:3405, WKT, PROJ).
CRS_ALIASES: dict[str, str] = {
    "wgs84": "EPSG:4326",
    "vn2000": "EPSG:4756",
    "vn2000-utm48": "EPSG:3405",
    "vn2000-utm-48n": "EPSG:3405",
    "utm48": "EPSG:3405",
    "vn2000-utm49": "EPSG:3406",
    "vn2000-utm-49n": "EPSG:3406",
    "utm49": "EPSG:3406",
    "vn2000-tm3": "tm3",
    "vn2000-tm3-106.5": "tm3",
    "vn2000-tm3-10630": "tm3",
    "tm3": "tm3",
    "tm3-bac-kan": "tm3",
}

#: Candidates for projected coordinates without a .prj: (label, CRS factory).
CANDIDATES: tuple[tuple[str, str], ...] = (
    ("VN-2000 / UTM zone 48N (EPSG:3405)", "EPSG:3405"),
    ("VN-2000 / UTM zone 49N (EPSG:3406)", "EPSG:3406"),
    ("VN-2000 / TM-3 106°30' of Bắc Kạn (--crs vn2000-tm3)", "tm3"),
)


def parse_crs(value: str | CRS, *, source: str = "--crs") -> CRS:
    """Read a ``--crs`` value: an alias (``vn2000-tm3``, ``utm48``), an EPSG code, WKT or PROJ.

    Raises
    ------
    InputError
        pyproj cannot read it; the message lists the aliases.
    """
    if isinstance(value, CRS):
        return value
    key = str(value).strip().lower()
    target = CRS_ALIASES.get(key, str(value).strip())
    if target == "tm3":
        return tm3_bac_kan()
    if re.fullmatch(r"\d{4,6}", target):
        target = f"EPSG:{target}"
    try:
        return CRS.from_user_input(target)
    except CRSError as exc:
        msg = (
            f"{source}: {value!r} is not a coordinate system ({exc}). Give an EPSG code "
            "(EPSG:4326, EPSG:3405 for VN-2000 / UTM 48N, EPSG:3406 for UTM 49N) or "
            f"one of {', '.join(sorted(CRS_ALIASES))}."
        )
        raise InputError(msg) from exc


def _label(crs: CRS) -> str:
    if crs.name == tm3_bac_kan().name or crs.equals(tm3_bac_kan()):
        return "VN-2000 / TM-3 106°30' of Bắc Kạn (--crs vn2000-tm3)"
    code = crs.to_epsg(min_confidence=90)
    if code:
        return f"{crs.name} (EPSG:{code})"
    return crs.name


@functools.lru_cache(maxsize=32)
def _transformer(crs: CRS) -> Transformer:
    return Transformer.from_crs(crs, settings.geographic_crs, always_xy=True)


@dataclass(frozen=True)
class CrsDecision:
    """What :func:`resolve_crs` decided about a layer's coordinate system.

    Attributes
    ----------
    crs
        The coordinate system the coordinates were read in (a label with its EPSG code).
    method
        ``forced`` (--crs), ``declared`` (the file's own), ``detected`` (no
        declaration; chosen by fit), ``corrected`` (the declaration did not fit
        and another candidate did) or ``empty`` (no coordinates).
    swapped
        Whether the two axes were given in the wrong order and were swapped.
    fit
        Share of vertices inside Bắc Kạn (buffered) under the chosen reading.
    declared
        The declared CRS, if any.
    candidates
        Fit of every candidate tried.
    severity
        ``ok``, ``info`` (an assumption was made) or ``warning``.
    note
        A sentence for the user: what was assumed and how to override it.
    target
        The pyproj CRS the coordinates were read in.
    """

    crs: str
    method: str
    swapped: bool = False
    fit: float = 1.0
    declared: str | None = None
    candidates: dict[str, float] = field(default_factory=dict)
    severity: str = "ok"
    note: str = ""
    target: CRS | None = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        """One line for reports."""
        text = f"{self.crs} ({self.method}"
        if self.swapped:
            text += ", axes swapped"
        text += f"; {self.fit:.0%} of vertices in Bắc Kạn)"
        return f"{text}. {self.note}" if self.note else text


@functools.cache
def _fit_area() -> shapely.Geometry:
    from bkmap.io.boundaries import read_province

    province = read_province().to_crs(settings.metric_crs)
    area = gpd.GeoSeries([province.union_all().buffer(FIT_BUFFER_M)], crs=settings.metric_crs)
    geom = area.to_crs(settings.geographic_crs).iloc[0]
    shapely.prepare(geom)
    return geom


def _sample(coords: np.ndarray) -> np.ndarray:
    if len(coords) <= _SAMPLE:
        return coords
    step = len(coords) / _SAMPLE
    return coords[(np.arange(_SAMPLE) * step).astype(int)]


def _fit(coords: np.ndarray, crs: CRS, *, swapped: bool) -> float:
    if not len(coords):
        return 0.0
    xy = coords[:, ::-1] if swapped else coords
    if crs.is_geographic:
        lon, lat = xy[:, 0], xy[:, 1]
        if crs.equals(CRS.from_epsg(4326)):
            ok = (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
            return float(np.mean(ok & shapely.contains_xy(_fit_area(), lon, lat)))
    transformer = _transformer(crs)
    with np.errstate(all="ignore"):
        lon, lat = transformer.transform(xy[:, 0], xy[:, 1], errcheck=False)
    lon, lat = np.asarray(lon), np.asarray(lat)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return 0.0
    inside = np.zeros(len(lon), dtype=bool)
    inside[ok] = shapely.contains_xy(_fit_area(), lon[ok], lat[ok])
    return float(inside.mean())


def _looks_like_degrees(coords: np.ndarray) -> bool:
    return bool(np.all(np.abs(coords) <= 180.0))


def _swap(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.copy()
    out[frame.geometry.name] = shapely.transform(frame.geometry.to_numpy(), lambda c: c[:, ::-1])
    return out


def _finish(
    frame: gpd.GeoDataFrame, crs: CRS, *, swapped: bool, decision: CrsDecision
) -> tuple[gpd.GeoDataFrame, CrsDecision]:
    out = _swap(frame) if swapped else frame
    out = out.set_crs(crs, allow_override=True)
    if not out.crs.equals(CRS.from_user_input(settings.geographic_crs)):
        out = out.to_crs(settings.geographic_crs)
    out.attrs.update(frame.attrs)
    decision = dataclasses.replace(decision, target=crs)
    out.attrs["crs_decision"] = decision
    return out, decision


def _range(coords: np.ndarray) -> str:
    x0, y0 = coords.min(axis=0)
    x1, y1 = coords.max(axis=0)
    fmt = "{:,.5f}" if _looks_like_degrees(coords) else "{:,.0f}"
    return (
        f"x from {fmt.format(x0)} to {fmt.format(x1)}, y from {fmt.format(y0)} to {fmt.format(y1)}"
    )


def resolve_crs(
    frame: gpd.GeoDataFrame,
    *,
    crs: str | CRS | None = None,
    source: str,
) -> tuple[gpd.GeoDataFrame, CrsDecision]:
    """Decide a layer's coordinate system and return the layer in EPSG:4326.

    This is the one path that boundary, point and table readers take.

    Parameters
    ----------
    frame
        A layer as read, with or without a CRS.
    crs
        Force the coordinate system (``--crs``): an EPSG code, WKT, PROJ string or
        an alias of :data:`CRS_ALIASES`. Overrides the file's declaration.
    source
        The file, for messages.

    Returns
    -------
    (GeoDataFrame, CrsDecision)
        The layer in EPSG:4326 (axes swapped when they were given in the wrong
        order), and the decision (also stored in ``attrs["crs_decision"]``).

    Raises
    ------
    InputError
        The layer has no CRS and fits none of the candidates; the message gives
        its coordinate range and the ``--crs`` values to try.

    Examples
    --------
    >>> from bkmap.io.boundaries import read_communes
    >>> vn2000 = read_communes().to_crs(tm3_bac_kan()).set_crs(None, allow_override=True)
    >>> back, decision = resolve_crs(vn2000, source="communes.shp")
    >>> decision.crs, decision.method
    ("VN-2000 / TM-3 106°30' of Bắc Kạn (--crs vn2000-tm3)", 'detected')
    """
    coords = shapely.get_coordinates(frame.geometry.to_numpy())
    coords = _sample(coords[np.isfinite(coords).all(axis=1)])
    declared = frame.crs
    declared_label = _label(declared) if declared is not None else None
    if crs is not None:
        forced = parse_crs(crs, source=f"{source}: --crs")
        fit = _fit(coords, forced, swapped=False)
        note = "" if fit else "The layer lies outside Bắc Kạn under this --crs: check the value."
        decision = CrsDecision(
            _label(forced),
            "forced",
            False,
            fit,
            declared_label,
            {},
            "ok" if fit else "warning",
            note,
        )
        if note:
            log.info("%s: %s", source, note)
        return _finish(frame, forced, swapped=False, decision=decision)
    if not len(coords):
        target = declared or CRS.from_user_input(settings.geographic_crs)
        decision = CrsDecision(_label(target), "empty", False, 0.0, declared_label)
        return _finish(frame, target, swapped=False, decision=decision)

    if declared is not None:
        fit = _fit(coords, declared, swapped=False)
        if fit >= MIN_FIT:
            decision = CrsDecision(declared_label or "", "declared", False, fit, declared_label)
            return _finish(frame, declared, swapped=False, decision=decision)
    tries: list[tuple[str, CRS, bool]] = []
    if declared is not None:
        tries += [(declared_label or "", declared, False), (declared_label or "", declared, True)]
    if _looks_like_degrees(coords):
        wgs84 = CRS.from_epsg(4326)
        tries += [("WGS 84 (EPSG:4326)", wgs84, False), ("WGS 84 (EPSG:4326)", wgs84, True)]
    else:
        for label, code in CANDIDATES:
            candidate = parse_crs(code)
            tries += [(label, candidate, False), (label, candidate, True)]
    results = [
        (
            f"{label}, axes swapped" if swapped else label,
            c,
            swapped,
            _fit(coords, c, swapped=swapped),
        )
        for label, c, swapped in tries
    ]
    fits = {name: fit for name, _, _, fit in reversed(results)}
    best = max(range(len(results)), key=lambda i: (results[i][3], -i))
    _, chosen, swapped, best_fit = results[best]
    label = tries[best][0]
    override = (
        "Override with --crs (for example --crs EPSG:3405, --crs vn2000-tm3 or --crs EPSG:4326)."
    )
    if best_fit < MIN_FIT and declared is None and _looks_like_degrees(coords):
        plain_ok = bool(np.all(np.abs(coords[:, 1]) <= 90.0))
        swapped_ok = bool(np.all(np.abs(coords[:, 0]) <= 90.0))
        use_swap = swapped_ok and not plain_ok
        wgs84 = CRS.from_epsg(4326)
        note = (
            f"No .prj: assumed WGS 84 degrees (EPSG:4326){' with latitude and longitude swapped' if use_swap else ''}; "
            f"only {best_fit:.0%} of the points are in or near Bắc Kạn. Override with --crs."
        )
        decision = CrsDecision(
            "WGS 84 (EPSG:4326)", "detected", use_swap, best_fit, None, fits, "warning", note
        )
        log.info("%s: %s", source, note)
        return _finish(frame, wgs84, swapped=use_swap, decision=decision)
    if best_fit < MIN_FIT:
        if declared is not None:
            note = (
                f"Under its declared {declared_label} the layer lies outside Bắc Kạn "
                f"({_range(coords)}), and no other reading fits either. Check the .prj, or {override[0].lower()}{override[1:]}"
            )
            decision = CrsDecision(
                declared_label or "",
                "declared",
                False,
                results[0][3],
                declared_label,
                fits,
                "warning",
                note,
            )
            return _finish(frame, declared, swapped=False, decision=decision)
        tried = "; ".join(f"{k}: {v:.0%}" for k, v in fits.items())
        msg = (
            f"{source}: the layer declares no coordinate system (no .prj), and its coordinates "
            f"({_range(coords)}) fit none of the candidates inside Bắc Kạn ({tried}). "
            "Give its coordinate system with --crs (for example --crs EPSG:3405 for VN-2000 / UTM 48N, "
            "--crs vn2000-tm3 for the provincial TM-3 zone 106°30', --crs EPSG:4326 for degrees), "
            "or export the layer again with its .prj."
        )
        raise InputError(msg)
    order = "latitude before longitude" if chosen.is_geographic else "northing before easting"
    axes = f" with its two axes swapped ({order})" if swapped else ""
    if declared is not None:
        method = "corrected"
        same = chosen.equals(declared)
        if same:
            note = f"The coordinates were given in the wrong order; read them{axes}. {override}"
        else:
            note = (
                f"The file declares {declared_label}, but under it the layer lies outside Bắc Kạn; "
                f"its coordinates fit {label}{axes} ({best_fit:.0%} of vertices), which was used. {override}"
            )
        severity = "warning"
    else:
        method = "detected"
        note = f"No .prj: assumed {label}{axes}, which puts {best_fit:.0%} of vertices in Bắc Kạn. {override}"
        severity = "warning" if swapped else "info"
        if chosen.is_geographic:
            note += " Degrees in the VN-2000 datum: --crs EPSG:4756."
    decision = CrsDecision(
        _label(chosen), method, swapped, best_fit, declared_label, fits, severity, note
    )
    log.info("%s: %s", source, note)
    return _finish(frame, chosen, swapped=swapped, decision=decision)


#: Header names (folded) of coordinate columns in a table: (x, y) pairs, most specific first.
COORDINATE_COLUMNS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("lon", "lng", "long", "longitude", "kinh do", "kinh_do"),
        ("lat", "latitude", "vi do", "vi_do"),
    ),
    (("x", "easting", "toa do x", "toa_do_x"), ("y", "northing", "toa do y", "toa_do_y")),
)


def coordinate_columns(frame: pd.DataFrame) -> tuple[str, str] | None:
    """Return the (x, y) column names of a table with coordinates, or ``None``."""
    from bkmap.model.names import fold

    folded = {fold(str(c)).replace("_", " "): c for c in frame.columns}
    for xs, ys in COORDINATE_COLUMNS:
        x = next((folded[k.replace("_", " ")] for k in xs if k.replace("_", " ") in folded), None)
        y = next((folded[k.replace("_", " ")] for k in ys if k.replace("_", " ") in folded), None)
        if x is not None and y is not None:
            return str(x), str(y)
    return None


def points_from_table(
    frame: pd.DataFrame,
    *,
    crs: str | CRS | None = None,
    source: str,
) -> tuple[gpd.GeoDataFrame, CrsDecision]:
    """Turn a table with coordinate columns into points in EPSG:4326, through :func:`resolve_crs`.

    Columns are found by :data:`COORDINATE_COLUMNS` (``lon``/``lat``, ``kinh độ``/``vĩ độ``,
    ``x``/``y``). Decimal commas are accepted.

    Raises
    ------
    ValidationError
        No coordinate columns, or rows whose coordinates are not numbers (each row listed).
    """
    columns = coordinate_columns(frame)
    if columns is None:
        msg = (
            f"{source}: no coordinate columns. Name them lon and lat (kinh độ, vĩ độ) for degrees, "
            "or x and y for VN-2000 metres."
        )
        raise InputError(msg)
    xcol, ycol = columns
    values = {}
    problems: list[str] = []
    for col in (xcol, ycol):
        text = frame[col].astype(str).str.strip().str.replace(",", ".", regex=False)
        number = pd.to_numeric(text, errors="coerce")
        for row in number.index[number.isna()]:
            problems.append(
                f"row {row}: {col} = {frame.at[row, col]!r} is not a number. Write it as a decimal number."
            )
        values[col] = number
    collect(problems, header=f"{source}: coordinates cannot be read:")
    points = gpd.GeoDataFrame(
        frame.copy(),
        geometry=shapely.points(values[xcol].to_numpy(), values[ycol].to_numpy()),
        crs=None,
    )
    return resolve_crs(points, crs=crs, source=source)
