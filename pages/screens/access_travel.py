"""Access gaps measured in network minutes (walking in Baltimore City, or driving on an
installed network): KPIs, the map of tracts by minutes, every tract's trip, and the
locations that would bring the most residents within the threshold."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis.completeness import with_list_gap
from geo.analysis.scenario import Scenario
from geo.analysis.travel import sites_in_area
from geo.render import formatting
from geo.render.travel_maps import travel_gap_map
from shell.common import show_map, show_table, tiles
from shell.downloads import table_downloads
from shell.frame import PageContext


def _summary(scenario: Scenario) -> pd.Series:
    return scenario.travel_summary().iloc[0]


def travel_kpis(context: PageContext, baseline: Scenario, scenario: Scenario) -> None:
    """Residents of the area within the threshold, share, median and 90th percentile."""
    view, covered = context.view, scenario.covered
    before, after = _summary(baseline), _summary(scenario)
    changed = scenario.changed
    st.markdown(
        f"**{covered.network.mode.label.capitalize()} in "
        f"{formatting.markdown_literal(covered.area_name)}** "
        f"({after['tracts']} tracts, {formatting.count(after['population'])} residents, "
        f"{after['sites']} listed sites of the chosen types in the area)."
    )
    kpis = st.columns(4)
    kpis[0].metric(
        f"Residents within a {view.minutes_label}",
        formatting.count(after["population_within_minutes"]),
        formatting.signed(after["population_within_minutes"] - before["population_within_minutes"])
        if changed
        else None,
    )
    kpis[1].metric(
        f"Share within a {view.minutes_label}",
        formatting.percent(100 * after["share_within_minutes"]),
        f"{100 * (after['share_within_minutes'] - before['share_within_minutes']):+.2f} pts"
        if changed
        else None,
    )
    for column, name, label in (
        (2, "median_minutes", "Half of residents are within"),
        (3, "p90_minutes", "90% of residents are within"),
    ):
        kpis[column].metric(
            label,
            f"{after[name]:.1f} min",
            f"{after[name] - before[name]:+.1f} min" if changed else None,
            delta_color="inverse",
        )


def travel_tracts(context: PageContext, scenario: Scenario) -> pd.DataFrame:
    """Every tract of the area with its trip, place and nearest site's name, slowest
    first."""
    travel = scenario.travel.merge(
        context.data.population[["geoid", "fips", "lat", "lon"]], on="geoid", how="left"
    )
    names = dict(zip(scenario.selected["id"], scenario.selected["name"], strict=True))
    travel["nearest_site_name"] = travel["nearest_site_id"].map(names)
    travel["name"] = travel["fips"].map(context.names)
    columns = [
        "geoid",
        "name",
        "population",
        "minutes",
        "nearest_site_name",
        "nearest_site_id",
        "network_m",
        "origin_snap_m",
        "site_snap_m",
        "far_from_network",
        "lat",
        "lon",
    ]
    return travel[columns].sort_values("minutes", ascending=False, ignore_index=True)


def travel_map(
    context: PageContext, scenario: Scenario, tracts: pd.DataFrame, recommended: pd.DataFrame
) -> dict | None:
    """The map of the area's tracts by minutes; returns the clicked point."""
    covered, view = scenario.covered, context.view
    selected = scenario.selected
    in_area = sites_in_area(selected, covered)
    real_sites = context.data.sites.merge(in_area.loc[~in_area["is_what_if"], ["id"]], on="id")
    what_if = in_area.loc[in_area["is_what_if"]]
    label = covered.network.mode.label

    def build():
        # each tract's popup carries its context and list-gap flag, as on the straight-line map
        points = tracts.merge(context.data.tracts, on="geoid", how="left")
        return travel_gap_map(
            context.data.jurisdictions,
            with_list_gap(points, context.data),
            real_sites,
            view.minutes,
            trip=covered.network.mode.trip,
            label=label,
            method_note=f"{label.capitalize()} on {covered.area_name} streets "
            f"({covered.network.mode.basis}).",
            what_if=what_if,
            recommended=recommended,
            focus_fips=covered.area_fips,
            tiles=tiles(),
        )

    shown = (scenario.key, tuple(recommended["candidate_id"]) if len(recommended) else None)
    returned = show_map(
        build,
        key="travel_gap_map",
        shows=context.map_key("travel", *shown),
        height=560,
        returned=["last_clicked", "last_object_clicked"],
    )
    st.caption(
        f"Tract centres of population coloured by {label} to the nearest listed site of "
        f"{covered.area_name}; what-if sites (blue) and recommended locations (black) are "
        "hypothetical. " + formatting.markdown_literal(covered.method)
    )
    return returned.get("last_clicked") or returned.get("last_object_clicked")


def travel_table(context: PageContext, scenario: Scenario, tracts: pd.DataFrame) -> None:
    """Every tract's trip (the map alternative) and its downloads."""
    covered = scenario.covered
    trip = covered.network.mode.trip
    with st.expander(f"Table of every tract and its {trip} to the nearest site (map alternative)"):
        show_table(
            tracts,
            column_config={
                "geoid": "Census tract",
                "name": "Jurisdiction",
                "population": st.column_config.NumberColumn("Residents", format="localized"),
                "minutes": st.column_config.NumberColumn(f"Minutes ({trip})", format="%.1f"),
                "nearest_site_name": "Nearest site",
                "nearest_site_id": None,
                "network_m": st.column_config.NumberColumn("Along streets (m)", format="%.0f"),
                "origin_snap_m": st.column_config.NumberColumn(
                    "Tract centre to street (m)", format="%.0f"
                ),
                "site_snap_m": st.column_config.NumberColumn("Site to street (m)", format="%.0f"),
                "far_from_network": "Over 500 m from a street",
                "lat": "Latitude",
                "lon": "Longitude",
            },
        )
        table_downloads(
            tracts,
            f"md_tract_{covered.measure}_minutes",
            context,
            kind="travel",
            key="download_travel_tracts",
            notes=(covered.method,),
        )


def travel_recommendations(context: PageContext, recommended: pd.DataFrame, k: int) -> None:
    """The recommended locations by travel time, with the gap measure they reduce."""
    if not k:
        return
    from geo.analysis.metrics import CANDIDATE_SITE_CAVEAT_TEXT
    from geo.analysis.ranking import GAP_MEASURES

    label = context.view.minutes_label
    measure = GAP_MEASURES[context.view.gap]
    st.subheader(f"{len(recommended)} recommended new locations ({label})")
    st.caption(
        f"Chosen to reduce the gap measure in use ({measure.label.lower()}) within a "
        f"{label}: greedy maximal covering on travel-time coverage sets (a candidate covers "
        f"a tract when the trip between them on the network takes at most a {label})."
    )
    if recommended.empty:
        st.caption(
            f"No candidate brings anyone new within a {label}: every resident of the area "
            "a candidate can reach is already that close to a listed site."
        )
        return
    if len(recommended) < k:
        st.caption(
            f"No further candidate brings anyone new within a {label} after "
            f"{len(recommended)} location" + ("s." if len(recommended) != 1 else ".")
        )
    hosts = not (recommended["kind"] == "tract").all()
    number = st.column_config.NumberColumn
    show_table(
        recommended,
        column_config={
            "rank": "Rank",
            "candidate_id": None if hosts else "Census tract (centre)",
            "kind": "Kind" if hosts else None,
            "site_name": "Host site" if hosts else None,
            "address": "Address" if hosts else None,
            "city": "City" if hosts else None,
            "fips": None,
            "lat": number("Latitude", format="%.4f"),
            "lon": number("Longitude", format="%.4f"),
            "newly_covered_population": number(
                f"Residents newly within a {label}", format="localized"
            ),
            "cumulative_covered_population": number("Running total", format="localized"),
            "gap_reduction": number(f"Gap reduced ({measure.unit})", format="%.2f"),
            "cumulative_gap_reduction": None,
            "gap_measure": None,
            "measure": "Measure",
            "minutes": None,
        },
    )
    st.caption(
        "Each location is a real place: " + CANDIDATE_SITE_CAVEAT_TEXT
        if hosts
        else "Each location is a 2020 census-tract centre of population in the network's "
        "area, a planning aid, not a real site."
    )


def render_travel(
    context: PageContext, baseline: Scenario, scenario: Scenario, k: int, candidates: str
) -> dict | None:
    """The travel-time part of Access gaps (recommendations among ``candidates``, the
    kinds of :func:`geo.analysis.metrics.parse_candidate_kinds`); returns the map's
    clicked point."""
    travel_kpis(context, baseline, scenario)
    recommended = (
        scenario.recommend_by_minutes(k, candidates=candidates) if k else scenario.travel.iloc[0:0]
    )
    tracts = travel_tracts(context, scenario)
    clicked = travel_map(context, scenario, tracts, recommended if k else pd.DataFrame())
    travel_table(context, scenario, tracts)
    travel_recommendations(context, recommended, k)
    return clicked
