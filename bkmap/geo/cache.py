"""The display-geometry cache: the second map of the same layer reuses its simplified shapes.

Preparing a detailed national layer for display (repair, coverage
simplification, rounding) takes seconds to tens of seconds; the same layer
drawn again gives the same shapes. :func:`lookup` and :func:`store` keep them in
the user's cache folder (``platformdirs.user_cache_dir("bkmap")/display``, or
``$BKMAP_CACHE_DIR``), keyed on

* the content of the shapes to draw (their WKB, hashed): the input file as read,
  with its ``--crs``, ``--clean`` and province choice already applied, so a
  changed file or option is a new key;
* every setting that changes the result: simplification on or off, tolerance,
  decimals, zoom, cleaning, and the versions of bkmap, shapely and GEOS.

Entries are one ``.npz`` file each (WKB bytes and offsets, and the notes the
preparation gave, as JSON: no pickle), written atomically. The folder is kept
under :data:`MAX_BYTES` by removing the least recently used entries. Layers
under :data:`MIN_VERTICES` are not cached (faster to prepare than to hash).
``--no-cache`` (:func:`disabled`) neither reads nor writes.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs
import shapely

from bkmap._version import __version__
from bkmap.notes import Note

log = logging.getLogger(__name__)

__all__ = ["MAX_BYTES", "MIN_VERTICES", "cache_dir", "disabled", "enabled", "lookup", "store"]

#: Largest total size of the cache folder, in bytes; least recently used entries go first.
MAX_BYTES: int = 500_000_000

#: Layers with fewer vertices are prepared afresh each time (hashing would cost as much).
MIN_VERTICES: int = 200_000

_ENABLED: contextvars.ContextVar[bool] = contextvars.ContextVar("bkmap_display_cache", default=True)


def cache_dir() -> Path:
    """The folder of cached display shapes (``$BKMAP_CACHE_DIR`` or the user's cache folder)."""
    given = os.environ.get("BKMAP_CACHE_DIR")
    if given:
        return Path(given)
    return Path(platformdirs.user_cache_dir("bkmap", appauthor=False)) / "display"


def enabled() -> bool:
    """Whether display shapes are read from and written to the cache."""
    return _ENABLED.get()


@contextlib.contextmanager
def disabled(off: bool = True) -> Iterator[None]:
    """Within the block, prepare display shapes afresh and cache nothing (``--no-cache``)."""
    token = _ENABLED.set(not off and _ENABLED.get())
    try:
        yield
    finally:
        _ENABLED.reset(token)


def key(geometry: np.ndarray, settings: dict[str, Any]) -> str | None:
    """The cache key of shapes and the settings that shape their display, or ``None`` (too small)."""
    if not enabled() or int(shapely.get_num_coordinates(geometry).sum()) < MIN_VERTICES:
        return None
    digest = hashlib.blake2b(digest_size=20)
    versions = {"bkmap": __version__, "shapely": shapely.__version__, "geos": shapely.geos_version}
    digest.update(json.dumps({**settings, **versions}, sort_keys=True).encode())
    wkb = shapely.to_wkb(geometry, output_dimension=2)
    digest.update(np.asarray([len(b) for b in wkb], dtype=np.int64).tobytes())
    for blob in wkb:
        digest.update(blob)
    return digest.hexdigest()


def _path(name: str) -> Path:
    return cache_dir() / f"{name}.npz"


def lookup(name: str | None) -> tuple[np.ndarray, list[Note]] | None:
    """The cached shapes and notes under ``name``, or ``None``; a hit counts as a use."""
    if name is None:
        return None
    path = _path(name)
    try:
        with np.load(path, allow_pickle=False) as data:
            blob = data["wkb"].tobytes()
            ends = data["ends"]
            notes = [Note(**n) for n in json.loads(str(data["notes"]))]
    except (OSError, KeyError, ValueError) as exc:
        if path.exists():
            log.debug("display cache entry %s unreadable (%s): prepared afresh", path, exc)
        return None
    starts = np.r_[0, ends[:-1]]
    shapes = shapely.from_wkb([blob[s:e] for s, e in zip(starts, ends, strict=True)])
    with contextlib.suppress(OSError):
        path.touch()
    return np.asarray(shapes, dtype=object), notes


def store(name: str | None, shapes: np.ndarray, notes: list[Note]) -> None:
    """Keep ``shapes`` and their notes under ``name``, then trim the folder to :data:`MAX_BYTES`.

    A cache that cannot be written (read-only home, full disk) costs only speed:
    it is logged, not raised.
    """
    if name is None:
        return
    folder = cache_dir()
    wkb = shapely.to_wkb(shapes, output_dimension=2)
    ends = np.cumsum([len(b) for b in wkb]).astype(np.int64)
    payload = np.frombuffer(b"".join(wkb), dtype=np.uint8)
    text = json.dumps([dataclasses.asdict(n) for n in notes], ensure_ascii=False)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.{os.getpid()}.tmp.npz"
        np.savez(tmp, wkb=payload, ends=ends, notes=np.asarray(text))
        os.replace(tmp, _path(name))
    except OSError as exc:
        log.info("display cache not written to %s (%s)", folder, exc)
        return
    _trim(folder)


def _trim(folder: Path) -> None:
    entries = []
    for path in folder.glob("*.npz"):
        if path.name.startswith("."):
            continue
        with contextlib.suppress(OSError):
            stat = path.stat()
            entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= MAX_BYTES:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size
