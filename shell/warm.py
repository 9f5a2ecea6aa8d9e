"""The dashboard run once as the server starts, before any visitor connects.

``streamlit run dashboard.py`` serves the ``st.App`` that ``dashboard.py`` defines when
imported as a module. Its lifespan, :func:`run_once_at_start`, starts one run of the
dashboard script in the background and lets the server answer at once. While the
first visitor's browser loads Streamlit's frontend, that run imports the libraries,
reads the bundled data and the store, and fills the caches of the Overview (its
figures and rendered map). The visitor's own run then finds them, or waits for the
ones still being built, instead of starting from nothing.

The run is Streamlit's own script check (``Runtime.does_script_run_without_error``,
the one behind ``/_stcore/script-health-check``): a session without a browser, on the
default view (the Overview, statewide, published updates included), shut down when
the script ends. A run that fails is logged and changes nothing else: visitors then
see the same error they would have seen anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from shell import compat, upload_guard

LOGGER = logging.getLogger(__name__)


async def run_script_once() -> bool:
    """Run the main script once in a session without a browser; True when it ended
    without an error (a failure, or Streamlit's 60 s time-out, is logged)."""
    try:
        ok, outcome = await compat.runtime().does_script_run_without_error()
    except Exception:  # never the server's problem: visitors' runs start from nothing
        LOGGER.exception("The dashboard's run at server start could not be started")
        return False
    if not ok:
        LOGGER.warning(
            "The dashboard's run at server start failed (%s); visitors' runs "
            "start from nothing and show the same error.",
            outcome,
        )
    return ok


@contextlib.asynccontextmanager
async def run_once_at_start(_app: Any) -> AsyncIterator[None]:
    """``st.App`` lifespan: say what is wrong with the proxy settings (the editor
    sign-in's client address), start :func:`run_script_once` and serve meanwhile; a run
    still going when the server stops is cancelled. Also runs the upload guard's sweep
    (:func:`shell.upload_guard.sweep_forever`: files of ended sessions are released)."""
    from geo.local import clients

    clients.warn_about_proxy_settings()
    upload_guard.check_streamlit_version()
    tasks = [
        asyncio.create_task(run_script_once(), name="dashboard run at server start"),
        asyncio.create_task(upload_guard.sweep_forever(), name="uploaded-file sweep"),
    ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
