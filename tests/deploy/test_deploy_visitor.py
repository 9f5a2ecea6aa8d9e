"""The simulated visitor keeps large elements as the browser's message cache does: an
unchanged map is sent once, then referred to by its hash."""

from __future__ import annotations

import asyncio

import pytest

from deploy.local import running_cluster
from deploy.visitor import Visitor

pytestmark = pytest.mark.cluster


async def _radius_changes(url: str):
    visitor = Visitor(url, timeout_s=180)
    try:
        first = await visitor.connect()
        second = await visitor.set_radius(7.0)  # the Overview map does not change
        cached = dict(visitor.message_cache)
        await visitor.switch_page("data")  # no map: the map's entry ages out
        await visitor.switch_page("data")
        await visitor.switch_page("data")
        return first, second, cached, dict(visitor.message_cache)
    finally:
        await visitor.close()


def test_an_unchanged_map_is_not_sent_again():
    with running_cluster(1, proxy=False) as cluster:
        first, second, cached, later = asyncio.run(_radius_changes(cluster.process_urls[0]))
    assert first.references == 0 and second.references >= 1
    assert second.received_bytes < first.received_bytes / 3
    assert "Residents within 7 miles" in " ".join(second.texts)
    assert cached and not set(cached) & set(later)  # unused for 3 runs: dropped
