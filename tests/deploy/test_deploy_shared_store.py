"""Two Streamlit processes sharing one store (SQLite file and PostgreSQL): a change
published elsewhere appears in every process on its next rerun (no stale per-process
cache); a store that goes away makes every process say so and show the bundled public
data, and each recovers by itself when the store returns."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from deploy.local import Cluster, running_cluster
from deploy.visitor import RunResult, Visitor
from geo.local.store import Store
from pages.screens.overview import LISTING_LABEL
from shell.common import STORE_NOTICE
from tests.support.postgres import postgres_bin, running_server
from tests.support.stores import SITE

pytestmark = pytest.mark.cluster

PUBLIC_SITES = 500  # the bundled listing has more rows than this


@pytest.fixture(scope="module")
def pg_server():
    """A throwaway PostgreSQL server (requested only by the postgresql variant)."""
    if postgres_bin() is None:
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
    with running_server() as server:
        yield server


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def shared(request, tmp_path_factory) -> Iterator[tuple[Cluster, object]]:
    """Two processes (no proxy) on one store, and what plays the outage: the PostgreSQL
    server, or the SQLite file's path."""
    if request.param == "sqlite":
        location = str(tmp_path_factory.mktemp("store") / "store.sqlite")
        Store(location)
        outage: object = Path(location)
    else:
        outage = request.getfixturevalue("pg_server")
        location = outage.url
    with running_cluster(2, store=location, proxy=False) as cluster:
        yield cluster, outage


def one_site(location: str, *, publish: bool) -> tuple[str, Store, int]:
    """A new site added by another process (this test), as a draft or published."""
    name = f"Shared store pharmacy {uuid.uuid4().hex[:6]}"
    store = Store(location)
    lat = 39.25 + (uuid.uuid4().int % 400) * 0.0005  # apart from earlier tests' sites
    change = store.add_sites(pd.DataFrame([{**SITE, "name": name, "lat": lat}]), who="test").change
    if publish:
        store.publish([change], who="test")
    return name, store, change


async def reruns(visitors: list[Visitor]) -> list[RunResult]:
    return [await visitor.rerun() for visitor in visitors]


async def opened(cluster: Cluster) -> list[Visitor]:
    visitors = [Visitor(url, timeout_s=180) for url in cluster.process_urls]
    for visitor in visitors:
        await visitor.connect()
        await visitor.expand(LISTING_LABEL)  # the table of every listed site
    return visitors


async def close(visitors: list[Visitor]) -> None:
    for visitor in visitors:
        await visitor.close()


def test_a_publish_appears_in_every_process_on_its_next_rerun(shared):
    cluster, _ = shared

    async def scenario() -> None:
        visitors = await opened(cluster)
        try:
            for seen in await reruns(visitors):  # data and caches of this revision
                assert len(seen.cells) > PUBLIC_SITES
            name, store, change = one_site(cluster.store, publish=False)
            for seen in await reruns(visitors):
                assert name not in seen.cells, "a draft is shown to visitors"
            store.publish([change], who="test")
            for seen in await reruns(visitors):
                assert name in seen.cells, "a process shows a stale copy of the store"
        finally:
            await close(visitors)

    asyncio.run(scenario())


def _take_away(outage) -> None:
    if isinstance(outage, Path):  # the file (with its WAL) moved aside; junk in its place
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{outage}{suffix}")
            if part.exists():
                shutil.move(part, f"{part}.away")
        outage.write_bytes(b"not a database " * 500)
    else:
        outage.stop()


def _bring_back(outage) -> None:
    if isinstance(outage, Path):
        outage.unlink()
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{outage}{suffix}.away").exists():
                shutil.move(f"{outage}{suffix}.away", f"{outage}{suffix}")
    else:
        outage.start()


def test_every_process_says_the_store_is_down_shows_public_data_and_recovers(shared):
    cluster, outage = shared
    name, _, _ = one_site(cluster.store, publish=True)

    async def scenario() -> None:
        visitors = await opened(cluster)
        try:
            for seen in await reruns(visitors):
                assert name in seen.cells and STORE_NOTICE not in seen.texts
            _take_away(outage)
            try:
                for seen in await reruns(visitors):  # a VisitorError: the page crashed
                    assert STORE_NOTICE in seen.texts
                    assert name not in seen.cells and len(seen.cells) > PUBLIC_SITES
            finally:
                _bring_back(outage)
            for seen in await reruns(visitors):
                assert name in seen.cells and STORE_NOTICE not in seen.texts
        finally:
            await close(visitors)

    asyncio.run(scenario())
