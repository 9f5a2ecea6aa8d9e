"""Local updates as a reviewed workflow, on SQLite and on a real PostgreSQL server: every
change is a draft that visitors do not see until an editor publishes it; one import is
one change and reverts as one; the history reads as sentences; older stores migrate;
the CLI imports, publishes and lists; published sites are marked in exports and popups."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess

import pandas as pd
import pytest

from geo.analysis import metrics
from geo.config import REPO_ROOT
from geo.local import merge
from geo.local.store import ConflictError, Store
from geo.render import maps
from tests.support.cli import run_geo as run_in_process
from tests.support.stores import SITE, run_together

TODAY = dt.datetime.now(dt.UTC).date().isoformat()
SITES = pd.DataFrame(
    [
        SITE,
        {**SITE, "name": "Bay Clinic", "type": "health_department", "lat": 39.31, "lon": -76.60},
        {**SITE, "name": "Mill Pharmacy", "lat": 39.33, "lon": -76.64},
    ]
)


def visible(location: str) -> pd.DataFrame:
    """The sites a visitor sees with published local updates on."""
    return metrics.load_access_data(include_local=True, store_location=location).sites


def test_a_draft_is_invisible_to_visitors_until_published(store):
    ids = store.add_sites(SITES.iloc[:1], who="Dana", source="new_sites.csv")
    assert "Harbor Pharmacy" not in set(visible(store.location)["name"])
    editors = metrics.load_access_data(
        include_local=True, drafts=True, store_location=store.location
    ).sites
    assert editors.set_index("id").loc[ids[0], "origin"] == "local update (draft)"

    store.publish([ids.change], who="Eve")
    shown = visible(store.location).set_index("id").loc[ids[0]]
    assert shown["name"] == "Harbor Pharmacy"
    assert (shown["origin"], shown["updated"]) == ("local update", TODAY)
    published = store.changes().set_index("id").loc[ids.change]
    assert (published["state"], published["published_by"]) == ("published", "Eve")


def test_an_edit_after_publishing_stays_a_draft_for_visitors(store):
    ids = store.add_sites(SITES.iloc[:1], who="Dana", source="a.csv")
    store.publish(None, who="Dana")
    store.save_site(
        ids[0], {**SITE, "status": "closed"}, expected_version=1, who="Dana", action="close"
    )
    assert visible(store.location).set_index("id").loc[ids[0], "status"] == "open (local update)"
    store.publish(None, who="Dana")
    assert visible(store.location).set_index("id").loc[ids[0], "status"] == "closed (local update)"


def test_one_import_is_one_change_and_reverts_as_one(store):
    ids = store.add_sites(SITES, who="Dana", source="new_sites.csv")
    changes = store.changes()
    assert changes["sentence"].tolist() == [
        f"Imported 3 sites from new_sites.csv — Dana, {TODAY} (draft, not public yet)"
    ]
    store.publish(None, who="Dana")
    assert set(ids) <= set(visible(store.location)["id"])

    revert = store.revert_change(ids.change, who="Eve")
    assert store.sites().empty
    assert store.changes().set_index("id").loc[revert, "sentence"] == (
        f"Reverted “Imported 3 sites from new_sites.csv” — Eve, {TODAY} (draft, not public yet)"
    )
    assert set(ids) <= set(visible(store.location)["id"]), "the revert is a draft"
    store.publish([revert], who="Eve")
    assert not set(ids) & set(visible(store.location)["id"])


def test_the_history_reads_as_sentences_and_records_publishing(store, sites):
    oakland = {
        **SITE,
        "name": "CVS Pharmacy",
        "city": "Oakland",
        "jurisdiction_fips": "24023",
        "lat": 39.41,
        "lon": -79.40,
    }
    store.save_site(
        "osm_rx_0002",
        {**oakland, "status": "closed"},
        expected_version=0,
        who="Dana",
        overrides_public=True,
        action="close",
    )
    store.save_leave_behind(
        "24001", {"status": "documented"}, expected_version=0, who="Dana", place="Allegany County"
    )
    with pytest.raises(ValueError, match="no change 999999"):
        store.publish([999999], who="Dana")
    store.publish(None, who="Dana")
    with pytest.raises(ConflictError, match="already published"):
        store.publish([int(store.changes()["id"].min())], who="Dana")
    assert store.changes()["sentence"].tolist() == [
        f"Published 2 changes — Dana, {TODAY}",
        f"Updated the leave-behind record of Allegany County — Dana, {TODAY} "
        f"(published by Dana, {TODAY})",
        f"Closed CVS Pharmacy (Oakland) — Dana, {TODAY} (published by Dana, {TODAY})",
    ]
    closed = visible(store.location).set_index("id").loc["osm_rx_0002"]
    assert closed["closed"] and closed["origin"] == "local update"


def test_an_older_store_keeps_its_changes_as_one_draft(store):
    store.add_sites(SITES.iloc[:2], who="ana")
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE change_sets")
        connection.exec_driver_sql("ALTER TABLE history DROP COLUMN change_set")
    reopened = Store(store.location)
    (legacy,) = reopened.changes().to_dict("records")
    assert (legacy["kind"], legacy["state"]) == ("legacy", "draft")
    assert legacy["summary"] == "2 change(s) made before local updates needed publishing"
    assert reopened.published("site").empty
    reopened.publish([legacy["id"]], who="Dana")
    assert set(reopened.published("site")["name"]) == {"Harbor Pharmacy", "Bay Clinic"}


def run_geo(location: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_in_process(args, cwd=REPO_ROOT, env={"NALOXONE_STORE": location})


def exported(location: str) -> pd.DataFrame:
    result = run_geo(location, "export", "sites")
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout.lstrip("\ufeff")), dtype=str)


def test_cli_import_publish_history_round_trip(store, tmp_path):
    upload = tmp_path / "new_sites.csv"
    SITES[["name", "type", "lat", "lon"]].to_csv(upload, index=False)
    imported = run_geo(store.location, "sites", "import", str(upload))
    assert imported.returncode == 0, imported.stderr
    change = int(store.changes()["id"].iloc[0])
    assert f"Draft change {change}:" in imported.stdout
    assert "Harbor Pharmacy" not in set(exported(store.location)["name"])

    published = run_geo(store.location, "sites", "publish", str(change))
    assert published.returncode == 0, published.stderr
    assert published.stdout.startswith("Published “Imported 3 sites from new_sites.csv” — cli:")
    rows = exported(store.location).set_index("name").loc["Harbor Pharmacy"]
    assert (rows["origin"], rows["updated"]) == ("local update", TODAY)
    again = run_geo(store.location, "sites", "publish", "--all")
    assert again.returncode == 2 and "no draft changes" in again.stderr

    history = run_geo(store.location, "sites", "history")
    lines = history.stdout.splitlines()
    assert lines[0].split(maxsplit=1)[1].startswith("Published “Imported 3 sites")
    assert "Imported 3 sites from new_sites.csv — cli:" in lines[1]
    assert "#" not in history.stdout
    records = json.loads(run_geo(store.location, "sites", "history", "--format", "json").stdout)
    assert [r["state"] for r in records] == ["published", "published"]


def test_published_local_sites_are_marked_in_popups(store, data):
    store.add_sites(SITES.iloc[:1], who="Dana", source="a.csv")
    store.publish(None, who="Dana")
    sites = merge.merge_sites(
        data.sites[data.sites["id"] == "osm_rx_0001"], store.published("site")
    )
    html = maps.sites_map(data.jurisdictions, sites).get_root().render()
    assert '["local_update", "Local update"]' in html  # the popup's field and label
    assert re.search(r'"key": "local_update", "values": \[[^\]]*"updated ' + TODAY, html)
    assert html.count(f"updated {TODAY}") == 1, "public sites carry no mark"


def test_two_editors_publishing_together_publish_once(store):
    for round_ in range(3):
        store.add_sites(SITES.iloc[[round_]], who="Dana", source=f"r{round_}.csv")
        results = run_together(
            lambda: store.publish(None, who="Ana"), lambda: store.publish(None, who="Ben")
        )
        oks = [value for state, value in results if state == "ok"]
        errors = [value for state, value in results if state == "error"]
        assert len(oks) == 1 and len(errors) == 1, f"round {round_}: {results}"
        assert isinstance(errors[0], ConflictError | ValueError), repr(errors[0])
    kinds = store.changes()["kind"].tolist()
    assert kinds.count("publish") == 3 and "draft" not in store.changes()["state"].tolist()


def test_published_sites_never_name_their_editor_to_visitors(tmp_path):
    from geo.data import layers
    from geo.local import merge
    from geo.local.store import Store

    store = Store(str(tmp_path / "store.sqlite"))
    site = {
        "name": "Harbor Pharmacy",
        "type": "pharmacy",
        "jurisdiction_fips": "24510",
        "lat": 39.2904,
        "lon": -76.6122,
        "location_precision": "exact",
        "status": "open",
        "notes": "walk-in",
        "source": "test",
        "source_date": "2026-11",
    }
    store.add_sites(pd.DataFrame([site]), who="Dana Editor")
    store.publish(None, who="Dana Editor")
    merged = merge.merge_sites(layers.load_sites(), store.published("site"))
    row = merged[merged["name"] == "Harbor Pharmacy"].iloc[0]
    assert row["notes"] == "walk-in"
    assert "Dana" not in " ".join(str(v) for v in row.to_numpy())
