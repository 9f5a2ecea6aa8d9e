"""Issue 24 item 2: the completeness check of our pharmacy list against OEPS drive times.

The real-data tests recompute the flags independently: haversine distances (not the
library's EPSG:26985 projection) from the raw CSV files, not the built layers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.analysis import completeness, metrics
from geo.config import RAW_DIR
from geo.engine.distance import lonlat_to_xy_m

EARTH_RADIUS_M = 6_371_008.8


def haversine_nearest_m(lat: np.ndarray, lon: np.ndarray, to_lat, to_lon) -> np.ndarray:
    """Great-circle metres from each (lat, lon) to the nearest of (to_lat, to_lon)."""
    la1, lo1 = np.radians(lat)[:, None], np.radians(lon)[:, None]
    la2, lo2 = np.radians(np.asarray(to_lat))[None], np.radians(np.asarray(to_lon))[None]
    h = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return (2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(h))).min(axis=1)


def independent_flags(pharmacy_lat, pharmacy_lon) -> pd.DataFrame:
    """Tracts (raw census file) with the OEPS minutes (raw file) and the flag, computed
    without the library."""
    tracts = pd.read_csv(RAW_DIR / "md_tract_pop_centroids_cenpop2020.csv", dtype={"GEOID": str})
    times = pd.read_csv(
        RAW_DIR / "md_tract2020_pharmacy_drive_time_oeps2025.csv", dtype={"GEOID": str}
    )
    tracts = tracts.merge(times, on="GEOID", how="left")
    nearest = haversine_nearest_m(
        tracts["LATITUDE"].to_numpy(), tracts["LONGITUDE"].to_numpy(), pharmacy_lat, pharmacy_lon
    )
    limit = tracts["RxTmDr"] * 110.0 / 60.0 * 1000.0 + 3000.0
    tracts["flag"] = (nearest > limit) & limit.notna()
    return tracts


def flagged_geoids(tracts: pd.DataFrame) -> set[str]:
    return set(tracts.loc[tracts["list_gap"], "geoid"])


def test_reach_limit_hand_computed():
    # 10 min at 110 km/h = 18,333.3 m, + 3,000 m; 0 min (pharmacy in the tract) = 3,000 m.
    assert completeness.reach_limit_m(np.array([10.0, 0.0])) == pytest.approx(
        [18_333.333 + 3000, 3000.0], abs=0.01
    )
    assert np.isnan(completeness.reach_limit_m(np.array([np.nan]))[0])


def test_flags_hand_computed():
    distance = np.array([21_400.0, 21_300.0, 3_001.0, 99_999.0])
    minutes = np.array([10.0, 10.0, 0.0, np.nan])
    # limit 21,333.3 m: over, under; 3,000 m: over; unknown minutes: never flagged.
    assert completeness.list_gap_flags(distance, minutes).tolist() == [True, False, True, False]


def test_summary_and_closed_and_approximate_sites_hand_computed():
    population = pd.DataFrame(
        {
            "geoid": ["24001000100", "24001000200", "24003000100"],
            "fips": ["24001", "24001", "24003"],
            "population": [100, 200, 400],
            "lat": [39.0, 39.0, 39.0],
            "lon": [-77.0, -76.9, -76.5],
        }
    )
    xy = lonlat_to_xy_m(population["lon"], population["lat"])
    sites = pd.DataFrame(
        {
            "type": ["pharmacy", "pharmacy", "pharmacy", "health_department"],
            "lat": [39.0, 39.0, np.nan, 39.0],
            "lon": [-77.0, -76.5, np.nan, -76.9],
            "closed": [False, True, False, False],
            "location_precision": ["zip_centroid", "exact", "none", "exact"],
        }
    )
    times = pd.DataFrame({"geoid": population["geoid"], "drive_minutes": [0.0, 0.0, 0.0]})
    tracts = completeness.tract_list_gaps(population, xy, sites, times)
    # Only the open ZIP-centre pharmacy at -77.0 counts (closed and unmapped do not; the
    # health department is not a pharmacy): 0 m, ~8.6 km and ~43 km away; limit 3 km.
    assert tracts["list_gap"].tolist() == [False, True, True]
    summary = completeness.list_gap_summary(tracts, ["24001", "24003"])
    assert summary["list_gap_tracts"].tolist() == [1, 1, 2]
    assert summary["list_gap_population"].tolist() == [200, 400, 600]
    assert summary["fips"].tolist() == ["24001", "24003", "24"]


def test_pre_correction_list_reproduces_85_tracts_426011_residents():
    """With the list as it was before the corrections (all 397 OSM pharmacies, Rite Aid
    included), the issue's figures: 85 tracts, 426,011 residents."""
    pharmacies = pd.read_csv(RAW_DIR / "md_pharmacies_osm2023.csv")
    assert len(pharmacies) == 397
    reference = independent_flags(pharmacies["lat"], pharmacies["lon"])
    assert int(reference["flag"].sum()) == 85
    assert int(reference.loc[reference["flag"], "POPULATION"].sum()) == 426_011
    # The library, given that list, flags the same tracts.
    data = metrics.load_access_data()
    old = pd.DataFrame(
        {"type": "pharmacy", "lat": pharmacies["lat"], "lon": pharmacies["lon"], "closed": False}
    )
    ours = completeness.tract_list_gaps(
        data.population, data.population_xy_m, old, data.drive_times
    )
    assert flagged_geoids(ours) == set(reference.loc[reference["flag"], "GEOID"])


def test_bundled_data_after_corrections_matches_independent_recomputation():
    data = metrics.load_access_data()
    sites = data.sites
    open_pharmacies = sites[
        (sites["type"] == "pharmacy") & sites["lat"].notna() & ~sites["closed"].astype(bool)
    ]
    reference = independent_flags(open_pharmacies["lat"], open_pharmacies["lon"])
    assert flagged_geoids(data.list_gaps) == set(reference.loc[reference["flag"], "GEOID"])
    selected = metrics.select_sites(data)
    table = metrics.jurisdiction_metrics(data, selected, metrics.radius_m_from(miles=5))
    state = table[table["fips"] == "24"].iloc[0]
    assert state["list_gap_tracts"] == int(reference["flag"].sum())
    assert state["list_gap_population"] == int(reference.loc[reference["flag"], "POPULATION"].sum())
    counties = table[table["fips"] != "24"]
    assert counties["list_gap_tracts"].sum() == state["list_gap_tracts"]
    assert counties["list_gap_population"].sum() == state["list_gap_population"]
    assert (counties["list_gap_uncovered_population"] <= counties["list_gap_population"]).all()


def test_flags_follow_the_site_list():
    """Adding a pharmacy at a flagged tract's centre clears that tract's flag."""
    data = metrics.load_access_data()
    tracts = data.list_gaps
    flagged = tracts[tracts["list_gap"]].iloc[0]
    centre = data.population.set_index("geoid").loc[flagged["geoid"]]
    extra = pd.DataFrame(
        {"type": ["pharmacy"], "lat": [centre["lat"]], "lon": [centre["lon"]], "closed": [False]}
    )
    sites = pd.concat([data.sites[["type", "lat", "lon", "closed"]], extra], ignore_index=True)
    after = completeness.tract_list_gaps(
        data.population, data.population_xy_m, sites, data.drive_times
    )
    assert not after.set_index("geoid").loc[flagged["geoid"], "list_gap"]
    assert after["list_gap"].sum() < tracts["list_gap"].sum()
