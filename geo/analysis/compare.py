"""Jurisdiction comparison: the metrics people compare, with labels and units."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from geo.analysis.ranking import GAP_MEASURES
from geo.analysis.tables import distances_in
from geo.config import MARYLAND_STATE_FIPS
from geo.numbers import value_text
from geo.schema import LEAVE_BEHIND_STATUS_LABELS


@dataclass(frozen=True)
class Measure:
    """A comparable column of :func:`geo.analysis.metrics.jurisdiction_metrics`."""

    column: str
    label: str
    unit: str
    higher_is_better: bool | None


MEASURES: tuple[Measure, ...] = (
    Measure("population", "Residents, 2020 census", "people", None),
    Measure("sites", "Mapped sites", "sites", True),
    Measure("sites_per_100k", "Sites per 100,000 residents", "per 100,000", True),
    Measure("pct_pop_within_radius", "Residents within radius", "%", True),
    Measure("mean_distance_miles", "Mean distance to nearest site", "miles", False),
    Measure("p90_distance_miles", "90th-percentile distance", "miles", False),
    Measure(
        "access_2sfca_per_100k",
        "2SFCA access (sites per 100,000 in catchment)",
        "per 100,000",
        True,
    ),
    Measure("deaths_2022_2023", "Drug-induced deaths 2022-2023", "deaths", False),
    Measure("death_rate_per_100k", "Drug-induced deaths per 100,000 a year", "per 100,000", False),
    Measure("deaths_per_site", "Deaths 2022-2023 per site", "deaths per site", False),
    Measure("gap_score", "Access gap (chosen gap measure)", "score", False),
    Measure(
        "list_gap_population",
        "Residents where our pharmacy list is likely incomplete",
        "people",
        False,
    ),
)
#: County context (``geo.data.layers.load_context``): SVI 2022 and opioid prescribing.
CONTEXT_MEASURES: tuple[Measure, ...] = (
    Measure("svi_overall", "SVI 2022 overall", "0-1 rank", False),
    Measure("svi_socioeconomic", "SVI 2022 socioeconomic status", "0-1 rank", False),
    Measure("svi_household", "SVI 2022 household characteristics", "0-1 rank", False),
    Measure("svi_minority_language", "SVI 2022 racial & ethnic minority status", "0-1 rank", False),
    Measure("svi_housing_transport", "SVI 2022 housing type & transportation", "0-1 rank", False),
    Measure("opioid_rx_per_100", "Opioid prescriptions dispensed 2022", "per 100 persons", None),
)
CONTEXT_SOURCE = (
    "SVI 2022: CDC/ATSDR Social Vulnerability Index 2022, county averages of "
    "tract percentile ranks (0 least, 1 most vulnerable) computed by OEPS; "
    "opioid prescribing: CDC dispensing rate 2022 as compiled by OEPS "
    "(healthyregions/oeps). Blank = unknown."
)
ALL_MEASURES = MEASURES + CONTEXT_MEASURES
MEASURE_BY_COLUMN = {measure.column: measure for measure in ALL_MEASURES}
"""Every measure by column, in miles and (``*_km``, added below) in km."""


def _in_km(measure: Measure) -> Measure:
    """A distance measure in km (column ``*_km``); others unchanged."""
    if not measure.column.endswith("_miles"):
        return measure
    return Measure(
        measure.column.removesuffix("_miles") + "_km", measure.label, "km", measure.higher_is_better
    )


def measures(unit: str = "mi") -> tuple[Measure, ...]:
    """The measures with distances in ``unit`` (``mi`` or ``km``)."""
    return tuple(_in_km(m) for m in MEASURES) if unit == "km" else MEASURES


MEASURE_BY_COLUMN.update({m.column: m for m in measures("km")})


def comparison_table(
    metrics_table: pd.DataFrame,
    fips: list[str] | None = None,
    context: pd.DataFrame | None = None,
    unit: str = "mi",
) -> pd.DataFrame:
    """The chosen jurisdictions (all when None) and the statewide row, labelled for people,
    with the rate source, the gap measure's name, ``list_gap_mostly`` (most residents
    beyond reach live where our pharmacy list is likely incomplete; see
    :mod:`geo.analysis.completeness`) and the county context columns (missing
    without ``context``), distances in ``unit`` (km: ``*_km`` in place of ``*_miles``).

    Missing values (suppressed deaths, unknown context, the state's context) stay missing.
    """
    rows = (
        metrics_table
        if not fips
        else metrics_table[metrics_table["fips"].isin([*fips, MARYLAND_STATE_FIPS])]
    )
    out = rows[
        [
            "fips",
            "name",
            *(m.column for m in MEASURES),
            "rate_source",
            "leave_behind_status",
            "gap_rank",
            "gap_measure",
            "list_gap_mostly",
        ]
    ].copy()
    columns = [m.column for m in CONTEXT_MEASURES]
    known = (
        context.set_index("fips")[columns]
        if context is not None
        else pd.DataFrame(columns=columns, dtype=float)
    )
    out = out.join(known, on="fips")
    out["leave_behind_status"] = out["leave_behind_status"].map(LEAVE_BEHIND_STATUS_LABELS)
    out["gap_measure"] = out["gap_measure"].map(lambda key: GAP_MEASURES[key].label)
    out["gap_rank"] = pd.to_numeric(out["gap_rank"]).round().astype("Int64")  # 17, not 17.0
    return distances_in(out, unit).reset_index(drop=True)


#: The measures of the travel-time comparison (columns of
#: :func:`geo.analysis.travel_metrics.travel_metrics`), over the network's area only.
TRAVEL_MEASURES: tuple[Measure, ...] = (
    Measure("population", "Residents in the network's area", "people", None),
    Measure("sites", "Mapped sites in the area", "sites", True),
    Measure("sites_per_100k", "Sites per 100,000 residents of the area", "per 100,000", True),
    Measure("pct_pop_within_minutes", "Residents within the threshold", "%", True),
    Measure("mean_minutes", "Mean travel time to nearest site", "minutes", False),
    Measure("p90_minutes", "90th-percentile travel time", "minutes", False),
    Measure(
        "access_2sfca_per_100k",
        "2SFCA access (threshold as catchment; sites per 100,000)",
        "per 100,000",
        True,
    ),
    Measure("death_rate_per_100k", "Drug-induced deaths per 100,000 a year", "per 100,000", False),
    Measure("gap_score", "Access gap (chosen gap measure)", "score", False),
)
TRAVEL_MEASURE_BY_COLUMN = {measure.column: measure for measure in TRAVEL_MEASURES}


def travel_comparison_table(
    travel_table: pd.DataFrame, fips: list[str] | None = None
) -> pd.DataFrame:
    """The chosen jurisdictions of a network's area (all when None) and the area row
    (fips ``area``), with the measure, threshold and gap measure named; missing values
    stay missing. Never mixed with the straight-line table."""
    rows = travel_table if not fips else travel_table[travel_table["fips"].isin([*fips, "area"])]
    out = rows[
        [
            "fips",
            "name",
            *(m.column for m in TRAVEL_MEASURES),
            "pct_jurisdiction_in_area",
            "rate_source",
            "gap_rank",
            "gap_measure",
            "measure",
            "minutes",
            "area",
        ]
    ].copy()
    out["gap_measure"] = out["gap_measure"].map(lambda key: GAP_MEASURES[key].label)
    return out.reset_index(drop=True)


#: Totals, whose statewide value is a sum, not a level to compare with: no Maryland line.
TOTALS = ("population", "sites", "deaths_2022_2023")


def measure_for(column: str, gap: str | None = None) -> Measure:
    """The measure of ``column`` (``*_miles`` or ``*_km``); the gap score takes the unit
    of the gap measure ``gap`` (a key of ``GAP_MEASURES``)."""
    measure = MEASURE_BY_COLUMN[column]
    if column == "gap_score" and gap in GAP_MEASURES:
        return Measure(
            column, f"Access gap: {GAP_MEASURES[gap].label.lower()}", GAP_MEASURES[gap].unit, False
        )
    return measure


@dataclass(frozen=True)
class BarData:
    """What a Compare bar chart draws: one row per jurisdiction (``label``: full name,
    ``value``, ``value_text``, ``focus``), sorted by value (largest first, unknown
    last), and Maryland's value (None for totals or when unknown)."""

    measure: Measure
    rows: pd.DataFrame
    state_value: float | None

    @property
    def axis_title(self) -> str:
        """The label with its unit, unless the label already spells it out."""
        label, unit = self.measure.label, self.measure.unit
        return label if " " in unit and unit in label else f"{label} ({unit})"


def bar_data(
    table: pd.DataFrame,
    column: str,
    focus: str,
    full_names: Mapping[str, str],
    gap: str | None = None,
    radius: str = "",
    *,
    total_fips: str = MARYLAND_STATE_FIPS,
) -> BarData:
    """The bars of ``column`` of a :func:`comparison_table` (jurisdictions only), labelled
    with ``full_names`` (FIPS → "Garrett County"), the ``focus`` FIPS marked; ``radius``
    (``5 mi``) names the radius in the measure's label. ``total_fips`` is the row of the
    reference line (``area`` in a travel-time table: no line is drawn for it)."""
    measure = (
        measure_for(column, gap)
        if total_fips == MARYLAND_STATE_FIPS
        else _travel_measure(column, gap, radius)
    )
    if radius and "within radius" in measure.label:
        measure = Measure(
            measure.column,
            measure.label.replace("radius", radius),
            measure.unit,
            measure.higher_is_better,
        )
    counties = table[table["fips"] != total_fips]
    rows = pd.DataFrame(
        {
            "fips": counties["fips"].to_numpy(),
            "label": [
                full_names.get(f, name)
                for f, name in zip(counties["fips"], counties["name"], strict=True)
            ],
            "value": pd.to_numeric(counties[column], errors="coerce").astype(float).to_numpy(),
        }
    )
    rows["value_text"] = [value_text(v, measure.unit) for v in rows["value"]]
    if column == "death_rate_per_100k":  # a rate not from the jurisdiction's own two years
        sources = counties["rate_source"].astype(str).to_numpy()
        rows["value_text"] += [
            " (Maryland rate)"
            if s.startswith("Maryland rate")
            else " (2023 only)"
            if "2023 only" in s
            else ""
            for s in sources
        ]
    rows["focus"] = rows["fips"] == focus
    rows = rows.sort_values(["value", "label"], ascending=[False, True], na_position="last")
    state = table.loc[table["fips"] == MARYLAND_STATE_FIPS, column]
    state_value = (
        None if column in TOTALS or state.empty or pd.isna(state.iloc[0]) else float(state.iloc[0])
    )  # a travel-time table has no Maryland row: no line
    return BarData(measure, rows.reset_index(drop=True), state_value)


def _travel_measure(column: str, gap: str | None, label: str) -> Measure:
    """A travel-time measure with the threshold (``15-minute walk``) in its label."""
    measure = TRAVEL_MEASURE_BY_COLUMN[column]
    if column == "gap_score" and gap in GAP_MEASURES:
        measure = Measure(
            column, f"Access gap: {GAP_MEASURES[gap].label.lower()}", GAP_MEASURES[gap].unit, False
        )
    text = measure.label.replace("the threshold", f"a {label}") if label else measure.label
    if label and column != "pct_pop_within_minutes":
        text = f"{text} ({label})"
    return Measure(column, text, measure.unit, measure.higher_is_better)
