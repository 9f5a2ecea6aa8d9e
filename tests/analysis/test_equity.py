"""Issue 26 (tract context, no-vehicle and rurality gaps) and issue 28.3 (one rule for
recommendations): hand-computed toy frames, the real data recomputed from the raw files,
and the recommendations' gains checked against the gap they remove."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.analysis import equity, metrics
from geo.analysis.scenario import Scenario
from geo.config import METRES_PER_MILE, RAW_DIR

MILE = METRES_PER_MILE


def test_ruca_codes_map_to_the_atlas_classes():
    codes = pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 99, None], dtype="Int64")
    assert equity.access_class(codes).tolist() == [
        "urban", "rural", "rural", "urban", "rural", "rural",
        "urban", "rural", "rural", "rural", "unknown", "unknown",
    ]  # fmt: skip
    reach = equity.rurality_reach_m(np.array(["urban", "rural", "unknown"]))
    assert reach[0] == pytest.approx(1609.344) and reach[1] == pytest.approx(16093.44)
    assert np.isnan(reach[2])


def toy_context() -> pd.DataFrame:
    population = pd.DataFrame({"geoid": ["a", "b", "c", "d"]})
    layer = pd.DataFrame(
        {
            "geoid": ["a", "b", "c", "d"],
            "no_vehicle_pct": [10.0, np.nan, 50.0, 0.0],
            "transit_commute_pct": [1.0, np.nan, 2.0, 0.0],
            "walk_commute_pct": [1.0, np.nan, 2.0, 0.0],
            "ruca_code": pd.array([1, 2, 99, 10], dtype="Int64"),
            "rurality": ["Urban", "Suburban", "Rural", "Rural"],
        }
    )
    return equity.tract_context(population, layer)


def test_no_vehicle_gap_by_hand():
    # residents 1,000 / 2,000 / 500 / 300; nearest site 2, 3, 20 and 0.5 miles; radius 1.5 mi
    residents = np.array([1000.0, 2000.0, 500.0, 300.0])
    distance = np.array([2.0, 3.0, 20.0, 0.5]) * MILE
    found = equity.demand("no-vehicle", residents, 1.5 * MILE, context=toy_context())
    # a: 1,000 x 10% = 100; b: share unknown (no households) -> nothing, counted;
    # c: 500 x 50% = 250; d: within reach -> 0
    assert found.gap(distance).tolist() == pytest.approx([100.0, 0.0, 250.0, 0.0])
    assert found.unknown.tolist() == [False, True, False, False]
    assert found.gap(distance).sum() == pytest.approx(350.0)


def test_rurality_gap_by_hand():
    residents = np.array([1000.0, 2000.0, 500.0, 300.0])
    distance = np.array([2.0, 3.0, 20.0, 12.0]) * MILE
    found = equity.demand("rurality", residents, 5 * MILE, context=toy_context())
    # a urban (RUCA 1): 2 mi > 1 mi -> 1,000; b rural (RUCA 2): 3 mi < 10 mi -> 0;
    # c RUCA 99: unknown -> nothing, counted; d rural (RUCA 10): 12 mi > 10 mi -> 300
    assert found.gap(distance).tolist() == [1000.0, 0.0, 0.0, 300.0]
    assert found.unknown.tolist() == [False, False, True, False]
    assert found.residents_beyond(distance).tolist() == [1000.0, 0.0, 0.0, 300.0]


def _raw_recomputation(data, measure: str) -> pd.Series:
    """The gap per jurisdiction from the raw CSVs, with geopandas' own nearest join."""
    tracts = pd.read_csv(RAW_DIR / "md_tract_pop_centroids_cenpop2020.csv", dtype=str)
    vehicles = pd.read_csv(
        RAW_DIR / "md_tract2020_no_vehicle_commute_acs2023_oeps.csv", dtype={"GEOID": str}
    )
    ruca = pd.read_csv(RAW_DIR / "md_tract2020_ruca2020_oeps.csv", dtype={"GEOID": str})
    tracts = tracts.merge(vehicles, on="GEOID").merge(ruca, on="GEOID")
    points = gpd.GeoDataFrame(
        tracts,
        geometry=gpd.points_from_xy(
            tracts["LONGITUDE"].astype(float), tracts["LATITUDE"].astype(float)
        ),
        crs="EPSG:4326",
    ).to_crs(26985)
    sites = metrics.select_sites(data).to_crs(26985)[["geometry"]]
    joined = gpd.sjoin_nearest(points, sites, distance_col="d").drop_duplicates("GEOID")
    residents = joined["POPULATION"].astype(float)
    if measure == "no-vehicle":
        weight = residents * joined["NoVehHHld"] / 100.0
        beyond = joined["d"] > 5 * MILE
    else:
        urban = joined["Ruca1"].isin([1, 4, 7])
        rural = joined["Ruca1"].isin([2, 3, 5, 6, 8, 9, 10])
        weight = residents.where(urban | rural)
        beyond = (urban & (joined["d"] > MILE)) | (rural & (joined["d"] > 10 * MILE))
    county = joined["GEOID"].str[:5]
    return weight.where(beyond, 0.0).fillna(0.0).groupby(county).sum()


@pytest.mark.parametrize("measure", ["no-vehicle", "rurality"])
def test_real_gap_measures_recompute_from_the_raw_files(data, measure):
    table = metrics.jurisdiction_metrics(
        data, metrics.select_sites(data), 5 * MILE, gap_measure=measure
    ).set_index("fips")
    expected = _raw_recomputation(data, measure)
    counties = table.drop(index="24")
    assert counties["gap_score"].to_numpy() == pytest.approx(
        expected.loc[counties.index].to_numpy(), rel=1e-9, abs=1e-6
    )
    assert counties["gap_rank"].between(1, 24).all()


def test_unknown_no_vehicle_shares_are_counted_not_guessed(data):
    table = metrics.jurisdiction_metrics(
        data, metrics.select_sites(data), 5 * MILE, gap_measure="no-vehicle"
    ).set_index("fips")
    raw = pd.read_csv(
        RAW_DIR / "md_tract2020_no_vehicle_commute_acs2023_oeps.csv", dtype={"GEOID": str}
    )
    unknown = set(raw.loc[raw["NoVehHHld"].isna(), "GEOID"])
    people = data.population.set_index("geoid")["population"]
    expected = sum(people.get(g, 0) for g in unknown)
    assert table.loc["24", "gap_unknown_residents"] == expected
    assert expected > 0  # tracts of group quarters only: residents without households


def test_deaths_measure_summed_over_tracts_equals_the_county_formula(data):
    table = metrics.jurisdiction_metrics(data, metrics.select_sites(data), 5 * MILE).set_index(
        "fips"
    )
    nearest = metrics.nearest_sites(data, metrics.select_sites(data))
    found = metrics.demand_for(data, "deaths", 5 * MILE)
    by_county = (
        pd.Series(found.gap(nearest["distance_m"].to_numpy()))
        .groupby(data.population["fips"].to_numpy())
        .sum()
    )
    counties = table.drop(index="24")
    assert by_county.loc[counties.index].to_numpy() == pytest.approx(
        counties["gap_score"].to_numpy()
    )


def test_tract_context_rides_with_every_tract(data):
    nearest = metrics.nearest_sites(data, metrics.select_sites(data))
    raw = pd.read_csv(RAW_DIR / "md_tract2020_ruca2020_oeps.csv", dtype={"GEOID": str})
    codes = raw.set_index("GEOID")["Ruca1"]
    assert nearest["ruca_code"].astype(int).tolist() == codes.loc[nearest["geoid"]].tolist()
    assert set(nearest["access_class"]) == {"urban", "rural", "unknown"}


@pytest.mark.parametrize("measure", ["deaths", "svi", "no-vehicle", "rurality", "residents"])
def test_recommendations_remove_the_gap_they_claim(data, measure):
    """Adding the recommended locations as what-if sites lowers the measure's statewide
    gap by exactly the cumulative gap reduction reported."""
    scenario = Scenario.from_data(data, radius_m=5 * MILE, gap_measure=measure)
    picked = scenario.recommend(3)
    added = zip(picked["lat"], picked["lon"], picked["candidate_id"], strict=True)
    after = scenario.replace(added=tuple(added))
    before_gap = scenario.table().set_index("fips").drop(index="24")["gap_score"].sum()
    after_gap = after.table().set_index("fips").drop(index="24")["gap_score"].sum()
    assert before_gap - after_gap == pytest.approx(picked["cumulative_gap_reduction"].iloc[-1])
    assert (picked["newly_covered_population"] > 0).all()


def test_recommendations_follow_the_measure_and_the_focus(data):
    deaths = Scenario.from_data(data, gap_measure="deaths").recommend(5)
    svi = Scenario.from_data(data, gap_measure="svi").recommend(5)
    assert deaths["candidate_id"].tolist() != svi["candidate_id"].tolist()
    garrett = Scenario.from_data(data, gap_measure="no-vehicle").recommend(3, within="24023")
    assert set(garrett["fips"]) == {"24023"}
    statewide = Scenario.from_data(data, gap_measure="no-vehicle").recommend(3, within="24")
    assert len(set(statewide["fips"])) > 1


def test_host_site_candidates_are_real_named_places(data):
    picked = Scenario.from_data(data, gap_measure="residents").recommend(
        4, candidates="health-centers,treatment,transit"
    )
    assert set(picked["kind"]) <= {"health_center", "treatment", "rail"}
    hosts = data.candidate_sites.set_index("candidate_id")
    assert picked["site_name"].tolist() == hosts.loc[picked["candidate_id"], "name"].tolist()
    assert picked["lat"].tolist() == hosts.loc[picked["candidate_id"], "lat"].tolist()
    with pytest.raises(ValueError, match="unknown candidate kind 'parks'"):
        metrics.parse_candidate_kinds("parks")
    with pytest.raises(ValueError, match="not both"):
        metrics.parse_candidate_kinds("tracts,transit")
    bus = metrics.candidate_locations(data, "bus")
    assert set(bus["kind"]) == {"bus"} and len(bus) > 4000
    assert "bus" not in set(metrics.candidate_locations(data, metrics.DEFAULT_HOST_SITES)["kind"])


def test_no_vehicle_uses_walking_minutes_where_the_walking_network_exists(data):
    """Baltimore City with the walking measure: car-free residents beyond the walking
    threshold (the network's own minutes), the radius everywhere else."""
    straight = Scenario.from_data(data, gap_measure="no-vehicle")
    walking = straight.replace(measure="walk")
    travel = walking.travel.set_index("geoid")
    city = data.population[data.population["fips"] == "24510"].set_index("geoid")
    share = data.tracts.set_index("geoid")["no_vehicle_pct"] / 100.0
    far = travel["minutes"] > walking.minutes
    expected = (city["population"] * share.loc[city.index]).where(far.loc[city.index], 0.0)
    table = walking.table().set_index("fips")
    assert table.loc["24510", "gap_score"] == pytest.approx(expected.fillna(0.0).sum())
    assert (
        table.loc["24510", "gap_score"]
        > straight.table().set_index("fips").loc["24510", "gap_score"]
    )
    others = table.drop(index=["24510", "24"])["gap_score"]
    pd.testing.assert_series_equal(
        others, straight.table().set_index("fips").drop(index=["24510", "24"])["gap_score"]
    )


def test_map_popups_carry_tract_context_and_name_host_sites(data):
    from geo.render import maps

    scenario = Scenario.from_data(data, gap_measure="no-vehicle")
    # Statewide: with the corrected site list (NPPES pharmacies) no host site adds coverage
    # in Garrett under this measure at 5 miles; the page says so there.
    picked = scenario.recommend(2, candidates=metrics.DEFAULT_HOST_SITES)
    assert len(picked) == 2
    fmap = maps.access_gap_map(
        data.jurisdictions,
        scenario.nearest,
        data.sites.merge(scenario.selected[["id"]], on="id"),
        scenario.radius_m,
        "5 miles",
        recommended=picked,
    )
    html = fmap.get_root().render()
    assert "Households with no vehicle (ACS 2019-23)" in html
    assert "Rurality (RUCA 2020)" in html
    assert "unknown (no households)" in html  # a tract without households, never 0%
    assert picked["site_name"].iloc[0] in html
    assert "a candidate host site, not a naloxone site today" in html
