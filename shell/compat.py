"""The one place that uses Streamlit's and streamlit-folium's internals.

The map widget (:mod:`shell.map_widget`) renders a folium map once and hands the
arguments to streamlit-folium's component directly, which needs names that library does not
publish (``_component_func``, ``_get_html``, ...). The warm start (:mod:`shell.warm`) uses
Streamlit's runtime, and the frame Streamlit's page type. Everything here is checked
against the versions this project is tested with (:data:`TESTED`, the ``app`` extra's
ranges in ``pyproject.toml``). On a mismatch, or when a private name is missing, the map
widget falls back to the public ``st_folium`` with one logged warning instead of breaking:
slower (each rerun renders the map again) but correct.
"""

from __future__ import annotations

import functools
import logging
from importlib import metadata
from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator as DeltaGenerator
    from streamlit.navigation.page import StreamlitPage as StreamlitPage
    from streamlit.runtime import Runtime as Runtime

LOGGER = logging.getLogger(__name__)

#: Distribution → the release series (major.minor) whose internals this module uses.
TESTED = {"streamlit": "1.67", "streamlit-folium": "0.27"}
#: The private names of streamlit_folium the map widget uses.
FOLIUM_PRIVATE_NAMES = (
    "_component_func",
    "_get_header",
    "_get_html",
    "_get_map_string",
    "generate_js_hash",
    "get_full_id",
)


def installed_series(distribution: str) -> str | None:
    """``major.minor`` of an installed distribution, None when it is not installed."""
    try:
        version = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
    return ".".join(version.split(".")[:2])


def mismatches() -> list[str]:
    """One line per distribution whose installed series differs from :data:`TESTED`."""
    found = {name: installed_series(name) for name in TESTED}
    return [
        f"{name} {found[name] or 'not installed'} (tested with {series})"
        for name, series in TESTED.items()
        if found[name] != series
    ]


@functools.cache
def folium_internals() -> SimpleNamespace | None:
    """streamlit-folium's private functions when the installed versions are the tested
    ones and every name exists; else None, logged once as a warning (the map widget then
    uses the public ``st_folium``)."""
    problems = mismatches()
    if not problems:
        import streamlit_folium

        missing = [n for n in FOLIUM_PRIVATE_NAMES if not hasattr(streamlit_folium, n)]
        if not missing:
            return SimpleNamespace(
                **{n: getattr(streamlit_folium, n) for n in FOLIUM_PRIVATE_NAMES}
            )
        problems = [f"streamlit_folium lacks {', '.join(missing)}"]
    LOGGER.warning(
        "Map widget: %s; using the public st_folium instead (maps are rendered on every "
        "rerun, which is slower). Update shell/compat.py for these versions.",
        "; ".join(problems),
    )
    return None


def public_st_folium():
    """streamlit-folium's public widget function."""
    from streamlit_folium import st_folium

    return st_folium


def runtime() -> Runtime:
    """The running Streamlit runtime (``streamlit.runtime.Runtime.instance()``)."""
    from streamlit.runtime import Runtime

    return Runtime.instance()


def running_runtime() -> Runtime | None:
    """The Streamlit runtime when one is running (a server), None otherwise (AppTest,
    the CLI)."""
    from streamlit.runtime import Runtime

    return Runtime.instance() if Runtime.exists() else None


def script_session_id() -> str | None:
    """The session id of the script run on this thread (None outside a run): the id in
    its upload URLs (``/_stcore/upload_file/<session id>/...``)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def intended_page() -> tuple[str | None, str | None]:
    """(script hash, name) of the page this run was asked to open, from Streamlit's pages
    manager (internal); (None, None) when Streamlit does not say (callers then fall back)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    manager = getattr(get_script_run_ctx(), "pages_manager", None)
    return (
        getattr(manager, "intended_page_script_hash", None),
        getattr(manager, "intended_page_name", None),
    )


def page_script_hash(page: StreamlitPage) -> str | None:
    """A page's script hash (``StreamlitPage._script_hash``, internal), None if absent."""
    return getattr(page, "_script_hash", None)
