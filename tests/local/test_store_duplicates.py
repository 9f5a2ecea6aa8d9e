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
    assert len(store.add_sites(pd.DataFrame([{**near, "_confirmed_duplicate": True}]),
                               who="ben")) == 1
    same_name = {**SITE, "lat": SITE["lat"] + 0.0002, "_confirmed_duplicate": True}
    with pytest.raises(DuplicateSitesError):
        store.add_sites(pd.DataFrame([same_name]), who="ben")
    assert len(store.sites()) == 2


def test_two_sites_at_one_zip_centroid_are_not_duplicates(store):
    centroid = {**SITE, "location_precision": "zip_centroid"}
    store.add_sites(pd.DataFrame([centroid]), who="ana")
    assert len(store.add_sites(pd.DataFrame([{**centroid, "name": "Another Pharmacy"}]),
                               who="ana")) == 1
