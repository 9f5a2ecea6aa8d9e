"""Data & methods: sources, vintages, licences, caveats, formulas and downloads."""

from __future__ import annotations

import streamlit as st

from geo.analysis.tables import EXPORTABLE_LAYERS, export_frame
from geo.data.catalog import DISTANCE_METHOD, OSM_ATTRIBUTION, STOCK_CAVEAT
from geo.render.exports import csv_bytes, geojson_bytes
from pages.screens.common import manifest_files
from pages.screens.frame import PageContext, run_page

METHODS = f"""
**Distances.** {DISTANCE_METHOD} Every resident of a census tract is placed at the tract's
2020 centre of population, so distances are approximate for large rural tracts.

**Coverage.** A resident is *covered* when the straight-line distance from their tract centre
to the nearest mapped site is at most the radius *r*. Share covered = covered residents /
residents. Mean distance and 90th-percentile distance are population-weighted: the 90th
percentile is the smallest distance within which at least 90% of residents live.

**Sites per 100,000** = mapped sites / 2020 census population × 100,000.

**Two-step floating catchment area (2SFCA).** Each site *j* gets a ratio
R_j = 1 / (residents within the catchment of *j*); each tract gets A_i = Σ R_j over sites within
its catchment (10 miles by default), reported per 100,000 residents and averaged over residents
per jurisdiction. Stock is unknown, so each site counts once. Results are checked against PySAL
`access`.

**Deaths.** CDC WONDER drug-induced deaths (residence-based) 2022 + 2023; annual rate =
deaths / (population 2022 + population 2023) × 100,000. Counts under 10 are suppressed by CDC
and stay missing (never zero); rates from fewer than 20 deaths are unreliable. The Maryland
rate uses the jurisdictions with unsuppressed counts.

**Access gap** = residents beyond *r* × death rate / 100,000: the deaths a year expected among
people far from any site if the jurisdiction's rate applied to them.

**Recommended sites.** Keeping current sites, the greedy maximal-covering method adds, one at a
time, the tract centre that brings the most residents newly within *r*; checked against an
exact integer program (PuLP/CBC).

**Sites.** {STOCK_CAVEAT} Sites without reliable coordinates are listed as unmapped and never
placed by guess; a ZIP centroid that falls outside the site's stated jurisdiction is not used.
Pharmacy data {OSM_ATTRIBUTION}, ODbL 1.0.
"""


def render(context: PageContext) -> None:
    view = context.view
    st.title("Data & methods")
    st.subheader("Sources")
    files = manifest_files()
    raw = files[files["kind"] == "raw"]
    st.dataframe(raw[["title", "source", "vintage", "licence", "rows", "caveats", "url",
                      "path"]], hide_index=True, width="stretch", column_config={
        "title": "Data", "source": "Source", "vintage": "Vintage", "licence": "Licence",
        "rows": st.column_config.NumberColumn("Rows", format="localized"),
        "caveats": st.column_config.TextColumn("Caveats", width="large"),
        "url": st.column_config.LinkColumn("Link"), "path": "File"})
    st.caption("Full provenance: data/raw/PROVENANCE.md in the repository. "
               f"{OSM_ATTRIBUTION}.")
    st.subheader("Methods")
    st.markdown(METHODS)

    st.subheader("Downloads")
    st.caption("CSV: UTF-8 with BOM (opens correctly in Excel), spreadsheet formulas "
               "neutralised. GeoJSON: EPSG:4326.")
    metrics_table = context.scenario().table()
    st.download_button(f"Jurisdiction metrics for this view ({view.radius_label}) — CSV",
                       csv_bytes(metrics_table), "md_naloxone_metrics.csv", "text/csv",
                       key="download_metrics")
    for layer in EXPORTABLE_LAYERS:
        csv_column, geojson_column = st.columns(2)
        csv_column.download_button(f"{layer} — CSV", _layer_csv(layer), f"md_{layer}.csv",
                                   "text/csv", key=f"download_{layer}_csv")
        geojson_column.download_button(f"{layer} — GeoJSON", _layer_geojson(layer),
                                       f"md_{layer}.geojson", "application/geo+json",
                                       key=f"download_{layer}_geojson")


@st.cache_data(show_spinner=False)
def _layer_csv(layer: str) -> bytes:
    return csv_bytes(export_frame(layer, with_geometry=False))


@st.cache_data(show_spinner=False)
def _layer_geojson(layer: str) -> bytes:
    return geojson_bytes(export_frame(layer, with_geometry=True))


run_page(render)
