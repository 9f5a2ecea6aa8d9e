"""One- to two-page PDF briefings for a jurisdiction or the whole state.

Page 1: the map (sites, residents by distance to the nearest site, recommended
new locations) and the key figures next to Maryland's. Page 2: EMS
leave-behind status with its evidence, the recommended locations, unmapped
sites, and every source with its vintage and licence.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.analysis import metrics
from geo.analysis.metrics import AccessData
from geo.analysis.scenario import Scenario
from geo.config import MARYLAND_STATE_FIPS, METRES_PER_MILE
from geo.data.catalog import RAW_SOURCES, STOCK_CAVEAT, source_line
from geo.data.layers import statewide_leave_behind
from geo.render import formatting
from geo.render.static_maps import access_gap_drawer, draw_map, literal_text
from geo.schema import LEAVE_BEHIND_STATUS_LABELS

PAGE_IN = (8.5, 11.0)
DEFAULT_K = 5
#: Every raw source but the ZIP centroid file, which only locates imported rows (the public
#: sites placed at ZIP centroids carry GeoNames in their own sources' licence).
BRIEFING_SOURCES = tuple(s for s in RAW_SOURCES if s.key_column != "zip")


@dataclass(frozen=True)
class BriefingFigures:
    """The numbers a briefing prints (also used by tests to check the PDF), and the
    scenario they come from (its sites and nearest-site distances draw the map)."""

    scenario: Scenario
    fips: str
    name: str
    radius_label: str
    rows: list[tuple[str, str, str]]
    recommended: pd.DataFrame


def resolve_jurisdiction(data: AccessData, text: str) -> str:
    """FIPS of a jurisdiction given by FIPS (``24001``), county code (``001``) or name
    (case-insensitive, e.g. ``baltimore city``); ``24``/``Maryland`` is statewide."""
    wanted = str(text).strip()
    if wanted.lower() in (MARYLAND_STATE_FIPS, "maryland", "md", "statewide"):
        return MARYLAND_STATE_FIPS
    fips = set(data.jurisdictions["fips"])
    if wanted in fips:
        return wanted
    if f"24{wanted}" in fips:
        return f"24{wanted}"
    by_name = {n.lower(): f for f, n in zip(data.jurisdictions["fips"],
                                             data.jurisdictions["name"], strict=True)}
    key = wanted.lower().removesuffix(" county").replace("saint ", "st. ")
    for candidate in (wanted.lower(), key):
        if candidate in by_name:
            return by_name[candidate]
    raise ValueError(f"unknown jurisdiction {text!r}; give a FIPS code such as 24001 or a "
                     "name such as 'Allegany' or 'Baltimore City'")


def briefing_figures(scenario: Scenario, fips: str, *, k: int = DEFAULT_K, unit: str = "mi"
                     ) -> BriefingFigures:
    """The KPI rows (measure, jurisdiction, Maryland) and recommended sites of a briefing,
    distances in ``unit`` (``mi`` or ``km``)."""
    table = scenario.table().set_index("fips")
    label = formatting.radius(scenario.radius_m, unit)
    return BriefingFigures(scenario, fips, str(table.loc[fips, "name"]), label,
                           _kpi_rows(scenario, table, fips, label, unit),
                           scenario.recommend(k, within=fips))


def _kpi_rows(scenario: Scenario, table: pd.DataFrame, fips: str, label: str, unit: str
              ) -> list[tuple[str, str, str]]:
    """(measure, jurisdiction, Maryland) rows from the scenario's jurisdiction table."""
    row, state = table.loc[fips], table.loc[MARYLAND_STATE_FIPS]
    catchment = f"{scenario.catchment_m / METRES_PER_MILE:g}-mile catchment"

    def length(miles: object) -> str:
        return formatting.distance(miles, unit)

    def both(column: str, fmt: Callable[[object], str]) -> tuple[str, str]:
        return fmt(row[column]), fmt(state[column])

    rows = [
        ("Population (2020 census)", *both("population", formatting.count)),
        ("Mapped naloxone sites", *both("sites", formatting.count)),
        ("Sites per 100,000 residents", *both("sites_per_100k", formatting.decimal)),
        (f"Residents within {label}", *both("pct_pop_within_radius", formatting.percent)),
        (f"Residents farther than {label}", *both("uncovered_population", formatting.count)),
        ("Mean distance to nearest site", *both("mean_distance_miles", length)),
        ("90% of residents live within", *both("p90_distance_miles", length)),
        (f"2SFCA access (per 100,000, {catchment})",
         *both("access_2sfca_per_100k", formatting.decimal)),
        ("Drug-induced deaths 2022-2023", *both("deaths_2022_2023", formatting.count)),
        ("Drug-induced death rate per 100,000/yr",
         *both("death_rate_per_100k", formatting.decimal)),
    ]
    if fips != MARYLAND_STATE_FIPS:
        rank, ranked = row["gap_rank"], int(table["gap_rank"].notna().sum())
        rows.append(("Access-gap rank (1 = largest gap)",
                     formatting.MISSING if pd.isna(rank) else f"{int(rank)} of {ranked}", ""))
        rows.extend(_rank_range_rows(row))
    return rows


def _rank_range_rows(row: pd.Series) -> list[tuple[str, str, str]]:
    """The plausible rank range and the rate's interval and source (issue 16)."""
    if pd.isna(row.get("gap_rank_low")):
        return []
    return [("Plausible rank range (2,000 Poisson resamples)",
             f"{int(row['gap_rank_low'])}–{int(row['gap_rank_high'])}", ""),
            ("Death rate 95% interval (per 100,000)",
             f"{row['death_rate_lcl95']:.1f}–{row['death_rate_ucl95']:.1f}", ""),
            ("Death rate source", str(row["rate_source"]), "")]


def local_update_count(data: AccessData) -> int:
    """Sites and leave-behind records in ``data`` that come from local updates."""
    return sum(int((frame["origin"] != "public").sum())
               for frame in (data.sites, data.leave_behind) if "origin" in frame)


def _write_lines(figure: Figure, y: float, text: str, *, size: float = 9.0, width: int = 105,
                 weight: str = "normal", indent: float = 0.07) -> float:
    for line in textwrap.wrap(text, width) or [""]:
        figure.text(indent, y, line, fontsize=size, fontweight=weight, ha="left", va="top")
        y -= size / 72 / PAGE_IN[1] * 1.45
    return y


def _map_page(figures: BriefingFigures, generated: str) -> Figure:
    scenario, data = figures.scenario, figures.scenario.data
    zoom = None if figures.fips == MARYLAND_STATE_FIPS else figures.fips
    figure = Figure(figsize=PAGE_IN)
    figure.text(0.07, 0.965, f"Naloxone access briefing: {figures.name}", fontsize=16,
                fontweight="bold", va="top")
    local = local_update_count(data)
    origin = (f"public data and {local} local update" + ("s" if local > 1 else "")
              if local else "public data")
    figure.text(0.07, 0.935, f"Generated {generated} from {origin} (as-of dates on page 2). "
                f"Radius {figures.radius_label}, straight-line.", fontsize=8.5, va="top")
    ax = figure.add_axes((0.04, 0.47, 0.58, 0.45))
    draw_map(ax, access_gap_drawer(data.jurisdictions, scenario.nearest, scenario.selected,
                                   scenario.radius_m, figures.radius_label,
                                   recommended=figures.recommended, focus_fips=zoom),
             data.jurisdictions, zoom, legend_title="Legend", legend_outside=True)
    table_ax = figure.add_axes((0.07, 0.08, 0.86, 0.36))
    table_ax.set_axis_off()
    header = ["Measure", figures.name, "Maryland"] if figures.fips != MARYLAND_STATE_FIPS \
        else ["Measure", "Maryland", ""]
    cells = [[m, a, b] for m, a, b in figures.rows]
    table = table_ax.table(cellText=cells, colLabels=header, loc="upper center",
                           cellLoc="left", colWidths=[0.55, 0.23, 0.22])
    table.auto_set_font_size(False)
    table.set_fontsize(8.5)
    table.scale(1, 1.35)
    figure.text(0.07, 0.05, STOCK_CAVEAT, fontsize=8, style="italic")
    figure.text(0.07, 0.03, "Deaths: CDC WONDER drug-induced (residence); counts under 10 "
                "suppressed and shown as '—'.", fontsize=7)
    return figure


def _leave_behind_section(figure: Figure, y: float, figures: BriefingFigures) -> float:
    """EMS leave-behind: the jurisdiction's status and evidence, or the statewide counts."""
    data = figures.scenario.data
    y = _write_lines(figure, y - 0.01, "EMS naloxone leave-behind", size=11, weight="bold")
    totals = statewide_leave_behind()
    if figures.fips != MARYLAND_STATE_FIPS:
        record = data.leave_behind.set_index("fips").loc[figures.fips]
        y = _write_lines(figure, y, "Status: " + LEAVE_BEHIND_STATUS_LABELS[record["status"]]
                         + ("" if pd.isna(record["earliest_date"]) else
                            f" (earliest evidence {record['earliest_date']})"))
        if pd.notna(record["evidence"]):
            y = _write_lines(figure, y, "Evidence: " + str(record["evidence"]), size=8.5)
            if pd.notna(record["source_url"]) and str(record["source_url"]).strip():
                y = _write_lines(figure, y, "Source: " + str(record["source_url"]),
                                 size=7.5, width=120)
        if record["status"] == "no public evidence found":
            y = _write_lines(figure, y, "No public evidence was found; this is not evidence "
                             "that the jurisdiction has no program.", size=8.5)
    else:
        counts = data.leave_behind["status"].value_counts()
        y = _write_lines(figure, y, f"Documented in {counts.get('documented', 0)} "
                         f"jurisdictions, announced in {counts.get('announced', 0)}; no public "
                         f"evidence found for {counts.get('no public evidence found', 0)} "
                         "(unknown, not 'no program').")
    return _write_lines(figure, y, f"Statewide 2018-2021 (MDH): {totals.jurisdictions} "
                        f"jurisdictions, {formatting.count(totals.doses)} doses, about "
                        f"{formatting.count(totals.people)} people.", size=8.5)


def _recommended_section(figure: Figure, y: float, figures: BriefingFigures) -> float:
    """The recommended new locations, then the jurisdiction's unmapped sites."""
    y = _write_lines(figure, y - 0.015, "Recommended new locations (planning aid)", size=11,
                     weight="bold")
    y = _write_lines(figure, y, "Keeping current sites, the tract centres of population that "
                     f"would bring the most residents newly within {figures.radius_label} of a "
                     "site (greedy maximal covering). Hypothetical, not real sites.", size=8.5)
    if figures.recommended.empty:
        y = _write_lines(figure, y, "Every resident is already within the radius of a site.")
    for _, rec in figures.recommended.iterrows():
        gain = formatting.count(rec["newly_covered_population"])
        total = formatting.count(rec["cumulative_covered_population"])
        y = _write_lines(figure, y, f"#{rec['rank']}  tract {rec['candidate_id']} "
                         f"({rec['lat']:.4f}, {rec['lon']:.4f}), {rec['name']}: "
                         f"+{gain} residents (running total {total})", size=8.5)
    sites = figures.scenario.data.sites
    if figures.fips != MARYLAND_STATE_FIPS:
        sites = sites[sites["jurisdiction_fips"] == figures.fips]
    unmapped = sites[sites["lat"].isna()]
    if len(unmapped):
        y = _write_lines(figure, y - 0.01, f"Unmapped sites ({len(unmapped)}, no reliable "
                         "coordinates, not in distances): " + "; ".join(unmapped["name"]),
                         size=8)
    return y


def _detail_page(figures: BriefingFigures) -> Figure:
    figure = Figure(figsize=PAGE_IN)
    y = _write_lines(figure, 0.96, f"{figures.name}: leave-behind, recommendations, sources",
                     size=13, weight="bold")
    y = _leave_behind_section(figure, y, figures)
    y = _recommended_section(figure, y, figures)
    y = _write_lines(figure, y - 0.015, "Sources and dates", size=11, weight="bold")
    for source in BRIEFING_SOURCES:
        y = _write_lines(figure, y, f"- {source.title}: {source.source}. Vintage "
                         f"{source.vintage}. Licence: {source.licence}.", size=7.3, width=125)
    _write_lines(figure, max(y - 0.01, 0.06), source_line(), size=7, width=130)
    return figure


def briefing_pdf(data: AccessData, jurisdiction: str, *, radius_miles: float = 5.0,
                 types: tuple[str, ...] | None = None, k: int = DEFAULT_K,
                 generated: str | None = None, radius_m: float | None = None,
                 unit: str = "mi") -> bytes:
    """A two-page briefing PDF for a jurisdiction (FIPS or name) or ``24`` for Maryland;
    the radius ``radius_m`` (else ``radius_miles``), distances printed in ``unit``."""
    scenario = Scenario.from_data(data, types=types, radius_m=radius_m or
                                  metrics.radius_m_from(miles=radius_miles))
    return scenario_briefing_pdf(scenario, jurisdiction, k=k, generated=generated, unit=unit)


def scenario_briefing_pdf(scenario: Scenario, jurisdiction: str, *, k: int = DEFAULT_K,
                          generated: str | None = None, unit: str = "mi") -> bytes:
    """The briefing PDF of ``scenario`` (its sites, radius and catchment as they are) for a
    jurisdiction or ``24``. Briefings of one scenario share its table and nearest-site
    distances: build it once for many briefings."""
    fips = resolve_jurisdiction(scenario.data, jurisdiction)
    figures = briefing_figures(scenario, fips, k=k, unit=unit)
    generated = generated or dt.date.today().isoformat()
    buffer = io.BytesIO()
    with literal_text():  # names and evidence may hold "$" or "\\": never mathtext
        pages = [_map_page(figures, generated), _detail_page(figures)]
        with PdfPages(buffer, metadata={
                "Title": f"Naloxone access briefing: {figures.name}",
                "Subject": "Maryland naloxone access"}) as pdf:
            for page in pages:
                pdf.savefig(page)
    return buffer.getvalue()
