"""Issue 24 items 1, 2, 5 and issue 28 item 6 under AppTest: closed listings are not
counted, the completeness columns follow the library, Data & methods lists the closed
sites, and the finder says "about" for approximate sites and how old the evidence is."""

from __future__ import annotations

import re

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo.analysis import metrics
from geo.analysis.finder import Finder
from geo.config import REPO_ROOT
from geo.render import formatting

TIMEOUT = 120


def open_app(**query: str) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def frame_with(app: AppTest, column: str) -> pd.DataFrame:
    return next(f.value for f in app.dataframe if column in f.value.columns)


def library_table(data) -> pd.DataFrame:
    return metrics.jurisdiction_metrics(
        data, metrics.select_sites(data), metrics.radius_m_from(miles=5)
    ).set_index("name")


def test_overview_counts_leave_closed_sites_out(sites):
    app = open_app()
    assert not app.exception
    values = {m.label: m.value for m in app.metric}
    assert values["Listed access points"] == formatting.count(int((~sites["closed"]).sum()))
    by_type = next(t.value for t in app.table if "Closed (not counted)" in t.value.columns)
    assert by_type.loc["Pharmacy", "Closed (not counted)"] == 61
    assert by_type.loc["Pharmacy", "Listed"] == int(
        ((sites["type"] == "pharmacy") & ~sites["closed"]).sum()
    )


def test_access_gaps_ranking_and_tracts_carry_the_completeness_check(data):
    app = open_app(page="access-gaps")
    assert not app.exception
    ranking = frame_with(app, "rank_range").set_index("name")
    expected = library_table(data)
    for column in ("list_gap_tracts", "list_gap_population", "list_gap_mostly"):
        assert ranking[column].to_dict() == expected.loc[ranking.index, column].to_dict()
    assert ranking["list_gap_mostly"].any()
    tracts = frame_with(app, "nearest_site_name")
    flags = data.list_gaps.set_index("geoid")["list_gap"]
    assert tracts["list_gap"].tolist() == tracts["geoid"].map(flags).tolist()
    captions = " ".join(c.value for c in app.caption)
    assert "110 km\\/h" in captions and "likely gap in our pharmacy list" in captions


def test_compare_has_the_completeness_column(data):
    app = open_app(page="compare")
    assert not app.exception
    table = frame_with(app, "list_gap_population").set_index("name")
    expected = library_table(data)
    assert (
        table.loc["Somerset", "list_gap_population"]
        == expected.loc["Somerset", "list_gap_population"]
    )
    assert (
        table["list_gap_mostly"].to_dict() == expected.loc[table.index, "list_gap_mostly"].to_dict()
    )


def test_data_and_methods_lists_closed_sites_and_the_method(data):
    app = open_app(page="data")
    assert not app.exception
    text = "\n".join(m.value for m in app.markdown)
    assert "61 listings are closed" in text
    state = library_table(data).loc["Maryland"]
    assert formatting.count(state["list_gap_population"]) in text
    assert "Approximate locations count" in text and "110 km/h" in text
    closed = frame_with(app, "closed_source")
    assert len(closed) == 61
    assert closed["status"].str.startswith("closed").all()


def test_finder_says_about_for_approximate_sites_and_how_old_the_evidence_is(data):
    app = open_app(page="find", q="21550", types="pharmacy,health_department")
    assert not app.exception
    listing = "\n".join(m.value for m in app.markdown)
    result = Finder.from_data(data).find("21550", 5, ["pharmacy", "health_department"])
    approximate = result.results[result.results["location_precision"] == "zip_centroid"]
    assert len(approximate), "21550 has pharmacies known only by ZIP"
    assert "0.0 mi" not in listing
    assert "about 1 mi or less straight-line to its ZIP centre" in listing
    plain = listing.replace("\\", "")  # Markdown escapes of literal text
    assert re.search(r"Evidence: listed in 2023, not re-confirmed \(about \d+ years old\)", plain)
    assert "Evidence: from Feb 2026" in plain
