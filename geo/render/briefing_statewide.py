"""The statewide briefing's landscape table of all 24 jurisdictions and Maryland."""

from __future__ import annotations

import pandas as pd

from geo.analysis.ranking import death_count_range
from geo.config import MARYLAND_STATE_FIPS
from geo.render import briefing_text as words
from geo.render.briefing_data import BriefingFigures, full_names
from geo.render.briefing_layout import LANDSCAPE, Column, Flow, draw_table, table_height


def statewide_table(flow: Flow, figures: BriefingFigures) -> None:
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
                    else words.figure_text(column, row[column], figures.unit)
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
