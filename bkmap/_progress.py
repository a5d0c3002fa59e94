"""Progress display for work that takes longer than a few seconds.

Library code wraps long loops or chunked work in :func:`progress`; the bar
goes to stderr through tqdm, and is hidden when stderr is not a terminal
unless :data:`bkmap.settings.progress` is ``True``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

from bkmap import settings

T = TypeVar("T")

__all__ = ["progress"]


def progress(items: Iterable[T], *, total: int | None = None, desc: str = "") -> Iterator[T]:
    """Yield ``items``, showing a progress bar on stderr when it helps."""

    # Only on a terminal by default: in a log file or a CI run the bar's redraws are noise. On
    # stderr, so that stdout carries only the command's own lines; leave=False clears the bar when
    # the work is done.
    show = settings.progress if settings.progress is not None else sys.stderr.isatty()
    # The label is given in English and shown in the console's language when the catalogue has it.
    from bkmap.i18n import has, msg  # lazy: keeps this module light

    label = msg(f"progress_{desc}") if desc and has(f"progress_{desc}") else desc
    yield from tqdm(items, total=total, desc=label, disable=not show, file=sys.stderr, leave=False)
