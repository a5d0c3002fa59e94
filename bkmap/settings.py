"""Typed, documented settings shared by the whole package.

Each setting is a module global. A function argument left as ``None`` falls
back to the setting of the same name, so a notebook can change a default once::

    import bkmap.settings
    bkmap.settings.lang = "en"
"""

from __future__ import annotations

import os
from pathlib import Path

from bkmap._messages import MESSAGES

#: Language of labels: ``"vi"`` (default) or ``"en"``.
lang: str = "vi"

#: Language of the console (errors, notes, summaries, progress): ``"vi"`` (default) or ``"en"``.
#: The command line sets it from ``--lang``; a notebook may set it once; the environment
#: variable ``BKMAP_CONSOLE_LANG`` sets the default (an unknown value is ignored).
console_lang: str = (
    os.environ.get("BKMAP_CONSOLE_LANG", "vi")
    if os.environ.get("BKMAP_CONSOLE_LANG") in ("vi", "en")
    else "vi"
)

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

# Limits on what a reader takes in, so that a hostile or broken file (an .xlsx "zip
# bomb": 200 KB on disk, 200 MB in one cell) fails at once with a clear error instead of
# using all memory and CPU. On the command line: ``bkmap --limit NAME=VALUE <command>``
# or the environment variable ``BKMAP_LIMITS="NAME=VALUE,..."``, with the names of
# :data:`LIMITS`.

#: Largest total uncompressed size of an .xlsx/.xlsm file's parts, checked before parsing.
max_xlsx_uncompressed_bytes: int = 200_000_000

#: Largest compression ratio of one part of an .xlsx file above 10 MB uncompressed (real
#: sheets compress 5-30 times; a zip bomb hundreds or thousands of times).
max_xlsx_compression_ratio: float = 100.0

#: Most data rows in one table (CSV or sheet).
max_table_rows: int = 2_000_000

#: Most characters in one field (a table's cell, a vector layer's attribute).
max_field_chars: int = 10_000

#: The limits by the names ``--limit`` and ``BKMAP_LIMITS`` use.
LIMITS: dict[str, str] = {
    "xlsx-bytes": "max_xlsx_uncompressed_bytes",
    "xlsx-ratio": "max_xlsx_compression_ratio",
    "rows": "max_table_rows",
    "field-chars": "max_field_chars",
}


def limit_hint(name: str, *, value: float | None = None) -> str:
    """How to raise the limit ``name`` (a key of :data:`LIMITS`), in one sentence for an error.

    Examples
    --------
    >>> limit_hint("rows", value=5000000)
    'If the file is genuine, raise the limit: `bkmap --limit rows=5000000 <command> ...`, or BKMAP_LIMITS=rows=5000000, or bkmap.settings.max_table_rows in Python.'
    """
    shown = "N" if value is None else f"{value:.0f}" if float(value).is_integer() else f"{value:g}"
    # The catalogue itself, not bkmap.i18n: i18n reads these settings.
    text = MESSAGES["limit_hint"][console_lang if console_lang in ("vi", "en") else "en"]
    return text.format(name=name, shown=shown, setting=LIMITS[name])
