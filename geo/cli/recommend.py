"""``python -m geo recommend``: k new site locations by maximal covering."""

from __future__ import annotations

import argparse

from geo.cli import common

NAME = "recommend"
HELP = "recommend k new site locations (maximal covering)"
DESCRIPTION = (
    "Keeping existing sites, choose k tract centres of population that "
    "newly bring the most people within the radius of a site. Each is named by "
    "its nearest town and jurisdiction (place, nearest_town, nearest_town_county, "
    "nearest_town_distance_miles or _km with --unit km, jurisdiction; straight "
    "line); coordinates and the tract code follow. Place names © GeoNames, "
    "CC BY 4.0 (column place_source). Published local updates from the store "
    "(closures, corrections, additions) are applied unless --public-only."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``recommend``."""
    parser.add_argument("--k", type=int, required=True, help="number of new sites")
    common.add_scenario_arguments(parser)
    common.add_unit_argument(parser)
    parser.add_argument(
        "--method",
        choices=("greedy", "exact"),
        default="greedy",
        help="greedy (fast) or exact MILP (PuLP/CBC)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the recommended locations, best first, named by place."""
    from geo.analysis.place_names import name_recommendations

    out = common.writable_file(args.out)
    unit = common.chosen_unit(args)
    scenario = common.scenario_from_args(args)
    recommended = name_recommendations(
        scenario.recommend(args.k, method=args.method), scenario.data.jurisdictions, unit=unit
    )
    common.write_output(common.frame_output(recommended, args.format), out)
    return 0
