"""Derive ``boundaries/bac_kan_2020.gpkg``: the 108 units of 2020 from the 2019 polygons.

A maintainer's build step; its output is committed. Run it from the project root::

    .venv/bin/python tools/build_2020.py

The rules (whole-unit merges dissolved, split communes cut along the 2025
boundary or given whole to one successor, every unit formed from part of a
commune flagged ``approximate``) are written in :mod:`bkmap.versions.layers`; this
script only calls :func:`bkmap.versions.layers.build_2020` and reports the checks.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import shapely

if TYPE_CHECKING:
    import geopandas as gpd

ROOT = Path(__file__).resolve().parents[1]
# A fixed GeoPackage timestamp, so that rebuilding on the same inputs gives the same bytes
# (see tools/build_data.py).
os.environ.setdefault("OGR_CURRENT_DATE", "2026-11-27T00:00:00Z")
sys.path.insert(0, str(ROOT))

from bkmap import settings  # noqa: E402
from bkmap.datasets import FILES  # noqa: E402
from bkmap.versions.layers import SPLITS, build_2020  # noqa: E402

log = logging.getLogger("build_2020")

#: A split piece whose drawn area differs from the official km² by more than this share is
#: flagged in boundaries/README.md (the 2019 polygons themselves differ from official areas
#: by a median of 1.8 %).
PIECE_TOLERANCE = 0.10


def _check_pieces(pieces: gpd.GeoDataFrame) -> None:
    """Print each split piece's drawn area (EPSG:3405) beside the change record's km²."""
    area = pieces.to_crs(settings.metric_crs).area / 1e6
    drawn = dict(zip(zip(pieces["code_2019"], pieces["code_2020"], strict=True), area, strict=True))
    for split in SPLITS:
        for code20, official, _pop in split.parts:
            km2 = drawn[(split.old_code, code20)]
            if official is None:
                sys.stdout.write(
                    f"piece {split.old_code}->{code20}: {km2:.2f} km², no official km²\n"
                )
                continue
            off = (km2 - official) / official
            flag = "  FLAG" if abs(off) > PIECE_TOLERANCE else ""
            sys.stdout.write(
                f"piece {split.old_code}->{code20}: drawn {km2:.2f} km², official {official:.2f} "
                f"km² ({off:+.1%}){flag}\n"
            )


def _check_projected(frame: gpd.GeoDataFrame) -> None:
    """Name the units that are valid as stored but invalid once projected to EPSG:3405."""
    metric = frame.to_crs(settings.metric_crs)
    for code, name, geom in zip(frame["code"], frame["name"], metric.geometry, strict=True):
        if not shapely.is_valid(geom):
            sys.stdout.write(
                f"invalid in EPSG:3405: {code} {name}: {shapely.is_valid_reason(geom)}\n"
            )


def main() -> int:
    """Build the layer and print its coverage checks against the 2019 layer."""
    import geopandas as gpd

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    out = ROOT / "boundaries" / FILES["communes_2020"].name
    communes, pieces = build_2020(out=out)
    old = gpd.read_file(ROOT / "boundaries" / FILES["communes_2019"].name, layer="communes")
    for label, frame in (("2019", old), ("2020", communes)):
        metric = frame.to_crs(settings.metric_crs)
        union = metric.union_all()
        edges = shapely.coverage_invalid_edges(metric.geometry.to_numpy())
        sys.stdout.write(
            f"{label}: {len(frame)} units, union {union.area / 1e6:.3f} km², "
            f"overlap {(metric.area.sum() - union.area) / 1e6:.3f} km², "
            f"invalid edges {shapely.length(edges).sum() / 1e3:.1f} km, "
            f"coverage valid {shapely.coverage_is_valid(metric.geometry.to_numpy())}\n"
        )
    _check_projected(communes)
    _check_pieces(pieces)
    flagged = communes.loc[communes["approximate"], ["code", "name", "approx_note_en"]]
    for rec in flagged.itertuples(index=False):
        sys.stdout.write(f"approximate {rec.code} {rec.name}: {rec.approx_note_en}\n")
    sys.stdout.write(f"wrote {out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
