"""A finder answer as people read or download it: text, JSON records and CSV.

Every form carries the straight-line note, the call-ahead caveat and the GeoNames
attribution of the place names (:attr:`geo.analysis.finder.FinderResult.notes`).
"""

from __future__ import annotations

import json
import math

import pandas as pd

from geo.analysis.finder import FinderResult
from geo.render.exports import csv_bytes
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
    "location_precision",
)
PRECISION_NOTES = {
    "zip_centroid": "location approximate: ZIP code centre",
    "none": "location not mapped",
}


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


def result_json(result: FinderResult) -> dict[str, object]:
    """The finder answer in the CLI's JSON shape."""
    query = result.query
    return {
        "query": {
            "text": query.text,
            "lat": round(query.lat, 6),
            "lon": round(query.lon, 6),
            "matched": query.matched,
        },
        "results": records(result.results),
        "also_in_jurisdiction": records(result.also_in_jurisdiction),
        "notes": list(result.notes),
    }


def result_json_bytes(result: FinderResult) -> bytes:
    return (json.dumps(result_json(result), indent=2, ensure_ascii=False) + "\n").encode()


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


def result_csv_bytes(result: FinderResult) -> bytes:
    """The answer as Excel-safe CSV, the notes as closing rows."""
    table = result_table(result)
    notes = pd.DataFrame({"listed_as": [f"note: {note}" for note in result.notes]})
    return csv_bytes(pd.concat([table, notes], ignore_index=True))


def distance_text(metres: float, unit: str = "miles") -> str:
    """``2.3 mi`` / ``3.7 km`` (straight-line distance)."""
    if unit == "km":
        return f"{metres / 1000:.1f} km"
    return f"{metres / 1609.344:.1f} mi"


def site_lines(row: pd.Series, unit: str = "miles") -> list[str]:
    """The lines describing one site (plain text, not Markdown)."""
    head = row["name"]
    if pd.notna(row.get("travel_minutes")):
        straight = distance_text(float(row["distance_m"]), unit)
        trip = row.get("travel_mode") or "trip"
        minutes = max(1, round(float(row["travel_minutes"])))
        head = f"{head} — {minutes} min {trip} ({straight} straight-line)"
        if row.get("far_from_network"):
            head += " (more than 500 m from a street: approximate)"
    elif pd.notna(row.get("distance_m")):
        head = f"{head} — {distance_text(float(row['distance_m']), unit)} straight-line"
    lines = [head, f"  {SITE_TYPE_LABELS.get(str(row['type']), str(row['type']))}"]
    where = [str(row[c]) for c in ("place", "jurisdiction") if pd.notna(row.get(c))]
    if pd.notna(row.get("place")):
        where[0] = f"near {where[0]}"
    if where:
        lines[-1] += " · " + ", ".join(where)
    for label, column in (("Address", "address"), ("Phone", "phone"), ("Hours", "hours")):
        if pd.notna(row.get(column)):
            lines.append(f"  {label}: {row[column]}")
    note = PRECISION_NOTES.get(str(row.get("location_precision")))
    if note:
        lines.append(f"  ({note})")
    lines.append(f"  Source: {row['source']}, as of {row['as_of']}")
    return lines


def result_text(result: FinderResult, unit: str = "miles") -> str:
    """The answer as plain text for a terminal."""
    query = result.query
    lines = [
        f"Nearest naloxone sites to {query.matched}"
        + (f" ({result.jurisdiction})" if result.jurisdiction else "")
        + ":",
        "",
    ]
    if result.results.empty:
        lines.append("No mapped site of the chosen types.")
    for number, (_, row) in enumerate(result.results.iterrows(), start=1):
        first, *rest = site_lines(row, unit)
        lines += [f"{number}. {first}", *rest, ""]
    if len(result.also_in_jurisdiction):
        lines.append(f"Also in {result.jurisdiction}, location not mapped:")
        for _, row in result.also_in_jurisdiction.iterrows():
            first, *rest = site_lines(row, unit)
            lines += [f"- {first}", *rest]
        lines.append("")
    lines += list(result.notes)
    return "\n".join(lines) + "\n"
