"""Names and allowed values shared by the layers: site types, statuses, columns."""

from __future__ import annotations

SITE_TYPES: tuple[str, ...] = (
    "pharmacy",
    "opioid_treatment_program",
    "health_department",
    "harm_reduction",
    "vending_machine",
)
SITE_TYPE_LABELS: dict[str, str] = {
    "pharmacy": "Pharmacy",
    "opioid_treatment_program": "Opioid treatment program",
    "health_department": "Health department",
    "harm_reduction": "Harm reduction / syringe services",
    "vending_machine": "Naloxone vending machine",
}

LOCATION_PRECISIONS: tuple[str, ...] = ("exact", "zip_centroid", "none")

LEAVE_BEHIND_STATUSES: tuple[str, ...] = ("documented", "announced", "no public evidence found")
LEAVE_BEHIND_STATUS_LABELS: dict[str, str] = {
    "documented": "Documented program",
    "announced": "Announced / pilot",
    "no public evidence found": "Unknown: no public evidence found",
}

SITE_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "type",
    "subtype",
    "address",
    "city",
    "zip",
    "jurisdiction_fips",
    "lat",
    "lon",
    "location_precision",
    "status",
    "source",
    "source_url",
    "source_date",
    "licence",
    "notes",
)
#: Site details built with the layer (not kept in the local-updates store): phone and
#: opening hours where the source gives them, the nearest gazetteer town (``place``)
#: with its straight-line distance in metres and its attribution (``place_source``),
#: ``evidence_date`` (ISO year, month or day the listing's evidence dates from; missing
#: when undated) and a known closure: ``closed`` (bool), ``closed_date`` and
#: ``closed_source`` (the cited report). A closed site stays listed and is left out of
#: every distance, count and recommendation.
SITE_DETAIL_COLUMNS: tuple[str, ...] = (
    "phone",
    "hours",
    "place",
    "place_distance_m",
    "place_source",
    "evidence_date",
    "closed",
    "closed_date",
    "closed_source",
)
JURISDICTION_COLUMNS: tuple[str, ...] = (
    "fips",
    "name",
    "full_name",
    "land_area_m2",
    "water_area_m2",
    "pop_2020",
    "pop_est_2018",
    "pop_est_2019",
    "pop_est_2020",
    "pop_est_2021",
    "pop_est_2022",
    "pop_est_2023",
)
POPULATION_COLUMNS: tuple[str, ...] = ("geoid", "fips", "population", "lat", "lon")
DRIVE_TIME_COLUMNS: tuple[str, ...] = ("geoid", "pharmacies_within_30min", "drive_minutes")
LEAVE_BEHIND_COLUMNS: tuple[str, ...] = (
    "fips",
    "name",
    "status",
    "earliest_date",
    "date_note",
    "evidence",
    "source_url",
)
BURDEN_COLUMNS: tuple[str, ...] = (
    "fips",
    "name",
    "year",
    "deaths",
    "population",
    "crude_rate_per_100k",
    "rate_lcl95",
    "rate_ucl95",
    "suppressed",
    "unreliable",
)
CONTEXT_COLUMNS: tuple[str, ...] = (
    "fips",
    "name",
    "svi_overall",
    "svi_socioeconomic",
    "svi_household",
    "svi_minority_language",
    "svi_housing_transport",
    "opioid_rx_per_100",
    "od_mortality_oeps2020",
    "od_mortality_avg_oeps2020",
)
FACT_COLUMNS: tuple[str, ...] = (
    "fact",
    "value",
    "unit",
    "geography",
    "period",
    "source_url",
    "source_date",
    "notes",
)

#: CDC WONDER marks rates from fewer than this many deaths as unreliable.
UNRELIABLE_DEATHS_BELOW = 20
