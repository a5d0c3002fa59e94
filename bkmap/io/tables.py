"""Reading tables and writing any output atomically.

Only this module and the writers in :mod:`bkmap.render.report` touch the disk for
tables; boundary files are read by :mod:`bkmap.io.boundaries`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bkmap import settings
from bkmap._errors import InputError, collect
from bkmap.i18n import msg as _msg
from bkmap.io import encodings
from bkmap.io.encodings import repair_text
from bkmap.io.record import ReadRecord, with_record
from bkmap.io.write import is_formula_like

if TYPE_CHECKING:
    from bkmap.io.encodings import Decoded

log = logging.getLogger(__name__)

TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


_DELIMITERS = ",;\t|"


def _sniff_delimiter(text: str, path: Path) -> str:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    header = lines[0] if lines else ""
    sample = "\n".join(lines)
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    in_header = [d for d in _DELIMITERS if d in header]
    if sniffed is not None and sniffed not in header and len(in_header) == 1:
        # The sniffer chose a delimiter the header does not hold: it was misled by a tab or
        # a quote inside a cell (such as "'\t=1", which bkmap's own CSV writer puts out).
        # The header's one delimiter wins when most rows hold it too.
        rows = lines[1:]
        if sum(in_header[0] in row for row in rows) * 2 > len(rows):
            return in_header[0]
    if sniffed is not None:
        return sniffed
    # The sniffer gives up on ragged rows; the delimiter that splits the header most wins.
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def sniff_delimiter(text: str, path: str | os.PathLike[str]) -> str:
    """The delimiter of CSV ``text`` (the start of a file is enough), as :func:`read_table` finds it."""
    return _sniff_delimiter(text, Path(path))


def _decode_detail(raw: bytes, path: Path, encoding: str | None) -> Decoded:

    try:
        return encodings.decode_bytes(raw, source=str(path), encoding=encoding)
    except InputError:
        raise
    except (LookupError, UnicodeDecodeError) as exc:  # pragma: no cover - defensive
        msg = _msg("err_decode", path=path, encoding=encoding, detail=exc)
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
    header: bool = True,
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
    header
        The first row holds the column names (default). With ``False`` the columns
        are numbered and every row is data (the index starts at 1).

    Raises
    ------
    InputError
        The file is missing, empty, of an unknown type, or cannot be parsed; or it
        is past a limit of :mod:`bkmap.settings` (an .xlsx file's uncompressed size
        ``max_xlsx_uncompressed_bytes`` or a part's compression ratio, checked before
        parsing; ``max_table_rows``; ``max_field_chars``); the message names the
        limit and how to raise it.
    ValidationError
        A cell holds a NUL character (the message names its row and column).
    """
    p = Path(path)
    if not p.exists():
        msg = _msg("err_not_found_table", path=p, name=p.name)
        raise InputError(msg)
    if p.is_dir():
        msg = _msg("err_folder_table", path=p)
        raise InputError(msg)
    suffix = p.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        msg = _msg("err_table_type", path=p, suffix=suffix, allowed=", ".join(TABLE_SUFFIXES))
        raise InputError(msg)
    if p.stat().st_size == 0:
        msg = _msg("err_empty_table", path=p)
        raise InputError(msg)
    max_rows = int(settings.max_table_rows)
    head: int | None = 0 if header else None
    if suffix in (".xlsx", ".xlsm"):
        _check_xlsx_size(p)
        try:
            # One row more than the limit: enough to know it is past it, without reading the rest.
            frame = pd.read_excel(
                p,
                sheet_name=sheet or 0,
                dtype=str,
                engine="openpyxl",
                header=head,
                nrows=max_rows + 1,
            )
        except Exception as exc:  # openpyxl raises many types for broken files
            msg = _msg("err_not_xlsx", path=p, detail=exc)
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
                header=head,
                nrows=max_rows + 1,
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            msg = _msg("err_not_csv", path=p, detail=exc)
            raise InputError(msg) from exc
        frame = unguard_frame(frame)
    if len(frame) > max_rows:
        msg = _msg(
            "err_too_many_rows", path=p, limit=f"{max_rows:,}", hint=settings.limit_hint("rows")
        )
        raise InputError(msg)
    frame = tidy_table(frame, source=str(p), first=2 if header else 1, header=header)
    record = ReadRecord(
        str(p),
        "table",
        # The record keeps how the text was decoded, not the text: a large file's
        # text would otherwise stay in memory as long as the frame.
        encoding=dataclasses.replace(found, text=""),
        delimiter=None if suffix in (".xlsx", ".xlsm") else delimiter,
    )
    return with_record(frame, record)


def unguard_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Remove the apostrophe bkmap's CSV writer puts before formula-like text, as Excel does."""
    # bkmap's CSV files put an apostrophe before text a spreadsheet would take for a
    # formula (bkmap.io.write.csv_cell); reading one back removes it, as Excel does.
    # Only cells that start with an apostrophe are looked at: a national file has
    # millions of cells, and a cell-by-cell map over all of them takes seconds.
    for column in frame.columns:
        quoted = frame[column].str.startswith("'", na=False)
        if quoted.any():
            frame.loc[quoted, column] = frame.loc[quoted, column].map(_unguard)
    frame.columns = [_unguard(c) for c in frame.columns]
    return frame


def tidy_table(frame: pd.DataFrame, *, source: str, first: int, header: bool) -> pd.DataFrame:
    """Strip a frame of CSV text, number its rows from ``first`` and drop the empty ones.

    The one tidying of :func:`read_table`, also applied to each partition of a
    CSV file read by dask (``first`` is then the partition's first row number).
    """
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:  # column by column: a national file has millions of cells
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].str.strip()
    # The index is the row number as a spreadsheet shows it (the header is row 1),
    # so every message can name the row the user sees.
    frame.index = pd.RangeIndex(first, len(frame) + first, name="row")
    check_cells(frame, source=source, header=header)
    return frame.loc[~frame.eq("").all(axis=1)]


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


def _unguard(value: object) -> object:
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


#: Parts of an .xlsx file above this size (uncompressed) must not be compressed more than
#: ``settings.max_xlsx_compression_ratio`` times; small parts compress as they like.
_RATIO_FLOOR = 10_000_000


def _check_xlsx_size(path: Path) -> None:
    """Refuse an .xlsx whose content would be too large, before any XML is parsed."""
    limit = int(settings.max_xlsx_uncompressed_bytes)
    ratio = float(settings.max_xlsx_compression_ratio)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        msg = _msg("err_not_xlsx", path=path, detail=exc)
        raise InputError(msg) from exc
    total = sum(m.file_size for m in members)
    if total > limit:
        msg = _msg(
            "tab_xlsx_too_big",
            path=path,
            size=f"{total / 1e6:,.0f}",
            limit=f"{limit / 1e6:,.0f}",
            hint=settings.limit_hint("xlsx-bytes", value=total),
        )
        raise InputError(msg)
    for member in members:
        packed = max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and member.file_size / packed > ratio:
            msg = _msg(
                "tab_zip_bomb",
                path=path,
                part=member.filename,
                ratio=f"{member.file_size / packed:,.0f}",
                size=f"{member.file_size / 1e6:,.0f}",
                packed=f"{packed / 1e6:,.2f}",
                limit=f"{ratio:g}",
                hint=settings.limit_hint("xlsx-ratio"),
            )
            raise InputError(msg)


def check_cells(
    frame: pd.DataFrame, *, source: str, header: bool = True, where: str = "row"
) -> None:
    """Refuse text that no table of bkmap's should hold: NUL characters, overlong fields.

    A NUL cuts text short in GDAL and in many programs, so a name holding one would
    silently lose its end: it is reported with its row and column. A field longer than
    ``settings.max_field_chars`` is refused with the limit and how to raise it. The
    frame's index holds the row (``where="row"``) or feature numbers to report.

    Raises
    ------
    ValidationError
        A cell or a column name holds a NUL character.
    InputError
        A field is longer than the limit.
    """
    limit = int(settings.max_field_chars)
    problems: list[str] = []
    names = [str(c) for c in frame.columns]
    if header:
        label = _msg("tab_header_column" if where == "row" else "tab_field_name")
        problems += [
            _msg("tab_nul_name", label=label, name=n.replace(chr(0), ""))
            for n in names
            if "\x00" in n
        ]
    place = _msg("label_row" if where == "row" else "label_feature")
    column_word = _msg("tab_column" if where == "row" else "tab_field")
    longest = (0, "", None)
    for name, column in zip(names, frame.columns, strict=True):
        series = frame[column]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series)):
            continue
        text = series.fillna("").astype(str)
        nul = text.str.contains("\x00", regex=False)
        for row in text.index[nul.to_numpy(dtype=bool)][:20]:
            problems.append(
                _msg("tab_nul_cell", where=place, row=row, column=column_word, name=name)
            )
        lengths = text.str.len()
        if len(lengths) and int(lengths.max()) > longest[0]:
            longest = (int(lengths.max()), name, lengths.idxmax())
    collect(problems, header=_msg("tab_nul_header", source=source))
    if longest[0] > limit:
        chars, name, row = longest
        msg = _msg(
            "tab_field_too_long",
            source=source,
            where=place,
            row=row,
            column=column_word,
            name=name,
            chars=f"{chars:,}",
            limit=f"{limit:,}",
            hint=settings.limit_hint("field-chars", value=chars),
        )
        raise InputError(msg)
