"""The one horizontal bar drawing (geo.render.bar_chart) behind the Compare figure and the
briefing's coverage chart: order, focus, unknown values and Maryland's line."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from geo.analysis.compare import MEASURE_BY_COLUMN, BarData, bar_data
from geo.render import briefing_layout
from geo.render.bar_chart import BarStyle, draw_bars


def _bars(state_value: float | None = 2.5) -> BarData:
    rows = pd.DataFrame(
        {
            "fips": ["24001", "24003", "24005"],
            "label": ["A County", "B County", "C County"],
            "value": [4.0, 1.5, float("nan")],
            "value_text": ["4.0", "1.5", "—"],
            "focus": [False, True, False],
        }
    )
    return BarData(MEASURE_BY_COLUMN["sites_per_100k"], rows, state_value)


def test_bars_top_to_bottom_focus_bold_unknown_empty():
    axes = Figure().add_axes((0.2, 0.1, 0.7, 0.8))
    draw_bars(axes, _bars(), BarStyle("#D55E00", "#0072B2"), "Maryland 2.5")
    widths = {round(p.get_y() + p.get_height() / 2): p.get_width() for p in axes.patches}
    assert widths == {2: 4.0, 1: 1.5, 0: 0.0}  # first row at the top; unknown: no bar
    labels = {t.get_text(): t.get_fontweight() for t in axes.get_yticklabels()}
    assert labels == {"A County": "normal", "B County": "bold", "C County": "normal"}
    texts = [t.get_text() for t in axes.texts]
    assert texts == ["4.0", "1.5", "—", "Maryland 2.5"]
    assert [line.get_xdata()[0] for line in axes.lines] == [2.5]
    assert axes.get_ylim() == (-0.5, 2.5)


def test_no_state_line_without_a_state_value():
    axes = Figure().add_axes((0.2, 0.1, 0.7, 0.8))
    draw_bars(axes, _bars(None), BarStyle("#D55E00", "#0072B2"), "unused")
    assert not axes.lines
    assert "unused" not in [t.get_text() for t in axes.texts]


def test_briefing_coverage_chart_is_the_compare_bars(data):
    """The briefing's chart has the Compare page's order (ties by name) and values in %."""
    from geo.analysis.scenario import Scenario
    from geo.render.briefing_data import full_names

    table = Scenario.from_data(data).table()
    names = full_names(data)
    figure = Figure(figsize=(8.5, 11))
    briefing_layout.coverage_chart(figure, (0.27, 0.5, 0.66, 0.36), table, "24510", names, "5 mi")
    axes = figure.axes[0]
    expected = bar_data(table, "pct_pop_within_radius", "24510", names).rows
    drawn = sorted(axes.get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in drawn] == expected["label"].tolist()
    values = [t.get_text() for t in axes.texts][: len(expected)]
    assert values == [f"{v:.1f}%" for v in expected["value"]]
    state = axes.texts[-1].get_text()
    assert state.startswith("Maryland ") and state.endswith("%")
