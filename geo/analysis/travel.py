"""Travel time from tract centres of population to the nearest site, on a network.

The per-tract table of ``python -m geo travel`` and of the walking measure: for each tract
of the area a network covers, the nearest selected site of that area, the trip in minutes
(straight-line joins to the network included, at the mode's speed), the network metres and
both join distances. Wraps :mod:`geo.network` (numpy) with data frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.analysis.metrics import AccessData
from geo.engine.distance import lonlat_to_xy_m
from geo.network.graph import Network
from geo.network.travel import nearest_trips

#: The columns of the per-tract travel table, in order.
TRAVEL_COLUMNS = (
    "geoid",
    "population",
    "nearest_site_id",
    "minutes",
    "network_m",
    "origin_snap_m",
    "site_snap_m",
    "far_from_network",
)


def travel_table(
    data: AccessData, selected: pd.DataFrame, network: Network, area_fips: str
) -> pd.DataFrame:
    """One row per tract of jurisdiction ``area_fips``: its quickest trip to a selected
    site of the same jurisdiction (see :data:`TRAVEL_COLUMNS`). Minutes in minutes,
    distances in metres; ``far_from_network`` flags a join longer than 500 m (kept)."""
    tracts = data.population.loc[data.population["fips"] == area_fips]
    sites = selected.loc[selected["jurisdiction_fips"] == area_fips]
    if sites.empty:
        raise ValueError(
            "no mapped sites of the chosen types in the area the network covers: "
            "choose more site types"
        )
    origin_xy = data.population_xy_m[tracts.index.to_numpy()]
    site_xy = lonlat_to_xy_m(sites["lon"].to_numpy(float), sites["lat"].to_numpy(float))
    trips = nearest_trips(network, origin_xy, site_xy)
    ids = sites["id"].to_numpy()
    return pd.DataFrame(
        {
            "geoid": tracts["geoid"].to_numpy(),
            "population": tracts["population"].to_numpy(),
            "nearest_site_id": np.where(trips.site >= 0, ids[np.maximum(trips.site, 0)], None),
            "minutes": trips.minutes,
            "network_m": trips.network_m,
            "origin_snap_m": trips.origin_snap_m,
            "site_snap_m": trips.site_snap_m,
            "far_from_network": trips.far_from_network,
        },
        columns=list(TRAVEL_COLUMNS),
    )
