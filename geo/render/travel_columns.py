"""Data-dictionary entries of the per-jurisdiction table in travel minutes
(:func:`geo.analysis.travel_metrics.travel_metrics`, kind ``travel-metrics``): the columns
it adds, and those whose meaning changes when reach is a trip of at most T minutes on a
network over the area it covers rather than a straight-line radius."""

from __future__ import annotations

from geo.render.columns.spec import Column

_TRAVEL = ("census", "sites", "network")
_IN_AREA = "of the jurisdiction's tracts whose centre lies in the area the network covers"

TRAVEL_METRIC_COLUMNS: dict[str, Column] = {
    "fips": Column(
        "FIPS code", "", "Census code of the jurisdiction ('area' = the whole covered area).", ()
    ),
    "measure": Column("Measure", "", "How access is measured (walking or driving minutes).", ()),
    "minutes": Column("Threshold", "minutes", "The travel-time threshold T in minutes.", ()),
    "population": Column(
        "Residents in the network's area", "people", f"Residents (2020 census) {_IN_AREA}.", _TRAVEL
    ),
    "jurisdiction_population": Column(
        "Residents, 2020 census", "people", "All residents of the jurisdiction.", ("census",)
    ),
    "pct_jurisdiction_in_area": Column(
        "Share of the jurisdiction in the area",
        "%",
        "Residents in the network's area ÷ all residents of the jurisdiction × 100.",
        ("census", "network"),
        1,
    ),
    "tracts": Column("Tracts", "tracts", f"2020 census tracts {_IN_AREA}.", ("census", "network")),
    "sites": Column(
        "Mapped sites in the area",
        "sites",
        "Listed sites of the chosen types with a mapped location inside the network's area.",
        ("sites", "network"),
    ),
    "sites_per_100k": Column(
        "Sites per 100,000 residents",
        "per 100,000 residents",
        "Mapped sites in the area ÷ residents in the area × 100,000.",
        _TRAVEL,
        1,
    ),
    "pop_within_minutes": Column(
        "Residents within T minutes",
        "people",
        "Residents whose trip on the network to the nearest listed site of the area takes at "
        "most the threshold (straight-line joins to the network included).",
        _TRAVEL,
        0,
    ),
    "pct_pop_within_minutes": Column(
        "Residents within T minutes",
        "%",
        "Residents within T minutes ÷ residents × 100.",
        _TRAVEL,
        1,
    ),
    "uncovered_population": Column(
        "Residents beyond T minutes",
        "people",
        "Residents whose trip to the nearest listed site of the area takes longer than T.",
        _TRAVEL,
        0,
    ),
    "mean_minutes": Column(
        "Mean travel time",
        "minutes",
        "Population-weighted mean trip to the nearest site.",
        _TRAVEL,
        1,
    ),
    "median_minutes": Column(
        "Median travel time", "minutes", "Half of the residents are within this trip.", _TRAVEL, 1
    ),
    "p90_minutes": Column(
        "90th-percentile travel time",
        "minutes",
        "90% of the residents are within this trip (population-weighted).",
        _TRAVEL,
        1,
    ),
    "access_2sfca_per_100k": Column(
        "2SFCA access (T-minute catchment)",
        "sites per 100,000 in catchment",
        "Two-step floating catchment access with a catchment of T minutes on the network: "
        "each site of the area shared among the residents who reach it within T, averaged "
        "over residents.",
        _TRAVEL,
        2,
    ),
    "tracts_far_from_network": Column(
        "Tracts more than 500 m from a street",
        "tracts",
        "Tracts whose centre or nearest site is more than 500 m from the network: their "
        "minutes are approximate.",
        _TRAVEL,
    ),
    "gap_score": Column(
        "Access gap",
        "{gap_unit}",
        "Value of the chosen gap measure over the residents beyond T minutes (rurality: "
        "residents beyond T minutes, its straight-line reaches do not apply).",
        ("census", "sites", "network", "deaths", "svi"),
        2,
    ),
    "gap_rank": Column(
        "Gap rank in the area",
        "",
        "Rank among the jurisdictions of the network's area only (1 = largest gap).",
        _TRAVEL,
    ),
    "area": Column("Area covered", "", "The area the network covers.", ("network",)),
    "method": Column("Method", "", "How the minutes are measured (speeds, rules).", ("network",)),
}
