"""Concurrent writers on the store, on SQLite and on a real PostgreSQL server: a revert
and an edit released together, two first corrections of one public site, and twenty
importers of the same file on a fresh store (threads, and separate processes on SQLite)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pandas as pd
import pytest

from geo.config import REPO_ROOT
from geo.local.store import ConflictError, DuplicateSitesError, Store
from tests.support.stores import SITE, fresh_location, run_together

ROUNDS = 30
IMPORTERS = 20
PROCESSES = 4
BATCH = pd.DataFrame(
    [
        {**SITE, "name": "Harbor Pharmacy"},
        {
            **SITE,
            "name": "Canton Clinic",
            "type": "health_department",
            "lat": 39.2800,
            "lon": -76.5800,
        },
        {
            **SITE,
            "name": "Unmapped Outreach",
            "type": "harm_reduction",
            "lat": None,
            "lon": None,
            "location_precision": "none",
        },
    ]
)


def outcomes(results: list[tuple[str, object]]) -> tuple[list[object], list[BaseException]]:
    oks = [value for kind, value in results if kind == "ok"]
    errors = [value for kind, value in results if kind == "error"]
    return oks, errors


def test_a_revert_and_an_edit_released_together_never_both_succeed(store):
    (site_id,) = store.add_sites(pd.DataFrame([SITE]), who="ana")
    store.save_site(site_id, {**SITE, "name": "Harbor Pharmacy v2"}, expected_version=1, who="ana")
    for round_ in range(ROUNDS):
        version = int(store.sites().set_index("id").loc[site_id, "version"])
        newest_change = int(store.history()["id"].max())
        edit = {**SITE, "name": f"Harbor Pharmacy edit {round_}"}
        results = run_together(
            lambda change=newest_change: store.revert(change, who="reverter"),
            lambda values=edit, read=version: store.save_site(
                site_id, values, expected_version=read, who="editor"
            ),
        )
        oks, errors = outcomes(results)
        assert len(oks) == 1 and len(errors) == 1, f"round {round_}: {results}"
        assert isinstance(errors[0], ConflictError), f"round {round_}: {errors[0]!r}"
        assert errors[0].current["version"] == version + 1
        stored = store.sites().set_index("id").loc[site_id]
        assert int(stored["version"]) == version + 1
        assert errors[0].current["name"] == stored["name"]
    changes = store.history().sort_values("id")
    assert changes["version"].tolist() == list(range(1, ROUNDS + 3)), (
        "every change issues the next version exactly once"
    )


def test_two_first_corrections_of_a_public_site_give_one_conflict(store):
    for round_ in range(ROUNDS // 3):
        public_id = f"osm_rx_test_{round_}"
        results = run_together(
            *[
                lambda who=who, key=public_id: store.save_site(
                    key,
                    {**SITE, "name": f"fixed by {who}"},
                    expected_version=0,
                    who=who,
                    overrides_public=True,
                    action="correct",
                )
                for who in ("ana", "ben")
            ]
        )
        oks, errors = outcomes(results)
        assert oks == [1], f"round {round_}: {results}"
        assert len(errors) == 1 and isinstance(errors[0], ConflictError), results
        winner = store.sites().set_index("id").loc[public_id]
        assert errors[0].current["updated_by"] == winner["updated_by"]
        assert errors[0].current["name"] == f"fixed by {winner['updated_by']}"
        assert errors[0].current["version"] == 1


def assert_stored_once(location: str, results: list[tuple[str, object]]) -> None:
    oks, errors = outcomes(results)
    assert len(oks) == 1, results
    for error in errors:
        assert isinstance(error, DuplicateSitesError), repr(error)
        assert "Harbor Pharmacy" in str(error) and "local-" in str(error)
        assert {d["name"] for d in error.duplicates} == set(BATCH["name"])
        assert {d["stored_id"] for d in error.duplicates} == set(oks[0])
    stored = Store(location)
    assert sorted(stored.sites()["id"]) == sorted(oks[0])
    assert len(stored.history()) == len(BATCH)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_twenty_importers_on_a_fresh_store_store_the_file_once(kind, tmp_path, request):
    location = fresh_location(kind, tmp_path, request)
    results = run_together(
        *[
            lambda who=f"importer {i}": Store(location).add_sites(BATCH, who=who)
            for i in range(IMPORTERS)
        ]
    )
    assert_stored_once(location, results)


def test_a_duplicate_is_refused_whole_and_named(store):
    (first,) = store.add_sites(pd.DataFrame([SITE]), who="ana")
    near = {**SITE, "name": "Harbour Pharmacy Inc", "lat": SITE["lat"] + 0.0001}  # ~11 m
    same_name = {
        **SITE,
        "name": "HARBOR pharmacy",
        "type": "vending_machine",
        "lat": SITE["lat"] + 0.0003,
    }  # ~33 m
    far = {**SITE, "name": "Elsewhere", "lat": 39.35}
    with pytest.raises(DuplicateSitesError) as refused:
        store.add_sites(pd.DataFrame([far, near, same_name]), who="ben")
    message = str(refused.value)
    assert "row 2" in message and "Harbour Pharmacy Inc" in message and first in message
    assert "row 3" in message and "HARBOR pharmacy" in message
    assert "Elsewhere" not in message
    assert [d["row"] for d in refused.value.duplicates] == [2, 3]
    assert store.sites()["id"].tolist() == [first], "nothing of the batch was stored"
    other_type = {
        **SITE,
        "name": "Harbor Vending",
        "type": "vending_machine",
        "lat": SITE["lat"] + 0.0001,
    }
    assert len(store.add_sites(pd.DataFrame([far, other_type]), who="ben")) == 2


WORKER = """
import json, os, sys, time
import pandas as pd
from geo.local.store import DuplicateSitesError, Store
location, folder, index = sys.argv[1], sys.argv[2], sys.argv[3]
with open(os.path.join(folder, "rows.json")) as source:
    rows = pd.DataFrame(json.load(source))
open(os.path.join(folder, f"ready-{index}"), "w").close()
while not os.path.exists(os.path.join(folder, "go")):
    time.sleep(0.002)
try:
    ids = Store(location).add_sites(rows, who=f"process {index}")
    print(json.dumps({"ok": ids}))
except DuplicateSitesError as exc:
    print(json.dumps({"duplicate": str(exc)}))
except Exception as exc:
    print(json.dumps({"error": repr(exc)}))
"""


def test_importers_in_separate_processes_store_the_file_once(tmp_path):
    location = str(tmp_path / "fresh" / "store.sqlite")
    (tmp_path / "rows.json").write_text(
        json.dumps(BATCH.astype(object).where(BATCH.notna(), None).to_dict("records"))
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, location, str(tmp_path), str(i)],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    deadline = time.monotonic() + 120
    while sum(os.path.exists(tmp_path / f"ready-{i}") for i in range(PROCESSES)) < PROCESSES:
        assert time.monotonic() < deadline and all(w.poll() is None for w in workers), [
            w.stderr.read() for w in workers if w.poll() is not None
        ]
        time.sleep(0.01)
    (tmp_path / "go").touch()
    replies = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        replies.append(json.loads(out.strip().splitlines()[-1]))
    assert [r for r in replies if "error" in r] == []
    assert sum("ok" in r for r in replies) == 1, replies
    assert sum("duplicate" in r for r in replies) == PROCESSES - 1, replies
    assert sorted(Store(location).sites()["id"]) == sorted(
        next(r["ok"] for r in replies if "ok" in r)
    )
