"""Compare in travel minutes: the jurisdictions of the area a network covers (walking:
Baltimore City alone), their table, a bar chart and downloads, each naming the measure.
Never mixed with the straight-line comparison."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis.compare import (
    TRAVEL_MEASURE_BY_COLUMN,
    TRAVEL_MEASURES,
    bar_data,
    travel_comparison_table,
)
from geo.analysis.ranking import GAP_MEASURES
from geo.analysis.scenario import Scenario
from geo.render import compare_figure, formatting
from geo.render.columns import describe, sources
from geo.schema import SITE_TYPE_LABELS
from pages.screens.travel_ranking import area_statement
from shell.common import show_table
from shell.downloads import table_downloads
from shell.frame import PageContext

CHART_KEY = "compare_travel_measure"


def _columns(label: str, gap_unit: str) -> dict[str, object]:
    """Headers naming the measure and its threshold."""
    number = st.column_config.NumberColumn
    config: dict[str, object] = {
        "fips": None,
        "name": st.column_config.TextColumn("Jurisdiction", pinned=True),
        "rate_source": "Rate source",
        "gap_rank": "Gap rank in the area",
        "gap_measure": "Gap measure",
        "measure": "Measure",
        "minutes": None,
        "area": "Area covered",
        "pct_jurisdiction_in_area": number(
            "Share of the jurisdiction in the area (%)", format="%.1f"
        ),
    }
    for measure in TRAVEL_MEASURES:
        unit = gap_unit if measure.column == "gap_score" else measure.unit
        text = measure.label.replace("the threshold", f"a {label}")
        digits = "localized" if unit in ("people", "sites") else "%.1f"
        config[measure.column] = number(f"{text} ({unit})", format=digits)
    return config


def _chart(context: PageContext, table: pd.DataFrame, scenario: Scenario) -> None:
    """The chosen travel-time measure as bars (no Maryland line: the area is not the
    state), with PNG and SVG for slides naming the measure and method."""
    from pages.screens.compare import _bar_chart

    covered = scenario.covered
    assert covered is not None, "a travel-time measure has a network"
    label = context.view.minutes_label
    options = [m.column for m in TRAVEL_MEASURES]
    if st.session_state.get(CHART_KEY) not in options:
        st.session_state[CHART_KEY] = "pct_pop_within_minutes"
    column = st.selectbox(
        f"Chart ({label})",
        options,
        format_func=lambda c: TRAVEL_MEASURE_BY_COLUMN[c].label.replace(
            "the threshold", f"a {label}"
        ),
        key=CHART_KEY,
    )
    names = context.data.jurisdictions
    full_names = dict(zip(names["fips"], names["full_name"], strict=True))
    data = bar_data(
        table, column, context.view.focus, full_names, context.view.gap, label, total_fips="area"
    )
    st.markdown(f"**{formatting.markdown_literal(data.axis_title)}**, largest first")
    st.altair_chart(_bar_chart(data), width="stretch")
    st.caption(
        f"No Maryland line: {covered.network.mode.label} cover the network's area only. "
        "'—': suppressed (under 10 deaths a year) or unknown, not zero."
    )
    known = sources()
    source = (
        "Sources: "
        + "; ".join(known[key] for key in describe(column, "travel-metrics").source)
        + ". "
        + covered.method
    )
    types = ", ".join(SITE_TYPE_LABELS[t] for t in context.view.types)
    subtitle = f"{covered.area_name}, {label} on the network. Site types: {types}."
    title = f"{data.measure.label}: jurisdictions of the network's area"

    def image(fmt: str):
        return lambda: compare_figure.figure_bytes(
            compare_figure.bar_figure(data, title, subtitle, source), fmt
        )

    png, svg = st.columns(2)
    stem = f"md-compare-{covered.measure}-{context.view.minutes:g}min-{column}"
    png.download_button(
        "Chart (PNG)", image("png"), f"{stem}.png", "image/png", key="compare_chart_png"
    )
    svg.download_button(
        "Chart (SVG)", image("svg"), f"{stem}.svg", "image/svg+xml", key="compare_chart_svg"
    )


def render_travel_compare(context: PageContext, chosen: list[str]) -> None:
    """The comparison in travel minutes over the network's area."""
    scenario = context.scenario()
    covered = scenario.covered
    assert covered is not None, "a travel-time measure has a network"
    label = context.view.minutes_label
    table = travel_comparison_table(scenario.travel_table(), chosen or None)
    count = int((table["fips"] != "area").sum())
    st.info(area_statement(scenario, count))
    if chosen and count < len(chosen):
        st.caption(
            "Jurisdictions chosen outside the network's area are not in this table: "
            "they have no travel-time figures."
        )
    gap_unit = GAP_MEASURES[context.view.gap].unit
    show_table(table, column_config=_columns(label, gap_unit), plain=f"Comparison table ({label})")
    st.caption(
        "Only tracts whose centre lies in the network's area count, and only sites there "
        "are reached. The last row is the whole area. "
        + formatting.markdown_literal(covered.method)
    )
    table_downloads(
        table.drop(columns="fips"),
        f"md_naloxone_comparison_{covered.measure}_{context.view.minutes:g}min",
        context,
        kind="travel-metrics",
        key="download_comparison",
        notes=(
            area_statement(scenario, count, markdown=False),
            f"T = {context.view.minutes:g} minutes ({label}).",
            covered.method,
        ),
    )
    _chart(context, table, scenario)
