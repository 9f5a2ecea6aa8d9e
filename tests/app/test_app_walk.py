"""Issue 25: the measure switch. Walking minutes on Access gaps (KPIs, tract table with
its download, recommendations by travel time), kept in the link; driving offered only
when a network is installed; a link asking for driving without one falls back."""

from __future__ import annotations

from geo.analysis import metrics
from geo.analysis.scenario import Scenario
from geo.render import formatting
from tests.app.test_app_pages import metric_values, open_app


def test_access_gaps_by_walking_minutes(data, fresh, tmp_path, monkeypatch):
    monkeypatch.setenv("NALOXONE_NETWORK_DIR", str(tmp_path / "none"))
    app = open_app(page="access-gaps", measure="walk", minutes="10", data="public", k="2")
    assert not app.exception
    scenario = Scenario.from_data(data, measure="walk", minutes=10)
    summary = scenario.travel_summary().iloc[0]
    shown = metric_values(app)
    assert shown["Residents within a 10-minute walk"] == formatting.count(
        summary["population_within_minutes"]
    )
    assert shown["Half of residents are within"] == f"{summary['median_minutes']:.1f} min"
    tracts = next(f.value for f in app.dataframe if "origin_snap_m" in f.value.columns)
    assert len(tracts) == 199 and tracts["minutes"].is_monotonic_decreasing
    recommended = next(
        f.value for f in app.dataframe if "newly_covered_population" in f.value.columns
    )
    expected = scenario.recommend_by_minutes(2)
    assert recommended["candidate_id"].tolist() == expected["candidate_id"].tolist()
    labels = {button.proto.label for button in app.get("download_button")}
    assert any(label.startswith("Download this table") for label in labels)
    assert app.query_params["measure"] == "walk" and app.query_params["minutes"] == "10"
    radio = app.radio(key="access_widget")
    assert radio.value == "walk" and "drive" not in radio.options
    assert any("covers Baltimore City only" in info.value for info in app.info)
    ranking = next(f.value for f in app.dataframe if "rank_range" in f.value.columns)
    expected_rank = scenario.travel_ranking()
    assert ranking["name"].tolist() == ["Baltimore City"]
    assert (
        ranking["uncovered_population"].tolist() == expected_rank["uncovered_population"].tolist()
    )
    assert (ranking["measure"] == "walking minutes").all()
    assert "mean_distance_miles" not in ranking.columns  # never mixed with straight-line
    assert any("(10-minute walk)" in h.value for h in app.subheader)


def test_straight_line_stays_the_default(fresh):
    app = open_app(page="access-gaps", data="public")
    assert not app.exception
    assert app.radio(key="access_widget").value == "straight"
    assert "measure" not in app.query_params
    assert any(label.startswith("Residents farther than") for label in metric_values(app))


def test_a_drive_link_without_a_network_falls_back(fresh, tmp_path, monkeypatch):
    monkeypatch.setenv("NALOXONE_NETWORK_DIR", str(tmp_path / "none"))
    app = open_app(page="access-gaps", measure="drive", data="public")
    assert not app.exception
    assert app.radio(key="access_widget").value == "straight"
    assert any("Driving minutes: not available" in c.value for c in app.sidebar.caption)


def test_drive_is_offered_when_a_network_is_installed(fresh, tmp_path, monkeypatch):
    from pathlib import Path

    from geo import cli

    fixture = Path(__file__).parents[1] / "network" / "data"
    monkeypatch.setenv("NALOXONE_NETWORK_DIR", str(tmp_path))
    osm = fixture / "baltimore_downtown_2015_route-annotator.osm.pbf"
    assert cli.main(["network", "build", "--osm", str(osm), "--mode", "drive"]) == 0
    app = open_app(page="access-gaps", measure="drive", minutes="5", data="public")
    assert not app.exception
    assert app.radio(key="access_widget").options[-1] == "Driving minutes"
    shown = metric_values(app)
    scenario = Scenario.from_data(metrics.load_access_data(), measure="drive", minutes=5)
    within = scenario.travel_summary().iloc[0]["population_within_minutes"]
    assert shown["Residents within a 5-minute drive"] == formatting.count(within)


def test_oeps_outside_layer_is_off_by_default_and_labelled(data, fresh):
    from pages.screens.oeps_layer import SHOW_KEY

    app = open_app(page="access-gaps", focus="24510", data="public")
    assert not app.exception
    assert not app.toggle(key=SHOW_KEY).value
    assert not any("origin_snap_m" in f.value.columns for f in app.dataframe)
    app.toggle(key=SHOW_KEY).set_value(True).run()
    assert not app.exception
    assert any("Not our figures" in warning.value for warning in app.warning)
    table = next(f.value for f in app.dataframe if "drive_minutes" in f.value.columns)
    oeps = data.drive_times.set_index("geoid")["drive_minutes"]
    assert len(table) == 199
    shown = table.set_index("geoid")["drive_minutes"]
    assert shown.dropna().equals(oeps.loc[shown.dropna().index])
    labels = {button.proto.label for button in app.get("download_button")}
    assert "Download the OEPS outside layer (CSV)" in labels


def test_data_and_methods_states_the_travel_rules(fresh):
    app = open_app(page="data", data="public")
    assert not app.exception
    text = " ".join(block.value for block in app.markdown)
    assert '"Limited Access", "Ramp", "Tunnel"' in text and "80 m/min" in text
    assert "Outside layer: OEPS drive times" in text
    assert "2SFCA in minutes uses the threshold T as its catchment" in text
    assert "stay straight-line" not in text  # the ranking and Compare are in minutes now


def test_find_by_walking_minutes_inside_the_city(data, fresh):
    from geo.analysis.finder import Finder
    from geo.analysis.travel import travel_find
    from geo.network.installed import walk_covered

    app = open_app(page="find", q="21202", measure="walk", data="public")
    assert not app.exception
    text = " ".join(block.value for block in app.markdown)
    finder = Finder.from_data(data)
    first = finder.find("21202")
    expected = travel_find(finder, first.query, 5, None, walk_covered()).results
    plain = text.replace("\\", "")  # names from data are shown literally (escaped)
    assert plain.index(expected["name"].iloc[0]) < plain.index(expected["name"].iloc[-1])
    assert text.count(" min walk") == 5  # "about 1 min walk to its ZIP centre" for some
    captions = " ".join(caption.value for caption in app.caption)
    assert "Ordered by walking minutes on Baltimore City streets" in captions
    labels = {button.proto.label for button in app.get("download_button")}
    assert "Download these results (CSV)" in labels


def test_find_by_walking_minutes_outside_the_city_says_straight_line(fresh):
    app = open_app(page="find", q="21550", measure="walk", data="public")
    assert not app.exception
    text = " ".join(block.value for block in app.markdown)
    assert " min walk (" not in text and "straight-line" in text
    captions = " ".join(caption.value for caption in app.caption)
    assert "Walking minutes are available in Baltimore City only" in captions


def test_overview_says_the_walking_share_and_what_stays_straight_line(data, fresh):
    app = open_app(measure="walk", minutes="15", data="public")
    assert not app.exception
    summary = Scenario.from_data(data, measure="walk").travel_summary().iloc[0]
    info = " ".join(box.value for box in app.info)
    assert formatting.percent(100 * summary["share_within_minutes"]) in info
    assert "within a 15-minute walk" in info and "straight-line" in info


def test_compare_in_walking_minutes_over_the_city(data, fresh):
    app = open_app(page="compare", measure="walk", minutes="15", data="public")
    assert not app.exception
    assert any("covers Baltimore City only" in box.value for box in app.info)
    table = next(f.value for f in app.dataframe if "pct_pop_within_minutes" in f.value.columns)
    assert table["fips"].tolist() == ["24510", "area"]
    assert (table["measure"] == "walking minutes").all()
    assert not any(c.endswith(("_miles", "_km", "_radius")) for c in table.columns)
    expected = Scenario.from_data(data, measure="walk").travel_table().set_index("fips")
    shown = table.set_index("fips")
    assert (
        shown.loc["24510", "pct_pop_within_minutes"]
        == expected.loc["24510", "pct_pop_within_minutes"]
    )
    assert app.selectbox(key="compare_travel_measure").label == "Chart (15-minute walk)"
    labels = {button.proto.label for button in app.get("download_button")}
    assert {"Chart (PNG)", "Chart (SVG)"} <= labels


def test_a_what_if_site_in_the_city_shortens_walks(data, fresh):
    from pages.screens.access_gaps import ADDED_KEY

    app = open_app(page="access-gaps", measure="walk", data="public", k="0")
    before = metric_values(app)["Residents within a 15-minute walk"]
    # A tract centre of the City far from any site: a what-if site there.
    walk = Scenario.from_data(data, measure="walk").travel
    far = walk.sort_values("minutes").iloc[-1]
    point = data.population.set_index("geoid").loc[far["geoid"]]
    app.session_state[ADDED_KEY] = [(float(point["lat"]), float(point["lon"]), "What-if site 1")]
    app.run()
    assert not app.exception
    metric = next(m for m in app.metric if m.label == "Residents within a 15-minute walk")
    assert metric.value != before and metric.delta.startswith("+")
