"""Control characters in text from data: shown escaped, never sent to a terminal or a glyph renderer.

One rule for the console (:func:`bkmap.cli.options.clean`) and for printed maps
(:mod:`bkmap.render.printing`): a name holding ``ESC [31m`` or a bell shows as
``\\x1b[31m`` and ``\\x07``.
"""

from __future__ import annotations

import re

__all__ = ["CONTROL", "escape_control", "escape_control_json"]

#: C0 and C1 control characters and DEL; tab and newline are layout and kept.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape_control(text: str) -> str:
    r"""Return ``text`` with each control character written as ``\xNN``.

    Examples
    --------
    >>> print(escape_control("Xã A" + chr(27) + "[31m" + chr(0x9b)))
    Xã A\x1b[31m\x9b
    """
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def escape_control_json(text: str) -> str:
    r"""Return JSON text with each control character written as ``\uXXXX`` (still valid JSON).

    Examples
    --------
    >>> escape_control_json('{"n": "A' + chr(0x9b) + '31m"}')
    '{"n": "A\\u009b31m"}'
    """
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
