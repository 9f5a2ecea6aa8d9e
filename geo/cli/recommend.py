"""``python -m geo recommend``: k new site locations by maximal covering."""

from __future__ import annotations

import argparse

from geo.analysis.ranking import DEFAULT_GAP_MEASURE, GAP_MEASURES
from geo.cli import common
from geo.errors import InputError

NAME = "recommend"
HELP = "recommend k new site locations (maximal covering)"
DESCRIPTION = (
    "Keeping existing sites, choose k candidate locations that most reduce the chosen "
    "gap measure (--gap-measure: each tract's residents beyond reach weighted as the "
    "measure weights them), inside --jurisdiction when given, statewide otherwise: the "
    "same rule as the Access gaps page and the briefing. --candidates tracts (default) "
    "picks tract centres of population, named by their nearest town and jurisdiction "
    "(place, nearest_town, nearest_town_county, nearest_town_distance_miles or _km with "
    "--unit km, jurisdiction; straight line; place names © GeoNames, CC BY 4.0); "
    "--candidates health-centers,treatment,transit picks real candidate host sites (HRSA "
    "health centres, SAMHSA treatment facilities, MTA light-rail/subway/MARC stations; "
    "add bus for the MTA bus stops), named by their own name and address: each is a "
    "candidate host site, not a naloxone site today. newly_covered_population counts "
    "residents newly within reach; gap_reduction the measure's units. Published local "
    "updates from the store (closures, corrections, additions) are applied unless "
    "--public-only. With --measure walk or drive: candidates of the area the network "
    "covers only (walking: Baltimore City), covering a tract when the trip between them "
    "on the network takes at most --minutes; the columns name the measure and minutes "
    "(--jurisdiction is then not used)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``recommend``."""
    parser.add_argument("--k", type=int, required=True, help="number of new sites")
    common.add_scenario_arguments(parser)
    common.add_measure_arguments(parser)
    common.add_unit_argument(parser)
    parser.add_argument(
        "--method",
        choices=("greedy", "exact"),
        default="greedy",
        help="greedy (fast) or exact MILP (PuLP/CBC)",
    )
    parser.add_argument(
        "--gap-measure",
        choices=tuple(GAP_MEASURES),
        default=DEFAULT_GAP_MEASURE,
        help="the gap measure the recommendations reduce (default deaths)",
    )
    parser.add_argument(
        "--jurisdiction",
        help="FIPS code or name: recommend only inside this jurisdiction (default statewide)",
    )
    parser.add_argument(
        "--candidates",
        default="tracts",
        help="tracts (default), or a comma-separated list of health-centers, treatment, "
        "transit (rail, subway and MARC stations) and bus (MTA bus stops)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the recommended locations, best first, named by place."""
    from geo.analysis.metrics import parse_candidate_kinds
    from geo.analysis.place_names import name_recommendations
    from geo.render.briefing import resolve_jurisdiction

    out = common.writable_file(args.out)
    unit = common.chosen_unit(args)
    kinds = parse_candidate_kinds(args.candidates)
    scenario = common.scenario_from_args(args, gap_measure=args.gap_measure)
    if scenario.measure != "straight":
        if args.jurisdiction:
            raise InputError(
                "--jurisdiction is for straight-line recommendations; with --measure "
                f"{scenario.measure} they cover the network's area only"
            )
        recommended = scenario.recommend_by_minutes(args.k, method=args.method, candidates=kinds)
        common.write_output(common.frame_output(recommended, args.format), out)
        return 0
    within = resolve_jurisdiction(scenario.data, args.jurisdiction) if args.jurisdiction else None
    recommended = name_recommendations(
        scenario.recommend(args.k, method=args.method, within=within, candidates=kinds),
        scenario.data.jurisdictions,
        unit=unit,
    )
    common.write_output(common.frame_output(recommended, args.format), out)
    return 0
