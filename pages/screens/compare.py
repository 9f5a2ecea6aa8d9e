"""Compare jurisdictions: sortable table and bar charts, focus highlighted against the state."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import streamlit as st

from geo.analysis import completeness
from geo.analysis.compare import (
    ALL_MEASURES,
    CONTEXT_MEASURES,
    CONTEXT_SOURCE,
    MEASURE_BY_COLUMN,
    MEASURES,
    BarData,
    bar_data,
    comparison_table,
    measures,
    value_text,
)
from geo.analysis.ranking import GAP_MEASURES
from geo.config import MARYLAND_STATE_FIPS
from geo.render import compare_figure, formatting, maps
from geo.render.columns import header
from geo.render.compare_figure import FOCUS_COLOUR, OTHER_COLOUR
from pages.screens.compare_trends import trends_section
from pages.screens.gap_ranking import gap_formula_text
from shell.common import show_map, show_table, tiles
from shell.downloads import (
    briefing_download,
    short_radius,
    table_downloads,
    view_subtitle,
)
from shell.frame import PageContext

ROW_HEIGHT = 24  # px per jurisdiction: every name readable at 400 px as at 1400 px


def _bar_chart(data: BarData) -> alt.LayerChart:
    """Horizontal bars sorted by value, every jurisdiction named on the axis (the focus in
    bold), each value printed at its bar's end, Maryland's value a labelled dashed line."""
    focus = data.rows.loc[data.rows["focus"], "label"].tolist()
    roles = [f"Focus: {focus[0]}", "Other jurisdictions"] if focus else ["Jurisdictions"]
    rows = data.rows.assign(
        role=[roles[0] if f else roles[-1] for f in data.rows["focus"]],
        at=data.rows["value"].fillna(0.0),
    )
    top = max([*rows["at"], data.state_value or 0.0, 0.0]) or 1.0
    bold = f"datum.value === {json.dumps(focus[0])} ? 'bold' : 'normal'" if focus else "'normal'"
    y = alt.Y(
        "label:N",
        sort=rows["label"].tolist(),
        title=None,
        axis=alt.Axis(
            labelLimit=0, labelFontSize=12, labelOverlap=False, labelFontWeight=alt.ExprRef(bold)
        ),
    )
    x = alt.X(
        "at:Q",
        title=data.axis_title,
        scale=alt.Scale(domain=[0, top * 1.25]),
        axis=alt.Axis(titleFontSize=12, tickCount=4),
    )
    base = alt.Chart(rows).encode(
        y=y,
        x=x,
        tooltip=[
            alt.Tooltip("label:N", title="Jurisdiction"),
            alt.Tooltip("value_text:N", title=data.axis_title),
        ],
    )
    legend = alt.Legend(
        title=None, orient="top", direction="vertical", labelFontSize=12, labelLimit=0
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "role:N",
            legend=legend,
            scale=alt.Scale(
                domain=roles, range=[FOCUS_COLOUR, OTHER_COLOUR] if focus else [OTHER_COLOUR]
            ),
        )
    )
    values = base.mark_text(align="left", dx=3, fontSize=11).encode(text="value_text:N")
    halo = base.mark_text(  # a white outline under each value: readable across the line
        align="left", dx=3, fontSize=11, stroke="white", strokeWidth=3, strokeJoin="round"
    ).encode(text="value_text:N")
    layers = [bars]
    if data.state_value is not None:
        state = alt.Chart(
            pd.DataFrame(
                {
                    "at": [data.state_value],
                    "text": [f"Maryland {value_text(data.state_value, data.measure.unit)}"],
                }
            )
        )
        layers += [
            state.mark_rule(color="#000000", strokeDash=[4, 3]).encode(x="at:Q"),
            state.mark_text(align="left", dx=3, dy=-6, fontSize=11).encode(
                x="at:Q", y=alt.value(0), text="text:N"
            ),
        ]
    return alt.layer(*layers, halo, values).properties(height=alt.Step(ROW_HEIGHT))


def _rate_help(focus: pd.Series) -> str:
    """Where the focus jurisdiction's death rate comes from (shown on the rate figure)."""
    return formatting.markdown_literal(f"Rate source: {focus['rate_source']}")


def _context_map(context: PageContext) -> None:
    """Choropleth of one county context layer (SVI 2022 or opioid prescribing)."""
    st.subheader("Context map: social vulnerability and opioid prescribing")
    column = st.selectbox(
        "Layer",
        [m.column for m in CONTEXT_MEASURES],
        format_func=lambda c: MEASURE_BY_COLUMN[c].label,
        key="context_layer",
    )
    measure = MEASURE_BY_COLUMN[column]
    show_map(
        lambda: maps.context_map(
            context.data.jurisdictions,
            context.data.context,
            column,
            f"{measure.label} ({measure.unit})",
            CONTEXT_SOURCE,
            focus_fips=context.focus_fips,
            tiles=tiles(),
        ),
        key="context_map",
        shows=context.map_key(column),
        height=480,
    )
    st.caption(CONTEXT_SOURCE + " Grey on the map = unknown.")


NUMBER_FORMATS = {
    "0-1 rank": "%.2f",
    "people": "localized",
    "sites": "localized",
    "deaths": "localized",
    "miles": "%.2f",
    "km": "%.2f",
}


def _table(context: PageContext, table: pd.DataFrame, shown: tuple) -> None:
    """The comparison table (headers with units, as in its downloads), its downloads and
    the briefing button."""
    radius = short_radius(context)
    config: dict[str, object] = {
        "fips": None,
        "rate_source": "Rate source",
        "leave_behind_status": header("leave_behind_status"),
        "gap_rank": header("gap_rank"),
        "gap_measure": header("gap_measure"),
        "list_gap_mostly": st.column_config.CheckboxColumn(
            "⚠ Most beyond reach are in likely list gaps",
            help="More than half of the residents beyond the radius live in tracts where "
            "our pharmacy list is likely incomplete (see Data & methods).",
        ),
    }
    for measure in shown:
        config[measure.column] = st.column_config.NumberColumn(
            header(measure.column, radius, gap_unit=GAP_MEASURES[context.view.gap].unit),
            format=NUMBER_FORMATS.get(measure.unit, "%.1f"),
        )
    shown_table = table.copy()
    if context.view.focus != MARYLAND_STATE_FIPS:  # the focus marked in the grid and in words
        is_focus = shown_table["fips"] == context.view.focus
        shown_table.loc[is_focus, "name"] = shown_table.loc[is_focus, "name"] + " (focus)"
    config["name"] = st.column_config.TextColumn("Jurisdiction", pinned=True)
    show_table(shown_table, column_config=config, plain="Comparison table")
    st.caption("Completeness: " + formatting.markdown_literal(completeness.method_text()))
    table_downloads(
        table.drop(columns="fips"), "md_naloxone_comparison", context, key="download_comparison"
    )
    briefing_download(context)


def _chart_downloads(context: PageContext, data: BarData) -> None:
    """The chart as PNG (200 dpi) and SVG for slides, with title, unit and sources."""
    title = f"{data.measure.label}: Maryland jurisdictions"
    source = compare_figure.chart_source_line(data.measure.column, context.view.unit)

    def image(fmt: str):
        return lambda: compare_figure.figure_bytes(
            compare_figure.bar_figure(data, title, view_subtitle(context), source), fmt
        )

    png, svg = st.columns(2)
    stem = f"md-compare-{data.measure.column}"
    png.download_button(
        "Chart (PNG)",
        image("png"),
        f"{stem}.png",
        "image/png",
        key="compare_chart_png",
        icon=":material/image:",
    )
    svg.download_button(
        "Chart (SVG)",
        image("svg"),
        f"{stem}.svg",
        "image/svg+xml",
        key="compare_chart_svg",
        icon=":material/image:",
    )


def _chart(context: PageContext, table: pd.DataFrame) -> None:
    """The measure chosen (kept in the link as ``chart``), its bar chart and downloads."""
    view = context.view
    options = [m.column for m in ALL_MEASURES]
    asked = st.session_state.get("compare_measure")
    if isinstance(asked, str) and asked.endswith("_km"):  # a link made in km mode
        asked = asked.removesuffix("_km") + "_miles"
    st.session_state["compare_measure"] = asked if asked in options else MEASURES[2].column
    column = st.selectbox(
        "Chart", options, format_func=lambda c: MEASURE_BY_COLUMN[c].label, key="compare_measure"
    )
    in_unit = (*measures(view.unit), *CONTEXT_MEASURES)[options.index(column)].column
    full_names = dict(
        zip(
            context.data.jurisdictions["fips"], context.data.jurisdictions["full_name"], strict=True
        )
    )
    data = bar_data(table, in_unit, view.focus, full_names, view.gap, short_radius(context))
    st.markdown(f"**{formatting.markdown_literal(data.axis_title)}**, largest first")
    st.altair_chart(_bar_chart(data), width="stretch")
    st.caption(
        "Dashed line: the Maryland value"
        + ("" if data.state_value is not None else " (not drawn for totals)")
        + ". '—': suppressed (under 10 deaths a year) or unknown, not zero."
    )
    _chart_downloads(context, data)


COMPARE_GAP_KEY = "compare_gap_widget"


def _gap_measure_choice(context: PageContext) -> None:
    """The gap measure of the ranks and the gap column (the same choice as on Access gaps,
    kept in the link as ``gap``), with its formula in words."""
    if COMPARE_GAP_KEY not in st.session_state:
        st.session_state[COMPARE_GAP_KEY] = context.view.gap
    measure = st.selectbox(
        "Gap measure (ranks and the access-gap column)",
        list(GAP_MEASURES),
        key=COMPARE_GAP_KEY,
        format_func=lambda m: GAP_MEASURES[m].label,
        on_change=lambda: st.session_state.update(gap_measure=st.session_state[COMPARE_GAP_KEY]),
    )
    travel = context.view.minutes_label if context.view.by_time else ""
    st.caption(f"Gap = {formatting.markdown_literal(gap_formula_text(measure, travel))}.")


def render(context: PageContext) -> None:
    view, names = context.view, context.names
    st.title("Compare jurisdictions")
    chosen = st.multiselect(
        "Jurisdictions to compare (leave empty for all)",
        list(names),
        format_func=names.get,
        key="compare_choice",
    )
    if chosen and view.focus != MARYLAND_STATE_FIPS and view.focus not in chosen:
        chosen = [*chosen, view.focus]
    if view.by_time:  # travel minutes over the network's area only, never mixed
        from pages.screens.compare_travel import render_travel_compare

        _gap_measure_choice(context)
        render_travel_compare(context, chosen)
        trends_section(context, chosen)
        _context_map(context)
        return
    table = comparison_table(
        context.scenario().table(), chosen or None, context.data.context, view.unit
    )
    shown = (*measures(view.unit), *CONTEXT_MEASURES)
    st.caption(
        f"Radius {view.radius_label}; distances are straight lines from 2020 tract "
        "centres of population. Deaths: CDC WONDER drug-induced, 2022-2023, "
        "residence-based; counts under 10 are suppressed and shown as '—'. The "
        "dashed line is the Maryland value. Rate source: where a year is "
        "suppressed the rate uses what is published, or the labelled Maryland rate."
    )
    st.caption(CONTEXT_SOURCE)
    if view.focus != MARYLAND_STATE_FIPS:
        focus = table.set_index("fips").loc[view.focus]
        state = table.set_index("fips").loc[MARYLAND_STATE_FIPS]
        cols = st.columns(4)
        for col, measure in zip(cols, (shown[2], shown[3], shown[4], shown[8]), strict=True):
            column = measure.column
            unit = {"miles": " mi", "km": " km", "%": "%"}.get(measure.unit, "")
            delta = (focus[column] - state[column]) if pd.notna(focus[column]) else None
            label = measure.label.replace("within radius", f"within {view.radius_label}")
            col.metric(
                f"{label}: {formatting.markdown_literal(names[view.focus])}",
                formatting.decimal(focus[column]) + unit,
                None
                if delta is None
                else f"{delta:+,.1f}{' pts' if unit == '%' else unit} vs Maryland",
                delta_color="normal" if measure.higher_is_better else "inverse",
                help=_rate_help(focus) if column == "death_rate_per_100k" else None,
            )

    _gap_measure_choice(context)
    _table(context, table, shown)
    _chart(context, table)
    trends_section(context, chosen)
    _context_map(context)
