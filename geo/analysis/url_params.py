"""The one strict reader of URL query parameters (a link is anyone's text).

Every parameter a page reads from the query string goes through these functions:

- :func:`first` takes one value of a parameter (a repeated key gives the last value,
  as ``st.query_params`` does), refuses values longer than the parameter allows and
  values with control characters;
- :func:`whole_number` and :func:`decimal` accept ASCII digits only (``"²".isdigit()``
  is true and ``int("²")`` raises; ``float("١٠")`` is 10), within bounds;
- :func:`choice` and :func:`choices` accept only values from a fixed set.

Each returns ``None`` (or drops the value) when the text is not acceptable and never
raises: the caller reports the problem by the parameter's name and never repeats the
value (it may be shown where Markdown is rendered).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Mapping

#: Longest value of a parameter (characters) unless the parameter says otherwise.
DEFAULT_MAX_CHARS = 200
#: A list parameter (comma-separated) holds at most this many items.
MAX_ITEMS = 64

_WHOLE = re.compile(r"[0-9]{1,9}", re.ASCII)
_DECIMAL = re.compile(r"[0-9]{1,6}(?:\.[0-9]{0,6})?|\.[0-9]{1,6}", re.ASCII)


def has_control(text: str) -> bool:
    """True when ``text`` holds a control, format or unassigned character (Unicode
    categories Cc, Cf, Cn, Co, Cs: NUL, line breaks, bidi overrides, zero-width...)."""
    return any(unicodedata.category(ch).startswith("C") for ch in text)


def first(
    params: Mapping[str, object], key: str, max_chars: int = DEFAULT_MAX_CHARS
) -> tuple[str | None, bool]:
    """One value of ``params[key]`` as text and whether it is acceptable.

    Returns ``(None, True)`` when the key is absent, ``(text, True)`` for an acceptable
    value and ``(None, False)`` for one that is too long or holds control characters.
    A repeated key (a list) gives its last value.
    """
    if key not in params:
        return None, True
    value = params[key]
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    text = "" if value is None else str(value)
    if len(text) > max_chars or has_control(text):
        return None, False
    return text, True


def whole_number(text: str, lowest: int, highest: int) -> int | None:
    """``text`` as an int in ``[lowest, highest]``: ASCII digits only, else None."""
    if not _WHOLE.fullmatch(text):
        return None
    number = int(text)
    return number if lowest <= number <= highest else None


def decimal(text: str, above: float, highest: float) -> float | None:
    """``text`` as a float in ``(above, highest]``: ASCII digits with at most one decimal
    point (no sign, exponent, underscores, ``inf`` or ``nan``), else None."""
    if not _DECIMAL.fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) and above < number <= highest else None


def choice(text: str, allowed: Collection[str]) -> str | None:
    """``text`` when it is one of ``allowed`` (exactly), else None."""
    return text if text in allowed else None


def choices(text: str, allowed: Collection[str]) -> tuple[tuple[str, ...], int]:
    """The comma-separated items of ``text`` that are in ``allowed`` (in the order given,
    each once, at most :data:`MAX_ITEMS` read) and how many items were refused."""
    items = [item for item in text.split(",", MAX_ITEMS)[:MAX_ITEMS] if item]
    good = tuple(dict.fromkeys(item for item in items if item in allowed))
    refused = sum(item not in allowed for item in items) + (text.count(",") >= MAX_ITEMS)
    return good, refused
