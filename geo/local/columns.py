"""An import's columns and cells: which column holds which field (by name), the site
types it may name, and the rejection of one row (:class:`Reject`, naming the field).

Used by :mod:`geo.local.importing` (which re-exports ``FIELDS``, ``REQUIRED``,
``SYNONYMS``, ``TYPE_SYNONYMS`` and :func:`guess_mapping`) and
:mod:`geo.local.locating`.
"""

from __future__ import annotations

import re

from geo.schema import SITE_TYPES

FIELDS = (
    "name",
    "type",
    "address",
    "city",
    "zip",
    "lat",
    "lon",
    "jurisdiction",
    "notes",
    "source",
    "source_date",
)


REQUIRED = ("name", "type")


SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "site",
        "site name",
        "sitename",
        "organization",
        "organisation",
        "location name",
        "facility",
        "provider",
    ),
    "type": ("type", "site type", "sitetype", "category", "kind"),
    "address": ("address", "street", "street address", "address1", "addr"),
    "city": ("city", "town", "municipality"),
    "zip": ("zip", "zipcode", "zip code", "postal code", "postcode", "zip5"),
    "lat": ("lat", "latitude", "y", "lat_dd"),
    "lon": ("lon", "lng", "long", "longitude", "x", "lon_dd"),
    "jurisdiction": ("jurisdiction", "county", "county fips", "fips", "county_fips"),
    "notes": ("notes", "note", "comments", "comment", "hours"),
    "source": ("source", "source url", "url", "website"),
    "source_date": ("source date", "as of", "date", "updated"),
}


TYPE_SYNONYMS: dict[str, str] = {
    "pharmacy": "pharmacy",
    "drugstore": "pharmacy",
    "drug store": "pharmacy",
    "opioid treatment program": "opioid_treatment_program",
    "otp": "opioid_treatment_program",
    "methadone clinic": "opioid_treatment_program",
    "opioid_treatment_program": "opioid_treatment_program",
    "health department": "health_department",
    "local health department": "health_department",
    "health_department": "health_department",
    "lhd": "health_department",
    "harm reduction": "harm_reduction",
    "harm_reduction": "harm_reduction",
    "syringe services program": "harm_reduction",
    "ssp": "harm_reduction",
    "syringe services": "harm_reduction",
    "overdose response program": "harm_reduction",
    "vending machine": "vending_machine",
    "naloxone vending machine": "vending_machine",
    "vending_machine": "vending_machine",
    "naloxone box": "vending_machine",
}


def column_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def guess_mapping(columns: list[str]) -> dict[str, str | None]:
    """Best guess of which column holds each field (None when absent)."""
    by_key = {column_key(c): c for c in columns}
    mapping: dict[str, str | None] = {}
    for target, names in SYNONYMS.items():
        mapping[target] = next(
            (by_key[column_key(n)] for n in names if column_key(n) in by_key), None
        )
    return mapping


def shown(value: object, limit: int = 60) -> str:
    """A cell value quoted for a rejection reason, cut to ``limit`` characters."""
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "…")


class Reject(Exception):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


class LikelyDuplicate(Reject):
    """A row that looks like a listed site under another name: held until confirmed."""


def known_type(raw_type: str | None) -> str:
    if not raw_type:
        raise Reject("type", "a site needs a type")
    site_type = TYPE_SYNONYMS.get(column_key(raw_type)) or TYPE_SYNONYMS.get(raw_type.lower())
    if site_type is None:
        raise Reject("type", f"unknown type {shown(raw_type)}; use one of " + ", ".join(SITE_TYPES))
    return site_type
