"""One rule for every CLI command (issue 22, item 5): published local updates are
included unless ``--public-only``; drafts never. ``find``, ``metrics`` and ``recommend``
used to read the public data only, so ``find`` still sent people to a closed site."""

from __future__ import annotations

import io
import json
import subprocess

import pandas as pd
import pytest

from geo.config import REPO_ROOT
from geo.local.store import SITE_FIELDS
from tests.support.cli import run_geo as run_in_process

CLOSED = "osm_rx_0390"  # Baltimore City: nearest open site to HERE (0376, Rite Aid, closed)
HERE = "39.2904,-76.6122"


def run_geo(location: str, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_in_process(args, cwd=REPO_ROOT, env={"NALOXONE_STORE": location})
    assert result.returncode == 0, result.stderr
    return result


def close_public_site(store, sites: pd.DataFrame, *, publish: bool) -> None:
    row = sites.set_index("id").loc[CLOSED]
    values = {f: (None if pd.isna(row.get(f)) else row.get(f)) for f in SITE_FIELDS}
    store.save_site(
        CLOSED,
        {**values, "status": "closed"},
        expected_version=0,
        who="Dana",
        overrides_public=True,
        action="close",
    )
    if publish:
        store.publish(None, who="Rev")


def nearest(location: str, *extra: str) -> str:
    found = json.loads(
        run_geo(location, "find", HERE, "--n", "1", "--format", "json", *extra).stdout
    )
    return found["results"][0]["id"]


def test_find_leaves_out_a_published_closure_unless_public_only(store, sites):
    close_public_site(store, sites, publish=False)
    assert nearest(store.location) == CLOSED, "a draft closure is not public yet"
    store.publish(None, who="Rev")
    assert nearest(store.location) != CLOSED
    assert nearest(store.location, "--public-only") == CLOSED


def baltimore_sites(location: str, *extra: str) -> int:
    out = run_geo(location, "metrics", "--radius-miles", "5", "--format", "json", *extra).stdout
    return {r["fips"]: r["sites"] for r in json.loads(out)}["24510"]


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_metrics_count_a_published_closure_unless_public_only(store, sites):
    close_public_site(store, sites, publish=True)
    public = baltimore_sites(store.location, "--public-only")
    assert baltimore_sites(store.location) == public - 1


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_recommend_counts_a_published_added_site_unless_public_only(store):
    def first(*extra: str) -> pd.Series:
        out = run_geo(store.location, "recommend", "--k", "1", "--radius-miles", "5", *extra).stdout
        return pd.read_csv(io.StringIO(out.lstrip("\ufeff"))).iloc[0]

    before = first()
    site = {
        "name": "Test Clinic",
        "type": "health_department",
        "jurisdiction_fips": str(before["fips"]),
        "lat": float(before["lat"]),
        "lon": float(before["lon"]),
        "location_precision": "exact",
        "status": "open",
        "source": "test",
    }
    store.add_sites(pd.DataFrame([site]), who="Dana")
    assert first()["candidate_id"] == before["candidate_id"], "a draft does not count"
    store.publish(None, who="Rev")
    after = first()
    assert (after["lat"], after["lon"]) != (before["lat"], before["lon"])
    assert first("--public-only")["candidate_id"] == before["candidate_id"]
