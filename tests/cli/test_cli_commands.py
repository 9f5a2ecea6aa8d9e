"""The command package: one module per command, the Scenario behind metrics, recommend and
brief, and one nearest-site computation for a whole ``brief --all`` run (issue 10)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from matplotlib.figure import Figure

from geo import cli
from geo.analysis import metrics
from geo.config import METRES_PER_MILE
from geo.render import briefing
from tests.support.calls import count_calls


def test_the_parser_has_every_command_in_order():
    parser = cli.build_parser()
    choices = next(action.choices for action in parser._actions if getattr(action, "choices", None))
    assert list(choices) == [
        "build",
        "export",
        "sites",
        "hash-password",
        "metrics",
        "recommend",
        "brief",
        "map",
        "find",
        "travel",
        "network",
    ]
    for module in cli.COMMANDS:
        assert callable(module.add_arguments) and callable(module.run), module.__name__


def test_metrics_prints_the_table_of_the_chosen_scenario(data, capsysbinary):
    assert (
        cli.main(
            [
                "metrics",
                "--radius-km",
                "7",
                "--types",
                "pharmacy",
                "--format",
                "json",
                "--catchment-miles",
                "8",
                "--decay",
                "gaussian",
            ]
        )
        == 0
    )
    printed = pd.DataFrame(json.loads(capsysbinary.readouterr().out))
    expected = metrics.jurisdiction_metrics(
        data,
        metrics.select_sites(data, "pharmacy"),
        7000.0,
        catchment_m=8 * METRES_PER_MILE,
        decay="gaussian",
    )
    assert printed["fips"].tolist() == expected["fips"].tolist()
    assert (
        printed["pct_pop_within_radius"].round(4).tolist()
        == expected["pct_pop_within_radius"].round(4).tolist()
    )
    assert (
        printed["access_2sfca_per_100k"].round(4).tolist()
        == expected["access_2sfca_per_100k"].round(4).tolist()
    )


def test_recommend_prints_the_scenarios_recommendations(data, capsysbinary):
    assert cli.main(["recommend", "--k", "3", "--radius-miles", "5"]) == 0
    printed = pd.read_csv(
        io.BytesIO(capsysbinary.readouterr().out),
        encoding="utf-8-sig",
        dtype={"candidate_id": str, "fips": str},
    )
    expected = metrics.recommend_sites(
        data, metrics.select_sites(data), 3, 5 * METRES_PER_MILE, gap_measure="deaths"
    )
    assert printed["candidate_id"].tolist() == expected["candidate_id"].tolist()
    assert (
        printed["newly_covered_population"].tolist()
        == expected["newly_covered_population"].tolist()
    )


def test_brief_all_finds_the_nearest_sites_once_for_the_whole_run(tmp_path, monkeypatch):
    # Blank pages keep this quick; test_briefing renders a full briefing with one nearest.
    monkeypatch.setattr(briefing, "briefing_pages", lambda *args: [Figure()])
    nearest = count_calls(monkeypatch, "nearest_sites")
    tables = count_calls(monkeypatch, "jurisdiction_metrics")
    out = tmp_path / "all"
    assert cli.main(["brief", "--all", "--out-dir", str(out), "--public-only"]) == 0
    assert len(list(out.glob("briefing-*.pdf"))) == 25
    assert (len(nearest), len(tables)) == (1, 1)


@pytest.mark.parametrize("measure", ["deaths", "residents", "svi"])
def test_metrics_gap_measure_rows_carry_rank_range_and_rate_source(data, capsysbinary, measure):
    assert (
        cli.main(["metrics", "--radius-miles", "5", "--format", "json", "--gap-measure", measure])
        == 0
    )
    printed = pd.DataFrame(json.loads(capsysbinary.readouterr().out))
    counties = printed[printed["fips"] != "24"].set_index("fips")
    assert len(counties) == 24
    for column in (
        "gap_rank",
        "gap_rank_low",
        "gap_rank_high",
        "rate_source",
        "death_rate_per_100k",
        "death_rate_lcl95",
        "death_rate_ucl95",
    ):
        assert counties[column].notna().all(), column
    assert counties["gap_rank"].between(1, 24).all()
    assert (counties["gap_rank_low"] <= counties["gap_rank"]).all()
    assert (counties["gap_measure"] == measure).all()
    assert counties.loc["24029", "rate_source"].startswith("Maryland rate")
    expected = metrics.jurisdiction_metrics(
        data, metrics.select_sites(data), metrics.radius_m_from(miles=5), gap_measure=measure
    ).set_index("fips")
    assert counties["gap_rank"].tolist() == expected.loc[counties.index, "gap_rank"].tolist()


def test_metrics_refuses_an_unknown_gap_measure(capsys):
    with pytest.raises(SystemExit):
        cli.main(["metrics", "--gap-measure", "vibes"])
    assert "invalid choice: 'vibes'" in capsys.readouterr().err
