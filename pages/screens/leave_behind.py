"""EMS leave-behind coverage by jurisdiction, with evidence and sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis import learn
from geo.data.catalog import STOCK_CAVEAT
from geo.data.layers import statewide_leave_behind
from geo.render import formatting, map_exports
from geo.schema import LEAVE_BEHIND_STATUS_LABELS
from shell.cited import cited_markdown
from shell.common import cited_facts, show_map, show_table, tiles
from shell.downloads import map_downloads
from shell.frame import PageContext

NO_EVIDENCE = "no public evidence found"


def _jurisdiction_panel(context: PageContext) -> None:
    """How a county starts leave-behind (issue 29), for a focus jurisdiction with no
    documented program, or statewide naming those; a jurisdiction with evidence shows its
    own evidence instead. Every sentence is a cited fact."""
    records = context.data.leave_behind.set_index("fips")
    fips = context.focus_fips
    record = records.loc[fips] if fips is not None and fips in records.index else None
    with st.container(border=True):
        if record is not None and record["status"] != NO_EVIDENCE:
            name = formatting.markdown_literal(context.focus_name)
            st.markdown(f"#### EMS leave-behind in {name}")
            lines = [f"**Status:** {LEAVE_BEHIND_STATUS_LABELS[record['status']]}"]
            for label, column in (("Evidence", "evidence"), ("Earliest evidence", "earliest_date")):
                if pd.notna(record[column]) and str(record[column]).strip():
                    lines.append(f"**{label}:** {formatting.markdown_literal(record[column])}")
            source = record["source_url"]
            first = "" if pd.isna(source) else str(source).split(" ; ")[0].strip()
            if first:
                lines.append(f"**Source:** {formatting.markdown_link(first, first)}")
            st.markdown("  \n".join(lines))
            return
        st.markdown("#### How a county starts EMS naloxone leave-behind")
        if record is not None:
            st.markdown(
                f"No public page describing a program in "
                f"{formatting.markdown_literal(context.focus_name)} was found (unknown, not "
                "evidence that there is none). If it has not joined yet, this is how it works:"
            )
        else:
            unknown = records[records["status"] == NO_EVIDENCE]["name"]
            st.markdown(
                f"For the {len(unknown)} jurisdictions with no public evidence of a program "
                "(unknown, not evidence that there is none), this is how joining works:"
            )
        lines = learn.county_start_lines(cited_facts())
        st.markdown("\n".join(f"- {cited_markdown(line)}" for line in lines))


def _statewide_totals() -> None:
    """The statewide program figures (2018-2021) with their source and date."""
    totals = statewide_leave_behind(cited_facts())
    columns = st.columns(3)
    labels = (
        (totals.jurisdictions, "Jurisdictions with programs"),
        (totals.doses, "Doses left behind"),
        (totals.people, "People reached (approx.)"),
    )
    for column, (value, label) in zip(columns, labels, strict=True):
        column.metric(f"{label}, 2018-2021", formatting.count(value))
    source = formatting.markdown_link(
        "Maryland Department of Health, EMS Naloxone Leave-Behind", totals.source_url
    )
    st.caption(
        f"Statewide totals: {source} "
        f"({formatting.markdown_literal(totals.source_date)}). MDH's list of the 13 "
        "jurisdictions was not found, so the map cannot show which they are."
    )


def render(context: PageContext) -> None:
    view, data = context.view, context.data
    st.title("EMS naloxone leave-behind")
    st.markdown(
        "Since 2018 Maryland EMS may leave naloxone with overdose survivors and their "
        "families (opt-in by jurisdiction). The map shows what public evidence says about "
        "each jurisdiction. **Grey means no public evidence was found — it is unknown "
        "whether a program exists, not evidence that there is none.**"
    )

    _statewide_totals()
    _jurisdiction_panel(context)

    show_sites = st.toggle("Show naloxone sites on the map", value=True)
    sites = (
        data.sites[data.sites["type"].isin(view.types) & ~data.sites["closed"]]
        if show_sites
        else None
    )
    export = map_exports.leave_behind_export(
        data.jurisdictions, data.leave_behind, sites, focus_fips=context.focus_fips, unit=view.unit
    )
    show_map(
        lambda: export.folium_map(tiles()),
        key="leave_behind_map",
        shows=context.map_key(view.types if show_sites else None),
    )
    map_downloads(export)
    st.caption(STOCK_CAVEAT)

    st.subheader("Evidence by jurisdiction (map alternative)")
    table = data.leave_behind.copy()
    table["status"] = table["status"].map(LEAVE_BEHIND_STATUS_LABELS)
    first = table["source_url"].str.split(" ; ").str[0].str.strip()
    table["link"] = first.where(first.str.match(r"https?://", case=False, na=False))
    show_table(
        table[
            [
                "name",
                "status",
                "earliest_date",
                "date_note",
                "doses",
                "people",
                "evidence",
                "link",
                "source_url",
                "origin",
            ]
        ],
        column_config={
            "name": "Jurisdiction",
            "status": "Status",
            "earliest_date": "Earliest evidence",
            "date_note": "Date note",
            "evidence": st.column_config.TextColumn("Evidence", width="large"),
            "link": st.column_config.LinkColumn("Source"),
            "source_url": "All sources",
            "doses": "Doses (local)",
            "people": "People (local)",
            "origin": "Record",
        },
    )
