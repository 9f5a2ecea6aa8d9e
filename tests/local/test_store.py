"""The local-updates store on SQLite and on a real PostgreSQL server: versions,
conflicts, history, revert, and all-or-nothing writes."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.analysis import metrics
from geo.config import REPO_ROOT
from geo.local import merge, writes
from geo.local.store import ConflictError, Store
from tests.support.cli import run_geo
from tests.support.stores import SITE


def test_add_update_history_and_revert(store):
    (site_id,) = store.add_sites(pd.DataFrame([SITE]), who="ana")
    assert store.sites().set_index("id").loc[site_id, "version"] == 1
    version = store.save_site(
        site_id, {**SITE, "status": "closed"}, expected_version=1, who="ben", action="close"
    )
    assert version == 2
    changes = store.history()
    assert changes["action"].tolist() == ["close", "import"]
    assert changes["who"].tolist() == ["ben", "ana"]
    assert '"status": "open"' in changes["previous"].iloc[0]
    store.revert(int(changes["id"].iloc[0]), who="ana")
    assert store.sites().set_index("id").loc[site_id, "status"] == "open"
    store.revert(int(changes["id"].iloc[1]), who="ana")
    assert store.sites().empty
    # one revision per committed write (the refused save above is not one)
    assert store.revision() == len(store.history())


def test_two_editors_do_not_lose_either_change(store):
    (site_id,) = store.add_sites(pd.DataFrame([SITE]), who="ana")
    read_by_ana = read_by_ben = 1
    store.save_site(
        site_id,
        {**SITE, "name": "Harbor Pharmacy & Clinic"},
        expected_version=read_by_ana,
        who="ana",
    )
    with pytest.raises(ConflictError, match="changed since version 1") as conflict:
        store.save_site(
            site_id, {**SITE, "status": "closed"}, expected_version=read_by_ben, who="ben"
        )
    stored = conflict.value.current  # what the form shows next to Ben's values
    assert stored["name"] == "Harbor Pharmacy & Clinic" and stored["status"] == "open"
    assert stored["version"] == 2 and stored["updated_by"] == "ana" and stored["updated_at"]
    row = store.sites().set_index("id").loc[site_id]
    assert row["name"] == "Harbor Pharmacy & Clinic" and row["status"] == "open"
    store.save_site(
        site_id,
        {**SITE, "name": row["name"], "status": "closed"},
        expected_version=int(row["version"]),
        who="ben",
    )
    row = store.sites().set_index("id").loc[site_id]
    assert row["name"] == "Harbor Pharmacy & Clinic" and row["status"] == "closed"

    store.save_leave_behind(
        "24001", {"status": "documented", "doses": 40}, expected_version=0, who="ana"
    )
    with pytest.raises(ConflictError) as conflict:
        store.save_leave_behind("24001", {"status": "announced"}, expected_version=0, who="ben")
    assert conflict.value.current["status"] == "documented"
    assert conflict.value.current["doses"] == 40 and conflict.value.current["version"] == 1
    with pytest.raises(ConflictError) as conflict:
        store.save_leave_behind("24001", {"status": "announced"}, expected_version=3, who="ben")
    assert conflict.value.current["updated_by"] == "ana"
    assert store.leave_behind().set_index("fips").loc["24001", "status"] == "documented"


def test_an_older_store_gets_the_history_version_column(store):
    store.add_sites(pd.DataFrame([SITE]), who="ana")
    with store.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE history DROP COLUMN version")
    reopened = Store(store.location)
    (site_id,) = reopened.add_sites(pd.DataFrame([{**SITE, "lat": 39.3}]), who="ben")
    reopened.save_site(
        site_id, {**SITE, "lat": 39.3, "status": "closed"}, expected_version=1, who="ben"
    )
    versions = reopened.history().sort_values("id")["version"].tolist()
    assert pd.isna(versions[0]) and versions[1:] == [1, 2]


def test_a_failure_mid_import_leaves_the_store_as_it_was(store, monkeypatch):
    store.add_sites(pd.DataFrame([SITE]), who="ana")
    before = store.sites()
    calls = {"n": 0}
    original = writes.log

    def failing_log(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(writes, "log", failing_log)
    rows = pd.DataFrame(
        [{**SITE, "name": f"Site {i}", "lat": SITE["lat"] + 0.01 * (i + 1)} for i in range(5)]
    )
    with pytest.raises(RuntimeError, match="disk full"):
        store.add_sites(rows, who="ana")
    pd.testing.assert_frame_equal(store.sites(), before)
    assert len(store.history()) == 1


def test_bad_values_are_refused(store):
    with pytest.raises(ValueError, match=r"name.*NUL"):
        store.save_site("x", {**SITE, "name": "Harbor\x00Pharmacy"}, expected_version=0, who="x")
    with pytest.raises(ValueError, match=r"row 2.*name.*NUL"):
        store.add_sites(pd.DataFrame([SITE, {**SITE, "name": "B\x00", "lat": 39.3}]), who="x")
    with pytest.raises(ValueError, match="status"):
        store.save_leave_behind("24001", {"status": "maybe"}, expected_version=0, who="x")
    with pytest.raises(ValueError, match="whole number"):
        store.save_leave_behind(
            "24001", {"status": "documented", "doses": -3}, expected_version=0, who="x"
        )
    with pytest.raises(ValueError, match="site type"):
        store.save_site("x", {**SITE, "type": "clinic"}, expected_version=0, who="x")
    assert store.history().empty


def test_local_updates_change_the_metrics_only_when_asked(tmp_path, data):
    location = str(tmp_path / "store.sqlite")
    store = Store(location)
    garrett = data.sites[(data.sites["jurisdiction_fips"] == "24023") & data.sites["lat"].notna()]
    first = garrett.iloc[0]
    values = {
        f: (None if pd.isna(first.get(f)) else first.get(f))
        for f in (
            "name",
            "type",
            "address",
            "city",
            "zip",
            "jurisdiction_fips",
            "lat",
            "lon",
            "location_precision",
            "source",
            "source_date",
            "notes",
        )
    }
    store.save_site(
        first["id"],
        {**values, "status": "closed"},
        expected_version=0,
        who="t",
        overrides_public=True,
        action="close",
    )
    store.save_leave_behind(
        "24023",
        {"status": "documented", "earliest_date": "2024-05", "doses": 12, "people": 9},
        expected_version=0,
        who="t",
    )
    store.publish(None, who="t")
    radius = metrics.radius_m_from(miles=5)
    with_local = metrics.load_access_data(include_local=True, store_location=location)
    public = metrics.load_access_data()
    sites_local = metrics.jurisdiction_metrics(
        with_local, metrics.select_sites(with_local), radius
    ).set_index("fips")
    sites_public = metrics.jurisdiction_metrics(
        public, metrics.select_sites(public), radius
    ).set_index("fips")
    assert sites_local.loc["24023", "sites"] == sites_public.loc["24023", "sites"] - 1
    closed = with_local.sites.set_index("id").loc[first["id"]]
    assert closed["closed"] and "closed" in closed["status"]
    record = with_local.leave_behind.set_index("fips").loc["24023"]
    assert record["status"] == "documented" and record["doses"] == 12
    assert (
        public.leave_behind.set_index("fips").loc["24023", "status"] == "no public evidence found"
    )
    merged = merge.merge_sites(data.sites, store.sites())
    assert len(merged) == len(data.sites)


def test_export_includes_local_updates_unless_public_only(tmp_path):
    location = str(tmp_path / "store.sqlite")
    Store(location).add_sites(pd.DataFrame([SITE]), who="ana")
    Store(location).publish(None, who="ana")
    env = {"NALOXONE_STORE": location}

    def export(*extra: str) -> str:
        result = run_geo(["export", "sites", *extra], cwd=REPO_ROOT, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "Harbor Pharmacy" in export()
    assert "Harbor Pharmacy" not in export("--public-only")


def test_the_revision_counts_every_committed_write_and_never_goes_back(store):
    before = store.revision()
    store.add_sites(pd.DataFrame([SITE]), who="ana")
    after_import = store.revision()
    assert after_import == before + 1
    with pytest.raises(ConflictError):  # a refused write is rolled back: not counted
        store.save_leave_behind("24001", {"status": "documented"}, expected_version=7, who="ben")
    assert store.revision() == after_import


def test_an_older_store_starts_its_revision_where_it_stood(tmp_path):
    import sqlalchemy as sa

    location = str(tmp_path / "old.sqlite")
    first = Store(location)
    first.add_sites(pd.DataFrame([SITE]), who="ana")
    stood = first.revision()
    with first.engine.begin() as connection:  # a store made before the counter existed
        connection.exec_driver_sql("DROP TABLE store_revision")
    first.engine.dispose()
    reopened = Store(location)
    assert reopened.revision() >= stood
    with reopened.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM store_revision")).scalar() == 1
    reopened.publish(None, who="ana")  # the published row starts where the store stood
    assert reopened.revision(published=True) > stood


def test_a_record_recreated_after_a_revert_never_matches_a_form_opened_before(store):
    store.save_leave_behind("24001", {"status": "documented"}, expected_version=0, who="ana")
    opened_at = 1  # Ben opens the form on version 1 and leaves it open
    creation = int(store.history()["id"].iloc[0])
    store.revert(creation, who="ana")  # the record is gone again
    assert "24001" not in set(store.leave_behind()["fips"])
    recreated = store.save_leave_behind(
        "24001", {"status": "announced"}, expected_version=0, who="cai"
    )
    assert recreated > opened_at, "a version number is never issued twice"
    with pytest.raises(ConflictError):
        store.save_leave_behind(
            "24001", {"status": "no public evidence found"}, expected_version=opened_at, who="ben"
        )
    assert store.leave_behind().set_index("fips").loc["24001", "status"] == "announced"


def test_the_published_revision_moves_only_when_visitors_see_a_change(store):
    """Drafts, edits and reverts count in the revision, not in the published one (so
    visitors' cached data stays valid); publishing counts in both, never going back."""
    published = store.revision(published=True)
    imported = store.add_sites(pd.DataFrame([SITE]), who="ana")
    assert store.revision(published=True) == published
    store.publish([imported.change], who="ana")
    after_publish = store.revision(published=True)
    assert after_publish > published
    revision = store.revision()
    store.revert_change(imported.change, who="ben")  # a draft: visitors still see the site
    assert store.revision(published=True) == after_publish
    assert store.revision() == revision + 1
    store.publish(None, who="ben")
    assert store.revision(published=True) == after_publish + 1
