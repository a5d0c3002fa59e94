"""The one CRS policy: deciding a layer's coordinate system, and the path every reader takes to EPSG:4326.

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

The rules of :func:`resolve_crs` hold for boundaries, national layers, point
layers and coordinate tables alike; only the area a layer is expected to lie in
(:class:`FitArea`) differs: Bắc Kạn for its communes, Vietnam for a national
layer, the map's communes for point layers.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.crs import ProjectedCRS
from pyproj.crs.coordinate_operation import TransverseMercatorConversion
from pyproj.exceptions import CRSError

from bkmap import datasets, settings
from bkmap._errors import InputError
from bkmap.i18n import msg as _msg

log = logging.getLogger(__name__)

__all__ = [
    "CANDIDATES",
    "FIT_BUFFER_M",
    "CrsDecision",
    "FitArea",
    "bac_kan",
    "extent_area",
    "parse_crs",
    "resolve_crs",
    "tm3_bac_kan",
    "vietnam",
]

# Wide enough for a layer that reaches past the province or was drawn on another survey (the
# shipped outlines differ by about 1.9 km), narrow against the wrong readings: UTM 48N and the TM-3
# zone 106°30' put the same numbers 1.5° of longitude (about 155 km) apart, UTM 49N 6°, and swapped
# axes thousands of kilometres away.
#: Vertices within this distance (metres) of Bắc Kạn's outline count as fitting it.
FIT_BUFFER_M: float = 25_000.0

# A majority: a commune layer of the province lies mostly inside it, while the wrong readings put
# none of it there (measured on the shipped communes given in the TM-3 zone).
#: Share of vertices that must fit for a candidate to be accepted.
MIN_FIT: float = 0.5

#: The official VN-2000 → WGS 84 transformation (coordinate-frame rotation).
VN2000_TO_WGS84 = "EPSG:6960"

# Enough to measure a share to about ±1.6 % (95 %, at a share of one half), and sampled at an even
# stride rather than at random, so the same file always gets the same decision.
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
        # On the VN-2000 datum, so that PROJ reaches WGS 84 through EPSG:6960 as for the EPSG
        # zones.
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
    # Web maps export metres in Web Mercator, often as GeoJSON without a crs member.
    ("WGS 84 / Pseudo-Mercator (EPSG:3857)", "EPSG:3857"),
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
        msg = _msg(
            "crs_not_crs",
            source=source,
            value=value,
            detail=exc,
            aliases=", ".join(sorted(CRS_ALIASES)),
        )
        raise InputError(msg) from exc


def _label(crs: CRS) -> str:
    if crs.name == tm3_bac_kan().name or crs.equals(tm3_bac_kan()):
        return "VN-2000 / TM-3 106°30' of Bắc Kạn (--crs vn2000-tm3)"
    # Only a near-certain match is named by its code: a loose one would print an EPSG number the
    # file does not declare.
    code = crs.to_epsg(min_confidence=90)
    if code:
        return f"{crs.name} (EPSG:{code})"
    return crs.name


@functools.lru_cache(maxsize=32)
def _transformer(crs: CRS) -> Transformer:
    # always_xy: EPSG:4326 and EPSG:4756 put latitude first, so without it every reading would be
    # swapped by the CRS itself; the swapped readings here are tried on purpose, in _fit.
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
        method = _msg(f"crs_method_{self.method}") if self.method in _METHODS else self.method
        text = f"{self.crs} ({method}"
        if self.swapped:
            text += _msg("crs_axes_swapped")
        text += "; " + _msg("crs_share", share=f"{self.fit:.0%}", area="Bắc Kạn") + ")"
        return f"{text}. {self.note}" if self.note else text


@functools.cache
def province_area() -> shapely.Geometry:
    """Bắc Kạn's outline buffered by :data:`FIT_BUFFER_M`, in EPSG:4326: the default fit area."""
    # Read here, not through bkmap.io.boundaries, which itself reads through this module.
    # Buffered in metres (EPSG:3405), never in degrees, and prepared: contains_xy is called on
    # thousands of points per candidate.
    province = datasets.read_layer("communes_2019", layer="province").to_crs(settings.metric_crs)
    area = gpd.GeoSeries([province.union_all().buffer(FIT_BUFFER_M)], crs=settings.metric_crs)
    geom = area.to_crs(settings.geographic_crs).iloc[0]
    shapely.prepare(geom)
    return geom


# A box, not the outline: a national layer need only land somewhere in Vietnam, and the wrong
# readings land far outside any box around it.
#: Vietnam's extent (with its islands), the fit area of national layers.
VIETNAM_BOX: tuple[float, float, float, float] = (102.1, 8.1, 117.9, 23.5)


@functools.cache
def vietnam_area() -> shapely.Geometry:
    """Vietnam's extent as a box in EPSG:4326, the fit area of national layers."""
    geom = shapely.box(*VIETNAM_BOX)
    shapely.prepare(geom)
    return geom


@dataclass(frozen=True)
class FitArea:
    """Where a layer is expected to lie, for :func:`resolve_crs`.

    Attributes
    ----------
    geometry
        The area, in EPSG:4326.
    name
        Its name in messages ("Bắc Kạn", "Vietnam", "the map's area").
    need
        The share of vertices that must fall inside for a reading to be trusted.
        Commune layers must lie mostly inside (0.5); point layers may reach far
        beyond (a national cell file), so any point inside will do (0).
    """

    geometry: shapely.Geometry
    name: str
    need: float = MIN_FIT

    def accepts(self, fit: float) -> bool:
        """Whether a reading with this share of vertices inside can be trusted."""
        # With need 0 at least one vertex must still fit: fit >= 0 would accept any reading.
        return fit >= self.need if self.need > 0 else fit > 0


def bac_kan(*, need: float = MIN_FIT) -> FitArea:
    """The default fit area: Bắc Kạn, buffered by :data:`FIT_BUFFER_M`."""
    return FitArea(province_area(), "Bắc Kạn", need)


def vietnam(*, need: float = MIN_FIT) -> FitArea:
    """The fit area of national layers: Vietnam's extent."""
    return FitArea(vietnam_area(), "Vietnam", need)


def extent_area(frame: gpd.GeoDataFrame, *, name: str, need: float = 0.0) -> FitArea:
    """A fit area around a layer's features (buffered by :data:`FIT_BUFFER_M`)."""
    metric = frame.to_crs(settings.metric_crs)
    # The envelope of the map's units, buffered in metres: points just outside a commune layer's
    # outline (a station across a border) still fit.
    area = gpd.GeoSeries(
        [shapely.union_all(metric.geometry.to_numpy()).envelope.buffer(FIT_BUFFER_M)],
        crs=settings.metric_crs,
    ).to_crs(settings.geographic_crs)
    geom = area.iloc[0]
    shapely.prepare(geom)
    return FitArea(geom, name, need)


def _sample(coords: np.ndarray) -> np.ndarray:
    if len(coords) <= _SAMPLE:
        return coords
    step = len(coords) / _SAMPLE
    return coords[(np.arange(_SAMPLE) * step).astype(int)]


def _fit(coords: np.ndarray, crs: CRS, area: shapely.Geometry, *, swapped: bool) -> float:
    """Share of the vertices that fall inside ``area`` when read in ``crs``."""
    if not len(coords):
        return 0.0
    xy = coords[:, ::-1] if swapped else coords
    if crs.is_geographic and crs.equals(CRS.from_epsg(4326)):
        lon, lat = xy[:, 0], xy[:, 1]
        # No transformation for WGS 84 itself; values outside the globe's ranges (metres read as
        # degrees) count as outside.
        ok = (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
        return float(np.mean(ok & shapely.contains_xy(area, lon, lat)))
    transformer = _transformer(crs)
    # errcheck=False: a point outside a candidate's domain becomes inf instead of raising, because
    # a wrong candidate must score, not fail; the non-finite results are dropped below.
    with np.errstate(all="ignore"):
        lon, lat = transformer.transform(xy[:, 0], xy[:, 1], errcheck=False)
    lon, lat = np.asarray(lon), np.asarray(lat)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return 0.0
    inside = np.zeros(len(lon), dtype=bool)
    inside[ok] = shapely.contains_xy(area, lon[ok], lat[ok])
    return float(inside.mean())


def _looks_like_degrees(coords: np.ndarray) -> bool:
    # Projected coordinates of Vietnam are never this small (eastings are hundreds of kilometres,
    # northings thousands), so coordinates all within ±180 are degrees.
    return bool(np.all(np.abs(coords) <= 180.0))


def _swap(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.copy()
    out[frame.geometry.name] = shapely.transform(frame.geometry.to_numpy(), lambda c: c[:, ::-1])
    return out


def _finish(
    frame: gpd.GeoDataFrame, crs: CRS, *, swapped: bool, decision: CrsDecision
) -> tuple[gpd.GeoDataFrame, CrsDecision]:
    out = _swap(frame) if swapped else frame
    # allow_override: the decision may replace a declaration that did not fit.
    out = out.set_crs(crs, allow_override=True)
    if not out.crs.equals(CRS.from_user_input(settings.geographic_crs)):
        out = out.to_crs(settings.geographic_crs)
    return out, dataclasses.replace(decision, target=crs)


def _range(coords: np.ndarray) -> str:
    x0, y0 = coords.min(axis=0)
    x1, y1 = coords.max(axis=0)
    fmt = "{:,.5f}" if _looks_like_degrees(coords) else "{:,.0f}"
    return (
        f"x from {fmt.format(x0)} to {fmt.format(x1)}, y from {fmt.format(y0)} to {fmt.format(y1)}"
    )


def _reading(label: str, swapped: bool, chosen: CRS) -> str:
    if not swapped:
        return label
    order = _msg("crs_lat_first" if chosen.is_geographic else "crs_north_first")
    return _msg("crs_reading_swapped", label=label, order=order)


#: Methods of a CRS decision that the catalogue words (crs_method_<name>).
_METHODS = ("declared", "detected", "corrected", "forced")


def resolve_crs(
    frame: gpd.GeoDataFrame,
    *,
    crs: str | CRS | None = None,
    source: str,
    area: FitArea | None = None,
) -> tuple[gpd.GeoDataFrame, CrsDecision]:
    """Decide a layer's coordinate system and return the layer in EPSG:4326: the one CRS policy.

    Every reader, of polygons, points and coordinate tables alike, takes this
    path. The rules, in order:

    1. A CRS the file declares (a ``.prj``, a GeoPackage's SRS; a table's
       ``lon``/``lat`` columns declare WGS 84) is used when the layer lies in the
       ``area`` under it. A ``--crs`` that differs is then not used, and the
       decision says so.
    2. Otherwise a ``--crs`` is used, when the layer lies (at least partly) in
       the area under it; when nothing lies there it is refused.
    3. Otherwise the readings that fit are tried: WGS 84 for degrees; VN-2000 /
       UTM 48N and 49N, Bắc Kạn's VN-2000 TM-3 zone and Web Mercator for metres;
       each as given and with its axes swapped. The reading that puts most
       vertices in the area wins, and the decision is a warning that names it
       (a declaration that did not fit is "corrected").
    4. A layer that lies outside the area under every reading is refused: the
       message gives its coordinate range and the ``--crs`` values to try.

    Parameters
    ----------
    frame
        A layer as read, with or without a CRS.
    crs
        The user's ``--crs``: an EPSG code, WKT, PROJ string or an alias of
        :data:`CRS_ALIASES`.
    source
        The file, for messages.
    area
        Where the layer is expected to lie: :func:`bac_kan` by default,
        :func:`vietnam` for national layers, or :func:`extent_area`.

    Returns
    -------
    (GeoDataFrame, CrsDecision)
        The layer in EPSG:4326 (axes swapped back when they were given in the
        wrong order), and the decision.

    Raises
    ------
    InputError
        The layer lies outside the area under every reading, or under the ``--crs`` given.

    Examples
    --------
    >>> from bkmap.io.boundaries import read_communes
    >>> vn2000 = read_communes().to_crs(tm3_bac_kan()).set_crs(None, allow_override=True)
    >>> back, decision = resolve_crs(vn2000, source="communes.shp")
    >>> decision.crs, decision.method
    ("VN-2000 / TM-3 106°30' of Bắc Kạn (--crs vn2000-tm3)", 'detected')
    """
    area = area or bac_kan()
    coords = shapely.get_coordinates(frame.geometry.to_numpy())
    # Non-finite coordinates (a point without a position) fit nowhere: kept, they would only lower
    # every reading's share.
    coords = _sample(coords[np.isfinite(coords).all(axis=1)])
    declared = CRS.from_user_input(frame.crs) if frame.crs is not None else None
    declared_label = _label(declared) if declared is not None else None
    given = parse_crs(crs, source=f"{source}: --crs") if crs is not None else None
    if not len(coords):
        # No coordinates, nothing to fit: the layer keeps what it was told, or WGS 84.
        target = declared or given or CRS.from_user_input(settings.geographic_crs)
        decision = CrsDecision(_label(target), "empty", False, 0.0, declared_label)
        return _finish(frame, target, swapped=False, decision=decision)

    # 1. A declaration that fits is kept.
    if declared is not None:
        fit = _fit(coords, declared, area.geometry, swapped=False)
        if area.accepts(fit):
            if given is not None and not given.equals(declared):
                note = _msg(
                    "crs_given_unused", given=_label(given), declared=declared_label, area=area.name
                )
                decision = CrsDecision(
                    declared_label or "",
                    "declared",
                    False,
                    fit,
                    declared_label,
                    {},
                    "warning",
                    note,
                )
            else:
                decision = CrsDecision(declared_label or "", "declared", False, fit, declared_label)
            return _finish(frame, declared, swapped=False, decision=decision)

    # 2. The user's --crs, when the layer lies in the area under it: as given, or with its
    # axes swapped (Vietnamese survey tables write X for the northing).
    if given is not None:
        fit = _fit(coords, given, area.geometry, swapped=False)
        # A forced CRS is refused only when nothing fits under it at all: the user's word is taken,
        # and a partial fit is reported, not overruled.
        fit_swapped = _fit(coords, given, area.geometry, swapped=True)
        swapped = fit_swapped > fit
        fit = max(fit, fit_swapped)
        if fit == 0:
            msg = _msg(
                "crs_given_outside",
                source=source,
                given=_label(given),
                area=area.name,
                range=_range(coords),
            )
            raise InputError(msg)
        notes = []
        if declared is not None:
            notes.append(
                _msg("crs_given_used", given=_label(given), declared=declared_label, area=area.name)
            )
        if swapped:
            notes.append(_msg("crs_read_as", reading=_reading(_label(given), True, given)))
        if not area.accepts(fit):
            notes.append(_msg("crs_given_partly", share=f"{fit:.0%}", area=area.name))
        decision = CrsDecision(
            _label(given),
            "forced",
            swapped,
            fit,
            declared_label,
            {},
            "warning" if notes else "ok",
            "; ".join(notes),
        )
        return _finish(frame, given, swapped=swapped, decision=decision)

    # 3. Every reading that could fit.
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
    fits = [_fit(coords, c, area.geometry, swapped=swapped) for _, c, swapped in tries]
    table = {
        (f"{label}, axes swapped" if swapped else label): fit
        # Reversed, so that where the declared CRS and a candidate share a label (a declared
        # EPSG:3405), the first try's figure is the one the table keeps.
        for (label, _, swapped), fit in reversed(list(zip(tries, fits, strict=True)))
    }
    # Ties go to the earliest try: the declaration before the candidates, the axes as given before
    # swapped, then CANDIDATES in their order.
    best = max(range(len(tries)), key=lambda i: (fits[i], -i))
    label, chosen, swapped = tries[best]
    best_fit = fits[best]

    # 4. Nothing fits anywhere.
    if best_fit == 0:
        tried = "; ".join(f"{k}: {v:.0%}" for k, v in table.items())
        if declared is not None:
            msg = _msg(
                "crs_declared_nothing_fits",
                source=source,
                declared=declared_label,
                area=area.name,
                range=_range(coords),
                tried=tried,
            )
        else:
            msg = _msg(
                "crs_undeclared_nothing_fits",
                source=source,
                area=area.name,
                range=_range(coords),
                tried=tried,
            )
        raise InputError(msg)
    reading = _reading(label, swapped, chosen)
    share = _msg("crs_share", share=f"{best_fit:.0%}", area=area.name)
    override = _msg("crs_override")
    if declared is not None and chosen.equals(declared) and not swapped:
        # Declared, partly inside, and nothing reads better.
        note = _msg("crs_declared_partly", declared=declared_label, share=share, area=area.name)
        method = "declared"
    elif declared is not None:
        method = "corrected"
        if chosen.equals(declared):
            note = _msg("crs_wrong_order", reading=reading, share=share) + " " + override
        else:
            note = _msg(
                "crs_declared_wrong",
                declared=declared_label,
                area=area.name,
                reading=reading,
                share=share,
            )
            note += " " + override
    else:
        method = "detected"
        note = _msg("crs_assumed", reading=reading, share=share) + " " + override
        if chosen.is_geographic:
            # The fit cannot tell VN-2000 degrees from WGS 84 degrees: the datums differ by about
            # 220 m here, far less than FIT_BUFFER_M, so the user is told how to say which.
            note += " " + _msg("crs_vn2000_degrees")
    if not area.accepts(best_fit):
        note += " " + _msg("crs_only", share=f"{best_fit:.0%}", area=area.name)
    decision = CrsDecision(
        _label(chosen), method, swapped, best_fit, declared_label, table, "warning", note
    )
    log.info("%s: %s", source, note)
    return _finish(frame, chosen, swapped=swapped, decision=decision)
