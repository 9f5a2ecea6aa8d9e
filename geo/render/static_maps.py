"""Print-ready maps drawn server-side with matplotlib (PNG, SVG, PDF).

Drawn in NAD83 / Maryland State Plane (EPSG:26985, metres) so the scale bar is
true. Every figure carries a title, a legend, a scale bar and a source line
with as-of dates and the OpenStreetMap attribution.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from geo.config import MARYLAND_STATE_PLANE_M, WGS84
from geo.data.catalog import OSM_ATTRIBUTION, STOCK_CAVEAT
from geo.render.maps import (
    DISTANCE_CLASS_COLOURS,
    LEAVE_BEHIND_COLOURS,
    distance_class,
    distance_class_labels,
)
from geo.schema import LEAVE_BEHIND_STATUS_LABELS, SITE_TYPE_COLOURS, SITE_TYPE_LABELS

matplotlib.rcParams["pdf.fonttype"] = 42  # real text in PDFs (searchable, extractable)
matplotlib.rcParams["svg.fonttype"] = "none"
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
SOURCE_LINE = (f"Sources: pharmacies {OSM_ATTRIBUTION}, ODbL (Jan 2023); SAMHSA opioid "
               "treatment programs (Jul 2021); local health departments (Mar 2026); "
               "harm reduction pages (2024); "
               "Census 2020 boundaries and tract centres of population; CDC WONDER deaths "
               "2022-2023. Straight-line distances.")

Drawer = Callable[[Axes], list]


@contextlib.contextmanager
def literal_text() -> Iterator[None]:
    """Draw every text created or saved inside this block literally: names, evidence and
    titles from data may hold ``$`` or backslashes, which matplotlib would otherwise
    read as mathtext (``$x$``) and fail or garble on."""
    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
        yield


def _projected(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs(MARYLAND_STATE_PLANE_M)


def _points(lon: np.ndarray, lat: np.ndarray) -> gpd.GeoSeries:
    return gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=WGS84).to_crs(MARYLAND_STATE_PLANE_M)


def _nice_length_m(span_m: float) -> tuple[float, str]:
    target = span_m / 8
    for km in (1, 2, 5, 10, 20, 25, 50, 100, 200):
        if km * 1000 >= target:
            return km * 1000.0, f"{km} km ({km * 0.621371:.1f} mi)"
    return 200_000.0, "200 km (124.3 mi)"


def add_scale_bar(ax: Axes) -> None:
    """A scale bar in the lower-right corner (the axes are in metres)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length, label = _nice_length_m(x1 - x0)
    right = x1 - 0.04 * (x1 - x0)
    bottom = y0 + 0.05 * (y1 - y0)
    ax.add_patch(Rectangle((right - length - 0.01 * (x1 - x0), bottom - 0.015 * (y1 - y0)),
                           length + 0.02 * (x1 - x0), 0.07 * (y1 - y0), facecolor="white",
                           edgecolor="#999999", linewidth=0.5, alpha=0.9, zorder=9))
    ax.plot([right - length, right], [bottom, bottom], color="black", linewidth=3,
            solid_capstyle="butt", zorder=10)
    ax.text(right - length / 2, bottom + 0.012 * (y1 - y0), label, ha="center", va="bottom",
            fontsize=8, zorder=10)


def draw_jurisdictions(ax: Axes, jurisdictions: gpd.GeoDataFrame,
                       fill: dict[str, str] | None = None, focus_fips: str | None = None) -> None:
    projected = _projected(jurisdictions)
    colours = [((fill or {}).get(f, "#F2F2F2")) for f in projected["fips"]]
    projected.plot(ax=ax, color=colours, edgecolor="#555555", linewidth=0.5)
    if focus_fips:
        projected[projected["fips"] == focus_fips].boundary.plot(ax=ax, color="black",
                                                                 linewidth=2.0)


def draw_sites(ax: Axes, sites: pd.DataFrame, size: float = 14) -> list:
    """Mapped sites coloured by type; returns legend handles."""
    mapped = sites[sites["lat"].notna()]
    handles = []
    for site_type, colour in SITE_TYPE_COLOURS.items():
        chosen = mapped[mapped["type"] == site_type]
        if chosen.empty:
            continue
        _points(chosen["lon"], chosen["lat"]).plot(ax=ax, color=colour, markersize=size,
                                                   edgecolor="#222222", linewidth=0.3,
                                                   zorder=5)
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor=colour,
                              markeredgecolor="#222222", label=SITE_TYPE_LABELS[site_type]))
    return handles


def sites_drawer(jurisdictions: gpd.GeoDataFrame, sites: pd.DataFrame,
                 focus_fips: str | None = None) -> Drawer:
    """Every mapped access point over the jurisdictions."""
    def draw(ax: Axes) -> list:
        draw_jurisdictions(ax, jurisdictions, focus_fips=focus_fips)
        return draw_sites(ax, sites)
    return draw


def leave_behind_drawer(jurisdictions: gpd.GeoDataFrame, leave_behind: pd.DataFrame,
                        sites: pd.DataFrame | None = None,
                        focus_fips: str | None = None) -> Drawer:
    """EMS leave-behind status choropleth (unknown drawn grey), sites on top."""
    status = dict(zip(leave_behind["fips"], leave_behind["status"], strict=True))

    def draw(ax: Axes) -> list:
        draw_jurisdictions(ax, jurisdictions, {f: LEAVE_BEHIND_COLOURS[s]
                                               for f, s in status.items()}, focus_fips)
        handles: list = [Patch(facecolor=c, edgecolor="#555555",
                               label=LEAVE_BEHIND_STATUS_LABELS[s])
                         for s, c in LEAVE_BEHIND_COLOURS.items()]
        if sites is not None:
            handles += draw_sites(ax, sites, size=8)
        return handles
    return draw


def access_gap_drawer(jurisdictions: gpd.GeoDataFrame, nearest: pd.DataFrame,
                      sites: pd.DataFrame, radius_m: float, radius_label: str, *,
                      recommended: pd.DataFrame | None = None,
                      what_if: pd.DataFrame | None = None,
                      focus_fips: str | None = None) -> Drawer:
    """Tract centres by distance class, sites, recommended and what-if locations."""
    def draw(ax: Axes) -> list:
        draw_jurisdictions(ax, jurisdictions, focus_fips=focus_fips)
        classes = distance_class(nearest["distance_m"].to_numpy(), radius_m)
        points = _points(nearest["lon"], nearest["lat"])
        handles = []
        for index, (colour, label) in enumerate(zip(DISTANCE_CLASS_COLOURS,
                                                    distance_class_labels(radius_label),
                                                    strict=True)):
            chosen = classes == index
            if chosen.any():
                points[chosen].plot(ax=ax, color=colour, markersize=10, edgecolor="#555555",
                                    linewidth=0.3, zorder=4)
            handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor=colour,
                                  markeredgecolor="#555555", label=f"Residents {label}"))
        handles += draw_sites(ax, sites, size=6)
        for frame, colour, label in ((recommended, "#000000", "Recommended new location"),
                                     (what_if, "#56B4E9", "What-if site")):
            if frame is not None and len(frame):
                _points(frame["lon"], frame["lat"]).plot(ax=ax, color=colour, marker="*",
                                                         markersize=120, edgecolor="white",
                                                         linewidth=0.6, zorder=6)
                handles.append(Line2D([], [], marker="*", linestyle="", markersize=12,
                                      markerfacecolor=colour, markeredgecolor="white",
                                      label=label + " (hypothetical)"))
        return handles
    return draw


def zoom_to(ax: Axes, jurisdictions: gpd.GeoDataFrame, fips: str | None,
            margin: float = 0.06) -> None:
    """Fit the axes to one jurisdiction (or the whole state when None)."""
    projected = _projected(jurisdictions)
    if fips:
        projected = projected[projected["fips"] == fips]
    x0, y0, x1, y1 = projected.total_bounds
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    ax.set_xlim(x0 - dx, x1 + dx)
    ax.set_ylim(y0 - dy, y1 + dy)


def draw_map(ax: Axes, draw: Drawer, jurisdictions: gpd.GeoDataFrame,
             zoom_fips: str | None = None, legend_title: str = "",
             legend_outside: bool = False) -> None:
    """Draw a map into ``ax``: layers, extent, legend (inside, or to the right of the
    axes when ``legend_outside``) and scale bar."""
    with literal_text():
        handles = draw(ax)
        zoom_to(ax, jurisdictions, zoom_fips)
        ax.set_axis_off()
        ax.set_aspect("equal")
        add_scale_bar(ax)
        if handles:
            placement = ({"loc": "upper left", "bbox_to_anchor": (1.01, 1.0)}
                         if legend_outside else {"loc": "lower left"})
            ax.legend(handles=handles, title=legend_title or None, fontsize=7,
                      title_fontsize=8, framealpha=0.95, **placement)


def map_figure(draw: Drawer, jurisdictions: gpd.GeoDataFrame, title: str, *,
               subtitle: str = "", zoom_fips: str | None = None, legend_title: str = "",
               size_in: tuple[float, float] = (11.0, 7.5)) -> Figure:
    """A titled map figure with legend, scale bar, caveat and source line (all text
    drawn literally)."""
    with literal_text():
        figure = plt.figure(figsize=size_in)
        figure.suptitle(title, fontsize=15, fontweight="bold", x=0.02, ha="left")
        if subtitle:
            figure.text(0.02, 0.915, subtitle, fontsize=9.5, ha="left")
        ax = figure.add_axes((0.01, 0.09, 0.98, 0.80))
        draw_map(ax, draw, jurisdictions, zoom_fips, legend_title)
        figure.text(0.02, 0.045, STOCK_CAVEAT, fontsize=8, style="italic", ha="left")
        figure.text(0.02, 0.015, SOURCE_LINE, fontsize=6.5, ha="left", wrap=True)
    return figure


def figure_bytes(figure: Figure, fmt: str, dpi: int = 150) -> bytes:
    """The figure as PNG, SVG or PDF bytes; the figure is closed afterwards."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; choose from " + ", ".join(FORMATS))
    buffer = io.BytesIO()
    try:
        with literal_text():
            figure.savefig(buffer, format=fmt, dpi=dpi, facecolor="white",
                           metadata={"Title": figure._suptitle.get_text()} if fmt == "pdf"
                           and figure._suptitle else None)
    finally:
        plt.close(figure)
    return buffer.getvalue()
