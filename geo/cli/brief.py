"""``python -m geo brief``: PDF briefings for a jurisdiction, Maryland, or all of them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from geo.analysis.ranking import DEFAULT_GAP_MEASURE, GAP_MEASURES
from geo.cli import common
from geo.cli.common import targets, writable_file, writable_folder, write_file
from geo.errors import InputError

if TYPE_CHECKING:
    from geo.analysis.scenario import Scenario


NAME = "brief"
HELP = "PDF briefing for a jurisdiction, Maryland, or all of them"
DESCRIPTION = (
    "Two- to three-page PDF (statewide: with a table of all 24 jurisdictions): "
    "map of sites, residents by distance and recommended locations named by place; "
    "key figures with units next to Maryland's and the rank among the 24; EMS "
    "leave-behind evidence; sources. Distances in --unit (default: the radius's). "
    "Published local updates in the store (NALOXONE_STORE) are included, as in "
    "`export`, unless --public-only. "
    "Examples: --jurisdiction 24001 --out allegany.pdf; --jurisdiction 'Baltimore City' "
    "--out city.pdf; --jurisdiction 24 (statewide); --all --out-dir briefings/"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``brief``."""
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--jurisdiction", help="FIPS code or name (24 or Maryland: statewide)")
    target.add_argument(
        "--all", action="store_true", help="Maryland and all 24 jurisdictions (needs --out-dir)"
    )
    parser.add_argument("--out", help="output PDF (with --jurisdiction)")
    parser.add_argument("--out-dir", help="output folder (with --all)")
    radius = parser.add_mutually_exclusive_group()
    radius.add_argument("--radius-miles", type=float, help="coverage radius in miles (default 5)")
    radius.add_argument("--radius-km", type=float, help="coverage radius in kilometres")
    common.add_unit_argument(parser)
    parser.add_argument("--types", help="comma-separated site types (default all)")
    parser.add_argument("--k", type=int, default=5, help="recommended new sites (default 5)")
    parser.add_argument(
        "--gap-measure",
        choices=tuple(GAP_MEASURES),
        default=DEFAULT_GAP_MEASURE,
        help="the gap measure the briefing ranks by and its recommendations reduce",
    )
    parser.add_argument(
        "--candidates",
        default="tracts",
        help="recommend among tracts (default) or real host sites: a comma-separated "
        "list of health-centers, treatment, transit, bus",
    )
    common.add_public_only_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Check the choices and outputs, then write one briefing or all 25 from one scenario
    (so the nearest-site work is done once for the whole run)."""
    from geo.analysis import metrics
    from geo.analysis.scenario import Scenario
    from geo.render.briefing import resolve_jurisdiction, scenario_briefing_pdf

    types = metrics.parse_site_types(args.types)
    no_radius = args.radius_miles is None and args.radius_km is None
    radius_m = metrics.radius_m_from(
        miles=5.0 if no_radius else args.radius_miles, km=args.radius_km
    )
    unit = common.chosen_unit(args)
    if args.all and not args.out_dir:
        raise InputError("--all needs --out-dir DIR")
    if not args.all and (not args.jurisdiction or not args.out):
        raise InputError(
            "give --jurisdiction FIPS_OR_NAME and --out FILE.pdf, or --all --out-dir DIR"
        )
    out_dir = writable_folder(args.out_dir) if args.all else None
    out = None if args.all else writable_file(args.out)
    data = common.load_data(args)
    kinds = ",".join(metrics.parse_candidate_kinds(args.candidates))
    scenario = Scenario.from_data(
        data, types=types, radius_m=radius_m, gap_measure=args.gap_measure
    )
    if out_dir is not None:
        return _write_all(scenario, out_dir, args.k, unit, kinds)
    fips = resolve_jurisdiction(data, args.jurisdiction)
    write_file(scenario_briefing_pdf(scenario, fips, k=args.k, unit=unit, candidates=kinds), out)
    return 0


def _write_all(
    scenario: Scenario, out_dir: Path, k: int, unit: str, candidates: str = "tracts"
) -> int:
    """Maryland's and every jurisdiction's briefing into ``out_dir``, with a progress bar."""
    from tqdm import tqdm

    from geo.render.briefing import scenario_briefing_pdf

    jobs = targets(scenario)
    for fips, slug in tqdm(jobs, desc="briefings", unit="pdf", file=sys.stderr):
        write_file(
            scenario_briefing_pdf(scenario, fips, k=k, unit=unit, candidates=candidates),
            out_dir / f"briefing-{fips}-{slug}.pdf",
        )
    print(f"wrote {len(jobs)} briefings to {common.shown_path(out_dir)}", file=sys.stderr)
    return 0
