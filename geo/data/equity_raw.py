"""Readers of the round-3 equity, trend and candidate-site sources in ``data/raw``.

* tract context: households with no vehicle and commute shares (ACS 2019-2023 5-year,
  via OEPS) joined to the USDA RUCA 2020 codes (via OEPS), one row per 2020 tract;
* the NCHS model-based county drug-overdose mortality rates 2014-2021 (via HepVu/OEPS);
* candidate host sites for new naloxone points: HRSA health-centre sites, SAMHSA
  treatment facilities and MDOT MTA light-rail, Metro subway, MARC stations and bus stops.

Every reader validates what it reads and raises ``DataFileError`` naming the file, row
and field of the first problem. Missing values stay missing. Coordinates are EPSG:4326.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from geo.data.validation import (
    check_fips,
    check_range,
    check_unique,
    coordinates,
    numeric_column,
    read_csv_strict,
    spreadsheet_row,
    tract_geoids,
)
from geo.errors import DataFileError

NO_VEHICLE_FILE = "md_tract2020_no_vehicle_commute_acs2023_oeps.csv"
RUCA_FILE = "md_tract2020_ruca2020_oeps.csv"
TREND_FILE = "md_county_overdose_mortality_rate_2014_2021_oeps_hepvu.csv"
HEALTH_CENTERS_FILE = "md_fqhc_sites_hrsa_oeps.csv"
TREATMENT_FILE = "md_substance_use_treatment_samhsa_oeps.csv"
#: MTA files by candidate kind (``rail`` = light rail, Metro subway and MARC stations).
TRANSIT_FILES = {
    "mta_light_rail_stations.geojson": "rail",
    "mta_subway_stations.geojson": "rail",
    "mta_marc_stations.geojson": "rail",
    "mta_bus_stops.geojson": "bus",
}
#: The region candidate host sites may lie in (degrees): Maryland and its neighbours, for
#: MTA stops just over the line (the build keeps only those inside a jurisdiction).
REGION_LAT_RANGE = (37.0, 40.5)
REGION_LON_RANGE = (-80.0, -74.5)
RUCA_CODES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 99)
OEPS_RURALITY = ("Urban", "Suburban", "Rural")
TRACT_CONTEXT_COLUMNS = (
    "geoid",
    "no_vehicle_pct",
    "transit_commute_pct",
    "walk_commute_pct",
    "ruca_code",
    "ruca_secondary",
    "rurality",
)
TREND_COLUMNS = ("fips", "year", "modelled_rate_per_100k")
CANDIDATE_COLUMNS = (
    "candidate_id",
    "kind",
    "name",
    "address",
    "city",
    "lat",
    "lon",
    "source",
)


def read_tract_context(no_vehicle_path: Path, ruca_path: Path) -> pd.DataFrame:
    """One row per 2020 tract: ``no_vehicle_pct`` (households with no vehicle, ACS
    B08201), ``transit_commute_pct`` and ``walk_commute_pct`` (workers, B08101), all in
    percent and missing for tracts without households; ``ruca_code`` (USDA RUCA 2020
    primary code 1-10, 99 = not coded), ``ruca_secondary`` and ``rurality`` (OEPS's
    Urban/Suburban/Rural grouping of the codes, as published)."""
    vehicles = read_csv_strict(
        no_vehicle_path, ["GEOID", "NoVehHHld", "CommTransit", "CommWalking"]
    )
    out = pd.DataFrame({"geoid": tract_geoids(vehicles, no_vehicle_path)})
    for raw_column, column in (
        ("NoVehHHld", "no_vehicle_pct"),
        ("CommTransit", "transit_commute_pct"),
        ("CommWalking", "walk_commute_pct"),
    ):
        out[column] = numeric_column(vehicles, raw_column, no_vehicle_path, allow_missing=True)
        check_range(out[column], 0.0, 100.0, raw_column, no_vehicle_path)
    ruca = read_csv_strict(ruca_path, ["GEOID", "Ruca1", "Ruca2", "Rurality"])
    codes = pd.DataFrame({"geoid": tract_geoids(ruca, ruca_path)})
    primary = numeric_column(ruca, "Ruca1", ruca_path)
    bad = ~primary.isin(RUCA_CODES)
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataFileError(
            ruca_path,
            f"{ruca['Ruca1'].iloc[position]!r} is not a RUCA primary code (1-10 or 99)",
            row=spreadsheet_row(position),
            field="Ruca1",
        )
    codes["ruca_code"] = primary.astype("Int64")
    codes["ruca_secondary"] = numeric_column(ruca, "Ruca2", ruca_path, allow_missing=True)
    unknown = ~ruca["Rurality"].isin(OEPS_RURALITY)
    if unknown.any():
        position = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DataFileError(
            ruca_path,
            f"{ruca['Rurality'].iloc[position]!r} is not Urban, Suburban or Rural",
            row=spreadsheet_row(position),
            field="Rurality",
        )
    codes["rurality"] = ruca["Rurality"]
    merged = out.merge(codes, on="geoid", how="outer", indicator=True)
    if (merged["_merge"] != "both").any():
        geoid = merged.loc[merged["_merge"] != "both", "geoid"].iloc[0]
        raise DataFileError(ruca_path, f"tract {geoid} is in only one of the two tract files")
    return merged[list(TRACT_CONTEXT_COLUMNS)].sort_values("geoid", ignore_index=True)


def read_overdose_trend(path: Path) -> pd.DataFrame:
    """The NCHS model-based drug-overdose mortality rate per 100,000 (via HepVu/OEPS)
    per jurisdiction and year 2014-2021: ``fips``, ``year``, ``modelled_rate_per_100k``.
    A modelled (smoothed) estimate, never a count."""
    frame = read_csv_strict(path, ["county_fips", "year", "OdMortRt"])
    check_fips(frame, "county_fips", path)
    year = numeric_column(frame, "year", path)
    check_range(year, 1999, 2100, "year", path)
    rate = numeric_column(frame, "OdMortRt", path, allow_missing=True)
    check_range(rate, 0.0, 1000.0, "OdMortRt", path)
    out = pd.DataFrame(
        {
            "fips": frame["county_fips"],
            "year": year.astype("int64"),
            "modelled_rate_per_100k": rate,
        }
    )
    check_unique(out["fips"] + "-" + out["year"].astype(str), "county_fips, year", path)
    return out.sort_values(["fips", "year"], ignore_index=True)


def _points(frame: pd.DataFrame, path: Path, lat: str, lon: str) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude (EPSG:4326) of every row, within :data:`REGION_LAT_RANGE`
    and :data:`REGION_LON_RANGE`."""
    return coordinates(
        frame,
        path,
        allow_missing=False,
        lat=lat,
        lon=lon,
        lat_range=REGION_LAT_RANGE,
        lon_range=REGION_LON_RANGE,
    )


def _text(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.strip()


def read_health_centers(path: Path) -> pd.DataFrame:
    """HRSA health-centre (FQHC) sites: candidate rows of kind ``health_center``."""
    frame = read_csv_strict(path, ["name", "address", "city", "lon", "lat"])
    frame["lat"], frame["lon"] = _points(frame, path, "lat", "lon")
    return pd.DataFrame(
        {
            "candidate_id": [f"hrsa-{i + 1}" for i in range(len(frame))],
            "kind": "health_center",
            "name": _text(frame["name"]),
            "address": _text(frame["address"]),
            "city": _text(frame["city"]),
            "lat": frame["lat"],
            "lon": frame["lon"],
            "source": "HRSA health center sites (OEPS v1, ~2020-21)",
        }
    )


def read_treatment_facilities(path: Path) -> pd.DataFrame:
    """SAMHSA substance-use treatment facilities: candidate rows of kind ``treatment``
    (the name joins ``name1`` and ``name2`` when both are given)."""
    frame = read_csv_strict(
        path, ["name1", "name2", "street1", "city", "zip", "latitude", "longitude"]
    )
    frame["lat"], frame["lon"] = _points(frame, path, "latitude", "longitude")
    name2 = _text(frame["name2"])
    name = _text(frame["name1"]) + np.where(name2 != "", " - " + name2, "")
    return pd.DataFrame(
        {
            "candidate_id": [f"samhsa-{i + 1}" for i in range(len(frame))],
            "kind": "treatment",
            "name": name,
            "address": _text(frame["street1"]),
            "city": _text(frame["city"]),
            "lat": frame["lat"],
            "lon": frame["lon"],
            "source": "SAMHSA treatment locator (OEPS v1, ~2021)",
        }
    )


def read_transit(path: Path, kind: str) -> pd.DataFrame:
    """MTA stations or bus stops (GeoJSON points): candidate rows of ``kind`` (``rail``
    or ``bus``); a stop is named by ``stop_name``, a station by ``name`` and address."""
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except FileNotFoundError as exc:
        raise DataFileError(path, "file not found") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise DataFileError(path, f"cannot be read as GeoJSON: {exc}") from exc
    rows = []
    for position, feature in enumerate(features):
        geometry, props = feature.get("geometry") or {}, feature.get("properties") or {}
        if geometry.get("type") != "Point":
            raise DataFileError(path, "expected a Point", row=position + 1, field="geometry")
        lon, lat = (float(v) for v in geometry["coordinates"][:2])
        if not (
            REGION_LAT_RANGE[0] <= lat <= REGION_LAT_RANGE[1]
            and REGION_LON_RANGE[0] <= lon <= REGION_LON_RANGE[1]
        ):
            raise DataFileError(path, f"({lat}, {lon}) is outside the region", row=position + 1)
        stem = path.stem.removeprefix("mta_")
        name = props.get("stop_name") if kind == "bus" else props.get("name")
        rows.append(
            {
                "candidate_id": f"mta-{stem}-{props.get('stop_id') or props.get('id') or position}",
                "kind": kind,
                "name": str(name or "").strip(),
                "address": str(props.get("address") or "").strip(),
                "city": str(props.get("city") or props.get("county") or "").strip(),
                "lat": lat,
                "lon": lon,
                "source": "MDOT MTA via MD iMAP (mapbaltimore): " + str(props.get("mode") or kind),
            }
        )
    return pd.DataFrame(rows, columns=list(CANDIDATE_COLUMNS))


def read_candidate_sites(raw_dir: Path) -> pd.DataFrame:
    """Every candidate host site (not a naloxone site): health centres, treatment
    facilities, rail stations and bus stops, with a unique ``candidate_id``."""
    frames = [
        read_health_centers(raw_dir / HEALTH_CENTERS_FILE),
        read_treatment_facilities(raw_dir / TREATMENT_FILE),
        *(read_transit(raw_dir / name, kind) for name, kind in TRANSIT_FILES.items()),
    ]
    out = pd.concat(frames, ignore_index=True)[list(CANDIDATE_COLUMNS)]
    check_unique(out["candidate_id"], "candidate_id", raw_dir)
    return out
