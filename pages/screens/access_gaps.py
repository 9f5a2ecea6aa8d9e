"""Access gaps: who is far from naloxone, which jurisdictions lag, where new sites help."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis import metrics
from geo.analysis.completeness import with_list_gap
from geo.analysis.ranking import GAP_MEASURES
from geo.analysis.recommend import CANDIDATE_CHOICE_VALUES
from geo.analysis.scenario import Scenario
from geo.analysis.tables import distances_in
from geo.config import DISTANCE_SUFFIX as SUFFIX
from geo.config import MARYLAND_STATE_FIPS
from geo.render import formatting, map_exports
from pages.screens.gap_ranking import gap_ranking
from pages.screens.oeps_layer import render_oeps
from pages.screens.what_if import ADDED_KEY, REMOVED_KEY, what_if_controls
from shell.common import show_map, show_table, tiles
from shell.downloads import map_downloads, table_downloads
from shell.frame import PageContext

CANDIDATES_KEY = "candidates_widget"
#: The candidate choices for recommendations (values of ``recommend --candidates``).
CANDIDATE_CHOICES = {
    CANDIDATE_CHOICE_VALUES[0]: "Tract centres (planning aid)",
    CANDIDATE_CHOICE_VALUES[1]: "Real host sites: health centres, treatment facilities, rail "
    "stations",
    CANDIDATE_CHOICE_VALUES[2]: "Real host sites and MTA bus stops",
}


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
    kpis[0].metric(
        f"Residents farther than {view.radius_label} "
        f"({formatting.markdown_literal(context.focus_name)})",
        formatting.count(focus_after["uncovered_population"]),
        formatting.signed(
            focus_after["uncovered_population"] - focus_before["uncovered_population"]
        )
        if changed
        else None,
        delta_color="inverse",
    )

    def delta(after: pd.Series, before: pd.Series, column: str, unit: str) -> str | None:
        return f"{after[column] - before[column]:+.2f} {unit}" if changed else None

    kpis[1].metric(
        f"Share within {view.radius_label}",
        formatting.percent(focus_after["pct_pop_within_radius"]),
        delta(focus_after, focus_before, "pct_pop_within_radius", "pts"),
    )
    unit = view.unit
    mean_change = formatting.distance_in(
        focus_after["mean_distance_miles"] - focus_before["mean_distance_miles"], unit
    )
    kpis[2].metric(
        "Mean distance to nearest site",
        formatting.distance(focus_after["mean_distance_miles"], unit, 2),
        f"{mean_change:+.2f} {unit}" if changed else None,
        delta_color="inverse",
    )
    if view.focus == MARYLAND_STATE_FIPS:  # the share statewide is already shown
        p90_change = formatting.distance_in(
            focus_after["p90_distance_miles"] - focus_before["p90_distance_miles"], unit
        )
        kpis[3].metric(
            "90% of residents live within",
            formatting.distance(focus_after["p90_distance_miles"], unit, 2),
            f"{p90_change:+.2f} {unit}" if changed else None,
            delta_color="inverse",
        )
        return
    kpis[3].metric(
        "Maryland residents within radius",
        formatting.percent(state_after["pct_pop_within_radius"]),
        delta(state_after, state_before, "pct_pop_within_radius", "pts"),
    )


def _gap_map(
    context: PageContext, scenario: Scenario, recommended: pd.DataFrame | None
) -> dict | None:
    """The map of tract centres by distance and its downloads; the clicked point."""
    view, jurisdictions, focus = context.view, context.data.jurisdictions, context.focus_fips
    selected, nearest = scenario.selected, scenario.nearest
    what_if = selected[selected["is_what_if"]]
    real_sites = context.data.sites.merge(selected[["id"]], on="id")
    export = map_exports.access_gaps_export(
        jurisdictions,
        with_list_gap(nearest, context.data),
        real_sites,
        view.radius_m,
        types=view.types,
        unit=view.unit,
        recommended=recommended,
        what_if=what_if,
        focus_fips=focus,
    )
    shown = (scenario.key, None if recommended is None else tuple(recommended["candidate_id"]))
    returned = show_map(
        lambda: export.folium_map(tiles()),
        key="access_gap_map",
        shows=context.map_key(*shown),
        height=600,
        returned=["last_clicked", "last_object_clicked"],
    )
    map_downloads(export)
    return returned.get("last_clicked") or returned.get("last_object_clicked")


def tracts_by_distance(
    context: PageContext, nearest: pd.DataFrame, sites: pd.DataFrame
) -> pd.DataFrame:
    """Tract centres with residents, farthest first, with the nearest site's name."""
    names = dict(zip(sites["id"], sites["name"], strict=True))
    nearest = with_list_gap(nearest, context.data)
    tracts = nearest[nearest["population"] > 0].merge(
        context.data.jurisdictions[["fips", "name"]], on="fips", how="left"
    )
    tracts["nearest_site_name"] = tracts["nearest_site_id"].map(names)
    return tracts[
        [
            "geoid",
            "name",
            "population",
            "distance_miles",
            "nearest_site_name",
            "nearest_site_id",
            "no_vehicle_pct",
            "transit_commute_pct",
            "walk_commute_pct",
            "ruca_code",
            "rurality",
            *(["list_gap"] if "list_gap" in tracts else []),
            "lat",
            "lon",
        ]
    ].sort_values("distance_miles", ascending=False)


def _tract_table(context: PageContext, nearest: pd.DataFrame, sites: pd.DataFrame) -> None:
    """Every tract centre and its nearest site (the map alternative), and its CSV."""
    with st.expander("Table of every tract centre and its nearest site (map alternative)"):
        tracts = distances_in(tracts_by_distance(context, nearest, sites), context.view.unit)
        distance = f"distance_{SUFFIX[context.view.unit]}"
        st.caption(
            "Tracts with no residents (water or institutional tracts) are left out. "
            "No-vehicle and commute shares: ACS 2019-2023 (blank = no households, "
            "unknown); RUCA 2020 code and OEPS's Urban/Suburban/Rural grouping (USDA ERS)."
        )
        show_table(
            tracts,
            column_config={
                "geoid": "Census tract",
                "name": "Jurisdiction",
                "population": st.column_config.NumberColumn("Residents", format="localized"),
                distance: st.column_config.NumberColumn(
                    f"Distance to nearest site ({context.view.unit})", format="%.2f"
                ),
                "nearest_site_name": "Nearest site",
                "nearest_site_id": None,
                "no_vehicle_pct": st.column_config.NumberColumn(
                    "No-vehicle households (%)", format="%.1f"
                ),
                "transit_commute_pct": st.column_config.NumberColumn(
                    "Commute by transit (%)", format="%.1f"
                ),
                "walk_commute_pct": st.column_config.NumberColumn(
                    "Commute on foot (%)", format="%.1f"
                ),
                "ruca_code": "RUCA 2020",
                "rurality": "Urban / Suburban / Rural",
                "list_gap": st.column_config.CheckboxColumn(
                    "Our list likely misses a pharmacy here"
                ),
                "lat": "Latitude",
                "lon": "Longitude",
            },
        )
        table_downloads(tracts, "md_tract_distances", context, key="download_tracts")


def _recommendation_columns(unit: str, radius: str, gap_unit: str) -> dict[str, object]:
    """The recommendation table's column headers (hidden: the columns kept for downloads)."""
    return {
        "rank": "Rank",
        "place": st.column_config.TextColumn("Location", width="large"),
        "newly_covered_population": st.column_config.NumberColumn(
            f"Residents newly within {radius}", format="localized"
        ),
        "cumulative_covered_population": st.column_config.NumberColumn(
            "Running total", format="localized"
        ),
        "gap_reduction": st.column_config.NumberColumn(f"Gap reduced ({gap_unit})", format="%.2f"),
        "candidate_note": st.column_config.TextColumn("Note", width="medium"),
        "cumulative_gap_reduction": None,
        "gap_measure": None,
        "kind": None,
        "site_name": None,
        "address": None,
        "city": None,
        "nearest_town": None,
        "nearest_town_county": None,
        "place_source": None,
        f"nearest_town_distance_{SUFFIX[unit]}": None,
        "jurisdiction": None,
        "fips": None,
        "name": None,
        "lat": st.column_config.NumberColumn("Latitude", format="%.4f"),
        "lon": st.column_config.NumberColumn("Longitude", format="%.4f"),
        "candidate_id": "Census tract (centre)",
    }


def _candidate_note(recommended: pd.DataFrame, unit: str) -> None:
    """What the recommended locations are: tract centres named by town, or real host sites."""
    from geo.analysis.place_names import PLACE_NAMES_ATTRIBUTION, far_text

    if (recommended["kind"] == "tract").all():
        st.caption(
            "Each location is a 2020 census-tract centre of population, a planning aid, "
            "not a real site; it is named by the nearest town (a place of 500 or more "
            "people) and the straight-line distance to it in "
            f"{'km' if unit == 'km' else 'miles'}, by direction from it when more than "
            f"{far_text(unit)} away. " + formatting.markdown_literal(PLACE_NAMES_ATTRIBUTION) + "."
        )
    else:
        st.caption(
            "Each location is a real place named by its own name and address: "
            + metrics.CANDIDATE_SITE_CAVEAT_TEXT
            + " Health centres: HRSA (~2020-21); treatment facilities: SAMHSA (~2021); "
            "stations and stops: MDOT MTA (2021-2023)."
        )


def _recommendation_table(context: PageContext, recommended: pd.DataFrame, k: int) -> None:
    """The recommended locations named by place (coordinates and tract last), and their CSV."""
    from geo.analysis.place_names import name_recommendations

    unit, radius = context.view.unit, context.view.radius_label
    measure = GAP_MEASURES[context.view.gap]
    where = formatting.markdown_literal(context.focus_name)
    plural = "location" if len(recommended) == 1 else "locations"
    st.subheader(f"{len(recommended)} recommended new {plural} in {where}")
    st.caption(
        f"Chosen to reduce the gap measure in use ({measure.label.lower()}): each "
        "location is picked for the weighted residents it newly brings within reach, "
        + (
            f"only among candidates inside {where} (the focus)."
            if context.focus_fips
            else "among candidates anywhere in Maryland (no focus chosen)."
        )
    )
    if len(recommended) < k:
        st.caption(
            "No further candidate brings anyone new within reach after "
            f"{len(recommended)} location" + ("s." if len(recommended) != 1 else ".")
        )
    named = name_recommendations(recommended, context.data.jurisdictions, unit=unit)
    show_table(
        named,
        column_config=_recommendation_columns(unit, radius, measure.unit),
        plain="Recommended new locations",
    )
    _candidate_note(recommended, unit)
    table_downloads(
        named,
        "md_recommended_locations",
        context,
        kind="recommendations",
        label="Download the recommended locations",
        key="download_recommended",
    )


def render(context: PageContext) -> None:
    st.title("Access gaps")
    baseline, scenario = _scenarios(context)
    if not context.view.by_time:
        _kpis(context, baseline, scenario)
    st.session_state.setdefault("k_recommend", 5)  # or the link's
    k = st.slider(
        "Recommended new sites (k)",
        0,
        25,
        key="k_recommend",
        help="Keeping the current sites, the k candidate locations that most reduce "
        "the chosen gap measure (greedy maximal covering), inside the focus "
        "jurisdiction when one is chosen.",
    )
    candidates = st.radio(
        "Recommend among",
        list(CANDIDATE_CHOICES),
        key=CANDIDATES_KEY,
        format_func=CANDIDATE_CHOICES.get,
        horizontal=True,
        help="Tract centres are planning aids; real host sites are places where a "
        "vending machine or box could go (none has naloxone today). Bus stops (about "
        "4,400) only when asked for.",
    )
    if context.view.by_time:  # walking or driving minutes in the network's area
        from pages.screens.access_travel import render_travel
        from pages.screens.travel_ranking import travel_gap_ranking

        clicked = render_travel(context, baseline, scenario, k, candidates)
        what_if_controls(baseline.selected, clicked)
        travel_gap_ranking(context, scenario)
        render_oeps(context)
        return
    recommended = (
        scenario.recommend(k, within=context.focus_fips, candidates=candidates) if k else None
    )
    clicked = _gap_map(context, scenario, recommended)
    what_if_controls(baseline.selected, clicked)
    _tract_table(context, scenario.nearest, scenario.selected)
    if recommended is not None:
        _recommendation_table(context, recommended, k)
    gap_ranking(context, scenario)
    render_oeps(context)
