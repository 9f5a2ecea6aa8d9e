"""Columns of the site tables and of the bundled layers: sites, boundaries, leave-behind
evidence and the CDC WONDER deaths."""

from __future__ import annotations

from geo.render.columns.spec import _COMPUTED, _LEAVE, _SITES, Column

COLUMNS: dict[str, Column] = {
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
