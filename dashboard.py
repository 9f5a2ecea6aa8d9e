"""Maryland naloxone access dashboard: ``streamlit run dashboard.py``.

Entry point: page config, navigation over ``pages/``, the shared sidebar (site
types, radius, focus jurisdiction), data as-of dates and the standing caveat.
The view is mirrored in the URL query string so a copied link reopens it.

Each rerun: the sidebar's widgets give this run's view; the page frame
(``shell.frame.build_context``) then loads the data for that view, reading
the store revision once; the page runs with that context.

Streamlit runs this file as ``__main__`` for every run (:func:`main`). Before that,
``streamlit run dashboard.py`` imports it once as a module to serve it: the import
only defines ``app``, an ``st.App`` that runs the dashboard once in the background as
the server starts (:mod:`shell.warm`), so the first visitor finds the
libraries, data and Overview map already loaded, and that guards Streamlit's upload
route (:mod:`shell.upload_guard`: only the signed-in editor's import form may upload).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, NoReturn

import streamlit as st

if TYPE_CHECKING:
    from shell.compat import DeltaGenerator, StreamlitPage

if __name__ == "__main__":  # a run: the frame's imports
    from geo.analysis.ranking import DEFAULT_GAP_MEASURE
    from geo.analysis.view import MAX_MINUTES, MAX_RADIUS, RADIUS_UNITS, View
    from geo.config import MARYLAND_STATE_FIPS
    from geo.data.catalog import OSM_ATTRIBUTION, STOCK_CAVEAT, as_of_lines
    from geo.errors import DataFileError
    from geo.i18n import Translator, translated
    from geo.render.formatting import markdown_literal
    from geo.schema import SITE_TYPE_LABELS, SITE_TYPES
    from pages.screens.manage_signin import editor_signed_in
    from shell.common import STORE_NOTICE, reset_store_notice, store_unavailable
    from shell.frame import build_context, jurisdiction_names, open_page
    from shell.links import (
        drop_unreadable_page_params,
        open_link_view,
        opening_page,
        page_translator,
        url_query,
    )
else:  # served: nothing heavy at import, the server answers at once
    from starlette.middleware import Middleware

    from shell.upload_guard import UploadGuard
    from shell.warm import run_once_at_start

    app = st.App(__file__, lifespan=run_once_at_start, middleware=[Middleware(UploadGuard)])

#: The dashboard's own script and style sheet, kept as files and inlined when drawn.
ASSETS_DIR = Path(__file__).resolve().parent / "shell" / "assets"


def _asset(name: str) -> str:
    """The text of one file in :data:`ASSETS_DIR` (UTF-8)."""
    return (ASSETS_DIR / name).read_text(encoding="utf-8")


#: "Skip to main content" as the page's first Tab stop (issue 28, item 7: about 22 Tab
#: stops came before the finder's search box). Streamlit draws the sidebar before the
#: page, so the link is put at the start of the document by a script (``st.html``);
#: on the finder it goes straight to the search box, elsewhere to the page's content.
SKIP_LINK_HTML = f"<script>\n{_asset('skip_link.js')}</script>"


def skip_link(_: Translator = str) -> None:
    """Add :data:`SKIP_LINK_HTML` once per browser page (our own script and words, no data
    in it), its words in the language of ``_``."""
    import json

    text = json.dumps(_("Skip to main content")).replace("<", "\\u003c")
    st.html(SKIP_LINK_HTML.replace("__TEXT__", text), unsafe_allow_javascript=True)


#: A clear keyboard focus ring (issue 28, item 7): the sidebar's page links showed a faint
#: grey ring that looked like the current-page mark; now a thick blue outline, distinct
#: from the current page's grey background, on every focused link, button and field.
ACCESSIBILITY_CSS = f"<style>\n{_asset('focus_ring.css')}</style>"


def pages(_: Translator = str) -> list[StreamlitPage]:
    """The pages, each a route script in ``pages/`` named after its URL, titled by ``_``."""
    return [
        st.Page(
            "pages/overview.py",
            title=_("Overview"),
            icon=":material/map:",
            url_path="overview",
            default=True,
        ),
        st.Page(
            "pages/find.py", title=_("Find naloxone"), icon=":material/search:", url_path="find"
        ),
        st.Page(
            "pages/leave-behind.py",
            title=_("EMS leave-behind"),
            icon=":material/ambulance:",
            url_path="leave-behind",
        ),
        st.Page(
            "pages/compare.py",
            title=_("Compare jurisdictions"),
            icon=":material/bar_chart:",
            url_path="compare",
        ),
        st.Page(
            "pages/access-gaps.py",
            title=_("Access gaps"),
            icon=":material/location_searching:",
            url_path="access-gaps",
        ),
        st.Page(
            "pages/data.py",
            title=_("Data & methods"),
            icon=":material/description:",
            url_path="data",
        ),
        st.Page(
            "pages/manage.py",
            title=_("Manage data"),
            icon=":material/edit_note:",
            url_path="manage",
        ),
    ]


def show_store_notice(notice: DeltaGenerator, _: Translator = str) -> None:
    """One notice, at the top (``notice``), when the store failed during this run: the
    pages then show the bundled public data."""
    if store_unavailable():
        notice.info(_(STORE_NOTICE), icon=":material/cloud_off:")


def access_choice(_: Translator = str) -> tuple[str, float, str]:
    """The sidebar's measure (straight line, walking minutes in Baltimore City, driving
    minutes when a network is installed) and minutes; a note saying what the measure
    covers (empty for the straight line)."""
    from geo.network.installed import DEFAULT_MINUTES, MEASURE_LABELS, drive_available

    offered = ["straight", "walk"] + (["drive"] if drive_available() else [])
    if st.session_state.get("access_widget") not in offered:
        if st.session_state.get("access_widget") == "drive":
            st.toast(
                _(
                    "Link: driving minutes are not available (no drive network installed); "
                    "showing straight-line distance"
                )
            )
        st.session_state["access_widget"] = "straight"
    labels = {**MEASURE_LABELS, "straight": _("Straight line (mi/km)")}
    access = st.radio(
        _("Measure"),
        offered,
        key="access_widget",
        format_func=lambda measure: _(labels[measure]),
        help=_(
            "How 'near a site' is measured. Walking minutes: on Baltimore City's streets "
            "(80 m/min), the only walking network bundled. Driving minutes: on a road network "
            "an operator installs (docs/travel-time.md)."
        ),
    )
    if "drive" not in offered:
        st.caption(
            _(
                "Driving minutes: not available, no road network is installed "
                "(an operator can add one: `python -m geo network build`)."
            )
        )
    if access == "straight":
        return access, float(st.session_state.get("minutes_widget", DEFAULT_MINUTES)), ""
    st.session_state.setdefault("minutes_widget", DEFAULT_MINUTES)
    minutes = st.number_input(
        _("Minutes"),
        min_value=1.0,
        max_value=MAX_MINUTES,
        step=1.0,
        format="%g",
        key="minutes_widget",
        help=_("Travel time that counts as 'near a site'."),
    )
    note = (
        _(
            "Walking minutes cover Baltimore City only (its streets are the one walking "
            "network bundled); pages and figures outside the City stay straight-line and say so."
        )
        if access == "walk"
        else _(
            "Driving minutes cover the area of the installed network; elsewhere figures "
            "stay straight-line and say so."
        )
    )
    return access, float(minutes), note


def stop_for_damaged_data(exc: DataFileError, _: Translator = str) -> NoReturn:
    """The one message when a bundled data file cannot be read; the run stops."""
    st.error(
        _(
            "The dashboard cannot start because a bundled data file is damaged or "
            "missing: {problem}. Restore the file from the repository or run "
            "`python -m geo build`."
        ).format(problem=markdown_literal(exc))
    )
    st.stop()


def navigation_pages() -> tuple[list[StreamlitPage], dict[str, StreamlitPage]]:
    """The pages, titled in the opening page's language (the finder may be in Spanish),
    and the same pages by URL path."""
    page_list = pages()
    titled = page_translator(opening_page(page_list))
    if titled("Find naloxone") != "Find naloxone":  # the finder in another language
        page_list = pages(titled)
    return page_list, {page.url_path or "overview": page for page in page_list}


class Choices(NamedTuple):
    """What the sidebar's widgets say in this run."""

    types: list[str]
    access: str
    minutes: float
    radius: float
    unit: str
    focus: str
    include_local: bool
    drafts: bool


def radius_choice(_: Translator, access_note: str) -> tuple[float, str]:
    """The sidebar's radius and its unit, side by side."""
    radius_column, unit_column = st.columns([3, 2])
    radius = radius_column.number_input(
        _("Radius"),
        min_value=0.5,
        max_value=MAX_RADIUS,
        step=0.5,
        format="%g",
        key="radius_widget",
        help=_(
            "Straight-line distance that counts as 'near a site' (used where the "
            "travel-time measure does not reach)."
        )
        if access_note
        else _("Straight-line distance that counts as 'near a site'."),
    )
    unit_names = {"mi": _("miles"), "km": "km"}
    unit = unit_column.radio(_("Unit"), RADIUS_UNITS, key="unit_widget", format_func=unit_names.get)
    return float(radius), unit


def local_choice(_: Translator) -> tuple[bool, bool]:
    """Whether published local updates are included, and (editors) drafts shown too."""
    include_local = st.toggle(
        _("Include published local updates"),
        key="local_widget",
        help=_(
            "Sites and leave-behind records added or corrected by "
            "editors and published on the Manage data page, each marked "
            "'local update' with its date. Off: public data only."
        ),
    )
    drafts = (
        bool(include_local)
        and editor_signed_in()
        and st.toggle(
            _("Show drafts (editors)"),
            key="drafts_widget",
            help=_(
                "Also show changes not published yet, marked 'local update (draft)'. Only "
                "you see them; visitors see published updates only."
            ),
        )
    )
    return bool(include_local), bool(drafts)


def data_as_of(_: Translator) -> None:
    """The stock caveat and the "Data as of" list under the sidebar's widgets."""
    st.caption(f"⚠️ {_(STOCK_CAVEAT)}")
    with st.expander(_("Data as of"), expanded=False):
        st.markdown("\n".join(f"- **{what}**: {when}" for what, when in as_of_lines(_)))
        st.caption(
            _(
                "Pharmacy locations {osm} (ODbL). Distances are straight "
                "lines from 2020 census-tract centres of population."
            ).format(osm=OSM_ATTRIBUTION)
        )


def sidebar(_: Translator, names: dict[str, str]) -> Choices:
    """The shared sidebar: site types, measure, radius, focus, local updates, caveats."""
    with st.sidebar:
        st.header(_("View"))
        types = st.multiselect(
            _("Site types"),
            SITE_TYPES,
            key="types_widget",
            format_func=lambda site_type: _(SITE_TYPE_LABELS[site_type]),
            help=_("Which kinds of naloxone access point count as a site."),
        )
        access, minutes, access_note = access_choice(_)
        radius, unit = radius_choice(_, access_note)
        if access_note:
            st.caption(access_note)
        focus = st.selectbox(
            _("Focus jurisdiction"),
            [MARYLAND_STATE_FIPS, *names],
            key="focus_widget",
            format_func=lambda f: (
                _("Maryland (statewide)") if f == MARYLAND_STATE_FIPS else names[f]
            ),
        )
        include_local, drafts = local_choice(_)
        if not types:
            st.warning(_("Choose at least one site type."))
        data_as_of(_)
    return Choices(types, access, minutes, radius, unit, focus, include_local, drafts)


def view_of(choices: Choices, current: StreamlitPage) -> View:
    """This run's view: the sidebar's choices, the page, and what pages keep in the
    session (gap measure, comparison, number of recommendations)."""
    return View(
        tuple(t for t in SITE_TYPES if t in choices.types),
        choices.radius,
        choices.unit,
        choices.focus,
        current.url_path or "overview",
        choices.include_local,
        st.session_state.get("gap_measure", DEFAULT_GAP_MEASURE),
        compare=tuple(st.session_state.get("compare_choice") or ()),
        measure=st.session_state.get("compare_measure"),
        k=st.session_state.get("k_recommend"),
        candidates=st.session_state.get("candidates_widget"),
        access=choices.access,
        minutes=choices.minutes,
    )


def main() -> None:
    """One run: navigation, the link's view, sidebar, context, then the chosen page."""
    st.set_page_config(page_title="Maryland naloxone access", page_icon="💊", layout="wide")
    page_list, page_by_path = navigation_pages()
    store_notice = st.empty()  # filled when the local-updates store is down
    reset_store_notice()
    try:
        names = jurisdiction_names()
    except DataFileError as exc:
        stop_for_damaged_data(exc, page_translator(opening_page(page_list)))

    current = st.navigation(page_list, position="sidebar")
    _ = page_translator(current.url_path)
    st.html(ACCESSIBILITY_CSS)
    skip_link(_)
    dropped = open_link_view(names, page_by_path, current, drop_unreadable_page_params())
    choices = sidebar(_, names)
    for problem in (*st.session_state.pop("link_problems", ()), *dropped):
        st.toast(_("Link: {problem}").format(problem=translated(problem, _)))

    view = view_of(choices, current)
    try:
        build_context(view, names, drafts=choices.drafts)  # this run's view: the data follow it
    except DataFileError as exc:
        stop_for_damaged_data(exc, _)
    if choices.types:
        st.query_params.from_dict(url_query(view))

    show_store_notice(store_notice, _)
    open_page(current)
    show_store_notice(store_notice, _)  # the page may have been the first to find the store down


if __name__ == "__main__":
    main()
