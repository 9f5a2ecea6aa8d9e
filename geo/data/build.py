"""Build the processed layers in ``data/processed`` from the raw sources.

``python -m geo build`` runs :func:`build`; the layers are GeoParquet (points
and polygons in EPSG:4326) or Parquet, and ``data/manifest.json`` records every
file with its checksum, row count and provenance.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.config import MANIFEST_PATH, PROCESSED_DIR, RAW_DIR, WGS84
from geo.data import equity_raw, raw, sites_raw
from geo.data.catalog import LAYERS, PLACE_NAMES_ATTRIBUTION
from geo.data.gazetteer import read_gazetteer
from geo.data.manifest import RowChange, manifest_entries, recorded_rows, row_changes
from geo.data.places import jurisdiction_of
from geo.data.site_corrections import (
    with_lhd_locations,
    with_nppes_pharmacies,
    with_rite_aid_closures,
    with_syringe_schedules,
)
from geo.data.streets import STREETS_FILE, read_street_centrelines
from geo.errors import DataFileError

SITE_SOURCE_READERS = (
    ("md_pharmacies_osm2023.csv", sites_raw.read_pharmacies),
    ("md_opioid_treatment_programs_samhsa_oeps.csv", sites_raw.read_treatment_programs),
    ("md_local_health_departments.csv", sites_raw.read_health_departments),
    ("md_harm_reduction_sites_from_public_pages.csv", sites_raw.read_harm_reduction),
    ("md_harm_reduction_naloxone_sites_round4.csv", sites_raw.read_harm_reduction_round4),
)


def build_jurisdictions(raw_dir: Path) -> gpd.GeoDataFrame:
    """Jurisdiction polygons joined with their census population and estimates."""
    counties = raw.read_counties(raw_dir / "md_counties_cb2020_500k.geojson")
    population_path = raw_dir / "md_county_population.csv"
    population = raw.read_county_population(population_path)
    missing = sorted(set(counties["fips"]) ^ set(population["fips"]))
    if missing:
        raise DataFileError(
            population_path, "jurisdictions do not match the boundary file: " + ", ".join(missing)
        )
    merged = counties.merge(population, on="fips", validate="one_to_one")
    columns = [c for c in merged.columns if c != "geometry"] + ["geometry"]
    return gpd.GeoDataFrame(merged[columns], geometry="geometry", crs=WGS84)


def build_population(raw_dir: Path, jurisdictions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Tract centres of population as points (EPSG:4326)."""
    path = raw_dir / "md_tract_pop_centroids_cenpop2020.csv"
    tracts = raw.read_tract_centres(path)
    unknown = ~tracts["fips"].isin(jurisdictions["fips"])
    if unknown.any():
        raise DataFileError(
            path, f"unknown jurisdiction {tracts['fips'][unknown].iloc[0]}", field="county_fips"
        )
    return gpd.GeoDataFrame(
        tracts, geometry=gpd.points_from_xy(tracts["lon"], tracts["lat"]), crs=WGS84
    ).sort_values("geoid", ignore_index=True)


def build_sites(raw_dir: Path, jurisdictions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One table of every access point from all site sources.

    Mapped sites must lie in their stated jurisdiction. An exact location that
    does not is a data error; a ZIP centroid that does not (a ZIP that straddles
    a boundary) is dropped and the site listed as unmapped, never moved.
    """
    frames = []
    for filename, reader in SITE_SOURCE_READERS:
        frame = reader(raw_dir / filename)
        frame["_file"] = filename
        frame["_row"] = np.arange(len(frame)) + 2
        frames.append(frame)
    sites = with_syringe_schedules(pd.concat(frames, ignore_index=True), raw_dir)
    sites = with_lhd_locations(sites, raw_dir)
    sites = with_rite_aid_closures(sites, raw_dir)
    sites = with_nppes_pharmacies(sites, raw_dir, jurisdictions)
    sites["closed"] = sites["closed"].fillna(False).astype(bool)
    duplicated = sites["id"].duplicated()
    if duplicated.any():
        first = sites[duplicated].iloc[0]
        raise DataFileError(
            raw_dir / first["_file"],
            f"site id {first['id']!r} is already used by another source",
            row=int(first["_row"]),
            field="id",
        )
    names = dict(zip(jurisdictions["fips"], jurisdictions["name"], strict=True))
    mapped = sites["lat"].notna().to_numpy()
    found = np.full(len(sites), None, dtype=object)
    found[mapped] = jurisdiction_of(
        sites["lon"].to_numpy()[mapped], sites["lat"].to_numpy()[mapped], jurisdictions
    )
    disagree = mapped & (found != sites["jurisdiction_fips"].to_numpy())
    for position in np.flatnonzero(disagree):
        site = sites.iloc[position]
        where = names.get(found[position], "outside Maryland")
        if site["location_precision"] == "exact":
            raise DataFileError(
                raw_dir / site["_file"],
                f"site {site['id']} lies in {where}, "
                f"not in its stated jurisdiction {site['jurisdiction_fips']}",
                row=int(site["_row"]),
                field="lat",
            )
        note = (
            f"ZIP {site['zip']} centroid lies in {where}, outside the stated "
            "jurisdiction: not mapped"
        )
        previous = site["notes"]
        sites.loc[sites.index[position], "notes"] = (
            note if pd.isna(previous) else f"{previous}; {note}"
        )
        sites.loc[sites.index[position], ["lat", "lon"]] = np.nan
        sites.loc[sites.index[position], "location_precision"] = "none"
    sites = sites.drop(columns=["_file", "_row"])
    mapped = sites["lat"].notna().to_numpy()
    place, place_m = read_gazetteer(raw_dir).nearest(
        sites["lon"].to_numpy()[mapped], sites["lat"].to_numpy()[mapped]
    )
    sites["place"] = pd.Series(pd.NA, index=sites.index, dtype="string")
    sites.loc[mapped, "place"] = place
    sites["place_distance_m"] = np.nan
    sites.loc[mapped, "place_distance_m"] = place_m.round(0)
    sites["place_source"] = pd.Series(pd.NA, index=sites.index, dtype="string")
    sites.loc[mapped, "place_source"] = PLACE_NAMES_ATTRIBUTION
    for column in sites.columns:
        if column not in ("lat", "lon", "place_distance_m", "closed"):
            sites[column] = sites[column].astype("string")
    geometry = gpd.GeoSeries([None] * len(sites), crs=WGS84)
    has_point = sites["lat"].notna().to_numpy()
    geometry[has_point] = gpd.points_from_xy(sites["lon"][has_point], sites["lat"][has_point])
    return gpd.GeoDataFrame(sites, geometry=geometry.values, crs=WGS84)


def build_layers(raw_dir: Path = RAW_DIR) -> dict[str, pd.DataFrame]:
    """Every processed layer, keyed by layer name (see ``geo.data.catalog.LAYERS``)."""
    jurisdictions = build_jurisdictions(raw_dir)
    return {
        "jurisdictions": jurisdictions,
        "population": build_population(raw_dir, jurisdictions),
        "sites": build_sites(raw_dir, jurisdictions),
        "leave-behind": raw.read_leave_behind(raw_dir / "md_ems_leave_behind_by_jurisdiction.csv"),
        "burden": raw.read_drug_deaths(
            raw_dir / "md_drug_alcohol_induced_deaths_cdcwonder_2022_2023.csv"
        ),
        "context": raw.read_county_context(raw_dir / "md_county_context_oeps.csv"),
        "facts": raw.read_cited_facts(raw_dir / "md_cited_facts.csv"),
        "drive-times": raw.read_tract_drive_times(
            raw_dir / "md_tract2020_pharmacy_drive_time_oeps2025.csv"
        ),
        "streets": read_street_centrelines(raw_dir / STREETS_FILE),
        "tract-context": equity_raw.read_tract_context(
            raw_dir / equity_raw.NO_VEHICLE_FILE, raw_dir / equity_raw.RUCA_FILE
        ),
        "overdose-trend": equity_raw.read_overdose_trend(raw_dir / equity_raw.TREND_FILE),
        "candidate-sites": build_candidate_sites(raw_dir, jurisdictions),
    }


def build_candidate_sites(raw_dir: Path, jurisdictions: gpd.GeoDataFrame) -> pd.DataFrame:
    """Candidate host sites placed in their jurisdiction (point in polygon, ``fips``);
    points outside Maryland (MTA bus stops in DC) are left out."""
    candidates = equity_raw.read_candidate_sites(raw_dir)
    candidates["fips"] = jurisdiction_of(candidates["lon"], candidates["lat"], jurisdictions)
    inside = candidates["fips"].notna()
    return candidates[inside].reset_index(drop=True)


def write_layer(frame: pd.DataFrame, path: Path) -> None:
    """Write one layer as (Geo)Parquet."""
    if isinstance(frame, gpd.GeoDataFrame):
        frame.to_parquet(path, index=False, schema_version="1.1.0")
    else:
        frame.to_parquet(path, index=False)


def check_loadable(processed_dir: Path) -> None:
    """Load every layer in ``processed_dir`` as the app does (raises ``DataFileError``), so
    a build never writes layers the dashboard would refuse."""
    from geo.data import layers as loaders
    from geo.network.city import load_streets

    for load in (
        loaders.load_jurisdictions,
        loaders.load_population,
        loaders.load_sites,
        loaders.load_leave_behind,
        loaders.load_burden,
        loaders.load_cited_facts,
        loaders.load_context,
        loaders.load_drive_times,
        load_streets,
        loaders.load_tract_context,
        loaders.load_overdose_trend,
        loaders.load_candidate_sites,
    ):
        load(processed_dir)


@dataclass(frozen=True)
class BuildResult:
    """The layers built and the row-count changes that were accepted."""

    layers: dict[str, pd.DataFrame]
    row_changes: list[RowChange] = field(default_factory=list)


def build(
    raw_dir: Path | None = None,
    processed_dir: Path | None = None,
    manifest_path: Path | None = None,
    *,
    accept_row_changes: bool = False,
) -> BuildResult:
    """Rebuild every layer and the manifest; files are replaced only when all succeed.

    Every raw file and built layer must have the row count the existing manifest records
    (a truncated source is refused, naming the file) unless ``accept_row_changes``; the
    changes are returned either way. Defaults: ``data/raw``, ``data/processed`` and
    ``data/manifest.json``.
    """
    raw_dir = raw_dir or RAW_DIR
    processed_dir = processed_dir or PROCESSED_DIR
    manifest_path = manifest_path or MANIFEST_PATH
    try:
        recorded = recorded_rows(manifest_path)
    except DataFileError:
        if not accept_row_changes:
            raise
        recorded = None  # a damaged manifest is being replaced deliberately
    layers = build_layers(raw_dir)
    raw.read_zip_centroids(raw_dir / "md_zip_centroids_zipcodes3.csv")  # used by imports
    processed_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=processed_dir.parent) as staging_name:
        staging = Path(staging_name)
        for name, frame in layers.items():
            write_layer(frame, staging / LAYERS[name].filename)
        manifest = {
            "generated_by": "python -m geo build",
            "files": manifest_entries(raw_dir, staging),
        }
        for entry in manifest["files"]:
            if entry["kind"] == "processed":
                entry["path"] = f"processed/{Path(str(entry['path'])).name}"
        changes = row_changes(manifest["files"], recorded)
        if changes and not accept_row_changes:
            _refuse_row_changes(changes, raw_dir, processed_dir, manifest_path)
        check_loadable(staging)
        (staging / "manifest.json").write_text(
            json.dumps(manifest, indent=2) + "\n", encoding="utf-8"
        )
        for layer in LAYERS.values():
            os.replace(staging / layer.filename, processed_dir / layer.filename)
        shutil.move(staging / "manifest.json", manifest_path)
    return BuildResult(layers, changes)


def _refuse_row_changes(
    changes: list[RowChange], raw_dir: Path, processed_dir: Path, manifest_path: Path
) -> None:
    first = changes[0]
    folder, name = first.path.split("/", 1)
    where = (raw_dir if folder == "raw" else processed_dir) / name
    expected = "no row count" if first.expected is None else f"{first.expected:,} rows"
    others = "; ".join(str(change) for change in changes[1:])
    raise DataFileError(
        where,
        f"has {first.found:,} rows but {manifest_path.name} records "
        f"{expected}" + (f" (also {others})" if others else "") + ". Nothing "
        "was written. If this is a deliberate data update, run `python -m geo "
        "build --accept-row-changes`.",
    )
