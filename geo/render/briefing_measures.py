"""A jurisdiction's briefing sections that place it among the 24: the coverage chart,
walking minutes (Baltimore City) and overdose death rates over time."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from geo.analysis import trends
from geo.analysis.scenario import Scenario
from geo.render import formatting
from geo.render.briefing_data import BriefingFigures, full_names
from geo.render.briefing_layout import LEFT, RIGHT, Flow, coverage_chart


def coverage_section(flow: Flow, figures: BriefingFigures) -> None:
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


def walking_section(flow: Flow, figures: BriefingFigures) -> None:
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


def trend_section(flow: Flow, figures: BriefingFigures) -> None:
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
