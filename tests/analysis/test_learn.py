"""Cited "learn to use naloxone" and "how a county starts" sentences (issue 29)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.analysis import learn
from geo.data import raw
from geo.data.layers import load_cited_facts
from geo.errors import DataFileError


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return load_cited_facts()


def test_every_line_is_a_fact_of_the_table_with_its_source(facts, data):
    lines = [
        *learn.learn_lines(facts, "24510", data.sites),
        *learn.naloxone_basics(facts),
        *learn.response_steps(facts),
        *learn.county_start_lines(facts),
    ]
    by_fact = facts.drop_duplicates("fact").set_index("fact")
    for line in lines:
        if line.fact.startswith("site:"):  # the health department, from the site listing
            assert "Baltimore City Health Department" in line.text and line.source_title
            continue
        assert line.source_url == by_fact.loc[line.fact, "source_url"]
        assert line.source_url.startswith("https://")
    texts = " ".join(line.text for line in lines)
    assert "410-433-5175" in texts  # the City's line, as its publishers print it
    assert "more than 155,000 people" in texts
    assert "June 1, 2017" in texts  # pharmacies need no certificate
    assert "5.16 times" in texts and "no cost" in texts and "opt-in" in texts


def test_the_city_lines_only_in_the_city_and_the_county_health_department(facts, data):
    garrett = learn.learn_lines(facts, "24023", data.sites)
    assert garrett[0].text.startswith("Ask Garrett County Health Department")
    sites = data.sites
    phone = sites[(sites["type"] == "health_department") & (sites["jurisdiction_fips"] == "24023")]
    assert str(phone["phone"].iloc[0]) in garrett[0].text
    assert not any("Baltimore" in line.text for line in garrett)
    statewide = learn.learn_lines(facts, None, data.sites)
    assert [line.fact for line in statewide] == [
        "orp_training_statewide",
        "pharmacy_naloxone_no_training_required_since",
    ]


def test_a_fact_whose_source_is_missing_is_not_shown(facts, data):
    damaged = facts.copy()
    damaged.loc[damaged["fact"] == "baltimore_city_crisis_line", "source_url"] = pd.NA
    damaged.loc[damaged["fact"] == "ems_leave_behind_opt_in", "source_url"] = "see page"
    damaged = damaged[damaged["fact"] != "howard_county_leave_behind_study_family"]
    city = " ".join(line.text for line in learn.learn_lines(damaged, "24510", data.sites))
    assert "5175" not in city and "155,000" in city
    start = learn.county_start_lines(damaged)
    assert {line.fact for line in start} == {
        "ems_leave_behind_naloxone_no_cost",
        "ems_leave_behind_doses_2018_2021",
        "naloxone_refill_organizations",
    }


def test_a_fact_without_a_source_fails_the_build(tmp_path):
    good = tmp_path / "facts.csv"
    header = "fact,value,unit,geography,period,source_url,source_date,notes\n"
    good.write_text(header + "a,1,x,Maryland,,https://example.org/a,2020,\n")
    assert len(raw.read_cited_facts(good)) == 1
    for bad, message in (
        ("a,1,x,Maryland,,,2020,\n", "empty"),
        ("a,1,x,Maryland,,www.example.org,2020,\n", "not a web address"),
    ):
        path = tmp_path / "bad.csv"
        path.write_text(header + bad)
        with pytest.raises(DataFileError, match=message) as caught:
            raw.read_cited_facts(path)
        assert "source_url" in str(caught.value)


def test_dates_of_sources_say_when_a_page_is_undated():
    assert learn.source_date_text("2025") == "2025"
    assert learn.source_date_text("2021-05") == "2021-05"
    assert learn.source_date_text("undated page (cites 2014 figures)") == "undated page"
    assert learn.source_date_text(pd.NA) == "undated page"
