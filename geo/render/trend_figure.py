"""Small charts of overdose death rates over time (matplotlib, for the page, PNG and PDF).

Each chart draws two series that are never joined (:mod:`geo.analysis.trends`): the
modelled drug-overdose rate 2014-2021 as a solid line and the CDC WONDER drug-induced rate
2022-2023 as a separate line of squares, each with Maryland's value of the same series
dashed in grey, and a dotted divider where the definition changes. Rates per 100,000 a
year; modelled rates are never shown as counts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from geo.analysis.trends import MARYLAND_LINE, MODELLED, SERIES_LABELS, WONDER

MODELLED_COLOUR = "#08519C"  # dark blue: the focus (or a lone chart)
OTHER_COLOUR = "#74A9CF"  # light blue: the other jurisdictions' modelled line
WONDER_COLOUR = "#B35806"  # orange-brown: a different series, never the same line
STATE_COLOUR = "#6B6B6B"
SOURCE_LINE = (
    "Sources: NCHS model-based county drug-overdose mortality estimates 2014-2021 via "
    "HepVu/OEPS (modelled rates, not counts); CDC WONDER drug-induced deaths 2022-2023 "
    "(crude rates; suppressed years, under 10 deaths, not drawn)."
)
YEARS = (2014, 2023)


def _series(rows: pd.DataFrame, series: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    part = rows[rows["series"] == series].sort_values("year")
    return part["year"].to_numpy(dtype=float), part[column].to_numpy(dtype=float)


def draw_trend(
    ax: Axes,
    rows: pd.DataFrame,
    title: str,
    *,
    highlight: bool = True,
    compact: bool = False,
    y_max: float | None = None,
) -> None:
    """One jurisdiction's chart on ``ax`` from its rows of
    :func:`geo.analysis.trends.trend_rows` (both series), Maryland dashed grey."""
    size = 7 if compact else 9
    colour = MODELLED_COLOUR if highlight else OTHER_COLOUR
    for series, marker, line_colour in (
        (MODELLED, "o", colour),
        (WONDER, "s", WONDER_COLOUR),
    ):
        years, state = _series(rows, series, "maryland_rate_per_100k")
        ax.plot(years, state, color=STATE_COLOUR, linestyle="--", linewidth=1.0, zorder=2)
        years, values = _series(rows, series, "rate_per_100k")
        ax.plot(
            years,
            values,
            color=line_colour,
            marker=marker,
            markersize=2.5 if compact else 4,
            linewidth=2.0 if highlight else 1.4,
            zorder=3,
        )
    ax.axvline(2021.5, color="#999999", linestyle=":", linewidth=0.9, zorder=1)
    ax.set_xlim(YEARS[0] - 0.5, YEARS[1] + 0.5)
    top = (
        y_max
        if y_max is not None
        else np.nanmax(
            [
                *rows["rate_per_100k"].to_numpy(float),
                *rows["maryland_rate_per_100k"].to_numpy(float),
                1.0,
            ]
        )
    )
    ax.set_ylim(0, top * 1.12)
    ax.set_title(title, fontsize=size + 1, fontweight="bold" if highlight else "normal", loc="left")
    ax.set_xticks([2014, 2017, 2021, 2023] if compact else list(range(2014, 2024)))
    ax.tick_params(labelsize=size - 1)
    if not compact:
        ax.set_ylabel("Deaths per 100,000 a year", fontsize=size)
        ax.text(
            2021.6, top * 1.05, "definition\nchanges", fontsize=size - 2, va="top", color="#555555"
        )
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#E5E5E5", linewidth=0.6)


def legend_handles() -> tuple[list[Line2D], list[str]]:
    """The legend of every trend chart: the two series and Maryland's lines."""
    handles = [
        Line2D([], [], color=MODELLED_COLOUR, marker="o", linewidth=2),
        Line2D([], [], color=WONDER_COLOUR, marker="s", linewidth=2),
        Line2D([], [], color=STATE_COLOUR, linestyle="--"),
    ]
    labels = [
        SERIES_LABELS[MODELLED],
        SERIES_LABELS[WONDER],
        "Maryland, same series ("
        + MARYLAND_LINE[MODELLED].split(": ", 1)[1]
        + "; "
        + MARYLAND_LINE[WONDER].split(": ", 1)[1]
        + ")",
    ]
    return handles, labels


def trend_figure(
    rows: pd.DataFrame,
    fips: Sequence[str],
    names: dict[str, str],
    *,
    focus: str | None = None,
    columns: int = 4,
    width_in: float = 11.0,
    title: str | None = None,
    source: bool = True,
) -> Figure:
    """Small multiples, one per jurisdiction of ``fips`` (the ``focus`` highlighted, the
    others grey), shared y-axis, legend on top, source line at the bottom. One
    jurisdiction: one larger chart."""
    rows = rows[rows["fips"].isin(list(fips))]
    n = len(fips)
    columns = max(1, min(columns, n))
    grid_rows = math.ceil(n / columns)
    single = n == 1
    panel_h = 3.0 if single else 1.55
    height = 1.3 + grid_rows * panel_h + (0.5 if source else 0.0) + (0.4 if title else 0.0)
    figure = Figure(figsize=(width_in, height), dpi=100)
    top_pad = (1.05 + (0.4 if title else 0.0)) / height
    bottom_pad = (0.55 + (0.45 if source else 0.0)) / height
    y_max = float(
        np.nanmax(
            [
                *rows["rate_per_100k"].to_numpy(float),
                *rows["maryland_rate_per_100k"].to_numpy(float),
                1.0,
            ]
        )
    )
    axes = figure.subplots(grid_rows, columns, squeeze=False, sharey=True)
    figure.subplots_adjust(
        left=0.08 if single else 0.05,
        right=0.98,
        top=1 - top_pad,
        bottom=bottom_pad,
        hspace=0.55,
        wspace=0.12,
    )
    for index, ax in enumerate(axes.ravel()):
        if index >= n:
            ax.set_visible(False)
            continue
        code = fips[index]
        draw_trend(
            ax,
            rows[rows["fips"] == code],
            names.get(code, code),
            highlight=single or focus is None or code == focus,
            compact=not single,
            y_max=y_max,
        )
    if title:
        figure.text(0.01, 1 - 0.12 / height, title, fontsize=13, fontweight="bold", va="top")
    handles, labels = legend_handles()
    figure.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.01, 1 - (0.15 + (0.4 if title else 0.0)) / height),
        fontsize=8,
        frameon=False,
        ncol=1,
    )
    if not single:
        figure.text(
            0.01,
            bottom_pad - 0.35 / height,
            "Deaths per 100,000 a year; dotted line: the definition changes (never joined).",
            fontsize=7.5,
            va="top",
        )
    if source:
        figure.text(0.01, 0.1 / height + 0.02, SOURCE_LINE, fontsize=7, va="bottom", wrap=True)
    return figure
