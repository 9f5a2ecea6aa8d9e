"""Print-ready maps drawn server-side with matplotlib (PNG, SVG, PDF).

Drawn in NAD83 / Maryland State Plane (EPSG:26985, metres) so the scale bar is
true. Every figure carries a title, a legend, the names of the jurisdictions and main
towns, a scale bar in the chosen unit and a source line with as-of dates (from the
source catalogue) and the OpenStreetMap and GeoNames attributions.
Figures are plain :class:`matplotlib.figure.Figure` objects (no pyplot state, no
backend to choose) and every setting is applied while drawing or saving, never at import.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
from collections.abc import Iterator

import geopandas as gpd
import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

from geo.config import METRES_PER_MILE
from geo.data.catalog import PLACE_NAMES_ATTRIBUTION, STOCK_CAVEAT, source_line
from geo.errors import InputError
from geo.render import map_labels
from geo.render.static_layers import (  # the drawers, re-exported: one import for callers
    Drawer,
    access_gap_drawer,
    draw_jurisdictions,
    draw_sites,
    leave_behind_drawer,
    sites_drawer,
    to_state_plane,
)

__all__ = [
    "FORMATS",
    "Drawer",
    "access_gap_drawer",
    "add_scale_bar",
    "draw_jurisdictions",
    "draw_labels",
    "draw_map",
    "draw_sites",
    "extent_m",
    "figure_bytes",
    "leave_behind_drawer",
    "literal_text",
    "map_figure",
    "map_source_line",
    "sites_drawer",
    "zoom_to",
]

FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
#: Text drawn literally and kept as text: no mathtext or LaTeX, real fonts in PDF and SVG
#: (searchable, extractable).
TEXT_SETTINGS = {
    "text.parse_math": False,
    "text.usetex": False,
    "pdf.fonttype": 42,
    "svg.fonttype": "none",
}


@contextlib.contextmanager
def literal_text() -> Iterator[None]:
    """Draw every text created or saved inside this block literally: names, evidence and
    titles from data may hold ``$`` or backslashes, which matplotlib would otherwise
    read as mathtext (``$x$``) and fail or garble on. PDFs and SVGs saved inside it keep
    their text as text (:data:`TEXT_SETTINGS`)."""
    with matplotlib.rc_context(TEXT_SETTINGS):
        yield


def _nice_length_m(span_m: float, unit: str = "mi") -> tuple[float, str]:
    """A round scale-bar length near an eighth of ``span_m``, in metres and as written in
    ``unit`` (``mi`` or ``km``: km mode never shows miles)."""
    metres = METRES_PER_MILE if unit == "mi" else 1000.0
    for length in (1, 2, 5, 10, 20, 25, 50, 100, 200):
        if length * metres >= span_m / 8:
            break
    return length * metres, f"{length} {'mi' if unit == 'mi' else 'km'}"


def add_scale_bar(ax: Axes, unit: str = "mi") -> None:
    """A scale bar in ``unit`` in the lower-right corner (the axes are in metres, so call
    it after the extent is set)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length, label = _nice_length_m(x1 - x0, unit)
    bar = AnchoredSizeBar(
        ax.transData,
        length,
        label,
        loc="lower right",
        pad=0.6,
        borderpad=2.5,
        sep=4,
        label_top=True,
        frameon=True,
        size_vertical=0.005 * (y1 - y0),
        color="black",
        fontproperties=FontProperties(size=8),
    )
    bar.patch.set(facecolor="white", edgecolor="#999999", linewidth=0.5, alpha=0.9)
    bar.set_zorder(10)
    ax.add_artist(bar)


def extent_m(
    jurisdictions: gpd.GeoDataFrame, fips: str | None, margin: float = 0.06
) -> tuple[float, float, float, float]:
    """x0, y0, x1, y1 (m, EPSG:26985) of one jurisdiction (or the state when None),
    with ``margin`` (a share of each side) around it."""
    projected = to_state_plane(jurisdictions)
    if fips:
        projected = projected[projected["fips"] == fips]
    x0, y0, x1, y1 = projected.total_bounds
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


def zoom_to(
    ax: Axes, jurisdictions: gpd.GeoDataFrame, fips: str | None, margin: float = 0.06
) -> None:
    """Fit the axes to one jurisdiction (or the whole state when None)."""
    x0, y0, x1, y1 = extent_m(jurisdictions, fips, margin)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def map_source_line() -> str:
    """The source line of a printed map: the catalogue's, and GeoNames for town names."""
    return f"{source_line()} {PLACE_NAMES_ATTRIBUTION}."


def draw_labels(ax: Axes, jurisdictions: gpd.GeoDataFrame, focus_fips: str | None) -> None:
    """Jurisdiction names (the focus in full, bold) and the main towns as a dot and a name
    (:mod:`geo.render.map_labels`); call after the extent and aspect are set. Text stays
    text in SVG and PDF (a white box, not a path effect, keeps it legible)."""
    ax.apply_aspect()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    width_pt = ax.get_position().width * ax.figure.get_figwidth() * 72
    halo = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.7}
    for label in map_labels.static_labels(
        jurisdictions, focus_fips, (x0, y0, x1, y1), (x1 - x0) / width_pt
    ):
        size = map_labels.STATIC_FONT[label.kind]
        if label.kind == "town":
            ax.plot([label.x_m], [label.y_m], marker="o", markersize=2.5, color="#111111", zorder=7)
            left = label.side == "left"
            ax.annotate(
                label.text,
                (label.x_m, label.y_m),
                xytext=(-3 if left else 3, 0),
                textcoords="offset points",
                fontsize=size,
                va="center",
                ha="right" if left else "left",
                color="#111111",
                bbox=halo,
                zorder=7,
                gid="town-label",
            )
        else:
            ax.text(
                label.x_m,
                label.y_m,
                label.text,
                fontsize=size,
                ha="center",
                va="center",
                color="#000000" if label.kind == "focus" else "#333333",
                fontweight="bold" if label.kind == "focus" else "normal",
                style="normal" if label.kind == "focus" else "italic",
                bbox=halo,
                zorder=8,
                gid="jurisdiction-label",
            )


def draw_map(
    ax: Axes,
    draw: Drawer,
    jurisdictions: gpd.GeoDataFrame,
    zoom_fips: str | None = None,
    legend_title: str = "",
    legend_outside: bool = False,
    *,
    unit: str | None = None,
    labels: bool = True,
    credit: bool = True,
) -> None:
    """Draw a map into ``ax``: layers, extent, names of the jurisdictions and main towns
    (``labels``; with ``credit``, GeoNames is credited in the corner, for figures whose
    source line does not), legend (inside, or to the right of the axes when
    ``legend_outside``) and a scale bar in ``unit`` (default: the drawer's, else miles)."""
    with literal_text():
        handles = draw(ax)
        zoom_to(ax, jurisdictions, zoom_fips)
        ax.set_axis_off()
        ax.set_aspect("equal")
        if labels:
            draw_labels(ax, jurisdictions, zoom_fips)
            if credit:
                ax.text(
                    0.995,
                    0.003,
                    PLACE_NAMES_ATTRIBUTION,
                    transform=ax.transAxes,
                    ha="right",
                    va="bottom",
                    fontsize=5.5,
                    color="#444444",
                )
        add_scale_bar(ax, unit or getattr(draw, "unit", None) or "mi")
        if handles:
            placement = (
                {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0)}
                if legend_outside
                else {"loc": "lower left"}
            )
            ax.legend(
                handles=handles,
                title=legend_title or None,
                fontsize=7,
                title_fontsize=8,
                framealpha=0.95,
                **placement,
            ).set_zorder(9)


#: Inches kept to the right of a tall map for its legend (labels up to ~40 characters).
LEGEND_COLUMN_IN = 3.0


def map_figure(
    draw: Drawer,
    jurisdictions: gpd.GeoDataFrame,
    title: str,
    *,
    subtitle: str = "",
    zoom_fips: str | None = None,
    legend_title: str = "",
    size_in: tuple[float, float] = (11.0, 7.5),
    source: str | None = None,
    caveat: str | None = STOCK_CAVEAT,
    unit: str | None = None,
) -> Figure:
    """A titled map figure with legend, scale bar, ``caveat`` (None: none) and source line
    (default :func:`map_source_line`), all text drawn literally."""
    x0, y0, x1, y1 = extent_m(jurisdictions, zoom_fips)
    aspect = (x1 - x0) / (y1 - y0)
    tall = aspect < 1.25 * size_in[0] / size_in[1]  # room at the side
    map_width = 0.70
    if tall:  # a tall jurisdiction: the page as wide as its map and the legend beside it
        # (issue 28: Garrett's export was 40% blank)
        width_in = min(size_in[0], max(7.5, aspect * 0.80 * size_in[1] + LEGEND_COLUMN_IN))
        map_width = (width_in - LEGEND_COLUMN_IN) / width_in
        size_in = (width_in, size_in[1])
    with literal_text():
        figure = Figure(figsize=size_in)
        figure.suptitle(title, fontsize=15, fontweight="bold", x=0.02, ha="left")
        if subtitle:
            figure.text(0.02, 0.915, subtitle, fontsize=9.5, ha="left")
        source_text = textwrap.fill(source or map_source_line(), int(size_in[0] * 19))
        source_h = (source_text.count("\n") + 1) * 6.5 * 1.3 / 72 / size_in[1]
        caveat_y = 0.015 + source_h + 0.008
        bottom = max(0.09, caveat_y + 0.035)
        ax = figure.add_axes((0.01, bottom, map_width if tall else 0.98, 0.89 - bottom))
        draw_map(
            ax,
            draw,
            jurisdictions,
            zoom_fips,
            legend_title,
            unit=unit,
            legend_outside=tall,
            credit=source is not None and PLACE_NAMES_ATTRIBUTION not in source,
        )
        if caveat:
            figure.text(0.02, caveat_y, caveat, fontsize=8, style="italic", ha="left")
        figure.text(0.02, 0.015, source_text, fontsize=6.5, ha="left", va="bottom")
    return figure


def figure_bytes(figure: Figure, fmt: str, dpi: int = 150) -> bytes:
    """The figure as PNG, SVG or PDF bytes (text kept literal and, in PDF/SVG, as text)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown image format {fmt!r}; choose from " + ", ".join(FORMATS))
    buffer = io.BytesIO()
    title = figure.get_suptitle()
    with literal_text():
        figure.savefig(
            buffer,
            format=fmt,
            dpi=dpi,
            facecolor="white",
            metadata={"Title": title} if fmt == "pdf" and title else None,
        )
    return buffer.getvalue()
