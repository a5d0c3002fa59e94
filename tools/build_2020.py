"""Derive ``boundaries/bac_kan_2020.gpkg``: the 108 units of 2020 from the 2019 polygons.

A maintainer's build step; its output is committed. Run it from the project root::

    .venv/bin/python tools/build_2020.py

The rules (whole-unit merges dissolved, split communes cut along the 2025
boundary or given whole to one successor, every unit formed from part of a
commune flagged ``approximate``) are written in :mod:`bkmap.versions`; this
script only calls :func:`bkmap.versions.build_2020` and reports the checks.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import shapely

ROOT = Path(__file__).resolve().parents[1]
# A fixed GeoPackage timestamp, so that rebuilding on the same inputs gives the same bytes
# (see tools/build_data.py).
os.environ.setdefault("OGR_CURRENT_DATE", "2026-11-27T00:00:00Z")
sys.path.insert(0, str(ROOT))

from bkmap import settings  # noqa: E402
from bkmap.versions import DERIVED_2020, build_2020  # noqa: E402

log = logging.getLogger("build_2020")


def main() -> int:
    """Build the layer and print its coverage checks against the 2019 layer."""
    import geopandas as gpd

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    out = settings.boundaries_dir / DERIVED_2020
    communes = build_2020(out=out)
    old = gpd.read_file(settings.boundaries_dir / "bac_kan_2019.gpkg", layer="communes")
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
    flagged = communes.loc[communes["approximate"], ["code", "name", "approx_note_en"]]
    for rec in flagged.itertuples(index=False):
        sys.stdout.write(f"approximate {rec.code} {rec.name}: {rec.approx_note_en}\n")
    sys.stdout.write(f"wrote {out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
