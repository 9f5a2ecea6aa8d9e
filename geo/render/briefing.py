"""Briefing PDFs a county council can read, for a jurisdiction or the whole state.

A jurisdiction's briefing (2-3 letter pages): its full name as the title; a map of its
sites, residents by distance to the nearest site and recommended new locations; the key
figures with units beside Maryland's and its rank among the 24 jurisdictions (which way
is better stated); a chart placing it among all 24 on coverage; one plain sentence per
measure; emergency medical services (EMS) leave-behind evidence with source and as-of
date; recommended locations named by place; unmapped sites; sources as a reader cites
them (publisher, dataset, vintage, licence). The statewide briefing has, in place of
the key figures and the chart, a landscape table of all 24 jurisdictions and the state
(units in the headers). Every page says that a listed site is not
confirmed stock and when the briefing was generated. Distances are straight lines,
shown in the chosen unit (``mi`` or ``km``).
"""

from __future__ import annotations

import datetime as dt
import io

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.analysis import metrics
from geo.analysis.metrics import AccessData
from geo.analysis.scenario import Scenario
from geo.data.catalog import STOCK_CAVEAT
from geo.render.briefing_data import (
    DEFAULT_K,
    BriefingFigures,
    briefing_figures,
    full_names,
    local_update_count,
    resolve_jurisdiction,
)
from geo.render.briefing_layout import LEFT, Flow, line_height
from geo.render.briefing_measures import (
    coverage_section,
    trend_section,
    walking_section,
)
from geo.render.briefing_sections import (
    completeness_section,
    first_page,
    leave_behind_section,
    meaning_section,
    recommended_section,
    sources_section,
    unmapped_section,
)
from geo.render.briefing_statewide import statewide_table
from geo.render.static_maps import literal_text

__all__ = [
    "DEFAULT_K",
    "BriefingFigures",
    "briefing_figures",
    "briefing_pages",
    "briefing_pdf",
    "full_names",
    "local_update_count",
    "resolve_jurisdiction",
    "scenario_briefing_pdf",
]


def _footers(pages: list[Figure], figures: BriefingFigures, generated: str) -> None:
    for number, page in enumerate(pages, start=1):
        page.text(
            LEFT * 8.5 / page.get_figwidth(),
            0.035,
            STOCK_CAVEAT,
            fontsize=7.5,
            style="italic",
            va="top",
        )
        page.text(
            LEFT * 8.5 / page.get_figwidth(),
            0.035 - line_height(page, 7.5),
            f"{figures.full_name}: naloxone access briefing, generated {generated}. "
            f"Page {number} of {len(pages)}.",
            fontsize=7.5,
            va="top",
        )


def briefing_pages(figures: BriefingFigures, generated: str) -> list[Figure]:
    """The briefing's pages, footers included. Statewide, the table of all 24
    jurisdictions (a landscape page) takes the place of the key figures and the chart."""
    flow = Flow()
    first_page(flow, figures, generated)
    if not figures.statewide:
        flow.new_page()
        coverage_section(flow, figures)
        walking_section(flow, figures)
        trend_section(flow, figures)
        meaning_section(flow, figures)
    completeness_section(flow, figures)
    leave_behind_section(flow, figures)
    recommended_section(flow, figures)
    if figures.statewide:
        statewide_table(flow, figures)
        trend_section(flow, figures)
    unmapped_section(flow, figures)
    if figures.statewide:
        meaning_section(flow, figures)
    sources_section(flow, figures)
    _footers(flow.pages, figures, generated)
    return flow.pages


def briefing_pdf(
    data: AccessData,
    jurisdiction: str,
    *,
    radius_miles: float = 5.0,
    types: tuple[str, ...] | None = None,
    k: int = DEFAULT_K,
    generated: str | None = None,
    radius_m: float | None = None,
    unit: str = "mi",
) -> bytes:
    """A briefing PDF for a jurisdiction (FIPS or name) or ``24`` for Maryland; the radius
    ``radius_m`` (else ``radius_miles``), distances printed in ``unit``."""
    scenario = Scenario.from_data(
        data, types=types, radius_m=radius_m or metrics.radius_m_from(miles=radius_miles)
    )
    return scenario_briefing_pdf(scenario, jurisdiction, k=k, generated=generated, unit=unit)


def scenario_briefing_pdf(
    scenario: Scenario,
    jurisdiction: str,
    *,
    k: int = DEFAULT_K,
    generated: str | None = None,
    unit: str = "mi",
    candidates: str | None = None,
) -> bytes:
    """The briefing PDF of ``scenario`` (its sites, radius and catchment as they are) for a
    jurisdiction or ``24``. Briefings of one scenario share its table and nearest-site
    distances: build it once for many briefings."""
    fips = resolve_jurisdiction(scenario.data, jurisdiction)
    figures = briefing_figures(scenario, fips, k=k, unit=unit, candidates=candidates)
    generated = generated or dt.date.today().isoformat()
    buffer = io.BytesIO()
    with literal_text():  # names and evidence may hold "$" or "\\": never mathtext
        pages = briefing_pages(figures, generated)
        with PdfPages(
            buffer,
            metadata={
                "Title": f"Naloxone access briefing: {figures.full_name}",
                "Subject": "Maryland naloxone access",
            },
        ) as pdf:
            for page in pages:
                pdf.savefig(page)
    return buffer.getvalue()
