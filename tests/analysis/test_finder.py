"""The finder: hand-computed answers on small data, equality with an independent
geodesic computation on the real data, and bad searches."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod, Transformer

from geo.analysis.finder import (
    CALL_AHEAD,
    STRAIGHT_LINE_NOTE,
    AmbiguousPlaceError,
    Finder,
    FinderError,
    nearest_n,
)
from geo.analysis.finder_query import read_query
from geo.data.gazetteer import Gazetteer, load_gazetteer
from geo.data.geocoder import CensusGeocoder
from geo.engine.distance import lonlat_to_xy_m

GEOD = Geod(ellps="GRS80")
TO_LONLAT = Transformer.from_crs("EPSG:26985", "EPSG:4326", always_xy=True)


def test_nearest_n_by_hand():
    sites = np.array([[6.0, 8.0], [3.0, 4.0], [0.0, 5.0], [100.0, 0.0], [5.0, 0.0]])
    index, distance = nearest_n(np.array([0.0, 0.0]), sites, 4)
    # 5, 5, 5 (a three-way tie, kept in the sites' order), then 10
    assert index.tolist() == [1, 2, 4, 0]
    assert distance.tolist() == [5.0, 5.0, 5.0, 10.0]
    assert nearest_n(np.array([0.0, 0.0]), sites[:0], 3)[0].size == 0


def _site(site_id, lon, lat, **extra):
    return {
        "id": site_id,
        "name": f"Site {site_id}",
        "type": "pharmacy",
        "lat": lat,
        "lon": lon,
        "jurisdiction_fips": "24023",
        "location_precision": "exact",
        "address": pd.NA,
        "city": pd.NA,
        "zip": pd.NA,
        "source": "test",
        "source_date": "2024-01-01",
        "closed": False,
        **extra,
    }


@pytest.fixture(scope="module")
def small(jurisdictions):
    """Sites 3-4-5 km and 6-8-10 km from a town in Garrett County, a tie, one closed
    site and one unmapped site."""
    town_lon, town_lat = -79.40671, 39.40787  # Oakland (GeoNames)
    x, y = lonlat_to_xy_m(np.array([town_lon]), np.array([town_lat]))[0]

    def at(dx, dy):
        lon, lat = TO_LONLAT.transform(x + dx, y + dy)
        return float(lon), float(lat)

    sites = pd.DataFrame(
        [
            _site("b", *at(3000, 4000)),
            _site("a", *at(-5000, 0)),
            _site("c", *at(6000, 8000), type="health_department", phone="(301) 555-0100"),
            _site("z", *at(100, 0), closed=True),
            _site(
                "u",
                np.nan,
                np.nan,
                type="vending_machine",
                location_precision="none",
                address="1 Main St",
                city="Oakland",
            ),
        ]
    )
    places = pd.DataFrame(
        {
            "name": ["Oakland"],
            "county": ["Garrett County"],
            "lat": [town_lat],
            "lon": [town_lon],
            "key": ["oakland"],
        }
    )
    zips = pd.DataFrame(
        {
            "lat": [town_lat],
            "lon": [town_lon],
            "city": ["Oakland"],
            "county_name": ["Garrett County"],
        },
        index=pd.Index(["21550"]),
    )
    gazetteer = Gazetteer(places, zips, lonlat_to_xy_m(places["lon"], places["lat"]))
    return Finder(sites, jurisdictions, gazetteer)


@pytest.mark.parametrize("query", ["21550", "Oakland", "oakland, md", "39.40787,-79.40671"])
def test_a_zip_a_town_and_coordinates_by_hand(small, query):
    result = small.find(query, n=3)
    assert result.jurisdiction == "Garrett"
    # closed site z is left out; a and b tie at 5 km (id order decides), then c at 10 km
    assert result.results["id"].tolist() == ["a", "b", "c"]
    assert result.results["distance_m"].to_numpy() == pytest.approx([5000, 5000, 10000], abs=0.01)
    assert result.results["distance_miles"].iloc[2] == pytest.approx(10000 / 1609.344)
    assert result.results["phone"].iloc[2] == "(301) 555-0100"
    assert result.results["place"].tolist() == ["Oakland"] * 3
    assert result.also_in_jurisdiction["id"].tolist() == ["u"]
    assert result.also_in_jurisdiction["address"].iloc[0] == "1 Main St, Oakland"
    assert STRAIGHT_LINE_NOTE in result.notes and CALL_AHEAD in result.notes


def test_type_filter_and_count(small):
    result = small.find("21550", n=1, types=["health_department"])
    assert result.results["id"].tolist() == ["c"]
    assert result.also_in_jurisdiction.empty  # the unmapped site is a vending machine


@pytest.fixture(scope="module")
def finder(data):
    return Finder.from_data(data)


#: A dozen searches across the state: west, central, capital region, south, Eastern Shore.
PLACES = [
    "21550",
    "Cumberland",
    "Hagerstown",
    "Frederick",
    "Westminster",
    "21201",
    "Bel Air, Harford County",
    "Elkton",
    "Rockville",
    "La Plata",
    "Leonardtown",
    "Easton",
    "Salisbury",
    "Crisfield",
    "Ocean City",
    "38.5,-76.1",
]


@pytest.mark.parametrize("query", PLACES)
def test_distances_equal_an_independent_geodesic_computation(finder, data, query):
    result = finder.find(query, n=5)
    point = result.query
    sites = data.sites[data.sites["lat"].notna() & ~data.sites["closed"]]
    _, _, metres = GEOD.inv(
        np.full(len(sites), point.lon),
        np.full(len(sites), point.lat),
        sites["lon"].to_numpy(),
        sites["lat"].to_numpy(),
    )
    # state-plane scale error in Maryland is below 1:10,000
    assert result.results["distance_m"].iloc[0] == pytest.approx(metres.min(), rel=2e-4, abs=0.5)
    # every site nearer than the fifth listing is listed, or joined a listing as the same
    # place (issue 28: one listing per place, with both names)
    listed = {name for names in result.results["name"] for name in names.split(" / ")}
    nearer = sites["name"][metres < result.results["distance_m"].max() - 1]
    assert set(nearer) <= listed
    assert len(result.results) == 5
    by_id = dict(zip(sites["id"], metres, strict=True))
    for site_id, distance in zip(result.results["id"], result.results["distance_m"], strict=True):
        assert distance == pytest.approx(by_id[site_id], rel=2e-4, abs=0.5)
    assert result.results["distance_m"].is_monotonic_increasing


def test_unmapped_sites_of_the_searched_jurisdiction_are_listed_apart(finder):
    result = finder.find("Annapolis")
    also = result.also_in_jurisdiction
    assert result.jurisdiction == "Anne Arundel" and len(also) == 8
    assert also["lat"].isna().all() and (also["location_precision"] == "none").all()
    assert not set(also["id"]) & set(result.results["id"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a Maryland ZIP code"),
        ("   ", "Type a Maryland ZIP code"),
        ("99999", "is not a Maryland ZIP code"),
        ("10001", "is not a Maryland ZIP code"),
        ("Springfield", "No Maryland town"),
        ("40.7128,-74.0060", "outside Maryland"),
        ("0,0", "outside Maryland"),
        ("95,-76", "latitude, longitude"),
        ("39.2,-76.6,5", "neither a 5-digit ZIP code nor coordinates"),
        ("2155", "neither a 5-digit ZIP code nor coordinates"),
        ("1025 Memorial Dr, Oakland, MD 21550", "Street addresses need the address geocoder"),
        ("x" * 201, "at most 200 characters"),
    ],
)
def test_bad_searches_are_one_sentence_with_suggestions(finder, query, message):
    with pytest.raises(FinderError, match=message) as caught:
        finder.find(query)
    assert "\n" not in str(caught.value) and caught.value.suggestions


def test_an_ambiguous_town_lists_the_candidates_and_each_candidate_works(finder):
    with pytest.raises(AmbiguousPlaceError) as caught:
        finder.find("Bel Air")
    assert caught.value.suggestions == ("Bel Air, Harford County", "Bel Air, Allegany County")
    for candidate, fips in zip(caught.value.suggestions, ("Harford", "Allegany"), strict=True):
        assert finder.find(candidate).jurisdiction == fips


def test_offline_address_suggests_its_zip_and_town(finder):
    with pytest.raises(FinderError) as caught:
        finder.find("1025 Memorial Dr, Oakland, MD 21550")
    assert caught.value.suggestions[:2] == ("21550", "Oakland, Garrett County")


def test_bad_types_and_counts(finder):
    with pytest.raises(FinderError, match="Unknown site type"):
        finder.find("21550", types=["hospital"])
    with pytest.raises(FinderError, match="between 1 and 50"):
        finder.find("21550", n=0)


def test_an_address_through_the_geocoder(finder):
    from tests.data.test_geocoder import Replay, recorded

    geocoder = CensusGeocoder(Replay(recorded("match")), timeout_s=1)
    result = finder.find("1025 Memorial Dr, Oakland, MD 21550", geocoder=geocoder)
    assert result.query.kind == "address" and result.jurisdiction == "Garrett"
    outside = CensusGeocoder(Replay(recorded("outside")), timeout_s=1)
    with pytest.raises(FinderError, match="outside Maryland"):
        finder.find("350 5th Ave, New York, NY", geocoder=outside)
    none = CensusGeocoder(Replay(recorded("nomatch")), timeout_s=1)
    with pytest.raises(FinderError, match="found no such address"):
        finder.find("1 Nowhere Lane, Nowhere, MD", geocoder=none)


def test_read_query_kinds():
    gazetteer = load_gazetteer()
    assert read_query("21550-1234", gazetteer).kind == "zip"
    assert read_query("(39.2, -76.6)", gazetteer).kind == "coordinates"
    assert read_query("39.2 -76.6", gazetteer).kind == "coordinates"
    assert read_query("St. Michaels", gazetteer).kind == "place"


def test_one_listing_per_place(finder):
    """Issue 28, item 5: "Walmart Pharmacy" and "Walmart Pharmacy Drive-Thru" (110 m
    apart, no address) took two of five slots: now one listing with both names, and five
    places still listed."""
    result = finder.find("39.6246,-78.8355", n=5)
    names = result.results["name"].tolist()
    assert names[0] == "Walmart Pharmacy / Walmart Pharmacy Drive-Thru"
    assert len(names) == 5 and len(set(names)) == 5
    assert not any(n == "Walmart Pharmacy Drive-Thru" for n in names)
