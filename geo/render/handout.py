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
import io
import re
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import segno
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.analysis import learn
from geo.analysis.finder import FinderResult
from geo.errors import InputError
from geo.i18n import N_, language, translator
from geo.render import formatting
from geo.render.briefing_layout import wrap
from geo.render.finder_output import distance_phrase, is_approximate, place_label
from geo.render.static_maps import literal_text

_DIGIT_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")
_AREA_CODE = re.compile(r"(\(\d{3}\)) (?=\d)")
#: Paper sizes in inches (width, height).
PAPERS = {"letter": (8.5, 11.0), "a4": (8.27, 11.69)}
MARGIN_IN = 0.55
#: The least room left under the text (most printers print to within 0.25 in).
BOTTOM_IN = 0.3
QR_SIDE_IN = 1.45
#: The most sites one page holds in large type.
MAX_HANDOUT_SITES = 6
#: The most characters of an address, phone or hours line a handout prints (names:
#: formatting.MAX_LAYOUT_NAME_CHARS); longer text ends in "…".
MAX_DETAIL_CHARS = 200
#: Font sizes (points) at scale 1; the page shrinks them together, never below 0.8.
SIZES = {"title": 24, "caveat": 13, "site": 13, "detail": 11.5, "body": 11.5, "head": 13.5}
SOURCE_SIZE = 7.5
SCALES = (1.0, 0.95, 0.9, 0.85, 0.8)
STEPS_FACT = "overdose_response_steps"
#: Facts the page shows but the handout leaves out for room: what a reader cannot act on.
HANDOUT_SKIPS = frozenset({"baltimore_city_people_trained_since_2015"})
UNIT_TEXT = {"miles": N_("{value} mi straight-line"), "km": N_("{value} km straight-line")}


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


def qr_matrix(link: str) -> np.ndarray:
    """The QR code of ``link`` as a 0/1 array (1 dark) with its 4-module quiet zone."""
    code = segno.make(link, error="m", micro=False)
    return np.array([list(row) for row in code.matrix_iter(scale=1, border=4)], dtype=np.uint8)


def _walk_minutes(row: pd.Series) -> float | None:
    """Walking minutes along streets when the result carries them
    (:func:`geo.analysis.travel.travel_find` with the walking network), else None."""
    value, mode = row.get("travel_minutes"), row.get("travel_mode")
    if value is None or pd.isna(value) or str(mode) != "walk":
        return None
    return float(value)


def _distance(row: pd.Series, unit: str, _) -> str:
    minutes = _walk_minutes(row)
    if minutes is not None:
        return _("{minutes} min walk").format(minutes=max(1, round(minutes)))
    if is_approximate(row):  # to its ZIP centre: "about", never 0.0 (issue 28 item 6)
        return distance_phrase(row, unit, _)
    metres = float(row["distance_m"])
    value = metres / 1000 if unit == "km" else metres / 1609.344
    return _(UNIT_TEXT[unit]).format(value=f"{value:.1f}")


@dataclass
class _Page:
    """Text drawn top to bottom on one figure (positions in inches from the top-left)."""

    figure: Figure
    scale: float
    y: float = MARGIN_IN
    left: float = MARGIN_IN
    column: float | None = None  # width in inches (None: the full text width)

    @property
    def width(self) -> float:
        return self.figure.get_figwidth()

    @property
    def height(self) -> float:
        return self.figure.get_figheight()

    def text(
        self,
        text: str,
        size: float,
        *,
        bold: bool = False,
        indent: float = 0.0,
        right: float = 0.0,
        gap: float = 0.0,
    ) -> None:
        size = size if size == SOURCE_SIZE else size * self.scale
        full = self.column if self.column is not None else self.width - 2 * MARGIN_IN
        room = (full - indent - right) / self.width
        step = size / 72 * 1.28
        # a phone number never breaks at its hyphens: wrapped with non-breaking ones
        kept = _AREA_CODE.sub("\\1\u00b7", _DIGIT_HYPHEN.sub("\u2011", text))
        for line in wrap(self.figure, kept, size, room, bold=bold):
            line = line.replace("\u2011", "-").replace("\u00b7", " ")
            self.figure.text(
                (self.left + indent) / self.width,
                1 - self.y / self.height,
                line,
                fontsize=size,
                fontweight="bold" if bold else "normal",
                color="black",
                ha="left",
                va="top",
            )
            self.y += step
        self.y += gap

    def rule(self) -> None:
        self.y += 0.04
        right = self.left + (self.column or self.width - 2 * MARGIN_IN)
        self.figure.add_artist(_line(self.figure, self.left, right, self.y, self.height))
        self.y += 0.08


def _line(figure: Figure, x0: float, x1: float, y: float, height: float):
    from matplotlib.lines import Line2D

    width = figure.get_figwidth()
    return Line2D([x0 / width, x1 / width], [1 - y / height] * 2, color="black", linewidth=0.8)


@dataclass(frozen=True)
class HandoutContent:
    """What the handout says, in one language (built once, laid out at several scales)."""

    title: str
    place_line: str
    caveat: str
    measure: str
    sites: list[list[str]]
    unmapped_note: str | None
    sections: list[tuple[str, list[tuple[str, int]]]]
    sources: list[str]
    qr_caption: str
    link: str
    footer: str
    learn_heading: str
    #: "{count} more sites on the finder link" (used when the farthest sites give way).
    more_note: str = "{count}"
    total_sites: int = 0
    dropped_note: str | None = None


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
    site_blocks = []
    for number, (_index, row) in enumerate(rows.iterrows(), start=1):
        name = formatting.clip(row["name"], formatting.MAX_LAYOUT_NAME_CHARS)
        block = [f"{number}. {name} — {_distance(row, unit, _)}"]
        for label, column in (
            (N_("Address: {value}"), "address"),
            (N_("Phone: {value}"), "phone"),
            (N_("Hours (as published): {value}"), "hours"),
        ):
            value = row.get(column)
            if value is not None and not pd.isna(value) and str(value).strip():
                block.append(_(label).format(value=formatting.clip(value, MAX_DETAIL_CHARS)))
        address = row.get("address")
        if (address is None or pd.isna(address)) and not pd.isna(row.get("place")):
            where = ", ".join(
                str(row[c]) for c in ("place", "jurisdiction") if not pd.isna(row.get(c))
            )
            block.append(_("No street address listed; near {place}.").format(place=where))
        if str(row.get("location_precision")) == "zip_centroid":
            block.append(_("Location approximate (ZIP code centre)."))
        site_blocks.append(block)
    walking = any(_walk_minutes(row) is not None for _i, row in rows.iterrows())
    measure = (
        _("Walking minutes along the streets, from the searched point.")
        if walking
        else _("Distances are straight-line (as the crow flies), not by road.")
    )
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
    unmapped = len(result.also_in_jurisdiction)
    unmapped_note = None
    if unmapped:
        message = (
            _("1 more listed site in {place} has no map location: see the link.")
            if unmapped == 1
            else _("{count} more listed sites in {place} have no map location: see the link.")
        )
        unmapped_note = message.format(count=unmapped, place=result.jurisdiction)
    generated = generated or dt.date.today().isoformat()
    more_note = _("{count} more sites of this search: scan the code or open the link.")
    return HandoutContent(
        title=_("Free naloxone near {place}").format(place=place),
        place_line=_("The nearest listed sites to {place}").format(place=place)
        + (f" ({result.jurisdiction})" if result.jurisdiction else "")
        + ".",
        caveat=_("Call ahead: a listing is not confirmed stock."),
        measure=measure,
        sites=site_blocks,
        unmapped_note=unmapped_note,
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


def _draw(content: HandoutContent, paper: str, scale: float) -> tuple[Figure, float]:
    """The page at ``scale``; returns it and how far down the text went (inches)."""
    width, height = PAPERS[paper]
    figure = Figure(figsize=(width, height))
    figure.patch.set_facecolor("white")
    page = _Page(figure, scale)
    qr_room = QR_SIDE_IN + 0.2
    page.text(content.title, SIZES["title"], bold=True, right=qr_room, gap=0.05)
    page.text(content.caveat, SIZES["caveat"], bold=True, right=qr_room, gap=0.04)
    page.text(content.measure, SIZES["detail"] * 0.9, right=qr_room)
    page.y = max(page.y, MARGIN_IN + QR_SIDE_IN + 0.42)
    page.rule()
    for block in content.sites:
        page.text(block[0], SIZES["site"], bold=True)
        for line in block[1:]:
            page.text(line, SIZES["detail"], indent=0.25)
        page.y += 0.06
    for note in (content.dropped_note, content.unmapped_note):
        if note:
            page.text(note, SIZES["detail"])
    # what naloxone is and the steps on the left, where to learn on the right
    top, gutter = page.y, 0.3
    half = (width - 2 * MARGIN_IN - gutter) / 2
    bottoms = []
    columns = (
        [s for s in content.sections if s[0] != content.learn_heading],
        [s for s in content.sections if s[0] == content.learn_heading],
    )
    for index, sections in enumerate(columns):
        page.y, page.left, page.column = top, MARGIN_IN + index * (half + gutter), half
        for heading, lines in sections:
            page.rule()
            page.text(heading, SIZES["head"], bold=True, gap=0.02)
            for text, number in lines:
                page.text(f"{text} [{number}]", SIZES["body"], gap=0.03)
        bottoms.append(page.y)
    page.y, page.left, page.column = max(bottoms), MARGIN_IN, None
    page.rule()
    top, bottoms, middle = page.y, [], (len(content.sources) + 1) // 2
    for index, sources in enumerate((content.sources[:middle], content.sources[middle:])):
        page.y, page.left, page.column = top, MARGIN_IN + index * (half + gutter), half
        for source in sources:
            page.text(source, SOURCE_SIZE)
        bottoms.append(page.y)
    page.y, page.left, page.column = max(bottoms) + 0.04, MARGIN_IN, None
    page.text(content.footer, SOURCE_SIZE, bold=True)
    # the QR code, top right, with its caption and the link written out
    matrix = qr_matrix(content.link)
    left = (width - MARGIN_IN - QR_SIDE_IN) / width
    bottom = 1 - (MARGIN_IN + 0.2 + QR_SIDE_IN) / height
    axes = figure.add_axes((left, bottom, QR_SIDE_IN / width, QR_SIDE_IN / height))
    axes.imshow(1 - matrix, cmap="gray", vmin=0, vmax=1, interpolation="none")
    axes.set_axis_off()
    figure.text(
        (width - MARGIN_IN) / width,
        1 - MARGIN_IN / height,
        content.qr_caption,
        fontsize=7.5,
        ha="right",
        va="top",
        wrap=True,
    )
    for index, piece in enumerate(wrap(figure, content.link, 6.5, QR_SIDE_IN / width)):
        figure.text(
            (width - MARGIN_IN - QR_SIDE_IN) / width,
            bottom - (0.05 + index * 0.11) / height,
            piece,
            fontsize=6.5,
            ha="left",
            va="top",
        )
    return figure, page.y


def _fitted(content: HandoutContent, paper: str) -> Figure:
    """The page at the largest scale that fits; when even the smallest does not, the last
    sites give way (the note says how many more the link lists)."""
    limit = PAPERS[paper][1] - BOTTOM_IN
    while True:
        for scale in SCALES:
            figure, bottom = _draw(content, paper, scale)
            if bottom <= limit:
                return figure
        if len(content.sites) <= 1:
            raise InputError("the handout does not fit on one page")
        content = replace(
            content,
            sites=content.sites[:-1],
            unmapped_note=content.more_note.format(
                count=content.total_sites - (len(content.sites) - 1)
            ),
        )


def handout_pdf(content: HandoutContent, paper: str = "letter") -> bytes:
    """The handout on one page of ``paper`` (``letter`` or ``a4``): type shrunk together (to
    80% at most) until it fits, then, if need be, the farthest sites left to the link."""
    if paper not in PAPERS:
        raise InputError(f"paper is one of {', '.join(PAPERS)}, not {paper!r}")
    with literal_text():
        figure = _fitted(content, paper)
        buffer = io.BytesIO()
        with PdfPages(
            buffer,
            metadata={"Title": content.title, "Subject": "Free naloxone: nearest listed sites"},
        ) as pdf:
            pdf.savefig(figure)
    return buffer.getvalue()
