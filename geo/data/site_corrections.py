"""Corrections to the site list from later public sources, applied by the build
(:func:`geo.data.build.build_sites`) after the site readers:

* syringe services schedules (hours; sites the other lists lack, at their ZIP centre);
* health departments at their building where a public point record agrees;
* every Rite Aid pharmacy marked closed (kept listed, left out of every figure);
* CMS NPPES independent pharmacies (phones and NPIs; the unlisted ones added at their
  ZIP centre).

Readers validate what they read and raise ``DataFileError`` naming the file, row and
field of the first problem. Coordinates are EPSG:4326; distances in metres.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.data import raw
from geo.data.places import jurisdiction_of
from geo.data.validation import (
    check_fips,
    check_not_empty,
    check_pattern,
    check_unique,
    coordinates,
    read_csv_strict,
    spreadsheet_row,
)
from geo.errors import DataFileError


def read_syringe_services(path: Path) -> pd.DataFrame:
    """Syringe services sites with their published schedules (no coordinates)."""
    frame = read_csv_strict(
        path,
        [
            "site_name",
            "address",
            "city",
            "zip",
            "county_fips",
            "operator",
            "schedule",
            "source_url",
            "source_seen",
        ],
    )
    check_not_empty(frame, "site_name", path)
    check_fips(frame, "county_fips", path)
    return frame


def read_lhd_geocodes(path: Path) -> pd.DataFrame:
    """Local health departments' main offices with the building's coordinates where a
    public point dataset has a record at the same address (18 of 24; the others have
    none): county_fips, name, address, zip, lat, lon, geocode_method, geocode_source,
    n_agreeing_sources, max_spread_m, shift_from_zip_centroid_m (metres)."""
    frame = read_csv_strict(
        path,
        [
            "county_fips",
            "name",
            "address",
            "zip",
            "lat",
            "lon",
            "geocode_method",
            "geocode_source",
            "n_agreeing_sources",
            "max_spread_m",
            "shift_from_zip_centroid_m",
        ],
    )
    check_fips(frame, "county_fips", path)
    check_unique(frame["county_fips"], "county_fips", path)
    check_not_empty(frame, "address", path)
    frame["lat"], frame["lon"] = coordinates(frame, path, allow_missing=True)
    return frame


def read_rite_aid_closures(path: Path) -> pd.DataFrame:
    """Dated reports that every Rite Aid store (Maryland's included) closed in 2025:
    claim, url, date_as_shown, publisher, maryland_specific, quote_or_summary."""
    frame = read_csv_strict(
        path, ["claim", "url", "date_as_shown", "publisher", "maryland_specific"]
    )
    check_not_empty(frame, "url", path)
    check_not_empty(frame, "claim", path)
    if not frame["maryland_specific"].fillna("").str.startswith("yes").any():
        raise DataFileError(path, "no Maryland-specific report", field="maryland_specific")
    return frame


def read_nppes_pharmacies(path: Path) -> pd.DataFrame:
    """CMS NPPES (release 2026-02-09) independent community/retail pharmacies in
    Maryland: npi, name, city, zip, phone (no street address, no coordinates). The
    hospital, government and specialty rows of the file are left out."""
    frame = read_csv_strict(path, ["npi", "name", "city", "state", "zip", "phone", "list_type"])
    check_not_empty(frame, "npi", path)
    check_unique(frame["npi"], "npi", path)
    check_not_empty(frame, "name", path)
    check_pattern(frame["zip"], r"\d{5}", "a 5-digit ZIP", "zip", path)
    wrong_state = frame["state"].ne("MD")
    if wrong_state.any():
        position = int(np.flatnonzero(wrong_state.to_numpy())[0])
        raise DataFileError(
            path, "not a Maryland row", row=spreadsheet_row(position), field="state"
        )
    return frame[frame["list_type"].eq("independent")].reset_index(drop=True)


SYRINGE_SERVICES_FILE = "md_syringe_services_sites_public_pages.csv"


def street_key(address: object) -> str:
    """House number and first street word, for matching one site across sources
    (``925 N. Burhans Blvd.`` and ``925 N Burhans Blvd`` → ``925 burhans``)."""
    words = re.sub(r"[^\w\s]", " ", str(address).lower()).split()
    if not words or not words[0][0].isdigit():
        return ""
    street = next((word for word in words[1:] if len(word) > 1), "")
    return f"{words[0]} {street}"


def with_syringe_schedules(sites: pd.DataFrame, raw_dir: Path) -> pd.DataFrame:
    """Sites with the syringe services schedules as ``hours``: a schedule row matching a
    harm-reduction site (same jurisdiction and street) fills its hours and missing
    city/ZIP; any other row is added as a ``harm_reduction`` site at its ZIP centroid
    (flagged ``zip_centroid``) or unmapped."""
    path = raw_dir / SYRINGE_SERVICES_FILE
    schedules = read_syringe_services(path)
    zips = raw.read_zip_centroids(raw_dir / "md_zip_centroids_zipcodes3.csv")
    sites = sites.copy()
    keys = sites["jurisdiction_fips"].astype(str) + "|" + sites["address"].map(street_key)
    candidates = sites["type"].isin(["harm_reduction", "vending_machine"]) & (
        sites["subtype"] != "naloxone_vending_machine"
    )
    added = []
    for position, row in enumerate(schedules.itertuples(index=False)):
        key = f"{row.county_fips}|{street_key(row.address)}"
        match = np.flatnonzero((candidates & (keys == key)).to_numpy())
        if len(match) and street_key(row.address):
            index = sites.index[match[0]]
            sites.loc[index, "hours"] = row.schedule
            for column in ("city", "zip"):
                if pd.isna(sites.loc[index, column]) and pd.notna(getattr(row, column)):
                    sites.loc[index, column] = getattr(row, column)
            continue
        centroid = zips.loc[row.zip] if pd.notna(row.zip) and row.zip in zips.index else None
        added.append(
            {
                "id": f"ssp_{position + 1:03d}",
                "name": f"{row.operator} - {row.site_name}",
                "type": "harm_reduction",
                "subtype": "syringe_services_program",
                "address": row.address,
                "city": row.city,
                "zip": row.zip,
                "jurisdiction_fips": row.county_fips,
                "lat": np.nan if centroid is None else float(centroid["lat"]),
                "lon": np.nan if centroid is None else float(centroid["lon"]),
                "location_precision": "none" if centroid is None else "zip_centroid",
                "status": "operating (page undated)",
                "source": "Public page: " + row.source_url,
                "source_url": row.source_url,
                "source_date": f"{row.source_seen} (read by {raw.COLLECTED})",
                "licence": "Facts from public pages",
                "hours": row.schedule,
                "_file": SYRINGE_SERVICES_FILE,
                "_row": position + 2,
            }
        )
    return pd.concat([sites, pd.DataFrame(added)], ignore_index=True) if added else sites


LHD_GEOCODES_FILE = "md_lhd_main_office_geocodes.csv"


RITE_AID_FILE = "md_rite_aid_closure_citations.csv"


NPPES_FILE = "md_pharmacies_nppes_feb2026_retailmymeds.csv"


#: A CMS NPPES pharmacy matches a listed one with the same name words when the listed
#: one lies within this straight-line distance (metres) of the NPPES ZIP's centre.
NPPES_MATCH_M = 10_000.0


NPPES_DATE = "2026-02-09"


NPPES_URL = "https://download.cms.gov/nppes/NPI_Files.html"


#: Name words ignored when matching pharmacies across lists.
_NAME_NOISE = frozenset(
    [
        "pharmacy",
        "pharmacies",
        "inc",
        "llc",
        "the",
        "of",
        "and",
        "drug",
        "drugs",
        "rx",
        "corp",
        "corporation",
        "co",
        "ltd",
        "pa",
        "pc",
        "store",
        "shop",
    ]
)


def with_lhd_locations(sites: pd.DataFrame, raw_dir: Path) -> pd.DataFrame:
    """Health departments at their building where ``md_lhd_main_office_geocodes.csv`` has
    a public point record at the same address (``exact``); the others keep their ZIP
    centre (``zip_centroid``, approximate) and say so. The file's address replaces the
    older list's (Baltimore City's is new)."""
    geocodes = read_lhd_geocodes(raw_dir / LHD_GEOCODES_FILE)
    sites = sites.copy()
    for row in geocodes.itertuples(index=False):
        match = np.flatnonzero(sites["id"].eq(f"lhd_{row.county_fips}").to_numpy())
        if not len(match):
            raise DataFileError(
                raw_dir / LHD_GEOCODES_FILE,
                f"no health department of jurisdiction {row.county_fips} to locate",
                field="county_fips",
            )
        index = sites.index[match[0]]
        sites.loc[index, ["address", "zip"]] = [row.address, row.zip]
        previous = sites.loc[index, "notes"]
        if pd.notna(row.lat):
            sites.loc[index, ["lat", "lon"]] = [float(row.lat), float(row.lon)]
            sites.loc[index, "location_precision"] = "exact"
            agreeing = (
                f"{row.n_agreeing_sources} record(s)" if pd.notna(row.n_agreeing_sources) else ""
            )
            note = (
                f"Located at the building: {row.geocode_method} ({row.geocode_source}"
                + (f"; {agreeing}" if agreeing else "")
                + ")"
            )
            if "SUCCURRO" in str(row.geocode_source):
                sites.loc[index, "licence"] = (
                    "Facts from public pages; location from the SUCCURRO compilation "
                    "(KaraZajac/SUCCURRO, CC BY-NC 4.0)"
                )
            else:
                sites.loc[index, "licence"] = "Facts from public pages"
        else:
            note = "Location approximate: ZIP centre (no public point record found at this address)"
        sites.loc[index, "notes"] = note if pd.isna(previous) else f"{previous}; {note}"
    return sites


def with_rite_aid_closures(sites: pd.DataFrame, raw_dir: Path) -> pd.DataFrame:
    """Every listed Rite Aid pharmacy marked closed, with the date and cited reports
    (``md_rite_aid_closure_citations.csv``): kept listed, left out of every figure."""
    reports = read_rite_aid_closures(raw_dir / RITE_AID_FILE)
    company = reports[reports["claim"].str.contains("company", case=False)].iloc[0]
    maryland = reports[reports["maryland_specific"].str.startswith("yes")].iloc[0]
    source = (
        f"{company['publisher']}, {company['date_as_shown']}: {company['url']} ; "
        f"Maryland: {maryland['publisher']}: {maryland['url']}"
    )
    rite_aid = sites["type"].eq("pharmacy") & sites["name"].str.match(
        r"(?i)^\s*rite\s*aid\b"
    ).fillna(False)
    sites = sites.copy()
    sites.loc[rite_aid, "closed"] = True
    sites.loc[rite_aid, "closed_date"] = "2025-10-04"
    sites.loc[rite_aid, "closed_source"] = source
    sites.loc[rite_aid, "status"] = "closed (every Rite Aid store closed by 2025-10-04)"
    return sites


def name_key(name: object) -> str:
    """A pharmacy name's distinctive words, lower case (``CRAIG'S DRUG STORE, INC.`` and
    ``Craig's Drugs`` → ``craigs``), for matching one store across lists."""
    words = re.sub(r"[^a-z0-9 ]", " ", str(name).lower().replace("'", "")).split()
    return " ".join(word for word in words if word not in _NAME_NOISE)


def _phone(digits: object) -> object:
    text = re.sub(r"\D", "", str(digits)) if pd.notna(digits) else ""
    return f"({text[:3]}) {text[3:6]}-{text[6:]}" if len(text) == 10 else pd.NA


def with_nppes_pharmacies(
    sites: pd.DataFrame, raw_dir: Path, jurisdictions: gpd.GeoDataFrame
) -> pd.DataFrame:
    """CMS NPPES independent pharmacies: one matching a listed open pharmacy (same name
    words, within :data:`NPPES_MATCH_M` of its ZIP centre) adds its phone and NPI to it;
    the rest are added at their ZIP centre (``zip_centroid``, approximate), one site per
    name and ZIP, in the jurisdiction the centre lies in. A ZIP without a Maryland centre
    leaves the pharmacy out (it cannot be placed or given a jurisdiction)."""
    from geo.engine.distance import lonlat_to_xy_m

    nppes = read_nppes_pharmacies(raw_dir / NPPES_FILE)
    zips = raw.read_zip_centroids(raw_dir / "md_zip_centroids_zipcodes3.csv")
    sites = sites.copy()
    listed = sites[sites["type"].eq("pharmacy") & ~sites["closed"].astype(bool)]
    listed_keys = listed["name"].map(name_key).to_numpy()
    listed_xy = lonlat_to_xy_m(listed["lon"].to_numpy(float), listed["lat"].to_numpy(float))
    nppes["key"] = nppes["name"].map(name_key)
    nppes["lat"] = nppes["zip"].map(zips["lat"]).astype(float)
    nppes["lon"] = nppes["zip"].map(zips["lon"]).astype(float)
    placed = nppes["lat"].notna().to_numpy()
    nppes["fips"] = None
    nppes.loc[placed, "fips"] = jurisdiction_of(
        nppes.loc[placed, "lon"].to_numpy(), nppes.loc[placed, "lat"].to_numpy(), jurisdictions
    )
    matched_rows = np.zeros(len(nppes), dtype=bool)
    for position, row in enumerate(nppes.itertuples(index=False)):
        if not row.key or pd.isna(row.lat):
            continue
        same = np.flatnonzero(listed_keys == row.key)
        if not len(same):
            continue
        xy = lonlat_to_xy_m(np.array([row.lon]), np.array([row.lat]))[0]
        distance = np.hypot(*(listed_xy[same] - xy).T)
        if distance.min() > NPPES_MATCH_M:
            continue
        index = listed.index[same[int(np.argmin(distance))]]
        matched_rows[position] = True
        phone = _phone(row.phone)
        if pd.notna(phone) and pd.isna(sites.loc[index, "phone"]):
            sites.loc[index, "phone"] = phone
        note = f"Active in CMS NPPES {NPPES_DATE} as {row.name} (NPI {row.npi})"
        previous = sites.loc[index, "notes"]
        sites.loc[index, "notes"] = note if pd.isna(previous) else f"{previous}; {note}"
        sites.loc[index, "evidence_date"] = NPPES_DATE
        sites.loc[index, "status"] = f"listed in OpenStreetMap; active in CMS NPPES {NPPES_DATE}"
    rest = nppes[~matched_rows & nppes["fips"].notna().to_numpy()]
    added = []
    for (_, zip_code), group in rest.groupby(["key", "zip"], sort=False):
        first = group.iloc[0]
        phones = list(dict.fromkeys(p for p in group["phone"].map(_phone) if pd.notna(p)))
        npis = ", ".join(group["npi"])
        added.append(
            {
                "id": f"nppes_{first['npi']}",
                "name": first["name"],
                "type": "pharmacy",
                "subtype": "independent_pharmacy",
                "city": first["city"],
                "zip": zip_code,
                "jurisdiction_fips": first["fips"],
                "lat": float(first["lat"]),
                "lon": float(first["lon"]),
                "location_precision": "zip_centroid",
                "status": f"active in CMS NPPES {NPPES_DATE}",
                "source": "CMS National Plan and Provider Enumeration System (NPPES), "
                "independent community/retail pharmacies, via RetailMyMeds",
                "source_url": NPPES_URL,
                "source_date": NPPES_DATE,
                "licence": "Public domain (CMS); ZIP centroids © GeoNames, CC BY 4.0",
                "notes": f"NPI {npis}; no street address in this list: shown at its ZIP "
                "centre (location approximate)",
                "phone": " / ".join(phones) if phones else pd.NA,
                "evidence_date": NPPES_DATE,
                "closed": False,
            }
        )
    return pd.concat([sites, pd.DataFrame(added)], ignore_index=True) if added else sites
