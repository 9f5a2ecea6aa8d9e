"""The Compare chart as a figure for slides and reports: horizontal bars sorted by value,
every jurisdiction named, the focus highlighted, Maryland's value as a labelled dashed
line; title, unit, and a source line with as-of dates. PNG at 200 dpi, SVG with text
kept as text (``svg.fonttype: none``, via :func:`geo.render.static_maps.figure_bytes`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from geo.analysis.compare import BarData, value_text
from geo.render import static_maps
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


def bar_figure(data: BarData, title: str, subtitle: str, source: str) -> Figure:
    """The chart of ``data`` (rows in drawing order, largest at the top)."""
    rows = data.rows
    count = len(rows)
    figure = Figure(figsize=(8.5, 1.9 + 0.28 * count), layout="constrained")
    with static_maps.literal_text():
        axes = figure.add_subplot()
        positions = np.arange(count)[::-1]
        values = rows["value"].fillna(0.0).to_numpy()
        colours = [FOCUS_COLOUR if focus else OTHER_COLOUR for focus in rows["focus"]]
        axes.barh(positions, values, color=colours, height=0.7)
        top = float(np.nanmax([*rows["value"].fillna(0.0), data.state_value or 0.0, 0.0]))
        axes.set_xlim(0, top * 1.18 if top > 0 else 1)
        for y, value, text in zip(positions, rows["value"], rows["value_text"], strict=True):
            axes.annotate(
                text,
                (0 if np.isnan(value) else value, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4},
            )
        axes.set_yticks(positions, rows["label"], fontsize=8.5)
        for tick, focus in zip(axes.get_yticklabels(), rows["focus"], strict=True):
            if focus:
                tick.set_fontweight("bold")
        handles = [
            Patch(
                color=OTHER_COLOUR,
                label="Other jurisdictions" if rows["focus"].any() else "Jurisdictions",
            )
        ]
        if rows["focus"].any():
            handles.insert(
                0,
                Patch(
                    color=FOCUS_COLOUR,
                    label="Focus: " + str(rows.loc[rows["focus"], "label"].iloc[0]),
                ),
            )
        if data.state_value is not None:
            axes.axvline(data.state_value, color="black", linestyle="--", linewidth=1)
            axes.annotate(
                f"Maryland {value_text(data.state_value, data.measure.unit)}",
                (data.state_value, count - 0.4),
                xytext=(3, 0),
                textcoords="offset points",
                fontsize=8,
                va="bottom",
            )
        axes.set_ylim(-0.6, count + 0.2)
        axes.set_xlabel(data.axis_title)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(handles=handles, loc="lower right", fontsize=8, frameon=False)
        figure.suptitle(title, fontsize=12, fontweight="bold")
        axes.set_title(subtitle, fontsize=9, loc="left")
        figure.text(
            0.01,
            0.0,
            _wrap(source),
            fontsize=6.5,
            va="bottom",
            ha="left",
            transform=figure.transFigure,
        )
        figure.get_layout_engine().set(rect=(0, 0.05, 1, 0.95))
    return figure


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """``figure`` as PNG (200 dpi) or SVG (text as text)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; choose png or svg")
    return static_maps.figure_bytes(figure, fmt, dpi=DPI)
