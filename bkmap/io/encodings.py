"""Detecting and converting the text encodings that Vietnamese files arrive in.

Officials' files carry Vietnamese text in one of four encodings:

``utf-8``
    Unicode (with or without a byte-order mark).
``cp1258``
    Windows-1258: base letters plus *combining* tone marks, e.g. ``a`` + U+0301.
``tcvn3``
    TCVN 5712:1993 (the ABC / ``.Vn`` fonts): one byte per toned letter.
    Read as cp1252 it shows ``B¾c K¹n`` for *Bắc Kạn*.
``vni``
    VNI-Windows (the VNI-Times fonts): a base letter followed by a mark byte.
    Read as cp1252 it shows ``Baéc Kaïn``.

A file's declared encoding (a shapefile's ``.cpg``, or none at all) is often
wrong, so the encoding is detected from the content: the raw text is cut into
words at ASCII spaces and punctuation, the words holding a byte above 127 are
decoded under each candidate, and the candidate under which the largest share
of them are valid Vietnamese syllables wins (:func:`is_syllable`). The
confidence is ``1 - 0.5 ** lead``, where ``lead`` is how many more words read as
Vietnamese under the winner than under the runner-up: each such word halves the
doubt. Every result is in Unicode NFC.

The TCVN3 and VNI conversion tables are data, in ``data/encodings/`` (their
sources are noted in each file); Windows-1258 uses Python's own codec. No
maintained PyPI library fits: the packages that convert these encodings are
document loaders (``viparse``) or typing tools, so bkmap keeps the two tables.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bkmap import datasets
from bkmap._errors import InputError
from bkmap.i18n import msg as _msg

log = logging.getLogger(__name__)

__all__ = [
    "DETECTED",
    "ENCODINGS",
    "Decoded",
    "canonical_encoding",
    "decode_bytes",
    "decode_values",
    "encode_text",
    "is_syllable",
    "repair_text",
]

# UTF-8 first, so that a tie goes to the modern encoding; cp1252 comes after the Vietnamese ones
# because it decodes almost any byte yet lacks most Vietnamese letters (ă, đ, ơ, ư).
#: Encodings bkmap reads, and the order that breaks a tie in detection.
ENCODINGS: tuple[str, ...] = ("utf-8", "cp1258", "tcvn3", "vni", "cp1252", "utf-16")

#: Candidates tried by detection (cp1252 is only used when forced or declared).
DETECTED: tuple[str, ...] = ("utf-8", "cp1258", "tcvn3", "vni")

# Names as .cpg files and users write them, mapped onto the encodings bkmap reads. An unknown name
# is an error at --encoding, but a .cpg's is only reported (decode_bytes).
_ALIASES: dict[str, str] = {
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8",
    "utf-16": "utf-16",
    "utf16": "utf-16",
    "unicode-16": "utf-16",
    "unicode": "utf-8",
    "ascii": "utf-8",
    "cp1258": "cp1258",
    "windows-1258": "cp1258",
    "windows1258": "cp1258",
    "1258": "cp1258",
    "tcvn3": "tcvn3",
    "tcvn": "tcvn3",
    "tcvn-3": "tcvn3",
    "tcvn5712": "tcvn3",
    "tcvn5712-1": "tcvn3",
    "abc": "tcvn3",
    "vni": "vni",
    "vni-windows": "vni",
    "cp1252": "cp1252",
    "windows-1252": "cp1252",
    "1252": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "ansi 1252": "cp1252",
}

# The five tone marks (huyền, sắc, ngã, hỏi, nặng) and the parts of a syllable: onset, nucleus
# (vowel with its glides) and coda. The check is structural, so it needs no word list, and the
# garbage a wrong decoding makes (K¹n, Kaïn) fails it.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_ONSET = "ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_NUCLEI = [
    "a",
    "ă",
    "â",
    "e",
    "ê",
    "i",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
    "y",
    "ai",
    "ao",
    "au",
    "ay",
    "âu",
    "ây",
    "eo",
    "êu",
    "ia",
    "iê",
    "iu",
    "oa",
    "oă",
    "oe",
    "oi",
    "ôi",
    "ơi",
    "oo",
    "ua",
    "uâ",
    "uê",
    "ui",
    "uô",
    "uơ",
    "ưa",
    "ưi",
    "ươ",
    "ưu",
    "uy",
    "yê",
    "iêu",
    "yêu",
    "oai",
    "oao",
    "oay",
    "oeo",
    "uây",
    "uôi",
    "ươi",
    "ươu",
    "uya",
    "uyê",
    "uyu",
]
_NUCLEUS = "|".join(sorted(_NUCLEI, key=len, reverse=True))
_SYLLABLE = re.compile(rf"^(?:{_ONSET})?(?:{_NUCLEUS})(?:ch|ng|nh|c|m|n|p|t)?$")


def canonical_encoding(name: str, *, source: str = "--encoding") -> str:
    """Return bkmap's name for an encoding name or alias (``abc`` → ``tcvn3``).

    Raises
    ------
    InputError
        The name is not an encoding bkmap reads; the message lists them.
    """
    key = " ".join(str(name).strip().lower().replace("_", "-").split())
    if key in _ALIASES:
        return _ALIASES[key]
    msg = _msg("enc_unknown", source=source, name=name, encodings=", ".join(ENCODINGS))
    raise InputError(msg)


@functools.cache
def _read_table(name: str) -> dict[bytes, tuple[str, bool]]:
    path = datasets.encoding_table(name)
    table: dict[bytes, tuple[str, bool]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        # A table line is: the bytes in hex, the text, and an optional note; "decode-only" marks a
        # byte form that is accepted on reading but never written (the VNI table's header says so).
        if not line or line.startswith(("#", "bytes\t")):
            continue
        code, text, note = [*line.split("\t"), ""][:3]
        raw = bytes(int(part, 16) for part in code.split())
        table[raw] = (unicodedata.normalize("NFC", text), note != "decode-only")
    return table


@functools.cache
def _decoder(name: str) -> tuple[re.Pattern[bytes], dict[bytes, str]]:
    table = {raw: text for raw, (text, _) in _read_table(name).items()}
    # Longest first: regex alternation takes the first alternative that matches, so a VNI base
    # letter followed by its mark byte must be tried before the base letter alone.
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile(b"|".join(re.escape(k) for k in keys))
    return pattern, table


@functools.cache
def _encoder(name: str) -> dict[str, bytes]:
    return {text: raw for raw, (text, writable) in _read_table(name).items() if writable}


def _decode_table(raw: bytes, name: str) -> str:
    pattern, table = _decoder(name)
    parts: list[str] = []
    last = 0
    for found in pattern.finditer(raw):
        parts.append(_single_byte(raw[last : found.start()]))
        parts.append(table[found.group()])
        last = found.end()
    parts.append(_single_byte(raw[last:]))
    return "".join(parts)


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined read as latin-1
        return chr(byte)


#: cp1252 as a translation of latin-1 text: one C-level pass instead of a decode per byte.
_CP1252_FROM_LATIN1 = {b: _cp1252_char(b) for b in range(0x80, 0xA0) if _cp1252_char(b) != chr(b)}


def _single_byte(raw: bytes) -> str:
    # Bytes no table names are read as cp1252 (latin-1 for the five it leaves undefined).
    if raw.isascii():
        return raw.decode("ascii")
    # latin-1 decodes every byte; only 0x80-0x9F differ from cp1252, and the translation fixes
    # those in one pass.
    return raw.decode("latin-1").translate(_CP1252_FROM_LATIN1)


def _decode_as(raw: bytes, encoding: str) -> str:
    """Decode ``raw`` under one encoding; raise UnicodeDecodeError if it cannot."""
    if encoding == "utf-8":
        # utf-8-sig drops a byte-order mark, which would otherwise stick to the first header.
        text = raw.decode("utf-8-sig")
    elif encoding == "utf-16":
        text = raw.decode("utf-16")
    elif encoding in ("tcvn3", "vni"):
        text = _decode_table(raw, encoding)
    else:
        text = raw.decode(encoding)
    return unicodedata.normalize("NFC", text)


def is_syllable(word: str) -> bool:
    """Say whether ``word`` is a well-formed Vietnamese syllable (any case, any tone).

    Examples
    --------
    >>> is_syllable("Kạn"), is_syllable("Nguyễn"), is_syllable("K¹n"), is_syllable("Kaïn")
    (True, True, False, False)
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    # A syllable carries at most one tone mark, so a word with two is no syllable under this
    # reading.
    tones = sum(decomposed.count(t) for t in _TONES)
    if tones > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return bool(_SYLLABLE.match(base))


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with how its encoding was found.

    Attributes
    ----------
    text
        The text, in Unicode NFC.
    encoding
        ``utf-8``, ``cp1258``, ``tcvn3``, ``vni`` or ``cp1252``.
    confidence
        0 to 1: how sure the detection is (1 when forced, from a BOM, or ASCII).
    method
        ``forced`` (--encoding), ``bom``, ``ascii`` (nothing to detect), ``detected``,
        or ``unicode`` (text that was already Unicode, see :func:`repair_text`).
    declared
        The encoding the file declared (a shapefile's ``.cpg``), if any.
    words
        How many words held non-ASCII bytes (the evidence).
    scores
        For each candidate, the share of those words that are Vietnamese syllables.
    """

    text: str
    encoding: str
    confidence: float
    method: str = "detected"
    declared: str | None = None
    words: int = 0
    scores: dict[str, float] = field(default_factory=dict)
    #: Values the chosen encoding could not decode, read byte by byte as cp1252 instead.
    fallback: int = 0

    def describe(self) -> str:
        """One line for reports: the encoding, how it was found, and how sure."""
        # Lazy: bkmap.i18n is light, but this module is imported by the encodings' own tools.
        from bkmap.i18n import msg

        if self.method == "forced":
            found = msg("enc_forced", encoding=self.encoding)
        elif self.method == "bom":
            found = msg("enc_bom", encoding=self.encoding)
        elif self.method == "ascii":
            found = msg("enc_ascii")
        elif self.method == "unicode":
            found = msg("enc_unicode")
        else:
            share = self.scores.get(self.encoding, 0.0)
            found = msg(
                "enc_detected",
                encoding=self.encoding,
                confidence=f"{self.confidence:.2f}",
                share=f"{share:.0%}",
                words=self.words,
            )
        if self.declared and self.declared != self.encoding and self.method != "ascii":
            found += msg("enc_declares", declared=self.declared)
        return found


# Raw words: split at ASCII bytes that are not letters or digits (legacy encodings
# never use them for letters), keep words holding a byte above 127.
#: A word holding at least one byte above ASCII: the evidence of an encoding.
_RAW_WORD = re.compile(
    rb"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]*[\x80-\xff][^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]*"
)

#: Detection scores at most this many accented words: far more than it needs to be
#: sure, and it keeps a national cell file's detection to a fraction of a second.
_MAX_WORDS = 20_000


def _raw_words(raw: bytes) -> list[bytes]:
    if raw.isascii():
        return []
    words: list[bytes] = []
    for found in _RAW_WORD.finditer(raw):
        words.append(found.group())
        if len(words) >= _MAX_WORDS:
            break
    return words


def _score(words: Sequence[bytes], encoding: str) -> float:
    """The share of ``words`` that decode under ``encoding`` into Vietnamese syllables."""
    valid = 0
    # Each distinct word is decoded once: a long table repeats the same names.
    for word, count in collections.Counter(words).items():
        try:
            text = _decode_as(word, encoding)
        except UnicodeDecodeError:
            continue
        # isalpha first: a decoding that turns bytes into punctuation or symbols has failed for
        # this word.
        if text.isalpha() and is_syllable(text):
            valid += count
    return valid / len(words) if words else 0.0


def _detect(raw: bytes, candidates: Sequence[str], *, declared: str | None) -> Decoded:
    words = _raw_words(raw)
    if not words:
        text = _single_byte(raw)
        return Decoded(unicodedata.normalize("NFC", text), "utf-8", 1.0, "ascii", declared)
    scores = {name: _score(words, name) for name in candidates}
    # Ties go to the candidate listed first, so the order of the candidates is the tie rule.
    ranked = sorted(candidates, key=lambda n: (-scores[n], list(candidates).index(n)))
    best, second = ranked[0], ranked[1]
    n = len(words)
    lead = max(0.0, scores[best] - scores[second]) * n  # words only the winner reads
    confidence = round(1.0 - 0.5**lead, 3)
    try:
        text = _decode_as(raw, best)
    except UnicodeDecodeError:  # every word decoded, the whole did not: read it as cp1252
        best, text, confidence = "cp1252", _decode_as(raw, "cp1252"), 0.0
    return Decoded(text, best, confidence, "detected", declared, n, scores)


def _refuse_binary(raw: bytes, source: str) -> None:
    """NUL bytes do not belong in a text table: UTF-16 without its mark, or not text at all."""
    position = raw.find(b"\x00")
    if position < 0:
        return
    sample = raw[:2000]
    # UTF-16 of mostly ASCII text has a NUL in every other byte; a third of the sample is a safe
    # threshold below that, and far above the stray NUL of a damaged text file.
    if sample.count(b"\x00") * 3 > len(sample):  # every other byte NUL: UTF-16 text
        msg = _msg("enc_utf16", source=source)
    # More than 1 % NUL bytes: a binary file (a workbook saved under a .csv name, say), not text.
    elif raw.count(b"\x00") * 100 > len(raw):
        msg = _msg("enc_nul", source=source, position=position)
    else:
        # A stray NUL in a text table: the table reader names its row and column.
        return
    raise InputError(msg)


def _refuse_mixed(raw: bytes, source: str) -> None:
    """Say which lines are UTF-8 and which are not, when a file mixes encodings.

    Read as one encoding, such a file garbles one kind of line or the other. A line
    counts as UTF-8 when it decodes as UTF-8 *and* its accented words are Vietnamese
    syllables: a legacy-encoded line can decode as UTF-8 by accident, not into words.
    """
    try:
        raw.decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    utf8: list[int] = []
    other: list[int] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        # ASCII lines read the same in every encoding: they are evidence for neither side.
        if max(line, default=0) < 0x80:
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
            continue
        words = [w for w in re.findall(r"\w+", text) if not w.isascii()]
        # 80 % rather than all: a UTF-8 line may hold a foreign word or a typo that is no syllable.
        if words and sum(map(is_syllable, words)) >= 0.8 * len(words):
            utf8.append(number)
    if utf8 and other:
        msg = _msg(
            "enc_mixed",
            source=source,
            utf8=", ".join(map(str, utf8[:5])),
            other=", ".join(map(str, other[:5])),
        )
        raise InputError(msg)


def decode_bytes(
    raw: bytes,
    *,
    source: str,
    encoding: str | None = None,
    declared: str | None = None,
) -> Decoded:
    """Decode ``raw`` as Vietnamese text, detecting its encoding unless one is forced.

    Parameters
    ----------
    raw
        The bytes of a file or of a column of values.
    source
        The file the bytes come from, for messages.
    encoding
        Force an encoding (see :data:`ENCODINGS` and its aliases).
    declared
        The encoding the file declares; reported, and never trusted over the content.

    Raises
    ------
    InputError
        A forced encoding is unknown, or the bytes are not valid in it.

    Examples
    --------
    >>> found = decode_bytes(encode_text("Xã Bằng Vân", "cp1258", decomposed=True), source="x")
    >>> found.encoding, found.text
    ('cp1258', 'Xã Bằng Vân')
    >>> decode_bytes(b"B\\xbec K\\xb9n", source="x").text
    'Bắc Kạn'
    """
    declared_name = None
    if declared:
        try:
            # An unknown name in a .cpg does not stop the read: the content decides, and the name
            # is kept as written for the report.
            declared_name = canonical_encoding(declared, source=source)
        except InputError:
            declared_name = declared
    # A forced encoding comes before the byte-order mark: the user's word wins, and a wrong one
    # fails loudly with the position of the first bad byte.
    if encoding:
        name = canonical_encoding(encoding, source=source)
        try:
            text = _decode_as(raw, name)
        except UnicodeDecodeError as exc:
            msg = _msg(
                "enc_invalid_bytes",
                source=source,
                position=exc.start,
                name=name,
                bytes=repr(raw[exc.start : exc.start + 4]),
                encodings=", ".join(ENCODINGS),
            )
            raise InputError(msg) from exc
        return Decoded(text, name, 1.0, "forced", declared_name)
    if raw.startswith(b"\xef\xbb\xbf"):
        return Decoded(_decode_as(raw, "utf-8"), "utf-8", 1.0, "bom", declared_name)
    # Excel's "Unicode text" and some Windows tools write UTF-16, with a byte-order mark.
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(_decode_as(raw, "utf-16"), "utf-16", 1.0, "bom", declared_name)
    _refuse_binary(raw, source)
    _refuse_mixed(raw, source)
    found = _detect(raw, (*DETECTED, "cp1252"), declared=declared_name)
    if found.method == "detected":
        log.info("%s: text encoding %s", source, found.describe())
    return found


def decode_values(
    values: Sequence[bytes],
    *,
    source: str,
    encoding: str | None = None,
    declared: str | None = None,
) -> tuple[list[str], Decoded]:
    """Decode many values (one column, or every text field of a layer) with one encoding.

    The encoding is detected on all values together, then each value is decoded
    with it, so a short name cannot be misread on its own.

    Returns
    -------
    (list of str, Decoded)
        The decoded values in order, and the detection (its ``text`` is all values
        joined by newlines).
    """
    # Joined with newlines, which no legacy encoding uses for a letter, so words do not run
    # together across values.
    found = decode_bytes(b"\n".join(values), source=source, encoding=encoding, declared=declared)
    out, fallback = _apply(values, found)
    return out, dataclasses.replace(found, fallback=fallback) if fallback else found


def _apply(values: Sequence[bytes], found: Decoded) -> tuple[list[str], int]:
    """Decode each value with ``found``'s encoding; also count the values it could not decode."""
    out: list[str] = []
    fallback = 0
    for value in values:
        try:
            out.append(_decode_as(value, found.encoding))
        except UnicodeDecodeError:
            # A value the detected encoding cannot decode is read byte by byte as cp1252 rather
            # than lost, and counted: the record warns about it (no silent fallback).
            out.append(unicodedata.normalize("NFC", _single_byte(value)))
            fallback += 1
    return out, fallback


def _as_bytes(value: str) -> bytes | None:
    try:
        return value.encode("cp1252")
    except UnicodeEncodeError:
        return None


def repair_text(
    values: Iterable[object],
    *,
    source: str,
    encoding: str | None = None,
) -> tuple[list[str], Decoded]:
    """Repair text that a program decoded with the wrong encoding (Excel cells, GeoPackage fields).

    Text with a character beyond cp1252 is taken as Unicode and only normalised
    to NFC. Text made only of cp1252 characters may be a legacy encoding that a
    program read as cp1252 (``B¾c K¹n``), or UTF-8 read as cp1252 (``Báº¯c``): it is
    turned back into bytes, and the reading under which most words are Vietnamese
    wins; on a tie the text is kept as it is (``cp1252``).

    Examples
    --------
    >>> repair_text(["B¾c K¹n", "Chî Míi"], source="x")[0]
    ['Bắc Kạn', 'Chợ Mới']
    >>> repair_text(["Xã Na Rì"], source="x")[0]
    ['Xã Na Rì']
    """
    items = ["" if v is None else str(v) for v in values]
    raw: list[bytes] = []
    for item in items:
        # One character beyond cp1252 (ă, ơ, ư, or any other) proves the program decoded real
        # Unicode, so the whole column is left as it is: a mixed repair could damage good text.
        as_bytes = _as_bytes(item)
        if as_bytes is None:
            nfc = [unicodedata.normalize("NFC", v) for v in items]
            return nfc, Decoded("\n".join(nfc), "utf-8", 1.0, "unicode")
        raw.append(as_bytes)
    if encoding:
        name = canonical_encoding(encoding, source=source)
        if name == "utf-8":
            nfc = [unicodedata.normalize("NFC", v) for v in items]
            return nfc, Decoded("\n".join(nfc), "utf-8", 1.0, "forced")
        out, found = decode_values(raw, source=source, encoding=name)
        return out, found
    # cp1252 first, so that on a tie the text is kept as it is: repairing needs evidence.
    order = ("cp1252", "utf-8", "cp1258", "tcvn3", "vni")
    found = _detect(b"\n".join(raw), order, declared=None)
    if found.method == "ascii" or found.encoding == "cp1252":
        nfc = [unicodedata.normalize("NFC", v) for v in items]
        return nfc, Decoded(
            "\n".join(nfc), "utf-8", found.confidence, "unicode", None, found.words, found.scores
        )
    log.info("%s: text was misread; it is %s", source, found.describe())
    # Convert a value only where that makes more of its words Vietnamese, so that a
    # header typed in Unicode ("Tên xã") survives in a sheet typed in a .Vn font.
    converted, fallback = _apply(raw, found)
    if fallback:
        found = dataclasses.replace(found, fallback=fallback)
    out = [
        new if _valid_words(new) > _valid_words(old) else unicodedata.normalize("NFC", old)
        for old, new in zip(items, converted, strict=True)
    ]
    return out, found


def _valid_words(text: str) -> int:
    return sum(is_syllable(w) for w in re.findall(r"\w+", text) if not w.isascii())


def encode_text(text: str, encoding: str, *, decomposed: bool = False) -> bytes:
    """Encode Unicode text as a legacy Vietnamese encoding (the inverse of decoding).

    bkmap never writes legacy encodings; this exists to build test files and to
    document the tables both ways.

    Parameters
    ----------
    text
        Unicode text.
    encoding
        One of :data:`ENCODINGS`.
    decomposed
        For ``cp1258``: write every tone as a combining mark, even where the code
        page has a precomposed letter (as Windows' Vietnamese keyboards do).

    Raises
    ------
    ValueError
        A character has no code in the encoding.

    Examples
    --------
    >>> encode_text("Bắc Kạn", "tcvn3")
    b'B\\xbec K\\xb9n'
    >>> encode_text("Bắc Kạn", "vni").decode("cp1252")
    'Baéc Kaïn'
    >>> encode_text("Kạn", "utf-16").decode("utf-16")
    'Kạn'
    """
    name = canonical_encoding(encoding)
    nfc = unicodedata.normalize("NFC", text)
    if name == "utf-8":
        return nfc.encode("utf-8")
    if name in ("cp1252", "utf-16"):
        # Python's own codecs: cp1252 refuses what it lacks, and utf-16 writes its byte-order mark.
        return nfc.encode(name)
    out = bytearray()
    table = _encoder(name) if name in ("tcvn3", "vni") else {}
    for char in nfc:
        # cp1258 goes through Python's codec (letter by letter, to choose precomposed or combining
        # forms); the two legacy tables map each letter to its bytes.
        if name == "cp1258":
            out += _encode_cp1258(char, decomposed=decomposed)
        elif char in table:
            out += table[char]
        elif ord(char) < 0x80:
            out += char.encode("ascii")
        else:
            msg = f"{char!r} has no code in {name}"
            raise ValueError(msg)
    return bytes(out)


def _encode_cp1258(char: str, *, decomposed: bool) -> bytes:
    nfd = unicodedata.normalize("NFD", char)
    tone = "".join(c for c in nfd if c in _TONES)
    if not decomposed or not tone:
        try:
            return char.encode("cp1258")
        except UnicodeEncodeError:
            if not tone:
                raise ValueError(f"{char!r} has no code in cp1258") from None
    base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
    try:
        return base.encode("cp1258") + tone.encode("cp1258")
    except UnicodeEncodeError:
        msg = f"{char!r} has no code in cp1258"
        raise ValueError(msg) from None
