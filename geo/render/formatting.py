"""Text for people: text from data or links made safe to show where Markdown is
rendered or on a terminal, free text clipped for layouts, evidence ages; and the numbers
of :mod:`geo.numbers` (thousands separators, units, decimals by unit), re-exported."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from geo.numbers import (
    KM_PER_MILE,
    MISSING,
    count,
    decimal,
    distance,
    distance_in,
    is_missing,
    miles,
    percent,
    radius,
    signed,
    value_text,
)
from geo.text import one_line

__all__ = [
    "KM_PER_MILE",
    "MISSING",
    "clip",
    "count",
    "decimal",
    "distance",
    "distance_in",
    "evidence_age",
    "is_missing",
    "markdown_link",
    "markdown_literal",
    "miles",
    "one_line",
    "percent",
    "radius",
    "rurality_text",
    "share_or_unknown",
    "signed",
    "value_text",
]

_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
URL_SAFE = ":/?#[]@!$&'*+,;=%~-._"  # kept as is in a Markdown link; "()<>", spaces encoded


#: The most characters of one free-text value (evidence, a name, notes) a layout shows:
#: a briefing, a printed list. Longer text ends in "…" and the layout says where the
#: whole text is (the data export); the store bounds text at entry as well.
MAX_LAYOUT_CHARS = 600
MAX_LAYOUT_NAME_CHARS = 120


def clip(text: object, limit: int = MAX_LAYOUT_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with "…" when longer."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def markdown_literal(text: object) -> str:
    """``text`` shown literally where Markdown is rendered (Streamlit's markdown, captions,
    alerts, toasts and widget labels): every ASCII punctuation mark is backslash-escaped
    (CommonMark allows this for all of them), so no link, image, emphasis, HTML, LaTeX,
    ``:directive[...]`` or bare URL can form; line breaks become spaces."""
    if is_missing(text):
        return ""
    return _ASCII_PUNCTUATION.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)))


def markdown_link(label: object, url: object) -> str:
    """A Markdown link showing ``label`` literally; only an http(s) URL is linked (with
    characters that could end the link percent-encoded), anything else gives plain text."""
    text = markdown_literal(label)
    address = "" if is_missing(url) else str(url).strip()
    try:
        scheme, host = urlsplit(address).scheme.lower(), urlsplit(address).netloc
    except ValueError:
        return text
    if scheme not in ("http", "https") or not host:
        return text
    return f"[{text}]({quote(address, safe=URL_SAFE)})"


def share_or_unknown(value: object, digits: int = 1) -> str:
    """A percentage (``12.3%``), or ``unknown (no households)`` when missing."""
    return "unknown (no households)" if is_missing(value) else f"{float(value):.{digits}f}%"


def rurality_text(code: object, label: object) -> str:
    """``Urban (RUCA 1)``; code 99 reads ``not coded (RUCA 99)``; missing: ``unknown``."""
    if is_missing(code):
        return "unknown"
    if int(code) == 99:
        return "not coded (RUCA 99)"
    return f"{label} (RUCA {int(code)})" if not is_missing(label) else f"RUCA {int(code)}"


#: How old a listing's evidence is, in words (English msgids; geo/render/finder_output.py
#: lists them for the translation catalogue).
EVIDENCE_OLD = "listed in {year}, not re-confirmed (about {years} years old)"
EVIDENCE_OLD_ONE = "listed in {year}, not re-confirmed (about 1 year old)"
EVIDENCE_NEW = "from {when} ({months} months old)"
EVIDENCE_NEW_ONE = "from {when} (1 month old)"
EVIDENCE_NOW = "from {when} (this month)"
EVIDENCE_UNDATED = "undated"


def evidence_age(evidence_date: object, today: object = None, _=None) -> str:
    """How old a listing's evidence is, from its ISO ``evidence_date`` (year, month or
    day): ``listed in 2023, not re-confirmed (about 3 years old)`` when a year or older,
    ``from Feb 2026 (10 months old)`` when newer, ``undated`` when missing. ``today``: a
    ``datetime.date`` (default: today); ``_``: a translator (default: English)."""
    import calendar
    import datetime

    _ = _ or (lambda message: message)
    found = (
        None
        if is_missing(evidence_date)
        else re.match(r"^(\d{4})(?:-(\d{2}))?", str(evidence_date))
    )
    if not found:
        return _(EVIDENCE_UNDATED)
    year, month = int(found.group(1)), int(found.group(2) or 1)
    today = today or datetime.date.today()
    months = (today.year - year) * 12 + today.month - month
    if months >= 12:
        years = months // 12
        template = EVIDENCE_OLD_ONE if years == 1 else EVIDENCE_OLD
        return _(template).format(year=year, years=years)
    when = f"{_(calendar.month_abbr[month])} {year}" if found.group(2) else str(year)
    if months <= 0:
        return _(EVIDENCE_NOW).format(when=when)
    template = EVIDENCE_NEW_ONE if months == 1 else EVIDENCE_NEW
    return _(template).format(when=when, months=months)
