"""The store's in-transaction duplicate check follows the import's rules: a likely
duplicate (same type nearby, another name) is stored only when confirmed; a name
duplicate never is; ZIP centroids are not "near" each other."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.local.store import DuplicateSitesError
from tests.support.stores import SITE


def test_a_confirmed_likely_duplicate_is_stored(store):
    store.add_sites(pd.DataFrame([SITE]), who="ana")
    near = {**SITE, "name": "Harbour Drugs", "lat": SITE["lat"] + 0.0001}  # ~11 m
    with pytest.raises(DuplicateSitesError):
        store.add_sites(pd.DataFrame([near]), who="ben")
    assert (
        len(store.add_sites(pd.DataFrame([{**near, "_confirmed_duplicate": True}]), who="ben")) == 1
    )
    same_name = {**SITE, "lat": SITE["lat"] + 0.0002, "_confirmed_duplicate": True}
    with pytest.raises(DuplicateSitesError):
        store.add_sites(pd.DataFrame([same_name]), who="ben")
    assert len(store.sites()) == 2


def test_two_sites_at_one_zip_centroid_are_not_duplicates(store):
    centroid = {**SITE, "location_precision": "zip_centroid"}
    store.add_sites(pd.DataFrame([centroid]), who="ana")
    assert (
        len(store.add_sites(pd.DataFrame([{**centroid, "name": "Another Pharmacy"}]), who="ana"))
        == 1
    )


def test_in_file_duplicates_match_a_brute_force_check():
    """The grid of accepted rows finds exactly the pairs a full comparison finds
    (synthetic rows 0-60 m apart, two types, two names)."""
    import numpy as np
    import pandas as pd

    from geo.engine.distance import lonlat_to_xy_m
    from geo.local.duplicates import SAME_TYPE_DISTANCE_M, ImportDuplicates

    rng = np.random.default_rng(7)
    n = 300
    lon = -76.6 + rng.uniform(0, 0.004, n)  # ~340 m square: many pairs within 25-50 m
    lat = 39.3 + rng.uniform(0, 0.003, n)
    types = rng.choice(["pharmacy", "harm_reduction"], n)
    empty = pd.DataFrame(columns=["id", "name", "type", "lat", "lon", "jurisdiction_fips"])
    checker = ImportDuplicates(empty, "row")
    xy = lonlat_to_xy_m(lon, lat)
    for i in range(n):
        found = checker.same_type_nearby(str(types[i]), float(lat[i]), float(lon[i]))
        distance = np.hypot(*(xy[:i] - xy[i]).T)
        earlier = np.flatnonzero((distance <= SAME_TYPE_DISTANCE_M) & (types[:i] == types[i]))
        if len(earlier):
            nearest = earlier[np.argmin(distance[earlier])]
            assert found is not None and f"row {nearest} in this file" in found, i
        else:
            assert found is None, i
        checker.remember(f"site {i}", str(types[i]), float(lat[i]), float(lon[i]), None, i)
