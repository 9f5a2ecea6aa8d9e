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
