"""The Compare chart as a figure for slides and reports: horizontal bars sorted by value,
every jurisdiction named, the focus highlighted, Maryland's value as a labelled dashed
line; title, unit, and a source line with as-of dates. PNG at 200 dpi, SVG with text
kept as text (``svg.fonttype: none``, via :func:`geo.render.static_maps.figure_bytes`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from geo.analysis.compare import BarData
from geo.errors import InputError
from geo.numbers import value_text
from geo.render import static_maps
from geo.render.bar_chart import BarStyle, draw_bars
from geo.render.columns import describe, sources

FOCUS_COLOUR = "#D55E00"  # Okabe-Ito vermillion
OTHER_COLOUR = "#0072B2"  # Okabe-Ito blue
DPI = 200
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


def chart_source_line(column: str, unit: str = "mi") -> str:
    """Sources of ``column`` with their as-of dates, for the figure's foot."""
    known = sources()
    named = "; ".join(known[key] for key in describe(column).source)
    distances = (
        " Distances are straight lines from 2020 tract centres of population."
        if column.endswith(("_miles", "_km")) or "within" in describe(column).label
        else ""
    )
    return f"Sources: {named}.{distances}"


def _wrap(text: str, width: int = 120) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


#: Figure layout in inches: width, row pitch, and the fixed bands above and below the bars.
WIDTH_IN = 8.5
ROW_IN = 0.3
MARGIN_IN = 0.12
TITLE_IN = 0.32
LINE_IN = {9: 0.17, 6.5: 0.12}  # line height by font size (pt)
LEGEND_IN = 0.3
AXIS_IN = 0.62  # x tick labels and the axis title under the bars
STATE_LABEL_IN = 0.22  # room above the top bar for "Maryland 8.4"


def _text_width_in(figure: Figure, texts: list[str], size: float, bold: bool = False) -> float:
    """Widest of ``texts`` as drawn at ``size`` pt, in inches (0 for none)."""
    renderer = FigureCanvasAgg(figure).get_renderer()
    widest = 0.0
    for text in texts:
        artist = figure.text(0, 0, text, fontsize=size, fontweight="bold" if bold else None)
        widest = max(widest, artist.get_window_extent(renderer).width / figure.dpi)
        artist.remove()
    return widest


#: The Compare figure's bars: Okabe-Ito colours, names at 8.5 pt, values at 8 pt.
STYLE = BarStyle(FOCUS_COLOUR, OTHER_COLOUR)


def _legend_handles(rows: pd.DataFrame) -> list[Patch]:
    """The focus jurisdiction (when there is one), then the others."""
    focus = rows.loc[rows["focus"], "label"]
    others = Patch(
        color=OTHER_COLOUR, label="Other jurisdictions" if len(focus) else "Jurisdictions"
    )
    if not len(focus):
        return [others]
    return [Patch(color=FOCUS_COLOUR, label="Focus: " + str(focus.iloc[0])), others]


def _top_band(figure: Figure, height: float, title: str, subtitle: str, rows: pd.DataFrame) -> None:
    """Title, wrapped subtitle and legend, from the top margin down (inches)."""
    y_in = height - MARGIN_IN
    left = MARGIN_IN / WIDTH_IN
    figure.suptitle(
        title, x=left, y=y_in / height, ha="left", va="top", fontsize=12, fontweight="bold"
    )
    y_in -= TITLE_IN
    if subtitle:
        text = _wrap(subtitle, 110)
        figure.text(left, y_in / height, text, fontsize=9, va="top", ha="left", linespacing=1.2)
        y_in -= (text.count("\n") + 1) * LINE_IN[9]
    handles = _legend_handles(rows)
    figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(left, y_in / height),
        ncols=len(handles),
        fontsize=8,
        frameon=False,
        borderaxespad=0,
        borderpad=0.2,
    )


def bar_figure(data: BarData, title: str, subtitle: str, source: str) -> Figure:
    """The chart of ``data`` (rows in drawing order, largest at the top).

    Laid out in inches so that 1 bar or 24 read the same: title, wrapped subtitle and the
    legend in a band above the bars; one row of ``ROW_IN`` per jurisdiction; the axis
    title, then the wrapped source line, below. Every text stays inside the canvas and no
    two texts overlap (tested with their drawn boxes)."""
    rows = data.rows
    source_text = _wrap(source, 150)
    sub_lines = _wrap(subtitle, 110).count("\n") + 1 if subtitle else 0
    top_band = MARGIN_IN + TITLE_IN + sub_lines * LINE_IN[9] + LEGEND_IN + STATE_LABEL_IN
    bottom_band = AXIS_IN + (source_text.count("\n") + 1) * LINE_IN[6.5] + MARGIN_IN
    plot_in = ROW_IN * max(len(rows), 1)
    height = top_band + plot_in + bottom_band
    figure = Figure(figsize=(WIDTH_IN, height))
    with static_maps.literal_text():
        label_in = _text_width_in(figure, [str(v) for v in rows["label"]], 8.5, bold=True)
        left_in = MARGIN_IN + label_in + 0.12
        right_in = 0.55  # room for the value printed past the longest bar
        axes = figure.add_axes(
            (
                left_in / WIDTH_IN,
                bottom_band / height,
                (WIDTH_IN - left_in - right_in) / WIDTH_IN,
                plot_in / height,
            )
        )
        state = f"Maryland {value_text(data.state_value, data.measure.unit)}"
        draw_bars(axes, data, STYLE, state)
        top = float(np.nanmax([*rows["value"].fillna(0.0), data.state_value or 0.0, 0.0]))
        axes.set_xlim(0, top * 1.05 if top > 0 else 1)
        axes.set_xlabel(data.axis_title, fontsize=9)
        axes.tick_params(axis="x", labelsize=8)
        _top_band(figure, height, title, subtitle, rows)
        figure.text(
            MARGIN_IN / WIDTH_IN,
            MARGIN_IN / height,
            source_text,
            fontsize=6.5,
            va="bottom",
            ha="left",
            linespacing=1.2,
        )
    return figure


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """``figure`` as PNG (200 dpi) or SVG (text as text)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown chart format {fmt!r}; choose png or svg")
    return static_maps.figure_bytes(figure, fmt, dpi=DPI)
