"""``python -m geo metrics``: the access table, one row per jurisdiction and statewide."""

from __future__ import annotations

import argparse

from geo.cli import common
from geo.config import MARYLAND_STATE_FIPS

NAME = "metrics"
HELP = "access metrics per jurisdiction and statewide"
DESCRIPTION = (f"One row per jurisdiction plus a statewide row (fips {MARYLAND_STATE_FIPS}): "
               "population, sites, sites per 100k, population and share within the radius of "
               "a site, population-weighted mean and 90th-percentile straight-line distance "
               "(miles), 2SFCA access, drug-induced deaths 2022-2023, and the access-gap rank.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``metrics``."""
    common.add_scenario_arguments(parser)
    parser.add_argument("--catchment-miles", type=float, default=10.0,
                        help="2SFCA catchment in miles (default 10)")
    parser.add_argument("--decay", choices=("none", "step", "gaussian"), default="none",
                        help="2SFCA distance decay (none = classic 2SFCA)")


def run(args: argparse.Namespace) -> int:
    """Write the scenario's jurisdiction table."""
    out = common.writable_file(args.out)
    scenario = common.scenario_from_args(args, catchment_miles=args.catchment_miles,
                                         decay=args.decay)
    common.write_output(common.frame_output(scenario.table(), args.format), out)
    return 0
