"""The network engine: travel time on street networks, numpy/scipy in and out.

A directed graph in ``scipy.sparse`` CSR built from line segments (:mod:`.graph`), the
travel modes and their rules (:mod:`.modes`), nearest-site minutes, capped searches and
coverage sets (:mod:`.travel`). Coordinates are metres in EPSG:26985, times minutes.
Nothing here knows about pages or the store; :mod:`geo.network.city` loads the bundled
Baltimore City walking network and :mod:`geo.network.osm` builds a drive network from an
OpenStreetMap extract.
"""

from geo.network.graph import Network, build_network
from geo.network.modes import DRIVE, MODES, WALK, Mode
from geo.network.travel import (
    NearestTrips,
    NodeNearest,
    Snap,
    TimePairs,
    coverage_matrix_minutes,
    nearest_site_by_node,
    nearest_trips,
    pairs_within_minutes,
    snap,
    two_step_fca_minutes,
)

__all__ = [
    "DRIVE",
    "MODES",
    "WALK",
    "Mode",
    "NearestTrips",
    "Network",
    "NodeNearest",
    "Snap",
    "TimePairs",
    "build_network",
    "coverage_matrix_minutes",
    "nearest_site_by_node",
    "nearest_trips",
    "pairs_within_minutes",
    "snap",
    "two_step_fca_minutes",
]
