"""The OEPS 2025 drive minutes to the nearest pharmacy: an outside layer on Access gaps,
drawn on request, labelled as OEPS's own figures and never mixed into ours."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.render.travel_maps import OEPS_NOTE, OEPS_TITLE, oeps_drive_map
from shell.common import show_map, show_table, tiles
from shell.downloads import table_downloads
from shell.frame import PageContext

SHOW_KEY = "show_oeps_layer"


def oeps_tracts(context: PageContext) -> pd.DataFrame:
    """Tracts of the focus (or Maryland) with OEPS's drive minutes; NaN = not published."""
    drive = context.data.drive_times
    population = context.data.population
    if context.focus_fips is not None:
        population = population[population["fips"] == context.focus_fips]
    tracts = population[["geoid", "fips", "population", "lat", "lon"]].merge(
        drive, on="geoid", how="left"
    )
    tracts.insert(1, "name", tracts["fips"].map(context.names))
    return tracts.drop(columns="fips").sort_values("drive_minutes", ascending=False)


def render_oeps(context: PageContext) -> None:
    """The toggle, and when on: the map, the table and its download."""
    if context.data.drive_times is None:
        return
    st.subheader("Outside layer: drive time to a pharmacy (OEPS 2025)")
    if not st.toggle(f"Show {OEPS_TITLE}", key=SHOW_KEY):
        st.caption(
            "Off by default. OEPS (Healthy Regions & Policies Lab, University of Chicago) "
            "publishes drive minutes from every tract to the nearest pharmacy of its own list."
        )
        return
    st.warning(OEPS_NOTE)
    tracts = oeps_tracts(context)
    show_map(
        lambda: oeps_drive_map(
            context.data.jurisdictions, tracts, focus_fips=context.focus_fips, tiles=tiles()
        ),
        key="oeps_drive_map",
        shows=context.map_key("oeps-drive"),
        height=480,
    )
    with st.expander("Table of OEPS drive minutes by tract (map alternative)"):
        show_table(
            tracts,
            column_config={
                "geoid": "Census tract",
                "name": "Jurisdiction",
                "population": st.column_config.NumberColumn("Residents", format="localized"),
                "drive_minutes": st.column_config.NumberColumn(
                    "OEPS drive minutes to nearest pharmacy", format="%.1f"
                ),
                "pharmacies_within_30min": st.column_config.NumberColumn(
                    "OEPS pharmacies within a 30-minute drive", format="localized"
                ),
                "lat": "Latitude",
                "lon": "Longitude",
            },
        )
        table_downloads(
            tracts,
            "md_tract_oeps_drive_minutes_outside_layer",
            context,
            label="Download the OEPS outside layer",
            key="download_oeps_tracts",
            notes=(OEPS_NOTE,),
        )
