"""``python -m deploy.local --replicas 2``: PostgreSQL, two Streamlit processes and nginx
on loopback ports; a browser's WebSocket session and its uploads reach one process
through the proxy; Ctrl-C stops all of it."""

from __future__ import annotations

import asyncio
import queue
import signal
import subprocess
import sys
import threading

import pytest

from deploy.processes import answers
from deploy.visitor import Visitor
from geo.config import REPO_ROOT

pytestmark = pytest.mark.cluster

VISITORS = 10  # all ten on one process by chance: 2 in 1,024


class Output:
    """The command's output lines, read by one thread from start to end of file."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(
            target=lambda: [self.lines.put(line) for line in process.stdout], daemon=True
        )
        self._reader.start()

    def until_ready(self, timeout_s: float = 240) -> list[str]:
        """The lines up to the "ready" line."""
        while not self.seen or not self.seen[-1].startswith("ready"):
            try:
                self.seen.append(self.lines.get(timeout=timeout_s))
            except queue.Empty:
                pytest.fail(f"the cluster did not start: {self.seen}")
        return self.seen

    def rest(self, timeout_s: float = 90) -> str:
        """Everything after what was seen, once the command has closed its output."""
        self._reader.join(timeout_s)
        return "".join(self.lines.get() for _ in range(self.lines.qsize()))


async def sessions_and_uploads(proxy: str, processes: list[str]) -> list[tuple[int, ...]]:
    """For each visitor through the proxy: the upload status through the proxy, then
    sent straight to each process."""
    found = []
    for _ in range(VISITORS):
        visitor = Visitor(proxy, timeout_s=180)
        try:
            await visitor.connect()
            assert visitor.session_id
            through_proxy = await asyncio.to_thread(visitor.upload, "sites.csv", b"name\n")
            direct = []
            for url in processes:
                visitor.base_url = url
                direct.append(await asyncio.to_thread(visitor.upload, "sites.csv", b"name\n"))
            visitor.base_url = proxy
            found.append((through_proxy, *direct))
        finally:
            await visitor.close()
    return found


def test_the_cluster_command_serves_sticky_sessions_and_stops_everything(nginx):
    command = subprocess.Popen(
        [sys.executable, "-m", "deploy.local", "--replicas", "2"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = Output(command)
        lines = output.until_ready()
        proxy = next(line.split()[1] for line in lines if line.startswith("dashboard:"))
        processes = next(line.split()[1:] for line in lines if line.startswith("processes:"))
        assert len(processes) == 2 and proxy not in processes
        assert all(url.startswith("http://127.0.0.1:") for url in [proxy, *processes])
        assert answers(proxy) and all(answers(url) for url in processes)

        statuses = asyncio.run(sessions_and_uploads(proxy, processes))
        # A visitor's session shows no file uploader, so the process holding it refuses
        # the upload (403, shell/upload_guard.py); a process that does not hold the
        # session does not know it (400). The proxy's request reached the holder.
        assert all(through_proxy == 403 for through_proxy, *_ in statuses), statuses
        holders = []
        for _, *direct in statuses:  # only the process holding the session knows it
            assert sorted(direct) == [400, 403], statuses
            holders.append(direct.index(400) ^ 1)
        assert set(holders) == {0, 1}, "every session went to one process"
    finally:
        command.send_signal(signal.SIGINT)
        try:
            command.wait(timeout=90)
        except subprocess.TimeoutExpired:
            command.kill()
            raise
    rest = output.rest()
    assert command.returncode == 0, rest
    assert "stopped" in rest
    assert not answers(proxy) and not any(answers(url) for url in processes)
