"""What ``bkmap units`` lists: the versions of the units, the units on a date, crosswalks.

Listing the versions and the units of a date needs only pandas, so that
``bkmap units`` starts fast; crosswalks and the survey comparison load the
polygons.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from bkmap._errors import ValidationError
from bkmap.i18n import msg as _msg
from bkmap.io.write import (
    TABLE_OUTPUT_SUFFIXES,
    atomic_path,
    check_suffix,
    write_csv,
    write_workbook,
)
from bkmap.model.units import parse_on, units_on, version_on, version_summary
from bkmap.notes import Outcome

__all__ = ["list_units"]


def list_units(
    *,
    on: str | None = None,
    whole_province: bool = False,
    crosswalk_pair: tuple[str, str] | None = None,
    method: str = "lineage",
    disagreement: bool = False,
    out: str | os.PathLike[str] | None = None,
    lang: str = "vi",
) -> Outcome:
    """List the versions, the units in force ``on`` a date, a crosswalk, or the survey comparison.

    Only one of ``on``, ``crosswalk_pair`` and ``disagreement`` may be given.
    With ``out`` (.csv or .xlsx) the listing is written there; otherwise the
    outcome's lines hold it as text.
    """
    if out is not None:
        check_suffix(out, TABLE_OUTPUT_SUFFIXES)
    # One listing per call: the options are refused together rather than one silently ignored.
    chosen = [x for x in (on, crosswalk_pair, disagreement or None) if x is not None]
    if len(chosen) > 1:
        msg = _msg("ver_only_one")
        raise ValidationError(msg)
    # --whole-province applies only to the units of a date from 2025-07-01; refused, never ignored.
    if whole_province and on is None:
        msg = _msg("ver_whole_needs_on")
        raise ValidationError(msg)
    if crosswalk_pair:
        # Lazy: crosswalks need the polygons (geopandas), the plain listings do not.
        from bkmap.versions.crosswalk import crosswalk

        frame = crosswalk(*crosswalk_pair, method=method)  # type: ignore[arg-type]
        header = (
            f"crosswalk {crosswalk_pair[0]} -> {crosswalk_pair[1]} ({method}): "
            f"{frame['from_code'].nunique()} units -> {frame['to_code'].nunique()} units, "
            f"{len(frame)} parts"
        )
    elif disagreement:
        # Lazy: as above.
        from bkmap.versions.crosswalk import survey_disagreement

        figures, frame = survey_disagreement()
        header = (
            f"outline: 2019 survey {figures['area_2019_km2']:.1f} km², 2025 survey "
            f"{figures['area_2025_km2']:.1f} km², symmetric difference "
            f"{figures['symdiff_km2']:.1f} km² ({figures['symdiff_share']:.2%}); 37 units: "
            f"{figures['units_symdiff_km2']:.1f} km² ({figures['units_symdiff_share']:.2%})"
        )
        # Rounded for display: areas to 0.001 km² (1,000 m²), shares to 0.1 %.
        frame = frame.round(3)
    elif on is not None:
        day = parse_on(on)
        version = version_on(day).name
        if whole_province and version != "2025":
            msg = _msg("opt_whole_province_on", on=day.isoformat(), version=version)
            raise ValidationError(msg)
        frame = units_on(day, whole_province=whole_province)
        cols = ["code", "valid_from", "valid_to", "name", "unit_type", "district", "from_bac_kan"]
        if version in ("2020", "2023"):
            # Lazy: the approximate flags are in the derived layer (geopandas).
            from bkmap.io.boundaries import communes_for

            derived = communes_for(version).set_index("code")
            frame["approximate"] = frame["code"].map(derived["approximate"]).fillna(False)
            note = "approx_note" if lang == "vi" else "approx_note_en"
            frame["approx_note"] = frame["code"].map(derived[note]).fillna("")
            cols += ["approximate", "approx_note"]
        frame = frame[cols]
        header = _msg("cli_units_on", count=len(frame), day=day.isoformat(), version=version)
    else:
        frame = version_summary()
        header = _msg("cli_versions", count=len(frame))
    if out is None:
        # Wide enough for the names and notes, and long enough for the 122 units of 2019 (or the 92
        # of Thái Nguyên), so the terminal listing is never elided with "...".
        with pd.option_context(
            "display.width", 200, "display.max_rows", 500, "display.max_colwidth", 60
        ):
            return Outcome(lines=[header, frame.to_string(index=False)])
    if Path(out).suffix.lower() == ".csv":
        path = write_csv(frame, out)
    else:
        # A workbook is written to a temporary file and moved into place: never half-written.
        with atomic_path(out) as tmp:
            write_workbook({"units" if on is not None else "versions": frame}, tmp, lang=lang)
        path = Path(out)
    return Outcome(written=[path], lines=[f"{header}; {_msg('cli_wrote', path=path.resolve())}"])
