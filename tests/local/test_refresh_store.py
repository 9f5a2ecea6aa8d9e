"""A refresh compared with the current sites (hand-built cases and the real bundled
pharmacies), written as one draft change, published, and reverted (geo.local.refreshing)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from geo.analysis import metrics
from geo.data.refresh import COLUMNS, SOURCES, Fetched
from geo.data.refresh_overpass import parse_overpass
from geo.engine.distance import lonlat_to_xy_m
from geo.local import refreshing
from geo.local.refreshing import compare, name_key, plan, refresh_and_write
from geo.local.store import ConflictError, Store
from tests.support.overpass import recorded

OSM = SOURCES["osm"]
#: Beckman's Pharmacy (osm_rx_0001, Cumberland) as bundled.
BECKMAN = (39.65076, -78.78065)
#: Degrees of latitude in 100 m near 39.65 N (WGS84 meridian arc, 111,034 m per degree).
LAT_100_M = 100 / 111_034


def fetched(*rows: dict, when: str = "2026-12-01T00:00:00Z") -> Fetched:
    """What a source answered: ``rows`` in the columns every source gives (COLUMNS)."""
    columns = list(COLUMNS)
    frame = pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns)
    return Fetched(OSM, frame, when)


def row(source_id: str, name: str, lat: float, lon: float, **more: object) -> dict:
    return {
        "source_id": source_id,
        "name": name,
        "type": "pharmacy",
        "lat": lat,
        "lon": lon,
        "jurisdiction_fips": "24001",
        **more,
    }


def test_name_keys_drop_generic_words_and_store_numbers():
    assert name_key("CVS Pharmacy #1234") == {"cvs"}
    assert name_key("The Medicine Shoppe Pharmacy") == {"medicine", "shoppe"}
    assert name_key("Pharmacy") == frozenset()


def test_moved_new_unchanged_and_gone_against_the_bundled_pharmacies(data):
    sites = data.sites
    north = round(BECKMAN[0] + LAT_100_M, 6)
    result = compare(
        fetched(
            row("osm-node-1", "Beckman's Pharmacy", north, BECKMAN[1], phone="+1 301 555 0100"),
            row("osm-node-2", "CVS", 39.638286, -78.830905),  # osm_rx_0002 "CVS Pharmacy"
            row("osm-node-3", "Test New Pharmacy", 39.60, -78.90),
        ),
        sites,
    )
    assert list(result.moved["id"]) == ["osm_rx_0001"]
    assert result.moved.loc[0, "moved_m"] == pytest.approx(100, abs=1)
    assert list(result.unchanged["id"]) == ["osm_rx_0002"]
    assert list(result.new["source_id"]) == ["osm-node-3"]
    osm_sites = sites[sites["source"].str.contains("OpenStreetMap") & ~sites["closed"]]
    assert len(result.gone) == len(osm_sites) - 2
    assert not {"osm_rx_0001", "osm_rx_0002"} & set(result.gone["id"])
    # other sources' sites are never proposed as gone
    assert set(result.gone["id"]).issubset(set(osm_sites["id"]))
    shape = result.as_json()
    assert list(shape) == ["source", "fetched", "counts", "new", "moved", "gone"]
    assert shape["counts"] == {"new": 1, "moved": 1, "gone": len(osm_sites) - 2, "unchanged": 1}
    assert shape["moved"][0]["phone"] == "+1 301 555 0100"
    assert {"name", "type", "lat", "lon", "address", "phone"} <= set(shape["new"][0])


def test_a_site_within_50_m_is_unchanged_and_the_nearest_of_two_namesakes_is_matched():
    current = pd.DataFrame(
        {
            "id": ["a", "b"],
            "name": ["CVS Pharmacy", "CVS Pharmacy"],
            "type": ["pharmacy", "pharmacy"],
            "lat": [39.0, 39.0 + 2 * LAT_100_M],
            "lon": [-77.0, -77.0],
            "source": ["OpenStreetMap (© OpenStreetMap contributors)"] * 2,
            "closed": [False, False],
        }
    )
    # 40 m north of a; 160 m from b
    result = compare(fetched(row("osm-node-9", "CVS", 39.0 + 0.4 * LAT_100_M, -77.0)), current)
    assert list(result.unchanged["id"]) == ["a"]
    assert list(result.gone["id"]) == ["b"]
    xy = lonlat_to_xy_m(np.array([-77.0, -77.0]), np.array([39.0, 39.0 + 0.4 * LAT_100_M]))
    assert result.unchanged.loc[0, "moved_m"] == pytest.approx(np.hypot(*(xy[1] - xy[0])))
    assert result.unchanged.loc[0, "moved_m"] == pytest.approx(40, abs=0.5)


def test_different_names_at_the_same_place_are_new_and_gone_not_moved():
    current = pd.DataFrame(
        {
            "id": ["r"],
            "name": ["Rite Aid"],
            "type": ["pharmacy"],
            "lat": [39.0],
            "lon": [-77.0],
            "source": ["OpenStreetMap"],
            "closed": [False],
        }
    )
    result = compare(fetched(row("osm-node-5", "Med One Pharmacy", 39.0, -77.0)), current)
    assert result.counts() == {"new": 1, "moved": 0, "gone": 1, "unchanged": 0}


def test_a_closed_site_still_listed_is_neither_new_nor_gone_nor_moved():
    current = pd.DataFrame(
        {
            "id": ["r"],
            "name": ["Rite Aid"],
            "type": ["pharmacy"],
            "lat": [39.0],
            "lon": [-77.0],
            "source": ["OpenStreetMap"],
            "closed": [True],
        }
    )
    result = compare(fetched(row("osm-node-5", "Rite Aid", 39.0 + LAT_100_M, -77.0)), current)
    assert result.counts() == {"new": 0, "moved": 0, "gone": 0, "unchanged": 1}


def test_the_recorded_baltimore_answer_matches_bundled_pharmacies(data):
    result = compare(parse_overpass(recorded("overpass_baltimore_2015.json")), data.sites)
    # the four 2015 pharmacies are all in the 2023 list within 50 m under their names
    assert result.counts()["unchanged"] == 4 and result.counts()["new"] == 0
    warning = refreshing.coverage_warning(result)
    assert warning is not None and "covers all of Maryland" in warning


def _current(store: Store) -> pd.DataFrame:
    return metrics.load_access_data(
        include_local=True, drafts=True, store_location=store.location
    ).sites


def test_a_refresh_is_one_draft_change_that_publishes_and_reverts(store):
    """On SQLite and on a real PostgreSQL server."""
    current = _current(store)
    north = round(BECKMAN[0] + LAT_100_M, 6)
    result = compare(
        fetched(
            row("osm-node-1", "Beckman's Pharmacy", north, BECKMAN[1], hours="Mo-Fr 09:00-18:00"),
            row("osm-node-3", "Test New Pharmacy", 39.60, -78.90, phone="+1 301 555 0111"),
        ),
        current,
    )
    change = refresh_and_write(store, result, current, "editor")
    changes = store.changes()
    assert len(changes) == 1 and changes.loc[0, "state"] == "draft"
    assert changes.loc[0, "summary"] == (
        "Refreshed from OpenStreetMap (as of 2026-12-01): 1 new site, 1 moved"
    )
    assert store.published("site").empty  # visitors see nothing yet
    stored = store.sites().set_index("id")
    assert sorted(stored.index) == ["local-osm-node-3", "osm_rx_0001"]
    new = stored.loc["local-osm-node-3"]
    assert (new["licence"], new["source_date"], new["phone"], new["source_id"]) == (
        "ODbL 1.0 (© OpenStreetMap contributors)",
        "2026-12-01",
        "+1 301 555 0111",
        "osm-node-3",
    )
    assert new["source"] == "OpenStreetMap via the Overpass API, as of 2026-12-01"
    moved = stored.loc["osm_rx_0001"]
    assert (moved["lat"], moved["hours"], moved["status"]) == (north, "Mo-Fr 09:00-18:00", "open")

    store.publish([change], "editor")
    seen = metrics.load_access_data(include_local=True, store_location=store.location).sites
    seen = seen.set_index("id")
    assert seen.loc["local-osm-node-3", "licence"] == "ODbL 1.0 (© OpenStreetMap contributors)"
    assert seen.loc["local-osm-node-3", "phone"] == "+1 301 555 0111"
    assert seen.loc["osm_rx_0001", "lat"] == north

    # the next refresh of the same answer finds nothing to do: matched by source id
    again = compare(result.fetched, _current(store))
    assert again.counts()["new"] == 0 and again.counts()["moved"] == 0

    store.revert_change(change, "editor")
    assert store.sites().empty  # both rows undone (the revert is a draft too)


def test_gone_sites_are_closed_only_when_named(tmp_path):
    store = Store(str(tmp_path / "store.sqlite"))
    current = _current(store)
    result = compare(fetched(row("osm-node-2", "CVS", 39.638286, -78.830905)), current)
    assert "osm_rx_0001" in set(result.gone["id"])
    assert refresh_and_write(store, result, current, "editor") is None  # nothing new or moved
    assert store.changes().empty
    with pytest.raises(ValueError, match="not among the sites no longer in OpenStreetMap"):
        plan(result, current, {}, close=["osm_rx_0002"])
    change = refresh_and_write(store, result, current, "editor", close=["osm_rx_0001"])
    closed = store.sites().set_index("id").loc["osm_rx_0001"]
    assert closed["status"] == "closed"
    assert "No longer in OpenStreetMap as of 2026-12-01" in closed["notes"]
    assert store.changes().loc[0, "summary"].endswith("1 closed as no longer listed")
    assert change is not None


def test_a_site_changed_since_the_comparison_refuses_the_whole_refresh(tmp_path):
    store = Store(str(tmp_path / "store.sqlite"))
    current = _current(store)
    north = round(BECKMAN[0] + LAT_100_M, 6)
    result = compare(
        fetched(
            row("osm-node-3", "Test New Pharmacy", 39.60, -78.90),
            row("osm-node-1", "Beckman's Pharmacy", north, BECKMAN[1]),
        ),
        current,
    )
    rows = plan(result, current, {})
    # someone corrects Beckman's meanwhile
    values = {**rows[1][1], "name": "Beckman's"}
    store.save_site("osm_rx_0001", values, expected_version=0, who="other", overrides_public=True)
    with pytest.raises(ConflictError, match="changed since the refresh was compared"):
        store.write_refresh("Refreshed", rows, "editor")
    assert len(store.changes()) == 1  # only the other editor's change: nothing half-written
    assert "local-osm-node-3" not in set(store.sites()["id"])


def test_an_older_store_gains_the_new_site_columns(store):
    """A store made before sites had phone, hours, licence and source_id (SQLite and
    PostgreSQL) gets the columns when opened, and takes a refresh."""
    with store.engine.begin() as connection:
        for column in ("phone", "hours", "licence", "source_id"):
            connection.exec_driver_sql(f"ALTER TABLE local_sites DROP COLUMN {column}")
    store.engine.dispose()
    reopened = Store(store.location)
    columns = {c["name"] for c in sa.inspect(reopened.engine).get_columns("local_sites")}
    assert {"phone", "hours", "licence", "source_id"} <= columns
    current = _current(reopened)
    result = compare(fetched(row("osm-node-3", "Test New Pharmacy", 39.60, -78.90)), current)
    assert refresh_and_write(reopened, result, current, "editor") is not None
