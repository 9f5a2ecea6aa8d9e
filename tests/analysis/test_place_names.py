"""Issue 12: points (recommended locations) named by their nearest GeoNames town and the
jurisdiction's full name, distances in the chosen unit, one nearest-town query for all."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from geo.analysis import place_names
from geo.analysis.scenario import Scenario
from geo.config import DISTANCE_SUFFIX as SUFFIX
from geo.config import MARYLAND_STATE_PLANE_M, WGS84
from geo.data.gazetteer import load_gazetteer, load_naming_gazetteer
from geo.engine.distance import lonlat_to_xy_m

OAKLAND = (-79.40671, 39.40787)  # GeoNames cities1000, Garrett County
FROSTBURG_TOWN = "Frostburg"


def shifted(lon: float, lat: float, east_m: float) -> tuple[float, float]:
    """The point ``east_m`` metres east (negative: west) of (lon, lat) in EPSG:26985."""
    x, y = lonlat_to_xy_m(np.array([lon]), np.array([lat]))[0]
    back = Transformer.from_crs(MARYLAND_STATE_PLANE_M, WGS84, always_xy=True)
    return back.transform(x + east_m, y)


def test_a_point_at_a_town_is_near_it_at_zero_distance(jurisdictions):
    named = place_names.name_points([OAKLAND[0]], [OAKLAND[1]], ["24023"], jurisdictions)
    assert named.loc[0, "place"] == "near Oakland, Garrett County (0.0 mi)"
    assert named.loc[0, "jurisdiction"] == "Garrett County"
    assert named.loc[0, "place_source"] == "Place names © GeoNames, CC BY 4.0"


@pytest.mark.parametrize(
    ("east_m", "unit", "expected"),
    [(1609.344, "mi", "(1.0 mi)"), (1000.0, "km", "(1.0 km)"), (4000.0, "km", "(4.0 km)")],
)
def test_distance_to_the_town_is_in_the_chosen_unit(jurisdictions, east_m, unit, expected):
    lon, lat = shifted(*OAKLAND, -east_m)  # west: away from Mountain Lake Park
    named = place_names.name_points([lon], [lat], ["24023"], jurisdictions, unit=unit)
    assert named.loc[0, "place"] == f"near Oakland, Garrett County {expected}"
    assert f"nearest_town_distance_{SUFFIX[unit]}" in named
    assert named[f"nearest_town_distance_{SUFFIX[unit]}"].iloc[0] == pytest.approx(
        east_m / (1000 if unit == "km" else 1609.344), abs=0.01
    )
    if unit == "km":
        assert not any("mi" in column.split("_") for column in named.columns)
        assert " mi)" not in named.loc[0, "place"]


def test_a_town_in_another_county_is_named_with_its_county(jurisdictions):
    town = load_gazetteer().lookup(FROSTBURG_TOWN)[0]
    named = place_names.name_points([town.lon], [town.lat], ["24023"], jurisdictions)
    assert named.loc[0, "place"] == "near Frostburg (Allegany County), Garrett County (0.0 mi)"


def test_geonames_county_spellings_match_the_jurisdictions(jurisdictions):
    city = load_gazetteer().lookup("Baltimore")[0]
    assert city.county == "City of Baltimore"
    named = place_names.name_points([city.lon], [city.lat], ["24510"], jurisdictions)
    assert named.loc[0, "place"] == "near Baltimore, Baltimore City (0.0 mi)"
    town = load_gazetteer().lookup("Mechanicsville")[0]
    assert town.county == "Saint Mary's County"
    named = place_names.name_points([town.lon], [town.lat], ["24037"], jurisdictions)
    assert named.loc[0, "place"] == "near Mechanicsville, St. Mary's County (0.0 mi)"


def test_every_tract_centre_gets_the_brute_force_nearest_town(data):
    population = data.population
    named = place_names.name_points(
        population["lon"], population["lat"], population["fips"], data.jurisdictions
    )
    gazetteer = load_naming_gazetteer()
    points = lonlat_to_xy_m(population["lon"].to_numpy(), population["lat"].to_numpy())
    all_pairs = np.linalg.norm(points[:, None, :] - gazetteer.xy[None, :, :], axis=2)
    expected = gazetteer.places["name"].to_numpy()[all_pairs.argmin(axis=1)]
    assert (named["nearest_town"].to_numpy() == expected).all()
    assert np.allclose(
        named["nearest_town_distance_miles"], all_pairs.min(axis=1) / 1609.344, atol=0.006
    )
    far = named["nearest_town_distance_miles"] > 3
    assert named.loc[~far, "place"].str.match(r"^near .+, .+ \(\d+\.\d mi\)$").all()
    compass = "|".join(place_names.COMPASS)
    assert named.loc[far, "place"].str.match(rf"^({compass}) of .+, .+ \(\d+\.\d mi\)$").all()


def test_recommendations_keep_their_columns_and_gain_places(data):
    recommended = Scenario.from_data(data).recommend(4, within="24023")
    named = place_names.name_recommendations(recommended, data.jurisdictions, unit="km")
    assert set(recommended.columns) <= set(named.columns)
    assert list(named.columns[:2]) == ["rank", "place"]
    assert list(named.columns[-3:]) == ["lat", "lon", "candidate_id"]
    pd.testing.assert_series_equal(
        named["newly_covered_population"], recommended["newly_covered_population"]
    )
    assert named["place"].str.endswith(" km)").all()
    assert named["place"].str.contains(", Garrett County ").all()


def test_empty_recommendations_and_bad_units(data):
    empty = Scenario.from_data(data).recommend(5, within="24510")
    assert place_names.name_recommendations(empty, data.jurisdictions).empty
    with pytest.raises(ValueError, match="unknown distance unit 'miles'"):
        place_names.name_points(
            [OAKLAND[0]], [OAKLAND[1]], ["24023"], data.jurisdictions, unit="miles"
        )


def test_names_come_from_cities500_with_the_small_towns(jurisdictions):
    """Issue 28, item 4: Garrett's recommended sites were named "near Oakland (16.6 mi)"
    because the gazetteer lacked towns under 1,000 people; cities500 has Grantsville."""
    naming = load_naming_gazetteer()
    assert len(naming.places) == 612
    grantsville = naming.lookup("Grantsville")[0]
    assert grantsville.county == "Garrett County"
    assert not load_gazetteer().lookup("Grantsville")
    named = place_names.name_points([grantsville.lon], [grantsville.lat], ["24023"], jurisdictions)
    assert named.loc[0, "place"] == "near Grantsville, Garrett County (0.0 mi)"


@pytest.mark.parametrize(
    ("dx", "dy", "expected"),
    [
        (0, 1, "north"),
        (1, 1, "north-east"),
        (1, 0, "east"),
        (1, -1, "south-east"),
        (0, -1, "south"),
        (-1, -1, "south-west"),
        (-1, 0, "west"),
        (-1, 1, "north-west"),
    ],
)
def test_compass_points(dx, dy, expected):
    assert place_names.compass_point(dx, dy) == expected


def test_a_point_far_from_any_town_is_described_by_direction_and_distance(jurisdictions):
    """More than 3 miles from its nearest place: "west of Oakland, Garrett County (4.0
    mi)", never "near" a town miles away."""
    lon, lat = shifted(*OAKLAND, -4 * 1609.344)  # 4 miles due west of Oakland
    named = place_names.name_points([lon], [lat], ["24023"], jurisdictions)
    assert named.loc[0, "place"] == "west of Oakland, Garrett County (4.0 mi)"
    west_lon, west_lat = shifted(*OAKLAND, -2 * 1609.344)
    near = place_names.name_points([west_lon], [west_lat], ["24023"], jurisdictions)
    assert near.loc[0, "place"] == "near Oakland, Garrett County (2.0 mi)"


def test_one_row_spells_a_county_one_way(jurisdictions):
    """Issue 28, item 6: "Saint Mary's County" (GeoNames) and "St. Mary's County" in one
    row: a town's county is written as the jurisdiction is."""
    town = load_naming_gazetteer().lookup("Leonardtown")[0]
    named = place_names.name_points([town.lon], [town.lat], ["24009"], jurisdictions)
    assert named.loc[0, "nearest_town_county"] == "St. Mary's County"
    assert "Saint" not in named.loc[0, "place"]
