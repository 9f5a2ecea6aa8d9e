"""The Scenario facade: one what-if question about naloxone access, answered once.

A :class:`Scenario` is a frozen value built from the data and the choices a user
makes (site types, removed and added sites, radius, 2SFCA catchment and decay), in
the spirit of PySAL ``access.Access`` and spopt's ``from_cost_matrix(...).solve()``.
Everything derived from it (the sites used, each resident's nearest site, the
jurisdiction table, the gap ranking, recommended locations) is computed on first
use and kept on the value, so the pages, the CLI and the briefing do the
nearest-site work once per scenario. Distances are straight lines in metres in
EPSG:26985.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import metrics
from geo.analysis.metrics import AccessData
from geo.analysis.ranking import DEFAULT_GAP_MEASURE, check_gap_measure
from geo.analysis.travel import sites_in_area, travel_summary, travel_table
from geo.config import METRES_PER_MILE
from geo.engine.distance import check_radius_m
from geo.errors import InputError
from geo.network.installed import (
    DEFAULT_MINUTES,
    CoveredNetwork,
    check_measure,
    check_minutes,
    covered_network,
)
from geo.schema import SITE_TYPES

#: A hypothetical site: (latitude, longitude, name), EPSG:4326.
AddedSite = tuple[float, float, str]
DEFAULT_RADIUS_M = 5.0 * METRES_PER_MILE
DEFAULT_CATCHMENT_M = metrics.DEFAULT_CATCHMENT_MILES * METRES_PER_MILE


#: The choices each radius-independent result depends on (besides the data).
_DEPENDS_ON = {
    "selected": ("types", "removed", "added"),
    "nearest": ("types", "removed", "added"),
    "access_per_100k": ("types", "removed", "added", "catchment_m", "decay"),
    "travel": ("types", "removed", "added", "measure"),
    "covered": ("measure",),
    "access_minutes": ("types", "removed", "added", "measure", "minutes", "decay"),
}


@dataclass(frozen=True, eq=False)
class Scenario:
    """One access question: which sites count, how far is near, which sites are
    hypothetically removed or added.

    ``radius_m`` and ``catchment_m`` are metres (EPSG:26985 straight lines);
    ``added`` holds hypothetical sites as ``(lat, lon, name)`` in EPSG:4326. Build
    with :meth:`from_data`; derive variations with :meth:`replace`.
    """

    data: AccessData = field(repr=False)
    types: tuple[str, ...] = SITE_TYPES
    radius_m: float = DEFAULT_RADIUS_M
    removed: tuple[str, ...] = ()
    added: tuple[AddedSite, ...] = ()
    catchment_m: float = DEFAULT_CATCHMENT_M
    decay: str = "none"
    gap_measure: str = DEFAULT_GAP_MEASURE
    #: How access is measured: ``straight`` (metres, ``radius_m``) or a network's minutes
    #: (``walk``, ``drive``) with the threshold ``minutes`` (see geo.network.installed).
    measure: str = "straight"
    minutes: float = DEFAULT_MINUTES

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", metrics.parse_site_types(self.types))
        object.__setattr__(self, "radius_m", check_radius_m(self.radius_m))
        object.__setattr__(self, "catchment_m", check_radius_m(self.catchment_m, "catchment"))
        object.__setattr__(self, "removed", tuple(self.removed))
        object.__setattr__(
            self,
            "added",
            tuple((float(lat), float(lon), str(name)) for lat, lon, name in self.added),
        )
        metrics.decay_function(self.decay, self.catchment_m)
        check_gap_measure(self.gap_measure)
        object.__setattr__(self, "measure", check_measure(self.measure))
        object.__setattr__(self, "minutes", check_minutes(self.minutes))

    @classmethod
    def from_data(
        cls,
        data: AccessData,
        *,
        types: Iterable[str] | str | None = None,
        radius_m: float = DEFAULT_RADIUS_M,
        removed: Iterable[str] = (),
        added: Iterable[AddedSite] | pd.DataFrame = (),
        catchment_m: float = DEFAULT_CATCHMENT_M,
        decay: str = "none",
        gap_measure: str = DEFAULT_GAP_MEASURE,
        measure: str = "straight",
        minutes: float = DEFAULT_MINUTES,
    ) -> Scenario:
        """A scenario on ``data``; ``types`` None means every type, and ``added`` may be
        a frame with ``lat``, ``lon`` and optional ``name`` columns. ``gap_measure`` is one
        of :data:`geo.analysis.ranking.GAP_MEASURES` (how the gap ranking scores)."""
        if isinstance(added, pd.DataFrame):
            names = (
                added["name"]
                if "name" in added
                else [f"What-if site {i + 1}" for i in range(len(added))]
            )
            added = tuple(zip(added["lat"], added["lon"], names, strict=True))
        return cls(
            data,
            metrics.parse_site_types(types),
            radius_m,
            tuple(removed),
            tuple(added),
            catchment_m,
            decay,
            gap_measure,
            measure,
            minutes,
        )

    def replace(self, **changes: Any) -> Scenario:
        """A new scenario with some choices changed. Results that do not depend on the
        changed choices are kept (a new radius or gap measure reuses the sites, each
        resident's nearest site and the 2SFCA values); the others are computed afresh."""
        new = dataclasses.replace(self, **changes)
        for name, choices in _DEPENDS_ON.items():
            if (
                name in self.__dict__
                and new.data is self.data
                and all(getattr(new, choice) == getattr(self, choice) for choice in choices)
            ):
                new.__dict__[name] = self.__dict__[name]
        return new

    @property
    def key(self) -> tuple[object, ...]:
        """The choices that define the scenario (everything but the data), hashable."""
        return (
            self.types,
            self.radius_m,
            self.removed,
            self.added,
            self.catchment_m,
            self.decay,
            self.gap_measure,
            self.measure,
            self.minutes,
        )

    @property
    def sites_key(self) -> tuple[object, ...]:
        """The choices the sites, nearest sites and 2SFCA values depend on (not the
        radius nor the gap measure), hashable."""
        return self.types, self.removed, self.added, self.catchment_m, self.decay

    @property
    def changed(self) -> bool:
        """True when sites are hypothetically added or removed."""
        return bool(self.added or self.removed)

    @cached_property
    def selected(self) -> gpd.GeoDataFrame:
        """The mapped, open sites the scenario uses (what-if sites included)."""
        added = (
            pd.DataFrame(list(self.added), columns=["lat", "lon", "name"]) if self.added else None
        )
        return metrics.select_sites(self.data, self.types, removed_ids=self.removed, added=added)

    @cached_property
    def nearest(self) -> pd.DataFrame:
        """Per population point, the nearest selected site and its distance (metres)."""
        return metrics.nearest_sites(self.data, self.selected)

    @cached_property
    def access_per_100k(self) -> np.ndarray:
        """2SFCA / E2SFCA accessibility per population point (sites per 100,000)."""
        return metrics.catchment_access(self.data, self.selected, self.catchment_m, self.decay)

    @cached_property
    def _table(self) -> pd.DataFrame:
        return metrics.jurisdiction_metrics(
            self.data,
            self.selected,
            self.radius_m,
            catchment_m=self.catchment_m,
            decay=self.decay,
            nearest=self.nearest,
            access_per_100k=self.access_per_100k,
            gap_measure=self.gap_measure,
            beyond_override=self.walking_beyond(),
        )

    def walking_beyond(self) -> np.ndarray | None:
        """For the ``no-vehicle`` gap measure with the walking measure: per population point,
        1.0 where the quickest walk to a site is longer than ``minutes``, 0.0 where it is
        not, NaN outside the walking network's area (the radius applies there); None
        otherwise (residents without a car walk: where a walking network exists, walking
        minutes decide who is beyond reach)."""
        if self.gap_measure != "no-vehicle" or self.measure != "walk":
            return None
        travel = self.travel
        if travel is None:
            return None
        position = {g: i for i, g in enumerate(self.data.population["geoid"])}
        override = np.full(len(position), np.nan)
        rows = travel["geoid"].map(position).to_numpy(dtype=np.int64)
        override[rows] = (travel["minutes"].to_numpy(dtype=float) > self.minutes).astype(float)
        return override

    def table(self) -> pd.DataFrame:
        """One row per jurisdiction and a statewide row (see
        :func:`geo.analysis.metrics.jurisdiction_metrics`). A copy: edit freely."""
        return self._table.copy()

    def ranking(self) -> pd.DataFrame:
        """Jurisdictions ordered by the scenario's gap measure (largest gap first)."""
        return metrics.gap_ranking(self._table)

    @cached_property
    def _recommendations(self) -> dict[tuple[object, ...], pd.DataFrame]:
        return {}

    def recommend(
        self,
        k: int,
        *,
        method: str = "greedy",
        within: str | None = None,
        candidates: str | tuple[str, ...] | None = None,
    ) -> pd.DataFrame:
        """Up to ``k`` new locations that most reduce the scenario's gap measure (its
        weights and reaches: :func:`geo.analysis.metrics.demand_for`), among
        ``candidates`` (``tracts``, the default, or real host-site kinds:
        :data:`geo.analysis.metrics.CANDIDATE_KINDS`) in jurisdiction ``within`` (None or
        ``24``: statewide). The one rule of the page, the CLI and the briefing."""
        kinds = metrics.parse_candidate_kinds(candidates)
        key = (int(k), method, within, kinds)
        if key not in self._recommendations:
            found = metrics.candidate_locations(self.data, kinds, within)
            if len(found) == 0:
                self._recommendations[key] = pd.DataFrame(
                    columns=list(metrics.RECOMMENDATION_COLUMNS)
                )
            else:
                self._recommendations[key] = metrics.recommend_sites(
                    self.data,
                    self.selected,
                    min(int(k), len(found)) if within is not None else int(k),
                    self.radius_m,
                    candidates=found,
                    method=method,
                    nearest=self.nearest,
                    gap_measure=self.gap_measure,
                )
        return self._recommendations[key].copy()

    @cached_property
    def covered(self) -> CoveredNetwork | None:
        """The network of the measure and the area it covers (None for the straight line;
        ``ValueError`` when the measure's network is not installed)."""
        return covered_network(self.measure)

    @cached_property
    def travel(self) -> pd.DataFrame | None:
        """Per tract of the network's area, the quickest trip to a selected site of that
        area (:func:`geo.analysis.travel.travel_table`); None for the straight line."""
        if self.covered is None:
            return None
        return travel_table(self.data, self.selected, self.covered)

    def travel_summary(self) -> pd.DataFrame:
        """The network area's residents within ``minutes`` of a site, and the trip
        quantiles (:func:`geo.analysis.travel.travel_summary`); one row."""
        if self.covered is None:
            raise InputError("the straight-line measure has no travel-time summary")
        travel = self.travel
        assert travel is not None, "a measure with a network has a travel table"
        sites = sites_in_area(self.selected, self.covered)
        return travel_summary(travel, self.minutes, self.covered, len(sites))

    @cached_property
    def access_minutes(self) -> np.ndarray | None:
        """2SFCA per population point with a catchment of ``minutes`` on the measure's
        network (sites per 100,000; NaN outside its area); None for the straight line."""
        from geo.analysis.travel_metrics import access_minutes

        if self.covered is None:
            return None
        return access_minutes(self.data, self.selected, self.covered, self.minutes, self.decay)

    @cached_property
    def _travel_table(self) -> pd.DataFrame:
        from geo.analysis.travel_metrics import travel_metrics

        if self.covered is None or self.travel is None:
            raise InputError("the straight-line measure has no travel-time table")
        return travel_metrics(
            self.data,
            self.selected,
            self.covered,
            self.travel,
            self.minutes,
            gap_measure=self.gap_measure,
            access_per_100k=self.access_minutes,
        )

    def travel_table(self) -> pd.DataFrame:
        """One row per jurisdiction of the network's area and the area row, in minutes
        (:func:`geo.analysis.travel_metrics.travel_metrics`). A copy: edit freely."""
        return self._travel_table.copy()

    def travel_ranking(self) -> pd.DataFrame:
        """The network area's jurisdictions ordered by the gap in minutes (largest first)."""
        rows = self._travel_table[self._travel_table["fips"] != "area"]
        return rows.sort_values(
            ["gap_rank", "uncovered_population"], ascending=[True, False], na_position="last"
        ).reset_index(drop=True)

    def recommend_by_minutes(
        self,
        k: int,
        *,
        method: str = "greedy",
        candidates: str | tuple[str, ...] | None = None,
    ) -> pd.DataFrame:
        """Up to ``k`` candidates of the network's area (tract centres, or real host-site
        kinds) that most reduce the scenario's gap measure within ``minutes`` on the
        network (:func:`geo.analysis.travel_siting.recommend_by_minutes`)."""
        from geo.analysis.travel_siting import recommend_by_minutes

        if self.covered is None:
            raise InputError("the straight-line measure has no travel-time recommendations")
        travel = self.travel
        assert travel is not None, "a measure with a network has a travel table"
        kinds = metrics.parse_candidate_kinds(candidates)
        key = (int(k), method, "minutes", self.measure, self.minutes, self.gap_measure, kinds)
        if key not in self._recommendations:
            self._recommendations[key] = recommend_by_minutes(
                self.data,
                self.covered,
                travel,
                self.minutes,
                int(k),
                gap_measure=self.gap_measure,
                method=method,
                candidates=kinds,
            )
        return self._recommendations[key].copy()
