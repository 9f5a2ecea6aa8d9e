"""Importing site lists (CSV, Excel .xlsx, GeoJSON): read, map columns, validate row by
row, and report; the accepted rows are written in one transaction by the store.

Row numbers in reports are as a spreadsheet shows them (header = row 1); for
GeoJSON they are feature numbers (first feature = 1).
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geo.distance import lonlat_to_xy_m
from geo.paths import RAW_DIR, WGS84
from geo.schema import SITE_TYPES

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
DUPLICATE_DISTANCE_M = 50.0
FIELDS = ("name", "type", "address", "city", "zip", "lat", "lon", "jurisdiction", "notes",
          "source", "source_date")
REQUIRED = ("name", "type")
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "site", "site name", "sitename", "organization", "organisation",
             "location name", "facility", "provider"),
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
    "pharmacy": "pharmacy", "drugstore": "pharmacy", "drug store": "pharmacy",
    "opioid treatment program": "opioid_treatment_program", "otp": "opioid_treatment_program",
    "methadone clinic": "opioid_treatment_program",
    "opioid_treatment_program": "opioid_treatment_program",
    "health department": "health_department", "local health department": "health_department",
    "health_department": "health_department", "lhd": "health_department",
    "harm reduction": "harm_reduction", "harm_reduction": "harm_reduction",
    "syringe services program": "harm_reduction", "ssp": "harm_reduction",
    "syringe services": "harm_reduction", "overdose response program": "harm_reduction",
    "vending machine": "vending_machine", "naloxone vending machine": "vending_machine",
    "vending_machine": "vending_machine", "naloxone box": "vending_machine",
}


@dataclass
class ImportTable:
    """An uploaded table as text columns, with how it was read."""

    frame: pd.DataFrame
    filename: str
    encoding: str
    row_label: str = "row"
    first_row_number: int = 2


@dataclass
class ImportReport:
    """Accepted site records and rejected rows (row, field, reason)."""

    accepted: pd.DataFrame
    rejected: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def rejected_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rejected, columns=["row", "field", "reason"])

    def as_json(self) -> dict[str, object]:
        return {"accepted": len(self.accepted), "rejected": self.rejected, "notes": self.notes}


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{filename}: cannot decode the text")  # latin-1 never fails


def read_upload(filename: str, data: bytes) -> ImportTable:
    """Read an uploaded CSV, .xlsx or GeoJSON into text columns.

    Raises ``ValueError`` naming the file for an oversized, empty or unreadable file.
    """
    name = Path(filename).name
    if len(data) > MAX_IMPORT_BYTES:
        raise ValueError(f"{name}: {len(data) / 1e6:.1f} MB is over the "
                         f"{MAX_IMPORT_BYTES // (1024 * 1024)} MB import limit")
    if not data.strip():
        raise ValueError(f"{name}: the file is empty")
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".txt"):
        text, encoding = _decode(data, name)
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                                na_values=[""], skipinitialspace=True)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise ValueError(f"{name}: cannot be read as CSV: {exc}") from exc
        table = ImportTable(frame, name, encoding)
    elif suffix == ".xlsx":
        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for damaged workbooks
            raise ValueError(f"{name}: cannot be read as an Excel workbook: {exc}") from exc
        table = ImportTable(frame.where(frame.notna(), None), name, "xlsx")
    elif suffix in (".geojson", ".json"):
        text, encoding = _decode(data, name)
        try:
            document = json.loads(text)
            features = document["features"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{name}: not a GeoJSON FeatureCollection ({exc})") from exc
        records = []
        for feature in features:
            properties = dict((feature or {}).get("properties") or {})
            geometry = (feature or {}).get("geometry") or {}
            if geometry.get("type") == "Point" and len(geometry.get("coordinates", [])) >= 2:
                properties.setdefault("lon", geometry["coordinates"][0])
                properties.setdefault("lat", geometry["coordinates"][1])
            records.append({k: None if v is None else str(v) for k, v in properties.items()})
        table = ImportTable(pd.DataFrame(records), name, encoding, "feature", 1)
    else:
        raise ValueError(f"{name}: unsupported file type {suffix or '(none)'}; use .csv, "
                         ".xlsx or .geojson")
    if len(table.frame) > MAX_IMPORT_ROWS:
        raise ValueError(f"{name}: {len(table.frame):,} rows is over the "
                         f"{MAX_IMPORT_ROWS:,}-row import limit")
    if table.frame.empty:
        raise ValueError(f"{name}: no rows to import")
    table.frame.columns = [str(c).strip() for c in table.frame.columns]
    return table


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def guess_mapping(columns: list[str]) -> dict[str, str | None]:
    """Best guess of which column holds each field (None when absent)."""
    by_key = {_key(c): c for c in columns}
    mapping: dict[str, str | None] = {}
    for target, names in SYNONYMS.items():
        mapping[target] = next((by_key[_key(n)] for n in names if _key(n) in by_key), None)
    return mapping


def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation removed: for duplicate detection."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def load_zip_centroids(path: Path = RAW_DIR / "md_zip_centroids_zipcodes3.csv") -> pd.DataFrame:
    """Maryland ZIP centroids (GeoNames via PyPI zipcodes), indexed by 5-digit ZIP.

    A damaged file raises ``DataFileError`` naming it (and the row and field).
    """
    from geo.errors import DataFileError
    from geo.validation import check_range, numeric_column, read_csv_strict, spreadsheet_row

    frame = read_csv_strict(path, ["zip", "lat", "lon"])
    bad_zip = ~frame["zip"].fillna("").str.fullmatch(r"\d{5}")
    if bad_zip.any():
        position = int(np.flatnonzero(bad_zip.to_numpy())[0])
        raise DataFileError(path, f"{frame['zip'].iloc[position]!r} is not a 5-digit ZIP",
                            row=spreadsheet_row(position), field="zip")
    for column, low, high in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
        frame[column] = numeric_column(frame, column, path, allow_missing=True)
        check_range(frame[column], low, high, column, path)
    return frame.dropna(subset=["lat", "lon"]).set_index("zip")


class _Reject(Exception):
    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


def _number(value: object, field_name: str) -> float | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == "":
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        raise _Reject(field_name, f"{value!r} is not a number") from None
    if not np.isfinite(number):
        raise _Reject(field_name, f"{value!r} is not a finite number")
    return number


def validate(table: ImportTable, mapping: dict[str, str | None],
             jurisdictions: gpd.GeoDataFrame, existing_sites: pd.DataFrame,
             zip_centroids: pd.DataFrame | None = None) -> ImportReport:
    """Validate every row; return the accepted site records and the rejected rows.

    Checks: required name and type, known type, numeric lat/lon (both or neither),
    swapped lat/lon, inside Maryland, in the stated jurisdiction, and a likely
    duplicate (same normalised name within 50 m of an existing or earlier site, or,
    without coordinates, in the same jurisdiction).
    A row with only a ZIP gets the ZIP centroid (``zip_centroid``); a row with
    nothing locatable but a jurisdiction is kept unmapped.
    """
    missing = [f for f in REQUIRED if not mapping.get(f)]
    if missing:
        raise ValueError(f"{table.filename}: choose the column for " + ", ".join(missing))
    zips = load_zip_centroids() if zip_centroids is None else zip_centroids
    names = dict(zip(jurisdictions["fips"], jurisdictions["name"], strict=True))
    by_name = {normalise_name(n): f for f, n in names.items()}
    by_name.update({normalise_name(n) + " county": f for f, n in names.items()})
    county_by_zip_name = {normalise_name(n) + " county": f for f, n in names.items()}
    county_by_zip_name["baltimore city"] = "24510"
    mapped_existing = existing_sites[existing_sites["lat"].notna()]
    existing_xy = (lonlat_to_xy_m(mapped_existing["lon"], mapped_existing["lat"])
                   if len(mapped_existing) else np.empty((0, 2)))
    existing_names = [normalise_name(n) for n in mapped_existing["name"]]
    existing_ids = mapped_existing["id"].tolist()
    tree = cKDTree(existing_xy) if len(existing_xy) else None
    named_in = {(normalise_name(n), f): i for n, f, i in zip(
        existing_sites["name"], existing_sites["jurisdiction_fips"], existing_sites["id"],
        strict=True)}
    unmapped_rows: dict[tuple[str, str], int] = {}

    accepted: list[dict[str, object]] = []
    accepted_xy: list[tuple[float, float, str, int]] = []
    rejected: list[dict[str, object]] = []

    def cell(row: pd.Series, name: str) -> str | None:
        column = mapping.get(name)
        if not column or column not in row:
            return None
        value = row[column]
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        text = str(value).strip()
        return text or None

    for position, (_, row) in enumerate(table.frame.iterrows()):
        number = position + table.first_row_number
        try:
            name = cell(row, "name")
            if not name:
                raise _Reject("name", "a site needs a name")
            raw_type = cell(row, "type")
            if not raw_type:
                raise _Reject("type", "a site needs a type")
            site_type = TYPE_SYNONYMS.get(_key(raw_type)) or TYPE_SYNONYMS.get(raw_type.lower())
            if site_type is None:
                raise _Reject("type", f"unknown type {raw_type!r}; use one of "
                              + ", ".join(SITE_TYPES))
            stated = cell(row, "jurisdiction")
            stated_fips = None
            if stated:
                text = stated.zfill(3) if stated.isdigit() and len(stated) <= 3 else stated
                if text in names:
                    stated_fips = text
                elif f"24{text}" in names:
                    stated_fips = f"24{text}"
                else:
                    stated_fips = by_name.get(normalise_name(stated))
                if stated_fips is None:
                    raise _Reject("jurisdiction", f"unknown Maryland jurisdiction {stated!r}")
            lat, lon = _number(cell(row, "lat"), "lat"), _number(cell(row, "lon"), "lon")
            if (lat is None) != (lon is None):
                raise _Reject("lat" if lat is None else "lon",
                              "give both latitude and longitude, or neither")
            zip_code = cell(row, "zip")
            zip5 = re.sub(r"\D", "", zip_code or "")[:5] if zip_code else ""
            precision = "exact"
            note = None
            if lat is not None:
                if -80 <= lat <= -74 and 37 <= lon <= 40:
                    raise _Reject("lat", f"latitude {lat} and longitude {lon} look swapped")
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise _Reject("lat", f"({lat}, {lon}) is not a valid coordinate")
            elif zip5 and zip5 in zips.index:
                lat, lon = float(zips.loc[zip5, "lat"]), float(zips.loc[zip5, "lon"])
                precision = "zip_centroid"
            if lat is not None:
                point = gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs=WGS84)
                hit, polygon = jurisdictions.sindex.query(point, predicate="within")
                found = jurisdictions["fips"].iloc[polygon[0]] if len(hit) else None
                if found is None:
                    if precision == "exact":
                        raise _Reject("lat", f"({lat:.5f}, {lon:.5f}) is outside Maryland")
                    lat = lon = None
                    precision = "none"
                    note = f"ZIP {zip5} centroid is outside Maryland: not mapped"
                elif stated_fips and found != stated_fips:
                    if precision == "exact":
                        raise _Reject("jurisdiction", f"the point lies in {names[found]}, "
                                      f"not {names[stated_fips]}")
                    lat = lon = None
                    precision = "none"
                    note = (f"ZIP {zip5} centroid lies in {names[found]}, outside the stated "
                            "jurisdiction: not mapped")
                else:
                    stated_fips = found
            else:
                precision = "none"
            if stated_fips is None and zip5 and zip5 in zips.index:
                stated_fips = county_by_zip_name.get(
                    normalise_name(str(zips.loc[zip5, "county_name"])))
            if stated_fips is None:
                raise _Reject("lat", "nothing to locate the site: give coordinates, a Maryland "
                              "ZIP or the jurisdiction")
            key = normalise_name(name)
            if lat is not None:
                xy = lonlat_to_xy_m(np.array([lon]), np.array([lat]))[0]
                if tree is not None:
                    for index in tree.query_ball_point(xy, DUPLICATE_DISTANCE_M):
                        if existing_names[index] == key:
                            raise _Reject("name", f"likely duplicate of existing site "
                                          f"{existing_ids[index]} (same name within "
                                          f"{DUPLICATE_DISTANCE_M:.0f} m)")
                for x, y, other, other_row in accepted_xy:
                    if other == key and np.hypot(x - xy[0], y - xy[1]) <= DUPLICATE_DISTANCE_M:
                        raise _Reject("name", f"likely duplicate of {table.row_label} "
                                      f"{other_row} in this file")
                accepted_xy.append((float(xy[0]), float(xy[1]), key, number))
            else:
                if (key, stated_fips) in named_in:
                    raise _Reject("name", f"likely duplicate of existing site "
                                  f"{named_in[(key, stated_fips)]} (same name, same "
                                  "jurisdiction, no coordinates)")
                if (key, stated_fips) in unmapped_rows:
                    raise _Reject("name", f"likely duplicate of {table.row_label} "
                                  f"{unmapped_rows[(key, stated_fips)]} in this file")
                unmapped_rows[(key, stated_fips)] = number
            notes = "; ".join(x for x in (cell(row, "notes"), note) if x) or None
            accepted.append({
                "name": name, "type": site_type, "address": cell(row, "address"),
                "city": cell(row, "city"), "zip": zip_code, "jurisdiction_fips": stated_fips,
                "lat": lat, "lon": lon, "location_precision": precision, "status": "open",
                "source": cell(row, "source") or f"local import ({table.filename})",
                "source_date": cell(row, "source_date"), "notes": notes,
                "_row": number,
            })
        except _Reject as problem:
            rejected.append({"row": number, "field": problem.field, "reason": problem.reason})
    frame = pd.DataFrame(accepted, columns=[
        "name", "type", "address", "city", "zip", "jurisdiction_fips", "lat", "lon",
        "location_precision", "status", "source", "source_date", "notes", "_row"])
    notes = [f"read as {table.encoding}"] if table.encoding not in ("utf-8-sig", "xlsx") else []
    return ImportReport(frame, rejected, notes)


def rejected_rows_csv(table: ImportTable, report: ImportReport) -> bytes:
    """The rejected rows as they were in the file, with the reasons, for fixing."""
    from geo.exports import csv_bytes

    reasons = report.rejected_frame()
    if reasons.empty:
        return csv_bytes(reasons)
    positions = reasons["row"] - table.first_row_number
    original = table.frame.iloc[positions.to_numpy()].reset_index(drop=True)
    grouped = reasons.reset_index(drop=True)
    out = pd.concat([grouped.rename(columns={"row": table.row_label}), original], axis=1)
    return csv_bytes(out)
