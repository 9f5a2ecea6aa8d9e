"""Access metrics on the real Maryland data: properties that must hold."""

from __future__ import annotations

import itertools
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

from geo.analysis import metrics
from geo.config import REPO_ROOT
from tests.support.cli import run_geo

FIVE_MILES_M = metrics.radius_m_from(miles=5)


@pytest.fixture(scope="module")
def all_sites(data):
    return metrics.select_sites(data)


@pytest.fixture(scope="module")
def baseline(data, all_sites):
    return metrics.jurisdiction_metrics(data, all_sites, FIVE_MILES_M)


def _state(table: pd.DataFrame) -> pd.Series:
    return table.set_index("fips").loc["24"]


def test_table_shape_and_totals(baseline, data, all_sites):
    assert len(baseline) == 25
    state = _state(baseline)
    assert state["population"] == 6_177_224
    open_mapped = data.sites["lat"].notna() & ~data.sites["closed"]
    assert state["sites"] == len(all_sites) == int(open_mapped.sum())
    assert int((data.sites["lat"].notna() & data.sites["closed"]).sum()) == 61  # Rite Aid
    counties = baseline[baseline["fips"] != "24"]
    assert counties["pop_within_radius"].sum() == pytest.approx(state["pop_within_radius"])
    assert counties["sites"].sum() == state["sites"]
    assert state["sites_per_100k"] == pytest.approx(len(all_sites) / 6_177_224 * 1e5)
    for column in (
        "pct_pop_within_radius",
        "mean_distance_miles",
        "p90_distance_miles",
        "access_2sfca_per_100k",
        "sites_per_100k",
    ):
        assert baseline[column].notna().all(), column
    assert (baseline["p90_distance_miles"] >= 0).all()


def test_suppressed_deaths_stay_missing_but_every_jurisdiction_is_ranked(baseline):
    # Issue 16 changed this on purpose: suppressed jurisdictions are ranked on a stated rate.
    by_fips = baseline.set_index("fips")
    assert pd.isna(by_fips.loc["24029", "deaths_2022_2023"])  # Kent: both years suppressed
    assert pd.isna(by_fips.loc["24023", "deaths_2022_2023"])  # Garrett 2022 suppressed
    assert by_fips.loc["24023", "death_rate_per_100k"] == pytest.approx(13 / 28423 * 1e5)
    assert by_fips.loc["24023", "rate_source"] == "CDC WONDER 2023 only (2022 suppressed)"
    assert by_fips.loc["24029", "rate_source"].startswith("Maryland rate 2022-2023")
    assert by_fips.loc["24029", "death_rate_per_100k"] == by_fips.loc["24", "death_rate_per_100k"]
    counties = baseline[baseline["fips"] != "24"]
    assert counties["gap_rank"].notna().all() and counties["gap_rank"].between(1, 24).all()
    assert by_fips.loc["24510", "deaths_2022_2023"] == 800 + 868
    assert by_fips.loc["24510", "death_rate_per_100k"] == pytest.approx(
        1668 / (569931 + 565239) * 1e5
    )


def test_gap_score_formula_and_ranking(baseline):
    rows = baseline[baseline["fips"] != "24"]
    assert rows["gap_score"].notna().all()
    expected = rows["uncovered_population"] * rows["death_rate_per_100k"] / 1e5
    np.testing.assert_allclose(rows["gap_score"], expected)
    ranking = metrics.gap_ranking(baseline)
    scores = ranking["gap_score"].dropna().to_numpy()
    assert (np.diff(scores) <= 0).all()
    assert ranking["gap_rank"].iloc[0] == 1
    assert len(ranking) == 24
    assert (ranking["gap_rank_low"] <= ranking["gap_rank"]).all()
    assert (ranking["gap_rank"] <= ranking["gap_rank_high"]).all()


def test_coverage_grows_with_radius_and_reaches_everyone(data, all_sites):
    shares = []
    for miles in (0.5, 1, 2, 5, 10, 25, 200):
        table = metrics.jurisdiction_metrics(data, all_sites, metrics.radius_m_from(miles=miles))
        shares.append(_state(table)["pct_pop_within_radius"])
    assert all(b >= a for a, b in itertools.pairwise(shares))
    assert shares[0] < 50
    assert shares[-1] == pytest.approx(100.0)


def test_adding_a_site_never_lowers_coverage(data, all_sites, baseline):
    nearest = metrics.nearest_sites(data, all_sites)
    garrett = nearest[nearest["fips"] == "24023"].sort_values("distance_m").iloc[-1]
    assert garrett["distance_m"] > FIVE_MILES_M
    garrett_centre = pd.DataFrame(
        {"lat": [garrett["lat"]], "lon": [garrett["lon"]], "name": ["test"]}
    )
    added = metrics.select_sites(data, added=garrett_centre)
    assert added["is_what_if"].sum() == 1
    assert added.loc[added["is_what_if"], "jurisdiction_fips"].item() == "24023"
    table = metrics.jurisdiction_metrics(data, added, FIVE_MILES_M)
    merged = baseline.merge(table, on="fips", suffixes=("_before", "_after"))
    assert (merged["pop_within_radius_after"] >= merged["pop_within_radius_before"]).all()
    assert (
        merged["mean_distance_miles_after"] <= merged["mean_distance_miles_before"] + 1e-12
    ).all()
    garrett = merged.set_index("fips").loc["24023"]
    assert garrett["pop_within_radius_after"] > garrett["pop_within_radius_before"]
    assert garrett["sites_after"] == garrett["sites_before"] + 1


def test_removing_sites_by_id(data, all_sites, baseline):
    garrett_ids = all_sites.loc[all_sites["jurisdiction_fips"] == "24023", "id"].tolist()
    removed = metrics.select_sites(data, removed_ids=garrett_ids)
    table = metrics.jurisdiction_metrics(data, removed, FIVE_MILES_M).set_index("fips")
    assert table.loc["24023", "sites"] == 0
    assert (
        table.loc["24023", "pop_within_radius"]
        < baseline.set_index("fips").loc["24023", "pop_within_radius"]
    )
    assert np.isnan(table.loc["24023", "deaths_per_site"]) or pd.isna(
        table.loc["24023", "deaths_per_site"]
    )


def test_removing_a_type_changes_only_what_it_should(data, baseline):
    # Removing every mapped vending machine and box by id, or excluding the type, gives
    # the same table (unmapped ones never count).
    no_vending = [t for t in metrics.parse_site_types(None) if t != "vending_machine"]
    vending = data.sites[(data.sites["type"] == "vending_machine") & data.sites["lat"].notna()]
    assert len(vending) == 14  # the Metro SubwayLink boxes; the others are unmapped
    same = metrics.jurisdiction_metrics(data, metrics.select_sites(data, no_vending), FIVE_MILES_M)
    removed = metrics.jurisdiction_metrics(
        data, metrics.select_sites(data, removed_ids=list(vending["id"])), FIVE_MILES_M
    )
    pd.testing.assert_frame_equal(same, removed)
    # Excluding treatment programs lowers site counts by exactly their number per county
    # and never raises coverage.
    no_otp = [t for t in metrics.parse_site_types(None) if t != "opioid_treatment_program"]
    table = metrics.jurisdiction_metrics(data, metrics.select_sites(data, no_otp), FIVE_MILES_M)
    otp = data.sites[(data.sites["type"] == "opioid_treatment_program") & data.sites["lat"].notna()]
    per_county = otp["jurisdiction_fips"].value_counts()
    merged = baseline.merge(table, on="fips", suffixes=("_all", "_no_otp")).set_index("fips")
    for fips, row in merged.drop(index="24").iterrows():
        assert row["sites_all"] - row["sites_no_otp"] == per_county.get(fips, 0)
        assert row["pop_within_radius_no_otp"] <= row["pop_within_radius_all"]
        assert row["population_all"] == row["population_no_otp"]
        assert (
            row["deaths_2022_2023_all"] is row["deaths_2022_2023_no_otp"]
            or row["deaths_2022_2023_all"] == row["deaths_2022_2023_no_otp"]
        )


def test_recommendations_add_up(data, all_sites):
    result = metrics.recommend_sites(data, all_sites, 10, FIVE_MILES_M)
    assert len(result) == 10
    assert (np.diff(result["newly_covered_population"]) <= 0).all()
    assert (
        result["cumulative_covered_population"].iloc[-1] == result["newly_covered_population"].sum()
    )
    added = metrics.select_sites(data, added=result[["lat", "lon"]])
    after = _state(metrics.jurisdiction_metrics(data, added, FIVE_MILES_M))
    before = _state(metrics.jurisdiction_metrics(data, all_sites, FIVE_MILES_M))
    assert after["pop_within_radius"] - before["pop_within_radius"] == pytest.approx(
        result["cumulative_covered_population"].iloc[-1], abs=1
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda d: metrics.radius_m_from(miles=0), "positive"),
        (lambda d: metrics.radius_m_from(miles=-3), "positive"),
        (lambda d: metrics.radius_m_from(km=float("nan")), "positive"),
        (lambda d: metrics.radius_m_from(miles="five"), "number"),
        (lambda d: metrics.parse_site_types("pharmacy,clinic"), "unknown site type 'clinic'"),
        (lambda d: metrics.parse_site_types([]), "at least one"),
        (lambda d: metrics.select_sites(d, removed_ids=["nope"]), "unknown site id"),
        (
            lambda d: metrics.select_sites(
                d, added=pd.DataFrame({"lat": [np.nan], "lon": [-76.0]})
            ),
            "must be numbers",
        ),
        (
            lambda d: metrics.select_sites(d, added=pd.DataFrame({"lat": [40.5], "lon": [-76.0]})),
            "outside Maryland",
        ),
        (
            lambda d: metrics.jurisdiction_metrics(
                d,
                metrics.select_sites(
                    d,
                    "vending_machine",
                    removed_ids=list(d.sites.loc[d.sites["type"] == "vending_machine", "id"]),
                ),
                FIVE_MILES_M,
            ),
            "no sites selected",
        ),
        (
            lambda d: metrics.recommend_sites(d, metrics.select_sites(d), 5000, FIVE_MILES_M),
            "larger than the number of candidates",
        ),
        (
            lambda d: metrics.jurisdiction_metrics(d, metrics.select_sites(d), 5.0, decay="cubic"),
            "unknown distance decay",
        ),
    ],
)
def test_bad_parameters_are_clear_value_errors(data, call, message):
    with pytest.raises(ValueError, match=message):
        call(data)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_geo(args, cwd=REPO_ROOT)


def test_cli_metrics_json_matches_library(baseline):
    result = _cli("metrics", "--radius-miles", "5", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = {row["fips"]: row for row in json.loads(result.stdout)}
    assert len(rows) == 25
    for column in (
        "fips",
        "name",
        "population",
        "sites",
        "sites_per_100k",
        "pop_within_radius",
        "pct_pop_within_radius",
        "mean_distance_miles",
        "p90_distance_miles",
    ):
        assert column in rows["24"]
    state = _state(baseline)
    assert rows["24"]["pct_pop_within_radius"] == pytest.approx(
        state["pct_pop_within_radius"], rel=1e-6
    )


def test_cli_metrics_km_and_types():
    result = _cli("metrics", "--radius-km", "8", "--types", "pharmacy")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 26


def test_cli_recommend():
    result = _cli(
        "recommend",
        "--k",
        "3",
        "--radius-miles",
        "5",
        "--types",
        "pharmacy,opioid_treatment_program",
    )
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(pd.io.common.StringIO(result.stdout.lstrip("\ufeff")))
    assert {
        "rank",
        "candidate_id",
        "lat",
        "lon",
        "fips",
        "name",
        "newly_covered_population",
        "cumulative_covered_population",
        "place",
        "nearest_town_distance_miles",
    } <= set(frame.columns)
    assert frame["place"].str.match(r"(near|[a-z-]+ of) .+ \(\d+\.\d mi\)$").all()
    assert len(frame) == 3


@pytest.mark.parametrize(
    "args",
    [
        ("metrics", "--radius-miles", "0"),
        ("metrics", "--radius-miles", "-2"),
        ("metrics", "--radius-miles", "5", "--types", "unicorn"),
        ("metrics", "--radius-miles", "5", "--types", ""),
        ("recommend", "--k", "100000", "--radius-miles", "5"),
        ("recommend", "--k", "0", "--radius-miles", "5"),
        ("metrics",),
    ],
)
def test_cli_bad_input_exits_2_without_traceback(args):
    result = _cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "error" in result.stderr
