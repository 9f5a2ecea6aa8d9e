"""``python -m geo travel``: network travel minutes from every tract to its nearest site."""

from __future__ import annotations

import argparse

from geo.cli import common
from geo.errors import InputError

NAME = "travel"
HELP = "travel minutes from each tract to the nearest site, on a street network"
DESCRIPTION = (
    "One row per census tract of the area a network covers (--measure walk: Baltimore "
    "City's streets, bundled; --measure drive: a network installed with `python -m geo "
    "network build`): geoid, population, nearest_site_id, minutes (the trip, including "
    "the straight lines from the tract centre and the site to the nearest street node at "
    "the mode's speed), network_m, origin_snap_m, site_snap_m and far_from_network (a "
    "join longer than 500 m: flagged, kept). Sites: the mapped, open public and "
    "published sites of --types inside the same area. A listed site is not confirmed "
    "stock."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``travel``."""
    from geo.schema import SITE_TYPES

    parser.add_argument("--measure", choices=("walk", "drive"), required=True)
    parser.add_argument(
        "--jurisdiction",
        default=None,
        help="the jurisdiction, by name or FIPS, e.g. 'Baltimore City' or 24510 "
        "(default: the whole area the network covers); walking covers Baltimore City only",
    )
    parser.add_argument(
        "--types",
        help="comma-separated site types to include (default all: " + ",".join(SITE_TYPES) + ")",
    )
    common.add_public_only_argument(parser)
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--out", help="output file (default: standard output)")


def jurisdiction_fips(text: str, jurisdictions) -> str:
    """The FIPS code of a jurisdiction given by name (any case) or FIPS."""
    wanted = text.strip().lower()
    for fips, name in zip(jurisdictions["fips"], jurisdictions["name"], strict=True):
        if wanted in (str(fips), str(name).lower()):
            return str(fips)
    raise InputError(
        f"unknown jurisdiction {text!r}; give a Maryland jurisdiction's name or FIPS code"
    )


def run(args: argparse.Namespace) -> int:
    """Write the per-tract travel table."""
    from geo.analysis import metrics
    from geo.analysis.scenario import Scenario

    out = common.writable_file(args.out)
    types = metrics.parse_site_types(args.types)
    data = common.load_data(args)
    scenario = Scenario.from_data(data, types=types, measure=args.measure)
    table = scenario.travel
    if args.jurisdiction is not None:
        fips = jurisdiction_fips(args.jurisdiction, data.jurisdictions)
        in_area = data.population.set_index("geoid").loc[table["geoid"], "fips"].to_numpy()
        if fips not in set(in_area):
            raise InputError(
                f"{args.jurisdiction} is outside {scenario.covered.area_name}, the area the "
                f"{args.measure} network covers"
            )
        table = table.loc[in_area == fips].reset_index(drop=True)
    common.write_output(common.frame_output(table, args.format), out)
    return 0
