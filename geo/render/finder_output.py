"""A finder answer as people read or download it: text, JSON records and CSV.

Every form carries the straight-line note, the call-ahead caveat and the GeoNames
attribution of the place names (:attr:`geo.analysis.finder.FinderResult.notes`).
In another language (``lang``) the text form is translated throughout; JSON and CSV
translate their notes only: their keys, CSV header row and coded values (``type``,
``location_precision``, ``travel_mode``, ``listed_as``) stay the same in every language,
so scripts that read them keep working (docs/finder-and-handout.md).
"""

from __future__ import annotations

import json
import math
import re

import pandas as pd

from geo.analysis.finder import FinderResult, QueryPoint
from geo.i18n import N_, Message, Translator, language, translator
from geo.render.exports import csv_bytes
from geo.render.formatting import one_line
from geo.render.palette import APPROXIMATE_LOCATION
from geo.schema import SITE_TYPE_LABELS

RECORD_KEYS = (
    "id",
    "name",
    "type",
    "distance_miles",
    "lat",
    "lon",
    "place",
    "jurisdiction",
    "address",
    "phone",
    "hours",
    "source",
    "as_of",
    "evidence_date",
    "location_precision",
)
PRECISION_NOTES = {
    "zip_centroid": APPROXIMATE_LOCATION,
    "none": N_("location not mapped"),
}
#: A site's detail lines: label msgid and column (the page, the text answer, the handout).
DETAIL_LABELS = (
    (N_("Address:"), "address"),
    (N_("Phone:"), "phone"),
    (N_("Hours (as published):"), "hours"),
)
#: How a trip of the network measures reads (``travel_mode`` -> msgid).
TRIP_TEXT = {"walk": N_("{minutes} min walk"), "drive": N_("{minutes} min drive")}
#: The same for a site placed at its ZIP centre: the trip ends there, not at the site.
APPROXIMATE_TRIP_TEXT = {
    "walk": N_("about {minutes} min walk to its ZIP centre"),
    "drive": N_("about {minutes} min drive to its ZIP centre"),
}


def trip_phrase(row: pd.Series, _: Translator | None = None) -> str:
    """``7 min walk``; for a site placed at its ZIP centre ``about 1 min walk to its ZIP
    centre`` (its minutes are to that centre, never to the site: issue 28 item 6 for the
    straight line). At least 1 minute; in the language of ``_``."""
    _ = _ or translator("en")
    minutes = max(1, round(float(row["travel_minutes"])))
    trip = str(row.get("travel_mode") or "trip")
    texts = APPROXIMATE_TRIP_TEXT if is_approximate(row) else TRIP_TEXT
    if trip not in texts:
        return f"{minutes} min {trip}"
    return _(texts[trip]).format(minutes=minutes)


def _value(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    return value.item() if hasattr(value, "item") else value


#: Keys added when the answer is ordered by network minutes (geo.analysis.travel).
TRAVEL_KEYS = (
    "travel_minutes",
    "travel_mode",
    "network_m",
    "origin_snap_m",
    "site_snap_m",
    "far_from_network",
)


def record_keys(frame: pd.DataFrame) -> tuple[str, ...]:
    """:data:`RECORD_KEYS`, and :data:`TRAVEL_KEYS` when the frame has travel minutes."""
    return RECORD_KEYS + (TRAVEL_KEYS if "travel_minutes" in frame else ())


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as JSON-ready dicts with :func:`record_keys` (None where unknown)."""
    keys = record_keys(frame)
    return [{key: _value(row.get(key)) for key in keys} for _, row in frame.iterrows()]


def note_text(note: str, _: Translator) -> str:
    """A note of :attr:`FinderResult.notes` in the language of ``_`` (a msgid, or a
    :class:`geo.i18n.Message` with its values)."""
    return note.translated(_) if isinstance(note, Message) else _(note)


def result_json(result: FinderResult, lang: str = "en") -> dict[str, object]:
    """The finder answer in the CLI's JSON shape: the same keys in every language, the
    notes in ``lang`` (named by the ``lang`` key)."""
    _ = translator(lang)
    query = result.query
    return {
        "lang": language(lang),
        "query": {
            "text": query.text,
            "lat": round(query.lat, 6),
            "lon": round(query.lon, 6),
            "matched": query.matched,
        },
        "results": records(result.results),
        "also_in_jurisdiction": records(result.also_in_jurisdiction),
        "notes": [note_text(note, _) for note in result.notes],
    }


def result_json_bytes(result: FinderResult, lang: str = "en") -> bytes:
    text = json.dumps(result_json(result, lang), indent=2, ensure_ascii=False)
    return (text + "\n").encode()


def result_table(result: FinderResult) -> pd.DataFrame:
    """Results then unmapped sites, one row each, with a ``listed_as`` column."""
    mapped = result.results.assign(listed_as="nearest")
    also = result.also_in_jurisdiction.assign(
        listed_as="also in this jurisdiction, location not mapped"
    )
    frame = pd.concat([mapped, also], ignore_index=True) if len(also) else mapped
    columns = ["listed_as", *record_keys(result.results)]
    frame = frame.reindex(columns=columns)
    frame["distance_miles"] = frame["distance_miles"].astype(float).round(3)
    return frame


def result_csv_bytes(result: FinderResult, lang: str = "en") -> bytes:
    """The answer as Excel-safe CSV, the notes as closing rows (``note: `` then the note
    in ``lang``); the header row and coded values are the same in every language."""
    _ = translator(lang)
    table = result_table(result)
    notes = pd.DataFrame({"listed_as": [f"note: {note_text(note, _)}" for note in result.notes]})
    return csv_bytes(pd.concat([table, notes], ignore_index=True))


_ZIP_MATCH = re.compile(r"^ZIP (\d{5})(?: \((.+)\))? centroid$")


def place_label(query: QueryPoint, _: Translator | None = None, centre: bool = True) -> str:
    """What the search matched, in the language of ``_``: a ZIP code reads "ZIP code 21550
    (Oakland) centre" (``centre=False``: without "centre"); towns, coordinates and addresses
    as matched (names are never translated)."""
    _ = _ or translator("en")
    found = _ZIP_MATCH.match(query.matched) if query.kind == "zip" else None
    if not found:
        return query.matched
    code, town = found.groups()
    label = (
        _("ZIP code {code} ({town})").format(code=code, town=town)
        if town
        else _("ZIP code {code}").format(code=code)
    )
    return _("{place} centre").format(place=label) if centre else label


#: The evidence-age and approximate-distance messages, for the translation catalogue
#: (the same msgids as :mod:`geo.render.formatting` uses).
MESSAGES = (
    N_("listed in {year}, not re-confirmed (about {years} years old)"),
    N_("listed in {year}, not re-confirmed (about 1 year old)"),
    N_("from {when} ({months} months old)"),
    N_("from {when} (1 month old)"),
    N_("from {when} (this month)"),
    N_("undated"),
)
ABOUT_UNDER_ONE = N_("about 1 {unit} or less")
ABOUT = N_("about {n} {unit}")


def distance_text(
    metres: float, unit: str = "miles", *, approximate: bool = False, _: Translator | None = None
) -> str:
    """``2.3 mi`` / ``3.7 km`` (straight-line distance). For a site placed at its ZIP
    centre (``approximate``) the distance is to that centre, not to the site: whole
    units with "about" (``about 4 mi``), ``about 1 mi or less`` below one, never 0.0."""
    value, short = (metres / 1000, "km") if unit == "km" else (metres / 1609.344, "mi")
    if approximate:
        _ = _ or translator("en")
        whole = round(value)
        if whole < 1:
            return _(ABOUT_UNDER_ONE).format(unit=short)
        return _(ABOUT).format(n=whole, unit=short)
    return f"{value:.1f} {short}"


def distance_phrase(row: pd.Series, unit: str = "miles", _: Translator | None = None) -> str:
    """``2.3 mi straight-line``, or for a site at its ZIP centre ``about 4 mi
    straight-line to its ZIP centre`` (in the language of ``_``)."""
    _ = _ or translator("en")
    approximate = is_approximate(row)
    text = distance_text(float(row["distance_m"]), unit, approximate=approximate, _=_)
    if approximate:
        return _("{distance} straight-line to its ZIP centre").format(distance=text)
    return _("{distance} straight-line").format(distance=text)


def is_approximate(row: pd.Series) -> bool:
    """Whether the site is placed at its ZIP centre (its distance is approximate)."""
    return str(row.get("location_precision")) == "zip_centroid"


def evidence_line(row: pd.Series, _: Translator | None = None) -> str:
    """``Evidence: listed in 2023, not re-confirmed (about 3 years old)`` or ``Evidence:
    from Feb 2026 (10 months old)`` (in the language of ``_``)."""
    from geo.render.formatting import evidence_age

    _ = _ or translator("en")
    return _("Evidence: {age}").format(age=evidence_age(row.get("evidence_date"), _=_))


def site_lines(row: pd.Series, unit: str = "miles", _: Translator | None = None) -> list[str]:
    """The lines describing one site (plain text, not Markdown), in the language of ``_``."""
    _ = _ or translator("en")
    head = one_line(row["name"])
    if pd.notna(row.get("travel_minutes")):
        straight = distance_text(
            float(row["distance_m"]), unit, approximate=is_approximate(row), _=_
        )
        head = f"{head} — " + trip_phrase(row, _)
        head += " (" + _("{distance} straight-line").format(distance=straight) + ")"
        if row.get("far_from_network"):
            head += " (" + _("more than 500 m from a street: approximate") + ")"
    elif pd.notna(row.get("distance_m")):
        head = f"{head} — " + distance_phrase(row, unit, _)
    kind = str(row["type"])
    lines = [
        head,
        "  " + (_(SITE_TYPE_LABELS[kind]) if kind in SITE_TYPE_LABELS else one_line(kind)),
    ]
    where = [one_line(row[c]) for c in ("place", "jurisdiction") if pd.notna(row.get(c))]
    if pd.notna(row.get("place")):
        where[0] = _("near {place}").format(place=where[0])
    if where:
        lines[-1] += " · " + ", ".join(where)
    for label, column in DETAIL_LABELS:
        if pd.notna(row.get(column)):
            lines.append(f"  {_(label)} {one_line(row[column])}")
    note = PRECISION_NOTES.get(str(row.get("location_precision")))
    if note:
        lines.append(f"  ({_(note)})")
    lines.append(
        "  "
        + _("Source: {source}, as of {date}").format(
            source=one_line(row["source"]), date=one_line(row["as_of"])
        )
    )
    lines.append("  " + evidence_line(row, _))
    return lines


def result_text(result: FinderResult, unit: str = "miles", lang: str = "en") -> str:
    """The answer as plain text for a terminal, in ``lang`` (site names, addresses and
    sources as the data gives them, each on one line with control characters escaped:
    :func:`geo.render.formatting.one_line`)."""
    _ = translator(lang)
    query = result.query
    title = _("Nearest naloxone sites to {place}").format(place=one_line(place_label(query, _)))
    lines = [
        title + (f" ({one_line(result.jurisdiction)})" if result.jurisdiction else "") + ":",
        "",
    ]
    if result.results.empty:
        lines.append(_("No mapped site of the chosen types."))
    for number, (_index, row) in enumerate(result.results.iterrows(), start=1):
        first, *rest = site_lines(row, unit, _)
        lines += [f"{number}. {first}", *rest, ""]
    if len(result.also_in_jurisdiction):
        lines.append(
            _("Also in {place}, location not mapped").format(place=one_line(result.jurisdiction))
            + ":"
        )
        for _index, row in result.also_in_jurisdiction.iterrows():
            first, *rest = site_lines(row, unit, _)
            lines += [f"- {first}", *rest]
        lines.append("")
    lines += [one_line(note_text(note, _)) for note in result.notes]
    return "\n".join(lines) + "\n"
