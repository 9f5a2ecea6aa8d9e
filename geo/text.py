"""Plain text made safe for a terminal or a log line. The lowest layer: every package
(``geo.local``, ``geo.cli``, ``geo.render``) may import it; it imports nothing of ``geo``
but :mod:`geo.numbers`."""

from __future__ import annotations

import unicodedata

from geo.numbers import is_missing

#: Control and invisible characters escaped in terminal text: C0/C1 controls (line
#: feed, carriage return, escape...), format characters (bidi overrides, zero-width),
#: line and paragraph separators, surrogates and private use.
_ESCAPED_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: object) -> str:
    """``text`` from data on one terminal line: every control or invisible character
    escaped as Python writes it (``\\n``, ``\\r``, ``\\t``, ``\\x1b``, ``\\u202e``),
    so a name cannot start a line of its own, move the cursor or reorder the text
    (CLI text output, logs). Printable text is unchanged."""
    if is_missing(text):
        return ""
    return "".join(
        (_SHORT_ESCAPES.get(ch) or repr(ch)[1:-1])
        if unicodedata.category(ch) in _ESCAPED_CATEGORIES
        else ch
        for ch in str(text)
    )
