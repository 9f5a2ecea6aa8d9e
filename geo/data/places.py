"""Which jurisdiction a point lies in: the one point-in-polygon lookup of the library."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely

from geo.config import WGS84


class JurisdictionLookup:
    """Point-in-polygon lookup over fixed jurisdictions, prepared once (the frame's spatial
    index and the FIPS array), for callers that ask one point at a time (an import, row by
    row)."""

    def __init__(self, jurisdictions: gpd.GeoDataFrame) -> None:
        if jurisdictions.crs is not None and jurisdictions.crs != WGS84:
            raise ValueError(f"jurisdictions must be in {WGS84}, found {jurisdictions.crs}")
        self._tree = jurisdictions.sindex  # geopandas builds it once per frame
        self._fips = jurisdictions["fips"].to_numpy()

    def __call__(
        self, lon: Sequence[float] | np.ndarray, lat: Sequence[float] | np.ndarray
    ) -> np.ndarray:
        """FIPS of the jurisdiction containing each point, ``None`` outside (see
        :func:`jurisdiction_of`)."""
        points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        point_index, polygon_index = self._tree.query(points, predicate="within")
        found = np.full(len(points), None, dtype=object)
        found[point_index] = self._fips[polygon_index]
        return found


def jurisdiction_of(
    lon: Sequence[float] | np.ndarray,
    lat: Sequence[float] | np.ndarray,
    jurisdictions: gpd.GeoDataFrame,
) -> np.ndarray:
    """FIPS code of the jurisdiction containing each point (longitude, latitude in
    EPSG:4326), ``None`` where a point lies outside every polygon (or on a boundary).

    ``jurisdictions`` has a ``fips`` column and polygons in EPSG:4326; the lookup uses
    a spatial index, so many points cost one query.
    """
    return JurisdictionLookup(jurisdictions)(lon, lat)
