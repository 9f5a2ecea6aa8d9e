"""Overview: statewide KPIs and a map of every access point."""

from __future__ import annotations

import streamlit as st

from geo.data.catalog import STOCK_CAVEAT
from geo.data.layers import statewide_leave_behind
from geo.render import formatting, maps, static_maps
from geo.render.exports import csv_bytes
from geo.schema import SITE_TYPE_LABELS
from pages.screens.common import (
    access_data,
    briefing_download,
    cited_facts,
    current_view,
    focus_name,
    guarded,
    map_downloads,
    show_map,
    tiles,
    view_metrics,
)


def render() -> None:
    view = current_view()
    data = access_data()
    st.title("Naloxone access in Maryland")
    st.warning(STOCK_CAVEAT, icon="⚠️")

    sites = data.sites[data.sites["type"].isin(view.types)]
    table = view_metrics(view)
    focus_row = table.set_index("fips").loc[view.focus]
    state_row = table.set_index("fips").loc["24"]
    evidence = data.leave_behind["status"].value_counts()

    kpis = st.columns(4)
    kpis[0].metric("Listed access points", formatting.count(len(sites)),
                   help="All listed sites of the chosen types, mapped or not.")
    kpis[1].metric(f"Residents within {view.radius_label} "
                   f"({formatting.markdown_literal(focus_name(view))})",
                   formatting.percent(focus_row["pct_pop_within_radius"]),
                   help="Share of 2020 residents whose tract centre of population is within "
                   "the radius (straight line) of a mapped site.")
    with_evidence = int(evidence.get("documented", 0) + evidence.get("announced", 0))
    kpis[2].metric("Jurisdictions with leave-behind evidence", f"{with_evidence} of 24",
                   help=f"{evidence.get('documented', 0)} documented, "
                   f"{evidence.get('announced', 0)} announced. The others: no public "
                   "evidence found (unknown, not 'no program').")
    kpis[3].metric("Mapped / unmapped sites",
                   f"{formatting.count(sites['lat'].notna().sum())} / "
                   f"{formatting.count(sites['lat'].isna().sum())}",
                   help="Unmapped sites have no reliable coordinates and are never placed "
                   "by guess; they are listed below.")

    totals = statewide_leave_behind(cited_facts())
    st.info(f"**EMS leave-behind, statewide 2018-2021:** {totals.jurisdictions} "
            f"jurisdictions handed out {formatting.count(totals.doses)} naloxone doses to "
            f"about {formatting.count(totals.people)} people. Source: "
            f"{formatting.markdown_link('Maryland Department of Health', totals.source_url)} "
            f"({formatting.markdown_literal(totals.source_date)}).")

    by_type = sites.groupby("type").agg(listed=("id", "size"),
                                         mapped=("lat", lambda s: int(s.notna().sum())))
    by_type.index = [SITE_TYPE_LABELS[t] for t in by_type.index]
    focus = None if view.focus == "24" else view.focus

    open_sites = sites[~sites["closed"]]

    def interactive():
        return maps.sites_map(data.jurisdictions, open_sites, focus_fips=focus, tiles=tiles())

    show_map(interactive(), key="overview_map")
    downloads, brief = st.columns([3, 1])
    with downloads:
        map_downloads("naloxone-sites", interactive,
                      lambda: static_maps.sites_drawer(data.jurisdictions, open_sites, focus),
                      "Naloxone access points in Maryland", view)
    with brief:
        briefing_download(view)
    left, right = st.columns([2, 3])
    with left:
        st.subheader("Sites by type")
        st.dataframe(by_type.rename(columns={"listed": "Listed", "mapped": "Mapped"}),
                     width="stretch")
    with right:
        st.subheader("Maryland at a glance")
        st.markdown(
            f"- {formatting.decimal(state_row['sites_per_100k'])} mapped sites per 100,000 "
            f"residents\n"
            f"- mean straight-line distance to the nearest site "
            f"{formatting.miles(state_row['mean_distance_miles'])}; 90% of residents live "
            f"within {formatting.miles(state_row['p90_distance_miles'])}\n"
            f"- {formatting.count(state_row['uncovered_population'])} residents live farther "
            f"than {view.radius_label} from any listed site")

    with st.expander("Table of every listed site (map alternative)"):
        listing = sites.drop(columns="geometry").merge(
            data.jurisdictions[["fips", "name"]].rename(
                columns={"fips": "jurisdiction_fips", "name": "jurisdiction"}),
            on="jurisdiction_fips", how="left")
        columns = ["name", "type", "address", "city", "zip", "jurisdiction",
                   "location_precision", "status", "origin", "source", "source_date", "notes"]
        st.dataframe(listing[columns], hide_index=True, width="stretch")
        st.download_button("Download sites (CSV)", csv_bytes(listing[[*columns, "lat", "lon"]]),
                           "md_naloxone_sites.csv", "text/csv")


guarded(render)
