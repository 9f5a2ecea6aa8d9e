"""The dashboard's link handling: the language and page a link opens, and the URL query
that mirrors the view (``dashboard.py`` calls these on every run)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from geo.analysis import url_params
from geo.analysis.finder_query import MAX_QUERY_CHARS
from geo.analysis.view import View, view_from_query, view_to_query
from geo.i18n import (
    Message,
    Translator,
    is_known_language,
    language,
    language_list,
    translator,
)

if TYPE_CHECKING:
    from shell.compat import StreamlitPage

#: Query parameters a page reads itself (the finder's search and language), kept beside
#: the view's.
PAGE_PARAMS = ("q", "lang")


#: The finder's URL path: the one page drawn in the link's language (``?lang=es``).
FINDER_PATH = "find"


def link_language() -> str:
    """The language in the link (``?lang=es``) through the strict reader, else English."""
    text, readable = url_params.first(st.query_params.to_dict(), "lang", 10)
    return language(text if readable else "")


def opening_page(page_list: list[StreamlitPage]) -> str | None:
    """The URL path of the page ``st.navigation`` will open in this run, resolved as it
    does (the page asked for by hash, else by name), so the navigation can be titled in
    that page's language before it is drawn; None when not known (then English)."""
    from shell import compat

    wanted_hash, wanted_name = compat.intended_page()
    for page in page_list:
        if (wanted_hash and compat.page_script_hash(page) == wanted_hash) or (
            not wanted_hash and wanted_name and page.url_path == wanted_name
        ):
            return page.url_path
    return None


def page_translator(url_path: str | None) -> Translator:
    """``_`` of the sidebar and navigation: the link's language on the finder, else
    English (the other pages are English only)."""
    return translator(link_language() if url_path == FINDER_PATH else "en")


def url_query(view: View) -> dict[str, str]:
    """The URL query of ``view``, with the parameters pages read themselves kept."""
    kept = {k: st.query_params[k] for k in PAGE_PARAMS if k in st.query_params}
    return view_to_query(view) | kept


def drop_unreadable_page_params() -> tuple[Message, ...]:
    """Remove from the URL each page parameter (``PAGE_PARAMS``) the strict reader refuses
    (too long, control characters) and a language not offered (``lang=fr``), and say so,
    naming the parameter, never its value (:class:`geo.i18n.Message`: shown translated)."""
    params = st.query_params.to_dict()
    dropped = [k for k in PAGE_PARAMS if not url_params.first(params, k, MAX_QUERY_CHARS)[1]]
    problems = []
    for key in dropped:
        del st.query_params[key]
        problems.append(
            Message.of(
                "ignored the search (q) in the link (more than {most} characters or "
                "control characters)",
                most=MAX_QUERY_CHARS,
            )
            if key == "q"
            else Message.of(
                "ignored the language (lang) in the link (more than {most} characters "
                "or control characters)",
                most=MAX_QUERY_CHARS,
            )
        )
    asked, _readable = url_params.first(st.query_params.to_dict(), "lang", MAX_QUERY_CHARS)
    if asked and not is_known_language(asked):
        del st.query_params["lang"]
        problems.append(
            Message.of(
                "the language in the link is not available, so the page is in English "
                "(languages: {languages})",
                languages=language_list(),
            )
        )
    return tuple(problems)


def open_link_view(
    names: dict[str, str],
    page_by_path: dict[str, StreamlitPage],
    current: StreamlitPage,
    dropped: tuple[Message, ...],
) -> tuple[Message, ...]:
    """On a session's first run, set the widgets from the link's view (and go to the page
    it names); the link problems still to report (all are kept for later on a first run)."""
    if "view_initialised" in st.session_state:
        return dropped
    linked = view_from_query(st.query_params.to_dict(), set(names), set(page_by_path))
    st.session_state.update(
        {
            "types_widget": list(linked.types),
            "radius_widget": float(linked.radius),
            "unit_widget": linked.unit,
            "focus_widget": linked.focus,
            "local_widget": linked.include_local,
            "gap_measure": linked.gap,
            "access_widget": linked.access,
            "minutes_widget": float(linked.minutes),
            "view_initialised": True,
            "link_problems": (*linked.problems, *dropped),
        }
    )
    st.session_state.update(
        {
            key: value
            for key, value in (
                ("compare_choice", list(linked.compare)),
                ("compare_measure", linked.measure),
                ("k_recommend", linked.k),
                ("candidates_widget", linked.candidates),
            )
            if value not in (None, [])
        }
    )
    target = page_by_path.get(linked.page)
    if target is not None and target.url_path != current.url_path:
        st.switch_page(target, query_params=url_query(linked))
    return ()
