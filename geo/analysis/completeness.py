"""How complete our pharmacy list is, measured against an outside one (issue 24).

OEPS 2025 gives, for every 2020 census tract, the drive minutes to the nearest pharmacy
of Overture Maps' 2025 places (a different and larger list than ours). No car covers
more straight-line distance than it could drive at :data:`LIST_GAP_SPEED_KMH` for those
minutes, plus :data:`LIST_GAP_SLACK_M` for OEPS measuring from the tract's geometric
centre (we measure from its centre of population) and for the road from the centre to
the door. So where the nearest pharmacy on *our* list is farther in a straight line than

    reach_limit_m = drive_minutes / 60 × LIST_GAP_SPEED_KMH × 1000 + LIST_GAP_SLACK_M

our list almost certainly misses a pharmacy near that tract: the tract is flagged
``list_gap``. Our pharmacies are every listed site of type ``pharmacy`` with coordinates,
approximate (ZIP-centre) locations included and closed sites excluded; distances are
straight lines in metres in EPSG:26985 (:mod:`geo.engine.distance`). A tract without an
OEPS time (10 water tracts absent, one null) is never flagged: unknown, not complete.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.config import MARYLAND_STATE_FIPS
from geo.engine.distance import lonlat_to_xy_m, nearest_m
from geo.errors import InputError

if TYPE_CHECKING:
    from geo.analysis.metrics import AccessData

#: The fastest a car is assumed to cover straight-line distance (km/h).
LIST_GAP_SPEED_KMH = 110.0
#: Allowance for different tract centres and the last stretch to the door (metres).
LIST_GAP_SLACK_M = 3_000.0
#: A jurisdiction is marked when more than this share of its residents beyond the radius
#: live in flagged tracts (their distances are then mostly gaps in our list).
MOSTLY_SHARE = 0.5
#: The map legend's words for a flagged tract.
LIST_GAP_LEGEND = "Black ring: our list likely misses a pharmacy here"


def method_text() -> str:
    """The test in one sentence, with its constants (for Data & methods and downloads)."""
    return (
        "A tract is flagged as a likely gap in our pharmacy list when the straight-line "
        "distance from its 2020 centre of population to the nearest listed pharmacy "
        "(with coordinates, ZIP-centre locations included, closed stores excluded) is "
        f"more than OEPS's 2025 drive minutes to the nearest pharmacy × "
        f"{LIST_GAP_SPEED_KMH:g} km/h + {LIST_GAP_SLACK_M / 1000:g} km: farther than any "
        "car could drive in that time, so OEPS's list (Overture Maps places 2025) has a "
        "pharmacy there that ours lacks. Tracts without an OEPS time are not flagged."
    )


def reach_limit_m(drive_minutes: np.ndarray) -> np.ndarray:
    """Straight-line metres a car can cover in ``drive_minutes`` (minutes) at
    :data:`LIST_GAP_SPEED_KMH`, plus :data:`LIST_GAP_SLACK_M`; NaN stays NaN."""
    minutes = np.asarray(drive_minutes, dtype=float)
    return minutes / 60.0 * LIST_GAP_SPEED_KMH * 1000.0 + LIST_GAP_SLACK_M


def list_gap_flags(nearest_listed_m: np.ndarray, drive_minutes: np.ndarray) -> np.ndarray:
    """True where the nearest listed pharmacy (metres, straight line) lies beyond
    :func:`reach_limit_m` of the outside list's drive minutes; False where the minutes
    are unknown (NaN)."""
    limit = reach_limit_m(drive_minutes)
    distance = np.asarray(nearest_listed_m, dtype=float)
    known = ~np.isnan(limit)
    flags = np.zeros(limit.shape, dtype=bool)
    flags[known] = distance[known] > limit[known]
    return flags


def listed_pharmacies(sites: pd.DataFrame) -> pd.DataFrame:
    """The pharmacies the check uses: type ``pharmacy``, coordinates present (exact or
    ZIP centre), not closed."""
    keep = sites["type"].eq("pharmacy") & sites["lat"].notna() & sites["lon"].notna()
    if "closed" in sites:
        keep &= ~sites["closed"].astype(bool)
    return sites.loc[keep]


def tract_list_gaps(
    population: pd.DataFrame,
    population_xy_m: np.ndarray,
    sites: pd.DataFrame,
    drive_times: pd.DataFrame,
) -> pd.DataFrame:
    """One row per tract, in ``population`` order: geoid, fips, population,
    nearest_pharmacy_distance_m (straight line, EPSG:26985), drive_minutes (OEPS; NaN
    unknown),
    reach_limit_distance_m and list_gap (bool)."""
    pharmacies = listed_pharmacies(sites)
    if len(pharmacies):
        distance_m, _ = nearest_m(
            population_xy_m, lonlat_to_xy_m(pharmacies["lon"], pharmacies["lat"])
        )
    else:
        distance_m = np.full(len(population), np.inf)
    minutes = (
        population["geoid"]
        .map(drive_times.set_index("geoid")["drive_minutes"])
        .to_numpy(dtype=float)
    )
    return pd.DataFrame(
        {
            "geoid": population["geoid"].to_numpy(),
            "fips": population["fips"].to_numpy(),
            "population": population["population"].to_numpy(dtype=np.int64),
            "nearest_pharmacy_distance_m": distance_m,
            "drive_minutes": minutes,
            "reach_limit_distance_m": reach_limit_m(minutes),
            "list_gap": list_gap_flags(distance_m, minutes),
        }
    )


def list_gap_summary(tracts: pd.DataFrame, fips: list[str]) -> pd.DataFrame:
    """Per jurisdiction in ``fips`` order and statewide (fips ``24``, last):
    list_gap_tracts (count) and list_gap_population (2020 residents of flagged tracts)."""
    flagged = tracts[tracts["list_gap"]]
    counts = flagged.groupby("fips").size()
    people = flagged.groupby("fips")["population"].sum()
    out = pd.DataFrame(
        {
            "fips": [*fips, MARYLAND_STATE_FIPS],
            "list_gap_tracts": [*(int(counts.get(f, 0)) for f in fips), len(flagged)],
            "list_gap_population": [
                *(int(people.get(f, 0)) for f in fips),
                int(flagged["population"].sum()),
            ],
        }
    )
    return out


def data_list_gaps(data: AccessData) -> pd.DataFrame:
    """:func:`tract_list_gaps` for ``data`` (its sites, local updates included, and its
    OEPS drive times)."""
    if data.drive_times is None:
        raise InputError("the completeness check needs the OEPS drive-time layer")
    return tract_list_gaps(data.population, data.population_xy_m, data.sites, data.drive_times)


def with_list_gap(nearest: pd.DataFrame, data: AccessData) -> pd.DataFrame:
    """A copy of ``nearest`` (one row per tract, population order) with the ``list_gap``
    flag of each tract; unchanged when ``data`` has no drive times."""
    tracts = data.list_gaps
    if tracts is None:
        return nearest
    flags = pd.Series(tracts["list_gap"].to_numpy(), index=tracts["geoid"].to_numpy())
    return nearest.assign(list_gap=nearest["geoid"].map(flags).fillna(False).astype(bool))
