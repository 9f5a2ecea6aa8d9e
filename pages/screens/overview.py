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
        help="All listed sites of the chosen types, mapped or not.",
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
        f"{evidence.get('announced', 0)} announced. The others: no public "
        "evidence found (unknown, not 'no program').",
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
    mapped = sites["lat"].notna()
    by_type = pd.DataFrame(
        {
            "Listed": sites.groupby("type").size(),
            "Mapped": mapped.groupby(sites["type"]).sum().astype(int),
        }
    )
    by_type.index = [SITE_TYPE_LABELS[t] for t in by_type.index]
    listing = with_site_jurisdiction(sites.drop(columns="geometry"), _context.data.jurisdictions)
    return by_type, listing


def _leave_behind_totals() -> None:
    totals = _statewide_leave_behind()
    st.info(
        f"**EMS leave-behind, statewide 2018-2021:** {totals.jurisdictions} "
        f"jurisdictions handed out {formatting.count(totals.doses)} naloxone doses to "
        f"about {formatting.count(totals.people)} people. Source: "
        f"{formatting.markdown_link('Maryland Department of Health', totals.source_url)} "
        f"({formatting.markdown_literal(totals.source_date)})."
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


def _by_type_and_state(context: PageContext, by_type: pd.DataFrame, state_row: pd.Series) -> None:
    """Sites by type, and Maryland's key figures in words."""
    left, right, unit = *st.columns([2, 3]), context.view.unit
    with left:
        st.subheader("Sites by type")
        st.table(by_type)
    with right:
        st.subheader("Maryland at a glance")
        st.markdown(
            f"- {formatting.decimal(state_row['sites_per_100k'])} mapped sites per 100,000 "
            f"residents\n"
            f"- mean straight-line distance to the nearest site "
            f"{formatting.distance(state_row['mean_distance_miles'], unit)}; 90% of "
            f"residents live within "
            f"{formatting.distance(state_row['p90_distance_miles'], unit)}\n"
            f"- {formatting.count(state_row['uncovered_population'])} residents live farther "
            f"than {context.view.radius_label} from any listed site"
        )


def _site_listing(context: PageContext, listing: pd.DataFrame) -> None:
    """Every listed site, mapped or not (the map alternative), and its CSV; drawn when
    opened (a table of ~600 rows under the map delayed the map's first drawing)."""
    listing_box = st.expander(LISTING_LABEL, key=LISTING_KEY, on_change="rerun")
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


def render(context: PageContext) -> None:
    st.title("Naloxone access in Maryland")
    st.warning(STOCK_CAVEAT, icon="⚠️")
    data = context.data
    sites = data.sites[data.sites["type"].isin(context.view.types)]
    table = context.scenario().table().set_index("fips")
    _kpis(context, sites, table.loc[context.view.focus])
    _leave_behind_totals()
    _sites_map(context, sites)
    by_type, listing = _site_tables(context.data_key, context.view.types, context)
    _by_type_and_state(context, by_type, table.loc[MARYLAND_STATE_FIPS])
    _learn(context)
    _site_listing(context, listing)
