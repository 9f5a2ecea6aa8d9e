"""The Baltimore City briefing's walking-access section (issue 25), and its absence
elsewhere."""

from __future__ import annotations

import io

import pypdf
import pytest

from geo.analysis.scenario import Scenario
from geo.render import formatting
from geo.render.briefing import scenario_briefing_pdf
from geo.render.briefing_measures import walking_lines


@pytest.fixture(scope="module")
def scenario(data):
    return Scenario.from_data(data)


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_baltimore_city_briefing_has_walking_access(scenario):
    text = pdf_text(scenario_briefing_pdf(scenario, "24510", k=2, generated="2026-12-07"))
    summary = scenario.replace(measure="walk").travel_summary().iloc[0]
    assert "Walking access: minutes on foot to the nearest listed site" in text
    assert formatting.count(summary["population_within_minutes"]) in text
    assert "80 m/min" in text


def test_walking_lines_follow_the_scenarios_minutes(scenario):
    first, steps, method = walking_lines(scenario.replace(measure="walk", minutes=10))
    assert "within a 10-minute walk" in first[0]
    assert steps[0].startswith("Residents within a walk of: 5 min:")
    assert "Limited Access" in method[0]


def test_other_briefings_have_no_walking_section(scenario):
    text = pdf_text(scenario_briefing_pdf(scenario, "24023", k=2, generated="2026-12-07"))
    assert "Walking access" not in text
