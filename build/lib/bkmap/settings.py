"""Typed, documented settings shared by the whole package.

Each setting is a module global. A function argument left as ``None`` falls
back to the setting of the same name, so a notebook can change a default once::

    import bkmap.settings
    bkmap.settings.lang = "en"
"""

from __future__ import annotations

from pathlib import Path

#: Language of labels: ``"vi"`` (default) or ``"en"``.
lang: str = "vi"

#: Metric CRS for areas and distances: VN-2000 / UTM zone 48N.
metric_crs: str = "EPSG:3405"

#: CRS of every stored and displayed layer.
geographic_crs: str = "EPSG:4326"

#: Assessment date of the default status table.
default_as_of: str = "2019-08-12"

#: Default output path of ``bkmap map``.
default_map_path: Path = Path("bkmap_criterion8.html")

#: Score (0-100, rapidfuzz WRatio) at or above which a candidate is listed in a match report.
candidate_score_cutoff: float = 60.0

#: How many candidates a match report lists for an unmatched row.
candidate_limit: int = 3

#: Show progress bars: ``True``/``False``, or ``None`` to show them only on a terminal.
progress: bool | None = None
