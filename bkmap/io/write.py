"""Writing outputs: every file bkmap writes goes through :func:`atomic_path`.

An output is written to a temporary file beside its target and renamed onto it
only when complete, so no output is ever left half-written.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bkmap._errors import InputError

log = logging.getLogger(__name__)

__all__ = ["atomic_path", "write_csv", "write_text", "write_workbook"]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    An interrupted or failed write leaves ``path`` as it was and removes the
    temporary file, so no output is ever half-written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    target = Path(path)
    if target.parent and not target.parent.exists():
        msg = f"{target}: the folder {target.parent} does not exist. Create it, or choose another --out."
        raise InputError(msg)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
        log.info("wrote %s", target)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``frame`` as UTF-8 CSV (with BOM, so Excel shows Vietnamese) atomically."""
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, encoding="utf-8-sig")
    return Path(path)


def write_workbook(
    sheets: Mapping[str, pd.DataFrame],
    path: str | os.PathLike[str],
    *,
    max_width: int = 60,
) -> Path:
    """Write frames as sheets of one .xlsx file, with bold frozen headers and fitted widths.

    The caller makes the write atomic (see :func:`atomic_path`).
    """

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet_name = name[:31]
            frame.to_excel(writer, sheet_name=sheet_name, index=False)
            ws = writer.sheets[sheet_name]
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for i, column in enumerate(frame.columns, start=1):
                values = [str(column), *(str(v) for v in frame[column].head(500))]
                width = min(max_width, max(len(v) for v in values) + 2)
                ws.column_dimensions[get_column_letter(i)].width = width
    return Path(path)
