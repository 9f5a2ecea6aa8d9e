"""The real inputs of every access metric: the bundled layers, projected and coded.

Population points are 2020 tract centres of population, projected to metres in
EPSG:26985 (:func:`geo.engine.distance.lonlat_to_xy_m`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import equity, ranking
from geo.data import layers
from geo.engine.distance import (
    lonlat_to_xy_m,
)

STATE_NAME = "Maryland"
PER_100K = 100_000.0
#: The columns of :attr:`AccessData.death_rates` a jurisdiction table takes: deaths
#: 2022-2023, the rate per 100,000 with its 95% interval, and the rate's source and inputs.
DEATH_RATE_COLUMNS = (
    "deaths_2022_2023",
    "death_rate_per_100k",
    "death_rate_lcl95",
    "death_rate_ucl95",
    "rate_source",
    "rate_deaths",
    "rate_population",
)
DEFAULT_CATCHMENT_MILES = 10.0
#: Luo & Qi (2009) enhanced 2SFCA weights for three equal sub-zones of the catchment.
E2SFCA_ZONE_WEIGHTS = (1.0, 0.68, 0.22)
DECAYS = ("none", "step", "gaussian")


@dataclass(frozen=True)
class AccessData:
    """The real inputs of every metric (see :func:`load_access_data`)."""

    jurisdictions: gpd.GeoDataFrame
    population: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    burden: pd.DataFrame
    leave_behind: pd.DataFrame
    population_xy_m: np.ndarray = field(repr=False)
    group: np.ndarray = field(repr=False)
    #: SVI 2022, opioid prescribing, OEPS mortality per jurisdiction (None: not loaded).
    context: pd.DataFrame | None = field(default=None, repr=False)
    #: OEPS 2025 drive minutes per tract to the nearest pharmacy (None: not loaded).
    drive_times: pd.DataFrame | None = field(default=None, repr=False)

    #: Tract no-vehicle and commute shares, RUCA 2020 (``layers.load_tract_context``).
    tract_context_layer: pd.DataFrame | None = field(default=None, repr=False)
    #: Modelled overdose mortality 2014-2021 (``layers.load_overdose_trend``).
    trend: pd.DataFrame | None = field(default=None, repr=False)
    #: Candidate host sites for new points (``layers.load_candidate_sites``).
    candidate_sites: pd.DataFrame | None = field(default=None, repr=False)

    @cached_property
    def list_gaps(self) -> pd.DataFrame | None:
        """Per tract (population order): the completeness check of our pharmacy list
        (:func:`geo.analysis.completeness.tract_list_gaps`); None without drive times."""
        from geo.analysis import completeness

        return None if self.drive_times is None else completeness.data_list_gaps(self)

    @cached_property
    def tracts(self) -> pd.DataFrame:
        """Tract context per population point, in ``population`` order
        (:func:`geo.analysis.equity.tract_context`)."""
        return equity.tract_context(self.population, self.tract_context_layer)

    @cached_property
    def death_rates(self) -> tuple[pd.DataFrame, dict[str, float | str]]:
        """:func:`geo.analysis.ranking.death_rates` of ``burden``, computed once."""
        return ranking.death_rates(self.burden)


def load_access_data(
    *, include_local: bool = False, drafts: bool = False, store_location: str | None = None
) -> AccessData:
    """Load the bundled layers and project the population points (EPSG:26985).

    With ``include_local`` the local updates in the store (``geo.local.store``) are applied:
    corrected, closed and added sites, and locally entered leave-behind records: the
    published ones, or with ``drafts`` (editors only) the unpublished ones too.
    """
    from geo.local import merge

    jurisdictions = layers.load_jurisdictions()
    population = layers.load_population()
    local_sites, local_leave_behind = pd.DataFrame(), pd.DataFrame()
    if include_local:
        local_sites, local_leave_behind, _ = merge.load_local(store_location, drafts=drafts)
    sites = merge.merge_sites(layers.load_sites(), local_sites)
    leave_behind = merge.merge_leave_behind(layers.load_leave_behind(), local_leave_behind)
    return make_access_data(
        jurisdictions,
        population,
        sites,
        layers.load_burden(),
        leave_behind,
        context=layers.load_context(),
        drive_times=layers.load_drive_times(),
        tract_context=layers.load_tract_context(),
        trend=layers.load_overdose_trend(),
        candidate_sites=layers.load_candidate_sites(),
    )


def make_access_data(
    jurisdictions: gpd.GeoDataFrame,
    population: pd.DataFrame,
    sites: gpd.GeoDataFrame,
    burden: pd.DataFrame,
    leave_behind: pd.DataFrame,
    *,
    context: pd.DataFrame | None = None,
    drive_times: pd.DataFrame | None = None,
    tract_context: pd.DataFrame | None = None,
    trend: pd.DataFrame | None = None,
    candidate_sites: pd.DataFrame | None = None,
) -> AccessData:
    """Bundle inputs, projecting population lon/lat to metres and coding jurisdictions."""
    codes = {fips: i for i, fips in enumerate(jurisdictions["fips"])}
    group = population["fips"].map(codes)
    if group.isna().any():
        raise ValueError("a population point has a jurisdiction not in the boundary layer")
    return AccessData(
        jurisdictions,
        population,
        sites,
        burden,
        leave_behind,
        lonlat_to_xy_m(population["lon"], population["lat"]),
        group.to_numpy(dtype=np.int64),
        context,
        drive_times,
        tract_context,
        trend,
        candidate_sites,
    )
