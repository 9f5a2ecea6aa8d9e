"""The Compare chart for slides: PNG at 200 dpi, SVG with every name as text, title,
unit and dated sources (issue 12, item 6)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from geo.analysis.compare import bar_data, comparison_table
from geo.analysis.scenario import Scenario
from geo.render import compare_figure


@pytest.fixture(scope="module")
def bars(data):
    table = comparison_table(Scenario.from_data(data).table(), None, data.context, "km")
    full = dict(zip(data.jurisdictions["fips"], data.jurisdictions["full_name"], strict=True))
    return bar_data(table, "mean_distance_km", "24023", full), list(full.values())


def _figure(bars):
    data, _ = bars
    return compare_figure.bar_figure(
        data,
        "Mean distance: Maryland jurisdictions",
        "Garrett County. Radius 8 km.",
        compare_figure.chart_source_line("mean_distance_km", "km"),
    )


def test_svg_keeps_every_name_title_unit_and_source_as_text(bars):
    svg = compare_figure.figure_bytes(_figure(bars), "svg")
    root = ET.fromstring(svg)
    text = " ".join(t.strip() for t in root.itertext())
    for name in bars[1]:
        assert name in text
    assert "Mean distance: Maryland jurisdictions" in text
    assert "Mean distance to nearest site (km)" in text
    assert "Focus: Garrett County" in text and "Maryland " in text
    assert "CDC" not in text  # distances cite the census and the sites, not deaths
    assert "OpenStreetMap, Jan 2023" in text and "2020 census" in text
    assert "mile" not in text.lower()


def test_png_is_200_dpi(bars):
    figure = _figure(bars)
    png = compare_figure.figure_bytes(figure, "png")
    image = Image.open(io.BytesIO(png))
    width, height = figure.get_size_inches()
    assert image.size == (round(width * 200), round(height * 200))
    assert len(np.unique(np.asarray(image.convert("L")))) > 10, "not blank"
    with pytest.raises(ValueError, match="png or svg"):
        compare_figure.figure_bytes(figure, "gif")


def _text_boxes(figure) -> list[tuple[str, object]]:
    """Every text of ``figure`` as drawn (ticks only those inside the view), with its box
    in pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    texts = [*figure.texts, figure._suptitle]
    for legend in figure.legends:
        texts += legend.get_texts()
    for axes in figure.axes:
        texts += [*axes.texts, axes.title, axes.xaxis.label, axes.yaxis.label]
        for axis in (axes.xaxis, axes.yaxis):
            texts += [tick.label1 for tick in axis._update_ticks()]  # the ticks drawn
    unique = {id(t): t for t in texts if t is not None}.values()
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in unique
        if t is not None and t.get_visible() and t.get_text().strip()
    ]


@pytest.mark.parametrize("count", [1, 2, 4, 8, 24])
def test_every_text_inside_the_canvas_and_none_overlap(data, count):
    """Issue 28, item 1: with few jurisdictions the download cut its subtitle and printed
    the axis title over the source line. Now every text box lies inside the canvas and
    no two overlap, for 1 to 24 bars, with a long subtitle."""
    full = dict(zip(data.jurisdictions["fips"], data.jurisdictions["full_name"], strict=True))
    others = [f for f in full if f != "24023"][: count - 1]
    table = comparison_table(
        Scenario.from_data(data).table(), [*others, "24023"], data.context, "mi"
    )
    bars = bar_data(table, "sites_per_100k", "24023", full)
    assert len(bars.rows) == count
    subtitle = "Focus: Garrett County. Radius 5 mi. Site types: " + ", ".join(
        ["pharmacy", "health department", "syringe services", "treatment program"] * 3
    )
    figure = compare_figure.bar_figure(
        bars,
        "Sites per 100,000 residents: Maryland jurisdictions",
        subtitle,
        compare_figure.chart_source_line("sites_per_100k", "mi"),
    )
    boxes = _text_boxes(figure)
    width, height = figure.bbox.width, figure.bbox.height
    texts = [text for text, _ in boxes]
    assert subtitle.split()[-1] in " ".join(texts) and "Sources:" in " ".join(texts)
    assert set(bars.rows["label"]) <= set(texts)
    for text, box in boxes:
        assert box.x0 >= 0 and box.y0 >= 0, text
        assert box.x1 <= width and box.y1 <= height, text
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1 :]:
            assert not a.overlaps(b), f"{text_a!r} overlaps {text_b!r}"
