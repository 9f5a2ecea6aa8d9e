"""Issues 26 and 28.3 on the Access gaps page: each new gap measure selected, tract
context in the tract table, one rule for recommendations (measure and focus), real host
sites named by name and address, and county names in "Remove listed sites"."""

from __future__ import annotations

import re

import pytest

from geo.analysis import metrics
from geo.analysis.scenario import Scenario
from tests.app.test_app_pages import open_app, ranking_table, recommendation_table
from tests.support.fast_set import first_in_fast_set

FIVE_MILES_M = metrics.radius_m_from(miles=5)


@pytest.mark.parametrize("measure", ["no-vehicle", "rurality"])
def test_each_new_gap_measure_ranks_and_recommends(data, measure):
    app = open_app(page="access-gaps", k="3")
    app.radio(key="gap_widget").set_value(measure).run()
    assert not app.exception
    assert app.query_params["gap"] == measure
    shown = ranking_table(app).set_index("name")
    expected = metrics.jurisdiction_metrics(
        data, metrics.select_sites(data), FIVE_MILES_M, gap_measure=measure
    ).set_index("name")
    assert shown["gap_rank"].to_dict() == expected.loc[shown.index, "gap_rank"].to_dict()
    latex = " ".join(item.value for item in app.latex)
    assert ("no vehicle" in latex) if measure == "no-vehicle" else ("10 \\text{ miles}" in latex)
    picked = recommendation_table(app)
    library = Scenario.from_data(data, gap_measure=measure).recommend(3)
    assert picked["candidate_id"].tolist() == library["candidate_id"].tolist()


def test_recommendations_stay_in_the_focus_and_follow_the_measure(data):
    app = open_app(page="access-gaps", focus="24023", gap="svi", k="3")
    assert not app.exception
    picked = recommendation_table(app)
    assert set(picked["fips"]) == {"24023"}
    library = Scenario.from_data(data, gap_measure="svi").recommend(3, within="24023")
    assert picked["candidate_id"].tolist() == library["candidate_id"].tolist()
    captions = " ".join(c.value for c in app.caption)
    assert "only among candidates inside Garrett" in captions
    statewide = recommendation_table(open_app(page="access-gaps", gap="deaths", k="5"))
    svi = recommendation_table(open_app(page="access-gaps", gap="svi", k="5"))
    assert statewide["candidate_id"].tolist() != svi["candidate_id"].tolist()


def test_real_host_sites_are_named_with_the_caveat(data):
    app = open_app(page="access-gaps", k="3")
    app.radio(key="candidates_widget").set_value(metrics.DEFAULT_HOST_SITES).run()
    assert not app.exception
    picked = recommendation_table(app)
    hosts = data.candidate_sites.set_index("candidate_id")
    for place, cid in zip(picked["place"], picked["candidate_id"], strict=True):
        assert place.startswith(hosts.loc[cid, "name"]) and hosts.loc[cid, "address"] in place
    assert (picked["candidate_note"] == "a candidate host site, not a naloxone site today").all()
    assert any("not a naloxone site today" in c.value for c in app.caption)


def test_tract_table_carries_tract_context_and_removal_names_counties(data):
    app = open_app(page="access-gaps")
    tracts = next(
        frame.value for frame in app.dataframe if "nearest_site_name" in frame.value.columns
    )
    for column in ("no_vehicle_pct", "transit_commute_pct", "walk_commute_pct", "ruca_code"):
        assert column in tracts
    assert tracts["rurality"].isin(["Urban", "Suburban", "Rural"]).all()
    labels = app.multiselect(key="what_if_removed").options  # as the reader sees them
    assert len(labels) > 100
    assert not any(re.search(r"\b24\d{3}\b", label) for label in labels)
    names = set(data.jurisdictions["name"])
    assert all(label.rsplit(" · ", 1)[-1] in names for label in labels)


@pytest.mark.parametrize("measure", first_in_fast_set(["no-vehicle", "rurality"], keep=1))
def test_compare_selects_each_new_gap_measure(data, measure):
    app = open_app(page="compare")
    app.selectbox(key="compare_gap_widget").set_value(measure).run()
    assert not app.exception
    assert app.query_params["gap"] == measure
    table = next(f.value for f in app.dataframe if "gap_rank" in f.value.columns)
    expected = metrics.jurisdiction_metrics(
        data, metrics.select_sites(data), FIVE_MILES_M, gap_measure=measure
    ).set_index("fips")
    shown = table[table["fips"] != "24"].set_index("fips")
    assert shown["gap_rank"].tolist() == expected.loc[shown.index, "gap_rank"].tolist()
    assert any("Gap = " in c.value for c in app.caption)


def test_compare_shows_trends_with_their_download(data):
    from geo.analysis import trends

    app = open_app(page="compare", focus="24023")
    assert not app.exception
    assert any("Overdose death rates over time" in h.value for h in app.subheader)
    assert len(app.get("image")) >= 1  # the small charts (st.pyplot)
    expected = trends.change_text(
        trends.trend_rows(data.trend, data.burden, data.jurisdictions), "24023"
    )
    assert any(expected in m.value.replace("\\", "") for m in app.markdown)
    labels = {button.proto.label for button in app.get("download_button")}
    assert "Download the trend data (CSV)" in labels
    captions = " ".join(c.value for c in app.caption)
    assert "never joined" in captions and "not a count" in captions


def test_no_vehicle_with_walking_minutes_ranks_baltimore_city(data):
    app = open_app(page="access-gaps", gap="no-vehicle", measure="walk")
    assert not app.exception
    shown = ranking_table(app).set_index("name")
    walking = Scenario.from_data(data, gap_measure="no-vehicle", measure="walk")
    expected = walking.table().set_index("name")
    assert shown.loc["Baltimore City", "gap_rank"] == expected.loc["Baltimore City", "gap_rank"]
    assert shown.loc["Baltimore City", "gap_score"] == pytest.approx(
        expected.loc["Baltimore City", "gap_score"]
    )
    assert shown.loc["Baltimore City", "gap_score"] > 0  # 0 with the 5-mile radius
