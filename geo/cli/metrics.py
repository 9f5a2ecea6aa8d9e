"""``python -m geo metrics``: the access table, one row per jurisdiction and statewide."""

from __future__ import annotations

import argparse

from geo.analysis.completeness import LIST_GAP_SLACK_M, LIST_GAP_SPEED_KMH
from geo.analysis.ranking import DEFAULT_GAP_MEASURE, GAP_MEASURES
from geo.cli import common
from geo.config import MARYLAND_STATE_FIPS

NAME = "metrics"
HELP = "access metrics per jurisdiction and statewide"
DESCRIPTION = (
    f"One row per jurisdiction plus a statewide row (fips {MARYLAND_STATE_FIPS}): "
    "population, sites, sites per 100k, population and share within the radius of "
    "a site, population-weighted mean and 90th-percentile straight-line distance "
    "(miles), 2SFCA access, drug-induced deaths 2022-2023, the death rate with its 95% "
    "interval and rate_source, and the access-gap rank with its plausible range "
    "(gap_rank_low, gap_rank_high), and the completeness of our pharmacy list against "
    "OEPS 2025 drive times: list_gap_tracts and list_gap_population (tracts whose "
    "nearest listed pharmacy is farther in a straight line than OEPS drive minutes x "
    f"{LIST_GAP_SPEED_KMH:g} km/h + {LIST_GAP_SLACK_M / 1000:g} km, and their residents), "
    "list_gap_uncovered_population (of them, "
    "residents beyond the radius) and list_gap_mostly (most residents beyond the radius "
    "live in flagged tracts). Published local updates from the store are applied unless "
    "--public-only. With --measure walk or drive: the same in network minutes over the "
    "area the network covers (walking: Baltimore City only; driving: the tracts inside "
    "the installed network's outline), one row per jurisdiction with tracts there and "
    "one row for the whole area (fips 'area'): residents there and of the jurisdiction, "
    "sites, residents and share within --minutes of a site, population-weighted mean, "
    "median and 90th-percentile minutes, 2SFCA access with a catchment of --minutes, "
    "the death rate, the gap and its rank among the covered jurisdictions, and the "
    "measure and method named in every row."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``metrics``."""
    common.add_scenario_arguments(parser)
    common.add_measure_arguments(parser)
    parser.add_argument(
        "--catchment-miles", type=float, default=10.0, help="2SFCA catchment in miles (default 10)"
    )
    parser.add_argument(
        "--decay",
        choices=("none", "step", "gaussian"),
        default="none",
        help="2SFCA distance decay (none = classic 2SFCA)",
    )
    parser.add_argument(
        "--gap-measure",
        choices=tuple(GAP_MEASURES),
        default=DEFAULT_GAP_MEASURE,
        help="how the gap rank scores: deaths = expected drug-induced deaths "
        "among residents beyond the radius (default); residents = residents "
        "beyond the radius; svi = residents beyond the radius x SVI 2022; "
        "no-vehicle = residents of car-free households beyond the radius (tract "
        "residents x no-vehicle share, ACS 2019-2023); rurality = residents beyond 1 "
        "mile in urban tracts or 10 miles in rural ones (USDA Food Access Research "
        "Atlas; RUCA 2020 cores 1, 4, 7 urban)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the scenario's jurisdiction table."""
    out = common.writable_file(args.out)
    scenario = common.scenario_from_args(
        args, catchment_miles=args.catchment_miles, decay=args.decay, gap_measure=args.gap_measure
    )
    table = scenario.table() if scenario.measure == "straight" else scenario.travel_table()
    common.write_output(common.frame_output(table, args.format), out)
    return 0
