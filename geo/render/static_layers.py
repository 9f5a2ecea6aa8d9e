"""The layers of the print-ready maps (matplotlib, EPSG:26985 metres): jurisdictions,
sites, EMS leave-behind status, residents by distance, and one drawer per map. A drawer
draws its layers on an axes and returns their legend handles; :mod:`geo.render.static_maps`
frames it (title, names, scale bar, sources) and saves it.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo.config import MARYLAND_STATE_PLANE_M, WGS84
from geo.render import palette
from geo.schema import LEAVE_BEHIND_STATUS_LABELS, SITE_TYPE_LABELS

#: Draws a map's layers on an axes; returns their legend handles.
Drawer = Callable[[Axes], list]


def to_state_plane(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` in NAD83 / Maryland State Plane (EPSG:26985, metres)."""
    return frame.to_crs(MARYLAND_STATE_PLANE_M)


def state_plane_points(lon: np.ndarray, lat: np.ndarray) -> gpd.GeoSeries:
    """Points from degrees (EPSG:4326) in EPSG:26985 metres."""
    return gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=WGS84).to_crs(MARYLAND_STATE_PLANE_M)


def draw_jurisdictions(
    ax: Axes,
    jurisdictions: gpd.GeoDataFrame,
    fill: dict[str, str] | None = None,
    focus_fips: str | None = None,
) -> None:
    projected = to_state_plane(jurisdictions)
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
            state_plane_points(exact["lon"], exact["lat"]).plot(
                ax=ax,
                color=colour,
                markersize=size,
                edgecolor=palette.SITE_OUTLINE,
                linewidth=0.3,
                zorder=5,
            )
        hollow = mapped[of_type & approximate]
        if len(hollow):  # at a ZIP centre: a hollow ring in the type's colour
            state_plane_points(hollow["lon"], hollow["lat"]).plot(
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
    points = state_plane_points(nearest["lon"], nearest["lat"])
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
                state_plane_points(frame["lon"], frame["lat"]).plot(
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
