"""Numbers for people: thousands separators, decimals by unit, distances converted from
miles, and ``—`` for a value that is unknown or suppressed (never 0).

The one home for number formatting, below every layer that shows numbers (like
``geo.config``, importable from ``geo.analysis`` and ``geo.render`` alike);
:mod:`geo.render.formatting` re-exports these for the pages.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

MISSING = "—"


def is_missing(value: Any) -> bool:
    """True for None, ``pd.NA`` and NaN (a suppressed or unknown value), else False."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def count(value: Any) -> str:
    """A whole number with thousands separators (``12,345``); ``—`` when missing."""
    return MISSING if is_missing(value) else f"{round(float(value)):,}"


def decimal(value: Any, digits: int = 1) -> str:
    """A number with ``digits`` decimals and thousands separators."""
    return MISSING if is_missing(value) else f"{float(value):,.{digits}f}"


def percent(value: Any, digits: int = 1) -> str:
    """A percentage given in percent units (``94.1%``)."""
    return MISSING if is_missing(value) else f"{float(value):.{digits}f}%"


def miles(value: Any, digits: int = 1) -> str:
    """A distance in miles (``3.7 mi``)."""
    return MISSING if is_missing(value) else f"{float(value):,.{digits}f} mi"


KM_PER_MILE = 1.609344


def distance_in(value_miles: float, unit: str = "mi") -> float:
    """A distance given in miles, in ``unit`` (``mi`` or ``km``)."""
    return float(value_miles) * (KM_PER_MILE if unit == "km" else 1.0)


def distance(value_miles: Any, unit: str = "mi", digits: int = 1) -> str:
    """A distance given in miles, for people in ``unit`` (``3.7 mi``, ``6.0 km``)."""
    if is_missing(value_miles):
        return MISSING
    return f"{distance_in(float(value_miles), unit):,.{digits}f} {unit}"


def radius(radius_m: float, unit: str = "mi") -> str:
    """A radius in metres for people in ``unit``: ``5 miles``, ``1 mile``, ``8 km``."""
    if unit == "km":
        return f"{round(radius_m / 1000, 3):g} km"
    value = round(radius_m / (KM_PER_MILE * 1000), 3)
    return f"{value:g} mile" + ("" if value == 1 else "s")


def signed(value: Any, digits: int = 0) -> str:
    """A change with its sign (``+1,234``)."""
    if is_missing(value) or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{value:+,.{digits}f}"


#: Decimals a measure's value shows by its unit (others: 1): counts whole, 0-1 ranks and
#: distances to the hundredth.
UNIT_DIGITS = {"people": 0, "sites": 0, "deaths": 0, "0-1 rank": 2, "miles": 2, "km": 2}


def value_text(value: Any, unit: str, digits: int | None = None) -> str:
    """A measure's value for people by its ``unit`` (a :class:`geo.analysis.compare.Measure`
    unit): ``12.3``, ``0.45`` (0-1 ranks, distances), ``1,234`` (counts), or ``digits``
    decimals when given; ``—`` when unknown or suppressed."""
    if is_missing(value):
        return MISSING
    places = UNIT_DIGITS.get(unit, 1) if digits is None else digits
    return f"{float(value):,.{places}f}"
