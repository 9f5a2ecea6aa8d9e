"""The ranking of jurisdictions by access gap in travel minutes on Access gaps: only the
jurisdictions of the area the network covers, said so above the table and in its
downloads (walking: Baltimore City alone)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis.ranking import GAP_MEASURES
from geo.analysis.scenario import Scenario
from geo.render import formatting
from pages.screens.gap_ranking import gap_measure_choice
from shell.common import show_table
from shell.downloads import table_downloads
from shell.frame import PageContext

#: The columns shown and downloaded, in order (the rest of the travel table is not shown).
TRAVEL_RANKING_COLUMNS = [
    "gap_rank",
    "rank_range",
    "name",
    "gap_score",
    "uncovered_population",
    "pct_pop_within_minutes",
    "population",
    "pct_jurisdiction_in_area",
    "sites",
    "mean_minutes",
    "p90_minutes",
    "access_2sfca_per_100k",
    "death_rate_per_100k",
    "rate_source",
    "svi_overall",
    "tracts_far_from_network",
    "gap_rank_low",
    "gap_rank_high",
    "gap_measure",
    "measure",
    "minutes",
    "area",
]


def area_statement(scenario: Scenario, count: int, *, markdown: bool = True) -> str:
    """Which area the travel-time figures cover, in one sentence (Markdown-safe unless
    ``markdown`` is False, for files)."""
    covered = scenario.covered
    assert covered is not None, "a travel-time measure has a network"
    label = covered.network.mode.label
    where = formatting.markdown_literal(covered.area_name) if markdown else covered.area_name
    if covered.measure == "walk":
        return (
            f"In {label}: the walking network covers {where} only, so only {where} is "
            "measured and ranked here (no other jurisdiction has a walking network)."
        )
    return (
        f"In {label}: the installed driving network covers {where}; only the "
        f"{count} jurisdiction{'s' if count != 1 else ''} with tract centres inside it "
        "are measured and ranked here, over their tracts inside it."
    )


def travel_ranking_rows(scenario: Scenario) -> pd.DataFrame:
    """The travel-time ranking as shown and downloaded (rank with its plausible range)."""
    rows = scenario.travel_ranking()
    rows["rank_range"] = [
        f"{low}–{high}"
        for low, high in zip(rows["gap_rank_low"], rows["gap_rank_high"], strict=True)
    ]
    return rows[TRAVEL_RANKING_COLUMNS]


def _columns(label: str, gap_unit: str) -> dict[str, object]:
    """Headers naming the measure and threshold (``15-minute walk``)."""
    number = st.column_config.NumberColumn
    return {
        "gap_rank": "Rank in the area",
        "rank_range": "Plausible rank range",
        "name": "Jurisdiction",
        "gap_score": number(f"Gap ({gap_unit}, {label})", format="%.2f"),
        "uncovered_population": number(f"Residents beyond a {label}", format="localized"),
        "pct_pop_within_minutes": number(f"Within a {label} (%)", format="%.1f"),
        "population": number("Residents in the network's area", format="localized"),
        "pct_jurisdiction_in_area": number(
            "Share of the jurisdiction in the area (%)", format="%.1f"
        ),
        "sites": "Sites in the area",
        "mean_minutes": number("Mean minutes", format="%.1f"),
        "p90_minutes": number("90th-percentile minutes", format="%.1f"),
        "access_2sfca_per_100k": number(
            f"2SFCA access ({label} catchment, per 100,000)", format="%.2f"
        ),
        "death_rate_per_100k": number("Death rate per 100,000", format="%.1f"),
        "rate_source": st.column_config.TextColumn("Rate source", width="medium"),
        "svi_overall": number("SVI 2022", format="%.2f"),
        "tracts_far_from_network": "Tracts over 500 m from a street",
        "gap_rank_low": None,
        "gap_rank_high": None,
        "gap_measure": None,
        "measure": "Measure",
        "minutes": None,
        "area": None,
    }


def travel_gap_ranking(context: PageContext, scenario: Scenario) -> None:
    """Jurisdictions of the network's area ranked by the gap in travel minutes."""
    covered = scenario.covered
    assert covered is not None, "a travel-time measure has a network"
    label = context.view.minutes_label
    st.subheader(f"Jurisdictions ranked by access gap ({label})")
    measure = GAP_MEASURES[gap_measure_choice(context, travel=label)]
    rows = travel_ranking_rows(scenario)
    st.info(area_statement(scenario, len(rows)))
    show_table(
        rows,
        column_config=_columns(label, measure.unit),
        plain=f"Jurisdictions ranked by access gap ({label})",
    )
    st.caption(
        "Beyond reach: the quickest trip on the network from the 2020 tract centre of "
        f"population to a listed site of the area takes longer than a {label}. "
        + formatting.markdown_literal(covered.method)
        + " Rates: CDC WONDER drug-induced deaths 2022-2023 (see Data & methods)."
    )
    table_downloads(
        rows,
        f"md_access_gap_ranking_{measure.key}_{covered.measure}_{context.view.minutes:g}min",
        context,
        kind="travel-metrics",
        label="Download the ranking",
        key="download_ranking",
        notes=(
            area_statement(scenario, len(rows), markdown=False),
            f"T = {context.view.minutes:g} minutes ({label}).",
            covered.method,
        ),
    )
