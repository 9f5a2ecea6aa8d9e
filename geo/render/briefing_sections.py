"""The sections every briefing has, each drawn onto a :class:`Flow`: the first page (title,
map, key figures), what the figures mean, list completeness, EMS leave-behind,
recommended locations, unmapped sites and sources."""

from __future__ import annotations

import pandas as pd

from geo.analysis import learn
from geo.analysis.completeness import with_list_gap
from geo.analysis.place_names import far_text
from geo.analysis.ranking import GAP_MEASURES, death_count_range
from geo.config import MARYLAND_STATE_FIPS
from geo.data.catalog import OSM_ATTRIBUTION, PLACE_NAMES_ATTRIBUTION
from geo.data.layers import load_cited_facts, statewide_leave_behind
from geo.render import briefing_prose as prose
from geo.render import briefing_text as words
from geo.render import formatting
from geo.render.briefing_data import BriefingFigures, local_update_count
from geo.render.briefing_layout import LEFT, Column, Flow, draw_table, table_height
from geo.render.static_maps import access_gap_drawer, draw_map

#: The unmapped sites a briefing names before "and N more".
MAX_UNMAPPED_NAMED = 40
MAP_CREDIT = (
    "Map: boundaries and tract centres U.S. Census Bureau 2020; pharmacies "
    f"{OSM_ATTRIBUTION} (Open Database Licence); other sites from public lists and "
    "pages (sources on the last page). Stars are hypothetical locations."
)


def first_page(flow: Flow, figures: BriefingFigures, generated: str) -> None:
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


def completeness_section(flow: Flow, figures: BriefingFigures) -> None:
    """One plain sentence: where our pharmacy list is likely incomplete, and what it means
    (:mod:`geo.analysis.completeness`)."""
    row = figures.scenario.table().set_index("fips").loc[figures.fips]
    sentence = prose.completeness_sentence(row, figures.full_name, figures.radius_label)
    if sentence:
        flow.heading("How complete our pharmacy list is")
        flow.text(sentence, 8.5)


def meaning_section(flow: Flow, figures: BriefingFigures) -> None:
    scenario = figures.scenario
    flow.heading("What the figures mean")
    for term, sentence in prose.meanings(
        figures.radius_label,
        figures.catchment_label,
        scenario.types,
        scenario.decay,
        scenario.gap_measure,
        ranked=not figures.statewide,
    ):
        flow.term(term, sentence)


def leave_behind_section(flow: Flow, figures: BriefingFigures) -> None:
    totals = statewide_leave_behind()
    lines = [
        (line, 8.5)
        for line in prose.leave_behind_lines(
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
    county_start_paragraph(flow, figures)


def county_start_paragraph(flow: Flow, figures: BriefingFigures) -> None:
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


def recommended_section(flow: Flow, figures: BriefingFigures) -> None:
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
    headers, rows = prose.recommendation_rows(figures.named, figures.radius_label)
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


def unmapped_section(flow: Flow, figures: BriefingFigures) -> None:
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


def sources_section(flow: Flow, figures: BriefingFigures) -> None:
    flow.heading("Sources")
    for citation in prose.briefing_citations(
        figures.scenario.gap_measure, prose.host_site_files(figures.recommended)
    ):
        flow.text(citation.text(), 8, indent=0.01)
    for sentence in prose.refresh_citations(figures.scenario.data.sites):
        flow.text(sentence, 8, indent=0.01)
    flow.text(
        "Distances are straight lines from 2020 census-tract centres of population to "
        "the nearest listed site, measured on the Maryland State Plane map projection; "
        "no road network is used. Methods, file versions and checksums: the "
        "dashboard's Data & methods page.",
        8,
    )
