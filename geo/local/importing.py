"""Importing site lists (CSV, Excel .xlsx, GeoJSON): read, map columns, validate row by
row, and report; the accepted rows are written in one transaction by the store.

Reading lives in :mod:`geo.local.readers` (with :mod:`geo.local.workbook` for .xlsx),
in a child process for uploads (:func:`read_upload_isolated`, through
:mod:`geo.local.isolation`); the duplicate rule in :mod:`geo.local.duplicates`. This
module is the import's API: its names below are what the pages and the CLI use.

Row numbers in reports are as a spreadsheet shows them (header = row 1); for
GeoJSON they are feature numbers (first feature = 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.config import MARYLAND_STATE_FIPS, RAW_DIR
from geo.data.places import JurisdictionLookup
from geo.data.raw import read_zip_centroids
from geo.errors import InputError
from geo.local import workbook
from geo.local.duplicates import ImportDuplicates, lookalike_note, normalise_name
from geo.local.isolation import READ_MEMORY_BYTES, READ_TIMEOUT_S, run_isolated
from geo.local.limits import too_long
from geo.local.readers import (
    CONTROL_CHARS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_COLUMNS,
    MAX_IMPORT_ROWS,
    ImportTable,
    file_label,
    read_upload,
)
from geo.schema import SITE_TYPES

__all__ = [
    "FIELDS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_COLUMNS",
    "MAX_IMPORT_ROWS",
    "REQUIRED",
    "SYNONYMS",
    "TYPE_SYNONYMS",
    "ImportReport",
    "ImportTable",
    "guess_mapping",
    "normalise_name",
    "read_upload",
    "read_upload_isolated",
    "rejected_rows_frame",
    "validate",
]

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
STATEWIDE_NAMES = ("maryland", "statewide", "maryland statewide", "md")
"""A stated jurisdiction that means the whole state (kept unmapped, statewide)."""
STATEWIDE_NOTE = "no address, ZIP or jurisdiction given: listed statewide, not mapped"
ZIP_CENTROIDS = "md_zip_centroids_zipcodes3.csv"  # in data/raw: places a row given only a ZIP
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


@dataclass
class ImportReport:
    """Accepted site records and rejected rows (row, field, reason); ``accepted`` has
    ``_row`` (the row number) and ``_confirmed_duplicate`` (a confirmed likely duplicate,
    for the store's own check, :meth:`geo.local.store.Store.add_sites`)."""

    accepted: pd.DataFrame
    rejected: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    likely_duplicates: list[int] = field(default_factory=list)
    """Rows rejected only as likely duplicates: imported when the importer confirms."""

    def rejected_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rejected, columns=["row", "field", "reason"])

    def as_json(self) -> dict[str, object]:
        return {
            "accepted": len(self.accepted),
            "rejected": self.rejected,
            "notes": self.notes,
            "likely_duplicates": self.likely_duplicates,
        }


def read_upload_isolated(
    filename: str,
    data: bytes,
    *,
    timeout_s: float = READ_TIMEOUT_S,
    memory_bytes: int = READ_MEMORY_BYTES,
) -> ImportTable:
    """:func:`read_upload` in a child process with a time and memory limit (for uploads)."""
    name = file_label(filename)
    if len(data) > MAX_IMPORT_BYTES or not data.strip():  # refused before starting a child
        return read_upload(filename, data)
    if Path(name).suffix.lower() == ".xlsx":  # a zip bomb is refused from its directory
        workbook.check_directory(name, data)
    return cast(
        ImportTable,
        run_isolated(
            read_upload,
            (filename, data),
            label=name,
            timeout_s=timeout_s,
            memory_bytes=memory_bytes,
        ),
    )


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def guess_mapping(columns: list[str]) -> dict[str, str | None]:
    """Best guess of which column holds each field (None when absent)."""
    by_key = {_key(c): c for c in columns}
    mapping: dict[str, str | None] = {}
    for target, names in SYNONYMS.items():
        mapping[target] = next((by_key[_key(n)] for n in names if _key(n) in by_key), None)
    return mapping


def _shown(value: object, limit: int = 60) -> str:
    """A cell value quoted for a rejection reason, cut to ``limit`` characters."""
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "…")


class _Reject(Exception):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


class _LikelyDuplicate(_Reject):
    """A row that looks like a listed site under another name: held until confirmed."""


def _number(value: object, field_name: str) -> float | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == "":
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        raise _Reject(field_name, f"{_shown(value)} is not a number") from None
    if not np.isfinite(number):
        raise _Reject(field_name, f"{_shown(value)} is not a finite number")
    return number


@dataclass
class _Places:
    """What rows are located against: the jurisdictions (by FIPS and by name) and the
    ZIP centroids."""

    jurisdictions: gpd.GeoDataFrame
    zips: pd.DataFrame
    names: dict[str, str] = field(init=False)  # FIPS -> name
    by_name: dict[str, str] = field(init=False)  # normalised name or "<name> county" -> FIPS
    by_zip_county: dict[str, str] = field(init=False)  # a ZIP's county name -> FIPS
    lookup: JurisdictionLookup = field(init=False)

    def __post_init__(self) -> None:
        self.lookup = JurisdictionLookup(self.jurisdictions)
        self.names = dict(zip(self.jurisdictions["fips"], self.jurisdictions["name"], strict=True))
        self.by_name = {normalise_name(n): f for f, n in self.names.items()}
        self.by_name.update({normalise_name(n) + " county": f for f, n in self.names.items()})
        self.by_zip_county = {normalise_name(n) + " county": f for f, n in self.names.items()}
        self.by_zip_county["baltimore city"] = "24510"

    def stated_fips(self, stated: str | None) -> str | None:
        """The FIPS of a stated jurisdiction (FIPS, county code or name), None if none."""
        if not stated:
            return None
        if stated == MARYLAND_STATE_FIPS or normalise_name(stated) in STATEWIDE_NAMES:
            return MARYLAND_STATE_FIPS
        text = stated.zfill(3) if stated.isdigit() and len(stated) <= 3 else stated
        if text in self.names:
            return text
        if f"{MARYLAND_STATE_FIPS}{text}" in self.names:
            return f"{MARYLAND_STATE_FIPS}{text}"
        fips = self.by_name.get(normalise_name(stated))
        if fips is None:
            raise _Reject("jurisdiction", f"unknown Maryland jurisdiction {_shown(stated)}")
        return fips

    def zip_point(self, zip5: str) -> tuple[float, float] | None:
        """(lat, lon) of a Maryland ZIP's centroid, or None."""
        if not (zip5 and zip5 in self.zips.index):
            return None
        return float(self.zips["lat"].loc[zip5]), float(self.zips["lon"].loc[zip5])

    def zip_fips(self, zip5: str) -> str | None:
        """The jurisdiction of a Maryland ZIP (by its county name), or None."""
        if not (zip5 and zip5 in self.zips.index):
            return None
        return self.by_zip_county.get(normalise_name(str(self.zips.loc[zip5, "county_name"])))

    def containing(self, lat: float, lon: float) -> str | None:
        """The FIPS of the jurisdiction the point lies in, or None (outside Maryland)."""
        return self.lookup([lon], [lat])[0]


@dataclass
class _Location:
    """Where an accepted row is: coordinates (None: unmapped), how exact, jurisdiction."""

    lat: float | None
    lon: float | None
    precision: str
    fips: str | None
    note: str | None = None


def _is_blank(row: pd.Series) -> bool:
    return all(
        v is None or (isinstance(v, float) and np.isnan(v)) or not str(v).strip()
        for v in row.tolist()
    )


def _cells(row: pd.Series, mapping: dict[str, str | None]) -> dict[str, str | None]:
    """Each field's text in ``row`` (None when unmapped or blank); a control character in
    any of them rejects the row."""
    cells: dict[str, str | None] = {}
    for target in FIELDS:
        column = mapping.get(target)
        value = row[column] if column and column in row else None
        if value is None or (isinstance(value, float) and np.isnan(value)):
            cells[target] = None
            continue
        text = str(value).strip() or None
        cells[target] = text
        too_much = too_long(target, text) if text else None
        if too_much:
            raise _Reject(target, f"{too_much}; shorten it and import again")
        bad = CONTROL_CHARS.search(cells[target] or "")
        if bad:
            raise _Reject(
                target,
                f"contains the control character "
                f"U+{ord(bad.group()):04X}; remove it and import again",
            )
    return cells


def _site_type(raw_type: str | None) -> str:
    if not raw_type:
        raise _Reject("type", "a site needs a type")
    site_type = TYPE_SYNONYMS.get(_key(raw_type)) or TYPE_SYNONYMS.get(raw_type.lower())
    if site_type is None:
        raise _Reject(
            "type", f"unknown type {_shown(raw_type)}; use one of " + ", ".join(SITE_TYPES)
        )
    return site_type


def _coordinates(cells: dict[str, str | None]) -> tuple[float | None, float | None]:
    """Stated (lat, lon): numbers, both or neither, not swapped, valid."""
    lat, lon = _number(cells["lat"], "lat"), _number(cells["lon"], "lon")
    if (lat is None) != (lon is None):
        raise _Reject(
            "lat" if lat is None else "lon", "give both latitude and longitude, or neither"
        )
    if lat is not None and lon is not None:
        if -80 <= lat <= -74 and 37 <= lon <= 40:
            raise _Reject("lat", f"latitude {lat} and longitude {lon} look swapped")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _Reject("lat", f"({lat}, {lon}) is not a valid coordinate")
    return lat, lon


def _place_point(
    lat: float, lon: float, precision: str, zip5: str, stated: str | None, places: _Places
) -> _Location:
    """Check a point against Maryland and the stated jurisdiction: an exact point that
    fails is rejected; a ZIP centroid that fails is dropped (unmapped, with a note)."""
    found = places.containing(lat, lon)
    if found is None:
        if precision == "exact":
            raise _Reject("lat", f"({lat:.5f}, {lon:.5f}) is outside Maryland")
        return _Location(
            None, None, "none", stated, f"ZIP {zip5} centroid is outside Maryland: not mapped"
        )
    if stated and found != stated:
        if precision == "exact":
            raise _Reject(
                "jurisdiction",
                f"the point lies in {places.names[found]}, not {places.names[stated]}",
            )
        return _Location(
            None,
            None,
            "none",
            stated,
            f"ZIP {zip5} centroid lies in {places.names[found]}, outside the "
            "stated jurisdiction: not mapped",
        )
    return _Location(lat, lon, precision, found)


def _locate(cells: dict[str, str | None], stated: str | None, places: _Places) -> _Location:
    """Coordinates, else the ZIP centroid, else unmapped; the jurisdiction stated, of the
    point, or of the ZIP, else statewide (``MARYLAND_STATE_FIPS``): a site with nothing
    locatable is kept unmapped, listed, and never used in distances."""
    lat, lon = _coordinates(cells)
    zip5 = re.sub(r"\D", "", cells["zip"] or "")[:5] if cells["zip"] else ""
    precision = "exact"
    if lat is None:
        point = places.zip_point(zip5)
        if point is not None:
            (lat, lon), precision = point, "zip_centroid"
    if lat is not None and lon is not None:  # "statewide" and a point: the point's county
        location = _place_point(
            lat, lon, precision, zip5, None if stated == MARYLAND_STATE_FIPS else stated, places
        )
    else:
        location = _Location(None, None, "none", stated)
    if location.fips is None:
        location.fips = places.zip_fips(zip5)
    if location.fips is None:  # outreach teams, mail-based and mobile programs
        location.fips = MARYLAND_STATE_FIPS
        location.note = location.note or STATEWIDE_NOTE
    return location


def _validate_row(
    row: pd.Series,
    mapping: dict[str, str | None],
    number: int,
    filename: str,
    places: _Places,
    duplicates: ImportDuplicates,
    confirm_duplicates: bool,
) -> dict[str, object]:
    """The site record of one row, or ``_Reject`` naming the field and the reason
    (``_LikelyDuplicate`` for a likely duplicate when ``confirm_duplicates`` is off)."""
    cells = _cells(row, mapping)
    name = cells["name"]
    if not name:
        raise _Reject("name", "a site needs a name")
    site_type = _site_type(cells["type"])
    where = _locate(cells, places.stated_fips(cells["jurisdiction"]), places)
    duplicate = duplicates.check(name, where.lat, where.lon, where.fips, number)
    if duplicate:
        raise _Reject("name", duplicate + lookalike_note(name))
    exact = where.precision == "exact"
    likely = duplicates.same_type_nearby(site_type, where.lat, where.lon, exact)
    if likely and not confirm_duplicates:
        raise _LikelyDuplicate(
            "location", f"{likely}; not imported unless confirmed as a separate site"
        )
    duplicates.remember(name, site_type, where.lat, where.lon, where.fips, number, exact)
    confirmed = f"confirmed as a separate site, not a {likely}" if likely else None
    return {
        "name": name,
        "type": site_type,
        "address": cells["address"],
        "city": cells["city"],
        "zip": cells["zip"],
        "jurisdiction_fips": where.fips,
        "lat": where.lat,
        "lon": where.lon,
        "location_precision": where.precision,
        "status": "open",
        "source": cells["source"] or f"local import ({filename})",
        "source_date": cells["source_date"],
        "notes": "; ".join(x for x in (cells["notes"], where.note, confirmed) if x) or None,
        "_row": number,
        "_confirmed_duplicate": bool(likely),
    }


_ACCEPTED_COLUMNS = [
    "name",
    "type",
    "address",
    "city",
    "zip",
    "jurisdiction_fips",
    "lat",
    "lon",
    "location_precision",
    "status",
    "source",
    "source_date",
    "notes",
    "_row",
    "_confirmed_duplicate",
]


def validate(
    table: ImportTable,
    mapping: dict[str, str | None],
    jurisdictions: gpd.GeoDataFrame,
    existing_sites: pd.DataFrame,
    zip_centroids: pd.DataFrame | None = None,
    *,
    confirm_duplicates: bool = False,
) -> ImportReport:
    """Validate every row; return the accepted site records and the rejected rows.

    Checks: required name and type, known type, numeric lat/lon (both or neither),
    swapped lat/lon, inside Maryland, in the stated jurisdiction, and a likely
    duplicate (same normalised name within 50 m of an existing or earlier site, or,
    without coordinates, in the same jurisdiction). A row within 25 m of an existing
    or earlier site of the same type under another name is a likely duplicate: it is
    rejected (and listed in ``likely_duplicates``) unless ``confirm_duplicates``.
    A row with only a ZIP gets the ZIP centroid (``zip_centroid``); a row with
    nothing locatable is kept unmapped, in its jurisdiction or else statewide.
    """
    missing = [f for f in REQUIRED if not mapping.get(f)]
    if missing:
        raise InputError(f"{table.filename}: choose the column for " + ", ".join(missing))
    places = _Places(
        jurisdictions,
        read_zip_centroids(RAW_DIR / ZIP_CENTROIDS) if zip_centroids is None else zip_centroids,
    )
    duplicates = ImportDuplicates(existing_sites, table.row_label)
    accepted: list[dict[str, object]] = []
    rejected: list[dict[str, object]] = []
    likely: list[int] = []
    empty_rows = 0
    for position, (_, row) in enumerate(table.frame.iterrows()):
        number = position + table.first_row_number
        if _is_blank(row):
            empty_rows += 1  # a blank line between rows of a spreadsheet
            continue
        try:
            accepted.append(
                _validate_row(
                    row, mapping, number, table.filename, places, duplicates, confirm_duplicates
                )
            )
        except _Reject as problem:
            if isinstance(problem, _LikelyDuplicate):
                likely.append(number)
            rejected.append({"row": number, "field": problem.field, "reason": problem.reason})
    notes = [f"read as {table.encoding}"] if table.encoding not in ("utf-8-sig", "xlsx") else []
    notes += table.notes
    if empty_rows:
        notes.append(f"{empty_rows} empty {table.row_label}(s) skipped")
    return ImportReport(pd.DataFrame(accepted, columns=_ACCEPTED_COLUMNS), rejected, notes, likely)


def rejected_rows_frame(table: ImportTable, report: ImportReport) -> pd.DataFrame:
    """The rejected rows as they were in the file, with the reasons, for fixing (written
    as CSV by :func:`geo.render.exports.csv_bytes`)."""
    reasons = report.rejected_frame()
    if reasons.empty:
        return reasons
    positions = reasons["row"] - table.first_row_number
    original = table.frame.iloc[positions.to_numpy()].reset_index(drop=True)
    grouped = reasons.reset_index(drop=True)
    return pd.concat([grouped.rename(columns={"row": table.row_label}), original], axis=1)
