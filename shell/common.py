"""What the pages share besides the frame (``shell.frame``): the local-updates
store and its notice, the error guard around a page body, cached bundled tables and
the map widget. No widgets of the shared sidebar here (``dashboard.py`` owns it), and
nothing runs at import."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable

import folium
import pandas as pd
import streamlit as st

from geo.data import layers
from geo.errors import DataFileError, InputError
from geo.i18n import N_
from geo.local.store import ConflictError, Store, StoreUnavailableError, store_location
from geo.render import formatting, html_table, maps
from shell import map_widget

STORE_NOTICE = N_("Local updates are unavailable right now; showing the bundled public data.")
_STORE_DOWN_KEY = "store_unavailable"
_log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _open_store(location: str) -> Store:
    return Store(location)


def store() -> Store:
    """The local-updates store (``NALOXONE_STORE``), opened once per process. A store
    that cannot be opened raises ``StoreUnavailableError`` and is not cached: the next
    call tries again."""
    return _open_store(store_location())


def forget_store() -> None:
    """Drop the cached store, so the next run opens it afresh (a repaired or replaced
    store is picked up by itself)."""
    _open_store.clear()


def reset_store_notice() -> None:
    """Forget the last run's store failure (``dashboard.py`` calls this first)."""
    st.session_state.pop(_STORE_DOWN_KEY, None)


def store_unavailable() -> bool:
    """Whether the store failed during this run (pages then show the public data)."""
    return bool(st.session_state.get(_STORE_DOWN_KEY))


def note_store_unavailable() -> None:
    """Remember the failure for this run (the notice) and drop the cached store."""
    st.session_state[_STORE_DOWN_KEY] = True
    forget_store()


#: What a visitor reads when a page fails because of a bug (the details go to the log).
BUG_MESSAGE = (
    "Something went wrong on our side while drawing this part of the page. The problem has "
    "been logged for the maintainers; try again, or change the view."
)


def guarded(render: Callable[[], None]) -> None:
    """Run a page body. Problems a user can fix (:class:`InputError`) and damaged data
    files are shown as messages; anything else is a bug: logged with its traceback and
    shown as :data:`BUG_MESSAGE`, never as its own text."""
    try:
        render()
    except DataFileError as exc:
        st.error(f"A bundled data file is damaged or missing: {formatting.markdown_literal(exc)}")
    except InputError as exc:
        st.error(f"That combination cannot be computed: {formatting.markdown_literal(exc)}")
    except StoreUnavailableError:
        note_store_unavailable()
        st.error(
            "This needs the local-updates store, which is unavailable right now. Try again later."
        )
    except ConflictError:
        st.error(
            "Someone else changed these records meanwhile; nothing was saved. Reload "
            "the page and try again."
        )
    except Exception:
        _log.exception("page failed")
        st.error(BUG_MESSAGE)


@st.cache_data(show_spinner=False)
def cited_facts() -> pd.DataFrame:
    return layers.load_cited_facts()


@st.cache_data(show_spinner=False)
def manifest_files() -> pd.DataFrame:
    return pd.DataFrame(layers.load_manifest()["files"])


def show_table(
    frame: pd.DataFrame,
    column_config: dict | None = None,
    *,
    plain: str | None = None,
    marked: pd.Series | None = None,
) -> None:
    """``frame`` as a table at the container's width, without its index; a missing value
    reads ``formatting.MISSING`` ("—": unknown or suppressed, never zero), as in the
    briefings and the captions, instead of Streamlit's grey "None".

    With ``plain`` (its caption) the same table follows as plain HTML in an expander: the
    data grid is a canvas whose rows are not in the page text, so screen readers and
    copy-paste get this one, with the same headers and number formats. ``marked`` (one
    bool per row) flags rows, e.g. the focus jurisdiction, in words in the plain table."""
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config=column_config,
        placeholder=formatting.MISSING,
    )
    if plain is None:
        return
    headers, digits = {}, {}
    for column in frame.columns:
        config = (column_config or {}).get(column, column)
        if config is None:
            continue
        if isinstance(config, dict):
            headers[column] = str(config.get("label") or column)
            digits[column] = html_table.digits_of((config.get("type_config") or {}).get("format"))
        else:
            headers[column] = str(config)
    with st.expander(f"{plain}: as a plain table (screen readers, copying)"):
        st.html(
            html_table.html_table(
                frame,
                headers,
                plain,
                digits=digits,
                marked=None if marked is None else list(marked),
            )
        )


def show_map(
    build: Callable[[], folium.Map],
    key: str,
    *,
    shows: tuple[Hashable, ...] | None = None,
    height: int = 560,
    returned: list[str] | None = None,
) -> dict:
    """Draw the folium map ``build()`` makes at the container's width; pans and zooms do
    not rerun the script unless asked (``returned``). With ``shows`` (everything the map
    shows: :meth:`shell.frame.PageContext.map_key`) the map is built and rendered
    once per process and reused by every rerun and session showing the same; the
    basemap setting is added to it here."""
    if shows is not None:
        basemap = tiles()
        shows = (*shows, None if basemap is None else (basemap.url, basemap.attribution))
    return map_widget.show_map_widget(build, key, shows, height=height, returned=returned or [])


def tiles():
    return maps.tiles_from_environment()
