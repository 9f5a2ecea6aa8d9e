"""Columns of the tract tables: ACS and RUCA context, recommendations, the trend
series and travel minutes on a street network."""

from __future__ import annotations

from geo.render.columns.spec import _COMPUTED, _TRAVEL, Column

_TRACT = ("acs",)
_RUCA = ("ruca",)
COLUMNS: dict[str, Column] = {
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
