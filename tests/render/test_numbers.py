"""One number formatter (geo.numbers.value_text) for the Compare chart's bars and the
briefing's key figures: decimals by the measure's unit, '—' for unknown."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from geo.analysis import compare
from geo.numbers import value_text
from geo.render import briefing_text, formatting


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (12345.4, "people", "12,345"),
        (2.5, "sites", "2"),  # half to even, as round() does
        (0.456, "0-1 rank", "0.46"),
        (3.14159, "miles", "3.14"),
        (3.14159, "km", "3.14"),
        (1234.56, "per 100,000", "1,234.6"),
        (97.04, "%", "97.0"),
        (None, "people", "—"),
        (math.nan, "%", "—"),
        (pd.NA, "deaths", "—"),
    ],
)
def test_value_text_by_unit(value, unit, text):
    assert value_text(value, unit) == text


def test_digits_override_the_unit():
    assert value_text(3.14159, "miles", 1) == "3.1"
    assert value_text(12345.4, "people", 1) == "12,345.4"


def test_one_home_shared_by_compare_briefing_and_pages():
    assert compare.value_text is value_text
    assert formatting.value_text is value_text


@pytest.mark.parametrize(
    "column",
    [
        "population",
        "sites",
        "sites_per_100k",
        "access_2sfca_per_100k",
        "deaths_2022_2023",
        "death_rate_per_100k",
    ],
)
def test_key_figures_read_as_the_compare_bars(column):
    """A key figure that is a Compare measure reads as its bar does (distances and shares
    add their unit in the briefing, and distances keep 1 decimal there)."""
    unit = compare.MEASURE_BY_COLUMN[column].unit
    for value in (0.0, 7.25, 1234.5, 98765.0, math.nan):
        assert briefing_text.figure_text(column, value, "mi") == value_text(value, unit)


def test_key_figures_with_their_unit():
    assert briefing_text.figure_text("uncovered_population", 12345.6, "mi") == "12,346"
    assert briefing_text.figure_text("pct_pop_within_radius", 97.04, "mi") == "97.0%"
    assert briefing_text.figure_text("mean_distance_miles", 2.0, "km") == "3.2 km"
    assert briefing_text.figure_text("mean_distance_miles", None, "mi") == "—"
