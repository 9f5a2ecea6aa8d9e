"""Access-engine benchmarks against reference tools measured in the same run.

Prints the median wall time of several runs and the ratio to each reference:
- nearest + coverage on Maryland (1,475 points x all mapped sites), target < 5 ms;
- the same at synthetic national size (240,000 points x 60,000 sites), target
  < 0.3 s and >= 10x faster than ``geopandas.sjoin_nearest`` on the same input;
- 2SFCA on Maryland, >= 3x faster than PySAL ``access``, identical results;
- greedy siting on Maryland with k = 10, < 0.2 s and >= 97% of the exact MILP;
- a finder query (read a ZIP / town / coordinates, place it, 5 nearest sites and the
  unmapped ones of its jurisdiction), target < 50 ms; reference: ``geopandas.sjoin_nearest``
  of the same point against every mapped site (nearest one only).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import metrics
from geo.config import MARYLAND_STATE_PLANE_M
from geo.engine.coverage import coverage_by_group
from geo.engine.distance import lonlat_to_xy_m, nearest_m
from tests.support.reference import access_inputs, access_two_step_fca


def median_seconds(function: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls (after one warm-up call)."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _row(
    name: str,
    seconds: float,
    target: str,
    ok: bool,
    reference: str = "",
    reference_seconds: float | None = None,
) -> dict[str, object]:
    ratio = (reference_seconds / seconds) if reference_seconds else None
    return {
        "benchmark": name,
        "ours_ms": seconds * 1e3,
        "reference": reference,
        "reference_ms": None if reference_seconds is None else reference_seconds * 1e3,
        "speed-up": ratio,
        "target": target,
        "met": "yes" if ok else "NO",
    }


def bench_maryland_nearest(data: metrics.AccessData, selected: pd.DataFrame) -> dict:
    radius = metrics.radius_m_from(miles=5)
    population = data.population["population"].to_numpy(dtype=float)
    sites_xy = lonlat_to_xy_m(selected["lon"], selected["lat"])

    def ours() -> None:
        distance, _ = nearest_m(data.population_xy_m, sites_xy)
        coverage_by_group(distance, population, data.group, len(data.jurisdictions), radius)

    points = data.population[["geometry"]].to_crs(MARYLAND_STATE_PLANE_M)
    sites = selected[["geometry"]].to_crs(MARYLAND_STATE_PLANE_M)

    def reference() -> None:
        gpd.sjoin_nearest(points, sites, distance_col="d")

    seconds = median_seconds(ours, 50)
    reference_seconds = median_seconds(reference, 10)
    return _row(
        f"nearest+coverage, Maryland 1,475 x {len(selected)}",
        seconds,
        "< 5 ms",
        seconds < 0.005,
        "geopandas.sjoin_nearest",
        reference_seconds,
    )


def bench_national_nearest(seed: int = 2026) -> dict:
    rng = np.random.default_rng(seed)
    n_points, n_sites, n_groups = 240_000, 60_000, 3_100
    points = rng.uniform([0, 0], [4_500_000, 2_800_000], size=(n_points, 2))
    sites = rng.uniform([0, 0], [4_500_000, 2_800_000], size=(n_sites, 2))
    population = rng.integers(0, 8_000, n_points).astype(float)
    group = rng.integers(0, n_groups, n_points)
    radius = metrics.radius_m_from(miles=5)

    def ours() -> None:
        distance, _ = nearest_m(points, sites)
        coverage_by_group(distance, population, group, n_groups, radius)

    point_frame = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(points[:, 0], points[:, 1]), crs=MARYLAND_STATE_PLANE_M
    )
    site_frame = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(sites[:, 0], sites[:, 1]), crs=MARYLAND_STATE_PLANE_M
    )

    def reference() -> None:
        gpd.sjoin_nearest(point_frame, site_frame, distance_col="d")

    seconds = median_seconds(ours, 5)
    reference_seconds = median_seconds(reference, 3)
    speed_up = reference_seconds / seconds
    return _row(
        "nearest+coverage, synthetic 240,000 x 60,000",
        seconds,
        "< 300 ms and >= 10x",
        seconds < 0.3 and speed_up >= 10,
        "geopandas.sjoin_nearest",
        reference_seconds,
    )


def bench_two_step_fca(data: metrics.AccessData, selected: pd.DataFrame) -> dict:
    catchment = metrics.radius_m_from(miles=10)

    def ours() -> np.ndarray:
        return metrics.catchment_access(data, selected, catchment)

    # The reference gets the pairs precomputed; ours computes its own pairs.
    inputs = access_inputs(data, selected, catchment)

    def reference() -> np.ndarray:
        return access_two_step_fca(inputs, data.population["geoid"], catchment).to_numpy()

    identical = np.allclose(ours(), reference() * metrics.PER_100K, rtol=0, atol=1e-9)
    seconds = median_seconds(ours, 20)
    reference_seconds = median_seconds(reference, 5)
    return _row(
        f"2SFCA, Maryland (identical: {identical})",
        seconds,
        ">= 3x",
        identical and reference_seconds / seconds >= 3,
        "PySAL access",
        reference_seconds,
    )


def bench_siting(data: metrics.AccessData, selected: pd.DataFrame) -> dict:
    radius = metrics.radius_m_from(miles=5)
    candidates = data.population[["geoid", "fips", "lat", "lon"]].rename(
        columns={"geoid": "candidate_id"}
    )

    def greedy():
        return metrics.siting_on_arrays(data, selected, candidates, 10, radius, "greedy")

    def exact():
        return metrics.siting_on_arrays(data, selected, candidates, 10, radius, "exact")

    seconds = median_seconds(greedy, 10)
    exact_seconds = median_seconds(exact, 2)
    share = greedy().cumulative_covered[-1] / exact().cumulative_covered[-1]
    return _row(
        f"greedy siting k=10, Maryland ({100 * share:.2f}% of exact)",
        seconds,
        "< 200 ms and >= 97%",
        seconds < 0.2 and share >= 0.97,
        "exact MILP (PuLP/CBC)",
        exact_seconds,
    )


FINDER_QUERIES = ("21550", "Crisfield", "La Plata, MD", "39.209,-76.067", "Annapolis")


def bench_finder(data: metrics.AccessData) -> dict:
    from geo.analysis.finder import Finder

    finder = Finder.from_data(data)
    queries = iter(FINDER_QUERIES * 1000)

    def ours() -> object:
        return finder.find(next(queries), 5)

    point = gpd.GeoDataFrame(geometry=gpd.points_from_xy([-79.4], [39.4]), crs=4326).to_crs(
        MARYLAND_STATE_PLANE_M
    )
    mapped = data.sites[data.sites["lat"].notna()][["geometry"]].to_crs(MARYLAND_STATE_PLANE_M)

    def reference() -> None:
        gpd.sjoin_nearest(point, mapped, distance_col="d")

    seconds = median_seconds(ours, 50)
    reference_seconds = median_seconds(reference, 20)
    return _row(
        f"finder query, {len(mapped)} mapped sites (5 kinds of query)",
        seconds,
        "< 50 ms",
        seconds < 0.05,
        "geopandas.sjoin_nearest (1 nearest)",
        reference_seconds,
    )


def run() -> pd.DataFrame:
    """Run every engine benchmark; one row each."""
    data = metrics.load_access_data()
    selected = metrics.select_sites(data)
    return pd.DataFrame(
        [
            bench_maryland_nearest(data, selected),
            bench_national_nearest(),
            bench_two_step_fca(data, selected),
            bench_siting(data, selected),
            bench_finder(data),
        ]
    )
