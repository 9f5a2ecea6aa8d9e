"""Access gaps: who is far from naloxone, which jurisdictions lag, where new sites help."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis import metrics
from geo.analysis.scenario import Scenario
from geo.config import MARYLAND_LAT_RANGE, MARYLAND_LON_RANGE, MARYLAND_STATE_FIPS
from geo.render import formatting, maps, static_maps
from geo.render.exports import csv_bytes
from geo.schema import SITE_TYPE_LABELS
from pages.screens.common import show_map, tiles
from pages.screens.downloads import map_downloads
from pages.screens.frame import PageContext, page_context, run_page

ADDED_KEY = "what_if_added"
REMOVED_KEY = "what_if_removed"

GAP_FORMULA = (r"\text{gap}_j = \text{uncovered population}_j \times "
               r"\frac{\text{drug-induced death rate}_j}{100{,}000}")


def _add_site(lat: float, lon: float) -> None:
    added = list(st.session_state.get(ADDED_KEY, []))
    candidate = (round(float(lat), 6), round(float(lon), 6), f"What-if site {len(added) + 1}")
    try:
        metrics.what_if_sites(page_context().data,
                              pd.DataFrame([candidate], columns=["lat", "lon", "name"]))
    except ValueError as exc:
        st.session_state["what_if_error"] = str(exc).replace("added site 1", "that point")
        return
    st.session_state[ADDED_KEY] = [*added, candidate]


def _reset_what_if() -> None:
    """Clear the what-if sites and removals (a callback: it runs before the widgets exist)."""
    st.session_state[ADDED_KEY] = []
    st.session_state[REMOVED_KEY] = []


def _add_typed_site() -> None:
    _add_site(st.session_state["what_if_lat"], st.session_state["what_if_lon"])


def _what_if_controls(removable: pd.DataFrame, clicked: dict | None) -> None:
    st.subheader("What if…")
    st.caption("Add hypothetical sites (click the map, then the button, or type coordinates) "
               "or remove listed sites; every number on this page is recomputed. Nothing is "
               "saved and what-if sites are never shown as real.")
    add_column, remove_column = st.columns(2)
    with add_column:
        if clicked:
            st.button(f"Add a site at the clicked point ({clicked['lat']:.4f}, "
                      f"{clicked['lng']:.4f})", on_click=_add_site,
                      args=(clicked["lat"], clicked["lng"]), key="add_clicked")
        with st.form("add_coordinates", clear_on_submit=False, border=False):
            lat_col, lon_col = st.columns(2)
            lat_col.number_input("Latitude", value=39.0, min_value=MARYLAND_LAT_RANGE[0],
                                 max_value=MARYLAND_LAT_RANGE[1], format="%.5f",
                                 key="what_if_lat")
            lon_col.number_input("Longitude", value=-76.7, min_value=MARYLAND_LON_RANGE[0],
                                 max_value=MARYLAND_LON_RANGE[1], format="%.5f",
                                 key="what_if_lon")
            st.form_submit_button("Add site at these coordinates", on_click=_add_typed_site)
        error = st.session_state.pop("what_if_error", None)
        if error:
            st.error(f"Not added: {formatting.markdown_literal(error)}.")
    with remove_column:
        real = removable
        labels = dict(zip(real["id"], real["name"] + " · " + real["type"].map(SITE_TYPE_LABELS)
                          + " · " + real["jurisdiction_fips"], strict=True))
        st.multiselect("Remove listed sites", list(labels), format_func=labels.get,
                       key=REMOVED_KEY)
        if st.session_state.get(ADDED_KEY) or st.session_state.get(REMOVED_KEY):
            st.button("Reset what-if", key="reset_what_if", on_click=_reset_what_if)


def _scenarios(context: PageContext) -> tuple[Scenario, Scenario]:
    """The view's scenario, and the same with this session's what-if sites."""
    added = tuple(tuple(x) for x in st.session_state.get(ADDED_KEY, []))
    removed = tuple(st.session_state.get(REMOVED_KEY, []))
    return context.scenario(), context.scenario(removed, added)


def _kpis(context: PageContext, baseline: Scenario, scenario: Scenario) -> None:
    """Focus and Maryland figures, with the what-if change as deltas."""
    view, changed = context.view, scenario.changed
    before, after = baseline.table().set_index("fips"), scenario.table().set_index("fips")
    state_before, state_after = before.loc[MARYLAND_STATE_FIPS], after.loc[MARYLAND_STATE_FIPS]
    focus_before, focus_after = before.loc[view.focus], after.loc[view.focus]
    kpis = st.columns(4)
    kpis[0].metric(f"Residents farther than {view.radius_label} "
                   f"({formatting.markdown_literal(context.focus_name)})",
                   formatting.count(focus_after["uncovered_population"]),
                   formatting.signed(focus_after["uncovered_population"]
                                     - focus_before["uncovered_population"])
                   if changed else None, delta_color="inverse")

    def delta(after: pd.Series, before: pd.Series, column: str, unit: str) -> str | None:
        return f"{after[column] - before[column]:+.2f} {unit}" if changed else None

    kpis[1].metric(f"Share within {view.radius_label}",
                   formatting.percent(focus_after["pct_pop_within_radius"]),
                   delta(focus_after, focus_before, "pct_pop_within_radius", "pts"))
    unit = view.unit
    mean_change = formatting.distance_in(focus_after["mean_distance_miles"]
                                         - focus_before["mean_distance_miles"], unit)
    kpis[2].metric("Mean distance to nearest site",
                   formatting.distance(focus_after["mean_distance_miles"], unit, 2),
                   f"{mean_change:+.2f} {unit}" if changed else None, delta_color="inverse")
    if view.focus == MARYLAND_STATE_FIPS:  # the share statewide is already shown
        p90_change = formatting.distance_in(focus_after["p90_distance_miles"]
                                            - focus_before["p90_distance_miles"], unit)
        kpis[3].metric("90% of residents live within",
                       formatting.distance(focus_after["p90_distance_miles"], unit, 2),
                       f"{p90_change:+.2f} {unit}" if changed else None,
                       delta_color="inverse")
        return
    kpis[3].metric("Maryland residents within radius",
                   formatting.percent(state_after["pct_pop_within_radius"]),
                   delta(state_after, state_before, "pct_pop_within_radius", "pts"))


def _gap_map(context: PageContext, scenario: Scenario,
             recommended: pd.DataFrame | None) -> dict | None:
    """The map of tract centres by distance and its downloads; the clicked point."""
    view, jurisdictions, focus = context.view, context.data.jurisdictions, context.focus_fips
    selected, nearest = scenario.selected, scenario.nearest
    what_if = selected[selected["is_what_if"]]
    real_sites = context.data.sites.merge(selected[["id"]], on="id")
    drawn = {"recommended": recommended, "what_if": what_if, "focus_fips": focus}

    def interactive():
        return maps.access_gap_map(jurisdictions, nearest, real_sites, view.radius_m,
                                   view.radius_label, tiles=tiles(), **drawn)

    returned = show_map(interactive(), key="access_gap_map", height=600,
                        returned=["last_clicked", "last_object_clicked"])
    map_downloads("naloxone-access-gaps", interactive,
                  lambda: static_maps.access_gap_drawer(
                      jurisdictions, nearest, real_sites, view.radius_m, view.radius_label,
                      **drawn),
                  "Distance to the nearest naloxone site", context)
    return returned.get("last_clicked") or returned.get("last_object_clicked")


def _tract_table(context: PageContext, nearest: pd.DataFrame) -> None:
    """Every tract centre and its nearest site (the map alternative), and its CSV."""
    with st.expander("Table of every tract centre and its nearest site (map alternative)"):
        tracts = nearest.merge(context.data.jurisdictions[["fips", "name"]], on="fips",
                               how="left")
        unit = context.view.unit
        distance = f"distance_{'km' if unit == 'km' else 'miles'}"
        tracts[distance] = tracts["distance_miles"].map(
            lambda miles: formatting.distance_in(miles, unit))
        tracts = tracts[["geoid", "name", "population", distance, "nearest_site_id",
                         "lat", "lon"]].sort_values(distance, ascending=False)
        st.dataframe(tracts, hide_index=True, width="stretch", column_config={
            "geoid": "Census tract", "name": "Jurisdiction",
            "population": st.column_config.NumberColumn("Residents", format="localized"),
            distance: st.column_config.NumberColumn(f"Distance ({unit})", format="%.2f"),
            "nearest_site_id": "Nearest site id"})
        st.download_button("Download (CSV)", csv_bytes(tracts), "md_tract_distances.csv",
                           "text/csv", key="download_tracts")


def _recommendation_table(recommended: pd.DataFrame, k: int) -> None:
    st.subheader(f"{len(recommended)} recommended new locations")
    if len(recommended) < k:
        st.caption("Everyone reachable from a candidate location is already covered after "
                   f"{len(recommended)} sites.")
    st.dataframe(recommended, hide_index=True, width="stretch", column_config={
        "rank": "Rank", "candidate_id": "Census tract (centre)", "lat": "Latitude",
        "lon": "Longitude", "fips": None, "name": "Jurisdiction",
        "newly_covered_population": st.column_config.NumberColumn(
            "Residents newly within radius", format="localized"),
        "cumulative_covered_population": st.column_config.NumberColumn(
            "Running total", format="localized")})
    st.caption("Locations are tract centres of population, a planning aid: they are not "
               "real sites.")


def _gap_ranking(scenario: Scenario, unit: str) -> None:
    """Jurisdictions ranked by access gap, with the formula."""
    st.subheader("Jurisdictions ranked by access gap")
    st.latex(GAP_FORMULA)
    st.caption("The drug-induced deaths a year expected among residents living farther than "
               "the radius from any site, if the jurisdiction's 2022-2023 rate applied to "
               "them. Jurisdictions whose deaths are suppressed (under 10) have no score and "
               "are listed last.")
    ranking = scenario.ranking()
    ranking["mean_distance_miles"] = ranking["mean_distance_miles"].map(
        lambda miles: formatting.distance_in(miles, unit))
    st.dataframe(ranking[["gap_rank", "name", "uncovered_population", "pct_pop_within_radius",
                          "death_rate_per_100k", "gap_score", "sites", "mean_distance_miles"]],
                 hide_index=True, width="stretch", column_config={
                     "gap_rank": "Rank", "name": "Jurisdiction",
                     "uncovered_population": st.column_config.NumberColumn(
                         "Residents beyond radius", format="localized"),
                     "pct_pop_within_radius": st.column_config.NumberColumn(
                         "% within radius", format="%.1f"),
                     "death_rate_per_100k": st.column_config.NumberColumn(
                         "Death rate per 100,000", format="%.1f"),
                     "gap_score": st.column_config.NumberColumn("Gap (deaths/yr)",
                                                                format="%.2f"),
                     "sites": "Sites", "mean_distance_miles": st.column_config.NumberColumn(
                         f"Mean distance ({unit})", format="%.2f")})


def render(context: PageContext) -> None:
    st.title("Access gaps")
    baseline, scenario = _scenarios(context)
    _kpis(context, baseline, scenario)
    st.session_state.setdefault("k_recommend", 5)  # or the link's
    k = st.slider("Recommended new sites (k)", 0, 25, key="k_recommend",
                  help="Keeping the current sites, the k tract centres that newly bring the "
                  "most residents within the radius (greedy maximal covering).")
    recommended = scenario.recommend(k) if k else None
    clicked = _gap_map(context, scenario, recommended)
    _what_if_controls(baseline.selected, clicked)
    _tract_table(context, scenario.nearest)
    if recommended is not None:
        _recommendation_table(recommended, k)
    _gap_ranking(scenario, context.view.unit)


run_page(render)
