"""Uploads through the generated nginx site in front of a real ``streamlit run`` (issue
22, item 1): an anonymous flood of 40 × 5 MB is refused (by nginx's rate limit beyond
its burst, by the app before that) and nothing is held; an oversized body is refused by
nginx; a body on any other route is limited to a few kilobytes."""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request

import pytest

from deploy.nginx import UPLOAD_BURST, running_nginx
from deploy.processes import free_port
from deploy.visitor import Visitor
from geo.config import REPO_ROOT
from tests.support.browser import running_dashboard

pytestmark = pytest.mark.cluster

MB = 2**20
FLOOD = 40


async def flood(proxy: str) -> tuple[list[int], str]:
    visitor = Visitor(proxy, timeout_s=120)
    try:
        await visitor.connect()
        statuses = [
            await asyncio.to_thread(visitor.upload, f"f{i}.csv", b"x" * (5 * MB - 4096))
            for i in range(FLOOD)
        ]
        return statuses, visitor.session_id
    finally:
        await visitor.close()


def status_of(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status
    except urllib.error.HTTPError as exc:
        return exc.code


def held_upload_bytes(url: str) -> int:
    time.sleep(5.5)  # Streamlit caches its memory metrics for 5 s
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=10) as reply:
        text = reply.read().decode()
    return sum(
        int(float(line.rsplit(" ", 1)[1]))
        for line in text.splitlines()
        if line.startswith("cache_memory_bytes{") and "UploadedFileManager" in line
    )


def test_an_upload_flood_through_nginx_is_refused(nginx, tmp_path):
    with running_dashboard(env={"NALOXONE_STORE": str(tmp_path / "s.sqlite")}) as app_url:
        port = int(app_url.rsplit(":", 1)[1])
        listen = free_port()
        log = str(REPO_ROOT / "artifacts" / f"nginx-{listen}.log")
        with running_nginx([port], listen, log=log):
            proxy = f"http://127.0.0.1:{listen}"
            statuses, session_id = asyncio.run(flood(proxy))
            assert set(statuses) <= {403, 429}, statuses
            reached_app = statuses.count(403)
            assert 1 <= reached_app <= UPLOAD_BURST + 1, statuses  # the rest stopped by nginx
            assert held_upload_bytes(app_url) == 0

            too_big = urllib.request.Request(
                f"{proxy}/_stcore/upload_file/{session_id}/x",
                data=b"x" * (27 * MB),  # over nginx's 26m
                method="PUT",
                headers={"Content-Type": "application/octet-stream"},
            )
            try:
                assert status_of(too_big) == 413
            except urllib.error.URLError as exc:  # nginx may close while the body is sent
                assert isinstance(exc.reason, ConnectionError), exc
            elsewhere = urllib.request.Request(f"{proxy}/", data=b"x" * (128 * 1024))
            assert status_of(elsewhere) == 413
            assert status_of(urllib.request.Request(f"{proxy}/_stcore/health")) == 200
