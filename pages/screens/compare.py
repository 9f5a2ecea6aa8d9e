"""Compare jurisdictions: sortable table and bar charts, focus highlighted against the state."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo.analysis.compare import (
    ALL_MEASURES,
    CONTEXT_MEASURES,
    CONTEXT_SOURCE,
    MEASURE_BY_COLUMN,
    MEASURES,
    comparison_table,
    measures,
)
from geo.config import MARYLAND_STATE_FIPS
from geo.render import formatting, maps
from geo.render.exports import csv_bytes
from pages.screens.common import show_map, tiles
from pages.screens.downloads import briefing_download
from pages.screens.frame import PageContext, run_page


def _bar_chart(table: pd.DataFrame, column: str, focus: str) -> alt.Chart:
    measure = MEASURE_BY_COLUMN[column]
    counties = table[table["fips"] != MARYLAND_STATE_FIPS].copy()
    counties["role"] = counties["fips"].map(lambda f: "Focus" if f == focus else "Other")
    counties["value_text"] = counties[column].map(
        lambda v: formatting.MISSING if pd.isna(v) else f"{v:,.1f}")
    state_value = table.loc[table["fips"] == MARYLAND_STATE_FIPS, column].iloc[0]
    bars = alt.Chart(counties).mark_bar().encode(
        x=alt.X(f"{column}:Q", title=f"{measure.label} ({measure.unit})"),
        y=alt.Y("name:N", sort="-x", title=None),
        color=alt.Color("role:N", scale=alt.Scale(domain=["Focus", "Other"],
                                                   range=["#D55E00", "#0072B2"]),
                        legend=alt.Legend(title=None)),
        tooltip=[alt.Tooltip("name:N", title="Jurisdiction"),
                 alt.Tooltip("value_text:N", title=measure.label)],
    )
    layers = [bars]
    if pd.notna(state_value) and measure.column not in ("population", "sites",
                                                         "deaths_2022_2023"):
        rule = alt.Chart(pd.DataFrame({"state": [state_value]})).mark_rule(
            color="#000000", strokeDash=[4, 3]).encode(
            x="state:Q", tooltip=[alt.Tooltip("state:Q", title="Maryland", format=",.1f")])
        layers.append(rule)
    return alt.layer(*layers).properties(height=max(220, 22 * len(counties)))


def _rate_help(focus: pd.Series) -> str:
    """Where the focus jurisdiction's death rate comes from (shown on the rate figure)."""
    return formatting.markdown_literal(f"Rate source: {focus['rate_source']}")


def _context_map(context: PageContext) -> None:
    """Choropleth of one county context layer (SVI 2022 or opioid prescribing)."""
    st.subheader("Context map: social vulnerability and opioid prescribing")
    column = st.selectbox("Layer", [m.column for m in CONTEXT_MEASURES],
                          format_func=lambda c: MEASURE_BY_COLUMN[c].label,
                          key="context_layer")
    measure = MEASURE_BY_COLUMN[column]
    show_map(lambda: maps.context_map(context.data.jurisdictions, context.data.context,
                                      column, f"{measure.label} ({measure.unit})",
                                      CONTEXT_SOURCE, focus_fips=context.focus_fips,
                                      tiles=tiles()),
             key="context_map", shows=context.map_key(column), height=480)
    st.caption(CONTEXT_SOURCE + " Grey on the map = unknown.")


def render(context: PageContext) -> None:
    view, names = context.view, context.names
    st.title("Compare jurisdictions")
    chosen = st.multiselect("Jurisdictions to compare (leave empty for all)", list(names),
                            format_func=names.get, key="compare_choice")
    if chosen and view.focus != MARYLAND_STATE_FIPS and view.focus not in chosen:
        chosen = [*chosen, view.focus]
    table = comparison_table(context.scenario().table(), chosen or None,
                             context.data.context, view.unit)
    shown = (*measures(view.unit), *CONTEXT_MEASURES)
    st.caption(f"Radius {view.radius_label}; distances are straight lines from 2020 tract "
               "centres of population. Deaths: CDC WONDER drug-induced, 2022-2023, "
               "residence-based; counts under 10 are suppressed and shown as '—'. The "
               "dashed line is the Maryland value. Rate source: where a year is "
               "suppressed the rate uses what is published, or the labelled Maryland rate.")
    st.caption(CONTEXT_SOURCE)
    if view.focus != MARYLAND_STATE_FIPS:
        focus = table.set_index("fips").loc[view.focus]
        state = table.set_index("fips").loc[MARYLAND_STATE_FIPS]
        cols = st.columns(4)
        for col, measure in zip(cols, (shown[2], shown[3], shown[4], shown[8]), strict=True):
            column = measure.column
            unit = f" {measure.unit}" if measure.unit in ("miles", "km") else ""
            delta = (focus[column] - state[column]) if pd.notna(focus[column]) else None
            col.metric(f"{measure.label}: {formatting.markdown_literal(names[view.focus])}",
                       formatting.decimal(focus[column]) + unit,
                       None if delta is None else f"{delta:+,.1f}{unit} vs Maryland",
                       delta_color="normal" if measure.higher_is_better else "inverse",
                       help=_rate_help(focus) if column == "death_rate_per_100k" else None)

    config = {
        "fips": None, "name": "Jurisdiction",
        "leave_behind_status": "EMS leave-behind", "gap_rank": "Gap rank",
        "population": st.column_config.NumberColumn("Population", format="localized"),
        "sites": st.column_config.NumberColumn("Sites", format="localized"),
        "deaths_2022_2023": st.column_config.NumberColumn("Deaths 2022-23", format="localized"),
    }
    for measure in shown:
        if measure.column not in config:
            config[measure.column] = st.column_config.NumberColumn(
                f"{measure.label} ({measure.unit})",
                format="%.2f" if measure.unit == "0-1 rank" else "%.1f")
    config["rate_source"] = "Rate source"
    st.dataframe(table, hide_index=True, width="stretch", column_config=config)
    table_column, brief_column = st.columns([3, 1])
    table_column.download_button("Download this table (CSV)", csv_bytes(table),
                                 "md_naloxone_comparison.csv", "text/csv")
    with brief_column:
        briefing_download(context)

    st.session_state.setdefault("compare_measure", MEASURES[2].column)  # or the link's
    column = st.selectbox("Chart", [m.column for m in ALL_MEASURES],
                          format_func=lambda c: MEASURE_BY_COLUMN[c].label,
                          key="compare_measure")
    in_unit = shown[[m.column for m in ALL_MEASURES].index(column)].column
    st.altair_chart(_bar_chart(table, in_unit, view.focus), width="stretch")
    _context_map(context)


run_page(render)
