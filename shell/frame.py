"""The page frame: what every page reads about this run, in one place.

``dashboard.py`` draws the shared sidebar, builds the :class:`PageContext` from this
run's widgets with :func:`build_context` (so the data is loaded with this run's view,
and the store revision is read at most once per rerun) and then runs the page. A page
body takes the context as its argument: ``run_page(render)``. Scenarios come from
one cache keyed on the data and the scenario's choices (:meth:`PageContext.scenario`).
Nothing runs at import.
"""

from __future__ import annotations

import runpy
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

import streamlit as st

from geo.analysis import metrics
from geo.analysis.metrics import AccessData
from geo.analysis.scenario import AddedSite, Scenario
from geo.analysis.view import View
from geo.config import MARYLAND_STATE_FIPS, REPO_ROOT
from geo.data import layers
from geo.local.store import StoreUnavailableError, store_location
from shell import heap
from shell.common import forget_store, guarded, note_store_unavailable, store
from shell.data_caches import forget_older_data, keyed_by_data

if TYPE_CHECKING:
    from shell.compat import StreamlitPage

_CONTEXT_KEY = "page_context"
_HANDED_OVER_KEY = "page_opened_by_dashboard"


class DataKey(NamedTuple):
    """Names the data shown: changes whenever it changes."""

    include_local: bool
    drafts: bool  # editors' unpublished changes too (never for visitors)
    revision: int
    location: str


PUBLIC = DataKey(False, False, 0, "")


@keyed_by_data
@st.cache_resource(show_spinner="Loading the data…", max_entries=8)
def _access_data(include_local: bool, drafts: bool, revision: int, location: str) -> AccessData:
    return metrics.load_access_data(
        include_local=include_local, drafts=drafts, store_location=location or None
    )


@st.cache_data(show_spinner=False)
def jurisdiction_names() -> dict[str, str]:
    """FIPS → name of the 24 jurisdictions (bundled; local updates never change them)."""
    frame = layers.load_jurisdictions()
    return dict(zip(frame["fips"], frame["name"], strict=True))


@keyed_by_data
@st.cache_resource(show_spinner=False, max_entries=32)
def _shared_scenario(
    data_key: DataKey, scenario_key: tuple[object, ...], _scenario: Scenario
) -> Scenario:
    """The first scenario built with these choices on this data, shared by every run and
    session: its nearest sites, table and recommendations are computed once."""
    return _scenario


@keyed_by_data
@st.cache_resource(show_spinner=False, max_entries=16)
def _shared_sites(
    data_key: DataKey, sites_key: tuple[object, ...], _scenario: Scenario
) -> Scenario:
    """The first scenario built with these sites (types, removals, additions, 2SFCA
    catchment) on this data, whatever its radius: the others derive from it."""
    return _scenario


def _local_keys() -> tuple[DataKey, DataKey]:
    """The keys of the data with published local updates (visitors: at the published
    revision, so an editor's draft does not reload their data) and with drafts too (at
    the revision of every write), from one read of the store (raises
    ``StoreUnavailableError`` when the store is down). A new published revision clears
    the caches built from older data (:func:`forget_older_data`)."""
    revision, published = store().revisions()
    location = store_location()
    forget_older_data(location, published)
    return DataKey(True, False, published, location), DataKey(True, True, revision, location)


@dataclass(frozen=True, eq=False)
class PageContext:
    """This run's view, the data it shows (with local updates when the view asks and
    the store is up) and the jurisdiction names. ``store_error`` is the store's
    failure found while loading (the pages then show the public data)."""

    view: View
    names: Mapping[str, str]
    data: AccessData = field(repr=False)
    data_key: DataKey = PUBLIC
    store_error: StoreUnavailableError | None = None
    drafts_key: DataKey | None = None  # the editors' data key, when this run read it

    @property
    def store_ok(self) -> bool:
        """False when the store failed during this run."""
        return self.store_error is None

    @property
    def focus_fips(self) -> str | None:
        """The focus jurisdiction's FIPS, None when the view is statewide."""
        return None if self.view.focus == MARYLAND_STATE_FIPS else self.view.focus

    @property
    def focus_name(self) -> str:
        """The focus jurisdiction's name, or Maryland."""
        return metrics.STATE_NAME if self.focus_fips is None else self.names[self.focus_fips]

    def map_key(self, *shows: Hashable) -> tuple[Hashable, ...]:
        """Names a map of this run's data (whose: public, published or an editor's drafts,
        at which store revision), focus and unit, plus ``shows``: what else the page
        draws."""
        return (self.data_key, self.focus_fips, self.view.unit, *shows)

    def scenario(
        self, removed: tuple[str, ...] = (), added: tuple[AddedSite, ...] = ()
    ) -> Scenario:
        """The view's scenario (its site types and radius; default 2SFCA settings),
        with sites hypothetically removed or added; one cache for every page."""
        wanted = Scenario.from_data(
            self.data,
            types=self.view.types,
            radius_m=self.view.radius_m,
            removed=removed,
            added=added,
            gap_measure=self.view.gap,
            measure=self.view.access,
            minutes=self.view.minutes,
        )
        same_sites = _shared_sites(self.data_key, wanted.sites_key, wanted)
        if same_sites is not wanted:  # another radius: its nearest sites are reused
            wanted = same_sites.replace(
                radius_m=wanted.radius_m,
                gap_measure=wanted.gap_measure,
                measure=wanted.measure,
                minutes=wanted.minutes,
            )
        return _shared_scenario(self.data_key, wanted.key, wanted)

    @cached_property
    def _local(self) -> tuple[DataKey | None, StoreUnavailableError | None]:
        if self.drafts_key is not None:  # read with this run's data
            return self.drafts_key, None
        if self.store_error is not None:
            return None, self.store_error
        try:
            return _local_keys()[1], None
        except StoreUnavailableError as exc:
            forget_store()
            return None, exc

    def local_key(self) -> DataKey:
        """The key of the editors' data (local updates, drafts included), whatever the
        view shows (the store revision is read at most once per run). Raises the store's
        failure."""
        key, error = self._local
        if error is not None:
            raise error
        assert key is not None
        return key

    def local_data(self) -> AccessData:
        """The editors' data: local updates with drafts, whatever the view shows (the
        Manage page)."""
        return _access_data(*self.local_key())


def local_data_at(revision: int) -> AccessData:
    """The editors' data (drafts included) at a revision the caller has just read."""
    return _access_data(True, True, revision, store_location())


def _load(
    view: View, drafts: bool
) -> tuple[AccessData, DataKey, StoreUnavailableError | None, DataKey | None]:
    """The data for ``view`` (with ``drafts``, a signed-in editor's choice: unpublished
    changes too): the public data when it asks for it or the store is down; its key,
    the store's failure and the editors' data key when the store was read. Any failure
    to read the store (the revision, or the records after it) falls back to the public
    data, with the outage notice."""
    if not view.include_local:
        return _access_data(*PUBLIC), PUBLIC, None, None
    try:  # one fallback for every read: the revision can read while the records do not
        published, with_drafts = _local_keys()
        key = with_drafts if drafts else published
        return _access_data(*key), key, None, with_drafts
    except StoreUnavailableError as exc:
        note_store_unavailable()
        return _access_data(*PUBLIC), PUBLIC, exc, None


def build_context(view: View, names: Mapping[str, str], *, drafts: bool = False) -> PageContext:
    """This run's context, loaded with this run's ``view`` (``dashboard.py`` calls it
    once per rerun, after drawing the sidebar and before running the page); ``drafts``
    only for a signed-in editor who asked to see them."""
    data, key, error, drafts_key = _load(view, drafts)
    context = PageContext(view, dict(names), data, key, error, drafts_key)
    st.session_state[_CONTEXT_KEY] = context
    return context


def page_context() -> PageContext:
    """The context ``dashboard.py`` built for this run (in a widget callback, which runs
    before the script: the previous run's)."""
    context = st.session_state.get(_CONTEXT_KEY)
    if context is None:
        raise RuntimeError("pages run inside the dashboard: streamlit run dashboard.py")
    return context


def open_page(page: StreamlitPage) -> None:
    """Run the page ``st.navigation`` chose, telling it the context is this run's; then
    settle the process's heap (:func:`shell.heap.settle`)."""
    st.session_state[_HANDED_OVER_KEY] = True
    page.run()
    heap.settle()


def run_page(render: Callable[[PageContext], None]) -> None:
    """Run a page body with this run's context; its problems are shown as messages.

    A page script not opened by ``dashboard.py`` (:func:`open_page`) has no context for
    this run: Streamlit's legacy ``pages/`` router runs the scripts in ``pages/`` itself
    on the first run after a server starts (a deep link such as ``/compare``), as does
    ``streamlit run pages/compare.py``. The dashboard then runs instead; its navigation
    builds the context and opens this page."""
    if not st.session_state.pop(_HANDED_OVER_KEY, False):
        runpy.run_path(str(REPO_ROOT / "dashboard.py"), run_name="__main__")
        return
    guarded(lambda: render(page_context()))
