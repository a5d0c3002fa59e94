"""Column names: mapping a user's headers onto bkmap's schema by their accepted aliases."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from bkmap.model.names import fold

__all__ = ["header_key", "rename_by_alias"]


def header_key(name: object) -> str:
    """Compare headers without case, diacritics, or the difference between space, ``_`` and ``-``.

    Examples
    --------
    >>> header_key("Mã_xã"), header_key("ma-xa"), header_key(" MA XA ")
    ('ma xa', 'ma xa', 'ma xa')
    """
    return " ".join(fold(str(name)).replace("_", " ").replace("-", " ").split())


def rename_by_alias(frame: pd.DataFrame, aliases: Mapping[str, tuple[str, ...]]) -> pd.DataFrame:
    """Rename each column whose header matches an alias to its schema name.

    A schema column already present keeps its column; an alias is used once.
    The first alias of a schema column that is found wins.

    Examples
    --------
    >>> frame = pd.DataFrame(columns=["Mã xã", "Tên xã"])
    >>> list(rename_by_alias(frame, {"code": ("ma xa",), "name": ("ten xa",)}).columns)
    ['code', 'name']
    """
    present = {header_key(c): c for c in frame.columns}
    mapping: dict[object, str] = {}
    for target, names in aliases.items():
        # A column already named as the schema wins over its aliases: renaming an alias onto it
        # would leave two columns of one name, and pandas would carry both.
        if target in frame.columns:
            continue
        for alias in names:
            original = present.get(header_key(alias))
            # One header feeds one schema column, even if two alias lists ever share a spelling:
            # the first schema column to claim the header keeps it, so no data is read twice.
            if original is not None and original not in mapping:
                mapping[original] = target
                break
    return frame.rename(columns=mapping)
