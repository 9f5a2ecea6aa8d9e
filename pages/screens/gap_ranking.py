"""The ranking of jurisdictions by access gap on Access gaps: the gap-measure choice with
its formula, the table with rank ranges, its notes and downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis.completeness import MOSTLY_SHARE, method_text
from geo.analysis.ranking import GAP_MEASURES
from geo.analysis.scenario import Scenario
from geo.analysis.tables import distances_in
from geo.config import DISTANCE_SUFFIX as SUFFIX
from geo.render import formatting
from geo.render.columns import header
from shell.common import show_table
from shell.downloads import short_radius, table_downloads
from shell.frame import PageContext

GAP_MEASURE_KEY = "gap_widget"
#: The formula of each gap measure (keys of ``geo.analysis.ranking.GAP_MEASURES``).
GAP_FORMULAS = {  # two lines each where long, so they fit a phone's width
    "deaths": (
        r"\begin{aligned} \text{gap}_j &= \text{residents beyond reach}_j \\ "
        r"&\times \frac{\text{drug-induced death rate}_j}{100{,}000} \end{aligned}"
    ),
    "residents": r"\text{gap}_j = \text{residents beyond reach}_j",
    "svi": (
        r"\begin{aligned} \text{gap}_j &= \text{residents beyond reach}_j \\ "
        r"&\times \text{SVI 2022 overall}_j \end{aligned}"
    ),
    "no-vehicle": (
        r"\begin{aligned} \text{gap}_j &= \sum_{i \in j,\; d_i > r} \text{residents}_i \\ "
        r"&\times \text{share of households with no vehicle}_i \end{aligned}"
    ),
    "rurality": (
        r"\begin{aligned} \text{gap}_j &= \sum_{i \in j,\; d_i > r_i} \text{residents}_i, \\ "
        r"r_i &= \begin{cases} 1 \text{ mile} & \text{urban tract} \\ "
        r"10 \text{ miles} & \text{rural tract} \end{cases} \end{aligned}"
    ),
}


#: The gap measures' formulas in words when reach is a trip of at most T minutes.
TRAVEL_FORMULAS = {
    "deaths": "residents beyond T × drug-induced death rate ÷ 100,000",
    "residents": "residents whose quickest trip to a listed site is longer than T",
    "svi": "residents beyond T × SVI 2022 overall (0 least, 1 most vulnerable)",
    "no-vehicle": "Σ over tracts beyond T of tract residents × share of households with no "
    "vehicle (ACS 2019-2023); tracts without households are unknown",
    "rurality": "residents beyond T (the 1-mile urban and 10-mile rural reaches are "
    "straight-line and do not apply to minutes); tracts of unknown rurality are unknown",
}


def gap_formula_text(measure: str, travel: str = "") -> str:
    """The gap measure's formula in words; with ``travel`` (``15-minute drive``) the
    threshold is that trip, never the radius."""
    if not travel:
        return GAP_MEASURES[measure].formula
    return (
        TRAVEL_FORMULAS[measure]
        .replace("beyond T", f"beyond a {travel}")
        .replace("longer than T", f"longer than a {travel}")
    )


def gap_measure_choice(context: PageContext, travel: str = "") -> str:
    """The gap-measure radio (kept in the link as ``gap``) with its formula; ``travel``
    (``15-minute walk``) when reach is a trip on a network rather than the radius."""
    if GAP_MEASURE_KEY not in st.session_state:
        st.session_state[GAP_MEASURE_KEY] = context.view.gap
    measure = st.radio(
        "Gap measure",
        list(GAP_MEASURES),
        key=GAP_MEASURE_KEY,
        format_func=lambda m: GAP_MEASURES[m].label,
        horizontal=True,
        on_change=lambda: st.session_state.update(gap_measure=st.session_state[GAP_MEASURE_KEY]),
    )
    latex = GAP_FORMULAS["residents" if travel and measure == "rurality" else measure]
    st.latex(latex.replace("d_i > r", "t_i > T") if travel else latex)
    formula = gap_formula_text(measure, travel)
    reach = (
        f"whose quickest trip to a listed site is longer than a {travel} (on the network, "
        "from the 2020 tract centre of population; under the rurality measure every tract "
        "has this one threshold)"
        if travel
        else "whose nearest listed site is farther than the radius (straight line from the "
        "2020 tract centre of population)"
    )
    st.caption(
        f"{formula.capitalize()}. Residents beyond reach: those "
        f"{reach}. SVI 2022: CDC/ATSDR Social Vulnerability Index, county average of "
        "tract ranks (OEPS, 2022)."
    )
    return measure


def ranking_rows(ranking: pd.DataFrame) -> pd.DataFrame:
    """The ranking as shown and downloaded: rank with its plausible range, rate with its
    95% interval and source."""
    rows = ranking.copy()
    rows["rank_range"] = [
        f"{low}–{high}"
        for low, high in zip(rows["gap_rank_low"], rows["gap_rank_high"], strict=True)
    ]
    rows["rate_interval"] = [
        f"{low:.1f}–{high:.1f}"
        for low, high in zip(rows["death_rate_lcl95"], rows["death_rate_ucl95"], strict=True)
    ]
    return rows[
        [
            "gap_rank",
            "rank_range",
            "name",
            "gap_score",
            "rate_source",
            "death_rate_per_100k",
            "rate_interval",
            "uncovered_population",
            "pct_pop_within_radius",
            "svi_overall",
            "sites",
            "mean_distance_miles",
            "list_gap_tracts",
            "list_gap_population",
            "list_gap_uncovered_population",
            "list_gap_mostly",
            "gap_rank_low",
            "gap_rank_high",
            "death_rate_lcl95",
            "death_rate_ucl95",
            "gap_measure",
        ]
    ]


def _ranking_columns(unit: str, radius: str, gap_unit: str) -> dict[str, object]:
    """The ranking table's column headers (units and the radius in the headers)."""
    return {
        "gap_rank": "Rank",
        "rank_range": "Plausible rank range",
        "name": "Jurisdiction",
        "uncovered_population": st.column_config.NumberColumn(
            header("uncovered_population", radius), format="localized"
        ),
        "pct_pop_within_radius": st.column_config.NumberColumn(
            header("pct_pop_within_radius", radius), format="%.1f"
        ),
        "death_rate_per_100k": st.column_config.NumberColumn(
            "Death rate per 100,000", format="%.1f"
        ),
        "rate_interval": "Rate 95% interval",
        "rate_source": st.column_config.TextColumn("Rate source", width="large"),
        "svi_overall": st.column_config.NumberColumn("SVI 2022", format="%.2f"),
        "gap_score": st.column_config.NumberColumn(f"Gap ({gap_unit})", format="%.2f"),
        "sites": "Sites",
        f"mean_distance_{SUFFIX[unit]}": st.column_config.NumberColumn(
            f"Mean distance ({unit})", format="%.2f"
        ),
        "list_gap_tracts": st.column_config.NumberColumn(
            "Tracts where our list is likely incomplete", format="localized"
        ),
        "list_gap_population": st.column_config.NumberColumn("Residents there", format="localized"),
        "list_gap_uncovered_population": st.column_config.NumberColumn(
            f"Of them beyond {radius}", format="localized"
        ),
        "list_gap_mostly": st.column_config.CheckboxColumn(
            "⚠ Most beyond reach are in likely list gaps",
            help="More than half of the residents beyond the radius live in tracts "
            "where our pharmacy list is likely incomplete: this jurisdiction's gap may "
            "be partly a gap in our data.",
        ),
        "gap_rank_low": None,
        "gap_rank_high": None,
        "death_rate_lcl95": None,
        "death_rate_ucl95": None,
        "gap_measure": None,
    }


def _ranking_notes(rows: pd.DataFrame) -> None:
    """The completeness mark and the rate and rank-range method under the ranking."""
    marked = rows.loc[rows["list_gap_mostly"].astype(bool), "name"].tolist()
    st.caption(
        "Completeness: "
        + formatting.markdown_literal(method_text())
        + " A ticked jurisdiction has more than "
        + f"{MOSTLY_SHARE:.0%} of its residents beyond reach in such tracts"
        + (
            " (" + ", ".join(formatting.markdown_literal(n) for n in marked) + ")"
            if marked
            else " (none with these choices)"
        )
        + ": read its rank as partly a gap in our list."
    )
    st.caption(
        "Every jurisdiction is ranked. Rates are CDC WONDER drug-induced deaths "
        "2022-2023 pooled; where one year is suppressed (under 10 deaths) the "
        "published year alone; where both are (Kent) the Maryland rate, labelled, "
        "whose interval is the 0-9 deaths a year suppression allows. The plausible "
        "rank range comes from 2,000 Poisson resamples of the death counts (2.5th-"
        "97.5th percentile); measures without a rate have no sampled uncertainty. "
        "See Data & methods."
    )


def gap_ranking(context: PageContext, scenario: Scenario) -> None:
    """Jurisdictions ranked by the chosen access-gap measure, with rank ranges."""
    st.subheader("Jurisdictions ranked by access gap")
    measure = GAP_MEASURES[gap_measure_choice(context)]
    unit = context.view.unit
    rows = distances_in(ranking_rows(scenario.ranking()), unit)
    radius = short_radius(context)
    show_table(
        rows,
        column_config=_ranking_columns(unit, radius, measure.unit),
        plain="Jurisdictions ranked by access gap",
    )
    _ranking_notes(rows)
    table_downloads(
        rows,
        f"md_access_gap_ranking_{measure.key}",
        context,
        label="Download the ranking",
        key="download_ranking",
    )
