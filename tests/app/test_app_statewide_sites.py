"""A site with nothing locatable is listed statewide on the pages, never mapped."""

from __future__ import annotations

import pandas as pd

from geo.local.store import Store
from geo.render import formatting
from tests.app.test_app_pages import open_app, open_listing

OUTREACH = {
    "name": "Peer Outreach Team",
    "type": "harm_reduction",
    "jurisdiction_fips": "24",
    "lat": None,
    "lon": None,
    "location_precision": "none",
    "status": "open",
    "source": "local import (outreach.csv)",
}


def test_overview_lists_a_statewide_site(fresh):
    store = Store(fresh)
    store.add_sites(pd.DataFrame([OUTREACH]), who="ana")
    store.publish(None, who="ana")  # visitors see published local updates only
    app = open_listing(open_app())
    assert not app.exception
    table = next(f for f in app.dataframe if "location_precision" in f.value.columns)
    row = table.value.set_index("name").loc["Peer Outreach Team"]
    assert row["jurisdiction"] == "Maryland (statewide)"
    assert row["location_precision"] == "none"
    assert pd.isna(row["address"])  # unknown stays missing in the data ...
    assert table.proto.placeholder == formatting.MISSING  # ... and reads "—", not "None"


def test_the_listing_is_drawn_only_when_opened(fresh):
    """The table of ~600 sites under the map is sent when its expander is opened (it
    delayed the map's first drawing), and then stays open."""
    app = open_app()
    assert not app.exception
    assert not [f for f in app.dataframe if "location_precision" in f.value.columns]
    open_listing(app)
    shown = next(f.value for f in app.dataframe if "location_precision" in f.value.columns)
    assert len(shown) > 500
    assert "Pharmacy" in set(shown["type"]) and "pharmacy" not in set(shown["type"])
    app.sidebar.number_input(key="radius_widget").set_value(7.0).run()
    assert [f for f in app.dataframe if "location_precision" in f.value.columns]
