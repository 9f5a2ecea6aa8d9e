"""Page layout of briefings: text that flows onto new pages, wrapped tables and the
coverage chart, on plain matplotlib figures (sizes in inches, positions in figure
fractions). Text is drawn literally (call inside :func:`static_maps.literal_text`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle

from geo.analysis.compare import BarData, bar_data
from geo.render import formatting, palette
from geo.render.bar_chart import BarStyle, draw_bars

PORTRAIT = (8.5, 11.0)
LANDSCAPE = (11.0, 8.5)
LEFT, RIGHT = 0.07, 0.93
TOP, BOTTOM = 0.955, 0.06
LINE_SPACING = 1.4
SHADE = "#F2F2F2"
HIGHLIGHT = "#FFE7C2"
FOCUS_BAR = palette.SITE_TYPE_COLOURS["opioid_treatment_program"]
OTHER_BAR = "#A6A6A6"


def line_height(figure: Figure, size: float) -> float:
    """The height of one line of ``size``-point text, as a fraction of the figure."""
    return size / 72 / figure.get_figheight() * LINE_SPACING


@lru_cache(maxsize=1)
def _renderer() -> RendererAgg:
    return RendererAgg(10, 10, 72)  # 72 dpi: widths come out in points


@lru_cache(maxsize=8192)
def text_width_pt(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in points at ``size`` pt in the default font (drawn literally)."""
    font = FontProperties(size=size, weight="bold" if bold else "normal")
    return _renderer().get_text_width_height_descent(text, font, ismath=False)[0]


def _split_long(word: str, room: float, size: float, bold: bool) -> list[str]:
    """A word wider than ``room`` points (a web address) cut into pieces that fit."""
    pieces, piece = [], ""
    for char in word:
        if piece and text_width_pt(piece + char, size, bold) > room:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


_TOKENS = re.compile(r"(\s*)(\S+?-(?=[A-Za-z0-9])|\S+)")


def wrap(
    figure: Figure,
    text: str,
    size: float,
    width: float,
    *,
    bold: bool = False,
    first_indent_pt: float = 0.0,
) -> list[str]:
    """``text`` wrapped to ``width`` (a fraction of the figure's width) at ``size`` pt,
    measured in the font (lines may break after a hyphen); the first line is
    ``first_indent_pt`` points shorter."""
    limit = width * figure.get_figwidth() * 72
    lines: list[str] = []
    current = ""
    for space, word in _TOKENS.findall(str(text)):
        room = limit - (0.0 if lines else first_indent_pt)
        candidate = current + (" " if space and current else "") + word
        if text_width_pt(candidate, size, bold) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
            room = limit
        *full, current = _split_long(word, room, size, bold)
        lines.extend(full)
    return [*lines, current] if current or not lines else lines


@dataclass
class Flow:
    """Pages written top to bottom: each block goes on the current page when it fits,
    else on a new page of ``size``."""

    size: tuple[float, float] = PORTRAIT
    pages: list[Figure] = field(default_factory=list)
    y: float = TOP

    def __post_init__(self) -> None:
        if not self.pages:
            self.new_page()

    @property
    def figure(self) -> Figure:
        return self.pages[-1]

    def new_page(self, size: tuple[float, float] | None = None) -> Figure:
        self.pages.append(Figure(figsize=size or self.size))
        self.y = TOP
        return self.figure

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` fits above the bottom margin."""
        if self.y - height < BOTTOM:
            self.new_page()

    def space(self, height: float) -> None:
        self.y -= height

    def text_height(self, text: str, size: float = 8.5, indent: float = 0.0) -> float:
        """The height :meth:`text` will use."""
        lines = wrap(self.figure, text, size, RIGHT - LEFT - indent)
        return len(lines) * line_height(self.figure, size)

    def text(
        self,
        text: str,
        size: float = 8.5,
        *,
        indent: float = 0.0,
        weight: str = "normal",
        style: str = "normal",
        keep: int = 1,
    ) -> None:
        """A wrapped paragraph; ``keep`` lines at least stay together with the first."""
        lines = wrap(self.figure, text, size, RIGHT - LEFT - indent)
        step = line_height(self.figure, size)
        self.need(step * min(keep, len(lines)))
        for line in lines:
            self.need(step)
            self.figure.text(
                LEFT + indent,
                self.y,
                line,
                fontsize=size,
                fontweight=weight,
                style=style,
                ha="left",
                va="top",
            )
            self.y -= step

    def heading(self, text: str, size: float = 11.5, follow: float = 0.06) -> None:
        """A bold heading, kept on the page with at least ``follow`` of what comes next."""
        self.need(line_height(self.figure, size) + follow)
        self.space(0.008)
        self.text(text, size, weight="bold")
        self.space(0.003)

    def term(self, term: str, sentence: str, size: float = 8.5) -> None:
        """``Term sentence...`` with the term in bold, run into the paragraph."""
        lead = text_width_pt(term, size, bold=True) + size * 0.5
        lines = wrap(self.figure, sentence, size, RIGHT - LEFT, first_indent_pt=lead)
        step = line_height(self.figure, size)
        self.need(step * len(lines))
        self.figure.text(LEFT, self.y, term, fontsize=size, fontweight="bold", va="top")
        for number, line in enumerate(lines):
            x = LEFT + (lead / 72 / self.figure.get_figwidth() if number == 0 else 0.0)
            self.figure.text(x, self.y, line, fontsize=size, ha="left", va="top")
            self.y -= step

    def block(self, height: float, draw: Callable[[Figure, float], None]) -> None:
        """A drawing of ``height`` whose top is at the current position."""
        self.need(height)
        draw(self.figure, self.y)
        self.y -= height


@dataclass(frozen=True)
class Column:
    """A table column: header, width (fraction of the figure), alignment."""

    header: str
    width: float
    align: str = "left"


def _cell_lines(
    figure: Figure, columns: list[Column], row: tuple[str, ...], size: float, bold: bool = False
) -> list[list[str]]:
    return [
        wrap(figure, text, size, column.width - 0.012, bold=bold)
        for column, text in zip(columns, row, strict=True)
    ]


def table_height(
    figure: Figure, columns: list[Column], rows: list[tuple[str, ...]], size: float
) -> float:
    """The height :func:`draw_table` will use."""
    header = _cell_lines(figure, columns, tuple(c.header for c in columns), size, True)
    lines = [max(len(cell) for cell in header)] + [
        max(len(cell) for cell in _cell_lines(figure, columns, row, size)) for row in rows
    ]
    step = line_height(figure, size)
    return sum(n * step + 0.6 * step for n in lines)


def draw_table(
    figure: Figure,
    top: float,
    columns: list[Column],
    rows: list[tuple[str, ...]],
    *,
    size: float = 8.0,
    left: float = LEFT,
    bold: frozenset[int] = frozenset(),
    highlight: frozenset[int] = frozenset(),
) -> float:
    """A table with a bold header row and wrapped cells, every other row shaded;
    rows in ``bold`` are bold, rows in ``highlight`` tinted. Returns the bottom."""
    step, y = line_height(figure, size), top
    width = sum(c.width for c in columns)
    for index, row in enumerate([tuple(c.header for c in columns), *rows]):
        cells = _cell_lines(figure, columns, row, size, index == 0 or index - 1 in bold)
        height = max(len(cell) for cell in cells) * step + 0.6 * step
        fill = HIGHLIGHT if index - 1 in highlight else SHADE if index and index % 2 == 0 else None
        if fill:
            figure.patches.append(
                Rectangle(
                    (left, y - height),
                    width,
                    height,
                    color=fill,
                    transform=figure.transFigure,
                    zorder=0,
                )
            )
        x = left
        for number, (column, cell) in enumerate(zip(columns, cells, strict=True)):
            anchor = (
                x + column.width - 0.006
                if column.align == "right"
                else x + (0.012 if number else 0.004)
            )
            figure.text(
                anchor,
                y - 0.3 * step,
                "\n".join(cell),
                fontsize=size,
                va="top",
                ha=column.align,
                linespacing=LINE_SPACING,
                fontweight="bold" if index == 0 or index - 1 in bold else "normal",
            )
            x += column.width
        y -= height
        if index == 0:
            figure.add_artist(_rule(figure, left, width, y))
    figure.add_artist(_rule(figure, left, width, y))
    return y


def _rule(figure: Figure, left: float, width: float, y: float):
    from matplotlib.lines import Line2D

    return Line2D(
        [left, left + width], [y, y], color="#555555", linewidth=0.6, transform=figure.transFigure
    )


#: The briefing's coverage bars: the map's treatment-program colour for the focus, grey
#: for the others, small text to fit 24 names on half a page.
COVERAGE_STYLE = BarStyle(
    FOCUS_BAR,
    OTHER_BAR,
    label_size=7,
    value_size=6.5,
    value_pad=0.3,
    bold_focus_value=True,
    state_size=7.5,
    state_bold=True,
    state_ha="right",
)


def coverage_chart(
    figure: Figure,
    rect: tuple[float, float, float, float],
    table: pd.DataFrame,
    fips: str,
    full_names: dict[str, str],
    radius: str,
) -> None:
    """Horizontal bars of the share of residents within ``radius`` of a site for all 24
    jurisdictions (``fips`` highlighted), Maryland's share as a labelled dashed line: the
    Compare page's bars (:func:`geo.analysis.compare.bar_data`), values in percent."""
    bars = bar_data(table, "pct_pop_within_radius", fips, full_names)
    shares = bars.rows.assign(value_text=[formatting.percent(v) for v in bars.rows["value"]])
    ax = figure.add_axes(rect)
    state = f"Maryland {formatting.percent(bars.state_value)}"
    draw_bars(ax, BarData(bars.measure, shares, bars.state_value), COVERAGE_STYLE, state)
    ax.set_xlim(0, 112)
    ax.set_ylim(-0.6, len(shares) + 0.6)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel(f"Residents within {radius} of a listed site (% of residents)", fontsize=8)
    ax.tick_params(labelsize=7)
