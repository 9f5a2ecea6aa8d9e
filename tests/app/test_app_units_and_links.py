"""The view's unit everywhere on the pages; the focus jurisdiction's own KPIs; the pages'
own choices (compared jurisdictions, chart measure, k) kept in the link."""

from __future__ import annotations

from geo.analysis import metrics
from geo.render import formatting
from tests.app.test_app_pages import library_table, metric_values, open_app

KM_PER_MILE = 1.609344


def test_km_view_shows_distances_in_km(data):
    app = open_app(page="access-gaps", r="8", unit="km")
    assert not app.exception
    table = metrics.jurisdiction_metrics(data, metrics.select_sites(data), 8000.0)
    mean_km = table.set_index("fips").loc["24", "mean_distance_miles"] * KM_PER_MILE
    assert metric_values(app)["Mean distance to nearest site"] == f"{mean_km:,.2f} km"
    tracts = next(f.value for f in app.dataframe if "geoid" in f.value.columns)
    assert "distance_km" in tracts.columns and "distance_miles" not in tracts.columns

    garrett = data.sites[data.sites["jurisdiction_fips"] == "24023"]["id"].tolist()
    app.multiselect(key="what_if_removed").set_value(garrett[:1]).run()
    mean = next(m for m in app.metric if m.label == "Mean distance to nearest site")
    assert mean.delta.endswith(" km")

    app = open_app(page="compare", r="8", unit="km", focus="24023")
    assert not app.exception
    compared = app.dataframe[0].value
    assert "mean_distance_km" in compared.columns
    assert metric_values(app)["Mean distance to nearest site: Garrett"].endswith(" km")

    app = open_app(r="8", unit="km")
    assert any(" km; 90% of residents live within" in m.value for m in app.markdown)


def test_overview_kpis_follow_the_focus_jurisdiction(sites):
    app = open_app(focus="24023")
    assert not app.exception
    values = metric_values(app)
    garrett = sites[sites["jurisdiction_fips"] == "24023"]
    assert values["Listed access points (Garrett)"] == formatting.count(len(garrett))
    mapped = int(garrett["lat"].notna().sum())
    assert values["Mapped / unmapped sites (Garrett)"] == f"{mapped} / {len(garrett) - mapped}"


def test_access_gaps_shows_the_statewide_share_once(data):
    app = open_app(page="access-gaps")
    assert not app.exception
    shares = [m.value for m in app.metric if "within" in m.label and "%" in m.value]
    assert len(shares) == 1, [m.label for m in app.metric]
    p90 = library_table(data).loc["24", "p90_distance_miles"]
    assert metric_values(app)["90% of residents live within"] == f"{p90:,.2f} mi"


def test_compare_choices_and_k_are_kept_in_the_link():
    app = open_app(page="compare")
    app.multiselect(key="compare_choice").set_value(["24001", "24003"]).run()
    app.selectbox(key="compare_measure").set_value("gap_score").run()
    assert app.query_params["compare"] == "24001,24003"
    assert app.query_params["chart"] == "gap_score"
    reopened = open_app(page="compare", compare="24001,24003", chart="gap_score")
    assert not reopened.exception
    assert reopened.multiselect(key="compare_choice").value == ["24001", "24003"]
    assert reopened.selectbox(key="compare_measure").value == "gap_score"

    app = open_app(page="access-gaps")
    app.slider(key="k_recommend").set_value(9).run()
    assert app.query_params["k"] == "9"
    reopened = open_app(page="access-gaps", k="9")
    assert reopened.slider(key="k_recommend").value == 9
    assert not reopened.warning or all("Session State" not in w.value for w in reopened.warning)
