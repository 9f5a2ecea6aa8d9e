"""Cached calls into ``geo`` shared by the pages (no widgets here: the shared
sidebar lives in ``dashboard.py``)."""

from __future__ import annotations

from collections.abc import Callable

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis import metrics
from geo.analysis.view import View
from geo.data import layers
from geo.errors import DataFileError
from geo.local.store import ConflictError, Store, StoreUnavailableError, store_location
from geo.render import briefing, formatting, maps, static_maps
from geo.schema import SITE_TYPE_LABELS

VIEW_KEY = "view"
ADDED_KEY = "what_if_added"
REMOVED_KEY = "what_if_removed"


def current_view() -> View:
    """The view the shared sidebar set for this run."""
    return st.session_state.get(VIEW_KEY, View())


STORE_NOTICE = "Local updates are unavailable right now; showing the bundled public data."
_STORE_DOWN_KEY = "store_unavailable"


@st.cache_resource(show_spinner=False)
def _open_store(location: str) -> Store:
    return Store(location)


def store() -> Store:
    """The local-updates store (``NALOXONE_STORE``), opened once per process. A store
    that cannot be opened raises ``StoreUnavailableError`` and is not cached: the next
    call tries again."""
    return _open_store(store_location())


def reset_store_notice() -> None:
    """Forget the last run's store failure (``dashboard.py`` calls this first)."""
    st.session_state.pop(_STORE_DOWN_KEY, None)


def store_unavailable() -> bool:
    """Whether the store failed during this run (pages then show the public data)."""
    return bool(st.session_state.get(_STORE_DOWN_KEY))


def _note_store_unavailable() -> None:
    """Remember the failure for this run and drop the cached store, so the next run
    opens it afresh (a repaired or replaced store is picked up by itself)."""
    st.session_state[_STORE_DOWN_KEY] = True
    _open_store.clear()


def _public_key() -> tuple[bool, int, str]:
    return False, 0, ""


def data_key() -> tuple[bool, int, str]:
    """(with local updates?, store revision, store): changes whenever the data shown
    changes. The public data's key when the view asks for it or the store is down."""
    if not current_view().include_local or store_unavailable():
        return _public_key()
    try:
        return True, store().revision(), store_location()
    except StoreUnavailableError:
        _note_store_unavailable()
        return _public_key()


@st.cache_resource(show_spinner="Loading the data…", max_entries=8)
def _access_data(include_local: bool, revision: int, location: str) -> metrics.AccessData:
    return metrics.load_access_data(include_local=include_local,
                                    store_location=location or None)


def access_data() -> metrics.AccessData:
    """The bundled layers, with the store's local updates when the view asks for them;
    the bundled layers alone (and a notice, see ``store_unavailable``) when the store
    cannot be reached or read."""
    try:
        return _access_data(*data_key())
    except StoreUnavailableError:
        _note_store_unavailable()
        return _access_data(*_public_key())


def data_with_local_updates() -> metrics.AccessData:
    """The bundled layers with the store's local updates, whatever the view shows.
    Raises ``StoreUnavailableError`` when the store is down (for the Manage page)."""
    location = store_location()
    return _access_data(True, store().revision(), location)


@st.cache_data(show_spinner=False)
def cited_facts() -> pd.DataFrame:
    return layers.load_cited_facts()


@st.cache_data(show_spinner=False)
def manifest_files() -> pd.DataFrame:
    return pd.DataFrame(layers.load_manifest()["files"])


def _added_frame(added: tuple[tuple[float, float, str], ...]) -> pd.DataFrame | None:
    if not added:
        return None
    return pd.DataFrame(added, columns=["lat", "lon", "name"])


@st.cache_data(show_spinner=False, max_entries=64)
def selected_sites(key: tuple[bool, int], types: tuple[str, ...], removed: tuple[str, ...] = (),
                   added: tuple[tuple[float, float, str], ...] = ()) -> pd.DataFrame:
    return metrics.select_sites(_access_data(*key), types, removed_ids=removed,
                                added=_added_frame(added))


@st.cache_data(show_spinner=False, max_entries=64)
def jurisdiction_table(key: tuple[bool, int], types: tuple[str, ...], radius_m: float,
                       catchment_m: float, decay: str, removed: tuple[str, ...] = (),
                       added: tuple[tuple[float, float, str], ...] = ()) -> pd.DataFrame:
    return metrics.jurisdiction_metrics(_access_data(*key),
                                        selected_sites(key, types, removed, added),
                                        radius_m, catchment_m=catchment_m, decay=decay)


@st.cache_data(show_spinner=False, max_entries=64)
def nearest_table(key: tuple[bool, int], types: tuple[str, ...], removed: tuple[str, ...] = (),
                  added: tuple[tuple[float, float, str], ...] = ()) -> pd.DataFrame:
    return metrics.nearest_sites(_access_data(*key), selected_sites(key, types, removed, added))


@st.cache_data(show_spinner=False, max_entries=64)
def recommendations(key: tuple[bool, int], types: tuple[str, ...], radius_m: float, k: int,
                    removed: tuple[str, ...] = (),
                    added: tuple[tuple[float, float, str], ...] = ()) -> pd.DataFrame:
    return metrics.recommend_sites(_access_data(*key), selected_sites(key, types, removed, added),
                                   k, radius_m)


def view_metrics(view: View) -> pd.DataFrame:
    """Per-jurisdiction metrics for the view, with the default 2SFCA settings."""
    return jurisdiction_table(data_key(), view.types, view.radius_m,
                              metrics.DEFAULT_CATCHMENT_MILES * metrics.METRES_PER_MILE, "none")


def show_map(fmap, key: str, *, height: int = 560, returned: list[str] | None = None) -> dict:
    """Render a folium map; pans and zooms do not rerun the script unless asked."""
    return st_folium(fmap, key=key, height=height, use_container_width=True,
                     returned_objects=returned or []) or {}


def guarded(render: Callable[[], None]) -> None:
    """Run a page body; show data and input problems as messages, not tracebacks."""
    try:
        render()
    except DataFileError as exc:
        st.error("A bundled data file is damaged or missing: "
                 f"{formatting.markdown_literal(exc)}")
    except ValueError as exc:
        st.error(f"That combination cannot be computed: {formatting.markdown_literal(exc)}")
    except StoreUnavailableError:
        _note_store_unavailable()
        st.error("This needs the local-updates store, which is unavailable right now. "
                 "Try again later.")
    except ConflictError:
        st.error("Someone else changed these records meanwhile; nothing was saved. Reload "
                 "the page and try again.")


def focus_name(view: View) -> str:
    data = access_data()
    if view.focus == metrics.MARYLAND_STATE_FIPS:
        return metrics.STATE_NAME
    return str(data.jurisdictions.set_index("fips").loc[view.focus, "name"])


def tiles():
    return maps.tiles_from_environment()


def view_subtitle(view: View) -> str:
    """What the exported map shows, for its subtitle."""
    types = ", ".join(SITE_TYPE_LABELS[t] for t in view.types)
    return f"{focus_name(view)}. Site types: {types}. Radius {view.radius_label}."


def map_downloads(key: str, interactive: Callable[[], folium.Map],
                  drawer: Callable[[], static_maps.Drawer], title: str, view: View) -> None:
    """Download buttons for the current map: standalone HTML (offline), PNG, SVG, PDF.
    Files are built only when a button is pressed."""
    data = access_data()
    zoom = None if view.focus == metrics.MARYLAND_STATE_FIPS else view.focus

    def image(fmt: str) -> Callable[[], bytes]:
        return lambda: static_maps.figure_bytes(static_maps.map_figure(
            drawer(), data.jurisdictions, title, subtitle=view_subtitle(view),
            zoom_fips=zoom, legend_title="Legend"), fmt)

    with st.expander("Download this map for slides and reports"):
        columns = st.columns(4)
        columns[0].download_button(
            "Interactive map (HTML)", lambda: maps.standalone_html(interactive()).encode(),
            f"{key}.html", "text/html", key=f"{key}_html",
            help="One self-contained file that works offline.")
        for column, fmt in zip(columns[1:], ("png", "svg", "pdf"), strict=True):
            column.download_button(fmt.upper(), image(fmt), f"{key}.{fmt}",
                                   static_maps.FORMATS[fmt], key=f"{key}_{fmt}")


def briefing_download(view: View) -> None:
    """One-click briefing PDF for the focus jurisdiction (or Maryland)."""
    name = focus_name(view)
    st.download_button(
        f"Briefing PDF: {name}",
        lambda: briefing.briefing_pdf(access_data(), view.focus,
                                      radius_miles=view.radius_m / metrics.METRES_PER_MILE,
                                      types=view.types),
        f"naloxone-briefing-{view.focus}.pdf", "application/pdf", key="briefing_pdf",
        icon=":material/picture_as_pdf:",
        help="Two pages: map, key figures next to Maryland's, EMS leave-behind evidence, "
        "recommended new locations, sources and dates.")
