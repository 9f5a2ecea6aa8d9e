"""Directions and phone links of finder results (issue 27.2)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from geo.analysis.finder import Finder
from geo.analysis.finder_links import directions_url, site_directions_url, tel_href


def _route(url: str) -> list[tuple[float, float]]:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "www.openstreetmap.org",
        "/directions",
    )
    query = parse_qs(parts.query)
    assert query["engine"] == ["fossgis_osrm_foot"]
    return [tuple(float(v) for v in point.split(",")) for point in query["route"][0].split(";")]


def test_the_link_goes_from_the_searched_point_to_the_site_lat_lon_order():
    url = directions_url(39.2904, -76.6122, 39.30001234, -76.599999)
    # written by hand: OSM's route is lat,lon;lat,lon, URL-encoded, 5 decimals
    assert url == (
        "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot"
        "&route=39.29040%2C-76.61220%3B39.30001%2C-76.60000"
    )
    assert _route(url) == [(39.2904, -76.6122), (39.30001, -76.6)]


@pytest.mark.parametrize("bad", [(91, 0), (0, 181), (float("nan"), 0), (float("inf"), 0)])
def test_impossible_coordinates_make_no_link(bad):
    with pytest.raises(ValueError, match="not a coordinate"):
        directions_url(*bad, 39.0, -76.0)


def test_every_real_result_links_from_the_search_to_its_own_coordinates(data):
    result = Finder.from_data(data).find("21550", 5)
    for _, row in result.results.iterrows():
        route = _route(site_directions_url(result.query.lat, result.query.lon, row))
        assert route[0] == pytest.approx((result.query.lat, result.query.lon), abs=6e-6)
        assert route[1] == pytest.approx((row["lat"], row["lon"]), abs=6e-6)
    unmapped = pd.Series({"lat": float("nan"), "lon": float("nan")})
    assert site_directions_url(39.0, -76.0, unmapped) is None


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("(301) 334-7700", "tel:+13013347700"),
        ("1-410-433-5175", "tel:+14104335175"),
        ("410.433.5175 ext. 12", "tel:+14104335175"),
        ("410-433-517", None),  # too short
        ("911", None),
        ("", None),
        (None, None),
        (pd.NA, None),
        ("call the front desk", None),
    ],
)
def test_tel_links_only_for_a_whole_us_number(phone, href):
    assert tel_href(phone) == href
