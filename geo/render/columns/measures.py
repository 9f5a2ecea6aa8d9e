"""Columns of the jurisdiction tables: population, sites, distances, access, deaths,
the gap measures and the county context (SVI, prescribing)."""

from __future__ import annotations

from geo.render.columns.spec import _COMPUTED, _JURISDICTION, _RATE, _REACH, _SITES, Column

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
}
