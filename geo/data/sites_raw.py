"""Readers of the raw naloxone-site sources in ``data/raw``, each returning site rows in
the sites layer's columns (:data:`geo.schema.SITE_COLUMNS`), or the supporting tables
the build joins to them (syringe services schedules, health-department geocodes, Rite Aid
closure reports, NPPES pharmacies).

Every reader validates what it reads and raises ``DataFileError`` naming the
file, row and field of the first problem. Coordinates are EPSG:4326.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from geo.data.catalog import OSM_ATTRIBUTION, raw_source
from geo.data.raw import COLLECTED
from geo.data.validation import (
    check_allowed,
    check_fips,
    check_not_empty,
    check_unique,
    coordinates,
    read_csv_strict,
)
from geo.schema import SITE_COLUMNS, SITE_DETAIL_COLUMNS


def _site_frame(path: Path, columns: dict[str, object], index: pd.Index) -> pd.DataFrame:
    """Site rows in the sites layer's columns; the source link, date and licence default
    to the catalogue entry of the file at ``path``."""
    source = raw_source(path.name)
    defaults = {
        "source_url": source.url,
        "source_date": source.snapshot_date,
        "licence": source.licence,
    }
    frame = pd.DataFrame({**defaults, **columns}, index=index)
    if "evidence_date" not in frame:
        frame["evidence_date"] = evidence_date_of(frame["source_date"])
    if "closed" not in frame:
        frame["closed"] = False
    columns_out = [*SITE_COLUMNS, *SITE_DETAIL_COLUMNS]
    for column in columns_out:
        if column not in frame:
            frame[column] = pd.NA
    return frame[columns_out].reset_index(drop=True)


_EVIDENCE_DATE = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)\b")


def evidence_date_of(source_date: pd.Series) -> pd.Series:
    """The date a listing's evidence was published, as the ISO year, month or day its
    ``source_date`` starts with (``2025-10 (month in URL)`` → ``2025-10``); missing for an
    undated page (a date we read the page on is not the evidence's date)."""
    found = source_date.astype("string").str.extract(_EVIDENCE_DATE, expand=False)
    return found.astype("string")


def _check_site_rows(frame: pd.DataFrame, fips_column: str, path: Path) -> None:
    """Every row has a unique ``site_id``, a name and a Maryland jurisdiction FIPS."""
    check_not_empty(frame, "site_id", path)
    check_unique(frame["site_id"], "site_id", path)
    check_not_empty(frame, "name", path)
    check_fips(frame, fips_column, path)


def read_pharmacies(path: Path) -> pd.DataFrame:
    """OpenStreetMap pharmacies as site rows (type ``pharmacy``, exact locations)."""
    frame = read_csv_strict(path, ["site_id", "name", "county_fips", "lat", "lon"])
    _check_site_rows(frame, "county_fips", path)
    lat, lon = coordinates(frame, path, allow_missing=False)
    return _site_frame(
        path,
        {
            "id": frame["site_id"],
            "name": frame["name"],
            "type": "pharmacy",
            "subtype": "pharmacy",
            "jurisdiction_fips": frame["county_fips"],
            "lat": lat,
            "lon": lon,
            "location_precision": "exact",
            "status": "listed in OpenStreetMap",
            "source": "OpenStreetMap (" + OSM_ATTRIBUTION + "), DSPG extract",
        },
        frame.index,
    )


def read_treatment_programs(path: Path) -> pd.DataFrame:
    """SAMHSA opioid treatment programs as site rows (geocoded addresses)."""
    frame = read_csv_strict(
        path, ["site_id", "name", "address", "city", "zip", "lat", "lon", "county_fips_pip"]
    )
    _check_site_rows(frame, "county_fips_pip", path)
    lat, lon = coordinates(frame, path, allow_missing=False)
    return _site_frame(
        path,
        {
            "id": frame["site_id"],
            "name": frame["name"],
            "type": "opioid_treatment_program",
            "subtype": "opioid_treatment_program",
            "address": frame["address"],
            "city": frame["city"],
            "zip": frame["zip"],
            "jurisdiction_fips": frame["county_fips_pip"],
            "lat": lat,
            "lon": lon,
            "location_precision": "exact",
            "status": "listed in SAMHSA directory",
            "source": "SAMHSA Opioid Treatment Program Directory, geocoded by OEPS",
            "notes": "Maryland OTPs receive free naloxone from MDH for their patients.",
        },
        frame.index,
    )


def read_health_departments(path: Path) -> pd.DataFrame:
    """Local health departments as site rows; locations are ZIP centroids or none."""
    frame = read_csv_strict(
        path,
        [
            "county_fips",
            "name",
            "address",
            "zip",
            "phone",
            "lat",
            "lon",
            "geocode_method",
            "confidence",
            "corroboration",
        ],
    )
    check_fips(frame, "county_fips", path)
    check_unique(frame["county_fips"], "county_fips", path)
    check_not_empty(frame, "name", path)
    lat, lon = coordinates(frame, path, allow_missing=True)
    source = raw_source(path.name)
    notes = "Confidence: " + frame["confidence"].fillna("unknown")
    corroboration = frame["corroboration"].fillna("")
    notes = notes.where(corroboration == "", notes + "; " + corroboration)
    return _site_frame(
        path,
        {
            "id": "lhd_" + frame["county_fips"],
            "name": frame["name"],
            "type": "health_department",
            "subtype": "local_health_department",
            "address": frame["address"],
            "zip": frame["zip"],
            "jurisdiction_fips": frame["county_fips"],
            "lat": lat,
            "lon": lon,
            "location_precision": np.where(lat.notna(), "zip_centroid", "none"),
            "status": "listed",
            "source": source.source,
            "notes": notes,
            "phone": frame["phone"],
        },
        frame.index,
    )


HARM_REDUCTION_SUBTYPES = {
    "naloxone_vending_machine": "vending_machine",
    "syringe_services_program": "harm_reduction",
    "harm_reduction_program_site": "harm_reduction",
    "overdose_response_program_site": "harm_reduction",
}


#: Source links recorded wrongly in the bundled harm-reduction file: the address names an
#: unrelated article (issue 28: Washington County's vending machines point at a story on
#: a Pennsylvania police investigation). The link is withheld, never shown; the sites keep
#: their publisher and date, said in words.
WITHDRAWN_SOURCE_LINKS: dict[str, str] = {
    "https://www.thehancocknews.com/2024/03/12/pennsylvania-state-police-are-investigating"
    "-the-death-of-an-infant-who-was-found-in-an-intersection-in-mc-connellsburg-on-monday"
    "-morning-according-to-pennsylva-nia-state-police-at-approxi-mately/": (
        "The Hancock News, 12 March 2024 (the recorded link pointed to an unrelated "
        "article and is withheld)"
    ),
}


def read_harm_reduction(path: Path) -> pd.DataFrame:
    """Harm reduction sites and vending machines transcribed from public pages; a link in
    :data:`WITHDRAWN_SOURCE_LINKS` is dropped and its source given in words."""
    frame = read_csv_strict(
        path,
        [
            "site_id",
            "name",
            "site_type",
            "address",
            "city",
            "zip",
            "county_fips",
            "lat",
            "lon",
            "status",
            "source_url",
            "source_date",
            "notes",
        ],
    )
    _check_site_rows(frame, "county_fips", path)
    check_allowed(frame["site_type"], HARM_REDUCTION_SUBTYPES, "site_type", path)
    lat, lon = coordinates(frame, path, allow_missing=True)
    return _site_frame(
        path,
        {
            "id": frame["site_id"],
            "name": frame["name"],
            "type": frame["site_type"].map(HARM_REDUCTION_SUBTYPES),
            "subtype": frame["site_type"],
            "address": frame["address"],
            "city": frame["city"],
            "zip": frame["zip"],
            "jurisdiction_fips": frame["county_fips"],
            "lat": lat,
            "lon": lon,
            "location_precision": np.where(lat.notna(), "zip_centroid", "none"),
            "status": frame["status"],
            "source": frame["source_url"].map(
                lambda url: WITHDRAWN_SOURCE_LINKS.get(url, f"Public page: {url}")
            ),
            "source_url": frame["source_url"].where(
                ~frame["source_url"].isin(list(WITHDRAWN_SOURCE_LINKS))
            ),
            "source_date": frame["source_date"].fillna(f"undated page (read by {COLLECTED})"),
            "notes": frame["notes"],
        },
        frame.index,
    )


#: Round-4 public-page site types → (site type, subtype); ``None``: not a naloxone site.
ROUND4_SITE_TYPES: dict[str, tuple[str, str] | None] = {
    "harm_reduction_dropin_ssp": ("harm_reduction", "syringe_services_program"),
    "harm_reduction_dropin": ("harm_reduction", "harm_reduction_program_site"),
    "harm_reduction_office_distribution": ("harm_reduction", "harm_reduction_program_site"),
    "fqhc_with_ssp": ("harm_reduction", "syringe_services_program"),
    "harm_reduction_vending_machine": ("vending_machine", "naloxone_vending_machine"),
    "naloxone_box_public_access": ("vending_machine", "naloxone_box_public_access"),
    "syringe_disposal_box": None,  # disposal only: not a naloxone site
}


def _undated(value: object) -> bool:
    return pd.isna(value) or str(value).startswith("not shown")


def read_harm_reduction_round4(path: Path) -> pd.DataFrame:
    """Baltimore City drop-in and syringe services sites, the Metro SubwayLink naloxone
    boxes as announced, and county vending machines, transcribed from public pages (URL
    and date per row). Syringe drop boxes (disposal only) are left out. Coordinates are
    the row's (street-range interpolation or the MTA station point: exact); rows without
    them stay unmapped."""
    frame = read_csv_strict(
        path,
        [
            "site_id",
            "county_fips",
            "site_name",
            "site_type",
            "naloxone_available",
            "operator",
            "address",
            "city",
            "zip",
            "schedule_as_published",
            "status_as_published",
            "lat",
            "lon",
            "geocode_method",
            "source_url",
            "source_date",
            "notes",
        ],
    )
    frame = frame.rename(columns={"site_name": "name"})
    _check_site_rows(frame, "county_fips", path)
    check_allowed(frame["site_type"], ROUND4_SITE_TYPES, "site_type", path)
    lat, lon = coordinates(frame, path, allow_missing=True)
    kept = frame["site_type"].map(lambda t: ROUND4_SITE_TYPES[t] is not None).astype(bool)
    frame, lat, lon = frame[kept], lat[kept], lon[kept]
    kinds = frame["site_type"].map(ROUND4_SITE_TYPES)
    schedule = frame["schedule_as_published"].where(
        ~frame["schedule_as_published"].fillna("").str.startswith("not published")
    )
    dates = frame["source_date"].where(~frame["source_date"].map(_undated))
    notes = (
        "Naloxone as published: "
        + frame["naloxone_available"].fillna("not stated")
        + ". Located by: "
        + frame["geocode_method"].fillna("none")
    )
    notes = notes.where(frame["notes"].isna(), notes + ". " + frame["notes"].fillna(""))
    return _site_frame(
        path,
        {
            "id": frame["site_id"],
            "name": frame["name"],
            "type": kinds.map(lambda k: k[0]),
            "subtype": kinds.map(lambda k: k[1]),
            "address": frame["address"],
            "city": frame["city"],
            "zip": frame["zip"],
            "jurisdiction_fips": frame["county_fips"],
            "lat": lat,
            "lon": lon,
            "location_precision": np.where(lat.notna(), "exact", "none"),
            "status": frame["status_as_published"],
            "source": "Public page: " + frame["source_url"],
            "source_url": frame["source_url"],
            "source_date": dates.fillna("undated page"),
            "notes": notes,
            "hours": schedule,
        },
        frame.index,
    )
