"""Overview: statewide KPIs and a map of every access point."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis import learn
from geo.analysis.tables import SITE_LISTING_COLUMNS, with_site_jurisdiction
from geo.config import MARYLAND_STATE_FIPS
from geo.data.catalog import STOCK_CAVEAT
from geo.data.layers import LeaveBehindTotals, statewide_leave_behind
from geo.render import formatting, map_exports
from geo.render.columns import header
from geo.schema import SITE_TYPE_LABELS
from shell.cited import show_cited_lines
from shell.common import cited_facts, show_map, show_table, tiles
from shell.data_caches import keyed_by_data
from shell.downloads import briefing_download, map_downloads, table_downloads
from shell.frame import DataKey, PageContext

LISTING_COLUMNS = [*SITE_LISTING_COLUMNS]
#: The expander of every listed site (drawn when opened) and its state's key.
LISTING_LABEL = "Table of every listed site (map alternative)"
LISTING_KEY = "site_listing_open"


def _full_name(context: PageContext) -> str:
    """ "Garrett County" for the focus, "Maryland" statewide."""
    if context.focus_fips is None:
        return context.focus_name
    jurisdictions = context.data.jurisdictions
    return str(jurisdictions.loc[jurisdictions["fips"] == context.focus_fips, "full_name"].iloc[0])


def _kpis(context: PageContext, sites: pd.DataFrame, focus_row: pd.Series) -> None:
    """Listed sites, share within the radius, leave-behind evidence, mapped/unmapped."""
    view, evidence = context.view, context.data.leave_behind["status"].value_counts()
    where = ""
    if view.focus != MARYLAND_STATE_FIPS:  # the focus jurisdiction's own sites
        sites = sites[sites["jurisdiction_fips"] == view.focus]
        where = f" ({formatting.markdown_literal(context.focus_name)})"
    kpis = st.columns(4)
    kpis[0].metric(
        f"Listed access points{where}",
        formatting.count(len(sites)),
        help="All listed open sites of the chosen types, mapped or not (sites known to be "
        "closed, such as the Rite Aid stores, are listed in the table but not counted).",
    )
    kpis[1].metric(
        f"Residents within {view.radius_label} ({formatting.markdown_literal(context.focus_name)})",
        formatting.percent(focus_row["pct_pop_within_radius"]),
        help="Share of 2020 residents whose tract centre of population is within "
        "the radius (straight line) of a mapped site.",
    )
    with_evidence = int(evidence.get("documented", 0) + evidence.get("announced", 0))
    kpis[2].metric(
        "Jurisdictions with leave-behind evidence",
        f"{with_evidence} of 24",
        help=f"{evidence.get('documented', 0)} documented, "
        f"{evidence.get('announced', 0)} announced: jurisdictions for which we found a "
        "public, dated source naming their own program. The others: no public "
        "evidence found (unknown, not 'no program'). " + LEAVE_BEHIND_COUNTS_DIFFER,
    )
    kpis[3].metric(
        f"Mapped / unmapped sites{where}",
        f"{formatting.count(sites['lat'].notna().sum())} / "
        f"{formatting.count(sites['lat'].isna().sum())}",
        help="Unmapped sites have no reliable coordinates and are never placed "
        "by guess; they are listed below.",
    )


@st.cache_resource(show_spinner=False)
def _statewide_leave_behind() -> LeaveBehindTotals:
    """The cited statewide figures, read once per process (bundled, never edited)."""
    return statewide_leave_behind(cited_facts())


@keyed_by_data
@st.cache_resource(show_spinner=False, max_entries=16)
def _site_tables(
    data_key: DataKey, types: tuple[str, ...], _context: PageContext
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sites by type (listed, mapped) and every listed site with its jurisdiction, once
    per process for this data and these site types (shared: never modified)."""
    sites = _context.data.sites[_context.data.sites["type"].isin(types)]
    open_sites = sites[~sites["closed"]]
    by_type = (
        pd.DataFrame(
            {
                "Listed": open_sites.groupby("type").size(),
                "Mapped": open_sites["lat"].notna().groupby(open_sites["type"]).sum().astype(int),
                "Approximate location": open_sites["location_precision"]
                .eq("zip_centroid")
                .groupby(open_sites["type"])
                .sum()
                .astype(int),
                "Closed (not counted)": sites["closed"].groupby(sites["type"]).sum().astype(int),
            }
        )
        .fillna(0)
        .astype(int)
    )
    by_type.index = [SITE_TYPE_LABELS[t] for t in by_type.index]
    listing = with_site_jurisdiction(sites.drop(columns="geometry"), _context.data.jurisdictions)
    return by_type, listing


#: Why the two leave-behind counts on the Overview differ (issue 28, item 2).
LEAVE_BEHIND_COUNTS_DIFFER = (
    "Why this differs from the statewide count: the Maryland Department of Health "
    "reports how many jurisdictions handed out doses in 2018-2021 but does not name "
    "them; the count of 24 above is of jurisdictions we could match to a public source "
    "of their own, so a jurisdiction with a program but no public page reads as unknown."
)


def _leave_behind_totals() -> None:
    totals = _statewide_leave_behind()
    st.info(
        f"**EMS leave-behind, statewide 2018-2021:** {totals.jurisdictions} "
        f"jurisdictions handed out {formatting.count(totals.doses)} naloxone doses to "
        f"about {formatting.count(totals.people)} people. Source: "
        f"{formatting.markdown_link('Maryland Department of Health', totals.source_url)} "
        f"({formatting.markdown_literal(totals.source_date)}). The state report does "
        "not name the jurisdictions, so this differs from the count of jurisdictions "
        "with public evidence above (details on EMS leave-behind)."
    )


def _sites_map(context: PageContext, sites: pd.DataFrame) -> None:
    """The map of open sites, its downloads and the briefing button."""
    export = map_exports.overview_export(
        context.data.jurisdictions,
        sites[~sites["closed"]],
        types=context.view.types,
        focus_fips=context.focus_fips,
        unit=context.view.unit,
    )
    show_map(
        lambda: export.folium_map(tiles()),
        key="overview_map",
        shows=context.map_key(context.view.types),
    )
    downloads, brief = st.columns([3, 1])
    with downloads:
        map_downloads(export)
    with brief:
        briefing_download(context)


def focus_by_type(by_type: pd.DataFrame, listing: pd.DataFrame, focus: str) -> pd.DataFrame:
    """Open sites by type in the ``focus`` jurisdiction (listed, mapped), with Maryland's
    listed count beside it (closed sites are not counted); every type of ``by_type``
    kept (0 where it has none)."""
    own = listing[(listing["jurisdiction_fips"] == focus) & ~listing["closed"].astype(bool)]
    labels = own["type"].map(SITE_TYPE_LABELS).fillna(own["type"])
    listed = labels.value_counts()
    mapped = own["lat"].notna().groupby(labels).sum()
    return pd.DataFrame(
        {
            "Listed": listed.reindex(by_type.index, fill_value=0).astype(int),
            "Mapped": mapped.reindex(by_type.index, fill_value=0).astype(int),
            "Listed in Maryland": by_type["Listed"],
        }
    )


def _glance_lines(row: pd.Series, context: PageContext, state_row: pd.Series | None) -> str:
    """Key figures of one row of the scenario table in words; with ``state_row`` each
    is followed by Maryland's value."""
    unit = context.view.unit

    def state(text: str) -> str:
        return f" (Maryland: {text})" if state_row is not None else ""

    s = state_row if state_row is not None else row
    return (
        f"- {formatting.decimal(row['sites_per_100k'])} mapped sites per 100,000 "
        f"residents{state(formatting.decimal(s['sites_per_100k']))}\n"
        f"- mean straight-line distance to the nearest site "
        f"{formatting.distance(row['mean_distance_miles'], unit)}"
        f"{state(formatting.distance(s['mean_distance_miles'], unit))}; 90% of "
        f"residents live within "
        f"{formatting.distance(row['p90_distance_miles'], unit)}"
        f"{state(formatting.distance(s['p90_distance_miles'], unit))}\n"
        f"- {formatting.count(row['uncovered_population'])} residents live farther "
        f"than {context.view.radius_label} from any listed site"
        f"{state(formatting.count(s['uncovered_population']))}"
    )


def _by_type_and_state(
    context: PageContext,
    by_type: pd.DataFrame,
    listing: pd.DataFrame,
    table: pd.DataFrame,
) -> None:
    """Sites by type, and the focus jurisdiction's (or Maryland's) key figures in words."""
    left, right = st.columns([2, 3])
    focus = context.view.focus
    state_row = table.loc[MARYLAND_STATE_FIPS]
    where = formatting.markdown_literal(_full_name(context))
    with left:
        if focus == MARYLAND_STATE_FIPS:
            st.subheader("Sites by type")
            st.table(by_type)
        else:
            st.subheader(f"Sites by type: {where}")
            st.table(focus_by_type(by_type, listing, focus))
    with right:
        if focus == MARYLAND_STATE_FIPS:
            st.subheader("Maryland at a glance")
            st.markdown(_glance_lines(state_row, context, None))
        else:
            st.subheader(f"{where} at a glance")
            st.markdown(_glance_lines(table.loc[focus], context, state_row))


def _site_listing(context: PageContext, listing: pd.DataFrame) -> None:
    """Every listed site, mapped or not (the map alternative), and its CSV; drawn when
    opened (a table of ~600 rows under the map delayed the map's first drawing). With a
    focus jurisdiction: its sites only."""
    label = LISTING_LABEL
    if context.view.focus != MARYLAND_STATE_FIPS:
        listing = listing[listing["jurisdiction_fips"] == context.view.focus]
        label = LISTING_LABEL.replace(
            "listed site", f"listed site in {formatting.markdown_literal(_full_name(context))}"
        )
    listing_box = st.expander(label, key=LISTING_KEY, on_change="rerun")
    if not listing_box.open:
        return
    with listing_box:
        shown = listing[LISTING_COLUMNS].assign(  # type names as the map's legend reads
            type=listing["type"].map(SITE_TYPE_LABELS).fillna(listing["type"])
        )
        show_table(shown, column_config={c: header(c, kind="sites") for c in LISTING_COLUMNS})
        table_downloads(
            listing[[*LISTING_COLUMNS, "lat", "lon"]],
            "md_naloxone_sites",
            context,
            label="Download sites",
            kind="sites",
        )


def _learn(context: PageContext) -> None:
    """ "Learn to use naloxone, free": the focus jurisdiction's health department and
    programs (statewide lines only when all Maryland is shown), each cited (issue 29)."""
    lines = learn.learn_lines(cited_facts(), context.focus_fips, context.data.sites)
    show_cited_lines("Learn to use naloxone, free", lines)


def _travel_line(context: PageContext) -> None:
    """The travel-time measure in one line (its network's area), the rest straight-line."""
    scenario = context.scenario()
    try:
        row = scenario.travel_summary().iloc[0]
    except ValueError as exc:  # no network for the measure, or no site in its area
        st.info(formatting.markdown_literal(str(exc)))
        return
    st.info(
        f"**{formatting.percent(100 * row['share_within_minutes'])}** of "
        f"{formatting.markdown_literal(row['area'])} residents "
        f"({formatting.count(row['population_within_minutes'])} of "
        f"{formatting.count(row['population'])}) live within a {context.view.minutes_label} "
        "of a listed site of the chosen types (details and map on Access gaps). The other "
        f"figures on this page are straight-line ({context.view.radius_label}): "
        f"{formatting.markdown_literal(row['measure'])} cover "
        f"{formatting.markdown_literal(row['area'])} only."
    )


def render(context: PageContext) -> None:
    if context.view.focus == MARYLAND_STATE_FIPS:
        st.title("Naloxone access in Maryland")
    else:
        st.title(f"Naloxone access in {formatting.markdown_literal(_full_name(context))}")
        st.caption("Focus jurisdiction; Maryland's figures are given beside its own.")
    # on a phone the page list hides behind an unlabelled icon: the finder is one tap away
    st.page_link("pages/find.py", label="Find naloxone near you", icon=":material/search:")
    st.warning(STOCK_CAVEAT, icon="⚠️")
    data = context.data
    sites = data.sites[data.sites["type"].isin(context.view.types)]
    table = context.scenario().table().set_index("fips")
    _kpis(context, sites[~sites["closed"]], table.loc[context.view.focus])
    if context.view.by_time:
        _travel_line(context)
    _leave_behind_totals()
    _sites_map(context, sites)
    by_type, listing = _site_tables(context.data_key, context.view.types, context)
    _by_type_and_state(context, by_type, listing, table)
    _learn(context)
    _site_listing(context, listing)
