"""Download buttons the pages share: the current map as HTML, PNG, SVG or PDF, and the
briefing PDF for the focus jurisdiction. Files are built only when a button is
pressed. Nothing runs at import."""

from __future__ import annotations

from collections.abc import Callable

import folium
import streamlit as st

from geo.render import briefing, maps, static_maps
from geo.schema import SITE_TYPE_LABELS
from pages.screens.frame import PageContext


def view_subtitle(context: PageContext) -> str:
    """What the exported map shows, for its subtitle."""
    view = context.view
    types = ", ".join(SITE_TYPE_LABELS[t] for t in view.types)
    return f"{context.focus_name}. Site types: {types}. Radius {view.radius_label}."


def map_downloads(key: str, interactive: Callable[[], folium.Map],
                  drawer: Callable[[], static_maps.Drawer], title: str,
                  context: PageContext) -> None:
    """Download buttons for the current map: standalone HTML (offline), PNG, SVG, PDF."""
    jurisdictions = context.data.jurisdictions

    def image(fmt: str) -> Callable[[], bytes]:
        return lambda: static_maps.figure_bytes(static_maps.map_figure(
            drawer(), jurisdictions, title, subtitle=view_subtitle(context),
            zoom_fips=context.focus_fips, legend_title="Legend"), fmt)

    with st.expander("Download this map for slides and reports"):
        columns = st.columns(4)
        columns[0].download_button(
            "Interactive map (HTML)", lambda: maps.standalone_html(interactive()).encode(),
            f"{key}.html", "text/html", key=f"{key}_html",
            help="One self-contained file that works offline.")
        for column, fmt in zip(columns[1:], ("png", "svg", "pdf"), strict=True):
            column.download_button(fmt.upper(), image(fmt), f"{key}.{fmt}",
                                   static_maps.FORMATS[fmt], key=f"{key}_{fmt}")


def briefing_download(context: PageContext) -> None:
    """One-click briefing PDF for the focus jurisdiction (or Maryland)."""
    view, scenario = context.view, context.scenario()  # the page's: nearest sites reused
    st.download_button(
        f"Briefing PDF: {context.focus_name}",
        lambda: briefing.scenario_briefing_pdf(scenario, view.focus, unit=view.unit),
        f"naloxone-briefing-{view.focus}.pdf", "application/pdf", key="briefing_pdf",
        icon=":material/picture_as_pdf:",
        help="Two or three pages in the sidebar's unit: map, key figures next to Maryland's "
        "with the rank among the 24, coverage chart, what each figure means, EMS "
        "leave-behind evidence, recommended new locations by place, sources and dates.")
