"""The one-page printable handout "Free naloxone near <place>" (issue 27.3).

A finder answer on one page of US Letter or A4 for a peer worker to hand on: the nearest
sites with address, phone, hours and distance (walking minutes where the result carries
them, else straight-line distance, said so); the call-ahead caveat; what naloxone is, the
overdose-response steps and where to learn for free, each sentence numbered to its cited
public source and date (:mod:`geo.analysis.learn`); a QR code of the finder link for the
same search. Large type, black on white only, so it photocopies. Every string goes through
the language's catalogue (:mod:`geo.i18n`); site names, addresses and source titles do not.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pandas as pd

from geo.analysis import learn
from geo.analysis.finder import FinderResult
from geo.i18n import Translator, language, translator
from geo.render import formatting
from geo.render.finder_output import (
    DETAIL_LABELS,
    PRECISION_NOTES,
    distance_phrase,
    is_approximate,
    place_label,
    trip_phrase,
)
from geo.render.handout_layout import PAPERS as PAPERS
from geo.render.handout_layout import HandoutContent
from geo.render.handout_layout import handout_pdf as handout_pdf
from geo.render.handout_layout import qr_matrix as qr_matrix

#: The most sites one page holds in large type.
MAX_HANDOUT_SITES = 6
#: The most characters of an address, phone or hours line a handout prints (names:
#: formatting.MAX_LAYOUT_NAME_CHARS); longer text ends in "…".
MAX_DETAIL_CHARS = 200
STEPS_FACT = "overdose_response_steps"
#: Facts the page shows but the handout leaves out for room: what a reader cannot act on.
HANDOUT_SKIPS = frozenset({"baltimore_city_people_trained_since_2015"})


def finder_link(
    base_url: str,
    query_text: str,
    lang: str = "en",
    n: int | None = None,
    measure: str = "straight",
) -> str:
    """The finder page's link for the same search (what the QR code holds):
    ``<base>/find?q=...``, with ``lang`` unless English, ``n`` when given and ``measure``
    (``walk``, ``drive``) unless straight-line."""
    params = {"q": query_text}
    if language(lang) != "en":
        params["lang"] = language(lang)
    if n is not None:
        params["n"] = str(n)
    if measure != "straight":
        params["measure"] = measure
    return f"{base_url.rstrip('/')}/find?{urlencode(params)}"


def _walk_minutes(row: pd.Series) -> float | None:
    """Walking minutes along streets when the result carries them
    (:func:`geo.analysis.travel.travel_find` with the walking network), else None."""
    value, mode = row.get("travel_minutes"), row.get("travel_mode")
    if value is None or pd.isna(value) or str(mode) != "walk":
        return None
    return float(value)


def _distance(row: pd.Series, unit: str, _: Translator) -> str:
    if _walk_minutes(row) is not None:  # to its ZIP centre: "about", said so
        return trip_phrase(row, _)
    # "2.3 mi straight-line"; to its ZIP centre: "about", never 0.0 (issue 28 item 6)
    return distance_phrase(row, unit, _)


def _site_block(number: int, row: pd.Series, unit: str, _: Translator) -> list[str]:
    """One site's lines: "1. Name — 0.4 mi straight-line", then address, phone, hours
    and what is approximate about it."""
    name = formatting.clip(row["name"], formatting.MAX_LAYOUT_NAME_CHARS)
    block = [f"{number}. {name} — {_distance(row, unit, _)}"]
    for label, column in DETAIL_LABELS:
        value = row.get(column)
        if value is not None and not pd.isna(value) and str(value).strip():
            block.append(f"{_(label)} {formatting.clip(value, MAX_DETAIL_CHARS)}")
    address = row.get("address")
    if (address is None or pd.isna(address)) and not pd.isna(row.get("place")):
        where = ", ".join(str(row[c]) for c in ("place", "jurisdiction") if not pd.isna(row.get(c)))
        block.append(_("No street address listed; near {place}.").format(place=where))
    if is_approximate(row):
        block.append(f"({_(PRECISION_NOTES['zip_centroid'])})")
    return block


def _cited_sections(
    result: FinderResult, facts: pd.DataFrame, sites: pd.DataFrame, code: str, _: Translator
) -> tuple[list[tuple[str, list[tuple[str, int]]]], list[str], str]:
    """What naloxone is, the overdose steps and where to learn free, each line with the
    number of its source; the numbered sources; the heading of the "learn" section."""
    cited: dict[str, int] = {}
    sources: list[str] = []

    def number(line: learn.CitedLine) -> int:
        key = line.citation(_)
        if key not in cited:
            cited[key] = len(cited) + 1
            sources.append(f"[{cited[key]}] {key}")
        return cited[key]

    learn_heading = _("Learn to use naloxone, free")
    sections = []
    for heading, lines in (
        (_("What naloxone is"), learn.naloxone_basics(facts, code)),
        (_("If someone overdoses"), learn.response_steps(facts, code)),
        (
            learn_heading,
            [
                line
                for line in learn.learn_lines(facts, result.query.fips, sites, code)
                if line.fact not in HANDOUT_SKIPS
            ],
        ),
    ):
        if not lines:
            continue
        steps = [line for line in lines if line.fact == STEPS_FACT]
        texts = [
            (f"{steps.index(line) + 1}. " if line in steps else "") + line.text for line in lines
        ]
        sections.append(
            (heading, [(t, number(line)) for t, line in zip(texts, lines, strict=True)])
        )
    return sections, sources, learn_heading


def _unmapped_note(result: FinderResult, _: Translator) -> str | None:
    """How many listed sites of the jurisdiction have no map location (None: none)."""
    unmapped = len(result.also_in_jurisdiction)
    if not unmapped:
        return None
    message = (
        _("1 more listed site in {place} has no map location: see the link.")
        if unmapped == 1
        else _("{count} more listed sites in {place} have no map location: see the link.")
    )
    return message.format(count=unmapped, place=result.jurisdiction)


def handout_content(
    result: FinderResult,
    facts: pd.DataFrame,
    sites: pd.DataFrame,
    link: str,
    *,
    lang: str = "en",
    unit: str = "miles",
    generated: str | None = None,
) -> HandoutContent:
    """The handout's words: sites from ``result`` (at most :data:`MAX_HANDOUT_SITES`),
    cited sentences from ``facts``, the health department from ``sites``."""
    code = language(lang)
    _ = translator(code)
    place = place_label(result.query, _, centre=False)
    rows = result.results.head(MAX_HANDOUT_SITES)
    site_blocks = [
        _site_block(number, row, unit, _)
        for number, (_index, row) in enumerate(rows.iterrows(), start=1)
    ]
    walking = any(_walk_minutes(row) is not None for _i, row in rows.iterrows())
    measure = (
        _("Walking minutes along the streets, from the searched point.")
        if walking
        else _("Distances are straight-line (as the crow flies), not by road.")
    )
    sections, sources, learn_heading = _cited_sections(result, facts, sites, code, _)
    generated = generated or dt.date.today().isoformat()
    more_note = _("{count} more sites of this search: scan the code or open the link.")
    return HandoutContent(
        title=_("Free naloxone near {place}").format(place=place),
        subject=_("Free naloxone: nearest listed sites"),
        place_line=_("The nearest listed sites to {place}").format(place=place)
        + (f" ({result.jurisdiction})" if result.jurisdiction else "")
        + ".",
        caveat=_("Call ahead: a listing is not confirmed stock."),
        measure=measure,
        sites=site_blocks,
        unmapped_note=_unmapped_note(result, _),
        sections=sections,
        sources=sources,
        qr_caption=_("Scan for this list, kept up to date:"),
        link=link,
        footer=_(
            "Printed {date}. Sites: the dashboard's public listings (© OpenStreetMap "
            "contributors, ODbL; place names © GeoNames, CC BY 4.0). In an emergency call 911."
        ).format(date=generated),
        learn_heading=learn_heading,
        more_note=more_note,
        total_sites=len(result.results),
        dropped_note=(
            more_note.format(count=len(result.results) - len(site_blocks))
            if len(result.results) > len(site_blocks)
            else None
        ),
    )
