"""Typed loaders of the processed layers the app reads (all EPSG:4326).

Each loader checks the file it reads and raises ``DataFileError`` naming the
file and the problem (missing file, unreadable Parquet, missing column, bad
values) rather than failing deep inside pandas.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.config import MANIFEST_PATH, PROCESSED_DIR, WGS84
from geo.data.catalog import LAYERS
from geo.data.equity_raw import CANDIDATE_COLUMNS, TRACT_CONTEXT_COLUMNS, TREND_COLUMNS
from geo.data.validation import (
    JURISDICTION_FIPS_PATTERN,
    check_allowed,
    check_geometries,
    check_unique,
    require_columns,
)
from geo.errors import DataFileError
from geo.schema import (
    BURDEN_COLUMNS,
    CONTEXT_COLUMNS,
    DRIVE_TIME_COLUMNS,
    FACT_COLUMNS,
    JURISDICTION_COLUMNS,
    LEAVE_BEHIND_COLUMNS,
    LEAVE_BEHIND_STATUSES,
    LOCATION_PRECISIONS,
    POPULATION_COLUMNS,
    SITE_COLUMNS,
    SITE_DETAIL_COLUMNS,
    SITE_TYPES,
)

N_JURISDICTIONS = 24
POLYGONAL = ("Polygon", "MultiPolygon")


def _layer_path(name: str, processed_dir: Path | None) -> Path:
    return (processed_dir or PROCESSED_DIR) / LAYERS[name].filename


def _read(name: str, processed_dir: Path | None, columns: tuple[str, ...]) -> pd.DataFrame:
    """The layer's file as read, a fresh copy each call (the file is read once while it
    stays the same: same size and modification time)."""
    path = _layer_path(name, processed_dir)
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is None or not path.is_file():
        raise DataFileError(path, "file not found (run `python -m geo build`)")
    frame = _read_file(path, LAYERS[name].is_geo, stat.st_mtime_ns, stat.st_size).copy()
    require_columns(frame, columns, path)
    if LAYERS[name].is_geo and (frame.crs is None or frame.crs.to_epsg() != 4326):
        raise DataFileError(path, f"expected CRS {WGS84}, found {frame.crs}")
    return frame


@functools.lru_cache(maxsize=16)
def _read_file(path: Path, is_geo: bool, mtime_ns: int, size: int) -> pd.DataFrame:
    """One read of a (Geo)Parquet file; ``mtime_ns`` and ``size`` name its version (a
    damaged file raises and is not remembered)."""
    try:
        return gpd.read_parquet(path) if is_geo else pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for damaged files
        raise DataFileError(path, f"cannot be read as (Geo)Parquet: {exc}") from exc


def _check_jurisdiction_keys(
    frame: pd.DataFrame, column: str, path: Path, expected_each_once: bool
) -> None:
    values = frame[column].astype(str)
    bad = ~values.str.fullmatch(JURISDICTION_FIPS_PATTERN)
    if bad.any():
        raise DataFileError(
            path, f"{values[bad].iloc[0]!r} is not a Maryland FIPS code", field=column
        )
    if expected_each_once:
        check_unique(values, column, path)
        if len(values) != N_JURISDICTIONS:
            raise DataFileError(
                path, f"expected {N_JURISDICTIONS} jurisdictions, found {len(values)}", field=column
            )


def load_jurisdictions(processed_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The 24 jurisdictions: fips, name, full_name, areas (m²), pop_2020 and the
    July-1 estimates ``pop_est_2018`` … ``pop_est_2023``; MultiPolygons, EPSG:4326."""
    path = _layer_path("jurisdictions", processed_dir)
    frame = _read("jurisdictions", processed_dir, JURISDICTION_COLUMNS)
    _check_jurisdiction_keys(frame, "fips", path, True)
    check_geometries(frame.geometry, path, POLYGONAL, keys=frame["fips"])
    return frame.sort_values("fips", ignore_index=True)


def load_population(processed_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The 1,475 census 2020 tract centres of population (points, EPSG:4326)."""
    path = _layer_path("population", processed_dir)
    frame = _read("population", processed_dir, POPULATION_COLUMNS)
    _check_jurisdiction_keys(frame, "fips", path, False)
    check_unique(frame["geoid"], "geoid", path)
    check_geometries(frame.geometry, path, ("Point",), keys=frame["geoid"])
    if (frame["population"] < 0).any():
        raise DataFileError(path, "negative population", field="population")
    return frame


def load_sites(processed_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Every naloxone access point (mapped and unmapped), EPSG:4326.

    ``location_precision`` is ``exact``, ``zip_centroid`` or ``none``; unmapped
    sites have NaN lat/lon and an empty geometry.
    """
    path = _layer_path("sites", processed_dir)
    frame = _read("sites", processed_dir, (*SITE_COLUMNS, *SITE_DETAIL_COLUMNS))
    check_unique(frame["id"], "id", path)
    check_allowed(frame["type"], SITE_TYPES, "type", path)
    check_allowed(frame["location_precision"], LOCATION_PRECISIONS, "location_precision", path)
    _check_jurisdiction_keys(frame, "jurisdiction_fips", path, False)
    unmapped = frame["location_precision"].eq("none")
    if (frame["lat"].isna() != unmapped).any():
        raise DataFileError(
            path,
            "coordinates must be present exactly when location_precision is not 'none'",
            field="location_precision",
        )
    check_geometries(
        frame.geometry, path, ("Point",), keys=frame["id"], required=~unmapped.to_numpy()
    )
    return frame


def load_drive_times(processed_dir: Path | None = None) -> pd.DataFrame:
    """OEPS 2025 drive minutes from each tract to its nearest pharmacy (an outside
    pharmacy list, Overture Maps): geoid, pharmacies_within_30min, drive_minutes
    (missing where OEPS has no value; 10 water tracts are absent)."""
    path = _layer_path("drive-times", processed_dir)
    frame = _read("drive-times", processed_dir, DRIVE_TIME_COLUMNS)
    check_unique(frame["geoid"], "geoid", path)
    if (frame["drive_minutes"] < 0).any():
        raise DataFileError(path, "negative drive minutes", field="drive_minutes")
    return frame


def load_leave_behind(processed_dir: Path | None = None) -> pd.DataFrame:
    """EMS leave-behind status per jurisdiction: ``documented``, ``announced`` or
    ``no public evidence found`` (unknown, not "no program")."""
    path = _layer_path("leave-behind", processed_dir)
    frame = _read("leave-behind", processed_dir, LEAVE_BEHIND_COLUMNS)
    _check_jurisdiction_keys(frame, "fips", path, True)
    check_allowed(frame["status"], LEAVE_BEHIND_STATUSES, "status", path)
    return frame


def load_burden(processed_dir: Path | None = None) -> pd.DataFrame:
    """CDC WONDER drug-induced deaths per jurisdiction and year (2022, 2023).

    ``deaths`` is a nullable integer: suppressed counts are missing, never zero.
    """
    path = _layer_path("burden", processed_dir)
    frame = _read("burden", processed_dir, BURDEN_COLUMNS)
    _check_jurisdiction_keys(frame, "fips", path, False)
    if (frame["deaths"].isna() != frame["suppressed"]).any():
        raise DataFileError(
            path, "a death count is missing without being suppressed", field="deaths"
        )
    return frame


def load_context(processed_dir: Path | None = None) -> pd.DataFrame:
    """County context (SVI 2022, opioid prescribing, OEPS overdose mortality) per
    jurisdiction; missing values stay missing."""
    path = _layer_path("context", processed_dir)
    frame = _read("context", processed_dir, CONTEXT_COLUMNS)
    _check_jurisdiction_keys(frame, "fips", path, True)
    return frame


def load_tract_context(processed_dir: Path | None = None) -> pd.DataFrame:
    """Per 2020 tract: no_vehicle_pct, transit_commute_pct, walk_commute_pct (percent,
    ACS 2019-2023; missing where a tract has no households), ruca_code, ruca_secondary
    and OEPS's rurality grouping (see :mod:`geo.data.equity_raw`)."""
    path = _layer_path("tract-context", processed_dir)
    frame = _read("tract-context", processed_dir, TRACT_CONTEXT_COLUMNS)
    check_unique(frame["geoid"], "geoid", path)
    return frame


def load_overdose_trend(processed_dir: Path | None = None) -> pd.DataFrame:
    """The NCHS model-based drug-overdose mortality rate per 100,000 by jurisdiction and
    year, 2014-2021 (``fips``, ``year``, ``modelled_rate_per_100k``): modelled rates,
    never counts."""
    path = _layer_path("overdose-trend", processed_dir)
    frame = _read("overdose-trend", processed_dir, TREND_COLUMNS)
    _check_jurisdiction_keys(frame, "fips", path, False)
    return frame


def load_candidate_sites(processed_dir: Path | None = None) -> pd.DataFrame:
    """Candidate host sites for new naloxone points (health centres, treatment
    facilities, MTA stations and bus stops), with ``fips``: places, not naloxone sites."""
    path = _layer_path("candidate-sites", processed_dir)
    frame = _read("candidate-sites", processed_dir, (*CANDIDATE_COLUMNS, "fips"))
    check_unique(frame["candidate_id"], "candidate_id", path)
    _check_jurisdiction_keys(frame, "fips", path, False)
    return frame


def load_cited_facts(processed_dir: Path | None = None) -> pd.DataFrame:
    """Cited single figures (text) with source URL and date."""
    return _read("facts", processed_dir, FACT_COLUMNS)


def leave_behind_totals(facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The statewide EMS leave-behind totals (jurisdictions, doses, people) as cited."""
    facts = load_cited_facts() if facts is None else facts
    wanted = [
        "ems_leave_behind_jurisdictions_2018_2021",
        "ems_leave_behind_doses_2018_2021",
        "ems_leave_behind_people_2018_2021",
    ]
    found = facts[facts["fact"].isin(wanted)].set_index("fact")
    missing = [w for w in wanted if w not in found.index]
    if missing:
        raise DataFileError(
            LAYERS["facts"].filename, "missing cited fact(s) " + ", ".join(missing), field="fact"
        )
    return found.loc[wanted].reset_index()


@dataclass(frozen=True)
class LeaveBehindTotals:
    """The cited statewide EMS leave-behind figures for 2018-2021 and their source."""

    jurisdictions: int
    doses: int
    people: int
    source_url: str
    source_date: str


def statewide_leave_behind(facts: pd.DataFrame | None = None) -> LeaveBehindTotals:
    """:func:`leave_behind_totals` as numbers (raises ``DataFileError`` if one is not)."""
    totals = leave_behind_totals(facts)
    counts = []
    for fact, value in zip(totals["fact"], totals["value"], strict=True):
        if not str(value).isdigit():
            raise DataFileError(
                LAYERS["facts"].filename, f"{value!r} is not a whole number", field=fact
            )
        counts.append(int(value))
    return LeaveBehindTotals(
        *counts, str(totals["source_url"].iloc[0]), str(totals["source_date"].iloc[0])
    )


def load_manifest(path: Path = MANIFEST_PATH) -> dict[str, object]:
    """The data manifest (``data/manifest.json``)."""
    if not path.is_file():
        raise DataFileError(path, "file not found (run `python -m geo build`)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"not valid JSON: {exc}") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise DataFileError(path, "expected an object with a 'files' list")
    return manifest
