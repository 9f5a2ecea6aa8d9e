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
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.analysis import learn, metrics, trends
from geo.analysis.completeness import with_list_gap
from geo.analysis.metrics import AccessData
from geo.analysis.place_names import check_unit, far_text, name_recommendations
from geo.analysis.ranking import GAP_MEASURES, death_count_range
from geo.analysis.scenario import Scenario
from geo.config import MARYLAND_STATE_FIPS
from geo.data.catalog import OSM_ATTRIBUTION, PLACE_NAMES_ATTRIBUTION, STOCK_CAVEAT
from geo.data.layers import load_cited_facts, statewide_leave_behind
from geo.errors import InputError
from geo.render import briefing_text as words
from geo.render import formatting
from geo.render.briefing_layout import (
    LANDSCAPE,
    LEFT,
    RIGHT,
    Column,
    Flow,
    coverage_chart,
    draw_table,
    line_height,
    table_height,
)
from geo.render.static_maps import access_gap_drawer, draw_map, literal_text

DEFAULT_K = 5
#: The unmapped sites a briefing names before "and N more".
MAX_UNMAPPED_NAMED = 40
MAP_CREDIT = (
    "Map: boundaries and tract centres U.S. Census Bureau 2020; pharmacies "
    f"{OSM_ATTRIBUTION} (Open Database Licence); other sites from public lists and "
    "pages (sources on the last page). Stars are hypothetical locations."
)


@dataclass(frozen=True)
class BriefingFigures:
    """The numbers a briefing prints (also used by tests to check the PDF), and the
    scenario they come from (its sites and nearest-site distances draw the map).
    ``rows`` are (measure, jurisdiction, Maryland, rank among the 24, better when)."""

    scenario: Scenario
    fips: str
    name: str
    full_name: str
    unit: str
    radius_label: str
    catchment_label: str
    rows: list[tuple[str, str, str, str, str]]
    recommended: pd.DataFrame
    named: pd.DataFrame

    @property
    def statewide(self) -> bool:
        return self.fips == MARYLAND_STATE_FIPS


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
    by_name = {
        n.lower(): f
        for f, n in zip(data.jurisdictions["fips"], data.jurisdictions["name"], strict=True)
    }
    by_name.update(
        {
            n.lower(): f
            for f, n in zip(
                data.jurisdictions["fips"], data.jurisdictions["full_name"], strict=True
            )
        }
    )
    key = wanted.lower().removesuffix(" county").replace("saint ", "st. ")
    for candidate in (wanted.lower(), key):
        if candidate in by_name:
            return by_name[candidate]
    raise InputError(
        f"unknown jurisdiction {text!r}; give a FIPS code such as 24001 or a "
        "name such as 'Allegany' or 'Baltimore City'"
    )


def full_names(data: AccessData) -> dict[str, str]:
    """``full_name`` of every jurisdiction by FIPS, and ``Maryland`` for ``24``."""
    names = dict(zip(data.jurisdictions["fips"], data.jurisdictions["full_name"], strict=True))
    names[MARYLAND_STATE_FIPS] = "Maryland"
    return names


def briefing_figures(
    scenario: Scenario,
    fips: str,
    *,
    k: int = DEFAULT_K,
    unit: str = "mi",
    candidates: str | None = None,
) -> BriefingFigures:
    """The key-figure rows and recommended sites (named by place) of a briefing,
    distances in ``unit`` (``mi`` or ``km``). Recommendations follow the one rule of
    :meth:`Scenario.recommend`: the scenario's gap measure, inside ``fips`` (statewide for
    ``24``), among ``candidates`` (tract centres by default)."""
    check_unit(unit)
    table = scenario.table().set_index("fips")
    radius = formatting.radius(scenario.radius_m, unit)
    catchment = formatting.radius(
        round(scenario.catchment_m, -2) if unit == "km" else scenario.catchment_m, unit
    )  # 16.1 km, not 16.093
    recommended = scenario.recommend(k, within=fips, candidates=candidates)
    return BriefingFigures(
        scenario,
        fips,
        str(table.loc[fips, "name"]),
        full_names(scenario.data)[fips],
        unit,
        radius,
        catchment,
        words.key_figure_rows(
            table, fips, radius, catchment, unit, death_count_range(scenario.data.burden)
        ),
        recommended,
        name_recommendations(recommended, scenario.data.jurisdictions, unit=unit),
    )


def local_update_count(data: AccessData) -> int:
    """Sites and leave-behind records in ``data`` that come from local updates."""
    return sum(
        int((frame["origin"] != "public").sum())
        for frame in (data.sites, data.leave_behind)
        if "origin" in frame
    )


def _first_page(flow: Flow, figures: BriefingFigures, generated: str) -> None:
    """Title, how to read it, the map and (for a jurisdiction) the key figures."""
    figure, data, scenario = flow.figure, figures.scenario.data, figures.scenario
    figure.text(LEFT, 0.965, figures.full_name, fontsize=22, fontweight="bold", va="top")
    local = local_update_count(data)
    origin = (
        f"public data and {local} local update" + ("s" if local > 1 else "")
        if local
        else "public data"
    )
    flow.y = 0.925
    flow.text(
        f"Naloxone access briefing, generated {generated} from {origin}. A resident "
        f"is within reach when a listed naloxone site is within {figures.radius_label} "
        "in a straight line of their census-tract centre.",
        9,
    )
    ax = figure.add_axes(
        (0.02, 0.545, 0.96, 0.34) if figures.statewide else (0.02, 0.555, 0.6, 0.325)
    )
    draw_map(
        ax,
        access_gap_drawer(
            data.jurisdictions,
            with_list_gap(scenario.nearest, data),
            scenario.selected.merge(data.sites[["id", "location_precision"]], on="id", how="left"),
            scenario.radius_m,
            figures.radius_label,
            recommended=figures.recommended,
            focus_fips=None if figures.statewide else figures.fips,
        ),
        data.jurisdictions,
        None if figures.statewide else figures.fips,
        legend_title="Legend",
        legend_outside=not figures.statewide,
        unit=figures.unit,
    )
    flow.y = 0.535 if figures.statewide else 0.555
    flow.text(MAP_CREDIT, 7)
    if figures.statewide:  # its key figures: the last row of the table of all 24
        flow.text(words.deaths_range_note(death_count_range(data.burden)), 7.5)
        return
    flow.y -= 0.008
    flow.text("Key figures", 11.5, weight="bold")
    columns = [
        Column("Measure (unit)", 0.36),
        Column(figures.full_name, 0.135, "right"),
        Column("Maryland", 0.115, "right"),
        Column("Rank among the 24 (1st = best)", 0.16, "right"),
        Column("Better when", 0.09),
    ]
    flow.y = draw_table(figure, flow.y - 0.004, columns, figures.rows, size=7.8) - 0.006
    table = scenario.table().set_index("fips")
    flow.text(words.rate_source(table.loc[figures.fips]), 7.5)
    notes = [
        words.deaths_range_note(death_count_range(data.burden))
        if pd.isna(table.loc[MARYLAND_STATE_FIPS, "deaths_2022_2023"])
        else "",
        words.rank_difference_note(
            table, figures.fips, figures.full_name, figures.radius_label, figures.catchment_label
        ),
    ]
    for note in filter(None, notes):
        flow.text(note, 7.5)


def _coverage_section(flow: Flow, figures: BriefingFigures) -> None:
    """The jurisdiction among all 24 on the share of residents within the radius."""
    table = figures.scenario.table()
    flow.heading(
        f"How {figures.full_name} compares: residents within "
        f"{figures.radius_label} of a listed site",
        follow=0.4,
    )
    flow.block(
        0.42,
        lambda figure, top: coverage_chart(
            figure,
            (0.27, top - 0.37, 0.66, 0.36),
            table,
            figures.fips,
            full_names(figures.scenario.data),
            figures.radius_label,
        ),
    )
    flow.text(
        f"{figures.full_name} is highlighted; the dashed line is Maryland as a whole.",
        8,
        style="italic",
    )


def _completeness_section(flow: Flow, figures: BriefingFigures) -> None:
    """One plain sentence: where our pharmacy list is likely incomplete, and what it means
    (:mod:`geo.analysis.completeness`)."""
    row = figures.scenario.table().set_index("fips").loc[figures.fips]
    sentence = words.completeness_sentence(row, figures.full_name, figures.radius_label)
    if sentence:
        flow.heading("How complete our pharmacy list is")
        flow.text(sentence, 8.5)


#: Walking thresholds (minutes) of the walking-access table.
WALK_STEPS = (5, 10, 15, 20, 30)


def walking_lines(scenario: Scenario) -> list[tuple[str, float]]:
    """The walking-access section's text (Baltimore City): residents within the scenario's
    minutes and within each of :data:`WALK_STEPS`, with the method."""
    walk = scenario if scenario.measure == "walk" else scenario.replace(measure="walk")
    row = walk.travel_summary().iloc[0]
    travel = walk.travel
    population = travel["population"].to_numpy(float)
    total = population.sum()
    steps = "; ".join(
        f"{step} min: {formatting.count(population[travel['minutes'] <= step].sum())} "
        f"({formatting.percent(100 * population[travel['minutes'] <= step].sum() / total)})"
        for step in WALK_STEPS
    )
    minutes = f"{walk.minutes:g}"
    return [
        (
            f"{formatting.percent(100 * row['share_within_minutes'])} of Baltimore City's "
            f"residents ({formatting.count(row['population_within_minutes'])} of "
            f"{formatting.count(row['population'])}) live within a {minutes}-minute walk of "
            f"one of the City's {row['sites']} listed sites of these types. Half live within "
            f"{row['median_minutes']:.1f} minutes, 90% within {row['p90_minutes']:.1f} minutes.",
            8.5,
        ),
        (f"Residents within a walk of: {steps}.", 8.5),
        (walk.covered.method + " Sites outside the City are not counted.", 7.5),
    ]


def _walking_section(flow: Flow, figures: BriefingFigures) -> None:
    """Walking access, for Baltimore City (the one walking network bundled)."""
    from geo.network.city import WALK_AREA_FIPS

    if figures.fips != WALK_AREA_FIPS:
        return
    try:
        lines = walking_lines(figures.scenario)
    except ValueError:  # no site of the chosen types in the City
        return
    flow.heading(
        "Walking access: minutes on foot to the nearest listed site",
        follow=sum(flow.text_height(text, size) for text, size in lines),
    )
    for text, size in lines:
        flow.text(text, size)


def _meaning_section(flow: Flow, figures: BriefingFigures) -> None:
    scenario = figures.scenario
    flow.heading("What the figures mean")
    for term, sentence in words.meanings(
        figures.radius_label,
        figures.catchment_label,
        scenario.types,
        scenario.decay,
        scenario.gap_measure,
        ranked=not figures.statewide,
    ):
        flow.term(term, sentence)


def _leave_behind_section(flow: Flow, figures: BriefingFigures) -> None:
    totals = statewide_leave_behind()
    lines = [
        (line, 8.5)
        for line in words.leave_behind_lines(
            figures.scenario.data.leave_behind, figures.fips, figures.full_name
        )
    ]
    lines.append(
        (
            f"Statewide 2018-2021, Maryland Department of Health: "
            f"{totals.jurisdictions} jurisdictions, {formatting.count(totals.doses)} "
            f"doses left behind, about {formatting.count(totals.people)} people reached "
            f"(source: {totals.source_url}, as of {totals.source_date}).",
            8,
        )
    )
    flow.heading(
        "Emergency medical services (EMS) naloxone leave-behind",
        follow=sum(flow.text_height(text, size) for text, size in lines),
    )
    for text, size in lines:
        flow.text(text, size)
    _county_start_paragraph(flow, figures)


def _county_start_paragraph(flow: Flow, figures: BriefingFigures) -> None:
    """How a county starts leave-behind (the EMS leave-behind page's panel, issue 29), for
    a jurisdiction with no public evidence of a program; each sentence cited."""
    if figures.statewide:
        return
    records = figures.scenario.data.leave_behind.set_index("fips")
    if figures.fips not in records.index:
        return
    if records.loc[figures.fips, "status"] != "no public evidence found":
        return
    lines = learn.county_start_lines(load_cited_facts())
    if not lines:
        return
    texts = [(f"{line.text} (Source: {line.citation()}.)", 8.5) for line in lines]
    flow.heading(
        "How a county starts EMS naloxone leave-behind",
        size=10,
        follow=flow.text_height(texts[0][0], texts[0][1]),
    )
    for text, size in texts:
        flow.text(text, size)


def _recommended_section(flow: Flow, figures: BriefingFigures) -> None:
    """The recommended new locations, named by place."""
    measure = GAP_MEASURES[figures.scenario.gap_measure]
    hosts = bool(len(figures.recommended)) and bool((figures.recommended["kind"] != "tract").any())
    where = "anywhere in Maryland" if figures.statewide else f"inside {figures.full_name}"
    flow.heading("Recommended new locations (planning aid)")
    what = (
        "real candidate host sites (health centres, treatment facilities, transit "
        "stations), each named by its own name and address: a candidate host site, "
        "not a naloxone site today"
        if hosts
        else "census-tract centres, each named by the nearest town and its straight-line "
        f"distance (by direction from it when more than {far_text(figures.unit)} away): "
        f"hypothetical, not real sites. {PLACE_NAMES_ATTRIBUTION}"
    )
    flow.text(
        f"Keeping the current sites, the locations {where} that most reduce the gap "
        f"measure ({measure.label.lower()}), among {what}.",
        8,
        style="italic",
    )
    headers, rows = words.recommendation_rows(figures.named, figures.radius_label)
    if not rows:
        flow.text(f"Every resident is already within {figures.radius_label} of a listed site.", 8.5)
    else:
        columns = [
            Column(h, w, a)
            for h, w, a in zip(
                headers,
                (0.03, 0.43, 0.14, 0.12, 0.14),
                ("left", "left", "right", "right", "right"),
                strict=True,
            )
        ]
        height = table_height(flow.figure, columns, rows, 8)
        flow.block(
            height + 0.008, lambda figure, top: draw_table(figure, top, columns, rows, size=8)
        )


def _trend_section(flow: Flow, figures: BriefingFigures) -> None:
    """Overdose death rates over time: the focus (with Maryland) or, statewide, the 24
    jurisdictions as small multiples; two series, never joined; modelled rates, not
    counts (:mod:`geo.analysis.trends`)."""
    from geo.render import trend_figure

    data = figures.scenario.data
    if data.trend is None:
        return
    rows = trends.trend_rows(data.trend, data.burden, data.jurisdictions)
    names = dict(zip(data.jurisdictions["fips"], data.jurisdictions["name"], strict=True))
    key = (
        "Solid line with dots: modelled drug-overdose death rate 2014-2021 (NCHS model-based "
        "estimates; a modelled rate, never a count). Squares: drug-induced death rate "
        "2022-2023 (CDC WONDER; a broader definition, so the two series are never joined; "
        "a suppressed year, under 10 deaths, has no square). Dashed grey: Maryland, same "
        "series ("
        + trends.MARYLAND_LINE["modelled"].split(": ", 1)[1]
        + "; "
        + trends.MARYLAND_LINE["wonder"].split(": ", 1)[1]
        + "). Deaths per 100,000 residents a year."
    )
    if figures.statewide:
        flow.new_page()
        flow.heading("Overdose death rates over time, all 24 jurisdictions")
        flow.text(key, 8, style="italic")
        fips = list(data.jurisdictions["fips"])
        top_rate = float(np.nanmax([*rows["rate_per_100k"].to_numpy(float), 1.0]))

        def grid(figure: Figure, top: float) -> None:
            width, height = (RIGHT - LEFT) / 4, 0.7 / 6
            for index, code in enumerate(fips):
                row, column = divmod(index, 4)
                ax = figure.add_axes(
                    (
                        LEFT + column * width + 0.035,
                        top - (row + 1) * height + 0.022,
                        width - 0.045,
                        height - 0.045,
                    )
                )
                trend_figure.draw_trend(
                    ax, rows[rows["fips"] == code], names[code], compact=True, y_max=top_rate
                )

        flow.block(0.71, grid)
        return
    own = rows[rows["fips"] == figures.fips]
    flow.heading("Overdose death rates over time", follow=0.3)
    change = trends.change_text(rows, figures.fips)
    if change:
        flow.text(change, 8.5)
    flow.block(
        0.27,
        lambda figure, top: trend_figure.draw_trend(
            figure.add_axes((LEFT + 0.07, top - 0.245, RIGHT - LEFT - 0.09, 0.22)),
            own,
            figures.full_name,
        ),
    )
    flow.text(key, 8, style="italic")


def _unmapped_section(flow: Flow, figures: BriefingFigures) -> None:
    """The listed sites without a mapped location (never placed by guess)."""
    sites = figures.scenario.data.sites
    if not figures.statewide:
        sites = sites[sites["jurisdiction_fips"] == figures.fips]
    unmapped = sites[sites["lat"].isna()]
    if len(unmapped):
        flow.heading(f"Listed sites without a mapped location ({len(unmapped)})", 10)
        names = [formatting.clip(n, formatting.MAX_LAYOUT_NAME_CHARS) for n in unmapped["name"]]
        more = len(names) - MAX_UNMAPPED_NAMED
        flow.text(
            "Not counted in distances (no reliable coordinates): "
            + "; ".join(names[:MAX_UNMAPPED_NAMED])
            + (f"; and {more} more (all in the sites export)" if more > 0 else "")
            + ".",
            8,
        )


def _sources_section(flow: Flow, figures: BriefingFigures) -> None:
    flow.heading("Sources")
    for citation in words.briefing_citations(
        figures.scenario.gap_measure, words.host_site_files(figures.recommended)
    ):
        flow.text(citation.text(), 8, indent=0.01)
    for sentence in words.refresh_citations(figures.scenario.data.sites):
        flow.text(sentence, 8, indent=0.01)
    flow.text(
        "Distances are straight lines from 2020 census-tract centres of population to "
        "the nearest listed site, measured on the Maryland State Plane map projection; "
        "no road network is used. Methods, file versions and checksums: the "
        "dashboard's Data & methods page.",
        8,
    )


def _statewide_table(flow: Flow, figures: BriefingFigures) -> None:
    """A landscape page: all 24 jurisdictions and Maryland, units in the headers."""
    figure = flow.new_page(LANDSCAPE)
    columns, rows = statewide_rows(figures)
    flow.y = 0.93
    figure.text(
        0.03,
        flow.y,
        f"All 24 jurisdictions and Maryland (within reach = within "
        f"{figures.radius_label} of a listed site, straight line)",
        fontsize=12,
        fontweight="bold",
        va="top",
    )
    flow.y -= 0.03
    size = 6.6
    height = table_height(figure, columns, rows, size)
    top = min(flow.y - 0.01, 0.06 + height + 0.03)
    draw_table(
        figure,
        max(top, flow.y - 0.01),
        columns,
        rows,
        size=size,
        left=0.03,
        bold=frozenset({len(rows) - 1}),
    )
    flow.new_page()


def statewide_rows(figures: BriefingFigures) -> tuple[list[Column], list[tuple[str, ...]]]:
    """The statewide table's columns (units in the headers) and rows: the 24
    jurisdictions by name, then Maryland."""
    table = figures.scenario.table()
    table["label"] = table["fips"].map(full_names(figures.scenario.data))
    table = pd.concat(
        [
            table[table["fips"] != MARYLAND_STATE_FIPS].sort_values("label"),
            table[table["fips"] == MARYLAND_STATE_FIPS],
        ]
    )
    labels = words.labels(figures.radius_label, figures.catchment_label, figures.unit)
    columns = [Column("Jurisdiction", 0.115)]
    cells: list[list[str]] = [table["label"].tolist()]
    for column in words.KEY_FIGURES:
        columns.append(Column(labels[column], 0.066, "right"))
        state_deaths = death_count_range(figures.scenario.data.burden)
        cells.append(
            [
                (
                    # the range, breakable in its narrow column (explained under the map)
                    words.state_cell(column, row, figures.unit, state_deaths)
                    .removesuffix(" (range)")
                    .replace("–", "– ")
                    if row["fips"] == MARYLAND_STATE_FIPS and column == "deaths_2022_2023"
                    else words.value_text(column, row[column], figures.unit)
                )
                .replace(f" {figures.unit}", "")
                .removesuffix("%")
                for _, row in table.iterrows()
            ]
        )
    columns.append(Column("Access-gap rank (1st = largest gap of 24)", 0.06, "right"))
    cells.append(["" if pd.isna(r) else words.ordinal(int(r)) for r in table["gap_rank"]])
    columns.append(
        Column("Emergency medical services leave-behind (unknown: no public evidence found)", 0.1)
    )
    cells.append(
        [
            words.STATUS_SHORT.get(s, "") if isinstance(s, str) else ""
            for s in table["leave_behind_status"]
        ]
    )
    return columns, [tuple(row) for row in zip(*cells, strict=True)]


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
    _first_page(flow, figures, generated)
    if not figures.statewide:
        flow.new_page()
        _coverage_section(flow, figures)
        _walking_section(flow, figures)
        _trend_section(flow, figures)
        _meaning_section(flow, figures)
    _completeness_section(flow, figures)
    _leave_behind_section(flow, figures)
    _recommended_section(flow, figures)
    if figures.statewide:
        _statewide_table(flow, figures)
        _trend_section(flow, figures)
    _unmapped_section(flow, figures)
    if figures.statewide:
        _meaning_section(flow, figures)
    _sources_section(flow, figures)
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
