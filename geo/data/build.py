"""Build the processed layers in ``data/processed`` from the raw sources.

``python -m geo build`` runs :func:`build`; the layers are GeoParquet (points
and polygons in EPSG:4326) or Parquet, and ``data/manifest.json`` records every
file with its checksum, row count and provenance.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.config import MANIFEST_PATH, PROCESSED_DIR, RAW_DIR, WGS84
from geo.data import equity_raw, raw, sites_raw
from geo.data.catalog import LAYERS, PLACE_NAMES_ATTRIBUTION, RAW_SOURCES
from geo.data.gazetteer import read_gazetteer
from geo.data.places import jurisdiction_of
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
    schedules = sites_raw.read_syringe_services(path)
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


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def count_rows(path: Path) -> int:
    """Data rows of a CSV (header excluded), features of a GeoJSON, rows of a Parquet."""
    try:
        if path.suffix == ".csv":
            return len(pd.read_csv(path, dtype=str))
        if path.suffix == ".geojson":
            return len(json.loads(path.read_text(encoding="utf-8"))["features"])
        if path.name.endswith(".geojson.gz"):
            import gzip

            with gzip.open(path, "rt", encoding="utf-8") as handle:
                return len(json.load(handle)["features"])
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
    except Exception as exc:  # pandas, json and pyarrow raise many types for damaged files
        raise DataFileError(path, f"cannot count its rows: {exc}") from exc
    raise ValueError(f"no row count for {path.name}")


def manifest_entries(raw_dir: Path, processed_dir: Path) -> list[dict[str, object]]:
    """Manifest records of every raw and processed data file."""
    entries: list[dict[str, object]] = []
    for source in RAW_SOURCES:
        path = raw_dir / source.filename
        entries.append(
            {
                "path": f"raw/{source.filename}",
                "kind": "raw",
                "title": source.title,
                "source": source.source,
                "url": source.url,
                "vintage": source.vintage,
                "licence": source.licence,
                "key_column": source.key_column,
                "caveats": source.caveats,
                "rows": count_rows(path),
                "sha256": sha256_of(path),
            }
        )
    for layer in LAYERS.values():
        path = processed_dir / layer.filename
        sources = [s for s in RAW_SOURCES if s.filename in layer.derived_from]
        entries.append(
            {
                "path": f"processed/{layer.filename}",
                "kind": "processed",
                "layer": layer.name,
                "title": layer.title,
                "source": "derived by `python -m geo build` from " + ", ".join(layer.derived_from),
                "url": "",
                "vintage": "; ".join(s.vintage for s in sources),
                "licence": "; ".join(dict.fromkeys(s.licence for s in sources)),
                "key_column": layer.key_column,
                "caveats": "",
                "rows": count_rows(path),
                "sha256": sha256_of(path),
            }
        )
    return entries


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
class RowChange:
    """A data file whose row count differs from the one the manifest records."""

    path: str  # as in the manifest, e.g. ``raw/md_pharmacies_osm2023.csv``
    expected: int | None  # None: the manifest has no record of the file
    found: int

    def __str__(self) -> str:
        before = "new" if self.expected is None else f"{self.expected:,}"
        return f"{self.path}: {before} → {self.found:,} rows"


@dataclass(frozen=True)
class BuildResult:
    """The layers built and the row-count changes that were accepted."""

    layers: dict[str, pd.DataFrame]
    row_changes: list[RowChange] = field(default_factory=list)


def recorded_rows(manifest_path: Path) -> dict[str, int] | None:
    """Row count per file path recorded in an existing manifest (None when there is none)."""
    if not manifest_path.exists():
        return None
    from geo.data.layers import load_manifest

    recorded = {}
    for entry in load_manifest(manifest_path)["files"]:
        if isinstance(entry, dict) and isinstance(entry.get("rows"), int):
            recorded[str(entry.get("path"))] = entry["rows"]
    return recorded


def row_changes(
    entries: list[dict[str, object]], recorded: dict[str, int] | None
) -> list[RowChange]:
    """Files whose row count in ``entries`` differs from ``recorded`` (none without a
    previous manifest)."""
    if recorded is None:
        return []
    return [
        RowChange(str(entry["path"]), recorded.get(str(entry["path"])), int(entry["rows"]))
        for entry in entries
        if recorded.get(str(entry["path"])) != entry["rows"]
    ]


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
    geocodes = sites_raw.read_lhd_geocodes(raw_dir / LHD_GEOCODES_FILE)
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
    reports = sites_raw.read_rite_aid_closures(raw_dir / RITE_AID_FILE)
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

    nppes = sites_raw.read_nppes_pharmacies(raw_dir / NPPES_FILE)
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
