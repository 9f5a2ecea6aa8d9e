"""Which jurisdiction a point lies in: the one point-in-polygon lookup of the library."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np

from geo.config import WGS84


def jurisdiction_of(lon: Sequence[float] | np.ndarray, lat: Sequence[float] | np.ndarray,
                    jurisdictions: gpd.GeoDataFrame) -> np.ndarray:
    """FIPS code of the jurisdiction containing each point (longitude, latitude in
    EPSG:4326), ``None`` where a point lies outside every polygon (or on a boundary).

    ``jurisdictions`` has a ``fips`` column and polygons in EPSG:4326; the lookup uses
    its spatial index, so many points cost one query.
    """
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=WGS84)
    point_index, polygon_index = jurisdictions.sindex.query(points, predicate="within")
    found = np.full(len(points), None, dtype=object)
    found[point_index] = jurisdictions["fips"].to_numpy()[polygon_index]
    return found
