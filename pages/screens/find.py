"""Find naloxone: the sites nearest a ZIP code, town, coordinates, address or map click.

The search is in the URL (``/find?q=21550``) with the sidebar's view (site types, unit,
data), so a link reopens it. Results come first as a numbered list (headings, phone
links: reachable by keyboard and screen reader), the map below them.
"""

from __future__ import annotations

import html
import secrets

import folium
import streamlit as st

from geo.analysis import learn, url_params
from geo.analysis.finder import DEFAULT_N, Finder, FinderError, FinderResult
from geo.analysis.finder_query import MAX_QUERY_CHARS
from geo.analysis.tables import distances_in
from geo.config import geocoder_name
from geo.data.catalog import PLACE_NAMES_ATTRIBUTION
from geo.data.geocoder import CENSUS_ATTRIBUTION, ClientGeocoder, shared_geocoder
from geo.i18n import LANGUAGES, Translator, language, translator
from geo.render import maps
from geo.render.finder_output import (
    note_text,
    place_label,
    result_table,
)
from geo.render.formatting import markdown_literal
from pages.screens.find_sites import measure_note, site_markdown
from shell.cited import show_cited_lines
from shell.common import cited_facts, show_map, tiles
from shell.data_caches import keyed_by_data
from shell.downloads import table_downloads
from shell.frame import PageContext

QUERY_PARAM = "q"
#: The page's language (``?lang=es``); English when absent or unknown.
LANG_PARAM = "lang"
COUNTS = (5, 10, 20)


@keyed_by_data
@st.cache_resource(show_spinner=False, max_entries=8)
def _finder(data_key: object, _context: PageContext) -> Finder:
    return Finder.from_data(_context.data)


def _by_travel_time(context: PageContext, result: FinderResult, count: int) -> FinderResult:
    """The answer ordered by the view's network minutes inside the network's area (the
    straight-line answer, with a note, outside it or without the network)."""
    from geo.analysis.travel import travel_find

    try:
        covered = context.scenario().covered
    except ValueError:  # the measure's network is not installed: straight line stays
        return result
    finder = _finder(context.data_key, context)
    return travel_find(finder, result.query, count, context.view.types, covered)


def _results(context: PageContext, result: FinderResult, _: Translator) -> None:
    unit = "km" if context.view.unit == "km" else "miles"
    query = result.query
    place = place_label(query, _)
    st.subheader(_("Nearest to {place}").format(place=markdown_literal(place)))
    st.warning(_("Call ahead: a listing is not confirmed stock."), icon=":material/call:")
    st.caption(measure_note(context, result, _))
    if result.results.empty:
        st.info(_("No mapped site of the chosen types: widen the site types in the sidebar."))
    st.markdown(
        "\n".join(
            site_markdown(i, row, unit, (query.lat, query.lon), _)
            for i, (_index, row) in enumerate(result.results.iterrows(), start=1)
        )
    )
    if (result.results["type"] == "opioid_treatment_program").any():
        st.caption(
            _(
                "Opioid treatment programs (methadone clinics) mainly serve their own "
                "patients: call before going to ask whether they give naloxone to visitors."
            )
        )
    # screen readers hear each new answer (issue 28, item 5): a polite live region
    st.html(
        '<p role="status" aria-live="polite" class="md-finder-status" style="position:'
        'absolute; left:-10000px; width:1px; height:1px; overflow:hidden;">'
        + html.escape(
            _("{count} places found nearest to {place}.").format(
                count=len(result.results), place=place
            )
        )
        + "</p>"
    )
    if len(result.also_in_jurisdiction):
        place = markdown_literal(result.jurisdiction)
        st.markdown("#### " + _("Also in {place}, location not mapped").format(place=place))
        st.caption(
            _(
                "These sites have no reliable coordinates, so no distance is given; "
                "they are never placed by guess."
            )
        )
        st.markdown(
            "\n".join(
                site_markdown(None, row, unit, None, _)
                for _index, row in result.also_in_jurisdiction.iterrows()
            )
        )
    table_downloads(
        distances_in(result_table(result), context.view.unit),
        "naloxone_finder_results",
        context,
        label=_("Download these results"),
        kind="sites",
        notes=tuple(note_text(note, _) for note in result.notes),
        dictionary_label=_("Data dictionary (CSV)"),
        excel_help=_(
            "Two sheets: the data, and a data dictionary (meaning, unit, source and date of "
            "every column)."
        ),
        _=_,
    )
    st.caption(
        _(PLACE_NAMES_ATTRIBUTION) + (f" · {CENSUS_ATTRIBUTION}" if query.kind == "address" else "")
    )


def _page_base_url() -> str:
    """This dashboard's address as the person opened it (for the handout's QR code), else
    ``NALOXONE_PUBLIC_URL``."""
    from urllib.parse import urlsplit

    from geo.config import public_url

    url = str(getattr(st.context, "url", "") or "")
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return public_url()


def _handout_section(context: PageContext, result: FinderResult, lang: str) -> None:
    """Two buttons for the one-page printable handout (US Letter, A4), made when clicked
    (issue 27.3; :mod:`geo.render.handout`)."""
    from geo.render import handout

    _ = translator(lang)
    link = handout.finder_link(
        _page_base_url(), result.query.text, lang, measure=context.view.access
    )
    unit = "km" if context.view.unit == "km" else "miles"

    def build(paper: str):
        def make() -> bytes:
            content = handout.handout_content(
                result, cited_facts(), context.data.sites, link, lang=lang, unit=unit
            )
            return handout.handout_pdf(content, paper)

        return make

    st.markdown("#### " + _("Print a handout"))
    st.caption(
        _(
            "One page to hand on: these sites, the call-ahead caveat, what naloxone is, the "
            "overdose steps and free training, each with its source, and a QR code of this "
            "search."
        )
    )
    letter, a4 = st.columns(2)
    for column, paper, label in ((letter, "letter", _("US Letter")), (a4, "a4", "A4")):
        column.download_button(
            _("Handout PDF ({paper})").format(paper=label),
            build(paper),
            file_name=_("free_naloxone") + f"_{paper}.pdf",
            mime="application/pdf",
            key=f"find_handout_{paper}",
            icon=":material/print:",
            on_click="ignore",
        )


def _learn_section(context: PageContext, result: FinderResult, lang: str) -> None:
    """ "Learn to use naloxone, free" for the searched jurisdiction, each line cited
    (issue 29; :func:`geo.analysis.learn.learn_lines`)."""
    _ = translator(lang)
    lines = learn.learn_lines(cited_facts(), result.query.fips, context.data.sites, lang)
    show_cited_lines(_("Learn to use naloxone, free"), lines, _)


def _map(context: PageContext, result: FinderResult, lang: str) -> None:
    """The point searched and its numbered sites, its labels and popups in ``lang``;
    built once per process for a search and its results (the sites by id, on this data,
    in this unit and language)."""
    _ = translator(lang)
    query = result.query
    label = place_label(query, _)

    def build() -> folium.Map:
        shown = result.results.copy()
        shown["name"] = [f"{i}. {name}" for i, name in enumerate(shown["name"], start=1)]
        return maps.finder_map(
            context.data.jurisdictions,
            shown,
            query.lat,
            query.lon,
            label,
            focus_fips=query.fips,
            tiles=tiles(),
            unit=context.view.unit,
            _=_,
        )

    st.caption(_("Map of the list above; click the map to search from another point."))
    shows = context.map_key(
        query.lat, query.lon, query.matched, query.fips, tuple(result.results["id"]), lang
    )
    clicked = (
        show_map(build, key="find_map", shows=shows, height=420, returned=["last_clicked"]) or {}
    ).get("last_clicked")
    if clicked and clicked != st.session_state.get("find_last_click"):
        st.session_state["find_last_click"] = clicked
        st.query_params[QUERY_PARAM] = f"{clicked['lat']:.5f},{clicked['lng']:.5f}"
        st.rerun()


def _problem(exc: FinderError, _: Translator) -> None:
    """The sentence, then each suggestion as a button that runs it."""
    st.error(markdown_literal(exc.translated(_)), icon=":material/search_off:")
    if exc.suggestions:
        st.markdown(_("Try instead:"))
    for number, suggestion in enumerate(exc.suggestions):
        if st.button(str(suggestion), key=f"find_suggestion_{number}"):
            st.query_params[QUERY_PARAM] = str(suggestion)
            st.rerun()


def _session_geocoder(name: str) -> ClientGeocoder:
    """The shared geocoder as this browser session's client (its own rate limit)."""
    client = st.session_state.setdefault("geocoder_client", secrets.token_hex(8))
    return shared_geocoder(name).for_client(client)


def linked_search() -> str:
    """The search in the link (``?q=``) through the strict parameter reader; the dashboard
    has already dropped (and reported) a value it refuses, so this is only a guard."""
    text, readable = url_params.first(st.query_params.to_dict(), QUERY_PARAM, MAX_QUERY_CHARS)
    return text if readable and text else ""


def page_language() -> str:
    """The language in the link (``?lang=es``), English otherwise."""
    text, readable = url_params.first(st.query_params.to_dict(), LANG_PARAM, 10)
    return language(text if readable else "")


def _language_switch(lang: str) -> None:
    """English / Español, written into the link (``?lang=``) so a shared link keeps it."""
    chosen = st.segmented_control(
        "Language / Idioma",
        list(LANGUAGES),
        default=lang,
        format_func=LANGUAGES.get,
        key="find_language",
        label_visibility="collapsed",
    )
    if chosen and chosen != lang:
        if chosen == "en":
            del st.query_params[LANG_PARAM]
        else:
            st.query_params[LANG_PARAM] = chosen
        st.rerun()


def render(context: PageContext) -> None:
    lang = page_language()
    _ = translator(lang)
    _language_switch(lang)
    st.title(_("Find naloxone"))
    st.caption(
        _(
            "Search by Maryland ZIP code, town (e.g. La Plata, MD) or coordinates "
            "(39.209,-76.067), or a street address."
        )
        if geocoder_name()
        else _(
            "Search by Maryland ZIP code, town (e.g. La Plata, MD) or coordinates "
            "(39.209,-76.067). Street addresses need the address geocoder, which is off here."
        )
    )
    asked = linked_search()
    if st.session_state.get("find_url_q") != asked:  # a link or a map click: show it
        st.session_state["find_url_q"] = asked
        st.session_state["find_text"] = asked
    with st.form("find_form", border=False):
        text = st.text_input(_("ZIP code, town or coordinates"), key="find_text", max_chars=200)
        count = st.selectbox(_("How many sites"), COUNTS, index=COUNTS.index(DEFAULT_N))
        submitted = st.form_submit_button(_("Find"), type="primary")
    if submitted and text != asked:
        st.query_params[QUERY_PARAM] = text
        st.session_state["find_url_q"] = text
        asked = text
    if not asked.strip():
        st.info(_("Type a ZIP code or town above, or open a link such as /find?q=21550."))
        return
    name = geocoder_name()
    try:
        result = _finder(context.data_key, context).find(
            asked, count, context.view.types, _session_geocoder(name) if name else None
        )
    except FinderError as exc:
        _problem(exc, _)
        return
    if context.view.by_time:
        result = _by_travel_time(context, result, count)
    _results(context, result, _)
    _learn_section(context, result, lang)
    _handout_section(context, result, lang)
    _map(context, result, lang)
