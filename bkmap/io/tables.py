"""Reading tables and writing any output atomically.

Only this module and the writers in :mod:`bkmap.render.report` touch the disk for
tables; boundary files are read by :mod:`bkmap.io.boundaries`.
"""

from __future__ import annotations

import csv
import io
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bkmap._errors import InputError
from bkmap.io import encodings
from bkmap.io.encodings import repair_text
from bkmap.io.record import ReadRecord, with_record

if TYPE_CHECKING:
    from bkmap.io.encodings import Decoded

log = logging.getLogger(__name__)

TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


_DELIMITERS = ",;\t|"


def _sniff_delimiter(text: str, path: Path) -> str:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        pass
    # The sniffer gives up on ragged rows; the delimiter that splits the header most wins.
    header = lines[0] if lines else ""
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _decode_detail(raw: bytes, path: Path, encoding: str | None) -> Decoded:

    try:
        return encodings.decode_bytes(raw, source=str(path), encoding=encoding)
    except InputError:
        raise
    except (LookupError, UnicodeDecodeError) as exc:  # pragma: no cover - defensive
        msg = f"{path}: cannot decode as {encoding!r} ({exc}). Give the file's real encoding with --encoding."
        raise InputError(msg) from exc


def _decode(raw: bytes, path: Path, encoding: str | None) -> str:
    """Return the text of a CSV file: UTF-8 (BOM or not), or a detected legacy encoding.

    ``encoding`` forces one (``utf-8``, ``cp1258``, ``tcvn3``, ``vni``, ``cp1252``).
    The text is in Unicode NFC.
    """
    return _decode_detail(raw, path, encoding).text


def read_table(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a CSV or Excel table into a frame of strings.

    Every cell is read as text (codes keep their leading zeros). Empty cells
    become empty strings, and wholly empty rows are dropped. The index holds
    each row's number as a spreadsheet shows it (the header is row 1). CSV text is
    decoded as UTF-8 (with or without BOM) or detected among the legacy Vietnamese
    encodings (see :mod:`bkmap.io.encodings`); Excel text that was typed in a legacy
    font is converted too. All text is Unicode NFC. The delimiter is sniffed among
    ``, ; tab |``. The frame carries a :class:`bkmap.io.record.ReadRecord`
    (kind ``table``) with the encoding and the delimiter.

    Parameters
    ----------
    path
        A ``.csv``/``.txt`` or ``.xlsx``/``.xlsm`` file.
    encoding
        Force a text encoding for CSV files.
    sheet
        Excel sheet name or index; the first sheet by default.

    Raises
    ------
    InputError
        The file is missing, empty, of an unknown type, or cannot be parsed.
    """
    p = Path(path)
    if not p.exists():
        msg = f"{p}: file not found. Check the path, or run `bkmap template --out {p.name}` to make one."
        raise InputError(msg)
    if p.is_dir():
        msg = f"{p}: is a folder, not a table. Give a .csv or .xlsx file."
        raise InputError(msg)
    suffix = p.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        msg = f"{p}: unsupported table type {suffix!r}. Use one of {', '.join(TABLE_SUFFIXES)}."
        raise InputError(msg)
    if p.stat().st_size == 0:
        msg = f"{p}: the file is empty. Fill in the template from `bkmap template`."
        raise InputError(msg)
    if suffix in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(p, sheet_name=sheet or 0, dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for broken files
            msg = f"{p}: cannot read as an Excel workbook ({exc}). Save it again as .xlsx."
            raise InputError(msg) from exc
        frame = frame.fillna("")
        frame, found = _repair_cells(frame, p, encoding)
    else:
        found = _decode_detail(p.read_bytes(), p, encoding)
        text = found.text
        delimiter = _sniff_delimiter(text, p)
        try:
            # Plain ASCII text is parsed from its bytes: no second copy of a large file.
            source: io.StringIO | io.BytesIO = (
                io.BytesIO(text.encode("ascii")) if text.isascii() else io.StringIO(text)
            )
            frame = pd.read_csv(
                source,
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            msg = f"{p}: cannot parse as CSV ({exc}). Check the delimiter and quoting."
            raise InputError(msg) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:  # column by column: a national file has millions of cells
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].str.strip()
    # The index is the row number as a spreadsheet shows it (the header is row 1),
    # so every message can name the row the user sees.
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    frame = frame.loc[~frame.eq("").all(axis=1)]
    record = ReadRecord(
        str(p),
        "table",
        encoding=found,
        delimiter=None if suffix in (".xlsx", ".xlsm") else delimiter,
    )
    return with_record(frame, record)


def _repair_cells(
    frame: pd.DataFrame, path: Path, encoding: str | None
) -> tuple[pd.DataFrame, Decoded]:
    """Normalise an Excel sheet's text to NFC and undo legacy fonts (``.VnTime`` cells)."""

    cells = [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    fixed, found = repair_text(cells, source=str(path), encoding=encoding)
    n_cols = len(frame.columns)
    out = pd.DataFrame(
        [fixed[n_cols + i * n_cols : n_cols + (i + 1) * n_cols] for i in range(len(frame))],
        columns=fixed[:n_cols],
        dtype=str,
    )
    return out, found
