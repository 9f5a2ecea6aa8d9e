"""Numbers formatted for people: thousands separators and units."""

from __future__ import annotations

import math

import pandas as pd

MISSING = "—"


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def count(value: object) -> str:
    """A whole number with thousands separators (``12,345``); ``—`` when missing."""
    return MISSING if _missing(value) else f"{round(float(value)):,}"


def decimal(value: object, digits: int = 1) -> str:
    """A number with ``digits`` decimals and thousands separators."""
    return MISSING if _missing(value) else f"{float(value):,.{digits}f}"


def percent(value: object, digits: int = 1) -> str:
    """A percentage given in percent units (``94.1%``)."""
    return MISSING if _missing(value) else f"{float(value):.{digits}f}%"


def miles(value: object, digits: int = 1) -> str:
    """A distance in miles (``3.7 mi``)."""
    return MISSING if _missing(value) else f"{float(value):,.{digits}f} mi"


def per_100k(value: object, digits: int = 1) -> str:
    """A rate per 100,000 residents."""
    return MISSING if _missing(value) else f"{float(value):,.{digits}f} per 100,000"


def signed(value: float, digits: int = 0) -> str:
    """A change with its sign (``+1,234``)."""
    if _missing(value) or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{value:+,.{digits}f}"
