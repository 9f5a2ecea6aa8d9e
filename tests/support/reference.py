"""Adapters that feed our inputs to the reference libraries, shared by the reference tests
(tests/engine/test_engine_reference.py) and the benchmarks (benchmarks/engine.py): the one
place that builds PySAL ``access`` inputs and runs its 2SFCA. spopt's MCLP and geopandas'
``sjoin_nearest`` are called directly where they are used (each by one test; the benchmark
times the bare ``sjoin_nearest`` call), so they need no adapter here."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from geo.analysis import metrics
from geo.engine.distance import lonlat_to_xy_m, pairs_within_m


def access_inputs(
    data: metrics.AccessData, selected: pd.DataFrame, catchment_m: float
) -> dict[str, pd.DataFrame]:
    """Demand, supply (capacity 1 per site) and cost tables (metres) for ``access.Access``."""
    sites_xy = lonlat_to_xy_m(selected["lon"], selected["lat"])
    pairs = pairs_within_m(data.population_xy_m, sites_xy, catchment_m)
    return {
        "demand": pd.DataFrame(
            {"geoid": data.population["geoid"], "pop": data.population["population"].astype(float)}
        ),
        "supply": pd.DataFrame({"sid": selected["id"].to_numpy(), "capacity": 1.0}),
        "cost": pd.DataFrame(
            {
                "origin": data.population["geoid"].to_numpy()[pairs.origin],
                "dest": selected["id"].to_numpy()[pairs.destination],
                "cost": pairs.distance_m,
            }
        ),
    }


def access_two_step_fca(
    inputs: dict[str, pd.DataFrame],
    geoids: pd.Series,
    catchment_m: float,
    weight_fn: Callable[[float], float] | None = None,
) -> pd.Series:
    """PySAL ``access`` 2SFCA (or enhanced 2SFCA with ``weight_fn``) per demand point,
    in sites per person, 0 where no site is in reach."""
    import access

    model = access.Access(
        demand_df=inputs["demand"],
        demand_index="geoid",
        demand_value="pop",
        supply_df=inputs["supply"],
        supply_index="sid",
        supply_value="capacity",
        cost_df=inputs["cost"],
        cost_origin="origin",
        cost_dest="dest",
        cost_name="cost",
    )
    if weight_fn is None:
        result = model.two_stage_fca(cost="cost", max_cost=catchment_m)
    else:
        result = model.enhanced_two_stage_fca(
            cost="cost", max_cost=catchment_m, weight_fn=weight_fn
        )
    return result.iloc[:, 0].reindex(geoids).fillna(0.0)
