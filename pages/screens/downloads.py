"""Download buttons the pages share: the current map as HTML, PNG, SVG or PDF, and the
briefing PDF for the focus jurisdiction. Files are built only when a button is
pressed, and matplotlib is loaded only then. Nothing runs at import."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import folium
import streamlit as st

from geo.analysis.scenario import Scenario
from geo.render import maps
from geo.schema import SITE_TYPE_LABELS
from pages.screens.frame import PageContext

#: The formats of a static map and their MIME types (``geo.render.static_maps.FORMATS``).
IMAGE_FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def static_maps() -> ModuleType:
    """:mod:`geo.render.static_maps`, imported on first use (it loads matplotlib, which
    would add about half a second to the dashboard's start)."""
    from geo.render import static_maps as module

    return module


def view_subtitle(context: PageContext) -> str:
    """What the exported map shows, for its subtitle."""
    view = context.view
    types = ", ".join(SITE_TYPE_LABELS[t] for t in view.types)
    return f"{context.focus_name}. Site types: {types}. Radius {view.radius_label}."


def map_downloads(key: str, interactive: Callable[[], folium.Map],
                  drawer: Callable[[], object], title: str,
                  context: PageContext) -> None:
    """Download buttons for the current map: standalone HTML (offline), PNG, SVG, PDF
    (``drawer`` makes a ``geo.render.static_maps.Drawer``)."""
    jurisdictions = context.data.jurisdictions

    def image(fmt: str) -> Callable[[], bytes]:
        def build() -> bytes:
            drawing = static_maps()
            return drawing.figure_bytes(drawing.map_figure(
                drawer(), jurisdictions, title, subtitle=view_subtitle(context),
                zoom_fips=context.focus_fips, legend_title="Legend"), fmt)

        return build

    with st.expander("Download this map for slides and reports"):
        columns = st.columns(4)
        columns[0].download_button(
            "Interactive map (HTML)", lambda: maps.standalone_html(interactive()).encode(),
            f"{key}.html", "text/html", key=f"{key}_html",
            help="One self-contained file that works offline.")
        for column, fmt in zip(columns[1:], ("png", "svg", "pdf"), strict=True):
            column.download_button(fmt.upper(), image(fmt), f"{key}.{fmt}",
                                   IMAGE_FORMATS[fmt], key=f"{key}_{fmt}")


def briefing_download(context: PageContext) -> None:
    """One-click briefing PDF for the focus jurisdiction (or Maryland)."""
    view, scenario = context.view, context.scenario()  # the page's: nearest sites reused
    st.download_button(
        f"Briefing PDF: {context.focus_name}",
        lambda: _briefing_pdf(scenario, view.focus, view.unit),
        f"naloxone-briefing-{view.focus}.pdf", "application/pdf", key="briefing_pdf",
        icon=":material/picture_as_pdf:",
        help="Two pages: map, key figures next to Maryland's, EMS leave-behind evidence, "
        "recommended new locations, sources and dates.")


def _briefing_pdf(scenario: Scenario, focus: str, unit: str) -> bytes:
    from geo.render import briefing  # matplotlib: loaded when a briefing is asked for

    return briefing.scenario_briefing_pdf(scenario, focus, unit=unit)
