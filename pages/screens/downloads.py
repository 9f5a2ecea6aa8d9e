"""Download buttons the pages share: the current map as HTML, PNG, SVG or PDF, and the
briefing PDF for the focus jurisdiction. Files are built only when a button is
pressed. Nothing runs at import."""

from __future__ import annotations

import streamlit as st

from geo.render import briefing, map_exports, static_maps
from pages.screens.common import tiles
from pages.screens.frame import PageContext


def map_downloads(export: map_exports.MapExport) -> None:
    """Download buttons for the current map: standalone HTML (offline), PNG, SVG, PDF:
    the same files as ``python -m geo map``."""
    key = export.stem
    with st.expander("Download this map for slides and reports"):
        columns = st.columns(4)
        columns[0].download_button(
            "Interactive map (HTML)", lambda: export.html(tiles()), f"{key}.html",
            "text/html", key=f"{key}_html", help="One self-contained file that works offline.")
        for column, fmt in zip(columns[1:], ("png", "svg", "pdf"), strict=True):
            column.download_button(fmt.upper(), lambda fmt=fmt: export.image(fmt),
                                   f"{key}.{fmt}", static_maps.FORMATS[fmt],
                                   key=f"{key}_{fmt}")


def briefing_download(context: PageContext) -> None:
    """One-click briefing PDF for the focus jurisdiction (or Maryland)."""
    view, scenario = context.view, context.scenario()  # the page's: nearest sites reused
    st.download_button(
        f"Briefing PDF: {context.focus_name}",
        lambda: briefing.scenario_briefing_pdf(scenario, view.focus, unit=view.unit),
        f"naloxone-briefing-{view.focus}.pdf", "application/pdf", key="briefing_pdf",
        icon=":material/picture_as_pdf:",
        help="Two pages: map, key figures next to Maryland's, EMS leave-behind evidence, "
        "recommended new locations, sources and dates.")
