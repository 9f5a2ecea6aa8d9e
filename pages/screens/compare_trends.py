"""Overdose death rates over time on Compare: modelled 2014-2021 and CDC WONDER
2022-2023 (never joined), Maryland's line, and the data with its dictionary."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo.analysis import trends
from geo.config import MARYLAND_STATE_FIPS
from geo.render import formatting
from shell.downloads import (
    table_downloads,
)
from shell.frame import PageContext


def _trend_lines(rows: pd.DataFrame, name: str) -> alt.Chart:
    """One jurisdiction's two series and Maryland's, as a chart that fits any width: each
    series its own line (grouped by ``line``, so 2021 and 2022 are never joined)."""
    own = pd.DataFrame({"who": name, "series": rows["series"], "year": rows["year"]})
    own["rate"] = rows["rate_per_100k"].to_numpy()
    state = own.assign(who="Maryland", rate=rows["maryland_rate_per_100k"].to_numpy())
    labels = {"modelled": "modelled", "wonder": "CDC WONDER"}
    both = pd.concat([own, state], ignore_index=True).dropna(subset=["rate"])
    both["line"] = both["who"] + ", " + both["series"].map(labels)
    both["dashed"] = both["who"] == "Maryland"
    order = [f"{who}, {labels[s]}" for who in (name, "Maryland") for s in ("modelled", "wonder")]
    colours = ["#08519C", "#B35806", "#6B6B6B", "#A6A6A6"]
    return (
        alt.Chart(both)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=alt.Y("rate:Q", title="Deaths per 100,000 a year"),
            color=alt.Color(
                "line:N",
                sort=order,
                scale=alt.Scale(domain=order, range=colours),
                legend=alt.Legend(orient="bottom", columns=1, labelLimit=0, title=None),
            ),
            strokeDash=alt.StrokeDash(
                "dashed:N",
                scale=alt.Scale(domain=[False, True], range=[[1, 0], [5, 3]]),
                legend=None,
            ),
            detail="line:N",
            tooltip=[
                alt.Tooltip("line:N", title="Series"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("rate:Q", title="Rate per 100,000", format=".1f"),
            ],
        )
        .properties(height=440)
    )


def trends_section(context: PageContext, chosen: list[str]) -> None:
    """Overdose death rates over time per jurisdiction (modelled 2014-2021 and CDC WONDER
    2022-2023, never joined), Maryland's line, and the data with its dictionary."""
    from geo.render import trend_figure  # matplotlib: loaded when the page draws

    data, view = context.data, context.view
    st.subheader("Overdose death rates over time")
    if data.trend is None:
        st.info("The trend layer is not installed (run `python -m geo build`).")
        return
    fips = chosen or list(data.jurisdictions["fips"])
    focus = None if view.focus == MARYLAND_STATE_FIPS else view.focus
    rows = trends.trend_rows(data.trend, data.burden, data.jurisdictions, fips)
    names = dict(context.names)
    if focus is not None:
        st.markdown(formatting.markdown_literal(trends.change_text(rows, focus)))
        st.altair_chart(_trend_lines(rows[rows["fips"] == focus], names[focus]), width="stretch")
        st.caption("Each jurisdiction's small chart (the focus highlighted):")
    figure = trend_figure.trend_figure(
        rows,
        fips,
        names,
        focus=focus,
        columns=1 if len(fips) == 1 else (2 if len(fips) <= 4 else 4),
        source=False,
    )
    st.pyplot(figure, width="stretch")
    st.caption(
        "Solid line with dots: NCHS model-based (smoothed) drug-overdose death rates "
        "2014-2021, a modelled rate, not a count. Squares: CDC WONDER drug-induced death "
        "rates 2022-2023, a different, broader definition: the two are never joined. "
        "Dashed grey: Maryland, same series ("
        + formatting.markdown_literal(trends.MARYLAND_LINE["modelled"].split(": ", 1)[1])
        + "; "
        + formatting.markdown_literal(trends.MARYLAND_LINE["wonder"].split(": ", 1)[1])
        + "). A suppressed year (under 10 deaths) has no square."
    )
    table_downloads(
        rows,
        "md_overdose_death_rate_trends",
        context,
        label="Download the trend data",
        key="download_trends",
        notes=(
            "series 'modelled' = NCHS model-based estimates (rates, never counts); "
            "series 'wonder' = CDC WONDER drug-induced crude rates; never joined.",
        ),
    )
