"""``python -m geo recommend``: k new site locations by maximal covering."""

from __future__ import annotations

import argparse

from geo.cli import common

NAME = "recommend"
HELP = "recommend k new site locations (maximal covering)"
DESCRIPTION = ("Keeping existing sites, choose k tract centres of population that "
               "newly bring the most people within the radius of a site.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``recommend``."""
    parser.add_argument("--k", type=int, required=True, help="number of new sites")
    common.add_scenario_arguments(parser)
    parser.add_argument("--method", choices=("greedy", "exact"), default="greedy",
                        help="greedy (fast) or exact MILP (PuLP/CBC)")


def run(args: argparse.Namespace) -> int:
    """Write the recommended locations, best first."""
    out = common.writable_file(args.out)
    scenario = common.scenario_from_args(args)
    recommended = scenario.recommend(args.k, method=args.method)
    common.write_output(common.frame_output(recommended, args.format), out)
    return 0
