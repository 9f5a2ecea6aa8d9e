"""``streamlit run dashboard.py`` serves the ``st.App`` that ``dashboard.py`` defines when
imported as a module; its lifespan runs the dashboard once as the server starts
(``shell/warm.py``), without holding the server up."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys

from streamlit.web.server.app_discovery import discover_asgi_app

from geo.config import REPO_ROOT
from shell import warm


def test_streamlit_run_serves_the_dashboard_as_an_app():
    found = discover_asgi_app(REPO_ROOT / "dashboard.py")
    assert found.is_asgi_app
    assert found.import_string == "dashboard:app"


def test_importing_the_dashboard_to_serve_it_loads_no_data_library():
    """The server answers before the libraries load: they load in the run at start."""
    program = (
        "import sys, dashboard; print(type(dashboard.app).__name__, *[m for m in "
        "('pandas', 'geopandas', 'folium', 'geo.data.layers', 'shell.frame') "
        "if m in sys.modules])"
    )
    shown = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO_ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    assert shown == ["App"]


class FakeRuntime:
    """A runtime whose script check ends when released, with ``outcome``."""

    def __init__(self, outcome: tuple[bool, str] | Exception) -> None:
        self.outcome = outcome
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.finished = False

    async def does_script_run_without_error(self) -> tuple[bool, str]:
        self.started.set()
        await self.release.wait()
        self.finished = True
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def serve_during_run(monkeypatch, outcome, *, release: bool = True) -> FakeRuntime:
    """Enter the lifespan, check the run started and the server was let go before it
    ended, then release it (or not) and stop the server."""
    fake = FakeRuntime(outcome)
    monkeypatch.setattr(warm.compat, "runtime", lambda: fake)

    async def scenario() -> None:
        async with warm.run_once_at_start(None):
            await asyncio.wait_for(fake.started.wait(), 5)
            assert not fake.finished  # serving while the run goes on
            if release:
                fake.release.set()
                for _ in range(100):
                    await asyncio.sleep(0)

    asyncio.run(scenario())
    return fake


def test_the_run_at_start_goes_on_while_the_server_serves(monkeypatch, caplog):
    with caplog.at_level(logging.WARNING, logger=warm.LOGGER.name):
        fake = serve_during_run(monkeypatch, (True, "ok"))
    assert fake.finished
    assert not caplog.records


def test_a_failed_run_at_start_is_logged_and_the_server_stays_up(monkeypatch, caplog):
    with caplog.at_level(logging.WARNING, logger=warm.LOGGER.name):
        serve_during_run(monkeypatch, (False, "error"))
        serve_during_run(monkeypatch, RuntimeError("no runtime"))
    assert [r.levelno for r in caplog.records] == [logging.WARNING, logging.ERROR]
    assert "failed (error)" in caplog.records[0].getMessage()
    assert "could not be started" in caplog.records[1].getMessage()


def test_a_run_still_going_when_the_server_stops_is_cancelled(monkeypatch):
    fake = serve_during_run(monkeypatch, (True, "ok"), release=False)
    assert not fake.finished
