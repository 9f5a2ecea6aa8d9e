"""Publishing one change never publishes another editor's unreviewed draft (issue 22,
item 3), and a revert of a revert of an import works, on SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.local.store import ConflictError
from tests.support.stores import SITE


def published_site(store, site_id: str) -> dict:
    return store.published("site").set_index("id").loc[site_id].to_dict()


def test_publishing_a_closure_does_not_leak_an_earlier_draft_address(store):
    (site_id,) = store.add_sites(pd.DataFrame([{**SITE, "address": "1 Old St"}]), who="Ann")
    store.publish(None, who="Rev")
    store.save_site(site_id, {**SITE, "address": "9 Unreviewed Ave"}, expected_version=1, who="Ann")
    address_change = int(store.changes()["id"].max())
    store.save_site(
        site_id,
        {**SITE, "address": "9 Unreviewed Ave", "status": "closed"},
        expected_version=2,
        who="Ben",
        action="close",
    )
    closure = int(store.changes()["id"].max())

    with pytest.raises(ConflictError) as refused:
        store.publish([closure], who="Rev")
    message = str(refused.value)
    assert f"change {address_change}" in message and "by Ann" in message
    assert "nothing was published" in message
    shown = published_site(store, site_id)
    assert (shown["address"], shown["status"]) == ("1 Old St", "open")
    states = store.changes().set_index("id")["state"]
    assert states[address_change] == "draft" and states[closure] == "draft"

    store.publish([address_change, closure], who="Rev")  # together: both reviewed
    shown = published_site(store, site_id)
    assert (shown["address"], shown["status"]) == ("9 Unreviewed Ave", "closed")


def test_publishing_the_earlier_draft_alone_is_allowed(store):
    (site_id,) = store.add_sites(pd.DataFrame([SITE]), who="Ann")
    store.publish(None, who="Rev")
    store.save_site(site_id, {**SITE, "address": "2 New St"}, expected_version=1, who="Ann")
    first = int(store.changes()["id"].max())
    store.save_site(
        site_id, {**SITE, "address": "2 New St", "status": "closed"}, expected_version=2, who="Ben"
    )
    store.publish([first], who="Rev")
    shown = published_site(store, site_id)
    assert (shown["address"], shown["status"]) == ("2 New St", "open")


def test_a_change_to_another_record_publishes_alone(store):
    first, second = store.add_sites(
        pd.DataFrame([SITE, {**SITE, "name": "Bay Clinic", "lat": 39.35}]), who="Ann"
    )
    store.publish(None, who="Rev")
    store.save_site(first, {**SITE, "address": "draft"}, expected_version=1, who="Ann")
    store.save_site(
        second,
        {**SITE, "name": "Bay Clinic", "lat": 39.35, "status": "closed"},
        expected_version=1,
        who="Ben",
    )
    store.publish([int(store.changes()["id"].max())], who="Rev")
    assert published_site(store, second)["status"] == "closed"
    assert pd.isna(published_site(store, first)["address"])


def test_a_revert_of_a_revert_of_an_import_restores_the_sites(store):
    ids = store.add_sites(
        pd.DataFrame([SITE, {**SITE, "name": "Bay Clinic", "lat": 39.35}]),
        who="Ann",
        source="a.csv",
    )
    store.publish(None, who="Rev")
    undone = store.revert_change(ids.change, who="Ben")
    assert store.sites().empty
    redone = store.revert_change(undone, who="Cy")
    working = store.sites().set_index("id")
    assert set(working.index) == set(ids)
    assert set(working["name"]) == {"Harbor Pharmacy", "Bay Clinic"}
    assert (working["version"] > 1).all(), "a recreated record gets a version it never had"
    store.publish(None, who="Rev")
    assert set(store.published("site")["id"]) == set(ids)
    again = store.revert_change(redone, who="Dee")  # and round again
    assert store.sites().empty
    store.publish([again], who="Rev")
    assert store.published("site").empty
