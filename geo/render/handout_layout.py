"""The handout's page: :class:`HandoutContent` laid out on one sheet of US Letter or A4.

Large type, black on white only, so it photocopies; the type shrinks together (to 80% at
most) until everything fits, then the farthest sites give way to the QR code's link. The
words are made in :mod:`geo.render.handout`.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace

import numpy as np
import segno
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.errors import InputError
from geo.render.briefing_layout import wrap
from geo.render.static_maps import literal_text

_DIGIT_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")
_AREA_CODE = re.compile(r"(\(\d{3}\)) (?=\d)")
#: Paper sizes in inches (width, height).
PAPERS = {"letter": (8.5, 11.0), "a4": (8.27, 11.69)}
MARGIN_IN = 0.55
#: The least room left under the text (most printers print to within 0.25 in).
BOTTOM_IN = 0.3
QR_SIDE_IN = 1.45
#: Font sizes (points) at scale 1; the page shrinks them together, never below 0.8.
SIZES = {"title": 24, "caveat": 13, "site": 13, "detail": 11.5, "body": 11.5, "head": 13.5}
SOURCE_SIZE = 7.5
SCALES = (1.0, 0.95, 0.9, 0.85, 0.8)


def qr_matrix(link: str) -> np.ndarray:
    """The QR code of ``link`` as a 0/1 array (1 dark) with its 4-module quiet zone."""
    code = segno.make(link, error="m", micro=False)
    return np.array([list(row) for row in code.matrix_iter(scale=1, border=4)], dtype=np.uint8)


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
    #: The PDF's "Subject" metadata, in the handout's language.
    subject: str = ""


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
            metadata={"Title": content.title, "Subject": content.subject},
        ) as pdf:
            pdf.savefig(figure)
    return buffer.getvalue()
