"""Who is far, weighted by what matters: tract context and the weights of every gap measure.

Tract context (per 2020 census tract, :func:`tract_context`): households with no vehicle
(%, ACS 2019-2023 B08201), workers commuting by transit and on foot (%, B08101), the USDA
RUCA 2020 primary code and OEPS's Urban/Suburban/Rural grouping, and the access class
used by the ``rurality`` gap measure.

Rurality reach (the USDA Food Access Research Atlas convention, 1 mile in urban tracts and
10 miles in rural ones; USDA ERS, *Food Access Research Atlas documentation*, 2019): the
Atlas calls a tract urban when its centre of population lies in a Census urban area. The
RUCA codes whose tract lies in an urban area are the *core* codes, so here

* urban (1 mile): RUCA primary code 1, 4 or 7 (metropolitan, micropolitan and small-town
  cores: the tract's largest commuting flow stays inside the urban area it belongs to);
* rural (10 miles): codes 2, 3, 5, 6, 8, 9 and 10 (commuting areas around urban areas,
  and rural tracts);
* unknown: code 99 (tract not coded); such tracts are not scored and are counted.

(USDA ERS, *Rural-Urban Commuting Area Codes, 2020*, code definitions.)

Every gap measure is a sum over tracts of a weight for the residents beyond the tract's
reach (:func:`demand`): ``gap_j = Σ_{i in j, d_i > reach_i} w_i`` where ``d_i`` is the
straight-line distance in metres (EPSG:26985) from tract i's centre of population to its
nearest site and

* ``residents``: ``w_i = residents_i``, reach = the radius;
* ``deaths``: ``w_i = residents_i × death rate_j / 100,000``, reach = the radius;
* ``svi``: ``w_i = residents_i × SVI 2022_j``, reach = the radius (unknown SVI: unknown);
* ``no-vehicle``: ``w_i = residents_i × no-vehicle share_i``, reach = the radius; a tract
  without households has no share: it contributes nothing and is counted as unknown;
* ``rurality``: ``w_i = residents_i``, reach = 1 mile (urban) or 10 miles (rural).

The recommendations use the same weights and reaches (:mod:`geo.analysis.metrics`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.config import METRES_PER_MILE
from geo.errors import InputError

PER_100K = 100_000.0
URBAN_RUCA = (1, 4, 7)
RURAL_RUCA = (2, 3, 5, 6, 8, 9, 10)
URBAN_REACH_M = 1.0 * METRES_PER_MILE
RURAL_REACH_M = 10.0 * METRES_PER_MILE
RURALITY_MAPPING = (
    "urban (1 mile) = RUCA 2020 primary code 1, 4 or 7 (metropolitan, micropolitan and "
    "small-town cores); rural (10 miles) = codes 2, 3, 5, 6, 8, 9 and 10; code 99 "
    "(not coded) unknown"
)
RURALITY_CITATION = (
    "USDA ERS Food Access Research Atlas (1 mile urban / 10 miles rural); USDA ERS "
    "Rural-Urban Commuting Area Codes 2020 via OEPS"
)
CONTEXT_COLUMNS = (
    "no_vehicle_pct",
    "transit_commute_pct",
    "walk_commute_pct",
    "ruca_code",
    "rurality",
    "access_class",
)


def access_class(ruca_code: pd.Series | np.ndarray) -> np.ndarray:
    """``urban``, ``rural`` or ``unknown`` per RUCA 2020 primary code (see the module
    docstring for the mapping)."""
    codes = pd.Series(ruca_code, dtype="Int64")
    return np.where(
        codes.isin(URBAN_RUCA).to_numpy(dtype=bool),
        "urban",
        np.where(codes.isin(RURAL_RUCA).to_numpy(dtype=bool), "rural", "unknown"),
    )


def rurality_reach_m(classes: np.ndarray) -> np.ndarray:
    """The reach in metres per access class: 1 mile urban, 10 miles rural, NaN unknown."""
    classes = np.asarray(classes)
    return np.where(
        classes == "urban", URBAN_REACH_M, np.where(classes == "rural", RURAL_REACH_M, np.nan)
    )


def tract_context(population: pd.DataFrame, context: pd.DataFrame | None) -> pd.DataFrame:
    """Per row of ``population`` (its ``geoid`` order): the tract context columns
    (:data:`CONTEXT_COLUMNS`; missing where the source has no value or no context was
    loaded) with ``access_class``."""
    out = pd.DataFrame({"geoid": population["geoid"].to_numpy()})
    if context is None:
        context = pd.DataFrame(columns=["geoid", *CONTEXT_COLUMNS[:-1]])
    out = out.merge(context[["geoid", *CONTEXT_COLUMNS[:-1]]], on="geoid", how="left")
    for column in ("no_vehicle_pct", "transit_commute_pct", "walk_commute_pct"):
        out[column] = out[column].astype(float)
    out["ruca_code"] = out["ruca_code"].astype("Int64")
    out["rurality"] = out["rurality"].astype(object)
    out["access_class"] = access_class(out["ruca_code"])
    return out


@dataclass(frozen=True)
class Demand:
    """Per population point: ``weight`` (the measure's weight of its residents, 0 where
    unknown), ``reach_m`` (metres; NaN where unknown), ``unknown`` (the measure's input is
    missing) and ``residents``."""

    measure: str
    weight: np.ndarray
    reach_m: np.ndarray
    unknown: np.ndarray
    residents: np.ndarray

    def beyond(self, distance_m: np.ndarray) -> np.ndarray:
        """True where a point's distance (metres) is beyond its reach (unknown: False)."""
        with np.errstate(invalid="ignore"):
            return ~self.unknown & (np.asarray(distance_m, dtype=float) > self.reach_m)

    def gap(self, distance_m: np.ndarray) -> np.ndarray:
        """Each point's contribution to the gap: its weight when beyond reach, else 0."""
        return np.where(self.beyond(distance_m), self.weight, 0.0)

    def residents_beyond(self, distance_m: np.ndarray) -> np.ndarray:
        """Each point's residents when beyond reach (unknown reach: 0)."""
        with np.errstate(invalid="ignore"):
            beyond = np.isfinite(self.reach_m) & (
                np.asarray(distance_m, dtype=float) > self.reach_m
            )
        return np.where(beyond, self.residents, 0.0)


def demand(
    measure: str,
    residents: np.ndarray,
    radius_m: float,
    *,
    rate_per_100k: np.ndarray | None = None,
    svi: np.ndarray | None = None,
    context: pd.DataFrame | None = None,
) -> Demand:
    """The weights and reaches of ``measure`` per population point (``rate_per_100k`` and
    ``svi`` per point, from its jurisdiction; ``context`` from :func:`tract_context`)."""
    residents = np.asarray(residents, dtype=float)
    n = len(residents)
    reach = np.full(n, float(radius_m))
    unknown = np.zeros(n, dtype=bool)
    if measure == "residents":
        weight = residents.copy()
    elif measure == "deaths":
        rate = np.asarray(rate_per_100k, dtype=float)
        unknown = ~np.isfinite(rate)
        weight = residents * np.where(unknown, 0.0, rate) / PER_100K
    elif measure == "svi":
        values = np.asarray(svi, dtype=float)
        unknown = ~np.isfinite(values)
        weight = residents * np.where(unknown, 0.0, values)
    elif measure == "no-vehicle":
        if context is None:
            raise InputError("the no-vehicle gap measure needs the tract context layer")
        share = context["no_vehicle_pct"].to_numpy(dtype=float) / 100.0
        unknown = ~np.isfinite(share)
        weight = residents * np.where(unknown, 0.0, share)
    elif measure == "rurality":
        if context is None:
            raise InputError("the rurality gap measure needs the tract context layer")
        reach = rurality_reach_m(context["access_class"].to_numpy())
        unknown = ~np.isfinite(reach)
        weight = np.where(unknown, 0.0, residents)
    else:
        raise InputError(f"unknown gap measure {measure!r}")
    return Demand(measure, weight, np.where(unknown, np.nan, reach), unknown, residents)
