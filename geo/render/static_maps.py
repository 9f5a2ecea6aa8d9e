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
from collections.abc import Callable, Iterator

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

from geo.config import MARYLAND_STATE_PLANE_M, METRES_PER_MILE, WGS84
from geo.data.catalog import PLACE_NAMES_ATTRIBUTION, STOCK_CAVEAT, source_line
from geo.errors import InputError
from geo.render import map_labels, palette
from geo.schema import LEAVE_BEHIND_STATUS_LABELS, SITE_TYPE_LABELS

FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
#: Text drawn literally and kept as text: no mathtext or LaTeX, real fonts in PDF and SVG
#: (searchable, extractable).
TEXT_SETTINGS = {
    "text.parse_math": False,
    "text.usetex": False,
    "pdf.fonttype": 42,
    "svg.fonttype": "none",
}

Drawer = Callable[[Axes], list]


@contextlib.contextmanager
def literal_text() -> Iterator[None]:
    """Draw every text created or saved inside this block literally: names, evidence and
    titles from data may hold ``$`` or backslashes, which matplotlib would otherwise
    read as mathtext (``$x$``) and fail or garble on. PDFs and SVGs saved inside it keep
    their text as text (:data:`TEXT_SETTINGS`)."""
    with matplotlib.rc_context(TEXT_SETTINGS):
        yield


def _projected(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs(MARYLAND_STATE_PLANE_M)


def _points(lon: np.ndarray, lat: np.ndarray) -> gpd.GeoSeries:
    return gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=WGS84).to_crs(MARYLAND_STATE_PLANE_M)


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


def draw_jurisdictions(
    ax: Axes,
    jurisdictions: gpd.GeoDataFrame,
    fill: dict[str, str] | None = None,
    focus_fips: str | None = None,
) -> None:
    projected = _projected(jurisdictions)
    colours = [((fill or {}).get(f, palette.EMPTY_FILL)) for f in projected["fips"]]
    projected.plot(ax=ax, color=colours, edgecolor=palette.BOUNDARY, linewidth=0.5)
    if focus_fips:
        focus = projected[projected["fips"] == focus_fips]
        focus.boundary.plot(ax=ax, color=palette.FOCUS_OUTLINE, linewidth=2.0)


def _marker(colour: str, outline: str, label: str, marker: str = "o", **style: float) -> Line2D:
    """A legend entry for points drawn as ``marker`` filled with ``colour``."""
    return Line2D(
        [],
        [],
        marker=marker,
        linestyle="",
        markerfacecolor=colour,
        markeredgecolor=outline,
        label=label,
        **style,
    )


def draw_sites(ax: Axes, sites: pd.DataFrame, size: float = 14) -> list:
    """Mapped sites coloured by type; returns legend handles."""
    mapped = sites[sites["lat"].notna()]
    approximate = (
        mapped["location_precision"].eq("zip_centroid")
        if "location_precision" in mapped
        else pd.Series(False, index=mapped.index)
    )
    handles = []
    for site_type, colour in palette.SITE_TYPE_COLOURS.items():
        of_type = mapped["type"] == site_type
        if not of_type.any():
            continue
        exact = mapped[of_type & ~approximate]
        if len(exact):
            _points(exact["lon"], exact["lat"]).plot(
                ax=ax,
                color=colour,
                markersize=size,
                edgecolor=palette.SITE_OUTLINE,
                linewidth=0.3,
                zorder=5,
            )
        hollow = mapped[of_type & approximate]
        if len(hollow):  # at a ZIP centre: a hollow ring in the type's colour
            _points(hollow["lon"], hollow["lat"]).plot(
                ax=ax,
                facecolor="none",
                markersize=size * 1.3,
                edgecolor=colour,
                linewidth=1.0,
                zorder=5,
            )
        handles.append(_marker(colour, palette.SITE_OUTLINE, SITE_TYPE_LABELS[site_type]))
    if approximate.any():
        handles.append(_marker("none", "#555555", palette.APPROXIMATE_LEGEND, markeredgewidth=1.2))
    return handles


def sites_drawer(
    jurisdictions: gpd.GeoDataFrame, sites: pd.DataFrame, focus_fips: str | None = None
) -> Drawer:
    """Every mapped access point over the jurisdictions."""

    def draw(ax: Axes) -> list:
        draw_jurisdictions(ax, jurisdictions, focus_fips=focus_fips)
        # one jurisdiction's few sites drawn big enough to see on paper (issue 28)
        return draw_sites(ax, sites, size=14 if focus_fips is None else 44)

    return draw


def leave_behind_drawer(
    jurisdictions: gpd.GeoDataFrame,
    leave_behind: pd.DataFrame,
    sites: pd.DataFrame | None = None,
    focus_fips: str | None = None,
) -> Drawer:
    """EMS leave-behind status choropleth (unknown drawn grey), sites on top."""
    status = dict(zip(leave_behind["fips"], leave_behind["status"], strict=True))

    def draw(ax: Axes) -> list:
        draw_jurisdictions(
            ax,
            jurisdictions,
            {f: palette.LEAVE_BEHIND_COLOURS[s] for f, s in status.items()},
            focus_fips,
        )
        handles: list = [
            Patch(facecolor=c, edgecolor=palette.BOUNDARY, label=LEAVE_BEHIND_STATUS_LABELS[s])
            for s, c in palette.LEAVE_BEHIND_COLOURS.items()
        ]
        if sites is not None:
            handles += draw_sites(ax, sites, size=8)
        return handles

    return draw


def _draw_residents(ax: Axes, nearest: pd.DataFrame, radius_m: float, unit: str) -> list:
    """Tract centres coloured by distance band (in ``unit``); returns legend handles."""
    classes = palette.distance_class(nearest["distance_m"].to_numpy(), radius_m)
    points = _points(nearest["lon"], nearest["lat"])
    labels = palette.distance_class_labels(radius_m, unit)
    handles = []
    for index, colour in enumerate(palette.DISTANCE_CLASS_COLOURS):
        chosen = classes == index
        if chosen.any():
            points[chosen].plot(
                ax=ax,
                color=colour,
                markersize=10,
                edgecolor=palette.RESIDENT_OUTLINE,
                linewidth=0.3,
                zorder=4,
            )
        handles.append(_marker(colour, palette.RESIDENT_OUTLINE, f"Residents {labels[index]}"))
    if "list_gap" in nearest and nearest["list_gap"].astype(bool).any():
        from geo.analysis.completeness import LIST_GAP_LEGEND

        flagged = nearest["list_gap"].astype(bool).to_numpy()
        points[flagged].plot(
            ax=ax,
            facecolor="none",
            markersize=34,
            edgecolor=palette.LIST_GAP_OUTLINE,
            linewidth=1.2,
            zorder=4.5,
        )
        handles.append(
            _marker("none", palette.LIST_GAP_OUTLINE, LIST_GAP_LEGEND, markeredgewidth=1.4)
        )
    return handles


def access_gap_drawer(
    jurisdictions: gpd.GeoDataFrame,
    nearest: pd.DataFrame,
    sites: pd.DataFrame,
    radius_m: float,
    radius_label: str,
    *,
    recommended: pd.DataFrame | None = None,
    what_if: pd.DataFrame | None = None,
    focus_fips: str | None = None,
    unit: str | None = None,
) -> Drawer:
    """Tract centres by distance band, sites, recommended and what-if locations; bands
    and scale bar in ``unit`` (default: the unit ``radius_label`` is written in)."""
    unit = unit or palette.unit_of(radius_label)

    def draw(ax: Axes) -> list:
        draw_jurisdictions(ax, jurisdictions, focus_fips=focus_fips)
        handles = _draw_residents(ax, nearest, radius_m, unit)
        # statewide small (hundreds of sites); on one jurisdiction big enough for paper
        handles += draw_sites(ax, sites, size=6 if focus_fips is None else 34)
        for frame, colour, label in (
            (recommended, palette.RECOMMENDED_COLOUR, "Recommended new location"),
            (what_if, palette.WHAT_IF_COLOUR, "What-if site"),
        ):
            if frame is not None and len(frame):
                _points(frame["lon"], frame["lat"]).plot(
                    ax=ax,
                    color=colour,
                    marker="*",
                    markersize=120,
                    edgecolor="white",
                    linewidth=0.6,
                    zorder=6,
                )
                handles.append(
                    _marker(colour, "white", label + " (hypothetical)", "*", markersize=12)
                )
        return handles

    draw.unit = unit  # read by draw_map for the scale bar
    return draw


def extent_m(
    jurisdictions: gpd.GeoDataFrame, fips: str | None, margin: float = 0.06
) -> tuple[float, float, float, float]:
    """x0, y0, x1, y1 (m, EPSG:26985) of one jurisdiction (or the state when None),
    with ``margin`` (a share of each side) around it."""
    projected = _projected(jurisdictions)
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
