"""jurisdiction_of: the one point-in-polygon lookup (build, what-if sites, imports)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import box

from geo.config import WGS84
from geo.data.places import jurisdiction_of


def test_real_points(jurisdictions):
    found = jurisdiction_of(
        [-76.6122, -78.7622, -77.0365, -74.5], [39.2904, 39.6528, 38.8977, 38.3], jurisdictions
    )
    # Baltimore City; Cumberland (Allegany); the White House (DC); the Atlantic
    assert found.tolist() == ["24510", "24001", None, None]


def test_synthetic_squares_and_edges():
    squares = gpd.GeoDataFrame(
        {"fips": ["24001", "24003"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=WGS84
    )
    found = jurisdiction_of(np.array([0.5, 1.5, 1.0, 5.0]), np.array([0.5, 0.5, 0.5, 5.0]), squares)
    assert found.tolist() == ["24001", "24003", None, None], "a shared edge is in neither"
    assert jurisdiction_of([], [], squares).tolist() == []


def test_matches_geopandas_sjoin_on_random_points(jurisdictions):
    """Reference: geopandas' spatial join ("within") on 2,000 random points over and
    around Maryland, asked all at once and one at a time through one lookup."""
    from geo.data.places import JurisdictionLookup

    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(-79.6, -75.0, 2000), rng.uniform(37.8, 39.8, 2000)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=WGS84)
    joined = gpd.sjoin(points, jurisdictions[["fips", "geometry"]], predicate="within", how="left")
    expected = [f if isinstance(f, str) else None for f in joined["fips"]]
    assert jurisdiction_of(lon, lat, jurisdictions).tolist() == expected
    lookup = JurisdictionLookup(jurisdictions)
    assert [lookup([x], [y])[0] for x, y in zip(lon[:200], lat[:200], strict=True)] == expected[
        :200
    ]
    assert 0 < sum(f is None for f in expected) < 2000
