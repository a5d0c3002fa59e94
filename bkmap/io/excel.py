"""Writing Excel workbooks with readable headers and column widths."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

__all__ = ["write_workbook"]


def write_workbook(
    sheets: Mapping[str, pd.DataFrame],
    path: str | os.PathLike[str],
    *,
    max_width: int = 60,
) -> Path:
    """Write frames as sheets of one .xlsx file, with bold frozen headers and fitted widths.

    The caller makes the write atomic (see :func:`bkmap.io.tables.atomic_path`).
    """
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

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
