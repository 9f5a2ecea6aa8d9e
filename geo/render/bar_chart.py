"""Horizontal bar charts of the jurisdictions (:class:`geo.analysis.compare.BarData`): one
drawing for the Compare figure and the briefing's coverage chart. Bars top to bottom in
the rows' order (largest first), the focus jurisdiction in its colour with its name in
bold, each value printed past its bar, Maryland's value as a labelled dashed line.
Text is drawn literally (call inside :func:`geo.render.static_maps.literal_text`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes

from geo.analysis.compare import BarData


@dataclass(frozen=True)
class BarStyle:
    """Colours and text sizes (points) of a bar chart; ``state_ha`` puts Maryland's label
    right (``left``) or left (``right``) of its line."""

    focus_colour: str
    other_colour: str
    label_size: float = 8.5
    value_size: float = 8.0
    value_pad: float = 0.4
    bold_focus_value: bool = False
    state_size: float = 8.0
    state_bold: bool = False
    state_ha: str = "left"


def draw_bars(axes: Axes, data: BarData, style: BarStyle, state_text: str) -> None:
    """Draw ``data`` on ``axes`` (y from -0.5 to the row count - 0.5; the caller sets the x
    axis): unknown values as no bar with their ``value_text`` (``—``) at zero, and
    ``state_text`` above the top bar at Maryland's value (no line without one)."""
    rows = data.rows
    count = len(rows)
    positions = np.arange(count)[::-1]
    colours = [style.focus_colour if focus else style.other_colour for focus in rows["focus"]]
    axes.barh(positions, rows["value"].fillna(0.0).to_numpy(), color=colours, height=0.7)
    for y, value, text, focus in zip(
        positions, rows["value"], rows["value_text"], rows["focus"], strict=True
    ):
        axes.annotate(
            text,
            (0 if np.isnan(value) else value, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=style.value_size,
            fontweight="bold" if focus and style.bold_focus_value else "normal",
            annotation_clip=False,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": style.value_pad},
        )
    axes.set_yticks(positions, rows["label"], fontsize=style.label_size)
    for tick, focus in zip(axes.get_yticklabels(), rows["focus"], strict=True):
        if focus:
            tick.set_fontweight("bold")
    axes.set_ylim(-0.5, count - 0.5)
    if data.state_value is not None:
        axes.axvline(data.state_value, color="black", linestyle="--", linewidth=1)
        axes.annotate(
            state_text,
            (data.state_value, count - 0.5),
            xytext=(3 if style.state_ha == "left" else 0, 2),
            textcoords="offset points",
            ha=style.state_ha,
            va="bottom",
            fontsize=style.state_size,
            fontweight="bold" if style.state_bold else "normal",
            annotation_clip=False,
        )
    axes.spines[["top", "right"]].set_visible(False)
