"""Data & methods: sources, vintages, licences, caveats, formulas and downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis.completeness import LIST_GAP_SLACK_M, LIST_GAP_SPEED_KMH, method_text
from geo.analysis.tables import EXPORTABLE_LAYERS, distances_in, export_frame
from geo.config import MARYLAND_STATE_FIPS
from geo.data.catalog import DISTANCE_METHOD, LAYERS, OSM_ATTRIBUTION, STOCK_CAVEAT
from geo.network.installed import travel_methods_markdown
from geo.render import formatting
from geo.render.columns import KINDS, catchment_text
from geo.render.exports import geojson_bytes
from shell.common import manifest_files, show_table
from shell.downloads import table_downloads
from shell.frame import PageContext

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
its catchment (<catchment> by default), reported per 100,000 residents and averaged over residents
per jurisdiction. Stock is unknown, so each site counts once. Results are checked against PySAL
`access`.

**Deaths and rates.** CDC WONDER drug-induced deaths (residence-based) 2022 and 2023. Every
jurisdiction gets a rate and the table says which (`rate_source`):
- *both years published*: pooled annual rate = (deaths 2022 + deaths 2023) / (population
  2022 + population 2023) × 100,000, with the exact Poisson (Garwood) 95% interval
  [χ²(0.025; 2d)/2, χ²(0.975; 2d+2)/2] / person-years × 100,000 (scipy.stats.chi2);
- *one year suppressed* (Garrett 2022): the published year alone, with CDC WONDER's own 95%
  interval for it, labelled "2023 only (2022 suppressed)";
- *both years suppressed* (Kent): the Maryland rate (the same definition and years: pooled
  over the jurisdictions with both years published), labelled "Maryland rate". Its interval
  is the range suppression allows (0 to 9 deaths a year, about 0-47 per 100,000), a bound
  rather than a confidence interval.

Why the Maryland rate for Kent: it keeps one definition (drug-induced, residence-based) and one
period (2022-2023) across the ranking, so expected deaths stay comparable between jurisdictions,
and it lies inside what Kent's suppressed counts allow. The alternative, the OEPS county
overdose mortality rate (HepVu county opioid indicators, 2020), is a different definition and
year, so mixing it into the ranking would compare unlike rates; ranking Kent on residents alone
would put it on a different scale. Kent's expected deaths are therefore an assumption near the
top of its plausible range: its rank range, not its single rank, is the honest reading. Counts
under 10 stay missing in the deaths column (never zero); rates from fewer than 20 deaths are
unreliable.

**Access gap measures** (choose one on the Access gaps page; the link keeps the choice):
- *expected deaths among residents beyond reach* (default) = residents beyond *r* × death rate
  / 100,000: the deaths a year expected among people far from any site if the jurisdiction's
  rate applied to them;
- *residents beyond reach* = residents whose nearest site is farther than *r*;
- *residents beyond reach weighted by social vulnerability* = residents beyond *r* × SVI 2022
  overall (CDC/ATSDR, county average of tract percentile ranks, computed by OEPS; 0 least,
  1 most vulnerable).

**Rank ranges.** The death counts are resampled 2,000 times (fixed seed 2022): a Poisson count
around each published count over its person-years, and for Kent a rate drawn uniformly from
its suppression bound. Each draw re-ranks all 24 jurisdictions; the plausible rank range is the
2.5th to 97.5th percentile of a jurisdiction's rank (widened to include its rank). Coverage is
held fixed, so the residents and SVI measures have no sampled uncertainty (range = rank). Ties
share the better rank.

**Context layers.** SVI 2022 (overall and its four themes) and opioid prescriptions dispensed
per 100 persons (2022), both as compiled by OEPS (healthyregions/oeps); shown on the Compare
table and as a map; unknown values are grey.

**Recommended sites.** Keeping current sites, the greedy maximal-covering method adds, one at a
time, the tract centre that brings the most residents newly within *r*; checked against an
exact integer program (PuLP/CBC).

**Sites.** {STOCK_CAVEAT} Sites without reliable coordinates are listed as unmapped and never
placed by guess; a ZIP centroid that falls outside the site's stated jurisdiction is not used.
Pharmacy data {OSM_ATTRIBUTION}, ODbL 1.0.

**Approximate locations count.** Sites known only by their ZIP code (most independent
pharmacies from CMS NPPES, six health departments, some harm-reduction sites) are placed at the
ZIP's centre and **counted** in coverage, distances, the gap ranking and recommendations: leaving
them out would pretend the pharmacy does not exist, which is the larger error. They are drawn as
hollow rings ("location approximate: ZIP centre") on every map, and the finder gives their
distance as "about" (to the ZIP centre, in whole units), never "0.0".

**Closed listings.** A site known to be closed stays listed with its status, closure date and
cited source, and is left out of every map, count, distance, coverage figure, recommendation and
the finder. Every Rite Aid store in Maryland closed in 2025 (the company's notice reported
2025-10-04; The Baltimore Banner): the 61 Rite Aid pharmacies of the 2023 OpenStreetMap extract
are closed (table below).

**Completeness of the pharmacy list.** <completeness> Per jurisdiction: the flagged
tracts and their residents, and whether most residents beyond reach live in them (then the
jurisdiction's gap is partly a gap in our list). Recomputed whenever the site list changes
(local updates included). Constants: {LIST_GAP_SPEED_KMH:g} km/h, {LIST_GAP_SLACK_M:g} m
(geo/analysis/completeness.py).

**Evidence age.** Every listing shows when its evidence dates from: "listed in 2023, not
re-confirmed" for the OpenStreetMap pharmacies of January 2023 that no later source confirms; a
pharmacy also found in CMS NPPES (Feb 2026) carries that newer date.
"""


def render(context: PageContext) -> None:
    view = context.view
    st.title("Data & methods")
    st.subheader("Sources")
    files = manifest_files()
    raw = files[files["kind"] == "raw"]
    show_table(
        raw[["title", "source", "vintage", "licence", "rows", "caveats", "url", "path"]],
        column_config={
            "title": "Data",
            "source": "Source",
            "vintage": "Vintage",
            "licence": "Licence",
            "rows": st.column_config.NumberColumn("Rows", format="localized"),
            "caveats": st.column_config.TextColumn("Caveats", width="large"),
            "url": st.column_config.LinkColumn("Link"),
            "path": "File",
        },
    )
    st.caption(f"Full provenance: data/raw/PROVENANCE.md in the repository. {OSM_ATTRIBUTION}.")
    st.subheader("Methods")
    st.markdown(
        METHODS.replace("<catchment>", catchment_text(view.unit)).replace(
            "<completeness>", method_text()
        )
    )
    st.markdown(travel_methods_markdown())

    _corrections(context)

    _downloads(context)


def _downloads(context: PageContext) -> None:
    """The metrics of this view, the completeness table and every bundled layer."""
    view = context.view
    st.subheader("Downloads")
    st.caption(
        "CSV: UTF-8 with BOM (opens correctly in Excel), spreadsheet formulas "
        "neutralised. GeoJSON: EPSG:4326."
    )
    st.markdown(
        f"**Jurisdiction metrics for this view** ({view.radius_label}; distances "
        f"in {'km' if view.unit == 'km' else 'miles'}): CSV and Excel with headers "
        "and units for people, and a data dictionary of every column."
    )
    table_downloads(
        distances_in(context.scenario().table(), view.unit),
        "md_naloxone_metrics",
        context,
        label="Jurisdiction metrics",
        key="download_metrics",
    )
    if context.data.list_gaps is not None:
        st.markdown(
            "**Completeness per tract** (our pharmacy list against OEPS 2025 drive times; "
            "`list_gap` = our list likely misses a pharmacy there):"
        )
        table_downloads(
            distances_in(context.data.list_gaps, view.unit),
            "md_pharmacy_list_completeness_by_tract",
            context,
            label="Completeness by tract",
            key="download_list_gaps",
        )
    st.markdown(
        "**The bundled layers** (public data; each with its data dictionary; "
        "GeoJSON for maps, in EPSG:4326):"
    )
    for layer in EXPORTABLE_LAYERS:
        st.markdown(f"*{LAYERS[layer].title}*")
        table_downloads(
            distances_in(_layer_frame(layer), view.unit),
            f"md_{layer}",
            context,
            label=layer,
            kind=layer if layer in KINDS else "",
            key=f"download_{layer}_csv",
        )
        st.download_button(
            f"{layer} (GeoJSON)",
            _layer_geojson(layer),
            f"md_{layer}.geojson",
            "application/geo+json",
            key=f"download_{layer}_geojson",
        )


def _corrections(context: PageContext) -> None:
    """What was corrected: closed listings, approximate locations, list completeness."""
    sites = context.data.sites
    st.subheader("Corrections, closed listings and completeness")
    closed = sites[sites["closed"]]
    approximate = sites[~sites["closed"] & sites["location_precision"].eq("zip_centroid")]
    row = context.scenario().table().set_index("fips").loc[MARYLAND_STATE_FIPS]
    lines = [
        f"- **{formatting.count(len(closed))} listings are closed** (kept listed, left out of "
        "every figure); they are listed below with status, date and source.",
        f"- **{formatting.count(len(approximate))} open sites have an approximate location** "
        "(ZIP centre): counted, drawn as hollow rings.",
    ]
    if "list_gap_tracts" in row and not pd.isna(row["list_gap_tracts"]):
        lines.append(
            f"- **Our pharmacy list is likely incomplete in "
            f"{formatting.count(row['list_gap_tracts'])} tracts where "
            f"{formatting.count(row['list_gap_population'])} people live** (statewide, with "
            "the list as it stands now; 85 tracts and 426,011 people before the corrections "
            "of December 2026)."
        )
    st.markdown("\n".join(lines))
    with st.expander(f"Closed listings ({len(closed)})"):
        shown = closed[
            ["name", "jurisdiction_fips", "status", "closed_date", "closed_source", "source"]
        ]
        show_table(
            shown,
            column_config={
                "name": "Site",
                "jurisdiction_fips": "Jurisdiction FIPS",
                "status": "Status",
                "closed_date": "Closed on",
                "closed_source": st.column_config.TextColumn("Closure source", width="large"),
                "source": "Listed by",
            },
        )
        table_downloads(
            shown, "md_closed_sites", context, kind="sites", key="download_closed_sites"
        )


@st.cache_data(show_spinner=False)
def _layer_frame(layer: str) -> pd.DataFrame:
    return export_frame(layer, with_geometry=False)


@st.cache_data(show_spinner=False)
def _layer_geojson(layer: str) -> bytes:
    return geojson_bytes(export_frame(layer, with_geometry=True))
