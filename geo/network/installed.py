"""Which networks this installation has, and the area each covers.

- ``walk``: the bundled Baltimore City walking network (always present with the data).
- ``drive``: a network an operator built from an OpenStreetMap extract with
  ``python -m geo network build`` (see :mod:`geo.network.store`); absent by default.

Each measure's tracts and sites are those of the area its network covers: Baltimore City
for walking (by jurisdiction); for driving, the outline (convex hull) of the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from geo.errors import InputError
from geo.network.graph import Network
from geo.network.modes import DRIVE_METHOD, WALK_METHOD

if TYPE_CHECKING:
    import shapely

#: The access measures: straight line (metres) or a network's minutes.
MEASURES = ("straight", "walk", "drive")
MEASURE_LABELS = {
    "straight": "Straight line",
    "walk": "Walking minutes (Baltimore City)",
    "drive": "Driving minutes",
}
DEFAULT_MINUTES = 15.0


def check_measure(measure: str) -> str:
    """``measure`` when it is one of :data:`MEASURES`, else a ``ValueError``."""
    if measure not in MEASURES:
        raise InputError(f"unknown measure {measure!r}; choose from " + ", ".join(MEASURES))
    return measure


def check_minutes(minutes: float) -> float:
    """A travel-time threshold in minutes: positive and finite (at most 240)."""
    try:
        value = float(minutes)
    except (TypeError, ValueError):
        raise InputError(f"minutes must be a number, got {minutes!r}") from None
    if not np.isfinite(value) or not 0 < value <= 240:
        raise InputError(f"minutes must be more than 0 and at most 240, got {value:g}")
    return value


@dataclass(frozen=True, eq=False)
class CoveredNetwork:
    """A network with the area it covers: tracts and sites of the measure are those of
    jurisdiction ``area_fips`` (walk) or inside ``outline`` (drive, EPSG:26985)."""

    measure: str
    network: Network
    area_name: str
    method: str
    area_fips: str | None = None
    outline: shapely.Geometry | None = None  # a shapely polygon in EPSG:26985

    def inside(self, xy_m: np.ndarray, fips: np.ndarray) -> np.ndarray:
        """True for points (metres, EPSG:26985; jurisdiction FIPS) in the covered area."""
        if self.area_fips is not None:
            return np.asarray(fips).astype(str) == self.area_fips
        import shapely

        xy_m = np.asarray(xy_m, dtype=float).reshape(-1, 2)
        return shapely.contains_xy(self.outline, xy_m[:, 0], xy_m[:, 1])


def walk_covered() -> CoveredNetwork:
    """The Baltimore City walking network (raises ``DataFileError`` if not built)."""
    from geo.network.city import WALK_AREA_FIPS, WALK_AREA_NAME, walk_network

    return CoveredNetwork("walk", walk_network(), WALK_AREA_NAME, WALK_METHOD, WALK_AREA_FIPS)


def drive_covered() -> CoveredNetwork:
    """The installed drive network (``ValueError`` saying how to build one when absent)."""
    from geo.network.store import load_installed

    network, outline, name = load_installed("drive")
    return CoveredNetwork("drive", network, name, DRIVE_METHOD, None, outline)


def drive_available() -> bool:
    """True when a drive network is installed (``NALOXONE_NETWORK_DIR``)."""
    from geo.network.store import installed_path

    return installed_path("drive").is_file()


def covered_network(measure: str) -> CoveredNetwork | None:
    """The network of ``measure`` (None for the straight line)."""
    check_measure(measure)
    if measure == "straight":
        return None
    return walk_covered() if measure == "walk" else drive_covered()


def travel_methods_markdown() -> str:
    """The travel-time methods for the Data & methods page (Markdown): the walking and
    driving rules (from :mod:`geo.network.modes`) and the OEPS outside layer."""
    from geo.network.modes import FAR_FROM_NETWORK_M, JOIN_TOLERANCE_M

    return (
        "**Travel time.** The sidebar's *Measure* switches between straight-line distance "
        "and network minutes. "
        + WALK_METHOD
        + " "
        + DRIVE_METHOD
        + f" On both networks, segment end points within {JOIN_TOLERANCE_M:g} m are one "
        "node, the cost of a segment is its length divided by its speed, only the largest "
        "strongly connected component is kept, and the nearest-site minutes of every node "
        "come from one multi-source Dijkstra (scipy.sparse.csgraph). A tract centre or site "
        f"more than {FAR_FROM_NETWORK_M:g} m from the network is flagged, never dropped. "
        "Travel-time figures cover only the area the network covers (walking: Baltimore "
        "City; driving: the tracts inside the installed network's outline): the ranking "
        "and Compare in minutes take only the jurisdictions there, and say so; "
        "straight-line and travel-time figures are never in one table. 2SFCA in minutes "
        "uses the threshold T as its catchment (each site of the area shared among the "
        "residents who reach it within T; checked against PySAL access). Recommendations "
        "in minutes cover a tract when the trip to the candidate takes at most T. Checked "
        "against networkx on the same graphs.\n\n"
        "**Outside layer: OEPS drive times.** On Access gaps, OEPS's 2025 drive minutes "
        "from each tract to the nearest pharmacy (Healthy Regions & Policies Lab, OEPS Data "
        "Warehouse v2.0) can be shown as a separate, labelled layer. They use OEPS's own "
        "pharmacy list (Overture Maps places 2025, larger than ours), tract geometric "
        "centres and an OpenStreetMap network, capped at 90 minutes; they are context, "
        "never mixed into this dashboard's figures."
    )
