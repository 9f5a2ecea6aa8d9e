"""A site with nothing locatable is listed statewide on the pages, never mapped."""

from __future__ import annotations

import pandas as pd

from geo.local.store import Store
from tests.app.test_app_pages import open_app

OUTREACH = {"name": "Peer Outreach Team", "type": "harm_reduction", "jurisdiction_fips": "24",
            "lat": None, "lon": None, "location_precision": "none", "status": "open",
            "source": "local import (outreach.csv)"}


def test_overview_lists_a_statewide_site(fresh):
    store = Store(fresh)
    store.add_sites(pd.DataFrame([OUTREACH]), who="ana")
    store.publish(None, who="ana")  # visitors see published local updates only
    app = open_app()
    assert not app.exception
    listing = next(f.value for f in app.dataframe if "location_precision" in f.value.columns)
    row = listing.set_index("name").loc["Peer Outreach Team"]
    assert row["jurisdiction"] == "Maryland (statewide)"
    assert row["location_precision"] == "none"
