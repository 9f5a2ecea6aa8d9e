"""Importing site lists (CSV, Excel .xlsx, GeoJSON): read, map columns, validate row by
row, and report; the accepted rows are written in one transaction by the store.

Reading lives in :mod:`geo.local.readers` (with :mod:`geo.local.workbook` for .xlsx),
in a child process for uploads (:func:`read_upload_isolated`, through
:mod:`geo.local.isolation`); the columns, types and row rejections in
:mod:`geo.local.columns`; locating a row in :mod:`geo.local.locating`; the duplicate
rule in :mod:`geo.local.duplicates`. This module is the import's API: its names below
are what the pages and the CLI use.

Row numbers in reports are as a spreadsheet shows them (header = row 1); for
GeoJSON they are feature numbers (first feature = 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.config import RAW_DIR
from geo.data.raw import read_zip_centroids
from geo.errors import InputError
from geo.local import workbook
from geo.local.columns import (
    FIELDS,
    REQUIRED,
    SYNONYMS,
    TYPE_SYNONYMS,
    LikelyDuplicate,
    Reject,
    guess_mapping,
    known_type,
)
from geo.local.duplicates import ImportDuplicates, lookalike_note, normalise_name
from geo.local.isolation import READ_MEMORY_BYTES, READ_TIMEOUT_S, run_isolated
from geo.local.limits import too_long
from geo.local.locating import ZIP_CENTROIDS, Places, locate
from geo.local.readers import (
    CONTROL_CHARS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_COLUMNS,
    MAX_IMPORT_ROWS,
    ImportTable,
    file_label,
    read_upload,
)

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
            raise Reject(target, f"{too_much}; shorten it and import again")
        bad = CONTROL_CHARS.search(cells[target] or "")
        if bad:
            raise Reject(
                target,
                f"contains the control character "
                f"U+{ord(bad.group()):04X}; remove it and import again",
            )
    return cells


def _validate_row(
    row: pd.Series,
    mapping: dict[str, str | None],
    number: int,
    filename: str,
    places: Places,
    duplicates: ImportDuplicates,
    confirm_duplicates: bool,
) -> dict[str, object]:
    """The site record of one row, or ``Reject`` naming the field and the reason
    (``LikelyDuplicate`` for a likely duplicate when ``confirm_duplicates`` is off)."""
    cells = _cells(row, mapping)
    name = cells["name"]
    if not name:
        raise Reject("name", "a site needs a name")
    site_type = known_type(cells["type"])
    where = locate(cells, places.stated_fips(cells["jurisdiction"]), places)
    duplicate = duplicates.check(name, where.lat, where.lon, where.fips, number)
    if duplicate:
        raise Reject("name", duplicate + lookalike_note(name))
    exact = where.precision == "exact"
    likely = duplicates.same_type_nearby(site_type, where.lat, where.lon, exact)
    if likely and not confirm_duplicates:
        raise LikelyDuplicate(
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
    places = Places(
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
        except Reject as problem:
            if isinstance(problem, LikelyDuplicate):
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
