"""``python -m geo travel``, ``metrics --measure walk`` and ``find --measure walk``."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from geo import cli
from geo.analysis import metrics
from geo.analysis.scenario import Scenario
from geo.analysis.travel import TRAVEL_COLUMNS


@pytest.fixture(scope="module")
def walk_scenario():
    return Scenario.from_data(metrics.load_access_data(), measure="walk")


def run(capsysbinary, *argv):
    code = cli.main(list(argv))
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode()


def test_travel_csv_has_one_row_per_city_tract(walk_scenario, capsysbinary):
    code, out, _ = run(
        capsysbinary,
        *("travel", "--measure", "walk", "--jurisdiction", "Baltimore City"),
        *("--format", "csv", "--public-only"),
    )
    assert code == 0
    table = pd.read_csv(io.BytesIO(out), dtype={"geoid": str}, encoding="utf-8-sig")
    assert list(table.columns) == list(TRAVEL_COLUMNS)
    assert len(table) == 199 and table["geoid"].str.startswith("24510").all()
    expected = walk_scenario.travel
    np.testing.assert_allclose(table["minutes"], expected["minutes"], rtol=1e-12)
    assert (table["nearest_site_id"] == expected["nearest_site_id"]).all()
    assert (table["minutes"] > 0).all()


def test_travel_json_and_types(capsysbinary):
    code, out, _ = run(
        capsysbinary,
        *("travel", "--measure", "walk", "--jurisdiction", "24510"),
        *("--format", "json", "--public-only", "--types", "pharmacy"),
    )
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 199 and set(rows[0]) == set(TRAVEL_COLUMNS)
    assert all(row["nearest_site_id"].startswith(("osm_rx", "nppes_")) for row in rows)
    everything = Scenario.from_data(metrics.load_access_data(), measure="walk").travel
    # Fewer site types never shorten a trip.
    assert all(
        row["minutes"] >= before - 1e-5  # JSON keeps 6 decimals
        for row, before in zip(rows, everything["minutes"], strict=True)
    )


@pytest.mark.parametrize(
    "argv, message",
    [
        (("--jurisdiction", "Howard"), "outside Baltimore City"),
        (("--jurisdiction", "Atlantis"), "unknown jurisdiction"),
        (("--types", "bakery"), "unknown site type"),
    ],
)
def test_travel_bad_input_is_one_line_and_exit_2(capsysbinary, argv, message):
    code, out, err = run(capsysbinary, "travel", "--measure", "walk", "--public-only", *argv)
    assert code == 2 and out == b""
    assert message in err and len(err.strip().splitlines()) == 1


def test_metrics_walk_minutes(walk_scenario, capsysbinary):
    code, out, _ = run(
        capsysbinary, "metrics", "--measure", "walk", "--minutes", "15", "--format", "json"
    )
    assert code == 0
    city, area = json.loads(out)  # one row per jurisdiction the network covers, then the area
    assert (city["fips"], area["fips"]) == ("24510", "area")
    travel = walk_scenario.travel
    within = travel.loc[travel["minutes"] <= 15, "population"].sum()
    beyond = travel.loc[travel["minutes"] > 15, "population"].sum()
    for row in (city, area):
        assert row["pop_within_minutes"] == within and row["uncovered_population"] == beyond
        assert row["population"] == travel["population"].sum()
        assert row["measure"] == "walking minutes" and row["area"] == "Baltimore City"
        assert "80 m/min" in row["method"] and row["minutes"] == 15
    assert city["gap_score"] == pytest.approx(beyond * city["death_rate_per_100k"] / 100_000)
    assert city["gap_rank"] == 1 and area["gap_rank"] is None
    assert city["access_2sfca_per_100k"] > 0


def test_metrics_walk_csv_names_the_measure(capsysbinary):
    code, out, _ = run(
        capsysbinary, "metrics", "--measure", "walk", "--minutes", "10", "--format", "csv"
    )
    assert code == 0
    table = pd.read_csv(io.BytesIO(out), dtype={"fips": str}, encoding="utf-8-sig")
    assert table["fips"].tolist() == ["24510", "area"]
    assert (table["measure"] == "walking minutes").all() and (table["minutes"] == 10).all()
    assert "pct_pop_within_radius" not in table.columns  # never mixed with straight-line


def test_metrics_needs_a_radius_for_the_straight_line(capsysbinary):
    code, _, err = run(capsysbinary, "metrics")
    assert code == 2 and "--radius-miles" in err


def test_find_walk_orders_by_minutes(capsysbinary):
    code, out, _ = run(capsysbinary, "find", "21202", "--measure", "walk", "--format", "json")
    assert code == 0
    answer = json.loads(out)
    minutes = [row["travel_minutes"] for row in answer["results"]]
    assert len(minutes) == 5 and minutes == sorted(minutes)
    assert all(row["jurisdiction"] == "Baltimore City" for row in answer["results"])
    assert all(row["travel_mode"] == "walk" for row in answer["results"])
    assert "walking minutes" in answer["notes"][0]
    code, out, _ = run(capsysbinary, "find", "21202", "--measure", "walk")
    assert "min walk" in out.decode() and "straight-line)" in out.decode()


def test_find_walk_outside_the_city_says_it_is_straight_line(capsysbinary):
    code, out, _ = run(capsysbinary, "find", "La Plata, MD", "--measure", "walk")
    assert code == 0
    text = out.decode()
    assert "Baltimore City only" in text and "straight-line" in text
    assert "min walk" not in text


def test_recommend_by_walking_minutes(walk_scenario, capsysbinary):
    code, out, _ = run(
        capsysbinary,
        *("recommend", "--k", "2", "--measure", "walk", "--minutes", "15"),
        *("--gap-measure", "residents", "--format", "json"),
    )
    assert code == 0
    rows = json.loads(out)
    expected = walk_scenario.replace(gap_measure="residents").recommend_by_minutes(2)
    assert [r["candidate_id"] for r in rows] == expected["candidate_id"].tolist()
    assert all(r["measure"] == "walking minutes" and r["minutes"] == 15 for r in rows)
    assert rows[0]["gap_reduction"] == rows[0]["newly_covered_population"]


def test_recommend_by_walking_minutes_refuses_a_jurisdiction(capsysbinary):
    code, out, err = run(
        capsysbinary, "recommend", "--k", "2", "--measure", "walk", "--jurisdiction", "Kent"
    )
    assert code == 2 and out == b"" and "network's area only" in err
