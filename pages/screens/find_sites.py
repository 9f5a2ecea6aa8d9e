"""The finder's answer as Markdown: one site per list item (name, distance or walking
minutes, type, address, ``tel:`` phone, hours, directions, source and evidence) and the
note saying what the distances are. Every value from data is literal Markdown."""

from __future__ import annotations

import pandas as pd

from geo.analysis.finder import STRAIGHT_LINE_NOTE, FinderResult
from geo.analysis.finder_links import site_directions_url, tel_href
from geo.i18n import Translator, translator
from geo.render.finder_output import (
    PRECISION_NOTES,
    distance_phrase,
    distance_text,
    evidence_line,
    is_approximate,
    trip_phrase,
)
from geo.render.formatting import markdown_literal
from geo.schema import SITE_TYPE_LABELS
from shell.frame import PageContext


def phone_markdown(phone: str) -> str:
    """The phone as a ``tel:`` link (a phone tap dials it); plain text when it is not a
    10-digit US number."""
    href = tel_href(phone)
    text = markdown_literal(phone)
    return f"[{text}]({href})" if href else text


def directions_markdown(
    origin: tuple[float, float] | None, row: pd.Series, _: Translator
) -> str | None:
    """Walking directions on openstreetmap.org from the searched point: a plain link the
    person follows (the page never fetches it), saying that it leaves the dashboard."""
    url = site_directions_url(*origin, row) if origin else None
    if url is None:
        return None
    label = _("Walking directions")
    leaving = _("opens OpenStreetMap, outside this dashboard; not checked by us")
    return f"[{label} ↗]({url}) _({leaving})_"


def site_markdown(
    number: int | None,
    row: pd.Series,
    unit: str,
    origin: tuple[float, float] | None = None,
    _: Translator | None = None,
) -> str:
    """One site as a Markdown list item; every value from data is literal."""
    _ = _ or translator("en")
    name = markdown_literal(row["name"])
    head = f"**{name}**"
    if pd.notna(row.get("travel_minutes")):
        straight = distance_text(
            float(row["distance_m"]), unit, approximate=is_approximate(row), _=_
        )
        head += (
            " — "
            + trip_phrase(row, _)
            + " ("
            + _("{distance} straight-line").format(distance=straight)
            + ")"
        )
    elif pd.notna(row.get("distance_m")):
        head += " — " + distance_phrase(row, unit, _)
    lines = [f"{number}. {head}" if number else f"- {head}"]
    kind = str(row["type"])
    what = [markdown_literal(_(SITE_TYPE_LABELS[kind]) if kind in SITE_TYPE_LABELS else kind)]
    if pd.notna(row.get("place")):
        what.append(_("near {place}").format(place=markdown_literal(row["place"])))
    if pd.notna(row.get("jurisdiction")):
        what.append(markdown_literal(row["jurisdiction"]))
    lines.append(" · ".join(what))
    if pd.notna(row.get("address")):
        lines.append(_("Address:") + " " + markdown_literal(row["address"]))
    if pd.notna(row.get("phone")):
        lines.append(_("Phone:") + " " + phone_markdown(str(row["phone"])))
    if pd.notna(row.get("hours")):
        lines.append(_("Hours (as published):") + " " + markdown_literal(row["hours"]))
    directions = directions_markdown(origin, row, _)
    if directions:
        lines.append(directions)
    note = PRECISION_NOTES.get(str(row.get("location_precision")))
    if note:
        lines.append(f"_{markdown_literal(_(note))}_")
    lines.append(
        _("Source: {source}, as of {date}").format(
            source=markdown_literal(row["source"]), date=markdown_literal(row["as_of"])
        )
    )
    lines.append(markdown_literal(evidence_line(row, _)))
    indent = "   " if number else "  "
    return ("  \n" + indent).join(lines)


def measure_note(context: PageContext, result: FinderResult, _: Translator) -> str:
    """What the distances are: the answer's own travel note under a network measure
    (ordered by its minutes, or why this search stays straight-line:
    :func:`geo.analysis.travel.travel_find`), else the straight-line note."""
    if context.view.by_time:
        from geo.analysis.travel import travel_note

        note = travel_note(result)
        if note is not None:
            return note.translated(_)
    return _(STRAIGHT_LINE_NOTE)
