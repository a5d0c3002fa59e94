"""Normalising Vietnamese unit names so that spelling variants compare equal.

The key drops what officials' tables vary on and keeps what tells units
apart: diacritics, case, Unicode normal form, surrounding and repeated spaces,
the type prefix (``Xã``/``X.``, ``Phường``/``P.``, ``Thị trấn``/``TT.``, and
for districts ``Huyện``/``H.``, ``Thành phố``/``TP.``, ``Thị xã``/``TX.``)
and the difference between ``đ`` and ``d`` are all ignored.

Legacy 8-bit encodings (TCVN3, VNI, Windows-1258) are handled by
:mod:`bkmap.io.encodings`, before text reaches this module.
"""

from __future__ import annotations

import functools
import unicodedata

import pandas as pd

__all__ = ["fold", "name_key", "strip_prefix", "unit_type_of", "unit_types_of"]

# Prefixes by level. A prefix is recognised in its exact Vietnamese spelling or
# written without any diacritics, in any case: "Huyền Tụng" is a name, while
# "Huyện"/"huyen" is a prefix. Longer forms are tried first.
_PREFIXES: dict[str, tuple[str, ...]] = {
    "commune": ("thị trấn", "phường", "xã", "tt.", "tt", "p.", "x."),
    "district": ("thành phố", "thị xã", "huyện", "quận", "tp.", "tp", "tx.", "tx", "h.", "q."),
    "province": ("thành phố", "tỉnh", "tp.", "tp", "t."),
}
_PREFIXES["any"] = tuple(
    sorted({p for forms in _PREFIXES.values() for p in forms}, key=len, reverse=True)
)


# Cached: a long table repeats the same few hundred names and values, and folding is
# the costliest step of reading one (100,000 rows fold about a million strings).
@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Return ``text`` in lower case with diacritics removed, ``đ`` as ``d`` and spaces collapsed.

    Examples
    --------
    >>> fold("  Đồng   Thắng ")
    'dong thang'
    >>> fold("Nghiên Loan") == fold("nghie\\u0302n loan")
    True
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    # đ is a letter of its own, not d with a mark, so NFD leaves it whole; tables typed without
    # diacritics write it d, hence the explicit replacement.
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.casefold().split())


def strip_prefix(name: str, *, level: str = "commune") -> str:
    """Remove a leading unit-type prefix such as ``Xã``, ``P.`` or ``Thị trấn``.

    Parameters
    ----------
    name
        A unit name.
    level
        Which prefixes to remove: ``"commune"`` (xã, phường, thị trấn),
        ``"district"`` (huyện, thành phố, thị xã, quận), ``"province"`` or ``"any"``.

    Examples
    --------
    >>> strip_prefix("Thị trấn Chợ Rã")
    'Chợ Rã'
    >>> strip_prefix("TT. Phủ Thông")
    'Phủ Thông'
    >>> strip_prefix("Huyền Tụng")
    'Huyền Tụng'
    >>> strip_prefix("H. Ba Bể", level="district")
    'Ba Bể'
    """
    try:
        forms = _PREFIXES[level]
    except KeyError:
        msg = f"level must be one of {sorted(_PREFIXES)}, got {level!r}"
        raise ValueError(msg) from None
    found = _split_prefix(name, forms)
    return found[1] if found else " ".join(unicodedata.normalize("NFC", str(name)).split())


#: The unit type each commune-level prefix names.
_TYPE_OF_PREFIX: dict[str, str] = {
    "thị trấn": "Thị trấn",
    "tt.": "Thị trấn",
    "tt": "Thị trấn",
    "phường": "Phường",
    "p.": "Phường",
    "xã": "Xã",
    "x.": "Xã",
}


def _split_prefix(name: str, forms: tuple[str, ...]) -> tuple[str, str] | None:
    """Return (prefix form, rest) when ``name`` starts with one of ``forms``, else None."""
    text = " ".join(unicodedata.normalize("NFC", str(name)).split())
    lower = text.lower()
    for form in forms:
        # Only the exact spelling or the fully folded one: folding the name itself would also take
        # "Huyền" for the prefix "Huyện", which differ only in their tone marks.
        for spelling in {form, fold(form)}:
            if not lower.startswith(spelling):
                continue
            rest = text[len(spelling) :]
            # A prefix must end at a dot or a space, so the letters that merely begin a longer word
            # are never cut off; and a name that is only a prefix is kept whole rather than
            # emptied.
            if spelling.endswith(".") or rest.startswith(" "):
                rest = rest.strip()
                if rest:
                    return form, rest
    return None


def unit_type_of(name: str) -> str:
    """Return the unit type a commune name's prefix gives: Xã, Phường, Thị trấn, or ``""``.

    Examples
    --------
    >>> unit_type_of("Thị trấn Chợ Rã"), unit_type_of("P. Sông Cầu"), unit_type_of("Đồng Phúc")
    ('Thị trấn', 'Phường', '')
    """
    found = _split_prefix(name, _PREFIXES["commune"])
    return _TYPE_OF_PREFIX[found[0]] if found else ""


def unit_types_of(names: pd.Series) -> pd.Series:
    """Return :func:`unit_type_of` for every name (fast on the repeated prefixes of a large layer)."""
    # The longest commune prefix is two words ("Thị trấn"), so the first two words decide the type;
    # the " x" added below stands in for the rest of the name, which a prefix needs to be
    # recognised.
    first_words = [" ".join(str(n).split()[:2]) for n in names]
    types = {w: unit_type_of(w + " x") for w in set(first_words)}
    return pd.Series([types[w] for w in first_words], index=names.index, dtype=object)


def name_key(name: str, *, level: str = "commune") -> str:
    """Return the comparison key of a unit name.

    Two names with the same key are treated as the same name by the matcher.

    Examples
    --------
    >>> name_key("Xã Đồng Thắng") == name_key("dong thang") == name_key("X. ĐỒNG THẮNG")
    True
    >>> name_key("Phường Sông Cầu")
    'song cau'
    """
    return fold(strip_prefix(name, level=level))
