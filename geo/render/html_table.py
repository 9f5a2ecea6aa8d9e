"""A table as plain, escaped HTML: the screen-reader and copy-paste alternative to the
canvas data grids (whose rows are not in the page text), with the same headers and
number formats, a caption, and marked rows (the focus jurisdiction) flagged in words."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from geo.numbers import MISSING, is_missing

_PRINTF = re.compile(r"^%\.(\d+)f$")


def digits_of(number_format: str | None) -> int | None:
    """Decimals of a Streamlit number format: ``%.2f`` → 2, ``localized`` → 0 (a count),
    anything else None (shown as it is)."""
    if number_format == "localized":
        return 0
    match = _PRINTF.match(number_format or "")
    return int(match.group(1)) if match else None


def cell_text(value: object, digits: int | None = None) -> str:
    """One cell for people: ``—`` when missing; numbers with thousands separators and
    ``digits`` decimals (whole numbers without decimals when ``digits`` is None)."""
    if is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) or pd.api.types.is_number(value):
        number = float(value)
        if digits is None:
            return f"{number:,.0f}" if number.is_integer() else f"{number:,}"
        return f"{number:,.{digits}f}"
    return str(value)


def html_table(
    frame: pd.DataFrame,
    headers: Mapping[str, str],
    caption: str,
    *,
    digits: Mapping[str, int | None] | None = None,
    marked: Sequence[bool] | None = None,
    mark_text: str = "focus",
) -> str:
    """``frame``'s columns named in ``headers`` (in that order) as an escaped HTML table
    with ``caption``; the first column is a row header; rows where ``marked`` is true get
    ``(mark_text)`` after their first cell and the ``marked`` class."""
    columns = [c for c in headers if c in frame.columns]
    digits = digits or {}
    marks = list(marked) if marked is not None else [False] * len(frame)
    head = "".join(f'<th scope="col">{html.escape(headers[c])}</th>' for c in columns)
    body = []
    for (_, row), mark in zip(frame.iterrows(), marks, strict=True):
        cells = []
        for i, column in enumerate(columns):
            text = html.escape(cell_text(row[column], digits.get(column)))
            if i == 0:
                if mark:
                    text = f"<strong>{text}</strong> ({html.escape(mark_text)})"
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f"<td>{text}</td>")
        opening = '<tr class="marked">' if mark else "<tr>"
        body.append(opening + "".join(cells) + "</tr>")
    return (
        f'<table class="plain-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
